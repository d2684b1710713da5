"""`gluon.Trainer`: applies an Optimizer to a set of Parameters, as in MXNet 1.x.

Gradients are aggregated in one place, `_allreduce_grads`, through `mx.kv`: 'device' /
'local' sum a Parameter's gradients over its contexts, 'dist_*' also all-reduce them over
the workers of a torch.distributed job. Then each context's copy of the weights is
updated by its own Updater from the same summed gradient, so all copies stay equal.
(MXNet may instead update once on the kvstore and copy the result out; the numbers are
the same, and `update_on_kvstore` keeps MXNet's refusals of allreduce_grads/update.)
"""
from .. import kvstore as kvs
from .. import optimizer as opt
from ..util import atomic_write
from .parameter import Parameter, ParameterDict

__all__ = ['Trainer']

def _version(arr):
    """The write counter of an NDArray's buffer (bumped by every in-place write)."""
    return arr.to_torch()._version


class Trainer:
    """Applies an Optimizer on a set of Parameters; call `step` after `backward`.

    Parameters
    ----------
    params : ParameterDict, dict of str to Parameter, or list of Parameter
        The parameters to optimize (a dict is taken in sorted key order, as in MXNet).
    optimizer : str or Optimizer
        An optimizer name for `mx.optimizer.create`, or an instance.
    optimizer_params : dict, optional
        Keyword arguments for the optimizer when it is given by name. `rescale_grad` set
        here is multiplied by 1/batch_size at each step.
    kvstore : str, KVStore or None, default 'device'
        How gradients are aggregated: 'device' / 'local' sum over the contexts (no store
        is made for a single context, as in MXNet), 'dist_sync' / 'dist_device_sync' also
        over the workers of the job; None does no aggregation.
    compression_params : dict, optional
        Gradient compression settings given to the kvstore's set_gradient_compression
        (e.g. {'type': '2bit', 'threshold': 0.5}; 'device' and 'dist_*' stores).
    update_on_kvstore : bool, optional
        MXNet's choice of updating on the store; it defaults to True whenever a kvstore is
        used, and then `allreduce_grads`/`update` are refused as in MXNet.
    """

    def __init__(self, params, optimizer, optimizer_params=None, kvstore='device',
                 compression_params=None, update_on_kvstore=None):
        if isinstance(params, (dict, ParameterDict)):
            params = [params[key] for key in sorted(params.keys())]
        if not isinstance(params, (list, tuple)):
            raise ValueError("First argument must be a list or dict of Parameters, "
                             f"got {type(params)}.")
        self._params = []
        self._param2idx = {}
        for i, param in enumerate(params):
            if not isinstance(param, Parameter):
                raise ValueError("First argument must be a list or dict of Parameters, "
                                 f"got list of {type(param)}.")
            self._param2idx[param.name] = i
            self._params.append(param)
            param._set_trainer(self)
        self._compression_params = compression_params
        self._contexts = self._check_contexts()
        self._init_optimizer(optimizer, optimizer_params or {})
        self._scale = self._optimizer.rescale_grad
        self._kvstore_params = {'kvstore': kvstore, 'update_on_kvstore': update_on_kvstore}
        self._kvstore, self._kv_initialized = None, False
        self._update_on_kvstore, self._distributed = None, False
        self._seen = {}          # param index -> [(grad tensor, its version at last step)]
        kv_type = kvstore if isinstance(kvstore, str) else getattr(kvstore, 'type', '')
        if kv_type.startswith('dist') and all(p._data is not None for p in self._params):
            # Earlier than MXNet (which waits for the first step): every worker then runs
            # its first forward/backward on rank 0's weights, not on its own draw.
            self._init_kvstore()

    def _check_contexts(self):
        contexts = None
        for param in self._params:
            ctx = param.list_ctx()
            if contexts is not None and contexts != ctx:
                raise AssertionError(
                    "All Parameters must be initialized on the same set of contexts, but "
                    f"Parameter {param.name} is initialized on {ctx} while previous "
                    f"Parameters are initialized on {contexts}.")
            contexts = ctx
        return contexts

    def _init_optimizer(self, optimizer, optimizer_params):
        param_dict = dict(enumerate(self._params))
        if isinstance(optimizer, opt.Optimizer):
            if optimizer_params:
                raise AssertionError("optimizer_params must be None if optimizer is an "
                                     "instance of Optimizer instead of str")
            self._optimizer = optimizer
            self._optimizer.param_dict = param_dict
        else:
            self._optimizer = opt.create(optimizer, param_dict=param_dict, **optimizer_params)
        self._updaters = [opt.get_updater(self._optimizer) for _ in self._contexts or [None]]

    @property
    def learning_rate(self):
        """The optimizer's current learning rate (the scheduler's value if it has one)."""
        return self._optimizer.learning_rate

    @property
    def optimizer(self):
        """The Optimizer instance."""
        return self._optimizer

    def set_learning_rate(self, lr):
        """Set the learning rate (refused, as in MXNet, when a scheduler is set).

        Parameters
        ----------
        lr : float
        """
        self._optimizer.set_learning_rate(lr)

    def _init_kvstore(self):
        """Make the kvstore on first use (MXNet's rules) and start every copy of each
        Parameter from the store's value (rank 0's in a distributed job)."""
        kv = self._kvstore_params['kvstore']
        if isinstance(kv, str):
            single = len(self._contexts) == 1 and not kv.startswith('dist')
            kv = None if single else kvs.create(kv)
        elif kv is not None and not isinstance(kv, kvs.KVStoreBase):
            raise TypeError(f"Trainer: kvstore must be a name, a KVStore or None, "
                            f"got {type(kv).__name__}")
        if kv is not None:
            if self._compression_params:
                kv.set_gradient_compression(self._compression_params)
            for i, param in enumerate(self._params):
                kv.broadcast(i, param.list_data()[0], param.list_data())   # as MXNet
            upd = self._kvstore_params['update_on_kvstore']
            self._update_on_kvstore = True if upd is None else upd
            if self._update_on_kvstore and not kv.is_capable(kvs.KVStoreBase.OPTIMIZER):
                if upd:   # MXNet: a store without an optimizer cannot update
                    raise ValueError("Please set update_on_kvstore=False when training with "
                                     f"{type(kv)}")
                self._update_on_kvstore = False
            self._distributed = 'dist' in kv.type
        self._kvstore, self._kv_initialized = kv, True

    def step(self, batch_size, ignore_stale_grad=False):
        """Aggregate gradients across contexts and update: one optimization step.

        Gradients are rescaled by `rescale_grad / batch_size` (the optimizer's
        rescale_grad given at construction divided by this batch size).

        Parameters
        ----------
        batch_size : int
            Batch size of the data, to normalize the gradient by.
        ignore_stale_grad : bool, default False
            Skip Parameters whose gradient was not written by backward since the last
            step instead of raising.
        """
        self._optimizer.rescale_grad = self._scale / batch_size
        if not self._kv_initialized:
            self._init_kvstore()
        self._allreduce_grads()
        self._update(ignore_stale_grad)

    def allreduce_grads(self):
        """Sum each Parameter's gradients over its contexts (before `update`).

        Requires update_on_kvstore=False when there are several contexts, as in MXNet.
        """
        self._check_not_on_kvstore('allreduce_grads()')
        self._allreduce_grads()

    def update(self, batch_size, ignore_stale_grad=False):
        """Update the Parameters from their (already aggregated) gradients.

        Parameters
        ----------
        batch_size : int
            Batch size of the data, to normalize the gradient by.
        ignore_stale_grad : bool, default False
            As in `step`.
        """
        self._check_not_on_kvstore('update()')
        self._optimizer.rescale_grad = self._scale / batch_size
        self._update(ignore_stale_grad)

    def _check_not_on_kvstore(self, what):
        if not self._kv_initialized:
            self._init_kvstore()
        if self._kvstore and self._update_on_kvstore:
            raise AssertionError(f"{what} when parameters are updated on kvstore is not "
                                 "supported. Try setting `update_on_kvstore` to False when "
                                 "creating trainer.")

    def _allreduce_grads(self):
        """The one place gradients are aggregated: each becomes the sum over the
        Parameter's contexts (and, for 'dist_*', over the workers)."""
        if not self._kvstore:
            return
        for i, param in enumerate(self._params):
            if param.grad_req == 'null':
                continue
            grads = param.list_grad()
            fresh = self._fresh(i, grads)
            self._kvstore.pushpull(i, grads, priority=-i)
            # this write is not a backward: a gradient stale before it stays stale
            self._seen[i] = [(g.to_torch(), _version(g) - ok) for g, ok in zip(grads, fresh)]

    def _fresh(self, i, grads):
        """Per context, whether the gradient was written since the last step.

        MXNet keeps a `_fresh_grad` flag that backward sets. Here every write into a
        gradient buffer (backward's deposit, but also zero_grad) bumps its torch version
        counter, so we compare that with the version seen at the last step; a new buffer
        (version 0) starts as not written.
        """
        return [v != w for v, w in zip(*self._versions(i, grads))]

    def _versions(self, i, grads):
        """(current versions, versions seen at the last step) of a Parameter's gradients."""
        seen = self._seen.get(i, ())
        now, then = [], []
        for g in grads:
            t = g.to_torch()
            now.append(t._version)
            then.append(next((v for s, v in seen if s is t), 0))
        return now, then

    def _update(self, ignore_stale_grad=False):
        updates = [[] for _ in self._updaters]
        seen = {}
        for i, param in enumerate(self._params):
            if param.grad_req == 'null':
                continue
            datas, grads = param.list_data(), param.list_grad()
            now, then = self._versions(i, grads)
            seen[i] = [(g.to_torch(), v) for g, v in zip(grads, now)]
            for upd, arr, grad, v, w in zip(updates, datas, grads, now, then):
                if v != w:
                    upd.append((i, grad, arr))
                elif not ignore_stale_grad:
                    raise UserWarning(
                        f"Gradient of Parameter `{param.name}` on context "
                        f"{arr.context} has not been updated by backward since last "
                        "`step`. This could mean a bug in your model that made it only "
                        "use a subset of the Parameters (Blocks) for this iteration. If "
                        "you are intentionally only using a subset, call step with "
                        "ignore_stale_grad=True to suppress this warning and skip "
                        "updating of Parameters with stale gradient")
        for updater, upd in zip(self._updaters, updates):
            if upd:
                idx, grads, arrs = zip(*upd)
                updater(list(idx), list(grads), list(arrs))
        if self._kvstore and self._update_on_kvstore:
            # MXNet quirk kept: updating on the kvstore never clears the fresh flag, so
            # a repeated step there is not refused (it applies the old gradient again).
            return
        for i, pairs in seen.items():   # versions after the update (an optimizer may write
            self._seen[i] = [(t, t._version) for t, _ in pairs]   # into a gradient too)

    def save_states(self, fname):
        """Save the optimizer states and settings to `fname` (npz + JSON, never pickle).

        Parameters
        ----------
        fname : str
            Path to the output file.
        """
        atomic_write(fname, self._updaters[0].get_states(dump_optimizer=True))

    def load_states(self, fname):
        """Load optimizer states and settings written by `save_states`.

        Parameters
        ----------
        fname : str
            Path to the file.
        """
        with open(fname, 'rb') as f:
            states = f.read()
        for updater in self._updaters:
            updater.set_states(states)
            updater.optimizer = self._updaters[0].optimizer
        self._optimizer = self._updaters[0].optimizer
        self._optimizer.param_dict = dict(enumerate(self._params))
