"""`mx.np` (also `mx.numpy`): NumPy-semantics arrays and functions, as in MXNet 1.6+.

    from mxnet import np, npx
    npx.set_np()
    x = np.arange(12).reshape(3, 4)       # float32, as MXNet's default
    x.sum()                               # a 0-d array; float(x.sum()) == 66.0

`np.ndarray` subclasses `mx.nd.NDArray` (multiarray.py says why), so Gluon, autograd and
every `mx.nd` operator take np arrays. See docs/numpy.md for what is here and what is not.
"""
import numpy as _onp

from .multiarray import (ndarray, array, add, subtract, multiply, true_divide, divide, mod,
                         remainder, power, maximum, minimum, equal, not_equal, greater,
                         greater_equal, less, less_equal)
from ._math import *  # noqa: F401,F403
from ._shape import *  # noqa: F401,F403
from ._extra import *  # noqa: F401,F403
from .fallback import *  # noqa: F401,F403
from . import fallback
from . import fallback_linalg
from . import _methods  # noqa: F401  (np.ndarray's remaining methods)
from . import random
from . import linalg

# NumPy's constants and scalar types (MXNet re-exports NumPy's own)
pi, e, inf, nan, newaxis, euler_gamma = (_onp.pi, _onp.e, _onp.inf, _onp.nan, None,
                                         _onp.euler_gamma)
PZERO, NZERO, PINF, NINF, NAN, NaN = 0.0, -0.0, _onp.inf, -_onp.inf, _onp.nan, _onp.nan
row_stack, round_, product, sometrue = vstack, round, prod, any
(float16, float32, float64, int8, int16, int32, int64, uint8, bool_, dtype, integer,
 floating, generic, finfo, iinfo) = (
    _onp.float16, _onp.float32, _onp.float64, _onp.int8, _onp.int16, _onp.int32, _onp.int64,
    _onp.uint8, _onp.bool_, _onp.dtype, _onp.integer, _onp.floating, _onp.generic,
    _onp.finfo, _onp.iinfo)
bool = _onp.bool_  # pylint: disable=redefined-builtin

from . import _mode  # noqa: E402,F401  (np mode state; Gluon asks it)


def _guard_all():
    """Every public function here raises MXNetError, never a raw torch error (`take` keeps
    its IndexError for an index out of range, as NumPy's)."""
    from .multiarray import guard
    from . import _math, _shape, _extra
    g = globals()
    for mod, prefix in ((_math, ''), (_shape, ''), (_extra, ''), (linalg, 'linalg.'),
                        (random, 'random.')):
        names = mod.__all__ if hasattr(mod, '__all__') else []
        target = g if not prefix else vars(mod)
        for n in names:
            f = target.get(n)
            if callable(f) and not isinstance(f, type) and n != 'take' and \
                    getattr(f, '__module__', '').startswith('regluon.numpy'):
                target[n] = guard(f, prefix + n)


_guard_all()
