"""Cases of MXNet 1.9.1 operators run by MXNet (tools/golden_ops_extra.py) and by regluon
(tests/test_ops_extra.py): multi-precision and fused optimizer updates, AMP helpers, and the
general operators of ops/extra.py. Each case takes the library's `nd` (and `autograd`) and
returns a dict of numpy arrays; the test compares it key by key with MXNet's."""
import numpy as np


def _u(rng, shape, lo=-1.0, hi=1.0, dtype='float32'):
    return rng.uniform(lo, hi, shape).astype(dtype)


def _arrays(nd, rng, shapes, dtype='float16'):
    """Weights (dtype), gradients (dtype) and float32 master copies for `shapes`."""
    ws = [nd.array(_u(rng, s), dtype=dtype) for s in shapes]
    gs = [nd.array(_u(rng, s, -2, 2), dtype=dtype) for s in shapes]
    return ws, gs, [w.astype('float32') for w in ws]


def _dump(prefix, arrays):
    return {f'{prefix}{i}': a.asnumpy() for i, a in enumerate(arrays)}


# ---- single-weight mp updates: two steps each, in place (out=weight) and a third without out= --
MP_SINGLE = [  # case, op, number of float32 states besides weight32, keyword arguments
    ('mp_sgd', 'mp_sgd_update', 0, dict(lr=0.1, wd=0.01)),
    ('mp_sgd_clip', 'mp_sgd_update', 0, dict(lr=0.05, rescale_grad=0.5, clip_gradient=0.3)),
    ('mp_sgd_mom', 'mp_sgd_mom_update', 1, dict(lr=0.1, momentum=0.9, wd=0.01)),
    ('mp_sgd_mom_clip', 'mp_sgd_mom_update', 1,
     dict(lr=0.1, momentum=0.5, rescale_grad=2.0, clip_gradient=0.5)),
    ('mp_nag_mom', 'mp_nag_mom_update', 1, dict(lr=0.1, momentum=0.9, wd=0.05)),
    ('mp_nag_mom_clip', 'mp_nag_mom_update', 1,
     dict(lr=0.2, momentum=0.8, wd=0.01, rescale_grad=0.5, clip_gradient=0.2)),
]


def mp_single(nd, op, nstates, kwargs, seed):
    rng = np.random.RandomState(seed)
    (w,), _, (w32,) = _arrays(nd, rng, [(3, 4)])
    states = [nd.array(_u(rng, (3, 4), -0.1, 0.1)) for _ in range(nstates)]
    res = {}
    for step in range(2):
        g = nd.array(_u(rng, (3, 4), -2, 2), dtype='float16')
        getattr(nd, op)(w, g, *states, w32, out=w, **kwargs)
        res.update({f'weight{step}': w.asnumpy(), f'weight32_{step}': w32.asnumpy()})
        res.update(_dump(f'state{step}_', states))
    g = nd.array(_u(rng, (3, 4), -2, 2), dtype='float16')
    y = getattr(nd, op)(w, g, *states, w32, **kwargs)       # a new array; w unchanged
    res.update({'y': y.asnumpy(), 'weight_kept': w.asnumpy(), 'weight32_2': w32.asnumpy()})
    return res


# ---- aggregated mp updates ----------------------------------------------------------------------
MP_MULTI = [  # case, op, momentum?, preloaded?, keyword arguments
    ('multi_mp_sgd', 'multi_mp_sgd_update', False, False, dict(rescale_grad=0.5)),
    ('multi_mp_sgd_clip', 'multi_mp_sgd_update', False, False,
     dict(clip_gradient=0.4, rescale_grad=1.5)),
    ('multi_mp_sgd_mom', 'multi_mp_sgd_mom_update', True, False, dict(momentum=0.9)),
    ('multi_mp_sgd_mom_clip', 'multi_mp_sgd_mom_update', True, False,
     dict(momentum=0.5, clip_gradient=0.3)),
    ('preloaded_mp_sgd', 'preloaded_multi_mp_sgd_update', False, True, dict(rescale_grad=0.5)),
    ('preloaded_mp_sgd_mom', 'preloaded_multi_mp_sgd_mom_update', True, True,
     dict(momentum=0.9, clip_gradient=0.5)),
]

SHAPES = [(3, 4), (5,), (2, 2, 2)]
LRS, WDS = (0.1, 0.05, 0.2), (0.01, 0.0, 0.1)


