"""`sym.image`: MXNet's `_image_*` operators under their short names, as graph nodes."""
from ..ndarray.register import OPS
from .symbol import make_op

__all__ = []
for _name in OPS:
    if _name.startswith('_image_'):
        globals()[_name[len('_image_'):]] = make_op(_name)
        __all__.append(_name[len('_image_'):])
