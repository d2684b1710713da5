"""`mx.mod.Module`: a Symbol bound to one Executor per context (Symbol.bind) through a
DataParallelExecutorGroup (`_exec_group`, executor_group.py), with parameters, an optimizer
(regluon.optimizer's Updater) and metrics, as MXNet's Module.

Several contexts are data parallel as MXNet's executor group: each batch is split along its
batch axis by `work_load_list`, each slice runs on its context's executor, the gradients
are summed over contexts by a kvstore ('local' / 'device') that applies the optimizer, and
`get_outputs()` concatenates the slices. Across processes, `kvstore='dist_sync'` also
aggregates over workers, as MXNet.
"""
import logging
import warnings

from .. import kvstore as kvs
from .. import ndarray as nd
from .. import optimizer as opt
from ..context import Context, cpu
from ..initializer import InitDesc, Uniform
from ..io import DataDesc
from ..model import load_checkpoint
from .base_module import BaseModule
from . import parallel
from .executor_group import DataParallelExecutorGroup

__all__ = ['Module']


def _check_input_names(symbol, names, typename, throw):
    args = symbol.list_arguments()
    for name in names:
        if name in args:
            continue
        candidates = [a for a in args if not a.endswith(('_weight', '_bias', '_gamma', '_beta'))]
        msg = (f"You created Module with Module(..., {typename}_names={list(names)}) but input "
               f"with name '{name}' is not found in symbol.list_arguments(). Did you mean one "
               "of:\n\t" + '\n\t'.join(candidates))
        if throw:
            raise ValueError(msg)
        warnings.warn(msg)


def _create_kvstore(kvstore, num_device):
    """MXNet's rule: a store for several contexts, for 'dist*' names, or a given KVStore."""
    if kvstore is None or isinstance(kvstore, kvs.KVStore):
        return kvstore
    if not isinstance(kvstore, str):
        raise TypeError('kvstore must be KVStore, str or None')
    return kvs.create(kvstore) if num_device > 1 or 'dist' in kvstore else None


def _stype(attrs):
    stype = attrs.get('__storage_type__', 'default')
    return {'0': 'default', '1': 'row_sparse', '2': 'csr', '-1': 'default'}.get(stype, stype)


def _descs(shapes):
    return [s if isinstance(s, DataDesc) else DataDesc(*s) for s in shapes or []]


