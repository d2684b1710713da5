"""Indexing: `NDArray.__getitem__` (an operator, so autograd records it) and `__setitem__`.

MXNet 1.9.1 rules kept here (each pinned by tests/test_indexing.py):
- keys: ints (np.integer too), slices with any step, Ellipsis,
  None, and index arrays (NDArray, numpy, list, tuple inside a tuple, range), cast to int64
  (float indices truncate; a numpy bool array is read as 0/1 *indices*, while a bool
  NDArray is refused: legacy MXNet has no boolean masks). Other keys raise ValueError.
  A bare bool is odd in MXNet: see `_bools`.
- out-of-range indices raise IndexError (MXNet checks ints eagerly; for index arrays it
  fails asynchronously later, we fail at once with the same type).
- basic indexing returns a view sharing memory when the selected region is contiguous
  (x[1], x[1:3], x[0, :1]) and a copy otherwise (x[:, 1], x[::2]); index arrays always
  copy. Writing into a view writes into the original, as in MXNet.
- a key that selects one element gives shape (1,), not a 0-d array (MXNet 1.x).
- `x[:]` and `x[()]` return x itself.
Where regluon differs on purpose (tests/test_indexing.py): out-of-range index arrays raise
IndexError at once (MXNet fails asynchronously, or writes out of bounds); x[:, 10:] is empty
(MXNet raises); `y[k] = v` inside record() on an array in the graph is recorded (MXNet
refuses it); a view is only possible where torch has one, so indexing an array that is
itself a non-contiguous torch view may copy where MXNet would not.
"""
import math

import numpy as np
import torch

from .. import shape as _shape
from ..ndarray import NDArray, _box_result
from .._fast import _fastop
from ..register import _wrap_result, op
from ... import autograd as _ag
from ...autograd import _in_step

_INTS = (int, np.integer)            # bool is an int
_ARRAYS = (torch.Tensor, np.ndarray, list, tuple, range)


class _OutOfRange(Exception):
    """Raised inside the kernel; __getitem__ re-raises it as IndexError (the @op wrapper
    would turn an IndexError into MXNetError)."""


def _index_array(k, n, ax, device):
    """An advanced index as an int64 tensor, bounds-checked against axis size n."""
    if isinstance(k, torch.Tensor):
        if k.dtype == torch.bool:
            raise ValueError("Cannot perform boolean indexing in legacy mode. Please "
                             "activate numpy semantics by calling `npx.set_np()` in the "
                             "global scope before calling this function.")
        t = k.detach().to(device, torch.int64)
    else:
        t = torch.as_tensor(np.asarray(k)).to(device, torch.int64)
    if t.numel():
        lo, hi = int(t.min()), int(t.max())
        if hi >= n or lo < -n:
            raise _OutOfRange(f"index {hi if hi >= n else lo} is out of bounds for axis "
                              f"{ax} with size {n}")
    return t


def _bools(key, ndim, read):
    """MXNet's two readings of a bool in a key: as an int on its fast read paths (x[True]
    is x[1], so is x[1, True] for 2-d x), else dropped (x[True] = 9 writes everything)."""
    if read and isinstance(key, _INTS):
        return (int(key),)
    key = key if isinstance(key, tuple) else (key,)
    if read and len(key) == ndim and all(isinstance(k, _INTS) for k in key):
        return tuple(int(k) for k in key)
    return tuple(k for k in key if not isinstance(k, (bool, np.bool_)))


def _expand(key, ndim, read):
    """The key as a tuple with Ellipsis replaced by full slices and trailing ones added."""
    key = _bools(key, ndim, read)
    used = sum(1 for k in key if k is not None and k is not Ellipsis)
    if used > ndim:
        raise _OutOfRange(f"too many indices ({used}) for array with {ndim} dimensions")
    fill = (slice(None),) * (ndim - used)
    if any(k is Ellipsis for k in key):
        i = next(i for i, k in enumerate(key) if k is Ellipsis)
        if any(k is Ellipsis for k in key[i + 1:]):
            raise _OutOfRange("an index can only have a single ellipsis ('...')")
        return key[:i] + fill + key[i + 1:]
    return key + fill


