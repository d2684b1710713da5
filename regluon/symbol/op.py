"""`mx.sym.op`: every operator's symbol function, as MXNet's generated module has them
(`mx.sym.op.relu is mx.sym.relu`)."""
import sys as _sys

from ..ndarray.register import OPS as _OPS

_sym = _sys.modules[__name__.rsplit('.', 1)[0]]
for _n in _OPS:
    if hasattr(_sym, _n):
        globals()[_n] = getattr(_sym, _n)
