"""Block / HybridBlock / containers against MXNet 1.9.1 (goldens from tools/golden_gluon.py,
whose networks tests/golden/gluon_cases.py builds for both)."""
import contextlib
import io
import sys
import warnings

import numpy as np
import pytest

import regluon as mx
from regluon import autograd, gluon, init, nd
from regluon.gluon import nn

from conftest import GOLDEN, golden

NAMES = golden('gluon_names')
IO = golden('gluon_io')
sys.path.insert(0, str(GOLDEN))
import gluon_cases as cases  # noqa: E402  (the networks the golden writer built in MXNet)

cases.use(mx)
fresh, MLP = cases.fresh, cases.MLP


@pytest.fixture
def blocks():
    return cases.named_blocks()


@pytest.mark.parametrize('attr, key', [
    (lambda b: b.name, 'block_names'),
    (lambda b: b.prefix, 'block_prefixes'),
    (lambda b: '|'.join(b.collect_params().keys()), 'param_names'),
    (lambda b: '|'.join(sorted(b._collect_params_with_prefix().keys())), 'structural'),
    (lambda b: '|'.join(c.name for c in b._children.values()), 'child_names'),
])
def test_names_match_mxnet(blocks, attr, key):
    assert [attr(b) for b in blocks] == list(NAMES[key])


def test_collect_params_regex(blocks):
    hs = blocks[4]
    assert list(hs.collect_params('.*weight').keys()) == list(NAMES['select_weight'])
    assert list(hs.collect_params('model_dense0_weight|model_dense1_bias').keys()) == \
        list(NAMES['select_alt'])


@pytest.mark.parametrize('index, key', [(3, 'repr_seq'), (4, 'repr_hs'), (2, 'repr_mlp')])
def test_block_repr(blocks, index, key):
    assert repr(blocks[index]) == str(NAMES[key])


def test_params_repr(blocks):
    assert repr(blocks[2].hidden.params) == str(NAMES['repr_params'])
    assert repr(blocks[3].collect_params()) == str(NAMES['repr_collect'])


def test_sequential_slice_and_len():
    cases.named_blocks()
    cases.named_layers()   # the golden run made these first; rebuild up to the same counters
    seq2 = cases.slice_net()
    sl = seq2[1:]
    got = [type(sl).__name__, sl.prefix, str(len(sl))] + [c.name for c in sl._children.values()]
    assert got == list(NAMES['slice'])
    assert seq2[-1] is list(seq2._children.values())[-1]
    assert len(seq2) == 3


def test_layer_reprs_and_names():
    cases.named_blocks()
    layers = cases.named_layers()
    assert [repr(x) for x in layers] == list(NAMES['layer_reprs'])
    assert [x.name for x in layers] == list(NAMES['layer_names'])


# ---- the seed's examples, as written --------------------------------------------------------
def test_seed_parameter_access():
    fresh()
    net = nn.Sequential()
    net.add(nn.Dense(256, activation='relu'))
    net.add(nn.Dense(10))
    net.initialize()
    x = nd.ones((2, 20))
    with autograd.record():
        y = net(x).sum()
    y.backward()
    assert list(net[0].params.keys()) == ['dense0_weight', 'dense0_bias']
    assert net[0].params['dense0_weight'] is net[0].weight
    assert net[0].weight.data().shape == (256, 20)
    assert net[0].weight.grad().shape == (256, 20)
    assert float(np.abs(net[0].weight.grad().asnumpy()).sum()) > 0
    assert list(net.collect_params().keys()) == ['dense0_weight', 'dense0_bias',
                                                 'dense1_weight', 'dense1_bias']
    assert list(net.collect_params('.*weight').keys()) == ['dense0_weight', 'dense1_weight']


def test_seed_mlp_block():
    fresh()
    net = MLP()
    net.initialize()
    out = net(nd.ones((2, 20)))
    assert out.shape == (2, 10)
    assert net.name == 'mlp0' and net.hidden.name == 'dense0'


def test_seed_shared_layers():
    fresh()
    net = nn.Sequential()
    shared = nn.Dense(8, activation='relu')
    net.add(shared, nn.Dense(8, activation='relu', params=shared.params), nn.Dense(10))
    net.initialize()
    # input width 8: the shared weight is (8, in) and serves layers 0 and 1 (as in MXNet)
    x = nd.array(np.random.RandomState(0).uniform(size=(2, 8)))
    assert net(x).shape == (2, 10)
    assert net[0].weight is net[1].weight
    assert (net[0].weight.data().asnumpy() == net[1].weight.data().asnumpy()).all()


