"""The less common `mx.np` functions (MXNet 1.9.1 has each of them), in torch."""
import numpy as onp
import torch

from ..base import MXNetError
from . import _math
from ._dtype import float_of, tdtype
from .multiarray import (NDArray, _SCALAR, _Tensor, _run, _tensor, _wrap, _ctx_of, _into,
                         check_ufunc_kwargs, promote)

__all__ = ['diag', 'trace', 'meshgrid', 'take', 'copy', 'tril', 'isclose', 'allclose',
           'array_equal', 'atleast_1d', 'atleast_2d', 'atleast_3d', 'argwhere', 'diff', 'roll',
           'fliplr', 'flipud', 'count_nonzero', 'searchsorted', 'hsplit', 'vsplit',
           'logspace', 'nan_to_num', 'bincount', 'average', 'percentile', 'quantile', 'pad',
           'append', 'fabs', 'positive', 'rad2deg', 'deg2rad', 'float_power', 'ldexp',
           'flatnonzero', 'may_share_memory', 'shares_memory']


def _t(a, name):
    t = _tensor(a, name)
    return t if isinstance(t, _Tensor) else torch.tensor(t, dtype=torch.float32)


def diag(array, k=0):  # pylint: disable=redefined-outer-name
    """The k-th diagonal of a 2-D array, or a 2-D array with 1-D `array` on it."""
    return _wrap(_run('diag', torch.diag, _t(array, 'diag'), k), _ctx_of(array))


def trace(a, offset=0, axis1=0, axis2=1, out=None):
    """Sum along a diagonal."""
    t = _t(a, 'trace')
    r = torch.diagonal(t, offset, axis1, axis2).sum(-1)
    r = r if t.dtype is torch.bool else r.to(t.dtype)      # MXNet: a's dtype
    return _wrap(r, _ctx_of(a)) if out is None else _into(out, r, 'trace')


def meshgrid(*xi, indexing='xy'):
    """Coordinate matrices from 1-D coordinate vectors."""
    ts = [_t(x, 'meshgrid').reshape(-1) for x in xi]
    return [_wrap(g, _ctx_of(*xi)) for g in torch.meshgrid(*ts, indexing=indexing)]


def take(a, indices, axis=None, mode='raise', out=None):  # pylint: disable=redefined-outer-name
    """Elements of `a` at `indices` (of the flattened array if `axis` is None); mode
    'clip' clips out-of-range indices, 'wrap' wraps them."""
    t, idx = _t(a, 'take'), _t(indices, 'take').long()
    if axis is None:
        t, axis = t.reshape(-1), 0
    if not -t.dim() <= axis < max(t.dim(), 1):
        raise MXNetError(f"take: axis {axis} is out of bounds for an array of dimension "
                         f"{t.dim()}")
    axis = axis % max(t.dim(), 1)
    n = t.shape[axis]
    if mode == 'clip':
        idx = idx.clamp(0, n - 1)
    elif mode == 'wrap':
        idx = idx.remainder(n)
    elif bool(((idx >= n) | (idx < -n)).any()):
        raise IndexError(f"take: index out of bounds for axis {axis} with size {n}")
    r = torch.index_select(t, axis, idx.reshape(-1).remainder(n))
    shape = t.shape[:axis] + idx.shape + t.shape[axis + 1:]
    r = r.reshape(shape)
    return _wrap(r, _ctx_of(a)) if out is None else _into(out, r, 'take')


def copy(a, out=None):
    """A copy of `a` (into `out` if given)."""
    r = _t(a, 'copy').clone()
    return _wrap(r, _ctx_of(a)) if out is None else _into(out, r, 'copy')


def tril(m, k=0):
    """The lower triangle of `m` (the rest zeroed); a 1-D `m` is taken as its rows
    repeated (n x n), as NumPy and MXNet."""
    t = _t(m, 'tril')
    if t.dim() == 0:
        raise MXNetError("tril: the input must have at least 1 dimension, got a 0-d array")
    if t.dim() == 1:
        t = t.expand(t.shape[0], t.shape[0])
    return _wrap(torch.tril(t, k), _ctx_of(m))


def isclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Element-wise |a - b| <= atol + rtol * |b|."""
    ta, tb = _t(a, 'isclose'), _t(b, 'isclose')
    dt = promote(ta.dtype, tb.dtype, 'isclose')
    return _wrap(torch.isclose(float_of(ta.to(dt)), float_of(tb.to(dt)), rtol, atol,
                               equal_nan), _ctx_of(a, b))


def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Whether every element is close (a Python bool, as MXNet gives)."""
    return bool(isclose(a, b, rtol, atol, equal_nan)._t.all())


def array_equal(a1, a2, equal_nan=False):
    """Whether the two arrays have the same shape and elements (a Python bool)."""
    t1, t2 = _t(a1, 'array_equal'), _t(a2, 'array_equal')
    if t1.shape != t2.shape:
        return False
    same = t1 == t2
    if equal_nan and (t1.is_floating_point() or t2.is_floating_point()):
        same = same | (torch.isnan(t1) & torch.isnan(t2))
    return bool(same.all())


def _atleast(n):
    def f(*arys):
        out = []
        for a in arys:
            t = _t(a, f'atleast_{n}d')
            if t.dim() < n:
                t = t.reshape({1: (1,) * (1 - t.dim()) + tuple(t.shape),
                               2: (1,) * (2 - t.dim()) + tuple(t.shape),
                               3: ((1, 1, 1) if t.dim() == 0 else (1,) + tuple(t.shape) + (1,)
                                   if t.dim() == 1 else tuple(t.shape) + (1,))}[n])
            out.append(_wrap(t, _ctx_of(a)))
        return out[0] if len(out) == 1 else out
    f.__name__ = f.__qualname__ = f'atleast_{n}d'
    f.__doc__ = f"The arrays with at least {n} dimensions."
    return f


atleast_1d, atleast_2d, atleast_3d = _atleast(1), _atleast(2), _atleast(3)


def argwhere(a):
    """Indices (int64, one row per element) of the non-zero elements."""
    return _wrap(torch.nonzero(_t(a, 'argwhere')), _ctx_of(a))


def flatnonzero(a):
    """Indices of the non-zero elements of the flattened array."""
    return _wrap(torch.nonzero(_t(a, 'flatnonzero').reshape(-1)).reshape(-1), _ctx_of(a))


def diff(a, n=1, axis=-1, prepend=None, append=None):  # pylint: disable=redefined-outer-name
    """The n-th discrete difference along `axis`."""
    t = _t(a, 'diff')
    pre = None if prepend is None else _t(prepend, 'diff')
    post = None if append is None else _t(append, 'diff')
    return _wrap(_run('diff', lambda: torch.diff(t, n, axis, pre, post)), _ctx_of(a))


