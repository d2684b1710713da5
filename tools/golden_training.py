"""Golden data for the training area (optimizers, lr schedulers, Trainer, losses, metrics).

Run with the real MXNet 1.9.1:  $(../shared/tools/mxnet-ref.sh) tools/golden_training.py
Writes tests/golden/training_*.npz. Case parameters are stored next to the data as JSON
strings, so the tests replay exactly what MXNet ran.
"""
import json
import os
import sys

import numpy as np
import mxnet as mx
from mxnet import nd

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden')


def save(name, data):
    np.savez_compressed(os.path.join(OUT, f'training_{name}.npz'), **data)
    print('wrote', name, len(data), 'arrays')


def js(x):
    return np.array(json.dumps(x))


# ---- update operators: one call each, inputs and outputs -------------------------------
OPS = [  # op, state names, kwargs
    ('sgd_update', [], dict(lr=0.1, wd=0.01, rescale_grad=0.5, clip_gradient=0.3)),
    ('sgd_update', [], dict(lr=0.2)),
    ('sgd_mom_update', ['mom'], dict(lr=0.1, momentum=0.9, wd=0.01, rescale_grad=0.5,
                                     clip_gradient=0.3)),
    ('sgd_mom_update', ['mom'], dict(lr=0.05, momentum=0.5)),
    ('nag_mom_update', ['mom'], dict(lr=0.1, momentum=0.9, wd=0.01, rescale_grad=0.5,
                                     clip_gradient=0.3)),
    ('adam_update', ['mean', 'var'], dict(lr=0.01, beta1=0.8, beta2=0.99, epsilon=1e-3,
                                          wd=0.02, rescale_grad=0.5, clip_gradient=0.4)),
    ('adam_update', ['mean', 'var'], dict(lr=0.01)),
    ('rmsprop_update', ['n'], dict(lr=0.01, gamma1=0.8, epsilon=1e-3, wd=0.02,
                                   rescale_grad=0.5, clip_gradient=0.4, clip_weights=0.9)),
    ('rmspropalex_update', ['n', 'g', 'delta'], dict(lr=0.01, gamma1=0.8, gamma2=0.7,
                                                     epsilon=1e-2, wd=0.02, rescale_grad=0.5,
                                                     clip_gradient=0.4, clip_weights=0.9)),
    ('ftrl_update', ['z', 'n'], dict(lr=0.1, lamda1=0.05, beta=1.5, wd=0.02,
                                     rescale_grad=0.5, clip_gradient=0.4)),
    ('ftml_update', ['d', 'v', 'z'], dict(lr=0.1, beta1=0.6, beta2=0.99, epsilon=1e-4, t=3,
                                          wd=0.02, rescale_grad=0.5, clip_grad=0.4)),
    ('signsgd_update', [], dict(lr=0.1, wd=0.02, rescale_grad=0.5, clip_gradient=0.4)),
    ('signum_update', ['mom'], dict(lr=0.1, momentum=0.8, wd=0.02, rescale_grad=0.5,
                                    clip_gradient=0.4, wd_lh=0.03)),
    ('lamb_update_phase1', ['mean', 'var'], dict(beta1=0.8, beta2=0.99, epsilon=1e-4, t=3,
                                                 bias_correction=True, wd=0.02,
                                                 rescale_grad=0.5, clip_gradient=0.4)),
    ('lamb_update_phase1', ['mean', 'var'], dict(t=2, wd=0.0, bias_correction=False)),
]


