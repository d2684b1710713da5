"""`npx.random`: the seed, `bernoulli`, and the batch samplers `uniform_n` / `normal_n`."""
import torch

from .. import ndarray as _nd
from .. import numpy as _np

__all__ = ['seed', 'bernoulli', 'uniform_n', 'normal_n']


def seed(seed_state, ctx='all'):
    """Seed the random generators (`mx.random.seed`)."""
    from .. import random as _random
    _random.seed(seed_state, ctx)


def bernoulli(prob=None, logit=None, size=None, dtype=None, ctx=None, out=None):
    """Bernoulli samples (0/1, float32 unless `dtype`) with probability `prob`, or
    sigmoid(`logit`); exactly one of the two is given."""
    if (prob is None) == (logit is None):
        raise ValueError("Either `prob` or `logit` must be specified, but not both.")
    if logit is not None:
        logit = logit if isinstance(logit, _nd.NDArray) else _np.array(logit)
        prob = 1 / (1 + _np.exp(-logit))
    u = _np.random.uniform(0, 1, size=size if size is not None else _shape_of(prob), ctx=ctx)
    r = (u < prob).astype(dtype or 'float32')
    if out is not None:
        out[...] = r
        return out
    return r


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
