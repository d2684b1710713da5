"""mx.contrib.onnx import (import_model, get_model_metadata, import_to_gluon).

- ONNX files exported by MXNet 1.9.1 import with MXNet's parameter names and give the
  outputs MXNet computed (tests/golden/onnx_import*, written by tools/golden_onnx_import.py).
- Networks exported by regluon's mx.onnx.export_model (book nets, model-zoo nets) import
  and give the original network's outputs.
- Graphs built with onnx.helper at several opsets give onnxruntime's outputs.
- Unsupported operators, damaged files and run-time-only attributes raise MXNetError.
"""

import itertools

import numpy as np
import pytest

import regluon as mx
from regluon import nd
from regluon.base import MXNetError
from regluon.gluon import nn
from regluon.gluon.model_zoo import vision

from conftest import GOLDEN, golden

onnx = pytest.importorskip('onnx', reason='the onnx package is not installed (pip install onnx)')
ort = pytest.importorskip('onnxruntime', reason='onnxruntime is not installed '
                          '(pip install onnxruntime)')
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

OnnxImportError = mx.contrib.onnx.OnnxImportError


def close(y, expect, rtol=1e-4):
    """Relative to the output's scale, which must not be degenerate."""
    scale = float(np.abs(expect).max())
    assert scale > 1e-3, f"degenerate reference output (max |y| = {scale})"
    np.testing.assert_allclose(y, expect, rtol=rtol, atol=rtol * scale)


# ---- files exported by MXNet 1.9.1 ------------------------------------------------------------
@pytest.fixture(scope='module')
def gold():
    return golden('onnx_import')


