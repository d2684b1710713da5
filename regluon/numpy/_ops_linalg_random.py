"""The np-mode graph operators of linalg, random and npx sampling (`_npi_cholesky`,
`_npi_uniform`, `_npi_bernoulli`, ...), as MXNet 1.9.1 names them, with its inputs and
settings (regluon/symbol/numpy_linalg_random.py builds them). A sampler's parameters given
as arrays are its inputs, in order, and their settings None (MXNet's `input1`, `input2`).
det, inv and slogdet are MXNet's legacy linalg operators (ndarray/ops), take the legacy
take.
"""
import torch

from ..base import MXNetError
from ._ops import _np_kernel, _device
from . import linalg as _linalg, random as _random
from .multiarray import _wrap, _ctx_of


# ---- linalg ---------------------------------------------------------------------------------
@_np_kernel('_npi_cholesky')
def _cholesky(A):  # pylint: disable=invalid-name
    return _linalg.cholesky(A)


@_np_kernel('_npi_solve')
def _solve(A, B):  # pylint: disable=invalid-name
    return _linalg.solve(A, B)


def _pinv(a, rcond):
    t = _linalg._t(a, 'pinv')
    rtol = rcond._t.to(t.dtype) if hasattr(rcond, '_t') else float(rcond)
    return _wrap(_linalg._run('linalg.pinv', lambda: torch.linalg.pinv(t, rtol=rtol)),
                 _ctx_of(a))


@_np_kernel('_npi_pinv')
def _pinv_tensor_rcond(A, rcond, hermitian=False):  # pylint: disable=invalid-name,unused-argument
    return _pinv(A, rcond)


@_np_kernel('_npi_pinv_scalar_rcond')
def _pinv_scalar_rcond(A, rcond=1e-15, hermitian=False):  # pylint: disable=invalid-name,unused-argument
    return _pinv(A, rcond)


def _eigh(a, UPLO, name):  # pylint: disable=invalid-name
    if UPLO not in ('L', 'U'):
        raise MXNetError(f"linalg.{name}: UPLO must be 'L' or 'U', got {UPLO!r}")
    t = _linalg._t(a, name)
    return _linalg._run(f'linalg.{name}', lambda: torch.linalg.eigh(t, UPLO=UPLO))


@_np_kernel('_npi_eigh')
def _eigh_op(A, UPLO='L'):  # pylint: disable=invalid-name
    w, v = _eigh(A, UPLO, 'eigh')
    return [_wrap(w, _ctx_of(A)), _wrap(v, _ctx_of(A))]


@_np_kernel('_npi_eigvalsh')
def _eigvalsh(A, UPLO='L'):  # pylint: disable=invalid-name
    if UPLO == 'L':
        return _linalg.eigvalsh(A)
    return _wrap(_eigh(A, UPLO, 'eigvalsh')[0], _ctx_of(A))


@_np_kernel('_npi_eig')
def _eig(A):  # pylint: disable=invalid-name
    return list(_linalg.eig(A))


@_np_kernel('_npi_eigvals')
def _eigvals(A):  # pylint: disable=invalid-name
    return _linalg.eigvals(A)


@_np_kernel('_npi_svd')
def _svd(A):  # pylint: disable=invalid-name
    return list(_linalg.svd(A))


@_np_kernel('_npi_tensorinv')
def _tensorinv(a, ind=2):
    return _linalg.tensorinv(a, ind)


@_np_kernel('_npi_tensorsolve')
def _tensorsolve(a, b, a_axes=None):
    return _linalg.tensorsolve(a, b, tuple(a_axes) if a_axes else None)


@_np_kernel('_npi_norm')
def _norm(data, ord=2, axis=None, keepdims=False, flag=-1):  # pylint: disable=redefined-builtin
    """MXNet's flag: -2 the 2-norm of the flattened array, 1 the Frobenius norm (over two
    axes, or of the flattened array), 2 the nuclear norm, 0 and -1 the `ord` norm."""
    if flag in (-2, 1):
        return _linalg.norm(data, None, axis, keepdims)
    if flag == 2:
        return _linalg.norm(data, 'nuc', (-2, -1) if axis is None else axis, keepdims)
    return _linalg.norm(data, ord, axis, keepdims)


# ---- random ---------------------------------------------------------------------------------
def _params(inputs, names, values):
    """The parameters `names`: those whose setting is None taken from the inputs, in order."""
    inputs, out = list(inputs), []
    for n, v in zip(names, values):
        if v is None:
            if not inputs:
                raise MXNetError(f"sampler: parameter {n} is neither given nor an input")
            v = inputs.pop(0)
        out.append(v)
    return out


@_np_kernel('_npi_uniform')
def _uniform(*inputs, low=None, high=None, size=None, ctx=None, dtype='float32'):
    lo, hi = _params(inputs, ('low', 'high'), (low, high))
    return _random.uniform(lo, hi, size, dtype=dtype, ctx=_device(ctx))


