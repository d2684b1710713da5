"""mx.contrib.amp: autocast-backed mixed precision and MXNet's dynamic loss scaling
(golden run of MXNet 1.9.1's amp: tools/golden_amp.py)."""
import os
import sys
import threading

import numpy as np
import pytest

import regluon as mx
from regluon import autograd, gluon, nd
from regluon.contrib import amp
from regluon.gluon import nn

from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
import amp_cases as cases  # noqa: E402  (the scenario the golden writer ran in MXNet)

cases.use(mx)


@pytest.fixture(autouse=True)
def amp_off():
    amp._deinit()
    yield
    amp._deinit()


def test_loss_scaling_matches_mxnet():
    g = golden('amp')
    got = cases.loss_scaling(g['x'], g['y'], g['w0'], g['inf_steps'], len(g['scales']))
    assert got['initial_scale'] == g['initial_scale'] == 2. ** 16
    np.testing.assert_array_equal(got['scales'], g['scales'])
    np.testing.assert_allclose(got['trainer_scales'], g['trainer_scales'], rtol=1e-12)
    np.testing.assert_allclose(got['weights'], g['weights'], rtol=1e-5, atol=1e-7)
    for step in g['inf_steps']:                   # overflowing steps were skipped
        np.testing.assert_array_equal(got['weights'][step], got['weights'][step - 1])
    np.testing.assert_allclose(got['scaled_grad'], g['scaled_grad'], rtol=1e-5)
    np.testing.assert_allclose(got['unscaled_grad'], g['unscaled_grad'], rtol=1e-5)
    assert got['scale_after_unscale'] == g['scale_after_unscale'] == 1.0


def _params_with_grads(*grads):
    out = []
    for i, g in enumerate(grads):
        p = gluon.Parameter(f'p{i}', shape=np.shape(g))
        p.initialize()
        p.grad()[:] = nd.array(g)
        out.append(p)
    return out


@pytest.mark.parametrize('bad', [np.inf, -np.inf, np.nan])
def test_scaler_overflow_halves_next_scale(bad):
    scaler = amp.LossScaler()
    params = _params_with_grads([1.0, 2.0], [[3.0, bad]])
    assert scaler.has_overflow(params) is True
    assert scaler.loss_scale == 2. ** 16                # the scale this step used
    params[1].grad()[:] = 0
    assert scaler.has_overflow(params) is False
    assert scaler.loss_scale == 2. ** 15


def test_scaler_grows_after_clean_steps_up_to_max():
    scaler = amp.LossScaler()
    scaler._scale_seq_len = 2
    params = _params_with_grads([1.0])
    seen = []
    for _ in range(20):
        scaler.has_overflow(params)
        seen.append(scaler.loss_scale)
    assert seen[:6] == [2. ** 16, 2. ** 16, 2. ** 17, 2. ** 17, 2. ** 18, 2. ** 18]
    assert max(seen) == 2. ** 24 == seen[-1]            # capped at MXNet's maximum
    grad_null = gluon.Parameter('frozen', shape=(1,), grad_req='null')
    grad_null.initialize()
    assert scaler.has_overflow(params + [grad_null]) is False


MATMUL_OPS = [  # name, call on fp32 inputs
    ('FullyConnected', lambda: nd.FullyConnected(nd.ones((2, 3)), nd.ones((4, 3)),
                                                 nd.zeros((4,)), num_hidden=4)),
    ('Convolution', lambda: nd.Convolution(nd.ones((1, 2, 5, 5)), nd.ones((3, 2, 3, 3)),
                                           nd.zeros((3,)), kernel=(3, 3), num_filter=3)),
    ('dot', lambda: nd.dot(nd.ones((2, 3)), nd.ones((3, 4)))),
    ('batch_dot', lambda: nd.batch_dot(nd.ones((2, 2, 3)), nd.ones((2, 3, 4)))),
]


@pytest.mark.parametrize('name, call', MATMUL_OPS)
def test_bfloat16_matmuls_inside_float32_outside(name, call):
    assert call().dtype == np.float32                   # before amp.init
    amp.init('bfloat16')
    assert call().dtype == 'bfloat16'
    assert nd.exp(nd.ones((2,))).dtype == np.float32    # not a low-precision op
    seen = []                                           # autocast is per thread
    t = threading.Thread(target=lambda: seen.append(call().dtype))
    t.start()
    t.join()
    assert seen == [np.float32]
    amp._deinit()
    assert call().dtype == np.float32


def test_float16_leaves_cpu_ops_in_float32():
    amp.init('float16')                     # MXNet casts to float16 on GPUs only
    assert MATMUL_OPS[0][1]().dtype == np.float32
    amp.init('bfloat16')                    # a second init keeps the first target
    assert MATMUL_OPS[0][1]().dtype == np.float32


def _net():
    net = nn.HybridSequential()
    net.add(nn.Conv2D(4, 3, activation='relu'), nn.MaxPool2D(), nn.Flatten(),
            nn.Dense(16, activation='relu'), nn.Dense(3))
    return net