@pytest.mark.parametrize('key', ['convnet', 'mlp'])
def test_mxnet_exported_file(gold, key):
    path = str(GOLDEN / f'onnx_import_{key}.onnx')
    sym, arg_params, aux_params = mx.contrib.onnx.import_model(path)
    assert isinstance(sym, mx.sym.Symbol)
    # MXNet's split: BatchNorm's running mean/var are auxiliary states, the rest arguments
    assert sorted(arg_params) == list(gold[f'{key}_args'])
    assert sorted(aux_params) == list(gold[f'{key}_aux'])
    assert [str(arg_params[k].shape) for k in sorted(arg_params)] == \
        list(gold[f'{key}_arg_shapes'])
    assert all(isinstance(v, nd.NDArray) for v in {**arg_params, **aux_params}.values())
    assert sym.list_arguments() == list(gold[f'{key}_list_arguments'])       # MXNet's order
    assert sym.list_auxiliary_states() == list(gold[f'{key}_list_auxiliary_states'])
    x = gold[f'{key}_x']
    exe = sym.bind(mx.cpu(), {'data': nd.array(x), **arg_params}, aux_states=aux_params)
    y = exe.forward(is_train=False)[0].asnumpy()
    np.testing.assert_allclose(y, gold[f'{key}_y_imported'], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(y, gold[f'{key}_y'], rtol=1e-5, atol=1e-6)
    net = mx.contrib.onnx.import_to_gluon(path, mx.cpu())
    np.testing.assert_allclose(net(nd.array(x)).asnumpy(), gold[f'{key}_y'],
                               rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize('key', ['convnet', 'mlp'])
def test_mxnet_metadata(gold, key):
    meta = mx.contrib.onnx.get_model_metadata(str(GOLDEN / f'onnx_import_{key}.onnx'))
    in_name, out_name = gold[f'{key}_meta_names']
    in_shape = tuple(int(v) for v in gold[f'{key}_meta_in'][:-1])
    assert meta == {'input_tensor_data': [(in_name, in_shape, int(gold[f'{key}_meta_in'][-1]))],
                    'output_tensor_data': [(out_name,
                                            tuple(int(v) for v in gold[f'{key}_meta_out']))]}


# ---- regluon export -> import round trips ----------------------------------------------------
def mlp():
    net = nn.HybridSequential()
    net.add(nn.Dense(16, activation='relu'), nn.Dropout(0.5), nn.Dense(8, activation='sigmoid'),
            nn.Dense(6, activation='tanh'), nn.Dense(4))
    return net, (3, 20)


def lenet():
    net = nn.HybridSequential()
    net.add(nn.Conv2D(6, kernel_size=5, activation='sigmoid'), nn.BatchNorm(),
            nn.MaxPool2D(pool_size=2, strides=2),
            nn.Conv2D(16, kernel_size=5, activation='relu'), nn.AvgPool2D(pool_size=2),
            nn.Flatten(), nn.Dense(32, activation='tanh'), nn.Dropout(0.5), nn.Dense(10))
    return net, (2, 1, 28, 28)


def vgg_style():
    net = nn.HybridSequential()
    for channels in (8, 16):
        net.add(nn.Conv2D(channels, 3, padding=1), nn.BatchNorm(), nn.Activation('relu'),
                nn.Conv2D(channels, 3, padding=1, strides=1, activation='relu'),
                nn.MaxPool2D(3, 2, ceil_mode=True))
    net.add(nn.GlobalAvgPool2D(), nn.Flatten(), nn.Dense(12, activation='relu'),
            nn.Dropout(0.3), nn.Dense(5))
    return net, (2, 3, 20, 20)


def alexnet_style():
    net = nn.HybridSequential()
    net.add(nn.Conv2D(8, 5, strides=2, padding=2, activation='relu'), nn.MaxPool2D(3, 2),
            nn.Conv2D(12, 3, padding=1, groups=2, activation='relu'),
            nn.AvgPool2D(2, 2, padding=1, count_include_pad=False),
            nn.Flatten(), nn.Dense(10, activation='relu'), nn.Dense(3))
    return net, (2, 3, 32, 32)


class SymOps(nn.HybridBlock):
    """Reshape, Transpose, Concat, Softmax and arithmetic between tensors and constants."""

    def __init__(self):
        super().__init__()
        with self.name_scope():
            self.fc = nn.Dense(12, flatten=False)

    def hybrid_forward(self, F, x):
        h = self.fc(x)                                        # (2, 5, 12): MatMul, 3-D
        a = F.transpose(F.reshape(h, shape=(0, -1, 3)), axes=(0, 2, 1))
        b = F.concat(F.sigmoid(a) * 2 - 1, F.tanh(a) / 3 + a, dim=2)
        c = F.broadcast_div(b, F.abs(b) + 1) * F.relu(b)
        return F.softmax(F.flatten(c), axis=-1)


def symops():
    return SymOps(), (2, 5, 7)


def zoo(name, shape, **kwargs):
    return lambda: (vision.get_model(name, classes=7, **kwargs), shape)


def inception_blocks():
    """Inception v3's blocks A, B, C, D and E (every one of its operator patterns) on a
    small input; the whole network needs 299x299."""
    from regluon.gluon.model_zoo.vision import inception
    net = nn.HybridSequential()
    net.add(nn.Conv2D(16, 3, padding=1), inception._make_A(8, 'A_'), inception._make_B('B_'),
            inception._make_C(8, 'C_'), inception._make_D('D_'), inception._make_E('E_'),
            nn.GlobalAvgPool2D(), nn.Dense(7))
    return net, (1, 3, 11, 11)


def tiny_densenet():
    return vision.densenet.DenseNet(8, 4, [2, 2], bn_size=2, classes=7), (1, 3, 56, 56)


NETS = [  # id, builder
    ('mlp', mlp), ('lenet', lenet), ('vgg_style', vgg_style), ('alexnet_style', alexnet_style),
    ('symops', symops),
    ('resnet18_v1', zoo('resnet18_v1', (1, 3, 32, 32))),
    ('mobilenet0.25', zoo('mobilenet0.25', (1, 3, 32, 32))),
    ('mobilenetv2_0.25', zoo('mobilenetv2_0.25', (1, 3, 32, 32))),
    ('squeezenet1.1', zoo('squeezenet1.1', (1, 3, 224, 224))),
    ('densenet_tiny', tiny_densenet), ('inception_blocks', inception_blocks),
]


def randomize(net):
    """Non-trivial running statistics and affine parameters, so BatchNorm matters."""
    rng = np.random.RandomState(3)
    for name, p in net.collect_params().items():
        shape = p.shape
        if name.endswith('running_var'):
            p.set_data(nd.array(rng.uniform(0.5, 1.5, shape)))
        elif name.endswith(('running_mean', 'beta', 'bias')):
            p.set_data(nd.array(rng.uniform(-0.2, 0.2, shape)))
        elif name.endswith('gamma'):
            p.set_data(nd.array(rng.uniform(0.8, 1.2, shape)))


def export(net, shape, tmp_path):
    net.initialize(mx.init.MSRAPrelu())
    x = nd.array(np.random.RandomState(0).uniform(-1, 1, shape))
    net(x)
    randomize(net)
    net.hybridize()
    expect = net(x).asnumpy()
    net.export(str(tmp_path / 'net'))
    path = mx.onnx.export_model(str(tmp_path / 'net-symbol.json'),
                                str(tmp_path / 'net-0000.params'), [shape],
                                onnx_file_path=str(tmp_path / 'net.onnx'))
    return path, x, expect


@pytest.mark.parametrize('build', [b for _, b in NETS], ids=[i for i, _ in NETS])
def test_regluon_export_import(tmp_path, build):
    net, shape = build()
    path, x, expect = export(net, shape, tmp_path)
    sym, arg_params, aux_params = mx.contrib.onnx.import_model(path)
    y = sym.eval(data=x, **arg_params, **aux_params)[0].asnumpy()
    close(y, expect)
    block = mx.contrib.onnx.import_to_gluon(path, mx.cpu())
    assert isinstance(block, mx.gluon.SymbolBlock)
    close(block(x).asnumpy(), expect)


def test_zoo_net_converted_to_opset_17(tmp_path):
    # regluon exports at torch's default opset; onnx's converter gives the same graph at 17
    from onnx import version_converter
    net, shape = zoo('resnet18_v2', (1, 3, 32, 32))()
    path, x, expect = export(net, shape, tmp_path)
    model = version_converter.convert_version(onnx.load(path), 17)
    assert model.opset_import[0].version == 17
    onnx.save(model, str(tmp_path / 'op17.onnx'))
    sym, arg_params, aux_params = mx.contrib.onnx.import_model(str(tmp_path / 'op17.onnx'))
    close(sym.eval(data=x, **arg_params, **aux_params)[0].asnumpy(), expect)


def test_batchnorm_stats_are_aux(tmp_path):
    # regluon's exporter keeps a BatchNorm that no convolution precedes
    net, shape = mlp()
    net.add(nn.BatchNorm())
    path, x, expect = export(net, shape, tmp_path)
    sym, arg_params, aux_params = mx.contrib.onnx.import_model(path)
    assert len(aux_params) == 2 and set(aux_params) == set(sym.list_auxiliary_states())
    assert not set(aux_params) & set(arg_params)
    shapes = sorted(v.shape for v in aux_params.values())
    assert shapes == [(4,), (4,)]
    close(sym.eval(data=x, **arg_params, **aux_params)[0].asnumpy(), expect)


def test_import_to_gluon_block(tmp_path):
    net, shape = lenet()
    path, x, expect = export(net, shape, tmp_path)
    block = mx.contrib.onnx.import_to_gluon(path, ctx=mx.cpu())
    params = block.collect_params()
    assert len(params) == len(net.collect_params())
    assert all(p.data().context == mx.cpu() for p in params.values())
    block.hybridize()
    close(block(x).asnumpy(), expect)
    close(block(x).asnumpy(), expect)              # the cached graph replays the same


def test_import_export_import(tmp_path):
    # an imported graph exports to ONNX again (onnxruntime runs it) and imports again
    net, shape = vgg_style()
    path, x, expect = export(net, shape, tmp_path)
    sym, arg_params, aux_params = mx.contrib.onnx.import_model(path)
    again = mx.onnx.export_model(sym, [arg_params, aux_params], [shape],
                                 onnx_file_path=str(tmp_path / 'again.onnx'))
    sess = ort.InferenceSession(again, providers=['CPUExecutionProvider'])
    close(sess.run(None, {sess.get_inputs()[0].name: x.asnumpy()})[0], expect)
    sym2, arg2, aux2 = mx.contrib.onnx.import_model(again)
    close(sym2.eval(data=x, **arg2, **aux2)[0].asnumpy(), expect)


def test_regluon_metadata(tmp_path):
    net, shape = mlp()
    path, _, _ = export(net, shape, tmp_path)
    meta = mx.contrib.onnx.get_model_metadata(path)
    assert meta['input_tensor_data'] == [('data', shape, TensorProto.FLOAT)]
    ((name, out_shape),) = meta['output_tensor_data']
    assert out_shape == (3, 4) and isinstance(name, str)


def test_metadata_symbolic_dims_are_zero(tmp_path):
    graph = helper.make_graph([helper.make_node('Relu', ['x'], ['y'])], 'g',
                              [helper.make_tensor_value_info('x', TensorProto.FLOAT, ['N', 3])],
                              [helper.make_tensor_value_info('y', TensorProto.FLOAT, ['N', 3])])
    path = str(tmp_path / 'd.onnx')
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid('', 13)]), path)
    assert mx.contrib.onnx.get_model_metadata(path) == {
        'input_tensor_data': [('x', (0, 3), TensorProto.FLOAT)],
        'output_tensor_data': [('y', (0, 3))]}
    sym, _, _ = mx.contrib.onnx.import_model(path)
    x = np.random.RandomState(0).uniform(-1, 1, (5, 3)).astype(np.float32)
    np.testing.assert_array_equal(sym.eval(x=nd.array(x))[0].asnumpy(), np.maximum(x, 0))