def mp_multi(nd, op, momentum, preloaded, kwargs, seed):
    rng = np.random.RandomState(seed)
    ws, gs, w32 = _arrays(nd, rng, SHAPES)
    moms = [nd.array(_u(rng, s, -0.1, 0.1)) for s in SHAPES] if momentum else []
    per = [ws, gs] + ([moms] if momentum else []) + [w32]
    data = [a for t in zip(*per) for a in t]
    kw = dict(kwargs, num_weights=len(SHAPES))
    if preloaded:
        data += [nd.array(LRS), nd.array(WDS)]
    else:
        kw.update(lrs=LRS, wds=WDS)
    getattr(nd, op)(*data, out=ws, **kw)
    res = {**_dump('weight', ws), **_dump('weight32_', w32), **_dump('mom', moms)}
    ys = [nd.zeros(s, dtype='float16') for s in SHAPES]     # out= other arrays: weights kept
    getattr(nd, op)(*data, out=ys, **kw)
    res.update({**_dump('y', ys), **_dump('kept', ws)})
    return res


# ---- LAMB ---------------------------------------------------------------------------------------
def mp_lamb(nd, seed=0):
    """Two steps of mp_lamb_update_phase1/2 as MXNet's LAMB optimizer runs them."""
    rng = np.random.RandomState(seed)
    (w,), _, (w32,) = _arrays(nd, rng, [(4, 3)])
    mean, var = nd.zeros((4, 3)), nd.zeros((4, 3))
    res = {}
    for t, kw in ((1, dict(wd=0.01)), (2, dict(wd=0.1, bias_correction=False, rescale_grad=0.5,
                                                  clip_gradient=0.5, epsilon=1e-4))):
        g = nd.array(_u(rng, (4, 3), -2, 2), dtype='float16')
        d = nd.mp_lamb_update_phase1(w, g, mean, var, w32, t=t, **kw)
        r1, r2 = w32.norm(), d.norm()
        bounds = dict(lower_bound=0.1, upper_bound=10.0) if t == 2 else {}
        nd.mp_lamb_update_phase2(w, d, r1, r2, w32, lr=0.05, out=w, **bounds)
        res.update({f'g{t}': d.asnumpy(), f'weight{t}': w.asnumpy(), f'mean{t}': mean.asnumpy(),
                    f'var{t}': var.asnumpy(), f'weight32_{t}': w32.asnumpy()})
    return res


def multi_lamb(nd, mp, seed=0):
    """Two fused LAMB steps over three tensors (nd.contrib.multi_(mp_)lamb_update)."""
    rng = np.random.RandomState(seed)
    ws, _, w32 = _arrays(nd, rng, SHAPES, dtype='float16' if mp else 'float32')
    means = [nd.zeros(s) for s in SHAPES]
    vars_ = [nd.zeros(s) for s in SHAPES]
    res = {}
    for step, kw in enumerate([dict(), dict(bias_correction=False, rescale_grad=0.5,
                                            clip_gradient=0.5, lower_bound=0.5,
                                            upper_bound=2.0, beta1=0.8)]):
        gs = [nd.array(_u(rng, s, -2, 2), dtype=ws[0].dtype) for s in SHAPES]
        steps = [step + 1, step + 2, step + 1]
        if mp:
            nd.contrib.multi_mp_lamb_update(ws, gs, means, vars_, w32, steps, LRS, WDS,
                                            out=ws, **kw)
        else:
            nd.contrib.multi_lamb_update(ws, gs, means, vars_, steps, LRS, WDS, out=ws, **kw)
        res.update({**_dump(f'weight{step}_', ws), **_dump(f'mean{step}_', means),
                    **_dump(f'var{step}_', vars_)})
        if mp:
            res.update(_dump(f'weight32_{step}_', w32))
    return res


# ---- AMP helpers --------------------------------------------------------------------------------
def amp_helpers(nd):
    ok = [nd.array([1.0, 2.0]), nd.array([[3.0]])]
    bad = ok + [nd.array([1.0, np.inf, 0.0])]
    nan = [nd.array([np.nan], dtype='float16')]
    res = {'finite': nd.multi_all_finite(*ok, num_arrays=2).asnumpy(),
           'inf': nd.multi_all_finite(*bad, num_arrays=3).asnumpy(),
           'nan': nd.multi_all_finite(*nan).asnumpy()}
    out = nd.array([0.0])
    nd.multi_all_finite(*ok, num_arrays=2, out=out)
    res['out_init'] = out.asnumpy()
    out = nd.array([1.0])
    nd.multi_all_finite(*bad, num_arrays=3, init_output=False, out=out)
    res['out_chain_bad'] = out.asnumpy()
    out = nd.array([1.0])
    nd.multi_all_finite(*ok, num_arrays=2, init_output=False, out=out)
    res['out_chain_ok'] = out.asnumpy()
    arrays = [nd.ones((2, 3)), nd.ones((4,), dtype='float16'), nd.ones((1,), dtype='float64')]
    ret = nd.reset_arrays(*arrays, num_arrays=3)
    res['reset_returns'] = np.array(len(ret))
    res.update(_dump('reset', arrays))
    return res