@pytest.mark.parametrize('hybridize', [False, True])
def test_bfloat16_training_loss_falls(hybridize):
    mx.random.seed(0)
    rng = np.random.RandomState(0)
    y = rng.randint(0, 3, 32)
    x = rng.normal(0, 0.3, (32, 1, 6, 6)) + y[:, None, None, None]   # separable classes
    x, y = nd.array(x), nd.array(y)
    amp.init('bfloat16')
    net = _net()
    net.initialize(mx.init.Xavier())
    if hybridize:
        net.hybridize()
    trainer = gluon.Trainer(net.collect_params(), 'adam', {'learning_rate': 0.02})
    amp.init_trainer(trainer)
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    losses = []
    for _ in range(15):
        with autograd.record():
            out = net(x)
            loss = loss_fn(out, y)
            with amp.scale_loss(loss, trainer) as scaled:
                autograd.backward(scaled)
        trainer.step(32)
        losses.append(float(loss.mean().asscalar()))
    assert out.dtype == 'bfloat16'                                  # computed in bf16
    assert all(p.data().dtype == np.float32 and p.grad().dtype == np.float32
               for p in net.collect_params().values())             # master copies fp32
    assert np.mean(losses[-3:]) < 0.5 * np.mean(losses[:3]), losses


def test_convert_hybrid_block():
    # MXNet's graph conversion (tests/test_amp_convert.py): casts in the graph, the outputs
    # cast back to float32
    net = _net()
    net.initialize(mx.init.Xavier())
    net.hybridize()
    x = nd.random.uniform(shape=(2, 1, 6, 6))
    expect = net(x)
    for target in ('bfloat16', 'float16'):
        mixed = amp.convert_hybrid_block(net, target, ctx=mx.cpu())
        out = mixed(x)
        assert out.dtype == np.float32 and expect.dtype == np.float32
        np.testing.assert_allclose(out.asnumpy(), expect.asnumpy(), rtol=0.05, atol=0.05)
        assert set(mixed.collect_params().keys()) == set(net.collect_params().keys())
    assert net(x).dtype == np.float32                   # the original is unchanged


def test_public_path():
    assert mx.contrib.amp is amp


def test_errors():
    with pytest.raises(AssertionError, match='amp.init'):
        amp.init_trainer(gluon.Trainer(_params_with_grads([1.0]), 'sgd'))
    with pytest.raises(AssertionError, match='got float64'):
        amp.init('float64')
    with pytest.raises(NotImplementedError, match='fp32_ops'):
        amp.init('bfloat16', fp32_ops=['softmax'])
    amp.init('bfloat16')
    with pytest.raises(TypeError, match='Gluon Trainer'):
        amp.init_trainer(mx.optimizer.SGD())
    with pytest.raises(TypeError, match='Gluon Trainer'):
        amp.unscale(mx.optimizer.SGD())
    trainer = gluon.Trainer(_params_with_grads([1.0]), 'sgd')
    with pytest.raises(AssertionError, match='init_trainer'):
        with amp.scale_loss(nd.ones((1,)), trainer):
            pass
    with pytest.raises(AssertionError, match='HybridBlock'):
        amp.convert_hybrid_block(nn.Sequential(), 'bfloat16')


def test_convert_imported_mxnet_model():
    g = golden('symbol/outputs')
    prefix = os.path.join(os.path.dirname(__file__), 'golden', 'symbol', 'mxnet_convnet')
    net = gluon.SymbolBlock.imports(prefix + '-symbol.json', ['data'], prefix + '-0000.params')
    out = amp.convert_hybrid_block(net, 'bfloat16', ctx=mx.cpu())(nd.array(g['convnet_x']))
    assert out.dtype == np.float32
    np.testing.assert_allclose(out.asnumpy(), g['convnet_y'],
                               rtol=0.02, atol=0.02)


def test_amp_module_flags_as_mxnet():
    # private API GluonNLP 0.10 imports (golden: tools/golden_private_api.py)
    sys.path.insert(0, str(GOLDEN))
    import private_api_cases  # noqa: E402
    want = golden('private_api')
    got = private_api_cases.CASES['amp'](mx)
    assert {k[len('amp/'):] for k in want if k.startswith('amp/')} == set(got)
    for k, v in got.items():
        assert v == str(want[f'amp/{k}']), k


def test_amp_initialized_flag_follows_init():
    # GluonNLP's attention masks read amp._amp_initialized to pick their fill value
    try:
        amp.init(target_dtype='bfloat16')
        assert amp._amp_initialized is True
    finally:
        amp._deinit()
    assert amp._amp_initialized is False
    with pytest.raises(AttributeError, match='no attribute'):
        amp._no_such_flag  # noqa: B018


@pytest.mark.parametrize('update_on_kvstore', [None, False])
def test_overflowing_step_skipped_on_two_contexts(update_on_kvstore):
    """An inf gradient skips the step whether the store or the Trainer updates (MXNet
    1.9.1 skips it only when the Trainer does), and halves the next loss scale."""
    amp.init('bfloat16')
    x = gluon.Parameter('x', shape=(3,))
    x.initialize(ctx=[mx.cpu(0), mx.cpu(1)], init=mx.init.One())
    trainer = gluon.Trainer([x], 'sgd', {'learning_rate': 0.1},
                            update_on_kvstore=update_on_kvstore)
    amp.init_trainer(trainer)
    scale = trainer._amp_loss_scaler.loss_scale
    for bad in (True, False):
        with autograd.record():
            for w in x.list_data():
                loss = (w * (np.inf if bad else 1.0)).sum()
                with amp.scale_loss(loss, trainer) as scaled:
                    autograd.backward(scaled)
        trainer.step(1)
        want = [1.0] * 3 if bad else [0.8] * 3     # two contexts' gradients summed
        for w in x.list_data():
            np.testing.assert_allclose(w.asnumpy(), want, rtol=1e-6)
    assert trainer._update_on_kvstore is (update_on_kvstore is None)
    assert trainer._amp_loss_scaler.loss_scale == scale / 2