def gen_ops():
    rng = np.random.RandomState(0)
    out = {}
    for i, (name, states, kw) in enumerate(OPS):
        w = rng.uniform(-1, 1, (3, 4)).astype('f4')
        g = rng.uniform(-1, 1, (3, 4)).astype('f4')
        st = [np.abs(rng.uniform(-1, 1, (3, 4))).astype('f4') if s in ('n', 'v', 'var', 'd')
              else rng.uniform(-0.5, 0.5, (3, 4)).astype('f4') for s in states]
        if name == 'rmspropalex_update':       # keep n - g^2 positive
            st[0] += 1
        nds = [nd.array(x) for x in st]
        # out=weight, as the optimizers call them: nag_mom_update reads the updated weight
        # back for its momentum's wd term when out aliases the weight.
        res = nd.array(w)
        res = getattr(nd, name)(res, nd.array(g), *nds, out=res, **kw)
        out[f'{i}_case'] = js(dict(op=name, states=states, kwargs=kw))
        out[f'{i}_weight'], out[f'{i}_grad'] = w, g
        for s, x, y in zip(states, st, nds):
            out[f'{i}_in_{s}'], out[f'{i}_out_{s}'] = x, y.asnumpy()
        out[f'{i}_out'] = res.asnumpy()
    # lamb phase 2: trust ratio with bounds
    for j, kw in enumerate([dict(lr=0.1), dict(lr=0.1, lower_bound=2.0, upper_bound=3.0),
                            dict(lr=0.1, upper_bound=0.5)]):
        w = rng.uniform(-1, 1, (3, 4)).astype('f4')
        g = rng.uniform(-1, 1, (3, 4)).astype('f4')
        r1, r2 = nd.norm(nd.array(w)), nd.norm(nd.array(g))
        res = nd.lamb_update_phase2(nd.array(w), nd.array(g), r1, r2, **kw)
        k = f'p2_{j}'
        out[k + '_case'], out[k + '_weight'], out[k + '_g'] = js(kw), w, g
        out[k + '_out'] = res.asnumpy()
    save('ops', out)


# ---- optimizer trajectories through the Updater -------------------------------------------
SCHED = {
    'factor': ('FactorScheduler', dict(step=2, factor=0.5, base_lr=0.1)),
    'multi': ('MultiFactorScheduler', dict(step=[2, 4], factor=0.3, base_lr=0.05)),
    'poly': ('PolyScheduler', dict(max_update=6, base_lr=0.1, pwr=2, final_lr=0.01)),
    'cosine_warm': ('CosineScheduler', dict(max_update=6, base_lr=0.1, final_lr=0.001,
                                            warmup_steps=2, warmup_begin_lr=0.01)),
}

TRAJ = [  # optimizer name, kwargs (lr_scheduler by SCHED key), dtype
    ('sgd', dict(learning_rate=0.1), 'float32'),
    ('sgd', dict(learning_rate=0.1, momentum=0.9, wd=0.01, rescale_grad=0.5,
                 clip_gradient=0.3), 'float32'),
    ('sgd', dict(momentum=0.9, clip_gradient=0, lr_scheduler='factor'), 'float32'),
    ('sgd', dict(learning_rate=0.1, momentum=0.9, multi_precision=True), 'float16'),
    ('nag', dict(learning_rate=0.1, momentum=0.9, wd=0.01, rescale_grad=0.5,
                 clip_gradient=0.3), 'float32'),
    ('nag', dict(learning_rate=0.1), 'float32'),
    ('adam', dict(learning_rate=0.01, wd=0.01, rescale_grad=0.5, clip_gradient=0.3),
     'float32'),
    ('adam', dict(lr_scheduler='multi', beta1=0.8, beta2=0.95, epsilon=1e-4), 'float32'),
    ('adagrad', dict(learning_rate=0.1, wd=0.01, rescale_grad=0.5, clip_gradient=0.3),
     'float32'),
    ('adagrad', dict(learning_rate=0.1, eps=1e-3, lr_scheduler='poly'), 'float32'),
    ('rmsprop', dict(learning_rate=0.01, wd=0.01, rescale_grad=0.5, clip_gradient=0.3,
                     clip_weights=0.8), 'float32'),
    ('rmsprop', dict(learning_rate=0.01, centered=True, gamma1=0.8, gamma2=0.7,
                     epsilon=1e-3, wd=0.01), 'float32'),
    ('adadelta', dict(rho=0.8, epsilon=1e-4, wd=0.01, rescale_grad=0.5, clip_gradient=0.3),
     'float32'),
    ('adamax', dict(learning_rate=0.01, wd=0.01, rescale_grad=0.5, clip_gradient=0.3),
     'float32'),
    ('nadam', dict(learning_rate=0.01, wd=0.01, rescale_grad=0.5, clip_gradient=0.3),
     'float32'),
    ('ftrl', dict(learning_rate=0.1, lamda1=0.01, beta=1.0, wd=0.01, rescale_grad=0.5,
                  clip_gradient=0.3), 'float32'),
    ('ftml', dict(learning_rate=0.05, wd=0.01, rescale_grad=0.5, clip_gradient=0.3),
     'float32'),
    ('signum', dict(learning_rate=0.01, momentum=0.9, wd=0.01, wd_lh=0.02, rescale_grad=0.5,
                    clip_gradient=0.3), 'float32'),
    ('signum', dict(learning_rate=0.01, momentum=0.0, wd=0.01), 'float32'),
    ('lamb', dict(learning_rate=0.01, wd=0.01, rescale_grad=0.5, clip_gradient=0.3),
     'float32'),
    ('lamb', dict(learning_rate=0.01, lower_bound=0.5, upper_bound=1.0,
                  bias_correction=False, lr_scheduler='cosine_warm'), 'float32'),
    ('dcasgd', dict(learning_rate=0.1, lamda=0.1, wd=0.01, rescale_grad=0.5,
                    clip_gradient=0.3), 'float32'),
]
STEPS = 6
SHAPES = [(3, 4), (5,)]
NAMES = {0: 'fc_weight', 1: 'fc_bias'}      # bias: no wd by MXNet's name rule


