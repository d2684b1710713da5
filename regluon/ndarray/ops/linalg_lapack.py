"""`linalg_*` factorizations, solves and triangle tools (`nd.linalg.potrf`, `trsm`, ...).

Every operator works on the last two axes and batches over the leading ones, as MXNet's
do. MXNet has no 0-d results: det/slogdet/sumlogdiag of one matrix give shape (1,)
(det/slogdet: () in np mode, as MXNet's).
"""
import torch

from ...base import MXNetError
from ..register import op


def _matrix(name, A):
    if A.dim() < 2 or not A.is_floating_point():
        raise MXNetError(f"{name}: expected a floating-point array with ndim >= 2 (matrices "
                         f"on the last two axes), got {tuple(A.shape)} {str(A.dtype)[6:]}")
    return A


def _no0d(t):
    return t.reshape(1) if t.dim() == 0 else t


def _det_shape(t):
    """det/slogdet of one matrix: shape (1,), but () under np shape semantics (as MXNet's
    _linalg_det, which np.linalg.det builds, gives in np mode)."""
    from ...numpy import _mode
    return t if _mode.active else _no0d(t)


@op
def linalg_potrf(A, lower=True):
    """Cholesky factor L (lower triangular) with A = L L^T; with lower=False the upper
    factor U with A = U^T U."""
    return torch.linalg.cholesky(_matrix('linalg_potrf', A), upper=not lower)


@op
def linalg_potri(A, lower=True):
    """(L L^T)^-1 from a lower Cholesky factor L (the output of potrf); with lower=False
    (U^T U)^-1 from an upper factor U."""
    # only the factor's triangle is read, so (as in MXNet) only it gets a gradient
    A = _matrix('linalg_potri', A)
    return torch.cholesky_inverse(torch.tril(A) if lower else torch.triu(A), upper=not lower)


@op
def linalg_inverse(A):
    """Matrix inverse."""
    return torch.linalg.inv(_matrix('linalg_inverse', A))


@op
def linalg_det(A):
    """Determinant."""
    return _det_shape(torch.linalg.det(_matrix('linalg_det', A)))


@op
def linalg_slogdet(A):
    """[sign, log|det|] of each matrix."""
    sign, logabs = torch.linalg.slogdet(_matrix('linalg_slogdet', A))
    return [_det_shape(sign), _det_shape(logabs)]


@op
def linalg_sumlogdiag(A):
    """Sum of the logs of the diagonal (log det of a Cholesky factor)."""
    diag = torch.diagonal(_matrix('linalg_sumlogdiag', A), 0, -2, -1)
    return _no0d(torch.log(diag).sum(-1))


@op
def linalg_syrk(A, transpose=False, alpha=1.0):
    """alpha * A A^T (or alpha * A^T A with transpose).

    Parameters
    ----------
    A : NDArray
    transpose : bool, default False
    alpha : float, default 1.0
    """
    _matrix('linalg_syrk', A)
    return alpha * (A.mT @ A if transpose else A @ A.mT)


def _triangle(A, lower):
    return torch.tril(A) if lower else torch.triu(A)


@op
def linalg_trmm(A, B, transpose=False, rightside=False, lower=True, alpha=1.0):
    """alpha * op(A) B (or alpha * B op(A) with rightside), A triangular.

    Parameters
    ----------
    A : NDArray
        Only its lower (or upper, lower=False) triangle is read.
    B : NDArray
    transpose : bool, default False
        op(A) = A^T.
    rightside : bool, default False
    lower : bool, default True
    alpha : float, default 1.0
    """
    T = _triangle(_matrix('linalg_trmm', A), lower)
    T = T.mT if transpose else T
    return alpha * (B @ T if rightside else T @ B)


@op
def linalg_trsm(A, B, transpose=False, rightside=False, lower=True, alpha=1.0):
    """X with op(A) X = alpha * B (or X op(A) = alpha * B with rightside), A triangular.

    Parameters
    ----------
    A : NDArray
        Only its lower (or upper, lower=False) triangle is read.
    B : NDArray
    transpose : bool, default False
    rightside : bool, default False
    lower : bool, default True
    alpha : float, default 1.0
    """
    A = _matrix('linalg_trsm', A)
    T = A.mT if transpose else A
    upper = lower if transpose else not lower       # A^T of a lower triangle is upper
    return torch.linalg.solve_triangular(T, alpha * B, upper=upper, left=not rightside)


