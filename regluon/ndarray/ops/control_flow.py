"""MXNet's control flow: `contrib.foreach`, `contrib.while_loop` and `contrib.cond`.

Imperatively (`nd.contrib.*`) they are Python loops over NDArray operators, as in MXNet's
python/mxnet/ndarray/contrib.py, so autograd records every step. Symbolically
(`sym.contrib.*`, `F.contrib.*` in a hybridized block) the body is traced once into a
subgraph (`Subgraph`) and the loop is one graph node (`_foreach`, `_while_loop`, `_cond`,
MXNet's operator names) whose kernel runs the subgraph's nodes on tensors; torch's autograd
records through it like any kernel. As in MXNet, the nodes the body creates belong to the
subgraph (they carry the attribute `__subgraph_name__`); the body's other inputs (outer
variables such as a block's Parameters, or outer nodes) become inputs of the loop node.
"""
import itertools

import torch

from ...base import MXNetError
from ...attribute import AttrScope
from ..ndarray import NDArray
from ..register import op

__all__ = ['foreach', 'while_loop', 'cond', 'sym_foreach', 'sym_while_loop', 'sym_cond']


class ControlFlowValueError(MXNetError, ValueError):
    """A bad argument of a control-flow operator (MXNet raises ValueError)."""


class ControlFlowAssertionError(MXNetError, AssertionError):
    """A bad argument of a control-flow operator (MXNet fails an assertion)."""


# ---- MXNet's nested-list formats (python/mxnet/ndarray/contrib.py's _flatten/_regroup) ----
def _flatten(args, what, cls):
    """(flat list of `cls` items, format) for an item or a nested list/tuple of them."""
    if isinstance(args, cls):
        return [args], 0
    if not isinstance(args, (list, tuple)):
        raise ControlFlowAssertionError(
            f"{what} must be (nested) list of {cls.__name__}, but got {args!r} of type "
            f"{type(args).__name__}")
    flat, fmts = [], []
    for a in args:
        f, fmt = _flatten(a, what, cls)
        flat.extend(f)
        fmts.append(fmt)
    return flat, fmts


def _regroup(args, fmt):
    """The nested structure `fmt` (from _flatten) filled from the flat list `args`."""
    if isinstance(fmt, int):
        return (args[0], args[1:]) if fmt == 0 else (args[:fmt], args[fmt:])
    ret = []
    for f in fmt:
        res, args = _regroup(args, f)
        ret.append(res)
    return ret, args


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _to_scalar(value, type_, what):
    if hasattr(value, 'asscalar'):
        value = value.asscalar()
    try:
        return type_(value)
    except Exception:  # pylint: disable=broad-except
        raise ControlFlowValueError(f"Cannot convert {what} to python {type_.__name__}") \
            from None


def _step_results(func, loop_vars):
    """MXNet's while_loop body wrapper: (flat step outputs, their format, new loop vars)."""
    res = func(*loop_vars)
    if not isinstance(res, (list, tuple)) or len(res) != 2:
        raise ControlFlowValueError(
            "while_loop: func must return (step_output, new_loop_vars), got "
            f"{type(res).__name__}")
    step_output, new_vars = res
    step_output = [] if step_output is None else step_output
    new_vars = _as_list([] if new_vars is None else new_vars)
    if len(loop_vars) != len(new_vars):
        raise ControlFlowValueError(
            "The length of loop_vars should be consistent during the loop")
    return step_output, new_vars


def _check_max_iterations(max_iterations, loop_vars):
    if max_iterations is None:
        raise ControlFlowValueError("max_iterations should be specified")
    max_iterations = _to_scalar(max_iterations, int, "max_iteration")
    if len(_as_list(loop_vars)) == 0:
        raise ControlFlowValueError("loop_vars should contain at least one element")
    return max_iterations


