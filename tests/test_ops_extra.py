"""Operators regluon added to match MXNet 1.9.1's `nd`/`sym` (ops/mp_optimizer_ops.py,
ops/extra.py, ops/extra_layers.py) and the optimizers' multi_precision paths, against MXNet
goldens (tools/golden_ops_extra.py, cases in tests/golden/ops_extra_cases.py): multi-precision
and fused updates (float16 weights with float32 master copies, in place through out= and into
other arrays), AMP helpers, values, gradients and dtypes of the general operators, legacy
layers bound symbolically, and errors."""
import sys

import numpy as np
import pytest

import regluon as mx
from regluon import autograd, nd
from regluon.base import MXNetError

from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
import ops_extra_cases as cases  # noqa: E402

G = golden('ops_extra')
CASES = cases.cases()
TOL = {'opt/': (2e-5, 1e-6), 'optimizer/': (2e-5, 1e-6)}


def assert_matches(prefix, res):
    keys = {k[len(prefix) + 1:] for k in G if k.startswith(prefix + '/')}
    assert keys == set(res), (prefix, keys ^ set(res))
    rtol, atol = next((v for k, v in TOL.items() if prefix.startswith(k)), (1e-5, 1e-6))
    for k, v in res.items():
        want, v = G[f'{prefix}/{k}'], np.asarray(v)
        assert v.shape == want.shape and (v.dtype == want.dtype or v.dtype.kind == 'U' ==
                                          want.dtype.kind), (k, v.shape, want.shape, v.dtype,
                                                             want.dtype)
        if v.dtype.kind == 'U':
            assert v.tolist() == want.tolist(), (k, v, want)
        elif v.dtype == np.float16:        # one float16 ulp from float32 rounding order
            np.testing.assert_allclose(v, want, rtol=1e-3, atol=1e-3, err_msg=k)
        else:
            np.testing.assert_allclose(v, want, rtol=rtol, atol=atol, equal_nan=True,
                                       err_msg=k)


@pytest.mark.filterwarnings('ignore:range is not specified')   # asserted below
@pytest.mark.parametrize('name', sorted(CASES))
def test_case_equals_mxnet(name):
    assert_matches(name, CASES[name](nd, autograd))


@pytest.mark.parametrize('name, fn', cases.ERRORS, ids=[e[0] for e in cases.ERRORS])
def test_error_is_mxnet_error(name, fn):
    assert str(G[f'error/{name}']) == 'MXNetError'
    with pytest.raises(MXNetError):
        fn(mx)


SYMBOLIC = cases.symbolic_cases()


@pytest.mark.parametrize('name', sorted(SYMBOLIC))
def test_symbolic_case_equals_mxnet(name):
    assert_matches(name, SYMBOLIC[name](mx))


OPTIMIZERS = cases.optimizer_cases()


@pytest.mark.parametrize('name', sorted(OPTIMIZERS))
def test_multi_precision_optimizer_equals_mxnet(name):
    """SGD/NAG with multi_precision=True keep MXNet's (momentum, master copy) states and
    take MXNet's steps (the mp_ operators), one weight at a time or as a group."""
    assert_matches(name, OPTIMIZERS[name](mx))


# ---- regluon-side checks: errors name the operator, draws, dlpack, graphs ---------------------
@pytest.mark.parametrize('call, words', [
    (lambda: nd.histogram(nd.ones((3,)), bins=nd.array([1.0])), 'histogram'),
    (lambda: nd.histogram(nd.ones((3,)), 'ten'), 'histogram'),
    (lambda: nd.im2col(nd.ones((1, 2, 4)), kernel=(2, 2)), 'im2col'),
    (lambda: nd.IdentityAttachKLSparseReg(nd.ones((2, 3)), nd.ones((2,))), 'moving_avg'),
    (lambda: nd.mp_sgd_update(nd.ones((2,), dtype='float16'), nd.ones((2,), dtype='float16'),
                              nd.ones((2,), dtype='float16'), lr=0.1), 'float32'),
    (lambda: nd.contrib.multi_lamb_update([nd.ones((2,))], [nd.ones((2,))], [nd.zeros((2,))],
                                          [nd.zeros((2,))], [1, 2], [0.1], [0.0]),
     'step_count'),
    (lambda: nd.reset_arrays(nd.ones((2,)), num_arrays=2), 'num_arrays'),
])
def test_bad_calls_raise_mxnet_error_naming_the_op(call, words):
    with pytest.raises(MXNetError, match=words):
        call()


