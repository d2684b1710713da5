"""Indexing by arrays of indices: `pick`, `take`, `one_hot`, `gather_nd`, `scatter_nd`.

MXNet rules kept here: index arrays may be float (the usual case, e.g. labels); they are
truncated toward zero. pick/take clip out-of-range indices by default ('clip'), or wrap
them ('wrap'); one_hot gives an all-off row for an index outside [0, depth).
"""
import torch

from ...base import MXNetError, MXNetIndexError, torch_dtype
from ..axes import axis_index
from ..register import op

_MODES = ('clip', 'wrap')


def _fit(name, index, n, mode):
    """Integer indices (float ones truncated) brought into [0, n) by MXNet's `mode`."""
    if mode == 'clip':
        return index.long().clamp(0, n - 1)
    if mode == 'wrap':
        return index.long().remainder(n)
    if mode == 'raise' and name == 'take':
        # MXNet checks the raw values: 2.9 is out of range for n = 3, though it truncates to 2
        if index.numel() and (index.min() < 0 or index.max() > n - 1):
            raise MXNetError(f"take: mode='raise' and an index is outside [0, {n - 1}]: got "
                             f"indices in [{index.min().item()}, {index.max().item()}]")
        return index.long()
    modes = _MODES + (('raise',) if name == 'take' else ())
    raise MXNetError(f"{name}: mode must be one of {modes}, got {mode!r}")


@op(method=True, aliases=('choose_element_0index',))   # MXNet's legacy name for pick
def pick(data, index, axis=-1, keepdims=False, mode='clip'):
    """The entries of `data` at `index` along `axis`: out[i, j] = data[i, index[i, j], j].

    Parameters
    ----------
    data : NDArray
    index : NDArray
        data's shape without `axis` (or with size 1 there); float indices are truncated.
    axis : int, default -1
    keepdims : bool, default False
    mode : {'clip', 'wrap'}, default 'clip'
        How out-of-range indices are brought into range.
    """
    if axis is None:
        raise MXNetError("pick: axis=None is not supported, as in MXNet; pass an axis")
    ax = axis_index('pick', axis, data.dim())
    want = tuple(data.shape[:ax]) + tuple(data.shape[ax + 1:])
    idx = index
    if idx.dim() == data.dim() and idx.shape[ax] == 1:
        idx = idx.squeeze(ax)
    if tuple(idx.shape) != want:
        raise MXNetError(f"pick: index must have shape {want} (data {tuple(data.shape)} "
                         f"without axis {axis}), got {tuple(index.shape)}")
    idx = _fit('pick', idx, data.shape[ax], mode).unsqueeze(ax)
    res = torch.gather(data, ax, idx)
    return res if keepdims else res.squeeze(ax)


@op(method=True)
def take(a, indices, axis=0, mode='clip'):
    """Slices of `a` along `axis` at `indices`; the result has shape
    a.shape[:axis] + indices.shape + a.shape[axis+1:].

    Parameters
    ----------
    a : NDArray
    indices : NDArray
        Float indices are truncated.
    axis : int, default 0
    mode : {'clip', 'wrap', 'raise'}, default 'clip'
    """
    ax = axis_index('take', axis, a.dim())
    idx = _fit('take', indices, a.shape[ax], mode)
    res = torch.index_select(a, ax, idx.reshape(-1))
    return res.reshape(tuple(a.shape[:ax]) + tuple(indices.shape) + tuple(a.shape[ax + 1:]))


@op(method=True)
def one_hot(indices, depth, on_value=1.0, off_value=0.0, dtype='float32'):
    """One-hot rows: shape indices.shape + (depth,), on_value at each index.

    Parameters
    ----------
    indices : NDArray
        Float indices are truncated; one outside [0, depth) gives a row of off_value.
    depth : int
    on_value, off_value : float, default 1.0, 0.0
    dtype : str, default 'float32'
    """
    td = torch_dtype(dtype)
    hot = indices.long().unsqueeze(-1) == torch.arange(int(depth), device=indices.device)
    return torch.where(hot, torch.tensor(on_value, dtype=td, device=indices.device),
                       torch.tensor(off_value, dtype=td, device=indices.device))


