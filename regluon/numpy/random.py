"""`mx.np.random`: NumPy's sampling functions, drawing from torch's generators.

`mx.random.seed(n)` (or `npx.random.seed`) seeds them; the sequences differ from MXNet's.
As in MXNet 1.9.1: without `size` (or with `size=()`) the result has the parameters'
broadcast shape (0-d for numbers); with `size` it has exactly that shape (zero sizes give
empty arrays) and the parameters must broadcast against it; bad parameters (a negative
scale, a non-positive shape) are ValueErrors; normal, lognormal, logistic, gumbel,
exponential, rayleigh, weibull and pareto have reparameterized gradients in their array
parameters, uniform, power, gamma, beta and chisquare zero gradients.
"""
import numpy as onp
import torch

from ..base import MXNetError, dtype_name
from ..ndarray.ndarray import _device
from ._dtype import tdtype
from .multiarray import NDArray, _Tensor, _tensor, _wrap

__all__ = ['normal', 'uniform', 'randint', 'choice', 'shuffle', 'multinomial', 'rand',
           'randn', 'exponential', 'gamma', 'beta', 'poisson', 'binomial', 'seed', 'chisquare',
           'gumbel', 'logistic', 'lognormal', 'multivariate_normal', 'pareto', 'power',
           'rayleigh', 'weibull']

_F64 = torch.float64


def _param(v, dev):
    """A parameter as a float64 tensor on `dev` (differentiable), or a Python float."""
    t = _tensor(v, 'random')
    return t.to(device=dev, dtype=_F64) if isinstance(t, _Tensor) else float(v)


def _check(name, what, ok, params):
    """MXNet's parameter checks (arrays too): a ValueError naming the op."""
    for p in params:
        bad = bool((~ok(p.detach())).any()) if isinstance(p, _Tensor) else not ok(p)
        if bad:
            raise ValueError(f"random.{name}: expect {what}, got "
                             f"{p.detach().cpu().numpy() if isinstance(p, _Tensor) else p}")


def _float_dtype(name, dtype):
    """MXNet's continuous samplers take dtype float16, float32 or float64 only."""
    if dtype is not None and dtype_name(dtype) not in ('float16', 'float32', 'float64'):
        raise MXNetError(f"random.{name}: dtype must be float16, float32 or float64, got "
                         f"{dtype_name(dtype)}")


def _size(size, *params, name='random'):
    """The output shape: `size` (an int or a tuple; None/() mean the parameters' broadcast
    shape). Parameters must broadcast against `size` where their trailing axes meet it."""
    shapes = [tuple(p.shape) for p in params if isinstance(p, _Tensor)]
    if size is None or (isinstance(size, tuple) and size == ()):
        try:
            return tuple(torch.broadcast_shapes(*shapes)) if shapes else ()
        except RuntimeError:
            raise MXNetError(f"random.{name}: operands could not be broadcast together with "
                             f"shapes {' '.join(str(list(s)) for s in shapes)}") from None
    if isinstance(size, (int, onp.integer)):
        shape = (int(size),)
    elif isinstance(size, (tuple, list)) and all(isinstance(s, (int, onp.integer))
                                                 for s in size):
        shape = tuple(int(s) for s in size)
    else:
        raise MXNetError(f"random.{name}: size must be an int or a tuple of ints, got "
                         f"{size!r}")
    if any(s < 0 for s in shape):
        raise MXNetError(f"random.{name}: size must have non-negative sizes, got {shape}")
    for s in shapes:
        for a, b in zip(reversed(s), reversed(shape)):
            if a != b and a != 1 and b != 1:
                raise MXNetError(f"random.{name}: operands could not be broadcast together "
                                 f"with shapes {list(s)} {list(shape)}")
    return shape


def _fit(p, shape):
    """Parameter `p` expanded to `shape` (MXNet reads only the trailing axes it shares with
    `size`; axes where `size` is 1 read the first entry)."""
    if not isinstance(p, _Tensor):
        return p
    extra = p.dim() - len(shape)
    if extra > 0:
        p = p[(0,) * extra]
    for i, (a, b) in enumerate(zip(reversed(p.shape), reversed(shape))):
        if a != b and b == 1:
            p = p.narrow(p.dim() - 1 - i, 0, 1)
    return p.expand(shape)


