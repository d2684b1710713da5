"""The small top-level modules old MXNet scripts import: mx.AttrScope, mx.runtime,
mx.profiler, mx.engine, mx.rnd, mx.img, mx.monitor."""
import json
import sys

import pytest

import regluon as mx
from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
import attr_scope_cases  # noqa: E402


# ---- AttrScope ----------------------------------------------------------------------------
# MXNet also lists an operator node's settings (num_hidden, act_type) among its attributes;
# regluon's Symbol.list_attr lists only the node's attributes, so those are left out here.
def test_attr_scope_matches_mxnet():
    want = json.loads((GOLDEN / 'attr_scope.json').read_text())
    got = attr_scope_cases.build(mx)
    assert json.loads(got['json']) == want['json']
    assert got['attr'] == want['attr']
    # an operator's settings (num_hidden, act_type) are among its attributes, as in MXNet
    assert got['list_attr'] == want['list_attr']
    assert got['attr_dict'] == want['attr_dict']


def test_attr_scope_restores_and_validates():
    with mx.AttrScope(ctx_group='a'):
        with mx.attribute.AttrScope(ctx_group='b'):
            assert mx.sym.var('x').attr('ctx_group') == 'b'
        assert mx.sym.var('y').attr('__ctx_group__') == 'a'
    assert mx.sym.var('z').attr('ctx_group') is None
    assert mx.sym.var('z').list_attr() == {}
    with pytest.raises(ValueError, match='Attributes need to be string'):
        mx.AttrScope(lr_mult=0.1)
    with pytest.warns(DeprecationWarning):
        assert isinstance(mx.AttrScope.current, mx.AttrScope)


# ---- runtime ------------------------------------------------------------------------------
# MXNet 1.9.1's feature names, in its order (mx.runtime.Features().keys())
_MXNET_FEATURES = ['CUDA', 'CUDNN', 'NCCL', 'CUDA_RTC', 'TENSORRT', 'CPU_SSE', 'CPU_SSE2',
                   'CPU_SSE3', 'CPU_SSE4_1', 'CPU_SSE4_2', 'CPU_SSE4A', 'CPU_AVX', 'CPU_AVX2',
                   'OPENMP', 'SSE', 'F16C', 'JEMALLOC', 'BLAS_OPEN', 'BLAS_ATLAS', 'BLAS_MKL',
                   'BLAS_APPLE', 'LAPACK', 'MKLDNN', 'OPENCV', 'CAFFE', 'PROFILER',
                   'DIST_KVSTORE', 'CXX14', 'INT64_TENSOR_SIZE', 'SIGNAL_HANDLER', 'DEBUG',
                   'TVM_OP']


def test_runtime_features_follow_torch():
    import torch
    feats = mx.runtime.Features()
    assert feats is mx.runtime.Features()
    assert list(feats) == _MXNET_FEATURES
    assert [f.name for f in mx.runtime.feature_list()] == _MXNET_FEATURES
    assert feats.is_enabled('CUDA') == feats.is_enabled('cuda') == torch.cuda.is_available()
    assert feats['MKLDNN'].enabled == torch.backends.mkldnn.is_available()
    assert feats['OPENMP'].enabled == torch.backends.openmp.is_available()
    assert feats['BLAS_MKL'].enabled == torch.backends.mkl.is_available()
    assert feats.is_enabled('PROFILER')
    assert repr(feats['CUDA']) == ('✔ CUDA' if torch.cuda.is_available() else '✖ CUDA')
    with pytest.raises(RuntimeError, match="Feature 'NOPE' is unknown"):
        feats.is_enabled('nope')


# ---- profiler -----------------------------------------------------------------------------
@pytest.fixture
def profiler():
    P = mx.profiler
    saved = dict(P._config)
    P._state.update(running=None, paused=False, sessions=[], ever_run=False)
    yield P
    if P._state['running'] is not None:
        P.set_state('stop')
    P._state.update(running=None, paused=False, sessions=[], ever_run=False)
    P._config.clear()
    P._config.update(saved)


def test_profiler_run_dump_writes_chrome_trace(profiler, tmp_path):
    P = profiler
    fname = tmp_path / 'trace.json'
    P.set_config(filename=str(fname), profile_all=True, aggregate_stats=True)
    P.set_state('run')
    a = mx.nd.ones((3, 3))
    task = P.Domain('dom').new_task('step')
    task.start()
    (a * 2).asnumpy()
    task.stop()
    P.pause()
    (a - 1).asnumpy()          # paused: not recorded
    P.resume()
    with P.scope('myscope'):
        (a + 1).asnumpy()
    P.Event('ev').start()
    P.set_state('stop')
    P.dump()
    trace = json.loads(fname.read_text())
    names = {e.get('name') for e in trace['traceEvents']}
    assert {'dom::step', 'myscope', 'aten::mul', 'aten::add'} <= names
    assert 'aten::sub' not in names
    table = P.dumps()
    assert table.startswith('Profile Statistics:') and 'aten::mul' in table
    rows = json.loads(P.dumps(format='json', reset=True))
    assert {r['name'] for r in rows} >= {'aten::mul', 'dom::step'}
    assert json.loads(P.dumps(format='json')) == []


