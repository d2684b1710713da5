"""mx.test_utils against MXNet 1.9.1 (tools/golden_test_utils.py and
tests/golden/test_utils_cases.py)."""
import contextlib
import gzip
import io
import os
import platform
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
    c = tu.rand_ndarray((20, 30), stype='csr', density=0.3)
    assert c.stype == 'csr' and c.shape == (20, 30) and c.dtype == np.float32
    assert 0.15 < c.indices.shape[0] / 600 < 0.45     # about `density` of the values kept


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


# ---- check_symbolic_forward / check_symbolic_backward: MXNet's values pass here ----------
def symbol_case(name):
    build, args, _, _ = cases.SYMBOLS[name]
    sym = build(mx)
    _, out_shapes, _ = sym.infer_shape(**dict(args))
    return (sym,) + cases.symbol_inputs(np, name, out_shapes)


@pytest.mark.parametrize('name', list(cases.SYMBOLS))
def test_check_symbolic_forward_passes_on_mxnet_outputs(name):
    sym, loc, auxv, _ = symbol_case(name)
    n_out = len(sym.list_outputs())
    expected = [G[f'sym/{name}/fwd{i}'] for i in range(n_out)]
    got = tu.check_symbolic_forward(sym, loc, expected, aux_states=auxv or None)
    assert len(got) == n_out and all(isinstance(o, mx.nd.NDArray) for o in got)
    for i, o in enumerate(got):
        assert o.dtype == np.float32
        np.testing.assert_allclose(o.asnumpy(), G[f'sym/{name}/fwd32_{i}'], rtol=1e-5,
                                   atol=1e-6)
    # by name, and from a list location with list aux states
    by_name = dict(zip(sym.list_outputs(), expected))
    arg_names = sym.list_arguments()
    aux_list = [auxv[k] for k in sym.list_auxiliary_states()] or None
    tu.check_symbolic_forward(sym, [loc[k] for k in arg_names], by_name, aux_states=aux_list)
    with contextlib.redirect_stdout(io.StringIO()):
        with pytest.raises(AssertionError, match='EXPECTED_.*FORWARD_'):
            tu.check_symbolic_forward(sym, loc, [e + 1 for e in expected],
                                      aux_states=auxv or None)


@pytest.mark.parametrize('label', [r[0] for r in cases.GRAD_REQS])
@pytest.mark.parametrize('name', list(cases.SYMBOLS))
def test_check_symbolic_backward_returns_what_mxnet_returns(name, label):
    sym, loc, auxv, ograds = symbol_case(name)
    expected = {k: G[f'sym/{name}/grad/{k}'] for k in sym.list_arguments()}
    np.random.seed(cases.BACKWARD_SEED)       # the buffers start as MXNet's random values
    location, aux_states, exp, req, dtype, tols = cases.backward_call(np, name, label, loc,
                                                                      auxv, expected)
    ret = tu.check_symbolic_backward(sym, location, ograds, exp, aux_states=aux_states,
                                     grad_req=req, dtype=dtype, **tols)
    assert sorted(ret) == sorted(sym.list_arguments())
    for k, v in ret.items():
        want = G[f'sym/{name}/bwd/{label}/{k}']
        assert v.dtype == want.dtype
        np.testing.assert_allclose(v.asnumpy(), want, rtol=1e-4, atol=1e-5)


def test_simple_forward_and_float64_forward():
    loc, _, _ = cases.symbol_inputs(np, 'elem', [])
    out = tu.simple_forward(cases.sym_elem(mx), **loc)
    assert isinstance(out, np.ndarray) and out.dtype == np.float32
    np.testing.assert_allclose(out, G['sym/simple_forward'], rtol=1e-6)
    got = tu.check_symbolic_forward(cases.sym_elem(mx), loc, [G['sym/elem/fwd0']],
                                    dtype=np.float64)
    assert got[0].dtype == np.float64
    np.testing.assert_allclose(got[0].asnumpy(), G['sym/elem/fwd64'], rtol=1e-12)
    outs = tu.simple_forward(cases.sym_group(mx), a=loc['a'][:2, :3], b=loc['b'][:2, :3])
    assert isinstance(outs, list) and len(outs) == 2


