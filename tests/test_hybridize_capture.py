"""hybridize(static_alloc=True, static_shape=True) inside record(): the call captured as a
forward and a backward graph (gluon/cached.py `_TrainingGraph`) trains exactly as eager.

On a GPU the graphs are CUDA graphs; here `cached._Rerun` stands in for the capture (a
replay re-runs the body into the first run's tensors), so everything around the graphs
is checked on a CPU: the autograd node, the gradient buffers written by grad_req, the
stale-gradient check, autograd.grad, BatchNorm statistics after the warm-up, and a second
recorded call before backward. benchmarks/gpu_check.py runs the same training on CUDA.
"""
import warnings

import numpy as np
import pytest

import regluon as mx
from regluon import autograd, gluon, nd
from regluon.gluon import cached, nn
from test_hybridize import _twin


@pytest.fixture(autouse=True)
def rerun_capture(monkeypatch):
    monkeypatch.setattr(cached, '_capture_for', lambda device: cached._Rerun())


def _lenet_bn():
    net = nn.HybridSequential()
    net.add(nn.Conv2D(4, kernel_size=3), nn.BatchNorm(), nn.Activation('relu'),
            nn.MaxPool2D(2, 2), nn.Dense(16, activation='relu'), nn.Dense(10))
    return net


def _twins(make, x):
    """Eager and static-hybridized copies of one network (test_hybridize's _twin)."""
    eager, graphed = _twin(make, x)
    graphed.hybridize(static_alloc=True, static_shape=True)
    return eager, graphed


def _batches(n, batch=4):
    rng = np.random.RandomState(0)
    return [(nd.array(rng.uniform(size=(batch, 1, 10, 10))),
             nd.array(rng.randint(0, 10, batch))) for _ in range(n)]


def _train(net, batches, momentum=0.0):
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), 'sgd',
                            {'learning_rate': 0.1, 'momentum': momentum})
    losses = []
    for x, y in batches:
        with autograd.record():
            l = loss(net(x), y)
        l.backward()
        trainer.step(x.shape[0])
        losses.append(float(l.mean().asnumpy()))
    return losses


@pytest.mark.parametrize('momentum', [0.0, 0.9])
def test_captured_training_equals_eager(momentum):
    batches = _batches(5)
    eager, graphed = _twins(_lenet_bn, batches[0][0])
    with warnings.catch_warnings():
        warnings.simplefilter('error')             # a capture failure would only warn
        l_g = _train(graphed, batches, momentum)
    l_e = _train(eager, batches, momentum)
    np.testing.assert_allclose(l_g, l_e, rtol=1e-5)
    assert any(isinstance(f, cached._TrainingGraph)
               for f in graphed._graph_cache._compiled.values())
    for p, q in zip(eager.collect_params().values(), graphed.collect_params().values()):
        # weights, and BatchNorm's running statistics: the warm-up runs left no trace
        np.testing.assert_allclose(q.data().asnumpy(), p.data().asnumpy(), rtol=1e-5,
                                   atol=1e-6, err_msg=p.name)


def _grads(net, x, y, calls=1):
    """Gradient buffers after `calls` recorded calls with backward, by Parameter (in order)."""
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    for _ in range(calls):
        with autograd.record():
            l = loss(net(x), y)
        l.backward()
    return [None if p.grad_req == 'null' else p.grad().asnumpy().copy()
            for p in net.collect_params().values()]


def test_grad_req_add_and_null_through_the_captured_backward():
    x, y = _batches(1)[0]
    eager, graphed = _twins(_lenet_bn, x)
    for net in (eager, graphed):
        net[4].weight.grad_req = 'add'
        net[0].bias.grad_req = 'null'
    once = _grads(eager, x, y)[4 + 2]             # after one call: dense0_weight (add)
    eager[4].weight.zero_grad()
    g_e, g_g = _grads(eager, x, y, calls=2), _grads(graphed, x, y, calls=2)
    assert g_g[1] is None and g_e[1] is None                # null: no buffer at all
    for i, (e, g) in enumerate(zip(g_e, g_g)):
        if e is not None:
            np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-7, err_msg=str(i))
    np.testing.assert_allclose(g_g[4 + 2], once * 2, rtol=1e-5, atol=1e-7)   # summed