def _zero_grad(r, params):
    """`r` joined to the array parameters with zero gradients (MXNet's samplers without a
    reparameterized gradient still backpropagate, zeros)."""
    for p in params:
        if isinstance(p, _Tensor) and p.requires_grad:
            r = r + p.sum() * 0
    return r


def _finish(t, dtype, label, out, name='random'):
    r = _wrap(t.to(tdtype(dtype)), label)
    if out is not None:
        if tuple(out.shape) != tuple(r.shape):
            raise MXNetError(f"random.{name}: Shape inconsistent, provided out of shape "
                             f"{tuple(out.shape)}, inferred shape {tuple(r.shape)}")
        out._assign(r._t)
        return out
    return r


def _noise(shape, dev, kind):
    if kind == 'uniform':
        return torch.rand(shape, dtype=_F64, device=dev)
    if kind == 'normal':
        return torch.randn(shape, dtype=_F64, device=dev)
    return torch.empty(shape, dtype=_F64, device=dev).exponential_()


def _gaussian(name, loc, scale, scale_name, size, dtype, ctx):
    """N(loc, scale**2) draws for normal and lognormal: (samples, their device label)."""
    _float_dtype(name, dtype)
    dev, label = _device(ctx)
    mu, sigma = _param(loc, dev), _param(scale, dev)
    _check(name, f'{scale_name} >= 0', lambda s: s >= 0, [sigma])
    shape = _size(size, mu, sigma, name=name)
    return _noise(shape, dev, 'normal') * _fit(sigma, shape) + _fit(mu, shape), label


def normal(loc=0.0, scale=1.0, size=None, dtype=None, ctx=None, out=None):
    """Samples of N(loc, scale**2), float32 unless `dtype`."""
    z, label = _gaussian('normal', loc, scale, 'scale', size, dtype, ctx)
    return _finish(z, dtype, label, out, 'normal')


def uniform(low=0.0, high=1.0, size=None, dtype=None, ctx=None, out=None):
    """Samples of U[low, high), float32 unless `dtype` (zero gradients, as MXNet's)."""
    _float_dtype('uniform', dtype)
    dev, label = _device(ctx)
    lo, hi = _param(low, dev), _param(high, dev)
    shape = _size(size, lo, hi, name='uniform')
    u = _noise(shape, dev, 'uniform')
    lo_, hi_ = (p.detach() if isinstance(p, _Tensor) else p for p in (lo, hi))
    r = _fit(lo_, shape) + u * (_fit(hi_, shape) - _fit(lo_, shape))
    return _finish(_zero_grad(r, (lo, hi)), dtype, label, out, 'uniform')


def randn(*size, **kwargs):
    """Standard normal samples of shape `size`."""
    return normal(0, 1, size=size, **kwargs)


def rand(*size, **kwargs):
    """U[0, 1) samples of shape `size`."""
    return uniform(0, 1, size=size, **kwargs)


def randint(low, high=None, size=None, dtype=None, ctx=None, out=None):
    """Integers in [low, high) (or [0, low)), int64 unless `dtype` (int32 or int64)."""
    if high is None:
        low, high = 0, low
    for v in (low, high):
        if not isinstance(v, (int, onp.integer)):
            raise MXNetError(f"random.randint: low and high must be integers, got {v!r}")
    if dtype is not None and dtype_name(dtype) not in ('int32', 'int64'):
        raise MXNetError(f"random.randint: dtype must be int32 or int64, got "
                         f"{dtype_name(dtype)}")
    if high <= low:
        raise ValueError(f"randint: low ({low}) must be less than high ({high})")
    dev, label = _device(ctx)
    t = torch.randint(int(low), int(high), _size(size, name='randint'), device=dev)
    return _finish(t, dtype or 'int64', label, out, 'randint')


