"""NumPy mode (`npx.set_np()`): the switch Gluon reads, and what Gluon does under it.

MXNet's `set_np()` makes Gluon speak np arrays: Parameters are made as np arrays, blocks
return np arrays, DataLoader batches are np arrays. regluon's layers are MXNet's nd code,
so in np mode a block call (`Block.__call__` asks `active` and calls `block_call`):
- gives regluon's own blocks their inputs as legacy NDArrays (same tensors, no copy), so
  their code keeps nd semantics inside (nd reshape codes, nd operators);
- gives user-written blocks np arrays, so their `forward` has NumPy semantics;
- returns np arrays.
Traced (hybridize, export), the same holds for Symbols: regluon's blocks get legacy
Symbols, user-written blocks np-mode `_Symbol`s (regluon/symbol/numpy.py: `F.np`, `F.npx`),
and every block returns `_Symbol`s, so the Python arithmetic of a regluon block on its
children's outputs builds np operators, as MXNet's np-mode layers do (ResNet's residual
`x + residual` is `_npi_add`).
A hybridized block whose code uses an np function with no symbolic form here runs eagerly,
with a warning naming the function.
The switch is process-wide (MXNet's is per thread).
"""
import threading
import warnings
import weakref

from ..ndarray.ndarray import NDArray, _box
from .multiarray import ndarray, _to_np
from ..symbol.numpy import _Symbol, NoNpSymbol
from ..symbol.symbol import Symbol

active = False


def is_ours(block):
    return type(block).__module__.startswith('regluon.')


def _as_nd(a):
    if type(a) is ndarray:
        return _box(a._t, a._ctx)
    if type(a) in (list, tuple):
        return type(a)(_as_nd(x) for x in a)
    if type(a) is _Symbol:
        return a.as_nd_ndarray()
    return a


def _as_np(a):
    if type(a) is NDArray:
        return a.as_np_ndarray()
    if type(a) in (list, tuple):
        return type(a)(_as_np(x) for x in a)
    if type(a) is Symbol:
        return a.as_np_ndarray()
    return a


def _out_np(out):
    """A block's result for np-mode code: NDArrays made np arrays in place, Symbols as
    `_Symbol`s."""
    if type(out) is Symbol:
        return out.as_np_ndarray()
    if type(out) in (list, tuple) and any(type(o) is Symbol for o in out):
        return type(out)(_out_np(o) for o in out)
    return _to_np(out)


def block_call(block, args, run):
    """`Block.__call__` in np mode; `run(block, *args)` is the usual call (hooks, forward).

    A regluon block called by another regluon block returns NDArrays (its caller is nd
    code); one called by user code returns np arrays, and so does a user block."""
    ours = is_ours(block)
    args = _as_nd(args) if ours else _as_np(args)
    outer, _local.in_ours = _local.in_ours, ours
    try:
        if block in _EAGER:
            from ..gluon import cached
            with cached.eager():
                out = run(block, *args)
        else:
            try:
                out = run(block, *args)
            except NoNpSymbol as e:
                if not (getattr(block, '_active', False) and isinstance(args[0], NDArray)):
                    raise
                warnings.warn(f"{block.name}: runs eagerly, not as a graph: {e}",
                              stacklevel=3)
                _EAGER.add(block)
                block._graph_cache = None
                from ..gluon import cached
                with cached.eager():
                    out = run(block, *args)
    finally:
        _local.in_ours = outer
    if ours and outer:      # nd code calling nd code: NDArrays stay; a graph's Symbols
        return _out_np(out) if _symbolic(out) else out      # leave np-mode, as in MXNet
    return _out_np(out)


def _symbolic(out):
    return type(out) is Symbol or (
        type(out) in (list, tuple) and any(type(o) is Symbol for o in out))


_EAGER = weakref.WeakSet()     # hybridized blocks whose np code has no graph here


class _Local(threading.local):
    in_ours = False     # inside a regluon block's forward (its children answer in nd)


_local = _Local()


def np_tracing(F):
    """Whether a Gluon layer's `hybrid_forward` got `F` to trace a graph in np mode, where
    MXNet's layers build np-mode nodes (npx.batch_flatten, np.copy, npx.sigmoid)."""
    return active and F.__name__ == 'regluon.symbol'


def node_hint(F, np_name, legacy=None):
    """The naming keyword of a Gluon layer's operator: `_hint=np_name` when tracing in np
    mode (Flatten's node is flatten0_batch_flatten0 there, not flatten0_flatten0), else
    `name=legacy` where MXNet's legacy code names it ('fwd'), else nothing."""
    if np_tracing(F):
        return {'_hint': np_name}
    return {} if legacy is None else {'name': legacy}


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