def roll(a, shift, axis=None):
    """Elements rolled by `shift` along `axis` (of the flattened array if None)."""
    t = _t(a, 'roll')
    if axis is None:
        if not isinstance(shift, (int, onp.integer)):
            if len(shift) != 1:
                raise MXNetError(f"roll: shift must be an int when axis is None, got "
                                 f"{shift!r}")
            shift = shift[0]
        return _wrap(torch.roll(t.reshape(-1), int(shift)).reshape(t.shape), _ctx_of(a))
    shifts = (shift,) if isinstance(shift, (int, onp.integer)) else tuple(shift)
    axes = (axis,) if isinstance(axis, (int, onp.integer)) else tuple(axis)
    if len(shifts) != len(axes):                # NumPy broadcasts one against the other
        if len(shifts) != 1 and len(axes) != 1:
            raise MXNetError(f"roll: shift {shift!r} and axis {axis!r} should be "
                             "broadcastable")
        n = max(len(shifts), len(axes))
        shifts, axes = shifts * (n // len(shifts)), axes * (n // len(axes))
    return _wrap(_run('roll', torch.roll, t, [int(x) for x in shifts],
                      [int(x) for x in axes]), _ctx_of(a))


def fliplr(m):
    """`m` with its columns reversed."""
    return _wrap(torch.fliplr(_t(m, 'fliplr')), _ctx_of(m))


def flipud(m):
    """`m` with its rows reversed."""
    return _wrap(torch.flipud(_t(m, 'flipud')), _ctx_of(m))


def count_nonzero(a, axis=None, keepdims=False):
    """The number of non-zero elements: a Python int (as MXNet's) if `axis` is None, else
    an int64 array along `axis`."""
    t = _t(a, 'count_nonzero')
    if axis is None and not keepdims:
        return int(torch.count_nonzero(t))
    axes = _math._axes(axis, t.dim(), 'count_nonzero')
    r = torch.count_nonzero(t, dim=axes) if axes else (t != 0).long()
    if keepdims:
        r = r.reshape([1 if i in axes else s for i, s in enumerate(t.shape)])
    return _wrap(r, _ctx_of(a))


def searchsorted(a, v, side='left', sorter=None):
    """Indices where `v` would be inserted into sorted 1-D `a` to keep it sorted."""
    t, tv = _t(a, 'searchsorted'), _tensor(v, 'searchsorted')
    if sorter is not None:
        t = t[_t(sorter, 'searchsorted').long()]
    scalar = not isinstance(tv, _Tensor)
    tv = torch.tensor([tv], dtype=t.dtype) if scalar else tv.to(t.dtype)
    r = torch.searchsorted(t, tv, right=side == 'right')
    return onp.int64(r[0]) if scalar else _wrap(r, _ctx_of(a))   # MXNet: a NumPy int


def hsplit(ary, indices_or_sections):
    """Split along the second axis (the first for 1-D arrays)."""
    from ._shape import split
    return split(ary, indices_or_sections, axis=1 if _t(ary, 'hsplit').dim() > 1 else 0)


def vsplit(ary, indices_or_sections):
    """Split along the first axis (of an array with 2 or more dimensions)."""
    from ._shape import split
    if _t(ary, 'vsplit').dim() < 2:
        raise ValueError('vsplit only works on arrays of 2 or more dimensions')
    return split(ary, indices_or_sections, axis=0)


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0, ctx=None):  # pylint: disable=unused-argument
    """`base ** linspace(start, stop, num)`."""
    from ._shape import linspace
    e = linspace(start, stop, num, endpoint, dtype='float64', ctx=ctx)
    r = torch.pow(torch.tensor(base, dtype=torch.float64), e._t)
    return _wrap(r.to(tdtype(dtype)), e._ctx)


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None):  # pylint: disable=redefined-outer-name
    """NaN and infinities replaced by finite numbers (in place when copy=False)."""
    t = _t(x, 'nan_to_num')
    if not t.is_floating_point():
        return x if not copy else _wrap(t.clone(), _ctx_of(x))
    r = torch.nan_to_num(t, nan, posinf, neginf)
    if not copy and isinstance(x, NDArray):
        x._assign(r)
        return x
    return _wrap(r, _ctx_of(x))


def bincount(x, weights=None, minlength=0):
    """The number of occurrences of each value in the non-negative int array `x`."""
    tx = _t(x, 'bincount')
    w = None if weights is None else _t(weights, 'bincount')
    r = _run('bincount', lambda: torch.bincount(tx.long(), w, minlength))
    if w is None and not tx.is_floating_point() and tx.dtype is not torch.bool:
        r = r.to(tx.dtype)                      # MXNet counts in x's integer dtype
    return _wrap(r, _ctx_of(x))


