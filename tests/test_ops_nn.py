"""Neural-network operators (nd.FullyConnected, Convolution, Pooling, BatchNorm, ...)
against golden values and gradients from MXNet 1.9.1 (tools/golden_ops_nn.py)."""
import json

import numpy as np
import pytest

import regluon as mx
from regluon import autograd, nd
from regluon.base import MXNetError

from conftest import golden

G = {'main': golden('ops_nn'), 'native': golden('ops_nn_native')}
META = {src: json.loads(str(g['meta'])) for src, g in G.items()}
CASES = [(src, cid) for src, meta in META.items() for cid in meta]
# the golden cases also run on a GPU where there is one
CTXS = [mx.cpu()] + ([mx.gpu()] if mx.num_gpus() else [])


def run_case(g, cid, meta, ctx):
    """Run golden case `cid` on `ctx` the way tools/golden_ops_nn.py ran it under MXNet."""
    op, kwargs, grads, train = meta['op'], meta['kwargs'], meta['grads'], meta['train']
    xs = [nd.array(g[f'{cid}:in{i}'], ctx=ctx) for i in range(meta['inputs'])]
    for i in grads:
        xs[i].attach_grad()
    fn = getattr(nd, op)
    if grads:
        with autograd.record(train_mode=train):
            out = fn(*xs, **kwargs)
        outs = out if isinstance(out, list) else [out]
        outs[0].backward(nd.array(g[f'{cid}:head'], ctx=ctx))
    else:
        with autograd.train_mode() if train else autograd.predict_mode():
            out = fn(*xs, **kwargs)
        outs = out if isinstance(out, list) else [out]
    res = {f'out{j}': o.asnumpy() for j, o in enumerate(outs)}
    for i, x in enumerate(xs):
        res[f'grad{i}' if i in grads else f'after{i}'] = (x.grad if i in grads else x).asnumpy()
    return res


@pytest.mark.parametrize('ctx', CTXS, ids=str)
@pytest.mark.parametrize('src, cid', CASES, ids=[c for _, c in CASES])
def test_golden(src, cid, ctx):
    g = G[src]
    res = run_case(g, cid, META[src][cid], ctx)
    want = {k[len(cid) + 1:]: v for k, v in g.items()
            if k.startswith(cid + ':') and k.split(':')[1][:3] in ('out', 'gra', 'aft')}
    assert set(res) == set(want), f"{cid}: outputs {sorted(res)} vs golden {sorted(want)}"
    for k, v in want.items():
        assert res[k].shape == v.shape, f"{cid}:{k} shape {res[k].shape} vs {v.shape}"
        if ctx.device_type == 'cpu':
            rtol, atol = 1e-4, 2e-5
        else:       # cuDNN may use TF32: errors scale with the largest magnitude
            rtol, atol = 5e-3, 5e-3 * max(1.0, float(np.abs(v).max(initial=0)))
        np.testing.assert_allclose(res[k], v, rtol=rtol, atol=atol, err_msg=f"{cid}:{k}")