def make_sched(key):
    cls, kw = SCHED[key]
    return getattr(mx.lr_scheduler, cls)(**kw)


def gen_traj():
    rng = np.random.RandomState(1)
    out = {}
    for i, (name, kw, dtype) in enumerate(TRAJ):
        kw2 = dict(kw)
        if 'lr_scheduler' in kw2:
            kw2['lr_scheduler'] = make_sched(kw2['lr_scheduler'])
        opt = mx.optimizer.create(name, param_idx2name=NAMES, **kw2)
        opt.set_lr_mult({1: 0.5})
        upd = mx.optimizer.get_updater(opt)
        ws = [rng.uniform(-1, 1, s).astype(dtype) for s in SHAPES]
        out[f'{i}_case'] = js(dict(opt=name, kwargs=kw, dtype=dtype))
        nws = [nd.array(w, dtype=dtype) for w in ws]
        gs = [rng.uniform(-1, 1, (STEPS,) + s).astype(dtype) for s in SHAPES]
        traj = [[], []]
        for step in range(STEPS):
            for j, w in enumerate(nws):
                upd(j, nd.array(gs[j][step], dtype=dtype), w)
                traj[j].append(w.asnumpy())
        for j, w in enumerate(ws):
            out[f'{i}_w{j}_init'], out[f'{i}_g{j}'] = w, gs[j]
            out[f'{i}_w{j}'] = np.stack(traj[j])
        out[f'{i}_lr'] = np.array(opt.learning_rate)
        out[f'{i}_num_update'] = np.array(opt.num_update)
    save('traj', out)


# ---- lr schedulers: values for num_update 0..N, queried in order --------------------------
SCHED_CASES = [
    ('FactorScheduler', dict(step=3, factor=0.5, base_lr=1.0)),
    ('FactorScheduler', dict(step=2, factor=0.1, stop_factor_lr=1e-3, base_lr=1.0,
                             warmup_steps=3, warmup_begin_lr=0.1)),
    ('FactorScheduler', dict(step=2, factor=0.9, base_lr=0.5, warmup_steps=4,
                             warmup_begin_lr=0.2, warmup_mode='constant')),
    ('MultiFactorScheduler', dict(step=[3, 5, 9], factor=0.5, base_lr=1.0)),
    ('MultiFactorScheduler', dict(step=[4, 6], factor=0.1, base_lr=1.0, warmup_steps=3)),
    ('PolyScheduler', dict(max_update=10, base_lr=1.0, pwr=2)),
    ('PolyScheduler', dict(max_update=12, base_lr=0.5, pwr=1, final_lr=0.1,
                           warmup_steps=4, warmup_begin_lr=0.05)),
    ('CosineScheduler', dict(max_update=10, base_lr=1.0, final_lr=0.0)),
    ('CosineScheduler', dict(max_update=12, base_lr=0.5, final_lr=0.05, warmup_steps=3,
                             warmup_begin_lr=0.1, warmup_mode='constant')),
]


def gen_sched():
    out = {}
    for i, (cls, kw) in enumerate(SCHED_CASES):
        s = getattr(mx.lr_scheduler, cls)(**kw)
        out[f'{i}_case'] = js(dict(cls=cls, kwargs=kw))
        out[f'{i}_lr'] = np.array([s(n) for n in range(16)], dtype='f8')
    # the optimizer's learning_rate overrides the scheduler's base_lr
    s = mx.lr_scheduler.FactorScheduler(step=1, factor=0.5, base_lr=1.0)
    o = mx.optimizer.SGD(learning_rate=0.2, lr_scheduler=s)
    out['override_base_lr'] = np.array(s.base_lr)
    s = mx.lr_scheduler.CosineScheduler(max_update=4, base_lr=1.0)
    o = mx.optimizer.SGD(learning_rate=0.2, lr_scheduler=s)
    out['override_cosine'] = np.array([s(n) for n in range(6)])
    save('sched', out)