def cases():
    """{case name: fn(nd, autograd) -> dict of arrays}, every case of this module."""
    out = {}
    for seed, (name, op, nstates, kw) in enumerate(MP_SINGLE):
        out[f'opt/{name}'] = (lambda nd, ag, a=(op, nstates, kw, seed): mp_single(nd, *a))
    for seed, (name, op, mom, pre, kw) in enumerate(MP_MULTI):
        out[f'opt/{name}'] = (lambda nd, ag, a=(op, mom, pre, kw, seed): mp_multi(nd, *a))
    out['opt/mp_lamb'] = lambda nd, ag: mp_lamb(nd)
    out['opt/multi_lamb'] = lambda nd, ag: multi_lamb(nd, False)
    out['opt/multi_mp_lamb'] = lambda nd, ag: multi_lamb(nd, True)
    out['amp/helpers'] = lambda nd, ag: amp_helpers(nd)
    for seed, (name, op, inputs, kw, grads) in enumerate(OPS):
        out[f'op/{name}'] = (lambda nd, ag, a=(op, inputs, kw, grads, seed):
                             run_op(nd, ag, *a))
    out['histogram'] = lambda nd, ag: histograms(nd)
    out['onehot_encode'] = lambda nd, ag: onehot(nd)
    out['rand_zipfian'] = lambda nd, ag: zipfian(nd)
    out['hawkesll'] = hawkes
    out['opt/adamw_skips'] = lambda nd, ag: adamw_skips(nd)
    return out


def symbolic_cases():
    """{case name: fn(mx) -> dict of arrays} for the SYMBOLIC table and the AMP graph."""
    out = {f'sym/{name}': (lambda mx, a=(op, kw, shape, seed): run_symbolic(mx, *a))
           for seed, (name, op, kw, shape) in enumerate(SYMBOLIC)}
    out['sym/amp_graph'] = amp_graph
    out['sym/amp_types'] = amp_types
    return out


# ---- bad calls: MXNet raises (MXNetError); regluon must too -----------------------------------
ERRORS = [
    ('mp_sgd_shape', lambda mx: mx.nd.mp_sgd_update(
        mx.nd.ones((2, 3), dtype='float16'), mx.nd.ones((3, 2), dtype='float16'),
        mx.nd.ones((2, 3)), lr=0.1)),
    ('multi_mp_sgd_count', lambda mx: mx.nd.multi_mp_sgd_update(
        mx.nd.ones((2,), dtype='float16'), mx.nd.ones((2,), dtype='float16'),
        lrs=(0.1,), wds=(0.0,), num_weights=1)),
    ('multi_all_finite_count', lambda mx: mx.nd.multi_all_finite(
        mx.nd.ones((2,)), num_arrays=2)),
    ('mp_lamb_phase2_shape', lambda mx: mx.nd.mp_lamb_update_phase2(
        mx.nd.ones((2, 3), dtype='float16'), mx.nd.ones((3,)), mx.nd.ones((1,)),
        mx.nd.ones((1,)), mx.nd.ones((2, 3)), lr=0.1)),
    ('amp_multicast_count', lambda mx: mx.nd.amp_multicast(mx.nd.ones((2,)), num_outputs=2)),
    ('fill_element_0index_shape', lambda mx: mx.nd.fill_element_0index(
        mx.nd.ones((3, 4)), mx.nd.ones((2,)), mx.nd.ones((3,)))),
    ('col2im_size', lambda mx: mx.nd.col2im(mx.nd.ones((1, 4, 5)), output_size=(4, 4),
                                            kernel=(2, 2))),
    ('pdf_normal_shape', lambda mx: mx.nd.random_pdf_normal(
        mx.nd.ones((3, 2)), mx.nd.ones((2,)), mx.nd.ones((2,)))),
    ('pdf_dirichlet_k', lambda mx: mx.nd.random_pdf_dirichlet(
        mx.nd.ones((2, 3)), mx.nd.ones((4,)))),
    ('sync_bn_no_key', lambda mx: mx.nd.contrib.SyncBatchNorm(
        mx.nd.ones((2, 3)), mx.nd.ones((3,)), mx.nd.ones((3,)), mx.nd.ones((3,)),
        mx.nd.ones((3,)))),
    ('ctc_loss_no_lengths', lambda mx: mx.nd.contrib.ctc_loss(
        mx.nd.ones((4, 2, 3)), mx.nd.ones((2, 2)), use_label_lengths=True)),
]