def test_check_symbolic_backward_of_a_loss_head_and_nan_outputs():
    d, label = np.array(cases.SOFTMAX_DATA), np.array(cases.SOFTMAX_LABEL)
    np.random.seed(cases.BACKWARD_SEED)
    ret = tu.check_symbolic_backward(cases.sym_softmax(mx), [d, label], None,
                                     {'data': G['sym/softmax/grad']})      # out_grads None
    assert list(ret) == ['data']
    np.testing.assert_allclose(ret['data'].asnumpy(), G['sym/softmax/bwd'], rtol=1e-6)
    nan_args = ([np.array([-1.0, 1.0])], [np.array([np.nan, 0.0])])
    got = tu.check_symbolic_forward(cases.sym_log(mx), *nan_args, equal_nan=True)
    np.testing.assert_array_equal(got[0].asnumpy(), G['sym/nan'])
    msg, printed = cases.failure(
        lambda: tu.check_symbolic_forward(cases.sym_log(mx), *nan_args))
    assert msg == str(G['fail/nan']) and printed == str(G['fail/nan/stdout'])


def set_str(msg):
    """A message with its {...} sets sorted (Python's set order varies between runs)."""
    import ast
    import re
    return re.sub(r'\{[^{}]*\}', lambda m: str(sorted(ast.literal_eval(m.group(0)))), msg)


@pytest.mark.parametrize('key', ['fwd', 'fwd_dict', 'bwd', 'bwd_add', 'bwd_null', 'bad_keys',
                                 'bad_aux', 'bad_req'])
def test_check_symbolic_failures_as_mxnet(key):
    mul = cases.sym_mul(mx)
    a, b = np.array(cases.MUL_A), np.array(cases.MUL_B)
    ones = [np.ones((2, 2))]
    calls = {
        'fwd': lambda: tu.check_symbolic_forward(mul, [a, b], [np.array(cases.MUL_WRONG_OUT)]),
        'fwd_dict': lambda: tu.check_symbolic_forward(
            mul, {'a': a, 'b': b}, {'prod_output': np.array(cases.MUL_WRONG_OUT)}),
        'bwd': lambda: tu.check_symbolic_backward(
            mul, [a, b], ones, [b, np.array(cases.MUL_WRONG_GRAD_B)]),
        'bwd_add': lambda: tu.check_symbolic_backward(
            mul, [a, b], ones, [b, np.array(cases.MUL_WRONG_GRAD_B)], grad_req='add'),
        'bwd_null': lambda: tu.check_symbolic_backward(
            mul, [a, b], ones, [b, np.array(cases.MUL_WRONG_GRAD_B)],
            grad_req={'a': 'write', 'b': 'null'}),
        'bad_keys': lambda: tu.check_symbolic_forward(mul, {'a': a, 'c': b}, [a]),
        'bad_aux': lambda: tu.check_symbolic_forward(
            cases.sym_bn(mx), [np.ones((2, 3))] * 3, [a], aux_states={'x': a}),
        'bad_req': lambda: tu.check_symbolic_backward(
            mul, [a, b], ones, [b, a], grad_req={'a': 'write', 'b': 'nope'})}
    np.random.seed(cases.BACKWARD_SEED)
    msg, printed = cases.failure(calls[key])
    if key == 'bad_req':       # MXNet's bind: KeyError: 'nope'; ours says more
        assert str(G[f'fail/{key}']) == "KeyError: 'nope'"
        assert msg.startswith('KeyError: ') and "got 'nope'" in msg
    else:
        assert set_str(msg) == set_str(str(G[f'fail/{key}']))
    assert printed == str(G[f'fail/{key}/stdout'])


# ---- check_consistency --------------------------------------------------------------------
@pytest.mark.parametrize('label', [r[0] for r in cases.CONSISTENCY])
def test_check_consistency_ground_truth_as_mxnet(label):
    _, name, dtypes, kw, seed = next(r for r in cases.CONSISTENCY if r[0] == label)
    np.random.seed(seed)
    gt = tu.check_consistency(cases.SYMBOLS[name][0](mx), cases.ctx_list(mx, label), **kw)
    keys = sorted(k[len(f'cons/{label}/'):] for k in G if k.startswith(f'cons/{label}/'))
    assert sorted(gt) == keys
    for k, v in gt.items():
        want = G[f'cons/{label}/{k}']
        if want.dtype.kind == 'U':            # MXNet: None, no gradient for a 'null' input
            assert str(want) == 'None' and v is None
            continue
        assert v.dtype == want.dtype == np.float64
        # gradients start from float32 head gradients (the first executor's outputs)
        np.testing.assert_allclose(v.asnumpy(), want, rtol=1e-5, atol=1e-6)


