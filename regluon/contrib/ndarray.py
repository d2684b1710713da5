"""`mx.contrib.nd`: MXNet's contrib operators (`nd._contrib_<name>`) by their short names."""
from .. import ndarray as _nd
from ._names import by_short_name

__getattr__, __dir__ = by_short_name(_nd, 'mx.contrib.ndarray')
