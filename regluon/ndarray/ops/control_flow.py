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
import collections

import torch

from ...base import MXNetError
from ...attribute import AttrScope
from ..ndarray import NDArray
from ..register import op, outside_compiled_graphs

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
    try:
        return type_(value.asscalar() if hasattr(value, 'asscalar') else value)
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
if not hasattr(AttrScope, '_subgraph_names'):   # MXNet's counters of subgraph names live here
    AttrScope._subgraph_names = collections.defaultdict(int)


class Subgraph:
    """A loop body as graph nodes: its operator nodes (`order`, dependency order), `outputs`,
    and `slots`, the entries (node, index) it reads from outside: slot j is fed the loop
    node's input `locs[j]` (as MXNet's `*_locs` attributes say). A traced body's slots are
    its placeholder variables, then the outer entries it uses; a loaded one's its variables."""

    def __init__(self, order, outputs, slots, scope, locs=None):
        self.order, self.outputs, self.slots = order, list(outputs), slots
        self.scope, self.locs = scope, locs

    @classmethod
    def traced(cls, outputs, placeholders, scope):
        """The nodes created under `scope` that `outputs` reach; the placeholders (Symbols)
        and the other entries they read are the slots."""
        from ...symbol import graph
        slots = [p._outputs[0] for p in placeholders]
        order = graph.topo_order(outputs)
        inner = {id(n) for n in order
                 if not n.is_var and n.attrs.get('__subgraph_name__') == scope}
        seen = {(id(n), i) for n, i in slots}
        for entry in [e for n in order if id(n) in inner for e in n.inputs] + list(outputs):
            key = (id(entry[0]), entry[1])
            if id(entry[0]) not in inner and key not in seen:
                seen.add(key)
                slots.append(entry)
        return cls([n for n in order if id(n) in inner], outputs, slots, scope)

    @classmethod
    def loaded(cls, outputs):
        """A subgraph read from MXNet's JSON: its variables are the slots, in input order."""
        from ...symbol import graph
        order = graph.topo_order(outputs)
        ops = [n for n in order if not n.is_var]
        scope = ops[0].attrs.get('__subgraph_name__', ops[0].name) if ops else 'subgraph'
        return cls(ops, outputs, [(n, 0) for n in order if n.is_var], scope)

    def run(self, inputs):
        """The outputs, slot j taking the tensor `inputs[locs[j]]`."""
        from ...symbol.graph import run_node
        res = {(id(n), i): inputs[loc] for (n, i), loc in zip(self.slots, self.locs)}
        for node in self.order:
            outs = run_node(node, [res[id(n), i] for n, i in node.inputs])
            res.update(((id(node), i), o) for i, o in enumerate(outs))
        return [res[id(n), i] for n, i in self.outputs]

    def __repr__(self):
        return f'<Subgraph {self.scope}>'


def _is_meta(tensors):
    return any(t.device.type == 'meta' for t in tensors)


@op(name='_foreach')
def _foreach(*inputs, body=None, num_data=1, num_states=0, num_out_data=1, num_outputs=1):
    """Kernel of a foreach node: inputs are the data arrays, the states, then the others."""
    cur, data = list(inputs), inputs[:num_data]
    n, meta = data[0].shape[0], _is_meta(inputs)     # meta: shape inference, one step
    if any(d.dim() == 1 for d in data):   # MXNet 1.x slices a 1-D array into shape (1,)
        from ...numpy_extension import is_np_shape
        if not is_np_shape():
            data = [d.unsqueeze(1) if d.dim() == 1 else d for d in data]
    steps = []
    for i in range(1 if meta else n):
        cur[:num_data] = [d[i] for d in data]
        outs = body.run(cur)
        steps.append(outs[:num_out_data])
        cur[num_data:num_data + num_states] = outs[num_out_data:]
    states = cur[num_data:num_data + num_states]
    if meta:
        return [o.unsqueeze(0).expand((n,) + o.shape) for o in steps[0]] + states
    return [torch.stack(col) for col in zip(*steps)] + states


@op(name='_while_loop')
@outside_compiled_graphs      # data-dependent: a compiled graph runs it eagerly
def _while_loop(*inputs, cond=None, func=None, max_iterations=1, var_locs=(0,),
                num_out_data=0, num_outputs=1):
    """Kernel of a while_loop node: loop var k is input var_locs[k]; step outputs are padded
    with zeros to max_iterations rows."""
    cur, steps = list(inputs), []
    while len(steps) < max_iterations and not _is_meta(inputs) and \
            bool(cond.run(cur)[0].reshape(-1)[0]):
        outs = func.run(cur)
        steps.append(outs[:num_out_data])
        for loc, v in zip(var_locs, outs[num_out_data:]):
            cur[loc] = v
    final = [cur[loc] for loc in var_locs]
    if not steps:          # shapes from one (discarded) step
        ref = func.run(cur)[:num_out_data]
        return [torch.zeros((max_iterations,) + r.shape, dtype=r.dtype, device=r.device)
                for r in ref] + final
    outs = []
    for col in zip(*steps):
        pad = col[0].new_zeros((max_iterations - len(col),) + col[0].shape)
        outs.append(torch.cat([torch.stack(col), pad]))
    return outs + final


