"""The autograd scenarios, shared by the golden writer (tools/golden_autograd.py, run under
the real MXNet 1.9.1) and the tests (tests/test_autograd.py, run under regluon). Each
scenario `s_<name>` returns a dict of arrays; `use(mx)` binds the library they run on.
"""
import numpy as np

nd = autograd = None


def use(mx):
    """Run the scenarios on `mx` (regluon, or the real mxnet)."""
    global nd, autograd  # pylint: disable=global-statement
    nd, autograd = mx.nd, mx.autograd


X = [0.5, -1.0, 2.0]


def var(values=X, req='write'):
    x = nd.array(values)
    x.attach_grad(grad_req=req)
    return x


def s_write_twice():
    """grad_req='write': the second backward overwrites; the buffer the user held sees it."""
    x = var()
    buf = x.grad
    with autograd.record():
        y = x * x
    y.backward()
    first = buf.asnumpy()
    with autograd.record():
        y = x * 3
    y.backward()
    return {'first': first, 'second': buf.asnumpy()}


def s_add_twice():
    x = var(req='add')
    for _ in range(2):
        with autograd.record():
            y = x * x
        y.backward()
    return {'grad': x.grad.asnumpy()}


def s_null():
    x = var(req='null')
    return {'grad': x.grad.asnumpy()}


def s_unused_keeps_grad():
    """A variable that the head does not use keeps whatever its buffer held."""
    x, w = var(), var([1.0, 2.0])
    w.grad[:] = 7
    with autograd.record():
        y = (x * 2).sum()
    y.backward()
    return {'x': x.grad.asnumpy(), 'w': w.grad.asnumpy()}


def s_reattach_zeroes():
    x = var(req='add')
    with autograd.record():
        y = x * x
    y.backward()
    x.attach_grad()
    return {'grad': x.grad.asnumpy()}


def s_nonscalar_head():
    x = var()
    with autograd.record():
        y = x * x
    y.backward()
    return {'grad': x.grad.asnumpy()}


def s_head_grad():
    x = var()
    with autograd.record():
        y = x * x
    y.backward(nd.array([1.0, 0.0, 2.0]))
    return {'grad': x.grad.asnumpy()}


def s_multi_head():
    x = var()
    with autograd.record():
        a, b = x * x, x * 3
    autograd.backward([a, b], [nd.ones(3), nd.array([1.0, 1.0, 0.0])])
    return {'grad': x.grad.asnumpy()}


def s_retain_graph():
    x = var()
    with autograd.record():
        y = x * x + x
    y.backward(retain_graph=True)
    first = x.grad.asnumpy()
    y.backward()
    return {'first': first, 'second': x.grad.asnumpy()}


def s_detach():
    x = var()
    with autograd.record():
        n = x * x
        y = n.detach() * x + nd.BlockGrad(n) * x + nd.stop_gradient(n)
    y.backward()
    return {'grad': x.grad.asnumpy()}


def s_attach_inside_record():
    x = nd.array(X)
    with autograd.record():
        x.attach_grad()
        y = x * 3
    y.backward()
    return {'grad': x.grad.asnumpy()}


def s_mark_variables_add():
    v, g = nd.array(X), nd.zeros(3)
    autograd.mark_variables([v], [g], grad_reqs='add')
    for _ in range(2):
        with autograd.record():
            y = v * v
        y.backward()
    return {'g': g.asnumpy(), 'vgrad': v.grad.asnumpy()}


def s_grad_api():
    """autograd.grad returns new arrays and leaves .grad alone."""
    x = var()
    with autograd.record():
        y = nd.sin(x)
    g = autograd.grad(y, [x])
    return {'g': g[0].asnumpy(), 'grad': x.grad.asnumpy(), 'n': np.array(len(g))}


def s_hessian_vector():
    """Higher order: d/dx <cos(x), v> = -sin(x) * v, through create_graph=True."""
    x = var()
    v = nd.array([1.0, 0.5, 2.0])
    with autograd.record():
        y = nd.sin(x)
        g = autograd.grad(y, [x], create_graph=True, retain_graph=True)[0]
        z = nd.elemwise_mul(g, v)
    z.backward()
    return {'g': g.asnumpy(), 'hvp': x.grad.asnumpy()}


def s_gradient_penalty():
    """A WGAN-style penalty: backward through a gradient of tanh."""
    x = var()
    with autograd.record():
        y = nd.tanh(x)
        g = autograd.grad(y, [x], create_graph=True, retain_graph=True)[0]
        z = nd.elemwise_mul(g, g)
    z.backward()
    return {'g': g.asnumpy(), 'grad': x.grad.asnumpy()}


def f_control(a):
    """The book's example: Python control flow inside record()."""
    b = a * 2
    while b.norm().asscalar() < 1000:
        b = b * 2
    if b.sum().asscalar() > 0:
        c = b
    else:
        c = 100 * b
    return c


