"""`mx.contrib.sym`: MXNet's contrib operators (`sym._contrib_<name>`) by their short names."""
from .. import symbol as _sym


def __getattr__(name):
    try:
        return getattr(_sym, '_contrib_' + name)
    except AttributeError:
        raise AttributeError(f"mx.contrib.symbol has no operator {name!r} (regluon has "
                             f"{__dir__()})") from None


def __dir__():
    return sorted(n[len('_contrib_'):] for n in dir(_sym) if n.startswith('_contrib_'))
