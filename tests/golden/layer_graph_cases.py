"""Gluon layers whose exported graphs must be MXNet 1.9.1's node for node (operator, node
name, settings, inputs), in legacy and np mode: built the same way by MXNet
(tools/golden_layer_graphs.py) and regluon (tests/test_layer_graphs.py); `lib` is the
library module."""
from importlib import import_module


def _concurrent(cnn, nn):
    c = cnn.HybridConcurrent(axis=1)
    c.add(nn.Dense(2), nn.Dense(3))
    return c


def layers(lib):
    nn = import_module(lib.__name__ + '.gluon.nn')
    rnn = import_module(lib.__name__ + '.gluon.rnn')
    cnn = import_module(lib.__name__ + '.gluon.contrib.nn')
    return {
        'conv1d': (lambda: nn.Conv1D(4, 3, activation='relu'), (2, 3, 10)),
        'conv2d': (lambda: nn.Conv2D(4, 3, strides=2, padding=1, use_bias=False),
                   (2, 3, 8, 8)),
        'conv3d': (lambda: nn.Conv3D(2, 3), (1, 2, 5, 5, 5)),
        'deconv2d': (lambda: nn.Conv2DTranspose(4, 3, strides=2, output_padding=1),
                     (2, 3, 5, 5)),
        'deconv1d': (lambda: nn.Conv1DTranspose(4, 3), (2, 3, 5)),
        'maxpool1d': (lambda: nn.MaxPool1D(2), (2, 3, 8)),
        'avgpool2d': (lambda: nn.AvgPool2D(3, 2, 1, ceil_mode=True, count_include_pad=False),
                      (2, 3, 8, 8)),
        'gmaxpool2d': (lambda: nn.GlobalMaxPool2D(), (2, 3, 8, 8)),
        'gavgpool1d': (lambda: nn.GlobalAvgPool1D(), (2, 3, 8)),
        'maxpool3d': (lambda: nn.MaxPool3D(), (1, 2, 4, 4, 4)),
        'embedding': (lambda: nn.Embedding(10, 4), (2, 5)),
        'dense_noflat': (lambda: nn.Dense(3, flatten=False, use_bias=False,
                                          activation='softrelu'), (2, 4, 5)),
        'batchnorm_nocs': (lambda: nn.BatchNorm(axis=1, center=False, scale=False,
                                                use_global_stats=True), (2, 3, 4)),
        'instancenorm': (lambda: nn.InstanceNorm(), (2, 3, 5)),
        'groupnorm': (lambda: nn.GroupNorm(3), (2, 6, 5)),
        'layernorm_ax': (lambda: nn.LayerNorm(axis=1, center=False), (2, 3, 5)),
        'reflpad': (lambda: nn.ReflectionPad2D(1), (1, 2, 4, 4)),
        'prelu': (lambda: nn.PReLU(), (2, 5)),
        'elu': (lambda: nn.ELU(0.5), (2, 5)),
        'selu': (lambda: nn.SELU(), (2, 5)),
        'gelu': (lambda: nn.GELU(), (2, 5)),
        'swish': (lambda: nn.Swish(), (2, 5)),
        'leaky': (lambda: nn.LeakyReLU(0.2), (2, 5)),
        'act_softsign': (lambda: nn.Activation('softsign'), (2, 5)),
        'hybridlambda': (lambda: nn.HybridLambda('tanh'), (2, 5)),
        'dropout_axes': (lambda: nn.Dropout(0.3, axes=(1,)), (2, 5)),
        'dropout0': (lambda: nn.Dropout(0.0), (2, 5)),
        'flatten': (lambda: nn.Flatten(), (2, 3, 4)),
        'rnn_relu': (lambda: lib.gluon.rnn.RNN(4, 1, activation='relu'), (5, 2, 3)),
        'lstm2': (lambda: rnn.LSTM(4, 2), (5, 2, 3)),
        'gru_bi_ntc': (lambda: rnn.GRU(4, 1, layout='NTC', bidirectional=True), (2, 5, 3)),
        'lstm_proj': (lambda: rnn.LSTM(4, 1, projection_size=2), (5, 2, 3)),
        'pixelshuffle2d': (lambda: cnn.PixelShuffle2D(2), (1, 8, 3, 3)),
        'concurrent': (lambda: _concurrent(cnn, nn), (2, 4)),
        'identity': (lambda: cnn.Identity(), (2, 4)),
        'syncbn': (lambda: cnn.SyncBatchNorm(num_devices=1), (2, 3, 4)),
    }


def graph_view(text):
    """What must match: each node's op, name, settings (attributes named __x__ aside) and
    inputs (node, output; MXNet's mutation version aside), the heads, the graph's attrs."""
    import json
    doc = json.loads(text)
    nodes = [[n['op'], n['name'], {k: v for k, v in n.get('attrs', {}).items()
                                   if not k.startswith('__')}, [i[:2] for i in n['inputs']]]
             for n in doc['nodes']]
    return [nodes, doc['heads'], doc['attrs']]


def export_graph(lib, mode, name, tmpdir):
    """The symbol JSON `export` writes for layer `name` in `mode` ('nd' or 'np')."""
    import os
    make, shape = layers(lib)[name]
    lib.name.NameManager._current.value = lib.name.NameManager()
    net = make()
    net.initialize()
    arrays = lib.numpy if mode == 'np' else lib.nd
    x = arrays.array([[1, 2, 3, 4, 5]] * 2) if name == 'embedding' else arrays.ones(shape)
    net(x)
    net.hybridize()
    net(x)
    path = os.path.join(tmpdir, f'{mode}_{name}')
    net.export(path)
    with open(path + '-symbol.json') as f:
        return f.read()