def s_control_flow():
    out = {}
    for i, values in enumerate([[0.3], [-0.2], [0.1, -0.5, 0.2]]):
        a = var(values)
        with autograd.record():
            c = f_control(a)
        c.backward()
        out[f'grad{i}'], out[f'c{i}'] = a.grad.asnumpy(), c.asnumpy()
    return out


def functions():
    """autograd.Function subclasses of the bound library: (Sigmoid, TwoOut)."""
    class Sigmoid(autograd.Function):
        def forward(self, x):
            y = 1 / (1 + nd.exp(-x))
            self.save_for_backward(y)
            return y

        def backward(self, dy):
            y, = self.saved_tensors
            return dy * y * (1 - y)

    class TwoOut(autograd.Function):
        def forward(self, a, b):
            return a * b, a + b

        def backward(self, d1, d2):
            return d1 * 2, d2 * 3
    return Sigmoid, TwoOut


def s_function():
    Sigmoid, TwoOut = functions()
    x = var()
    with autograd.record():
        y = Sigmoid()(x)
    y.backward()
    outside = Sigmoid()(nd.array(X))
    a, b = var([1.0, 2.0]), var([3.0, 4.0])
    with autograd.record():
        o1, o2 = TwoOut()(a, b)
        s = o1 + o2
    s.backward()
    return {'y': y.asnumpy(), 'grad': x.grad.asnumpy(), 'outside': outside.asnumpy(),
            'o1': o1.asnumpy(), 'o2': o2.asnumpy(), 'a': a.grad.asnumpy(),
            'b': b.grad.asnumpy()}


def s_train_mode_backward():
    """record(train_mode=False) still records; backward works."""
    x = var()
    with autograd.record(train_mode=False):
        y = x * 2
    y.backward()
    return {'grad': x.grad.asnumpy()}


def s_mark_variables_mixed():
    """One grad_req per variable: 'write' overwrites, 'add' accumulates."""
    v, w = nd.array(X), nd.array([1.0, 2.0, 3.0])
    gv, gw = nd.zeros(3), nd.zeros(3)
    autograd.mark_variables([v, w], [gv, gw], grad_reqs=['write', 'add'])
    for _ in range(2):
        with autograd.record():
            y = v * w
        y.backward()
    return {'gv': gv.asnumpy(), 'gw': gw.asnumpy()}


def s_head_grads_none_entry():
    """A None head gradient means ones for that head."""
    x = var()
    with autograd.record():
        a, b = x * x, x * 3
    autograd.backward([a, b], [None, nd.array([1.0, 0.0, 2.0])])
    return {'grad': x.grad.asnumpy()}


def s_freed_graph_is_constant():
    """backward() without retain_graph frees the graph: its arrays become constants."""
    w = var()
    with autograd.record():
        h = w * 2
    h.backward()
    with autograd.record():
        y = (h * w).sum()
    y.backward()
    return {'h': h.asnumpy(), 'grad': w.grad.asnumpy()}


def s_freed_intermediates():
    """Intermediates of a freed graph are constants too, each one (d2l's RNN state)."""
    w = var()
    with autograd.record():
        a = w * 3
        b = a + 1
        c = (b * b).sum()
    c.backward()
    out = {'c': w.grad.asnumpy()}
    for k, v in (('a', a), ('b', b)):
        with autograd.record():
            y = (v * w).sum()
        y.backward()
        out[k] = w.grad.asnumpy()
    return out


def s_freed_after_grad():
    """autograd.grad without retain_graph frees the graph as backward does."""
    w = var()
    with autograd.record():
        h = w * w
    g = autograd.grad(h, [w])[0]
    with autograd.record():
        y = (h * w).sum()
    y.backward()
    return {'g': g.asnumpy(), 'grad': w.grad.asnumpy()}


def s_retained_graph_kept():
    """With retain_graph=True the arrays keep their graph; a later backward frees it."""
    w = var()
    with autograd.record():
        h = w * w
    h.backward(retain_graph=True)
    out = {}
    for i in range(2):
        with autograd.record():
            y = (h * w).sum()
        y.backward()
        out[f'grad{i}'] = w.grad.asnumpy()
    return out


def s_other_graphs_kept():
    """Arrays of graphs that a backward did not consume keep theirs (GAN-style losses)."""
    w, v = var(), var([1.0, 2.0, 3.0])
    with autograd.record():
        a = w * 2                               # same scope, not in the first loss
        l1 = (w * v).sum()
    with autograd.record():
        l2 = (w * 5).sum()
    l1.backward()
    out = {'l1_w': w.grad.asnumpy(), 'l1_v': v.grad.asnumpy()}
    l2.backward()
    out['l2_w'] = w.grad.asnumpy()
    with autograd.record():
        y = (a * a).sum()
    y.backward()
    out['a_w'] = w.grad.asnumpy()
    return out


def s_freed_multi_output():
    """The outputs of one multi-output op are one node: all become constants together."""
    w = var([1.0, 2.0, 3.0, 4.0])
    with autograd.record():
        q = w * 3
        s = nd.split(q, num_outputs=2, axis=0)
        t = s[0].sum()
    t.backward()
    out = {'t': w.grad.asnumpy()}
    with autograd.record():
        y = (q * w).sum() + (s[1] * s[0]).sum()
    y.backward()
    out['y'] = w.grad.asnumpy()
    return out


