"""`mx.nd.sparse`: CSRNDArray and RowSparseNDArray, MXNet 1.x's sparse storage types.

Representation (the choice, and why): a sparse array keeps MXNet's own parts as plain torch
tensors, `_data` plus the aux arrays `_aux` (csr: (indptr, indices); row_sparse:
(indices,)), all int64 as MXNet's defaults, and its `_shape`. It is not a torch sparse
tensor because MXNet's semantics are about those parts: `.data`/`.indices`/`.indptr` are
user-visible arrays, stored zeros stay stored (`c - c` keeps its entries), indices are saved
to files as they are, and a row_sparse array is "these rows", which torch's hybrid COO
tensor would coalesce, reorder and refuse for most ops. Kernels build what they need from
the parts with torch's own ops: `embedding_bag` for csr x dense (its `sparse=True` gives a
row-sparse weight gradient, as MXNet's dot does), `index_add_`/`unique` for the transposed
product and unions, and the registered dense kernels for values (`sqrt` of a csr runs
`nd.sqrt`'s kernel on `.data`).

The classes subclass NDArray and carry their own methods, so dense arrays never pay a
sparse check. A sparse array handed to a dense operator (`nd.exp(csr)`, `csr.T`) is
densified on the way in (its `_t` is a dense tensor made on demand) and the result is dense:
MXNet's "storage fallback", with the same warning. `mx.nd.sparse.<op>` (sparse_ops.py) has
MXNet's sparse kernels and result storage types.
"""
import builtins
import warnings

import numpy as np
import torch

from ..base import MXNetError, np_dtype, torch_dtype
from ..context import Context, context_of
from .ndarray import NDArray, _box, _device, _label

__all__ = ['BaseSparseNDArray', 'CSRNDArray', 'RowSparseNDArray', 'csr_matrix',
           'row_sparse_array', 'zeros', 'empty', 'array', 'cast_storage']

STYPES = ('default', 'row_sparse', 'csr')
_I64 = torch.int64


def _fallback_warning(what):
    # MXNet logs this once per operator and storage types (MXNET_STORAGE_FALLBACK_LOG_VERBOSE)
    warnings.warn(f"Storage type fallback detected: {what}. The operator with default storage "
                  "type will be dispatched for execution: temporary dense arrays are made. "
                  "This does not affect the correctness of the programme.", stacklevel=3)


