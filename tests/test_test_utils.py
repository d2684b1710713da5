"""mx.test_utils against MXNet 1.9.1 (tools/golden_test_utils.py and
tests/golden/test_utils_cases.py)."""
import contextlib
import gzip
import io
import os
import shutil
import sys

import numpy as np
import pytest

import regluon as mx
from regluon import test_utils as tu
from conftest import golden

sys.path.insert(0, os.path.join(os.path.dirname(__file__), 'golden'))
import test_utils_cases as cases  # noqa: E402

G = golden('test_utils')


def make(spec):
    vals, dtype, as_nd = spec
    if dtype is None:
        return vals
    a = np.array(vals, dtype=dtype)
    return mx.nd.array(a, dtype=dtype) if as_nd else a


@pytest.mark.parametrize('i', range(len(cases.ASSERT_ALMOST_EQUAL)))
def test_assert_almost_equal_as_mxnet(i):
    a, b, kw = cases.ASSERT_ALMOST_EQUAL[i]
    printed = io.StringIO()
    with contextlib.redirect_stdout(printed):
        if str(G[f'aae{i}']) == 'ok':
            tu.assert_almost_equal(make(a), make(b), **kw)
        else:
            with pytest.raises(AssertionError) as info:
                tu.assert_almost_equal(make(a), make(b), **kw)
            assert str(info.value).split(' ACTUAL:')[0] == str(G[f'aae{i}'])
    assert printed.getvalue() == str(G[f'aae{i}/stdout'])


@pytest.mark.parametrize('i', range(len(cases.ALMOST_EQUAL)))
def test_almost_equal_and_same_as_mxnet(i):
    a, b, kw = cases.ALMOST_EQUAL[i]
    assert tu.almost_equal(make(a), make(b), **kw) == bool(G[f'ae{i}'])
    assert tu.same(make(a), make(b)) == bool(G[f'same{i}'])


@pytest.mark.parametrize('d1', cases.TOL_DTYPES)
def test_default_tolerances_as_mxnet(d1):
    for d2 in cases.TOL_DTYPES:
        got = tu.get_tols(np.zeros(1, d1), mx.nd.zeros(1, dtype=d2), None, None)
        np.testing.assert_array_equal(got, G[f'tols/{d1}/{d2}'])


def test_random_shapes_and_arrays_repeat_mxnet_draws():
    np.random.seed(cases.SHAPE_SEED)
    assert tu.rand_shape_nd(4) == tuple(G['shape_nd'])
    assert tu.rand_shape_nd(6, dim=3, allow_zero_size=True) == tuple(G['shape_nd0'])
    assert tu.rand_shape_2d() == tuple(G['shape_2d'])
    assert tu.rand_shape_3d(4, 5, 6) == tuple(G['shape_3d'])
    a = tu.rand_ndarray((3, 4))
    assert isinstance(a, mx.nd.NDArray) and a.dtype == np.float32
    np.testing.assert_array_equal(a.asnumpy(), G['rand_ndarray'])
    b = tu.rand_ndarray((2,), dtype='float64')
    assert b.dtype == np.float64
    np.testing.assert_array_equal(b.asnumpy(), G['rand_ndarray64'])
    np.testing.assert_array_equal(np.stack(tu.random_arrays((2, 2), (2, 2))),
                                  G['random_arrays'])
    with pytest.raises(ValueError, match="storage type 'csr' is not supported"):
        tu.rand_ndarray((2, 2), stype='csr')


def test_contexts():
    assert tu.default_context() == mx.cpu(0)
    try:
        tu.set_default_context(mx.cpu(2))
        assert tu.default_context() == mx.cpu(2)
        assert mx.nd.zeros(1).context == mx.cpu(2)     # as MXNet: the current context
    finally:
        tu.set_default_context(mx.cpu(0))
    assert mx.current_context() == mx.cpu(0)


def test_assert_exception():
    tu.assert_exception(int, ValueError, 'x')
    with pytest.raises(AssertionError, match='int did not raise ValueError'):
        tu.assert_exception(int, ValueError, '3')
    with pytest.raises(TypeError):                       # another type is not swallowed
        tu.assert_exception(int, ValueError, None)