# ---- losses: value and gradient w.r.t. the first input -----------------------------------
def loss_inputs(rng):
    """name -> array, shared by the loss cases below."""
    r = lambda *s: rng.uniform(-2, 2, s).astype('f4')
    p = lambda *s: rng.uniform(0.05, 0.95, s).astype('f4')
    dist = rng.uniform(0.1, 1, (4, 5)).astype('f4')
    return dict(
        x45=r(4, 5), y45=r(4, 5), x423=r(4, 2, 3), y423=r(4, 2, 3), y46=r(4, 6),
        x4=r(4), y4=r(4), p45=p(4, 5), b45=(rng.rand(4, 5) > 0.5).astype('f4'),
        s45=np.sign(r(4, 5)) + (r(4, 5) == 0), s4=np.where(r(4) > 0, 1, -1).astype('f4'),
        cls4=rng.randint(0, 5, (4,)).astype('f4'), cls43=rng.randint(0, 2, (4, 3)).astype('f4'),
        dist45=dist / dist.sum(1, keepdims=True), sw4=rng.uniform(0, 1, (4, 1)).astype('f4'), sw411=rng.uniform(0, 1, (4, 1, 1)).astype('f4'),
        sw45=rng.uniform(0, 1, (4, 5)).astype('f4'), pw5=rng.uniform(0.5, 2, (5,)).astype('f4'),
        cnt45=rng.randint(0, 5, (4, 5)).astype('f4'), pos45=p(4, 5) * 3,
        ctc=r(2, 6, 4), ctclab=np.array([[0, 1, -1], [2, 2, 1]], 'f4'),
        ctclabT=np.array([[0, 2], [1, 2], [-1, 1]], 'f4'),
        ctclen=np.array([6, 5], 'f4'), ctcsw=np.array([0.5, 2.0], 'f4'), ctclablen=np.array([2, 3], 'f4'),
    )


LOSSES = [  # class, ctor kwargs, input names, further call inputs by hybrid_forward name
    ('L2Loss', {}, ['x45', 'y45'], {}),
    ('L2Loss', dict(weight=2.0), ['x423', 'y423'], dict(sample_weight='sw411')),
    ('L2Loss', dict(batch_axis=1), ['x45', 'y45'], {}),
    ('L1Loss', {}, ['x45', 'y45'], dict(sample_weight='sw45')),
    ('L1Loss', {}, ['x4', 'y4'], {}),
    ('SigmoidBinaryCrossEntropyLoss', {}, ['x45', 'b45'], {}),
    ('SigmoidBinaryCrossEntropyLoss', {}, ['x45', 'b45'], dict(sample_weight='sw4',
                                                               pos_weight='pw5')),
    ('SigmoidBinaryCrossEntropyLoss', dict(from_sigmoid=True), ['p45', 'b45'], {}),
    ('SigmoidBinaryCrossEntropyLoss', dict(from_sigmoid=True, weight=0.5), ['p45', 'b45'],
     dict(pos_weight='pw5')),
    ('SoftmaxCrossEntropyLoss', {}, ['x45', 'cls4'], {}),
    ('SoftmaxCrossEntropyLoss', dict(axis=1), ['x423', 'cls43'], dict(sample_weight='sw411')),
    ('SoftmaxCrossEntropyLoss', dict(sparse_label=False), ['x45', 'dist45'], {}),
    ('SoftmaxCrossEntropyLoss', dict(from_logits=True, weight=3.0), ['x45', 'cls4'], {}),
    ('KLDivLoss', {}, ['x45', 'dist45'], {}),
    ('KLDivLoss', dict(from_logits=False), ['x45', 'dist45'], dict(sample_weight='sw4')),
    ('HuberLoss', {}, ['x45', 'y45'], {}),
    ('HuberLoss', dict(rho=0.5, weight=2.0), ['x45', 'y45'], dict(sample_weight='sw45')),
    ('HingeLoss', {}, ['x45', 's45'], {}),
    ('HingeLoss', dict(margin=0.5), ['x45', 's45'], dict(sample_weight='sw4')),
    ('SquaredHingeLoss', {}, ['x45', 's45'], {}),
    ('SquaredHingeLoss', dict(margin=2.0), ['x45', 's45'], {}),
    ('LogisticLoss', {}, ['x45', 's45'], {}),
    ('LogisticLoss', dict(label_format='binary'), ['x45', 'b45'], dict(sample_weight='sw4')),
    ('TripletLoss', {}, ['x45', 'y45', 'y45'], {}),
    ('TripletLoss', dict(margin=3.0), ['x45', 'y45', 'dist45'], {}),
    ('PoissonNLLLoss', {}, ['x45', 'cnt45'], {}),
    ('PoissonNLLLoss', dict(from_logits=False, compute_full=True), ['pos45', 'cnt45'], {}),
    ('CosineEmbeddingLoss', {}, ['x45', 'y45', 's4'], {}),
    ('CosineEmbeddingLoss', dict(margin=0.2), ['x45', 'y45', 's4'], dict(sample_weight='sw4')),
    ('CTCLoss', {}, ['ctc', 'ctclab'], {}),
    ('CTCLoss', dict(layout='TNC'), ['ctc', 'ctclab'], dict(pred_lengths='ctclen',
                                                          label_lengths='ctclablen')),
    ('CTCLoss', dict(label_layout='TN', weight=0.5), ['ctc', 'ctclabT'],
     dict(sample_weight='ctcsw')),
    ('SDMLLoss', {}, ['x45', 'y45'], {}),
]


