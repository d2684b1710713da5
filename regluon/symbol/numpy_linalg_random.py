"""`mx.sym.np.linalg` and `mx.sym.np.random` (regluon/symbol/numpy.py defines the
namespaces; this module fills them). Each function builds the nodes MXNet 1.9.1's
symbol/numpy/{linalg,random}.py build: their operators, settings (a parameter given as a
`_Symbol` becomes an input and its setting None) and node names; the kernels are in
regluon/numpy/_ops_linalg_random.py.
"""
from ..base import dtype_name
from .json_io import AttrList
from . import numpy as _np
from .numpy import _op, _ctx, NoNpSymbol, linalg, random
from .symbol import Symbol


# ---- linalg ---------------------------------------------------------------------------------
def norm(x, ord=None, axis=None, keepdims=False):  # pylint: disable=redefined-builtin
    """Matrix or vector norm, built as MXNet builds it: an `_npi_norm` node (its `flag`
    says which norm) or abs/sum/max nodes for the inf and 1 norms."""
    if axis is None and ord is None:
        return _op('_npi_norm', 'norm', x, ord=2, axis=None, keepdims=keepdims, flag=-2)
    if not (axis is None or isinstance(axis, (int, tuple))):
        raise TypeError("'axis' must be None, an integer or a tuple of integers.")
    if axis is not None:
        if isinstance(axis, int):
            axis = (axis,)
        if len(axis) == 2:
            row, col = axis
            if ord in ('inf', '-inf'):
                if not keepdims and row > col:
                    row -= 1
                red = _np.max if ord == 'inf' else _np.min
                return red(_np.sum(_np.abs(x), axis=col, keepdims=keepdims), axis=row,
                           keepdims=keepdims)
            if ord in (1, -1):
                if not keepdims and row < col:
                    col -= 1
                red = _np.max if ord == 1 else _np.min
                return red(_np.sum(_np.abs(x), axis=row, keepdims=keepdims), axis=col,
                           keepdims=keepdims)
            if ord in (2, -2):
                return _op('_npi_norm', 'norm', x, ord=ord, axis=axis, keepdims=keepdims,
                           flag=0)
            if ord is None:
                return _op('_npi_norm', 'norm', x, ord=2, axis=axis, keepdims=keepdims,
                           flag=1)
    if ord == 'inf':
        return _np.max(_np.abs(x), axis=axis, keepdims=keepdims)
    if ord == '-inf':
        return _np.min(_np.abs(x), axis=axis, keepdims=keepdims)
    if ord is None or ord in ('fro', 'f'):
        return _op('_npi_norm', 'norm', x, ord=2, axis=axis, keepdims=keepdims, flag=1)
    if ord == 'nuc':
        return _op('_npi_norm', 'norm', x, ord=2, axis=axis, keepdims=keepdims, flag=2)
    return _op('_npi_norm', 'norm', x, ord=2 if ord == 2 else ord, axis=axis,
               keepdims=keepdims, flag=-1)


def _one(opname, hint, doc):
    def f(a):
        return _op(opname, hint, a)
    f.__name__ = f.__qualname__ = hint
    f.__doc__ = doc
    return f


cholesky = _one('_npi_cholesky', 'cholesky', "The lower Cholesky factor of (a stack of) "
                "symmetric positive-definite matrices.")
# MXNet 1.9.1 builds its legacy linalg nodes for these (exported as _linalg_det etc.)
det = _one('linalg_det', 'det', "The determinant of (a stack of) square matrices.")
slogdet = _one('linalg_slogdet', 'slogdet', "(sign, log|det|) of (a stack of) square "
               "matrices: a group of two outputs.")
inv = _one('linalg_inverse', 'inv', "The inverse of (a stack of) square matrices.")
eig = _one('_npi_eig', 'eig', "(eigenvalues, eigenvectors) of a square matrix with real "
           "eigenvalues: a group of two outputs.")
eigvals = _one('_npi_eigvals', 'eigvals', "The eigenvalues of a square matrix with real "
               "eigenvalues.")
svd = _one('_npi_svd', 'svd', "(ut, s, v) with a = ut @ diag(s) @ v: a group of three outputs.")


