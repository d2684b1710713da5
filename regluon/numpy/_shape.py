"""`mx.np` creation and shape functions (torch inside).

Creation defaults to float32, MXNet's default (also `arange` and `full` of ints); `dtype=int`
is int64 and `dtype=float` float64, as in NumPy.
"""
import numpy as onp
import torch

from ..base import MXNetError
from ..ndarray.ndarray import _device
from ._dtype import tdtype
from .multiarray import _Tensor, _into, _run, _tensor, _wrap, _ctx_of, ndarray, promote

__all__ = ['zeros', 'ones', 'empty', 'full', 'zeros_like', 'ones_like', 'empty_like',
           'full_like', 'arange', 'linspace', 'eye', 'identity', 'reshape', 'transpose',
           'swapaxes', 'moveaxis', 'expand_dims', 'squeeze', 'ravel', 'broadcast_to',
           'concatenate', 'stack', 'vstack', 'hstack', 'dstack', 'column_stack', 'split',
           'array_split', 'tile', 'repeat', 'flip', 'size', 'shape', 'ndim']


def _t(a, name):
    t = _tensor(a, name)
    return t if isinstance(t, _Tensor) else torch.tensor(t, dtype=torch.float32)


def _shape_arg(shape):
    return (int(shape),) if isinstance(shape, (int, onp.integer)) else tuple(int(s) for s in shape)


# ---- creation ---------------------------------------------------------------------------
def _c_order(order, message=''):
    """MXNet creates C-ordered arrays only: another `order` is a NotImplementedError."""
    if order != 'C':
        raise NotImplementedError(message)


def _filled(name, value):
    def f(shape, dtype=None, order='C', ctx=None, out=None):
        _c_order(order)
        dev, label = _device(ctx)
        r = _wrap(_run(name, lambda: torch.full(_shape_arg(shape), value, dtype=tdtype(dtype),
                                                device=dev)), label)
        if out is not None:
            out._assign(r._t)
            return out
        return r
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"An array of {value}s of `shape` (float32 unless `dtype`), on `ctx`."
    return f


zeros = _filled('zeros', 0)
ones = _filled('ones', 1)


def empty(shape, dtype=None, order='C', ctx=None):
    """An uninitialized array of `shape` (float32 unless `dtype`)."""
    _c_order(order, f"`empty` only supports order equal to `C`, while received {order}")
    dev, label = _device(ctx)
    return _wrap(_run('empty', lambda: torch.empty(_shape_arg(shape), dtype=tdtype(dtype),
                                                   device=dev)), label)


def full(shape, fill_value, dtype=None, order='C', ctx=None, out=None):
    """An array of `shape` filled with `fill_value`: float32 unless `dtype` (bool for a
    bool value); an array value is broadcast to `shape`, keeping its dtype, as MXNet."""
    _c_order(order)
    if isinstance(fill_value, ndarray):
        r = broadcast_to(fill_value, shape)
        return r if dtype is None else r.astype(dtype)
    dev, label = _device(ctx)
    if isinstance(fill_value, (bool, onp.bool_)) and dtype is None:
        dtype = onp.bool_
    r = _wrap(_run('full', lambda: torch.full(_shape_arg(shape), fill_value,
                                              dtype=tdtype(dtype), device=dev)), label)
    if out is not None:
        out._assign(r._t)
        return out
    return r


def _like(name, fill):
    def f(a, dtype=None, order='C', ctx=None, out=None):
        _c_order(order)
        t = _t(a, name)
        dev, label = (t.device, _ctx_of(a)) if ctx is None else _device(ctx)
        dt = t.dtype if dtype is None else tdtype(dtype)
        r = _wrap(torch.empty(t.shape, dtype=dt, device=dev) if fill is None else
                  torch.full(t.shape, fill, dtype=dt, device=dev), label)
        if out is not None:
            out._assign(r._t)
            return out
        return r
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"An array like `a` (its shape and dtype unless `dtype`), {name[:-5]}."
    return f


zeros_like = _like('zeros_like', 0)
ones_like = _like('ones_like', 1)


def empty_like(prototype, dtype=None, order='C', subok=False, shape=None):  # pylint: disable=redefined-outer-name
    """An uninitialized array like `prototype` (its shape and dtype unless `dtype`)."""
    if order != 'C':
        raise NotImplementedError("Only support C-order at this moment")
    if subok:
        raise NotImplementedError("Creating array by using sub-class is not supported at "
                                  "this moment")
    if shape is not None:
        raise NotImplementedError("Assigning new shape is not supported at this moment")
    t = _t(prototype, 'empty_like')
    dt = t.dtype if dtype is None else tdtype(dtype)
    return _wrap(torch.empty(t.shape, dtype=dt, device=t.device), _ctx_of(prototype))