def test_batchnorm_moving_stats_over_steps():
    g = golden('ops_nn')
    gamma, beta = nd.array(g['bn_steps:gamma']), nd.array(g['bn_steps:beta'])
    mean, var = nd.zeros(3), nd.ones(3)
    for i in range(3):
        x = nd.array(g[f'bn_steps:x{i}'])
        x.attach_grad()
        with autograd.record():
            y = nd.BatchNorm(x, gamma, beta, mean, var, fix_gamma=False, momentum=0.7)
        y.backward()
    np.testing.assert_allclose(mean.asnumpy(), g['bn_steps:mean'], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(var.asnumpy(), g['bn_steps:var'], rtol=1e-5, atol=1e-6)
    assert not mean.to_torch().requires_grad and not var.to_torch().requires_grad


def test_batchnorm_predict_leaves_moving_stats():
    x = nd.array(np.random.RandomState(0).randn(4, 3, 2))
    mean, var = nd.array([0.1, 0.2, 0.3]), nd.array([1.0, 2.0, 3.0])
    with autograd.record(train_mode=False):
        y = nd.BatchNorm(x, nd.ones(3), nd.zeros(3), mean, var)
    np.testing.assert_allclose(mean.asnumpy(), [0.1, 0.2, 0.3])
    np.testing.assert_allclose(var.asnumpy(), [1.0, 2.0, 3.0])
    want = (x.asnumpy() - mean.asnumpy()[:, None]) / np.sqrt(var.asnumpy()[:, None] + 1e-3)
    np.testing.assert_allclose(y.asnumpy(), want, rtol=1e-5, atol=1e-6)


def test_softmax_alias_and_head_gradient_ignored():
    assert nd.Softmax is nd.SoftmaxOutput
    x, label = nd.array([[1.0, 2.0, 3.0], [0.5, 0.1, -1.0]]), nd.array([2, 0])
    grads = []
    for head in (None, nd.array([[5.0, -1.0, 2.0], [0.0, 3.0, 1.0]])):
        x.attach_grad()
        with autograd.record():
            y = nd.SoftmaxOutput(x, label)
        y.backward(head)
        grads.append(x.grad.asnumpy())
    p = y.asnumpy()
    np.testing.assert_allclose(grads[0], p - np.eye(3)[[2, 0]], rtol=1e-6)
    np.testing.assert_allclose(grads[1], grads[0])


def test_softmax_output_out_grad_multiplies_head():
    # documented behaviour; MXNet 1.9.1 itself multiplies by the output here (a bug)
    x, label = nd.array([[1.0, 2.0, 3.0], [0.5, 0.1, -1.0]]), nd.array([2, 0])
    head = np.array([[5.0, -1.0, 2.0], [0.0, 3.0, 1.0]], dtype='float32')
    x.attach_grad()
    with autograd.record():
        y = nd.SoftmaxOutput(x, label, out_grad=True, grad_scale=0.5)
    y.backward(nd.array(head))
    want = (y.asnumpy() - np.eye(3)[[2, 0]]) * head * 0.5
    np.testing.assert_allclose(x.grad.asnumpy(), want, rtol=1e-6)


def test_pooling_same_convention():
    # MXNet 1.9.1 documents 'same' (output ceil(size / stride)) but its CPU kernel fails on
    # it; we pad like TensorFlow's SAME, an odd extra element going on the right
    x = nd.array(np.arange(7.0).reshape(1, 1, 7) * [1, -1, 1, -1, 1, -1, 1])
    y = nd.Pooling(x, kernel=(3,), stride=(2,), pooling_convention='same')
    np.testing.assert_array_equal(y.asnumpy().ravel(), [0, 2, 4, 6])
    y = nd.Pooling(nd.ones((1, 2, 5, 5)), kernel=(2, 2), stride=(2, 2),
                   pooling_convention='same')
    assert y.shape == (1, 2, 3, 3)


def test_keyword_inputs_and_bias_none():
    rs = np.random.RandomState(1)
    x, w = nd.array(rs.randn(2, 4)), nd.array(rs.randn(3, 4))
    a = nd.FullyConnected(data=x, weight=w, num_hidden=3, no_bias=True)
    b = nd.FullyConnected(x, w, None, no_bias=True, num_hidden=3)
    np.testing.assert_allclose(a.asnumpy(), x.asnumpy() @ w.asnumpy().T, rtol=1e-5)
    np.testing.assert_allclose(b.asnumpy(), a.asnumpy())


@pytest.mark.parametrize('n', [1, 2, 3])
def test_convolution_channel_last_matches_channel_first(n):
    rs = np.random.RandomState(n)
    x = rs.randn(*(2, 3) + (5,) * n).astype('float32')
    w = rs.randn(*(4, 3) + (3,) * n).astype('float32')
    kw = dict(kernel=(3,) * n, stride=(2,) * n, pad=(1,) * n, num_filter=4, no_bias=True)
    first = nd.Convolution(nd.array(x), nd.array(w), **kw).asnumpy()
    layout = ('NWC', 'NHWC', 'NDHWC')[n - 1]
    last = nd.Convolution(nd.array(np.moveaxis(x, 1, -1)), nd.array(np.moveaxis(w, 1, -1)),
                          layout=layout, **kw).asnumpy()
    np.testing.assert_allclose(np.moveaxis(last, -1, 1), first, rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize('mode, bidirectional', [('lstm', True), ('gru', False)])
def test_rnn_sequence_length_runs_each_sequence_alone(mode, bidirectional):
    rs = np.random.RandomState(2)
    g, h, dirs = {'lstm': 4, 'gru': 3}[mode] * 3, 3, 2 if bidirectional else 1
    size = dirs * (g * (2 + h) + 2 * g)
    data, params = rs.randn(5, 3, 2), 0.3 * rs.randn(size)
    states = [rs.randn(dirs, 3, h) for _ in range(2 if mode == 'lstm' else 1)]
    kw = dict(state_size=h, num_layers=1, mode=mode, bidirectional=bidirectional,
              state_outputs=True)
    lengths = [5, 2, 4]
    got = nd.RNN(nd.array(data), nd.array(params), *[nd.array(s) for s in states],
                 sequence_length=nd.array(lengths), use_sequence_length=True, **kw)
    for b, n in enumerate(lengths):
        one = nd.RNN(nd.array(data[:n, b:b + 1]), nd.array(params),
                     *[nd.array(s[:, b:b + 1]) for s in states], **kw)
        np.testing.assert_allclose(got[0].asnumpy()[:n, b:b + 1], one[0].asnumpy(), rtol=1e-5)
        assert (got[0].asnumpy()[n:, b] == 0).all()
        for s_got, s_one in zip(got[1:], one[1:]):
            np.testing.assert_allclose(s_got.asnumpy()[:, b:b + 1], s_one.asnumpy(), rtol=1e-5)


def test_roi_pooling_region_outside_the_map_is_zero():
    data = nd.array(np.random.RandomState(0).rand(1, 2, 4, 4) + 1)
    rois = nd.array([[0, -9, -9, -5, -5], [0, 7, 1, 12, 3]])
    out = nd.ROIPooling(data, rois, pooled_size=(2, 2), spatial_scale=1.0)
    assert out.shape == (2, 2, 2, 2) and (out.asnumpy() == 0).all()


# ---- Dropout: random, so its rules are tested, not its values --------------------------
def test_dropout_identity_outside_training():
    x = nd.array(np.random.RandomState(0).randn(50, 40))
    for y in (nd.Dropout(x, p=0.5), nd.Dropout(x, p=0.5, axes=(1,))):
        np.testing.assert_array_equal(y.asnumpy(), x.asnumpy())
    with autograd.record(train_mode=False):
        y = nd.Dropout(x, p=0.5)
    np.testing.assert_array_equal(y.asnumpy(), x.asnumpy())
    y[:] = 0                                  # the output is a new array
    assert (x.asnumpy() != 0).any()


@pytest.mark.parametrize('p', [0.2, 0.5, 0.8])
def test_dropout_training_statistics_and_gradient(p):
    x = nd.ones((100, 100))
    x.attach_grad()
    with autograd.record():
        y = nd.Dropout(x, p=p)
    y.backward()
    out = y.asnumpy()
    kept = out != 0
    np.testing.assert_allclose(out[kept], 1 / (1 - p), rtol=1e-6)
    assert abs((~kept).mean() - p) < 4 * np.sqrt(p * (1 - p) / out.size)
    np.testing.assert_allclose(x.grad.asnumpy(), out, rtol=1e-6)   # grad = mask / (1 - p)


def test_dropout_always_mode_axes_and_seed():
    x = nd.ones((20, 30, 8))
    mx.random.seed(7)
    a = nd.Dropout(x, p=0.5, mode='always', axes=(2,)).asnumpy()
    mx.random.seed(7)
    b = nd.Dropout(x, p=0.5, mode='always', axes=(2,)).asnumpy()
    np.testing.assert_array_equal(a, b)
    assert set(np.unique(a)) == {0.0, 2.0}
    assert (a == a[:, :, :1]).all()          # one mask per (i, j), shared along axis 2
    with autograd.train_mode():
        c = nd.Dropout(x, p=0.5, axes=(0, 2)).asnumpy()
    assert (c == c[:1, :, :1]).all() and 0 < (c == 0).mean() < 1
    assert (nd.Dropout(x, p=0.0, mode='always').asnumpy() == 1).all()


def test_rrelu_training_slopes_in_bounds():
    x = nd.array(-np.random.RandomState(0).rand(1000) - 0.1)
    with autograd.train_mode():
        y = nd.LeakyReLU(x, act_type='rrelu', lower_bound=0.2, upper_bound=0.3)
    slope = y.asnumpy() / x.asnumpy()
    assert (slope >= 0.2 - 1e-6).all() and (slope <= 0.3 + 1e-6).all() and slope.std() > 0.01


# ---- errors: MXNetError naming the operator, what it expected and what it got -----------
ERRORS = [
    ('FullyConnected', lambda: nd.FullyConnected(nd.ones((2, 3)), nd.ones((4, 5)), nd.ones(4),
                                                  num_hidden=4), r'\(4, 5\).*\(4, 3\)'),
    ('FullyConnected', lambda: nd.FullyConnected(nd.ones((2, 3)), nd.ones((4, 3)), nd.ones(4),
                                                  num_hidden=5), r'\(4, 3\).*\(5, 3\)'),
    ('FullyConnected', lambda: nd.FullyConnected(nd.ones((2, 3)), nd.ones((4, 3)),
                                                  num_hidden=4), 'no_bias'),
    ('Convolution', lambda: nd.Convolution(nd.ones((1, 3, 5, 5)), nd.ones((4, 2, 3, 3)),
                                           nd.ones(4), kernel=(3, 3), num_filter=4),
     r'\(4, 2, 3, 3\).*\(4, 3, 3, 3\)'),
    ('Convolution', lambda: nd.Convolution(nd.ones((1, 3, 5)), nd.ones((4, 3, 3, 3)),
                                           nd.ones(4), kernel=(3, 3), num_filter=4), '4-D data'),
    ('Convolution', lambda: nd.Convolution(nd.ones((1, 3, 5, 5)), nd.ones((4, 3, 3, 3)),
                                           nd.ones(5), kernel=(3, 3), num_filter=4), 'bias'),
    ('Convolution', lambda: nd.Convolution(nd.ones((1, 3, 5, 5)), nd.ones((4, 3, 3)),
                                           kernel=3, num_filter=4, no_bias=True), '3-D data'),
    ('Deconvolution', lambda: nd.Deconvolution(nd.ones((1, 2, 4, 4)), nd.ones((2, 2, 3, 3)),
                                               kernel=(3, 3), num_filter=2,
                                               target_shape=(12, 12)), 'too big'),
    ('Pooling', lambda: nd.Pooling(nd.ones((1, 2, 4, 4)), kernel=(2, 2), pool_type='median'),
     'median'),
    ('Pooling', lambda: nd.Pooling(nd.ones((1, 2, 4, 4))), 'kernel'),
    ('Activation', lambda: nd.Activation(nd.ones(3), act_type='mish'), 'mish'),
    ('LeakyReLU', lambda: nd.LeakyReLU(nd.ones((2, 3)), act_type='prelu'), 'gamma'),
    ('BatchNorm', lambda: nd.BatchNorm(nd.ones((2, 3)), nd.ones(4), nd.ones(3), nd.ones(3),
                                       nd.ones(3)), r'gamma.*\(3,\).*\(4,\)'),
    ('GroupNorm', lambda: nd.GroupNorm(nd.ones((2, 4, 3)), nd.ones(3), nd.ones(3),
                                       num_groups=3), 'num_groups'),
    ('Embedding', lambda: nd.Embedding(nd.ones(3), nd.ones((4, 2)), input_dim=5,
                                       output_dim=2), r'\(4, 2\).*\(5, 2\)'),
    ('Dropout', lambda: nd.Dropout(nd.ones(3), mode='sometimes'), 'sometimes'),
    ('SoftmaxOutput', lambda: nd.SoftmaxOutput(nd.ones((2, 3)), nd.ones(3)), r'\(3,\)'),
    ('CTCLoss', lambda: nd.CTCLoss(nd.ones((4, 2, 3)), nd.ones((2, 2)), blank_label='middle'),
     'middle'),
    ('RNN', lambda: nd.RNN(nd.ones((3, 2, 4)), nd.ones(10), nd.ones((1, 2, 5)), state_size=5,
                           num_layers=1, mode='gru'), r'10 elements, expected 165'),
    ('RNN', lambda: nd.RNN(nd.ones((3, 2, 4)), nd.ones(10), nd.ones((1, 2, 5)), state_size=5,
                           num_layers=1, mode='lstm'), r'state_cell.*\(1, 2, 5\)'),
    ('RNN', lambda: nd.RNN(nd.ones((3, 2, 4)), nd.ones(10), nd.ones((1, 2, 5)), state_size=5,
                           num_layers=1, mode='gru', projection_size=2), 'projection_size'),
    ('RNN', lambda: nd.RNN(nd.ones((3, 2, 4)), nd.ones(165), nd.ones((1, 2, 5)), state_size=5,
                           num_layers=1, mode='gru', use_sequence_length=True),
     'sequence_length of shape'),
    ('Convolution', lambda: nd.Convolution(nd.ones((1, 3, 5, 5)), nd.ones((4, 1, 3, 3)),
                                           kernel=(3, 3), num_filter=4, num_group=2,
                                           no_bias=True), 'num_group=2'),
    ('CTCLoss', lambda: nd.CTCLoss(nd.ones((4, 2, 3)), nd.ones((2, 2)), use_data_lengths=True),
     r'data_lengths of shape \(2,\), got None'),
    ('L2Normalization', lambda: nd.L2Normalization(nd.ones((2, 3)), mode='batch'), 'batch'),
]


@pytest.mark.parametrize('name, call, pattern', ERRORS, ids=[e[0] for e in ERRORS])
def test_errors(name, call, pattern):
    with pytest.raises(MXNetError, match=name) as info:
        call()
    assert info.match(pattern)


def test_batchnorm_global_stats_with_graded_moving_statistics():
    # the moving statistics are auxiliary states: MXNet 1.9.1 accepts them with attached
    # gradients and leaves those zero (it raised a torch error here before)
    rs = np.random.RandomState(0)
    x, m = nd.array(rs.uniform(-1, 1, (2, 3, 4))), nd.array(rs.uniform(-0.1, 0.1, 3))
    g, b, v = nd.ones(3) * 2, nd.ones(3) * 0.5, nd.array(rs.uniform(0.5, 1.5, 3))
    for a in (x, g, b, m, v):
        a.attach_grad()
    with autograd.record():
        y = nd.BatchNorm(x, g, b, m, v, use_global_stats=True, fix_gamma=False)
    y.backward()
    xn, mn, vn = x.asnumpy(), m.asnumpy()[:, None], v.asnumpy()[:, None]
    np.testing.assert_allclose(y.asnumpy(), 2 * (xn - mn) / np.sqrt(vn + 1e-3) + 0.5,
                               rtol=1e-5, atol=1e-6)
    assert not m.grad.asnumpy().any() and not v.grad.asnumpy().any()
    np.testing.assert_allclose(x.grad.asnumpy(), np.broadcast_to(2 / np.sqrt(vn + 1e-3),
                                                                 (2, 3, 4)), rtol=1e-5)
