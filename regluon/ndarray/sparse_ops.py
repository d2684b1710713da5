"""The operators of `mx.nd.sparse`: MXNet 1.9.1's sparse kernels and result storage types.

Each function takes NDArrays of any storage type. Where MXNet has a sparse kernel for the
given storage types, the result has MXNet's storage type (`dot(csr.T, dense)` is
row_sparse, `csr * 2` is csr). Other combinations densify the sparse inputs and run the
dense operator, warning as MXNet's storage fallback does; the result is dense. The values
always go through torch ops or the registered dense kernels (OPS[name].kernel).
"""
import builtins
import operator

import torch
import torch.nn.functional as F

from ..base import MXNetError
from .. import autograd as _ag
from .ndarray import NDArray, _box, _box_result
from .register import OPS
from .sparse import (BaseSparseNDArray, CSRNDArray, RowSparseNDArray, _fallback_warning,
                     _I64)

__all__ = ['dot', 'add_n', 'ElementWiseSum', 'elemwise_add', 'elemwise_sub', 'elemwise_mul',
           'elemwise_div', 'add', 'subtract', 'multiply', 'divide', 'retain', 'sum', 'mean',
           'norm', 'clip', 'slice', 'concat', 'zeros_like', 'stop_gradient', 'make_loss',
           'broadcast_mul', 'broadcast_div', 'where', 'take']


def _st(x):
    return x.stype if isinstance(x, NDArray) else 'scalar'


def _dense_call(name, *args, **kwargs):
    """nd.<name> on densified inputs, warning as MXNet's storage fallback does."""
    stypes = [_st(a) for a in args if isinstance(a, NDArray)]
    if any(s not in ('default', 'scalar') for s in stypes):
        _fallback_warning(f"operator = {name}, input storage types = [{', '.join(stypes)}], "
                          "output storage types = [default]")
    args = [_box(a._dense(), a._ctx) if isinstance(a, BaseSparseNDArray) else a for a in args]
    return OPS[name].func(*args, **kwargs)


def _dense_of(x):
    return x._dense() if isinstance(x, BaseSparseNDArray) else x._t


# ---- sparse variables inside record() ----------------------------------------------------
# The sparse kernels here have no gradients. A sparse array made a variable (attach_grad,
# mark_variables) is recorded through its dense leaf (sparse.py `_dense`): inside record()
# an operator on one runs the dense operator instead, and the result is dense.
def _recorded_variable(*args):
    return _ag.is_recording() and builtins.any(
        isinstance(a, BaseSparseNDArray) and getattr(a, '_leaf', None) is not None
        for a in args)


def _as_dense(a):
    return _box(a._dense(), a._ctx) if isinstance(a, BaseSparseNDArray) else a


_PYOP = {'elemwise_add': operator.add, 'elemwise_sub': operator.sub,
         'elemwise_mul': operator.mul, 'elemwise_div': operator.truediv,
         'broadcast_mul': operator.mul, 'broadcast_div': operator.truediv}


# ---- dot ---------------------------------------------------------------------------------
def _rsp_grad(w):
    """Whether dense weight `w` collects a row_sparse gradient (attach_grad(stype=...))."""
    return isinstance(w._grad, RowSparseNDArray)


def _csr_mm(csr, w, sparse_grad):
    """csr (m, k) x dense w (k, n) -> dense (m, n)."""
    indptr, indices = csr._aux
    data = csr._data.to(w.dtype)
    if w.dtype in (torch.float32, torch.float64) and w.dim() == 2:
        # one sum of weighted rows per csr row: torch's kernel, and its sparse weight gradient
        return F.embedding_bag(indices, w, indptr, mode='sum', per_sample_weights=data,
                               include_last_offset=True, sparse=sparse_grad)
    contrib = w[indices] * data.reshape((-1,) + (1,) * (w.dim() - 1))
    out = torch.zeros((csr.shape[0],) + tuple(w.shape[1:]), dtype=w.dtype, device=w.device)
    return out.index_add(0, csr._rows(), contrib)


