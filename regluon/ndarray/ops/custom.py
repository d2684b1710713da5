"""`Custom`: runs an operator written in Python (`mx.operator`, regluon/operator.py).

The kernel builds the registered CustomOpProp from the keyword arguments (as strings, as
MXNet passes them), infers the outputs' shapes and types through it, and runs the
CustomOp's forward inside one torch.autograd.Function, whose backward calls the CustomOp's
backward: recorded inside autograd.record() (and in symbolic/hybridized graphs, which call
this kernel), a plain forward outside it. Auxiliary states are inputs after the arguments,
updated in place and never differentiated.
"""
import torch

from ..register import op, outside_compiled_graphs
from ... import operator as _operator
from ... import autograd as _ag
from ...base import MXNetError, torch_dtype, np_dtype


def _make_prop(op_type, settings):
    if op_type is None:
        raise MXNetError("Custom: the argument op_type (the registered name of the "
                         "operator) is required")
    cls = _operator._prop_class(op_type)
    return cls(**{k: str(v) for k, v in settings.items()})


def _split(op_type, data, kwargs):
    """(prop, array inputs in arguments-then-aux order, number of arguments)."""
    named = {k: v for k, v in kwargs.items() if isinstance(v, torch.Tensor)}
    settings = {k: v for k, v in kwargs.items() if k not in named}
    prop = _make_prop(op_type, settings)
    args, aux = list(prop.list_arguments()), list(prop.list_auxiliary_states())
    slots = args + aux
    inputs = list(data)
    for name in slots[len(inputs):]:
        if name in named:
            inputs.append(named.pop(name))
    if named or len(inputs) != len(slots):
        raise MXNetError(f"Custom {op_type!r}: expected the inputs {slots} (arguments then "
                         f"auxiliary states), got {len(data)} positional and the named "
                         f"{sorted(k for k in kwargs if isinstance(kwargs[k], torch.Tensor))}")
    return prop, inputs, len(args)


def _infer(prop, op_type, arg_tensors):
    """(output shapes, output torch dtypes) from the Prop's infer_shape and infer_type."""
    res = prop.infer_shape([list(t.shape) for t in arg_tensors])
    out_shapes = res[1]
    tres = prop.infer_type([np_dtype(t.dtype) for t in arg_tensors])
    out_types = tres[1]
    n_out = len(prop.list_outputs())
    if len(out_shapes) != n_out or len(out_types) != n_out:
        raise MXNetError(f"Custom {op_type!r}: infer_shape/infer_type gave "
                         f"{len(out_shapes)}/{len(out_types)} outputs, list_outputs has {n_out}")
    return [tuple(int(d) for d in s) for s in out_shapes], [torch_dtype(d) for d in out_types]


def _failed(cop, what, e):
    """MXNet reports an error in a CustomOp's Python code as an MXNetError."""
    return MXNetError(f"Custom operator {type(cop).__name__}.{what} failed: "
                      f"{type(e).__name__}: {e}")


class _CustomFunction(torch.autograd.Function):
    """One CustomOp call as one node of torch's graph."""

    @staticmethod
    def forward(ctx, cop, prop, n_args, specs, *tensors):  # pylint: disable=arguments-differ
        from ..ndarray import _box
        ins = [t.detach() for t in tensors]
        in_data, aux = [_box(t) for t in ins[:n_args]], [_box(t) for t in ins[n_args:]]
        out_data = [_box(torch.zeros(s, dtype=d, device=ins[0].device if ins else None))
                    for s, d in zip(*specs)]
        prev = _ag.set_recording(False)
        try:
            cop.forward(is_train=_ag.is_training(), req=['write'] * len(out_data),
                        in_data=in_data, out_data=out_data, aux=aux)
        except MXNetError:
            raise
        except Exception as e:  # pylint: disable=broad-except
            raise _failed(cop, 'forward', e) from e
        finally:
            _ag.set_recording(prev)
        for box, t in zip(aux, ins[n_args:]):     # aux states are updated in place
            if box._t is not t:
                t.copy_(box._t)
        outs = [o._t for o in out_data]
        ctx.cop, ctx.n_args = cop, n_args
        ctx.in_data, ctx.aux = [b._t for b in in_data], [b._t for b in aux]
        ctx.outs = [o.detach() for o in outs]
        return tuple(o.view_as(o) if any(o is t for t in tensors) else o for o in outs)

    @staticmethod
    def backward(ctx, *grads):  # pylint: disable=arguments-differ
        from ..ndarray import _box
        n_args = ctx.n_args
        out_grad = [_box(g if g is not None else torch.zeros_like(o))
                    for g, o in zip(grads, ctx.outs)]
        in_grad = [_box(torch.zeros_like(t)) for t in ctx.in_data]
        need = ctx.needs_input_grad[4:4 + n_args]
        prev = _ag.set_recording(False)
        try:
            ctx.cop.backward(req=['write' if n else 'null' for n in need], out_grad=out_grad,
                             in_data=[_box(t) for t in ctx.in_data],
                             out_data=[_box(t) for t in ctx.outs], in_grad=in_grad,
                             aux=[_box(t) for t in ctx.aux])
        except MXNetError:
            raise
        except Exception as e:  # pylint: disable=broad-except
            raise _failed(ctx.cop, 'backward', e) from e
        finally:
            _ag.set_recording(prev)
        return (None, None, None, None) + tuple(g._t if n else None
                                                for g, n in zip(in_grad, need)) + \
            (None,) * len(ctx.aux)


