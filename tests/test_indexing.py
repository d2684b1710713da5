"""NDArray indexing against MXNet 1.9.1: reads, writes, views vs copies, errors, autograd.

The INDEXING table is in tests/golden/ops_shape_cases.py; tools/golden_ops_shape.py stored
what MXNet returned for each row (the read `r`, and `x` afterwards, which shows writes and
whether a read was a view) or the exception type it raised.
"""
import sys
import pathlib

import numpy as np
import pytest

import regluon as mx

sys.path.insert(0, str(pathlib.Path(__file__).parent / 'golden'))
sys.path.insert(0, str(pathlib.Path(__file__).parent))
import ops_shape_cases as cases  # noqa: E402
from test_ops_shape import check_case  # noqa: E402

nd = mx.nd


@pytest.mark.parametrize('src', cases.INDEXING)
def test_indexing(src):
    check_case('INDEXING', src)


@pytest.mark.parametrize('key, words', [
    (2, 'index 2 is out of bounds for axis 0 with size 2'),
    ((0, -4), 'index -4 is out of bounds for axis 1 with size 3'),
    (([0, 1], [1, 5]), 'index 5 is out of bounds for axis 1 with size 3'),
    ((0, 0, 0, 0), 'too many indices (4) for array with 3 dimensions'),
])
def test_out_of_range_messages(key, words):
    x = nd.zeros((2, 3, 4))
    with pytest.raises(IndexError) as info:
        x[key]                                      # pylint: disable=pointless-statement
    assert words in str(info.value)
    with pytest.raises(IndexError):
        x[key] = 1


def test_identity_kept_by_slice_assignment():
    x, y = nd.ones((2, 3)), nd.arange(6).reshape((2, 3))
    z = nd.zeros((2, 3))
    view = z[1]
    before = id(z)
    z[:] = x + y
    assert id(z) == before and z[:] is z and z[()] is z
    np.testing.assert_array_equal(z.asnumpy(), 1 + np.arange(6).reshape(2, 3))
    np.testing.assert_array_equal(view.asnumpy(), [4, 5, 6])     # a view sees the write


def test_assignment_to_variable_outside_record():
    x = nd.arange(6).reshape((2, 3))
    x.attach_grad()
    x[0] = 5                                       # no autograd error outside record()
    x[1, ::-1] = nd.array([1, 2, 3])
    with mx.autograd.record():
        z = (x * x).sum()
    z.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), 2 * np.array([[5, 5, 5], [3, 2, 1]]))


def test_getitem_is_recorded():
    x = nd.arange(6).reshape((2, 3))
    x.attach_grad()
    with mx.autograd.record():
        z = (x[1] * x[:, 1][0]).sum()             # a view and a copy, both recorded
    z.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [[0, 12, 0], [1, 1, 1]])


def test_assignment_inside_record_is_differentiable():
    # MXNet 1.9.1 refuses y[idx] = w on an array already in the graph ("Assigning to
    # NDArrays that are already in a computational graph ..."); regluon records the write
    # instead, with the gradients torch's autograd gives for it.
    x, w = nd.arange(6).reshape((2, 3)), nd.array([10, 20, 30])
    x.attach_grad()
    w.attach_grad()
    with mx.autograd.record():
        y = x * 2
        y[0] = w
        z = (y * y).sum()
    z.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [[0, 0, 0], [24, 32, 40]])
    np.testing.assert_array_equal(w.grad.asnumpy(), [20, 40, 60])


def test_iteration_and_int_types():
    x = nd.arange(6).reshape((3, 2))
    rows = list(x)
    assert len(rows) == 3 and rows[2].shape == (2,)
    np.testing.assert_array_equal(x[np.int32(2)].asnumpy(), [4, 5])
    np.testing.assert_array_equal(x[nd.array([2, 0], dtype='int64')].asnumpy(),
                                  [[4, 5], [0, 1]])


def test_documented_differences_from_mxnet():
    x = nd.arange(24).reshape((2, 3, 4))
    # MXNet 1.9.1 raises MXNetError for an empty basic slice past the end of a non-first
    # axis (x[:, 10:]); numpy and regluon return the empty array.
    assert x[:, 10:].shape == (2, 0, 4)
    # MXNet reports an out-of-range index *array* only asynchronously (and x[[5]] = 1
    # writes out of bounds); regluon raises IndexError at once.
    with pytest.raises(IndexError, match='index 5 is out of bounds for axis 0 with size 2'):
        x[[5]] = 1
    np.testing.assert_array_equal(x.asnumpy(), np.arange(24).reshape(2, 3, 4))