def gen_loss():
    rng = np.random.RandomState(2)
    inputs = loss_inputs(rng)
    out = {'in_' + k: v for k, v in inputs.items()}
    for i, (cls, kw, args, call) in enumerate(LOSSES):
        loss = getattr(mx.gluon.loss, cls)(**kw)
        xs = [nd.array(inputs[a]) for a in args]
        if cls == 'CTCLoss' and kw.get('layout') == 'TNC':
            xs[0] = nd.array(inputs[args[0]].transpose(1, 0, 2))
        # Block.__call__ takes positional inputs only: fill the optional ones in order
        names = loss.hybrid_forward.__code__.co_varnames[2 + len(args):]
        extra = [nd.array(inputs[call[n]]) if n in call else None for n in names
                 if n in ('sample_weight', 'pos_weight', 'pred_lengths', 'label_lengths')]
        while extra and extra[-1] is None:
            extra.pop()
        xs[0].attach_grad()
        out[f'{i}_case'] = js(dict(cls=cls, kwargs=kw, args=args, call=call))
        try:
            with mx.autograd.record():
                y = loss(*xs, *extra)
            y.backward()
            out[f'{i}_grad'] = xs[0].grad.asnumpy()
        except mx.base.MXNetError:
            # PoissonNLLLoss(compute_full=True) writes in place: MXNet cannot record it
            y = loss(*xs, *extra)
        out[f'{i}_loss'] = y.asnumpy()
    save('loss', out)


# ---- Trainer: a linear model trained a few steps --------------------------------------------
TRAINER = [  # optimizer, optimizer_params, contexts, trainer kwargs, how to step
    ('sgd', dict(learning_rate=0.1, momentum=0.9, wd=0.01), 1, {}, 'step'),
    ('adam', dict(learning_rate=0.05, rescale_grad=2.0, clip_gradient=0.5,
                  lr_scheduler=('FactorScheduler', dict(step=1, factor=0.7))), 1, {}, 'step'),
    ('sgd', dict(learning_rate=0.1, momentum=0.5), 2, {}, 'step'),
    ('rmsprop', dict(learning_rate=0.01, centered=True), 2,
     dict(update_on_kvstore=False), 'allreduce_update'),
    ('nag', dict(learning_rate=0.1, momentum=0.9), 1, {}, 'set_lr'),
    ('sgd', dict(learning_rate=0.1, momentum=0.9), 2, dict(kvstore=None), 'step'),
    ('adam', dict(learning_rate=0.01), 1, dict(kvstore='kv:local'), 'step'),
    ('sgd', dict(learning_rate=0.1, wd=0.1), 2, dict(kvstore='local', update_on_kvstore=False),
     'step'),
]
T_STEPS = 3


def trainer_data(rng):
    return dict(w=rng.uniform(-1, 1, (3, 4)).astype('f4'), b=rng.uniform(-1, 1, 3).astype('f4'),
                x=rng.uniform(-1, 1, (T_STEPS, 4, 4)).astype('f4'),
                y=rng.uniform(-1, 1, (T_STEPS, 4, 3)).astype('f4'))


