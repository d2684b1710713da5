"""mx.test_utils against MXNet 1.9.1 (tools/golden_test_utils.py and
tests/golden/test_utils_cases.py)."""
import contextlib
import io
import os
import sys

import numpy as np
import pytest

import regluon as mx
from regluon import test_utils as tu
from conftest import golden

sys.path.insert(0, os.path.join(os.path.dirname(__file__), 'golden'))
import test_utils_cases as cases  # noqa: E402

G = golden('test_utils')


def make(spec):
    vals, dtype, as_nd = spec
    if dtype is None:
        return vals
    a = np.array(vals, dtype=dtype)
    return mx.nd.array(a, dtype=dtype) if as_nd else a


@pytest.mark.parametrize('i', range(len(cases.ASSERT_ALMOST_EQUAL)))
def test_assert_almost_equal_as_mxnet(i):
    a, b, kw = cases.ASSERT_ALMOST_EQUAL[i]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        if str(G[f'aae{i}']) == 'ok':
            tu.assert_almost_equal(make(a), make(b), **kw)
        else:
            with pytest.raises(AssertionError) as info:
                tu.assert_almost_equal(make(a), make(b), **kw)
            assert str(info.value).split(' ACTUAL:')[0] == str(G[f'aae{i}'])
    assert printed.getvalue() == str(G[f'aae{i}/stdout'])


@pytest.mark.parametrize('i', range(len(cases.ALMOST_EQUAL)))
def test_almost_equal_and_same_as_mxnet(i):
    a, b, kw = cases.ALMOST_EQUAL[i]
    assert tu.almost_equal(make(a), make(b), **kw) == bool(G[f'ae{i}'])
    assert tu.same(make(a), make(b)) == bool(G[f'same{i}'])


@pytest.mark.parametrize('d1', cases.TOL_DTYPES)
def test_default_tolerances_as_mxnet(d1):
    for d2 in cases.TOL_DTYPES:
        got = tu.get_tols(np.zeros(1, d1), mx.nd.zeros(1, dtype=d2), None, None)
        np.testing.assert_array_equal(got, G[f'tols/{d1}/{d2}'])


def test_random_shapes_and_arrays_repeat_mxnet_draws():
    np.random.seed(cases.SHAPE_SEED)
    assert tu.rand_shape_nd(4) == tuple(G['shape_nd'])
    assert tu.rand_shape_nd(6, dim=3, allow_zero_size=True) == tuple(G['shape_nd0'])
    assert tu.rand_shape_2d() == tuple(G['shape_2d'])
    assert tu.rand_shape_3d(4, 5, 6) == tuple(G['shape_3d'])
    a = tu.rand_ndarray((3, 4))
    assert isinstance(a, mx.nd.NDArray) and a.dtype == np.float32
    np.testing.assert_array_equal(a.asnumpy(), G['rand_ndarray'])
    b = tu.rand_ndarray((2,), dtype='float64')
    assert b.dtype == np.float64
    np.testing.assert_array_equal(b.asnumpy(), G['rand_ndarray64'])
    np.testing.assert_array_equal(np.stack(tu.random_arrays((2, 2), (2, 2))),
                                  G['random_arrays'])
    with pytest.raises(ValueError, match="storage type 'csr' is not supported"):
        tu.rand_ndarray((2, 2), stype='csr')


def test_contexts():
    assert tu.default_context() == mx.cpu(0)
    try:
        tu.set_default_context(mx.cpu(2))
        assert tu.default_context() == mx.cpu(2)
        assert mx.nd.zeros(1).context == mx.cpu(2)     # as MXNet: the current context
    finally:
        tu.set_default_context(mx.cpu(0))
    assert mx.current_context() == mx.cpu(0)


def test_assert_exception():
    tu.assert_exception(int, ValueError, 'x')
    with pytest.raises(AssertionError, match='int did not raise ValueError'):
        tu.assert_exception(int, ValueError, '3')
    with pytest.raises(TypeError):                       # another type is not swallowed
        tu.assert_exception(int, ValueError, None)


def test_retry_and_same_array():
    calls = []

    def flaky():
        calls.append(1)
        assert len(calls) == 3
    tu.retry(3)(flaky)()
    assert len(calls) == 3
    calls.clear()
    with pytest.raises(AssertionError):
        tu.retry(2)(flaky)()
    assert len(calls) == 2
    x = mx.nd.ones((2, 2))
    assert tu.same_array(x, x)
    assert not tu.same_array(x, x.copy())


def test_assert_almost_equal_with_err():
    a = np.zeros(10, np.float32)
    b = a.copy()
    b[0] = 1
    tu.assert_almost_equal_with_err(a, b, etol=0.2)
    with contextlib.redirect_stdout(io.StringIO()):
        with pytest.raises(AssertionError, match='mismatch 10.000000%'):
            tu.assert_almost_equal_with_err(a, b, etol=0.05)
        with pytest.raises(AssertionError):
            tu.assert_almost_equal_ignore_nan(a, b)
    b[0] = np.nan
    tu.assert_almost_equal_ignore_nan(a, b)


# ---- check_numeric_gradient ------------------------------------------------------------
def _bad_square(x):
    return x * x.detach()          # autograd sees x * const: half the true gradient


GRADS = [  # function, location, kwargs, passes?
    (lambda x: mx.nd.sin(x) * 2, [np.array([[0.1, 0.5], [1.0, -0.3]])], {}, True),
    (lambda a, b: mx.nd.dot(a, b), [np.random.RandomState(0).rand(2, 3),
                                    np.random.RandomState(1).rand(3, 2)], {}, True),
    (lambda a, b: a * b + a, {'a': np.array([1.0, 2.0]), 'b': np.array([3.0, -1.0])},
     {'dtype': np.float64}, True),
    (lambda a, b: a * b, [np.array([1.0, 2.0]), np.array([3.0, -1.0])],
     {'grad_nodes': [1]}, True),
    (lambda a, b: a * b, {'a': np.array([1.0, 2.0]), 'b': np.array([3.0, -1.0])},
     {'grad_nodes': {'a': 'add', 'b': 'null'}}, True),
    (_bad_square, [np.array([1.0, 2.0, 3.0])], {}, False),
]


@pytest.mark.parametrize('fn, location, kw, ok', GRADS)
def test_check_numeric_gradient_on_functions(fn, location, kw, ok):
    np.random.seed(0)
    if ok:
        tu.check_numeric_gradient(fn, location, **kw)
    else:
        with contextlib.redirect_stdout(io.StringIO()):
            with pytest.raises(AssertionError, match='NUMERICAL_x=.*BACKWARD_x='):
                tu.check_numeric_gradient(fn, location, **kw)


def test_check_numeric_gradient_errors():
    with pytest.raises(ValueError, match='keys of the given location do not match'):
        tu.check_numeric_gradient(mx.sym.Variable('a') * 2, {'b': np.ones(2)})
    with pytest.raises(TypeError, match='expected a Symbol or a function'):
        tu.check_numeric_gradient(3, [np.ones(2)])


def test_check_numeric_gradient_on_a_symbol():
    x = mx.sym.Variable('x')
    y = mx.sym.Variable('y')
    np.random.seed(1)
    tu.check_numeric_gradient(mx.sym.tanh(x) * y, [np.array([0.3, -0.2]), np.array([1.5, 2.0])])
    tu.check_numeric_gradient(x * y, {'x': np.array([0.3]), 'y': np.array([2.0])},
                              grad_nodes=['x'])
