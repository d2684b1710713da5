"""Matrix products: `dot`, `batch_dot`, `linalg_gemm2`.

MXNet's N-D `dot` is not numpy's: it contracts the LAST axis of lhs with the FIRST axis of
rhs (transpose_a: lhs's first axis; transpose_b: rhs's last axis), and two 1-D inputs give
shape (1,).
"""
import math

import torch

from ...base import FLOAT_DTYPES, MXNetError
from ..axes import axis_index
from ..register import op


def _check_types(name, lhs, rhs):
    if lhs.dtype != rhs.dtype or not lhs.is_floating_point():
        raise MXNetError(f"{name}: both inputs must have the same floating-point dtype, got "
                         f"{str(lhs.dtype)[6:]} and {str(rhs.dtype)[6:]}")


@op
def dot(lhs, rhs, transpose_a=False, transpose_b=False, forward_stype=None):
    """Dot product: lhs's last axis with rhs's first axis (after the optional transposes).

    Parameters
    ----------
    lhs, rhs : NDArray
        Same floating-point dtype.
    transpose_a : bool, default False
        Contract lhs's first axis instead of its last.
    transpose_b : bool, default False
        Contract rhs's last axis instead of its first.
    forward_stype : str, optional
        Ignored (storage types are always dense here).
    """
    if not (transpose_a or transpose_b):
        # the common 2-D case in one torch call: torch.mm refuses what MXNet refuses (and
        # every other rank) except integer inputs; those and every refusal take the path
        # below, for N-D products and MXNet's errors
        try:
            res = torch.mm(lhs, rhs)
            if res.dtype in FLOAT_DTYPES:
                return res
        except RuntimeError:
            pass
    _check_types('dot', lhs, rhs)
    if lhs.dim() == 2 and rhs.dim() == 2:          # transposed 2-D, without reshapes
        a, b = (lhs.t() if transpose_a else lhs), (rhs.t() if transpose_b else rhs)
        if a.shape[1] == b.shape[0]:
            return torch.mm(a, b)
    ls, rs = tuple(lhs.shape), tuple(rhs.shape)
    # each side as a matrix: MXNet flattens the axes it does not contract
    a = lhs.reshape(ls[0], math.prod(ls[1:])).t() if transpose_a else \
        lhs.reshape(math.prod(ls[:-1]), ls[-1])
    b = rhs.reshape(math.prod(rs[:-1]), rs[-1]).t() if transpose_b else \
        rhs.reshape(rs[0], math.prod(rs[1:]))
    if a.shape[1] != b.shape[0]:
        raise MXNetError(f"dot: shape mismatch, lhs {ls} X rhs {rs} with transpose_a="
                         f"{transpose_a}, transpose_b={transpose_b}: contracted sizes "
                         f"{a.shape[1]} and {b.shape[0]} differ")
    keep_l = (ls[1:] if transpose_a else ls[:-1]) if len(ls) > 1 else ()
    keep_r = (rs[:-1] if transpose_b else rs[1:]) if len(rs) > 1 else ()
    return torch.mm(a, b).reshape(keep_l + keep_r or (1,))


@op
def batch_dot(lhs, rhs, transpose_a=False, transpose_b=False, forward_stype=None):
    """Matrix product of the last two axes, batched over the leading axes (ndim >= 3).

    Parameters
    ----------
    lhs, rhs : NDArray
        Same ndim >= 3, same leading (batch) shape, same floating-point dtype.
    transpose_a, transpose_b : bool, default False
        Transpose the last two axes of lhs / rhs first.
    forward_stype : str, optional
        Ignored.
    """
    _check_types('batch_dot', lhs, rhs)
    if lhs.dim() < 3 or lhs.dim() != rhs.dim() or lhs.shape[:-2] != rhs.shape[:-2]:
        raise MXNetError(f"batch_dot: expected N-D inputs (N >= 3) with equal leading batch "
                         f"shapes, got {tuple(lhs.shape)} and {tuple(rhs.shape)}")
    a = lhs.transpose(-1, -2) if transpose_a else lhs
    b = rhs.transpose(-1, -2) if transpose_b else rhs
    if a.shape[-1] != b.shape[-2]:
        raise MXNetError(f"batch_dot: shape mismatch, lhs {tuple(lhs.shape)} X rhs "
                         f"{tuple(rhs.shape)} with transpose_a={transpose_a}, transpose_b="
                         f"{transpose_b}: contracted sizes {a.shape[-1]} and {b.shape[-2]} "
                         "differ")
    return torch.matmul(a, b)


def _gemm(name, A, B, transpose_a, transpose_b, alpha, axis):
    """alpha * op(A) @ op(B) with the rows on `axis` (MXNet swaps it with -2 and back)."""
    _check_types(name, A, B)
    if A.dim() < 2 or A.dim() != B.dim():
        raise MXNetError(f"{name}: expected inputs of equal ndim >= 2, got "
                         f"{tuple(A.shape)} and {tuple(B.shape)}")
    ax = axis_index(name, axis, A.dim())
    a, b = A.transpose(ax, -2), B.transpose(ax, -2)
    a = a.transpose(-1, -2) if transpose_a else a
    b = b.transpose(-1, -2) if transpose_b else b
    if a.shape[:-2] != b.shape[:-2] or a.shape[-1] != b.shape[-2]:
        raise MXNetError(f"{name}: shapes {tuple(A.shape)} and {tuple(B.shape)} do "
                         f"not multiply with axis={axis}, transpose_a={transpose_a}, "
                         f"transpose_b={transpose_b}")
    return (torch.matmul(a, b) * alpha).transpose(ax, -2)


@op
def linalg_gemm(A, B, C, transpose_a=False, transpose_b=False, alpha=1.0, beta=1.0,
                axis=-2):
    """alpha * op(A) @ op(B) + beta * C, batched; rows on `axis`, columns on the last.

    Parameters
    ----------
    A, B, C : NDArray
        C has the product's shape.
    transpose_a, transpose_b : bool, default False
    alpha, beta : float, default 1.0
    axis : int, default -2
    """
    prod = _gemm('linalg_gemm', A, B, transpose_a, transpose_b, alpha, axis)
    if prod.shape != C.shape:
        raise MXNetError(f"linalg_gemm: C must have the product's shape "
                         f"{tuple(prod.shape)}, got {tuple(C.shape)}")
    return prod + beta * C


@op
def linalg_gemm2(A, B, transpose_a=False, transpose_b=False, alpha=1.0, axis=-2):
    """alpha * op(A) @ op(B), batched; rows on `axis`, columns on the last axis.

    Parameters
    ----------
    A, B : NDArray
        Same ndim >= 2 and same shape outside the row/column axes.
    transpose_a, transpose_b : bool, default False
    alpha : float, default 1.0
    axis : int, default -2
        The axis of the matrix rows (MXNet swaps it with -2, multiplies, swaps back).
    """
    return _gemm('linalg_gemm2', A, B, transpose_a, transpose_b, alpha, axis)


@op
def khatri_rao(*args):
    """Column-wise Kronecker product of matrices with equal column counts.

    Parameters
    ----------
    *args : NDArray
        2-D, shapes (m_i, n); the result has shape (prod(m_i), n).
    """
    if not args or any(a.dim() != 2 or a.shape[1] != args[0].shape[1] for a in args):
        raise MXNetError("khatri_rao: expected 2-D matrices with equal column counts, got "
                         f"{[tuple(a.shape) for a in args]}")
    res = args[0]
    for b in args[1:]:
        res = (res.unsqueeze(1) * b.unsqueeze(0)).reshape(-1, b.shape[1])
    return res
