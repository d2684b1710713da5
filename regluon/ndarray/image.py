"""`nd.image`: the image operators (registered as `_image_<name>`, as in MXNet)."""
from .register import OPS

__all__ = []
for _name, _entry in OPS.items():
    if _name.startswith('_image_'):
        globals()[_name[len('_image_'):]] = _entry.func
        __all__.append(_name[len('_image_'):])