# ---- graphs built with onnx.helper, checked against onnxruntime -----------------------------
_names = itertools.count()


def node(op, inputs, outputs=('y',), **attrs):
    return helper.make_node(op, list(inputs), list(outputs), name=f'{op.lower()}{next(_names)}',
                            **attrs)


def const(name, value):
    return numpy_helper.from_array(np.asarray(value), name)


R = np.random.RandomState(7)
F32 = TensorProto.FLOAT


def w(*shape):
    return R.uniform(-1, 1, shape).astype(np.float32)


def i64(*values):
    return np.array(values, dtype=np.int64)


# id, opsets, nodes, inputs {name: shape}, initializers [(name, value)], output elem type
HELPER = [
    ('softmax_axis1_old', (11,), [node('Softmax', ['x'], axis=1)], {'x': (2, 3, 4)}, [], F32),
    ('softmax_axis1_new', (13, 17), [node('Softmax', ['x'], axis=1)], {'x': (2, 3, 4)}, [],
     F32),
    ('logsoftmax', (11, 13), [node('LogSoftmax', ['x'])], {'x': (3, 5)}, [], F32),
    ('reshape_codes', (11, 13, 17), [node('Reshape', ['x', 's'])], {'x': (2, 3, 4)},
     [('s', i64(0, -1, 2))], F32),
    ('transpose', (11, 17), [node('Transpose', ['x'], perm=[2, 0, 1])], {'x': (2, 3, 4)}, [],
     F32),
    ('concat_neg_axis', (11, 13), [node('Concat', ['x', 'c'], axis=-1)], {'x': (2, 3)},
     [('c', w(2, 2))], F32),
    ('squeeze_unsqueeze_attr', (11,),
     [node('Unsqueeze', ['x'], ['u'], axes=[0, 3]), node('Squeeze', ['u'], axes=[0])],
     {'x': (2, 3, 4)}, [], F32),
    ('squeeze_unsqueeze_input', (13, 17),
     [node('Unsqueeze', ['x', 'a'], ['u']), node('Squeeze', ['u', 'b'])],
     {'x': (2, 3, 4)}, [('a', i64(0, -1)), ('b', i64(0))], F32),
    ('slice_steps', (11, 13), [node('Slice', ['x', 'st', 'en', 'ax', 'sp'])], {'x': (4, 6, 5)},
     [('st', i64(1, -1)), ('en', i64(2 ** 62, -6)), ('ax', i64(1, 2)), ('sp', i64(2, -2))],
     F32),
    ('split_uneven', (13, 17), [node('Split', ['x', 's'], ['a', 'b'], axis=1),
                                node('Concat', ['b', 'a'], ['y'], axis=1)],
     {'x': (2, 7)}, [('s', i64(3, 4))], F32),
    ('split_equal_attr', (11,), [node('Split', ['x'], ['a', 'b'], axis=1),
                                 node('Mul', ['a', 'b'], ['y'])], {'x': (2, 6)}, [], F32),
    ('gather_take', (11, 13), [node('Gather', ['x', 'i'], axis=1)], {'x': (2, 5, 3)},
     [('i', i64(4, 0, -1))], F32),
    ('gather_scalar', (13,), [node('Gather', ['x', 'i'], axis=0)], {'x': (4, 3)},
     [('i', np.array(-2, np.int64))], F32),
    ('clip_inputs', (11, 13), [node('Clip', ['x', 'lo', 'hi'])], {'x': (3, 4)},
     [('lo', np.array(-0.3, np.float32)), ('hi', np.array(0.5, np.float32))], F32),
    ('clip_min_only', (13,), [node('Clip', ['x', 'lo'])], {'x': (3, 4)},
     [('lo', np.array(0.1, np.float32))], F32),
    ('pad_reflect', (11, 13), [node('Pad', ['x', 'p'], mode='reflect')], {'x': (1, 2, 4, 5)},
     [('p', i64(0, 0, 1, 2, 0, 0, 2, 1))], F32),
    ('pad_constant', (11,), [node('Pad', ['x', 'p', 'v'])], {'x': (1, 2, 3, 3)},
     [('p', i64(0, 0, 1, 0, 0, 0, 0, 2)), ('v', np.array(1.5, np.float32))], F32),
    ('reduce_mean_attr', (11, 13, 17), [node('ReduceMean', ['x'], axes=[1], keepdims=0)],
     {'x': (2, 3, 4)}, [], F32),
    ('reduce_mean_input', (18,), [node('ReduceMean', ['x', 'a'], keepdims=1)],
     {'x': (2, 3, 4)}, [('a', i64(-1, 0))], F32),
    ('reduce_sum_input', (13, 17), [node('ReduceSum', ['x', 'a'])], {'x': (2, 3, 4)},
     [('a', i64(1))], F32),
    ('reduce_family', (11, 13), [node('ReduceMax', ['x'], ['a'], axes=[2]),
                                 node('ReduceL2', ['x'], ['b'], axes=[2]),
                                 node('ReduceLogSumExp', ['x'], ['c'], axes=[2]),
                                 node('Sum', ['a', 'b', 'c'])], {'x': (2, 3, 4)}, [], F32),
    ('matmul_3d', (11, 13), [node('MatMul', ['x', 'm'])], {'x': (2, 3, 4)},
     [('m', w(2, 4, 5))], F32),
    ('matmul_nd_2d', (13,), [node('MatMul', ['x', 'm'])], {'x': (2, 3, 4)}, [('m', w(4, 5))],
     F32),
    ('gemm_general', (11, 13), [node('Gemm', ['x', 'b', 'c'], alpha=0.5, beta=2.0, transA=1)],
     {'x': (4, 3)}, [('b', w(4, 5)), ('c', w(1, 5))], F32),
    ('gemm_fc', (11, 13), [node('Gemm', ['x', 'b', 'c'], transB=1)], {'x': (3, 4)},
     [('b', w(5, 4)), ('c', w(5))], F32),
    ('conv_asym_pads', (11, 13), [node('Conv', ['x', 'k', 'bias'], pads=[0, 1, 2, 1],
                                       strides=[2, 1])],
     {'x': (1, 2, 6, 5)}, [('k', w(3, 2, 3, 3)), ('bias', w(3))], F32),
    ('conv_same_upper', (11, 17), [node('Conv', ['x', 'k'], auto_pad='SAME_UPPER',
                                        strides=[2, 2], dilations=[1, 1])],
     {'x': (1, 2, 7, 6)}, [('k', w(4, 2, 2, 3))], F32),
    ('conv_group_dilate', (13,), [node('Conv', ['x', 'k'], group=2, dilations=[2, 1],
                                       pads=[1, 1, 1, 1])],
     {'x': (1, 4, 7, 7)}, [('k', w(6, 2, 3, 3))], F32),
    ('conv_1d', (13,), [node('Conv', ['x', 'k'], pads=[1, 1])], {'x': (2, 3, 8)},
     [('k', w(4, 3, 3))], F32),
    ('conv_transpose', (11, 13), [node('ConvTranspose', ['x', 'k', 'bias'], strides=[2, 2],
                                       pads=[1, 1, 1, 1], output_padding=[1, 1])],
     {'x': (1, 3, 4, 4)}, [('k', w(3, 2, 3, 3)), ('bias', w(2))], F32),
    ('avgpool_exclude_pad', (11, 13), [node('AveragePool', ['x'], kernel_shape=[3, 3],
                                            strides=[2, 2], pads=[1, 1, 1, 1])],
     {'x': (1, 2, 7, 7)}, [], F32),
    ('avgpool_include_asym', (11,), [node('AveragePool', ['x'], kernel_shape=[2, 2],
                                          pads=[0, 0, 1, 1], count_include_pad=1)],
     {'x': (1, 2, 5, 5)}, [], F32),
    ('maxpool_ceil', (11, 13, 17), [node('MaxPool', ['x'], kernel_shape=[3, 3],
                                         strides=[2, 2], ceil_mode=1)],
     {'x': (1, 2, 8, 8)}, [], F32),
    ('maxpool_same_lower', (11,), [node('MaxPool', ['x'], kernel_shape=[2, 2],
                                        auto_pad='SAME_LOWER')], {'x': (1, 2, 5, 5)}, [], F32),
    ('global_pools', (11, 13), [node('GlobalAveragePool', ['x'], ['a']),
                                node('GlobalMaxPool', ['x'], ['b']),
                                node('Add', ['a', 'b'])], {'x': (2, 3, 4, 5)}, [], F32),
    ('batchnorm', (11, 13, 17), [node('BatchNormalization', ['x', 'g', 'b', 'm', 'v'],
                                      epsilon=1e-3)],
     {'x': (2, 3, 4, 4)}, [('g', w(3)), ('b', w(3)), ('m', w(3)),
                           ('v', R.uniform(0.5, 2, 3).astype(np.float32))], F32),
    ('instancenorm_lrn', (11, 13), [node('InstanceNormalization', ['x', 'g', 'b'], ['n'],
                                         epsilon=1e-4),
                                    node('LRN', ['n'], alpha=1e-2, beta=0.6, bias=1.5, size=3)],
     {'x': (2, 4, 3, 3)}, [('g', w(4)), ('b', w(4))], F32),
    ('layernorm', (17,), [node('LayerNormalization', ['x', 'g', 'b'], epsilon=1e-5)],
     {'x': (2, 3, 6)}, [('g', w(6)), ('b', w(6))], F32),
    ('activations', (11, 13), [node('LeakyRelu', ['x'], ['a'], alpha=0.2),
                               node('Elu', ['a'], ['b'], alpha=0.7),
                               node('HardSigmoid', ['b'], ['c'], alpha=0.3, beta=0.4),
                               node('Softplus', ['c'], ['d']),
                               node('Selu', ['d'], ['e']), node('Softsign', ['e'])],
     {'x': (3, 4)}, [], F32),
    ('prelu', (11, 13), [node('PRelu', ['x', 's'])], {'x': (2, 3, 2, 2)},
     [('s', w(3, 1, 1))], F32),
    ('hardswish_erf', (14,), [node('HardSwish', ['x'], ['a']), node('Erf', ['a'])],
     {'x': (3, 4)}, [], F32),
    ('unary_math', (13,), [node('Exp', ['x'], ['a']), node('Sqrt', ['a'], ['b']),
                           node('Log', ['b'], ['c']), node('Neg', ['c'], ['d']),
                           node('Abs', ['d'], ['e']), node('Reciprocal', ['e'], ['f']),
                           node('Floor', ['f'], ['g']), node('Sin', ['g'])],
     {'x': (3, 4)}, [], F32),
    ('scalar_arith', (11, 13), [node('Sub', ['two', 'x'], ['a']), node('Div', ['a', 'three'],
                                                                        ['b']),
                                node('Pow', ['b', 'two'], ['c']), node('Mul', ['c', 'x'])],
     {'x': (3, 4)}, [('two', np.array(2.0, np.float32)),
                     ('three', np.array([3.0], np.float32))], F32),
    ('broadcast_ranks', (13,), [node('Add', ['x', 'c'], ['a']), node('Mul', ['a', 'd'])],
     {'x': (2, 3, 4)}, [('c', w(4)), ('d', w(3, 1))], F32),
    ('flatten_axis2', (11, 13), [node('Flatten', ['x'], axis=2)], {'x': (2, 3, 4, 5)}, [],
     F32),
    ('flatten_axis0', (13,), [node('Flatten', ['x'], axis=0)], {'x': (2, 3)}, [], F32),
    ('resize_nearest', (13, 17), [node('Resize', ['x', '', 'sc'], mode='nearest')],
     {'x': (1, 2, 3, 3)}, [('sc', np.array([1, 1, 2, 2], np.float32))], F32),
    ('expand_tile', (13,), [node('Expand', ['x', 's'], ['a']), node('Tile', ['a', 'r'])],
     {'x': (3, 1)}, [('s', i64(2, 3, 4)), ('r', i64(1, 2, 1))], F32),
    ('where_compare', (13,), [node('Greater', ['x', 'zero'], ['c']),
                              node('Where', ['c', 'x', 'z'])],
     {'x': (3, 4)}, [('zero', np.array(0.0, np.float32)), ('z', w(3, 4))], F32),
    ('cast_argmax', (13,), [node('ArgMax', ['x'], axis=1, keepdims=0)], {'x': (3, 5)}, [],
     TensorProto.INT64),
    ('topk_values', (11, 13), [node('TopK', ['x', 'k'], ['y', 'i'], axis=1)], {'x': (3, 6)},
     [('k', i64(2))], F32),
    ('depth_space', (13,), [node('DepthToSpace', ['x'], ['a'], blocksize=2),
                            node('SpaceToDepth', ['a'], blocksize=2)],
     {'x': (1, 8, 2, 3)}, [], F32),
    ('max_min_mean_sum', (13,), [node('Max', ['x', 'c', 'd'], ['a']),
                                 node('Min', ['x', 'c'], ['b']), node('Sum', ['a', 'b'], ['e']),
                                 node('Min', ['e'], ['f']), node('Mean', ['f', 'b', 'x'])],
     {'x': (3, 4)}, [('c', w(3, 4)), ('d', w(3, 4))], F32),
    # shape arithmetic, as exporters write a flatten: Shape -> Gather -> Unsqueeze -> Concat
    ('shape_chain', (11,), [
        node('Constant', [], ['zero'], value=const('zero', np.array(0, np.int64))),
        node('Shape', ['x'], ['s']), node('Gather', ['s', 'zero'], ['n'], axis=0),
        node('Unsqueeze', ['n'], ['n1'], axes=[0]),
        node('Constant', [], ['minus1'], value_ints=[-1]),
        node('Concat', ['n1', 'minus1'], ['shape'], axis=0),
        node('Reshape', ['x', 'shape'], ['r']), node('Identity', ['r'])],
     {'x': (2, 3, 4)}, [], F32),
    ('shape_chain_axes_input', (13, 17), [
        node('Shape', ['x'], ['s']), node('Gather', ['s', 'zero'], ['n'], axis=0),
        node('Unsqueeze', ['n', 'ax'], ['n1']),
        node('Concat', ['n1', 'minus1'], ['shape'], axis=0),
        node('Reshape', ['x', 'shape'])],
     {'x': (2, 3, 4)}, [('zero', np.array(0, np.int64)), ('ax', i64(0)),
                        ('minus1', i64(-1))], F32),
    ('constant_node_tensor', (11, 13), [
        node('Constant', [], ['c'], value=const('c', w(3, 4))), node('Add', ['x', 'c'])],
     {'x': (3, 4)}, [], F32),
    ('dropout_identity', (11, 13), [node('Dropout', ['x'], ['a']), node('Identity', ['a'])],
     {'x': (3, 4)}, [], F32),
    ('cumsum', (11, 13), [node('CumSum', ['x', 'ax'])], {'x': (3, 4)},
     [('ax', np.array(1, np.int64))], F32),
    ('unary_more', (13,), [node('Tan', ['x'], ['a']), node('Atan', ['a'], ['b']),
                           node('Asinh', ['b'], ['c']), node('Sinh', ['c'], ['d']),
                           node('Cosh', ['d'], ['e']), node('Acosh', ['e'], ['f']),
                           node('Sign', ['x'], ['g']), node('Round', ['x'], ['h']),
                           node('Add', ['f', 'g'], ['i']), node('Add', ['i', 'h'])],
     {'x': (3, 4)}, [], F32),
    ('gelu', (20,), [node('Gelu', ['x'])], {'x': (3, 4)}, [], F32),
    ('reduce_more', (13,), [node('ReduceProd', ['x'], ['a'], axes=[1]),
                            node('ReduceMin', ['x'], ['b'], axes=[1]),
                            node('ReduceL1', ['x'], ['c'], axes=[1]),
                            node('ReduceSumSquare', ['x'], ['d'], axes=[1]),
                            node('Abs', ['x'], ['ax']),
                            node('ReduceLogSum', ['ax'], ['e'], axes=[1]),
                            node('Sum', ['a', 'b', 'c', 'd', 'e'])], {'x': (2, 3, 4)}, [], F32),
    ('reduce_all_axes', (18,), [node('ReduceMax', ['x'], keepdims=0)], {'x': (2, 3)}, [], F32),
    ('tensor_arith', (13,), [node('Div', ['x', 'c'], ['a']), node('Pow', ['c', 'a'], ['b']),
                             node('Sub', ['b', 'x'], ['d']), node('Neg', ['d'])],
     {'x': (3, 4)}, [('c', R.uniform(0.5, 2, (3, 4)).astype(np.float32))], F32),
    ('compare_more', (13,), [node('GreaterOrEqual', ['x', 'c'], ['a']),
                             node('LessOrEqual', ['x', 'c'], ['b']),
                             node('Equal', ['a', 'b'], ['e']), node('And', ['e', 'a'], ['f']),
                             node('Cast', ['f'], to=F32)],
     {'x': (3, 4)}, [('c', w(3, 4))], F32),
    ('softmax_axis1_new_4d', (13,), [node('Softmax', ['x'], axis=1)], {'x': (2, 3, 2, 2)}, [],
     F32),
    ('topk_smallest', (13,), [node('TopK', ['x', 'k'], ['v', 'y'], axis=-1, largest=0)],
     {'x': (3, 6)}, [('k', i64(3))], TensorProto.INT64),
    ('static_shape_size', (13,), [node('Shape', ['x'], ['s']), node('Size', ['x'], ['n']),
                                  node('Unsqueeze', ['n', 'ax'], ['n1']),
                                  node('Concat', ['s', 'n1'], axis=0)],
     {'x': (2, 3)}, [('ax', i64(0))], TensorProto.INT64),
    ('split_num_outputs', (18,), [node('Split', ['x'], ['a', 'b'], axis=1, num_outputs=2),
                                  node('Concat', ['b', 'a'], ['y'], axis=1)],
     {'x': (2, 5)}, [], F32),
    ('upsample', (9,), [node('Upsample', ['x', 'sc'], mode='nearest')], {'x': (1, 2, 2, 3)},
     [('sc', np.array([1, 1, 3, 3], np.float32))], F32),
    ('resize_scales_input1', (10,), [node('Resize', ['x', 'sc'])], {'x': (1, 2, 2, 3)},
     [('sc', np.array([1, 1, 2, 2], np.float32))], F32),
    ('resize_sizes', (13,), [node('Resize', ['x', '', '', 'sz'])], {'x': (1, 2, 2, 3)},
     [('sz', i64(1, 2, 4, 6))], F32),
    ('conv_pool_3d', (13,), [node('Conv', ['x', 'k'], ['a'], pads=[1, 1, 1, 1, 1, 1]),
                             node('MaxPool', ['a'], ['b'], kernel_shape=[2, 2, 2],
                                  strides=[2, 2, 2]),
                             node('GlobalAveragePool', ['b'])],
     {'x': (1, 2, 4, 4, 4)}, [('k', w(3, 2, 3, 3, 3))], F32),
    ('maxpool_1d', (13,), [node('MaxPool', ['x'], kernel_shape=[2], strides=[2])],
     {'x': (2, 3, 8)}, [], F32),
    ('layernorm_no_bias', (17,), [node('LayerNormalization', ['x', 'g'], axis=-1)],
     {'x': (2, 5)}, [('g', w(5))], F32),
    ('cast_round_trip', (13,), [node('Mul', ['x', 'ten'], ['a']),
                                node('Cast', ['a'], ['b'], to=TensorProto.INT64),
                                node('Cast', ['b'], to=TensorProto.FLOAT)],
     {'x': (3, 4)}, [('ten', np.array(10, np.float32))], F32),
    ('reduce_sum_attr', (11,), [node('ReduceSum', ['x'], axes=[0, 2], keepdims=0)],
     {'x': (2, 3, 4)}, [], F32),
    ('gemm_plain_dot', (13,), [node('Gemm', ['x', 'b'])], {'x': (3, 4)}, [('b', w(4, 2))],
     F32),
    ('softmax_axis0_old', (11,), [node('Softmax', ['x'], axis=0)], {'x': (2, 3, 4)}, [],
     F32),
    ('argmin_keepdims', (13,), [node('ArgMin', ['x'], axis=-1, keepdims=1)], {'x': (3, 5)},
     [], TensorProto.INT64),
    ('slice_default_axes', (13,), [node('Slice', ['x', 'st', 'en'])], {'x': (4, 6)},
     [('st', i64(1, 0)), ('en', i64(3, -2))], F32),
    ('logic', (13,), [node('Less', ['x', 'c'], ['a']), node('Greater', ['x', 'zero'], ['b']),
                      node('Or', ['a', 'b'], ['o']), node('Not', ['o'], ['p']),
                      node('Xor', ['p', 'a'], ['q']), node('Cast', ['q'], to=F32)],
     {'x': (3, 4)}, [('c', w(3, 4)), ('zero', np.array(0.2, np.float32))], F32),
]