def _csrT_mm(csr, w):
    """csr.T (k, m) x dense w (m, n) -> row_sparse (k, n): rows are csr's used columns."""
    data = csr._data.to(w.dtype)
    cols, inv = torch.unique(csr._aux[1], return_inverse=True)
    contrib = w[csr._rows()] * data.reshape((-1,) + (1,) * (w.dim() - 1))
    out = torch.zeros((cols.numel(),) + tuple(w.shape[1:]), dtype=w.dtype, device=w.device)
    return out.index_add(0, inv, contrib), cols


def dot(lhs, rhs, transpose_a=False, transpose_b=False, forward_stype=None):
    """Dot product with MXNet's sparse kernels.

    csr x dense -> dense; csr.T x dense -> row_sparse; dense x csr -> csr;
    csr x row_sparse -> dense; other sparse combinations fall back to dense.

    Parameters
    ----------
    lhs, rhs : NDArray
    transpose_a, transpose_b : bool
    forward_stype : str, optional
        The result's storage type; converted to when given.
    """
    ls, rs = _st(lhs), _st(rhs)
    if ls == 'csr' and rs in ('default', 'row_sparse') and rhs.ndim == 2 \
            and not transpose_b:
        w = rhs._t if rs == 'default' else rhs._dense()
        k = lhs.shape[0] if transpose_a else lhs.shape[1]
        if w.shape[0] != k:
            raise MXNetError(f"dot: shapes {lhs.shape}{'.T' if transpose_a else ''} "
                             f"and {rhs.shape} do not match (csr, {rs})")
        if not transpose_a:
            res = _box_result(_csr_mm(lhs, w, rs == 'default' and _rsp_grad(rhs)), lhs._ctx)
        else:
            data, rows = _csrT_mm(lhs, w)
            res = RowSparseNDArray._new(data if _ag.is_recording() else data.detach(), [rows],
                                        (lhs.shape[1], w.shape[1]), lhs._ctx)
    elif ls == 'default' and rs == 'csr' and lhs.ndim == 2 and not transpose_a \
            and not transpose_b:
        res = _dense_csr(lhs, rhs)
    else:
        res = _dense_call('dot', lhs, rhs, transpose_a=transpose_a, transpose_b=transpose_b)
    if forward_stype not in (None, res.stype):
        res = res.tostype(forward_stype)
    return res


def _dense_csr(lhs, rhs):
    """dense (k, m) x csr (m, n) -> csr (k, n), every row storing csr's used columns."""
    x = lhs._t.detach()
    if x.shape[1] != rhs.shape[0]:
        raise MXNetError(f"dot: shapes {lhs.shape} and {rhs.shape} do not match (default, csr)")
    cols, inv = torch.unique(rhs._aux[1], return_inverse=True)
    vals = torch.zeros((x.shape[0], cols.numel()), dtype=x.dtype, device=x.device)
    vals.index_add_(1, inv, x[:, rhs._rows()] * rhs._data.to(x.dtype))
    k, c = x.shape[0], cols.numel()
    indptr = torch.arange(k + 1, dtype=_I64, device=x.device) * c
    return CSRNDArray._new(vals.reshape(-1), [indptr, cols.repeat(k)],
                           (k, rhs.shape[1]), lhs._ctx)


# ---- elementwise -------------------------------------------------------------------------
def _coo(x):
    """(row, col) index pair and values of a csr array."""
    return x._rows(), x._aux[1], x._data


def _csr_from_coo(rows, cols, vals, shape, ctx):
    order = torch.argsort(rows * shape[1] + cols, stable=True)
    rows, cols, vals = rows[order], cols[order], vals[order]
    indptr = torch.zeros(shape[0] + 1, dtype=_I64, device=vals.device)
    indptr[1:] = torch.bincount(rows, minlength=shape[0]).cumsum(0)
    return CSRNDArray._new(vals, [indptr, cols], shape, ctx)


