"""Gluon in np mode as MXNet 1.9.1's own tests/python/unittest/test_numpy_gluon.py checks
it (values from MXNet 1.9.1, quoted): `@use_np` on a Block class, deferred shapes inferred
through np operators, the optimizer's `allow_np_array`."""
import numpy as onp
import pytest

import regluon as mx
from regluon import autograd, gluon, np, npx
from regluon.util import use_np


@use_np
class _DotTanh(gluon.HybridBlock):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.w = self.params.get('w', shape=(0, 5), allow_deferred_init=True)

    @staticmethod
    def _scale(v):
        return v * 1

    def hybrid_forward(self, F, x, w):
        return F.np.tanh(self._scale(x).dot(w)).sum(axis=1)


def test_use_np_class_runs_every_method_in_np_mode():
    # MXNet wraps every method (initialize included): Parameters are np arrays although
    # np mode is off around the calls; a staticmethod stays one
    assert not npx.is_np_array()
    b = _DotTanh()
    b.initialize(mx.init.One())
    b.hybridize()
    y = b(np.ones((2, 3)) * 0.1)
    assert not npx.is_np_array()
    assert type(y) is np.ndarray and type(b.w.data()) is np.ndarray
    # MXNet 1.9.1: w inferred (3, 5) through x.dot(w); y == [1.456563, 1.456563]
    assert b.w.shape == (3, 5)
    onp.testing.assert_allclose(y.asnumpy(), [1.456563, 1.456563], rtol=1e-6)


def test_dot_weight_inferred_and_trained():
    class Net(gluon.HybridBlock):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            with self.name_scope():
                self.w1 = self.params.get('w1', shape=(0, 16), allow_deferred_init=True)
                self.w2 = self.params.get('w2', shape=(16, 3), allow_deferred_init=True)

        def hybrid_forward(self, F, x, w1, w2):
            return F.npx.relu(x.dot(w1)).dot(w2)

    npx.set_np()
    try:
        net = Net()
        net.initialize(mx.init.Uniform())
        net.hybridize()
        x, y = np.random.uniform(size=(8, 20)), np.random.uniform(size=(8, 3))
        trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 1e-2})
        losses = []
        for _ in range(3):
            with autograd.record():
                loss = ((net(x) - y) ** 2).sum()
            loss.backward()
            trainer.step(1)
            losses.append(float(loss))
        assert net.w1.shape == (20, 16) and losses[2] < losses[0]
        assert trainer._optimizer.allow_np_array
    finally:
        npx.reset_np()
    assert not mx.optimizer.SGD().allow_np_array      # made outside np mode


def test_constraint_check_raises_mxnets_value_error():
    # MXNet 1.9.1's test_numpy_op.test_npx_constraint_check: eager and hybridized, a
    # violated constraint is a ValueError carrying the message
    class Check(gluon.HybridBlock):
        def hybrid_forward(self, F, x, ok):
            return x * F.npx.constraint_check(ok, 'bad thing')

    npx.set_np()
    try:
        x = np.ones((2, 3))
        for hybridize in (False, True):
            blk = Check()
            if hybridize:
                blk.hybridize()
            assert (blk(x, np.ones((2, 3), dtype='bool')).asnumpy() == 1).all()
            with pytest.raises(ValueError, match='bad thing'):
                blk(x, np.zeros((2, 3), dtype='bool'))
        assert bool(npx.constraint_check(np.ones((2,), dtype='bool'), 'ok'))
    finally:
        npx.reset_np()