@op(name='_cond')
@outside_compiled_graphs      # data-dependent: a compiled graph runs it eagerly
def _cond(*inputs, pred=None, then_branch=None, else_branch=None, num_outputs=1):
    """Kernel of a cond node: each branch reads the inputs its locs name."""
    p = pred.run(inputs)[0]
    if p.device.type == 'meta' or bool(p.reshape(-1)[0]):
        return then_branch.run(inputs)
    return else_branch.run(inputs)


# ---- shape inference of the inputs a loop node's body determines ----------------------------
def _infer_body(g, slot_vals):
    """One pass of shape inference through subgraph `g` on meta tensors: `slot_vals` (None
    where unknown) gains the slots the body's shape rules determine; returns its outputs."""
    from ...symbol import shapes, unknown_dims
    from ...symbol.symbol import _run_meta
    res = {(id(n), i): v for (n, i), v in zip(g.slots, slot_vals)}
    local = {n.name: v for (n, _), v in zip(g.slots, slot_vals) if n.is_var and v is not None}
    for node in g.order:
        vals = [res.get((id(n), i)) for n, i in node.inputs]
        shapes.fill_param_shapes(node, vals, local)
        unknown_dims.fill_same_shape(node, vals, local)
        for k, (n, i) in enumerate(node.inputs):
            if vals[k] is None and n.is_var and n.name in local:
                vals[k] = res[id(n), i] = local[n.name]
        if all(v is not None for v in vals):
            try:
                outs = _run_meta(node, vals)
            except MXNetError:
                continue
            res.update(((id(node), i), o) for i, o in enumerate(outs))
    for j, (n, _) in enumerate(g.slots):
        if slot_vals[j] is None and n.is_var:
            slot_vals[j] = local.get(n.name)
    return [res.get((id(n), i)) for n, i in g.outputs]


def _step_shape(shape):
    """The shape of one step's slice of foreach data (MXNet 1.x: (1,) for 1-D data)."""
    from ...numpy_extension import is_np_shape
    return shape[1:] if len(shape) > 1 or is_np_shape() else (1,)


def fill_input_shapes(node, vals, known):
    """Shape inference (symbol/shapes.py) for a control-flow node: record in `known` meta
    tensors for its variable inputs of unknown shape that its subgraphs determine, as
    MXNet's infers them: from the body's shape rules, and a loop state's from the state
    the body gives back."""
    if all(v is not None for v in vals):
        return
    kw, ins = node.kwargs, list(vals)
    if node.op == '_foreach':
        graphs, n_data = [kw['body']], kw['num_data']
        carry = [(kw['body'], kw['num_out_data'] + k, n_data + k)
                 for k in range(kw['num_states'])]
    elif node.op == '_while_loop':
        graphs, n_data = [kw['cond'], kw['func']], 0
        carry = [(kw['func'], kw['num_out_data'] + k, loc)
                 for k, loc in enumerate(kw['var_locs'])]
    else:
        graphs, n_data, carry = [kw['pred'], kw['then_branch'], kw['else_branch']], 0, []
    for _ in range(3):          # again while a pass finds more
        found = False
        for g in graphs:
            slot_vals = [None if ins[loc] is None else
                         torch.empty(_step_shape(ins[loc].shape), dtype=ins[loc].dtype,
                                     device='meta')
                         if loc < n_data else ins[loc] for loc in g.locs]
            outs = _infer_body(g, slot_vals)
            for loc, v in zip(g.locs, slot_vals):
                if loc >= n_data and ins[loc] is None and v is not None:
                    ins[loc], found = v, True
            for cg, out, loc in carry:
                if cg is g and ins[loc] is None and outs[out] is not None:
                    ins[loc], found = outs[out], True
        if not found:
            break
    for (inp, _), v, new in zip(node.inputs, vals, ins):
        if v is None and new is not None and inp.is_var and inp.name not in known:
            known[inp.name] = new


def _symbols(args, what):
    from ...symbol import Symbol
    return _flatten(args, what, Symbol)


def _node_outputs(res):
    return [res[i] for i in range(len(res))] if len(res) > 1 else [res]


def _subgraph_name(base):
    """MXNet's subgraph names: '<base><n>', one counter per base in
    `AttrScope._subgraph_names`; inside another subgraph '<outer>$<base><n>'."""
    outer = getattr(AttrScope._current, 'value', AttrScope())._attr.get('__subgraph_name__')
    if outer:
        base = f'{outer}${base}'
    AttrScope._subgraph_names[base] += 1
    return f'{base}{AttrScope._subgraph_names[base] - 1}'