def gen_trainer():
    rng = np.random.RandomState(3)
    d = trainer_data(rng)
    out = {'in_' + k: v for k, v in d.items()}
    for i, (name, params, nctx, tkw, how) in enumerate(TRAINER):
        ctxs = [mx.cpu(c) for c in range(nctx)]
        w = mx.gluon.Parameter('w', shape=(3, 4))
        b = mx.gluon.Parameter('b', shape=(3,), lr_mult=2.0, wd_mult=0.0)
        for p, v in ((w, d['w']), (b, d['b'])):
            p.initialize(ctx=ctxs)
            p.set_data(nd.array(v))
        kw = dict(params)
        if 'lr_scheduler' in kw:
            cls, skw = kw['lr_scheduler']
            kw['lr_scheduler'] = getattr(mx.lr_scheduler, cls)(**skw)
        tkw2 = dict(tkw)
        if tkw2.get('kvstore') == 'kv:local':            # a KVStore instance
            tkw2['kvstore'] = mx.kv.create('local')
        tr = mx.gluon.Trainer([w, b], name, kw, **tkw2)
        loss_fn = mx.gluon.loss.L2Loss()
        for step in range(T_STEPS):
            xs = np.split(d['x'][step], nctx)
            ys = np.split(d['y'][step], nctx)
            with mx.autograd.record():
                losses = [loss_fn(nd.FullyConnected(nd.array(x, ctx=c), w.data(c), b.data(c),
                                                    num_hidden=3), nd.array(y, ctx=c))
                          for x, y, c in zip(xs, ys, ctxs)]
            mx.autograd.backward(losses)
            if how == 'allreduce_update':
                tr.allreduce_grads()
                tr.update(4)
            else:
                tr.step(4)
            if how == 'set_lr' and step == 0:
                tr.set_learning_rate(0.02)
            for c in ctxs:
                out[f'{i}_w_{step}_{c.device_id}'] = w.data(c).asnumpy()
                out[f'{i}_b_{step}_{c.device_id}'] = b.data(c).asnumpy()
        out[f'{i}_case'] = js(dict(opt=name, params=params, nctx=nctx, kwargs=tkw, how=how))
        out[f'{i}_lr'] = np.array(tr.learning_rate)
        # a step without a new backward: MXNet refuses the stale gradient
        try:
            tr.step(4)
            out[f'{i}_stale'] = js('no error')
        except Exception as e:  # pylint: disable=broad-except
            out[f'{i}_stale'] = js(f'{type(e).__name__}: {e}')
    save('trainer', out)


# ---- metrics: get()/get_global() after each update ------------------------------------------
def _probs(rng, n, c):
    x = rng.uniform(0.05, 1, (n, c)).astype('f4')
    return x / x.sum(1, keepdims=True)


def metric_batches(rng, kind):
    """Three updates of (labels, preds) lists for a metric family."""
    out = []
    for _ in range(3):
        if kind == 'cls':
            out.append(([rng.randint(0, 3, 6).astype('f4')], [_probs(rng, 6, 3)]))
        elif kind == 'cls2':                       # two outputs per update
            out.append(([rng.randint(0, 3, 4).astype('f4'), rng.randint(0, 3, 5).astype('f4')],
                        [_probs(rng, 4, 3), _probs(rng, 5, 3)]))
        elif kind == 'ids':
            out.append(([rng.randint(0, 3, 6).astype('f4')], [rng.randint(0, 3, 6).astype('f4')]))
        elif kind == 'axis0':
            out.append(([rng.randint(0, 3, 6).astype('f4')], [_probs(rng, 6, 3).T.copy()]))
        elif kind == 'topk':
            out.append(([rng.randint(0, 5, 7).astype('f4')], [_probs(rng, 7, 5)]))
        elif kind == 'bin':
            out.append(([rng.randint(0, 2, 8).astype('f4')], [_probs(rng, 8, 2)]))
        elif kind == 'multi':
            out.append(([rng.randint(0, 3 + len(out), 8).astype('f4')],
                        [_probs(rng, 8, 3 + len(out))]))
        elif kind == 'seq':
            out.append(([rng.randint(0, 4, (2, 3)).astype('f4')],
                        [rng.uniform(0.05, 1, (6, 4)).astype('f4')]))
        elif kind == 'reg':
            out.append(([rng.uniform(-1, 1, 5).astype('f4')], [rng.uniform(-1, 1, 5).astype('f4')]))
        elif kind == 'reg2':
            out.append(([rng.uniform(-1, 1, (4, 2)).astype('f4')],
                        [rng.uniform(-1, 1, (4, 2)).astype('f4')]))
        elif kind == 'loss':
            out.append(([], [rng.uniform(0, 2, (4,)).astype('f4')]))
    return out


