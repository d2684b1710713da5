"""`mx.module.executor_group.DataParallelExecutorGroup`: one executor per context, each
batch split along its batch axis by workload, as MXNet's (Module binds through it).

Arrays are shared as MXNet's simple_bind shares them: a group bound with `shared_group`
uses that group's parameter and gradient arrays (`param_names`) and its
`shared_data_arrays`, one dict per context of the other inputs (data, labels, arguments
that are not parameters) by name, reused when large enough and added to otherwise.

The executors' arrays are dense whatever a variable's `stype` (regluon's executor computes
on dense tensors); Module keeps its own copies of the parameters in the declared storage.
"""
import logging
import math


from .. import ndarray as nd
from ..base import MXNetError
from ..context import Context, cpu
from ..io import DataDesc
from . import parallel

__all__ = ['DataParallelExecutorGroup']


def _prepare_group2ctxs(group2ctxs, ctx_len):
    """Per context, {ctx_group: Context} (MXNet's _prepare_group2ctxs)."""
    if group2ctxs is None:
        return [None] * ctx_len
    if isinstance(group2ctxs, list):
        assert len(group2ctxs) == ctx_len, f"length of group2ctxs should be {ctx_len}"
        return group2ctxs
    if isinstance(group2ctxs, dict):
        ret = [{} for _ in range(ctx_len)]
        for k, v in group2ctxs.items():
            if isinstance(v, Context):
                ctxs = [v] * ctx_len
            elif len(v) == 1:
                ctxs = list(v) * ctx_len
            else:
                assert len(v) == ctx_len, f"length of group2ctxs[{k}] should be {ctx_len} or 1"
                ctxs = v
            for i in range(ctx_len):
                ret[i][k] = ctxs[i]
        return ret
    raise AssertionError("group2ctxs should be list of dict of str to context, or dict of "
                         "str to context or list of context")


def _descs(shapes):
    return None if shapes is None else \
        [s if isinstance(s, DataDesc) else DataDesc(*s) for s in shapes]


def _view(arr, shape):
    """The first elements of `arr` as an array of `shape` (shares memory)."""
    if tuple(arr.shape) == tuple(shape):
        return arr
    return arr.reshape((-1,))[:math.prod(shape)].reshape(shape)