def pinv(a, rcond=1e-15, hermitian=False):
    """The pseudo-inverse; `rcond` a number or a `_Symbol` (then an input)."""
    if hermitian is True:
        raise NotImplementedError("hermitian is not supported yet...")
    if isinstance(rcond, Symbol):
        return _op('_npi_pinv', 'pinv', a, rcond, hermitian=hermitian)
    return _op('_npi_pinv_scalar_rcond', 'pinv_scalar_rcond', a, rcond=rcond,
               hermitian=hermitian)


def solve(a, b):
    """The x with a @ x == b."""
    return _op('_npi_solve', 'solve', a, b)


def eigh(a, UPLO='L'):  # pylint: disable=invalid-name
    """(eigenvalues, eigenvectors) of a symmetric matrix (its `UPLO` triangle)."""
    return _op('_npi_eigh', 'eigh', a, UPLO=UPLO)


def eigvalsh(a, UPLO='L'):  # pylint: disable=invalid-name
    """The eigenvalues of a symmetric matrix (its `UPLO` triangle)."""
    return _op('_npi_eigvalsh', 'eigvalsh', a, UPLO=UPLO)


def tensorinv(a, ind=2):
    """The inverse of `a` seen as a matrix over its first `ind` axes."""
    return _op('_npi_tensorinv', 'tensorinv', a, ind=ind)


def tensorsolve(a, b, axes=None):
    """The x with tensordot(a, x, x.ndim) == b."""
    return _op('_npi_tensorsolve', 'tensorsolve', a, b, a_axes=axes)


for _f in (norm, cholesky, det, slogdet, inv, pinv, solve, eigh, eigvalsh, eig, eigvals, svd,
           tensorinv, tensorsolve):
    setattr(linalg, _f.__name__, _f)


# ---- random -----------------------------------------------------------------------------------
def _size(size):
    if size == ():
        return None
    return AttrList(size) if isinstance(size, list) else size


def _dtype(dtype, default='float32'):
    return default if dtype is None else dtype_name(dtype)


def _sampler(opname, hint, params, size, **settings):
    """A sampling node: the parameters given as `_Symbol`s are its inputs (in order) and
    their settings None, as MXNet's random functions build them."""
    inputs = [v for v in params.values() if isinstance(v, Symbol)]
    values = {k: None if isinstance(v, Symbol) else v for k, v in params.items()}
    return _op(opname, hint, *inputs, **values, size=_size(size), **settings)


def uniform(low=0.0, high=1.0, size=None, dtype=None, ctx=None, out=None):  # pylint: disable=unused-argument
    """Samples of U[low, high); `low` and `high` numbers or `_Symbol`s."""
    return _sampler('_npi_uniform', 'uniform', {'low': low, 'high': high}, size,
                    ctx=_ctx(ctx), dtype=_dtype(dtype))


def normal(loc=0.0, scale=1.0, size=None, dtype=None, ctx=None, out=None):  # pylint: disable=unused-argument
    """Samples of N(loc, scale**2); `loc` and `scale` numbers or `_Symbol`s."""
    return _sampler('_npi_normal', 'normal', {'loc': loc, 'scale': scale}, size,
                    ctx=_ctx(ctx), dtype=_dtype(dtype))


def lognormal(mean=0.0, sigma=1.0, size=None, dtype=None, ctx=None, out=None):
    """exp of normal samples."""
    return _np.exp(normal(mean, sigma, size, dtype, ctx, out))


def logistic(loc=0.0, scale=1.0, size=None, ctx=None, out=None):  # pylint: disable=unused-argument
    """Logistic(loc, scale) samples."""
    return _sampler('_npi_logistic', 'logistic', {'loc': loc, 'scale': scale}, size,
                    ctx=_ctx(ctx))


def gumbel(loc=0.0, scale=1.0, size=None, ctx=None, out=None):  # pylint: disable=unused-argument
    """Gumbel(loc, scale) samples."""
    return _sampler('_npi_gumbel', 'gumbel', {'loc': loc, 'scale': scale}, size,
                    ctx=_ctx(ctx))


