"""mx.mod.Module, mx.model checkpoints and mx.callback against MXNet 1.9.1
(tools/golden_io.py, module()): MXNet's checkpoint loads and trains here to the same
parameters MXNet reached; what regluon writes is what MXNet wrote; an MLP learns MNIST."""
import json
import logging
import os
import subprocess
import sys

import numpy as np
import pytest

import regluon as mx
import regluon.compat
from conftest import GOLDEN, golden

G = golden('io')
PREFIX = str(GOLDEN / 'io_module')


def module_data():
    # the same arrays as tools/golden_io.py's module_data() (numpy's RandomState is portable)
    rs = np.random.RandomState(0)
    x = rs.rand(60, 20).astype(np.float32)
    y = (x[:, :4].argmax(1)).astype(np.float32)
    return x, y


def mlp(hidden=16, out=4):
    data = mx.sym.var('data')
    fc1 = mx.sym.FullyConnected(data=data, name='fc1', num_hidden=hidden)
    act1 = mx.sym.Activation(data=fc1, name='relu1', act_type='relu')
    fc2 = mx.sym.FullyConnected(data=act1, name='fc2', num_hidden=out)
    return mx.sym.SoftmaxOutput(data=fc2, name='softmax')


def test_fit_from_mxnet_checkpoint_matches_mxnet(tmp_path):
    x, y = module_data()
    train = mx.io.NDArrayIter(x, y, 16)
    mod = mx.mod.Module.load(PREFIX, 0)
    with pytest.warns(UserWarning, match='already initialized'):   # MXNet warns here too
        mod.fit(train, num_epoch=2, optimizer='sgd', eval_metric='acc',
                optimizer_params={'learning_rate': 0.5, 'momentum': 0.9, 'wd': 0.01})
    _, want, _ = mx.model.load_checkpoint(PREFIX, 2)
    got, aux = mod.get_params()
    assert sorted(got) == list(G['module:param_names']) and aux == {}
    for k in want:
        np.testing.assert_allclose(got[k].asnumpy(), want[k].asnumpy(), rtol=1e-4, atol=1e-5,
                                   err_msg=k)
    assert mod.score(train, ['acc', 'ce'])[0][1] == pytest.approx(float(G['module:score']))
    assert mod.score(train, 'ce')[0][1] == pytest.approx(float(G['module:score_ce']), rel=1e-4)
    np.testing.assert_allclose(mod.predict(train).asnumpy(), G['module:predict'], rtol=1e-4,
                               atol=1e-6)
    assert str(mod.output_shapes) == G['module:output_shapes'][0]


def test_checkpoint_files_as_mxnet_writes_them(tmp_path):
    sym, arg, aux = mx.model.load_checkpoint(PREFIX, 2)
    assert sym.list_arguments() == ['data', 'fc1_weight', 'fc1_bias', 'fc2_weight', 'fc2_bias',
                                    'softmax_label']
    # mx.model.save_checkpoint and Module.save_checkpoint write what MXNet wrote
    mx.model.save_checkpoint(str(tmp_path / 'a'), 2, sym, arg, aux)
    assert (tmp_path / 'a-0002.params').read_bytes() == (GOLDEN / 'io_module-0002.params').read_bytes()
    assert json.loads((tmp_path / 'a-symbol.json').read_text())['nodes'] == \
        json.loads((GOLDEN / 'io_module-symbol.json').read_text())['nodes']
    mod = mx.mod.Module(mlp())
    mod.bind([('data', (16, 20))], [('softmax_label', (16,))], for_training=False)
    mod.set_params(arg, aux)
    mod.save_checkpoint(str(tmp_path / 'b'), 2)
    assert (tmp_path / 'b-0002.params').read_bytes() == (GOLDEN / 'io_module-0002.params').read_bytes()
    mod.save_params(str(tmp_path / 'c.params'))
    mod2 = mx.mod.Module(mlp())
    mod2.bind([('data', (16, 20))], [('softmax_label', (16,))], for_training=False)
    mod2.load_params(str(tmp_path / 'c.params'))
    np.testing.assert_array_equal(mod2.get_params()[0]['fc2_bias'].asnumpy(),
                                  arg['fc2_bias'].asnumpy())