METRICS = [  # create() argument, kwargs, data kind
    ('acc', {}, 'cls'), ('acc', {}, 'cls2'), ('accuracy', {}, 'ids'),
    ('acc', dict(axis=0), 'axis0'),
    ('top_k_accuracy', dict(top_k=2), 'topk'), ('top_k_acc', dict(top_k=3), 'topk'),
    ('f1', {}, 'bin'), ('f1', dict(average='micro'), 'bin'),
    ('mcc', {}, 'bin'), ('mcc', dict(average='micro'), 'bin'),
    ('perplexity', dict(ignore_label=None), 'seq'), ('perplexity', dict(ignore_label=0), 'seq'),
    ('mae', {}, 'reg'), ('mse', {}, 'reg2'), ('rmse', {}, 'reg'), ('rmse', {}, 'reg2'),
    ('ce', {}, 'cls'), ('nll_loss', dict(eps=1e-3), 'cls'),
    ('pearsonr', {}, 'reg'), ('pearsonr', dict(average='micro'), 'reg2'),
    ('pcc', {}, 'multi'), ('loss', {}, 'loss'),
    (['acc', 'ce'], {}, 'cls'),
    ('custom', {}, 'reg'),
]


def custom_feval(label, pred):
    return float(numpy_abs_sum(label - pred)), label.size


def numpy_abs_sum(x):
    return np.abs(x).sum()


def gen_metric():
    rng = np.random.RandomState(4)
    out = {}
    for i, (name, kw, kind) in enumerate(METRICS):
        m = mx.metric.np(custom_feval) if name == 'custom' else mx.metric.create(name, **kw)
        batches = metric_batches(rng, kind)
        res = []
        for j, (labels, preds) in enumerate(batches):
            if j == 2:
                m.reset_local()
            for k, x in enumerate(labels):
                out[f'{i}_u{j}_label{k}'] = x
            for k, x in enumerate(preds):
                out[f'{i}_u{j}_pred{k}'] = x
            m.update([nd.array(x) for x in labels], [nd.array(x) for x in preds])
            res.append([m.get(), m.get_global(), m.get_name_value()])
        out[f'{i}_case'] = js(dict(name=name, kwargs=kw, kind=kind, metric_name=m.name,
                                   results=res))
    save('metric', out)


# ---- gluon.utils: split_data, clip_global_norm ----------------------------------------------
def gen_utils():
    rng = np.random.RandomState(5)
    out = {}
    x = rng.uniform(-1, 1, (7, 3)).astype('f4')
    out['split_x'] = x
    for i, (n, axis, data) in enumerate([(3, 0, x), (2, 1, x.T.copy()), (7, 0, x)]):
        parts = mx.gluon.utils.split_data(nd.array(data), n, batch_axis=axis, even_split=False)
        out[f'split_{i}_sizes'] = np.array([p.shape[axis] for p in parts])
        out[f'split_{i}_cat'] = np.concatenate([p.asnumpy() for p in parts], axis=axis)
    arrs = [rng.uniform(-1, 1, s).astype('f4') for s in [(3, 4), (5,), (2, 2, 2)]]
    for i, a in enumerate(arrs):
        out[f'clip_in{i}'] = a
    for j, max_norm in enumerate([1.0, 100.0]):
        nds = [nd.array(a) for a in arrs]
        out[f'clip_{j}_norm'] = np.array(mx.gluon.utils.clip_global_norm(nds, max_norm))
        for i, a in enumerate(nds):
            out[f'clip_{j}_out{i}'] = a.asnumpy()
    save('utils', out)


# ---- an end-to-end loop: net.collect_params(), loss, Trainer, metric --------------------------
def make_net():
    net = mx.gluon.nn.HybridSequential(prefix='net_')
    with net.name_scope():
        net.add(mx.gluon.nn.Dense(5, in_units=4, activation='relu'))
        net.add(mx.gluon.nn.Dense(3, in_units=5))
    return net


