"""MXNet's `mx.np` fallbacks: functions MXNet 1.9.1 computes with official NumPy on the host
(`mxnet/numpy/fallback.py`); regluon does the same for the ones it has no torch version of.

The arguments' arrays are copied to NumPy, NumPy computes, and array results come back as
`mx.np` arrays of NumPy's dtype (so `np.cov` of float32 data is float64, as in MXNet).
Results are not recorded by autograd (MXNet's are not either).
"""
import numpy as onp

from ..ndarray.ndarray import NDArray
from .multiarray import array

NAMES = [
    'alltrue', 'apply_along_axis', 'apply_over_axes', 'argpartition', 'array_equiv', 'choose',
    'compress', 'corrcoef', 'correlate', 'cov', 'digitize', 'divmod', 'extract', 'frexp',
    'heaviside', 'histogram2d', 'histogram_bin_edges', 'histogramdd', 'i0', 'in1d', 'interp',
    'intersect1d', 'isin', 'ix_', 'lexsort', 'min_scalar_type', 'modf', 'msort', 'nanargmax',
    'nanargmin', 'nancumprod', 'nancumsum', 'nanmax', 'nanmedian', 'nanmin', 'nanpercentile',
    'nanprod', 'nanquantile', 'partition', 'piecewise', 'packbits', 'poly', 'polyadd',
    'polydiv', 'polyfit', 'polyint', 'polymul', 'polysub', 'promote_types', 'ptp', 'real',
    'result_type', 'rollaxis', 'roots', 'select', 'setdiff1d', 'setxor1d', 'signbit',
    'spacing', 'take_along_axis', 'trapz', 'tril_indices_from', 'trim_zeros',
    'triu_indices_from', 'union1d', 'unpackbits', 'unwrap', 'vander']

# NumPy 2 renamed or dropped a few that MXNet 1.9.1 (NumPy 1.x) calls
_RENAMED = {'alltrue': 'all', 'msort': 'sort', 'trapz': 'trapezoid', 'in1d': 'isin'}

__all__ = list(NAMES)


def _to_host(v):
    if isinstance(v, NDArray):
        return v.asnumpy()
    if type(v) in (list, tuple):
        return type(v)(_to_host(x) for x in v)
    if isinstance(v, dict):
        return {k: _to_host(x) for k, x in v.items()}
    return v


def _to_device(v, ctx):
    if isinstance(v, onp.ndarray):
        return array(v, ctx=ctx)
    if type(v) in (list, tuple):
        return type(v)(_to_device(x, ctx) for x in v)
    return v


def _fallback(name):
    target = _RENAMED.get(name, name) if not hasattr(onp, name) else name

    def f(*args, **kwargs):
        ctx = next((a.context for a in args if isinstance(a, NDArray)), None)
        fn = getattr(onp, target)
        return _to_device(fn(*_to_host(args), **_to_host(kwargs)), ctx)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"numpy.{target} computed on the host (an MXNet fallback function)."
    return f


for _name in NAMES:
    globals()[_name] = _fallback(_name)
