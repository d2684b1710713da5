"""NumPy's dispatch protocols on mx.np arrays (regluon/numpy_dispatch_protocol.py) against
MXNet 1.9.1 (tools/golden_cases.py numpy_dispatch; cases in
tests/golden/numpy_dispatch_cases.py)."""
import sys

import pytest

import regluon as mx
from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
import numpy_dispatch_cases as cases  # noqa: E402
from case_tools import check  # noqa: E402

G = golden('numpy_dispatch')


@pytest.mark.parametrize('name', sorted(cases.CASES))
def test_case_matches_mxnet(name):
    check(cases, G, mx, name)


def test_protocol_module_names():
    from regluon import numpy_dispatch_protocol as p
    import numpy
    assert p._NUMPY_ARRAY_FUNCTION_DICT[numpy.concatenate] is mx.np.concatenate
    assert p._NUMPY_ARRAY_UFUNC_DICT['add'] is mx.np.add
    ran = []

    @p.with_array_function_protocol
    def fails():
        ran.append(1)
        raise KeyError('x')
    with pytest.raises(RuntimeError, match='Running function fails with NumPy array '
                                           'function protocol failed'):
        fails()
    assert ran == [1]
    # MXNet's module of NumPy-computed linalg functions (its test_np_fallback_ops reads it)
    assert mx.np.fallback_linalg.__all__ == ['cond', 'lstsq', 'matrix_power', 'matrix_rank',
                                             'multi_dot', 'qr']
    assert mx.np.fallback_linalg.qr is mx.np.linalg.qr


def test_no_numpy_fallback_while_recording():
    """MXNet refuses it too; its message is a ValueError's, though MXNet 1.9.1 raises an
    AttributeError by calling .format on the exception object."""
    import numpy
    mx.npx.set_np()
    try:
        b = mx.np.array([1., 2.])
        with mx.autograd.record():
            with pytest.raises(ValueError, match='Falling back to NumPy operator'):
                numpy.median(b)
            with pytest.raises(ValueError, match='Falling back to NumPy operator heaviside'):
                numpy.heaviside(b, 0.5)
    finally:
        mx.npx.reset_np()