class BaseSparseNDArray(NDArray):
    """The base class of sparse arrays: its parts, shape and context (see module docstring)."""
    __slots__ = ('_data', '_aux', '_shape')

    def _init(self, data, aux, shape, ctx):
        self._data, self._aux, self._shape = data, tuple(aux), tuple(int(s) for s in shape)
        self._ctx, self._grad = ctx, None
        return self

    # The dense view: what a dense operator sees (MXNet's storage fallback).
    @property
    def _t(self):
        _fallback_warning(f"a {self.stype} array was passed to an operator that has no "
                          f"{self.stype} kernel")
        return self._dense()

    @_t.setter
    def _t(self, t):
        self._assign(t)

    # ---- attributes ----------------------------------------------------------------
    shape = property(lambda self: self._shape, doc="The shape, a tuple of ints.")
    ndim = property(lambda self: len(self._shape), doc="The number of dimensions.")
    size = property(lambda self: int(np.prod(self._shape)), doc="The number of elements.")
    dtype = property(lambda self: np_dtype(self._data.dtype), doc="The element type.")

    @property
    def context(self):
        """The Context the data lives on."""
        return context_of(self._data.device, self._ctx)

    ctx = context

    def _make(self, data, aux, shape=None):
        """A new array of this class on this context."""
        return type(self)._new(data, aux, self._shape if shape is None else shape, self._ctx)

    @classmethod
    def _new(cls, data, aux, shape, ctx=None):
        return object.__new__(cls)._init(data, aux, shape, ctx)

    def _box(self, t):
        return _box(t.clone(), self._ctx)

    # ---- conversion ----------------------------------------------------------------
    def asnumpy(self):
        """A dense numpy copy of the array."""
        return _box(self._dense(), self._ctx).asnumpy()

    def todense(self):
        """A dense NDArray with the same values (`tostype('default')`)."""
        return _box(self._dense(), self._ctx)

    def tostype(self, stype):
        """This array converted to storage type `stype` ('default', 'csr', 'row_sparse')."""
        return cast_storage(self, stype)

    def astype(self, dtype, copy=True):
        """A copy with values cast to `dtype`; the storage type and indices are kept."""
        td = torch_dtype(dtype)
        if not copy and td == self._data.dtype:
            return self
        return self._make(self._data.to(td), [a.clone() for a in self._aux])

    def copy(self):
        """A copy on the same context."""
        return self._make(self._data.clone(), [a.clone() for a in self._aux])

    def copyto(self, other):
        """Copy into an array of the same storage type or a dense one, or onto a Context."""
        if isinstance(other, Context):
            dev = other.torch_device
            return type(self)._new(self._data.to(dev, copy=True),
                                   [a.to(dev, copy=True) for a in self._aux],
                                   self._shape, _label(other))
        if isinstance(other, NDArray):
            if other is self:
                warnings.warn('You are attempting to copy an array to itself', RuntimeWarning)
                return False
            if other.stype not in ('default', self.stype):
                raise TypeError(f"copyto does not support destination NDArray stype "
                                f"{other.stype}")
            if other.shape != self.shape:
                raise MXNetError(f"copyto: shape mismatch, source {self.shape} "
                                 f"vs destination {other.shape}")
            if other.stype == 'default':
                return other._assign(self._dense())
            return other._assign_sparse(self)
        raise TypeError(f"copyto does not support type {type(other)}")

    def as_in_context(self, context):
        """This array if it is on `context` already, else a copy there."""
        if not isinstance(context, Context):
            raise TypeError(f"copyto does not support type {type(context)}")
        return self if context == self.context else self.copyto(context)

    as_in_ctx = as_in_context

    def wait_to_read(self):
        """Wait until the data can be read."""

    def attach_grad(self, grad_req='write', stype=None):
        raise MXNetError(f"attach_grad: a {self.stype} array cannot be a variable in "
                         "regluon; attach the gradient to the dense weight it multiplies")

    def _assign(self, t):
        """Write dense tensor `t` (or a scalar) into this array, keeping its storage type."""
        if not isinstance(t, torch.Tensor):
            t = torch.full(self._shape, t, dtype=self._data.dtype)
        if tuple(t.shape) != self._shape:
            raise MXNetError(f"cannot write a result of shape {tuple(t.shape)} into a "
                             f"{self.stype} array of shape {self._shape}")
        src = _from_dense(type(self), t.detach().to(self._data.dtype), self._shape)
        return self._assign_sparse(src)

    def _assign_sparse(self, src):
        # set_ keeps the values tensor's identity and bumps its version, which is how
        # Trainer tells a fresh gradient from a stale one (to_torch())
        with torch.no_grad():
            self._data.set_(src._data.to(self._data.device, self._data.dtype).contiguous())
        self._aux = tuple(a.to(self._data.device) for a in src._aux)
        return self

    def to_torch(self):
        """The values tensor (`.data` without a copy); `tostype('default')` for all values."""
        return self._data

    def __setitem__(self, key, value):
        if not (isinstance(key, builtins.slice) and key == builtins.slice(None)):
            raise ValueError(f"Assignment with slice for {type(self).__name__} is not "
                             "implemented yet.")
        if isinstance(value, BaseSparseNDArray):
            if value.stype != self.stype:
                value = _box(value._dense(), value._ctx)
            else:
                self._assign_sparse(value.copy())
                return
        if isinstance(value, NDArray):
            value = value._t
        elif isinstance(value, np.ndarray):
            value = torch.from_numpy(value)
        if isinstance(value, torch.Tensor):
            value = value.to(self._data.dtype).expand(self._shape)
        self._assign(value)

    def __len__(self):
        return self._shape[0]

    def __iter__(self):
        return (self[i] for i in range(self._shape[0]))

    def __bool__(self):
        raise NotImplementedError(f"__bool__ is not supported for {type(self).__name__}")

    def __repr__(self):
        shape = 'x'.join(str(s) for s in self._shape)
        return f"\n<{type(self).__name__} {shape} @{self.context}>"

    def __reduce__(self):
        return type(self)._new, (self._data, self._aux, self._shape)

    def __neg__(self):
        return self._make(-self._data, self._aux)

    def _values(self, fn):
        """This array's pattern with values fn(data): for ops where f(0) == 0."""
        return self._make(fn(self._data), self._aux)