def test_stale_gradient_is_still_detected():
    x, y = _batches(1)[0]
    _, net = _twins(_lenet_bn, x)
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})
    for _ in range(2):                             # the capture, then a replay
        with autograd.record():
            l = loss(net(x), y)
        l.backward()
        trainer.step(4)                            # written by the captured backward
    with pytest.raises(UserWarning, match='has not been updated by backward'):
        trainer.step(4)


def test_autograd_grad_returns_parameter_gradients_and_leaves_buffers():
    x, _ = _batches(1)[0]
    eager, graphed = _twins(_lenet_bn, x)
    res = {}
    for name, net in (('eager', eager), ('graphed', graphed)):
        for _ in range(2):                         # the second call is a replay
            w = net[4].weight
            with autograd.record():
                out = net(x).sum()
            res[name] = autograd.grad(out, [w.data()])[0].asnumpy()
        assert not w.grad().asnumpy().any()        # autograd.grad writes no buffer
    np.testing.assert_allclose(res['graphed'], res['eager'], rtol=1e-5, atol=1e-7)


def test_second_recorded_call_before_backward_runs_uncompiled():
    (x1, y1), (x2, y2) = _batches(2)
    eager, graphed = _twins(_lenet_bn, x1)
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    grads = {}
    for name, net in (('eager', eager), ('graphed', graphed)):
        for _ in range(2):
            with autograd.record():
                l = loss(net(x1), y1) + loss(net(x2), y2)   # two calls, then backward
            l.backward()
        grads[name] = [p.grad().asnumpy() for p in net.collect_params().values()
                       if p.grad_req != 'null']
    for g, e in zip(grads['graphed'], grads['eager']):
        np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-7)


def test_grad_req_changed_after_the_capture():
    x, y = _batches(1)[0]
    eager, graphed = _twins(_lenet_bn, x)
    _grads(eager, x, y), _grads(graphed, x, y)     # captured with every grad_req 'write'
    for net in (eager, graphed):
        net[4].weight.grad_req = 'add'
        net[0].bias.grad_req = 'null'
    g_e, g_g = _grads(eager, x, y, calls=2), _grads(graphed, x, y, calls=2)
    assert g_g[1] is None
    for i, (e, g) in enumerate(zip(g_e, g_g)):
        if e is not None:
            np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-7, err_msg=str(i))


def _training_graphs(net):
    return [f for f in net._graph_cache._compiled.values()
            if isinstance(f, cached._TrainingGraph)]


@pytest.mark.parametrize('req', ['write', 'add'])
@pytest.mark.parametrize('reg_first', [False, True])
def test_parameter_also_used_outside_the_graph_gets_the_sum(req, reg_first):
    """The captured graph writes its Parameters' gradients itself; another use of one in the
    same recording (a penalty on a weight) still adds its part, whichever runs first."""
    x, y = _batches(1)[0]
    eager, graphed = _twins(_lenet_bn, x)
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    grads = {}
    for name, net in (('eager', eager), ('graphed', graphed)):
        w = net[4].weight
        w.grad_req = req
        for _ in range(3):                         # the capture, then replays
            with autograd.record():
                if reg_first:
                    l = (w.data() ** 2).sum() + loss(net(x), y).sum()
                else:
                    l = loss(net(x), y).sum() + (w.data() ** 2).sum()
            l.backward()
        grads[name] = [p.grad().asnumpy() for p in net.collect_params().values()
                       if p.grad_req != 'null']
    assert _training_graphs(graphed)[0]._slots    # the captured deposit was used
    for e, g in zip(grads['eager'], grads['graphed']):
        np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-6)


class _Tied(gluon.HybridBlock):
    def __init__(self, share=None, **kwargs):
        super().__init__(**kwargs)
        self.fc = nn.Dense(5, in_units=5, params=share.fc.params if share else None)

    def hybrid_forward(self, F, x):
        return F.tanh(self.fc(x))


