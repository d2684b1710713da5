"""`nd.random`: sampling from torch's generator, seeded by `mx.random.seed`."""
import torch

from ..base import torch_dtype
from .ndarray import NDArray, _box, _device
from .creation import _shape

__all__ = ['uniform', 'normal', 'randn', 'randint', 'exponential', 'gamma', 'poisson',
           'multinomial', 'shuffle']


def _params(*vals):
    return [v._t if isinstance(v, NDArray) else v for v in vals]


def _sample(draw, shape, ctx, dtype, *params):
    """Draw `shape` samples, or `shape` samples per element of NDArray parameters."""
    dev, label = _device(ctx)
    ps = _params(*params)
    if any(isinstance(p, torch.Tensor) for p in ps):
        base = next(p for p in ps if isinstance(p, torch.Tensor))
        shp = tuple(base.shape) + (_shape(shape) if shape not in (None, ()) else ())
        ps = [p.reshape(p.shape + (1,) * (len(shp) - p.dim())).expand(shp)
              if isinstance(p, torch.Tensor) else p for p in ps]
        dev, label = base.device, None
        dt = base.dtype if dtype is None else torch_dtype(dtype)
    else:
        shp = _shape(shape) if shape is not None else (1,)
        dt = torch_dtype(dtype)
    with torch.no_grad():
        return _box(draw(shp, dt, dev, *ps), label)


def uniform(low=0, high=1, shape=(1,), dtype=None, ctx=None, out=None, **kw):
    res = _sample(lambda s, d, v, lo, hi: torch.rand(s, dtype=d, device=v) * (hi - lo) + lo,
                  shape, ctx, dtype, low, high)
    return res if out is None else out._assign(res._t)


def normal(loc=0, scale=1, shape=(1,), dtype=None, ctx=None, out=None, **kw):
    res = _sample(lambda s, d, v, m, sd: torch.randn(s, dtype=d, device=v) * sd + m,
                  shape, ctx, dtype, loc, scale)
    return res if out is None else out._assign(res._t)


def randn(*shape, loc=0, scale=1, dtype=None, ctx=None, **kw):
    return normal(loc, scale, shape or (1,), dtype, ctx)


def randint(low, high, shape=(1,), dtype='int32', ctx=None, out=None, **kw):
    dev, label = _device(ctx)
    res = _box(torch.randint(int(low), int(high), _shape(shape), device=dev)
               .to(torch_dtype(dtype)), label)
    return res if out is None else out._assign(res._t)


def exponential(scale=1, shape=(1,), dtype=None, ctx=None, out=None, **kw):
    res = _sample(lambda s, d, v, sc: torch.empty(s, dtype=d, device=v).exponential_() * sc,
                  shape, ctx, dtype, scale)
    return res if out is None else out._assign(res._t)


def gamma(alpha=1, beta=1, shape=(1,), dtype=None, ctx=None, out=None, **kw):
    def draw(s, d, v, a, b):
        a = torch.as_tensor(a, dtype=torch.float32, device=v).expand(s)
        return (torch._standard_gamma(a) * b).to(d)
    res = _sample(draw, shape, ctx, dtype, alpha, beta)
    return res if out is None else out._assign(res._t)


def poisson(lam=1, shape=(1,), dtype=None, ctx=None, out=None, **kw):
    def draw(s, d, v, lm):
        return torch.poisson(torch.as_tensor(lm, dtype=torch.float32, device=v).expand(s)).to(d)
    res = _sample(draw, shape, ctx, dtype, lam)
    return res if out is None else out._assign(res._t)


def multinomial(data, shape=(), get_prob=False, out=None, dtype='int32', **kw):
    """Draw category indices from the probability rows of `data` (last axis)."""
    p = data._t
    n = 1
    for s in (_shape(shape) if shape not in (None, ()) else ()):
        n *= s
    flat = p.reshape(-1, p.shape[-1])
    idx = torch.multinomial(flat, max(n, 1), replacement=True)
    extra = _shape(shape) if shape not in (None, ()) else ()
    idx = idx.reshape(tuple(p.shape[:-1]) + extra)
    res = _box(idx.to(torch_dtype(dtype)), data._ctx)
    if get_prob:
        lp = torch.log(torch.gather(flat, 1, idx.reshape(flat.shape[0], -1).long()))
        return [res, _box(lp.reshape(idx.shape), data._ctx)]
    return res


def shuffle(data, **kw):
    """A copy of `data` with its first axis randomly permuted."""
    t = data._t
    return _box(t[torch.randperm(t.shape[0], device=t.device)], data._ctx)
