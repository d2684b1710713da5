"""Cases of MXNet's contrib operators run by MXNet 1.9.1 (tools/golden_contrib_ops.py) and by
regluon (tests/test_contrib_ops.py): the same seeded inputs, calls and head gradients. Each
case returns a dict of numpy arrays; the test compares it key by key with MXNet's."""
import numpy as np


def _u(rng, shape, lo=-1.0, hi=1.0, dtype='float32'):
    return rng.uniform(lo, hi, shape).astype(dtype)


# ---- operators: name, nd.contrib op, inputs(rng), keyword arguments, inputs with gradients ----
OPS = [
    ('boolean_mask', 'boolean_mask',
     lambda r: [_u(r, (4, 3)), np.array([1, 0, 1, 1], 'float32')], {}, (0,)),
    ('boolean_mask_int_index', 'boolean_mask',
     lambda r: [_u(r, (5, 2, 3)), np.array([0, 2, 0, 1, 1], 'int32')], {}, (0,)),
    ('boolean_mask_none', 'boolean_mask',
     lambda r: [_u(r, (3, 2)), np.zeros(3, 'float32')], {}, ()),
    ('index_copy', 'index_copy',
     lambda r: [_u(r, (5, 3)), np.array([0, 4, 2], 'int64'), _u(r, (3, 3))], {}, (0, 2)),
    ('index_copy_float_index', 'index_copy',
     lambda r: [_u(r, (4, 2, 2)), np.array([3, 1], 'float32'), _u(r, (2, 2, 2))], {}, (0, 2)),
    ('index_array', 'index_array', lambda r: [_u(r, (3, 2))], {}, ()),
    ('index_array_axes', 'index_array', lambda r: [_u(r, (3, 2, 2))], dict(axes=(1, 0)), ()),
    ('index_array_negative', 'index_array', lambda r: [_u(r, (2, 3, 4))], dict(axes=(-1,)), ()),
    ('arange_like', 'arange_like', lambda r: [_u(r, (2, 3), dtype='float64')], {}, ()),
    ('arange_like_start_step', 'arange_like', lambda r: [_u(r, (3, 2))],
     dict(start=1.5, step=0.5), ()),
    ('arange_like_axis', 'arange_like', lambda r: [_u(r, (2, 5))], dict(axis=-1, start=2), ()),
    ('arange_like_repeat', 'arange_like', lambda r: [np.ones((2, 4), 'int32')],
     dict(repeat=3, step=2.0), ()),
    ('div_sqrt_dim', 'div_sqrt_dim', lambda r: [_u(r, (2, 3, 8))], {}, (0,)),
    ('selfatt_qk', 'interleaved_matmul_selfatt_qk',
     lambda r: [_u(r, (5, 2, 2 * 3 * 4))], dict(heads=2), (0,)),
    ('selfatt_valatt', 'interleaved_matmul_selfatt_valatt',
     lambda r: [_u(r, (5, 2, 3 * 3 * 2)), _u(r, (2 * 3, 5, 5))], dict(heads=3), (0, 1)),
    ('encdec_qk', 'interleaved_matmul_encdec_qk',
     lambda r: [_u(r, (4, 3, 2 * 5)), _u(r, (6, 3, 2 * 2 * 5))], dict(heads=2), (0, 1)),
    ('encdec_valatt', 'interleaved_matmul_encdec_valatt',
     lambda r: [_u(r, (6, 3, 2 * 2 * 5)), _u(r, (3 * 2, 4, 6))], dict(heads=2), (0, 1)),
    ('quadratic', 'quadratic', lambda r: [_u(r, (3, 4))], dict(a=1.5, b=-2.0, c=0.5), (0,)),
    ('quadratic_defaults', 'quadratic', lambda r: [_u(r, (2, 3))], {}, (0,)),
    ('quadratic_float64', 'quadratic', lambda r: [_u(r, (5,), dtype='float64')],
     dict(a=-1.0, b=0.25, c=3.0), (0,)),
    ('gradientmultiplier', 'gradientmultiplier', lambda r: [_u(r, (3, 4))],
     dict(scalar=-0.5), (0,)),
    ('gradientmultiplier_default', 'gradientmultiplier', lambda r: [_u(r, (4,))], {}, (0,)),
    ('round_ste', 'round_ste',
     lambda r: [np.array([-2.5, -1.5, -0.5, 0.5, 1.5, 2.5, 1.9, -1.9, 2.7], 'float32')], {}, (0,)),
    ('sign_ste', 'sign_ste', lambda r: [np.array([-2.0, -0.1, 0.0, 0.3, 4.0], 'float32')], {},
     (0,)),
    ('allclose_true', 'allclose',
     lambda r: [np.array([1e10, 1e-8], 'float32'), np.array([1.00001e10, 1e-9], 'float32')],
     {}, ()),
    ('allclose_false', 'allclose',
     lambda r: [np.array([1e10, 1e-7], 'float32'), np.array([1.00001e10, 1e-8], 'float32')],
     {}, ()),
    ('allclose_tolerances', 'allclose',
     lambda r: [np.array([1.0, 2.0], 'float32'), np.array([1.05, 2.0], 'float32')],
     dict(rtol=0.1, atol=0.0), ()),
    ('allclose_nan', 'allclose',
     lambda r: [np.array([np.nan, 1.0], 'float32'), np.array([np.nan, 1.0], 'float32')], {}, ()),
    ('allclose_nan_unequal', 'allclose',
     lambda r: [np.array([np.nan, 1.0], 'float32'), np.array([np.nan, 1.0], 'float32')],
     dict(equal_nan=False), ()),
]


