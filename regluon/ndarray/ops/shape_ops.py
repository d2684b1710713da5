"""Shape operators: reshape, transpose, expand/squeeze, flatten, concat/stack/split, ...

MXNet rule kept here: every operator returns a new array, never a view of its input
(`y = nd.reshape(x, ...); y[:] = 0` leaves x alone), so kernels that torch answers with a
view end in `_fresh`. The NDArray *methods* `x.reshape(...)` and `x.flatten(inplace=True)`
& co. are views, as in MXNet; they are installed at the end of this module.
"""
import torch

from ...base import MXNetError
from .. import shape as _shape
from ..ndarray import NDArray, _box_result
from ..register import op


def _fresh(t):
    """A contiguous copy: MXNet operators never alias their input."""
    return t.clone(memory_format=torch.contiguous_format)


def _dims(t):
    return tuple(t.shape)


# ---- reshape -------------------------------------------------------------------------
def _target(data, shape, reverse, target_shape, keep_highest, name):
    src = _dims(data)
    if shape is None or shape == ():
        if not target_shape:
            raise MXNetError(f"{name}: shape is required (got shape={shape!r})")
        # deprecated MXNet form: a 0 in target_shape is inferred; keep_highest replaces
        # target_shape[0] by the input's first dim
        codes = [-1 if s == 0 else s for s in target_shape]
        if keep_highest:
            codes[0] = src[0]
        return _shape.reshape(src, codes, False, name)
    if isinstance(shape, int):
        shape = (shape,)
    return _shape.reshape(src, shape, reverse, name)


@op(aliases=('Reshape',))
def reshape(data, shape=None, reverse=False, target_shape=None, keep_highest=False):
    """Reshape to `shape`, which may use MXNet's special codes 0, -1, -2, -3, -4.

    Parameters
    ----------
    data : NDArray
    shape : tuple of int
        Target shape; 0 copies an input dim, -1 infers one dim, -2 copies the rest, -3
        merges two dims, -4 splits one dim into the two codes that follow it.
    reverse : bool, default False
        Resolve the special codes from right to left.
    """
    return _fresh(data.reshape(_target(data, shape, reverse, target_shape, keep_highest,
                                       'reshape')))


@op
def _reshape_view(data, shape, reverse=False):
    """`NDArray.reshape`: a view sharing memory with `data` (recorded by autograd)."""
    src = _dims(data)
    target = _shape.reshape(src, shape, reverse, 'NDArray.reshape', check=False)
    have, want = _shape.size(src), _shape.size(target)
    if want > have:
        raise MXNetError(f"NDArray.reshape: target shape {target} (from {tuple(shape)}) has "
                         f"size {want}, larger than the array's {src} (size {have})")
    if want < have:                    # MXNet raises ValueError here, MXNetError above
        raise ValueError(f"Cannot reshape array of size {have} into shape {tuple(shape)}")
    return data.view(target)


@op(method=True)
def reshape_like(lhs, rhs, lhs_begin=None, lhs_end=None, rhs_begin=None, rhs_end=None):
    """Reshape `lhs` to the shape of `rhs` (or replace lhs[lhs_begin:lhs_end] by
    rhs[rhs_begin:rhs_end] in its shape)."""
    return _fresh(lhs.reshape(_shape.reshape_like(_dims(lhs), _dims(rhs), lhs_begin,
                                                  lhs_end, rhs_begin, rhs_end)))


@op(aliases=('Flatten',))
def flatten(data):
    """Collapse all axes but the first: (d0, d1, ..., dk) -> (d0, d1*...*dk)."""
    if data.dim() == 0:
        return data.reshape(1, 1)
    return _fresh(data.reshape(data.shape[0], -1))


@op
def expand_dims(data, axis):
    """Insert an axis of size 1 at `axis` (-ndim-1 <= axis <= ndim)."""
    return _fresh(data.unsqueeze(_shape.axis(axis, data.dim() + 1, 'expand_dims')))


@op
def squeeze(data, axis=None):
    """Remove axes of size 1 (all of them, or those in `axis`); never returns 0-d."""
    dims = _dims(data)
    ax = _shape.axes(axis, len(dims), 'squeeze')
    if axis is not None:
        for a in ax:
            if dims[a] != 1:
                raise MXNetError(f"squeeze: cannot squeeze axis {a} of shape {dims}: it has "
                                 f"size {dims[a]}, not 1")
    out = tuple(d for i, d in enumerate(dims) if not (i in ax and d == 1))
    return _fresh(data.reshape(out or (1,)))    # MXNet keeps one axis: (1, 1) -> (1,)