# ---- general operators: name, nd op, inputs(rng), keyword arguments, inputs with gradients ------
def _pos(rng, shape, lo=0.5, hi=2.0):
    return _u(rng, shape, lo, hi)


def _counts(rng, shape, hi=6):
    return rng.randint(0, hi, shape).astype('float32')


def _simplex(rng, shape):
    x = _u(rng, shape, 0.1, 1.0)
    return (x / x.sum(-1, keepdims=True)).astype('float32')


OPS = [
    ('amp_cast_f16', 'amp_cast', lambda r: [_u(r, (2, 3))], dict(dtype='float16'), (0,)),
    ('amp_cast_f32', 'amp_cast', lambda r: [_u(r, (3,), dtype='float16')],
     dict(dtype='float32'), (0,)),
    ('amp_cast_int', 'amp_cast', lambda r: [np.arange(4, dtype='int32')],
     dict(dtype='float16'), ()),
    ('amp_cast_to_int', 'amp_cast', lambda r: [np.array([1.7, -2.2], 'float32')],
     dict(dtype='int32'), ()),
    ('moveaxis', 'moveaxis', lambda r: [_u(r, (2, 3, 4))], dict(source=0, destination=-1),
     (0,)),
    ('moveaxis_many', 'moveaxis', lambda r: [_u(r, (2, 3, 4, 5))],
     dict(source=(0, 1), destination=(3, 0)), (0,)),
    ('choose_element_0index', 'choose_element_0index',
     lambda r: [_u(r, (3, 4)), np.array([0, 3, 1], 'float32')], {}, (0,)),
    ('fill_element_0index', 'fill_element_0index',
     lambda r: [_u(r, (3, 4)), _u(r, (3,)), np.array([2, 0, 3], 'float32')], {}, ()),
    ('im2col', 'im2col', lambda r: [_u(r, (2, 3, 5, 4))], dict(kernel=(2, 3)), (0,)),
    ('im2col_stride_pad', 'im2col', lambda r: [_u(r, (1, 2, 6, 5))],
     dict(kernel=(3, 2), stride=(2, 1), dilate=(1, 2), pad=(1, 1)), (0,)),
    ('col2im', 'col2im', lambda r: [_u(r, (2, 3 * 2 * 3, 4 * 2))],
     dict(output_size=(5, 4), kernel=(2, 3)), (0,)),
    ('col2im_stride_pad', 'col2im', lambda r: [_u(r, (1, 2 * 3 * 2, 15))],
     dict(output_size=(6, 5), kernel=(3, 2), stride=(2, 1), dilate=(1, 2), pad=(1, 1)), (0,)),
    ('pdf_uniform', 'random_pdf_uniform',
     lambda r: [_u(r, (2, 3), 0, 1), _u(r, (2,), -1, 0), _u(r, (2,), 1, 2)], {}, (0, 1, 2)),
    ('pdf_uniform_log', 'random_pdf_uniform',
     lambda r: [_u(r, (2, 2, 2), 0, 1), _u(r, (2, 2), -1, 0), _u(r, (2, 2), 1, 2)],
     dict(is_log=True), (0, 1, 2)),
    ('pdf_normal', 'random_pdf_normal', lambda r: [_u(r, (2, 4)), _u(r, (2,)), _pos(r, (2,))],
     {}, (0, 1, 2)),
    ('pdf_normal_log', 'random_pdf_normal',
     lambda r: [_u(r, (3, 2)), _u(r, (3,)), _pos(r, (3,))], dict(is_log=True), (0, 1, 2)),
    ('pdf_gamma', 'random_pdf_gamma', lambda r: [_pos(r, (2, 3)), _pos(r, (2,)), _pos(r, (2,))],
     {}, (0, 1, 2)),
    ('pdf_gamma_log', 'random_pdf_gamma',
     lambda r: [_pos(r, (2, 2, 3)), _pos(r, (2, 2)), _pos(r, (2, 2))], dict(is_log=True),
     (0, 1, 2)),
    ('pdf_exponential', 'random_pdf_exponential', lambda r: [_pos(r, (3, 2)), _pos(r, (3,))],
     {}, (0, 1)),
    ('pdf_exponential_log', 'random_pdf_exponential',
     lambda r: [_pos(r, (2, 4)), _pos(r, (2,))], dict(is_log=True), (0, 1)),
    ('pdf_poisson', 'random_pdf_poisson', lambda r: [_counts(r, (2, 3)), _pos(r, (2,), 1, 4)],
     {}, (0, 1)),
    ('pdf_poisson_log', 'random_pdf_poisson',
     lambda r: [_counts(r, (3, 2)), _pos(r, (3,), 1, 4)], dict(is_log=True), (0, 1)),
    ('pdf_negative_binomial', 'random_pdf_negative_binomial',
     lambda r: [_counts(r, (2, 3)), _pos(r, (2,), 1, 5), _u(r, (2,), 0.2, 0.8)], {}, (0, 1, 2)),
    ('pdf_negative_binomial_log', 'random_pdf_negative_binomial',
     lambda r: [_counts(r, (2, 3)), _pos(r, (2,), 1, 5), _u(r, (2,), 0.2, 0.8)],
     dict(is_log=True), (0, 1, 2)),
    ('pdf_gen_negative_binomial', 'random_pdf_generalized_negative_binomial',
     lambda r: [_counts(r, (2, 3)), _pos(r, (2,), 1, 4), _pos(r, (2,), 0.2, 1)], {}, (0, 1, 2)),
    ('pdf_gen_negative_binomial_log', 'random_pdf_generalized_negative_binomial',
     lambda r: [_counts(r, (3, 2)), _pos(r, (3,), 1, 4), _pos(r, (3,), 0.2, 1)],
     dict(is_log=True), (0, 1, 2)),
    ('pdf_dirichlet', 'random_pdf_dirichlet',
     lambda r: [_simplex(r, (2, 3, 4)), _pos(r, (2, 4))], {}, (0, 1)),
    ('pdf_dirichlet_log', 'random_pdf_dirichlet',
     lambda r: [_simplex(r, (2, 3)), _pos(r, (3,))], dict(is_log=True), (0, 1)),
    ('pdf_dirichlet_1d', 'random_pdf_dirichlet',
     lambda r: [_simplex(r, (3,)), _pos(r, (3,))], {}, (0, 1)),
    ('ctc_loss', 'contrib.ctc_loss',
     lambda r: [_u(r, (5, 2, 4)), np.array([[1, 2, 0], [3, 3, 1]], 'float32')], {}, (0,)),
    ('ctc_loss_last', 'contrib.CTCLoss',
     lambda r: [_u(r, (6, 2, 5)), np.array([[0, 1, -1], [2, 3, 3]], 'float32'),
                np.array([2, 3], 'float32')],
     dict(blank_label='last', use_label_lengths=True), (0,)),
    ('ctc_loss_lengths', 'contrib.ctc_loss',
     lambda r: [_u(r, (6, 2, 4)), np.array([[1, 2], [3, 1]], 'float32'),
                np.array([6, 4], 'float32'), np.array([2, 1], 'float32')],
     dict(use_data_lengths=True, use_label_lengths=True), (0,)),
]


