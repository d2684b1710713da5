"""Creating sparse arrays (`mx.nd.sparse.csr_matrix`, `row_sparse_array`, `zeros`, ...),
`cast_storage`, and row_sparse gradient buffers (`attach_grad(stype='row_sparse')`)."""
import numpy as np
import torch

from ..base import MXNetError, torch_dtype
from .ndarray import NDArray, _box, _device
from .sparse import (STYPES, BaseSparseNDArray, CSRNDArray, RowSparseNDArray, _check_csr,
                     _check_rsp, _I64)

__all__ = ['csr_matrix', 'row_sparse_array', 'zeros', 'empty', 'array', 'cast_storage',
           'attach_sparse_grad']


def _tensor(x, dtype=None, device=None):
    """A torch tensor from an NDArray, numpy array, list or tensor (dtype: torch or None)."""
    if isinstance(x, BaseSparseNDArray):
        x = x._dense()
    elif isinstance(x, NDArray):
        x = x._t
    elif not isinstance(x, torch.Tensor):
        x = torch.as_tensor(np.asarray(x))
    return x.detach().to(device=device, dtype=dtype or x.dtype)


def _value_dtype(src, dtype):
    """MXNet's rule: an explicit dtype, else that of an NDArray/numpy source, else float32."""
    if dtype is not None:
        return torch_dtype(dtype)
    if isinstance(src, (NDArray, np.ndarray, torch.Tensor)):
        return src.dtype if isinstance(src, torch.Tensor) else torch_dtype(src.dtype)
    return torch.float32


def _is_shape(x):
    return isinstance(x, tuple) and all(isinstance(s, (int, np.integer)) for s in x)


def _from_dense(cls, t, shape=None):
    """A sparse array of class `cls` holding the nonzeros of dense tensor `t`."""
    if cls is CSRNDArray:
        if t.dim() != 2:
            raise ValueError("To convert to a CSR, the NDArray should be 2 Dimensional. "
                             f"Current shape is {tuple(t.shape)}")
        rows, cols = t.nonzero(as_tuple=True)
        indptr = torch.zeros(t.shape[0] + 1, dtype=_I64, device=t.device)
        indptr[1:] = torch.bincount(rows, minlength=t.shape[0]).cumsum(0)
        return CSRNDArray._new(t[rows, cols], [indptr, cols], t.shape)
    keep = (t != 0).reshape(t.shape[0], -1).any(1) if t.dim() else None
    if keep is None:
        raise ValueError("row_sparse storage needs at least one dimension")
    rows = keep.nonzero(as_tuple=True)[0]
    return RowSparseNDArray._new(t[rows], [rows], t.shape)


def _on(arr, ctx):
    dev, label = _device(ctx)
    return type(arr)._new(arr._data.to(dev), [a.to(dev) for a in arr._aux], arr._shape, label)