@op(method=True)
def transpose(data, axes=None):
    """Permute the axes; by default reverse them."""
    n = data.dim()
    axes = tuple(range(n))[::-1] if axes is None or axes == () else tuple(axes)
    if len(axes) != n:
        raise MXNetError(f"transpose: axes={axes} must list all {n} axes of the input "
                         f"shape {_dims(data)}")
    if any(a < 0 for a in axes):     # MXNet's transpose refuses negative axes
        raise MXNetError(f"transpose: axes={axes} must be in [0, {n}); negative axes are "
                         "not accepted")
    return _fresh(data.permute(_shape.axes(axes, n, 'transpose', 'axes')))


@op(method=True, aliases=('SwapAxis',))
def swapaxes(data, dim1=0, dim2=0):
    """Interchange two axes."""
    n = data.dim()
    return _fresh(data.transpose(_shape.axis(dim1, n, 'swapaxes', 'dim1'),
                                 _shape.axis(dim2, n, 'swapaxes', 'dim2')))


# ---- joining and splitting ------------------------------------------------------------
def _check_join(name, data, dim, keep_dim):
    if not data:
        raise MXNetError(f"{name}: needs at least one input array")
    ref = _dims(data[0])
    for i, t in enumerate(data[1:], 1):
        if t.dtype != data[0].dtype:
            raise MXNetError(f"{name}: all inputs must have the same dtype; input 0 is "
                             f"{str(data[0].dtype)[6:]}, input {i} is {str(t.dtype)[6:]}")
        s = _dims(t)
        same = (len(s) == len(ref) and all(a == b for k, (a, b) in enumerate(zip(s, ref))
                                           if not (keep_dim and k == dim)))
        if not same:
            what = f"all dims except dim={dim}" if keep_dim else "the same shape"
            raise MXNetError(f"{name}: input {i} has shape {s}, input 0 has shape {ref}; "
                             f"inputs must agree on {what}")


@op(aliases=('Concat',))
def concat(*data, dim=1, num_args=None):
    """Join arrays along an existing axis `dim` (default 1, as in MXNet).

    Parameters
    ----------
    *data : NDArrays of equal shape except along `dim`, and equal dtype
    dim : int, default 1
    """
    dim = _shape.axis(dim, data[0].dim() if data else 1, 'concat', 'dim')
    _check_join('concat', data, dim, True)
    return torch.cat(data, dim)


@op
def stack(*data, axis=0, num_args=None):
    """Join arrays of the same shape along a new axis."""
    axis = _shape.axis(axis, data[0].dim() + 1 if data else 1, 'stack')
    _check_join('stack', data, axis, False)
    return torch.stack(data, axis)