def test_check_consistency_reports_a_mismatch_as_mxnet():
    for raise_on_err, (msg, errs) in cases.consistency_failures(mx, np, tu).items():
        assert msg == str(G[f'cons/fail/{raise_on_err}'])
        assert errs == str(G[f'cons/fail/{raise_on_err}/stdout'])


def test_check_consistency_uses_given_params_and_ground_truth():
    sym = cases.sym_elem(mx)
    ctxs = cases.ctx_list(mx, 'elem_add')[:2]
    params = {'a': np.full((3, 4), 0.5), 'b': np.full((3, 4), 2.0)}
    gt = tu.check_consistency(sym, ctxs, arg_params=params, grad_req='null')
    np.testing.assert_allclose(gt['out_output'].asnumpy(),
                               np.tanh(0.5) * 2 + (0.5 - 2) ** 2 / 2, rtol=1e-12)
    wrong = {'out_output': mx.nd.zeros((3, 4), dtype='float64')}
    with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
        with pytest.raises(AssertionError):
            tu.check_consistency(sym, ctxs, arg_params=params, ground_truth=wrong,
                                 grad_req='null')
    with pytest.raises(AssertionError):
        tu.check_consistency(sym, ctxs[:1])           # at least two contexts


# ---- helpers: what MXNet's return -------------------------------------------------------------
def test_array_helpers_as_mxnet():
    np.random.seed(cases.HELPER_SEED)
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    for key, got in [
            ('assign_each', tu.assign_each(x, lambda v: v * v + 1)),
            ('assign_each_none', tu.assign_each(x, None)),
            ('assign_each2', tu.assign_each2(x, x.T.copy().reshape(2, 3), lambda u, v: u - 2 * v)),
            ('create_2d_tensor', tu.create_2d_tensor(3, 4).asnumpy()),
            ('create_vector', tu.create_vector(5, dtype=np.int32).asnumpy()),
            ('identity', tu.get_identity_mat(3).asnumpy()),
            ('identity_batch', tu.get_identity_mat_batch(2).asnumpy()),
            ('rand_coord_2d', np.array(tu.rand_coord_2d(0, 10, 5, 50)))]:
        want = G[f'help/{key}']
        assert got.dtype == want.dtype and got.shape == want.shape, key
        np.testing.assert_array_equal(got, want)
    for i, (shape, axis, keep) in enumerate(cases.NP_REDUCE):
        a = np.random.normal(size=shape)
        np.testing.assert_array_equal(tu.np_reduce(a, axis, keep, np.sum), G[f'help/np_reduce{i}'])
        np.testing.assert_array_equal(tu.np_reduce(a, axis, keep, np.max),
                                      G[f'help/np_reduce_max{i}'])
    for i, (shape, like) in enumerate(cases.COLLAPSE):
        got = tu.collapse_sum_like(np.random.normal(size=shape), like)
        assert got.shape == G[f'help/collapse{i}'].shape
        np.testing.assert_allclose(got, G[f'help/collapse{i}'], rtol=1e-12)
    # matrices: numpy draws in MXNet's order (LAPACK may round differently)
    for key, fn in [('eig2d', lambda: tu.new_matrix_with_real_eigvals_2d(3)),
                    ('eignd', lambda: tu.new_matrix_with_real_eigvals_nd((2, 2, 3, 3))),
                    ('orth', lambda: tu.new_orthonormal_matrix_2d(4)),
                    ('sym2d', lambda: tu.new_sym_matrix_with_real_eigvals_2d(3)),
                    ('symnd', lambda: tu.new_sym_matrix_with_real_eigvals_nd((2, 3, 3)))]:
        got = fn()
        assert got.shape == G[f'help/{key}'].shape
        np.testing.assert_allclose(got, G[f'help/{key}'], rtol=1e-9, atol=1e-12)
    # then mean/var checks of a generator: MXNet's answers after the same draws
    got = [tu.mean_check(lambda n: np.random.normal(0.1, 1, n), m, 1.0, 10000)
           for m in (0, 0.1, 0.2)]
    np.testing.assert_array_equal(got, G['help/mean_check'])
    got = [tu.var_check(lambda n: np.random.normal(0, 1.1, n), s, 10000) for s in (1.0, 1.1, 1.2)]
    np.testing.assert_array_equal(got, G['help/var_check'])
    assert G['help/mean_check'].tolist() == [False, True, False]   # the rows can fail
    with pytest.raises(AssertionError):
        tu.collapse_sum_like(np.ones((2, 3)), (2,))          # 2 does not broadcast to 3