def _plan(data, key, read=True):
    """(torch key, output axes to flip, advanced?) for an MXNet key on tensor `data`."""
    key = _expand(key, data.dim(), read)
    advanced = any(isinstance(k, _ARRAYS) for k in key)
    tkey, flips, ax = [], [], 0        # flips: positions in key of reversed slices
    for k in key:
        if k is None:
            tkey.append(None)
            continue
        n = data.shape[ax]
        if isinstance(k, _INTS):
            if not -n <= k < n:
                raise _OutOfRange(f"index {k} is out of bounds for axis {ax} with size {n}")
            # MXNet turns ints next to index arrays into 1-element arrays (numpy's rule
            # for where the advanced axes go); torch would apply them first as a select.
            tkey.append(torch.tensor([int(k)], device=data.device) if advanced else int(k))
        elif isinstance(k, slice):
            if k.step == 0:
                raise ValueError("slice step cannot be zero")
            pos, flip = _shape.positive_slice(k, n)
            tkey.append(pos)
            if flip:
                flips.append(len(tkey) - 1)
        elif isinstance(k, _ARRAYS):
            tkey.append(_index_array(k, n, ax, data.device))
        else:
            raise ValueError(f"NDArray does not support slicing with key {k} of type "
                             f"{type(k)}.")
        ax += 1
    return tuple(tkey), _out_axes(tkey, flips), advanced


def _out_axes(tkey, positions):
    """Where the entries of tkey at `positions` (slices) end up in the indexed result."""
    if not positions:
        return []
    adv = [i for i, k in enumerate(tkey) if isinstance(k, torch.Tensor)]
    if not adv:                        # basic: every slice and None gives one axis
        return [sum(1 for k in tkey[:p] if not isinstance(k, int)) for p in positions]
    nb = len(torch.broadcast_shapes(*(tkey[i].shape for i in adv)))
    adjacent = adv == list(range(adv[0], adv[-1] + 1))
    out = []
    for p in positions:
        before = sum(1 for k in tkey[:p] if not isinstance(k, torch.Tensor))
        out.append(before + nb if (not adjacent or p > adv[0]) else before)
    return out


@op
def _getitem(data, key):
    """`data[key]` with MXNet's key rules (see the module docstring)."""
    tkey, flips, advanced = _plan(data, key)
    out = data[tkey]
    if flips:
        out = out.flip(flips)
    elif not advanced and not out.is_contiguous():
        # MXNet returns a view only for a contiguous region; otherwise a copy
        out = out.clone(memory_format=torch.contiguous_format)
    return out.reshape(1) if out.dim() == 0 else out


def _sliced(t, key):
    """`t[key]` for plain slices (step None) narrowing at most one axis of a contiguous
    array (x[1:3], x[:, 1:]), with the rules above; None for the general path."""
    if type(key) is slice:
        key = (key,)
    elif type(key) is not tuple:
        return None
    shape = t.shape
    if len(key) > len(shape) or not t.is_contiguous():
        return None
    narrow, lead, ax = None, 1, 0              # lead: the size of the axes before `narrow`
    for k in key:
        if type(k) is not slice or k.step is not None:
            return None
        n = shape[ax]
        if k.start is None and k.stop is None:
            if narrow is None:
                lead *= n
        else:
            start, stop, _ = k.indices(n)
            length = stop - start
            if length != n:                    # this slice narrows the axis
                if narrow is not None:
                    return None
                narrow = ax, start, (length if length > 0 else 0)
            elif narrow is None:
                lead *= n
        ax += 1
    if narrow is None:
        return None
    ax, start, length = narrow
    # contiguous, so a view, unless axes before `ax` hold several rows; empty: a view
    if lead == 1 or length == 0 or t.numel() == 0:
        return t.narrow(ax, start, length)
    return t.narrow_copy(ax, start, length)