def test_shared_gradients_are_summed():
    g = golden('gluon_shared')
    net = cases.shared_net()
    net.initialize()
    for k, p in net.collect_params().items():
        p.set_data(nd.array(g[f'p/{k}']))
    with autograd.record():
        y = net(nd.array(g['x']))
    y.backward()
    np.testing.assert_allclose(y.asnumpy(), g['y'], rtol=1e-5, atol=1e-6)
    for k, p in net.collect_params().items():
        np.testing.assert_allclose(p.grad().asnumpy(), g[f'g/{k}'], rtol=1e-5, atol=1e-6)


# ---- behaviour --------------------------------------------------------------------------------
def test_hooks_apply_and_handles():
    net = nn.HybridSequential()
    net.add(nn.Dense(2, in_units=3), nn.Dense(1, in_units=2))
    net.initialize()
    seen = []
    pre = net[0].register_forward_pre_hook(lambda b, a: seen.append(('pre', b.name, len(a))))
    post = net[0].register_forward_hook(lambda b, a, o: seen.append(('post', o.shape)))
    net(nd.ones((4, 3)))
    assert seen == [('pre', net[0].name, 1), ('post', (4, 2))]
    pre.detach()
    post.detach()
    net(nd.ones((4, 3)))
    assert len(seen) == 2
    visited = []
    assert net.apply(lambda b: visited.append(b.name)) is net
    assert visited == [net[0].name, net[1].name, net.name]


def test_register_child_and_attribute_rules():
    net = nn.HybridSequential()
    with pytest.raises(ValueError, match='Children of HybridBlock must also be HybridBlock'):
        net.add(nn.Sequential())
    blk = nn.Block()
    blk.d = nn.Dense(2)
    with pytest.raises(TypeError, match='Changing attribute type for d'):
        blk.d = 3
    blk.register_child(nn.Dense(3))
    assert list(blk._children) == ['d', '1']
    blk.lst = [nn.Dense(2)]
    with pytest.warns(UserWarning, match='unregistered container with Blocks'):
        blk.collect_params()


def test_cast_zero_grad_and_hybridize_flag():
    net = nn.HybridSequential()
    net.add(nn.Dense(2, in_units=3), nn.BatchNorm(in_channels=2))
    net.initialize()
    rng = np.random.RandomState(1)
    with autograd.record():
        y = net(nd.array(rng.uniform(size=(4, 3))))
    y.backward(nd.array(rng.uniform(size=(4, 2))))   # a sum's gradient through BN is 0
    assert np.abs(net[0].weight.grad().asnumpy()).sum() > 0
    net.zero_grad()
    assert np.abs(net[0].weight.grad().asnumpy()).sum() == 0
    net.cast('float16')
    assert net[0].weight.data().dtype == np.float16
    assert net[1].gamma.data().dtype == np.float32     # MXNet keeps BatchNorm in float32
    net.hybridize()
    assert net._active and net[0]._active
    net.hybridize(False)
    assert not net[1]._active


def test_sequential_hybridize_warns():
    net = nn.Sequential()
    net.add(nn.Dense(2))
    with pytest.warns(UserWarning, match='Consider using HybridSequential'):
        net.hybridize()


def test_summary_matches_mxnet(capsys):
    snet = cases.summary_net()
    snet.initialize()
    snet.summary(nd.ones((2, 3)))
    assert capsys.readouterr().out == str(IO['summary'])


def test_lambda_blocks():
    x = nd.array([[-1.0, 2.0]])
    assert nn.Lambda('relu')(x).asnumpy().tolist() == [[0.0, 2.0]]
    assert nn.Lambda(lambda a: a * 2)(x).asnumpy().tolist() == [[-2.0, 4.0]]
    assert nn.HybridLambda(lambda F, a: F.relu(a))(x).asnumpy().tolist() == [[0.0, 2.0]]
    assert nn.Identity()(x) is x
    with pytest.raises(ValueError, match='Unrecognized function in lambda'):
        nn.Lambda(3)


def test_multi_context_forward_uses_input_context():
    net = nn.Dense(2, in_units=3)
    net.initialize(ctx=[mx.cpu(0), mx.cpu(1)])
    x1 = nd.ones((1, 3), ctx=mx.cpu(1))
    with autograd.record():
        y = net(x1)
    y.backward()
    assert np.abs(net.weight.grad(mx.cpu(1)).asnumpy()).sum() > 0
    assert np.abs(net.weight.grad(mx.cpu(0)).asnumpy()).sum() == 0


