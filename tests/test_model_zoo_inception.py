"""model_zoo.vision.inception_v3 against MXNet 1.9.1 (goldens by tools/golden_inception.py):
the logits of a 299x299 image with the same formula-set parameters in predict and training
mode, eager and hybridized, and BatchNorm's running statistics after the training forward."""
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
def net():
    with mx.name.NameManager():
        return cases.build(vision, nd)


def test_predict_train_and_running_stats(net):
    x = cases.make_input(nd)
    close(net(x), G['predict'])
    with autograd.record():
        y = net(x)
    close(y, G['train'])
    names = cases.batchnorms(net)
    assert list(names.values()) == list(G['names'])
    params = net.collect_params()
    for key, prefix in names.items():
        for stat in ('running_mean', 'running_var'):
            np.testing.assert_allclose(params[prefix + stat].data().asnumpy(),
                                       G[f'{key}/{stat}'], rtol=1e-4, atol=1e-5)


def test_hybridized_equals_mxnet(net):
    x = cases.make_input(nd)
    eager = net(x).asnumpy()
    net.hybridize()
    try:
        y = net(x)
        np.testing.assert_allclose(y.asnumpy(), eager, rtol=1e-5, atol=1e-5)
        close(y, G['predict'])
        with autograd.record():
            close(net(x), G['train'])
    finally:
        net.hybridize(False)


def test_smaller_input_fails_at_the_last_pool(net):
    with pytest.raises(MXNetError, match='Pooling'):
        net(nd.zeros((1, 3, cases.SIZE - 1, cases.SIZE - 1)))
