"""`sort`, `argsort`, `topk` along one axis (axis=None: the flattened array).

MXNet rules kept here: indices come back as float32 unless `dtype` says otherwise;
topk's k <= 0 means the whole axis; ret_typ='mask' marks the top k with 1 in data's dtype.
"""
import torch

from ...base import MXNetError, torch_dtype
from ..axes import axis_index
from ..register import op


def _along(name, data, axis):
    """(tensor, axis): flattened for axis=None, as MXNet does."""
    if axis is None:
        return data.reshape(-1), 0
    return data, axis_index(name, axis, data.dim())


@op(method=True)
def sort(data, axis=-1, is_ascend=True):
    """Sorted values along `axis`.

    Parameters
    ----------
    data : NDArray
    axis : int or None, default -1
        None sorts the flattened array.
    is_ascend : bool, default True
    """
    x, ax = _along('sort', data, axis)
    return torch.sort(x, dim=ax, descending=not is_ascend, stable=True).values


@op(method=True)
def argsort(data, axis=-1, is_ascend=True, dtype='float32'):
    """Indices that sort `data` along `axis`.

    Parameters
    ----------
    data : NDArray
    axis : int or None, default -1
    is_ascend : bool, default True
    dtype : str, default 'float32'
        dtype of the indices (MXNet's default is float32).
    """
    x, ax = _along('argsort', data, axis)
    idx = torch.sort(x, dim=ax, descending=not is_ascend, stable=True).indices
    return idx.to(torch_dtype(dtype))


_RET_TYPES = ('value', 'indices', 'mask', 'both')


@op(method=True)
def topk(data, axis=-1, k=1, ret_typ='indices', is_ascend=False, dtype='float32'):
    """The k largest (or smallest) entries along `axis`: values, indices, mask or both.

    Parameters
    ----------
    data : NDArray
    axis : int or None, default -1
        None works on the flattened array.
    k : int, default 1
        k <= 0 takes the whole axis.
    ret_typ : {'indices', 'value', 'mask', 'both'}, default 'indices'
        'both' returns [values, indices]; 'mask' is data-shaped, 1 at the top k.
    is_ascend : bool, default False
        True takes the k smallest.
    dtype : str, default 'float32'
        dtype of the indices.
    """
    if ret_typ not in _RET_TYPES:
        raise MXNetError(f"topk: ret_typ must be one of {_RET_TYPES}, got {ret_typ!r}")
    x, ax = _along('topk', data, axis)
    n = x.shape[ax]
    k = n if k <= 0 else int(k)
    if k > n:
        raise MXNetError(f"topk: k must be at most {n} (the size of axis {axis}), got k={k}")
    # a stable full sort, as MXNet does: ties come out in index order (torch.topk's order
    # among ties is unspecified)
    values, idx = torch.sort(x, dim=ax, descending=not is_ascend, stable=True)
    values, idx = values.narrow(ax, 0, k), idx.narrow(ax, 0, k)
    if ret_typ == 'value':
        return values
    if ret_typ == 'mask':
        mask = torch.zeros_like(x).scatter(ax, idx, 1)
        return mask.reshape(data.shape).detach()
    idx = idx.to(torch_dtype(dtype))
    return [values, idx] if ret_typ == 'both' else idx
