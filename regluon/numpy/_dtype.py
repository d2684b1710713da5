"""dtype rules of `mx.np` results (MXNet 1.9.1's, which differ from NumPy's in places)."""
import torch

from ..base import torch_dtype

_FLOAT32 = torch.float32


def tdtype(dtype, default=_FLOAT32):
    """The torch dtype for a dtype argument; None gives `default` (float32: MXNet's)."""
    return default if dtype is None else torch_dtype(dtype)


def is_float(t):
    return t.dtype.is_floating_point


def float_of(t):
    """`t` if floating, else `t` as float32 (MXNet computes integer means in float32)."""
    return t if t.dtype.is_floating_point else t.to(_FLOAT32)


def keep(r, dtype):
    """`r` cast back to `dtype` (MXNet's math on integer arrays gives integer arrays:
    `np.exp(int32)` is int32, the result truncated)."""
    return r if r.dtype is dtype else r.to(dtype)