def gen_net():
    rng = np.random.RandomState(6)
    net = make_net()
    net.initialize()
    params = net.collect_params()
    out = {}
    for name in sorted(params.keys()):
        v = rng.uniform(-0.5, 0.5, params[name].shape).astype('f4')
        params[name].set_data(nd.array(v))
        out['init_' + name] = v
    params['net_dense1_bias'].lr_mult = 0.5
    tr = mx.gluon.Trainer(params, 'adam', {'learning_rate': 0.05, 'wd': 1e-3})
    loss_fn = mx.gluon.loss.SoftmaxCrossEntropyLoss()
    acc, lossm = mx.metric.Accuracy(), mx.metric.Loss()
    for step in range(4):
        x = rng.uniform(-1, 1, (6, 4)).astype('f4')
        y = rng.randint(0, 3, 6).astype('f4')
        out[f'x{step}'], out[f'y{step}'] = x, y
        with mx.autograd.record():
            pred = net(nd.array(x))
            loss = loss_fn(pred, nd.array(y))
        loss.backward()
        tr.step(6)
        acc.update([nd.array(y)], [pred])
        lossm.update(None, [loss])
        out[f'loss{step}'] = loss.asnumpy()
    for name in sorted(params.keys()):
        out['final_' + name] = params[name].data().asnumpy()
    out['acc'], out['lossm'] = np.array(acc.get()[1]), np.array(lossm.get()[1])
    save('net', out)


# ---- aggregated SGD: the multi-weight operators and the Updater's grouping ------------------
MULTI = [  # op, states per weight, kwargs (lrs/wds per weight)
    ('multi_sgd_update', 0, dict(lrs=(0.1, 0.2, 0.05), wds=(0.01, 0.0, 0.03),
                                 rescale_grad=0.5, clip_gradient=0.3)),
    ('multi_sgd_update', 0, dict(lrs=(0.1, 0.1, 0.1), wds=(0.0, 0.0, 0.0))),
    ('multi_sgd_mom_update', 1, dict(lrs=(0.1, 0.2, 0.05), wds=(0.01, 0.0, 0.03),
                                     momentum=0.9, rescale_grad=0.5, clip_gradient=0.3)),
    ('multi_sgd_mom_update', 1, dict(lrs=(0.05, 0.05, 0.05), wds=(0.02, 0.02, 0.02),
                                     momentum=0.5)),
]
MULTI_SHAPES = [(3, 4), (5,), (2, 2)]
MULTI_TRAJ = [  # SGD kwargs for the Updater run with lists, aggregate_num 2
    dict(learning_rate=0.1, momentum=0.9, wd=0.01, rescale_grad=0.5, clip_gradient=0.3),
    dict(learning_rate=0.2, wd=0.02),
]


def gen_multi():
    rng = np.random.RandomState(2)
    out = {}
    for i, (name, n_states, kw) in enumerate(MULTI):
        arrays = []
        for j, shape in enumerate(MULTI_SHAPES):
            group = [rng.uniform(-1, 1, shape).astype('f4') for _ in range(2 + n_states)]
            for k, a in enumerate(group):
                out[f'{i}_in{j}_{k}'] = a
            arrays.append([nd.array(a) for a in group])
        weights = [g[0] for g in arrays]
        getattr(nd, name)(*[a for g in arrays for a in g], out=weights,
                          num_weights=len(weights), **kw)
        for j, g in enumerate(arrays):
            for k, a in enumerate(g):
                out[f'{i}_out{j}_{k}'] = a.asnumpy()    # weights and states, after
        out[f'{i}_case'] = js(dict(op=name, states=n_states, kwargs=kw))
    for i, kw in enumerate(MULTI_TRAJ):
        opt = mx.optimizer.create('sgd', param_idx2name={0: 'a_weight', 1: 'a_bias',
                                                         2: 'b_weight'}, **kw)
        opt.aggregate_num = 2
        opt.set_lr_mult({1: 0.5})
        upd = mx.optimizer.get_updater(opt)
        ws = [nd.array(rng.uniform(-1, 1, s).astype('f4')) for s in MULTI_SHAPES]
        for j, w in enumerate(ws):
            out[f't{i}_w{j}_init'] = w.asnumpy()
        for step in range(STEPS):
            gs = [rng.uniform(-1, 1, s).astype('f4') for s in MULTI_SHAPES]
            for j, g in enumerate(gs):
                out[f't{i}_g{j}_{step}'] = g
            upd([0, 1, 2], [nd.array(g) for g in gs], ws)
            for j, w in enumerate(ws):
                out[f't{i}_w{j}_{step}'] = w.asnumpy()
        out[f't{i}_case'] = js(kw)
        out[f't{i}_num_update'] = np.array(opt.num_update)
    save('multi', out)


if __name__ == '__main__':
    parts = sys.argv[1:] or ['ops', 'traj', 'sched', 'loss', 'trainer', 'metric', 'utils', 'net',
                             'multi']
    for p in parts:
        globals()['gen_' + p]()