def helper_model(nodes, inputs, inits, out_type, opset):
    graph = helper.make_graph(
        nodes, 'g', [helper.make_tensor_value_info(k, F32, s) for k, s in inputs.items()],
        [helper.make_tensor_value_info('y', out_type, None)],
        initializer=[const(k, v) for k, v in inits])
    return helper.make_model(graph, opset_imports=[helper.make_opsetid('', opset)],
                             ir_version=8)


HELPER_CASES = [pytest.param(nodes, inputs, inits, out_type, opset, id=f'{name}-op{opset}')
                for name, opsets, nodes, inputs, inits, out_type in HELPER
                for opset in opsets]


@pytest.mark.parametrize('nodes, inputs, inits, out_type, opset', HELPER_CASES)
def test_helper_graph_matches_onnxruntime(tmp_path, nodes, inputs, inits, out_type, opset):
    path = str(tmp_path / 'h.onnx')
    onnx.save(helper_model(nodes, inputs, inits, out_type, opset), path)
    rng = np.random.RandomState(11)
    feed = {k: rng.uniform(-1, 1, s).astype(np.float32) for k, s in inputs.items()}
    sess = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
    expect = sess.run(['y'], feed)[0]
    sym, arg_params, aux_params = mx.contrib.onnx.import_model(path)
    y = sym.eval(**{k: nd.array(v) for k, v in feed.items()}, **arg_params, **aux_params)[0]
    y = y.asnumpy()
    # MXNet 1.x's operators have no 0-d results: a full reduction gives shape (1,)
    assert y.shape == (expect.shape or (1,))
    if out_type == F32:
        np.testing.assert_allclose(y, expect, rtol=1e-5, atol=1e-5)
    else:
        np.testing.assert_array_equal(y, expect)