def __getitem__(self, key):
    """x[key]: basic indexing is a view where the region is contiguous, else a copy."""
    # x[i] and x[a:b] are the hottest ops in user loops: the simple keys skip the @op
    # wrapper (its tuple unboxing alone costs more than torch's slicing) and box here.
    if type(key) is int:
        try:
            res = self._t[key]
        except IndexError:                     # the general path raises MXNet's message
            res = None
        else:
            if res.dim() == 0:
                res = res.reshape(1)
    else:
        res = _sliced(self._t, key)
    if res is not None:
        return _box_result(res, self._ctx)
    _in_step()
    if (type(key) is tuple and not key) or (type(key) is slice and key == slice(None)):
        return self
    try:
        return _getitem(self, key)
    except _OutOfRange as e:
        raise IndexError(str(e)) from None


# ---- assignment ----------------------------------------------------------------------------
def _value(value, like):
    """The assigned value as a tensor (or Python scalar) for target tensor `like`."""
    if isinstance(value, NDArray):
        if value.stype != 'default':        # x[...] = csr: its values, densified (sparse.py)
            value = value.todense()
        return value.to_torch().to(like.device, like.dtype)
    if isinstance(value, (bool, np.bool_)):
        return int(value)
    if isinstance(value, (int, float, np.generic)):
        return value.item() if isinstance(value, np.generic) else value
    try:
        return torch.as_tensor(np.asarray(value)).to(like.device, like.dtype)
    except (TypeError, ValueError, RuntimeError):
        raise TypeError(f"NDArray does not support assignment with non-array-like object "
                        f"{value!r} of type {type(value)}") from None


def _flipped(v, region, flips):
    """`v` broadcast to the region's shape and reversed along the negative-step axes."""
    while v.dim() > len(region) and v.shape[0] == 1:
        v = v[0]                       # MXNet drops leading size-1 axes of the value
    return v.expand(region).flip(flips)


def __setitem__(self, key, value):
    """x[key] = value: writes in place (x keeps its identity and its views see it)."""
    t = self.to_torch()
    if t.numel() == 0:
        return
    if t.dim() == 0 and type(key) is slice and key == slice(None):
        key = ()                       # MXNet: x[:] = v on a 0-d array (np shape) writes it
    if isinstance(key, NDArray):
        key = key.to_torch()
    elif isinstance(key, tuple):
        key = tuple(k.to_torch() if isinstance(k, NDArray) else k for k in key)
    try:
        tkey, flips, _ = _plan(t, key, read=False)
    except _OutOfRange as e:
        raise IndexError(str(e)) from None
    v = _value(value, t)
    try:
        if isinstance(v, torch.Tensor):
            if flips:
                v = _flipped(v, t[tkey].shape, flips)
            if v.untyped_storage().data_ptr() == t.untyped_storage().data_ptr():
                v = v.clone()          # x[1:] = x[:-1]: read everything before writing
        if _ag.is_recording() and (t.requires_grad or getattr(v, 'requires_grad', False)):
            new = t.clone()            # a recorded write: keep the graph, rebind x
            new[tkey] = v
            self._assign(new)
            return
        with torch.no_grad():
            t[tkey] = v
    except RuntimeError:
        with torch.no_grad():
            region = tuple(t[tkey].shape)
        raise ValueError(f"operands could not be broadcast together with remapped "
                         f"shapes[original->remapped]: {tuple(v.shape)} and requested "
                         f"shape {region}") from None


if _fastop is None:
    NDArray.__getitem__ = __getitem__
else:   # the int and plain-slice keys of the function above in C (_fastop.c), the rest here
    NDArray.__getitem__ = _fastop.getitem(__getitem__, _box_result, _wrap_result, NDArray,
                                          torch.Tensor)
    NDArray.__getitem__.__name__ = NDArray.__getitem__.__qualname__ = '__getitem__'
    NDArray.__getitem__.__doc__ = __getitem__.__doc__
    NDArray.__getitem__.__wrapped__ = __getitem__
NDArray.__setitem__ = __setitem__