@_np_kernel('_npi_normal')
def _normal(*inputs, loc=None, scale=None, size=None, ctx=None, dtype='float32'):
    mu, sigma = _params(inputs, ('loc', 'scale'), (loc, scale))
    return _random.normal(mu, sigma, size, dtype=dtype, ctx=_device(ctx))


def _batch_size(size, params):
    """npx's *_n samplers: `size` is a batch shape put before the parameters' shape."""
    shape = () if size is None else ((size,) if isinstance(size, int) else tuple(size))
    pshape = torch.broadcast_shapes(*[tuple(p.shape) for p in params if hasattr(p, 'shape')])
    return shape + tuple(pshape)


@_np_kernel('_npi_uniform_n')
def _uniform_n(*inputs, low=None, high=None, size=None, ctx=None, dtype='float32'):
    lo, hi = _params(inputs, ('low', 'high'), (low, high))
    return _random.uniform(lo, hi, _batch_size(size, (lo, hi)), dtype=dtype,
                           ctx=_device(ctx))


@_np_kernel('_npi_normal_n')
def _normal_n(*inputs, loc=None, scale=None, size=None, ctx=None, dtype='float32'):
    mu, sigma = _params(inputs, ('loc', 'scale'), (loc, scale))
    return _random.normal(mu, sigma, _batch_size(size, (mu, sigma)), dtype=dtype,
                          ctx=_device(ctx))


@_np_kernel('_npi_gamma')
def _gamma(*inputs, shape=None, scale=None, size=None, ctx=None, dtype='float32'):
    k, s = _params(inputs, ('shape', 'scale'), (shape, scale))
    return _random.gamma(k, s, size, dtype=dtype, ctx=_device(ctx))


@_np_kernel('_npi_gumbel')
def _gumbel(*inputs, loc=None, scale=None, size=None, ctx=None):
    mu, s = _params(inputs, ('loc', 'scale'), (loc, scale))
    return _random.gumbel(mu, s, size, ctx=_device(ctx))


@_np_kernel('_npi_logistic')
def _logistic(*inputs, loc=None, scale=None, size=None, ctx=None):
    mu, s = _params(inputs, ('loc', 'scale'), (loc, scale))
    return _random.logistic(mu, s, size, ctx=_device(ctx))


@_np_kernel('_npi_exponential')
def _exponential(*inputs, scale=1.0, size=None, ctx=None):
    s, = _params(inputs, ('scale',), (scale,))
    return _random.exponential(s, size, ctx=_device(ctx))


@_np_kernel('_npi_rayleigh')
def _rayleigh(*inputs, scale=1.0, size=None, ctx=None):
    s, = _params(inputs, ('scale',), (scale,))
    return _random.rayleigh(s, size=size, ctx=_device(ctx))


@_np_kernel('_npi_weibull')
def _weibull(*inputs, a=None, size=None, ctx=None):
    a, = _params(inputs, ('a',), (a,))
    return _random.weibull(a, size=size, ctx=_device(ctx))


@_np_kernel('_npi_pareto')
def _pareto(*inputs, a=None, size=None, ctx=None):
    a, = _params(inputs, ('a',), (a,))
    return _random.pareto(a, size=size, ctx=_device(ctx))


@_np_kernel('_npi_powerd')
def _powerd(*inputs, a=None, size=None):
    a, = _params(inputs, ('a',), (a,))
    dev = inputs[0]._ctx if inputs else None
    return _random.power(a, size=size, ctx=dev)


@_np_kernel('_npi_choice')
def _choice(*inputs, a=None, size=None, ctx=None, replace=True, weighted=False):
    """Sampled indices of arange(a), or of the first input's elements (then `take`n)."""
    inputs = list(inputs)
    n = inputs.pop(0).shape[0] if a is None else int(a)
    p = inputs.pop(0) if weighted else None
    return _random.choice(n, size=size, replace=replace, p=p, ctx=_device(ctx))


@_np_kernel('_npi_bernoulli')
def _bernoulli(*inputs, prob=None, logit=None, size=None, ctx=None, dtype='float32',
               is_logit=False):
    from ..numpy_extension import random as _npx_random
    if inputs:
        v = inputs[0]
    else:
        v = logit if is_logit else prob
    kw = {'logit': v} if is_logit else {'prob': v}
    return _npx_random.bernoulli(size=size, dtype=dtype, ctx=_device(ctx), **kw)


# ---- npx ------------------------------------------------------------------------------------
@_np_kernel('_npx_constraint_check')
def _constraint_check(input, msg='Constraint violated.'):  # pylint: disable=redefined-builtin
    """True (a 0-d bool array) when every element of `input` is true, else MXNet's
    ValueError carrying `msg`."""
    if not bool(input._t.all()):
        raise ValueError(f"constraint_check: Check failed: all elements true: {msg}")
    return _wrap(torch.ones((), dtype=torch.bool, device=input._t.device), _ctx_of(input))


@_np_kernel('_npx_nonzero')
def _nonzero(x):
    from .. import numpy_extension as npx
    return npx.nonzero(x)