def average(a, axis=None, weights=None, returned=False, out=None):
    """The (weighted) average over `axis` (an int, a tuple or None); with `returned`,
    [average, sum of weights]. As MXNet 1.9.1: integers average to their own dtype (cut
    toward zero), weights must have a's dtype, and the sum of the weights is a 0-d array
    when they are 1-D or absent (the count of elements averaged)."""
    t = _t(a, 'average')
    axes = _math._axes(axis, t.dim(), 'average')
    n = 1
    for ax in axes:
        n *= t.shape[ax]
    if weights is None:
        w = None
        wsum = torch.tensor(n, dtype=t.dtype, device=t.device)
        total = t.sum(dim=axes) if axes else t
    else:
        w = _t(weights, 'average')
        if w.dtype is not t.dtype:
            raise MXNetError(f"average: weights have dtype {w.dtype}, a has {t.dtype}; "
                             "MXNet needs the same dtype")
        if w.shape != t.shape:
            if axis is None or not isinstance(axis, (int, onp.integer)):
                raise MXNetError("average: axis must be specified when shapes of a and "
                                 "weights differ")
            if w.dim() != 1 or w.shape[0] != t.shape[axes[0]]:
                raise MXNetError("average: 1-D weights must have the length of a along "
                                 f"axis {axis}, got shape {tuple(w.shape)}")
            wsum = w.sum()
            w = w.reshape([-1 if i == axes[0] else 1 for i in range(t.dim())])
        else:
            wsum = w.sum(dim=axes) if axes else w
        total = (t * w).sum(dim=axes) if axes else t * w
    if t.is_floating_point():
        avg = total / (n if w is None else wsum)
    else:
        avg = torch.div(total, n if w is None else wsum, rounding_mode='trunc').to(t.dtype)
    res = _wrap(avg, _ctx_of(a)) if out is None else _into(out, avg, 'average')
    return [res, _wrap(wsum, _ctx_of(a))] if returned else res


_INTERPOLATIONS = ('linear', 'lower', 'higher', 'midpoint', 'nearest')


def quantile(a, q, axis=None, out=None, overwrite_input=None, interpolation='linear',
             keepdims=False):
    """The q-th quantiles (q in [0, 1], a number or a 0-/1-D array) over `axis` (an int, a
    tuple or None); float16 and integer inputs give float32, as MXNet."""
    if overwrite_input is not None:
        raise NotImplementedError('overwrite_input is not supported yet')
    if interpolation not in _INTERPOLATIONS:
        raise MXNetError(f"quantile: Invalid Input: {interpolation!r}, valid values are: "
                         f"{set(_INTERPOLATIONS)}")
    t = _t(a, 'quantile')
    t = t.to(torch.float64 if t.dtype is torch.float64 else torch.float32)
    tq = _tensor(q, 'quantile')
    if isinstance(tq, _Tensor):
        if tq.dim() > 1:
            raise MXNetError(f"quantile: q must be a number or a 1-D array, got shape "
                             f"{tuple(tq.shape)}")
        tq = tq.to(t.dtype)
        bad = bool(((tq < 0) | (tq > 1)).any())
    else:
        tq = float(tq)
        bad = not 0 <= tq <= 1
    if bad:
        raise ValueError("quantile: Check failed: is_valid: percentile exceeds the valid "
                         "range")
    axes = _math._axes(axis, t.dim(), 'quantile') if t.dim() else ()
    rest = [i for i in range(t.dim()) if i not in axes]
    x = t.permute(rest + list(axes)).reshape([t.shape[i] for i in rest] + [-1])
    r = _run('quantile', lambda: torch.quantile(x, tq, dim=-1, interpolation=interpolation))
    if keepdims:
        lead = r.shape[:r.dim() - len(rest)]
        r = r.reshape(tuple(lead) + tuple(1 if i in axes or axis is None else s
                                          for i, s in enumerate(t.shape)))
    return _wrap(r, _ctx_of(a)) if out is None else _into(out, r, 'quantile')


def percentile(a, q, axis=None, out=None, overwrite_input=None, interpolation='linear',
               keepdims=False):
    """The q-th percentiles (q in [0, 100]) over `axis`."""
    tq = _tensor(q, 'percentile')
    return quantile(a, _wrap(tq / 100) if isinstance(tq, _Tensor) else float(tq) / 100, axis, out,
                    overwrite_input, interpolation, keepdims)