def test_profiler_dump_keeps_running_unless_finished(profiler, tmp_path):
    P = profiler
    P.set_config(filename=str(tmp_path / 'p.json'))
    P.set_state('run')
    P.dump(finished=False)
    assert P._state['running'] is not None
    P.dump()
    assert P._state['running'] is None
    assert 'traceEvents' in json.loads((tmp_path / 'p.json').read_text())


def test_profiler_counter_and_names(profiler):
    dom = profiler.Domain('d')
    c = dom.new_counter('c', 3)
    c += 2
    c.increment()
    c -= 1
    c.decrement(2)
    assert c.value == 3 and str(c) == 'c' and str(dom) == 'd'
    c.set_value(10)
    assert c.value == 10
    assert str(dom.new_frame('f')) == 'f' and str(profiler.Event('e')) == 'e'
    dom.new_marker('m').mark()


@pytest.mark.parametrize('call, exc, msg', [
    (lambda P: P.set_state('go'), KeyError, 'go'),
    (lambda P: P.set_config(bogus=1), mx.MXNetError, "Cannot find argument 'bogus'"),
    (lambda P: P.dump(), mx.MXNetError, "Profiler hasn't been run"),
    (lambda P: P.dumps(format='xml'), AssertionError, 'Invalid value provided for format'),
    (lambda P: P.dumps(sort_by='name'), AssertionError, 'Invalid value provided for sort_by'),
    (lambda P: P.set_state('run', profile_process='server'), mx.MXNetError, 'Kvstore'),
])
def test_profiler_errors(profiler, call, exc, msg):
    with pytest.raises(exc, match=msg):
        call(profiler)


# ---- engine, rnd, img ---------------------------------------------------------------------
def test_engine_bulk_and_aliases():
    assert mx.rnd is mx.random and mx.img is mx.image and mx.mon is mx.monitor
    prev = mx.engine.set_bulk_size(7)
    with mx.engine.bulk(3) as scope:
        assert mx.engine.set_bulk_size(3) == 3
        x = mx.nd.zeros((1,))
        for _ in range(5):
            x += 1
    assert scope._old_size == 7 and x.asscalar() == 5
    assert mx.engine.set_bulk_size(prev) == 7


# ---- monitor ------------------------------------------------------------------------------
# MXNet 1.9.1 on the same executor (interval 2, sort=True): batches 1 and 3 report these
# norm(x)/sqrt(size) values, batch 2 nothing
_MON_WANT = {'data': 2.1602468, 'fc_bias': 1.0, 'fc_output': 20.124613, 'fc_weight': 3.0276504}


def _fc_executor():
    import numpy as np
    y = mx.sym.FullyConnected(mx.sym.var('data'), num_hidden=2, name='fc')
    exe = y.simple_bind(mx.cpu(), data=(1, 3))
    exe.arg_dict['data'][:] = mx.nd.array([[1, 2, 3]])
    exe.arg_dict['fc_weight'][:] = mx.nd.array(np.arange(6).reshape(2, 3))
    exe.arg_dict['fc_bias'][:] = 1
    return exe


def test_monitor_matches_mxnet(caplog):
    exe = _fc_executor()
    mon = mx.mon.Monitor(2, sort=True)
    mon.install(exe)
    got = []
    for _ in range(3):
        mon.tic()
        exe.forward()
        got.append(mon.toc())
    assert got[1] == []
    for step, res in ((1, got[0]), (3, got[2])):
        assert [n for n, _, _ in res] == [step] * 4
        assert [k for _, k, _ in res] == sorted(_MON_WANT)
        for _, k, s in res:
            assert s.endswith('\t') and float(s) == pytest.approx(_MON_WANT[k], rel=1e-6)
    mon2 = mx.monitor.Monitor(1, stat_func=lambda x: x.max(), pattern='fc_w.*')
    mon2.install(exe)
    mon2.tic()
    exe.forward()
    with caplog.at_level('INFO'):
        mon2.toc_print()
    assert 'fc_weight' in caplog.text and '5.0' in caplog.text and 'data' not in caplog.text
    assert mon2.toc() == []   # not activated: nothing


def test_registry_as_mxnet():
    # private API GluonNLP 0.10 imports (golden: tools/golden_private_api.py)
    sys.path.insert(0, str(GOLDEN))
    import private_api_cases  # noqa: E402
    want = golden('private_api')
    got = private_api_cases.CASES['registry'](mx)
    assert {k[len('registry/'):] for k in want if k.startswith('registry/')} == set(got)
    for k, v in got.items():
        assert v == str(want[f'registry/{k}']), k