def run_op(nd, autograd, op, inputs, kwargs, grads, seed):
    """{'y': output, 'grad<i>': gradient of input i} for a seeded head gradient."""
    rng = np.random.RandomState(seed)
    xs = [nd.array(x, dtype=x.dtype) for x in inputs(rng)]
    for i in grads:
        xs[i].attach_grad()
    with autograd.record():
        y = getattr(nd.contrib, op)(*xs, **kwargs)
    res = {'y': y.asnumpy()}
    if grads:
        y.backward(nd.array(_u(rng, y.shape), dtype=y.dtype))
        res.update({f'grad{i}': xs[i].grad.asnumpy() for i in grads})
    return res


def group_adagrad(nd, row_sparse, seed=0):
    """Two group_adagrad_update steps (rescale, clipping, a zero row) on a (4, 3) weight, in
    place. MXNet implements only a row_sparse gradient on a CPU (its lazy update skips the
    zero row, which a dense update leaves unchanged too); regluon's arrays are dense."""
    rng = np.random.RandomState(seed)
    w = nd.array(_u(rng, (4, 3)))
    hist = nd.zeros((4, 1))
    res = {}
    for step, kw in enumerate([dict(lr=0.1), dict(lr=0.05, rescale_grad=0.5, clip_gradient=0.3,
                                                  epsilon=1e-3)]):
        g = _u(rng, (4, 3), -2, 2)
        g[step + 1] = 0
        g = nd.array(g).tostype('row_sparse') if row_sparse else nd.array(g)
        nd.contrib.group_adagrad_update(w, g, hist, out=w, **kw)
        res[f'weight{step}'], res[f'history{step}'] = w.asnumpy(), hist.asnumpy()
    return res