def full_like(a, fill_value, dtype=None, order='C', ctx=None, out=None):
    """An array like `a` filled with `fill_value`."""
    _c_order(order)
    t = _t(a, 'full_like')
    dev, label = (t.device, _ctx_of(a)) if ctx is None else _device(ctx)
    return _wrap(torch.full(t.shape, fill_value, dtype=t.dtype if dtype is None
                            else tdtype(dtype), device=dev), label)


def arange(start, stop=None, step=1, dtype=None, ctx=None):
    """Evenly spaced values in [start, stop) (float32 unless `dtype`, also for ints)."""
    if stop is None:
        start, stop = 0, start
    if step is None:
        step = 1
    if step == 0:
        raise MXNetError("arange: step must not be 0")
    dev, label = _device(ctx)
    dt = tdtype(dtype)
    # values computed in float64 as start + i * step, then cast: NumPy's values exactly;
    # an integer dtype truncates start and step first (MXNet's kernel, and NumPy's)
    n = int(onp.ceil((stop - start) / step)) if (stop - start) * step > 0 else 0
    if not dt.is_floating_point and dt != torch.bool:
        r = torch.arange(n, dtype=dt) * int(step) + int(start)
    else:
        r = start + torch.arange(n, dtype=torch.float64) * step
    return _wrap(r.to(device=dev, dtype=dt), label)


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0, ctx=None):  # pylint: disable=unused-argument
    """`num` evenly spaced values from start to stop (included if `endpoint`). As MXNet
    1.9.1: only axis 0; the step `retstep` gives is (stop - start) / (num - 1) whatever
    `endpoint` is (so it is not the spacing when endpoint=False)."""
    if isinstance(start, (list, onp.ndarray, ndarray)) or \
            isinstance(stop, (list, onp.ndarray, ndarray)):
        raise NotImplementedError('start and stop only support int')
    if axis != 0:
        raise NotImplementedError("the function only support axis 0")
    if not isinstance(num, (int, onp.integer)) or num < 0:
        raise MXNetError(f"linspace: num must be a non-negative int, got {num!r}")
    dev, label = _device(ctx)
    div = (num - 1) if endpoint else num
    step = (stop - start) / div if div > 0 else float('nan')
    r = start + torch.arange(num, dtype=torch.float64) * (step if div > 0 else 0)
    if endpoint and num > 1:
        r[-1] = stop
    out = _wrap(r.to(device=dev, dtype=tdtype(dtype)), label)
    return (out, (stop - start) / (num - 1)) if retstep else out


def eye(N, M=None, k=0, dtype=None, ctx=None):  # pylint: disable=invalid-name
    """A 2-D array with ones on the k-th diagonal."""
    dev, label = _device(ctx)
    if N < 0 or (M is not None and M < 0):
        raise MXNetError(f"eye: N and M must be non-negative, got N={N}, M={M}")
    a = onp.eye(N, M, k, dtype=onp.float64)
    return _wrap(torch.from_numpy(a).to(device=dev, dtype=tdtype(dtype)), label)


def identity(n, dtype=None, ctx=None):
    """The n x n identity matrix."""
    return eye(n, dtype=dtype, ctx=ctx)


# ---- shape ------------------------------------------------------------------------------
def reshape(a, newshape, order='C', out=None):  # pylint: disable=unused-argument
    """`a` with a new shape (one -1 is inferred); NumPy's rules, no MXNet codes."""
    if out is not None:
        return _into(out, reshape(a, newshape, order)._t, 'reshape')
    t = _t(a, 'reshape')
    shape = _shape_arg(newshape)
    try:
        return _wrap(t.reshape(shape), _ctx_of(a))
    except RuntimeError:
        raise MXNetError(f"reshape: cannot reshape array of size {t.numel()} into shape "
                         f"{shape}") from None


def _reshape_method(self, *shape, **kwargs):
    """`x.reshape(3, 4)` or `x.reshape((3, 4))`; NumPy's rules."""
    shape = kwargs.pop('newshape', kwargs.pop('shape', shape))
    if len(shape) == 1 and not isinstance(shape[0], (int, onp.integer)):
        shape = shape[0]
    return reshape(self, shape)