class CSRNDArray(BaseSparseNDArray):
    """A 2-D array in compressed sparse row format: `data`, `indices` (column of each value)
    and `indptr` (row i's values are data[indptr[i]:indptr[i+1]])."""
    __slots__ = ()
    stype = 'csr'

    @property
    def data(self):
        """A copy of the stored values."""
        return self._box(self._data)

    @property
    def indices(self):
        """A copy of the column indices of the stored values."""
        return self._box(self._aux[1])

    @property
    def indptr(self):
        """A copy of the row pointers."""
        return self._box(self._aux[0])

    def _rows(self):
        """The row of each stored value."""
        indptr = self._aux[0]
        return torch.repeat_interleave(torch.arange(self._shape[0], device=indptr.device),
                                       indptr.diff())

    def _dense(self):
        out = torch.zeros(self._shape, dtype=self._data.dtype, device=self._data.device)
        out[self._rows(), self._aux[1]] = self._data
        return out

    def __getitem__(self, key):
        n = self._shape[0]
        if isinstance(key, tuple):
            if len(key) != 1:
                raise ValueError("Multi-dimension indexing is not supported")
            key = key[0]
        if isinstance(key, (int, np.integer)):
            if not -n <= key < n:
                raise MXNetError(f"CSRNDArray index {key} is out of bounds for axis 0 "
                                 f"with size {n}")
            key = builtins.slice(key % n, key % n + 1)
        if not isinstance(key, builtins.slice):
            raise ValueError(f"CSRNDArray only supports an int or a slice for "
                             f"__getitem__, got {type(key).__name__}")
        if key.step not in (None, 1):
            raise ValueError("CSRNDArray only supports continuous slicing on axis 0")
        begin, end, _ = key.indices(n)
        if begin >= end:
            raise MXNetError(f"CSRNDArray slice [{key.start}:{key.stop}] of {n} rows is "
                             "empty; expected begin < end")
        return self._row_slice(begin, end)

    def _row_slice(self, begin, end):
        indptr, indices = self._aux
        lo, hi = int(indptr[begin]), int(indptr[end])
        return self._make(self._data[lo:hi].clone(),
                          [indptr[begin:end + 1] - lo, indices[lo:hi].clone()],
                          (end - begin, self._shape[1]))

    def asscipy(self):
        """This array as a scipy.sparse.csr_matrix."""
        import scipy.sparse  # pylint: disable=import-outside-toplevel
        return scipy.sparse.csr_matrix(
            (self.data.asnumpy(), self.indices.asnumpy(), self.indptr.asnumpy()),
            shape=self._shape)

    def check_format(self, full_check=True):
        """Raise MXNetError if the parts do not describe a valid csr array."""
        _check_csr(self._data, self._aux[0], self._aux[1], self._shape, full_check)


class RowSparseNDArray(BaseSparseNDArray):
    """An array of which only some rows are stored: `data[i]` is row `indices[i]`."""
    __slots__ = ()
    stype = 'row_sparse'

    @property
    def data(self):
        """A copy of the stored rows."""
        return self._box(self._data)

    @property
    def indices(self):
        """A copy of the row numbers of the stored rows."""
        return self._box(self._aux[0])

    def _dense(self):
        out = torch.zeros(self._shape, dtype=self._data.dtype, device=self._data.device)
        out[self._aux[0]] = self._data
        return out

    def __getitem__(self, key):
        if isinstance(key, builtins.slice) and key == builtins.slice(None):
            return self
        raise MXNetError("RowSparseNDArray only supports [:] for __getitem__")

    def retain(self, indices):
        """The rows of this array whose numbers are in `indices` (others dropped)."""
        from .sparse_ops import retain  # pylint: disable=import-outside-toplevel
        return retain(self, indices)

    def check_format(self, full_check=True):
        """Raise MXNetError if the parts do not describe a valid row_sparse array."""
        _check_rsp(self._data, self._aux[0], self._shape, full_check)