def _union(a, b, fn):
    """a fn b over the union of the two arrays' stored entries (add, sub)."""
    if a.stype == 'csr':
        (ra, ca, va), (rb, cb, vb) = _coo(a), _coo(b)
        key = torch.cat([ra * a.shape[1] + ca, rb * a.shape[1] + cb])
        uniq, inv = torch.unique(key, return_inverse=True)
        vals = torch.zeros(uniq.numel(), dtype=va.dtype, device=va.device)
        vals.index_add_(0, inv[:va.numel()], va)
        vals.index_add_(0, inv[va.numel():], fn(torch.zeros_like(vb), vb))
        return _csr_from_coo(uniq // a.shape[1], uniq % a.shape[1], vals, a.shape, a._ctx)
    rows, inv = torch.unique(torch.cat([a._aux[0], b._aux[0]]), return_inverse=True)
    n = a._aux[0].numel()
    vals = torch.zeros((rows.numel(),) + a.shape[1:], dtype=a._data.dtype,
                       device=a._data.device)
    vals.index_add_(0, inv[:n], a._data)
    vals.index_add_(0, inv[n:], fn(torch.zeros_like(b._data), b._data))
    return RowSparseNDArray._new(vals, [rows], a.shape, a._ctx)


def _times_dense(s, d):
    """sparse s * dense d, keeping s's stored entries."""
    if s.stype == 'csr':
        return s._values(lambda v: v * d[s._rows(), s._aux[1]].to(v.dtype))
    return s._values(lambda v: v * d[s._aux[0]].to(v.dtype))


def _binary(name, op, lhs, rhs):
    if _recorded_variable(lhs, rhs):
        return _PYOP[name](_as_dense(lhs), _as_dense(rhs))
    ls, rs = _st(lhs), _st(rhs)
    if ls == 'scalar' or rs == 'scalar':
        arr, scalar = (rhs, lhs) if ls == 'scalar' else (lhs, rhs)
        # x*s and x/s keep zeros; x+s, x-s and s/x do not (dense, as MXNet)
        if isinstance(arr, BaseSparseNDArray) and (
                name == 'elemwise_mul' or (name == 'elemwise_div' and rs == 'scalar')):
            return arr._values(lambda v: op(v, scalar))
        _fallback_warning(f"operator = {name} with a scalar, input storage type = "
                          f"{_st(arr)}, output storage type = default")
        return _box_result(op(_dense_of(lhs) if ls != 'scalar' else lhs,
                              _dense_of(rhs) if rs != 'scalar' else rhs), arr._ctx)
    if lhs.shape != rhs.shape:
        raise MXNetError(f"{name}: shapes {lhs.shape} and {rhs.shape} differ ({ls}, {rs})")
    if ls == rs and ls != 'default' and name in ('elemwise_add', 'elemwise_sub'):
        return _union(lhs, rhs, op)
    if name == 'elemwise_mul' and {ls, rs} != {'default'}:
        if ls == 'default' or rs == 'default':
            s, d = (rhs, lhs) if ls == 'default' else (lhs, rhs)
            return _times_dense(s, d._t)
        if ls == rs == 'csr':
            return _times_dense(lhs, rhs._dense())
        if ls == rs:                # row_sparse: MXNet stores the union of the rows
            rows = torch.unique(torch.cat([lhs._aux[0], rhs._aux[0]]))
            return lhs._make(lhs._dense()[rows] * rhs._dense()[rows], [rows])
    stypes = {ls, rs}
    if stypes <= {'default', 'row_sparse'} or stypes <= {'default', 'csr'} or \
            name != 'elemwise_div' and stypes == {'csr', 'row_sparse'}:
        # MXNet has dense-output kernels for these: no fallback warning
        return _box_result(op(_dense_of(lhs), _dense_of(rhs)), lhs._ctx)
    return _dense_call(name, lhs, rhs)


def elemwise_add(lhs, rhs):
    """lhs + rhs: csr+csr is csr, row_sparse+row_sparse is row_sparse, others dense."""
    return _binary('elemwise_add', torch.add, lhs, rhs)


def elemwise_sub(lhs, rhs):
    """lhs - rhs: csr-csr is csr, row_sparse-row_sparse is row_sparse, others dense."""
    return _binary('elemwise_sub', torch.sub, lhs, rhs)


def elemwise_mul(lhs, rhs):
    """lhs * rhs: a sparse operand's storage type and stored entries are kept."""
    return _binary('elemwise_mul', torch.mul, lhs, rhs)


def elemwise_div(lhs, rhs):
    """lhs / rhs: dense unless rhs is a scalar."""
    return _binary('elemwise_div', torch.div, lhs, rhs)


add, subtract, multiply, divide = elemwise_add, elemwise_sub, elemwise_mul, elemwise_div


def add_n(*args):
    """The sum of all arguments: row_sparse if all are row_sparse, else dense."""
    if args and all(_st(a) == 'row_sparse' for a in args):
        out = args[0]
        for a in args[1:]:
            out = _union(out, a, torch.add)
        return out if len(args) > 1 else out.copy()
    return _dense_call('add_n', *args)


ElementWiseSum = add_n


# ---- unary -------------------------------------------------------------------------------
# MXNet 1.9.1's unary operators with sparse kernels (f(0) == 0): csr in, csr out.
KEEP_SPARSE = ('abs', 'arcsin', 'arcsinh', 'arctan', 'arctanh', 'cbrt', 'ceil', 'degrees',
               'expm1', 'fix', 'floor', 'log1p', 'negative', 'radians', 'relu', 'rint',
               'round', 'sign', 'sin', 'sinh', 'sqrt', 'square', 'tan', 'tanh', 'trunc')
# ... and those without (f(0) != 0): the result is dense
TO_DENSE = ('arccos', 'arccosh', 'cos', 'cosh', 'exp', 'gamma', 'gammaln', 'log', 'log10',
            'log2', 'rsqrt', 'sigmoid')


def _unary(name):
    kernel = OPS[name].kernel

    def fn(data, **kwargs):
        if _recorded_variable(data):
            return OPS[name].func(_as_dense(data), **kwargs)
        if isinstance(data, BaseSparseNDArray) and name in KEEP_SPARSE:
            return data._values(lambda v: kernel(v, **kwargs))
        return _dense_call(name, data, **kwargs)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"{name} of each element; {'keeps' if name in KEEP_SPARSE else 'densifies'} " \
                 "a sparse input's storage type (MXNet 1.9.1)."
    return fn


for _n in KEEP_SPARSE + TO_DENSE:
    globals()[_n] = _unary(_n)
    __all__.append(_n)


def _square_sum(data, axis=None, keepdims=False, exclude=False):
    """Sum of squares (MXNet's internal op for row_sparse data): over axis 1 with keepdims
    a row_sparse input gives a row_sparse (rows, 1) result with the same rows; other axes
    give a dense result."""
    if isinstance(data, RowSparseNDArray):
        if data.ndim == 2 and keepdims and not exclude and axis in (1, -1, (1,), (-1,)):
            v = (data._data * data._data).sum(1, keepdim=True)
            return RowSparseNDArray._new(v, [data._aux[0].clone()], (data.shape[0], 1),
                                         data._ctx)
        return _box_result(OPS['_square_sum'].kernel(data._dense(), axis, keepdims, exclude),
                           data._ctx)
    return _dense_call('_square_sum', data, axis=axis, keepdims=keepdims, exclude=exclude)


def stop_gradient(data):
    """The same values, cut from the graph; the storage type is kept."""
    return data.copy() if isinstance(data, BaseSparseNDArray) else OPS['stop_gradient'].func(data)


make_loss = stop_gradient


def zeros_like(data):
    """Zeros of data's shape, dtype and storage type (a sparse one stores nothing)."""
    if isinstance(data, BaseSparseNDArray):
        from .sparse import zeros  # pylint: disable=import-outside-toplevel
        return zeros(data.stype, data.shape, ctx=data.context, dtype=data.dtype)
    return OPS['zeros_like'].func(data)


def clip(data, a_min, a_max):
    """Values clipped to [a_min, a_max]; sparse kept when 0 is inside the range."""
    if isinstance(data, BaseSparseNDArray):
        if a_min <= 0 <= a_max:
            return data._values(lambda v: v.clamp(a_min, a_max))
        raise MXNetError(f"clip: a {data.stype} input needs a_min <= 0 <= a_max to stay "
                         f"sparse, got a_min={a_min}, a_max={a_max}; densify it first "
                         "(tostype('default'))")
    return OPS['clip'].func(data, a_min, a_max)


# ---- reductions --------------------------------------------------------------------------
def sum(data, axis=None, keepdims=False, exclude=False):  # pylint: disable=redefined-builtin
    """Sum over `axis` (None: all); a csr input is reduced from its stored values."""
    if data.stype == 'csr' and not exclude and axis in (None, 0, 1, -1, -2, (0,), (1,)):
        ax = axis[0] if isinstance(axis, tuple) else axis
        v = data._data
        if ax is None:
            t = v.sum().reshape((1, 1) if keepdims else (1,))
        else:
            ax %= 2
            out = torch.zeros(data.shape[1 - ax], dtype=v.dtype, device=v.device)
            out.index_add_(0, data._aux[1] if ax == 0 else data._rows(), v)
            t = out.unsqueeze(ax) if keepdims else out
        return _box_result(t, data._ctx)
    return _reduce('sum', data, axis=axis, keepdims=keepdims, exclude=exclude)


def _reduce(name, data, **kwargs):
    # MXNet has dense-output kernels for sparse reductions: no fallback warning
    if isinstance(data, BaseSparseNDArray):
        data = data.todense()
    return OPS[name].func(data, **kwargs)


def mean(data, axis=None, keepdims=False, exclude=False):
    """Mean over `axis` (None: all); dense result."""
    return _reduce('mean', data, axis=axis, keepdims=keepdims, exclude=exclude)


def norm(data, ord=2, axis=None, keepdims=False, **kwargs):  # pylint: disable=redefined-builtin
    """The ord-norm over `axis`; of all values of a sparse array, from its stored values."""
    if isinstance(data, BaseSparseNDArray) and axis is None and ord == 2 and not kwargs:
        t = data._data.float().norm().to(data._data.dtype)
        return _box_result(t.reshape((1,) * data.ndim if keepdims else (1,)), data._ctx)
    return _reduce('norm', data, ord=ord, axis=axis, keepdims=keepdims, **kwargs)


# ---- indexing ----------------------------------------------------------------------------
def retain(data, indices):
    """The rows of row_sparse `data` whose numbers are in `indices`; row_sparse result.

    Parameters
    ----------
    data : RowSparseNDArray
    indices : NDArray
        Row numbers to keep.
    """
    if _st(data) != 'row_sparse':
        raise MXNetError(f"retain: expected a row_sparse array, got storage type "
                         f"{_st(data)}")
    idx = (indices._t if isinstance(indices, NDArray) else torch.as_tensor(indices)).to(_I64)
    # MXNet's result stores every requested row: zeros where `data` has none
    have = data._aux[0]
    pos = torch.searchsorted(have, idx).clamp(max=max(have.numel() - 1, 0))
    found = have[pos] == idx if have.numel() else torch.zeros_like(idx, dtype=torch.bool)
    out = torch.zeros((idx.numel(),) + data.shape[1:], dtype=data._data.dtype,
                      device=data._data.device)
    out[found] = data._data[pos[found]]
    return data._make(out, [idx.reshape(-1)])


def take(a, indices, axis=0, mode='clip'):
    """Rows of a csr array along axis 0 ('clip' or 'wrap'): a csr result, as MXNet's;
    anything else runs densified."""
    if _st(a) == 'csr' and axis == 0 and mode in ('clip', 'wrap') and \
            isinstance(indices, NDArray) and _st(indices) == 'default':
        n = a.shape[0]
        idx = indices._t.reshape(-1)
        idx = (idx.floor() if idx.is_floating_point() else idx).to(_I64)
        idx = idx.clamp(0, n - 1) if mode == 'clip' else torch.remainder(idx, n)
        indptr, cols = a._aux
        counts = (indptr[1:] - indptr[:-1])[idx]
        new_ptr = torch.zeros(idx.numel() + 1, dtype=_I64, device=indptr.device)
        new_ptr[1:] = torch.cumsum(counts, 0)
        # position of each kept value in `a`: its row's start plus its place in the row
        pos = torch.repeat_interleave(indptr[idx] - new_ptr[:-1], counts) + \
            torch.arange(int(new_ptr[-1]), device=indptr.device)
        return a._make(a._data[pos], [new_ptr, cols[pos]], (idx.numel(),) + a.shape[1:])
    return _dense_call('take', a, indices, axis=axis, mode=mode)


def slice(data, begin, end, step=None):  # pylint: disable=redefined-builtin
    """A slice; a csr array sliced with step 1 stays csr."""
    if _st(data) == 'csr' and not (step and any(s not in (None, 1) for s in step)):
        b = [0 if x is None else x for x in begin] + [0] * (2 - len(begin))
        e = [n if x is None else x for x, n in zip(list(end) + [None] * (2 - len(end)),
                                                   data.shape)]
        b = [x % n if x < 0 else x for x, n in zip(b, data.shape)]
        e = [x % n if x < 0 else min(x, n) for x, n in zip(e, data.shape)]
        rows = data._row_slice(b[0], e[0])
        r, c, v = _coo(rows)
        keep = (c >= b[1]) & (c < e[1])
        return _csr_from_coo(r[keep], c[keep] - b[1], v[keep],
                             (e[0] - b[0], e[1] - b[1]), data._ctx)
    return _dense_call('slice', data, begin=begin, end=end, step=step)


def concat(*data, dim=1, **kwargs):
    """Concatenation; csr arrays along dim 0 give a csr array."""
    if data and dim == 0 and all(_st(d) == 'csr' for d in data):
        ptrs, total = [], 0
        for d in data:
            ptrs.append(d._aux[0][(1 if ptrs else 0):] + total)
            total += d._data.numel()
        return CSRNDArray._new(torch.cat([d._data for d in data]),
                               [torch.cat(ptrs), torch.cat([d._aux[1] for d in data])],
                               (builtins.sum(d.shape[0] for d in data), data[0].shape[1]),
                               data[0]._ctx)
    if any(isinstance(d, BaseSparseNDArray) for d in data):
        # MXNet has a dense-output kernel here: no fallback warning
        data = [d.todense() if isinstance(d, BaseSparseNDArray) else d for d in data]
    return OPS['concat'].func(*data, dim=dim, **kwargs)


def _broadcast(name, op):
    def fn(lhs, rhs):
        if _recorded_variable(lhs, rhs):
            return _PYOP[name](_as_dense(lhs), _as_dense(rhs))
        if _st(lhs) == 'row_sparse' and _st(rhs) == 'default' and rhs.size == 1:
            # by one value (clip_global_norm's scale): a dense result, as MXNet's
            d = lhs._dense()
            return _box_result(op(d, rhs._t.reshape(()).to(d.dtype)), lhs._ctx)
        if _st(lhs) == 'csr' and _st(rhs) == 'default':
            d = rhs._t.broadcast_to(lhs.shape)
            return lhs._values(lambda v: op(v, d[lhs._rows(), lhs._aux[1]].to(v.dtype)))
        return _dense_call(name, lhs, rhs)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = (f"{name}: csr with a dense array broadcast to it stays csr; row_sparse by "
                  "a one-element array is dense.")
    return fn


broadcast_mul = _broadcast('broadcast_mul', torch.mul)
broadcast_div = _broadcast('broadcast_div', torch.div)


def where(condition, x, y):
    """Elementwise choice; sparse inputs are densified (dense result)."""
    return _dense_call('where', condition, x, y)


# ---- methods of the sparse classes -------------------------------------------------------
def _method(fn, name):
    def method(self, *args, **kwargs):
        if _recorded_variable(self):
            return getattr(_as_dense(self), name)(*args, **kwargs)
        return fn(self, *args, **kwargs)
    method.__name__ = method.__qualname__ = name
    return method


def _reflected(fn, dense_name):
    # Python asks the subclass's reflected method first; MXNet's `dense * sparse` is the
    # dense operator (broadcast_*) with the sparse input densified.
    def method(self, other):
        if isinstance(other, NDArray):
            return _dense_call(dense_name, other, self)
        return fn(other, self)
    return method


def _operator(fn, broadcast, dunder):
    # MXNet's sparse add/subtract/multiply/divide: the elemwise operator for an array of
    # the same shape or a scalar, else the broadcast one (x * nd.array([0.5]))
    def method(self, other):
        if _recorded_variable(self, other):
            return getattr(NDArray, dunder)(_as_dense(self), _as_dense(other))
        if isinstance(other, NDArray) and tuple(other.shape) != tuple(self.shape):
            return broadcast(self, other)
        return fn(self, other)
    return method


for _name, _fn, _bcast in [
        ('__add__', elemwise_add, lambda a, b: _dense_call('broadcast_add', a, b)),
        ('__sub__', elemwise_sub, lambda a, b: _dense_call('broadcast_sub', a, b)),
        ('__mul__', elemwise_mul, broadcast_mul), ('__truediv__', elemwise_div, broadcast_div),
        ('__div__', elemwise_div, broadcast_div)]:
    setattr(BaseSparseNDArray, _name, _operator(_fn, _bcast, _name))
for _name, _fn in [('sum', sum), ('mean', mean), ('norm', norm),
                   ('clip', clip), ('slice', slice), ('zeros_like', zeros_like)]:
    setattr(BaseSparseNDArray, _name, _method(_fn, _name))
for _name, _fn, _dense in [('__radd__', elemwise_add, 'broadcast_add'),
                           ('__rsub__', elemwise_sub, 'broadcast_sub'),
                           ('__rmul__', elemwise_mul, 'broadcast_mul'),
                           ('__rtruediv__', elemwise_div, 'broadcast_div')]:
    setattr(BaseSparseNDArray, _name, _reflected(_fn, _dense))
def _comparison(dunder, op):
    # MXNet's sparse comparisons: with a scalar s the result keeps the storage type when
    # 0 op s is false (its zeros stay zeros), else it is dense; with an array, dense.
    def method(self, other):
        if isinstance(other, (int, float)) and not isinstance(other, bool) and \
                not op(0, other):
            return self._values(lambda v: op(v, other).to(v.dtype))
        dense = _box(self._dense(), self._ctx)
        if isinstance(other, BaseSparseNDArray):
            other = _box(other._dense(), other._ctx)
        return getattr(dense, dunder)(other)
    method.__name__ = method.__qualname__ = dunder
    return method


for _name, _op in [('__eq__', operator.eq), ('__ne__', operator.ne), ('__gt__', operator.gt),
                   ('__ge__', operator.ge), ('__lt__', operator.lt), ('__le__', operator.le)]:
    setattr(BaseSparseNDArray, _name, _comparison(_name, _op))
BaseSparseNDArray.__hash__ = NDArray.__hash__
for _n in KEEP_SPARSE:
    if hasattr(NDArray, _n):
        setattr(BaseSparseNDArray, _n, _method(globals()[_n], _n))
