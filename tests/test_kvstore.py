"""kvstore: 'local'/'device' aggregate across contexts in one process; 'dist_sync' across
worker processes on torch.distributed (gloo on 127.0.0.1 only)."""
import functools
import json
import os
import re
import socket
import subprocess
import sys
import time

import numpy as np
import pytest

import regluon as mx
from regluon import nd

HERE = os.path.dirname(__file__)


@pytest.mark.parametrize('name', ['local', 'device'])
def test_local_push_sums_contexts_and_pull_broadcasts(name):
    kv = mx.kv.create(name)
    assert kv.type == name and kv.rank == 0 and kv.num_workers == 1
    kv.init(3, nd.zeros((2, 2)))
    kv.push(3, [nd.ones((2, 2), ctx=mx.cpu(0)), nd.ones((2, 2), ctx=mx.cpu(1)) * 2])
    outs = [nd.zeros((2, 2), ctx=mx.cpu(0)), nd.zeros((2, 2), ctx=mx.cpu(1))]
    kv.pull(3, out=outs)
    for o in outs:
        np.testing.assert_array_equal(o.asnumpy(), np.full((2, 2), 3.0))


def test_list_keys_and_pushpull_without_optimizer():
    kv = mx.kv.create('local')
    kv.init(['a', 'b'], [nd.zeros((3,)), nd.zeros((3,))])
    vals = [[nd.ones((3,)), nd.ones((3,))], [nd.arange(3), nd.arange(3)]]
    outs = [nd.zeros((3,)), nd.zeros((3,))]
    kv.pushpull(['a', 'b'], vals, out=outs)
    np.testing.assert_array_equal(outs[0].asnumpy(), [2, 2, 2])
    np.testing.assert_array_equal(outs[1].asnumpy(), [0, 2, 4])


def test_set_optimizer_updates_on_the_store():
    kv = mx.kv.create('local')
    kv.set_optimizer(mx.optimizer.SGD(learning_rate=0.5))
    kv.init(0, nd.ones((2,)))
    kv.push(0, [nd.ones((2,)), nd.ones((2,))])          # summed gradient 2
    out = nd.zeros((2,))
    kv.pull(0, out=out)
    np.testing.assert_allclose(out.asnumpy(), [0.0, 0.0])   # 1 - 0.5 * 2


def test_errors():
    kv = mx.kv.create('local')
    with pytest.raises(mx.MXNetError, match='before init'):
        kv.push('nope', nd.ones((1,)))
    with pytest.raises(mx.MXNetError, match='not supported for this type of kvstore'):
        kv.set_gradient_compression({'type': '2bit'})      # 'local': as MXNet
    # MXNet's KVStore::Create makes a local store of any name without 'dist' in it
    assert mx.kv.create('local_allreduce_cpu').type == 'local_allreduce_cpu'
    with pytest.raises(mx.MXNetError, match='Mixed key types'):
        kv.init(3, nd.ones((1,)))       # its first key was a str


def test_dist_outside_a_job_says_how_to_launch(monkeypatch):
    monkeypatch.delenv('RANK', raising=False)
    monkeypatch.delenv('WORLD_SIZE', raising=False)
    with pytest.raises(mx.MXNetError, match='regluon launch'):
        mx.kv.create('dist_sync')


def _free_port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def _run_workers(script, n=2, timeout=120, args=lambda rank: []):
    port = _free_port()
    procs = []
    for rank in range(n):
        env = dict(os.environ, RANK=str(rank), WORLD_SIZE=str(n), LOCAL_RANK=str(rank),
                   MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port), OMP_NUM_THREADS='1')
        procs.append(subprocess.Popen([sys.executable, os.path.join(HERE, 'kv_workers', script),
                                       *args(rank)],
                                      env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                      text=True))
    results = []
    deadline = time.time() + timeout
    for p in procs:
        try:
            out, err = p.communicate(timeout=max(1, deadline - time.time()))
        except subprocess.TimeoutExpired:
            for q in procs:
                q.kill()
            pytest.fail(f'{script}: workers did not finish within {timeout} s')
        results.append((p.returncode, out, err))
    return results


@functools.lru_cache(maxsize=None)
def _pushpull_results():
    """One run of worker_pushpull.py on two workers, shared by the tests that read it."""
    return _run_workers('worker_pushpull.py')


def test_dist_sync_pushpull_sums_across_workers():
    results = _pushpull_results()
    for rc, out, err in results:
        assert rc == 0, (out, err)
        res = json.loads(out.strip().splitlines()[-1])
        assert res['num_workers'] == 2
        assert res['w'] == [5.0] * 6                       # rank 0's init value
        assert res['g'] == [3.0 * v for v in range(6)]     # 1x + 2x


def test_dist_worker_death_fails_fast_with_clear_error():
    results = _run_workers('worker_dies.py', timeout=90)
    rc0, out0, err0 = results[0]
    assert results[1][0] == 3
    assert rc0 == 7, (out0, err0)
    assert 'another worker probably died' in out0


