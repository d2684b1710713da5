"""`mx.nd.op`: every operator's nd function, as MXNet's generated module has them
(`mx.nd.op.relu is mx.nd.relu`). The `@op` decorator that registers operators is
`regluon.ndarray.register.op`."""
import sys as _sys

from .register import OPS as _OPS

_nd = _sys.modules[__name__.rsplit('.', 1)[0]]
for _n in _OPS:
    if hasattr(_nd, _n):
        globals()[_n] = getattr(_nd, _n)
