"""The fast paths for tiny ops (benchmarks/op_overhead.py) give what the general paths give.

`x.sum()`, 2-D `nd.dot`, `x[int]`, `x[a:b]`, `x[:, a:b]` and `x.reshape((3, 2))` each have
a short path for the common case and fall back to the general code (pinned against MXNet
1.9.1 by test_ops_math.py, test_ops_shape.py and test_indexing.py) otherwise. Each row here
runs the fast path and the general one and compares shape, dtype, values, whether the
result is a view of the input, and the exception type and message.
"""
import numpy as np
import pytest

import regluon as mx
from regluon import autograd, nd
from regluon.base import MXNetError
from regluon.ndarray.ops.getitem import _getitem, _OutOfRange
from regluon.ndarray.ops.shape_ops import _reshape_view


def _arange(shape, dtype='float32', transposed=False):
    """0, 1, 2, ... in `shape`; transposed=True: the same values in a non-contiguous array."""
    n = int(np.prod(shape))
    if transposed:
        return nd.array(np.arange(n).reshape(shape[::-1]), dtype=dtype).T
    return nd.array(np.arange(n).reshape(shape), dtype=dtype)


def _shares(a, b):
    return a._t.untyped_storage().data_ptr() == b._t.untyped_storage().data_ptr()


def _outcome(fn):
    """(result, None) or (None, exception) of fn()."""
    try:
        return fn(), None
    except Exception as e:                     # pylint: disable=broad-except
        return None, e


def _same(x, fast, general):
    (got, got_err), (want, want_err) = _outcome(fast), _outcome(general)
    if want_err is not None or got_err is not None:
        assert type(got_err) is type(want_err) and str(got_err) == str(want_err)
        return
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_array_equal(got.asnumpy(), want.asnumpy())
    assert got._t.is_contiguous() == want._t.is_contiguous()
    assert _shares(got, x) == _shares(want, x), "view vs copy differs"


# ---- sum over every axis -------------------------------------------------------------------
@pytest.mark.parametrize('shape', [(2, 3), (3,), (1,), (1, 1), (0, 3), (2, 3, 4), ()])
@pytest.mark.parametrize('dtype', ['float32', 'float64', 'float16', 'int32', 'uint8'])
def test_sum_all_equals_the_general_reduction(shape, dtype):
    x = _arange(shape, dtype) if shape else nd.array(np.array(3, dtype=dtype), dtype=dtype)
    got, want = x.sum(), nd.sum(x, axis=tuple(range(x.ndim)))   # axis=(...): general path
    assert got.shape == want.shape and (got.shape == (1,) or not shape)
    assert got.dtype == want.dtype == np.dtype(dtype)
    np.testing.assert_array_equal(got.asnumpy(), want.asnumpy())
    assert not _shares(got, x)                 # a new array, never the input itself


def test_sum_all_of_a_transposed_array_and_its_gradient():
    x = _arange((3, 4), transposed=True)
    assert x.sum().shape == (1,) and x.sum().asscalar() == 66
    x.attach_grad()
    with autograd.record():
        y = (x * x).sum()
    y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), 2 * x.asnumpy())


# ---- 2-D dot ---------------------------------------------------------------------------------
@pytest.mark.parametrize('dtype', ['float32', 'float64', 'float16'])
def test_dot_2d_values(dtype):
    a, b = _arange((2, 3), dtype), _arange((3, 4), dtype)
    got = nd.dot(a, b)
    assert got.dtype == np.dtype(dtype) and got.shape == (2, 4)
    np.testing.assert_array_equal(got.asnumpy(), a.asnumpy() @ b.asnumpy())
    assert nd.dot(nd.empty((0, 3)), nd.zeros((3, 2))).shape == (0, 2)


@pytest.mark.parametrize('lhs, rhs, words', [
    (((2, 3), 'float32'), ((4, 2), 'float32'), '3 and 4'),
    (((2, 3), 'float32'), ((3, 2), 'float64'), 'float32 and float64'),
    (((2, 3), 'int32'), ((3, 2), 'int32'), 'floating-point'),
    (((2, 3), 'bool'), ((3, 2), 'bool'), 'floating-point'),
])
def test_dot_2d_refusals_keep_mxnet_messages(lhs, rhs, words):
    a = nd.zeros(lhs[0], dtype=lhs[1])
    b = nd.zeros(rhs[0], dtype=rhs[1])
    with pytest.raises(MXNetError, match=words):
        nd.dot(a, b)


def test_dot_2d_gradient():
    a, b = _arange((2, 3)), _arange((3, 2))
    a.attach_grad()
    with autograd.record():
        y = nd.dot(a, b)
    y.backward()
    np.testing.assert_array_equal(a.grad.asnumpy(), np.ones((2, 2)) @ b.asnumpy().T)


# ---- x[key] ----------------------------------------------------------------------------------
_SLICES = [slice(None), slice(1, None), slice(None, 2), slice(0, 3), slice(-2, None),
           slice(2, 1), slice(5, None), slice(-10, 10), slice(0, 0), slice(None, -1),
           slice(1, None, 2), slice(None, None, -1)]