def adamw(nd, seed=9):
    """The AdamW updates GluonNLP's BERTAdam calls: two adamw_update steps (weight decay,
    clipping, an NDArray rescale_grad), a step skipped for an infinite rescale_grad, the
    float16 mp_ variant with its float32 master copy, and the multi_ variants with out=."""
    rng = np.random.RandomState(seed)
    w, m, v = nd.array(_u(rng, (3, 4))), nd.zeros((3, 4)), nd.zeros((3, 4))
    res = {}
    steps = [dict(rescale_grad=0.5, lr=0.9, eta=0.1, wd=0.01),
             dict(rescale_grad=nd.array([2.0]), lr=1.0, eta=0.05, wd=0.0, clip_gradient=0.3,
                  beta1=0.8, beta2=0.99, epsilon=1e-6),
             dict(rescale_grad=float('inf'), lr=1.0, eta=0.1)]
    for k, kw in enumerate(steps):
        nd.contrib.adamw_update(w, nd.array(_u(rng, (3, 4), -2, 2)), m, v, out=w, **kw)
        res.update({f'w{k}': w.asnumpy(), f'm{k}': m.asnumpy(), f'v{k}': v.asnumpy()})
    w32 = nd.array(_u(rng, (2, 3)))
    w16, m, v = w32.astype('float16'), nd.zeros((2, 3)), nd.zeros((2, 3))
    for k in range(2):
        g = nd.array(_u(rng, (2, 3)), dtype='float16')
        nd.contrib.mp_adamw_update(w16, g, m, v, w32, rescale_grad=1.0, lr=1.0, eta=0.2,
                                   wd=0.1, out=w16)
    res.update(mp_w16=w16.asnumpy(), mp_w32=w32.asnumpy(), mp_m=m.asnumpy())
    ws = [nd.array(_u(rng, s)) for s in [(2, 2), (3,)]]
    ms, vs = [nd.zeros(x.shape) for x in ws], [nd.zeros(x.shape) for x in ws]
    gs = [nd.array(_u(rng, x.shape)) for x in ws]
    nd.contrib.multi_adamw_update(ws, gs, ms, vs, rescale_grad=nd.array([0.5]), lrs=[1.0, 1.0],
                                  wds=[0.1, 0.0], etas=[0.1, 0.3], out=ws, beta2=0.9)
    res.update({f'multi_w{k}': x.asnumpy() for k, x in enumerate(ws)})
    w32s = [x.copy() for x in ws]
    w16s = [x.astype('float16') for x in ws]
    nd.contrib.multi_mp_adamw_update(w16s, [g.astype('float16') for g in gs], ms, vs, w32s,
                                     rescale_grad=1.0, lrs=[1.0, 1.0], wds=[0.0, 0.2],
                                     etas=[0.2, 0.1], out=w16s, clip_gradient=0.5)
    res.update({f'multi_mp_w{k}': x.asnumpy() for k, x in enumerate(w16s + w32s)})
    return res


def adamw_moments(nd):
    """One step from zero moments of the multi_ AdamW updates (BERTAdam's path): MXNet's
    multi-tensor kernel forms the moments as beta*(state - g) + g, whose float32 rounding
    differs from adamw_update's beta*state + (1-beta)*g (exact values compared)."""
    w0 = np.linspace(-1, 1, 12).reshape(3, 4).astype('float32')
    g = nd.array(np.cos(np.arange(12)).reshape(3, 4).astype('float32'))
    res = {}
    ws, ms, vs = [nd.array(w0)], [nd.zeros((3, 4))], [nd.zeros((3, 4))]
    nd.contrib.multi_adamw_update(ws, [g], ms, vs, rescale_grad=nd.array([1.0]), lrs=[1.0],
                                  wds=[0.05], etas=[0.1], epsilon=1e-6, out=ws)
    res.update(multi_w=ws[0].asnumpy(), multi_m=ms[0].asnumpy(), multi_v=vs[0].asnumpy())
    w16s, w32s = [nd.array(w0).astype('float16')], [nd.array(w0)]
    ms, vs = [nd.zeros((3, 4))], [nd.zeros((3, 4))]
    nd.contrib.multi_mp_adamw_update(w16s, [g.astype('float16')], ms, vs, w32s,
                                     rescale_grad=nd.array([1.0]), lrs=[1.0], wds=[0.05],
                                     etas=[0.1], epsilon=1e-6, out=w16s)
    res.update(mp_w32=w32s[0].asnumpy(), mp_m=ms[0].asnumpy(), mp_v=vs[0].asnumpy())
    return res


# ---- control flow -----------------------------------------------------------------------------
def _rnn_body(F, wx, wh):
    def body(x, states):
        h = F.tanh(F.dot(x, wx) + F.dot(states[0], wh))
        return [h, h * 2], [h]
    return body


def foreach_rnn(mx, seed=1):
    """A tanh RNN cell run by foreach: outputs, final state and all gradients."""
    nd, autograd = mx.nd, mx.autograd
    rng = np.random.RandomState(seed)
    x, h0, wx, wh = (nd.array(_u(rng, s)) for s in [(4, 2, 3), (2, 5), (3, 5), (5, 5)])
    for a in (x, h0, wx, wh):
        a.attach_grad()
    with autograd.record():
        (o1, o2), states = nd.contrib.foreach(_rnn_body(nd, wx, wh), x, [h0])
    heads = [nd.array(_u(rng, a.shape)) for a in (o1, o2, states[0])]
    autograd.backward([o1, o2, states[0]], heads)
    return dict(out1=o1.asnumpy(), out2=o2.asnumpy(), state=states[0].asnumpy(),
                gx=x.grad.asnumpy(), gh0=h0.grad.asnumpy(), gwx=wx.grad.asnumpy(),
                gwh=wh.grad.asnumpy())


