"""`npx.random`: the seed, `bernoulli`, and the batch samplers `uniform_n` / `normal_n`."""
import torch

from ..base import MXNetError, dtype_name
from ..ndarray.ndarray import _device
from .. import numpy as _np
from ..numpy.random import _check, _finish, _fit, _param, _size  # pylint: disable=protected-access
from ..numpy.multiarray import _Tensor

__all__ = ['seed', 'bernoulli', 'uniform_n', 'normal_n']

_BERNOULLI_DTYPES = ('bool', 'float16', 'float32', 'float64', 'int32', 'uint8')


def seed(seed, ctx='all'):  # pylint: disable=redefined-outer-name
    """Seed the random generators (`mx.random.seed`)."""
    from .. import random as _random
    _random.seed(seed, ctx)


def bernoulli(prob=None, logit=None, size=None, dtype=None, ctx=None, out=None):
    """Bernoulli samples (0/1, float32 unless `dtype`) with probability `prob`, or
    sigmoid(`logit`); exactly one of the two is given. A prob outside [0, 1] is a
    ValueError; the shape follows np.random's rules (`size`, else the parameter's)."""
    if (prob is None) == (logit is None):
        raise ValueError("Either `prob` or `logit` must be specified, but not both. "
                         f"Received prob={prob}, logit={logit}")
    name = dtype_name(dtype)
    if name not in _BERNOULLI_DTYPES:
        raise MXNetError(f"npx.random.bernoulli: dtype must be one of "
                         f"{', '.join(_BERNOULLI_DTYPES)}, got {name}")
    dev, label = _device(ctx)
    if prob is not None:
        p = _param(prob, dev)
        _check('bernoulli', 'probs >= 0 && probs <= 1',
               lambda v: (v >= 0) & (v <= 1) if isinstance(v, _Tensor) else 0 <= v <= 1, [p])
    else:
        p = _param(logit, dev)
        p = torch.sigmoid(p) if isinstance(p, _Tensor) else float(torch.sigmoid(
            torch.tensor(p, dtype=torch.float64)))
    shape = _size(size, p, name='bernoulli')
    p = _fit(p.detach(), shape) if isinstance(p, _Tensor) else p
    r = torch.rand(shape, dtype=torch.float64, device=dev) < p
    return _finish(r, name, label, out, 'bernoulli')


def _shape_of(v):
    return tuple(v.shape) if hasattr(v, 'shape') else ()


def _batch_sampler(name, sampler):
    def f(a=0.0, b=1.0, batch_shape=None, dtype=None, ctx=None):
        shape = () if batch_shape is None else (
            (batch_shape,) if isinstance(batch_shape, int) else tuple(batch_shape))
        params = torch.broadcast_shapes(_shape_of(a), _shape_of(b))
        return sampler(a, b, size=shape + tuple(params), dtype=dtype, ctx=ctx)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"Samples of shape batch_shape + the parameters' broadcast shape "
                 f"(MXNet's npx.random.{name}).")
    return f


uniform_n = _batch_sampler('uniform_n', _np.random.uniform)
normal_n = _batch_sampler('normal_n', _np.random.normal)
