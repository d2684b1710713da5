"""Shape and type inference as MXNet 1.9.1 does it (tools/golden_symbol_inference.py): types
meet at each op (a weight after a float32 cast is float32), shapes go backwards through
same-shape ops, casts and later layers, and an incomplete infer_shape returns
(None, None, None) with MXNet's warning."""
import json
import sys

import pytest

import regluon as mx
from conftest import GOLDEN

sys.path.insert(0, str(GOLDEN))
from symbol_inference_cases import CASES  # noqa: E402

WANT = json.loads((GOLDEN / 'symbol_inference.json').read_text())


@pytest.mark.parametrize('name', sorted(CASES))
def test_inference_matches_mxnet(name):
    got = json.loads(json.dumps(CASES[name](mx)))
    assert got == WANT[name]


def test_strict_inference_still_raises_for_executors():
    data, prev = mx.sym.Variable('data'), mx.sym.Variable('prevstate')
    out = mx.sym.FullyConnected(data, num_hidden=4) + mx.sym.FullyConnected(prev, num_hidden=4)
    with pytest.raises(mx.base.MXNetError, match="cannot infer the shape of"):
        out.infer_shape_strict(data=(2, 3))
    with pytest.raises(mx.base.MXNetError, match="cannot infer the shape of"):
        out.simple_bind(mx.cpu(), data=(2, 3))


def test_partial_shapes_in_np_shape_scope():
    # MXNet 1.9.1's test_infer_shape: with NumPy shape semantics the unknown size is -1
    # and an unknown shape None (0 and () outside)
    x, y = mx.sym.Variable('x'), mx.sym.Variable('y')
    with mx.np_shape(True):
        assert mx.sym.dot(x, y).infer_shape_partial(x=(-1, 3, 4), y=(4, 5))[1] == \
            [(-1, 3, 5)]
        assert mx.sym.batch_dot(x, y).infer_shape_partial(x=(-1, 3, 4), y=(-1, 4, 5))[1] == \
            [(-1, 3, 5)]
        assert mx.sym.transpose(x, axes=[0, 3, 2, 1]).infer_shape_partial(
            x=(-1, 3, 224, 224))[1] == [(-1, 224, 224, 3)]
        arg_shapes, out_shapes, _ = mx.sym.sin(mx.sym.var('data')).infer_shape_partial()
        assert arg_shapes == [None] and out_shapes == [None]
    arg_shapes, out_shapes, _ = mx.sym.sin(mx.sym.var('data')).infer_shape_partial()
    assert arg_shapes == [()] and out_shapes == [()]
    assert mx.sym.dot(x, y).infer_shape_partial(x=(0, 3, 4), y=(4, 5))[1] == [(0, 3, 5)]
