"""gluon.Trainer's kvstore rules against MXNet 1.9.1 (tools/golden_trainer_kv.py; the cases
are tests/golden/trainer_kv_cases.py): which store, update_on_kvstore, training values on
two contexts with dense and row_sparse gradients, the store reset by loading, and
optimizer states saved from the store."""
import os
import sys
import warnings

import numpy as np
import pytest

import regluon as mx
from conftest import golden

sys.path.insert(0, os.path.join(os.path.dirname(__file__), 'golden'))
import trainer_kv_cases as C  # noqa: E402

G = golden('trainer_kv')


@pytest.fixture(autouse=True)
def _quiet():
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')     # storage fallback notes
        yield


@pytest.mark.parametrize('name', sorted(C.CONFIGS))
def test_store_and_update_on_kvstore_as_mxnet(name):
    assert str(C.config(mx, name)) == str(G[f'config:{name}'])


@pytest.mark.parametrize('gstype', ['default', 'row_sparse'])
@pytest.mark.parametrize('upd', [None, True, False])
@pytest.mark.parametrize('optimizer', ['sgd', 'adam'])
def test_training_on_two_contexts_as_mxnet(gstype, upd, optimizer):
    got = C.train(mx, gstype, upd, optimizer=optimizer)
    np.testing.assert_allclose(got, G[f'train:{gstype}:{upd}:{optimizer}'], rtol=1e-5,
                               atol=1e-6)


def test_loading_parameters_resets_the_store(tmp_path):
    got = C.reset_on_load(mx, str(tmp_path))
    assert bool(got['gone']) == bool(G['reset:gone']) is True
    np.testing.assert_allclose(got['w'], G['reset:w'], rtol=1e-6)


@pytest.mark.parametrize('upd', [None, False])
def test_states_saved_and_loaded_from_the_store(tmp_path, upd):
    got = C.states(mx, str(tmp_path), upd)
    for k, v in got.items():
        np.testing.assert_allclose(v, G[f'states:{upd}:{k}'], rtol=1e-6, err_msg=k)


def test_refusals_as_mxnet():
    for k, v in C.refusals(mx).items():
        assert str(v) == str(G[f'refuse:{k}']), k


def test_update_on_kvstore_internals():
    """The store holds the optimizer (MXNet's `_kvstore._updater`), the Trainer's own
    updaters stay unused, and set_data makes the store be rebuilt from the new value."""
    x = C._param(mx)
    trainer = mx.gluon.Trainer([x], 'sgd', {'learning_rate': 1.0})
    C._backward(mx, x, 'default')
    trainer.step(1)
    assert trainer._update_on_kvstore is True and trainer._kvstore._updater is not None
    assert trainer._kvstore._updater.optimizer is trainer._optimizer
    assert not trainer._updaters[0].states and not trainer._params_to_init
    x.set_data(mx.nd.full((6, 2), 3.0))
    assert trainer._kvstore is None and trainer._params_to_init == [x]
    C._backward(mx, x, 'default', rows=(1,))
    trainer.step(1)
    # 3 - 1.0 * (2 contexts * 2 * 3) on row 1, the other rows unchanged
    assert x.data(mx.cpu(1)).asnumpy()[:, 0].tolist() == [3, -9, 3, 3, 3, 3]


def test_step_with_torch_grad_mode_on():
    """torch starts a thread with its grad mode on; Trainer.step updates the weights in
    place all the same (regluon puts the mode in step, as its operators do)."""
    import torch
    from regluon import autograd, gluon, nd
    net = gluon.nn.Dense(3, in_units=4)
    net.initialize(mx.init.One())
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5})
    x = nd.ones((2, 4))
    with autograd.record():
        l = net(x).sum()
    l.backward()
    torch.set_grad_enabled(True)
    try:
        trainer.step(2)
    finally:
        torch.set_grad_enabled(False)
    assert net.weight.data().asnumpy().tolist() == [[0.5] * 4] * 3
