"""`mx.np.linalg`: norms and the common decompositions on torch.linalg."""
import torch

from ..base import MXNetError
from ._dtype import float_of
from .multiarray import _Tensor, _run, _tensor, _wrap, _ctx_of

__all__ = ['norm', 'inv', 'det', 'slogdet', 'solve', 'cholesky', 'qr', 'eigh', 'eigvalsh',
           'pinv', 'matrix_rank']


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
