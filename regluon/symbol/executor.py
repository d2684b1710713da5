"""`Symbol.bind`/`simple_bind` executors: forward and backward over a graph, with the
argument, gradient and auxiliary arrays by name, as MXNet's Executor."""
import math

import torch

from .. import autograd
from ..base import MXNetError
from ..ndarray.ndarray import NDArray, _box
from . import graph, unknown_dims


class Executor:
    """Runs a bound Symbol; `arg_dict`, `grad_dict`, `aux_dict`, `outputs` as in MXNet."""

    _monitor = None         # graph.evaluate's per-node hook, from set_monitor_callback

    def __init__(self, symbol, ctx, args, args_grad=None, grad_req='write', aux_states=None):
        self._symbol = symbol
        self._ctx = ctx
        arg_names = symbol.list_arguments()
        aux_names = symbol.list_auxiliary_states()
        self.arg_dict = _named(arg_names, args, 'args')
        self.aux_dict = _named(aux_names, aux_states or {}, 'aux_states')
        self.grad_dict = _named(arg_names, args_grad, 'args_grad') if args_grad is not None \
            else {}
        reqs = grad_req if isinstance(grad_req, dict) else \
            dict(zip(arg_names, grad_req if isinstance(grad_req, (list, tuple))
                     else [grad_req] * len(arg_names)))
        self._has_grads, self._reqs = False, reqs
        for name, g in self.grad_dict.items():
            req = reqs.get(name, 'write')
            if g is not None and req != 'null':
                autograd.mark_variables(self.arg_dict[name], g, req)
                self._has_grads = True
        self._order = graph.topo_order(symbol._outputs)
        self._resolved = {}     # sizes MXNet infers for sym.zeros((0, n)) nodes (RNN states)
        if unknown_dims.has_placeholders(self._order):
            feed = {**self.arg_dict, **self.aux_dict}
            symbol._infer({k: tuple(v.shape) for k, v in feed.items()}, {}, True,
                          self._resolved)
        # MXNet's outputs are arrays of the executor, written by each forward (and shared
        # by reshape): made on first use; _heads are the last forward's results, in its graph
        self._outputs, self._heads = None, []

    @property
    def outputs(self):
        """The output arrays; each forward writes its results into them."""
        if self._outputs is None:
            self._outputs = self._alloc_outputs()
        return self._outputs

    def _alloc_outputs(self, shapes=None):
        """Zero arrays of the outputs' inferred shapes and types ([] if they do not follow)."""
        from .. import ndarray as nd
        try:
            if shapes is None:
                shapes = self._symbol.infer_shape_strict(
                    **{k: tuple(v.shape) for k, v in self.arg_dict.items()})[1]
            types = self._symbol.infer_type(**{k: v.dtype for k, v in self.arg_dict.items()})[1]
        except Exception:  # pylint: disable=broad-except
            return []       # (the first forward's results become the outputs)
        if not shapes or not types or any(not s or 0 in s for s in shapes):
            return []
        return [nd.zeros(s, ctx=self._ctx, dtype=t) for s, t in zip(shapes, types)]

    def set_monitor_callback(self, callback, monitor_all=False):
        """`callback(name: bytes, NDArray)` for each node's outputs in forward (`<node>_output`)
        and the gradients of its inputs in backward (`<node>_backward_output<i>`); with
        `monitor_all`, its inputs too (mx.monitor.Monitor installs one)."""
        from ..monitor import node_hook  # pylint: disable=import-outside-toplevel
        self._monitor = node_hook(callback, monitor_all)

    @property
    def arg_arrays(self):
        return [self.arg_dict[n] for n in self._symbol.list_arguments()]

    @property
    def grad_arrays(self):
        return [self.grad_dict.get(n) for n in self._symbol.list_arguments()]

    @property
    def aux_arrays(self):
        return [self.aux_dict[n] for n in self._symbol.list_auxiliary_states()]

    @property
    def output_dict(self):
        return dict(zip(self._symbol.list_outputs(), self.outputs))

    def forward(self, is_train=False, **kwargs):
        """Run the graph; keyword arrays are copied into the bound arguments first."""
        for k, v in kwargs.items():
            if k not in self.arg_dict:
                raise MXNetError(f"forward: unknown argument {k!r}")
            self.arg_dict[k][:] = v
        self._heads = []        # frees the previous forward's graph before this one runs
        feed = {k: v._t for k, v in {**self.arg_dict, **self.aux_dict}.items()}
        # MXNet: an executor bound with gradient arrays can run backward() after
        # forward(is_train=False) too (its graph always has the backward pass), so its
        # forward is recorded, in predict mode
        scope = autograd.record(train_mode=True) if is_train else \
            autograd.record(train_mode=False) if self._has_grads else autograd.pause(False)
        with scope:
            outs = graph.evaluate(self._symbol._outputs, feed, self._order, self._resolved,
                                  monitor=self._monitor)
        self._heads = [_box(t) for t in outs]
        bound = self._outputs
        if not bound or len(bound) != len(outs):
            # no arrays yet: the results (out of the graph) become them
            self._outputs = [_box(t.detach(), h._ctx) for t, h in zip(outs, self._heads)]
            return self._outputs
        with torch.no_grad():
            for i, t in enumerate(outs):
                o = bound[i]._t
                if o.shape == t.shape and o.dtype == t.dtype and o.device == t.device:
                    o.copy_(t)
                else:       # a result of another shape or type than inferred: it replaces
                    bound[i] = _box(t.detach(), self._heads[i]._ctx)
        return bound

    def backward(self, out_grads=None, is_train=True):
        """Gradients of the outputs (head gradients `out_grads`) into `grad_dict`."""
        if isinstance(out_grads, NDArray):
            out_grads = [out_grads]
        heads = self._heads
        keys = [(id(node), i) for node, i in self._symbol._outputs]
        if out_grads is not None and len(set(keys)) < len(keys):
            # a Group that repeats an output: MXNet takes that output's last head gradient
            keep = sorted({k: j for j, k in enumerate(keys)}.values())
            heads, out_grads = [heads[j] for j in keep], [out_grads[j] for j in keep]
        if not any(a._t.requires_grad for a in self.arg_dict.values()):
            return      # every grad_req is 'null' (or no gradient arrays): nothing to do
        # an output no argument reaches by a gradient (argmax, topk indices, zeros_like,
        # shape_array) has a zero gradient in MXNet: leave it out of torch's backward
        keep = [j for j, h in enumerate(heads) if h._t.requires_grad]
        if len(keep) < len(heads):
            heads = [heads[j] for j in keep]
            out_grads = None if out_grads is None else [out_grads[j] for j in keep]
        if not heads:
            for name, g in self.grad_dict.items():
                if g is not None and self._reqs.get(name, 'write') == 'write':
                    g[:] = 0
            return
        # MXNet's executor may run backward again on the same forward: the graph is kept
        # until the next forward drops it
        autograd.backward(heads, out_grads, retain_graph=True, train_mode=is_train)

    def reshape(self, partial_shaping=False, allow_up_sizing=False, **kwargs):
        """An executor of the same graph for new input shapes (`kwargs`: name -> shape),
        sharing this one's arrays as MXNet's does: an array of unchanged shape is the same
        array, a smaller one a view of the first elements (writes show in both), a larger
        one new memory (only with `allow_up_sizing`). Changing the shape of an argument
        not named in `kwargs` needs `partial_shaping`. They share state: do not run them
        in parallel."""
        arg_shapes, out_shapes, aux_shapes = self._symbol.infer_shape_strict(**kwargs)

        def share(name, arr, shape, kind):
            if arr is None or tuple(shape) == tuple(arr.shape):
                return arr
            if not (partial_shaping or name in kwargs):
                raise MXNetError(
                    f"Shape of unspecified array {kind}:{name} changed. This can cause the "
                    "new executor to not share parameters with the old one. Please check "
                    "for error in network. If this is intended, set partial_shaping=True "
                    "to suppress this warning.")
            size = math.prod(shape)
            if size > arr.size:
                if not allow_up_sizing:
                    raise MXNetError(
                        f"New shape of {kind}:{name} larger than original. First making a "
                        "big executor and then down sizing it is more efficient than the "
                        "reverse. If you really want to up size, set allow_up_sizing=True "
                        "to enable allocation of new arrays.")
                return _box(torch.zeros(tuple(shape), dtype=arr._t.dtype,
                                        device=arr._t.device), arr._ctx)
            return _box(arr._t.detach().reshape(-1)[:size].view(tuple(shape)), arr._ctx)
        names = self._symbol.list_arguments()
        args = {n: share(n, self.arg_dict[n], s, 'arg') for n, s in zip(names, arg_shapes)}
        grads = {n: share(n, self.grad_dict.get(n), s, 'arg')
                 for n, s in zip(names, arg_shapes)} if self.grad_dict else None
        aux = {n: share(n, self.aux_dict[n], s, 'aux')
               for n, s in zip(self._symbol.list_auxiliary_states(), aux_shapes)}
        exe = Executor(self._symbol, self._ctx, args, grads, self._reqs, aux)
        exe._monitor = self._monitor        # as MXNet's, a monitor callback stays installed
        # outputs: views of this one's where they fit (MXNet shares their memory), else new
        old = self.outputs
        new = exe._alloc_outputs(out_shapes)
        exe._outputs = [_box(o._t.detach().reshape(-1)[:n._t.numel()].view(n._t.shape),
                             o._ctx)
                        if o.dtype == n.dtype and n.size <= o.size else n
                        for o, n in zip(old, new)] if len(old) == len(new) else new
        return exe

    def copy_params_from(self, arg_params, aux_params=None, allow_extra_params=False):
        for src, dst, what in ((arg_params, self.arg_dict, '"{}" that is not in the arguments'),
                               (aux_params or {}, self.aux_dict,
                                '{} that is not in the auxiliary states')):
            for name, arr in src.items():
                if name in dst:
                    dst[name][:] = arr
                elif not allow_extra_params:
                    # MXNet's type and words (Module.set_params callers catch ValueError)
                    raise ValueError('Find name ' + what.format(name))


