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
from ._math import (sum, mean, var, std, max, min, amax, amin, prod, any, all, argmax,  # noqa: F401
                    argmin, cumsum, sort, argsort, unique, dot, matmul, tensordot, einsum,
                    inner, outer, vdot, clip, where, nonzero, round, around, arctan2, hypot,
                    logical_and, logical_or, logical_xor, copysign, abs, absolute)
from ._shape import (zeros, ones, empty, full, zeros_like, ones_like, empty_like,  # noqa: F401
                     full_like, arange, linspace, eye, identity, reshape, transpose,
                     swapaxes, moveaxis, expand_dims, squeeze, ravel, broadcast_to,
                     concatenate, stack, vstack, hstack, dstack, column_stack, split,
                     array_split, tile, repeat, flip, size, shape, ndim)
from ._extra import *  # noqa: F401,F403
from .fallback import *  # noqa: F401,F403
from . import fallback
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
