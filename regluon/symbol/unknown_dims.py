"""Sizes MXNet infers backwards: a 0 in a variable's `__shape__` or in a `_zeros`/`_ones`/
`_full` node's shape (an RNN cell's begin state is `sym.zeros((0, num_hidden))`) is filled
from the node's consumers, e.g. the batch size an `elemwise_add` meets on its other input.

Shape inference runs the graph on meta tensors. Such a placeholder runs with size 1 at its
unknown dims, and those dims stay marked ("tainted", with the placeholder they come from)
while they pass through ops that keep them at the same position (FullyConnected's batch,
activations, slices). When a tainted dim meets an op that fixes it (a same-shape op's other
input, the axis a product contracts it with, or a shape rule of shapes.py such as RNN's
state), the placeholder's size is recorded in `resolved` and inference restarts with it.
"""
import torch

from . import json_io
from .graph import In
from .shapes import rule_shapes

CREATION = ('_zeros', '_ones', '_full')
# Operators whose array inputs all have the output's shape (MXNet's elemwise ops don't broadcast).
SAME_SHAPE = {'elemwise_add', 'elemwise_sub', 'elemwise_mul', 'elemwise_div', '_plus',
              '_minus', '_mul', '_div', '_Plus', '_Minus', '_Mul', '_Div', 'where',
              'add_n', 'ElementWiseSum', '_grad_add'}


def _contracted(node, vals):
    """The (input, axis) pair whose sizes a product contracts together, else None: a
    weight of unknown shape fed to `x.dot(w)` gets its size from x, as MXNet infers it."""
    if len(vals) < 2 or vals[0] is None or vals[1] is None:
        return None
    a, b, kw = vals[0].dim(), vals[1].dim(), node.kwargs
    if node.op in ('_np_dot', '_npi_matmul') and a >= 1 and b >= 1:
        return (0, a - 1), (1, 0 if b == 1 else b - 2)
    if node.op == 'dot' and a >= 1 and b >= 1:          # legacy: first/last axes, or T
        return (0, 0 if kw.get('transpose_a') else a - 1), \
            (1, b - 1 if kw.get('transpose_b') else 0)
    if node.op == 'batch_dot' and a == b >= 3:
        return (0, a - 2 if kw.get('transpose_a') else a - 1), \
            (1, b - 1 if kw.get('transpose_b') else b - 2)
    return None


def fill_same_shape(node, vals, known):
    """A variable of no known shape entering a same-shape op takes the shape of the op's
    other inputs (MXNet: `elemwise_add(a, b)` gives b the shape of a)."""
    if node.op not in SAME_SHAPE:
        return
    ref = next((v for v in vals if v is not None), None)
    if ref is None:
        return
    for k, (inp, _) in enumerate(node.inputs):
        if inp.is_var and vals[k] is None and inp.name not in known and \
                json_io.attr_shape(inp) is None:    # (declared 0s are placeholders)
            known[inp.name] = torch.empty(ref.shape, dtype=ref.dtype, device='meta')


class Restart(Exception):
    """A placeholder's size was found: inference starts again with it."""


def placeholder(node):
    """The shape of a variable or creation node that has sizes to infer (0s; a creation
    node's -1s too, as MXNet reads them), with 0 for each, else None."""
    if node.is_var:
        shp = json_io.attr_shape(node)
    elif node.op in CREATION:
        shp = node.kwargs.get('shape')
        if isinstance(shp, int):            # sym.ones(shape=3)
            shp = (shp,)
        if shp is not None and not isinstance(shp, In):
            shp = tuple(0 if d == -1 else d for d in shp)
    else:
        return None
    return tuple(shp) if shp is not None and 0 in tuple(shp) else None


def has_placeholders(order):
    return any(not n.is_var and placeholder(n) is not None for n in order)


def stand_in(node, shape, dtype):
    """A meta tensor for the unresolved placeholder `node` and its taint
    {dim: (node, its dim)}."""
    meta = torch.empty(tuple(d or 1 for d in shape), dtype=dtype, device='meta')
    return meta, {d: (node, d) for d, s in enumerate(shape) if s == 0}


def resolve(node, vals, taints, resolved):
    """Fix the sizes of tainted dims entering `node` where its other inputs or its shape rule
    determine them; raises Restart when one was found."""
    rules = rule_shapes(node, vals)
    pair = _contracted(node, vals)
    found = False
    for k, taint in enumerate(taints):
        for d, (origin, od) in taint.items():
            want = None
            slot = node.input_names[k] if k < len(node.input_names) else None
            rule = rules.get(slot)
            if rule is not None and len(rule) == vals[k].dim():
                want = rule[d]
            elif node.op in SAME_SHAPE:
                want = next((v.shape[d] for j, v in enumerate(vals)
                             if j != k and v is not None and v.dim() == vals[k].dim()
                             and d not in taints[j]), None)
            elif pair is not None and (k, d) in pair:
                j, e = pair[1 - pair.index((k, d))]
                if e not in taints[j]:
                    want = vals[j].shape[e]
            if want:
                shape = list(resolved.get(id(origin)) or placeholder(origin))
                shape[od] = int(want)
                resolved[id(origin)] = tuple(shape)
                found = True
    if found:
        raise Restart()


def propagate(vals, taints, outs, node=None):
    """The taints of a node's outputs: a tainted input dim that stays size 1 at the same
    position of a same-rank output (where a transpose moves it, for a transpose)."""
    if node is not None and node.op == 'transpose' and len(outs) == 1 and taints and \
            isinstance(vals[0], torch.Tensor):
        axes = node.kwargs.get('axes') or tuple(reversed(range(vals[0].dim())))
        if not isinstance(axes, In):
            axes = [a % vals[0].dim() for a in axes]
            return [{d: taints[0][a] for d, a in enumerate(axes) if a in taints[0]}]
    res = []
    for out in outs:
        taint = {}
        if isinstance(out, torch.Tensor):
            for v, t in zip(vals, taints):
                for d, origin in t.items():
                    if out.dim() == v.dim() and out.shape[d] == 1:
                        taint.setdefault(d, origin)
        res.append(taint)
    return res