def test_retry_and_same_array():
    calls = []

    def flaky():
        calls.append(1)
        assert len(calls) == 3
    tu.retry(3)(flaky)()
    assert len(calls) == 3
    calls.clear()
    with pytest.raises(AssertionError):
        tu.retry(2)(flaky)()
    assert len(calls) == 2
    x = mx.nd.ones((2, 2))
    assert tu.same_array(x, x)
    assert not tu.same_array(x, x.copy())


def test_assert_almost_equal_with_err():
    a = np.zeros(10, np.float32)
    b = a.copy()
    b[0] = 1
    tu.assert_almost_equal_with_err(a, b, etol=0.2)
    with contextlib.redirect_stdout(io.StringIO()):
        with pytest.raises(AssertionError, match='mismatch 10.000000%'):
            tu.assert_almost_equal_with_err(a, b, etol=0.05)
        with pytest.raises(AssertionError):
            tu.assert_almost_equal_ignore_nan(a, b)
    b[0] = np.nan
    tu.assert_almost_equal_ignore_nan(a, b)


# ---- check_numeric_gradient ------------------------------------------------------------
def _bad_square(x):
    return x * x.detach()          # autograd sees x * const: half the true gradient


GRADS = [  # function, location, kwargs, passes?
    (lambda x: mx.nd.sin(x) * 2, [np.array([[0.1, 0.5], [1.0, -0.3]])], {}, True),
    (lambda a, b: mx.nd.dot(a, b), [np.random.RandomState(0).rand(2, 3),
                                    np.random.RandomState(1).rand(3, 2)], {}, True),
    (lambda a, b: a * b + a, {'a': np.array([1.0, 2.0]), 'b': np.array([3.0, -1.0])},
     {'dtype': np.float64}, True),
    (lambda a, b: a * b, [np.array([1.0, 2.0]), np.array([3.0, -1.0])],
     {'grad_nodes': [1]}, True),
    (lambda a, b: a * b, {'a': np.array([1.0, 2.0]), 'b': np.array([3.0, -1.0])},
     {'grad_nodes': {'a': 'add', 'b': 'null'}}, True),
    (_bad_square, [np.array([1.0, 2.0, 3.0])], {}, False),
]


@pytest.mark.parametrize('fn, location, kw, ok', GRADS)
def test_check_numeric_gradient_on_functions(fn, location, kw, ok):
    np.random.seed(0)
    if ok:
        tu.check_numeric_gradient(fn, location, **kw)
    else:
        with contextlib.redirect_stdout(io.StringIO()):
            with pytest.raises(AssertionError, match='NUMERICAL_x=.*BACKWARD_x='):
                tu.check_numeric_gradient(fn, location, **kw)


def test_check_numeric_gradient_errors():
    with pytest.raises(ValueError, match='keys of the given location do not match'):
        tu.check_numeric_gradient(mx.sym.Variable('a') * 2, {'b': np.ones(2)})
    with pytest.raises(TypeError, match='expected a Symbol or a function'):
        tu.check_numeric_gradient(3, [np.ones(2)])


def test_check_numeric_gradient_on_a_symbol():
    x = mx.sym.Variable('x')
    y = mx.sym.Variable('y')
    np.random.seed(1)
    tu.check_numeric_gradient(mx.sym.tanh(x) * y, [np.array([0.3, -0.2]), np.array([1.5, 2.0])])
    tu.check_numeric_gradient(x * y, {'x': np.array([0.3]), 'y': np.array([2.0])},
                              grad_nodes=['x'])


# ---- get_mnist / get_mnist_ubyte / download: local files, as MXNet 1.9.1 reads them ----------
BUNDLED = os.path.join(os.path.dirname(tu.__file__), 'data', 'mnist')
SHARED_MNIST = '/work/shared/data/mnist'      # the full MNIST test set, where present
GN = golden('ndarray')                          # mnist/... from tools/golden_ndarray.py


def mnist_folder(dst, t10k=None):
    """`dst` filled with the bundled subset under MXNet's names (t10k-* from `t10k`)."""
    for theirs, ours in (('train', 'train'), ('t10k', 'test')):
        for kind in ('images-idx3', 'labels-idx1'):
            name = f'{theirs}-{kind}-ubyte.gz'
            src = os.path.join(t10k, name) if t10k and theirs == 't10k' else \
                os.path.join(BUNDLED, f'{ours}-{kind}-ubyte.gz')
            shutil.copy(src, os.path.join(dst, name))


