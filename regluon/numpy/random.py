"""`mx.np.random`: NumPy's sampling functions, drawing from torch's generators.

`mx.random.seed(n)` (or `npx.random.seed`) seeds them; the sequences differ from MXNet's.
A call without `size` and with scalar parameters gives a 0-d array, as MXNet's does.
"""
import numpy as onp
import torch

from ..base import MXNetError
from ..ndarray.ndarray import _device
from ._dtype import tdtype
from .multiarray import NDArray, _Tensor, _tensor, _wrap

__all__ = ['normal', 'uniform', 'randint', 'choice', 'shuffle', 'multinomial', 'rand',
           'randn', 'exponential', 'gamma', 'beta', 'poisson', 'binomial', 'seed', 'chisquare',
           'gumbel', 'logistic', 'lognormal', 'multivariate_normal', 'pareto', 'power',
           'rayleigh', 'weibull']


def _param(v, dev):
    t = _tensor(v, 'random')
    return t.to(device=dev, dtype=torch.float64) if isinstance(t, _Tensor) else float(v)


def _size(size, *params):
    if size is not None:
        return (int(size),) if isinstance(size, (int, onp.integer)) else tuple(size)
    shapes = [tuple(p.shape) for p in params if isinstance(p, _Tensor)]
    return tuple(torch.broadcast_shapes(*shapes)) if shapes else ()


def _finish(t, dtype, label, out):
    r = _wrap(t.to(tdtype(dtype)), label)
    if out is not None:
        out._assign(r._t)
        return out
    return r


def normal(loc=0.0, scale=1.0, size=None, dtype=None, ctx=None, out=None):
    """Samples of N(loc, scale**2), float32 unless `dtype`."""
    dev, label = _device(ctx)
    mu, sigma = _param(loc, dev), _param(scale, dev)
    shape = _size(size, mu, sigma)
    z = torch.randn(shape, dtype=torch.float64, device=dev)
    return _finish(z * sigma + mu, dtype, label, out)


def uniform(low=0.0, high=1.0, size=None, dtype=None, ctx=None, out=None):
    """Samples of U[low, high), float32 unless `dtype`."""
    dev, label = _device(ctx)
    lo, hi = _param(low, dev), _param(high, dev)
    shape = _size(size, lo, hi)
    u = torch.rand(shape, dtype=torch.float64, device=dev)
    return _finish(lo + u * (hi - lo), dtype, label, out)


def randn(*size, **kwargs):
    """Standard normal samples of shape `size`."""
    return normal(0, 1, size=size, **kwargs)


def rand(*size, **kwargs):
    """U[0, 1) samples of shape `size`."""
    return uniform(0, 1, size=size, **kwargs)


def randint(low, high=None, size=None, dtype=None, ctx=None, out=None):
    """Integers in [low, high) (or [0, low)), int64 unless `dtype`."""
    if high is None:
        low, high = 0, low
    if high <= low:
        raise ValueError(f"randint: low ({low}) must be less than high ({high})")
    dev, label = _device(ctx)
    t = torch.randint(int(low), int(high), _size(size), device=dev)
    return _finish(t, dtype or 'int64', label, out)


def choice(a, size=None, replace=True, p=None, ctx=None, out=None):
    """Samples from `arange(a)` (an int) or from the elements of 1-D array `a`, uniform or
    with probabilities `p`; indices are int64."""
    dev, label = _device(ctx)
    n = int(a) if isinstance(a, (int, onp.integer)) else a.shape[0]
    shape = _size(size)
    k = int(onp.prod(shape)) if shape else 1
    if not replace and k > n:
        raise ValueError("choice: cannot take a larger sample than population when "
                         "replace=False")
    probs = torch.ones(n, dtype=torch.float64, device=dev) if p is None else \
        _param(p if isinstance(p, NDArray) else onp.asarray(p, dtype=onp.float64), dev)
    idx = torch.multinomial(probs, k, replacement=replace).reshape(shape)
    if isinstance(a, (int, onp.integer)):
        return _finish(idx, 'int64', label, out)
    t = _tensor(a, 'choice')
    return _wrap(t[idx.to(t.device)], label)


def shuffle(x):
    """Shuffle the array `x` in place along its first axis."""
    if not isinstance(x, NDArray):
        raise TypeError(f"shuffle: expected an mxnet.numpy.ndarray, got {type(x).__name__}")
    perm = torch.randperm(x.shape[0], device=x._t.device)
    with torch.no_grad():
        x._t.copy_(x._t[perm])


def multinomial(n, pvals, size=None):
    """Counts (int64) of `n` draws over `len(pvals)` outcomes, `size` times."""
    p = torch.as_tensor(pvals.asnumpy() if isinstance(pvals, NDArray) else
                        onp.asarray(pvals, dtype=onp.float64), dtype=torch.float64)
    if float(p[:-1].sum()) > 1.0 + 1e-12:
        raise ValueError("multinomial: sum(pvals[:-1]) > 1.0")
    shape = _size(size)
    k = int(onp.prod(shape)) if shape else 1
    draws = torch.multinomial(p, int(n) * k, replacement=True).reshape(k, int(n))
    counts = torch.zeros(k, p.shape[0], dtype=torch.int64)
    counts.scatter_add_(1, draws, torch.ones_like(draws))
    return _wrap(counts.reshape(shape + (p.shape[0],)))


def exponential(scale=1.0, size=None, ctx=None, out=None):
    """Exponential samples with the given scale (1/rate)."""
    dev, label = _device(ctx)
    s = _param(scale, dev)
    e = torch.empty(_size(size, s), dtype=torch.float64, device=dev).exponential_()
    return _finish(e * s, None, label, out)


