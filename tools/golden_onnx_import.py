"""Golden files for ONNX import, written by the real MXNet 1.9.1.

    MXNET_SUBGRAPH_BACKEND=NONE $(../shared/tools/mxnet-ref.sh) tools/golden_onnx_import.py

For two small networks, MXNet 1.9.1 exports ONNX files with its own exporter
(`mx.onnx.export_model`; tests/golden/onnx_import_<net>.onnx) and then imports them with
`mx.contrib.onnx.import_model`. tests/golden/onnx_import.npz holds, per net, the input, the
network's output, the imported symbol's output, the imported arg/aux parameter names and
`get_model_metadata`'s values, which regluon's importer must reproduce.
"""
import contextlib
import io
import os
import tempfile

import numpy as np
os.environ["MXNET_SUBGRAPH_BACKEND"] = "NONE"
import mxnet as mx
from mxnet.gluon import nn

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden')
rng = np.random.RandomState(0)


class Branches(nn.HybridBlock):
    """Two convolution branches joined by Concat, as in Inception/SqueezeNet."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.a = nn.Conv2D(3, 1, activation='relu')
            self.b = nn.Conv2D(3, 3, padding=1, activation='sigmoid')

    def hybrid_forward(self, F, x):
        return F.concat(self.a(x), self.b(x), dim=1)


def convnet():
    net = nn.HybridSequential(prefix='convnet_')
    with net.name_scope():
        net.add(nn.Conv2D(4, 3, padding=1), nn.BatchNorm(), nn.Activation('relu'),
                nn.MaxPool2D(2, 2), Branches(), nn.AvgPool2D(2, 2), nn.Flatten(),
                nn.Dense(8, activation='tanh'), nn.Dropout(0.5), nn.Dense(5))
    return net, (2, 3, 8, 8)


def mlp():
    net = nn.HybridSequential(prefix='mlp_')
    with net.name_scope():
        net.add(nn.Dense(12, activation='relu'), nn.BatchNorm(), nn.Dense(6, activation='sigmoid'),
                nn.Dense(4))
    return net, (3, 10)


results = {}
for key, build in (('convnet', convnet), ('mlp', mlp)):
    mx.random.seed(0)
    net, shape = build()
    net.initialize(mx.init.Xavier())
    x = mx.nd.array(rng.uniform(-1, 1, shape))
    for _ in range(3):                  # training passes, so BatchNorm's running stats move
        with mx.autograd.record():
            net(x * 2 + 0.5)
    net.hybridize()
    y = net(x)
    with tempfile.TemporaryDirectory() as tmp:
        prefix = os.path.join(tmp, key)
        net.export(prefix, 0)
        path = os.path.join(OUT, f'onnx_import_{key}.onnx')
        mx.onnx.export_model(prefix + '-symbol.json', prefix + '-0000.params', [shape],
                             np.float32, path)
    with contextlib.redirect_stdout(io.StringIO()):          # its deprecation notices
        sym, arg_params, aux_params = mx.contrib.onnx.import_model(path)
        meta = mx.contrib.onnx.get_model_metadata(path)
    imported = sym.bind(mx.cpu(), {'data': x, **arg_params}, aux_states=aux_params)
    results[f'{key}_x'] = x.asnumpy()
    results[f'{key}_y'] = y.asnumpy()
    results[f'{key}_y_imported'] = imported.forward(is_train=False)[0].asnumpy()
    results[f'{key}_args'] = np.array(sorted(arg_params))
    results[f'{key}_aux'] = np.array(sorted(aux_params))
    results[f'{key}_list_arguments'] = np.array(sym.list_arguments())
    results[f'{key}_list_auxiliary_states'] = np.array(sym.list_auxiliary_states())
    results[f'{key}_arg_shapes'] = np.array([str(arg_params[k].shape)
                                             for k in sorted(arg_params)])
    (in_name, in_shape, in_type), = meta['input_tensor_data']
    (out_name, out_shape), = meta['output_tensor_data']
    results[f'{key}_meta_names'] = np.array([in_name, out_name])
    results[f'{key}_meta_in'] = np.array(in_shape + (in_type,))
    results[f'{key}_meta_out'] = np.array(out_shape)

np.savez_compressed(os.path.join(OUT, 'onnx_import.npz'), **results)
print(sorted(results))
