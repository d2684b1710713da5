"""MXNet's contrib operators (`<lib>._contrib_<name>`) by their short names: the module
`__getattr__`/`__dir__` pair that `mx.contrib.nd` and `mx.contrib.sym` share."""


def by_short_name(lib, label):
    """(__getattr__, __dir__) for a module exposing `lib._contrib_<name>` as `<name>`."""
    def names():
        return sorted(n[len('_contrib_'):] for n in dir(lib) if n.startswith('_contrib_'))

    def getattr_(name):
        try:
            return getattr(lib, '_contrib_' + name)
        except AttributeError:
            raise AttributeError(f"{label} has no operator {name!r} (regluon has "
                                 f"{names()})") from None
    return getattr_, names