def foreach_lists(mx, seed=2):
    """foreach over a list of data arrays with nested states [a, [b]] and a single output."""
    nd, autograd = mx.nd, mx.autograd
    rng = np.random.RandomState(seed)
    d1, d2, a, b = (nd.array(_u(rng, s)) for s in [(3, 2), (3, 2), (2,), (2,)])
    for t in (d1, d2, a, b):
        t.attach_grad()

    def body(xs, states):
        s_a, (s_b,) = states[0], states[1]
        new_a = s_a * xs[0] + s_b
        return new_a + xs[1], [new_a, [s_b * 0.5 + xs[1]]]
    with autograd.record():
        out, (fa, (fb,)) = nd.contrib.foreach(body, [d1, d2], [a, [b]])
        loss = (out * out).sum() + (fa * 3).sum() + fb.sum()
    loss.backward()
    return dict(out=out.asnumpy(), fa=fa.asnumpy(), fb=fb.asnumpy(), g1=d1.grad.asnumpy(),
                g2=d2.grad.asnumpy(), ga=a.grad.asnumpy(), gb=b.grad.asnumpy())


def while_sum(mx, seed=3):
    """while_loop summing until the total passes a bound: step outputs (the valid rows;
    MXNet leaves the padding undefined), the number of steps, final vars, gradients."""
    nd, autograd = mx.nd, mx.autograd
    rng = np.random.RandomState(seed)
    x = nd.array(_u(rng, (3,), 0.5, 1.0))
    x.attach_grad()
    with autograd.record():
        outs, (i, s) = nd.contrib.while_loop(
            cond=lambda i, s: s.sum() < 10,
            func=lambda i, s: ([s * i, s.sum()], [i + 1, s * 1.5 + x]),
            loop_vars=[nd.ones((1,)), x * 1], max_iterations=8)
        steps = int(i.asscalar()) - 1
        loss = (outs[0][:steps] ** 2).sum() + outs[1][:steps].sum() + (s * s).sum()
    loss.backward()
    return dict(out0=outs[0][:steps].asnumpy(), out1=outs[1][:steps].asnumpy(),
                shape0=np.array(outs[0].shape), shape1=np.array(outs[1].shape),
                i=i.asnumpy(), s=s.asnumpy(), gx=x.grad.asnumpy())


def while_doc_example(mx):
    """MXNet's while_loop docstring example (int64 loop vars, one output per step)."""
    nd = mx.nd
    outs, states = nd.contrib.while_loop(
        lambda i, s: i <= 5, lambda i, s: ([i + s], [i + 1, s + i]),
        (nd.array([0], dtype='int64'), nd.array([1], dtype='int64')), max_iterations=10)
    return dict(out=outs[0][:6].asnumpy(), shape=np.array(outs[0].shape),
                i=states[0].asnumpy(), s=states[1].asnumpy())


def while_single_var(mx):
    """A single NDArray as loop_vars gives a single final var; a cond false at once."""
    nd = mx.nd
    outs, v = nd.contrib.while_loop(lambda v: v.sum() < 20, lambda v: (v + 1, v * 2),
                                    nd.array([1.0, 2.0]), max_iterations=5)
    none_outs, w = nd.contrib.while_loop(lambda v: v.sum() < 0, lambda v: (v + 1, v * 2),
                                         nd.array([1.0, 2.0]), max_iterations=5)
    return dict(out=outs[:3].asnumpy(), v=v.asnumpy(), n_none=np.array(len(none_outs)),
                w=w.asnumpy())


def cond_branches(mx, seed=4):
    """cond picking each branch, with gradients through the branch taken."""
    nd, autograd = mx.nd, mx.autograd
    rng = np.random.RandomState(seed)
    res = {}
    for tag, scale in (('then', 1.0), ('else', 4.0)):
        a, b = nd.array(_u(rng, (2,)) * scale), nd.array(_u(rng, (2,)))
        a.attach_grad()
        b.attach_grad()
        with autograd.record():
            out = nd.contrib.cond((a * b).sum() < 0.5, lambda: (a + 5) * (b + 5),
                                  lambda: (a - 5) * (b - 5) * a)
        out.backward()
        res.update({f'{tag}_out': out.asnumpy(), f'{tag}_ga': a.grad.asnumpy(),
                    f'{tag}_gb': b.grad.asnumpy()})
    return res


