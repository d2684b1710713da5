"""`mx.sym.random`: sampling nodes, as `nd.random` draws (the same `_random_*` and
`_sample_*` operators): scalar parameters give a `_random_<dist>` node of `shape`, Symbol
parameters a `_sample_<dist>` node drawing `shape` samples per element."""
import numbers

import numpy as np

from ..ndarray.random import _LIKE_DISTS
from .symbol import Symbol, make_op

__all__ = ['uniform', 'normal', 'randn', 'poisson', 'exponential', 'gamma', 'multinomial',
           'negative_binomial', 'generalized_negative_binomial', 'shuffle', 'randint'] + \
    [f'{d}_like' for d in _LIKE_DISTS]


def _shape(shape):
    return (int(shape),) if isinstance(shape, (int, np.integer)) else tuple(shape)


_NAMES = {'uniform': ('low', 'high'), 'normal': ('loc', 'scale'), 'poisson': ('lam',),
          'exponential': ('lam',), 'gamma': ('alpha', 'beta'), 'negative_binomial': ('k', 'p'),
          'generalized_negative_binomial': ('mu', 'alpha'), 'randint': ('low', 'high')}


def _node(dist, params, shape, dtype, kwargs):
    """MXNet's symbolic `_random_helper`: `_random_<dist>` or `_sample_<dist>` (scalar
    parameters are node settings, named as MXNet writes them)."""
    settings = dict(kwargs)
    if shape is not None:
        settings['shape'] = _shape(shape)
    if dtype is not None:
        settings['dtype'] = dtype
    for kind, prefix in ((Symbol, '_sample_'), ((numbers.Number, np.generic), '_random_')):
        if isinstance(params[0], kind):
            assert all(isinstance(p, kind) for p in params[1:]), \
                "Distribution parameters must all have the same type, but got " \
                f"{[type(p) for p in params]}."
            if prefix == '_random_':
                settings.update(zip(_NAMES[dist], params))
                params = ()
            return make_op(prefix + dist)(*params, **settings)
    raise ValueError("Distribution parameters must be either Symbol or numbers, but got "
                     f"{type(params[0])}.")


def uniform(low=0, high=1, shape=None, dtype=None, **kwargs):
    """Samples from U[low, high)."""
    return _node('uniform', [low, high], shape, dtype, kwargs)


def normal(loc=0, scale=1, shape=None, dtype=None, **kwargs):
    """Samples from N(loc, scale**2)."""
    return _node('normal', [loc, scale], shape, dtype, kwargs)


def randn(*shape, **kwargs):
    """Normal samples of the given shape (`loc`, `scale` as keywords)."""
    loc, scale = kwargs.pop('loc', 0), kwargs.pop('scale', 1)
    return normal(loc, scale, shape or None, **kwargs)


def poisson(lam=1, shape=None, dtype=None, **kwargs):
    """Samples from Poisson(lam)."""
    return _node('poisson', [lam], shape, dtype, kwargs)


def exponential(scale=1, shape=None, dtype=None, **kwargs):
    """Samples from the exponential distribution of mean `scale` (nodes take the rate)."""
    return _node('exponential', [1.0 / scale], shape, dtype, kwargs)


def gamma(alpha=1, beta=1, shape=None, dtype=None, **kwargs):
    """Samples from Gamma(alpha, beta) (beta the scale)."""
    return _node('gamma', [alpha, beta], shape, dtype, kwargs)


def negative_binomial(k=1, p=1, shape=None, dtype=None, **kwargs):
    """Samples from NB(k, p)."""
    return _node('negative_binomial', [k, p], shape, dtype, kwargs)


def generalized_negative_binomial(mu=1, alpha=1, shape=None, dtype=None, **kwargs):
    """Samples from GNB(mu, alpha)."""
    return _node('generalized_negative_binomial', [mu, alpha], shape, dtype, kwargs)


def randint(low, high, shape=None, dtype=None, **kwargs):
    """Integers drawn uniformly from [low, high)."""
    return _node('randint', [low, high], shape, dtype, kwargs)


def multinomial(data, shape=None, get_prob=False, dtype='int32', **kwargs):
    """Category indices drawn from the probability rows of `data`."""
    settings = dict(kwargs, get_prob=get_prob, dtype=dtype)
    if shape is not None:
        settings['shape'] = _shape(shape)
    return make_op('_sample_multinomial')(data, **settings)


def shuffle(data, **kwargs):
    """`data` with its first axis randomly permuted."""
    return make_op('_shuffle')(data, **kwargs)


def _like(dist):
    def like(data=None, *args, **kwargs):
        return make_op(f'_random_{dist}_like')(data, *args, **kwargs)
    like.__name__ = f'{dist}_like'
    like.__doc__ = f"Samples from {dist} with `data`'s shape."
    return like


for _d in _LIKE_DISTS:
    globals()[f'{_d}_like'] = _like(_d)