# ---- imperative: nd.contrib.* ---------------------------------------------------------------
def foreach(body, data, init_states, name='foreach'):
    """Run `body` over the slices of `data` along axis 0, carrying states.

    Parameters
    ----------
    body : callable `(data_slice, states) -> (outputs, new_states)`.
    data : NDArray or nested list of NDArrays, iterated on axis 0.
    init_states : NDArray or nested list of NDArrays, the initial states.

    Returns
    -------
    (outputs stacked on a new axis 0, the states after the last step)
    """
    from .. import stack
    _flatten(data, "foreach input", NDArray)
    _flatten(init_states, "foreach states", NDArray)
    single = isinstance(data, NDArray)
    num_iters = data.shape[0] if single else data[0].shape[0]
    states, steps, out_fmt = init_states, [], 0
    for i in range(num_iters):
        eles = data[i] if single else [d[i] for d in data]
        outs, states = body(eles, states)
        outs, out_fmt = _flatten(outs, "foreach output", NDArray)
        steps.append(outs)
    outputs = [stack(*col) for col in zip(*steps)]
    return _regroup(outputs, out_fmt)[0] if steps else [], states


def while_loop(cond, func, loop_vars, max_iterations=None, name='while_loop'):
    """Run `func` while `cond` holds, at most `max_iterations` times.

    Parameters
    ----------
    cond : callable `(*loop_vars) -> NDArray` (a scalar; the loop ends when it is 0).
    func : callable `(*loop_vars) -> (step_output, new_loop_vars)`.
    loop_vars : NDArray or list of NDArrays.
    max_iterations : int.

    Returns
    -------
    (step outputs stacked on axis 0 and padded to `max_iterations` rows, final loop vars).
    The padding rows are zeros (MXNet leaves them undefined).
    """
    from .. import concat, zeros
    max_iterations = _check_max_iterations(max_iterations, loop_vars)
    single = isinstance(loop_vars, NDArray)
    loop_vars = _as_list(loop_vars)
    steps, out_fmt = [], None
    while len(steps) < max_iterations and \
            _to_scalar(cond(*loop_vars), bool, "Return value of cond"):
        step_output, loop_vars = _step_results(func, loop_vars)
        step_output, out_fmt = _flatten(step_output, "while output", NDArray)
        if steps and len(step_output) != len(steps[0]):
            raise ControlFlowValueError(
                "Number of elements in step_output should be the same in each step")
        steps.append(step_output)
    stacked = []
    for k, items in enumerate(zip(*steps), 1):
        items = [x.expand_dims(0) for x in items]
        if len(items) < max_iterations:
            items.append(zeros((max_iterations - len(items),) + items[0].shape[1:],
                               ctx=items[0].context, dtype=items[0].dtype))
        shapes = {x.shape[1:] for x in items}
        if len(shapes) > 1:
            raise ControlFlowValueError(
                f"Shapes of {k}-th elements in step_outputs are inconsistent, which are: "
                f"{[x.shape for x in items]}")
        stacked.append(concat(*items, dim=0))
    if out_fmt is not None:
        stacked = _regroup(stacked, out_fmt)[0]
    return stacked, (loop_vars[0] if single else loop_vars)


def cond(pred, then_func, else_func, name='cond'):
    """`then_func()` if the scalar `pred` is nonzero, else `else_func()`."""
    return then_func() if _to_scalar(pred, bool, "pred") else else_func()


# ---- symbolic: the subgraph and the loop nodes --------------------------------------------
_names = itertools.count()


class Subgraph:
    """A traced body: its inner nodes (created under `__subgraph_name__`), its placeholder
    variables and the outer entries (`free`) it reads, which the loop node takes as inputs."""

    def __init__(self, outputs, placeholders, scope):
        from ...symbol import graph
        placeholders = [p._outputs[0][0] for p in placeholders]    # Symbols -> Nodes
        order = graph.topo_order(outputs)
        inner = {id(n) for n in order
                 if not n.is_var and n.attrs.get('__subgraph_name__') == scope}
        own = inner | {id(p) for p in placeholders}
        self.free, seen = [], set()
        for entry in [e for n in order if id(n) in inner for e in n.inputs] + list(outputs):
            key = (id(entry[0]), entry[1])
            if id(entry[0]) not in own and key not in seen:
                seen.add(key)
                self.free.append(entry)
        self.order = [n for n in order if id(n) in inner]
        self.outputs, self.placeholders, self.scope = list(outputs), placeholders, scope

    def run(self, values, free_values):
        """The outputs for placeholder tensors `values` and outer tensors `free_values`."""
        from ...symbol.graph import run_node
        res = {(id(p), 0): v for p, v in zip(self.placeholders, values)}
        res.update(((id(n), i), v) for (n, i), v in zip(self.free, free_values))
        for node in self.order:
            outs = run_node(node, [res[id(n), i] for n, i in node.inputs])
            res.update(((id(node), i), o) for i, o in enumerate(outs))
        return [res[id(n), i] for n, i in self.outputs]

    def __repr__(self):
        return f'<Subgraph {self.scope}>'

    def __str__(self):
        # json_io writes node settings with str(): a subgraph has no MXNet JSON form here
        raise MXNetError(f"Saving a graph with control flow ({self.scope}) as MXNet JSON is "
                         "not supported by regluon; run the block without export")


