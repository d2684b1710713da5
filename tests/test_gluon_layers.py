"""nn layers: outputs, input gradients, parameter gradients and running stats vs MXNet 1.9.1.

Each case sets the same fixed weights as tools/golden_gluon.py:LAYERS and compares.
"""
import numpy as np
import pytest

from regluon import autograd, nd
from regluon.base import MXNetError
from regluon.gluon import nn

from conftest import golden

G = golden('gluon_layers')

LAYERS = [  # case, constructor, train mode (inputs and weights come from the golden file)
    ('dense', lambda: nn.Dense(3), True),
    ('dense_relu_flat', lambda: nn.Dense(3, activation='relu'), True),
    ('dense_noflat', lambda: nn.Dense(3, flatten=False, use_bias=False, activation='tanh'),
     True),
    ('act_relu', lambda: nn.Activation('relu'), True),
    ('act_sigmoid', lambda: nn.Activation('sigmoid'), True),
    ('act_tanh', lambda: nn.Activation('tanh'), True),
    ('act_softrelu', lambda: nn.Activation('softrelu'), True),
    ('act_softsign', lambda: nn.Activation('softsign'), True),
    ('leaky', lambda: nn.LeakyReLU(0.1), True),
    ('prelu', lambda: nn.PReLU(), True),
    ('prelu_ch', lambda: nn.PReLU(in_channels=3), True),
    ('elu', lambda: nn.ELU(0.7), True),
    ('selu', lambda: nn.SELU(), True),
    ('gelu', lambda: nn.GELU(), True),
    ('swish', lambda: nn.Swish(1.5), True),
    ('flatten', lambda: nn.Flatten(), True),
    ('dropout0', lambda: nn.Dropout(0.0), True),
    ('dropout_eval', lambda: nn.Dropout(0.5), False),
    ('bn_train', lambda: nn.BatchNorm(), True),
    ('bn_eval', lambda: nn.BatchNorm(momentum=0.5), False),
    ('bn_axis_noscale', lambda: nn.BatchNorm(axis=-1, scale=False, center=False), True),
    ('bn_global', lambda: nn.BatchNorm(use_global_stats=True), True),
    ('layernorm', lambda: nn.LayerNorm(), True),
    ('layernorm_ax1', lambda: nn.LayerNorm(axis=1, epsilon=1e-3), True),
    ('instancenorm', lambda: nn.InstanceNorm(scale=True), True),
    ('groupnorm', lambda: nn.GroupNorm(2), True),
    ('conv1d', lambda: nn.Conv1D(4, 3, padding=1), True),
    ('conv2d', lambda: nn.Conv2D(3, (3, 2), strides=(2, 1), padding=(1, 0), dilation=(1, 2),
                                 activation='relu'), True),
    ('conv2d_groups', lambda: nn.Conv2D(4, 3, groups=2, use_bias=False), True),
    ('conv3d', lambda: nn.Conv3D(2, 2), True),
    ('conv2dT', lambda: nn.Conv2DTranspose(3, 3, strides=2, padding=1, output_padding=1),
     True),
    ('conv1dT', lambda: nn.Conv1DTranspose(2, 2, strides=2), True),
    ('maxpool2d', lambda: nn.MaxPool2D(), True),
    ('maxpool2d_pad', lambda: nn.MaxPool2D((2, 3), padding=(1, 1), strides=(2, 3)), True),
    ('maxpool1d_ceil', lambda: nn.MaxPool1D(2, ceil_mode=True), True),
    ('avgpool2d', lambda: nn.AvgPool2D(3, 2, 1), True),
    ('avgpool2d_nopad', lambda: nn.AvgPool2D(3, 2, 1, count_include_pad=False), True),
    ('avgpool3d', lambda: nn.AvgPool3D(2), True),
    ('gap2d', lambda: nn.GlobalAvgPool2D(), True),
    ('gmp1d', lambda: nn.GlobalMaxPool1D(), True),
    ('reflpad', lambda: nn.ReflectionPad2D(1), True),
    ('bn_relu', lambda: nn.BatchNormReLU(), True),
]


def _golden_params(case):
    pre = f'{case}/p/'
    return {k[len(pre):]: v for k, v in G.items() if k.startswith(pre)}


