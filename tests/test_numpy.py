"""mx.np / mx.npx against MXNet 1.9.1 (goldens from tools/golden_numpy.py).

The cases are in tests/golden/numpy_cases.py, which the golden writer ran in MXNet: values,
dtypes, shapes and kinds of results (0-d arrays, promotion, indexing, reductions, npx
operators), error types, and the d2l.ai chapter 2-3 code on fixed data (autograd, Gluon in
np mode, DataLoader batches, Trainer).
"""
import json
import os
import subprocess
import sys

import numpy as onp
import pytest

import regluon as mx
from regluon import np, npx, autograd, gluon
from regluon.base import MXNetError
from conftest import GOLDEN, golden

G = golden('numpy')
META = json.loads(str(G['meta']))
ERR = json.loads(str(G['errors']))

sys.path.insert(0, str(GOLDEN))
import numpy_cases as cases  # noqa: E402  (the cases the golden writer ran in MXNet)

cases.use(mx)
npx.reset_np()          # np mode is switched on per test (it is process-wide)


@pytest.fixture(autouse=True)
def np_mode():
    npx.set_np()
    yield
    npx.reset_np()


def test_every_golden_case_has_a_twin():
    keys = {k for name, fn in cases.VALUES.items() for k, _ in cases.flatten(name, fn())}
    assert keys == set(META)
    assert set(ERR) == set(cases.ERRORS)
    assert {k.split('/')[1] for k in G if k.startswith('s/')} == set(cases.SCENARIOS)


@pytest.mark.parametrize('name', sorted(cases.VALUES))
def test_value(name):
    """Kind (np.ndarray / float / int / ...), dtype, shape and value as in MXNet 1.9.1."""
    for key, v in cases.flatten(name, cases.VALUES[name]()):
        meta, value = cases.describe(v)
        want = META[key]
        assert meta == want, key
        if want['kind'] == 'np.ndarray':
            assert value.dtype == G[f'v/{key}'].dtype, key
            onp.testing.assert_allclose(value, G[f'v/{key}'], rtol=1e-5, atol=1e-6,
                                        err_msg=key)
        elif want['kind'] != 'str':
            assert value.tolist() == G[f'v/{key}'].tolist(), key


@pytest.mark.parametrize('name', sorted(cases.ERRORS))
def test_error_type(name):
    want = ERR[name]['type']
    with pytest.raises(Exception) as info:
        cases.ERRORS[name]()
    assert type(info.value).__name__ == want, (name, info.value)


@pytest.mark.parametrize('name', sorted(cases.SCENARIOS))
def test_scenario(name):
    got = cases.SCENARIOS[name]()
    want = {k.split('/', 2)[2]: G[k] for k in G if k.startswith(f's/{name}/')}
    assert set(got) == set(want)
    for k, v in got.items():
        v, w = onp.asarray(v), want[k]
        if w.dtype.kind in 'US':
            assert v.tolist() == w.tolist(), k
        else:
            onp.testing.assert_allclose(v.astype(w.dtype), w, rtol=1e-4, atol=1e-5,
                                        err_msg=f'{name}/{k}')


# ---- regluon-side checks: messages, mode switches, conversions ---------------------------
def test_error_messages_name_the_op():
    with pytest.raises(MXNetError, match='reshape: cannot reshape array of size 12'):
        np.arange(12).reshape(5, 5)
    with pytest.raises(MXNetError, match=r'dot: shapes \(2, 3\) and \(2, 3\) are not aligned'):
        np.dot(np.ones((2, 3)), np.ones((2, 3)))
    with pytest.raises(MXNetError, match='sum: reduction axis 5'):
        np.ones((2, 3)).sum(axis=5)
    with pytest.raises(MXNetError, match='add'):
        np.ones((3, 2)) + np.ones((4,))
    with pytest.raises(TypeError, match='add: type dict not supported'):
        np.ones(2) + {}


def test_int8_uint8_refused():
    # MXNet 1.9.1 computes garbage and crashes at exit on this pair; regluon refuses it
    with pytest.raises(MXNetError, match='uint8 and int8'):
        np.array([1], dtype='int8') + np.array([1], dtype='uint8')


def test_conversions_share_memory():
    x = np.arange(4)
    nd_view = x.as_nd_ndarray()
    assert type(nd_view) is mx.nd.NDArray
    nd_view[0] = 7
    assert float(x[0]) == 7
    back = nd_view.as_np_ndarray()
    back[1] = 9
    assert x.asnumpy().tolist() == [7, 9, 2, 3]
    assert x.as_np_ndarray() is x and nd_view.as_nd_ndarray() is nd_view


