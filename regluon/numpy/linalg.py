"""`mx.np.linalg`: norms and the common decompositions on torch.linalg."""
import numpy as onp
import torch

from ..base import MXNetError
from ._dtype import float_of
from .multiarray import _Tensor, _run, _tensor, _wrap, _ctx_of

__all__ = ['norm', 'inv', 'det', 'slogdet', 'solve', 'cholesky', 'qr', 'eigh', 'eigvalsh',
           'pinv', 'matrix_rank', 'svd', 'eig', 'eigvals', 'matrix_power', 'multi_dot', 'cond',
           'lstsq', 'tensorinv', 'tensorsolve']


def _t(a, name):
    t = _tensor(a, name)
    if not isinstance(t, _Tensor):
        raise MXNetError(f"linalg.{name}: expected an array, got {type(a).__name__}")
    return float_of(t)


def norm(x, ord=None, axis=None, keepdims=False):  # pylint: disable=redefined-builtin
    """Vector or matrix norm. `axis` None: the 2-norm of the flattened array (Frobenius for
    a matrix), unless `ord` asks for a matrix norm of a 2-D array; an int: vector norms
    along it; a pair: matrix norms over those axes."""
    t = _t(x, 'norm')
    if isinstance(axis, (list, tuple)) and len(axis) == 1:
        axis = axis[0]
    if axis is None and ord is not None and t.dim() == 2:
        axis = (0, 1)
    if isinstance(axis, (list, tuple)):
        o = 'fro' if ord is None else ord
        r = _run('linalg.norm', lambda: torch.linalg.matrix_norm(t, o, dim=tuple(axis),
                                                                  keepdim=keepdims))
    else:
        o = 2 if ord is None else ord
        if axis is None:
            r = torch.linalg.vector_norm(t.reshape(-1), o)
            if keepdims:
                r = r.reshape((1,) * t.dim())
        else:
            r = _run('linalg.norm', lambda: torch.linalg.vector_norm(t, o, dim=axis,
                                                                      keepdim=keepdims))
    return _wrap(r, _ctx_of(x))


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
eigvalsh = _one('eigvalsh', torch.linalg.eigvalsh)
eigh = _one('eigh', lambda t: tuple(torch.linalg.eigh(t)))
pinv = _one('pinv', torch.linalg.pinv)
matrix_rank = _one('matrix_rank', torch.linalg.matrix_rank)


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
    """The x with tensordot(a, x, x.ndim) == b."""
    ta, tb = _t(a, 'tensorsolve'), _t(b, 'tensorsolve')
    return _wrap(_run('linalg.tensorsolve', lambda: torch.linalg.tensorsolve(
        ta, tb.to(ta.dtype), dims=axes)), _ctx_of(a, b))
