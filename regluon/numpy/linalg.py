"""`mx.np.linalg`: norms and the common decompositions on torch.linalg."""
import numpy as onp
import torch

from ..base import MXNetError
from ._dtype import float_of
from .multiarray import NDArray, _Tensor, _run, _tensor, _wrap, _ctx_of

__all__ = ['norm', 'inv', 'det', 'slogdet', 'solve', 'cholesky', 'qr', 'eigh', 'eigvalsh',
           'pinv', 'matrix_rank', 'svd', 'eig', 'eigvals', 'matrix_power', 'multi_dot', 'cond',
           'lstsq', 'tensorinv', 'tensorsolve']


def _t(a, name):
    t = _tensor(a, name)
    if not isinstance(t, _Tensor):
        raise MXNetError(f"linalg.{name}: expected an array, got {type(a).__name__}")
    return float_of(t)


_INF = {'inf': float('inf'), '-inf': float('-inf')}


def norm(x, ord=None, axis=None, keepdims=False):  # pylint: disable=redefined-builtin
    """Vector or matrix norm, dispatched as MXNet 1.9.1's front end: no ord and no axis,
    the 2-norm of the flattened array; ord 'inf'/'-inf' (strings) without a matrix axis pair,
    the max/min of |x| over `axis` (all axes for None); an axis pair, or no axis with
    another ord on an array of 2+ axes, a matrix norm ('fro', 'nuc', 1, -1, 2, -2, inf,
    -inf) over that pair (the last two axes); one axis, a vector norm along it. The result
    has the input's dtype."""
    t = _tensor(x, 'linalg.norm')
    if not isinstance(t, _Tensor):
        raise MXNetError(f"linalg.norm: expected an array, got {type(x).__name__}")
    if axis is not None and not isinstance(axis, (int, tuple)):
        raise TypeError("'axis' must be None, an integer or a tuple of integers.")
    f = float_of(t)
    r = _run('linalg.norm', _norm, f, ord, axis, keepdims)
    return _wrap(r.to(t.dtype), _ctx_of(x))


def _norm(t, ord, axis, keepdims):  # pylint: disable=redefined-builtin,too-many-return-statements
    if axis is None and ord is None:
        r = torch.linalg.vector_norm(t.reshape(-1), 2)
        return r.reshape((1,) * t.dim()) if keepdims else r
    if isinstance(axis, int):
        axis = (axis,)
    if ord in ('inf', '-inf') and (axis is None or len(axis) == 1):
        a = t.abs()
        dims = tuple(range(t.dim())) if axis is None else axis
        if a.numel() == 0:
            return a.sum(dim=dims, keepdim=keepdims)
        return a.amax(dim=dims, keepdim=keepdims) if ord == 'inf' else \
            a.amin(dim=dims, keepdim=keepdims)
    if axis is None and t.dim() >= 2:
        axis = (t.dim() - 2, t.dim() - 1)
    if axis is not None and len(axis) == 2:
        o = _INF.get(ord, ord)
        o = 'fro' if o in (None, 'f') else o
        if o not in ('fro', 'nuc', 1, -1, 2, -2, float('inf'), float('-inf')):
            raise MXNetError(f"linalg.norm: invalid norm order {ord!r} for matrices")
        return torch.linalg.matrix_norm(t, o, dim=axis, keepdim=keepdims)
    if ord == 'nuc':
        raise MXNetError("linalg.norm: Invalid norm order for inputs: 'nuc' needs two axes")
    o = 2 if ord in (None, 'fro', 'f') else ord
    if isinstance(o, str):
        raise MXNetError(f"linalg.norm: invalid norm order {ord!r} for vectors")
    return torch.linalg.vector_norm(t, o, dim=axis, keepdim=keepdims)


def _one(name, fn):
    def f(a):
        t = _t(a, name)
        r = _run(f'linalg.{name}', fn, t)
        return _wrap(r, _ctx_of(a)) if isinstance(r, _Tensor) else \
            tuple(_wrap(v, _ctx_of(a)) for v in r)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"linalg.{name} of (a stack of) matrices."
    return f


inv = _one('inv', torch.linalg.inv)
det = _one('det', torch.linalg.det)
slogdet = _one('slogdet', lambda t: tuple(torch.linalg.slogdet(t)))
cholesky = _one('cholesky', torch.linalg.cholesky)
qr = _one('qr', lambda t: tuple(torch.linalg.qr(t)))
matrix_rank = _one('matrix_rank', torch.linalg.matrix_rank)


