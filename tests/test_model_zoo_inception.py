"""model_zoo.vision.inception_v3 against MXNet 1.9.1 (goldens by tools/golden_inception.py):
the logits of a 299x299 image with the same seeded parameters in predict and training
mode, eager and hybridized, and after a training step (forward and backward) the classifier's
weight gradient and BatchNorm's running statistics (MXNet updates them in the backward)."""
import sys

import numpy as np
import pytest

import regluon as mx
from regluon import autograd, nd
from regluon.base import MXNetError
from regluon.gluon.model_zoo import vision

from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
import inception_cases as cases  # noqa: E402

G = golden('inception')


def close(y, want):
    """1e-4 relative to the logits' scale (94 layers of float32 sums in another order)."""
    np.testing.assert_allclose(y.asnumpy(), want, rtol=1e-4, atol=1e-4 * np.abs(want).max())


@pytest.fixture(scope='module')
def built():
    with mx.name.NameManager():
        net = cases.build(vision, nd)
    return net, {k: p.data().copy() for k, p in net.collect_params().items()}


@pytest.fixture
def net(built):
    """The seeded network, its parameters as set (a training step changes the running
    statistics), not hybridized."""
    net, saved = built
    for k, p in net.collect_params().items():
        p.set_data(saved[k])
    net.hybridize(False)
    return net


def check_train(net, x):
    """A training step: the output, two weights' gradients, then the running statistics
    that MXNet's backward updated."""
    close(cases.train_step(net, x, autograd), G['train'])
    for k, g in cases.grads(net).items():
        want = G[f'grad/{k}']
        np.testing.assert_allclose(g.asnumpy(), want, rtol=1e-4, atol=1e-4 * np.abs(want).max())
    names = cases.batchnorms(net)
    assert list(names.values()) == list(G['names'])
    params = net.collect_params()
    for key, prefix in names.items():
        for stat in ('running_mean', 'running_var'):
            np.testing.assert_allclose(params[prefix + stat].data().asnumpy(),
                                       G[f'{key}/{stat}'], rtol=1e-4, atol=1e-5)


def test_predict_then_train(net):
    x = cases.make_input(nd)
    close(net(x), G['predict'])
    check_train(net, x)


def test_hybridized_equals_mxnet(net):
    x = cases.make_input(nd)
    eager = net(x).asnumpy()
    net.hybridize()
    y = net(x)
    np.testing.assert_allclose(y.asnumpy(), eager, rtol=1e-5, atol=1e-5)
    close(y, G['predict'])
    check_train(net, x)


def test_smaller_input_fails_at_the_last_pool(net):
    with pytest.raises(MXNetError, match='Pooling'):
        net(nd.zeros((1, 3, cases.SIZE - 1, cases.SIZE - 1)))