_KEYS = ([0, 1, -1, -2, 2, -3, 5, True] + _SLICES
         + [(a, b) for a in _SLICES[:6] for b in _SLICES]
         + [(slice(None), 1), (1, slice(1, None)), (slice(None), slice(None), slice(1, 3))])


def _general_getitem(x, key):
    try:
        return _getitem(x, key)
    except _OutOfRange as e:
        raise IndexError(str(e)) from None


@pytest.mark.parametrize('shape, transposed', [
    ((2, 3), False), ((2, 3), True), ((4,), False), ((1, 3), False), ((2, 1, 3), False),
    ((1, 2, 3), False), ((0, 3), False), ((3, 0), False), ((2, 3, 4), False), ((3, 2), True),
])
def test_getitem_equals_the_general_path(shape, transposed):
    for dtype in ('float32', 'int32'):
        x = _arange(shape, dtype, transposed)
        for key in _KEYS:
            _same(x, lambda: x[key], lambda: _general_getitem(x, key))  # noqa: B023


@pytest.mark.parametrize('key, view', [
    (1, True), (-1, True), (slice(1, None), True), ((slice(None), slice(1, None)), False),
    ((slice(None, 1), slice(None)), True), ((slice(1, 2), slice(1, None)), True),
    ((slice(None), slice(None, 2)), False), ((slice(None), 0), False),
])
def test_getitem_views_see_writes_copies_do_not(key, view):
    x = _arange((2, 3))
    y = x[key]
    y[:] = -1
    assert (x.asnumpy() == -1).any() == view


@pytest.mark.parametrize('key, words', [
    (2, 'index 2 is out of bounds for axis 0 with size 2'),
    (-3, 'index -3 is out of bounds for axis 0 with size 2'),
])
def test_getitem_int_out_of_range_message(key, words):
    with pytest.raises(IndexError, match=words):
        _arange((2, 3))[key]                   # pylint: disable=expression-not-assigned


def test_getitem_on_1d_gives_shape_1_and_0d_refuses():
    x = _arange((4,), 'int32')
    assert x[-1].shape == (1,) and x[-1].asscalar() == 3
    with pytest.raises(IndexError):
        nd.array(np.float32(3))[0]             # pylint: disable=expression-not-assigned
    z = _arange((2, 3))
    assert z[:] is z and z[()] is z


def test_getitem_slices_are_recorded():
    x = _arange((2, 3))
    x.attach_grad()
    with autograd.record():
        y = (x[:, 1:] * 2).sum() + x[1:].sum() + x[0].sum()
    y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [[1, 3, 3], [1, 3, 3]])


# ---- x.reshape -------------------------------------------------------------------------------
_CODES = [(3, 2), (6,), (-1,), (2, -1), (-1, 3), (-1, -1), (4, 2), (2, 2), (4, -1), (1, 6, 1),
          (1, -1, 1), (5, -1), (-1, 0), (0, -1), (7,), (-1, 4), (3.0, 2), (np.int64(3), 2)]


@pytest.mark.parametrize('shape, transposed', [
    ((2, 3), False), ((2, 3), True), ((6,), False), ((0, 3), False), ((1, 6), False),
])
def test_reshape_equals_the_general_path(shape, transposed):
    x = _arange(shape, transposed=transposed)
    for codes in _CODES:
        general = lambda: _reshape_view(x, tuple(codes))              # noqa: E731, B023
        _same(x, lambda: x.reshape(codes), general)                   # noqa: B023
        _same(x, lambda: x.reshape(*codes), general)                  # noqa: B023
        _same(x, lambda: x.reshape(list(codes)), general)             # noqa: B023


def test_reshape_is_a_recorded_view():
    x = _arange((2, 3))
    x.attach_grad()
    with autograd.record():
        y = (x.reshape((3, 2)) * 2).sum()
    y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), np.full((2, 3), 2))
    v = x.reshape((-1,))
    v[:] = 5
    assert (x.asnumpy() == 5).all()
    with pytest.raises(TypeError, match='unknown keywords'):
        x.reshape((3, 2), bogus=1)
    assert mx.nd.ones((2, 3)).reshape(shape=(3, 2)).shape == (3, 2)


@pytest.mark.parametrize('take', [lambda h: h[:, 1:], lambda h: h[1], lambda h: h[1:],
                                  lambda h: h.reshape((3, 2)), lambda h: h.sum()])
def test_fast_path_results_become_constants_when_backward_frees_the_graph(take):
    # MXNet: after backward() without retain_graph the graph's arrays are constants
    x = _arange((2, 3))
    x.attach_grad()
    with autograd.record():
        s = take(x * 2)
        y = s.sum()
    y.backward()
    with autograd.record():
        z = (x * s.sum()).sum()                # s is a constant now: nothing flows into it
    z.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), np.full((2, 3), s.sum().asscalar()))