def _named(names, arrays, what):
    if isinstance(arrays, dict):     # as MXNet, names the symbol does not have are ignored
        return {n: arrays[n] for n in names if n in arrays}
    arrays = list(arrays)
    if len(arrays) != len(names):
        raise MXNetError(f"bind: {what} has {len(arrays)} arrays but the symbol has "
                         f"{len(names)}: {names}")
    return dict(zip(names, arrays))


def simple_bind(symbol, ctx, grad_req, type_dict, shapes):
    """Allocate zero arrays of the inferred shapes (and gradients) and bind them."""
    from .. import ndarray as nd
    arg_shapes, _, aux_shapes = symbol.infer_shape_strict(**shapes)
    # MXNet infers the other arguments' types from type_dict (a float64 data, float64 weights)
    arg_types, _, aux_types = symbol.infer_type(**type_dict)
    names = symbol.list_arguments()
    args = {n: nd.zeros(s, ctx=ctx, dtype=t) for n, s, t in zip(names, arg_shapes, arg_types)}
    reqs = grad_req if isinstance(grad_req, dict) else dict(zip(
        names, grad_req if isinstance(grad_req, (list, tuple)) else [grad_req] * len(names)))
    # as MXNet, no gradient array for a 'null' argument (grad_dict/grad_arrays hold None)
    grads = {n: nd.zeros(s, ctx=ctx, dtype=t) if reqs.get(n, 'write') != 'null' else None
             for n, s, t in zip(names, arg_shapes, arg_types)}
    aux = {n: nd.zeros(s, ctx=ctx, dtype=t)
           for n, s, t in zip(symbol.list_auxiliary_states(), aux_shapes, aux_types)}
    return Executor(symbol, ctx, args, grads, grad_req, aux)
