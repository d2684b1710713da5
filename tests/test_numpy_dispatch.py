"""NumPy's dispatch protocols on mx.np arrays (regluon/numpy_dispatch_protocol.py) against
MXNet 1.9.1 (tools/golden_cases.py numpy_dispatch; cases in
tests/golden/numpy_dispatch_cases.py)."""

import pytest

import regluon as mx
from conftest import case_tests

cases, G, test_case_matches_mxnet = case_tests('numpy_dispatch')


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


def test_numpy_op_signature_get_builtin_op():
    """mx.numpy_op_signature._get_builtin_op as MXNet 1.9.1's (its test_numpy_op imports
    it): the np/npx function of an operator name, None for other names; a '_np_linalg_*'
    name is not found (MXNet's submodule names keep their leading underscore)."""
    from regluon.numpy_op_signature import _get_builtin_op
    assert _get_builtin_op('_np_sum') is mx.np.sum
    assert _get_builtin_op('_npx_relu') is mx.npx.relu
    assert _get_builtin_op('sum') is None
    with pytest.raises(ValueError, match='Cannot find operator linalg_svd'):
        _get_builtin_op('_np_linalg_svd')
