"""MXNet's shape rules as pure functions on tuples (no torch): reshape codes, axes, slices.

Every function here takes and returns plain Python ints/tuples and raises MXNetError with a
message naming the operator, so the kernels in `ops/shape_ops.py` stay one-liners.
"""
from ..base import MXNetError

__all__ = ['reshape', 'plain', 'reshape_like', 'axis', 'axes', 'broadcast_to', 'slices',
           'positive_slice', 'pad_width', 'size']


def size(shape):
    """Number of elements of `shape`."""
    n = 1
    for d in shape:
        n *= d
    return n


def _resolve(src, codes):
    """MXNet's InferReshapeShape, left to right (matrix_op-inl.h)."""
    out, i, j, inferred = [], 0, 0, -1     # i: position in codes, j: position in src
    while i < len(codes):
        c = codes[i]
        if c == 0:                          # copy this dimension
            if j >= len(src):
                raise ValueError(f"code 0 at position {i} has no input dimension left")
            out.append(src[j])
            j += 1
        elif c == -1:                       # infer from the remaining size
            if inferred >= 0:
                raise ValueError("one and only one dim can be inferred (-1)")
            inferred = len(out)
            out.append(1)
            j += 1
        elif c == -2:                       # copy all remaining dimensions
            out.extend(src[j:])
            j = len(src)
        elif c == -3:                       # merge two consecutive dimensions
            if j + 1 >= len(src):
                raise ValueError(f"code -3 at position {i} needs two input dimensions")
            out.append(src[j] * src[j + 1])
            j += 2
        elif c == -4:                       # split one dimension into the next two codes
            if i + 2 >= len(codes) or j >= len(src):
                raise ValueError(f"code -4 at position {i} needs two following codes "
                                 "and an input dimension")
            d0, d1, d2 = src[j], codes[i + 1], codes[i + 2]
            if d1 == -1 and d2 == -1:
                raise ValueError("split dims of -4 cannot both be -1")
            d1 = d0 // d2 if d1 == -1 else d1
            d2 = d0 // d1 if d2 == -1 else d2
            if d1 * d2 != d0:
                raise ValueError(f"split dims {d1}, {d2} of -4 do not divide the "
                                 f"input dimension {d0}")
            out += [d1, d2]
            i += 2
            j += 1
        elif c > 0:
            out.append(c)
            j += 1
        else:
            raise ValueError(f"unknown code {c}; expected a positive size or 0, -1, -2, "
                             "-3, -4")
        i += 1
    if inferred >= 0:
        rest = size(out)
        out[inferred] = size(src) // rest if rest else 0
    return out


def reshape(src, codes, reverse=False, op='reshape', check=True):
    """Resolve MXNet reshape codes 0, -1, -2, -3, -4 against the input shape `src`.

    With `reverse=True` the codes are matched from the right (MXNet reverses both, resolves,
    and reverses the result). `check=False` skips the size check.
    """
    src, codes = tuple(src), tuple(int(c) for c in codes)
    try:
        if reverse:
            out = tuple(reversed(_resolve(src[::-1], codes[::-1])))
        else:
            out = tuple(_resolve(src, codes))
    except ValueError as e:
        raise MXNetError(f"{op}: cannot reshape {src} with shape={codes}"
                         f"{' (reverse)' if reverse else ''}: {e}") from None
    if check and size(out) != size(src):
        raise MXNetError(f"{op}: target shape {out} (from shape={codes}) has size "
                         f"{size(out)}, but the input shape {src} has size {size(src)}")
    return out


def plain(codes):
    """True when reshape `codes` are all sizes > 0 and -1s: torch's view reads them as MXNet
    does (and refuses what MXNet refuses: several -1s, a size that does not divide)."""
    if not codes:
        return False
    for c in codes:
        if type(c) is not int or (c <= 0 and c != -1):
            return False
    return True


def _range(begin, end, ndim, op, name):
    begin = axis(begin, ndim, op, name)
    end = ndim if end is None else (end + ndim if end < 0 else end)
    if not begin <= end <= ndim:
        raise MXNetError(f"{op}: {name} range [{begin}, {end}) is invalid for {ndim}-d shape")
    return begin, end