def _float64_of_int(a, name):
    """The tensor of `a`, integers as float64 (MXNet's eigh/eigvalsh/tensorsolve on them);
    float16 is an MXNetError, as in MXNet's linalg."""
    t = _tensor(a, name)
    if not isinstance(t, _Tensor):
        raise MXNetError(f"linalg.{name}: expected an array, got {type(a).__name__}")
    if t.dtype == torch.float16:
        raise MXNetError(f"linalg.{name}: array type float16 is unsupported in linalg")
    return t if t.dtype.is_floating_point else t.to(torch.float64)


def _square(t, name):
    if t.dim() < 2:
        raise MXNetError(f"linalg.{name}: Array must be at least two-dimensional, got shape "
                         f"{tuple(t.shape)}")
    if t.shape[-1] != t.shape[-2]:
        raise MXNetError(f"linalg.{name}: Input A's last two dimension must be equal, got "
                         f"shape {tuple(t.shape)}")


def eigh(a, UPLO='L'):  # pylint: disable=invalid-name
    """Eigenvalues (ascending) and eigenvectors of symmetric matrices, reading the lower
    triangle ('L') or the upper one ('U'; MXNet reads any other value as 'L'). Integer
    arrays give float64."""
    t = _float64_of_int(a, 'eigh')
    _square(t, 'eigh')
    w, v = _run('linalg.eigh', torch.linalg.eigh, t, 'U' if UPLO == 'U' else 'L')
    return _wrap(w, _ctx_of(a)), _wrap(v, _ctx_of(a))


def eigvalsh(a, UPLO='L'):  # pylint: disable=invalid-name
    """Eigenvalues (ascending) of symmetric matrices; `UPLO` as in eigh."""
    t = _float64_of_int(a, 'eigvalsh')
    _square(t, 'eigvalsh')
    return _wrap(_run('linalg.eigvalsh', torch.linalg.eigvalsh, t, 'U' if UPLO == 'U' else 'L'),
                 _ctx_of(a))


def pinv(a, rcond=1e-15, hermitian=False):
    """Pseudo-inverse, singular values below rcond * the largest one cut off; `rcond` a
    number or an array broadcast against the stack shape a.shape[:-2]. hermitian=True is
    NotImplementedError, as in MXNet 1.9.1."""
    if hermitian is True:
        raise NotImplementedError("hermitian is not supported yet...")
    t = _tensor(a, 'linalg.pinv')
    if not isinstance(t, _Tensor) or t.dtype not in (torch.float32, torch.float64):
        raise MXNetError("linalg.pinv: This operation only supports 32-bit and 64-bit "
                         "floating point arrays")
    if t.dim() < 2:
        raise MXNetError(f"linalg.pinv: Array must be at least two-dimensional, got shape "
                         f"{tuple(t.shape)}")
    if onp.isscalar(rcond):
        rtol = float(rcond)
    else:
        if not isinstance(rcond, NDArray):
            raise AssertionError(f"Argument rcond must have NDArray type, but got {rcond}")
        rtol = rcond._t.to(t.dtype)
        try:
            torch.broadcast_shapes(tuple(rtol.shape), tuple(t.shape[:-2]))
        except RuntimeError:
            raise MXNetError(f"linalg.pinv: operands could not be broadcast together with "
                             f"shapes {list(rtol.shape)} {list(t.shape[:-2])}") from None
    return _wrap(_run('linalg.pinv', lambda: torch.linalg.pinv(t, rtol=rtol)), _ctx_of(a))


def solve(a, b):
    """The solution x of a x = b."""
    ta, tb = _t(a, 'solve'), _t(b, 'solve')
    return _wrap(_run('linalg.solve', torch.linalg.solve, ta, tb.to(ta.dtype)),
                 _ctx_of(a, b))


def svd(a):
    """MXNet's form: (ut, s, v) with a = ut @ diag(s) @ v, for a of shape (..., M, N), M <= N."""
    t = _t(a, 'svd')
    if t.shape[-2] > t.shape[-1]:
        raise MXNetError(f"linalg.svd: expects M <= N for a of shape (..., M, N), got "
                         f"{tuple(t.shape)}; decompose the transpose instead")
    u, sv, vh = _run('linalg.svd', lambda: torch.linalg.svd(t, full_matrices=False))
    return _wrap(u, _ctx_of(a)), _wrap(sv, _ctx_of(a)), _wrap(vh, _ctx_of(a))


def _real(name, z):
    if torch.is_complex(z):
        if bool((z.imag != 0).any()):
            raise MXNetError(f"linalg.{name}: the result is complex, which MXNet arrays "
                             "cannot hold")
        return z.real
    return z