def test_histogram_without_range_warns_as_mxnet():
    with pytest.warns(UserWarning, match='range is not specified'):
        nd.histogram(nd.array([1.0, 2.0, 3.0]), 2)


def test_rand_zipfian_draws_log_uniform_classes():
    mx.random.seed(7)
    sampled = nd.contrib.rand_zipfian(nd.array([1]), 20000, 20)[0].asnumpy()
    freq = np.bincount(sampled, minlength=20) / sampled.size
    want = np.log((np.arange(20) + 2.0) / (np.arange(20) + 1.0)) / np.log(21)
    want[0] += 1 - want.sum()       # (exp(u) - 1) % 20: the class 20 draw wraps to 0
    np.testing.assert_allclose(freq, want, atol=0.012)


def test_dlpack_views_share_memory():
    import torch
    x = nd.array([[1.0, 2.0], [3.0, 4.0]])
    view = torch.from_dlpack(nd.to_dlpack_for_write(x))
    view[0, 0] = 9.0
    assert x.asnumpy()[0, 0] == 9.0
    back = nd.from_dlpack(nd.to_dlpack_for_read(x))
    np.testing.assert_array_equal(back.asnumpy(), x.asnumpy())


def test_mp_update_out_none_keeps_the_weight_and_returns_float16():
    w = nd.array([1.0, 2.0], dtype='float16')
    w32 = w.astype('float32')
    y = nd.mp_sgd_mom_update(w, nd.array([0.5, 0.5], dtype='float16'), nd.zeros((2,)), w32,
                             lr=0.1, momentum=0.9)
    assert y.dtype == np.float16 and w.asnumpy().tolist() == [1.0, 2.0]
    np.testing.assert_allclose(w32.asnumpy(), [0.95, 1.95], rtol=1e-6)


class _Net(mx.gluon.HybridBlock):
    def hybrid_forward(self, F, x, mu, sigma):
        cols = F.im2col(F.amp_cast(x, dtype='float32'), kernel=(2, 2))
        pdf = F.random_pdf_normal(F.moveaxis(cols, 1, 2).reshape((0, -1)), mu, sigma)
        return F.amp_multicast(pdf, F.fill_element_0index(pdf, F.sum(pdf, axis=1), F.zeros(
            (2,))), num_outputs=2)[1]


def test_ops_run_hybridized_and_export_mxnet_names(tmp_path):
    """Export writes MXNet's op names and, as MXNet's default remove_amp_cast=True, no
    amp_cast/amp_multicast nodes."""
    x = nd.array(np.random.RandomState(0).uniform(-1, 1, (2, 1, 3, 3)), dtype='float16')
    mu, sigma = nd.array([0.1, -0.2]), nd.array([1.0, 2.0])
    net = _Net()
    want = net(x, mu, sigma)
    net.hybridize()
    np.testing.assert_allclose(net(x, mu, sigma).asnumpy(), want.asnumpy(), rtol=1e-6)
    net.export(str(tmp_path / 'net'))
    import json
    ops = {n['op'] for n in json.loads((tmp_path / 'net-symbol.json').read_text())['nodes']}
    assert {'im2col', 'random_pdf_normal', 'fill_element_0index'} <= ops
    assert not ops & {'amp_cast', 'amp_multicast'}


def test_out_keyword_reaches_kernels_that_write_into_it_and_axes_as_ranges():
    """onehot_encode(x, out=a) (MXNet's profiler example) equals the positional call;
    moveaxis takes any sequence of axes (range), as numpy does."""
    idx = nd.array([0, 2, 3])
    a, b = nd.zeros((3, 4)), nd.zeros((3, 4))
    assert nd.onehot_encode(idx, out=a) is a
    nd.onehot_encode(idx, b)
    np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())
    x = nd.arange(24).reshape((2, 3, 4))
    np.testing.assert_array_equal(nd.moveaxis(x, range(2), range(1, 3)).asnumpy(),
                                  nd.moveaxis(x, [0, 1], [1, 2]).asnumpy())


@pytest.mark.parametrize('source, destination', [(3, 0), (-4, 0), (0, 5), ([0, 0], [0, 1]),
                                                 ([0, 1], [1, 1]), (0, [0, 1]),
                                                 ([0, 1], [0])])
def test_moveaxis_bad_axes_are_mxnets_value_errors(source, destination):
    # MXNet 1.9.1's moveaxis is Python: out-of-range or repeated axes and unequal lengths
    # raise ValueError (its test_ndarray.test_moveaxis)
    with pytest.raises(ValueError, match='moveaxis|same number'):
        nd.moveaxis(nd.ones((1, 2, 3)), source, destination)