def test_deferred_infer_failure_is_value_error():
    class NoInfer(nn.HybridBlock):
        def __init__(self):
            super().__init__()
            self.w = self.params.get('w', shape=(0,), allow_deferred_init=True)

        def hybrid_forward(self, F, x, w):
            return x

    blk = NoInfer()
    blk.initialize()
    with pytest.raises(ValueError, match='Deferred initialization failed because shape '
                                         'cannot be inferred'):
        blk(nd.ones((2,)))


def test_summary_hybridized_refuses():
    net = nn.HybridSequential()
    net.add(nn.Dense(2, in_units=2))
    net.initialize()
    net.hybridize()
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        with pytest.raises(AssertionError, match='must not be hybridized to print summary'):
            with contextlib.redirect_stdout(io.StringIO()):
                net.summary(nd.ones((1, 2)))


def test_hybrid_block_on_symbols_builds_the_graph():
    snet = cases.symbol_net()
    out = snet(mx.sym.var('data'))
    assert isinstance(out, mx.sym.Symbol)
    assert out.list_arguments() == list(NAMES['sym_arguments'])
    assert out.list_auxiliary_states() == list(NAMES['sym_aux'])
    v = gluon.Parameter('v', shape=(2, 3), lr_mult=2.0, init='zeros').var()
    assert v.name == 'v' and v.list_attr()['__shape__'] in ((2, 3), '(2, 3)')
    with pytest.raises(ValueError, match='there must be one NDArray or one Symbol'):
        snet([1, 2])


# ---- export / SymbolBlock -------------------------------------------------------------------
EXPORT = golden('gluon_export')


def test_symbolblock_imports_mxnet_export():
    blk = gluon.SymbolBlock.imports(str(GOLDEN / 'gluon_export-symbol.json'), ['data'],
                                    str(GOLDEN / 'gluon_export-0003.params'))
    assert list(blk.collect_params().keys()) == list(EXPORT['param_names'])
    assert sorted(blk._reg_params) == list(EXPORT['reg_names'])
    y = blk(nd.array(EXPORT['x']))
    np.testing.assert_allclose(y.asnumpy(), EXPORT['y'], rtol=1e-5, atol=1e-6)
    x = nd.array(EXPORT['x'])
    x.attach_grad()
    with autograd.record():
        out = blk(x)
    # a uniform head gradient gives exactly zero through training-mode BatchNorm
    out.backward(nd.array(np.random.RandomState(0).uniform(size=out.shape)))
    assert np.abs(x.grad.asnumpy()).sum() > 0
    assert np.abs(blk.collect_params()[EXPORT['param_names'][0]].grad().asnumpy()).sum() > 0


def test_export_round_trip(tmp_path):
    net = cases.export_net()
    with pytest.raises(RuntimeError, match='first call block.hybridize'):
        net.export(str(tmp_path / 'n'))
    net.initialize()
    net.collect_params().load(str(GOLDEN / 'gluon_export-0003.params'))
    net.hybridize()
    x = nd.array(EXPORT['x'])
    np.testing.assert_allclose(net(x).asnumpy(), EXPORT['y'], rtol=1e-5, atol=1e-6)
    net.export(str(tmp_path / 'n'), epoch=7)
    assert sorted(nd.load(str(tmp_path / 'n-0007.params'))) == \
        sorted(EXPORT['params_file_keys'])
    blk = gluon.SymbolBlock.imports(str(tmp_path / 'n-symbol.json'), 'data',
                                    str(tmp_path / 'n-0007.params'))
    np.testing.assert_allclose(blk(x).asnumpy(), EXPORT['y'], rtol=1e-5, atol=1e-6)


def test_symbolblock_deferred_shapes():
    data = mx.sym.var('data')
    out = mx.sym.FullyConnected(data, num_hidden=3, name='fc')
    blk = gluon.SymbolBlock(out, data)
    blk.initialize()
    assert blk(nd.ones((2, 5))).shape == (2, 3)
    assert blk.params['fc_weight'].shape == (3, 5)


def test_custom_block_with_own_parameters():
    """d2l's MyDense: Parameters from self.params.get; the global init fills bias too."""
    dense, pd = cases.custom_blocks()
    assert [dense.name, repr(dense.params), repr(pd)] == list(NAMES['custom'])
    dense.initialize(init.Constant(0.5))
    np.testing.assert_allclose(dense(nd.ones((2, 5)) * 0.1).asnumpy(), NAMES['custom_y'])
