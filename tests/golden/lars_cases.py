"""LARS / LBSGD trajectories, shared by tools/golden_lars.py (run under MXNet 1.9.1) and
tests/test_optimizer_lars.py (run under regluon). Functions take the library as `mx`."""
import numpy as np

STEPS = 6
# biases and BatchNorm gamma/beta keep the plain lr under LARS; LARS decays only *_weight
NAMES = ['fc_weight', 'fc_bias', 'bn_gamma', 'conv_weight', 'out_weight']
SHAPES = [(3, 4), (5,), (4,), (2, 3), (2,)]

CASES = [  # optimizer, kwargs (lr_scheduler as (class, kwargs)), dtype, how the updater is called
    ('lars', dict(learning_rate=0.1), 'float32', 'per'),
    ('lars', dict(learning_rate=0.5, momentum=0.9, eta=0.02, eps=1e-3, wd=0.01,
                  rescale_grad=0.5, clip_gradient=0.3), 'float32', 'all'),
    ('lars', dict(momentum=0.9, eta=0.1, wd=0.05, lr_scheduler=(
        'FactorScheduler', dict(step=2, factor=0.5, base_lr=0.8))), 'float32', 'all'),
    ('lars', dict(momentum=0.9, eta=0.1, wd=0.05, lr_scheduler=(
        'FactorScheduler', dict(step=2, factor=0.5, base_lr=0.8))), 'float32', 'per'),
    ('lars', dict(momentum=0.8, eta=0.1, momentum_correction=False, lr_scheduler=(
        'FactorScheduler', dict(step=3, factor=0.1, base_lr=1.0))), 'float32', 'all'),
    ('lars', dict(learning_rate=0.5, momentum=0.9, eta=0.05, wd=0.01,
                  multi_precision=True), 'float16', 'all'),
    ('lbsgd', dict(learning_rate=0.1), 'float32', 'per'),
    ('lbsgd', dict(learning_rate=0.1, momentum=0.9, wd=0.01, rescale_grad=0.5,
                   clip_gradient=0.3, batch_scale=2, warmup_epochs=1, updates_per_epoch=4),
     'float32', 'per'),
    ('lbsgd', dict(learning_rate=0.1, momentum=0.5, batch_scale=3, warmup_strategy='power2',
                   warmup_epochs=2, updates_per_epoch=2, begin_epoch=1), 'float32', 'all'),
    ('lbsgd', dict(learning_rate=0.1, batch_scale=2, warmup_strategy='sqrt',
                   warmup_epochs=1, updates_per_epoch=5), 'float32', 'per'),
    ('lbsgd', dict(learning_rate=0.2, momentum=0.9, wd=0.1, batch_scale=2,
                   warmup_strategy='lars'), 'float32', 'per'),
    ('lbsgd', dict(momentum=0.9, batch_scale=1, lr_scheduler=(
        'FactorScheduler', dict(step=2, factor=0.5, base_lr=0.3))), 'float32', 'per'),
]


def data(seed=1):
    """Initial weights and STEPS gradients per weight."""
    rng = np.random.RandomState(seed)
    inits = [rng.uniform(-1, 1, s).astype('float32') for s in SHAPES]
    grads = [rng.uniform(-1, 1, (STEPS,) + s).astype('float32') for s in SHAPES]
    grads[2][1] = 0                     # a zero gradient: LARS falls back to the plain lr
    return inits, grads


def make(mx, name, kwargs):
    kw = dict(kwargs)
    if 'lr_scheduler' in kw:
        cls, skw = kw['lr_scheduler']
        kw['lr_scheduler'] = getattr(mx.lr_scheduler, cls)(**skw)
    opt = mx.optimizer.create(name, param_idx2name=dict(enumerate(NAMES)), **kw)
    opt.set_lr_mult({1: 0.5, 'conv_weight': 2.0})
    return opt


def run(mx, case):
    """The weights after each step (one array per weight, STEPS first) and the optimizer."""
    name, kwargs, dtype, mode = case
    opt = make(mx, name, kwargs)
    upd = mx.optimizer.get_updater(opt)
    inits, grads = data()
    ws = [mx.nd.array(w, dtype=dtype) for w in inits]
    traj = [[] for _ in ws]
    for step in range(STEPS):
        gs = [mx.nd.array(g[step], dtype=dtype) for g in grads]
        if mode == 'all':
            upd(list(range(len(ws))), gs, ws)
        else:
            for j, (g, w) in enumerate(zip(gs, ws)):
                upd(j, g, w)
        for t, w in zip(traj, ws):
            t.append(w.asnumpy().astype('float32'))
    return [np.stack(t) for t in traj], opt


TRAINER = [  # optimizer, kwargs: gluon.Trainer on a Dense + BatchNorm net
    ('lars', dict(learning_rate=0.5, momentum=0.9, eta=0.05, wd=0.01)),
    ('lbsgd', dict(learning_rate=0.1, momentum=0.9, batch_scale=2, warmup_epochs=1,
                   updates_per_epoch=2)),
]


def train(mx, name, kwargs, steps=4):
    """Trainer(net.collect_params(), name, kwargs) for `steps` steps: the parameters after
    each (the Trainer names no parameters to the optimizer: its param_dict is by index, and
    backward writes each step's gradient into the same buffers)."""
    rng = np.random.RandomState(5)
    net = mx.gluon.nn.HybridSequential(prefix='net_')
    with net.name_scope():
        net.add(mx.gluon.nn.Dense(4, in_units=3))
        net.add(mx.gluon.nn.BatchNorm(in_channels=4))
        net.add(mx.gluon.nn.Dense(2, in_units=4))
    net.initialize()
    params = net.collect_params()
    for p in params.values():
        p.set_data(mx.nd.array(rng.uniform(-1, 1, p.shape).astype('float32') +
                               (1.5 if p.name.endswith('var') else 0)))
    trainer = mx.gluon.Trainer(params, name, kwargs)
    x = mx.nd.array(rng.uniform(-1, 1, (6, 3)).astype('float32'))
    y = mx.nd.array(rng.uniform(-1, 1, (6, 2)).astype('float32'))
    loss_fn = mx.gluon.loss.L2Loss()
    out = {k: [] for k in params}
    for _ in range(steps):
        with mx.autograd.record():
            loss = loss_fn(net(x), y)
        loss.backward()
        trainer.step(6)
        for k, p in params.items():
            out[k].append(p.data().asnumpy())
    return {k: np.stack(v) for k, v in out.items()}