def test_random_generator_checks():
    buckets, probs = tu.gen_buckets_probs_with_ppf(lambda p: 2 * p - 1, 4)
    np.testing.assert_array_equal(np.array(buckets), G['help/buckets'])
    assert probs == [0.25] * 4
    with pytest.raises(AssertionError):
        tu.gen_buckets_probs_with_ppf(lambda p: p, 0)


def test_chi_square_p_values():
    import math
    from regluon.test_utils_stats import _chisquare_p
    # closed forms of the chi-square survival function: 1 dof erfc(sqrt(x/2)), 2 dof
    # exp(-x/2), 4 dof exp(-x/2)(1 + x/2)
    obs, exp = np.array([10, 20]), np.array([15, 15])
    stat = ((obs - exp) ** 2 / exp).sum()
    assert abs(_chisquare_p(obs, exp) - math.erfc(math.sqrt(stat / 2))) < 1e-12
    for dof in (2, 4):        # 2 degrees of freedom: the survival function is exp(-x / 2)
        obs = np.arange(dof + 1) + 10
        exp = np.full(dof + 1, obs.mean())
        stat = ((obs - exp) ** 2 / exp).sum()
        if dof == 2:
            assert abs(_chisquare_p(obs, exp) - np.exp(-stat / 2)) < 1e-12
        else:                 # 4 dof: exp(-x/2) (1 + x/2)
            assert abs(_chisquare_p(obs, exp) - np.exp(-stat / 2) * (1 + stat / 2)) < 1e-12


def normal_ppf(p):
    import torch
    return float(torch.special.ndtri(torch.tensor(p, dtype=torch.float64)))


def test_chi_square_check_and_verify_generator():
    np.random.seed(3)
    buckets, probs = tu.gen_buckets_probs_with_ppf(normal_ppf, 5)
    assert buckets[0][0] == -np.inf and buckets[-1][1] == np.inf
    p, obs, exp = tu.chi_square_check(lambda n: np.random.normal(size=n), buckets, probs, 20000)
    assert obs.sum() == 20000 and obs.dtype == np.int64
    assert exp.dtype == np.int32 and exp.tolist() == [4000] * 5
    stat = ((obs - exp) ** 2 / exp).sum()
    assert abs(p - np.exp(-stat / 2) * (1 + stat / 2)) < 1e-9 and p > 0.01
    p, obs, _ = tu.chi_square_check(lambda n: np.random.uniform(-1, 1, n), buckets, probs, 20000)
    assert p < 1e-6
    # discrete: the buckets are the values
    p, obs, exp = tu.chi_square_check(lambda n: np.random.randint(0, 3, n), [0, 1, 2],
                                      [1 / 3] * 3, 30000)
    assert obs.sum() == 30000 and exp.tolist() == [10000] * 3 and p > 0.01
    ps = tu.verify_generator(lambda n: np.random.normal(size=n), buckets, probs, 5000, nrepeat=3)
    assert len(ps) == 3 and all(0 <= q <= 1 for q in ps)
    with pytest.raises(AssertionError, match=r'Generator test fails, Chi-square p=\[.*\nbuckets='):
        tu.verify_generator(lambda n: np.random.normal(0.3, 1, n), buckets, probs, 5000,
                            nrepeat=2)
    with pytest.raises(AssertionError):
        tu.chi_square_check(lambda n: np.zeros(n), [(1, 0)], [1.0], 10)    # bucket low > high


