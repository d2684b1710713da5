"""mx.optimizer, the update operators and mx.lr_scheduler against MXNet 1.9.1 goldens
(tools/golden_training.py)."""
import json
import warnings

import numpy as np
import pytest

import regluon as mx
from regluon import nd
from regluon.base import MXNetError
from conftest import golden

OPS = golden('training_ops')
TRAJ = golden('training_traj')
SCHED = golden('training_sched')


def _cases(data):
    return sorted({k.split('_case')[0] for k in data if k.endswith('_case')})


def _case(data, i):
    return json.loads(str(data[f'{i}_case']))


@pytest.mark.parametrize('i', [c for c in _cases(OPS) if not c.startswith('p2')])
def test_update_op(i):
    case = _case(OPS, i)
    states = [nd.array(OPS[f'{i}_in_{s}']) for s in case['states']]
    w = nd.array(OPS[f'{i}_weight'])
    res = getattr(nd, case['op'])(w, nd.array(OPS[f'{i}_grad']), *states, out=w,
                                  **case['kwargs'])
    assert res is w
    np.testing.assert_allclose(w.asnumpy(), OPS[f'{i}_out'], rtol=1e-5, atol=1e-6)
    for s, st in zip(case['states'], states):   # states are updated in place
        np.testing.assert_allclose(st.asnumpy(), OPS[f'{i}_out_{s}'], rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize('i', [c for c in _cases(OPS) if c.startswith('p2')])
def test_lamb_phase2(i):
    w, g = nd.array(OPS[f'{i}_weight']), nd.array(OPS[f'{i}_g'])
    r1 = nd.array([np.linalg.norm(OPS[f'{i}_weight'])])
    r2 = nd.array([np.linalg.norm(OPS[f'{i}_g'])])
    nd.lamb_update_phase2(w, g, r1, r2, out=w, **_case(OPS, i))
    np.testing.assert_allclose(w.asnumpy(), OPS[f'{i}_out'], rtol=1e-5, atol=1e-6)


def test_update_op_out_and_errors():
    w, g, m = nd.ones((2, 3)), nd.ones((2, 3)), nd.zeros((2, 3))
    r = nd.sgd_update(w, g, lr=0.5)                  # without out= the weight is kept
    np.testing.assert_allclose(r.asnumpy(), 0.5)
    np.testing.assert_allclose(w.asnumpy(), 1.0)
    r = nd.sgd_mom_update(w, g, m, lr=0.5, momentum=0.9, out=w)
    assert r is w
    np.testing.assert_allclose(w.asnumpy(), 0.5)
    np.testing.assert_allclose(m.asnumpy(), -0.5)
    with pytest.raises(MXNetError, match=r"sgd_update.*weight's shape \(2, 3\).*\(3,\)"):
        nd.sgd_update(w, nd.ones((3,)), lr=0.1)


def _sched(spec):
    cls, kw = spec
    return getattr(mx.lr_scheduler, cls)(**kw)


SCHEDS = {  # tools/golden_training.py: SCHED
    'factor': ('FactorScheduler', dict(step=2, factor=0.5, base_lr=0.1)),
    'multi': ('MultiFactorScheduler', dict(step=[2, 4], factor=0.3, base_lr=0.05)),
    'poly': ('PolyScheduler', dict(max_update=6, base_lr=0.1, pwr=2, final_lr=0.01)),
    'cosine_warm': ('CosineScheduler', dict(max_update=6, base_lr=0.1, final_lr=0.001,
                                            warmup_steps=2, warmup_begin_lr=0.01)),
}


@pytest.mark.parametrize('i', _cases(TRAJ))
def test_trajectory(i):
    """Weights after 6 updater steps of two parameters ('fc_weight', 'fc_bias' with
    lr_mult 0.5 and, by MXNet's name rule, no wd) match MXNet to 1e-5."""
    case = _case(TRAJ, i)
    kw = dict(case['kwargs'])
    if 'lr_scheduler' in kw:
        kw['lr_scheduler'] = _sched(SCHEDS[kw['lr_scheduler']])
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        opt = mx.optimizer.create(case['opt'], param_idx2name={0: 'fc_weight', 1: 'fc_bias'},
                                  **kw)
    opt.set_lr_mult({1: 0.5})
    upd = mx.optimizer.get_updater(opt)
    dtype = case['dtype']
    ws = [nd.array(TRAJ[f'{i}_w{j}_init'], dtype=dtype) for j in range(2)]
    tol = 1e-3 if dtype == 'float16' else 1e-5
    for step in range(6):
        for j, w in enumerate(ws):
            upd(j, nd.array(TRAJ[f'{i}_g{j}'][step], dtype=dtype), w)
            np.testing.assert_allclose(w.asnumpy(), TRAJ[f'{i}_w{j}'][step], rtol=tol,
                                       atol=tol, err_msg=f'{case} step {step} weight {j}')
    assert opt.num_update == int(TRAJ[f'{i}_num_update'])
    assert opt.learning_rate == pytest.approx(float(TRAJ[f'{i}_lr']))


@pytest.mark.parametrize('i', _cases(SCHED))
def test_scheduler_values(i):
    case = _case(SCHED, i)
    s = getattr(mx.lr_scheduler, case['cls'])(**case['kwargs'])
    np.testing.assert_allclose([s(n) for n in range(16)], SCHED[f'{i}_lr'], rtol=1e-12)


def test_optimizer_lr_overrides_scheduler(capsys):
    s = mx.lr_scheduler.FactorScheduler(step=1, factor=0.5, base_lr=1.0)
    mx.optimizer.SGD(learning_rate=0.2, lr_scheduler=s)
    assert s.base_lr == float(SCHED['override_base_lr'])
    assert 'overwritten' in capsys.readouterr().out
    s = mx.lr_scheduler.CosineScheduler(max_update=4, base_lr=1.0)
    mx.optimizer.SGD(learning_rate=0.2, lr_scheduler=s)
    np.testing.assert_allclose([s(n) for n in range(6)], SCHED['override_cosine'])


@pytest.mark.parametrize('cls, kw, exc, msg', [
    ('FactorScheduler', dict(step=0), ValueError, 'greater or equal than 1'),
    ('FactorScheduler', dict(step=2, factor=1.5), ValueError, 'no more than 1'),
    ('FactorScheduler', dict(step=2, warmup_begin_lr=0.5, base_lr=0.1), ValueError,
     'higher than warmup_begin_lr'),
    ('FactorScheduler', dict(step=2, warmup_steps=2, warmup_mode='cubic'), ValueError,
     'linear and constant'),
    ('MultiFactorScheduler', dict(step=[3, 2]), ValueError, 'increasing'),
    ('PolyScheduler', dict(max_update=0), ValueError, 'strictly positive'),
    ('CosineScheduler', dict(max_update=2.5), AssertionError, 'max_update must be an int'),
    ('MultiFactorScheduler', dict(step=3), AssertionError, 'non-empty list'),
    ('FactorScheduler', dict(step=2, warmup_steps=1.5), AssertionError,
     'warmup_steps must be an int'),
])
def test_scheduler_errors(cls, kw, exc, msg):
    with pytest.raises(exc, match=msg):
        getattr(mx.lr_scheduler, cls)(**kw)


def test_create_and_register():
    assert isinstance(mx.optimizer.create('SGD', momentum=0.9), mx.optimizer.SGD)
    for name in ['sgd', 'nag', 'adam', 'adagrad', 'rmsprop', 'adadelta', 'adamax', 'nadam',
                 'ftrl', 'ftml', 'signum', 'lamb', 'sgld', 'dcasgd', 'ccsgd', 'test']:
        assert mx.optimizer.Optimizer.opt_registry[name]().__class__.__name__.lower() == name
    with pytest.raises(ValueError, match='Cannot find optimizer nosuch'):
        mx.optimizer.create('nosuch')

    @mx.optimizer.register
    class MyOpt(mx.optimizer.Optimizer):
        def update(self, index, weight, grad, state):
            weight[:] = grad
    opt = mx.optimizer.create('myopt')
    assert isinstance(opt, MyOpt)
    w = nd.zeros((2,))
    mx.optimizer.get_updater(opt)(0, nd.array([1.0, 2.0]), w)
    np.testing.assert_array_equal(w.asnumpy(), [1.0, 2.0])
    with pytest.warns(UserWarning, match='overriding existing optimizer'):
        mx.optimizer.register(MyOpt)
    del mx.optimizer.Optimizer.opt_registry['myopt']


def test_learning_rate_and_mults():
    o = mx.optimizer.SGD(learning_rate=0.5, wd=0.1, param_idx2name={0: 'a_weight', 1: 'a_bias',
                                                                    2: 'bn_gamma'})
    assert o.learning_rate == 0.5
    o.set_learning_rate(0.25)
    assert o.lr == 0.25
    assert [o._get_wd(i) for i in range(3)] == [0.1, 0.0, 0.1]
    o.set_lr_mult({'a_bias': 2.0, 0: 3.0})
    assert [o._get_lr(i) for i in range(3)] == [0.75, 0.5, 0.25]
    s = mx.optimizer.SGD(lr_scheduler=mx.lr_scheduler.FactorScheduler(2))
    with pytest.raises(UserWarning, match='LRScheduler of the optimizer has already'):
        s.set_learning_rate(0.1)


def test_num_update_per_device():
    """Counts are kept per device id; num_update is the maximum over all of them."""
    o = mx.optimizer.SGD()
    o._update_count([0, 1])
    o._set_current_context(1)
    o._update_count(0)
    assert o._all_index_update_counts == {0: {0: 1, 1: 1}, 1: {0: 1}}
    assert o.num_update == 1
    o._update_count(0)
    assert o.num_update == 2


def test_updater_states_round_trip():
    opt = mx.optimizer.Adam(learning_rate=0.1, beta1=np.float32(0.8),
                            lr_scheduler=mx.lr_scheduler.FactorScheduler(1, 0.5, base_lr=0.1))
    upd = mx.optimizer.get_updater(opt)
    w = nd.array([1.0, -2.0])
    upd(0, nd.array([0.5, 3.0]), w)
    upd(0, nd.array([0.5, 3.0]), w)
    blob = upd.get_states(dump_optimizer=True)
    assert isinstance(blob, bytes) and not blob.startswith(b'\x80')   # not a pickle
    upd2 = mx.optimizer.get_updater(mx.optimizer.SGD())
    upd2.set_states(blob)
    assert isinstance(upd2.optimizer, mx.optimizer.Adam)
    assert upd2.optimizer.num_update == 2 and upd2.optimizer.lr_scheduler.base_lr == 0.05
    assert upd2.optimizer.beta1 == pytest.approx(0.8)
    w2 = w.copy()
    upd(0, nd.array([1.0, 1.0]), w)
    upd2(0, nd.array([1.0, 1.0]), w2)
    np.testing.assert_array_equal(w.asnumpy(), w2.asnumpy())
    with pytest.raises(MXNetError, match='not a regluon optimizer-states'):
        upd2.set_states(b'\x80\x04garbage')


def test_sgld_is_sgd_half_step_plus_gaussian_noise():
    """SGLD: w - lr/2 * (grad + wd*w) + N(0, sqrt(lr)); repeatable under mx.random.seed."""
    lr, wd = 0.04, 0.1
    w0 = np.linspace(-1, 1, 20000).astype('f4')
    g = np.cos(np.arange(20000)).astype('f4')
    runs = []
    for _ in range(2):
        mx.random.seed(7)
        w = nd.array(w0)
        opt = mx.optimizer.SGLD(learning_rate=lr, wd=wd)
        opt.update(0, w, nd.array(g), opt.create_state(0, w))
        runs.append(w.asnumpy())
    np.testing.assert_array_equal(runs[0], runs[1])
    noise = runs[0] - (w0 - lr / 2 * (g + wd * w0))
    assert abs(noise.mean()) < 0.01
    assert noise.std() == pytest.approx(np.sqrt(lr), rel=0.03)


def test_user_scheduler_round_trips_into_current_instance():
    class Halving(mx.lr_scheduler.LRScheduler):
        def __call__(self, num_update):
            return self.base_lr / (1 + num_update)

    opt = mx.optimizer.SGD(lr_scheduler=Halving(base_lr=1.0))
    upd = mx.optimizer.get_updater(opt)
    w = nd.ones((2,))
    for _ in range(3):
        upd(0, nd.ones((2,)), w)
    blob = upd.get_states(dump_optimizer=True)
    sched = Halving(base_lr=1.0)
    upd2 = mx.optimizer.get_updater(mx.optimizer.SGD(lr_scheduler=sched))
    upd2.set_states(blob)
    assert upd2.optimizer.lr_scheduler is sched and upd2.optimizer.num_update == 3
    assert upd2.optimizer.learning_rate == 0.25
    with pytest.raises(MXNetError, match="unknown lr scheduler 'Halving'"):
        mx.optimizer.get_updater(mx.optimizer.Adam()).set_states(blob)


MULTI = golden('training_multi')


@pytest.mark.parametrize('i', sorted({k.split('_')[0] for k in MULTI if k[0].isdigit()}))
def test_multi_weight_update_op(i):
    """nd.multi_sgd_update / multi_sgd_mom_update (SGD's aggregated update) write each
    weight and momentum as MXNet 1.9.1 does, with per-weight lrs and wds."""
    case = _case(MULTI, i)
    group = 2 + case['states']
    arrays = [[nd.array(MULTI[f'{i}_in{j}_{k}']) for k in range(group)] for j in range(3)]
    weights = [g[0] for g in arrays]
    res = getattr(nd, case['op'])(*[a for g in arrays for a in g], out=weights,
                                  num_weights=3, **case['kwargs'])
    assert res is weights
    for j, g in enumerate(arrays):
        for k, a in enumerate(g):
            if k != 1:                             # the gradients are left as they were
                np.testing.assert_allclose(a.asnumpy(), MULTI[f'{i}_out{j}_{k}'], rtol=1e-5,
                                           atol=1e-6, err_msg=f'weight {j} input {k}')
    np.testing.assert_array_equal(arrays[0][1].asnumpy(), MULTI[f'{i}_in0_1'])


@pytest.mark.parametrize('i', sorted({k.split('_')[0] for k in MULTI if k[0] == 't'}))
def test_updater_groups_sgd_weights_as_mxnet(i):
    """The Updater hands SGD its weights in groups of aggregate_num: same weights and
    num_update as MXNet after 6 steps (lr_mult 0.5 and no wd on the bias)."""
    opt = mx.optimizer.create('sgd', param_idx2name={0: 'a_weight', 1: 'a_bias',
                                                     2: 'b_weight'}, **_case(MULTI, i))
    opt.aggregate_num = 2
    opt.set_lr_mult({1: 0.5})
    upd = mx.optimizer.get_updater(opt)
    calls = []
    multi = opt._update_group
    opt._update_group = lambda idx, *a: (calls.append(list(idx)), multi(idx, *a))
    ws = [nd.array(MULTI[f'{i}_w{j}_init']) for j in range(3)]
    for step in range(6):
        upd([0, 1, 2], [nd.array(MULTI[f'{i}_g{j}_{step}']) for j in range(3)], ws)
        for j, w in enumerate(ws):
            np.testing.assert_allclose(w.asnumpy(), MULTI[f'{i}_w{j}_{step}'], rtol=1e-5,
                                       atol=1e-6, err_msg=f'step {step} weight {j}')
    assert calls[:2] == [[0, 1], [2]]
    assert opt.num_update == int(MULTI[f'{i}_num_update'])


def test_multi_weight_update_errors_and_default_group_size(monkeypatch):
    w, g = nd.ones((2,)), nd.ones((2,))
    with pytest.raises(MXNetError, match=r'multi_sgd_update: expected 2 inputs per weight '
                                          r'for num_weights=2'):
        nd.multi_sgd_update(w, g, w, lrs=(0.1, 0.1), wds=(0, 0), num_weights=2)
    with pytest.raises(MXNetError, match=r"multi_sgd_update: every input must have the "
                                         r"weight's shape \(2,\), got \(3,\)"):
        nd.multi_sgd_update(w, nd.ones((3,)), lrs=(0.1,), wds=(0,), num_weights=1)
    r = nd.multi_sgd_update(w, g, lrs=(0.5,), wds=(0.0,), num_weights=1)  # no out=: new
    np.testing.assert_allclose(r[0].asnumpy(), 0.5)
    np.testing.assert_allclose(w.asnumpy(), 1.0)
    assert mx.optimizer.SGD().aggregate_num == 4                 # MXNet's default
    assert mx.optimizer.Adam().aggregate_num == 0
    monkeypatch.setenv('MXNET_OPTIMIZER_AGGREGATION_SIZE', '16')
    assert mx.optimizer.SGD().aggregate_num == 16
