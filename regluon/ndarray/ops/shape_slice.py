"""Slicing, broadcasting and replication: slice*, broadcast_*, tile, repeat, flip, pad, diag.

As in shape_ops.py, operators return new arrays (never views of their input).
"""
import builtins

import torch
import torch.nn.functional as F

from ...base import MXNetError
from .. import shape as _shape
from ..register import op
from .shape_ops import _dims, _fresh


def _slice_dims(data, slcs):
    """Apply python slices (any step sign) to the leading axes; flips where step < 0."""
    key, flips = [], []
    for i, s in enumerate(slcs):
        pos, flip = _shape.positive_slice(s, data.shape[i])
        key.append(pos)
        if flip:
            flips.append(i)
    out = data[tuple(key)]
    return out.flip(flips) if flips else _fresh(out)


@op(method=True, aliases=('crop',))    # MXNet: crop is slice's alias
def slice(data, begin, end, step=None):  # pylint: disable=redefined-builtin
    """Slice the leading axes: data[begin[0]:end[0]:step[0], ...]; None means the default.

    Parameters
    ----------
    begin, end : tuple of int or None
    step : tuple of int or None, optional
        Negative steps run backwards, as in Python. A single int is a one-axis tuple, as
        MXNet reads its attribute (an np-mode graph writes `x[1:3]` as begin=1, end=3).
    """
    begin, end = _one_axis(begin), _one_axis(end)
    return _slice_dims(data, _shape.slices(_dims(data), begin, end,
                                           step if step is None else _one_axis(step)))


def _one_axis(v):
    return (v,) if v is None or isinstance(v, int) else v


@op(method=True)
def slice_axis(data, axis, begin, end):
    """Slice one axis: data[..., begin:end, ...]; end=None means to the end.

    MXNet is strict here (unlike `slice`): the range must be non-empty and in bounds.
    """
    dims = _dims(data)
    ax = _shape.axis(axis, len(dims), 'slice_axis')
    n = dims[ax]
    b = begin + n if begin < 0 else begin
    e = n if end is None else (end + n if end < 0 else end)
    if not 0 <= b < e <= n:
        raise MXNetError(f"slice_axis: invalid range begin={begin}, end={end} for axis "
                         f"{ax} of size {n} (shape {dims}); need 0 <= begin < end <= {n}")
    return _fresh(data.narrow(ax, b, e - b))


@op(method=True)
def slice_like(data, shape_like, axes=None):
    """Slice `data` to the shape of `shape_like` on `axes` (default: all axes)."""
    dims, like = _dims(data), _dims(shape_like)
    if axes is None or not isinstance(axes, int) and len(axes) == 0:   # () or []: all
        if len(dims) != len(like):
            raise MXNetError(f"slice_like: without axes both inputs need the same ndim, got "
                             f"shapes {dims} and {like}")
        axes = range(len(dims))
    elif isinstance(axes, int):
        axes = (axes,)        # MXNet's Tuple<int> parameter reads a bare int as (int,)
    key = [builtins.slice(None)] * len(dims)
    for a in axes:
        ax = _shape.axis(a, len(dims), 'slice_like', 'axes')
        if ax >= len(like) or like[ax] > dims[ax]:
            raise MXNetError(f"slice_like: axis {a} of shape_like {like} does not fit in "
                             f"data of shape {dims}")
        key[ax] = builtins.slice(0, like[ax])
    return _fresh(data[tuple(key)])


# ---- broadcasting ---------------------------------------------------------------------------
@op
def broadcast_to(data, shape):
    """Broadcast axes of size 1 to `shape`; a 0 in `shape` keeps that input dimension."""
    return _fresh(data.expand(_shape.broadcast_to(_dims(data), shape)))


@op(method=True)
def broadcast_like(lhs, rhs, lhs_axes=None, rhs_axes=None):
    """Broadcast `lhs` to the shape of `rhs` (or lhs_axes to the sizes of rhs_axes)."""
    src, like = _dims(lhs), _dims(rhs)
    if lhs_axes is None and rhs_axes is None:
        target = like
    else:
        if not lhs_axes and lhs_axes is not None or not rhs_axes and rhs_axes is not None:
            raise MXNetError("broadcast_like: Empty axes tuple is not allowed (lhs_axes="
                             f"{lhs_axes}, rhs_axes={rhs_axes})")
        la = _shape.axes(lhs_axes, len(src), 'broadcast_like', 'lhs_axes')
        ra = _shape.axes(rhs_axes, len(like), 'broadcast_like', 'rhs_axes')
        if len(la) != len(ra):
            raise MXNetError(f"broadcast_like: lhs_axes {lhs_axes} and rhs_axes {rhs_axes} "
                             "must have the same length")
        target = list(src)
        for a, b in zip(la, ra):
            target[a] = like[b]
    return _fresh(lhs.expand(_shape.broadcast_to(src, target, 'broadcast_like')))