def run_op(nd, autograd, op, inputs, kwargs, grads, seed):
    """{'y<k>': outputs, 'grad<i>': gradient of input i} for a seeded head gradient."""
    rng = np.random.RandomState(seed)
    xs = [nd.array(x, dtype=x.dtype) for x in inputs(rng)]
    for i in grads:
        xs[i].attach_grad()
    fn = nd
    for part in op.split('.'):
        fn = getattr(fn, part)
    with autograd.record():
        y = fn(*xs, **kwargs)
    ys = y if isinstance(y, (list, tuple)) else [y]
    res = _dump('y', ys)
    if grads:
        autograd.backward(ys, [nd.array(_u(rng, t.shape), dtype=t.dtype) for t in ys])
        res.update({f'grad{i}': xs[i].grad.asnumpy() for i in grads})
    return res


def histograms(nd):
    data = nd.array([0.1, 0.5, 0.5, 2.0, 3.9, 4.0, -1.0, 7.0])
    res = {**_dump('cnt', nd.histogram(data, 4, range=(0, 4))),
           **_dump('edges', nd.histogram(data, bins=nd.array([0.0, 1.0, 2.5, 4.0]))),
           **_dump('int', nd.histogram(nd.array([0, 1, 2, 3, 3], dtype='int32'), 2,
                                       range=(0, 3))),
           **_dump('default_range', nd.histogram(data, 3)),
           **_dump('f64', nd.histogram(data.astype('float64'), 5, range=(-1.0, 7.0)))}
    return res


