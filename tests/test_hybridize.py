"""hybridize(): the traced graph gives the eager outputs and gradients; export writes files
MXNet 1.9.1 loads with the same outputs; values in hybrid_forward fail as in MXNet."""
import os
import re
import sys
import warnings

import numpy as np
import pytest

import regluon as mx
from regluon import autograd, gluon, nd
from regluon.gluon import nn
from regluon.gluon.contrib.nn import HybridConcurrent
from regluon.symbol import NotImplementedForSymbol
from conftest import GOLDEN, golden

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'tools'))


def _twin(make, x):
    """Two copies of a network with the same parameters: eager and hybridized."""
    mx.random.seed(1)
    a = make()
    a.initialize(mx.init.Xavier())
    a(x)
    b = make()
    b.initialize()
    b(x)
    for p, q in zip(a.collect_params().values(), b.collect_params().values()):
        q.set_data(p.data())
    b.hybridize()
    return a, b


def _run(net, x, head, train=True):
    x = x.copy()
    x.attach_grad()
    with autograd.record(train_mode=train):
        y = net(x)
    y.backward(head)
    return y, x.grad


def _seq(*layers):
    def make():
        net = nn.HybridSequential()
        net.add(*[layer() for layer in layers])
        return net
    return make


LAYERS = [  # name, network factory, input shape, training mode
    ('dense', _seq(lambda: nn.Dense(5, activation='relu'), lambda: nn.Dense(3)), (4, 6), True),
    ('dense_no_flatten', _seq(lambda: nn.Dense(3, flatten=False)), (2, 4, 6), True),
    ('conv_pool', _seq(lambda: nn.Conv2D(4, 3, padding=1, activation='tanh'),
                       lambda: nn.MaxPool2D(2), lambda: nn.Conv2D(3, 3, strides=2),
                       lambda: nn.AvgPool2D(2, ceil_mode=True)), (2, 3, 9, 9), True),
    ('batchnorm_train', _seq(lambda: nn.Conv2D(4, 3), lambda: nn.BatchNorm()), (3, 2, 6, 6),
     True),
    ('batchnorm_predict', _seq(lambda: nn.Conv2D(4, 3), lambda: nn.BatchNorm()), (3, 2, 6, 6),
     False),
    ('norms', _seq(lambda: nn.Dense(8), lambda: nn.LayerNorm(), lambda: nn.Dense(6)), (3, 5),
     True),
    ('activations', _seq(lambda: nn.Dense(6), lambda: nn.LeakyReLU(0.1), lambda: nn.ELU(),
                         lambda: nn.Dense(6), lambda: nn.PReLU(), lambda: nn.Swish(),
                         lambda: nn.GELU(), lambda: nn.SELU()), (3, 4), True),
    ('global_pool_flatten', _seq(lambda: nn.Conv2D(5, 3), lambda: nn.GlobalAvgPool2D(),
                                 lambda: nn.Flatten(), lambda: nn.Dense(2)), (2, 3, 7, 7), True),
    ('conv1d_transpose', _seq(lambda: nn.Conv1D(4, 3), lambda: nn.Conv1DTranspose(2, 3)),
     (2, 3, 10), True),
    ('dropout_predict', _seq(lambda: nn.Dense(6), lambda: nn.Dropout(0.5)), (3, 4), False),
    ('lambda', _seq(lambda: nn.Dense(6), lambda: nn.HybridLambda(lambda F, x: F.relu(x) * 2),
                    lambda: nn.HybridLambda('tanh')), (3, 4), True),
    ('F_helpers', _seq(lambda: nn.Dense(4), lambda: nn.HybridLambda(_f_helpers)), (3, 5),
     True),
]


def _f_helpers(F, x):
    """MXNet's F-level helpers that are not operators (sym.arange, maximum, power, ...)."""
    y = F.broadcast_add(F.maximum(x, 0.1) + F.minimum(0.5, x), F.arange(4).reshape((1, 4)))
    y = y * F.power(F.hypot(x, 2), 2) + F.power(2, x) + F.dot(x, F.eye(4, 4, 1))
    return y + F.broadcast_mul(x, F.linspace(0, 1, 4).reshape((1, 4)))


