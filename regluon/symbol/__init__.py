"""`mx.sym` / `mx.symbol`: symbolic graphs over the same operators as `mx.nd`.

Every registered operator is available as `sym.<name>`, building a graph node instead of
computing; `hybrid_forward(F, ...)` receives this module as F when a block is hybridized.
"""
from ..ndarray.register import OPS as _OPS
from .symbol import (Symbol, Variable, var, Group, load, load_json, fromjson,  # noqa: F401
                     NotImplementedForSymbol, make_op as _make_op)

for _n in list(_OPS):
    globals().setdefault(_n, _make_op(_n))

from ..ndarray import namespace as _namespace  # noqa: E402
import sys as _sys  # noqa: E402
image = _namespace(_sys.modules[__name__], ('_image_',), _make_op)
linalg = _namespace(_sys.modules[__name__], ('linalg_', '_linalg_'), _make_op)
contrib = _namespace(_sys.modules[__name__], ('_contrib_',), _make_op)