def test_batchnorm_module_steps_match_mxnet():
    """forward_backward/update by hand, Adam, BatchNorm's aux states (moving mean/var)."""
    x, y = module_data()
    prefix = str(GOLDEN / 'io_module_bn')
    train = mx.io.NDArrayIter(x, y, 20)
    mod = mx.mod.Module.load(prefix, 0)
    mod.bind(train.provide_data, train.provide_label)
    mod.init_optimizer(optimizer='adam', optimizer_params={'learning_rate': 0.05})
    for batch in train:
        mod.forward_backward(batch)
        mod.update()
    _, want_arg, want_aux = mx.model.load_checkpoint(prefix, 1)
    arg, aux = mod.get_params()
    assert sorted(aux) == ['bn1_moving_mean', 'bn1_moving_var']
    for k, v in {**want_arg, **want_aux}.items():
        np.testing.assert_allclose({**arg, **aux}[k].asnumpy(), v.asnumpy(), rtol=1e-4,
                                   atol=1e-5, err_msg=k)
    mod.forward(mx.io.DataBatch([mx.nd.array(x[:20])], [mx.nd.array(y[:20])]), is_train=False)
    np.testing.assert_allclose(mod.get_outputs()[0].asnumpy(), G['module_bn:eval_out'],
                               rtol=1e-4, atol=1e-6)


def test_checkpoint_as_gluon_symbolblock():
    x, _ = module_data()
    sym = mx.sym.load(PREFIX + '-symbol.json').get_internals()['fc2_output']
    net = mx.gluon.SymbolBlock(sym, mx.sym.var('data'))
    net.collect_params().load(PREFIX + '-0002.params', ignore_extra=True)
    np.testing.assert_allclose(net(mx.nd.array(x[:3])).asnumpy(), G['module:symblock'],
                               rtol=1e-5, atol=1e-6)


def test_module_steps_and_errors():
    x, y = module_data()
    mod = mx.mod.Module(mlp())
    with pytest.raises(ValueError, match="data_names=\\['img'\\].*'img' is not found"):
        mx.mod.Module(mlp(), data_names=['img'])
    with pytest.warns(UserWarning, match="label_names"):
        mx.mod.Module(mlp(), label_names=['lbl'])
    it = mx.io.NDArrayIter(x, y, 8)
    mod.bind(it.provide_data, it.provide_label, inputs_need_grad=True)
    mod.init_params(mx.init.Xavier())
    with pytest.warns(UserWarning, match='already initialized'):
        mod.init_params()
    with pytest.raises(RuntimeError, match='fc1_bias is not presented'):
        mod.set_params({'fc1_weight': mx.nd.ones((16, 20))}, {})
    mod.init_optimizer(optimizer='sgd', optimizer_params={'learning_rate': 0.1})
    b = next(it)
    mod.forward(b, is_train=True)
    mod.backward()
    g = mod.get_input_grads()[0]
    assert g.shape == (8, 20) and float(g.abs().sum().asscalar()) > 0
    before = mod.get_params()[0]['fc1_weight'].copy()
    mod.update()
    assert float((mod.get_params()[0]['fc1_weight'] - before).abs().sum().asscalar()) > 0
    # a smaller batch rebinds for its shape and keeps the parameters
    mod.forward(mx.io.DataBatch([mx.nd.array(x[:3])], [mx.nd.array(y[:3])]), is_train=False)
    assert mod.get_outputs()[0].shape == (3, 4) and mod.data_shapes[0].shape == (3, 20)
    assert mod.predict(mx.nd.array(x[:5])).shape == (5, 4)
    metric = mx.metric.create('acc')
    mod.update_metric(metric, [mx.nd.array(y[:5])])
    assert metric.num_inst == 5


