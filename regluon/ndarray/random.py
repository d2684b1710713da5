"""`nd.random`: MXNet's sampling functions, drawing from torch's generators.

`mx.random.seed(s)` makes every draw repeat exactly. Scalar parameters use the
`_random_*` operators (shape defaults to (1,)); NDArray parameters use `_sample_*`, which
draw `shape` samples per element (result shape = parameter shape + shape). The operators
themselves are in `ndarray/ops/sampling.py`; here are MXNet's signatures and its checks on
scalar parameters (MXNet checks NDArray parameters nowhere, and neither do we).
"""
import numbers

import numpy as np

from ..base import MXNetError
from ..context import Context, current_context
from .ndarray import NDArray, _label
from .register import OPS

__all__ = ['uniform', 'normal', 'randn', 'poisson', 'exponential', 'gamma', 'multinomial',
           'negative_binomial', 'generalized_negative_binomial', 'shuffle', 'randint',
           'uniform_like', 'normal_like', 'gamma_like', 'exponential_like', 'poisson_like',
           'negative_binomial_like', 'generalized_negative_binomial_like']

_NUMERIC = (numbers.Number, np.generic)


def _shape(name, shape, out):
    """The sample shape of a scalar-parameter draw, with MXNet's legacy-shape rules."""
    if shape is None:
        shape = out.shape if out is not None else (1,)
    shape = (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(shape)
    from ..numpy import _mode
    if _mode.active:    # np shape semantics (mx.np_shape(), npx.set_np()): () is 0-d and
        if any(int(s) < 0 for s in shape):       # a 0 is an empty axis
            raise MXNetError(f"random.{name}: negative size in shape {shape}")
    elif not shape or any(int(s) <= 0 for s in shape):
        # MXNet 1.x reads () and 0 as "unknown" and fails to infer the output shape
        raise MXNetError(f"random.{name}: shape must have at least one axis and positive "
                         f"sizes, got {shape}")
    return tuple(int(s) for s in shape)


def _helper(name, params, shape, dtype, ctx, out, checks=()):
    """MXNet's `_random_helper`: pick `_random_<name>` or `_sample_<name>` by parameter type."""
    if isinstance(params[0], NDArray):
        for p in params[1:]:
            assert isinstance(p, NDArray), \
                "Distribution parameters must all have the same type, but got " \
                "both %s and %s." % (type(params[0]), type(p))
        extra = () if shape is None else \
            ((int(shape),) if isinstance(shape, (int, np.integer)) else tuple(shape))
        return OPS[f'_sample_{name}'].func(*params, shape=extra, dtype=dtype, out=out)
    if isinstance(params[0], _NUMERIC):
        for p in params[1:]:
            assert isinstance(p, _NUMERIC), \
                "Distribution parameters must all have the same type, but got " \
                "both %s and %s." % (type(params[0]), type(p))
        for ok, msg in checks:
            if not ok(*params):
                raise MXNetError(f"random.{name}: {msg}, got {params}")
        ctx = current_context() if ctx is None else Context(ctx)
        res = OPS[f'_random_{name}'].func(*params, shape=_shape(name, shape, out),
                                          dtype=dtype, ctx=ctx, out=out)
        if out is None:
            res._ctx = _label(ctx)           # cpu(i) ids are labels, as in NDArray
        return res
    raise ValueError("Distribution parameters must be either NDArray or numbers, "
                     "but got %s." % type(params[0]))


def uniform(low=0, high=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Draw random samples from a uniform distribution over [low, high).

    Parameters
    ----------
    low, high : float or NDArray, optional
        Boundaries of the interval. NDArrays give one distribution per element.
    shape : int or tuple of ints, optional
        Samples to draw (per element of NDArray parameters). Default (1,) for scalars.
    dtype : {'float16', 'float32', 'float64'}, optional
        Default 'float32'.
    ctx : Context, optional
        Default the current context; NDArray parameters' context wins.
    out : NDArray, optional
        Store the result here.
    """
    return _helper('uniform', [low, high], shape, dtype, ctx, out,
                   [(lambda lo, hi: hi >= lo,
                     "low must be less or equal to high in uniform distribution")])


def normal(loc=0, scale=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Draw random samples from a normal (Gaussian) distribution N(loc, scale**2).

    Parameters are as in `uniform`: loc (mean) and scale (standard deviation).
    """
    return _helper('normal', [loc, scale], shape, dtype, ctx, out,
                   [(lambda m, s: s > 0, "scale parameter in gaussian has to be positive")])


def randn(*shape, **kwargs):
    """Draw samples of shape `shape` from N(loc, scale**2) (keywords: loc, scale, dtype, ctx)."""
    loc, scale = kwargs.pop('loc', 0), kwargs.pop('scale', 1)
    assert isinstance(loc, (int, float)) and isinstance(scale, (int, float))
    return normal(loc, scale, shape, kwargs.pop('dtype', None), kwargs.pop('ctx', None),
                  kwargs.pop('out', None))


def poisson(lam=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Draw random samples from a Poisson distribution with rate `lam` (float32 counts)."""
    return _helper('poisson', [lam], shape, dtype, ctx, out,
                   [(lambda lm: lm >= 0,
                     "lambda parameter in poisson distribution has to be non-negative")])


def exponential(scale=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Draw random samples from an exponential distribution with mean `scale`."""
    if isinstance(scale, _NUMERIC) and scale == 0:
        # MXNet passes the rate 1/scale to its operator, so this is where it fails too
        raise ZeroDivisionError('float division by zero')
    # MXNet's operators take the rate 1/scale
    return _helper('exponential', [1.0 / scale], shape, dtype, ctx, out,
                   [(lambda lam: lam > 0, "lambda parameter in exponential distribution has "
                     "to be positive")])


def gamma(alpha=1, beta=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Draw random samples from a gamma distribution (shape `alpha`, scale `beta`)."""
    return _helper('gamma', [alpha, beta], shape, dtype, ctx, out,
                   [(lambda a, b: a > 0, "alpha parameter in gamma distribution has to be "
                     "positive"),
                    (lambda a, b: b > 0, "beta parameter in gamma distribution has to be "
                     "positive")])


def negative_binomial(k=1, p=1, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Draw failures before `k` successes of trials with success probability `p`."""
    return _helper('negative_binomial', [k, p], shape, dtype, ctx, out,
                   [(lambda k_, p_: k_ >= 0, "k parameter in negative binomial distribution "
                     "has to be non-negative"),
                    # MXNet does not check p and returns garbage for p <= 0 or p > 1
                    (lambda k_, p_: 0 < p_ <= 1, "p parameter in negative binomial "
                     "distribution has to be in (0, 1]")])


def generalized_negative_binomial(mu=1, alpha=1, shape=None, dtype=None, ctx=None,
                                  out=None, **kwargs):
    """Draw from a negative binomial with mean `mu` and dispersion `alpha` (var mu+alpha*mu^2)."""
    return _helper('generalized_negative_binomial', [mu, alpha], shape, dtype, ctx, out,
                   [(lambda m, a: m >= 0, "mu parameter in generalized negative binomial "
                     "distribution has to be non-negative"),
                    (lambda m, a: a >= 0, "alpha parameter in generalized negative binomial "
                     "distribution has to be non-negative")])


def randint(low, high, shape=None, dtype=None, ctx=None, out=None, **kwargs):
    """Draw integers uniformly from [low, high); dtype 'int32' (default) or 'int64'."""
    if isinstance(low, NDArray):
        raise TypeError("randint: low and high must be integers; MXNet has no per-element "
                        "randint")
    for n, v in (('low', low), ('high', high)):
        if not isinstance(v, (int, np.integer)):
            raise MXNetError(f"Invalid Parameter format for {n} expect long but "
                             f"value='{v}', in operator _random_randint")
    return _helper('randint', [low, high], shape, dtype, ctx, out,
                   [(lambda lo, hi: hi >= lo, "low must be less or equal to high in uniform "
                     "distribution"),
                    # MXNet passes this check with low == high and then crashes
                    (lambda lo, hi: hi != lo, "low must be less than high")])


def multinomial(data, shape=None, get_prob=False, out=None, dtype='int32', **kwargs):
    """Draw category indices from the probability rows (last axis) of `data`.

    Parameters
    ----------
    data : NDArray
        Probabilities of k outcomes along the last axis (each row should sum to 1).
    shape : int or tuple of ints, optional
        Samples per distribution; the result's shape is data.shape[:-1] + shape.
    get_prob : bool, optional
        Also return the log-likelihood of each sample (differentiable w.r.t. data).
    dtype : str, optional
        Sample dtype, 'int32' by default.
    """
    extra = () if shape is None else \
        ((int(shape),) if isinstance(shape, (int, np.integer)) else tuple(shape))
    return OPS['_sample_multinomial'].func(data, shape=extra, get_prob=get_prob, out=out,
                                           dtype=dtype)


def shuffle(data, **kwargs):
    """A copy of `data` with its items along the first axis in random order."""
    return OPS['_shuffle'].func(data, out=kwargs.get('out'))


def _like(dist):
    f = OPS[f'_random_{dist}_like'].func

    def like(data=None, *args, out=None, **kwargs):
        return f(data, *args, out=out, **kwargs)
    like.__name__ = f'{dist}_like'
    like.__doc__ = f.__doc__
    return like


uniform_like = _like('uniform')
normal_like = _like('normal')
gamma_like = _like('gamma')
exponential_like = _like('exponential')
poisson_like = _like('poisson')
negative_binomial_like = _like('negative_binomial')
generalized_negative_binomial_like = _like('generalized_negative_binomial')
_LIKE_DISTS = ('uniform', 'normal', 'gamma', 'exponential', 'poisson', 'negative_binomial',
               'generalized_negative_binomial')