def test_mode_switch():
    assert npx.is_np_array()
    npx.reset_np()
    assert not npx.is_np_array()
    net = gluon.nn.Dense(2, in_units=3)
    net.initialize()
    assert type(net(mx.nd.ones((1, 3)))) is mx.nd.NDArray     # legacy mode unchanged
    assert type(net.weight.data()) is mx.nd.NDArray

    @npx.use_np
    def f(x):
        return npx.is_np_array(), net(x)
    flag, out = f(np.ones((1, 3)))
    assert flag and type(out) is np.ndarray and not npx.is_np_array()
    with pytest.raises(MXNetError, match='dtype=True'):
        npx.set_np(dtype=True)


def test_nd_operators_accept_np_arrays():
    x = np.arange(6).reshape(2, 3)
    r = mx.nd.relu(x - 2)
    assert type(r) is mx.nd.NDArray and r.asnumpy().tolist() == [[0, 0, 0], [1, 2, 3]]
    assert mx.nd.reshape(x, (0, -1)).shape == (2, 3)          # nd codes on nd operators
    assert F_np_namespace() == (np, npx)


def F_np_namespace():  # pylint: disable=invalid-name
    return mx.nd.np, mx.nd.npx


def test_autograd_grad_is_np_and_recorded_setitem():
    x = np.arange(3.)
    x.attach_grad()
    with autograd.record():
        y = np.zeros(3)
        y[1:] = x[:2] * 2          # a recorded value written into y
        z = (y * x).sum()
    z.backward()
    assert type(x.grad) is np.ndarray
    assert x.grad.asnumpy().tolist() == [2., 4., 2.]   # d/dx of 2*x0*x1 + 2*x1*x2


def test_autograd_grad_of_np_variables_is_np():
    x = np.array([1., 2.])
    x.attach_grad()
    with autograd.record():
        y = (x ** 3).sum()
    g, = autograd.grad(y, [x])
    assert type(g) is np.ndarray and g.asnumpy().tolist() == [3., 12.]


def test_hybridized_user_block_is_traced_once_and_matches():
    calls = []

    class Half(gluon.nn.HybridBlock):
        def hybrid_forward(self, F, x):
            calls.append(type(x).__name__)
            return F.np.tanh(x) * 0.5

    blk = gluon.nn.HybridSequential()
    blk.add(gluon.nn.Dense(2, in_units=2), Half())
    blk.initialize(mx.init.One())
    x = np.array([[1., 2.]])
    eager = blk(x).asnumpy()
    blk.hybridize()
    assert onp.allclose(blk(x).asnumpy(), eager)
    assert onp.allclose(blk(x).asnumpy(), eager)
    assert onp.allclose(eager, onp.tanh(3.) * 0.5)
    # one eager call, then one trace on np-mode symbols; the replays run the graph
    assert calls == ['ndarray', '_Symbol']
    assert repr(mx.sym.np.tanh(mx.sym.var('x').as_np_ndarray())).startswith('<_Symbol tanh')


def test_np_function_without_symbol_runs_eagerly_with_a_warning(tmp_path):
    class Uniq(gluon.nn.HybridBlock):
        def hybrid_forward(self, F, x):
            return F.np.unique(x)

    blk = Uniq()
    blk.initialize()
    blk.hybridize()
    x = np.array([3., 1., 3.])
    with pytest.warns(UserWarning, match='mxnet.symbol.numpy.unique has no np-mode symbol'):
        out = blk(x)
    assert out.asnumpy().tolist() == [1., 3.]
    assert blk(x).asnumpy().tolist() == [1., 3.]          # eager from now on, no warning
    with pytest.raises(MXNetError, match='unique has no np-mode symbol'):
        blk.export(str(tmp_path / 'uniq'))


def test_builtin_hybridized_chain_in_np_mode():
    net = gluon.nn.HybridSequential()
    net.add(gluon.nn.Dense(4, activation='relu'), gluon.nn.Dense(2))
    net.initialize(mx.init.Constant(0.1))
    x = np.ones((3, 5))
    eager = net(x).asnumpy()
    net.hybridize()
    out = net(x)
    assert type(out) is np.ndarray and onp.allclose(out.asnumpy(), eager)