def _subgraph_name(base):
    return f'{base}{next(_names)}'


def _placeholders(symbols, scope):
    from ...symbol import var
    with AttrScope(__subgraph_name__=scope):
        return [var(f'{scope}_{s.name or "in"}_{k}') for k, s in enumerate(symbols)]


@op(name='_foreach')
def _foreach(inputs, body=None, num_data=1, num_states=0, num_out_data=1, num_outputs=1):
    """Kernel of a traced foreach: inputs are the data, the states, then body.free."""
    data, states = inputs[:num_data], list(inputs[num_data:num_data + num_states])
    free = inputs[num_data + num_states:]
    if any(d.device.type == 'meta' for d in data):    # shape inference: one step
        outs = body.run([d[0] for d in data] + states, free)
        return [o.unsqueeze(0).expand((data[0].shape[0],) + o.shape)
                for o in outs[:num_out_data]] + outs[num_out_data:]
    steps = []
    for i in range(data[0].shape[0]):
        outs = body.run([d[i] for d in data] + states, free)
        steps.append(outs[:num_out_data])
        states = outs[num_out_data:]
    return [torch.stack(col) for col in zip(*steps)] + states


@op(name='_while_loop')
@torch.compiler.disable      # data-dependent: a compiled graph runs it eagerly
def _while_loop(inputs, cond=None, func=None, max_iterations=1, num_vars=1, num_out_data=0,
                num_outputs=1):
    """Kernel of a traced while_loop: inputs are the loop vars, then cond.free + func.free;
    step outputs are padded with zeros to max_iterations rows."""
    loop_vars, rest = list(inputs[:num_vars]), inputs[num_vars:]
    cond_free, func_free = rest[:len(cond.free)], rest[len(cond.free):]
    meta = any(v.device.type == 'meta' for v in inputs)
    steps = []
    while len(steps) < max_iterations and not meta and \
            bool(cond.run(loop_vars, cond_free)[0].reshape(-1)[0]):
        outs = func.run(loop_vars, func_free)
        steps.append(outs[:num_out_data])
        loop_vars = outs[num_out_data:]
    if not steps:          # shapes from one (discarded) step
        ref = func.run(loop_vars, func_free)[:num_out_data]
        return [torch.zeros((max_iterations,) + r.shape, dtype=r.dtype, device=r.device)
                for r in ref] + loop_vars
    outs = []
    for col in zip(*steps):
        pad = col[0].new_zeros((max_iterations - len(col),) + col[0].shape)
        outs.append(torch.cat([torch.stack(col), pad]))
    return outs + loop_vars


@op(name='_cond')
@torch.compiler.disable      # data-dependent: a compiled graph runs it eagerly
def _cond(inputs, pred=None, then_branch=None, else_branch=None, num_outputs=1):
    """Kernel of a traced cond: inputs are pred.free, then then.free and else.free."""
    a, b = len(pred.free), len(pred.free) + len(then_branch.free)
    p = pred.run([], inputs[:a])[0]
    if p.device.type == 'meta' or bool(p.reshape(-1)[0]):
        return then_branch.run([], inputs[a:b])
    return else_branch.run([], inputs[b:])


def _symbols(args, what):
    from ...symbol import Symbol
    return _flatten(args, what, Symbol)


def _node_outputs(res):
    return [res[i] for i in range(len(res))] if len(res) > 1 else [res]


