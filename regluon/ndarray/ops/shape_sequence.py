"""Variable-length sequence operators: SequenceMask, SequenceLast, SequenceReverse.

Data is laid out (T, B, ...) for axis=0 or (B, T, ...) for axis=1; `sequence_length`
(B,) holds each batch item's length (any dtype; MXNet accepts float lengths).
"""
import torch

from ...base import MXNetError
from .shape_ops import _dims, _fresh
from ..register import op


def _lengths(name, data, sequence_length, use_sequence_length, axis, axes=(0, 1)):
    """The (B,) int64 lengths, or None when the whole sequence is used."""
    dims = _dims(data)
    if data.dim() < 2:
        raise MXNetError(f"{name}: data must have rank 2 or greater, got shape {dims}")
    if axis not in axes:
        raise MXNetError(f"{name}: axis must be one of {axes}, got axis={axis}")
    if not use_sequence_length:
        return None
    if sequence_length is None:
        raise MXNetError(f"{name}: use_sequence_length=True needs a sequence_length array")
    batch = dims[1 - axis]
    if tuple(sequence_length.shape) != (batch,):
        raise MXNetError(f"{name}: sequence_length must have shape ({batch},) for data of "
                         f"shape {dims} and axis={axis}, got {tuple(sequence_length.shape)}")
    return sequence_length.detach().to(torch.int64)


def _time_batch(mask, axis, ndim):
    """Lay a (T, B) table out like data: (T, B, 1, ...) or (B, T, 1, ...)."""
    mask = mask if axis == 0 else mask.t()
    return mask.reshape(tuple(mask.shape) + (1,) * (ndim - 2))


@op
def SequenceMask(data, sequence_length=None, use_sequence_length=False, value=0.0, axis=0):
    """Set the steps at and beyond each sequence's length to `value`.

    Parameters
    ----------
    data : NDArray, (T, B, ...) for axis=0 or (B, T, ...) for axis=1
    sequence_length : NDArray (B,), used when use_sequence_length is True
    value : float, default 0
    """
    lengths = _lengths('SequenceMask', data, sequence_length, use_sequence_length, axis)
    if lengths is None:
        return _fresh(data)
    steps = torch.arange(data.shape[axis], device=data.device)
    keep = _time_batch(steps[:, None] < lengths[None, :], axis, data.dim())
    return torch.where(keep, data, torch.tensor(value, dtype=data.dtype, device=data.device))


@op
def SequenceLast(data, sequence_length=None, use_sequence_length=False, axis=0):
    """The last valid step of each sequence: drops the time axis."""
    lengths = _lengths('SequenceLast', data, sequence_length, use_sequence_length, axis)
    if lengths is None:
        return _fresh(data.select(axis, -1))
    batch = torch.arange(data.shape[1 - axis], device=data.device)
    last = lengths - 1
    return data[last, batch] if axis == 0 else data[batch, last]


@op
def SequenceReverse(data, sequence_length=None, use_sequence_length=False, axis=0):
    """Reverse the first `length` steps of each sequence (time axis 0); the rest stay."""
    lengths = _lengths('SequenceReverse', data, sequence_length, use_sequence_length, axis,
                       axes=(0,))
    if lengths is None:
        return data.flip(0)
    t = torch.arange(data.shape[0], device=data.device)[:, None]
    src = torch.where(t < lengths[None, :], lengths[None, :] - 1 - t, t)   # (T, B)
    return data.gather(0, _time_batch(src, 0, data.dim()).expand_as(data))