def onehot(nd):
    out = nd.zeros((3, 5))
    ret = nd.onehot_encode(nd.array([0, 4, 2]), out)
    return {'out': out.asnumpy(), 'ret': ret.asnumpy()}


# ---- legacy layers with auxiliary states, bound symbolically (MXNet's nd cannot pass them) -----
SYMBOLIC = [  # case, sym op, keyword arguments, data shape
    ('bn_v1', 'BatchNorm_v1', dict(fix_gamma=False), (2, 3, 2, 2)),
    ('bn_v1_mean_var', 'BatchNorm_v1', dict(fix_gamma=False, output_mean_var=True,
                                             eps=1e-2, momentum=0.8), (4, 3)),
    ('bn_v1_fix_gamma', 'BatchNorm_v1', dict(), (2, 2, 3, 2)),
    ('bn_v1_global', 'BatchNorm_v1', dict(use_global_stats=True, fix_gamma=False), (2, 3, 2, 1)),
    ('kl_sparse_reg', 'IdentityAttachKLSparseReg', dict(), (4, 3)),
    ('kl_sparse_reg_params', 'IdentityAttachKLSparseReg',
     dict(sparseness_target=0.3, penalty=0.01, momentum=0.5), (3, 5)),
    ('bn_relu', 'contrib.BatchNormWithReLU', dict(fix_gamma=False), (2, 3, 2, 2)),
    ('sync_bn', 'contrib.SyncBatchNorm', dict(fix_gamma=False, key='sbn', ndev=1), (2, 3, 2)),
    ('sync_bn_mean_var', 'contrib.SyncBatchNorm',
     dict(key='sbn2', output_mean_var=True, momentum=0.5), (3, 2, 2)),
]


def run_symbolic(mx, op, kwargs, shape, seed):
    """Bind `op` on a variable, set seeded arguments and aux states, run a training forward
    and backward twice; returns outputs, gradients, aux states and the shapes inferred."""
    rng = np.random.RandomState(seed)
    fn = mx.sym
    for part in op.split('.'):
        fn = getattr(fn, part)
    full = fn(mx.sym.var('data'), name='n', **kwargs)
    s = full[0]     # the mean/var outputs get no gradient: one forward of `full` at the end
    ex = s.simple_bind(mx.cpu(), data=shape)
    res = {'out_shapes': np.array([str(t) for t in full.infer_shape(data=shape)[1]])}
    for name, arr in sorted(ex.arg_dict.items()):
        arr[:] = _u(rng, arr.shape, 0.05, 0.95)
    for name, arr in sorted(ex.aux_dict.items()):
        arr[:] = _u(rng, arr.shape, 0.2, 0.8)
    for step in range(2):
        outs = ex.forward(is_train=True)
        ex.backward([mx.nd.array(_u(rng, o.shape)) for o in outs])
        res.update(_dump(f'out{step}_', outs))
        res.update({f'grad{step}_{k}': v.asnumpy() for k, v in ex.grad_dict.items()})
        res.update({f'aux{step}_{k}': v.asnumpy() for k, v in ex.aux_dict.items()})
    outs = ex.forward(is_train=False)
    res.update(_dump('infer', outs))
    if len(full.list_outputs()) > 1:
        ex_full = full.bind(mx.cpu(), args=ex.arg_dict, aux_states=ex.aux_dict, grad_req='null')
        res.update(_dump('full', ex_full.forward(is_train=True)))
    return res


# ---- optimizers with multi_precision=True on float16 weights (through mx.optimizer's Updater) --
OPTIMIZERS = [  # case, optimizer, keyword arguments, update the weights as one group?
    ('sgd', 'sgd', dict(learning_rate=0.1, wd=0.01), True),
    ('sgd_mom', 'sgd', dict(learning_rate=0.1, momentum=0.9, clip_gradient=0.5), True),
    ('sgd_mom_single', 'sgd', dict(learning_rate=0.05, momentum=0.5, wd=0.1), False),
    ('nag', 'nag', dict(learning_rate=0.1, momentum=0.9, wd=0.01), False),
    ('nag_no_mom', 'nag', dict(learning_rate=0.1, rescale_grad=0.5), False),
    ('lars', 'lars', dict(learning_rate=0.1, momentum=0.9, wd=0.01), True),
    ('lars_no_mom', 'lars', dict(learning_rate=0.1, wd=0.01, clip_gradient=0.5), True),
    ('lbsgd', 'lbsgd', dict(learning_rate=0.1, momentum=0.9, batch_scale=2), False),
    ('lamb', 'lamb', dict(learning_rate=0.05, wd=0.01), True),
    ('lamb_bounds', 'lamb', dict(learning_rate=0.05, lower_bound=0.5, upper_bound=2.0,
                                 clip_gradient=1.0, bias_correction=False), True),
]