def choice(a, size=None, replace=True, p=None, ctx=None, out=None):
    """Samples from `arange(a)` (an int) or from the elements of 1-D array `a`, uniform or
    with probabilities `p`; indices are int64."""
    dev, label = _device(ctx)
    n = int(a) if isinstance(a, (int, onp.integer)) else a.shape[0]
    shape = _size(size, name='choice')
    k = int(onp.prod(shape)) if shape else 1
    if not replace and k > n:
        # MXNet 1.9.1 fails (an MXNetError, from an allocation) and corrupts its memory
        raise MXNetError(f"random.choice: cannot take a larger sample ({k}) than the "
                         f"population ({n}) when replace=False")
    if k == 0:
        idx = torch.zeros(shape, dtype=torch.int64, device=dev)
    else:
        probs = torch.ones(n, dtype=_F64, device=dev) if p is None else \
            _param(p if isinstance(p, NDArray) else onp.asarray(p, dtype=onp.float64), dev)
        idx = torch.multinomial(probs, k, replacement=replace).reshape(shape)
    if isinstance(a, (int, onp.integer)):
        return _finish(idx, 'int64', label, out, 'choice')
    t = _tensor(a, 'choice')
    return _wrap(t[idx.to(t.device)], label)


def shuffle(x):
    """Shuffle the array `x` in place along its first axis."""
    if not isinstance(x, NDArray):
        raise TypeError(f"shuffle: expected an mxnet.numpy.ndarray, got {type(x).__name__}")
    if x.ndim == 0:
        raise MXNetError("random.shuffle: expected an array of at least one axis, got a 0-d one")
    perm = torch.randperm(x.shape[0], device=x._t.device)
    with torch.no_grad():
        x._t.copy_(x._t[perm])


def multinomial(n, pvals, size=None):
    """Counts (int64) of `n` draws over `len(pvals)` outcomes, `size` times; `pvals` a 1-D
    array or a flat list (a NumPy array or a nested list: ValueError, as MXNet's). As
    MXNet's kernel: a draw u ~ U[0, 1) takes the first outcome whose running sum of pvals
    exceeds u, else the last one (which so gets 1 - sum(pvals[:-1])); a running sum (in
    pvals' dtype, float64 for a list) over 1 + 1e-12 is an MXNetError."""
    if isinstance(pvals, onp.ndarray):
        raise ValueError('numpy ndarray is not supported!')
    if not isinstance(n, (int, onp.integer)) or isinstance(n, (bool, onp.bool_)):
        raise MXNetError(f"random.multinomial: n must be an int, got {n!r}")
    if n < 0:
        raise MXNetError(f"random.multinomial: n must be non-negative, got {n}")
    if isinstance(pvals, NDArray):
        p = pvals._t.detach().cpu()
        if p.dim() != 1:
            raise MXNetError(f"random.multinomial: pvals must be 1-D, got shape "
                             f"{tuple(p.shape)}")
    else:
        if any(isinstance(i, list) for i in pvals):
            raise ValueError('object too deep for desired array')
        p = torch.tensor([float(v) for v in pvals], dtype=_F64)
    shape = _size(size, name='multinomial')
    k = int(onp.prod(shape)) if shape else 1
    counts = torch.zeros(k, p.shape[0], dtype=torch.int64)
    if k and p.shape[0]:
        running = torch.cumsum(p, 0)              # MXNet's check sums in pvals' dtype
        over = running.double() > 1.0 + 1e-12
        if bool(over.any()):
            raise MXNetError("random.multinomial: sum(pvals[:-1]) > 1.0 (a running sum of "
                             f"pvals reached {float(running[over][0]):.10g})")
        reach = torch.cummax(torch.cumsum(p.double(), 0), 0).values.clamp(0, 1)
        probs = torch.diff(reach, prepend=reach.new_zeros(1))
        probs[-1] = 1 - (reach[-2] if p.shape[0] > 1 else 0)
        if n:
            draws = torch.multinomial(probs, int(n) * k, replacement=True).reshape(k, int(n))
            counts.scatter_add_(1, draws, torch.ones_like(draws))
    return _wrap(counts.reshape(shape + (p.shape[0],)))


