"""`mx.sym` / `mx.symbol`: symbolic graphs over the same operators as `mx.nd`.

Every registered operator is available as `sym.<name>`, building a graph node instead of
computing; `hybrid_forward(F, ...)` receives this module as F when a block is hybridized.
"""
from ..ndarray.register import OPS as _OPS
from .symbol import (Symbol, Variable, var, Group, load, load_json, fromjson,  # noqa: F401
                     NotImplementedForSymbol, make_op as _make_op)

for _n in list(_OPS):
    globals().setdefault(_n, _make_op(_n))


def zeros(shape, dtype=None, **kwargs):
    """A `_zeros` node of `shape` (a 0 is a size inferred from the node's consumers)."""
    return _internal_zeros(shape=shape, dtype=dtype or 'float32', **kwargs)


def ones(shape, dtype=None, **kwargs):
    """A `_ones` node of `shape` (a 0 is a size inferred from the node's consumers)."""
    return _internal_ones(shape=shape, dtype=dtype or 'float32', **kwargs)


def full(shape, val, dtype=None, **kwargs):
    """A `_full` node of `shape` filled with `val`."""
    return _internal_full(shape=shape, dtype=dtype or 'float32', value=val, **kwargs)


_internal_zeros, _internal_ones, _internal_full = (_make_op(n) for n in ('_zeros', '_ones',
                                                                          '_full'))

from ..ndarray import namespace as _namespace  # noqa: E402
import sys as _sys  # noqa: E402
image = _namespace(_sys.modules[__name__], ('_image_',), _make_op)
linalg = _namespace(_sys.modules[__name__], ('linalg_', '_linalg_'), _make_op)
contrib = _namespace(_sys.modules[__name__], ('_contrib_',), _make_op)
# contrib.foreach/while_loop/cond trace Python functions into subgraphs (control_flow.py)
from ..ndarray.ops.control_flow import SYMBOL_API as _CONTROL_FLOW  # noqa: E402
for _n, _f in _CONTROL_FLOW.items():
    setattr(contrib, _n, _f)
    contrib.__all__.append(_n)
    globals()['_contrib_' + _n] = _f