# ---- sparse arrays --------------------------------------------------------------------------
def test_sparse_makers_as_mxnet():
    np.random.seed(cases.HELPER_SEED)
    rsp, (val, idx) = tu.rand_sparse_ndarray((6, 2), 'row_sparse', density=0.5)
    assert rsp.stype == 'row_sparse' and rsp.dtype == np.float32
    np.testing.assert_array_equal(rsp.asnumpy(), G['sparse/rsp'])
    np.testing.assert_array_equal(val, G['sparse/rsp_val'])
    np.testing.assert_array_equal(idx, G['sparse/rsp_idx'])
    zd = tu.create_sparse_array_zd((5, 3), 'row_sparse', 0.9, rsp_indices=[3, 1])
    np.testing.assert_array_equal(zd.asnumpy(), G['sparse/rsp_zd'])
    assert zd.indices.asnumpy().tolist() == [1, 3]                # sorted, as MXNet
    mod = tu.rand_sparse_ndarray((4, 2), 'row_sparse', density=1.0,
                                 modifier_func=lambda v: v * 10)[0]
    np.testing.assert_allclose(mod.asnumpy(), G['sparse/rsp_mod'], rtol=1e-6)
    pl = tu.rand_ndarray((5, 16), 'csr', density=0.5, distribution='powerlaw')
    assert pl.stype == 'csr'
    np.testing.assert_array_equal(pl.asnumpy(), G['sparse/powerlaw'])
    errors = [
        lambda: tu.rand_sparse_ndarray((2, 2), 'csr', density=0.5, data_init=1),
        lambda: tu.rand_sparse_ndarray((2, 2), 'csr', density=2.0),
        lambda: tu.rand_sparse_ndarray((4, 4), 'csr', density=0.1, distribution='powerlaw'),
        lambda: tu.create_sparse_array((2, 2), 'dense')]
    for fn, want in zip(errors, G['sparse/errors']):
        with pytest.raises((AssertionError, ValueError)) as info:
            fn()
        assert f'{type(info.value).__name__}: {info.value}' == str(want)
    empty, (v, i) = tu.rand_sparse_ndarray((3, 2), 'row_sparse', rsp_indices=np.array([]))
    assert empty.stype == 'row_sparse' and empty.asnumpy().sum() == 0 and v.size == i.size == 0


def test_shuffle_csr_column_indices():
    csr = mx.nd.sparse.csr_matrix(np.arange(1, 25, dtype=np.float32).reshape(3, 8))
    before = csr.indices.asnumpy()
    np.random.seed(0)
    tu.shuffle_csr_column_indices(csr)
    after = csr.indices.asnumpy()
    assert not np.array_equal(before, after)
    for r in range(3):                                    # each row keeps its columns
        assert sorted(after[8 * r:8 * r + 8]) == list(range(8))
    with pytest.raises(AssertionError, match='shuffle_csr_indices option is not supported'):
        tu.rand_sparse_ndarray((3, 3), 'csr', density=0.5, shuffle_csr_indices=True)


def test_check_symbolic_backward_with_row_sparse_gradient():
    w = mx.sym.Variable('w')
    sym = mx.sym.elemwise_mul(w, mx.sym.Variable('x'), name='y')
    x, wv = np.arange(6.0).reshape(3, 2), np.ones((3, 2))
    ret = tu.check_symbolic_backward(sym, {'w': wv, 'x': x}, [np.ones((3, 2))], {'w': x},
                                     grad_stypes={'w': 'row_sparse'})
    np.testing.assert_array_equal(ret['w'].asnumpy(), x)


# ---- environment, stderr, devices, iterators --------------------------------------------
def test_environment_context_manager_and_decorator():
    name = 'REGLUON_TEST_UTILS_VAR'
    os.environ.pop(name, None)
    with tu.environment(name, '1'):
        assert os.environ[name] == '1' and tu.getenv(name) == '1'
        with tu.environment({name: None, name + '2': 'b'}):
            assert tu.getenv(name) is None and os.environ[name + '2'] == 'b'
        assert tu.getenv(name) == '1' and name + '2' not in os.environ
    assert name not in os.environ

    @tu.environment(name, 'deco')
    def read():
        return os.environ.get(name)
    assert read() == 'deco' and name not in os.environ
    with pytest.raises(RuntimeError):
        with tu.environment(name, 'x'):
            raise RuntimeError('body failed')
    assert name not in os.environ
    with pytest.raises(AssertionError, match='Expecting one dict arg or two args'):
        with tu.environment(name):
            pass
    tu.setenv(name, 'v')
    assert os.environ[name] == 'v'
    tu.setenv(name, None)
    assert tu.getenv(name) is None
    with tu.environment('CD_JOB', '1'):
        assert tu.is_cd_run()
    with tu.environment('CD_JOB', None):
        assert not tu.is_cd_run()


def test_discard_stderr(capfd):
    fd = sys.stderr.fileno()     # 2, or pytest's capture file under capfd
    with tu.discard_stderr():
        os.write(fd, b'hidden\n')
        print('also hidden', file=sys.stderr)
    os.write(fd, b'shown\n')
    assert capfd.readouterr().err == 'shown\n'