RUNTIME_SHAPES = [  # how torch.export (export_model(dynamic=True)) writes reshapes
    # a flatten: Reshape(h, Concat(Unsqueeze(Gather(Shape(x), 0)), [-1]))
    ('flatten', 13, [node('Shape', ['x'], ['s']), node('Gather', ['s', 'zero'], ['n'], axis=0),
                     node('Unsqueeze', ['n', 'ax'], ['n1']),
                     node('Concat', ['n1', 'minus1'], ['shape'], axis=0)], (12,)),
    # reshape(x, (0, -1, 1)) with the middle size computed: Shape(x)[1] * 4
    ('arithmetic', 17, [node('Shape', ['x'], ['n1'], start=0, end=1),
                        node('Shape', ['x'], ['m1'], start=1, end=2),
                        node('Squeeze', ['m1'], ['m']), node('Mul', ['m', 'four'], ['m4']),
                        node('Reshape', ['m4', 'minus1'], ['m4_1']),
                        node('Concat', ['n1', 'm4_1', 'one'], ['shape'], axis=0)], (12, 1)),
]


@pytest.mark.parametrize('nodes, opset, out_tail',
                         [pytest.param(r[2], r[1], r[3], id=r[0]) for r in RUNTIME_SHAPES])
def test_reshape_to_runtime_shape(tmp_path, nodes, opset, out_tail):
    # The batch size is the symbolic dimension 'N' of both x and h (ONNX shape inference),
    # so it becomes MXNet's reshape code 0; the one other run-time size becomes -1.
    nodes = [node('Relu', ['x'], ['h'])] + nodes + [node('Reshape', ['h', 'shape'], ['r']),
                                                    node('Sigmoid', ['r'])]
    graph = helper.make_graph(
        nodes, 'g', [helper.make_tensor_value_info('x', F32, ['N', 3, 4])],
        [helper.make_tensor_value_info('y', F32, None)],
        initializer=[const('zero', np.array(0, np.int64)), const('ax', i64(0)),
                     const('minus1', i64(-1)), const('one', i64(1)),
                     const('four', np.array(4, np.int64))])
    path = str(tmp_path / 'r.onnx')
    onnx.save(helper.make_model(graph, opset_imports=[helper.make_opsetid('', opset)]), path)
    sym, arg_params, _ = mx.contrib.onnx.import_model(path)
    assert not arg_params                     # the shape pieces are not parameters
    sess = ort.InferenceSession(path, providers=['CPUExecutionProvider'])
    for batch in (2, 5):
        x = np.random.RandomState(batch).uniform(-1, 1, (batch, 3, 4)).astype(np.float32)
        y = sym.eval(x=nd.array(x))[0].asnumpy()
        assert y.shape == (batch,) + out_tail
        np.testing.assert_allclose(y, sess.run(None, {'x': x})[0], rtol=1e-6, atol=1e-6)