def s_freed_group_dead_sibling():
    """An output whose sibling (same op) was in the freed graph is a constant, even when
    that sibling is dead by then (an RNN layer's state after a loss on its output)."""
    w = var([1.0, 2.0, 3.0, 4.0])
    with autograd.record():
        parts = nd.split(w * 3, num_outputs=2, axis=0)
        t = (parts[0] * parts[0]).sum()
        keep = parts[1]
    del parts
    t.backward()
    out = {'t': w.grad.asnumpy()}
    with autograd.record():
        y = (keep * w.slice_axis(axis=0, begin=2, end=4)).sum()
    y.backward()
    out['y'] = w.grad.asnumpy()
    return out


def s_fresh_grad():
    """NDArray._fresh_grad (the flag gluon.Trainer reads): set by a backward that writes
    the gradient ('write' or 'add'), cleared and set by assignment, 0 for a detached use
    and for an array with no gradient."""
    x, y, z = var(), var(req='add'), var()
    flags = [x._fresh_grad, y._fresh_grad, z._fresh_grad]
    with autograd.record():
        (x * y).sum().backward()
    flags += [x._fresh_grad, y._fresh_grad, z._fresh_grad]
    x._fresh_grad = False
    flags += [x._fresh_grad, y._fresh_grad]
    with autograd.record():
        (x.detach() * y).sum().backward()
    flags += [x._fresh_grad, y._fresh_grad]
    x._fresh_grad = True
    flags += [x._fresh_grad, nd.ones((2,))._fresh_grad]
    return {'flags': np.array(flags)}


SCENARIOS = {k[2:]: v for k, v in dict(globals()).items() if k.startswith('s_')}


def modes():
    """(is_recording, is_training) inside each kind of scope."""
    ar = autograd
    st = lambda: [ar.is_recording(), ar.is_training()]  # noqa: E731
    out = {'outside': st()}
    with ar.record():
        out['record'] = st()
        with ar.pause():
            out['record/pause'] = st()
        with ar.pause(train_mode=True):
            out['record/pause(True)'] = st()
        with ar.predict_mode():
            out['record/predict_mode'] = st()
        out['record/after'] = st()
    with ar.record(train_mode=False):
        out['record(False)'] = st()
        with ar.train_mode():
            out['record(False)/train_mode'] = st()
    with ar.pause():
        out['pause'] = st()
    with ar.train_mode():
        out['train_mode'] = st()
    with ar.predict_mode():
        out['predict_mode'] = st()
    out['set_recording'] = [ar.set_recording(True), ar.set_recording(False)]
    out['set_training'] = [ar.set_training(True), ar.set_training(False)]
    out['after'] = st()
    # a scope puts back on exit only a flag that entering it changed
    for label, scope, setter, value in [
            ('record(False) set_training inside', lambda: ar.record(train_mode=False),
             ar.set_training, True),
            ('record set_recording(False) inside', ar.record, ar.set_recording, False),
            ('pause set_recording inside', ar.pause, ar.set_recording, True),
            ('train_mode set_recording inside', ar.train_mode, ar.set_recording, True)]:
        with scope():
            setter(value)
        out[label] = st()
        ar.set_recording(False)
        ar.set_training(False)
    return out


# ---- misuse: each raises; the writer records the exception type and message ------------
def e_second_backward():
    x = var()
    with autograd.record():
        y = x * x
    y.backward()
    y.backward()


def e_unrecorded():
    x = var()
    (x * 2).backward()


def e_recorded_from_unrecorded():
    x = var()
    y = x * 2
    with autograd.record():
        z = y * 3
    z.backward()


def e_no_variables():
    x = var(req='null')
    with autograd.record():
        y = x * 2
    y.backward()


def e_grad_not_variable():
    x = var()
    with autograd.record():
        y = x * 2
    autograd.grad(y, [x, nd.ones(3)])


def e_grad_unreachable():
    x, w = var(), var()
    with autograd.record():
        y = x * 2
    autograd.grad(y, [x, w])


def e_bad_grad_req():
    var(req='foo')


def e_function_twice():
    Sigmoid, _ = functions()
    f = Sigmoid()
    x = var()
    with autograd.record():
        f(x)
    f(x)


def e_freed_head_again():
    """A head whose graph was freed is a constant: a second backward has no graph."""
    w = var()
    with autograd.record():
        a = w * 3
        c = (a * a).sum()
    c.backward()
    a.backward()


def e_shared_subgraph_freed():
    """Two losses on one recorded subgraph: the first backward frees it for the second."""
    w, v = var(), var()
    with autograd.record():
        p = w * v
        l1 = (p * 2).sum()
        l2 = (p * p).sum()
    l1.backward()
    l2.backward()


ERRORS = {k[2:]: v for k, v in dict(globals()).items() if k.startswith('e_')}
