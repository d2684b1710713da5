"""gluon.Trainer against MXNet 1.9.1 goldens (tools/golden_training.py): a linear model
trained a few steps on one and two contexts, stale gradients, states round trip."""
import json

import numpy as np
import pytest

import regluon as mx
from regluon import nd, autograd, gluon
from regluon.base import MXNetError
from conftest import golden

G = golden('training_trainer')
CASES = sorted(int(k.split('_')[0]) for k in G if k.endswith('_case'))


def _params(ctxs):
    w = gluon.Parameter('w', shape=(3, 4))
    b = gluon.Parameter('b', shape=(3,), lr_mult=2.0, wd_mult=0.0)
    for p, v in ((w, G['in_w']), (b, G['in_b'])):
        p.initialize(ctx=ctxs)
        p.set_data(nd.array(v))
    return w, b


def _backward(w, b, ctxs, step):
    loss_fn = gluon.loss.L2Loss()
    xs = np.split(G['in_x'][step], len(ctxs))
    ys = np.split(G['in_y'][step], len(ctxs))
    with autograd.record():
        losses = [loss_fn(nd.FullyConnected(nd.array(x, ctx=c), w.data(c), b.data(c),
                                            num_hidden=3), nd.array(y, ctx=c))
                  for x, y, c in zip(xs, ys, ctxs)]
    autograd.backward(losses)


def _trainer(case, w, b):
    kw = dict(case['params'])
    if 'lr_scheduler' in kw:
        cls, skw = kw['lr_scheduler']
        kw['lr_scheduler'] = getattr(mx.lr_scheduler, cls)(**skw)
    tkw = dict(case['kwargs'])
    if tkw.get('kvstore') == 'kv:local':                  # a KVStore instance
        tkw['kvstore'] = mx.kv.create('local')
    return gluon.Trainer([w, b], case['opt'], kw, **tkw)


@pytest.mark.parametrize('i', CASES)
def test_trainer_matches_mxnet(i):
    case = json.loads(str(G[f'{i}_case']))
    ctxs = [mx.cpu(c) for c in range(case['nctx'])]
    w, b = _params(ctxs)
    tr = _trainer(case, w, b)
    for step in range(3):
        _backward(w, b, ctxs, step)
        if case['how'] == 'allreduce_update':
            tr.allreduce_grads()
            tr.update(4)
        else:
            tr.step(4)
        if case['how'] == 'set_lr' and step == 0:
            tr.set_learning_rate(0.02)
        for c in ctxs:
            for p in (w, b):
                np.testing.assert_allclose(p.data(c).asnumpy(),
                                           G[f'{i}_{p.name}_{step}_{c.device_id}'],
                                           rtol=1e-5, atol=1e-6, err_msg=f'{case} {step}')
    assert tr.learning_rate == pytest.approx(float(G[f'{i}_lr']))
    expected = json.loads(str(G[f'{i}_stale']))
    if expected == 'no error':
        tr.step(4)
    else:
        exc, msg = expected.split(': ', 1)
        with pytest.raises(getattr(__builtins__, exc, None) or UserWarning) as e:
            tr.step(4)
        assert str(e.value) == msg and type(e.value).__name__ == exc


def test_ignore_stale_grad_skips_only_stale():
    w, b = _params([mx.cpu()])
    tr = gluon.Trainer({'w': w, 'b': b}, 'sgd', {'learning_rate': 1.0})
    x = nd.array(G['in_x'][0], ctx=mx.cpu())
    with autograd.record():
        loss = (nd.FullyConnected(x, w.data(), None, no_bias=True, num_hidden=3) ** 2).sum()
    loss.backward()
    b0 = b.data().asnumpy()
    with pytest.raises(UserWarning, match='Parameter `b` on context cpu\\(0\\) has not been'):
        tr.step(1)
    tr.step(1, ignore_stale_grad=True)
    np.testing.assert_array_equal(b.data().asnumpy(), b0)          # stale: skipped
    assert not np.allclose(w.data().asnumpy(), G['in_w'])          # fresh: updated


def test_rescale_is_scale_over_batch_size():
    w, b = _params([mx.cpu()])
    opt = mx.optimizer.SGD(learning_rate=0.5, rescale_grad=3.0)
    tr = gluon.Trainer([w], opt)
    assert tr.optimizer is opt
    _backward(w, b, [mx.cpu()], 0)
    g = w.grad().asnumpy()
    tr.step(6)
    assert opt.rescale_grad == 0.5
    np.testing.assert_allclose(w.data().asnumpy(), G['in_w'] - 0.5 * 0.5 * g, rtol=1e-6)