# ---- errors ----------------------------------------------------------------------------------
def save(tmp_path, nodes, inputs=None, inits=(), opset=13):
    inputs = inputs or {'x': (2, 3)}
    graph = helper.make_graph(
        nodes, 'g', [helper.make_tensor_value_info(k, F32, s) for k, s in inputs.items()],
        [helper.make_tensor_value_info('y', F32, None)],
        initializer=[const(k, v) for k, v in inits])
    path = str(tmp_path / 'e.onnx')
    model = helper.make_model(graph, opset_imports=[helper.make_opsetid('', opset),
                                                    helper.make_opsetid('my.domain', 1)])
    onnx.save(model, path)
    return path


def test_unsupported_op_is_named(tmp_path):
    path = save(tmp_path, [node('Relu', ['x'], ['a']),
                           helper.make_node('NonZero', ['a'], ['y'], name='find_them')])
    with pytest.raises(OnnxImportError) as info:
        mx.contrib.onnx.import_model(path)
    assert isinstance(info.value, MXNetError)
    assert isinstance(info.value, NotImplementedError)     # MXNet raises this type
    message = str(info.value)
    assert "'NonZero'" in message and "'find_them'" in message and 'opset 13' in message
    assert 'Relu' in message.split('Supported operators:')[1]   # what is supported


