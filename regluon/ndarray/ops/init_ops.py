"""MXNet's creation operators `_zeros`, `_ones`, `_full`, `_arange`, `_linspace`, `_eye`:
what `mx.sym.zeros`, `ones`, `full`, `arange`, `linspace` and `eye` build, and the kernels
behind `nd.arange`/`linspace`/`eye`. A 0 in a graph node's shape is a size MXNet infers
from the node's consumers (e.g. the batch size of an RNN cell's begin state);
`regluon/symbol/unknown_dims.py` resolves it before the node runs. In a graph the nodes
are made on the device of the graph's inputs (graph.evaluate passes it as `ctx`)."""
import math

import torch

from ...base import MXNetError, torch_dtype
from ...context import device_of
from ..register import op


@op
def _zeros(shape=(), ctx=None, dtype='float32'):
    """An array of zeros of `shape` and `dtype`."""
    return torch.zeros(tuple(shape), dtype=torch_dtype(dtype or 'float32'),
                       device=device_of(ctx))


@op
def _ones(shape=(), ctx=None, dtype='float32'):
    """An array of ones of `shape` and `dtype`."""
    return torch.ones(tuple(shape), dtype=torch_dtype(dtype or 'float32'),
                      device=device_of(ctx))


@op
def _full(shape=(), ctx=None, dtype='float32', value=0.0):
    """An array of `shape` and `dtype` filled with `value`."""
    return torch.full(tuple(shape), value, dtype=torch_dtype(dtype or 'float32'),
                      device=device_of(ctx))


@op
def _arange(start=0.0, stop=None, step=1.0, repeat=1, infer_range=False, ctx=None,
            dtype='float32'):
    """Evenly spaced values in [start, stop) ([0, start) without stop), each repeated
    `repeat` times."""
    if stop is None:
        start, stop = 0, start
    if step == 0:
        raise MXNetError("arange: step must not be 0 (the range would never end)")
    dev, td = device_of(ctx), torch_dtype(dtype or 'float32')
    n = max(0, math.ceil((stop - start) / step))
    if td.is_floating_point:
        # MXNet computes start + i * step in the output dtype: float32 ranges round as it does
        t = torch.arange(n, dtype=td, device=dev).mul_(step).add_(start)
    else:
        # the count from the float range, the values in the integer type: start and step
        # truncated first (MXNet's kernel, and NumPy's arange: 0, 10, 1.5 -> 0 1 2 ... 6)
        t = torch.arange(n, dtype=td, device=dev).mul_(int(step)).add_(int(start))
    return t.repeat_interleave(int(repeat)) if repeat != 1 else t


@op
def _linspace(start=0.0, stop=1.0, num=50, endpoint=True, ctx=None, dtype='float32'):
    """`num` evenly spaced values from `start` to `stop` (included when `endpoint`);
    integer dtypes truncate."""
    dev = device_of(ctx)
    if endpoint:
        t = torch.linspace(start, stop, int(num), dtype=torch.float64, device=dev)
    else:
        t = torch.linspace(start, stop, int(num) + 1, dtype=torch.float64, device=dev)[:-1]
    return t.to(torch_dtype(dtype or 'float32'))


@op
def _eye(N=1, M=0, k=0, ctx=None, dtype='float32'):
    """A 2-D array (N x M; M=0 means N) with ones on the k-th diagonal."""
    t = torch.zeros((int(N), int(M or N)), dtype=torch_dtype(dtype or 'float32'),
                    device=device_of(ctx))
    t.diagonal(int(k)).fill_(1)
    return t