def optimizer_mp(mx, opt, kwargs, grouped, seed):
    """Three steps of a float16 model's update with float32 master copies (LAMB: also of a
    float32 model, its fused update without master copies)."""
    if opt == 'lamb' and 'dtype' not in kwargs:
        res = optimizer_mp(mx, opt, dict(kwargs, dtype='float32'), grouped, seed)
        res = {f'f32_{k}': v for k, v in res.items()}
        return {**res, **optimizer_mp(mx, opt, dict(kwargs, dtype='float16'), grouped, seed)}
    kwargs = dict(kwargs)
    dtype = kwargs.pop('dtype', 'float16')
    rng = np.random.RandomState(seed)
    nd = mx.nd
    ws, _, _ = _arrays(nd, rng, SHAPES, dtype=dtype)
    updater = mx.optimizer.get_updater(mx.optimizer.create(opt, multi_precision=True, **kwargs))
    res = {}
    for step in range(3):
        gs = [nd.array(_u(rng, s, -2, 2), dtype=dtype) for s in SHAPES]
        if grouped:
            updater(list(range(len(ws))), gs, ws)
        else:
            for i, (g, w) in enumerate(zip(gs, ws)):
                updater(i, g, w)
        res.update(_dump(f'weight{step}_', ws))
    for i in range(len(ws)):
        flat = [a for st in updater.states[i] for a in (st if isinstance(st, tuple) else [st])]
        for j, st in enumerate(flat):
            if st is not None:
                res[f'state{i}_{j}'] = st.asnumpy()
    return res


def optimizer_cases():
    """{case name: fn(mx) -> dict of arrays} for the OPTIMIZERS table."""
    return {f'optimizer/{name}': (lambda mx, a=(opt, kw, grouped, seed): optimizer_mp(mx, *a))
            for seed, (name, opt, kw, grouped) in enumerate(OPTIMIZERS)}


def zipfian(nd):
    """rand_zipfian's deterministic parts: the true classes' expected counts, every output's
    dtype and shape, and the sampled classes' expected counts as a function of the draw."""
    true = nd.array([0, 3, 10, 19], dtype='int64')
    sampled, count_true, count_sampled = nd.contrib.rand_zipfian(true, 6, 20)
    again = nd.contrib.rand_zipfian(sampled, 6, 20)[1]     # the same formula on the draw
    return {'count_true': count_true.asnumpy(),
            'dtypes': np.array([str(np.dtype(a.dtype)) for a in (sampled, count_true,
                                                                  count_sampled)]),
            'shapes': np.array([str(a.shape) for a in (sampled, count_true, count_sampled)]),
            'sampled_in_range': np.array(bool(((sampled >= 0) * (sampled < 20)).min()
                                              .asscalar())),
            'sampled_formula_gap': np.array(float(nd.abs(again - count_sampled).max()
                                                  .asscalar()) < 1e-12)}


def hawkes(nd, autograd):
    """nd.contrib.hawkesll on MXNet's documented example (scaled lags, mixed marks, a
    non-zero starting memory), with gradients of lda, alpha and beta."""
    n, k = 4, 3
    lda = nd.array([1.5, 2.0, 3.0]).tile((n, 1))
    alpha, beta = nd.array([0.2, 0.3, 0.4]), nd.array([1.0, 2.0, 3.0])
    lags = nd.array([[6, 7, 8, 9], [1, 2, 3, 4], [3, 4, 5, 6], [8, 9, 10, 11]]) * 0.3
    marks = nd.array([[0, 1, 2, 0], [1, 1, 0, 2], [2, 0, 1, 1], [0, 0, 0, 0]]).astype('int32')
    state = nd.array(np.random.RandomState(0).uniform(0, 1, (n, k)))
    valid_length, max_time = nd.array([1, 2, 3, 4]), nd.ones((n,)) * 20.0
    for x in (lda, alpha, beta):
        x.attach_grad()
    with autograd.record():
        ll, s = nd.contrib.hawkesll(lda, alpha, beta, state, lags, marks, valid_length,
                                    max_time)
    ll.backward(nd.array([1.0, 0.5, -1.0, 2.0]))
    return {'ll': ll.asnumpy(), 'state': s.asnumpy(), 'grad_lda': lda.grad.asnumpy(),
            'grad_alpha': alpha.grad.asnumpy(), 'grad_beta': beta.grad.asnumpy()}


