"""MXNet's INT8 quantization (nd.contrib quantized operators, mx.contrib.quantization)
against MXNet 1.9.1's MKLDNN CPU results (goldens by tools/golden_quantization.py): every
operator's int8/uint8/int32 values and float32 ranges bit for bit; errors."""
import sys

import numpy as np
import pytest

import regluon as mx
from regluon.base import MXNetError

from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
import quantization_cases as cases  # noqa: E402

G = golden('quantization')
OPS = cases.ops(mx)


def test_op_cases_cover_golden():
    assert set(OPS) == {k[3:] for k in G if k.startswith('op/')}


@pytest.mark.parametrize('key', sorted(OPS))
def test_op_exact(key):
    got, want = OPS[key], G[f'op/{key}']
    assert got.dtype == want.dtype and got.shape == want.shape, (got.dtype, want.dtype)
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize('name', sorted(cases.errors(mx)))
def test_errors(name):
    assert str(G[f'error/{name}']) == 'MXNetError'
    with pytest.raises(MXNetError, match='quantized_conv|dequantize|quantized_act'):
        cases.errors(mx)[name]()


def test_symbolic_ops_have_three_outputs():
    x = mx.sym.var('x')
    q = mx.sym.contrib.quantize_v2(x, min_calib_range=-1.0, max_calib_range=1.0)
    assert len(q.list_outputs()) == 3
    d = mx.sym.contrib.dequantize(q[0], q[1], q[2])
    xs = mx.nd.array([[0.5, -0.25, 1.0]])
    got = d.bind(mx.cpu(), {'x': xs}).forward()[0].asnumpy()
    want = mx.nd.contrib.dequantize(*mx.nd.contrib.quantize_v2(
        xs, min_calib_range=-1.0, max_calib_range=1.0)).asnumpy()
    np.testing.assert_array_equal(got, want)