def _one_param(name, kind, what, ok, fn, grad=True):
    """A sampler of one parameter `a`: fn(noise, a) on `kind` noise."""
    def sampler(a, size, ctx, out):
        dev, label = _device(ctx)
        pa = _param(a, dev)
        _check(name, what, ok, [pa])
        shape = _size(size, pa, name=name)
        z = _noise(shape, dev, kind)
        if grad:
            return _finish(fn(z, _fit(pa, shape)), None, label, out, name)
        r = fn(z, _fit(pa.detach() if isinstance(pa, _Tensor) else pa, shape))
        return _finish(_zero_grad(r, [pa]), None, label, out, name)
    return sampler


_exponential = _one_param('exponential', 'exp', 'scale >= 0', lambda s: s >= 0,
                          lambda e, s: e * s)
_rayleigh = _one_param('rayleigh', 'exp', 'scale >= 0', lambda s: s >= 0,
                       lambda e, s: s * torch.sqrt(2 * e))
_weibull = _one_param('weibull', 'exp', 'a > 0', lambda a: a > 0,
                      lambda e, a: e ** (1.0 / a))
_pareto = _one_param('pareto', 'exp', 'a > 0', lambda a: a > 0,
                     lambda e, a: torch.expm1(e / a))
_power = _one_param('power', 'uniform', 'a > 0', lambda a: a > 0,
                    lambda u, a: u ** (1.0 / a), grad=False)


def exponential(scale=1.0, size=None, ctx=None, out=None):
    """Exponential samples with the given scale (1/rate)."""
    return _exponential(scale, size, ctx, out)


def rayleigh(scale=1.0, size=None, ctx=None, out=None):
    """Rayleigh samples with the given scale."""
    return _rayleigh(scale, size, ctx, out)


def weibull(a, size=None, ctx=None, out=None):
    """Weibull samples with shape a (scale 1)."""
    return _weibull(a, size, ctx, out)


def pareto(a, size=None, ctx=None, out=None):
    """Pareto II (Lomax) samples with shape a, as NumPy's pareto."""
    return _pareto(a, size, ctx, out)


def power(a, size=None, ctx=None, out=None):
    """Power-distribution samples with exponent a - 1 (zero gradients, as MXNet's; `ctx`
    and `out` are regluon's, for the np-mode graph)."""
    return _power(a, size, ctx, out)


def _loc_scale(name, fn, loc, scale, size, ctx, out):
    dev, label = _device(ctx)
    mu, s = _param(loc, dev), _param(scale, dev)
    _check(name, 'scale >= 0', lambda v: v >= 0, [s])
    shape = _size(size, mu, s, name=name)
    u = _noise(shape, dev, 'uniform')
    return _finish(fn(u, _fit(mu, shape), _fit(s, shape)), None, label, out, name)


def gumbel(loc=0.0, scale=1.0, size=None, ctx=None, out=None):
    """Gumbel(loc, scale) samples."""
    return _loc_scale('gumbel', lambda u, m, s: m - s * torch.log(-torch.log(u)),
                      loc, scale, size, ctx, out)


def logistic(loc=0.0, scale=1.0, size=None, ctx=None, out=None):
    """Logistic(loc, scale) samples."""
    return _loc_scale('logistic', lambda u, m, s: m + s * torch.log(u / (1 - u)),
                      loc, scale, size, ctx, out)


def lognormal(mean=0.0, sigma=1.0, size=None, dtype=None, ctx=None, out=None):
    """exp of N(mean, sigma**2) samples."""
    z, label = _gaussian('lognormal', mean, sigma, 'sigma', size, dtype, ctx)
    return _finish(torch.exp(z), dtype, label, out, 'lognormal')


def _gamma(k, s, shape, dev):
    """Gamma(k, s) draws of `shape` (float64, no gradient)."""
    k = k.detach() if isinstance(k, _Tensor) else k
    s = s.detach() if isinstance(s, _Tensor) else s
    kk = _fit(k, shape) if isinstance(k, _Tensor) else torch.full(shape, k, dtype=_F64)
    g = torch._standard_gamma(kk.to(dev).contiguous())  # pylint: disable=protected-access
    return g * _fit(s, shape)


