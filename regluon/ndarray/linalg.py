"""`nd.linalg`: the `linalg_<name>` (and `_linalg_<name>`) operators under their short
names, as in MXNet."""
from .register import OPS

__all__ = []
for _name, _entry in OPS.items():
    for _prefix in ('linalg_', '_linalg_'):
        if _name.startswith(_prefix):
            globals()[_name[len(_prefix):]] = _entry.func
            __all__.append(_name[len(_prefix):])