def _pad_index(n, before, after, mode):
    """Source positions of an axis of length n padded by (before, after) in `mode`."""
    i = torch.arange(-before, n + after)
    if mode == 'edge' or (mode == 'reflect' and n == 1):
        return i.clamp(0, n - 1)
    period = 2 * (n - 1) if mode == 'reflect' else 2 * n
    j = torch.remainder(i, period)
    return torch.where(j >= n, period - j - int(mode == 'symmetric'), j)


def pad(x, pad_width, mode='constant', **kwargs):
    """`x` padded: modes 'constant' (`constant_values`), 'edge', 'reflect', 'symmetric',
    'minimum', 'maximum' (NumPy's values, also for widths beyond an axis' length)."""
    t = _t(x, 'pad')
    if not isinstance(pad_width, tuple):
        raise TypeError("`pad_width` must be tuple.")      # MXNet's words
    pw = onp.broadcast_to(onp.asarray(pad_width, dtype=onp.int64), (t.dim(), 2))
    if mode == 'constant':
        flat = [int(v) for pair in pw[::-1] for v in pair]
        return _wrap(torch.nn.functional.pad(t, flat, value=kwargs.get('constant_values', 0)),
                     _ctx_of(x))
    if mode not in ('edge', 'reflect', 'symmetric', 'minimum', 'maximum'):
        raise MXNetError(f"pad: mode {mode!r} is not supported; use 'constant', 'edge', "
                         "'reflect', 'symmetric', 'minimum' or 'maximum'")
    for ax, (before, after) in enumerate(pw.tolist()):
        if not before and not after:
            continue
        n = t.shape[ax]
        if n == 0:
            raise MXNetError(f"pad: can't extend empty axis {ax} using modes other than "
                             "'constant'")
        if mode in ('minimum', 'maximum'):
            stat = (t.amin if mode == 'minimum' else t.amax)(dim=ax, keepdim=True)
            parts = [stat.expand(*t.shape[:ax], before, *t.shape[ax + 1:]), t,
                     stat.expand(*t.shape[:ax], after, *t.shape[ax + 1:])]
            t = torch.cat(parts, dim=ax)
        else:
            t = t.index_select(ax, _pad_index(n, before, after, mode).to(t.device))
    return _wrap(t, _ctx_of(x))


def append(arr, values, axis=None):
    """`values` appended to `arr` (both flattened if `axis` is None)."""
    from ._shape import concatenate
    return concatenate([arr, values], axis=axis)


def _bounds(t):
    """The [first, last) byte addresses an array's elements span (None if empty)."""
    if t.numel() == 0:
        return None
    first = t.data_ptr()
    span = sum((n - 1) * abs(st) for n, st in zip(t.shape, t.stride()))
    low = first - sum((n - 1) * -st for n, st in zip(t.shape, t.stride()) if st < 0) \
        * t.element_size()
    return low, low + (span + 1) * t.element_size()


def may_share_memory(a, b, max_work=None):  # pylint: disable=unused-argument
    """Whether the memory bounds of the two arrays overlap (MXNet checks bounds only, as
    for `shares_memory`): two rows of one array do not."""
    ba, bb = _bounds(_t(a, 'may_share_memory')), _bounds(_t(b, 'may_share_memory'))
    return ba is not None and bb is not None and ba[0] < bb[1] and bb[0] < ba[1]


shares_memory = may_share_memory
fabs = _math.abs
positive = _math._unary('positive', lambda t: t.clone(), 'same')
rad2deg, deg2rad = _math.degrees, _math.radians


def float_power(x1, x2):
    """x1 ** x2 computed in float64."""
    a, b = _tensor(x1, 'float_power'), _tensor(x2, 'float_power')
    a = a.to(torch.float64) if isinstance(a, _Tensor) else float(a)
    b = b.to(torch.float64) if isinstance(b, _Tensor) else float(b)
    return _wrap(torch.pow(a, b), _ctx_of(x1, x2))