@op(method='broadcast_axes', aliases=('broadcast_axes',))
def broadcast_axis(data, axis=(), size=()):
    """Broadcast the size-1 axes `axis` to the sizes `size`."""
    axis = (axis,) if isinstance(axis, int) else tuple(axis)
    size = (size,) if isinstance(size, int) else tuple(size)
    dims = _dims(data)
    if len(axis) != len(size):
        raise MXNetError(f"broadcast_axis: axis={axis} and size={size} must have the same "
                         "length")
    target = list(dims)
    for a, s in zip(axis, size):
        ax = _shape.axis(a, len(dims), 'broadcast_axis')
        if dims[ax] != 1:
            raise MXNetError(f"broadcast_axis: axis {a} of shape {dims} has size "
                             f"{dims[ax]}; only axes of size 1 can be broadcast")
        target[ax] = int(s)
    return _fresh(data.expand(target))


def _broadcast_to_method(self, shape):
    """Broadcast to `shape`; unlike the operator, leading axes may be added (MXNet)."""
    shape = tuple(shape)
    if len(shape) > self.ndim:
        self = self.reshape((1,) * (len(shape) - self.ndim) + self.shape)
    return broadcast_to(self, shape=shape)


def _install():
    from ..ndarray import NDArray
    NDArray.broadcast_to = _broadcast_to_method


_install()


# ---- replication -------------------------------------------------------------------------
@op(method=True)
def tile(data, reps):
    """Repeat the whole array `reps` times along each axis (numpy.tile rules)."""
    reps = (reps,) if isinstance(reps, int) else tuple(reps)
    from ...numpy import _mode        # np shape semantics: a 0 gives an empty axis
    if any(r < 0 or (r == 0 and not _mode.active) for r in reps):
        raise MXNetError(f"tile: reps={reps} must all be positive (input shape "
                         f"{_dims(data)})")
    return data.tile(reps) if reps else _fresh(data)


@op(method=True)
def repeat(data, repeats, axis=None):
    """Repeat each element `repeats` times along `axis` (the flattened array if None)."""
    if repeats < 0:
        raise MXNetError(f"repeat: repeats={repeats} cannot be negative")
    if axis is None:
        return data.reshape(-1).repeat_interleave(int(repeats))
    return data.repeat_interleave(int(repeats), _shape.axis(axis, data.dim(), 'repeat'))


@op(method=True, aliases=('reverse',))
def flip(data, axis):
    """Reverse the order of elements along `axis` (an int or a tuple)."""
    ax = (axis,) if isinstance(axis, int) else tuple(axis)
    if any(a < 0 for a in ax):         # MXNet's flip refuses negative axes
        raise MXNetError(f"flip: axis={axis} must be in [0, {data.dim()}); negative axes "
                         "are not accepted")
    ax = _shape.axes(ax, data.dim(), 'flip') if ax else ()
    return data.flip(ax) if ax else _fresh(data)


# ---- pad and diag --------------------------------------------------------------------------
_PAD_MODES = {'constant': 'constant', 'edge': 'replicate', 'reflect': 'reflect'}


@op(method=True, aliases=('Pad',))
def pad(data, mode='constant', pad_width=None, constant_value=0.0):
    """Pad the spatial axes of a 4-D or 5-D array.

    Parameters
    ----------
    mode : {'constant', 'edge', 'reflect'}
    pad_width : tuple of int
        (before_1, after_1, ..., before_N, after_N) for every axis; the first two pairs
        (batch, channel) must be 0.
    constant_value : float, default 0
    """
    dims = _dims(data)
    if mode not in _PAD_MODES:
        raise MXNetError(f"pad: mode={mode!r} is invalid; expected one of "
                         f"{sorted(_PAD_MODES)}")
    if len(dims) not in (4, 5):
        raise MXNetError(f"pad: only 4-D or 5-D input is supported, got shape {dims}")
    if not data.is_floating_point():
        raise MXNetError(f"pad: only floating point types are supported, got "
                         f"{str(data.dtype)[6:]}")
    width = _shape.pad_width(pad_width or (), len(dims))
    sizes = [d for d in reversed(dims[2:]) for _ in (0, 1)]    # torch order: last axis first
    if mode == 'reflect' and any(w >= d for w, d in zip(width, sizes)):
        raise MXNetError(f"pad: reflect padding {tuple(pad_width)} must be smaller than "
                         f"the input size {dims} on every padded axis")
    if mode == 'constant':
        return F.pad(data, width, 'constant', constant_value)
    return F.pad(data, width, _PAD_MODES[mode])


@op(method=True)
def diag(data, k=0, axis1=0, axis2=1):
    """1-D input: a matrix with `data` on diagonal k. N-D: the k-th diagonal of the
    (axis1, axis2) planes, appended as the last axis."""
    if data.dim() == 1:
        return torch.diag(data, k)
    dims = _dims(data)
    a1 = _shape.axis(axis1, len(dims), 'diag', 'axis1')
    a2 = _shape.axis(axis2, len(dims), 'diag', 'axis2')
    if a1 == a2:
        raise MXNetError(f"diag: axis1 and axis2 cannot refer to the same axis {a1}")
    if not -dims[a1] < k < dims[a2]:
        raise MXNetError(f"diag: diagonal k={k} does not exist for axes ({a1}, {a2}) of "
                         f"shape {dims}")
    return _fresh(data.diagonal(k, a1, a2))