def test_other_domain_is_named(tmp_path):
    path = save(tmp_path, [helper.make_node('Fancy', ['x'], ['y'], name='fancy0',
                                            domain='my.domain')])
    with pytest.raises(OnnxImportError, match=r"'my\.domain\.Fancy' \(node 'fancy0'\)"):
        mx.contrib.onnx.import_to_gluon(path, mx.cpu())


@pytest.mark.parametrize('nodes, inputs, match', [
    ([node('Reshape', ['x', 's'])], {'x': (2, 3), 's': (2,)},
     r"input 1 \('s', the shape\) must be a constant"),
    ([node('Shape', ['x'], ['s']), node('Reshape', ['z', 's'])],
     {'x': ('N', 'M'), 'z': (4, 'K')}, r"more than one size that is not the input's own"),
    ([node('Resize', ['x', '', 'sc'], mode='linear')], {'x': (1, 1, 2, 2), 'sc': (4,)},
     r"mode='linear' is not supported"),
    ([node('DepthToSpace', ['x'], blocksize=2, mode='CRD')], {'x': (1, 4, 2, 2)},
     r"mode='CRD' is not supported"),
    ([node('AveragePool', ['x'], kernel_shape=[2, 2], pads=[0, 0, 1, 1])],
     {'x': (1, 1, 4, 4)}, r'asymmetric pads'),
])
def test_untranslatable_attributes(tmp_path, nodes, inputs, match):
    with pytest.raises(OnnxImportError, match=match) as info:
        mx.contrib.onnx.import_model(save(tmp_path, nodes, inputs))
    assert f"ONNX node '{nodes[-1].name}'" in str(info.value)