@pytest.mark.parametrize('name, make, shape, train', LAYERS, ids=[r[0] for r in LAYERS])
def test_hybridized_equals_eager(name, make, shape, train):
    x = nd.random.uniform(-1, 1, shape=shape)
    a, b = _twin(make, x)
    head = nd.random.uniform(-1, 1, shape=a(x).shape)
    ya, ga = _run(a, x, head, train)
    yb, gb = _run(b, x, head, train)
    assert b._graph_cache is not None and b._graph_cache.symbol is not None
    np.testing.assert_allclose(yb.asnumpy(), ya.asnumpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(gb.asnumpy(), ga.asnumpy(), rtol=1e-5, atol=1e-6)
    for p, q in zip(a.collect_params().values(), b.collect_params().values()):
        if p.grad_req != 'null':
            np.testing.assert_allclose(q.grad().asnumpy(), p.grad().asnumpy(), rtol=1e-4,
                                       atol=1e-6, err_msg=p.name)
        else:                                     # running statistics move the same way
            np.testing.assert_allclose(q.data().asnumpy(), p.data().asnumpy(), rtol=1e-5)


@pytest.mark.parametrize('model, shape', [('resnet18_v1', (2, 3, 32, 32)),
                                          ('mobilenetv2_0.25', (1, 3, 32, 32)),
                                          ('mobilenet0.25', (1, 3, 32, 32))])
def test_model_zoo_hybridized_equals_eager(model, shape):
    x = nd.random.uniform(shape=shape)
    a, b = _twin(lambda: gluon.model_zoo.vision.get_model(model, classes=10), x)
    head = nd.random.uniform(shape=(shape[0], 10))
    ya, ga = _run(a, x, head)
    yb, gb = _run(b, x, head)
    np.testing.assert_allclose(yb.asnumpy(), ya.asnumpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(gb.asnumpy(), ga.asnumpy(), rtol=1e-3, atol=1e-5)


def test_random_nodes_draw_as_eager_under_one_seed():
    """F.random.* in a hybridized block draws what nd.random draws under the same seed."""
    class Noisy(gluon.HybridBlock):
        def hybrid_forward(self, F, x):
            return x + F.random.uniform(-1, 1, shape=(2, 3)) + \
                F.random.normal(0, 2, shape=(2, 3)) * F.random.exponential(2, shape=(2, 3))
    x = nd.ones((2, 3))
    eager, hyb = Noisy(), Noisy()
    hyb.hybridize()
    out = []
    for net in (eager, hyb):
        mx.random.seed(7)
        out.append(net(x).asnumpy())
    np.testing.assert_array_equal(out[0], out[1])
    assert hyb._graph_cache is not None
    mx.random.seed(7)
    e = nd.random.exponential(2, shape=(20000,)).asnumpy()
    assert abs(e.mean() - 2) < 0.1                # scale is the mean (the node takes 1/scale)
    # a graph written by tojson (MXNet's attribute names) reloads and draws in range
    s = mx.sym.load_json(mx.sym.random.uniform(3, 4, shape=(50,)).tojson())
    v = s.eval()[0].asnumpy()
    assert v.shape == (50,) and v.min() >= 3 and v.max() < 4


def test_concurrent_and_multiple_outputs():
    class Two(gluon.HybridBlock):
        def __init__(self):
            super().__init__()
            with self.name_scope():
                self.branches = HybridConcurrent(axis=1)
                self.branches.add(nn.Dense(3), nn.Dense(2))

        def hybrid_forward(self, F, x):
            y = self.branches(x)
            return y, F.relu(y) + 1

    x = nd.random.uniform(shape=(4, 5))
    net = Two()
    net.initialize()
    eager = net(x)
    net.hybridize()
    hyb = net(x)
    assert isinstance(hyb, list) and len(hyb) == 2
    for e, h in zip(eager, hyb):
        np.testing.assert_allclose(h.asnumpy(), e.asnumpy(), rtol=1e-6)


def test_graph_serves_new_shapes_and_deferred_init():
    net = _seq(lambda: nn.Dense(4), lambda: nn.Dense(2))()
    net.initialize()
    net.hybridize()                        # shapes still unknown: first call runs eagerly
    y1 = net(nd.ones((3, 7)))
    assert y1.shape == (3, 2)
    y2 = net(nd.ones((5, 7)))              # the same graph, another batch size
    assert y2.shape == (5, 2) and net._graph_cache is not None
    np.testing.assert_allclose(y2.asnumpy()[:3], y1.asnumpy(), rtol=1e-6)
    net.hybridize(active=False)
    assert net._graph_cache is None
    np.testing.assert_allclose(net(nd.ones((3, 7))).asnumpy(), y1.asnumpy(), rtol=1e-6)


def test_calls_must_keep_the_first_calls_argument_structure():
    # MXNet 1.9.1: a hybridized block keeps the input structure of its first call; a
    # trailing None (a default value) passes, another structure is a ValueError (its
    # message names the two formats the other way round); hybridize() starts afresh
    class Add(gluon.HybridBlock):
        def hybrid_forward(self, F, x, y=None):
            return x * 2 if y is None else x + y

    net = Add()
    net.hybridize()
    a, b = nd.ones((2,)), nd.arange(2)
    assert net(a).asnumpy().tolist() == [2.0, 2.0]
    assert net(a, None).asnumpy().tolist() == [2.0, 2.0]
    with pytest.raises(ValueError, match=re.escape(
            'does not match the cached version. Stored format = [0, 0], input format = [0]')):
        net(a, b)
    net.hybridize()
    assert net(a, b).asnumpy().tolist() == [1.0, 2.0]
    with pytest.raises(ValueError, match=re.escape(
            'Stored format = [0, -1], input format = [0, 0]')):
        net(a, None)


def test_hybridized_call_checks_its_inputs_like_mxnet():
    class Add(gluon.HybridBlock):
        def hybrid_forward(self, F, x, y):
            return x + y

    net = Add()
    with pytest.raises(ValueError, match='mixed NDArrays and Symbols'):
        net(nd.ones((2,)), mx.sym.var('a'))
    with pytest.raises(ValueError, match='mixed NDArrays and Symbols'):
        net(mx.sym.var('a'), nd.ones((2,)))
    net.hybridize()
    with pytest.raises(ValueError, match="must be .nested. list of Symbol or NDArray, but "
                                         "got 1 of type <class 'int'>"):
        net(nd.ones((2,)), 1)
    net = Add()
    net.hybridize()
    with pytest.raises(ValueError, match='Find multiple contexts in the input'):
        net(nd.ones((2,), ctx=mx.cpu(1)), nd.ones((2,), ctx=mx.cpu(2)))
    assert net(nd.ones((2,)), nd.ones((2,))).asnumpy().tolist() == [2.0, 2.0]


def test_python_control_flow_on_values_fails_like_mxnet():
    class Branchy(gluon.HybridBlock):
        def hybrid_forward(self, F, x):
            if x.sum() > 0:
                return x * 2
            return x

    net = Branchy()
    net.initialize()
    assert net(nd.ones((2,))).asnumpy().tolist() == [2.0, 2.0]     # eager: fine
    net.hybridize()
    with pytest.raises(NotImplementedForSymbol):
        net(nd.ones((2,)))


def test_export_is_what_mxnet_loaded_and_matches_its_outputs(tmp_path):
    from make_regluon_export import build
    net, x = build()
    net.export(str(tmp_path / 'lenet'), 0)
    sym_dir = GOLDEN / 'symbol'
    # MXNet 1.9.1 loaded exactly these bytes (tools/golden_symbol.py)
    assert (tmp_path / 'lenet-symbol.json').read_text() == \
        (sym_dir / 'regluon_lenet-symbol.json').read_text()
    assert (tmp_path / 'lenet-0000.params').read_bytes() == \
        (sym_dir / 'regluon_lenet-0000.params').read_bytes()
    mxnet_y = np.load(sym_dir / 'outputs.npz')['regluon_lenet_mxnet_y']
    np.testing.assert_allclose(net(x).asnumpy(), mxnet_y, rtol=1e-5, atol=1e-6)
    back = gluon.SymbolBlock.imports(str(tmp_path / 'lenet-symbol.json'), ['data'],
                                     str(tmp_path / 'lenet-0000.params'))
    np.testing.assert_allclose(back(x).asnumpy(), mxnet_y, rtol=1e-5, atol=1e-6)


def test_export_needs_a_hybridized_forward(tmp_path):
    net = _seq(lambda: nn.Dense(2))()
    net.initialize()
    with pytest.raises(RuntimeError, match='hybridize'):
        net.export(str(tmp_path / 'x'))


def test_static_graph_that_cannot_compile_falls_back_with_a_warning(monkeypatch):
    import torch

    def broken(*args, **kwargs):
        raise RuntimeError('no compiler here')
    monkeypatch.setattr(torch, 'compile', broken)
    net = _seq(lambda: nn.Dense(3))()
    net.initialize()
    x = nd.ones((2, 4))
    eager = net(x)
    net.hybridize(static_alloc=True, static_shape=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        out = net(x)
    assert any('could not be compiled' in str(w.message) for w in caught)
    np.testing.assert_allclose(out.asnumpy(), eager.asnumpy(), rtol=1e-6)


def test_symbolblock_imports_a_graph_of_several_outputs_as_a_list(tmp_path):
    """MXNet's SymbolBlock counts a Group of n outputs as n outputs: a call returns a list."""
    a = mx.sym.var('data')
    mx.sym.Group([a * 2, a + 1, mx.sym.sum(a)]).save(str(tmp_path / 'm-symbol.json'))
    block = gluon.SymbolBlock.imports(str(tmp_path / 'm-symbol.json'), ['data'])
    out = block(nd.array([1.0, 2.0]))
    assert isinstance(out, list) and [o.asnumpy().tolist() for o in out] == \
        [[2.0, 4.0], [2.0, 3.0], [3.0]]
    single = gluon.SymbolBlock(a * 2, a)(nd.array([1.0]))
    assert isinstance(single, nd.NDArray)


def test_symbolblock_exports_without_a_forward_and_reloads(tmp_path):
    x = mx.sym.var('x')
    fc = mx.sym.FullyConnected(x, num_hidden=4, flatten=False, name='fc')
    block = gluon.SymbolBlock(mx.sym.transpose(fc, (0, 2, 1)), x)
    block.collect_params().initialize(mx.init.Uniform())
    data = nd.array(np.arange(6).reshape(1, 2, 3))
    want = block(data).asnumpy()
    w = block.collect_params()['fc_weight'].data().asnumpy()
    b = block.collect_params()['fc_bias'].data().asnumpy()
    np.testing.assert_allclose(want, (np.arange(6).reshape(1, 2, 3) @ w.T + b)
                               .transpose(0, 2, 1), rtol=1e-5)
    block.export(str(tmp_path / 'sb'))               # MXNet: no hybridize() needed
    again = gluon.SymbolBlock.imports(str(tmp_path / 'sb-symbol.json'), ['x'],
                                      str(tmp_path / 'sb-0000.params'))
    np.testing.assert_allclose(again(data).asnumpy(), want, rtol=1e-6)
    # the positional axes reached the JSON (an empty transpose would reverse every axis)
    assert '"axes": "(0, 2, 1)"' in (tmp_path / 'sb-symbol.json').read_text()


def test_symbolblock_inside_a_hybridized_parent(tmp_path):
    """GluonCV's FeatureExpander pattern: a SymbolBlock over internal outputs of a network,
    sharing its Parameters, called by a HybridBlock that is hybridized (traced on Symbols)."""
    base = nn.HybridSequential(prefix='base_')
    with base.name_scope():
        base.add(nn.Dense(5, activation='relu'), nn.Dense(3))
    base.initialize(mx.init.Xavier())
    data = mx.sym.var('data')
    internals = base(data).get_internals()
    feats = gluon.SymbolBlock([internals['base_dense0_relu_fwd_output'],
                               internals['base_dense1_fwd_output']], data,
                              params=base.collect_params())

    class Head(gluon.HybridBlock):
        def __init__(self):
            super().__init__()
            with self.name_scope():
                self.feats, self.out = feats, nn.Dense(2, in_units=8)

        def hybrid_forward(self, F, x):
            a, b = self.feats(x)
            return self.out(F.concat(a, b, dim=1))

    net = Head()
    net.out.initialize(mx.init.Xavier())
    x = nd.array(np.random.RandomState(0).uniform(-1, 1, (4, 6)))
    with autograd.record():
        eager = net(x)
    eager.backward()
    g_eager = base[0].weight.grad().asnumpy().copy()
    net.hybridize()
    with autograd.record():
        hybrid = net(x)
    hybrid.backward()
    np.testing.assert_allclose(hybrid.asnumpy(), eager.asnumpy(), rtol=1e-6)
    np.testing.assert_allclose(base[0].weight.grad().asnumpy(), g_eager, rtol=1e-6)
    net.export(str(tmp_path / 'head'))                # the traced graph holds base's weights
    assert {'base_dense0_weight', 'data'} <= \
        set(mx.sym.load(str(tmp_path / 'head-symbol.json')).list_inputs())
    with pytest.raises(AssertionError, match='Symbol or NDArray'):
        feats(np.zeros((4, 6)))


def test_hybridized_nested_outputs_as_mxnet():
    # nested and multi-output Symbol results regroup as MXNet's CachedOp does (golden: tools/golden_private_api.py)
    sys.path.insert(0, str(GOLDEN))
    import private_api_cases  # noqa: E402
    want = golden('private_api')
    got = private_api_cases.CASES['nested_hybrid'](mx)
    assert {k[len('nested_hybrid/'):] for k in want if k.startswith('nested_hybrid/')} == set(got)
    for k, v in got.items():
        assert v == str(want[f'nested_hybrid/{k}']), k


def test_static_blocks_each_compiled_on_cpu():
    """With static_alloc and static_shape a CPU replay is torch.compile'd per graph: more
    blocks than torch's limit of variants per code object (8) are all compiled, none left
    to run uncompiled in silence."""
    import torch._dynamo.utils as dynamo_utils
    x = nd.ones((2, 4))
    before = dynamo_utils.counters['frames']['ok']
    for i in range(10):
        net = nn.Dense(3 + i)
        net.initialize()
        net(x)
        net.hybridize(static_alloc=True, static_shape=True)
        out = net(x)
        np.testing.assert_allclose(out.asnumpy(), nd.dot(x, net.weight.data().T).asnumpy()
                                   + net.bias.data().asnumpy(), rtol=1e-6)
    assert dynamo_utils.counters['frames']['ok'] - before >= 10, dict(dynamo_utils.counters['frames'])


def test_static_compiled_first_step_moves_running_statistics_as_eager():
    """The step whose call compiles a static graph (torch.compile on a CPU) moves
    BatchNorm's running statistics (MXNet moves them in the backward pass) as an eager
    step does."""
    def make():
        net = nn.HybridSequential()
        net.add(nn.Dense(4, in_units=3), nn.BatchNorm(in_channels=4))
        return net
    x = nd.array(np.random.RandomState(0).uniform(-1, 1, (5, 3)))
    eager, graphed = _twin(make, x)
    graphed.hybridize(static_alloc=True, static_shape=True)
    for net in (eager, graphed):
        with autograd.record():
            y = net(x)
        y.backward()
    assert np.abs(eager[1].running_mean.data().asnumpy()).max() > 1e-3
    np.testing.assert_allclose(graphed[1].running_mean.data().asnumpy(),
                               eager[1].running_mean.data().asnumpy(), rtol=1e-6, atol=1e-7)


def test_static_cpu_compile_can_be_declined(monkeypatch):
    """REGLUON_COMPILE=0: a static graph on a CPU replays uncompiled (no torch.compile)."""
    from regluon.gluon import cached
    monkeypatch.setenv('REGLUON_COMPILE', '0')
    monkeypatch.setattr(cached.torch, 'compile', None)      # would fail if called
    net = nn.Dense(3)
    net.initialize()
    x = nd.ones((2, 4))
    want = net(x).asnumpy()
    net.hybridize(static_alloc=True, static_shape=True)
    np.testing.assert_allclose(net(x).asnumpy(), want, rtol=1e-6)
    assert next(iter(net._graph_cache._compiled.values())) == net._graph_cache._run