def ldexp(x1, x2, out=None, **kwargs):
    """x1 * 2 ** x2."""
    if kwargs:
        check_ufunc_kwargs('ldexp', kwargs)
    if isinstance(x1, _SCALAR) and isinstance(x2, _SCALAR):
        return onp.ldexp(x1, x2)
    a, b = _t(x1, 'ldexp'), _t(x2, 'ldexp')
    r = _run('ldexp', torch.ldexp, float_of(a), b)
    return _wrap(r, _ctx_of(x1, x2)) if out is None else _into(out, r, 'ldexp')


# ---- more of MXNet's inventory -------------------------------------------------------------
def diagonal(a, offset=0, axis1=0, axis2=1):
    """The diagonal along two axes (moved last)."""
    return _wrap(torch.diagonal(_t(a, 'diagonal'), offset, axis1, axis2), _ctx_of(a))


def diagflat(array, k=0):  # pylint: disable=redefined-outer-name
    """A 2-D array with the flattened `array` on the k-th diagonal."""
    return _wrap(torch.diagflat(_t(array, 'diagflat'), k), _ctx_of(array))


def broadcast_arrays(*args):
    """The arrays broadcast against each other."""
    ts = torch.broadcast_tensors(*[_t(a, 'broadcast_arrays') for a in args])
    return [_wrap(t, _ctx_of(*args)) for t in ts]


def rot90(m, k=1, axes=(0, 1)):
    """`m` rotated by 90 degrees k times in the plane of `axes`."""
    return _wrap(torch.rot90(_t(m, 'rot90'), k, list(axes)), _ctx_of(m))


def unravel_index(indices, shape, order='C'):  # pylint: disable=unused-argument
    """The tuple of coordinate arrays of flat `indices` in an array of `shape`."""
    if order != 'C':
        raise NotImplementedError("Do not support column-major (Fortran-style) order at "
                                  "this moment")
    if isinstance(indices, _SCALAR):
        return onp.unravel_index(indices, shape)
    shape = (int(shape),) if isinstance(shape, (int, onp.integer)) else tuple(shape)
    t = _t(indices, 'unravel_index')
    if t.dtype.is_floating_point or t.dtype is torch.bool:
        raise MXNetError(f"unravel_index: only int indices permitted, got {t.dtype}")
    size = int(onp.prod(shape))
    if t.numel() and (int(t.min()) < 0 or int(t.max()) >= size):
        raise MXNetError(f"unravel_index: index {int(t.max())} is out of bounds for array "
                         f"with size {size}")
    return tuple(_wrap(c.to(t.dtype), _ctx_of(indices))
                 for c in torch.unravel_index(t.long(), shape))


def delete(arr, obj, axis=None):
    """`arr` without the entries `obj` along `axis` (flattened if None): an int (negative
    counts from the end), a slice, or an index array whose negative and out-of-range
    entries are ignored, as MXNet 1.9.1 does."""
    t = _t(arr, 'delete')
    if axis is None:
        t, axis = t.reshape(-1), 0
    axis = axis % max(t.dim(), 1)
    n = t.shape[axis]
    keep = torch.ones(n, dtype=torch.bool)
    if isinstance(obj, slice):                  # any step (torch's slices take only > 0)
        keep[list(range(*obj.indices(n)))] = False
    else:
        idx = _tensor(obj, 'delete')
        if isinstance(idx, _Tensor):
            idx = idx.long().reshape(-1)
            keep[idx[(idx >= 0) & (idx < n)]] = False
        else:
            if not -n <= int(idx) < n:
                raise MXNetError(f"delete: index {int(idx)} is out of bounds for axis "
                                 f"{axis} with size {n}")
            keep[int(idx)] = False
    return _wrap(t[(slice(None),) * axis + (keep,)], _ctx_of(arr))


