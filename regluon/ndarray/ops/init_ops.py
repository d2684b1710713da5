"""MXNet's graph creation operators `_zeros`, `_ones`, `_full` (what `mx.sym.zeros`,
`ones` and `full` build; `nd._zeros(shape=...)` also works). A 0 in a graph node's shape
is a size MXNet infers from the node's consumers (e.g. the batch size of an RNN cell's
begin state); `regluon/symbol/unknown_dims.py` resolves it before the node runs."""
import torch

from ...base import torch_dtype
from ..register import op


@op
def _zeros(shape=(), ctx=None, dtype='float32'):
    """An array of zeros of `shape` and `dtype`."""
    return torch.zeros(tuple(shape), dtype=torch_dtype(dtype or 'float32'))


@op
def _ones(shape=(), ctx=None, dtype='float32'):
    """An array of ones of `shape` and `dtype`."""
    return torch.ones(tuple(shape), dtype=torch_dtype(dtype or 'float32'))


@op
def _full(shape=(), ctx=None, dtype='float32', value=0.0):
    """An array of `shape` and `dtype` filled with `value`."""
    return torch.full(tuple(shape), value, dtype=torch_dtype(dtype or 'float32'))