def amp_graph(mx):
    """A graph with amp_cast/amp_multicast nodes (as contrib.amp builds them): its JSON with
    and without them, and the values of the graph loaded back from the JSON with them."""
    x, w, b = mx.sym.var('x'), mx.sym.var('w'), mx.sym.var('b')
    # float32 throughout: MXNet's CPU (MKLDNN) kernels refuse float16 amp casts
    h = mx.sym.elemwise_mul(mx.sym.amp_cast(x, dtype='float32'),
                            mx.sym.amp_cast(w, dtype='float32'), name='mul')
    s = mx.sym.amp_multicast(h, b, num_outputs=2, name='mc')
    y = mx.sym.broadcast_add(s[0], s[1], name='add')
    res = {'ops_kept': np.array([n['op'] for n in _nodes(y.tojson(remove_amp_cast=False))]),
           'ops_removed': np.array([n['op'] for n in _nodes(y.tojson())]),
           'inputs_removed': np.array([str(n['inputs']) for n in _nodes(y.tojson())])}
    rng = np.random.RandomState(0)
    args = {'x': mx.nd.array(_u(rng, (2, 3))), 'w': mx.nd.array(_u(rng, (2, 3))),
            'b': mx.nd.array(_u(rng, (3,)))}
    loaded = mx.sym.load_json(y.tojson(remove_amp_cast=False))
    out = loaded.bind(mx.cpu(), args).forward()[0]
    res.update(y=out.asnumpy())
    return res


def _nodes(text):
    import json
    return json.loads(text)['nodes']


AMP_TYPES = [  # op, input dtypes, keyword arguments
    ('amp_cast', ('float64',), dict(dtype='float16')),
    ('amp_cast', ('int32',), dict(dtype='float16')),
    ('amp_cast', ('float16',), dict(dtype='float32')),
    ('amp_multicast', ('float16', 'float32'), dict(num_outputs=2)),
    ('amp_multicast', ('float16', 'float16'), dict(num_outputs=2)),
    ('amp_multicast', ('float32', 'float16', 'float32'), dict(num_outputs=3, cast_narrow=True)),
    ('amp_multicast', ('float32', 'float32'), dict(num_outputs=2, cast_narrow=True)),
    ('amp_multicast', ('float64', 'float32', 'float16'), dict(num_outputs=3)),
    ('amp_multicast', ('int32', 'float16'), dict(num_outputs=2)),
    ('amp_multicast', ('float16', 'int32', 'float64'), dict(num_outputs=3, cast_narrow=True)),
]


def amp_types(mx):
    """The output dtypes MXNet infers for amp_cast/amp_multicast (its CPU kernels stop on
    float16/float64 in MKLDNN, so the rule is pinned by inference)."""
    res = {}
    for k, (op, dtypes, kw) in enumerate(AMP_TYPES):
        names = [f'x{i}' for i in range(len(dtypes))]
        s = getattr(mx.sym, op)(*[mx.sym.var(n) for n in names], **kw)
        _, outs, _ = s.infer_type(**dict(zip(names, dtypes)))
        res[f'case{k}'] = np.array([np.dtype(t).name for t in outs])
    return res


def adamw_skips(nd):
    """nd.contrib.adamw_update / multi_mp_adamw_update skip the step when rescale_grad is
    0 or not finite (MXNet's loss-scaler overflow signal); a finite one updates."""
    res = {}
    for k, scale in enumerate([0.0, float('inf'), float('nan'), 0.5]):
        w, g = nd.array([1.0, -2.0, 3.0]), nd.array([0.5, 0.5, -1.0])
        m, v = nd.zeros((3,)), nd.zeros((3,))
        nd.contrib.adamw_update(w, g, m, v, rescale_grad=nd.array([scale]), lr=0.1, eta=1.0,
                                wd=0.1, out=w)
        ws = [nd.array([1.0, 2.0], dtype='float16')]
        w32 = [ws[0].astype('float32')]
        ms, vs = [nd.zeros((2,))], [nd.zeros((2,))]
        nd.contrib.multi_mp_adamw_update(ws, [nd.array([1.0, -1.0], dtype='float16')], ms, vs,
                                         w32, scale, [0.1], [0.0], [1.0], out=ws)
        res.update({f'w{k}': w.asnumpy(), f'm{k}': m.asnumpy(), f'mp_w{k}': ws[0].asnumpy(),
                    f'mp_w32_{k}': w32[0].asnumpy(), f'mp_v{k}': vs[0].asnumpy()})
    return res
