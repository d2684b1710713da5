"""`mx.contrib.nd`: MXNet's contrib operators (`nd._contrib_<name>`) by their short names."""
from .. import ndarray as _nd


def __getattr__(name):
    try:
        return getattr(_nd, '_contrib_' + name)
    except AttributeError:
        raise AttributeError(f"mx.contrib.ndarray has no operator {name!r} (regluon has "
                             f"{__dir__()})") from None


def __dir__():
    return sorted(n[len('_contrib_'):] for n in dir(_nd) if n.startswith('_contrib_'))