def transpose(a, axes=None):
    """The axes permuted (reversed if `axes` is None)."""
    t = _t(a, 'transpose')
    axes = tuple(range(t.dim() - 1, -1, -1)) if axes is None else tuple(int(x) for x in axes)
    n = max(t.dim(), 1)
    if any(not -n <= x < n for x in axes):
        raise MXNetError(f"transpose: axes={axes} out of range for an array of dimension "
                         f"{t.dim()}")
    if len(set(x % n for x in axes)) != len(axes):
        raise ValueError(f"transpose: repeated axis in transpose, got axes={axes}")
    return _wrap(_run('transpose', lambda: t.permute(axes)), _ctx_of(a))


def _transpose_method(self, *axes):
    """`x.transpose()`, `x.transpose(1, 0)` or `x.transpose((1, 0))`."""
    if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (list, tuple))) or not axes:
        axes = axes[0] if axes else None
    return transpose(self, axes)


def swapaxes(a, axis1, axis2):
    """`a` with two axes interchanged."""
    t = _t(a, 'swapaxes')
    return _wrap(_run('swapaxes', lambda: t.transpose(axis1, axis2)), _ctx_of(a))


def moveaxis(a, source, destination):
    """`a` with axes moved to new positions."""
    t = _t(a, 'moveaxis')
    return _wrap(_run('moveaxis', lambda: torch.movedim(t, source, destination)), _ctx_of(a))


def expand_dims(a, axis):
    """`a` with a new axis of length 1 at `axis`."""
    t = _t(a, 'expand_dims')
    return _wrap(_run('expand_dims', lambda: t.unsqueeze(axis)), _ctx_of(a))


def squeeze(a, axis=None, out=None):
    """`a` without its length-1 axes (or only `axis`, which must have length 1)."""
    if out is not None:
        return _into(out, squeeze(a, axis)._t, 'squeeze')
    t = _t(a, 'squeeze')
    if axis is None:
        return _wrap(t.squeeze(), _ctx_of(a))
    axes = (axis,) if isinstance(axis, (int, onp.integer)) else tuple(axis)
    n = max(t.dim(), 1)                     # a 0-d array has axis 0 (-1), as MXNet's
    for ax in axes:
        if not -n <= ax < n:
            raise MXNetError(f"squeeze: axis {ax} is out of bounds for array of dimension "
                             f"{t.dim()}")
        if t.dim() and t.shape[ax] != 1:
            raise MXNetError(f"squeeze: cannot select an axis to squeeze out which has "
                             f"size={t.shape[ax]} not equal to one (axis {ax})")
    return _wrap(t.squeeze(axes) if t.dim() else t.view(()), _ctx_of(a))


def ravel(x, order='C'):  # pylint: disable=unused-argument
    """`x` flattened to 1-D."""
    return _wrap(_t(x, 'ravel').reshape(-1), _ctx_of(x))


def broadcast_to(array, shape):  # pylint: disable=redefined-outer-name
    """`array` broadcast to `shape`."""
    t = _t(array, 'broadcast_to')
    shape, lead = _shape_arg(shape), len(_shape_arg(shape)) - t.dim()
    if any(s < 0 for s in shape):         # MXNet's -2: that dim of `array` (right-aligned)
        if lead < 0 or any(s < 0 and (s != -2 or i < lead) for i, s in enumerate(shape)):
            raise MXNetError(f"broadcast_to: cannot broadcast an array of shape "
                             f"{tuple(t.shape)} to {shape} (only -2, for an axis of the "
                             "array, may be negative)")
        shape = tuple(t.shape[i - lead] if s == -2 else s for i, s in enumerate(shape))
    return _wrap(_run('broadcast_to', lambda: t.expand(shape)), _ctx_of(array))


def _seq(name, seq):
    ts = [_t(x, name) for x in seq]
    if not ts:
        raise ValueError(f"{name}: need at least one array")
    dt = ts[0].dtype
    for t in ts[1:]:
        dt = promote(dt, t.dtype, name)
    return [t.to(dt) for t in ts], _ctx_of(*seq)


def concatenate(seq, axis=0, out=None):
    """Join arrays along an existing axis (flattened first if `axis` is None)."""
    ts, ctx = _seq('concatenate', seq)
    if axis is None:
        ts, axis = [t.reshape(-1) for t in ts], 0
    r = _wrap(_run('concatenate', lambda: torch.cat(ts, dim=axis)), ctx)
    if out is not None:
        out._assign(r._t)
        return out
    return r