def test_optimizer_states_round_trip(tmp_path):
    x, y = module_data()
    it = mx.io.NDArrayIter(x, y, 20)
    opt = dict(optimizer='sgd', optimizer_params={'learning_rate': 0.1, 'momentum': 0.9})
    mod = mx.mod.Module(mlp())
    mod.fit(it, num_epoch=1, initializer=mx.init.Xavier(), **opt)
    prefix = str(tmp_path / 'm')
    mod.save_checkpoint(prefix, 1, save_optimizer_states=True)
    assert (tmp_path / 'm-0001.states').exists()
    # resumed with its momentum, training goes on exactly as without the interruption
    again = mx.mod.Module.load(prefix, 1, load_optimizer_states=True)
    fresh = mx.mod.Module.load(prefix, 1)
    with pytest.warns(UserWarning, match='already initialized'):
        for m in (mod, again, fresh):
            m.fit(it, num_epoch=2, begin_epoch=1, **opt)
    want = mod.get_params()[0]
    for k, v in again.get_params()[0].items():
        np.testing.assert_allclose(v.asnumpy(), want[k].asnumpy(), rtol=1e-5, atol=1e-7,
                                   err_msg=k)
    assert not np.allclose(fresh.get_params()[0]['fc1_weight'].asnumpy(),
                           want['fc1_weight'].asnumpy())


def test_fixed_params_and_callbacks(tmp_path, caplog):
    x, y = module_data()
    it = mx.io.NDArrayIter(x, y, 20)
    mod = mx.mod.Module(mlp(), fixed_param_names=['fc1_weight'])
    seen = []
    with caplog.at_level(logging.INFO):
        mod.fit(it, num_epoch=2, initializer=mx.init.Xavier(),
                batch_end_callback=[mx.callback.Speedometer(20, 1), seen.append],
                epoch_end_callback=mx.callback.do_checkpoint(str(tmp_path / 'ck')),
                eval_data=it)
    assert [(p.epoch, p.nbatch) for p in seen] == [(0, 0), (0, 1), (0, 2), (1, 0), (1, 1), (1, 2)]
    assert 'Epoch[1] Validation-accuracy=' in caplog.text
    assert 'Epoch[0] Batch [0-1]\tSpeed:' in caplog.text
    sym, arg, _ = mx.model.load_checkpoint(str(tmp_path / 'ck'), 2)
    _, arg1, _ = mx.model.load_checkpoint(str(tmp_path / 'ck'), 1)
    np.testing.assert_array_equal(arg['fc1_weight'].asnumpy(), arg1['fc1_weight'].asnumpy())
    assert not np.array_equal(arg['fc2_weight'].asnumpy(), arg1['fc2_weight'].asnumpy())


def test_mlp_learns_mnist():
    from regluon.gluon.data.vision.datasets import MNISTSubset
    mx.random.seed(0)
    np.random.seed(0)
    ds = MNISTSubset(train=True)
    img = ds._data.asnumpy()[:1200].reshape(-1, 784).astype(np.float32) / 255
    lab = ds._label[:1200].astype(np.float32)
    train = mx.io.NDArrayIter(img[:1000], lab[:1000], 100, shuffle=True)
    val = mx.io.NDArrayIter(img[1000:], lab[1000:], 100)
    net = mlp(128, 10)
    mod = mx.mod.Module(net, context=mx.cpu())
    mod.fit(train, eval_data=val, optimizer='sgd', initializer=mx.init.Xavier(),
            optimizer_params={'learning_rate': 0.1, 'momentum': 0.9}, num_epoch=2)
    assert mod.score(val, 'acc')[0][1] > 0.7      # chance is 0.1