class DataParallelExecutorGroup:
    """Executors of `symbol` on `contexts`, sharing `shared_group`'s parameters."""

    def __init__(self, symbol, contexts, workload, data_shapes, label_shapes, param_names,
                 for_training, inputs_need_grad, shared_group=None, logger=logging,
                 fixed_param_names=None, grad_req='write', state_names=None, group2ctxs=None):
        self.param_names = list(param_names)
        self.arg_names = symbol.list_arguments()
        self.aux_names = symbol.list_auxiliary_states()
        self.symbol = symbol
        self.contexts = list(contexts)
        self.workload = list(workload) if workload is not None else [1] * len(self.contexts)
        self.group2ctxs = _prepare_group2ctxs(group2ctxs, len(self.contexts))
        self.for_training = for_training
        self.inputs_need_grad = inputs_need_grad
        self.logger = logger
        self._total_exec_bytes = 0
        self.fixed_param_names = list(fixed_param_names or [])
        self.state_names = list(state_names or [])
        if not for_training:
            grad_req = 'null'
        data_shapes = _descs(data_shapes)
        data_names = [x.name for x in data_shapes]

        def default(k, req):
            if k in self.param_names:
                return 'null' if k in self.fixed_param_names else req
            if k in data_names:
                return req if self.inputs_need_grad else 'null'
            return 'null'
        if isinstance(grad_req, str):
            self.grad_req = {k: default(k, grad_req) for k in self.arg_names}
        elif isinstance(grad_req, (list, tuple)):
            assert len(grad_req) == len(self.arg_names)
            self.grad_req = dict(zip(self.arg_names, grad_req))
        elif isinstance(grad_req, dict):
            self.grad_req = {k: default(k, 'write') for k in self.arg_names}
            self.grad_req.update(grad_req)
        else:
            raise ValueError("grad_req must be one of str, list, tuple, or dict.")
        self.shared_data_arrays = shared_group.shared_data_arrays if shared_group is not None \
            else [{} for _ in self.contexts]
        self.batch_size = self.slices = None
        self.execs = []
        self.data_arrays = self.label_arrays = self.param_arrays = self.state_arrays = None
        self.grad_arrays = self.aux_arrays = self.input_grad_arrays = None
        self.data_shapes = self.label_shapes = None
        self.data_names = self.label_names = None
        self.data_layouts = self.label_layouts = None
        self.output_names = symbol.list_outputs()
        self.num_outputs = len(self.output_names)
        self.output_layouts = [DataDesc.get_batch_axis(symbol[i].attr('__layout__'))
                               for i in range(self.num_outputs)]
        self.bind_exec(data_shapes, label_shapes, shared_group)

    # ---- binding ---------------------------------------------------------------------------
    def decide_slices(self, data_shapes):
        """The batch axis of each input; sets batch_size and each context's slice."""
        assert len(data_shapes) > 0
        major_axis = parallel.batch_axes(data_shapes)
        for desc, axis in zip(data_shapes, major_axis):
            if axis < 0:
                continue
            if self.batch_size is None:
                self.batch_size = desc.shape[axis]
                self.slices = parallel.split_input_slice(self.batch_size, self.workload)
            elif desc.shape[axis] != self.batch_size:
                raise AssertionError(f"all data must have the same batch size: batch_size = "
                                     f"{self.batch_size}, but {desc.name} has shape {desc.shape}")
        return major_axis

    def bind_exec(self, data_shapes, label_shapes, shared_group=None, reshape=False):
        """Bind one executor per context; with `reshape`, the parameters, their gradients
        and aux states stay the current executors' arrays."""
        assert reshape or not self.execs
        data_shapes, label_shapes = _descs(data_shapes), _descs(label_shapes)
        self.batch_size = None
        self.data_layouts = self.decide_slices(data_shapes)
        if label_shapes:
            self.label_layouts = self.decide_slices(label_shapes)
        if self.slices is None:     # no input has a batch axis: every context gets it all
            self.slices = [slice(0, 1)] * len(self.contexts)
        if reshape:
            sources = list(self.execs)
        elif shared_group is not None:
            assert len(shared_group.execs) >= len(self.contexts)
            sources = shared_group.execs
        else:
            sources = [None] * len(self.contexts)
        descs = data_shapes + (label_shapes or [])
        self.execs = [self._bind_ith_exec(i, descs, sources[i])
                      for i in range(len(self.contexts))]
        if reshape:     # as MXNet's Executor.reshape, a monitor callback stays installed
            for new, old in zip(self.execs, sources):
                if getattr(old, '_monitor', None) is not None:
                    new._monitor = old._monitor
        self.data_shapes = data_shapes
        self.label_shapes = label_shapes
        self.data_names = [d.name for d in data_shapes]
        if label_shapes is not None:
            self.label_names = [d.name for d in label_shapes]
        self._collect_arrays()

    def reshape(self, data_shapes, label_shapes):
        """Rebind for new input shapes, keeping the parameters."""
        data_shapes, label_shapes = _descs(data_shapes), _descs(label_shapes)
        if data_shapes == self.data_shapes and label_shapes == self.label_shapes:
            return
        self.bind_exec(data_shapes, label_shapes, reshape=True)

    def _ctx_of(self, i, name, attrs):
        group = attrs.get(name, {}).get('__ctx_group__')
        g2c = self.group2ctxs[i]
        return g2c[group] if g2c and group in g2c else self.contexts[i]

    def _bind_ith_exec(self, i, descs, src):
        """The executor of context i for its slice of the batch; parameters (and their
        gradients, aux states) are `src`'s arrays when given, the other arguments come from
        shared_data_arrays[i]."""
        part = self.slices[i]
        axes = parallel.batch_axes(descs)
        shapes = {d.name: parallel.sliced_shape(d.shape, a, part) for d, a in zip(descs, axes)}
        types = {d.name: d.dtype for d in descs}
        attrs = self.symbol.attr_dict()
        arg_shapes, _, aux_shapes = self.symbol.infer_shape_strict(**shapes)
        arg_types, _, aux_types = self.symbol.infer_type(**types)
        buffer = self.shared_data_arrays[i]
        arrays, grads, new_bytes = {}, {}, 0

        def alloc(shape, dtype, ctx):
            nonlocal new_bytes
            arr = nd.zeros(shape, ctx=ctx, dtype=dtype)
            new_bytes += math.prod(shape) * arr.to_torch().element_size()   # (bfloat16 too)
            return arr
        def from_buffer(key, shape, dtype, ctx):
            # MXNet's ReshapeOrCreate: a large enough array of the buffer, else a new one
            have = buffer.get(key)
            if have is not None and have.dtype == dtype and have.size >= math.prod(shape):
                return _view(have, shape)
            buffer[key] = alloc(shape, dtype, ctx)
            return buffer[key]

        for name, shape, dtype in zip(self.arg_names, arg_shapes, arg_types):
            shape = tuple(shape)
            ctx = self._ctx_of(i, name, attrs)
            req = self.grad_req[name]
            if name in self.param_names:
                if src is not None and name in src.arg_dict:
                    have = src.arg_dict[name]
                    if tuple(have.shape) != shape:
                        raise MXNetError(f"bind: parameter {name!r} has shape {shape} here "
                                         f"but {tuple(have.shape)} in the shared module")
                    arrays[name] = have
                    if req != 'null':
                        grads[name] = src.grad_dict[name] if src.grad_dict.get(name) \
                            is not None else alloc(shape, dtype, ctx)
                    continue
                arrays[name] = alloc(shape, dtype, ctx)
            else:
                arrays[name] = from_buffer(name, shape, dtype, ctx)
            if req != 'null':
                grads[name] = alloc(shape, dtype, ctx) if name in self.param_names else \
                    from_buffer('grad of ' + name, shape, dtype, ctx)
        aux = {}
        for name, shape, dtype in zip(self.aux_names, aux_shapes, aux_types):
            aux[name] = src.aux_dict[name] if src is not None and name in src.aux_dict \
                else alloc(tuple(shape), dtype, self._ctx_of(i, name, attrs))
        # as MXNet, which adds each executor's "Total N MB allocated" (whole megabytes)
        self._total_exec_bytes += new_bytes >> 20
        return self.symbol.bind(self.contexts[i], arrays, grads, dict(self.grad_req), aux)

    def _collect_arrays(self):
        execs = self.execs
        self.data_arrays = [[(self.slices[i], e.arg_dict[d.name]) for i, e in enumerate(execs)]
                            for d in self.data_shapes]
        self.state_arrays = [[e.arg_dict[n] for e in execs] for n in self.state_names]
        self.label_arrays = None if self.label_shapes is None else \
            [[(self.slices[i], e.arg_dict[d.name]) for i, e in enumerate(execs)]
             for d in self.label_shapes]
        self.param_arrays = [[e.arg_dict[n] for e in execs]
                             for n in self.arg_names if n in self.param_names]
        self.grad_arrays = [[e.grad_dict.get(n) for e in execs]
                            for n in self.arg_names if n in self.param_names] \
            if self.for_training else None
        self.input_grad_arrays = [[e.grad_dict.get(d.name) for e in execs]
                                  for d in self.data_shapes if d.name in self.arg_names] \
            if self.inputs_need_grad else None
        self.aux_arrays = [[e.aux_dict[n] for e in execs] for n in self.aux_names]

    # ---- parameters ------------------------------------------------------------------------
    def set_params(self, arg_params, aux_params, allow_extra=False):
        """Copy the parameters into every executor."""
        for e in self.execs:
            e.copy_params_from(arg_params, aux_params, allow_extra_params=allow_extra)

    def get_params(self, arg_params, aux_params):
        """Copy the parameters, averaged over the contexts, into `arg_params`/`aux_params`."""
        names = [n for n in self.arg_names if n in self.param_names]
        for targets, blocks, names in ((arg_params, self.param_arrays, names),
                                       (aux_params, self.aux_arrays, self.aux_names)):
            for name, block in zip(names, blocks):
                copies = [w.copyto(cpu()) for w in block]
                value = copies[0] if len(copies) == 1 else sum(copies) / len(copies)
                value.astype(targets[name].dtype).copyto(targets[name])

    # ---- computation -----------------------------------------------------------------------
    def _feed(self, i, arrays_list, descs, layouts):
        part = self.slices[i]
        return {d.name: parallel.take(arr, axis, part)
                for d, arr, axis in zip(descs, arrays_list, layouts)}

    def forward(self, data_batch, is_train=None):
        """Each executor runs on its slice of `data_batch` (labels when it has them)."""
        if is_train is None:
            is_train = self.for_training
        labels = getattr(data_batch, 'label', None)
        for i, e in enumerate(self.execs):
            feed = self._feed(i, data_batch.data, self.data_shapes, self.data_layouts)
            if labels and self.label_shapes:
                feed.update(self._feed(i, labels, self.label_shapes, self.label_layouts))
            e.forward(is_train=is_train, **feed)

    def get_output_shapes(self):
        shapes = [o.shape for o in self.execs[0].outputs]
        return [(n, parallel.sliced_shape(s, axis, slice(0, self.batch_size)))
                for n, s, axis in zip(self.output_names, shapes, self.output_layouts)]

    def get_outputs(self, merge_multi_context=True, begin=0, end=None):
        end = self.num_outputs if end is None else end
        outs = [[e.outputs[i] for e in self.execs] for i in range(begin, end)]
        return parallel.merge(outs, self.output_layouts[begin:end]) \
            if merge_multi_context else outs

    def get_states(self, merge_multi_context=True):
        assert not merge_multi_context, \
            "merge_multi_context=True is not supported for get_states yet."
        return self.state_arrays

    def set_states(self, states=None, value=None):
        """States from `states` ([[state1_dev1, state1_dev2], ...]) or the scalar `value`."""
        if states is not None:
            assert value is None, "Only one of states & value can be specified."
            for src, dsts in zip(states, self.state_arrays):
                for s, d in zip(src, dsts):
                    s.copyto(d)
        else:
            assert value is not None, "At least one of states & value must be specified."
            for dsts in self.state_arrays:
                for d in dsts:
                    d[:] = value

    def get_input_grads(self, merge_multi_context=True):
        assert self.inputs_need_grad
        if merge_multi_context:
            return parallel.merge(self.input_grad_arrays, self.data_layouts)
        return self.input_grad_arrays

    def backward(self, out_grads=None):
        """Each executor's backward with its slice of the head gradients `out_grads`."""
        assert self.for_training, 're-bind with for_training=True to run backward'
        if isinstance(out_grads, nd.NDArray):
            out_grads = [out_grads]
        for i, (e, part) in enumerate(zip(self.execs, self.slices)):
            e.backward(out_grads=None if out_grads is None else
                       [parallel.take(g, axis, part).as_in_context(self.contexts[i])
                        for g, axis in zip(out_grads, self.output_layouts)])

    def update_metric(self, eval_metric, labels, pre_sliced):
        """Accumulate `eval_metric` over each executor's outputs and its slice of labels."""
        labels = labels or []
        axes = self.label_layouts or []
        if len(axes) != len(labels):        # rebound without labels (predict): batch axis 0
            axes = [0] * len(labels)
        for k, (e, part) in enumerate(zip(self.execs, self.slices)):
            mine = labels[k] if pre_sliced else \
                [parallel.take(l, axis, part) for l, axis in zip(labels, axes)]
            eval_metric.update_dict(dict(zip(self.label_names or [], mine)),
                                    dict(zip(self.output_names, e.outputs)))

    def install_monitor(self, mon):
        """Install `mon` on every executor."""
        for e in self.execs:
            mon.install(e)