def _unused(g, n_placeholders):
    """Indices of the placeholders (the first slots of `g`) that no node of `g` reads."""
    read = {(id(n), i) for node in g.order for n, i in node.inputs}
    return [k for k, (n, i) in enumerate(g.slots[:n_placeholders]) if (id(n), i) not in read]


def _owned(symbols, scope, taken=()):
    """The outputs of a subgraph, each through an identity node made in it when it is an
    input or an outer node (or, for foreach's states, a node that gives an output: MXNet
    compares them by name), as MXNet does."""
    from ...symbol import identity
    res = []
    for s in symbols:
        node = s._outputs[0][0]
        if node.is_var or node.attrs.get('__subgraph_name__') != scope or id(node) in taken:
            with AttrScope(__subgraph_name__=scope):
                s = identity(s)
        res.append(s)
    return res


def _placeholders(symbols, scope):
    """MXNet's loop-variable stand-ins: '<name>-<output index>' under the subgraph scope."""
    from ...symbol import var
    with AttrScope(__subgraph_name__=scope):
        return [var(f'{s.name}-{s._outputs[0][1]}') for s in symbols]


def _outer_inputs(graphs, start):
    """Give the slots of `graphs` after their placeholders node inputs from `start` on, one
    per distinct outer entry; returns those entries as Symbols."""
    from ...symbol import Symbol
    at = {}
    for g, n_ph in graphs:
        g.locs = list(range(n_ph)) + [at.setdefault((id(n), i), (start + len(at), (n, i)))[0]
                                      for n, i in g.slots[n_ph:]]
    return [Symbol([entry]) for _, entry in sorted(at.values(), key=lambda v: v[0])]


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
    outs = _owned(outs, scope)
    new_states = _owned(new_states, scope, {id(o._outputs[0][0]) for o in outs})
    g = Subgraph.traced(Group(outs + new_states)._outputs, ph, scope)
    unused = _unused(g, len(ph))
    if unused:                  # MXNet's foreach asserts every data and state is read
        raise ControlFlowAssertionError(
            f"the {'data' if unused[0] < len(flat_data) else 'state'} arrays have to be used "
            "in the loop body")
    inputs = flat_data + flat_states
    inputs += _outer_inputs([(g, len(ph))], len(inputs))
    res = _node_outputs(make(*inputs, body=g, num_data=len(flat_data),
                             num_states=len(flat_states), num_out_data=len(outs),
                             num_outputs=len(outs) + len(new_states)))
    return (_regroup(res[:len(outs)], out_fmt)[0],
            _regroup(res[len(outs):], state_fmt)[0])


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
    cg = Subgraph.traced(_owned([c], cscope)[0]._outputs, cph, cscope)
    step_output, new_vars = _owned(step_output, fscope), _owned(new_vars, fscope)
    fg = Subgraph.traced(Group(step_output + new_vars)._outputs, fph, fscope)
    unused = _unused(fg, len(fph))
    if unused:
        raise ControlFlowValueError(
            f"The {unused[0] + 1}-th loop_var doesn't involve into the computation")
    inputs = flat_vars + _outer_inputs([(cg, len(cph)), (fg, len(fph))], len(flat_vars))
    res = _node_outputs(make(*inputs, cond=cg, func=fg, max_iterations=max_iterations,
                             var_locs=list(range(len(flat_vars))),
                             num_out_data=len(step_output),
                             num_outputs=len(step_output) + len(new_vars)))
    return (_regroup(res[:len(step_output)], out_fmt)[0],
            _regroup(res[len(step_output):], var_fmt)[0])


def sym_cond(pred, then_func, else_func, name='cond'):
    """`sym.contrib.cond`: one `_cond` node over the traced pred, then and else branches."""
    from ...symbol import Group, _cond as make
    graphs, fmt = [], None
    for part, fn in (('_pred', lambda: pred), ('_then', then_func), ('_else', else_func)):
        scope = _subgraph_name(name + part)
        with AttrScope(__subgraph_name__=scope):
            outs, f = _symbols(fn(), "cond outputs")
        graphs.append(Subgraph.traced(Group(_owned(outs, scope))._outputs, [], scope))
        fmt = f if part == '_then' else fmt
    if len(graphs[0].outputs) != 1:
        raise ControlFlowValueError("pred should always be a single output")
    if len(graphs[1].outputs) != len(graphs[2].outputs):
        raise ControlFlowValueError(
            "Number of outputs differs between then-branch and else-branch")
    inputs = _outer_inputs([(g, 0) for g in graphs], 0)
    res = _node_outputs(make(*inputs, pred=graphs[0], then_branch=graphs[1],
                             else_branch=graphs[2], num_outputs=len(graphs[1].outputs)))
    return _regroup(res, fmt)[0]


NDARRAY_API = {'foreach': foreach, 'while_loop': while_loop, 'cond': cond}
SYMBOL_API = {'foreach': sym_foreach, 'while_loop': sym_while_loop, 'cond': sym_cond}