def test_parameter_shared_by_two_captured_blocks_gets_the_sum():
    x = nd.array(np.random.RandomState(0).uniform(-1, 1, (3, 5)))
    res = {}
    for static in (False, True):
        mx.random.seed(0)
        a = _Tied()
        b = _Tied(share=a)
        a.initialize()
        if static:
            a.hybridize(static_alloc=True, static_shape=True)
            b.hybridize(static_alloc=True, static_shape=True)
        for _ in range(3):
            with autograd.record():
                l = (a(x) * b(a(x) * 0 + x) * 2).sum()   # a twice: once uncompiled
            l.backward()
        res[static] = [p.grad().asnumpy() for p in a.collect_params().values()]
    assert _training_graphs(a)[0]._slots and _training_graphs(b)[0]._slots
    for e, g in zip(res[False], res[True]):
        np.testing.assert_allclose(g, e, rtol=1e-5, atol=1e-6)


@pytest.fixture
def chain_calls(monkeypatch):
    """What autograd.backward's replay of captured calls (cached._replay_chain) answered."""
    answers = []
    real = cached._replay_chain

    def spy(ts, gs):
        answers.append(real(ts, gs))
        return answers[-1]
    monkeypatch.setattr(autograd, 'replay_chain', spy)
    return answers


def _train_hybrid_loss(net, batches, input_grad=False):
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    loss.hybridize(static_alloc=True, static_shape=True)
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})
    out = []
    for x, y in batches:
        if input_grad:
            x = x.copy()
            x.attach_grad()
        with autograd.record():
            l = loss(net(x), y)
        l.backward()
        trainer.step(x.shape[0])
        out.append(float(l.mean().asnumpy()))
        if input_grad:
            out.append(x.grad.asnumpy())
    return out


@pytest.mark.parametrize('input_grad', [False, True])
def test_captured_network_and_loss_backward_without_the_engine(chain_calls, input_grad):
    """A hybridized network and a hybridized loss, both captured: backward replays the two
    backward graphs itself (no torch engine), and trains exactly as eager. An input that
    wants its gradient (attach_grad) is a leaf torch must reach: the engine runs that."""
    batches = _batches(4)
    eager, graphed = _twins(_lenet_bn, batches[0][0])
    got = _train_hybrid_loss(graphed, batches, input_grad)
    used = chain_calls[1:]                       # (the first call is the capture's)
    assert used and all(a is (not input_grad) for a in used), chain_calls
    want = _train_hybrid_loss(eager, batches, input_grad)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g, w, rtol=1e-5, atol=1e-7)
    for p, q in zip(eager.collect_params().values(), graphed.collect_params().values()):
        np.testing.assert_allclose(q.data().asnumpy(), p.data().asnumpy(), rtol=1e-5,
                                   atol=1e-6, err_msg=p.name)