@op(method=True, aliases=('SliceChannel',))
def split(data, num_outputs, axis=1, squeeze_axis=False):
    """Split into `num_outputs` equal parts along `axis`; a list, or one array if 1."""
    dims = _dims(data)
    ax = _shape.axis(axis, len(dims), 'split')
    n = int(num_outputs)
    if n < 1 or dims[ax] % n:
        raise MXNetError(f"split: cannot split axis {ax} of shape {dims} into "
                         f"num_outputs={n} equal parts: {n} does not divide {dims[ax]}")
    if squeeze_axis and dims[ax] != n:
        raise MXNetError(f"split: squeeze_axis=True needs num_outputs == shape[axis], got "
                         f"num_outputs={n} for shape {dims} and axis={ax}")
    parts = [_fresh(p.squeeze(ax) if squeeze_axis else p)
             for p in torch.split(data, dims[ax] // n, ax)]
    return parts[0] if n == 1 else parts    # MXNet returns the array itself for one output


@op(method=True)
def split_v2(ary, indices_or_sections, axis=0, squeeze_axis=False):
    """Split along `axis` into equal sections (an int) or at the given indices (a tuple),
    as numpy.split does; one part comes back as the array itself (MXNet).
    """
    dims = _dims(ary)
    ax = _shape.axis(axis, len(dims), 'split_v2')
    n = dims[ax]
    if isinstance(indices_or_sections, int):
        if indices_or_sections < 1 or n % indices_or_sections:
            raise ValueError('array split does not result in an equal division')
        step = n // indices_or_sections
        starts = list(range(0, n, step)) if n else [0]
    elif isinstance(indices_or_sections, tuple):
        starts = [0] + [int(i) for i in indices_or_sections]
    else:
        raise ValueError('indices_or_sections must either int or tuple of ints')
    bounds = list(zip(starts, starts[1:] + [n]))
    for b, e in bounds:
        if not 0 <= b <= e <= n:
            raise MXNetError(f"split_v2: part [{b}, {e}) does not fit axis {ax} of shape "
                             f"{dims}; indices must be increasing and at most {n}")
        if squeeze_axis and e - b != 1:
            raise MXNetError(f"split_v2: squeeze_axis=True needs parts of size 1, got part "
                             f"[{b}, {e}) of axis {ax} of shape {dims}")
    parts = [_fresh(ary.narrow(ax, b, e - b)) for b, e in bounds]
    if squeeze_axis:
        parts = [p.squeeze(ax) for p in parts]
    return parts[0] if len(parts) == 1 else parts


# ---- shape as data -------------------------------------------------------------------------
@op(method=True)
def shape_array(data):
    """The shape as a 1-D int64 array."""
    return torch.tensor(_dims(data), dtype=torch.int64, device=data.device)


@op(method=True)
def size_array(data):
    """The number of elements as a 1-element int64 array."""
    return torch.tensor([data.numel()], dtype=torch.int64, device=data.device)


# ---- depth <-> space (MXNet's DCR order, unlike torch.pixel_shuffle's CRD) -----------
def _block(name, data, b):
    if data.dim() != 4:
        raise MXNetError(f"{name}: expects a 4-D (N, C, H, W) input, got shape {_dims(data)}")
    if b < 1:
        raise MXNetError(f"{name}: block_size must be positive, got {b}")
    if 0 in data.shape:              # MXNet: no dimension may be 0
        raise MXNetError(f"{name}: size of dimension {list(data.shape).index(0)} cannot be "
                         f"0, got shape {_dims(data)}")
    return _dims(data)


@op(method=True)
def depth_to_space(data, block_size):
    """Move blocks of depth into spatial blocks: (N, C, H, W) -> (N, C/b^2, H*b, W*b)."""
    b = int(block_size)
    n, c, h, w = _block('depth_to_space', data, b)
    if c % (b * b):
        raise MXNetError(f"depth_to_space: channels {c} of shape {(n, c, h, w)} must be a "
                         f"multiple of block_size^2 = {b * b}")
    t = data.reshape(n, b, b, c // (b * b), h, w).permute(0, 3, 4, 1, 5, 2)
    return t.reshape(n, c // (b * b), h * b, w * b)


@op(method=True)
def space_to_depth(data, block_size):
    """Move spatial blocks into depth: (N, C, H, W) -> (N, C*b^2, H/b, W/b)."""
    b = int(block_size)
    n, c, h, w = _block('space_to_depth', data, b)
    if h % b or w % b:
        raise MXNetError(f"space_to_depth: height and width of shape {(n, c, h, w)} must "
                         f"be multiples of block_size={b}")
    t = data.reshape(n, c, h // b, b, w // b, b).permute(0, 3, 5, 1, 2, 4)
    return t.reshape(n, c * b * b, h // b, w // b)


# ---- NDArray methods that differ from the operators ------------------------------------
def _reshape_method(self, *shape, **kwargs):
    """A view of this array with a new shape (MXNet codes allowed); shares memory.

    Accepts `x.reshape(2, 3)`, `x.reshape((2, 3))`, `x.reshape(shape=(2, 3))`, and
    `reverse=True`.
    """
    if len(shape) == 1 and isinstance(shape[0], (list, tuple)):
        shape = shape[0]
    if not kwargs and _shape.plain(shape):
        # the common x.reshape((3, 2)) skips the @op wrapper (whose tuple unboxing costs
        # more than torch's view) and boxes here.
        # torch refuses what MXNet refuses; the general path below then raises MXNet's error
        try:
            res = self._t.view(*shape)
        except RuntimeError:
            pass
        else:
            return _box_result(res, self._ctx)
    unknown = set(kwargs) - {'shape', 'reverse'}
    if unknown:
        raise TypeError(f"Got unknown keywords in reshape: {', '.join(sorted(unknown))}. "
                        "Accepted keyword arguments are 'shape' and 'reverse'.")
    if not shape:
        shape = kwargs.get('shape')
        if not shape:
            raise TypeError("reshape: a shape must be provided")
    return _reshape_view(self, tuple(shape), reverse=kwargs.get('reverse', False))


def _flatten_method(self, inplace=False):
    """Flatten to 2-D; with inplace=True a view sharing memory (MXNet)."""
    return self.reshape((0, -1)) if inplace else flatten(self)


def _expand_dims_method(self, axis, inplace=False):
    """Insert an axis of size 1; with inplace=True a view sharing memory (MXNet)."""
    if not inplace:
        return expand_dims(self, axis=axis)
    shape = list(self.shape)
    shape.insert(_shape.axis(axis, len(shape) + 1, 'expand_dims'), 1)
    return self.reshape(shape)


def _squeeze_method(self, axis=None, inplace=False):
    """Remove axes of size 1; with inplace=True a view sharing memory (MXNet)."""
    if not inplace:
        return squeeze(self, axis=axis)
    dims = self.shape
    ax = _shape.axes(axis, len(dims), 'squeeze')
    if axis is not None and any(dims[a] != 1 for a in ax):
        raise MXNetError(f"squeeze: axes {ax} of shape {dims} must all have size 1")
    return self.reshape([d for i, d in enumerate(dims) if not (i in ax and d == 1)] or [1])


NDArray.reshape = _reshape_method
NDArray.flatten = _flatten_method
NDArray.expand_dims = _expand_dims_method
NDArray.squeeze = _squeeze_method