# ---- checks ------------------------------------------------------------------------------
def _check_csr(data, indptr, indices, shape, full_check=True):
    if len(shape) != 2:
        raise MXNetError(f"csr_matrix: a csr array is 2-D, got shape {shape}")
    if data.dim() != 1 or indices.shape != data.shape or indptr.shape != (shape[0] + 1,):
        raise MXNetError(f"csr_matrix: expected data and indices of one length and indptr "
                         f"of length {shape[0] + 1} for shape {shape}, got data "
                         f"{tuple(data.shape)}, indices {tuple(indices.shape)}, indptr "
                         f"{tuple(indptr.shape)}")
    if not full_check:
        return
    if int(indptr[0]) != 0 or int(indptr[-1]) != data.numel() or (indptr.diff() < 0).any():
        raise MXNetError(f"csr_matrix: indptr must start at 0, not decrease and end at "
                         f"nnz={data.numel()}, got {indptr.tolist()}")
    if indices.numel() and (int(indices.min()) < 0 or int(indices.max()) >= shape[1]):
        raise MXNetError(f"csr_matrix: column indices must be in [0, {shape[1]}), got "
                         f"[{int(indices.min())}, {int(indices.max())}]")


def _check_rsp(data, indices, shape, full_check=True):
    if indices.dim() != 1 or data.shape[:1] != indices.shape or \
            tuple(data.shape[1:]) != tuple(shape[1:]):
        raise MXNetError(f"row_sparse_array: expected data of shape (k,) + {tuple(shape[1:])} "
                         f"and k indices for shape {shape}, got data {tuple(data.shape)} "
                         f"and indices {tuple(indices.shape)}")
    if full_check and indices.numel() and (int(indices.min()) < 0 or
                                           int(indices.max()) >= shape[0]):
        raise MXNetError(f"row_sparse_array: row indices must be in [0, {shape[0]}), got "
                         f"[{int(indices.min())}, {int(indices.max())}]")
    if full_check and indices.numel() > 1 and (indices.diff() <= 0).any():
        raise MXNetError("row_sparse_array: row indices must be sorted and unique, got "
                         f"{indices.tolist()}")


# ---- creation ----------------------------------------------------------------------------
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
    if isinstance(arg1, tuple) and len(arg1) == 2:
        raise MXNetError("csr_matrix: the (data, (row, col)) COO form needs scipy in MXNet; "
                         "pass (data, indices, indptr) or a dense array")
    if hasattr(arg1, 'tocsr') and not isinstance(arg1, NDArray):      # scipy.sparse
        m = arg1.tocsr()
        m.sort_indices()
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
    __slots__ = ('rsp',)

    def __init__(self, rsp):
        self.rsp = rsp

    def copy_(self, g):
        self.rsp._assign_sparse(_rsp_of(g, self.rsp.shape))

    def add_(self, g):
        from .sparse_ops import elemwise_add  # pylint: disable=import-outside-toplevel
        self.rsp._assign_sparse(elemwise_add(self.rsp, _rsp_of(g, self.rsp.shape)))


def attach_sparse_grad(x, grad_req='write', stype='row_sparse', grad=None):
    """x.attach_grad(stype='row_sparse'): `.grad` is a RowSparseNDArray (or `grad`)."""
    from .. import autograd as _ag  # pylint: disable=import-outside-toplevel
    if stype != 'row_sparse':
        raise MXNetError(f"attach_grad: gradient storage type {stype!r} is not supported; "
                         "expected 'default' or 'row_sparse'")
    if grad_req not in ('write', 'add', 'null'):
        raise KeyError(f"attach_grad: grad_req must be one of ('write', 'add', 'null'), "
                       f"got {grad_req!r}")
    t = x._t.detach()
    x._t = t
    x._grad = grad if grad is not None else \
        zeros('row_sparse', x.shape, ctx=x.context, dtype=x.dtype)
    if grad_req != 'null' and t.is_floating_point():
        t.requires_grad_(True)
        t.register_post_accumulate_grad_hook(_ag.GradSlot(_RowSparseSink(x._grad), grad_req))


from . import register as _register  # noqa: E402
_register.SPARSE.update((CSRNDArray, RowSparseNDArray))   # nd.<op> dispatches to sparse_ops
from .sparse_ops import *  # noqa: E402,F401,F403  (the operators of mx.nd.sparse)
from .sparse_ops import __all__ as _ops_all  # noqa: E402
__all__ += _ops_all