def gamma(shape=1.0, scale=1.0, size=None, dtype=None, ctx=None, out=None):  # pylint: disable=redefined-outer-name
    """Gamma(shape, scale) samples (zero gradients, as MXNet's); `out` gives the size."""
    _float_dtype('gamma', dtype)
    dev, label = _device(ctx)
    k, s = _param(shape, dev), _param(scale, dev)
    _check('gamma', 'shape > 0', lambda v: v > 0, [k])
    _check('gamma', 'scale > 0', lambda v: v > 0, [s])
    if out is not None:
        size = tuple(out.shape)
    sz = _size(size, k, s, name='gamma')
    return _finish(_zero_grad(_gamma(k, s, sz, dev), (k, s)), dtype, label, out, 'gamma')


def beta(a, b, size=None, dtype=None, ctx=None):
    """Beta(a, b) samples, X / (X + Y) of Gamma(a, 1) and Gamma(b, 1) draws (zero
    gradients, as MXNet's)."""
    dev, label = _device(ctx)
    ta, tb = _param(a, dev), _param(b, dev)
    _check('beta', 'a > 0 and b > 0', lambda v: v > 0, [ta, tb])
    sz = _size(size, ta, tb, name='beta')
    x, y = _gamma(ta, 1.0, sz, dev), _gamma(tb, 1.0, sz, dev)
    return _finish(_zero_grad(x / (x + y), (ta, tb)), dtype, label, None, 'beta')


def chisquare(df, size=None, dtype=None, ctx=None):
    """Chi-square samples with `df` degrees of freedom (Gamma(df / 2, 2); zero gradients).
    MXNet 1.9.1's eager and symbolic chisquare draw Gamma(df / 2, 1 / 2) (mean df / 4);
    this eager one keeps NumPy's distribution, the np-mode graph node MXNet's."""
    _float_dtype('chisquare', dtype)
    dev, label = _device(ctx)
    k = _param(df, dev)
    _check('chisquare', 'df > 0', lambda v: v > 0, [k])
    sz = _size(size, k, name='chisquare')
    return _finish(_zero_grad(_gamma(k / 2, 2.0, sz, dev), [k]), dtype, label, None,
                   'chisquare')


def poisson(lam=1.0, size=None, ctx=None):
    """Poisson(lam) samples (float32, as MXNet's)."""
    dev, label = _device(ctx)
    lt = _param(lam, dev)
    _check('poisson', 'lam >= 0', lambda v: v >= 0, [lt])
    sz = _size(size, lt, name='poisson')
    lt = _fit(lt.detach(), sz) if isinstance(lt, _Tensor) else torch.full(sz, lt, dtype=_F64)
    return _finish(torch.poisson(lt.to(dev).contiguous()), None, label, None, 'poisson')


def binomial(n, p, size=None, ctx=None):
    """Binomial(n, p) samples (float32)."""
    dev, label = _device(ctx)
    tn, tp = _param(n, dev), _param(p, dev)
    sz = _size(size, tn, tp, name='binomial')
    full = [_fit(v.detach(), sz) if isinstance(v, _Tensor) else
            torch.full(sz, v, dtype=_F64, device=dev) for v in (tn, tp)]
    return _finish(torch.distributions.Binomial(full[0], full[1]).sample(), None, label, None,
                   'binomial')


def seed(seed, ctx='all'):  # pylint: disable=redefined-outer-name
    """Seed the generators (MXNet's `npx.random.seed`; a regluon convenience here)."""
    from .. import random as _random
    if not isinstance(seed, (int, onp.integer)):
        raise MXNetError(f"seed: seed must be an int, got {type(seed).__name__}")
    _random.seed(int(seed), ctx)


def multivariate_normal(mean, cov, size=None, check_valid=None, tol=None):  # pylint: disable=unused-argument
    """Samples of N(mean, cov); shape `size + (len(mean),)` (`check_valid`, `tol` ignored,
    as mx.np's)."""
    m = _param(mean if not isinstance(mean, (list, tuple)) else onp.asarray(mean), 'cpu')
    c = _param(cov if not isinstance(cov, (list, tuple)) else onp.asarray(cov), 'cpu')
    shape = _size(size, name='multivariate_normal')
    d = torch.distributions.MultivariateNormal(m, covariance_matrix=c)
    dt = mean.dtype if isinstance(mean, NDArray) and onp.dtype(mean.dtype).kind == 'f' \
        else None
    return _finish(d.sample(shape), dt, None, None, 'multivariate_normal')
