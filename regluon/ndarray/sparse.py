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
MXNet's sparse kernels and result storage types; `nd.<op>` reaches them too
(register.Op.sparse, set in sparse_train.py). Creation and row_sparse gradient buffers are
in sparse_create.py. docs/sparse.md has the whole picture.
"""
import builtins
import warnings

import numpy as np
import torch

from ..base import MXNetError, np_dtype, torch_dtype
from ..context import Context, context_of
from .. import autograd as _ag
from .ndarray import NDArray, _box, _label

__all__ = ['BaseSparseNDArray', 'CSRNDArray', 'RowSparseNDArray', 'csr_matrix',
           'row_sparse_array', 'zeros', 'empty', 'array', 'cast_storage', 'attach_sparse_grad']

STYPES = ('default', 'row_sparse', 'csr')
_I64 = torch.int64


def _fallback_warning(what):
    # MXNet logs this once per operator and storage types (MXNET_STORAGE_FALLBACK_LOG_VERBOSE)
    warnings.warn(f"Storage type fallback detected: {what}. The operator with default storage "
                  "type will be dispatched for execution: temporary dense arrays are made. "
                  "This does not affect the correctness of the programme.", stacklevel=3)


class BaseSparseNDArray(NDArray):
    """The base class of sparse arrays: its parts, shape and context (see module docstring)."""
    __slots__ = ('_data', '_aux', '_shape', '_leaf', '_leaf_of')

    def _init(self, data, aux, shape, ctx):
        self._data, self._aux, self._shape = data, tuple(aux), tuple(int(s) for s in shape)
        self._ctx, self._grad = ctx, None
        self._leaf = self._leaf_of = None
        return self

    # ---- as an autograd variable (attach_grad / mark_variables) -----------------------
    # A sparse variable is recorded through a dense leaf tensor with its values: inside
    # record() every operator on it takes the dense path (its sparse kernels have no
    # gradients), and the leaf's gradient is written into `.grad` in that buffer's storage
    # type by grad_req, as for any variable (autograd.GradSlot).
    def _dense(self):
        leaf = getattr(self, '_leaf', None)
        if leaf is not None and _ag.is_recording():
            if self._leaf_of != (id(self._data), self._data._version, self._aux):
                with torch.no_grad():           # the values changed since attach_grad
                    leaf.data.copy_(self._dense_value())
                self._leaf_of = (id(self._data), self._data._version, self._aux)
            return leaf
        return self._dense_value()

    def _make_variable(self, grad_req, grad):
        from .sparse_create import _sink  # pylint: disable=import-outside-toplevel
        leaf = self._dense_value().detach()
        self._grad = grad
        if grad_req != 'null' and leaf.is_floating_point():
            leaf.requires_grad_(True)
            leaf.register_post_accumulate_grad_hook(_ag.GradSlot(_sink(grad), grad_req))
        self._leaf, self._leaf_of = leaf, (id(self._data), self._data._version, self._aux)

    def detach(self):
        """The same data, cut from the recorded graph (the storage type is kept)."""
        return self._make(self._data, self._aux)

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
        """Make this array a variable; `.grad` has storage type `stype` (default: this
        array's own), as in MXNet."""
        if grad_req not in ('write', 'add', 'null'):
            raise KeyError(f"attach_grad: grad_req must be one of ('write', 'add', 'null'), "
                           f"got {grad_req!r}")
        stype = stype or self.stype
        if stype not in STYPES:
            raise MXNetError(f"attach_grad: unknown storage type {stype!r}; expected one of "
                             f"{STYPES}")
        self._make_variable(grad_req, zeros(stype, self._shape, ctx=self.context,
                                            dtype=self.dtype))

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
        # MXNet 1.9.1: NDArray's rule, where one element needs asscalar, which sparse
        # arrays lack (NotImplementedError)
        size = 1
        for d in self._shape:
            size *= d
        if size == 0:
            return False
        if size == 1:
            raise NotImplementedError(f"__bool__ of a one-element {type(self).__name__} "
                                      "(asscalar is not supported for sparse arrays)")
        raise ValueError("The truth value of an NDArray with multiple elements is ambiguous.")

    def __repr__(self):
        shape = 'x'.join(str(s) for s in self._shape)
        return f"\n<{type(self).__name__} {shape} @{self.context}>"

    def __reduce__(self):
        return type(self)._new, (self._data, self._aux, self._shape)

    def __neg__(self):
        return self._make(-self._data, self._aux)

    @property
    def _num_aux(self):
        """How many auxiliary arrays the storage has (row_sparse: indices; csr: indptr and
        indices), as MXNet's."""
        return len(self._aux)

    def _values(self, fn):
        """This array's pattern with values fn(data): for ops where f(0) == 0."""
        return self._make(fn(self._data), self._aux)


def _sparse_inplace(op):
    """`x op= y` on a sparse array: the operator's result written back into x, which keeps
    its storage type (the dense NDArray path would write into a temporary dense copy)."""
    def inplace(self, other):
        res = getattr(self, op)(other)
        self._assign(res._dense() if isinstance(res, BaseSparseNDArray) else res.to_torch())
        return self
    inplace.__name__ = inplace.__qualname__ = op.replace('__', '__i', 1)
    return inplace


for _op in ('__add__', '__sub__', '__mul__', '__truediv__', '__mod__', '__pow__'):
    setattr(BaseSparseNDArray, _op.replace('__', '__i', 1), _sparse_inplace(_op))
BaseSparseNDArray.__idiv__ = BaseSparseNDArray.__itruediv__


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

    def _dense_value(self):
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

    def _dense_value(self):
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


from . import register as _register  # noqa: E402
_register.SPARSE.update((CSRNDArray, RowSparseNDArray))   # nd.<op> dispatches to sparse_ops
from .sparse_create import *  # noqa: E402,F401,F403  (creation, cast_storage, gradients)
from .sparse_create import _from_dense, attach_sparse_grad  # noqa: E402,F401
from .sparse_ops import *  # noqa: E402,F401,F403  (the operators of mx.nd.sparse)
from .sparse_ops import __all__ as _ops_all  # noqa: E402
from .sparse_train import *  # noqa: E402,F401,F403  (layers and updates)
from .sparse_train import __all__ as _train_all  # noqa: E402
__all__ += _ops_all + _train_all