def gamma(shape, scale=1.0, size=None, dtype=None, ctx=None, out=None):  # pylint: disable=redefined-outer-name,unused-argument
    """Gamma(shape, scale) samples."""
    return _sampler('_npi_gamma', 'gamma', {'shape': shape, 'scale': scale}, size,
                    ctx=_ctx(ctx), dtype=_dtype(dtype))


def beta(a, b, size=None, dtype=None, ctx=None):
    """Beta(a, b) samples: X / (X + Y) of two float64 gamma draws, cast (MXNet's graph)."""
    x = gamma(a, 1, size=size, dtype='float64', ctx=ctx)
    y = gamma(b, 1, size=size, dtype='float64', ctx=ctx)
    return (x / (x + y)).astype(_dtype(dtype))


def chisquare(df, size=None, dtype=None, ctx=None):
    """MXNet 1.9.1's chisquare graph: gamma(df / 2, 1 / 2) (its scale 1/2, so the samples'
    mean is df / 4, as MXNet's)."""
    return gamma(df / 2, 1 / 2, size=size, dtype=dtype, ctx=ctx)


def exponential(scale=1.0, size=None, ctx=None, out=None):  # pylint: disable=unused-argument
    """Exponential samples of the given scale."""
    return _sampler('_npi_exponential', 'exponential', {'scale': scale}, size, ctx=_ctx(ctx))


def rayleigh(scale=0.0, size=None, ctx=None, out=None):  # pylint: disable=unused-argument
    """Rayleigh samples of the given scale."""
    return _sampler('_npi_rayleigh', 'rayleigh', {'scale': scale}, size, ctx=_ctx(ctx))


def weibull(a, size=None, ctx=None, out=None):  # pylint: disable=unused-argument
    """Weibull samples of shape `a`."""
    return _sampler('_npi_weibull', 'weibull', {'a': a}, size, ctx=_ctx(ctx))


def pareto(a, size=None, ctx=None, out=None):  # pylint: disable=unused-argument
    """Pareto II (Lomax) samples of shape `a`."""
    return _sampler('_npi_pareto', 'pareto', {'a': a}, size, ctx=_ctx(ctx))


def power(a, size=None):
    """Power-distribution samples with exponent a - 1 (MXNet's _npi_powerd)."""
    return _sampler('_npi_powerd', 'powerd', {'a': a}, size)


def randint(low, high=None, size=None, dtype=None, ctx=None, out=None):  # pylint: disable=unused-argument
    """Integers in [low, high) (or [0, low)), int64 unless `dtype` (MXNet's legacy
    _random_randint node)."""
    if high is None:
        low, high = 0, low
    return _op('_random_randint', 'random_randint', low=low, high=high,
               shape=() if size is None else size, ctx=_ctx(ctx),
               dtype=_dtype(dtype, 'int64'))


def rand(*size, **kwargs):
    """U[0, 1) samples of shape `size`."""
    return uniform(0, 1, size=tuple(size), **kwargs)


def choice(a, size=None, replace=True, p=None, ctx=None, out=None):  # pylint: disable=unused-argument
    """Samples of arange(a) (a number) or of the elements of the 1-D `_Symbol` a (sampled
    indices, then a `take`), uniform or with probabilities `p` (a `_Symbol`)."""
    size = _size(size)
    weighted = p is not None
    if p is not None and not isinstance(p, Symbol):
        raise NoNpSymbol('mx.sym.np.random.choice with p not a _Symbol')
    extra = [p] if weighted else []
    if isinstance(a, Symbol):
        idx = _op('_npi_choice', 'choice', a, *extra, a=None, size=size, replace=replace,
                  ctx=None, weighted=weighted)
        return _op('take', 'take', a, idx)
    return _op('_npi_choice', 'choice', *extra, a=a, size=size, replace=replace,
               ctx=_ctx(ctx), weighted=weighted)


for _f in (uniform, normal, lognormal, logistic, gumbel, gamma, beta, chisquare, exponential,
           rayleigh, weibull, pareto, power, randint, rand, choice):
    setattr(random, _f.__name__, _f)