def test_dist_sync_fit_equals_one_big_batch(tmp_path):
    """Two workers (`regluon launch -n 2`) with kvstore='dist_sync', 8 examples each per
    batch, end with the same parameters as one process fed both halves as batches of 16."""
    script = str(GOLDEN.parent / 'compat_scripts' / 'module_dist.py')
    env = dict(os.environ, PYTHONPATH=str(GOLDEN.parent.parent), OMP_NUM_THREADS='1')
    r = subprocess.run([sys.executable, '-m', 'regluon', 'launch', '-n', '2', script,
                        str(tmp_path)], capture_output=True, text=True, env=env, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    ranks = [json.loads((tmp_path / f'rank{i}.json').read_text()) for i in range(2)]
    sys.path.insert(0, str(GOLDEN.parent / 'compat_scripts'))
    regluon.compat.install()
    try:
        import module_dist
    finally:
        regluon.compat.uninstall()
    x, y, init = module_dist.dataset()
    order = np.r_[0:8, 16:24, 8:16, 24:32]        # batch j = worker 0's j-th + worker 1's j-th
    mod = mx.mod.Module(module_dist.mlp())
    mod.fit(mx.io.NDArrayIter(x[order], y[order], 16), arg_params=init, **module_dist.FIT)
    want, _ = mod.get_params()
    for k, v in want.items():
        np.testing.assert_array_equal(ranks[0][k], ranks[1][k])
        np.testing.assert_allclose(ranks[0][k], v.asnumpy().ravel(), rtol=1e-5, atol=1e-6,
                                   err_msg=k)


# ---- several contexts: MXNet's executor group (tools/golden_module_extra.py) -------------
sys.path.insert(0, str(GOLDEN))
import module_extra_cases as extra_cases  # noqa: E402
from test_module_bucketing import compare  # noqa: E402  (every golden array of a case)


@pytest.mark.parametrize('case', ['multi_context_fit', 'multi_context_steps',
                                  'multi_context_out_grads'])
def test_multi_context_matches_mxnet(case):
    """Batches split over contexts by work_load_list, gradients summed by the 'local'
    kvstore (or, with kvstore=None, each context's own update, averaged by get_params)."""
    compare(case, extra_cases.CASES[case](mx))


def test_multi_context_trains_as_one_context():
    x, y, init = extra_cases.mlp_data()
    params = []
    for ctx in (mx.cpu(), [mx.cpu(0), mx.cpu(1), mx.cpu(2)]):
        mod = mx.mod.Module(mlp(), context=ctx)
        mod.fit(mx.io.NDArrayIter(x, y, 12), num_epoch=2, optimizer_params=extra_cases.LR,
                arg_params={k: mx.nd.array(v) for k, v in init.items()})
        params.append(mod.get_params()[0])
    assert [len(e.arg_dict['data']) for e in mod._execs] == [4, 4, 4]
    for k, v in params[0].items():
        np.testing.assert_allclose(params[1][k].asnumpy(), v.asnumpy(), rtol=1e-5, atol=1e-6)


def test_multi_context_errors():
    with pytest.raises(AssertionError, match='work_load_list has 1 entries but there are 2 '):
        mx.mod.Module(mlp(), context=[mx.cpu(0), mx.cpu(1)], work_load_list=[1])
    mod = mx.mod.Module(mlp(), context=[mx.cpu(i) for i in range(3)])
    with pytest.raises(ValueError, match='Too many slices. Some splits are empty: a batch of 2'):
        mod.bind([('data', (2, 20))], [('softmax_label', (2,))])
    with pytest.raises(AssertionError, match=r'all data must have the same batch size: batch_size '
                                         r'= 6, but softmax_label has shape \(5,\)'):
        mod.bind([('data', (6, 20))], [('softmax_label', (5,))])


def test_fit_with_a_monitor_prints_its_statistics(caplog):
    """fit(monitor=...) installs it (Module.install_monitor) and ticks it around each batch,
    as MXNet's BaseModule.fit does; toc_print logs one line per matched array: the node's
    output in forward, its input gradients in backward, then the arguments (MXNet's order)."""
    data = mx.sym.var('data')
    net = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(data, num_hidden=2, name='fc'),
                               name='softmax')
    mod = mx.mod.Module(net)
    mon = mx.mon.Monitor(1, pattern='fc_.*')
    with caplog.at_level(logging.INFO):
        mod.fit(mx.io.NDArrayIter(np.ones((8, 3), 'f4'), np.zeros(8, 'f4'), 4), num_epoch=1,
                monitor=mon)
    lines = [r.getMessage() for r in caplog.records if r.getMessage().startswith('Batch:')]
    assert [line.split()[1:3] for line in lines] == [
        [str(step), name] for step in (1, 2)
        for name in ('fc_output', 'fc_backward_output0', 'fc_backward_output1',
                     'fc_backward_output2', 'fc_weight', 'fc_bias')]
    seq = mx.mod.SequentialModule().add(mx.mod.Module(net))
    seq.bind([('data', (4, 3))], [('softmax_label', (4,))])
    seq.install_monitor(mx.mon.Monitor(1))        # on every module of the chain
    with pytest.raises(AssertionError):
        mx.mod.Module(net).install_monitor(mon)   # not bound yet