def gamma(shape=1.0, scale=1.0, size=None, dtype=None, ctx=None, out=None):  # pylint: disable=redefined-outer-name
    """Gamma(shape, scale) samples."""
    dev, label = _device(ctx)
    k, s = _param(shape, dev), _param(scale, dev)
    sz = _size(size, k, s)
    g = torch.distributions.Gamma(torch.as_tensor(k, dtype=torch.float64).expand(sz),
                                  torch.ones(sz, dtype=torch.float64)).sample()
    return _finish(g * s, dtype, label, out)


def beta(a, b, size=None, dtype=None, ctx=None):
    """Beta(a, b) samples."""
    dev, label = _device(ctx)
    ta, tb = _param(a, dev), _param(b, dev)
    sz = _size(size, ta, tb)
    d = torch.distributions.Beta(torch.as_tensor(ta, dtype=torch.float64).expand(sz),
                                 torch.as_tensor(tb, dtype=torch.float64).expand(sz))
    return _finish(d.sample(), dtype, label, None)


def poisson(lam=1.0, size=None, ctx=None):
    """Poisson(lam) samples (float32, as MXNet's)."""
    dev, label = _device(ctx)
    lt = _param(lam, dev)
    sz = _size(size, lt)
    return _finish(torch.poisson(torch.as_tensor(lt, dtype=torch.float64).expand(sz)
                                 .contiguous()), None, label, None)


def binomial(n, p, size=None, ctx=None):
    """Binomial(n, p) samples (float32)."""
    dev, label = _device(ctx)
    tn, tp = _param(n, dev), _param(p, dev)
    sz = _size(size, tn, tp)
    d = torch.distributions.Binomial(torch.as_tensor(tn, dtype=torch.float64).expand(sz),
                                     torch.as_tensor(tp, dtype=torch.float64).expand(sz))
    return _finish(d.sample(), None, label, None)


def seed(seed_state, ctx='all'):
    """Seed the generators (MXNet's `npx.random.seed`; a regluon convenience here)."""
    from .. import random as _random
    if not isinstance(seed_state, (int, onp.integer)):
        raise MXNetError(f"seed: seed_state must be an int, got {type(seed_state).__name__}")
    _random.seed(int(seed_state), ctx)


def _from_uniform(name, fn, doc):
    """A sampler of one or two parameters by inverting its CDF at U(0, 1) draws."""
    def f(a=1.0, b=None, size=None, ctx=None, out=None):
        dev, label = _device(ctx)
        pa = _param(a, dev)
        pb = None if b is None else _param(b, dev)
        u = torch.rand(_size(size, pa, *([] if pb is None else [pb])), dtype=torch.float64,
                       device=dev)
        return _finish(fn(u, pa) if pb is None else fn(u, pa, pb), None, label, out)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = doc
    return f


_gumbel = _from_uniform('gumbel', lambda u, loc, s: loc - s * torch.log(-torch.log(u)),
                        "Gumbel(loc, scale) samples.")
_logistic = _from_uniform('logistic', lambda u, loc, s: loc + s * torch.log(u / (1 - u)),
                          "Logistic(loc, scale) samples.")
pareto = _from_uniform('pareto', lambda u, a: (1 - u) ** (-1.0 / a) - 1,
                       "Pareto II (Lomax) samples with shape a, as NumPy's pareto.")
power = _from_uniform('power', lambda u, a: u ** (1.0 / a),
                      "Power-distribution samples with exponent a - 1.")
weibull = _from_uniform('weibull', lambda u, a: (-torch.log(1 - u)) ** (1.0 / a),
                        "Weibull samples with shape a (scale 1).")
rayleigh = _from_uniform('rayleigh', lambda u, s: s * torch.sqrt(-2 * torch.log(1 - u)),
                         "Rayleigh samples with the given scale.")


def gumbel(loc=0.0, scale=1.0, size=None, ctx=None, out=None):
    """Gumbel(loc, scale) samples."""
    return _gumbel(loc, scale, size, ctx, out)


def logistic(loc=0.0, scale=1.0, size=None, ctx=None, out=None):
    """Logistic(loc, scale) samples."""
    return _logistic(loc, scale, size, ctx, out)


def lognormal(mean=0.0, sigma=1.0, size=None, dtype=None, ctx=None, out=None):
    """exp of N(mean, sigma**2) samples."""
    z = normal(mean, sigma, size, 'float64', ctx)
    return _finish(torch.exp(z._t), dtype, z._ctx, out)


def chisquare(df, size=None, dtype=None, ctx=None):
    """Chi-square samples with `df` degrees of freedom (Gamma(df / 2, 2))."""
    return gamma(_tensor(df, 'chisquare') / 2 if isinstance(_tensor(df, 'chisquare'), _Tensor)
                 else df / 2, 2.0, size, dtype, ctx)


def multivariate_normal(mean, cov, size=None, check_valid=None, tol=None):  # pylint: disable=unused-argument
    """Samples of N(mean, cov); shape `size + (len(mean),)`."""
    m = _param(mean if not isinstance(mean, (list, tuple)) else onp.asarray(mean), 'cpu')
    c = _param(cov if not isinstance(cov, (list, tuple)) else onp.asarray(cov), 'cpu')
    shape = _size(size)
    d = torch.distributions.MultivariateNormal(m, covariance_matrix=c)
    return _finish(d.sample(shape), None, None, None)