def insert(arr, obj, values, axis=None):
    """`values` inserted into `arr` before `obj` along `axis` (flattened if None): `obj`
    an int, a sequence or array of ints, or a slice; NumPy's rules (a scalar `obj` moves
    the first axis of `values` to `axis`), the values cast to arr's dtype."""
    t = _t(arr, 'insert')
    if axis is None:
        t, axis = t.reshape(-1), 0
    axis = axis % max(t.dim(), 1)
    n = t.shape[axis]
    if isinstance(obj, slice):
        idx = torch.tensor(list(range(*obj.indices(n))), dtype=torch.long)
    elif isinstance(obj, (int, onp.integer)):
        idx = torch.tensor(int(obj))
    else:
        idx = _tensor(obj, 'insert')
        idx = idx if isinstance(idx, _Tensor) else torch.tensor(idx)
        if idx.is_floating_point() or idx.dtype is torch.bool:
            raise MXNetError(f"insert: index array must be of integer type, got {idx.dtype}")
        idx = idx.long().reshape(-1) if idx.dim() else idx.long()
    if ((idx < -n) | (idx > n)).any():
        raise MXNetError(f"insert: index {idx.tolist()} is out of bounds for axis {axis} "
                         f"with size {n}")
    v = _t(values, 'insert').to(t.dtype)
    v = v.reshape((1,) * (t.dim() - v.dim()) + tuple(v.shape))
    if idx.numel() == 1:
        if idx.dim() == 0:                      # NumPy: a scalar index moves values' axis 0
            v = torch.movedim(v, 0, axis)
        num = v.shape[axis]
        pos = int(idx) + n if int(idx) < 0 else int(idx)
        pos = pos + torch.arange(num)
    else:
        num = idx.numel()
        pos = torch.where(idx < 0, idx + n, idx)
        order = torch.argsort(pos, stable=True)
        pos = pos.clone()
        pos[order] += torch.arange(num)
    slab = list(t.shape)
    slab[axis] = num
    v = _run('insert', lambda: v.expand(slab))
    src = torch.empty(n + num, dtype=torch.long)
    keep_old = torch.ones(n + num, dtype=torch.bool)
    keep_old[pos] = False
    src[keep_old] = torch.arange(n)
    src[pos] = n + torch.arange(num)
    both = torch.cat([t, v], dim=axis)
    return _wrap(both.index_select(axis, src.to(both.device)), _ctx_of(arr, values))


def indices(dimensions, dtype=onp.int32, ctx=None):
    """A grid of indices: shape (len(dimensions),) + dimensions, int32 unless `dtype`
    (MXNet's default)."""
    from ..ndarray.ndarray import _device
    dev, label = _device(ctx)
    dt = tdtype(dtype)
    if not len(dimensions):
        return _wrap(torch.zeros((0,), dtype=dt, device=dev), label)
    grids = torch.meshgrid(*[torch.arange(int(d), device=dev) for d in dimensions],
                           indexing='ij')
    return _wrap(torch.stack(grids).to(dt), label)


def diag_indices_from(arr):
    """The indices of the main diagonal of a square array."""
    t = _t(arr, 'diag_indices_from')
    idx = torch.arange(t.shape[0])
    return tuple(_wrap(idx) for _ in range(t.dim()))


def _bitwise(name, tfn):
    def f(x1, x2, out=None, **kwargs):
        if kwargs:
            check_ufunc_kwargs(name, kwargs)
        if isinstance(x1, _SCALAR) and isinstance(x2, _SCALAR):
            return getattr(onp, name)(x1, x2)
        a, b = _tensor(x1, name), _tensor(x2, name)
        ref = a if isinstance(a, _Tensor) else b        # a number takes the array's dtype
        a = a if isinstance(a, _Tensor) else torch.tensor(a, dtype=ref.dtype)
        b = b if isinstance(b, _Tensor) else torch.tensor(b, dtype=ref.dtype)
        r = _run(name, tfn, a, b)
        return _wrap(r, _ctx_of(x1, x2)) if out is None else _into(out, r, name)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"Element-wise {name} of integer or bool arrays."
    return f


bitwise_and = _bitwise('bitwise_and', torch.bitwise_and)
bitwise_or = _bitwise('bitwise_or', torch.bitwise_or)
bitwise_xor = _bitwise('bitwise_xor', torch.bitwise_xor)
lcm = _bitwise('lcm', torch.lcm)


