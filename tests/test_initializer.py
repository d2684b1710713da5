"""mx.init against MXNet 1.9.1: fixed initializers exactly, random ones by statistics + seed."""
import warnings

import numpy as np
import pytest

import regluon as mx
from regluon import init, nd
from regluon.gluon import nn

from conftest import golden

G = golden('gluon_init')


@pytest.mark.parametrize('name, ini, shape', [
    ('constant', init.Constant(0.5), (2, 3)),
    ('zero', init.Zero(), (3,)),
    ('one', init.One(), (2, 2)),
    ('bilinear', init.Bilinear(), (1, 1, 4, 4)),
    ('bilinear3', init.Bilinear(), (2, 1, 3, 5)),
    ('lstmbias', init.LSTMBias(2.0), (8,)),
])
def test_fixed_initializers_match_mxnet(name, ini, shape):
    arr = nd.zeros(shape)
    ini(init.InitDesc('x_weight'), arr)
    np.testing.assert_allclose(arr.asnumpy(), G[f'det/{name}'], rtol=1e-6)


@pytest.mark.parametrize('suffix', ['bias', 'gamma', 'beta', 'min', 'max'])
def test_suffix_dispatch_matches_mxnet(suffix):
    arr = nd.ones((3,)) * 7
    init.Uniform()(init.InitDesc('fc_' + suffix), arr)
    np.testing.assert_array_equal(arr.asnumpy(), G[f'suffix/{suffix}'])


@pytest.mark.parametrize('suffix', ['running_mean', 'moving_mean', 'moving_var', 'foo'])
def test_unknown_suffix_raises_as_mxnet(suffix):
    with pytest.raises(ValueError) as e:
        init.Uniform()(init.InitDesc('bn_' + suffix), nd.ones((3,)))
    assert 'ValueError: ' + str(e.value) == str(G[f'suffix_err/{suffix}'])


def test_legacy_string_desc_handles_moving_stats():
    arr = nd.zeros((3,))
    with pytest.warns(DeprecationWarning, match='init\\(str, NDArray\\) has been deprecated'):
        init.Uniform()('bn_moving_var', arr)
    assert arr.asnumpy().tolist() == [1, 1, 1]


def test_dumps_and_create_match_mxnet():
    assert [init.Normal(0.5).dumps(), init.Xavier().dumps(), init.MSRAPrelu().dumps(),
            init.Uniform().dumps()] == list(G['dumps'])
    made = init.create('["normal", {"sigma": 0.5}]')
    assert isinstance(made, init.Normal) and made.sigma == 0.5
    for name, cls in [('xavier', init.Xavier), ('zeros', init.Zero), ('ones', init.One),
                      ('normal', init.Normal), ('uniform', init.Uniform), ('Zero', init.Zero)]:
        assert type(init.create(name)) is cls
    x = init.Xavier()
    assert init.create(x) is x
    with pytest.raises(AssertionError, match='nope is not registered'):
        init.create('nope')


def test_gluon_defaults_match_mxnet():
    """net.initialize(): Uniform(0.07) weights, zero bias/beta/mean, one gamma/var, PReLU 0.25."""
    net = nn.HybridSequential()
    net.add(nn.Dense(4, in_units=3), nn.BatchNorm(in_channels=4), nn.PReLU())
    net.initialize()
    for (k, p), (gk, gv) in zip(net.collect_params().items(),
                                ((k, v) for k, v in G.items() if k.startswith('gluon_default/'))):
        got = p.data().asnumpy()
        assert got.shape == gv.shape
        if k.endswith('weight'):                # random: same law (|w| <= 0.07), not values
            assert np.abs(got).max() <= 0.07 and np.abs(got).max() > 0.01
        else:
            np.testing.assert_array_equal(got, gv)


@pytest.mark.parametrize('ini, check', [
    (init.Uniform(0.3), lambda a: abs(a).max() <= 0.3 and abs(a.std() - 0.3 / 3 ** .5) < 0.01),
    (init.Normal(0.5), lambda a: abs(a.std() - 0.5) < 0.02 and abs(a.mean()) < 0.02),
    # Xavier on (64, 32, 3, 3): fans scale by the 9 kernel positions -> U(+-sqrt(3/(48*9)))
    (init.Xavier(), lambda a: abs(a).max() <= (3 / (48 * 9)) ** .5
     and abs(a).max() > 0.95 * (3 / (48 * 9)) ** .5),
    (init.Xavier('gaussian', 'in', 2), lambda a: abs(a.std() - (2 / (32 * 9)) ** .5) < 0.003),
    (init.Xavier('uniform', 'out', 3), lambda a: abs(a).max() <= (3 / (64 * 9)) ** .5),
    (init.MSRAPrelu(), lambda a: abs(a.std() - (2 / 1.0625 / (48 * 9)) ** .5) < 0.003),
    (init.Orthogonal(), lambda a: np.allclose(
        a.reshape(64, -1) @ a.reshape(64, -1).T, 1.414 ** 2 * np.eye(64), atol=1e-4)),
])
def test_random_initializers_statistics(ini, check):
    arr = nd.zeros((64, 32, 3, 3))
    ini(init.InitDesc('conv_weight'), arr)
    assert check(arr.asnumpy())


