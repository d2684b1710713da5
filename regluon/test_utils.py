"""`mx.test_utils`: the helpers users' test suites call (a subset of MXNet's)."""
import numpy as np

from .context import current_context
from .ndarray.ndarray import NDArray
from . import autograd
from . import ndarray as nd

__all__ = ['assert_almost_equal', 'same', 'default_context', 'set_default_context',
           'rand_ndarray', 'rand_shape_nd', 'rand_shape_2d', 'rand_shape_3d',
           'check_numeric_gradient', 'almost_equal']

_default = [None]


def default_context():
    return _default[0] or current_context()


def set_default_context(ctx):
    _default[0] = ctx


def _np(a):
    return a.asnumpy() if isinstance(a, NDArray) else np.asarray(a)


def same(a, b):
    """True if the two arrays are exactly equal (shape and values)."""
    return np.array_equal(_np(a), _np(b))


def almost_equal(a, b, rtol=None, atol=None, equal_nan=False):
    return np.allclose(_np(a), _np(b), rtol=rtol or 1e-5, atol=atol or 1e-20,
                       equal_nan=equal_nan)


def assert_almost_equal(a, b, rtol=None, atol=None, names=('a', 'b'), equal_nan=False,
                        mismatches=(10, 10)):
    """Raise AssertionError if `a` and `b` differ beyond `rtol`/`atol` (MXNet defaults)."""
    a, b = _np(a), _np(b)
    np.testing.assert_allclose(a, b, rtol=1e-5 if rtol is None else rtol,
                               atol=1e-20 if atol is None else atol, equal_nan=equal_nan,
                               err_msg=f"{names[0]} and {names[1]} differ")


def rand_shape_nd(num_dim, dim=10, allow_zero_size=False):
    low = 0 if allow_zero_size else 1
    return tuple(np.random.randint(low, dim + 1, size=num_dim).tolist())


def rand_shape_2d(dim0=10, dim1=10, allow_zero_size=False):
    return rand_shape_nd(2, max(dim0, dim1), allow_zero_size)


def rand_shape_3d(dim0=10, dim1=10, dim2=10, allow_zero_size=False):
    return rand_shape_nd(3, max(dim0, dim1, dim2), allow_zero_size)


def rand_ndarray(shape, stype='default', density=None, dtype=None, ctx=None, **kw):
    if stype != 'default':
        raise ValueError(f"rand_ndarray: sparse storage {stype!r} is not supported")
    return nd.array(np.random.uniform(-1, 1, size=shape), ctx=ctx or default_context(),
                    dtype=dtype)


def check_numeric_gradient(fn, location, numeric_eps=1e-3, rtol=1e-2, atol=None,
                           grad_nodes=None, ctx=None, dtype=np.float64):
    """Compare autograd gradients of `sum(fn(*location))` with central differences.

    `fn` takes NDArrays and returns an NDArray; `location` is a list of numpy arrays or
    NDArrays. (MXNet's version takes a Symbol; regluon checks a Python function.)
    """
    xs = [np.asarray(_np(x), dtype=dtype) for x in location]
    arrays = [nd.array(x, dtype=dtype) for x in xs]
    for a in arrays:
        a.attach_grad()
    with autograd.record():
        out = fn(*arrays)
    out.backward()
    for i, x in enumerate(xs):
        if grad_nodes is not None and i not in grad_nodes:
            continue
        num = np.zeros_like(x)
        flat = x.reshape(-1)
        for j in range(flat.size):
            old = flat[j]
            vals = []
            for d in (numeric_eps / 2, -numeric_eps / 2):
                flat[j] = old + d
                args = [nd.array(v, dtype=dtype) for v in xs]
                vals.append(float(fn(*args).asnumpy().astype(np.float64).sum()))
            flat[j] = old
            num.reshape(-1)[j] = (vals[0] - vals[1]) / numeric_eps
        assert_almost_equal(arrays[i].grad, num, rtol=rtol, atol=atol or 1e-4,
                            names=(f'autograd grad of input {i}', 'numeric grad'))