def test_random_draws_follow_the_seed():
    mx.random.seed(3)
    a = np.random.normal(0, 1, (4,)).asnumpy()
    np.random.seed(3)
    b = np.random.normal(0, 1, (4,)).asnumpy()
    assert a.tolist() == b.tolist()
    x = np.arange(10)
    np.random.shuffle(x)
    assert sorted(x.asnumpy().tolist()) == list(range(10))
    c = np.random.choice(np.array([5., 6.]), 50)
    assert set(c.asnumpy().tolist()) <= {5., 6.} and c.shape == (50,)
    r = np.random.randint(3, size=(200,))
    assert r.dtype == onp.int64 and set(r.asnumpy().tolist()) == {0, 1, 2}
    u = np.random.uniform(1, 2, (100,))
    assert 1 <= float(u.min()) and float(u.max()) < 2


SCRIPT = os.path.join(os.path.dirname(__file__), 'compat_scripts', 'd2l_numpy.py')
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def test_d2l_chapters_unchanged_under_regluon_run():
    """d2l.ai chapters 2-3 (MXNet tab) as the book writes them, random data and all, under
    `regluon run`; the printed figures are checked against what MXNet 1.9.1 printed."""
    env = dict(os.environ, OMP_NUM_THREADS='1', PYTHONPATH=ROOT)
    r = subprocess.run([sys.executable, '-m', 'regluon', 'run', SCRIPT], capture_output=True,
                       text=True, timeout=300, env=env, cwd=ROOT)
    assert r.returncode == 0, r.stderr[-3000:]
    got = dict(line.split(' ', 1) for line in r.stdout.splitlines() if ' ' in line)
    want = json.loads(str(G['d2l_script']))
    assert set(got) == set(want)
    for k, w in want.items():
        if k.startswith('loss'):            # random data: the same order of magnitude
            assert float(got[k]) < max(5 * float(w), 1e-3), (k, got[k], w)
        elif k.startswith('acc'):
            assert float(got[k]) > float(w) - 0.1, (k, got[k], w)
        elif k.startswith('err'):
            assert abs(float(got[k])) < max(10 * abs(float(w)), 0.02), (k, got[k], w)
        else:
            assert got[k] == w, k


def test_vision_dataset_samples_and_batches_are_np_arrays():
    # MXNet 1.9.1's MNIST in np mode: an np uint8 HWC image and an np int32 label
    ds = gluon.data.vision.MNISTSubset(train=False)
    x, y = ds[0]
    assert (type(x), x.dtype, x.shape) == (np.ndarray, onp.uint8, (28, 28, 1))
    assert (type(y), y.dtype, y.shape) == (np.ndarray, onp.int32, ())
    trans = gluon.data.vision.transforms.Compose([gluon.data.vision.transforms.Resize(32),
                                                  gluon.data.vision.transforms.ToTensor()])
    loader = gluon.data.DataLoader(ds.transform_first(trans), 16, num_workers=1)
    X, Y = next(iter(loader))
    assert (type(X), X.dtype, X.shape) == (np.ndarray, onp.float32, (16, 1, 32, 32))
    assert (type(Y), Y.dtype) == (np.ndarray, onp.int32)
    assert float(X.max()) <= 1.0
    npx.reset_np()
    assert type(ds[0][0]) is mx.nd.NDArray       # legacy mode unchanged


def test_pickle_round_trip_keeps_the_np_class():
    import pickle
    x = np.array([[1, 2], [3, 4]], dtype='int32')
    y = pickle.loads(pickle.dumps(x))
    assert type(y) is np.ndarray and y.dtype == onp.int32
    assert y.asnumpy().tolist() == [[1, 2], [3, 4]]


def test_np_mode_gives_the_legacy_values():
    """A model-zoo ResNet (blocks adding their children's outputs) and a user block inside
    a Sequential compute the same numbers in np mode as in legacy mode."""
    from regluon.gluon.model_zoo import vision

    class Res(gluon.nn.Block):
        def __init__(self):
            super().__init__()
            self.d = gluon.nn.Dense(4)

        def forward(self, x):
            return npx.relu(self.d(x)) + x.reshape(x.shape[0], -1)[:, :4]

    npx.reset_np()
    net = vision.resnet18_v1(classes=10)
    seq = gluon.nn.Sequential()
    seq.add(gluon.nn.Dense(8), Res(), gluon.nn.Dense(2))
    for n in (net, seq):
        n.initialize(mx.init.Xavier())
    x = mx.nd.array(onp.random.RandomState(0).uniform(size=(1, 3, 32, 32)))
    want = net(x).asnumpy()
    npx.set_np()
    got = net(x.as_np_ndarray())
    assert type(got) is np.ndarray
    onp.testing.assert_allclose(got.asnumpy(), want, rtol=1e-5, atol=1e-6)
    out = seq(np.ones((3, 5)))
    assert type(out) is np.ndarray and out.shape == (3, 2)


