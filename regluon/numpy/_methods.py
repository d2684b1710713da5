"""np.ndarray's methods beyond multiarray.py's: MXNet's np array refuses some legacy NDArray
methods, and the other NDArray operator methods give np arrays."""
from ..ndarray.register import OPS
from ._extra import take, copy, trace
from .multiarray import NDArray, _to_np, ndarray

# MXNet 1.9.1's np.ndarray refuses these legacy NDArray methods with an AttributeError
# (`x.exp()` is `np.exp(x)` there); hasattr() is False for them here too.
_REFUSED = (
    'abs', 'arccos', 'arccosh', 'arcsin', 'arcsinh', 'arctan', 'arctanh', 'argmax_channel',
    'asscalar', 'broadcast_axes', 'broadcast_like', 'cbrt', 'ceil', 'cos', 'cosh', 'degrees',
    'depth_to_space', 'diag', 'exp', 'expand_dims', 'expm1', 'fix', 'flip', 'floor', 'log', 'log10', 'log1p',
    'log2', 'log_softmax', 'nanprod', 'nansum', 'norm', 'one_hot', 'ones_like', 'pad', 'pick',
    'radians', 'rcbrt', 'reciprocal', 'relu', 'reshape_like', 'rint', 'rsqrt', 'shape_array',
    'sigmoid', 'sign', 'sin', 'sinh', 'size_array', 'slice', 'slice_axis', 'slice_like',
    'softmax', 'softmin', 'space_to_depth', 'split', 'split_v2', 'sqrt', 'square', 'tan',
    'tanh', 'tile', 'topk', 'tostype', 'trunc', 'zeros_like')


def _refused(name):
    def get(self):
        raise AttributeError(f"mxnet.numpy.ndarray object has no attribute {name}; use the "
                             f"function (np.{name}(x) or npx.{name}(x)) instead")
    return property(get)


def _nd_method(f, name):
    """A legacy NDArray operator method whose fresh results come back as np arrays."""
    def m(self, *args, **kwargs):
        res = f(self, *args, **kwargs)
        return res if 'out' in kwargs else _to_np(res)
    m.__name__ = m.__qualname__ = name
    m.__doc__ = getattr(f, '__doc__', None)
    return m


def _np_method(f):
    def m(self, *args, **kwargs):
        return f(self, *args, **kwargs)
    m.__name__ = m.__qualname__ = f.__name__
    m.__doc__ = f.__doc__
    return m


def _copy(self, order='C'):
    """A copy of the array, on the same context (C order only, as MXNet)."""
    if order != 'C':
        raise NotImplementedError(f"ndarray.copy only supports order='C', while received "
                                  f"{order}")
    return copy(self)


_copy.__name__ = _copy.__qualname__ = 'copy'
ndarray.copy = _copy
for _f in (take, trace):
    setattr(ndarray, _f.__name__, _np_method(_f))
for _name in _REFUSED:
    setattr(ndarray, _name, _refused(_name))
for _entry in list(OPS.values()):           # the rest (broadcast_axes, ...): np results
    if _entry.method:
        _m = _entry.method if isinstance(_entry.method, str) else _entry.name
        if _m not in ndarray.__dict__ and not _m.startswith('__'):
            setattr(ndarray, _m, _nd_method(getattr(NDArray, _m), _m))
