"""Collating samples into batches, as MXNet's `default_batchify_fn` does."""
import numpy as np
import torch

from ...base import MXNetError
from ...context import Context
from ...ndarray.ndarray import NDArray, _box

__all__ = ['default_batchify_fn', 'default_mp_batchify_fn']


def default_batchify_fn(data):
    """Collate a list of samples into a batch.

    NDArrays are stacked on a new first axis; tuples are collated field by field into a
    list; anything else goes through `numpy.asarray` and keeps its numpy dtype (Python
    ints give int64, floats float64, as in MXNet).
    """
    first = data[0]
    if isinstance(first, NDArray):
        ts = [d._t for d in data]
        _check_same_shape([tuple(t.shape) for t in ts])
        return _box(torch.stack(ts))
    if isinstance(first, tuple):
        return [default_batchify_fn(list(field)) for field in zip(*data)]
    try:
        arr = np.asarray(data)
    except ValueError:
        _check_same_shape([np.shape(d) for d in data])
        raise
    if arr.dtype.kind not in 'biuf' or arr.dtype in (np.uint16, np.uint32, np.uint64):
        raise MXNetError(f"default_batchify_fn: cannot make an NDArray from samples of "
                         f"type {type(first).__name__} (numpy dtype {arr.dtype}); pass a "
                         "batchify_fn that handles them")
    return _box(torch.from_numpy(arr))


# Workers return torch tensors through shared memory (see dataloader.py), so the
# multiprocessing collate is the same function.
default_mp_batchify_fn = default_batchify_fn


def _check_same_shape(shapes):
    for i, s in enumerate(shapes):
        if s != shapes[0]:
            raise MXNetError(
                f"default_batchify_fn: samples in a batch must have the same shape to be "
                f"stacked, but sample 0 has shape {shapes[0]} and sample {i} has shape {s}. "
                "Resize or pad them in a transform, or pass a batchify_fn that pads.")


def as_in_context(data, ctx):
    """Move a (nested list of) NDArray batch onto `ctx`."""
    if isinstance(data, NDArray):
        return data.as_in_context(ctx)
    if isinstance(data, (list, tuple)):
        return [as_in_context(d, ctx) for d in data]
    return data


def pin(data, device_id):
    """Pinned-memory copies labelled cpu_pinned(device_id); plain copies without CUDA."""
    if isinstance(data, NDArray):
        t = data._t.pin_memory() if torch.cuda.is_available() else data._t
        return _box(t, Context('cpu_pinned', device_id))
    if isinstance(data, (list, tuple)):
        return [pin(d, device_id) for d in data]
    return data


def unbox_tree(data):
    """NDArrays -> torch tensors in a nested batch (for sending through shared memory)."""
    if isinstance(data, NDArray):
        return _Tensor(data._t.detach())
    if isinstance(data, (list, tuple)):
        return type(data)(unbox_tree(d) for d in data)
    return data


def box_tree(data):
    """The inverse of `unbox_tree`."""
    if isinstance(data, _Tensor):
        return _box(data.t)
    if isinstance(data, (list, tuple)):
        return type(data)(box_tree(d) for d in data)
    return data


# Below this size a tensor is cheaper to copy through the pipe than to share: sharing
# costs a connection to the sending process per tensor to pass its file descriptor.
_BY_VALUE_MAX = 1 << 20


class _Tensor:
    """Marks a tensor that was an NDArray (a user batch may hold plain tensors too).

    Pickled (by workers) as a copy when small, else as torch's shared-memory handle.
    """
    __slots__ = ('t',)

    def __init__(self, t):
        self.t = t

    def __reduce__(self):
        t = self.t
        if t.nbytes < _BY_VALUE_MAX and t.dtype != torch.bfloat16:
            return (_from_numpy, (t.numpy(),))
        return (_Tensor, (t,))


def _from_numpy(a):
    return _Tensor(torch.from_numpy(a))