def test_captured_inference_returns_its_own_arrays():
    (x1, _), (x2, _) = _batches(2)
    eager, graphed = _twins(_lenet_bn, x1)
    for _ in range(2):                             # the capture, then a replay
        o1, o2 = graphed(x1), graphed(x2)
    assert isinstance(next(iter(graphed._graph_cache._compiled.values())), type(lambda: 0))
    np.testing.assert_allclose(o1.asnumpy(), eager(x1).asnumpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(o2.asnumpy(), eager(x2).asnumpy(), rtol=1e-5, atol=1e-6)


def test_recorded_call_with_nothing_to_differentiate():
    """Inside record() with no Parameter and an input that needs no gradient there is no
    backward to capture: the forward alone is, without a warning."""
    act = nn.Activation('relu')
    act.hybridize(static_alloc=True, static_shape=True)
    x = nd.array([[-1.0, 2.0]])
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        for _ in range(2):
            with autograd.record():
                y = act(x)
    assert y.asnumpy().tolist() == [[0.0, 2.0]]


class _NpNet(gluon.HybridBlock):
    """np-mode code (F.np / F.npx nodes) around Gluon layers."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.conv = nn.Conv2D(4, kernel_size=3)
        self.bn = nn.BatchNorm()
        self.out = nn.Dense(10)

    def hybrid_forward(self, F, x):
        h = F.npx.relu(self.bn(self.conv(x)))
        h = h - F.np.mean(h, axis=(2, 3), keepdims=True) + F.np.ones((4, 1, 1)) * 0.5
        return self.out(F.np.tanh(h))


def test_captured_np_mode_training_equals_eager():
    mx.npx.set_np()
    try:
        batches = [(x.as_np_ndarray(), y.as_np_ndarray()) for x, y in _batches(4)]
        eager, graphed = _twins(_NpNet, batches[0][0])
        with warnings.catch_warnings():
            warnings.simplefilter('error')
            l_g = _train(graphed, batches, 0.9)
        l_e = _train(eager, batches, 0.9)
        np.testing.assert_allclose(l_g, l_e, rtol=1e-5)
        assert any(isinstance(f, cached._TrainingGraph)
                   for f in graphed._graph_cache._compiled.values())
        for p, q in zip(eager.collect_params().values(), graphed.collect_params().values()):
            assert isinstance(q.data(), mx.np.ndarray)
            np.testing.assert_allclose(q.data().asnumpy(), p.data().asnumpy(), rtol=1e-5,
                                       atol=1e-6, err_msg=p.name)
    finally:
        mx.npx.reset_np()


def test_row_sparse_gradient_parameter_goes_through_torch():
    """A Parameter with a row_sparse gradient (its GradSlot writes a RowSparseNDArray) is
    not written by the captured graph: it keeps its hook, and the rest is still captured."""
    class Net(gluon.HybridBlock):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.emb = nn.Embedding(10, 4, sparse_grad=True)    # a sparse gradient
            with self.name_scope():                              # a dense one, kept sparse
                self.w = self.params.get('w', shape=(4, 4), grad_stype='row_sparse')
            self.out = nn.Dense(3, in_units=4)

        def hybrid_forward(self, F, x, w):
            return self.out(F.dot(self.emb(x).sum(axis=1), w))

    x = nd.array([[1, 2], [3, 3]])
    res = {}
    for static in (False, True):
        mx.random.seed(0)
        net = Net()
        net.initialize()
        if static:
            net.hybridize(static_alloc=True, static_shape=True)
        with warnings.catch_warnings():
            warnings.simplefilter('error', UserWarning)     # no fallback to uncompiled
            for _ in range(2):
                with autograd.record():
                    l = net(x).sum()
                l.backward()
        res[static] = [(p.grad().stype, p.grad().asnumpy())
                       for p in net.collect_params().values()]
    graph = _training_graphs(net)[0]
    assert len(graph._slots) == 2                  # the Dense weight and bias
    for (s0, g0), (s1, g1) in zip(res[False], res[True]):
        assert s0 == s1
        np.testing.assert_allclose(g1, g0, rtol=1e-6)


def test_two_contexts_backward_of_both_losses_at_once():
    """Data parallel over two contexts, both losses in one autograd.backward (the engine's
    path, several heads): each context's captured graph writes its own gradient buffers,
    and training equals eager."""
    ctxs = [mx.cpu(0), mx.cpu(1)]
    batches = _batches(3, batch=4)
    res = {}
    for static in (False, True):
        mx.random.seed(0)
        net = _lenet_bn()
        net.initialize(mx.init.Xavier(), ctx=ctxs)
        net(batches[0][0].as_in_context(ctxs[0]))
        if static:
            for p, q in zip(net.collect_params().values(), res[False][1]):
                p.set_data(q)
            net.hybridize(static_alloc=True, static_shape=True)
        start = [p.data(ctxs[0]).copy() for p in net.collect_params().values()]
        loss = gluon.loss.SoftmaxCrossEntropyLoss()
        trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})
        losses = []
        for x, y in batches:
            xs = gluon.utils.split_and_load(x, ctxs)
            ys = gluon.utils.split_and_load(y, ctxs)
            with autograd.record():
                ls = [loss(net(a), b) for a, b in zip(xs, ys)]
            autograd.backward(ls)
            trainer.step(x.shape[0])
            losses.append([float(l.mean().asnumpy()) for l in ls])
        res[static] = (losses, start, [p.data(ctxs[1]).asnumpy()
                                       for p in net.collect_params().values()])
    graphs = _training_graphs(net)                 # one per context, each writing buffers
    assert len(graphs) == 2 and all(g._slots for g in graphs)
    np.testing.assert_allclose(res[True][0], res[False][0], rtol=1e-5)
    for a, b in zip(res[True][2], res[False][2]):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