def sym_foreach(body, data, init_states, name='foreach'):
    """`sym.contrib.foreach`: the loop as one `_foreach` node over a traced body."""
    from ...symbol import Group, _foreach as make
    flat_data, data_fmt = _symbols(data, "foreach input")
    flat_states, state_fmt = _symbols(init_states, "foreach states")
    scope = _subgraph_name(name)
    ph = _placeholders(flat_data + flat_states, scope)
    with AttrScope(__subgraph_name__=scope):
        outs, new_states = body(_regroup(ph[:len(flat_data)], data_fmt)[0],
                                _regroup(ph[len(flat_data):], state_fmt)[0])
    outs, out_fmt = _symbols(outs, "foreach output")
    new_states, new_fmt = _symbols(new_states, "foreach loop_vars")
    if new_fmt != state_fmt:
        raise ControlFlowAssertionError(
            "The input and output loop_vars have different format")
    g = Subgraph(Group(outs + new_states)._outputs, ph, scope)
    n_out = len(outs) + len(new_states)
    res = _node_outputs(make(flat_data + flat_states + [_entry_symbol(e) for e in g.free],
                             body=g, num_data=len(flat_data), num_states=len(flat_states),
                             num_out_data=len(outs), num_outputs=n_out))
    return (_regroup(res[:len(outs)], out_fmt)[0],
            _regroup(res[len(outs):], state_fmt)[0])


def _entry_symbol(entry):
    from ...symbol import Symbol
    return Symbol([entry])


def sym_while_loop(cond, func, loop_vars, max_iterations=None, name='while_loop'):
    """`sym.contrib.while_loop`: one `_while_loop` node over traced cond and func."""
    from ...symbol import Group, Symbol, _while_loop as make
    max_iterations = _check_max_iterations(max_iterations, loop_vars)
    flat_vars, var_fmt = _symbols(loop_vars, "while loop_vars")
    cscope, fscope = _subgraph_name(name + '_cond'), _subgraph_name(name + '_func')
    cph, fph = _placeholders(flat_vars, cscope), _placeholders(flat_vars, fscope)
    with AttrScope(__subgraph_name__=cscope):
        c = cond(*_regroup(cph, var_fmt)[0]) if isinstance(var_fmt, list) else cond(cph[0])
    if not isinstance(c, Symbol):
        raise ControlFlowValueError("Return of cond must be a Symbol")
    with AttrScope(__subgraph_name__=fscope):
        fvars = _regroup(fph, var_fmt)[0] if isinstance(var_fmt, list) else [fph[0]]
        step_output, new_vars = _step_results(func, _as_list(fvars))
    step_output, out_fmt = _symbols(step_output, "while output")
    new_vars, _ = _symbols(new_vars, "while loop_vars")
    cg = Subgraph(c._outputs, cph, cscope)
    fg = Subgraph(Group(step_output + new_vars)._outputs, fph, fscope)
    n_out = len(step_output) + len(new_vars)
    res = _node_outputs(make(flat_vars + [_entry_symbol(e) for e in cg.free + fg.free],
                             cond=cg, func=fg, max_iterations=max_iterations,
                             num_vars=len(flat_vars), num_out_data=len(step_output),
                             num_outputs=n_out))
    return (_regroup(res[:len(step_output)], out_fmt)[0],
            _regroup(res[len(step_output):], var_fmt)[0])


def sym_cond(pred, then_func, else_func, name='cond'):
    """`sym.contrib.cond`: one `_cond` node over the traced pred, then and else branches."""
    from ...symbol import Group, Symbol, _cond as make
    graphs, fmt = [], None
    for part, fn in (('_pred', lambda: pred), ('_then', then_func), ('_else', else_func)):
        scope = _subgraph_name(name + part)
        with AttrScope(__subgraph_name__=scope):
            outs, f = _symbols(fn(), "cond outputs")
        graphs.append(Subgraph(Group(outs)._outputs, [], scope))
        fmt = f if part == '_then' else fmt
    if len(graphs[0].outputs) != 1:
        raise ControlFlowValueError("pred should always be a single output")
    if len(graphs[1].outputs) != len(graphs[2].outputs):
        raise ControlFlowValueError(
            "Number of outputs differs between then-branch and else-branch")
    n_out = len(graphs[1].outputs)
    res = _node_outputs(make([_entry_symbol(e) for g in graphs for e in g.free],
                             pred=graphs[0], then_branch=graphs[1], else_branch=graphs[2],
                             num_outputs=n_out))
    return _regroup(res, fmt)[0]


NDARRAY_API = {'foreach': foreach, 'while_loop': while_loop, 'cond': cond}
SYMBOL_API = {'foreach': sym_foreach, 'while_loop': sym_while_loop, 'cond': sym_cond}
