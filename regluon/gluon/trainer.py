"""`gluon.Trainer`: applies an Optimizer to a set of Parameters, as in MXNet 1.x.

Gradients are aggregated in one place, `_allreduce_grads`, through `mx.kv`: 'device' /
'local' sum a Parameter's gradients over its contexts, 'dist_*' also all-reduce them over
the workers of a torch.distributed job. As in MXNet, the store is made at the first step
(`_init_kvstore`, MXNet's rules for when there is one and whether it runs the optimizer),
and then either
- update_on_kvstore: the store holds a copy of each weight, applies the optimizer to it
  with the summed gradient (`kv._updater`), and the result is copied to every context;
  loading or setting a Parameter's value resets the store (`_reset_kvstore`), or
- each context's copy is updated by its own Updater from the same summed gradient.
"""
from .. import kvstore as kvs
from .. import optimizer as opt
from ..model import _create_kvstore, _create_sparse_kvstore
from ..util import atomic_write
from .parameter import Parameter, ParameterDict

__all__ = ['Trainer']

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
        Whether the store runs the optimizer on its copy of each weight (then
        `allreduce_grads`/`update` are refused, as in MXNet). None: MXNet's default,
        MXNET_UPDATE_ON_KVSTORE (1) for dense gradients, False for row_sparse gradients on
        one machine, True for row_sparse weights.
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
        self._contains_sparse_weight = self._contains_sparse_grad = False
        for i, param in enumerate(params):
            if not isinstance(param, Parameter):
                raise ValueError("First argument must be a list or dict of Parameters, "
                                 f"got list of {type(param)}.")
            self._param2idx[param.name] = i
            self._params.append(param)
            param._set_trainer(self)
            self._contains_sparse_weight |= param._stype != 'default'
            self._contains_sparse_grad |= param._grad_stype != 'default'
        self._compression_params = compression_params
        self._contexts = self._check_contexts()
        self._init_optimizer(optimizer, optimizer_params or {})
        self._scale = self._optimizer.rescale_grad
        self._kvstore_params = {'kvstore': kvstore, 'update_on_kvstore': update_on_kvstore}
        self._kvstore = self._update_on_kvstore = self._distributed = None
        self._kv_initialized = False
        self._params_to_init = []
        self._dist_scale = None     # the rescale of the first step of a 'dist_*' store
        self._reset_kvstore()
        kv_type = kvstore if isinstance(kvstore, str) else getattr(kvstore, 'type', '')
        if kv_type.startswith('dist') and all(p._data is not None for p in self._params):
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

    def _reset_kvstore(self):
        """Forget the store (made again at the next step, from the Parameters' values)."""
        if self._kvstore and 'dist' in self._kvstore.type:
            raise RuntimeError("Cannot reset distributed KVStore.")
        self._kv_initialized = False
        self._kvstore = self._distributed = self._update_on_kvstore = None
        self._params_to_init = list(self._params)

    def _init_kvstore(self):
        """Make the kvstore on first use and decide update_on_kvstore, by MXNet's rules."""
        config = self._kvstore_params
        kv, explicit = config['kvstore'], config['update_on_kvstore']
        if kv is not None and not isinstance(kv, (str, kvs.KVStoreBase)):
            raise TypeError(f"Trainer: kvstore must be a name, a KVStore or None, "
                            f"got {type(kv).__name__}")
        arrays = {p.name: p.data(self._contexts[0]) for p in self._params
                  if p._data is not None}
        if self._contains_sparse_weight:
            # a row_sparse weight is always updated on the store
            kv, update_on_kvstore = _create_sparse_kvstore(kv)
            self._distributed = 'dist' in kv.type
            if explicit is False:
                raise ValueError("Cannot set update_on_kvstore=False when sparse weights "
                                 "are present.")
        elif self._contains_sparse_grad:
            # one machine: sparse gradients are summed and each context updates locally
            kv, _ = _create_kvstore(kv, len(self._contexts), arrays)
            self._distributed = 'dist' in kv.type if kv else False
            update_on_kvstore = self._distributed
            if explicit is not None:
                if explicit is False and self._distributed:
                    raise ValueError("Cannot set update_on_kvstore=False on dist kvstore "
                                     "when sparse gradients are present.")
                update_on_kvstore = explicit
            if kv is not None and not isinstance(kv, kvs.KVStore):
                raise ValueError(f"Cannot use {type(kv)} for multi-device training with "
                                 "sparse gradients")
        else:
            kv, update_on_kvstore = _create_kvstore(kv, len(self._contexts), arrays)
            self._distributed = 'dist' in kv.type if kv else False
            if self._distributed and 'async' in kv.type:
                update_on_kvstore = True
                if explicit is False:
                    raise ValueError("Please set update_on_kvstore=True when training in "
                                     "async mode.")
            if explicit is not None:
                update_on_kvstore = explicit
            if update_on_kvstore and not kv.is_capable(kvs.KVStoreBase.OPTIMIZER):
                if explicit:
                    raise ValueError("Please set update_on_kvstore=False when training with "
                                     f"{type(kv)}")
                update_on_kvstore = False
        if kv:
            if self._compression_params:
                kv.set_gradient_compression(self._compression_params)
            if update_on_kvstore:
                kv.set_optimizer(self._optimizer)
            self._kvstore, self._update_on_kvstore = kv, update_on_kvstore
        else:
            self._kvstore = self._update_on_kvstore = None
        self._kv_initialized = True
        if self._distributed:
            # Earlier than MXNet (at the first step): every worker then starts from rank
            # 0's weights, not its own draw, before its first forward/backward.
            self._init_params()

    def _init_params(self):
        """Put the initialized Parameters into the store and start every copy of each from
        the store's value (rank 0's in a distributed job); deferred ones wait."""
        waiting = []
        if self._kvstore:
            for param in self._params_to_init:
                if param._deferred_init:
                    waiting.append(param)
                    continue
                arrays = param.list_data()
                idx = self._param2idx[param.name]
                self._kvstore.broadcast(idx, arrays[0], arrays)
        self._params_to_init = waiting

    def _prepare(self):
        """The store made, and the Parameters in it (every public entry point does this)."""
        if not self._kv_initialized:
            self._init_kvstore()
        if self._params_to_init:
            self._init_params()

    def _row_sparse_pull(self, parameter, out, row_id, full_idx=False):
        """Rows `row_id` of a Parameter's value from the store into `out` (MXNet's
        row_sparse_data path; here every copy already holds the whole value)."""
        self._prepare()
        idx = self._param2idx[parameter.name]
        if full_idx and 'dist' not in self._kvstore.type:
            self._kvstore.pull(idx, out=out, priority=-idx, ignore_sparse=False)
        else:
            self._kvstore.row_sparse_pull(idx, out=out, row_ids=row_id, priority=-idx)

    def _check_and_rescale_grad(self, scale):
        # MXNet sends the optimizer to the servers at the first step; a later batch size
        # would not reach them. (Our store is made before the first step for 'dist_*', so
        # the check starts after it.)
        if self._update_on_kvstore and self._distributed and self._kv_initialized and \
                self._dist_scale is not None:
            if self._dist_scale != scale:
                raise UserWarning("Possible change in the `batch_size` from previous `step` "
                                  "detected. Optimizer gradient normalizing factor will not "
                                  "change w.r.t new batch_size when update_on_kvstore=True "
                                  "and when distributed kvstore is used.")
        if self._distributed:
            self._dist_scale = scale
        self._optimizer.rescale_grad = scale

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
        self._check_and_rescale_grad(self._scale / batch_size)
        self._prepare()
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
        self._check_and_rescale_grad(self._scale / batch_size)
        self._update(ignore_stale_grad)

    def _check_not_on_kvstore(self, what):
        self._prepare()
        if self._kvstore and self._update_on_kvstore:
            raise AssertionError(f"{what} when parameters are updated on kvstore is not "
                                 "supported. Try setting `update_on_kvstore` to False when "
                                 "creating trainer.")

    def _allreduce_grads(self):
        """The one place gradients are aggregated: each becomes the sum over the
        Parameter's contexts (and, for 'dist_*', over the workers); updating on the store,
        the store's updated weight is copied to every context instead."""
        if not self._kvstore:
            return
        for i, param in enumerate(self._params):
            if param.grad_req == 'null':
                continue
            grads = param.list_grad()
            if self._update_on_kvstore:
                self._kvstore.pushpull(i, grads, out=param.list_data(), priority=-i)
                continue
            datas = param.list_data()
            fresh = [d._fresh_grad for d in datas]
            self._kvstore.pushpull(i, grads, priority=-i)
            for d, f in zip(datas, fresh):      # this write is not a backward: a gradient
                if not f:                       # stale before it stays stale
                    d._fresh_grad = False

    def _update(self, ignore_stale_grad=False):
        # Freshness is MXNet's NDArray._fresh_grad flag of each copy of the weight, which
        # backward sets (here: its gradient buffer was written since the flag was cleared).
        updates = [[] for _ in self._updaters]
        on_kv = self._kvstore and self._update_on_kvstore   # (the store has updated)
        for i, param in enumerate(self._params):
            if param.grad_req == 'null':
                continue
            for upd, arr, grad in zip(updates, param.list_data(), param.list_grad()):
                if arr._fresh_grad:
                    if not on_kv:
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
        # Cleared after the update (an optimizer may write into a gradient too). MXNet
        # quirk kept: updating on the kvstore never clears it, so a repeated step there is
        # not refused (it applies the old gradient again).
        for upd in updates:
            for _, _, arr in upd:
                arr._fresh_grad = False

    def save_states(self, fname):
        """Save the optimizer states and settings to `fname` (npz + JSON, never pickle).

        Parameters
        ----------
        fname : str
            Path to the output file.
        """
        self._prepare()
        if self._update_on_kvstore:
            if self._params_to_init:
                raise AssertionError("Cannot save trainer states when some parameters are "
                                     "not yet initialized in kvstore.")
            self._kvstore.save_optimizer_states(fname, dump_optimizer=True)
        else:
            atomic_write(fname, self._updaters[0].get_states(dump_optimizer=True))

    def load_states(self, fname):
        """Load optimizer states and settings written by `save_states`.

        Parameters
        ----------
        fname : str
            Path to the file.
        """
        self._prepare()
        if self._update_on_kvstore:
            self._kvstore.load_optimizer_states(fname)
            self._optimizer = self._kvstore._updater.optimizer
        else:
            with open(fname, 'rb') as f:
                states = f.read()
            for updater in self._updaters:
                updater.set_states(states)
                updater.optimizer = self._updaters[0].optimizer
            self._optimizer = self._updaters[0].optimizer
        self._optimizer.param_dict = dict(enumerate(self._params))