def test_dummy_iter_repeats_the_first_batch():
    it = mx.io.NDArrayIter(np.arange(12.0).reshape(6, 2), np.arange(6.0), batch_size=2)
    d = tu.DummyIter(it)
    assert isinstance(d, mx.io.DataIter) and d.batch_size == 2
    assert d.provide_data == it.provide_data and d.provide_label == it.provide_label
    batches = [next(d) for _ in range(5)] + [d.next()]
    assert all(b is batches[0] for b in batches) and iter(d) is d
    np.testing.assert_array_equal(batches[0].data[0].asnumpy(), [[0, 1], [2, 3]])


def test_devices_and_build_features_as_mxnet():
    assert tu.list_gpus() == range(mx.context.num_gpus()) and isinstance(tu.list_gpus(), range)
    with pytest.raises(ValueError) as info:
        tu.get_cuda_compute_capability(mx.cpu())
    assert f'ValueError: {info.value}' == str(G['help/cc_error'])
    assert tu.has_tvm_ops() == bool(G['help/has_tvm_ops'])
    assert tu.is_op_runnable() == bool(G['help/is_op_runnable'])
    assert tu.is_aarch64_run() == (platform.machine() == 'aarch64')
    assert tu.effective_dtype(np.zeros(2, np.float32)) == np.float32
    assert tu.effective_dtype(mx.nd.zeros(2, dtype='float16')) == np.float16
    assert tu.effective_dtype(mx.nd.zeros(2)) == np.float32          # a CPU: no TF32


def test_same_symbol_structure_as_mxnet():
    a, b = mx.sym.Variable('a'), mx.sym.Variable('b')
    got = [tu.same_symbol_structure(a * b + 1, b * a + 2), tu.same_symbol_structure(a * b, a + b),
           tu.same_symbol_structure(mx.sym.relu(a), mx.sym.relu(a) * 2)]
    assert got == G['help/same_structure'].tolist()


def test_check_speed_returns_seconds():
    sym = cases.sym_fc(mx)
    t = tu.check_speed(sym, ctx=mx.cpu(), N=2, data=(2, 5))
    assert isinstance(t, float) and t > 0
    loc = {'data': np.ones((2, 5)), 'fc_weight': np.ones((3, 5)), 'fc_bias': np.ones(3)}
    assert tu.check_speed(sym, location=loc, N=2, typ='forward') > 0
    with pytest.raises(ValueError, match='typ can only be "whole" or "forward".'):
        tu.check_speed(sym, location=loc, typ='backward')
    with pytest.raises(AssertionError, match='Expect dict, get "location"='):
        tu.check_speed(sym, location=[np.ones((2, 5))])


def test_check_gluon_hybridize_consistency():
    from regluon.gluon import nn

    def builder(prefix):
        net = nn.HybridSequential(prefix=prefix)
        with net.name_scope():
            net.add(nn.Dense(3, weight_initializer=mx.init.Constant(0.5)), nn.Activation('tanh'))
        return net
    x = mx.np.array(np.arange(8.0).reshape(2, 4) / 10, dtype='float32')
    tu.check_gluon_hybridize_consistency(builder, [x],
                                         numpy_func=lambda v: np.tanh(v @ np.full((4, 3), 0.5)))
    with pytest.raises(AssertionError):
        tu.check_gluon_hybridize_consistency(
            builder, [x], numpy_func=lambda v: np.tanh(v @ np.full((4, 3), 0.4)))

    def random_builder(prefix):        # default init: the first build's values are reused
        net = nn.HybridSequential(prefix=prefix)
        with net.name_scope():
            net.add(nn.Dense(3, in_units=4), nn.Dense(2))
        return net
    tu.check_gluon_hybridize_consistency(random_builder, [x])