# ---- symbolic and hybridized control flow ----------------------------------------------------
def _bind_run(mx, sym, arrays, seed, infer=True):
    """Forward and backward of a bound symbol with seeded head gradients: outputs, gradients
    of every argument and the inferred output shapes (MXNet infers none for while_loop)."""
    nd = mx.nd
    rng = np.random.RandomState(seed)
    args = {k: nd.array(v) for k, v in arrays.items()}
    grads = {k: nd.zeros(v.shape) for k, v in arrays.items()}
    exe = sym.bind(mx.cpu(), args, args_grad=grads)
    outs = exe.forward(is_train=True)
    exe.backward([nd.array(_u(rng, o.shape)) for o in outs])
    res = {f'out{i}': o.asnumpy() for i, o in enumerate(outs)}
    res.update({f'grad_{k}': g.asnumpy() for k, g in grads.items()})
    if infer:
        _, shapes, _ = sym.infer_shape(**{k: v.shape for k, v in arrays.items()})
        res.update({f'shape{i}': np.array(s) for i, s in enumerate(shapes)})
    return res


def foreach_graph(mx):
    """The RNN body over free variables wx, wh as a sym.contrib.foreach graph."""
    sym = mx.sym
    with mx.name.NameManager():
        x, h0, wx, wh = (sym.var(n) for n in ('x', 'h0', 'wx', 'wh'))
        outs, states = sym.contrib.foreach(_rnn_body(sym, wx, wh), x, [h0])
        return sym.Group(outs + states)


def while_graph(mx):
    """sym.contrib.while_loop with a free variable, run to max_iterations (no padding)."""
    sym = mx.sym
    with mx.name.NameManager():
        v, i, w = sym.var('v'), sym.var('i'), sym.var('w')
        outs, (fi, fv) = sym.contrib.while_loop(
            lambda i, v: sym.sum(i) < 4, lambda i, v: ([v * w], [i + 1, sym.tanh(v + w)]),
            [i, v], max_iterations=4)
        return sym.Group(outs + [fi, fv])


def cond_graph(mx):
    """sym.contrib.cond on a data-dependent predicate; the predicate node is outside."""
    sym = mx.sym
    with mx.name.NameManager():
        a, b = sym.var('a'), sym.var('b')
        return sym.contrib.cond(sym.sum(a * b) < 0.5, lambda: (a + 5) * (b + 5),
                                lambda: (a - 5) * (b - 5) * a)


def nested_graph(mx):
    """foreach inside foreach: the inner body reads the outer slice and an outer variable;
    an output passed through (MXNet adds identity nodes)."""
    sym = mx.sym
    with mx.name.NameManager():
        x, s0, w = sym.var('x'), sym.var('s0'), sym.var('w')

        def outer(row, state):
            inner, total = sym.contrib.foreach(
                lambda e, s: ([e * s + w, row], s + e * w), row, state)
            return inner, total
        outs, final = sym.contrib.foreach(outer, x, s0)
        return sym.Group(outs + [final])


def sym_foreach(mx, seed=5, graph=None):
    """The foreach graph bound and run (forward, backward, shapes)."""
    rng = np.random.RandomState(seed)
    arrays = dict(x=_u(rng, (4, 2, 3)), h0=_u(rng, (2, 5)), wx=_u(rng, (3, 5)),
                  wh=_u(rng, (5, 5)))
    return _bind_run(mx, graph if graph is not None else foreach_graph(mx), arrays, seed)


def sym_while(mx, seed=6, graph=None):
    rng = np.random.RandomState(seed)
    arrays = dict(i=np.zeros((1,), 'float32'), v=_u(rng, (3,)), w=_u(rng, (3,)))
    return _bind_run(mx, graph if graph is not None else while_graph(mx), arrays, seed, infer=False)


def sym_cond(mx, seed=7, graph=None):
    """The cond graph bound and run with data taking each branch."""
    rng = np.random.RandomState(seed)
    res = {}
    for tag, scale in (('then', 1.0), ('else', 4.0)):
        arrays = dict(a=_u(rng, (2,)) * scale, b=_u(rng, (2,)))
        g = graph if graph is not None else cond_graph(mx)
        res.update({f'{tag}_{k}': v for k, v in
                    _bind_run(mx, g, arrays, seed, infer=False).items()})
    return res


