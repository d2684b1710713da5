"""`mx.nd`: NDArray, its creation functions and every registered operator."""
import importlib
import pkgutil
import sys

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


def namespace(package, prefixes, make):
    """A submodule `<package>.<short>` holding the operators registered as `<prefix><short>`
    (MXNet's `nd.image.resize` is the operator `_image_resize`); `make(name)` builds each."""
    import sys
    import types
    mod = types.ModuleType(package.__name__ + '.' + prefixes[0].strip('_'))
    mod.__all__ = []
    for name in OPS:
        for prefix in prefixes:
            if name.startswith(prefix):
                setattr(mod, name[len(prefix):], make(name))
                mod.__all__.append(name[len(prefix):])
    sys.modules[mod.__name__] = mod
    return mod


def internal(package, make):
    """MXNet's `<package>._internal`: every operator whose name starts with '_', under its
    full name, but those of the prefixed namespaces (GluonNLP calls F._internal._plus)."""
    import types
    mod = types.ModuleType(package.__name__ + '._internal')
    mod.__all__ = [n for n in OPS if n.startswith('_') and not n.startswith(
        ('_contrib_', '_linalg_', '_sparse_', '_image_', '_np'))]
    for name in mod.__all__:
        setattr(mod, name, make(name))
    sys.modules[mod.__name__] = mod
    return mod


_internal = internal(sys.modules[__name__], lambda n: OPS[n].func)
# MXNet's operator namespaces: nd.image, nd.linalg, nd.contrib
image = namespace(sys.modules[__name__], ('_image_',), lambda n: OPS[n].func)
linalg = namespace(sys.modules[__name__], ('linalg_', '_linalg_'), lambda n: OPS[n].func)
contrib = namespace(sys.modules[__name__], ('_contrib_',), lambda n: OPS[n].func)
# contrib.foreach/while_loop/cond are Python functions, not operators (ops/control_flow.py)
from .ops.control_flow import NDARRAY_API as _CONTROL_FLOW  # noqa: E402
for _name, _f in _CONTROL_FLOW.items():
    setattr(contrib, _name, _f)
    contrib.__all__.append(_name)
    globals()['_contrib_' + _name] = _f

from . import random  # noqa: E402,F401
from .utils import save, load, load_frombuffer  # noqa: E402,F401
from . import sparse  # noqa: E402,F401
from .sparse import cast_storage  # noqa: E402,F401
from .legacy import imdecode, CachedOp  # noqa: E402,F401
op = importlib.import_module(f"{__name__}.op")  # mx.nd.op, MXNet's module (the decorator: register.op)
