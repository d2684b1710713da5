"""mx.onnx.export_model: graphs exported by MXNet 1.9.1 and by regluon run in onnxruntime
and give MXNet's outputs (tests/golden/symbol, written by tools/golden_symbol.py)."""
import os

import numpy as np
import pytest

import regluon as mx
from regluon import nd
from regluon.base import MXNetError
from regluon.gluon import nn

onnx = pytest.importorskip('onnx', reason='the onnx package is not installed (pip install onnx)')
ort = pytest.importorskip('onnxruntime', reason='onnxruntime is not installed '
                          '(pip install onnxruntime)')

G = os.path.join(os.path.dirname(__file__), 'golden', 'symbol')

# golden prefix, key in outputs.npz, MXNet's ONNX output name (mx.onnx in MXNet 1.9.1)
MXNET_MODELS = [
    ('mxnet_convnet', 'convnet', 'dense1_fwd'),
    ('mxnet_mlp', 'mlp', 'sm'),
]


@pytest.fixture(scope='module')
def gold():
    return dict(np.load(os.path.join(G, 'outputs.npz')))


def run(path, **feed):
    sess = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
    return sess, sess.run(None, feed)


@pytest.mark.parametrize('prefix, key, out_name', MXNET_MODELS)
def test_mxnet_files_run_in_onnxruntime(tmp_path, gold, prefix, key, out_name):
    x = gold[f'{key}_x']
    path = mx.onnx.export_model(os.path.join(G, f'{prefix}-symbol.json'),
                                os.path.join(G, f'{prefix}-0000.params'), [x.shape],
                                np.float32, str(tmp_path / 'm.onnx'))
    assert path == str(tmp_path / 'm.onnx')
    sess, (y,) = run(path, data=x)
    assert [i.name for i in sess.get_inputs()] == ['data']
    assert [o.name for o in sess.get_outputs()] == [out_name]
    assert sess.get_inputs()[0].shape == list(x.shape)       # static by default
    np.testing.assert_allclose(y, gold[f'{key}_y'], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize('form', ['prefixed', 'plain', 'list'])
def test_symbol_and_param_objects(tmp_path, gold, form):
    sym = mx.sym.load(os.path.join(G, 'mxnet_convnet-symbol.json'))
    saved = nd.load(os.path.join(G, 'mxnet_convnet-0000.params'))   # arg:/aux: keys
    if form == 'plain':
        params = {k.split(':', 1)[1]: v for k, v in saved.items()}
    elif form == 'list':
        params = [{k[4:]: v for k, v in saved.items() if k.startswith('arg:')},
                  {k[4:]: v for k, v in saved.items() if k.startswith('aux:')}]
    else:
        params = saved
    x = gold['convnet_x']
    # MXNet's old argument names input_shape/input_type still work
    path = mx.onnx.export_model(sym, params, input_shape=[x.shape], input_type=np.float32,
                                onnx_file_path=str(tmp_path / 'c.onnx'))
    _, (y,) = run(path, data=x)
    np.testing.assert_allclose(y, gold['convnet_y'], rtol=1e-5, atol=1e-6)


def test_dynamic_batch(tmp_path, gold):
    path = mx.onnx.export_model(os.path.join(G, 'mxnet_mlp-symbol.json'),
                                os.path.join(G, 'mxnet_mlp-0000.params'), [(4, 6)],
                                onnx_file_path=str(tmp_path / 'd.onnx'), dynamic=True,
                                dynamic_input_shapes=[(None, 6)])
    sym = mx.sym.load(os.path.join(G, 'mxnet_mlp-symbol.json'))
    params = {k.split(':', 1)[1]: v for k, v in
              nd.load(os.path.join(G, 'mxnet_mlp-0000.params')).items()}
    x = np.random.RandomState(0).uniform(-1, 1, (7, 6)).astype(np.float32)
    sess, (y,) = run(path, data=x)
    assert isinstance(sess.get_inputs()[0].shape[0], str)      # a symbolic batch size
    expect = sym.eval(data=nd.array(x), **params)[0].asnumpy()
    np.testing.assert_allclose(y, expect, rtol=1e-5, atol=1e-6)
    _, (y4,) = run(path, data=gold['mlp_x'])
    np.testing.assert_allclose(y4, gold['mlp_y'], rtol=1e-5, atol=1e-6)


def lenet():
    net = nn.HybridSequential()
    net.add(nn.Conv2D(6, kernel_size=5, activation='sigmoid'), nn.BatchNorm(),
            nn.MaxPool2D(pool_size=2, strides=2),
            nn.Conv2D(16, kernel_size=5, activation='relu'), nn.AvgPool2D(pool_size=2),
            nn.Dense(32, activation='tanh'), nn.Dropout(0.5), nn.Dense(10))
    return net


def test_lenet_exported_by_regluon(tmp_path):
    net = lenet()
    net.initialize(mx.init.Xavier())
    x = nd.random.uniform(shape=(2, 1, 28, 28))
    with mx.autograd.record():           # move BatchNorm's running statistics off 0/1
        net(x * 3 + 1)
    net.hybridize()
    expect = net(x).asnumpy()            # inference: Dropout off, running statistics
    net.export(str(tmp_path / 'lenet'))
    path = mx.onnx.export_model(str(tmp_path / 'lenet-symbol.json'),
                                str(tmp_path / 'lenet-0000.params'), [x.shape],
                                onnx_file_path=str(tmp_path / 'lenet.onnx'))
    _, (y,) = run(path, data=x.asnumpy())
    np.testing.assert_allclose(y, expect, rtol=1e-5, atol=1e-6)


def test_regluon_lenet_golden_matches_mxnet(tmp_path, gold):
    prefix = os.path.join(G, 'regluon_lenet')
    # committed goldens (tools/golden_symbol.py): their absence is a failure, not a skip
    assert 'regluon_lenet_mxnet_y' in gold and os.path.exists(prefix + '-symbol.json')
    x = np.load(prefix + '-input.npy')
    path = mx.onnx.export_model(prefix + '-symbol.json', prefix + '-0000.params', [x.shape],
                                onnx_file_path=str(tmp_path / 'l.onnx'))
    _, (y,) = run(path, data=x.astype(np.float32))
    np.testing.assert_allclose(y, gold['regluon_lenet_mxnet_y'], rtol=1e-4, atol=1e-5)


def test_integer_input_and_shape_inference(tmp_path):
    data = mx.sym.var('data')
    out = mx.sym.sum(mx.sym.Embedding(data, input_dim=10, output_dim=4, name='emb'), axis=1)
    w = nd.array(np.arange(40).reshape(10, 4) / 10)
    path = mx.onnx.export_model(out, {'arg:emb_weight': w}, [(3, 5)], [np.int32],
                                str(tmp_path / 'e.onnx'), run_shape_inference=True)
    idx = np.random.RandomState(1).randint(0, 10, (3, 5)).astype(np.int32)
    sess, (y,) = run(path, data=idx)
    assert sess.get_inputs()[0].type == 'tensor(int32)'
    np.testing.assert_allclose(y, w.asnumpy()[idx].sum(axis=1), rtol=1e-6)
    assert len(onnx.load(path).graph.value_info) > 0     # intermediate shapes annotated


def test_unsupported_op_is_named(tmp_path):
    data = mx.sym.var('data')
    out = mx.sym.relu(mx.sym.erfinv(mx.sym.tanh(data)))
    target = tmp_path / 'u.onnx'
    target.write_bytes(b'previous')
    with pytest.raises(AttributeError, match='erfinv') as info:
        mx.onnx.export_model(out, {}, [(2, 3)], onnx_file_path=str(target))
    assert isinstance(info.value, MXNetError)
    assert 'tanh' not in str(info.value).split('yet')[0]     # only the failing op named
    assert target.read_bytes() == b'previous'                # nothing half-written
    assert os.listdir(tmp_path) == ['u.onnx']


@pytest.mark.parametrize('kwargs, match', [
    (dict(sym='SYM', params={}), 'files or objects'),
    (dict(params='PARAMS', in_shapes=[(4, 6)]), 'files or objects'),
    (dict(in_shapes=None), 'in_shapes is required'),
    (dict(in_shapes=[(4, 6), (4, 6)]), r"1 data inputs.*\['data'\]"),
    (dict(in_shapes=[(4, 6)], in_types=[np.float32, np.int32]), 'in_types has 2'),
    (dict(params=[{}], in_shapes=[(4, 6)]), r'\[arg_params, aux_params\]'),
])
def test_argument_errors(tmp_path, kwargs, match):
    sym = mx.sym.load(os.path.join(G, 'mxnet_mlp-symbol.json'))
    params = nd.load(os.path.join(G, 'mxnet_mlp-0000.params'))
    args = dict(sym=sym, params=params, in_shapes=[(4, 6)],
                onnx_file_path=str(tmp_path / 'x.onnx'))
    args.update(kwargs)
    if isinstance(args['sym'], str):
        args['sym'] = os.path.join(G, 'mxnet_mlp-symbol.json')
    if isinstance(args['params'], str):
        args['params'] = os.path.join(G, 'mxnet_mlp-0000.params')
    with pytest.raises(ValueError, match=match):
        mx.onnx.export_model(**args)
    assert not os.path.exists(tmp_path / 'x.onnx')


def test_export_after_amp_init_is_float32(tmp_path, gold):
    from regluon.contrib import amp
    amp.init('bfloat16')
    try:
        path = mx.onnx.export_model(os.path.join(G, 'mxnet_convnet-symbol.json'),
                                    os.path.join(G, 'mxnet_convnet-0000.params'),
                                    [gold['convnet_x'].shape],
                                    onnx_file_path=str(tmp_path / 'a.onnx'))
    finally:
        amp._deinit()
    sess, (y,) = run(path, data=gold['convnet_x'])
    assert sess.get_outputs()[0].type == 'tensor(float)'
    np.testing.assert_allclose(y, gold['convnet_y'], rtol=1e-5, atol=1e-6)
