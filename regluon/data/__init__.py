"""Data files bundled with regluon (see README.md here for their sources and licences)."""
import os

__all__ = ['path']

_HERE = os.path.dirname(os.path.abspath(__file__))


def path(name):
    """The absolute path of the bundled file `name` (e.g. 'mnist/train-images-idx3-ubyte.gz')."""
    return os.path.join(_HERE, *name.split('/'))