def test_dist_sync_trainer_matches_one_process_on_the_whole_batch(tmp_path):
    """Two workers, each on half of every batch, end with the parameters of one process
    trained on the whole batches (rank 0's initial weights are broadcast)."""
    sys.path.insert(0, os.path.join(HERE, 'kv_workers'))
    from worker_common import batches, make_net
    results = _run_workers('worker_trainer.py', args=lambda r: [str(tmp_path / f'{r}.npz')])
    for rc, out, err in results:
        assert rc == 0, (out, err)
    mx.random.seed(1)                              # rank 0's draw
    net = make_net()
    trainer = mx.gluon.Trainer(net.collect_params(), 'sgd',
                               {'learning_rate': 0.1, 'momentum': 0.9}, kvstore=None)
    loss = mx.gluon.loss.SoftmaxCrossEntropyLoss()
    for x, y in batches():
        with mx.autograd.record():
            l = loss(net(nd.array(x)), nd.array(y))
        l.backward()
        trainer.step(x.shape[0])
    for r in range(2):
        got = np.load(tmp_path / f'{r}.npz')
        # by position: this process has made other Dense layers, so its names differ
        for name, p in zip(got.files, net.collect_params().values()):
            np.testing.assert_allclose(got[name], p.data().asnumpy(), rtol=1e-4, atol=1e-6,
                                       err_msg=f'rank {r} {name}')


def test_regluon_launch_runs_a_legacy_script_on_two_workers(tmp_path):
    script = tmp_path / 'job.py'
    script.write_text("import mxnet as mx\n"
                      "kv = mx.kv.create('dist_sync')\n"
                      "out = mx.nd.zeros((2,))\n"
                      "kv.pushpull('k', mx.nd.ones((2,)) * (kv.rank + 1), out=out)\n"
                      "import sys\n"
                      "sys.stdout.write(f'RESULT {kv.rank} {kv.num_workers} '\n"
                      "                 f'{out.asnumpy().tolist()}\\n')  # one write: atomic\n")
    proc = subprocess.run([sys.executable, '-m', 'regluon', 'launch', '-n', '2', str(script)],
                          capture_output=True, text=True, timeout=180,
                          env=dict(os.environ, OMP_NUM_THREADS='1'))
    assert proc.returncode == 0, proc.stderr[-2000:]
    # the two workers share one stdout, so their lines may run together
    found = sorted(re.findall(r'RESULT (\d 2 \[3\.0, 3\.0\])', proc.stdout))
    assert found == ['0 2 [3.0, 3.0]', '1 2 [3.0, 3.0]'], proc.stdout


# ---- 2-bit gradient compression and KVStoreBase, against MXNet 1.9.1 ----------------------
# (tools/golden_kvstore_extra.py, cases in tests/golden/kvstore_extra_cases.py)
sys.path.insert(0, os.path.join(HERE, 'golden'))
import kvstore_extra_cases as KC  # noqa: E402
from conftest import golden  # noqa: E402

KG = golden('kvstore_extra')


@pytest.mark.parametrize('prefix, params', [
    ('push', {'type': '2bit', 'threshold': KC.THRESHOLD}),
    ('push_default', {'type': '2bit'}),                    # MXNet's threshold 0.5
])
def test_2bit_compression_pushes_with_residuals_equal_mxnet(prefix, params):
    got = KC.compressed_pushes(mx, params)
    assert len(got) == 2 * KC.STEPS
    for k, v in got.items():
        np.testing.assert_array_equal(v, KG[f'{prefix}:{k}'], err_msg=k)


def test_2bit_compression_formula():
    """Each device sends -t, 0 or t: residual += grad, sent where |residual| >= t and
    taken off it (numpy, from MXNet's quantize_2bit)."""
    got = KC.compressed_pushes(mx)
    t = np.float32(KC.THRESHOLD)
    res = {(k, d): np.zeros(s, np.float32) for k, s in KC.SHAPES.items() for d in (0, 1)}
    for step in range(KC.STEPS):
        for key in KC.SHAPES:
            total = 0
            for d in (0, 1):
                r = res[key, d]
                r += KC.grads(key, step, d)
                q = np.where(r >= t, t, np.where(r <= -t, -t, np.float32(0)))
                r -= q
                total = total + q
            np.testing.assert_array_equal(got[f'{key}:{step}'], total)
    assert any(np.abs(r).max() > 0 for r in res.values())     # residuals are carried


@pytest.mark.parametrize('prefix, kw', [
    ('trainer', dict(compression_params={'type': '2bit', 'threshold': 0.1})),
    ('trainer_nc', {}),
])
def test_trainer_compression_params_equal_mxnet(prefix, kw):
    got = KC.train(mx, 'device', **kw)
    for k, v in got.items():
        np.testing.assert_allclose(v, KG[f'{prefix}:{k}'], rtol=1e-5, atol=1e-6, err_msg=k)