def sym_nested(mx, seed=8, graph=None):
    rng = np.random.RandomState(seed)
    arrays = dict(x=_u(rng, (3, 4, 2)), s0=_u(rng, (2,)), w=_u(rng, (2,)))
    return _bind_run(mx, graph if graph is not None else nested_graph(mx), arrays, seed)


def _lstm_like_body(sym):
    def body(xt, states):
        h, c = states
        z = sym.FullyConnected(xt, num_hidden=4, name='i2h') + \
            sym.FullyConnected(h, num_hidden=4, name='h2h')
        nc = c * sym.sigmoid(z) + sym.tanh(z)
        nh = sym.tanh(nc)
        return nh, [nh, nc]
    return body


def sym_foreach_infer(mx, seed=9):
    """Shapes MXNet infers through a foreach body: the FullyConnected weights from the data
    slice and state, the unshaped state c from what the body gives back; partial with the
    number of steps unknown; then the graph bound at those shapes and run."""
    sym = mx.sym
    with mx.name.NameManager():
        outs, states = sym.contrib.foreach(_lstm_like_body(sym), sym.var('x'),
                                           [sym.var('h'), sym.var('c')])
        g = sym.Group([outs] + states)
    args, outs, _ = g.infer_shape(x=(3, 2, 5), h=(2, 4))
    res = {f'arg_{n}': np.array(s) for n, s in zip(g.list_arguments(), args)}
    res.update({f'out{i}': np.array(s) for i, s in enumerate(outs)})
    pargs, pouts, _ = g.infer_shape_partial(x=(0, 2, 5), h=(2, 4))
    res.update({f'partial_arg_{n}': np.array(s) for n, s in zip(g.list_arguments(), pargs)})
    res.update({f'partial_out{i}': np.array(s) for i, s in enumerate(pouts)})
    rng = np.random.RandomState(seed)
    arrays = {n: _u(rng, s) for n, s in zip(g.list_arguments(), args)}
    res.update({f'run_{k}': v for k, v in _bind_run(mx, g, arrays, seed).items()})
    return res


def sym_foreach_1d(mx, seed=10):
    """foreach over 1-D data: MXNet 1.x gives the body slices of shape (1,)."""
    sym = mx.sym
    with mx.name.NameManager():
        outs, states = sym.contrib.foreach(
            lambda xs, s: ([xs[0] * s[0] + xs[1]], [s[0] * 2 + xs[0]]),
            [sym.var('x'), sym.var('y')], [sym.var('s')])
        g = sym.Group(outs + states)
    rng = np.random.RandomState(seed)
    return _bind_run(mx, g, dict(x=_u(rng, (3,)), y=_u(rng, (3,)), s=_u(rng, (1,))), seed)


def sym_while_extra_grad(mx, seed=11):
    """A while_loop whose body ignores a free variable: bind takes gradient arrays for names
    the graph does not have and leaves them out of grad_dict."""
    sym, nd = mx.sym, mx.nd
    with mx.name.NameManager():
        s, a = sym.var('s'), sym.var('a')
        sym.contrib.while_loop(lambda v: sym.sum(v) < 1e30, lambda v: (v * a, v * a),
                               [s], max_iterations=2)       # a's graph, not used below
        outs, (fs,) = sym.contrib.while_loop(lambda v: sym.sum(v) < 1e30,
                                             lambda v: (v, v * 2), [s], max_iterations=3)
        g = sym.Group([outs * 2, fs * 3])
    rng = np.random.RandomState(seed)
    args = {'s': nd.array(_u(rng, (2,))), 'a': nd.array(_u(rng, (2,)))}
    grads = {k: nd.zeros(v.shape) for k, v in args.items()}
    exe = g.bind(mx.cpu(), {k: v.copy() for k, v in args.items()}, args_grad=grads)
    res = {f'out{i}': o.asnumpy() for i, o in enumerate(exe.forward(is_train=True))}
    exe.backward([nd.array(_u(rng, o.shape)) for o in exe.outputs])
    res.update({f'has_grad_{k}': np.array(k in exe.grad_dict) for k in args})
    res.update({f'has_arg_{k}': np.array(k in exe.arg_dict) for k in args})
    res['grad_s'] = exe.grad_dict['s'].asnumpy()
    return res