@pytest.mark.parametrize('draw, mean', [
    (lambda n: np.random.normal(1.5, 2.0, (n,)), 1.5),
    (lambda n: np.random.uniform(-1, 3, (n,)), 1.0),
    (lambda n: np.random.gumbel(1.0, 2.0, (n,)), 1.0 + 2.0 * 0.5772157),
    (lambda n: np.random.logistic(2.0, 1.0, (n,)), 2.0),
    (lambda n: np.random.pareto(3.0, size=(n,)), 0.5),
    (lambda n: np.random.power(2.0, size=(n,)), 2 / 3),
    (lambda n: np.random.weibull(2.0, size=(n,)), 0.8862269),
    (lambda n: np.random.rayleigh(1.0, size=(n,)), 1.2533141),
    (lambda n: np.random.lognormal(0.0, 0.5, size=(n,)), 1.1331485),
    (lambda n: np.random.chisquare(3, size=(n,)), 3.0),
    (lambda n: np.random.exponential(2.0, size=(n,)), 2.0),
    (lambda n: np.random.gamma(2.0, 3.0, size=(n,)), 6.0),
    (lambda n: np.random.beta(2.0, 3.0, size=(n,)), 0.4),
    (lambda n: np.random.randint(0, 10, size=(n,)), 4.5),
    (lambda n: np.random.choice(4, n, p=[0.1, 0.2, 0.3, 0.4]), 2.0),
    (lambda n: np.random.multinomial(n, [0.25, 0.75])[1] / n * 2, 1.5),
])
def test_random_sample_means(draw, mean):
    """Each sampler draws from its distribution: the mean of 40,000 seeded draws is within
    3% of the distribution's (the draws are not MXNet's, which come from its own RNG)."""
    mx.random.seed(7)
    got = float(np.mean(draw(40000).astype('float64')))
    assert abs(got - mean) < 0.03 * abs(mean), (got, mean)



@pytest.mark.parametrize('call', [
    lambda: np.tile(np.ones(2), (-1,)),
    lambda: np.squeeze(np.ones((1, 2)), axis=5),
    lambda: np.linalg.inv(np.ones((2, 3))),
    lambda: np.flip(np.ones(2), 3),
    lambda: np.cumsum(np.ones(2), axis=4),
    lambda: np.random.normal(0, 1, (-2,)),
])
def test_torch_errors_become_mxnet_errors(call):
    with pytest.raises(MXNetError):
        call()


@pytest.mark.parametrize('key', [(slice(3, 1, -1), slice(5, 2, -1)),
                                 (slice(3, 0, -1), 2, slice(7, 1, -1)),
                                 (Ellipsis, slice(None, None, -2)),
                                 (slice(None, None, -1), [0, 2]),
                                 (slice(-1, None, -1), slice(None, None, -3), slice(5, None, -1))])
def test_several_backward_slices_read_and_write_as_numpy(key):
    # MXNet 1.9.1 indexes basic slices as NumPy (its test_numpy_gluon checks random ones,
    # hybridized too); torch has no negative strides, so these go through flat positions
    a = onp.arange(4 * 6 * 8).reshape(4, 6, 8).astype('float32')
    x = np.array(a)
    onp.testing.assert_array_equal(x[key].asnumpy(), a[key])
    x[key] = -1
    a[key] = -1
    onp.testing.assert_array_equal(x.asnumpy(), a)
    x = np.array(onp.arange(4 * 6 * 8).reshape(4, 6, 8).astype('float32'))
    x.attach_grad()
    with autograd.record():
        y = (x[key] * 2).sum()
    y.backward()
    g = onp.zeros_like(a)
    g[key] = 2
    onp.testing.assert_array_equal(x.grad.asnumpy(), g)


def test_npx_nonzero_of_a_0d_array():
    # MXNet 1.9.1: a 0-d array answers as a 1-element one
    npx.set_np()
    try:
        assert npx.nonzero(np.array(3.)).tolist() == [[0]]
        assert npx.nonzero(np.array(0.)).shape == (0, 1)
        assert npx.nonzero(np.array([[0, 2.], [1, 0]])).tolist() == [[0, 1], [1, 0]]
    finally:
        npx.reset_np()