@pytest.fixture
def offline(monkeypatch, tmp_path):
    """No network and an empty $MXNET_HOME."""
    import regluon.gluon.utils as gu

    def fail(*a, **k):
        raise OSError('network is unreachable')
    monkeypatch.setattr(gu, '_fetch', fail)
    monkeypatch.setenv('MXNET_HOME', str(tmp_path / 'home'))


def test_get_mnist_reads_local_files_as_mxnet(tmp_path, monkeypatch, offline):
    mnist_folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    d = tu.get_mnist()
    assert sorted(d) == ['test_data', 'test_label', 'train_data', 'train_label']
    for k, a in d.items():
        assert a.dtype.name == str(GN[f'mnist/{k}/dtype'])
        assert list(a.shape) == GN[f'mnist/{k}/shape'].tolist()
        np.testing.assert_allclose(a.astype(np.float64).sum(), GN[f'mnist/{k}/sum'], rtol=1e-9)
        head = a.reshape(len(a), -1)[:3, 150:160] if a.ndim > 1 else a[:20]
        np.testing.assert_array_equal(head, GN[f'mnist/{k}/head'])


@pytest.mark.skipif(not os.path.isdir(SHARED_MNIST), reason='no MNIST test set on this machine')
def test_get_mnist_reads_the_full_test_set(tmp_path, monkeypatch, offline):
    mnist_folder(tmp_path, t10k=SHARED_MNIST)
    monkeypatch.chdir(tmp_path)
    d = tu.get_mnist()
    assert d['test_data'].shape == (10000, 1, 28, 28) and d['test_label'].shape == (10000,)
    # MNIST's t10k labels begin so; pixel values are k/255
    assert d['test_label'][:10].tolist() == [7, 2, 1, 0, 4, 1, 4, 9, 5, 9]
    assert d['test_data'].max() == 1.0 and np.allclose((d['test_data'] * 255) % 1, 0, atol=1e-4)


def test_get_mnist_finds_mxnet_home_datasets(tmp_path, monkeypatch, offline):
    home = tmp_path / 'home' / 'datasets' / 'mnist'
    home.mkdir(parents=True)
    mnist_folder(home)
    (tmp_path / 'work').mkdir()
    monkeypatch.chdir(tmp_path / 'work')
    assert tu.get_mnist()['train_label'].shape == (8000,)


def test_get_mnist_offline_error_says_what_to_do(tmp_path, monkeypatch, offline):
    monkeypatch.chdir(tmp_path)
    with pytest.raises(mx.MXNetError, match='Offline, put the four MNIST files') as info:
        tu.get_mnist()
    assert 'train-images-idx3-ubyte.gz' in str(info.value)
    assert 'network is unreachable' in str(info.value)
    with pytest.raises(mx.MXNetError, match='get_mnist_ubyte: data/train-images-idx3-ubyte'):
        tu.get_mnist_ubyte()


def test_get_mnist_ubyte_and_iterator_from_local_files(tmp_path, monkeypatch, offline):
    mnist_folder(tmp_path)
    monkeypatch.chdir(tmp_path)
    tu.get_mnist_ubyte()
    for name in ('train-images-idx3-ubyte', 't10k-labels-idx1-ubyte'):
        with gzip.open(name + '.gz', 'rb') as f:
            assert (tmp_path / 'data' / name).read_bytes() == f.read()
    train, val = tu.get_mnist_iterator(100, (784,))
    labels = []
    for batch in val:                           # MXNet's MNISTIter shuffles by default
        assert batch.data[0].shape == (100, 784) and batch.label[0].shape == (100,)
        labels.append(batch.label[0].asnumpy())
    assert np.concatenate(labels).sum() == GN['mnist/test_label/sum']
    assert next(iter(train)).data[0].shape == (100, 784)


def test_download_keeps_an_existing_file(tmp_path, monkeypatch, offline):
    monkeypatch.chdir(tmp_path)
    (tmp_path / 'sub').mkdir()
    (tmp_path / 'sub' / 'f.bin').write_bytes(b'x')
    assert tu.download('http://example.invalid/f.bin', dirname='sub') == os.path.join('sub',
                                                                                        'f.bin')
    with pytest.raises(mx.MXNetError, match='failed to fetch'):
        tu.download('http://example.invalid/g.bin')
    with pytest.raises(AssertionError, match='at least 0'):
        tu.download('http://example.invalid/f.bin', retries=-1)