@pytest.mark.parametrize('ini', [init.Uniform(), init.Normal(), init.Xavier(),
                                 init.MSRAPrelu(), init.Orthogonal()])
def test_seed_repeats_exactly(ini):
    def draw():
        mx.random.seed(42)
        a = nd.zeros((6, 5))
        ini(init.InitDesc('w_weight'), a)
        return a.asnumpy()
    first = draw()
    np.testing.assert_array_equal(first, draw())
    assert np.abs(first).sum() > 0


def test_xavier_rejects_vectors_as_mxnet():
    with pytest.raises(ValueError) as e:
        init.Xavier()(init.InitDesc('v_weight'), nd.zeros((3,)))
    assert str(e.value) == str(G['xavier_vector'])
    with pytest.raises(ValueError, match='Incorrect factor type'):
        init.Xavier(factor_type='bad')(init.InitDesc('w_weight'), nd.zeros((2, 2)))


# ---- the seed's examples ---------------------------------------------------------------------
def _seed_net():
    net = nn.Sequential()
    net.add(nn.Dense(256, activation='relu'))
    net.add(nn.Dense(10))
    net.initialize()
    net(nd.ones((2, 20)))
    return net


def test_seed_normal_and_constant_reinit():
    net = _seed_net()
    mx.random.seed(0)
    net.initialize(init=init.Normal(sigma=0.01), force_reinit=True)
    w = net[0].weight.data().asnumpy()
    assert abs(w.std() - 0.01) < 0.001
    assert net[0].bias.data().asnumpy().sum() == 0      # bias keeps its 'zeros' init
    net.initialize(init=init.Constant(1), force_reinit=True)
    assert (net[0].weight.data().asnumpy() == 1).all()
    assert (net[0].bias.data().asnumpy() == 0).all()


def test_seed_per_parameter_xavier_and_set_data():
    net = _seed_net()
    net[0].weight.initialize(init=init.Xavier(), force_reinit=True)
    w = net[0].weight.data().asnumpy()
    bound = (6 / (20 + 256)) ** .5
    assert np.abs(w).max() <= bound and np.abs(w).max() > 0.9 * bound
    net[0].weight.set_data(net[0].weight.data() + 1)
    np.testing.assert_allclose(net[0].weight.data().asnumpy(), w + 1)


def test_seed_myinit_subclass():
    class MyInit(init.Initializer):
        def _init_weight(self, name, data):
            print('Init', name, data.shape)
            data[:] = nd.random.uniform(low=-10, high=10, shape=data.shape)
            data *= data.abs() >= 5

    net = _seed_net()
    net.initialize(MyInit(), force_reinit=True)
    w = net[0].weight.data().asnumpy()
    assert ((w == 0) | (np.abs(w) >= 5)).all() and np.abs(w).max() > 5
    assert (net[0].bias.data().asnumpy() == 0).all()


def test_register_custom_initializer_by_name():
    @init.register
    class HalfInit(init.Initializer):
        def _init_weight(self, _, arr):
            arr[:] = 0.5

    layer = nn.Dense(2, in_units=2, weight_initializer='halfinit')
    layer.initialize()
    assert (layer.weight.data().asnumpy() == 0.5).all()
    with pytest.warns(UserWarning, match='is overriding existing initializer'):
        init.register(HalfInit)


def test_mixed_and_load():
    mixed = init.Mixed(['.*bias', '.*'], [init.Constant(3), init.One()])
    b, w = nd.ones((2,)), nd.zeros((2, 2))
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)
        mixed('fc_bias', b)
        mixed('fc_weight', w)
    # MXNet quirk: Mixed calls init(name, arr), whose suffix rules send a bias to
    # _init_bias (zeros) even for Constant(3); checked against MXNet 1.9.1
    assert b.asnumpy().tolist() == [0, 0] and (w.asnumpy() == 1).all()
    with pytest.raises(ValueError, match='did not match any pattern'):
        init.Mixed(['a'], [init.One()])('b', w)
    load = init.Load({'arg:fc_weight': nd.ones((2, 2)) * 4}, default_init=init.Zero())
    with warnings.catch_warnings():
        warnings.simplefilter('ignore', DeprecationWarning)
        load('fc_weight', w)
        assert (w.asnumpy() == 4).all()
        load('other_weight', w)
    assert (w.asnumpy() == 0).all()
    with pytest.raises(AssertionError, match='Shape mismatch, target'):
        load('fc_weight', nd.zeros((3,)))


@pytest.mark.parametrize('dtype', ['float16', 'float64', 'bfloat16'])
@pytest.mark.parametrize('ini', [init.Xavier(), init.Normal(), init.Uniform(), init.One()])
def test_initializers_fill_any_float_dtype(dtype, ini):
    layer = nn.Dense(3, in_units=4, dtype=dtype)
    layer.initialize(ini)
    w = layer.weight.data().astype('float32').asnumpy()
    assert layer.weight.data().dtype == (np.dtype(dtype).type if dtype != 'bfloat16'
                                         else 'bfloat16')
    assert np.abs(w).sum() > 0 and np.abs(w).max() <= 1