def test_compare_optimizer():
    np.random.seed(0)
    mx.random.seed(0)
    tu.compare_optimizer(mx.optimizer.SGD(learning_rate=0.1, momentum=0.9),
                         mx.optimizer.SGD(learning_rate=0.1, momentum=0.9), (3, 4), np.float32)
    tu.compare_optimizer(mx.optimizer.Adam(), mx.optimizer.Adam(), (5,), np.float64)
    with contextlib.redirect_stdout(io.StringIO()):
        with pytest.raises(AssertionError):
            tu.compare_optimizer(mx.optimizer.SGD(learning_rate=0.1),
                                 mx.optimizer.SGD(learning_rate=0.2), (3, 4), np.float32)
        with pytest.raises(AssertionError):              # states differ after the update
            tu.compare_optimizer(mx.optimizer.Adam(beta1=0.9), mx.optimizer.Adam(beta1=0.8),
                                 (3,), np.float32)
    tu.compare_optimizer(mx.optimizer.SGD(learning_rate=0.1), mx.optimizer.SGD(learning_rate=0.1),
                         (4, 2), np.float32, g_stype='row_sparse')
    # multi-tensor: opt2 updates both tensors in one call, opt1 one at a time
    tu.compare_optimizer(mx.optimizer.SGD(learning_rate=0.1, momentum=0.9),
                         mx.optimizer.SGD(learning_rate=0.1, momentum=0.9), [(3, 4), (2,)],
                         np.float32, ntensors=2)
    with contextlib.redirect_stdout(io.StringIO()), pytest.raises(AssertionError):
        tu.compare_optimizer(mx.optimizer.SGD(learning_rate=0.1),
                             mx.optimizer.SGD(learning_rate=0.3), [(3, 4), (2,)], np.float32,
                             ntensors=2)
    tu.compare_ndarray_tuple(None, mx.nd.ones(2))        # None: nothing to compare
    with contextlib.redirect_stdout(io.StringIO()), pytest.raises(AssertionError):
        tu.compare_ndarray_tuple((mx.nd.ones(2), mx.nd.ones(1)), (mx.nd.ones(2), mx.nd.zeros(1)))


# ---- data helpers: offline, from a fake server ------------------------------------------------
@pytest.fixture
def server(monkeypatch, tmp_path):
    """gluon.utils' fetch serves the bytes of this dict by URL; others fail as offline."""
    import regluon.gluon.utils as gu
    files = {}

    def fetch(url, fname, verify_ssl, timeout=60):
        if url not in files:
            raise OSError('network is unreachable')
        with open(fname, 'wb') as f:
            f.write(files[url])
    monkeypatch.setattr(gu, '_fetch', fetch)
    monkeypatch.setenv('MXNET_HOME', str(tmp_path / 'home'))
    monkeypatch.chdir(tmp_path)
    return files


def zip_bytes(members):
    import zipfile
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, 'w') as zf:
        for name, data in members.items():
            zf.writestr(name, data)
    return buf.getvalue()


def test_get_cifar10_and_mnist_pkl(server, tmp_path):
    names = ['cifar/train.rec', 'cifar/test.rec', 'cifar/train.lst', 'cifar/test.lst']
    server['http://data.mxnet.io/mxnet/data/cifar10.zip'] = zip_bytes({n: n for n in names})
    tu.get_cifar10()
    assert all((tmp_path / 'data' / n).read_text() == n for n in names)
    server.clear()
    tu.get_cifar10()                          # all there: no download
    (tmp_path / 'data' / 'cifar' / 'test.lst').unlink()
    tu.get_cifar10()                          # unzipped again from the kept cifar10.zip
    assert (tmp_path / 'data' / 'cifar' / 'test.lst').exists()
    (tmp_path / 'data' / 'cifar' / 'test.lst').unlink()
    (tmp_path / 'data' / 'cifar10.zip').unlink()
    with pytest.raises(mx.MXNetError, match='network is unreachable'):
        tu.get_cifar10()
    with pytest.raises(mx.MXNetError, match='mnist.pkl.gz'):
        tu.get_mnist_pkl()
    (tmp_path / 'data' / 'mnist.pkl.gz').write_bytes(b'x')
    tu.get_mnist_pkl()                        # there: nothing to do (and never unpickled)


def test_get_zip_and_bz2_data(server, tmp_path):
    import bz2
    server['http://h/d/ml.zip'] = zip_bytes({'ml/ratings.dat': '1::2'})
    tu.get_zip_data('zd', 'http://h/d/ml.zip', 'ml.zip')
    assert (tmp_path / 'zd' / 'ml' / 'ratings.dat').read_text() == '1::2'
    assert (tmp_path / 'zd' / 'ml.zip').exists()
    server.clear()
    tu.get_zip_data('zd', 'http://h/d/ml.zip', 'ml.zip')          # the zip is there
    server['http://h/kdda.t.bz2'] = bz2.compress(b'line1\nline2\n')
    for data_dir in ('bz', str(tmp_path / 'abs')):                # relative and absolute
        tu.get_bz2_data(data_dir, 'kdda.t', 'http://h/kdda.t.bz2', 'kdda.t.bz2')
        assert (tmp_path / data_dir / 'kdda.t').read_bytes() == b'line1\nline2\n'
        assert not (tmp_path / data_dir / 'kdda.t.bz2').exists()  # removed, as MXNet
    server.clear()
    tu.get_bz2_data('bz', 'kdda.t', 'http://h/kdda.t.bz2', 'kdda.t.bz2')   # there already
    with pytest.raises(mx.MXNetError, match='network is unreachable'):
        tu.get_bz2_data('bz', 'other.t', 'http://h/other.t.bz2', 'other.t.bz2')


