"""`mx.nd`: NDArray, its creation functions and every registered operator."""
import importlib
import pkgutil

from .ndarray import NDArray
from .creation import *  # noqa: F401,F403
from .register import OPS, op
from . import ops as _ops

for _m in pkgutil.iter_modules(_ops.__path__):
    importlib.import_module(f'{_ops.__name__}.{_m.name}')

for _name, _entry in OPS.items():
    globals()[_name] = _entry.func
from .ops.binary import UFUNCS as _UFUNCS  # noqa: E402
globals().update(_UFUNCS)

from . import random  # noqa: E402,F401
from .utils import save, load, load_frombuffer  # noqa: E402,F401
