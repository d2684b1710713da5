"""The seed's chapter 5 networks (regluon/models): each trains (its loss falls over a few SGD
steps on real digits) and its parameter names and shapes are what MXNet 1.9.1 gives for the
same code (tools/golden_model_zoo.py runs regluon/models/cnn.py inside MXNet)."""
import numpy as np
import pytest

import regluon as mx
from regluon import autograd, gluon, init, models, nd
from regluon.gluon import nn

from conftest import golden

SEED = golden('model_zoo_seed')
# name, constructor keywords (as in the golden), learning rate
NETS = [
    ('lenet', {}, 0.9),            # the book's sigmoid LeNet and its lr
    ('lenet_bn', {}, 1.0),
    ('alexnet', {}, 0.2),
    ('vgg11', {'ratio': 4}, 0.2),
    ('nin', {}, 0.3),
    ('googlenet', {}, 0.1),
    ('resnet18', {}, 0.02),
    ('densenet', {}, 0.1),
]


def digits(n, size):
    """`n` MNIST digits of the bundled subset, zero-padded to `size` x `size`."""
    ds = gluon.data.vision.datasets.MNISTSubset(train=True)
    x = np.zeros((n, 1, size, size), 'float32')
    for i in range(n):
        x[i, 0, :28, :28] = ds[i][0].asnumpy()[:size, :size, 0] / 255.0
    return nd.array(x), nd.array([ds[i][1] for i in range(n)])


def structure(net):
    byid = {id(p): k for k, p in net._collect_params_with_prefix().items()}
    params = list(net.collect_params().values())
    return ([byid[id(p)] for p in params], [p.name for p in params],
            [','.join(map(str, p.shape)) for p in params])


@pytest.mark.parametrize('name, kwargs, lr', NETS)
def test_trains_with_mxnet_names(name, kwargs, lr):
    mx.random.seed(0)
    with mx.name.NameManager():          # counters as in a fresh process (conv0, ...)
        net = models.get(name, **kwargs)
    net.initialize(init.Xavier())
    x, y = digits(8, int(SEED[f'{name}/input'][-1]))
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': lr})
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    losses = []
    for _ in range(5):
        with autograd.record():
            l = loss(net(x), y).mean()
        l.backward()
        trainer.step(1)
        losses.append(l.asscalar())
    assert np.isfinite(losses).all() and losses[-1] < 0.97 * losses[0], losses
    assert list(structure(net)) == [list(SEED[f'{name}/{k}'])
                                    for k in ('struct', 'names', 'shapes')]


def test_get_unknown_network():
    with pytest.raises(ValueError, match="unknown network 'lenet6'.*resnet18"):
        models.get('lenet6')


def test_blocks_are_truthy():
    """The book writes `if self.conv3:`; MXNet's Blocks are truthy (empty Sequentials not)."""
    plain = models.Residual(8)
    shortcut = models.Residual(8, use_1x1conv=True, strides=2)
    assert plain.conv3 is None and bool(shortcut.conv3) is True
    assert bool(nn.Conv2D(4, 1)) and bool(nn.Dense(2)) and not nn.Sequential()
    shortcut.initialize()
    assert shortcut(nd.ones((2, 3, 6, 6))).shape == (2, 8, 3, 3)
    plain.initialize()
    assert plain(nd.ones((2, 8, 6, 6))).shape == (2, 8, 6, 6)