@outside_compiled_graphs
def _apply(*args):
    """Python code on NDArrays: a compiled (static_alloc, static_shape) hybridized graph
    runs it outside torch.compile's graph, not failing to compile it."""
    return _CustomFunction.apply(*args)


@op
def Custom(*data, op_type=None, **kwargs):
    """Apply the custom operator registered as `op_type` (`mx.operator.register`) to the
    inputs (its arguments, then its auxiliary states; positional or by their names). The
    other keyword arguments reach the operator's CustomOpProp as strings."""
    prop, inputs, n_args = _split(op_type, data, kwargs)
    specs = _infer(prop, op_type, inputs[:n_args])
    if any(t.device.type == 'meta' for t in inputs):      # shape inference only
        outs = [torch.empty(s, dtype=d, device='meta') for s, d in zip(*specs)]
    else:
        from ...context import context_of
        device = inputs[0].device if inputs else torch.device('cpu')
        cop = prop.create_operator(context_of(device),
                                   [list(t.shape) for t in inputs[:n_args]],
                                   [np_dtype(t.dtype) for t in inputs[:n_args]])
        outs = _apply(cop, prop, n_args, specs, *inputs)
    return outs[0] if len(outs) == 1 else list(outs)


def output_names(kwargs):
    """The output names (the CustomOpProp's list_outputs) of a `Custom` node with these
    keyword arguments (the symbol layer's output count and names)."""
    settings = {k: v for k, v in kwargs.items() if k != 'op_type' and
                not hasattr(v, '_outputs') and type(v).__name__ != 'In' and
                not isinstance(v, torch.Tensor)}
    return list(_make_prop(kwargs.get('op_type'), settings).list_outputs())


def shape_rule(kw, d):
    """The symbol layer's shape rule (symbol/shapes.py RULES): the shapes of a `Custom`
    node's other inputs from its first input's shape `d`, by the Prop's infer_shape (MXNet
    passes unknown shapes as empty). Keys: the Prop's input names (as sym.Custom names
    the inputs) and 'arg<i>' (as a graph loaded from JSON names them)."""
    prop = _make_prop(kw.get('op_type'), {k: v for k, v in kw.items() if k != 'op_type' and
                                          type(v).__name__ != 'In'})
    args, aux = list(prop.list_arguments()), list(prop.list_auxiliary_states())
    res = prop.infer_shape([list(d)] + [[] for _ in args[1:]])
    shapes = [tuple(int(x) for x in s) for s in list(res[0]) + list(res[2] if len(res) > 2
                                                                     else [])]
    out = {}
    for i, (name, shp) in enumerate(zip(args + aux, shapes)):
        if shp:
            out[name] = shp
            out.setdefault(f'arg{i}', shp)
    return out


def aux_slots(node):
    """Which inputs of a `Custom` graph node are its Prop's auxiliary states: those after
    its arguments (positional) or named as auxiliary states."""
    prop = _make_prop(node.kwargs.get('op_type'),
                      {k: v for k, v in node.kwargs.items() if k != 'op_type' and
                       type(v).__name__ != 'In'})
    n_args, aux = len(prop.list_arguments()), set(prop.list_auxiliary_states())
    slots = [j for j, a in enumerate(node.args) if type(a).__name__ == 'In' and j >= n_args]
    slots = [node.args[j].i for j in slots]
    slots += [v.i for k, v in node.kwargs.items() if k in aux and type(v).__name__ == 'In']
    return sorted(slots)


def input_names(kwargs):
    """The inputs (arguments, then auxiliary states) of a `Custom` node with these keyword
    arguments: sym.Custom names its inputs so, and creates `<name>_<input>` variables for
    the ones not given (MXNet's `softmax_label`)."""
    settings = {k: v for k, v in kwargs.items() if k != 'op_type' and
                not hasattr(v, '_outputs') and type(v).__name__ != 'In' and
                not isinstance(v, torch.Tensor)}
    prop = _make_prop(kwargs.get('op_type'), settings)
    return tuple(prop.list_arguments()) + tuple(prop.list_auxiliary_states())