def subgraph_names(mx):
    """MXNet's counters of subgraph names (AttrScope._subgraph_names), '$'-joined inside
    another subgraph, after building the nested graph and a while_loop and cond."""
    from collections import defaultdict
    scope = mx.attribute.AttrScope
    scope._subgraph_names = defaultdict(int)
    nested_graph(mx)
    while_graph(mx)
    cond_graph(mx)
    cond_graph(mx)
    return {f'count_{k}': np.array(v) for k, v in scope._subgraph_names.items()}


GRAPHS = {'sym_foreach': foreach_graph, 'sym_while': while_graph, 'sym_cond': cond_graph,
          'sym_nested': nested_graph}


def normalized_json(text):
    """A graph's JSON without what names only the session (subgraph names, version)."""
    import json

    def norm(doc):
        for n in doc['nodes']:
            n.get('attrs', {}).pop('__subgraph_name__', None)
            if 'attrs' in n and not n['attrs']:
                del n['attrs']
            for g in n.get('subgraphs', []):
                norm(g)
        doc.pop('attrs', None)
        return doc
    return json.dumps(norm(json.loads(text)), sort_keys=True)


def hybrid_blocks(mx):
    """HybridBlocks whose hybrid_forward uses F.contrib.foreach / while_loop / cond."""
    gluon = mx.gluon

    class RNNLoop(gluon.HybridBlock):
        def __init__(self, **kw):
            super().__init__(**kw)
            with self.name_scope():
                self.dense = gluon.nn.Dense(5, in_units=3, flatten=False)
                self.wh = self.params.get('wh', shape=(5, 5))

        def hybrid_forward(self, F, x, h, wh):
            def body(xt, states):
                hn = F.tanh(self.dense(xt) + F.dot(states[0], wh))
                return hn * 2, [hn]
            outs, states = F.contrib.foreach(body, x, [h])
            return outs, states[0]

    class Doubling(gluon.HybridBlock):
        def hybrid_forward(self, F, x):
            outs, (_, v) = F.contrib.while_loop(
                lambda i, v: F.sum(i) < 3, lambda i, v: ([v * v], [i + 1, v * 2]),
                [F.zeros((1,)), x], max_iterations=3)
            return outs[0], v

    class LSTMLoop(gluon.HybridBlock):
        """A gluon.rnn.LSTMCell unrolled by foreach (its states a list of two)."""

        def __init__(self, **kw):
            super().__init__(**kw)
            with self.name_scope():
                self.cell = gluon.rnn.LSTMCell(4, input_size=3)

        def hybrid_forward(self, F, x, h, c):
            outs, (hn, cn) = F.contrib.foreach(lambda xt, s: self.cell(xt, s), x, [h, c])
            return outs, hn, cn

    class Branch(gluon.HybridBlock):
        def hybrid_forward(self, F, x):
            return F.contrib.cond(F.sum(x) > 0, lambda: x * 3, lambda: F.exp(x))
    return dict(rnn=RNNLoop, lstm=LSTMLoop, doubling=Doubling, branch=Branch)


HYBRID = [  # block, input shapes, input scale (the sign picks cond's branch)
    ('rnn', [(4, 2, 3), (2, 5)], 1.0),
    ('lstm', [(5, 2, 3), (2, 4), (2, 4)], 1.0),
    ('doubling', [(2, 3)], 1.0),
    ('branch', [(3,)], 1.0),
    ('branch_else', [(3,)], -1.0),
]


def run_hybrid(mx, block, shapes, scale, seed, hybridize=True):
    """A (hybridized) block's outputs and the gradients of its inputs and Parameters, with
    Parameters set from a seeded stream (names sorted)."""
    nd, autograd = mx.nd, mx.autograd
    rng = np.random.RandomState(seed)
    net = hybrid_blocks(mx)[block.split('_')[0]]()
    net.initialize()
    xs = [nd.array(_u(rng, s) * scale) for s in shapes]
    net(*xs)                                   # deferred shapes
    params = net.collect_params()
    for name in sorted(params.keys()):
        params[name].set_data(nd.array(_u(rng, params[name].shape)))
    if hybridize:
        net.hybridize()
    for x in xs:
        x.attach_grad()
    with autograd.record():
        out = net(*xs)
    outs = list(out) if isinstance(out, (list, tuple)) else [out]
    autograd.backward(outs, [nd.array(_u(rng, o.shape)) for o in outs])
    res = {f'out{i}': o.asnumpy() for i, o in enumerate(outs)}
    res.update({f'gx{i}': x.grad.asnumpy() for i, x in enumerate(xs)})
    res.update({f'gp{k}': params[n].grad().asnumpy()
                for k, n in enumerate(sorted(params.keys()))})
    return res


