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
    with pytest.raises(MXNetError, match='quantized_conv|dequantize|quantized_act|quantized_batch_norm'):
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


# ---- quantize_model: MXNet's unfused graph pass and calibration --------------------------------
CALIB = ('min_calib_range', 'max_calib_range')


def _parse(line):
    op, name, attrs, inputs = line.split(' ', 3)
    kv = dict(a.split('=', 1) for a in attrs.split(',') if a) if attrs else {}
    return op, name, kv, inputs


@pytest.fixture(scope='module')
def models():
    return {name: fn(mx) for name, fn in cases.MODELS.items()}


@pytest.mark.parametrize('name', sorted(cases.MODELS))
def test_quantize_model_graph(models, name):
    """Node for node MXNet's graph; calibrated thresholds equal to MXNet's six decimals,
    or one unit off where the fp32 layer output differs from MXNet's by an ulp."""
    got, want = models[name]['graph'], G[f'model/{name}/graph']
    assert len(got) == len(want)
    for g, w in zip(got, want):
        (gop, gname, gkv, gin), (wop, wname, wkv, win) = _parse(g), _parse(w)
        assert (gop, gname, gin) == (wop, wname, win), (g, w)
        assert {k for k in gkv} == {k for k in wkv}, (g, w)
        for k in wkv:
            if k in CALIB:
                assert abs(float(gkv[k]) - float(wkv[k])) <= 1.01e-6, (k, g, w)
            elif wop.startswith('_contrib_quantiz') or wop.startswith('_contrib_requant'):
                assert gkv[k] == wkv[k], (k, g, w)


@pytest.mark.parametrize('name', sorted(cases.MODELS))
def test_quantize_model_params_and_outputs(models, name):
    got = models[name]
    keys = {k for k in got if k.startswith('arg/')}
    assert keys == {k[len(f'model/{name}/'):] for k in G
                    if k.startswith(f'model/{name}/arg/')}
    for k in keys:
        want = G[f'model/{name}/{k}']
        assert got[k].dtype == want.dtype, k
        np.testing.assert_array_equal(got[k], want, err_msg=k)
    # the int8 arithmetic is exact; the float32 softmax over dequantized values may differ by
    # rounding, and a threshold one unit off in its sixth decimal moves a value by one step
    np.testing.assert_allclose(got['y'], G[f'model/{name}/y'], rtol=1e-5, atol=1e-5)


def test_excluded_layer_stays_fp32(models):
    nodes = [_parse(line)[:2] for line in models['mlp_naive_int8_excluded']['graph']]
    assert ('FullyConnected', 'fc1') in nodes and ('_contrib_quantized_fully_connected',
                                                   'quantized_fc2') in nodes
    assert not any(n == 'quantized_fc1' for _, n in nodes)
    # smart mode: the relu between the fp32 fc1 and the int8 fc2 stays fp32 too
    assert ('Activation', 'relu1') in nodes


@pytest.mark.parametrize('name', sorted(cases.model_errors(mx)))
def test_quantize_model_errors(name):
    want = str(G[f'model_error/{name}'])
    with pytest.raises(Exception) as e:
        cases.model_errors(mx)[name]()
    assert type(e.value).__name__ == want


def test_quantize_graph_then_calib_graph_equals_quantize_model(models):
    r = np.random.RandomState(2)
    sym, args, auxs, x = cases._mlp(mx, r)
    qsym, qargs, qaux, collector = mx.contrib.quant.quantize_graph(
        sym, args, auxs, ctx=mx.cpu(), calib_mode='naive', quantized_dtype='auto',
        quantize_mode='smart')
    internals = sym.get_internals()
    for name in collector.include_layer:
        if name == 'data':
            collector.collect(name, mx.nd.array(x[:8]))
        else:
            exe = internals[name].bind(mx.cpu(), dict(args, data=mx.nd.array(x[:8])))
            collector.collect(name, exe.forward()[0])
    qsym, qargs, _ = mx.contrib.quant.calib_graph(qsym, args, auxs, collector,
                                                  calib_mode='naive', quantized_dtype='auto')
    assert list(cases._graph(qsym)) == list(models['mlp_naive']['graph'])


# ---- quantize_net: oneDNN-fused conv/FC (+relu) layers, as MXNet's MKLDNN_QUANTIZE builds ----
@pytest.mark.parametrize('name', sorted(cases.NETS))
def test_quantize_net(name):
    got = cases.NETS[name](mx)
    np.testing.assert_allclose(got['fp32'], G[f'model/{name}/fp32'], rtol=1e-5, atol=1e-6)
    if name.endswith('naive'):
        # fused int8 arithmetic and naive thresholds: MXNet's outputs
        np.testing.assert_allclose(got['y'], G[f'model/{name}/y'], rtol=1e-5, atol=1e-6)
    else:
        # entropy: the fused conv's threshold differs from MXNet's by a few histogram bins
        # (docs/migration.md); the outputs stay within one output quantization step
        assert np.abs(got['y'] - G[f'model/{name}/y']).max() < 0.01


def test_fused_graph_layers():
    r = np.random.RandomState(5)
    sym, args, auxs, x = cases._cnn(mx, r)
    qsym, _, _ = mx.contrib.quant.quantize_model_mkldnn(
        sym, args, auxs, ctx=mx.cpu(), calib_mode='naive', quantized_dtype='auto',
        calib_data=mx.io.NDArrayIter(x, np.zeros(len(x)), batch_size=4))
    ops = [_parse(line)[:2] for line in cases._graph(qsym)]
    assert ('_sg_mkldnn_conv', 'quantized_relu1') in ops
    assert ('_sg_mkldnn_fully_connected', 'quantized_fc1') in ops
    assert not any(op in ('_contrib_requantize', '_contrib_dequantize') for op, _ in ops)