def test_download_model(server, tmp_path):
    base = 'http://data.mxnet.io/models/imagenet/resnet/18-layers/resnet-18'
    server[base + '-symbol.json'] = b'{}'
    server[base + '-0000.params'] = b'P'
    assert tu.download_model('imagenet1k-resnet-18', dst_dir='models') == \
        (os.path.join('models', 'imagenet1k-resnet-18'), 0)
    assert (tmp_path / 'models' / 'imagenet1k-resnet-18-0000.params').read_bytes() == b'P'
    assert tu.download_model('no-such-model') == (None, 0)
    server['http://x/s.json'] = b'{"a": 1}'
    info = {'m': {'symbol': 'http://x/s.json', 'params': 'http://x/p.params'}}
    with pytest.raises(mx.MXNetError, match='network is unreachable'):
        tu.download_model('m', dst_dir='other', meta_info=info)
    assert (tmp_path / 'other' / 'm-symbol.json').read_bytes() == b'{"a": 1}'
    with pytest.raises(AssertionError, match='^missing symbol url$'):
        tu.download_model('m', meta_info={'m': {'params': 'http://x/p.params'}})


def test_get_im2rec_path(monkeypatch, tmp_path):
    monkeypatch.setenv('IM2REC_HOME', str(tmp_path))
    with pytest.raises(IOError, match='^Could not find path to tools/im2rec.py$'):
        tu.get_im2rec_path('IM2REC_HOME')
    (tmp_path / 'tools').mkdir()
    (tmp_path / 'tools' / 'im2rec.py').write_text('')
    assert tu.get_im2rec_path('IM2REC_HOME') == str(tmp_path / 'tools' / 'im2rec.py')
    monkeypatch.delenv('IM2REC_HOME')
    with pytest.raises(IOError):               # regluon's package has no tools/im2rec.py
        tu.get_im2rec_path('IM2REC_HOME')


def test_tf32_gpu_results_get_float16_tolerances(monkeypatch):
    """MXNet: float32 results of a GPU with compute capability >= 80 (TF32) are compared
    with float16's tolerances unless NVIDIA_TF32_OVERRIDE=0. Checked with a stand-in
    capability query, since this machine has no GPU."""
    import types
    monkeypatch.setattr(tu, 'get_cuda_compute_capability',
                        lambda ctx: 80 if ctx.device_id == 0 else 70)
    on = types.SimpleNamespace(dtype=np.dtype('float32'), ctx=mx.Context('gpu', 0))
    old = types.SimpleNamespace(dtype=np.dtype('float32'), ctx=mx.Context('gpu', 1))
    assert tu.effective_dtype(on) == np.float16 and tu.effective_dtype(old) == np.float32
    assert tu.get_tols(on, np.zeros(1, np.float32), None, None) == (1e-2, 1e-1)
    with tu.environment('NVIDIA_TF32_OVERRIDE', '0'):
        assert tu.effective_dtype(on) == np.float32
        assert tu.get_tols(on, np.zeros(1, np.float32), None, None) == (1e-4, 1e-3)
    assert tu.effective_dtype(types.SimpleNamespace(dtype=np.dtype('float64'),
                                                    ctx=mx.Context('gpu', 0))) == np.float64


def test_star_import_hands_out_what_mxnet_test_files_use():
    """MXNet's test_utils has no __all__: `from mxnet.test_utils import *` also gives the
    names it imports (mx, np, rnd, npt, Context, ...), which MXNet's own tests use."""
    ns = {}
    exec('from regluon.test_utils import *', ns)  # pylint: disable=exec-used
    import numpy.random
    import numpy.testing
    assert ns['mx'] is mx and ns['np'] is np and ns['rnd'] is numpy.random
    assert ns['npt'] is numpy.testing and ns['Context'] is mx.Context
    for name in ('assert_almost_equal', 'check_symbolic_forward', 'current_context',
                 'Symbol', 'array', 'use_np', 'OrderedDict', 'os', 'sys', 'json'):
        assert name in ns, name