def stack(arrays, axis=0, out=None):
    """Join same-shape arrays along a new axis."""
    ts, ctx = _seq('stack', arrays)
    r = _wrap(_run('stack', lambda: torch.stack(ts, dim=axis)), ctx)
    if out is not None:
        out._assign(r._t)
        return out
    return r


def vstack(arrays, out=None):
    """Stack along the first axis (1-D arrays become rows)."""
    ts, ctx = _seq('vstack', arrays)
    r = _run('vstack', lambda: torch.vstack(ts))
    return _wrap(r, ctx) if out is None else _into(out, r, 'vstack')


def hstack(arrays, out=None):
    """Stack along the second axis (the first for 1-D arrays)."""
    ts, ctx = _seq('hstack', arrays)
    r = _run('hstack', lambda: torch.hstack(ts))
    return _wrap(r, ctx) if out is None else _into(out, r, 'hstack')


def dstack(arrays):
    """Stack along the third axis."""
    ts, ctx = _seq('dstack', arrays)
    return _wrap(_run('dstack', lambda: torch.dstack(ts)), ctx)


def column_stack(tup):
    """Stack 1-D arrays as columns."""
    ts, ctx = _seq('column_stack', tup)
    return _wrap(_run('column_stack', lambda: torch.column_stack(ts)), ctx)


def split(ary, indices_or_sections, axis=0):
    """A list of sub-arrays: `sections` equal parts, or cut at the given indices."""
    t = _t(ary, 'split')
    n = t.shape[axis]
    if isinstance(indices_or_sections, (int, onp.integer)):
        if n % indices_or_sections:
            raise ValueError("array split does not result in an equal division")
        parts = torch.tensor_split(t, int(indices_or_sections), dim=axis)
    else:
        cuts = [0] + [min(int(i), n) for i in indices_or_sections] + [n]
        parts = [t.narrow(axis, a, max(b - a, 0)) for a, b in zip(cuts, cuts[1:])]
    return [_wrap(p, _ctx_of(ary)) for p in parts]


def array_split(ary, indices_or_sections, axis=0):
    """Like split, but `sections` need not divide the axis evenly."""
    t = _t(ary, 'array_split')
    if isinstance(indices_or_sections, (int, onp.integer)):
        parts = torch.tensor_split(t, int(indices_or_sections), dim=axis)
    else:
        parts = torch.tensor_split(t, [int(i) for i in indices_or_sections], dim=axis)
    return [_wrap(p, _ctx_of(ary)) for p in parts]


def tile(A, reps):  # pylint: disable=invalid-name
    """`A` repeated `reps` times (per axis)."""
    t = _t(A, 'tile')
    reps = (int(reps),) if isinstance(reps, (int, onp.integer)) else tuple(int(r) for r in reps)
    if any(r < 0 for r in reps):
        raise MXNetError(f"tile: reps={reps} must all be non-negative")
    return _wrap(torch.tile(t, reps) if reps else t.clone(), _ctx_of(A))


def repeat(a, repeats, axis=None):
    """Each element repeated `repeats` times (of the flattened array if `axis` is None)."""
    t = _t(a, 'repeat')
    if axis is None:
        t, axis = t.reshape(-1), 0
    return _wrap(torch.repeat_interleave(t, repeats, dim=axis), _ctx_of(a))


def flip(m, axis=None, out=None):
    """`m` with the order of elements along `axis` (all if None) reversed."""
    t = _t(m, 'flip')
    axes = tuple(range(t.dim())) if axis is None else \
        ((axis,) if isinstance(axis, int) else tuple(axis))
    r = _run('flip', torch.flip, t, axes)
    return _wrap(r, _ctx_of(m)) if out is None else _into(out, r, 'flip')


def size(a, axis=None):
    """The number of elements (along `axis`)."""
    t = _t(a, 'size')
    return t.numel() if axis is None else t.shape[axis]


def shape(a):
    """The shape, a tuple."""
    return tuple(_t(a, 'shape').shape)


def ndim(a):
    """The number of dimensions."""
    return _t(a, 'ndim').dim()


def _flatten_method(self, order='C'):  # pylint: disable=unused-argument
    """A 1-D copy."""
    return _wrap(self._t.reshape(-1).clone(), self._ctx)


def _squeeze_method(self, axis=None):
    return squeeze(self, axis)


ndarray.reshape = _reshape_method
ndarray.transpose = _transpose_method
ndarray.flatten = _flatten_method
ndarray.squeeze = _squeeze_method
ndarray.swapaxes = swapaxes
ndarray.ravel = ravel
ndarray.repeat = repeat
ndarray.broadcast_to = broadcast_to