@op
def linalg_extractdiag(A, offset=0):
    """The diagonal `offset` of each matrix, as a vector.

    Parameters
    ----------
    A : NDArray
    offset : int, default 0
        > 0 above the main diagonal, < 0 below.
    """
    return torch.diagonal(_matrix('linalg_extractdiag', A), int(offset), -2, -1).clone()


@op
def linalg_makediag(A, offset=0):
    """Square matrices with the vectors of A on diagonal `offset`, zero elsewhere.

    Parameters
    ----------
    A : NDArray
    offset : int, default 0
    """
    return torch.diag_embed(A, int(offset))


def _trian_rows(n, offset, lower):
    """Index pairs of the triangle, in MXNet's order: rows of the lower triangle, or
    columns of the upper one (read as the lower triangle of the transpose)."""
    low = offset < 0 or (offset == 0 and lower)
    return torch.tril_indices(n, n, offset if low else -offset), low


@op
def linalg_extracttrian(A, offset=0, lower=True):
    """The triangle of each matrix (from diagonal `offset`), as a vector.

    Parameters
    ----------
    A : NDArray
    offset : int, default 0
        < 0: the lower triangle below that diagonal; > 0: the upper one above it.
    lower : bool, default True
        With offset 0: the lower (True) or upper (False) triangle.
    """
    _matrix('linalg_extracttrian', A)
    if abs(int(offset)) >= A.shape[-1]:
        raise MXNetError(f"linalg_extracttrian: |offset| must be below the matrix size "
                         f"{A.shape[-1]}, got offset={offset}")
    (rows, cols), low = _trian_rows(A.shape[-1], int(offset), lower)
    M = A if low else A.mT
    return M[..., rows, cols]


@op
def linalg_maketrian(A, offset=0, lower=True):
    """Triangular matrices filled from the vectors of A (the inverse of extracttrian).

    Parameters
    ----------
    A : NDArray
    offset : int, default 0
    lower : bool, default True
    """
    m, k = A.shape[-1], 0
    while k * (k + 1) // 2 < m:
        k += 1
    if k * (k + 1) // 2 != m:
        raise MXNetError(f"linalg_maketrian: the last axis must hold a triangle's "
                         f"k*(k+1)/2 entries, got {m}")
    n = k + abs(int(offset))
    (rows, cols), low = _trian_rows(n, int(offset), lower)
    out = torch.zeros(tuple(A.shape[:-1]) + (n, n), dtype=A.dtype, device=A.device)
    out[..., rows, cols] = A                    # a fresh tensor: autograd records the copy
    return out if low else out.mT.contiguous()


@op
def linalg_gelqf(A):
    """LQ factorization A = L Q of a wide matrix (rows <= columns): returns [Q, L].

    Q has orthonormal rows; L is lower triangular (LAPACK's signs, as MXNet's).
    """
    _matrix('linalg_gelqf', A)
    if A.shape[-2] > A.shape[-1]:
        raise MXNetError(f"linalg_gelqf: expected matrices with rows <= columns, got "
                         f"{tuple(A.shape)}")
    q, r = torch.linalg.qr(A.mT)                 # A^T = QR, so A = R^T Q^T
    return [q.mT, r.mT]


@op(name='_linalg_syevd')   # MXNet has it only as nd.linalg.syevd, not nd.linalg_syevd
def linalg_syevd(A):
    """Eigendecomposition of symmetric matrices: [U, L] with U A = diag(L) U, L ascending.

    The rows of U are the eigenvectors, each signed so its largest entry is positive.
    """
    lam, v = torch.linalg.eigh(_matrix('linalg_syevd', A))
    u = v.mT
    big = torch.gather(u, -1, u.abs().argmax(-1, keepdim=True))
    return [u * torch.sign(big), lam]
