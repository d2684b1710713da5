"""NumPy's dispatch protocols on `mx.np` arrays (mx.numpy_dispatch_protocol): official NumPy
functions and ufuncs called on mx.np arrays. Each case runs under either library in np
mode and returns {key: (array, kind)}; tools/golden_cases.py numpy_dispatch stores MXNet
1.9.1's, tests/test_numpy_dispatch.py compares regluon's with them (tests/golden/
case_tools.py)."""
import numpy as onp

NP_MODE = True


def _val(v):
    """A result as an array plus its kind: 'ndarray' for mx.np arrays, else its type name
    (lists and tuples element by element)."""
    if hasattr(v, 'asnumpy'):
        return onp.asarray(v.asnumpy()), 'ndarray'
    kind = 'bool_' if isinstance(v, onp.bool_) else type(v).__name__
    return onp.asarray(v), kind


def _many(out, prefix, v):
    if isinstance(v, (list, tuple)):
        out[f'{prefix}/type'] = (onp.array(type(v).__name__), 'container')
        for i, x in enumerate(v):
            out[f'{prefix}/{i}'] = _val(x)
    else:
        out[prefix] = _val(v)


def _data(mx):
    np = mx.np
    return (np.array([[1., -2., 3.], [4., 5., -6.]]), np.array([0.5, 1.5, -2.5]),
            np.array([3, 1, 2], dtype='int32'))


def functions(mx):
    """__array_function__: listed functions run mx.np's and give mx.np arrays."""
    a, b, i = _data(mx)
    calls = {
        'concatenate': lambda: onp.concatenate([a, a], axis=1),
        'stack': lambda: onp.stack([b, b]),
        'sum': lambda: onp.sum(a, axis=0),
        'mean': lambda: onp.mean(a),
        'max': lambda: onp.max(a, axis=1),
        'argmax': lambda: onp.argmax(a, axis=1),
        'reshape': lambda: onp.reshape(a, (3, 2)),
        'transpose': lambda: onp.transpose(a),
        'clip': lambda: onp.clip(b, -1, 1),
        'where': lambda: onp.where(b > 0, b, b * 0),
        'dot': lambda: onp.dot(a, b),
        'split': lambda: onp.split(a, 3, axis=1),
        'tile': lambda: onp.tile(b, 2),
        'sort': lambda: onp.sort(i),
        'cumsum': lambda: onp.cumsum(b),
        'norm': lambda: onp.linalg.norm(a),
        'inv': lambda: onp.linalg.inv(a[:, :2]),
        'shape': lambda: onp.shape(a),
        'zeros_like': lambda: onp.zeros_like(i),
        'einsum': lambda: onp.einsum('ij,j->i', a, b),
        'isnan': lambda: onp.isnan(b),
        'unique': lambda: onp.unique(i),
    }
    out = {}
    for k, f in calls.items():
        _many(out, k, f())
    return out


def ufuncs(mx):
    """__array_ufunc__: listed ufuncs run mx.np's. (A NumPy array operand, a TypeError in
    MXNet's mx.np.add, is taken here.)"""
    a, b, i = _data(mx)
    calls = {
        'add': lambda: onp.add(b, b),
        'multiply_scalar': lambda: onp.multiply(b, 2),
        'exp': lambda: onp.exp(b),
        'sqrt': lambda: onp.sqrt(onp.abs(b)),
        'maximum': lambda: onp.maximum(b, 0),
        'greater': lambda: onp.greater(b, 0),
        'matmul': lambda: onp.matmul(a, b),
        'bitwise_and': lambda: onp.bitwise_and(i, 1),
        'rmul_scalar': lambda: onp.float32(2) * b,
        'out': lambda: onp.add(b, 1, out=b),
    }
    out = {}
    for k, f in calls.items():
        _many(out, k, f())
    return out


def fallbacks(mx):
    """Functions outside the lists run in NumPy; arrays come back as mx.np arrays, scalars
    as they are."""
    a, b, i = _data(mx)
    out = {}
    _many(out, 'median', onp.median(b))
    _many(out, 'allclose', onp.allclose(b, b))
    _many(out, 'isclose', onp.isclose(b, b))
    _many(out, 'ptp', onp.ptp(a, axis=0))
    _many(out, 'histogram', onp.histogram(i, bins=3))
    _many(out, 'heaviside', onp.heaviside(b, 0.5))
    return out


def refusals(mx):
    """What mx.np refuses through the protocol as MXNet does."""
    np = mx.np
    out = {}
    for k, f in {'vsplit_1d': lambda: onp.vsplit(np.array([1, 2, 3, 4]), 2),
                 'dsplit_0d': lambda: onp.dsplit(np.array(1), 2),
                 'dsplit_2d': lambda: onp.dsplit(np.ones((2, 4)), 2),
                 # a listed function with a NumPy array among its arrays: NumPy's TypeError
                 'where_mixed': lambda: onp.where(np.ones(2) > 0, np.ones(2), onp.zeros(2))
                 }.items():
        try:
            f()
            out[k] = (onp.array('none'), 'error')
        except Exception as e:  # noqa: BLE001
            out[k] = (onp.array(type(e).__name__), 'error')
    return out


CASES = {'functions': functions, 'ufuncs': ufuncs, 'fallbacks': fallbacks,
         'refusals': refusals}