CONTROL_FLOW = {
    'foreach_rnn': foreach_rnn, 'foreach_lists': foreach_lists, 'while_sum': while_sum,
    'while_doc_example': while_doc_example, 'while_single_var': while_single_var,
    'cond_branches': cond_branches, 'sym_foreach': sym_foreach, 'sym_while': sym_while,
    'sym_cond': sym_cond, 'sym_nested': sym_nested, 'sym_foreach_infer': sym_foreach_infer,
    'sym_foreach_1d': sym_foreach_1d, 'sym_while_extra_grad': sym_while_extra_grad,
    'subgraph_names': subgraph_names,
}


# ---- errors: name, call(mx); MXNet's exception type name is recorded ----------------------
ERRORS = [
    ('while_no_max_iterations',
     lambda mx: mx.nd.contrib.while_loop(lambda v: v < 1, lambda v: ([], [v]),
                                         [mx.nd.zeros((1,))])),
    ('while_var_count',
     lambda mx: mx.nd.contrib.while_loop(lambda v: v < 1, lambda v: ([], [v, v]),
                                         [mx.nd.zeros((1,))], max_iterations=3)),
    ('while_empty_vars',
     lambda mx: mx.nd.contrib.while_loop(lambda: 1, lambda: ([], []), [], max_iterations=3)),
    ('while_cond_not_scalar',
     lambda mx: mx.nd.contrib.while_loop(lambda v: v < 1, lambda v: ([], [v]),
                                         [mx.nd.zeros((2,))], max_iterations=3)),
    ('cond_pred_not_scalar',
     lambda mx: mx.nd.contrib.cond(mx.nd.ones((3,)), lambda: 1, lambda: 0)),
    ('foreach_bad_data',
     lambda mx: mx.nd.contrib.foreach(lambda x, s: (x, s), [1, 2], [mx.nd.zeros((1,))])),
    ('sym_cond_output_count',
     lambda mx: mx.sym.contrib.cond(mx.sym.var('p'), lambda: [mx.sym.var('a')],
                                    lambda: [mx.sym.var('a'), mx.sym.var('b')])),
    ('sym_while_cond_not_symbol',
     lambda mx: mx.sym.contrib.while_loop(lambda v: 1, lambda v: ([], [v]), [mx.sym.var('v')],
                                          max_iterations=2)),
    ('sym_foreach_unused_state',      # MXNet asserts every loop variable is read
     lambda mx: mx.sym.contrib.foreach(lambda x, s: (x * 2, [x]), mx.sym.var('d'),
                                       [mx.sym.var('s')])),
    ('sym_foreach_unused_data',
     lambda mx: mx.sym.contrib.foreach(lambda x, s: (s[0] * 2, [s[0] + 1]), mx.sym.var('d'),
                                       [mx.sym.var('s')])),
    ('sym_while_unused_var',
     lambda mx: mx.sym.contrib.while_loop(lambda i, v: mx.sym.sum(i) < 3,
                                          lambda i, v: ([], [i + 1, i * 2]),
                                          [mx.sym.var('i'), mx.sym.var('v')],
                                          max_iterations=3)),
    ('boolean_mask_2d_index',
     lambda mx: mx.nd.contrib.boolean_mask(mx.nd.ones((2, 2)), mx.nd.ones((2, 2))).asnumpy()),
    ('boolean_mask_axis1',
     lambda mx: mx.nd.contrib.boolean_mask(mx.nd.ones((2, 2)), mx.nd.ones((2,)),
                                           axis=1).asnumpy()),
    ('index_copy_length',
     lambda mx: mx.nd.contrib.index_copy(mx.nd.ones((4, 2)), mx.nd.array([0, 1]),
                                         mx.nd.ones((3, 2))).asnumpy()),
    ('selfatt_qk_2d',
     lambda mx: mx.nd.contrib.interleaved_matmul_selfatt_qk(mx.nd.ones((2, 12)),
                                                            heads=2).asnumpy()),
]