@pytest.mark.parametrize('damage', ['truncated', 'garbage', 'first_bytes', 'empty'])
def test_damaged_file_is_mxnet_error(tmp_path, gold, damage):
    data = (GOLDEN / 'onnx_import_mlp.onnx').read_bytes()
    bad = {'truncated': data[:len(data) // 2], 'garbage': b'\x08\xff\xff\xff' + b'\x00' * 64,
           'first_bytes': data[:7], 'empty': b''}[damage]
    path = tmp_path / 'bad.onnx'
    path.write_bytes(bad)
    with pytest.raises(MXNetError, match='bad.onnx'):
        mx.contrib.onnx.import_model(str(path))
    with pytest.raises(MXNetError, match='bad.onnx'):
        mx.contrib.onnx.get_model_metadata(str(path))
    with pytest.raises(MXNetError, match='bad.onnx'):
        mx.contrib.onnx.import_to_gluon(str(path), mx.cpu())


def test_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError):
        mx.contrib.onnx.import_model(str(tmp_path / 'nope.onnx'))


# ---- paths ------------------------------------------------------------------------------------
def test_api_paths(tmp_path):
    from regluon.contrib.onnx.onnx2mx.import_model import import_model, get_model_metadata
    from regluon.contrib.onnx.onnx2mx.import_to_gluon import import_to_gluon
    assert mx.contrib.onnx.import_model is import_model
    assert mx.contrib.onnx.get_model_metadata is get_model_metadata
    assert mx.contrib.onnx.import_to_gluon is import_to_gluon
    assert not hasattr(mx.onnx, 'import_model')          # as in MXNet 1.9.1: contrib only
    sym = mx.sym.FullyConnected(mx.sym.var('data'), num_hidden=3, name='fc')
    params = {'fc_weight': nd.array(w(3, 4)), 'fc_bias': nd.array(w(3))}
    path = mx.contrib.onnx.export_model(sym, params, [(2, 4)], np.float32,
                                        str(tmp_path / 'c.onnx'))
    s, arg_params, _ = mx.contrib.onnx.import_model(path)
    x = nd.array(w(2, 4))
    close(s.eval(data=x, **arg_params)[0].asnumpy(),
          sym.eval(data=x, **params)[0].asnumpy())