def invert(x, out=None, **kwargs):
    """Element-wise bitwise NOT (logical NOT for bools)."""
    if kwargs:
        check_ufunc_kwargs('invert', kwargs)
    if isinstance(x, _SCALAR):
        return onp.invert(x)
    r = _run('invert', torch.bitwise_not, _t(x, 'invert'))
    return _wrap(r, _ctx_of(x)) if out is None else _into(out, r, 'invert')


bitwise_not = invert


def ediff1d(ary, to_end=None, to_begin=None):
    """Differences between consecutive elements of the flattened array."""
    t = _t(ary, 'ediff1d').reshape(-1)
    parts = [t[1:] - t[:-1]]
    if to_begin is not None:
        parts.insert(0, _t(to_begin, 'ediff1d').reshape(-1).to(t.dtype))
    if to_end is not None:
        parts.append(_t(to_end, 'ediff1d').reshape(-1).to(t.dtype))
    return _wrap(torch.cat(parts), _ctx_of(ary))


def dsplit(ary, indices_or_sections):
    """Split along the third axis (of an array with 3 or more dimensions)."""
    from ._shape import split
    if _t(ary, 'dsplit').dim() < 3:
        raise ValueError('dsplit only works on arrays of 3 or more dimensions')
    return split(ary, indices_or_sections, axis=2)


def polyval(p, x):
    """The polynomial with coefficients `p` (highest power first) at `x` (Horner)."""
    tp, tx = _t(p, 'polyval'), _tensor(x, 'polyval')
    r = torch.zeros_like(tx, dtype=tp.dtype) if isinstance(tx, _Tensor) else \
        torch.tensor(0, dtype=tp.dtype)
    for c in tp:
        r = r * tx + c
    return _wrap(r, _ctx_of(p, x))


def resize(a, new_shape):
    """`a` repeated (flattened, cyclically) to fill `new_shape` (zeros if `a` is empty)."""
    t = _t(a, 'resize').reshape(-1)
    shape = (new_shape,) if isinstance(new_shape, int) else tuple(new_shape)
    n = int(onp.prod(shape))
    if t.numel() == 0:
        return _wrap(torch.zeros(shape, dtype=t.dtype, device=t.device), _ctx_of(a))
    reps = -(-n // max(t.numel(), 1))
    return _wrap(t.repeat(reps)[:n].reshape(shape), _ctx_of(a))


def histogram(a, bins=10, range=None, normed=None, weights=None, density=None):  # pylint: disable=redefined-builtin,unused-argument
    """Counts (int64) of `a` in `bins` equal bins over `range`, and the edges.
    `range` is required for an int `bins`, as in MXNet 1.9.1."""
    t = float_of(_t(a, 'histogram')).reshape(-1)
    if isinstance(bins, (int, onp.integer)):
        if range is None:
            raise NotImplementedError("automatic range is not supported yet...")  # MXNet's
        counts, edges = torch.histogram(t.float(), int(bins), range=tuple(map(float, range)))
    else:
        counts, edges = torch.histogram(t.float(), _t(bins, 'histogram').float())
    return [_wrap(counts.to(torch.int64), _ctx_of(a)), _wrap(edges.to(t.dtype), _ctx_of(a))]


def _window(name):
    def f(M, dtype=None, ctx=None):  # pylint: disable=invalid-name
        from .multiarray import array
        return array(getattr(onp, name)(M), dtype=dtype or 'float32', ctx=ctx)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"The {name} window of M points."
    return f


hamming, hanning, blackman = _window('hamming'), _window('hanning'), _window('blackman')
set_printoptions = onp.set_printoptions

__all__ += ['diagonal', 'diagflat', 'broadcast_arrays', 'rot90', 'unravel_index', 'delete',
            'insert', 'indices', 'diag_indices_from', 'bitwise_and', 'bitwise_or',
            'bitwise_xor', 'bitwise_not', 'invert', 'lcm', 'ediff1d', 'dsplit', 'polyval',
            'resize', 'histogram', 'hamming', 'hanning', 'blackman', 'set_printoptions']
