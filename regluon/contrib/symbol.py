"""`mx.contrib.sym`: MXNet's contrib operators (`sym._contrib_<name>`) by their short names."""
from ..symbol import contrib as _namespace
from ._names import by_short_name

__getattr__, __dir__ = by_short_name(_namespace, 'mx.contrib.symbol')
