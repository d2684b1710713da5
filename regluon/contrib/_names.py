"""`mx.contrib.nd` and `mx.contrib.sym`: MXNet's contrib operators by their short names,
the very functions of `nd.contrib` / `sym.contrib` (the operators `_contrib_<name>`, and
foreach/while_loop/cond), so both paths name graph nodes alike."""


def by_short_name(namespace, label):
    """(__getattr__, __dir__) for a module that shows the functions of `namespace`."""
    def names():
        return sorted(namespace.__all__)

    def getattr_(name):
        try:
            return getattr(namespace, name)
        except AttributeError:
            raise AttributeError(f"{label} has no operator {name!r} (regluon has "
                                 f"{names()})") from None
    return getattr_, names