def _nd_index(name, indices, shape):
    """indices (M, ...) as a tuple of M long tensors, negative ones wrapped, checked."""
    idx = indices.long()
    if idx.dim() == 0 or idx.shape[0] > len(shape):
        raise MXNetError(f"{name}: indices must have shape (M, ...) with M <= {len(shape)} "
                         f"(the data's ndim), got {tuple(indices.shape)}")
    out = []
    for i in range(idx.shape[0]):
        n = shape[i]
        if idx[i].numel() and (idx[i].min() < -n or idx[i].max() >= n):
            bad = int(idx[i].max()) if idx[i].max() >= n else int(idx[i].min())
            raise MXNetIndexError(f"{name}: index {bad} is out of bounds for axis {i} with "
                                  f"size {n}")
        out.append(idx[i].remainder(n))
    return tuple(out)


@op
def gather_nd(data, indices):
    """out[y...] = data[indices[0, y...], ..., indices[M-1, y...]]; shape
    indices.shape[1:] + data.shape[M:].

    Parameters
    ----------
    data : NDArray
    indices : NDArray
        Shape (M, ...), M <= data.ndim; negative indices count from the end.
    """
    return data[_nd_index('gather_nd', indices, tuple(data.shape))]


@op
def scatter_nd(data, indices, shape):
    """An array of `shape`, zero except out[indices[:, y...]] = data[y...].

    Parameters
    ----------
    data : NDArray
        Shape indices.shape[1:] + shape[M:].
    indices : NDArray
        Shape (M, ...), M <= len(shape).
    shape : tuple of int
    """
    shape = tuple(int(s) for s in shape)
    idx = _nd_index('scatter_nd', indices, shape)
    want = tuple(indices.shape[1:]) + shape[len(idx):]
    if tuple(data.shape) != want:
        raise MXNetError(f"scatter_nd: data must have shape {want} for indices "
                         f"{tuple(indices.shape)} and shape {shape}, got {tuple(data.shape)}")
    return torch.zeros(shape, dtype=data.dtype, device=data.device).index_put(idx, data)


@op
def batch_take(a, indices):
    """out[i] = a[i, indices[i]] for a 2-D `a` (deprecated in MXNet; use pick).

    Parameters
    ----------
    a : NDArray
        2-D.
    indices : NDArray of ints
        One per row; out-of-range ones are clipped.
    """
    if a.dim() != 2 or indices.is_floating_point() or indices.shape != a.shape[:1]:
        raise MXNetError(f"batch_take: expected a 2-D array and integer indices of shape "
                         f"({a.shape[0] if a.dim() else 0},), got {tuple(a.shape)} and "
                         f"{tuple(indices.shape)} {str(indices.dtype)[6:]}")
    idx = indices.long().clamp(0, a.shape[1] - 1)
    return torch.gather(a, 1, idx.unsqueeze(1)).squeeze(1)


def _strides(shape):
    out, acc = [], 1
    for s in reversed(shape):
        out.append(acc)
        acc *= int(s)
    return out[::-1]


@op
def ravel_multi_index(data, shape):
    """Flat indices of the coordinates in `data` (shape (ndim, N)) into `shape`.

    Parameters
    ----------
    data : NDArray
    shape : tuple of int
    """
    if data.dim() < 1 or data.shape[0] != len(shape):
        raise MXNetError(f"ravel_multi_index: data must have {len(shape)} rows (one per "
                         f"axis of shape {tuple(shape)}), got {tuple(data.shape)}")
    strides = torch.tensor(_strides(shape), device=data.device).reshape(
        (-1,) + (1,) * (data.dim() - 1))
    return (data.long() * strides).sum(0).to(data.dtype)


@op
def unravel_index(data, shape):
    """Coordinates (shape (ndim,) + data.shape) of the flat indices in `data`.

    Parameters
    ----------
    data : NDArray
    shape : tuple of int
    """
    idx, coords = data.long(), []
    for s in reversed(tuple(shape)[1:]):
        coords.append(idx.remainder(int(s)))
        idx = torch.div(idx, int(s), rounding_mode='floor')
    coords.append(idx)          # MXNet: the leading axis takes the rest (shape[0] may be -1)
    return torch.stack(coords[::-1]).to(data.dtype)
