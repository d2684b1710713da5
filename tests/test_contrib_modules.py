"""mx.contrib.io (DataLoaderIter), mx.contrib.autograd (the old autograd API),
mx.contrib.svrg_optimization (SVRGModule) and mx.contrib.tensorboard, against MXNet 1.9.1
(tools/golden_contrib_modules.py; the cases are in tests/golden/contrib_modules_cases.py).
mx.contrib.quantization is tested in tests/test_quantization.py."""
import logging
import sys
import types

import numpy as np
import pytest

import regluon as mx
from conftest import golden

sys.path.insert(0, str(__import__('pathlib').Path(__file__).parent / 'golden'))
import contrib_modules_cases as cases  # noqa: E402

G = golden('contrib_modules')
CASES = cases.all_cases(mx)
TOL = {'svrg_two_ctx': 1e-5}       # summed over two contexts: float32 order of additions


@pytest.mark.parametrize('case', sorted(CASES))
def test_against_mxnet(case):
    logging.disable(logging.CRITICAL)
    try:
        got = CASES[case]()
    finally:
        logging.disable(logging.NOTSET)
    want = {k.split('/', 1)[1]: G[k] for k in G if k.startswith(case + '/')}
    assert sorted(got) == sorted(want)
    for key, value in got.items():
        value, ref = np.asarray(value), want[key]
        if ref.dtype.kind in 'US':
            assert value.astype(str).tolist() == ref.tolist(), key
        else:
            assert value.shape == ref.shape, key
            np.testing.assert_allclose(value, ref, rtol=TOL.get(case, 1e-6), atol=1e-6,
                                       err_msg=key)


def test_recording_state_left_clean():
    # the cases switch recording/training through the old API; nothing may leak
    cases.autograd_states(mx)
    assert not mx.autograd.is_recording() and not mx.autograd.is_training()


def test_dataloaderiter_padding_rows_and_context():
    it = mx.contrib.io.DataLoaderIter(cases._loader(mx), dtype='float16')
    last = list(it)[-1]
    assert last.pad == 2 and last.data[0].dtype == np.float32     # MXNet's nd.empty dtype
    np.testing.assert_array_equal(last.data[0].asnumpy()[1:], 0)   # (zeros here)


def test_old_autograd_backward_checks():
    x = mx.nd.ones((2,))
    with pytest.raises(AssertionError, match='outputs must be a list or tuple'):
        mx.contrib.autograd.backward(x)
    with pytest.raises(AssertionError, match='should NDArray'):
        mx.contrib.autograd.grad(lambda a: a * 2)(np.ones(2))


def test_svrg_optimizer_routes_by_name():
    svrg = sys.modules.get('regluon.contrib.svrg_optimization.svrg_optimizer') or \
        __import__('regluon.contrib.svrg_optimization.svrg_optimizer', fromlist=['x'])
    o = mx.optimizer.create('_SVRGOptimizer', default_optimizer='sgd', learning_rate=0.5,
                            momentum=0.9, param_idx2name={0: 'w', 1: 'w_full'})
    assert isinstance(o, svrg._SVRGOptimizer) and o.default_opt.momentum == 0.9
    assert not hasattr(o, 'momentum')          # only Optimizer's own arguments stay here
    w, full = mx.nd.ones((3,)), mx.nd.zeros((3,))
    g = mx.nd.array([1., 2., 3.])
    o.update(1, full, g, o.create_state(1, full))             # assignment
    np.testing.assert_array_equal(full.asnumpy(), [1, 2, 3])
    o.update('w', w, g, o.create_state(0, w))                 # by name: the default SGD
    np.testing.assert_allclose(w.asnumpy(), [0.5, 0, -0.5])
    with pytest.raises(KeyError):
        o.update(7, w, g, None)


def test_tensorboard_without_package(tmp_path, monkeypatch):
    # without the `tensorboard` package (torch.utils.tensorboard cannot be imported):
    # MXNet's message, at construction
    monkeypatch.setitem(sys.modules, 'torch.utils.tensorboard', None)
    with pytest.raises(ImportError, match='pip install mxboard'):
        mx.contrib.tensorboard.LogMetricsCallback(str(tmp_path))


def test_tensorboard_callback_writes_scalars(tmp_path, monkeypatch):
    written = []

    class Writer:
        def __init__(self, logdir):
            written.append(('dir', logdir))

        def add_scalar(self, name, value, global_step=None):
            written.append((name, value, global_step))

    monkeypatch.setitem(sys.modules, 'torch.utils.tensorboard',
                        types.SimpleNamespace(SummaryWriter=Writer))
    cb = mx.contrib.tensorboard.LogMetricsCallback(str(tmp_path), prefix='train')
    metric = mx.metric.create(['acc', 'mse'])
    metric.update([mx.nd.array([0, 1])], [mx.nd.array([[.9, .1], [.8, .2]])])
    cb(mx.model.BatchEndParam(epoch=3, nbatch=0, eval_metric=metric, locals=None))
    cb(mx.model.BatchEndParam(epoch=4, nbatch=0, eval_metric=None, locals=None))
    assert written[0] == ('dir', str(tmp_path))
    assert [w[0] for w in written[1:]] == ['train-accuracy', 'train-mse']
    assert written[1][1:] == (0.5, 3) and written[2][2] == 3
