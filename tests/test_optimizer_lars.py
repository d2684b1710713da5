"""mx.optimizer.LARS and LBSGD against MXNet 1.9.1 (goldens by tools/golden_lars.py, cases in
tests/golden/lars_cases.py): weight trajectories through the Updater (one index per call,
and all indices in one call, which LARS aggregates), through gluon.Trainer, and the
operators LARS runs (nd.multi_sum_sq, multi_lars, preloaded_multi_sgd_update/_mom_update)."""
import sys
import warnings

import numpy as np
import pytest

import regluon as mx
from regluon import nd
from regluon.base import MXNetError

from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
import lars_cases as cases  # noqa: E402  (the cases the golden writer ran in MXNet)

G = golden('lars')


@pytest.mark.parametrize('i', range(len(cases.CASES)))
def test_trajectory(i):
    case = cases.CASES[i]
    tol = 2e-3 if case[2] == 'float16' else 1e-5
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        traj, opt = cases.run(mx, case)
    for j, t in enumerate(traj):
        np.testing.assert_allclose(t, G[f'traj{i}_w{j}'], rtol=tol, atol=tol,
                                   err_msg=f'{case} weight {cases.NAMES[j]}')
    assert opt.num_update == int(G[f'traj{i}_num_update'])


@pytest.mark.parametrize('i', range(len(cases.TRAINER)))
def test_trainer(i):
    name, kw = cases.TRAINER[i]
    got = cases.train(mx, name, kw)
    keys = sorted(k[len(f'trainer{i}_'):] for k in G if k.startswith(f'trainer{i}_'))
    assert sorted(got) == keys
    for k in keys:
        np.testing.assert_allclose(got[k], G[f'trainer{i}_{k}'], rtol=1e-5, atol=1e-5,
                                   err_msg=k)


def test_registered_and_defaults():
    opt = mx.optimizer.create('lars')
    assert isinstance(opt, mx.optimizer.LARS)
    assert (opt.momentum, opt.eta, opt.eps, opt.momentum_correction) == (0.0, 0.001, 0, True)
    assert opt.aggregate_num == 4
    lb = mx.optimizer.create('LBSGD')
    assert isinstance(lb, mx.optimizer.LBSGD)
    assert (lb.batch_scale, lb.warmup_strategy, lb.warmup_epochs, lb.updates_per_epoch) == \
        (1, 'linear', 5, 32)


def test_lars_wd_mult_by_name():
    """LARS decays only *_weight names (the base rule also decays *_gamma)."""
    names = {0: 'a_weight', 1: 'a_gamma', 2: 'a_bias'}
    lars = mx.optimizer.LARS(param_idx2name=names, wd=0.1)
    sgd = mx.optimizer.SGD(param_idx2name=names, wd=0.1)
    assert [lars._get_wd(i) for i in range(3)] == [0.1, 0.0, 0.0]
    assert [sgd._get_wd(i) for i in range(3)] == [0.1, 0.1, 0.0]


def test_ops():
    arrays = [nd.array(G[f'ops_arrays_{i}']) for i in range(3)]
    np.testing.assert_allclose(nd.multi_sum_sq(*arrays, num_arrays=3).asnumpy(),
                               G['ops_sum_sq'], rtol=1e-6)
    lrs, w, g, wds = (nd.array(a) for a in G['ops_lars_in'])
    np.testing.assert_allclose(nd.multi_lars(lrs, w, g, wds, eta=0.5, eps=0.1,
                                             rescale_grad=2.0).asnumpy(),
                               G['ops_lars'], rtol=1e-6)
    gs = [nd.array(G[f'ops_arrays_{i}'][::-1].copy()) for i in range(3)]
    ws = [a.copy() for a in arrays]
    ms = [a * 0.5 for a in arrays]
    data = [x for t in zip(ws, gs, ms) for x in t]
    nd.preloaded_multi_sgd_mom_update(*data, nd.array([0.1, 0.2, 0.3]), nd.array([0, .1, .2]),
                                      momentum=0.9, rescale_grad=0.5, clip_gradient=0.2,
                                      num_weights=3, out=ws)
    for i in range(3):
        np.testing.assert_allclose(ws[i].asnumpy(), G[f'ops_mom_w{i}'], rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(ms[i].asnumpy(), G[f'ops_mom_m{i}'], rtol=1e-6, atol=1e-7)
    ws = [a.copy() for a in arrays]
    data = [x for t in zip(ws, gs) for x in t]
    nd.preloaded_multi_sgd_update(*data, nd.array([0.1, 0.2, 0.3]), nd.array([0, .1, .2]),
                                  rescale_grad=2.0, num_weights=3, out=ws)
    for i in range(3):
        np.testing.assert_allclose(ws[i].asnumpy(), G[f'ops_sgd_w{i}'], rtol=1e-6, atol=1e-7)


def test_op_errors():
    a, b = nd.ones((2,)), nd.ones((3,))
    with pytest.raises(MXNetError, match='num_arrays=3, got 2 arrays'):
        nd.multi_sum_sq(a, b, num_arrays=3)
    with pytest.raises(MXNetError, match=r'grads_sum_sq must have the shape of lrs \(2,\), '
                                         r'got \(3,\)'):
        nd.multi_lars(a, a, b, a, eta=1.0, eps=0.0)
    with pytest.raises(MXNetError, match=r'expected 6 inputs \(2 per weight for '
                                         r'num_weights=2, then lrs and wds\), got 5'):
        nd.preloaded_multi_sgd_update(a, a, a, a, a, num_weights=2, out=[a, a])


def test_lbsgd_accumulates_without_moving():
    """With batch_scale=3 the first two calls leave the weight as it is, the third steps
    with the mean gradient (after warmup, lr * batch_scale)."""
    opt = mx.optimizer.LBSGD(learning_rate=0.1, batch_scale=3, warmup_epochs=0)
    w = nd.array([1.0, 2.0])
    for g in ([1.0, 1.0], [2.0, 0.0]):
        opt.update(0, w, nd.array(g), None)
        np.testing.assert_array_equal(w.asnumpy(), [1.0, 2.0])
    opt.update(0, w, nd.array([3.0, -1.0]), None)
    np.testing.assert_allclose(w.asnumpy(), [1.0 - 0.3 * 2.0, 2.0 - 0.3 * 0.0], rtol=1e-6)