def close(a, b):
    np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-5)


@pytest.mark.parametrize('case, make, train', LAYERS, ids=[c[0] for c in LAYERS])
def test_layer_matches_mxnet(case, make, train):
    layer = make()
    layer.initialize()
    params = _golden_params(case)
    x = nd.array(G[f'{case}/x'])
    x.attach_grad()
    if params:
        layer(x)                                  # finish deferred initialization
    for k, v in params.items():
        getattr(layer, k).set_data(nd.array(v))
    with autograd.record(train_mode=train):
        y = layer(x)
    y.backward(nd.array(G[f'{case}/head']))
    close(y.asnumpy(), G[f'{case}/y'])
    close(x.grad.asnumpy(), G[f'{case}/dx'])
    for k in params:
        p = getattr(layer, k)
        if f'{case}/g/{k}' in G:
            close(p.grad().asnumpy(), G[f'{case}/g/{k}'])
        else:
            assert p.grad_req == 'null'
        close(p.data().asnumpy(), G[f'{case}/after/{k}'])   # running stats moved as MXNet's


def test_embedding_matches_mxnet():
    emb = nn.Embedding(5, 3)
    emb.initialize()
    emb.weight.set_data(nd.array(G['embedding/w']))
    with autograd.record():
        y = emb(nd.array([[0, 4], [2, 2]]))
    y.backward()
    close(y.asnumpy(), G['embedding/y'])
    close(emb.weight.grad().asnumpy(), G['embedding/g'])


def test_batchnorm_stats_untouched_outside_training():
    bn = nn.BatchNorm(in_channels=2)
    bn.initialize()
    x = nd.array(np.random.RandomState(0).uniform(size=(4, 2)))
    bn(x)                                             # predict mode: running stats fixed
    with autograd.record(train_mode=False):
        bn(x).backward()
    assert bn.running_mean.data().asnumpy().tolist() == [0, 0]
    assert bn.running_var.data().asnumpy().tolist() == [1, 1]
    with autograd.record():
        y = bn(x)
    y.backward()                                      # MXNet updates them in the backward
    assert np.abs(bn.running_mean.data().asnumpy()).sum() > 0


def test_dropout_training_zeroes_and_scales():
    x = nd.ones((200, 50))
    with autograd.record():
        y = nn.Dropout(0.5)(x).asnumpy()
    assert set(np.unique(y).tolist()) <= {0.0, 2.0}
    assert 0.4 < (y == 0).mean() < 0.6
    with autograd.record():
        y = nn.Dropout(0.5, axes=(1,))(x).asnumpy()
    assert (y == y[:, :1]).all()                       # one mask value per row, shared on axis 1


@pytest.mark.parametrize('make, shape, weight_shape', [
    (lambda: nn.Dense(4), (2, 3, 5), (4, 15)),
    (lambda: nn.Dense(4, flatten=False), (2, 3, 5), (4, 5)),
    (lambda: nn.Conv2D(6, 3, groups=2), (1, 4, 5, 5), (6, 2, 3, 3)),
    (lambda: nn.Conv2D(6, 3, layout='NHWC'), (1, 5, 5, 4), (6, 3, 3, 4)),
    (lambda: nn.Conv2DTranspose(6, 3), (1, 4, 5, 5), (4, 6, 3, 3)),
])
def test_deferred_shapes_inferred(make, shape, weight_shape):
    layer = make()
    layer.initialize()
    layer(nd.ones(shape))
    assert layer.weight.shape == weight_shape
    assert layer.weight.data().shape == weight_shape


def test_in_units_avoids_deferred_init():
    layer = nn.Dense(3, in_units=4)
    layer.initialize()
    assert layer.weight.data().shape == (3, 4)


def test_wrong_input_width_names_the_op():
    layer = nn.Dense(3, in_units=4)
    layer.initialize()
    with pytest.raises(MXNetError, match='FullyConnected'):
        layer(nd.ones((2, 5)))


def test_layout_assertion():
    with pytest.raises(AssertionError, match="Only supports 'NCHW' and 'NHWC' layout"):
        nn.Conv2D(3, 3, layout='NCW')
    with pytest.raises(AssertionError, match='Slope coefficient for LeakyReLU'):
        nn.LeakyReLU(-1)