def eig(a):
    """Eigenvalues and right eigenvectors of a square matrix with real eigenvalues."""
    t = _t(a, 'eig')
    w, v = _run('linalg.eig', torch.linalg.eig, t)
    return _wrap(_real('eig', w).to(t.dtype), _ctx_of(a)), \
        _wrap(_real('eig', v).to(t.dtype), _ctx_of(a))


def eigvals(a):
    """Eigenvalues of a square matrix with real eigenvalues."""
    t = _t(a, 'eigvals')
    return _wrap(_real('eigvals', _run('linalg.eigvals', torch.linalg.eigvals, t)).to(t.dtype),
                 _ctx_of(a))


def matrix_power(a, n):
    """The square matrix a raised to the integer power n."""
    t = _t(a, 'matrix_power')
    return _wrap(_run('linalg.matrix_power', torch.linalg.matrix_power, t, int(n)),
                 _ctx_of(a))


def multi_dot(arrays):
    """The chained matrix product of the arrays (1-D ends as vectors)."""
    ts = [_t(x, 'multi_dot') for x in arrays]
    return _wrap(_run('linalg.multi_dot', torch.linalg.multi_dot, ts), _ctx_of(*arrays))


def cond(x, p=None):
    """The condition number of a matrix (2-norm if p is None)."""
    t = _t(x, 'cond')
    r = _run('linalg.cond', torch.linalg.cond, t, p)
    # MXNet gives a numpy scalar for one matrix
    return onp.dtype(str(t.dtype).split('.')[1]).type(r.item()) if r.dim() == 0 else \
        _wrap(r, _ctx_of(x))


def lstsq(a, b, rcond='warn'):  # pylint: disable=unused-argument
    """Least-squares solution of a x = b: (x, residuals, rank, singular values)."""
    ta, tb = _t(a, 'lstsq'), _t(b, 'lstsq').to(_t(a, 'lstsq').dtype)
    vec = tb.dim() == 1
    B = tb[:, None] if vec else tb
    sol = _run('linalg.lstsq', lambda: torch.linalg.lstsq(ta, B, driver='gelsd'))
    xs = sol.solution[:, 0] if vec else sol.solution
    m, n = ta.shape
    rank = int(sol.rank)
    if rank == n and m > n:
        res = ((ta @ sol.solution - B) ** 2).sum(0)
    else:
        res = torch.zeros(0, dtype=ta.dtype)
    ctx = _ctx_of(a, b)
    return _wrap(xs, ctx), _wrap(res, ctx), onp.int32(rank), _wrap(sol.singular_values, ctx)


def tensorinv(a, ind=2):
    """The inverse of an N-d array seen as a matrix over its first `ind` axes."""
    t = _t(a, 'tensorinv')
    return _wrap(_run('linalg.tensorinv', lambda: torch.linalg.tensorinv(t, ind=ind)),
                 _ctx_of(a))


def tensorsolve(a, b, axes=None):
    """The x with tensordot(a, x, x.ndim) == b, `axes` of a moved to its end first; x has
    the trailing axes of a beyond b.ndim (Python's slice a.shape[-(a.ndim - b.ndim):], as
    MXNet reads it, so 0-d and equal-rank arrays of size 1 work). Integers give float64."""
    ta, tb = _float64_of_int(a, 'tensorsolve'), _float64_of_int(b, 'tensorsolve')
    dt = torch.promote_types(ta.dtype, tb.dtype)
    ta, tb = ta.to(dt), tb.to(dt)
    if axes is not None:
        order = list(range(ta.dim()))
        for k in (axes if isinstance(axes, (list, tuple)) else (axes,)):
            order.remove(k % ta.dim() if ta.dim() else k)
            order.append(k % ta.dim() if ta.dim() else k)
        ta = ta.permute(order)
    x_shape = tuple(ta.shape)[-(ta.dim() - tb.dim()):]
    n = int(onp.prod(x_shape, dtype=onp.int64))
    if n * n != ta.numel() or tb.numel() != n:
        raise MXNetError(f"linalg.tensorsolve: a shape must be square: a of shape "
                         f"{tuple(ta.shape)} (axes moved) and b of shape {tuple(tb.shape)} "
                         f"give x of shape {x_shape}")
    x = _run('linalg.tensorsolve', torch.linalg.solve, ta.reshape(n, n), tb.reshape(n))
    return _wrap(x.reshape(x_shape), _ctx_of(a, b))
