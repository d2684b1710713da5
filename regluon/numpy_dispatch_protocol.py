"""NumPy's dispatch protocols for `mx.np.ndarray` (MXNet's `mxnet.numpy_dispatch_protocol`).

Official NumPy functions and ufuncs called on `mx.np` arrays run the `mx.np` function of the
same name and return `mx.np` arrays: `numpy.concatenate([a, b])`, `numpy.add(a, b)`,
`numpy.linalg.norm(a)`. The lists below are MXNet 1.9.1's (names this NumPy lacks are left
out). A function outside them runs in NumPy on copies and its result comes back as an
`mx.np` array on the inputs' context; outside `autograd.record()` only, as in MXNet.
"""
import functools

import numpy as _np

from . import numpy as mx_np
from .numpy.multiarray import _NUMPY_ARRAY_FUNCTION_DICT, _NUMPY_ARRAY_UFUNC_DICT

# NumPy functions (NEP 18, __array_function__) that dispatch to mx.np, as MXNet 1.9.1 lists
_NUMPY_ARRAY_FUNCTION_LIST = [
    'all', 'any', 'sometrue', 'argmin', 'argmax', 'around', 'round', 'round_', 'argsort',
    'sort', 'append', 'broadcast_arrays', 'broadcast_to', 'clip', 'concatenate', 'copy',
    'cumsum', 'diag', 'diagonal', 'diagflat', 'dot', 'expand_dims', 'fix', 'flip', 'flipud',
    'fliplr', 'inner', 'insert', 'max', 'amax', 'mean', 'min', 'amin', 'nonzero',
    'ones_like', 'atleast_1d', 'atleast_2d', 'atleast_3d', 'prod', 'product', 'ravel',
    'repeat', 'reshape', 'roll', 'split', 'array_split', 'hsplit', 'vsplit', 'dsplit',
    'squeeze', 'stack', 'std', 'sum', 'swapaxes', 'take', 'tensordot', 'tile', 'transpose',
    'unique', 'unravel_index', 'diag_indices_from', 'delete', 'var', 'vdot', 'vstack',
    'column_stack', 'hstack', 'dstack', 'zeros_like', 'linalg.norm', 'linalg.cholesky',
    'linalg.inv', 'linalg.solve', 'linalg.tensorinv', 'linalg.tensorsolve', 'linalg.pinv',
    'linalg.eigvals', 'linalg.eig', 'linalg.eigvalsh', 'linalg.eigh', 'shape', 'trace',
    'tril', 'meshgrid', 'outer', 'einsum', 'polyval', 'shares_memory', 'may_share_memory',
    'quantile', 'percentile', 'diff', 'ediff1d', 'resize', 'where', 'full_like', 'bincount',
    'empty_like', 'nan_to_num', 'isnan', 'isfinite', 'isposinf', 'isneginf', 'isinf', 'pad',
]

# NumPy ufuncs (__array_ufunc__) that dispatch to mx.np, as MXNet 1.9.1 lists
_NUMPY_ARRAY_UFUNC_LIST = [
    'abs', 'fabs', 'add', 'arctan2', 'copysign', 'degrees', 'hypot', 'lcm', 'subtract',
    'multiply', 'true_divide', 'negative', 'power', 'mod', 'matmul', 'absolute', 'rint',
    'sign', 'exp', 'log', 'log2', 'log10', 'expm1', 'sqrt', 'square', 'cbrt', 'reciprocal',
    'invert', 'bitwise_not', 'remainder', 'sin', 'cos', 'tan', 'sinh', 'cosh', 'tanh',
    'arcsin', 'arccos', 'arctan', 'arcsinh', 'arccosh', 'arctanh', 'maximum', 'minimum',
    'ceil', 'trunc', 'floor', 'bitwise_and', 'bitwise_xor', 'bitwise_or', 'logical_not',
    'equal', 'not_equal', 'less', 'less_equal', 'greater', 'greater_equal',
]


def _find_duplicate(strs):
    """The first name that occurs twice in `strs`, or None."""
    seen = set()
    for s in strs:
        if s in seen:
            return s
        seen.add(s)
    return None


def _implements(numpy_function):
    """Register the decorated function as `numpy_function`'s __array_function__ target."""
    def decorator(func):
        _NUMPY_ARRAY_FUNCTION_DICT[numpy_function] = func
        return func
    return decorator


def _protocol_runner(kind):
    def wrap(func):
        @functools.wraps(func)
        def run(*args, **kwargs):
            try:
                func(*args, **kwargs)
            except Exception as e:  # pylint: disable=broad-except
                raise RuntimeError(f'Running function {func.__name__} with NumPy array {kind} '
                                   f'protocol failed with exception {e}') from e
        return run
    return wrap


with_array_function_protocol = _protocol_runner('function')
with_array_function_protocol.__doc__ = (
    "Run the decorated function, a RuntimeError naming it if it fails (MXNet's decorator "
    "for tests that need __array_function__, which every NumPy regluon supports has).")
with_array_ufunc_protocol = _protocol_runner('ufunc')
with_array_ufunc_protocol.__doc__ = (
    "Run the decorated function, a RuntimeError naming it if it fails (MXNet's decorator "
    "for tests that need __array_ufunc__).")


def _lookup(module, dotted):
    """module.<dotted name>, or None where it is missing."""
    obj = module
    for part in dotted.split('.'):
        obj = getattr(obj, part, None)
        if obj is None:
            return None
    return obj


def _register_array_function():
    """Map each listed NumPy function to the mx.np function of the same name."""
    dup = _find_duplicate(_NUMPY_ARRAY_FUNCTION_LIST)
    if dup is not None:
        raise ValueError(f'Duplicate operator name {dup} in _NUMPY_ARRAY_FUNCTION_LIST')
    for name in _NUMPY_ARRAY_FUNCTION_LIST:
        onp_op, mx_op = _lookup(_np, name), _lookup(mx_np, name)
        if onp_op is not None and mx_op is not None:     # (NumPy 2 dropped a few names)
            _implements(onp_op)(mx_op)


def _register_array_ufunc():
    """Map each listed NumPy ufunc name to the mx.np function of the same name."""
    dup = _find_duplicate(_NUMPY_ARRAY_UFUNC_LIST)
    if dup is not None:
        raise ValueError(f'Duplicate operator name {dup} in _NUMPY_ARRAY_UFUNC_LIST')
    for name in _NUMPY_ARRAY_UFUNC_LIST:
        mx_op = getattr(mx_np, name, None)
        if mx_op is not None:
            _NUMPY_ARRAY_UFUNC_DICT[name] = mx_op


_register_array_function()
_register_array_ufunc()
