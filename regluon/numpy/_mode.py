"""NumPy mode (`npx.set_np()`): the switch Gluon reads, and what Gluon does under it.

MXNet's `set_np()` makes Gluon speak np arrays: Parameters are made as np arrays, blocks
return np arrays, DataLoader batches are np arrays. regluon's layers are MXNet's nd code,
so in np mode a block call (`Block.__call__` asks `active` and calls `block_call`):
- gives regluon's own blocks their inputs as legacy NDArrays (same tensors, no copy), so
  their code keeps nd semantics inside (nd reshape codes, nd operators);
- gives user-written blocks np arrays, so their `forward` has NumPy semantics;
- returns np arrays. A hybridized block with user-written HybridBlocks inside runs eagerly
  in np mode (their `F.np`/`F.npx` code has no Symbol twin here).
The switch is process-wide (MXNet's is per thread).
"""
import threading
import weakref

from ..ndarray.ndarray import NDArray, _box
from .multiarray import ndarray, _to_np

active = False
_USER = weakref.WeakKeyDictionary()


def _is_ours(block):
    return type(block).__module__.startswith('regluon.')


def _as_nd(a):
    if type(a) is ndarray:
        return _box(a._t, a._ctx)
    if type(a) in (list, tuple):
        return type(a)(_as_nd(x) for x in a)
    return a


def _as_np(a):
    if type(a) is NDArray:
        return a.as_np_ndarray()
    if type(a) in (list, tuple):
        return type(a)(_as_np(x) for x in a)
    return a


def _has_user(block):
    """Whether `block` or a block under it is user-written (cached per block)."""
    try:
        return _USER[block]
    except KeyError:
        pass
    res = not _is_ours(block) or any(_has_user(c) for c in block._children.values())
    _USER[block] = res
    return res


def block_call(block, args, run):
    """`Block.__call__` in np mode; `run(block, *args)` is the usual call (hooks, forward).

    A regluon block called by another regluon block returns NDArrays (its caller is nd
    code); one called by user code returns np arrays, and so does a user block."""
    ours = _is_ours(block)
    args = _as_nd(args) if ours else _as_np(args)
    outer, _local.in_ours = _local.in_ours, ours
    try:
        if getattr(block, '_active', False) and _has_user(block):
            from ..gluon import cached
            with cached.eager():
                out = run(block, *args)
        else:
            out = run(block, *args)
    finally:
        _local.in_ours = outer
    return out if ours and outer else _to_np(out)


class _Local(threading.local):
    in_ours = False     # inside a regluon block's forward (its children answer in nd)


_local = _Local()


def to_np(*groups):
    """Make the NDArrays in these lists np arrays, in place (Parameters' data and grads)."""
    for g in groups:
        if g is not None:
            _to_np(g)


def sample(data, label):
    """A vision dataset's sample as np arrays (the label a 0-d array of its dtype)."""
    from .multiarray import array
    return _as_np(data), array(label)


def batch(b):
    """A DataLoader batch with its NDArrays as np arrays."""
    return _to_np(b)