def _from_coo(arg1, shape, ctx, dtype):
    """csr_matrix((data, (row, col))): MXNet goes through scipy's coo_matrix(...).tocsr(),
    so duplicates are summed and each row's columns sorted; the shape defaults to the
    largest row and column index plus one."""
    data, (row, col) = arg1
    d = _tensor(data, _value_dtype(data, dtype)).reshape(-1)
    r, c = _tensor(row, _I64).reshape(-1), _tensor(col, _I64).reshape(-1)
    if not d.numel() == r.numel() == c.numel():
        raise ValueError(f"csr_matrix: row, column, and data array must all be the same "
                         f"length, got {r.numel()}, {c.numel()} and {d.numel()}")
    if shape is None:
        if not r.numel():
            raise ValueError("cannot infer dimensions from zero sized index arrays")
        shape = (int(r.max()) + 1, int(c.max()) + 1)
    m, n = (int(x) for x in shape)
    if r.numel() and (int(r.min()) < 0 or int(c.min()) < 0 or int(r.max()) >= m or
                      int(c.max()) >= n):
        raise ValueError(f"csr_matrix: a row or column index is outside the shape {(m, n)}")
    keys, inv = torch.unique(r * n + c, sorted=True, return_inverse=True)
    values = torch.zeros(keys.numel(), dtype=d.dtype).index_add_(0, inv, d)
    indptr = torch.zeros(m + 1, dtype=_I64)
    indptr[1:] = torch.bincount(keys // n, minlength=m).cumsum(0)
    return _on(CSRNDArray._new(values, [indptr, keys % n], (m, n)), ctx)


def _same_shape(arg1, shape):
    """MXNet: an empty array's shape given twice (as arg1 and shape=) must agree."""
    if shape is not None and tuple(int(d) for d in arg1) != tuple(int(d) for d in shape):
        raise ValueError(f"Shape mismatch detected. {tuple(int(d) for d in arg1)} v.s. "
                         f"{tuple(int(d) for d in shape)}")


def csr_matrix(arg1, shape=None, ctx=None, dtype=None):
    """Creates a CSRNDArray, a 2-D array in compressed sparse row format.

    Parameters
    ----------
    arg1 : tuple, NDArray, numpy.ndarray, CSRNDArray or scipy.sparse.csr_matrix
        (data, indices, indptr); or (M, N) for an empty array; or a dense array to compress.
    shape : tuple of int, optional
        (M, N); inferred from indptr and the largest column index when absent.
    ctx : Context, optional
    dtype : str or numpy.dtype, optional
        Default: the source's dtype if it is an array, else float32.
    """
    if _is_shape(arg1) and len(arg1) == 2:
        _same_shape(arg1, shape)
        return zeros('csr', arg1, ctx=ctx, dtype=dtype)
    if isinstance(arg1, tuple) and len(arg1) == 3:
        data, indices, indptr = arg1
        vd = _value_dtype(data, dtype)
        data, indices, indptr = _tensor(data, vd), _tensor(indices, _I64), _tensor(indptr, _I64)
        if shape is None:
            if indices.numel() == 0:
                raise ValueError("invalid shape: give shape= for a csr array with no values")
            shape = (indptr.numel() - 1, int(indices.max()) + 1)
        _check_csr(data, indptr, indices, tuple(shape))
        return _on(CSRNDArray._new(data, [indptr, indices], shape), ctx)
    if isinstance(arg1, tuple) and len(arg1) == 2 and isinstance(arg1[1], tuple) and \
            len(arg1[1]) == 2:
        return _from_coo(arg1, shape, ctx, dtype)
    if isinstance(arg1, tuple) and len(arg1) == 2:
        raise ValueError(f"csr_matrix: expected (data, (row, col)), (data, indices, indptr) "
                         f"or a shape (M, N), got a tuple of {len(arg1)}")
    if hasattr(arg1, 'tocsr') and not isinstance(arg1, NDArray):      # scipy.sparse
        m = arg1.tocsr(copy=True)
        m.sum_duplicates()      # canonical, as MXNet makes it: duplicates summed, sorted
        return csr_matrix((m.data, m.indices, m.indptr), shape=m.shape, ctx=ctx,
                          dtype=dtype or m.dtype)
    if isinstance(arg1, CSRNDArray):
        out = arg1.copy() if dtype is None else arg1.astype(dtype)
        return _on(out, ctx if ctx is not None else arg1.context)
    if isinstance(arg1, (NDArray, np.ndarray, list)):
        t = _tensor(arg1, _value_dtype(arg1, dtype))
        if shape is not None and tuple(shape) != tuple(t.shape):
            raise ValueError(f"csr_matrix: shape {tuple(shape)} does not match the source's "
                             f"{tuple(t.shape)}")
        return _on(_from_dense(CSRNDArray, t), ctx)
    raise ValueError(f"Unexpected input type for csr_matrix: {type(arg1).__name__}")


def row_sparse_array(arg1, shape=None, ctx=None, dtype=None):
    """Creates a RowSparseNDArray, an array of which only some rows are stored.

    Parameters
    ----------
    arg1 : tuple, NDArray, numpy.ndarray or RowSparseNDArray
        (data, indices) with data[i] the row indices[i]; or a shape for an empty array;
        or a dense array.
    shape : tuple of int, optional
        Inferred from the largest row index and data's trailing shape when absent.
    ctx : Context, optional
    dtype : str or numpy.dtype, optional
    """
    if _is_shape(arg1) and len(arg1) >= 1:
        _same_shape(arg1, shape)
        return zeros('row_sparse', arg1, ctx=ctx, dtype=dtype)
    if isinstance(arg1, tuple) and len(arg1) == 2:
        data, indices = arg1
        data = _tensor(data, _value_dtype(data, dtype))
        indices = _tensor(indices, _I64).reshape(-1)
        if shape is None:
            if indices.numel() == 0:
                raise ValueError("invalid shape: give shape= for a row_sparse array with "
                                 "no rows")
            shape = (int(indices.max()) + 1,) + tuple(data.shape[1:])
        _check_rsp(data, indices, tuple(shape))
        return _on(RowSparseNDArray._new(data, [indices], shape), ctx)
    if isinstance(arg1, RowSparseNDArray):
        out = arg1.copy() if dtype is None else arg1.astype(dtype)
        return _on(out, ctx if ctx is not None else arg1.context)
    if isinstance(arg1, (NDArray, np.ndarray, list)):
        return _on(_from_dense(RowSparseNDArray, _tensor(arg1, _value_dtype(arg1, dtype))), ctx)
    raise ValueError(f"Unexpected input type for row_sparse_array: {type(arg1).__name__}")


def zeros(stype, shape, ctx=None, dtype=None, **kwargs):  # pylint: disable=unused-argument
    """An all-zero array of storage type `stype` (no stored values).

    Parameters
    ----------
    stype : {'csr', 'row_sparse', 'default'}
    shape : int or tuple of int
    ctx : Context, optional
    dtype : str or numpy.dtype, optional
        float32 by default.
    """
    shape = (shape,) if isinstance(shape, (int, np.integer)) else tuple(shape)
    td = torch_dtype(dtype) if dtype is not None else torch.float32
    dev, label = _device(ctx)
    if stype == 'default':
        return _box(torch.zeros(shape, dtype=td, device=dev), label)
    if stype == 'csr':
        if len(shape) != 2:
            raise ValueError(f"a csr array is 2-D, got shape {shape}")
        return CSRNDArray._new(torch.zeros(0, dtype=td, device=dev),
                               [torch.zeros(shape[0] + 1, dtype=_I64, device=dev),
                                torch.zeros(0, dtype=_I64, device=dev)], shape, label)
    if stype == 'row_sparse':
        return RowSparseNDArray._new(torch.zeros((0,) + shape[1:], dtype=td, device=dev),
                                     [torch.zeros(0, dtype=_I64, device=dev)], shape, label)
    raise ValueError(f"unknown storage type{stype}")


def empty(stype, shape, ctx=None, dtype=None):
    """An array of storage type `stype` with no stored values (as `zeros`)."""
    return zeros(stype, shape, ctx=ctx, dtype=dtype)


def array(source_array, ctx=None, dtype=None):
    """A sparse array from a sparse source (a sparse NDArray or a scipy.sparse matrix)."""
    if isinstance(source_array, BaseSparseNDArray):
        fn = csr_matrix if source_array.stype == 'csr' else row_sparse_array
        return fn(source_array, ctx=ctx if ctx is not None else source_array.context,
                  dtype=dtype)
    if hasattr(source_array, 'tocsr') and not isinstance(source_array, NDArray):
        return csr_matrix(source_array, ctx=ctx, dtype=dtype)
    raise ValueError(f"('Please use mx.nd.array to create an NDArray with source_array of "
                     f"type ', {type(source_array)})")


def cast_storage(data, stype):
    """`data` converted to storage type `stype` ('default', 'csr' or 'row_sparse').

    Parameters
    ----------
    data : NDArray
    stype : {'default', 'csr', 'row_sparse'}
    """
    if stype not in STYPES:
        raise MXNetError(f"Invalid Input: '{stype}', valid values are: {{'csr', 'default', "
                         f"'row_sparse'}}, in operator cast_storage(name=\"\", "
                         f"stype=\"{stype}\")")
    src = data.stype
    if stype == src:
        return data.copy()
    if stype == 'default':
        return data.todense()
    if src != 'default':
        raise ValueError(f"cast_storage from {src} to {stype} is not supported")
    cls = CSRNDArray if stype == 'csr' else RowSparseNDArray
    out = _from_dense(cls, data._t.detach())
    out._ctx = data._ctx
    return out


# ---- row_sparse gradients ----------------------------------------------------------------
def _rsp_of(g, shape):
    """A RowSparseNDArray from a gradient tensor: torch's sparse COO (embedding_bag's and
    Embedding's sparse=True: exactly the rows looked up, as MXNet's) or a dense one."""
    if g.is_sparse:
        g = g.coalesce()
        if g.sparse_dim() == 1:
            return RowSparseNDArray._new(g.values(), [g.indices()[0]], shape)
        g = g.to_dense()
    return _from_dense(RowSparseNDArray, g)


class _RowSparseSink:
    """A row_sparse `.grad` as autograd._deposit writes it (copy_ for 'write', add_ for
    'add'), so grad_req is still applied in that one place."""
    __slots__ = ('array',)

    def __init__(self, array):
        self.array = array

    def copy_(self, g):
        self.array._assign_sparse(_rsp_of(g, self.array.shape))

    def add_(self, g):
        from .sparse_ops import elemwise_add  # pylint: disable=import-outside-toplevel
        self.array._assign_sparse(elemwise_add(self.array, _rsp_of(g, self.array.shape)))


class _CSRSink(_RowSparseSink):
    """A csr `.grad` written as `_RowSparseSink` writes a row_sparse one."""
    __slots__ = ()

    def copy_(self, g):
        self.array._assign_sparse(_from_dense(CSRNDArray, g.to_dense() if g.is_sparse else g))

    def add_(self, g):
        from .sparse_ops import elemwise_add  # pylint: disable=import-outside-toplevel
        g = _from_dense(CSRNDArray, g.to_dense() if g.is_sparse else g)
        self.array._assign_sparse(elemwise_add(self.array, g))


def _sink(grad):
    """What autograd.GradSlot writes a variable's gradient into: the tensor of a dense
    `.grad`, or the writer of a sparse one."""
    if isinstance(grad, CSRNDArray):
        return _CSRSink(grad)
    if isinstance(grad, RowSparseNDArray):
        return _RowSparseSink(grad)
    return grad._t


def attach_sparse_grad(x, grad_req='write', stype='row_sparse', grad=None):
    """x.attach_grad(stype='row_sparse' or 'csr'): `.grad` is a sparse array (or `grad`)."""
    from .. import autograd as _ag  # pylint: disable=import-outside-toplevel
    if stype not in ('row_sparse', 'csr'):
        raise MXNetError(f"attach_grad: gradient storage type {stype!r} is not supported; "
                         "expected 'default', 'row_sparse' or 'csr'")
    if grad_req not in ('write', 'add', 'null'):
        raise KeyError(f"attach_grad: grad_req must be one of ('write', 'add', 'null'), "
                       f"got {grad_req!r}")
    t = x._t.detach()
    x._t = t
    x._grad = grad if grad is not None else \
        zeros(stype, x.shape, ctx=x.context, dtype=x.dtype)
    if grad_req != 'null' and t.is_floating_point():
        t.requires_grad_(True)
        t.register_post_accumulate_grad_hook(_ag.GradSlot(_sink(x._grad), grad_req))