def test_states_round_trip(tmp_path):
    ctxs = [mx.cpu()]
    runs = []
    for reload in (False, True):
        w, b = _params(ctxs)
        sched = mx.lr_scheduler.FactorScheduler(step=1, factor=0.5, base_lr=0.1)
        tr = gluon.Trainer([w, b], 'adam', {'lr_scheduler': sched, 'learning_rate': 0.1})
        _backward(w, b, ctxs, 0)
        tr.step(4)
        if reload:
            tr.save_states(tmp_path / 't.states')
            assert not (tmp_path / 't.states').read_bytes().startswith(b'\x80')
            tr = gluon.Trainer([w, b], 'sgd')            # a different optimizer is replaced
            tr.load_states(tmp_path / 't.states')
            assert isinstance(tr.optimizer, mx.optimizer.Adam)
            assert tr.optimizer.param_dict[1] is b
        _backward(w, b, ctxs, 1)
        tr.step(4)
        runs.append((w.data().asnumpy(), b.data().asnumpy(), tr.learning_rate))
    np.testing.assert_array_equal(runs[0][0], runs[1][0])
    np.testing.assert_array_equal(runs[0][1], runs[1][1])
    assert runs[0][2] == runs[1][2]


@pytest.mark.parametrize('make, exc, msg', [
    (lambda w: gluon.Trainer(w, 'sgd'), ValueError, 'list or dict of Parameters'),
    (lambda w: gluon.Trainer([w, 3], 'sgd'), ValueError, "got list of <class 'int'>"),
    (lambda w: gluon.Trainer([w], 'nosuch'), ValueError, 'Cannot find optimizer nosuch'),
    (lambda w: gluon.Trainer([w], mx.optimizer.SGD(), {'learning_rate': 1}), AssertionError,
     'optimizer_params must be None'),
    (lambda w: gluon.Trainer([w], 'sgd', kvstore=3).step(1), TypeError,
     'kvstore must be a name, a KVStore or None'),
    (lambda w: gluon.Trainer([w], 'sgd', {'lr_scheduler': mx.lr_scheduler.FactorScheduler(
        2)}).set_learning_rate(0.1), UserWarning, 'LRScheduler of the optimizer'),
])
def test_trainer_errors(make, exc, msg):
    w, _ = _params([mx.cpu()])
    with pytest.raises(exc, match=msg):
        make(w)


def test_update_on_kvstore_refuses_allreduce():
    ctxs = [mx.cpu(0), mx.cpu(1)]
    w, b = _params(ctxs)
    tr = gluon.Trainer([w, b], 'sgd')
    _backward(w, b, ctxs, 0)
    with pytest.raises(AssertionError, match='allreduce_grads\\(\\) when parameters are '
                                             'updated on kvstore'):
        tr.allreduce_grads()
    with pytest.raises(AssertionError, match='update_on_kvstore'):
        tr.update(4)


GN = golden('training_net')


@pytest.mark.parametrize('hybridize', [False, True])
def test_end_to_end_loop_matches_mxnet(hybridize):
    """A two-layer net trained 4 Adam steps through collect_params/loss/Trainer/metrics."""
    net = gluon.nn.HybridSequential(prefix='net_')
    with net.name_scope():
        net.add(gluon.nn.Dense(5, in_units=4, activation='relu'))
        net.add(gluon.nn.Dense(3, in_units=5))
    net.initialize()
    if hybridize:
        net.hybridize()
    params = net.collect_params()
    assert sorted(params.keys()) == sorted(k[5:] for k in GN if k.startswith('init_'))
    for name in params.keys():
        params[name].set_data(nd.array(GN['init_' + name]))
    params['net_dense1_bias'].lr_mult = 0.5
    tr = gluon.Trainer(params, 'adam', {'learning_rate': 0.05, 'wd': 1e-3})
    loss_fn = gluon.loss.SoftmaxCrossEntropyLoss()
    acc, lossm = mx.metric.Accuracy(), mx.metric.Loss()
    for step in range(4):
        x, y = nd.array(GN[f'x{step}']), nd.array(GN[f'y{step}'])
        with autograd.record():
            pred = net(x)
            loss = loss_fn(pred, y)
        loss.backward()
        tr.step(6)
        acc.update([y], [pred])
        lossm.update(None, [loss])
        np.testing.assert_allclose(loss.asnumpy(), GN[f'loss{step}'], rtol=1e-5, atol=1e-6)
    for name in params.keys():
        # Adam divides by sqrt(var): float32 rounding of tiny gradients shows at ~1e-6
        np.testing.assert_allclose(params[name].data().asnumpy(), GN['final_' + name],
                                   rtol=1e-5, atol=1e-5, err_msg=name)
    assert acc.get()[1] == pytest.approx(float(GN['acc']))
    assert lossm.get()[1] == pytest.approx(float(GN['lossm']), rel=1e-5)