def reshape_like(lshape, rshape, lhs_begin=None, lhs_end=None, rhs_begin=None,
                 rhs_end=None):
    """The output shape of reshape_like: lhs[lb:le] replaced by rhs[rb:re]."""
    lb, le = _range(lhs_begin or 0, lhs_end, len(lshape), 'reshape_like', 'lhs')
    rb, re = _range(rhs_begin or 0, rhs_end, len(rshape), 'reshape_like', 'rhs')
    out = tuple(lshape[:lb]) + tuple(rshape[rb:re]) + tuple(lshape[le:])
    if size(out) != size(lshape):
        raise MXNetError(f"reshape_like: cannot reshape lhs with shape {tuple(lshape)} to "
                         f"new shape {out} because they have different size")
    return out


def axis(ax, ndim, op, name='axis'):
    """Normalise one axis into [0, ndim) (MXNet allows -ndim <= ax < ndim)."""
    ax = int(ax)
    if not -ndim <= ax < ndim:
        raise MXNetError(f"{op}: {name}={ax} is out of range for a {ndim}-d input; "
                         f"expected {-ndim} <= {name} < {ndim}")
    return ax + ndim if ax < 0 else ax


def axes(ax, ndim, op, name='axis'):
    """Normalise an int or a tuple of axes; None or () means every axis."""
    if ax is None or ax == ():
        return tuple(range(ndim))
    if isinstance(ax, int):
        return (axis(ax, ndim, op, name),)
    out = tuple(axis(a, ndim, op, name) for a in ax)
    if len(set(out)) != len(out):
        raise MXNetError(f"{op}: {name}={tuple(ax)} contains a repeated axis")
    return out


def broadcast_to(src, shape, op='broadcast_to'):
    """Target shape of broadcast_to; a 0 in `shape` keeps that input dimension (MXNet)."""
    src, shape = tuple(src), tuple(int(s) for s in shape)
    if len(src) != len(shape):
        raise MXNetError(f"{op}: operand of shape {src} cannot be broadcast to {shape}: "
                         "the number of dimensions must match")
    out = tuple(s if t == 0 else t for s, t in zip(src, shape))
    for s, t in zip(src, out):
        if s != t and s != 1:
            raise MXNetError(f"{op}: array cannot be broadcast from {src} to {out}; only "
                             "axes of size 1 can grow")
    return out


def slices(shape, begin, end, step=None, op='slice'):
    """Python slices for MXNet's slice(begin, end, step); None entries mean the default."""
    begin, end = tuple(begin), tuple(end)
    step = tuple(step) if step else (None,) * len(begin)
    if not len(begin) == len(end) == len(step) or len(begin) > len(shape):
        raise MXNetError(f"{op}: begin={begin}, end={end}, step={step} must have the same "
                         f"length, at most the input's ndim {len(shape)}")
    out = []
    for b, e, s in zip(begin, end, step):
        if s == 0:
            raise MXNetError(f"{op}: step=0 is not allowed (step={step})")
        out.append(slice(b, e, s))
    return out


def positive_slice(slc, n):
    """(slice with step > 0, flip) selecting the same elements as `slc` on a dim of size n.

    torch has no negative steps; the caller flips the result when `flip` is True.
    """
    start, stop, step = slc.indices(n)
    if step > 0:
        return slice(start, stop, step), False
    count = len(range(start, stop, step))
    if count <= 1:
        return slice(start, start + count, 1), False
    last = start + (count - 1) * step
    return slice(last, start + 1, -step), True


def pad_width(width, ndim, op='pad'):
    """torch.nn.functional.pad's list (last axis first) from MXNet's (before, after) pairs."""
    width = tuple(int(w) for w in width)
    if len(width) != 2 * ndim:
        raise MXNetError(f"{op}: pad_width must have 2*ndim={2 * ndim} entries (before and "
                         f"after for every axis), got {len(width)}: {width}")
    if any(width[:4]):
        raise MXNetError(f"{op}: padding on the first two axes must be zero (MXNet only pads "
                         f"spatial axes), got pad_width={width}")
    out = []
    for i in reversed(range(2, ndim)):
        out += [width[2 * i], width[2 * i + 1]]
    return out