class Module(BaseModule):
    """A module over a Symbol.

    Parameters
    ----------
    symbol : Symbol
    data_names : list of str
        Names of the data inputs, default ('data',).
    label_names : list of str
        Names of the label inputs, default ('softmax_label',).
    context : Context or list of Context
        Default cpu(); with a list, each batch is split across the contexts.
    work_load_list : list of number
        The share of each context in a batch; default uniform.
    fixed_param_names : list of str
        Parameters that are not updated in training.
    state_names : list of str
        Inputs that are states, set by the user (set_states), not learned.
    """

    def __init__(self, symbol, data_names=('data',), label_names=('softmax_label',),
                 logger=logging, context=cpu(), work_load_list=None, fixed_param_names=None,
                 state_names=None, group2ctxs=None, compression_params=None):
        super().__init__(logger=logger)
        contexts = list(context) if isinstance(context, (list, tuple)) else [context]
        self._context = [c if isinstance(c, Context) else cpu() for c in contexts]
        self._work_load_list = list(work_load_list or [1] * len(self._context))
        if len(self._work_load_list) != len(self._context):   # MXNet asserts here
            raise AssertionError(f"work_load_list has {len(self._work_load_list)} entries but "
                             f"there are {len(self._context)} contexts")
        self._symbol = symbol
        self._data_names = list(data_names or [])
        self._label_names = list(label_names or [])
        self._state_names = list(state_names or [])
        self._fixed_param_names = list(fixed_param_names or [])
        _check_input_names(symbol, self._data_names, 'data', True)
        _check_input_names(symbol, self._label_names, 'label', False)
        _check_input_names(symbol, self._state_names, 'state', True)
        _check_input_names(symbol, self._fixed_param_names, 'fixed_param', True)
        inputs = set(self._data_names + self._label_names + self._state_names)
        self._param_names = [n for n in symbol.list_arguments() if n not in inputs]
        self._aux_names = symbol.list_auxiliary_states()
        self._output_names = symbol.list_outputs()
        self._output_axes = [DataDesc.get_batch_axis(symbol[i].attr('__layout__'))
                             for i in range(len(self._output_names))]
        self._arg_params = self._aux_params = None
        self._params_dirty = False
        self._exec_group = None
        self._total_exec_bytes = 0
        self._group2ctxs = group2ctxs
        self._data_shapes = self._label_shapes = None
        self._grad_req = 'write'
        self._optimizer = self._updater = self._kvstore = None
        self._update_on_kvstore = False
        self._preload_opt_states = None
        self._compression_params = compression_params

    # the executor group's executors and batch split (names other modules use)
    @property
    def _execs(self):
        return self._exec_group.execs if self._exec_group is not None else []

    @property
    def _slices(self):
        return self._exec_group.slices if self._exec_group is not None else None

    @property
    def _batch_size(self):
        return self._exec_group.batch_size if self._exec_group is not None else None

    @staticmethod
    def load(prefix, epoch, load_optimizer_states=False, **kwargs):
        """A Module from a checkpoint (`prefix-symbol.json`, `prefix-%04d.params`); bind it
        before use. Keyword arguments go to Module()."""
        sym, args, auxs = load_checkpoint(prefix, epoch)
        mod = Module(symbol=sym, **kwargs)
        mod._arg_params, mod._aux_params = args, auxs
        mod.params_initialized = True
        if load_optimizer_states:
            mod._preload_opt_states = f'{prefix}-{epoch:04d}.states'
        return mod

    def save_checkpoint(self, prefix, epoch, save_optimizer_states=False, remove_amp_cast=True):
        """Write `prefix-symbol.json` and `prefix-%04d.params` (and `.states`)."""
        self._symbol.save(f'{prefix}-symbol.json', remove_amp_cast=remove_amp_cast)
        param_name = f'{prefix}-{epoch:04d}.params'
        self.save_params(param_name)
        logging.info('Saved checkpoint to "%s"', param_name)
        if save_optimizer_states:
            state_name = f'{prefix}-{epoch:04d}.states'
            self.save_optimizer_states(state_name)
            logging.info('Saved optimizer state to "%s"', state_name)

    # ---- names and shapes ---------------------------------------------------------------
    @property
    def data_names(self):
        return self._data_names

    @property
    def label_names(self):
        return self._label_names

    @property
    def output_names(self):
        return self._output_names

    @property
    def data_shapes(self):
        assert self.binded
        return self._data_shapes

    @property
    def label_shapes(self):
        assert self.binded
        return self._label_shapes

    @property
    def output_shapes(self):
        assert self.binded
        if self._execs[0].outputs:
            return self._exec_group.get_output_shapes()
        shapes = self._symbol.infer_shape_strict(**self._shape_dict())[1]
        # as MXNet: an output's batch axis is reported as the batch size
        return [(n, parallel.sliced_shape(s, axis, slice(0, self._batch_size)))
                for n, s, axis in zip(self._output_names, shapes, self._output_axes)]

    # ---- parameters -----------------------------------------------------------------------
    def get_params(self):
        """(arg_params, aux_params): copies of the current values (averaged over contexts,
        as MXNet), by name."""
        assert self.params_initialized
        if self._params_dirty:
            for params, which in ((self._arg_params, 'arg_dict'), (self._aux_params, 'aux_dict')):
                for name, arr in params.items():
                    copies = [getattr(e, which)[name].as_in_context(cpu()) for e in self._execs]
                    value = copies[0] if len(copies) == 1 else sum(copies) / len(copies)
                    if arr.stype != 'default':      # a row_sparse parameter keeps its stype
                        arr._assign(value.astype(arr.dtype).to_torch())
                    else:
                        value.astype(arr.dtype).copyto(arr)
            self._params_dirty = False
        return self._arg_params, self._aux_params

    def init_params(self, initializer=Uniform(0.01), arg_params=None, aux_params=None,
                    allow_missing=False, force_init=False, allow_extra=False):
        """Initialize the parameters: values from arg_params/aux_params where given, else
        from `initializer` (MXNet's default Uniform(0.01)), in sorted name order."""
        if self.params_initialized and not force_init:
            warnings.warn("Parameters already initialized and force_init=False. "
                          "init_params call ignored.", stacklevel=2)
            return
        assert self.binded, 'call bind before initializing the parameters'
        attrs = self._symbol.attr_dict()

        def _impl(name, arr, cache):
            if cache is not None and name in cache:
                if cache[name] is not arr:
                    cache[name].copyto(arr)
            elif cache is not None and not allow_missing:
                raise RuntimeError(f"{name} is not presented")
            elif initializer is not None:
                initializer(InitDesc(name, attrs.get(name, None)), arr)

        for name, arr in sorted(self._arg_params.items()):
            _impl(name, arr, arg_params)
        for name, arr in sorted(self._aux_params.items()):
            _impl(name, arr, aux_params)
        self.params_initialized = True
        self._params_dirty = False
        # MXNet copies only the module's own parameters here: names it lacks are ignored
        # (set_params(allow_missing=True) copies the given dicts and refuses them instead)
        for e in self._execs:
            e.copy_params_from(self._arg_params, self._aux_params, allow_extra_params=allow_extra)

    def set_params(self, arg_params, aux_params, allow_missing=False, force_init=True,
                   allow_extra=False):
        """Assign parameter and aux state values by name."""
        if not self._set_params_here(arg_params, aux_params, allow_missing, force_init,
                                     allow_extra):
            return
        for e in self._execs:
            e.copy_params_from(arg_params, aux_params, allow_extra_params=allow_extra)
        self._params_dirty = True
        self.params_initialized = True

    # ---- binding ---------------------------------------------------------------------------
    def _shape_dict(self):
        return {d.name: d.shape for d in self._data_shapes + self._label_shapes}

    def bind(self, data_shapes, label_shapes=None, for_training=True, inputs_need_grad=False,
             force_rebind=False, shared_module=None, grad_req='write'):
        """Allocate one executor per context (a DataParallelExecutorGroup) for inputs of
        `data_shapes` and `label_shapes` (lists of DataDesc or (name, shape)). With
        `shared_module` (bucketing), the parameters, their gradients and aux states are the
        shared module's arrays."""
        if force_rebind:
            self.binded = False
            self._exec_group = None
        if self.binded:
            self.logger.warning('Already bound, ignoring bind()')
            return
        self.for_training, self.inputs_need_grad = for_training, inputs_need_grad
        self._grad_req = grad_req
        shared_group = None
        if shared_module is not None:
            assert shared_module.binded and shared_module.params_initialized, \
                'shared_module must be bound and have its parameters initialized'
            shared_group = shared_module._exec_group
        data_shapes, label_shapes = self._check_shapes(data_shapes, label_shapes)
        self._exec_group = DataParallelExecutorGroup(
            self._symbol, self._context, self._work_load_list, data_shapes,
            label_shapes or None, self._param_names, for_training, inputs_need_grad,
            shared_group, logger=self.logger, fixed_param_names=self._fixed_param_names,
            grad_req=grad_req, state_names=self._state_names, group2ctxs=self._group2ctxs)
        self._total_exec_bytes = self._exec_group._total_exec_bytes
        self._data_shapes, self._label_shapes = data_shapes, label_shapes
        self.binded = True
        if shared_module is not None:
            self._arg_params, self._aux_params = shared_module.get_params()
            self.params_initialized = True
            if shared_module.optimizer_initialized:
                self.borrow_optimizer(shared_module)
        elif self.params_initialized:
            # re-binding, or parameters from Module.load: copy them in
            self._exec_group.set_params(self._arg_params, self._aux_params)
        else:
            # as MXNet: the module's copies take the executors' shapes and types, and the
            # storage type the variables declare (stype='row_sparse')
            attrs = self._symbol.attr_dict()
            self._arg_params = {n: nd.zeros(a[0].shape, ctx=cpu(), dtype=a[0].dtype,
                                            stype=_stype(attrs.get(n, {})))
                                for n, a in zip(self._param_names,
                                                self._exec_group.param_arrays)}
            self._aux_params = {n: nd.zeros(a[0].shape, ctx=cpu(), dtype=a[0].dtype)
                                for n, a in zip(self._aux_names, self._exec_group.aux_arrays)}

    def _check_shapes(self, data_shapes, label_shapes):
        data_shapes, label_shapes = _descs(data_shapes), _descs(label_shapes)
        names = [d.name for d in data_shapes]
        if sorted(names) != sorted(self._data_names):
            raise ValueError(f"Data provided by data_shapes don't match names specified by "
                             f"data_names ({names} vs. {self._data_names})")
        args = set(self._symbol.list_arguments())
        return data_shapes, [d for d in label_shapes if d.name in args]

    def reshape(self, data_shapes, label_shapes=None):
        """Rebind for new input shapes, keeping the parameters."""
        assert self.binded
        data_shapes, label_shapes = self._check_shapes(data_shapes, label_shapes)
        self._exec_group.reshape(data_shapes, label_shapes or None)
        self._data_shapes, self._label_shapes = data_shapes, label_shapes

    # ---- optimizer -------------------------------------------------------------------------
    def init_optimizer(self, kvstore='local', optimizer='sgd',
                       optimizer_params=(('learning_rate', 0.01),), force_init=False):
        """Create the optimizer; `rescale_grad` defaults to 1/batch_size as in MXNet."""
        if not self._optimizer_wanted(force_init,
                                      'optimizer already initialized, ignoring...'):
            return
        num_device = len(self._context)
        kv = _create_kvstore(kvstore, num_device)
        batch_size = self._batch_size
        if kv is not None and 'dist' in kv.type and '_sync' in kv.type:
            batch_size *= kv.num_workers
        rescale_grad = 1.0 / batch_size
        # MXNet's update_on_kvstore: with a store, the store applies the optimizer; without
        # one, each context updates its own copy under its own index (i * num_device + k)
        self._update_on_kvstore = kv is not None
        idx2name = dict(enumerate(self._param_names)) if kv is not None or num_device == 1 else \
            {i * num_device + k: n for k in range(num_device)
             for i, n in enumerate(self._param_names)}
        if isinstance(optimizer, str):
            params = dict(optimizer_params)
            params.setdefault('rescale_grad', rescale_grad)
            optimizer = opt.create(optimizer, sym=self.symbol, param_idx2name=idx2name, **params)
        else:
            if not isinstance(optimizer, opt.Optimizer):
                raise TypeError(f"init_optimizer: optimizer must be a name or an "
                                f"mx.optimizer.Optimizer, got {type(optimizer).__name__}")
            if optimizer.rescale_grad != rescale_grad:
                warnings.warn("Optimizer created manually outside Module but rescale_grad is not "
                              f"normalized to 1.0/batch_size/num_workers ({optimizer.rescale_grad}"
                              f" vs. {rescale_grad}). Is this intended?", stacklevel=2)
            if not optimizer.idx2name:
                optimizer.idx2name = idx2name.copy()
                optimizer.set_wd_mult({})
        self._optimizer = optimizer
        self._kvstore = kv
        self._updater = None if kv is not None else opt.get_updater(optimizer)
        if kv is not None:
            if self._compression_params:
                kv.set_gradient_compression(self._compression_params)
            kv.set_optimizer(optimizer)
            arg_params, _ = self.get_params()
            for name in self._param_names:
                kv.init(name, arg_params[name])          # rank 0's values win
                kv.pull(name, [e.arg_dict[name] for e in self._execs])
        self.optimizer_initialized = True
        if self._preload_opt_states is not None:
            self.load_optimizer_states(self._preload_opt_states)
            self._preload_opt_states = None

    def borrow_optimizer(self, shared_module):
        """Use `shared_module`'s optimizer, kvstore and updater (bucketing)."""
        assert shared_module.optimizer_initialized
        self._optimizer = shared_module._optimizer
        self._kvstore = shared_module._kvstore
        self._update_on_kvstore = shared_module._update_on_kvstore
        self._updater = shared_module._updater
        self.optimizer_initialized = True

    def save_optimizer_states(self, fname):
        """Write the optimizer states (regluon's safe format, not MXNet's pickle)."""
        assert self.optimizer_initialized
        if self._kvstore is not None:
            self._kvstore.save_optimizer_states(fname)
            return
        with open(fname, 'wb') as f:
            f.write(self._updater.get_states())

    def load_optimizer_states(self, fname):
        """Read the optimizer states save_optimizer_states wrote."""
        assert self.optimizer_initialized
        if self._kvstore is not None:
            self._kvstore.load_optimizer_states(fname)
            return
        with open(fname, 'rb') as f:
            self._updater.set_states(f.read())

    # ---- computation -----------------------------------------------------------------------
    def forward(self, data_batch, is_train=None):
        """Run the graph on a DataBatch, each context on its slice (rebinding if the
        batch's shapes differ)."""
        assert self.binded and self.params_initialized
        # MXNet's prediction recipe passes namedtuple('Batch', ['data']): no label field
        labels = getattr(data_batch, 'label', None)
        new_shapes = tuple(a.shape for a in data_batch.data)
        if tuple(tuple(d.shape) for d in self._data_shapes) != new_shapes:
            dshapes = getattr(data_batch, 'provide_data', None) or \
                [DataDesc(d.name, s, d.dtype, d.layout) for d, s in zip(self._data_shapes, new_shapes)]
            lshapes = getattr(data_batch, 'provide_label', None) or \
                [DataDesc(d.name, l.shape, d.dtype, d.layout)
                 for d, l in zip(self._label_shapes, labels or [])]
            self.reshape(dshapes, lshapes)
        self._exec_group.forward(data_batch, is_train)

    def backward(self, out_grads=None):
        """Gradients of the outputs into each context's gradient arrays."""
        assert self.binded and self.params_initialized
        self._exec_group.backward(out_grads=out_grads)

    def update(self):
        """One optimizer step on every parameter that has a gradient, the gradients summed
        over the contexts first."""
        assert self.binded and self.params_initialized and self.optimizer_initialized
        self._params_dirty = True
        grad_dict = self._execs[0].grad_dict
        idx = [i for i, n in enumerate(self._param_names) if n in grad_dict]
        names = [self._param_names[i] for i in idx]
        if self._update_on_kvstore:
            for name in names:
                self._kvstore.push(name, [e.grad_dict[name] for e in self._execs])
                self._kvstore.pull(name, [e.arg_dict[name] for e in self._execs])
            return
        num_device = len(self._execs)
        for k, e in enumerate(self._execs):
            self._updater([i * num_device + k for i in idx], [e.grad_dict[n] for n in names],
                          [e.arg_dict[n] for n in names])

    def get_outputs(self, merge_multi_context=True):
        """The outputs of the last forward: concatenated over the contexts, or per output a
        list with one array per context."""
        assert self.binded and self.params_initialized
        return self._exec_group.get_outputs(merge_multi_context=merge_multi_context)

    def get_input_grads(self, merge_multi_context=True):
        """Gradients of the data inputs (bind with inputs_need_grad=True)."""
        assert self.binded and self.params_initialized and self.inputs_need_grad
        return self._exec_group.get_input_grads(merge_multi_context=merge_multi_context)

    def get_states(self, merge_multi_context=True):
        assert self.binded and self.params_initialized
        states = [[e.arg_dict[n] for e in self._execs] for n in self._state_names]
        return parallel.merge(states, [0] * len(states)) if merge_multi_context else states

    def set_states(self, states=None, value=None):
        """Set the states from `states` (per state, an array or one array per context) or
        to the scalar `value`."""
        assert self.binded and self.params_initialized
        for i, n in enumerate(self._state_names):
            for k, (e, part) in enumerate(zip(self._execs, self._slices)):
                if states is None:
                    e.arg_dict[n][:] = value
                elif isinstance(states[i], (list, tuple)):
                    e.arg_dict[n][:] = states[i][k]
                else:
                    e.arg_dict[n][:] = parallel.take(states[i], 0, part) \
                        if len(self._execs) > 1 else states[i]

    def update_metric(self, eval_metric, labels, pre_sliced=False):
        """Accumulate `eval_metric` over the last outputs and `labels`, context by context."""
        self._exec_group.update_metric(eval_metric, labels, pre_sliced)

    def install_monitor(self, mon):
        """Install `mon` (mx.monitor.Monitor) on this module's executors."""
        assert self.binded
        self._exec_group.install_monitor(mon)