def test_module_compression_params_equal_mxnet():
    got = KC.module_train(mx, {'type': '2bit', 'threshold': 0.1})
    for k, v in got.items():
        np.testing.assert_allclose(v, KG[f'module:{k}'], rtol=1e-5, atol=1e-6, err_msg=k)


@pytest.mark.parametrize('name, kind, params', KC.ERRORS, ids=[e[0] for e in KC.ERRORS])
def test_compression_errors_as_mxnet(name, kind, params):
    key = {'local': 'Gradient compression is not supported for this type of kvstore',
           'threshold': 'threshold must be greater than 0',
           'type': 'Unknown type for gradient compression 1bit'}[name]
    assert key in KG[f'err:{name}'].tobytes().decode()
    with pytest.raises(mx.MXNetError, match=key):
        mx.kv.create(kind).set_gradient_compression(params)


def test_custom_kvstore_registered_and_used_by_name_in_trainer():
    """A KVStoreBase subclass registered by MXNet's decorator is made by mx.kv.create from
    its lower-case name and drives the Trainer (no optimizer on it: update_on_kvstore
    False), giving MXNet's parameters."""
    cls = KC.register_average_store(mx)
    try:
        kv = mx.kv.create('AverageStore')
        assert type(kv) is cls and isinstance(kv, mx.kvstore.KVStoreBase)
        got = KC.train(mx, 'averagestore', steps=2)
        for k, v in got.items():
            np.testing.assert_allclose(v, KG[f'custom:{k}'], rtol=1e-5, atol=1e-6, err_msg=k)
    finally:
        del mx.kv.KVStoreBase.kv_registry['averagestore']


def test_teststore_in_trainer_as_mxnet():
    x = mx.gluon.Parameter('x', shape=(10,))
    x.initialize(ctx=[mx.cpu(0), mx.cpu(1)], init='zeros')
    kv = mx.kv.create('teststore')
    assert kv.type == 'teststore' and kv.rank == 0 and kv.num_workers == 1
    trainer = mx.gluon.Trainer([x], 'sgd', {'learning_rate': 1.0, 'momentum': 0.5}, kvstore=kv)
    with mx.autograd.record():
        for w in x.list_data():
            (w + 1).backward()
    trainer.step(1)
    assert trainer._update_on_kvstore is False
    np.testing.assert_array_equal(x.data(mx.cpu(1)).asnumpy(), KG['teststore:x'])
    bad = mx.gluon.Trainer([x], 'sgd', kvstore=kv, update_on_kvstore=True)
    with pytest.raises(ValueError, match='update_on_kvstore=False'):
        bad._init_kvstore()
    with pytest.raises(NotImplementedError):
        kv.set_optimizer(mx.optimizer.create('sgd'))


def test_kvstorebase_interface():
    assert mx.kv.KVStoreBase.OPTIMIZER == 'optimizer'
    assert mx.kv.create('device').is_capable(mx.kv.KVStoreBase.OPTIMIZER)
    with pytest.raises(ValueError, match='Unknown capability'):
        mx.kv.create('local').is_capable('sparse')
    base = mx.kv.KVStoreBase()
    for call in (lambda: base.pushpull(0, nd.ones(1)), lambda: base.type,
                 lambda: base.broadcast(0, nd.ones(1), nd.ones(1))):
        with pytest.raises(NotImplementedError):
            call()
    with pytest.warns(UserWarning, match='overriding'):
        mx.kv.KVStoreBase.register(type('TestStore', (mx.kv.KVStoreBase,), {}))
    with pytest.warns(UserWarning, match='overriding'):
        mx.kv.KVStoreBase.register(mx.kvstore.TestStore)  # put MXNet's back
    server = mx.kvstore.KVStoreServer(mx.kv.create('local'))
    with pytest.warns(UserWarning, match='no server'):
        server.run()


def test_dist_sync_2bit_compression_quantizes_each_workers_sum():
    """'dist_sync': each worker quantizes its own device sum with its residual, the
    workers' quantized values are summed (MXNet's PushCompressed / server Dequantize)."""
    results = _pushpull_results()
    t = np.float32(0.5)
    res = [np.zeros(5, np.float32), np.zeros(5, np.float32)]
    for step in range(3):
        want = 0
        for r in (0, 1):
            res[r] += np.float32(0.3) * (r + 1) * (step + 1) * np.array([1, -1, 2, -2, 0.5],
                                                                          np.float32)
            q = np.where(res[r] >= t, t, np.where(res[r] <= -t, -t, np.float32(0)))
            res[r] -= q
            want = want + q
        for rc, out, err in results:
            assert rc == 0, (out, err)
            got = json.loads(out.strip().splitlines()[-1])['compressed']
            np.testing.assert_array_equal(np.array(got[step], np.float32), want)