def test_dist_kvstore_outside_a_job(monkeypatch):
    monkeypatch.delenv('RANK', raising=False)
    monkeypatch.delenv('WORLD_SIZE', raising=False)
    w, b = _params([mx.cpu()])
    with pytest.raises(MXNetError, match='regluon launch'):     # initialized: joins now
        gluon.Trainer([w, b], 'sgd', kvstore='dist_sync')
    lazy = gluon.Parameter('lazy', shape=(0,), allow_deferred_init=True)
    lazy.initialize()
    tr = gluon.Trainer([lazy], 'sgd', kvstore='dist_sync')    # deferred: at the first step
    lazy.shape = (3,)
    lazy._finish_deferred_init()
    with pytest.raises(MXNetError, match='regluon launch'):
        tr.step(4)


_WORKER = """
import json, sys
import numpy as np
import regluon as mx
from regluon import nd, autograd, gluon
rank = int(sys.argv[1])
w = gluon.Parameter('w', shape=(3,))
w.initialize(mx.init.Constant(float(rank + 1)))      # rank 0's value must win
tr = gluon.Trainer([w], 'sgd', {'learning_rate': 0.1, 'momentum': 0.5},
                   kvstore='dist_sync')
for step in range(2):
    x = nd.array([1.0, 2.0, 3.0]) * (rank + 1)
    with autograd.record():
        loss = (w.data() * x).sum()
    loss.backward()
    tr.step(2)
print(json.dumps(w.data().asnumpy().tolist()))
"""


def test_dist_sync_trainer_two_workers(tmp_path):
    """Two gloo workers: rank 0's initial weights are broadcast and gradients summed, so
    both end with the weights of one process seeing the summed gradient."""
    import os, socket, subprocess, sys
    script = tmp_path / 'worker.py'
    script.write_text(_WORKER)
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        port = s.getsockname()[1]
    procs = [subprocess.Popen(
        [sys.executable, str(script), str(r)], stdout=subprocess.PIPE, stderr=subprocess.PIPE,
        text=True, env=dict(os.environ, RANK=str(r), WORLD_SIZE='2', LOCAL_RANK=str(r),
                            MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port),
                            OMP_NUM_THREADS='1')) for r in range(2)]
    outs = []
    for p in procs:
        try:
            out, err = p.communicate(timeout=120)
        except subprocess.TimeoutExpired:
            for q in procs:
                q.kill()
            pytest.fail('dist workers did not finish within 120 s')
        assert p.returncode == 0, err
        outs.append(json.loads(out.strip().splitlines()[-1]))
    # reference: w0 = 1, grad = x*(1+2) = 3*[1,2,3], rescale 1/2, SGD momentum 0.5
    g = 1.5 * np.array([1.0, 2.0, 3.0])
    mom = -0.1 * g
    w = 1.0 + mom
    mom = 0.5 * mom - 0.1 * g
    w = w + mom
    for res in outs:
        np.testing.assert_allclose(res, w, rtol=1e-6)


def test_contexts_must_match():
    w, _ = _params([mx.cpu(0)])
    _, b = _params([mx.cpu(0), mx.cpu(1)])
    with pytest.raises(AssertionError, match='All Parameters must be initialized on the same '
                                             'set of contexts.*Parameter b'):
        gluon.Trainer([w, b], 'sgd')


def test_states_round_trip_two_contexts(tmp_path):
    """States saved from one context's updater are loaded into every context's copy."""
    ctxs = [mx.cpu(0), mx.cpu(1)]
    runs = []
    for reload in (False, True):
        w, b = _params(ctxs)
        tr = gluon.Trainer([w, b], 'sgd', {'learning_rate': 0.1, 'momentum': 0.9},
                           update_on_kvstore=False)
        _backward(w, b, ctxs, 0)
        tr.step(4)
        if reload:
            tr.save_states(tmp_path / 's')
            tr = gluon.Trainer([w, b], 'sgd', {'learning_rate': 0.1, 'momentum': 0.9},
                               update_on_kvstore=False)
            tr.load_states(tmp_path / 's')
        _backward(w, b, ctxs, 1)
        tr.step(4)
        runs.append([w.data(c).asnumpy() for c in ctxs])
    for a, b_ in zip(runs[0], runs[1]):
        np.testing.assert_array_equal(a, b_)
    np.testing.assert_array_equal(runs[1][0], runs[1][1])
