"""gluon.contrib against MXNet 1.9.1 (goldens by tools/golden_gluon_contrib.py, cases in
tests/golden/gluon_contrib_cases.py): the conv RNN/LSTM/GRU cells and VariationalDropoutCell,
the deformable convolution layers, IntervalSampler and the WikiText datasets, and the contrib
operators DeformableConvolution, ModulatedDeformableConvolution, PSROIPooling,
DeformablePSROIPooling, RROIAlign, Proposal and MultiProposal: outputs, gradients, Parameter
names and shapes, hybridized == eager, errors.

MXNet's CPU build has no backward for ModulatedDeformableConvolution, so its gradients are
checked against central differences of the forward (which is checked against MXNet)."""
import os
import sys

import numpy as np
import pytest
import torch

import regluon as mx
from regluon import autograd, nd
from regluon.base import MXNetError
from regluon.gluon import contrib, rnn

from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
import gluon_contrib_cases as cases  # noqa: E402

G = golden('gluon_contrib')


def close(got, want, rtol=1e-5, atol=2e-5):
    got = np.asarray(got)
    assert got.shape == want.shape, (got.shape, want.shape)
    if want.dtype.kind in 'US':
        assert got.tolist() == want.tolist()
    else:
        np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)


def check_all(prefix, res):
    keys = sorted(k[len(prefix):] for k in G if k.startswith(prefix))
    assert sorted(res) == keys
    for key, value in res.items():
        close(value, G[prefix + key])


OPS = [(t, n) for t in (cases.op_cases, cases.proposal_cases) for n in t(mx)]


@pytest.mark.parametrize('table, name', OPS, ids=[n for _, n in OPS])
def test_op_outputs_and_gradients_equal_mxnet(table, name):
    check_all(f'op/{name}/', cases.run_case(mx, table, name))


def test_modulated_deformable_gradients_match_central_differences():
    """MXNet's CPU build has no backward for this op ("only implemented in GPU"): check
    autograd's gradients of every input against central differences, in float64."""
    kernel = nd.contrib.ModulatedDeformableConvolution.__wrapped__
    rng = np.random.RandomState(3)
    args = [torch.tensor(rng.uniform(-1, 1, s), dtype=torch.float64, requires_grad=True)
            for s in ((1, 2, 3, 4), (1, 36, 3, 4), (1, 18, 3, 4), (2, 2, 3, 3), (2,))]
    args[1].data *= 1.5       # offsets up to 1.5 pixels: samples cross the borders

    def fn(*a):
        return kernel(*a, kernel=(3, 3), pad=(1, 1), num_filter=2, num_deformable_group=2)
    with torch.enable_grad():      # regluon keeps torch's grad mode off outside record()
        assert torch.autograd.gradcheck(fn, args, eps=1e-6, atol=1e-6)


def test_deformable_conv_with_zero_offsets_is_a_convolution():
    """The definition's base case: offsets 0 sample the grid points, as Convolution does."""
    x, w, b = nd.random.uniform(shape=(2, 4, 6, 5)), nd.random.uniform(shape=(6, 2, 3, 3)), \
        nd.random.uniform(shape=(6,))
    ref = nd.Convolution(x, w, b, kernel=(3, 3), pad=(1, 1), stride=(2, 1), num_filter=6,
                         num_group=2)
    off = nd.zeros((2, 2 * 9 * 2, 3, 5))
    got = nd.contrib.DeformableConvolution(x, off, w, b, kernel=(3, 3), pad=(1, 1),
                                           stride=(2, 1), num_filter=6, num_group=2,
                                           num_deformable_group=2)
    np.testing.assert_allclose(got.asnumpy(), ref.asnumpy(), rtol=1e-5, atol=1e-5)
    mask = nd.ones((2, 9 * 2, 3, 5))
    got = nd.contrib.ModulatedDeformableConvolution(x, off, mask, w, b, kernel=(3, 3),
                                                    pad=(1, 1), stride=(2, 1), num_filter=6,
                                                    num_group=2, num_deformable_group=2)
    np.testing.assert_allclose(got.asnumpy(), ref.asnumpy(), rtol=1e-5, atol=1e-5)


def test_proposal_rois_carry_no_gradient():
    """MXNet's gradient of every Proposal input is zero: the outputs are constants."""
    kw = dict(scales=(2, 4), ratios=(0.5, 1, 2), rpn_post_nms_top_n=4)
    inp = cases.proposal_inputs(1, 6, 3, 3, 5)
    c, b = nd.array(inp['cls_prob']), nd.array(inp['bbox_pred'])
    c.attach_grad()
    with autograd.record():
        rois = nd.contrib.Proposal(c, b, nd.array([[48, 48, 1]]), **kw)
    assert rois.shape == (4, 5) and not rois._t.requires_grad


def test_symbol_arguments_and_outputs_named_as_mxnet():
    check_all('symbol/', cases.symbols(mx))


class _Detector(mx.gluon.HybridBlock):
    """An R-FCN-like head: proposals, then position-sensitive pooling of their rois."""

    def hybrid_forward(self, F, feat, cls_prob, bbox_pred, im_info):
        rois, scores = F.contrib.MultiProposal(cls_prob, bbox_pred, im_info, scales=(2, 4),
                                               ratios=(0.5, 1, 2), rpn_pre_nms_top_n=30,
                                               rpn_post_nms_top_n=6, output_score=True)
        pooled = F.contrib.PSROIPooling(feat, rois, spatial_scale=1 / 16., output_dim=2,
                                        pooled_size=3)
        dpooled = F.contrib.DeformablePSROIPooling(feat, rois, spatial_scale=1 / 16.,
                                                   output_dim=2, group_size=3, pooled_size=3,
                                                   sample_per_part=2, no_trans=True)
        return pooled + dpooled, scores


def test_detection_ops_in_a_hybridized_block_equal_eager():
    inp = cases.proposal_inputs(2, 6, 5, 6, 80)
    args = [nd.array(cases._rand(81, 2, 18, 5, 6)), nd.array(inp['cls_prob']),
            nd.array(inp['bbox_pred']), nd.array([[80, 96, 1.0], [64, 64, 1.0]])]
    net = _Detector()
    args[0].attach_grad()
    results = []
    for hybrid in (False, True):
        if hybrid:
            net.hybridize()
        with autograd.record():
            pooled, scores = net(*args)
        pooled.backward()
        results.append([pooled.asnumpy(), scores.asnumpy(), args[0].grad.asnumpy()])
    assert results[0][0].shape == (12, 2, 3, 3) and np.abs(results[0][2]).sum() > 0
    for h, e in zip(*results):
        close(h, e)


@pytest.mark.parametrize('name, phrase', [(e[0], e[1]) for e in cases.ERRORS])
def test_op_errors_are_mxnet_errors(name, phrase):
    assert str(G[f'error/{name}']).startswith('MXNetError')     # MXNet raised too
    with pytest.raises(MXNetError, match=phrase.replace('[', r'\[')):
        cases.call_error(mx, name)


# ---- conv RNN cells --------------------------------------------------------------------

@pytest.mark.parametrize('name', [c[0] for c in cases.CELLS])
def test_conv_cells_equal_mxnet(name):
    """Unrolled outputs, states, gradients, Parameter names/shapes, repr, begin_state."""
    check_all(f'cell/{name}/', cases.run_cell(mx, name))


@pytest.mark.parametrize('name', ['lstm2d', 'gru1d', 'rnn3d'])
def test_conv_cells_hybridized_step_equals_eager(name):
    cell = cases.make_cell(mx, name)
    cell.initialize(mx.init.Uniform(0.5))
    shape = next(c for c in cases.CELLS if c[0] == name)[4]
    x = nd.array(cases._rand(1, 2, *shape))
    states = [nd.array(cases._rand(2 + i, *s.shape)) for i, s in
              enumerate(cell.begin_state(batch_size=2))]
    out, new = cell(x, states)
    cell.hybridize()
    hout, hnew = cell(x, states)
    close(hout.asnumpy(), out.asnumpy())
    for h, e in zip(hnew, new):
        close(h.asnumpy(), e.asnumpy())
    outs, _ = cell.unroll(2, nd.stack(x, x, axis=1), begin_state=states, merge_outputs=False)
    assert len(outs) == 2 and outs[0].shape == out.shape


class _Unroller(mx.gluon.HybridBlock):
    """Unrolls a conv cell inside hybrid_forward with no begin_state (MXNet infers the zero
    states' shape; regluon builds them from the first step)."""

    def __init__(self, name, **kw):
        super().__init__(**kw)
        with self.name_scope():
            self.cell = cases.make_cell(mx, name)

    def hybrid_forward(self, F, x):
        out, states = self.cell.unroll(3, x, layout='NTC', merge_outputs=True)
        return out, states[-1]


@pytest.mark.parametrize('name', ['lstm2d', 'gru3d', 'rnn1d'])
def test_conv_cell_unroll_in_hybridized_block_equals_eager(name):
    shape = next(c for c in cases.CELLS if c[0] == name)[4]
    x = nd.array(cases._rand(6, 2, 3, *shape))
    net = _Unroller(name)
    net.initialize(mx.init.Uniform(0.5))
    eager = [y.asnumpy() for y in net(x)]
    net.hybridize()
    for got, want in zip(net(x), eager):
        close(got.asnumpy(), want)


def test_conv_cell_channel_last_layout_matches_channel_first():
    """conv_layout 'NHWC' (weights (O, kh, kw, I)) computes what 'NCHW' does on transposed
    data (MXNet's CPU convolution has no channel-last kernel to take a golden from)."""
    first = contrib.rnn.Conv2DLSTMCell((2, 5, 4), 3, 3, 3, i2h_pad=1, prefix='a_')
    last = contrib.rnn.Conv2DLSTMCell((5, 4, 2), 3, 3, 3, i2h_pad=1, conv_layout='NHWC',
                                      prefix='b_')
    first.initialize(mx.init.Uniform(0.5))
    last.initialize()
    for k in ('i2h_weight', 'h2h_weight'):
        last.params[f'b_{k}'].set_data(first.params[f'a_{k}'].data().transpose((0, 2, 3, 1)))
    for k in ('i2h_bias', 'h2h_bias'):
        last.params[f'b_{k}'].set_data(first.params[f'a_{k}'].data())
    assert last.state_info(2)[0] == {'shape': (2, 5, 4, 3), '__layout__': 'NHWC'}
    x = nd.array(cases._rand(4, 2, 3, 2, 5, 4))
    out, st = first.unroll(3, x, merge_outputs=True)
    out2, st2 = last.unroll(3, x.transpose((0, 1, 3, 4, 2)), merge_outputs=True)
    close(out2.asnumpy(), out.asnumpy().transpose(0, 1, 3, 4, 2))
    close(st2[1].asnumpy(), st[1].asnumpy().transpose(0, 2, 3, 1))


def test_conv_cell_settings_are_checked_as_mxnet():
    with pytest.raises(AssertionError, match='Only support odd number'):
        contrib.rnn.Conv2DGRUCell((2, 5, 5), 3, 3, (2, 3))
    with pytest.raises(AssertionError, match='int or list/tuple of length 3'):
        contrib.rnn.Conv3DRNNCell((2, 4, 4, 4), 3, (3, 3), 3)
    with pytest.raises(MXNetError, match='input_shape must have 3 values'):
        contrib.rnn.Conv2DRNNCell((5, 5), 3, 3, 3)


# ---- VariationalDropoutCell ------------------------------------------------------------

def _identity_rnn(prefix):
    """An RNNCell whose output is tanh(input): zeros in the output show the dropped inputs."""
    cell = rnn.RNNCell(4, input_size=4, prefix=prefix)
    cell.initialize()
    cell.i2h_weight.set_data(nd.eye(4))
    cell.h2h_weight.set_data(nd.zeros((4, 4)))
    return cell


def test_variational_dropout_masks_are_shared_across_time():
    x = nd.array(np.random.RandomState(0).uniform(0.5, 1.0, (3, 6, 4)))     # N, T, C
    for unroll in (True, False):
        cell = contrib.rnn.VariationalDropoutCell(_identity_rnn('r_'), drop_inputs=0.5,
                                                  drop_outputs=0.5)
        assert cell.prefix == 'r_vardrop' and list(cell.collect_params()) == \
            ['r_i2h_weight', 'r_h2h_weight', 'r_i2h_bias', 'r_h2h_bias']
        with autograd.train_mode():
            if unroll:
                out, _ = cell.unroll(6, x, merge_outputs=True)
            else:
                states = cell.begin_state(batch_size=3)
                steps = []
                for t in range(6):
                    o, states = cell(x[:, t], states)
                    steps.append(o)
                out = nd.stack(*steps, axis=1)
        out = out.asnumpy()
        kept = out != 0
        assert (kept == kept[:, :1]).all()                # one mask for every step
        assert 0 < kept.mean() < 1
        # a kept unit is tanh(2 x) scaled by 2 (both dropouts scale by 1 / (1 - p))
        want = 2 * np.tanh(2 * x.asnumpy())
        np.testing.assert_allclose(out[kept], want[kept], rtol=1e-5)


def test_variational_dropout_state_mask_and_inference():
    base = _identity_rnn('s_')
    base.h2h_weight.set_data(nd.eye(4))
    x = nd.ones((2, 5, 4))
    ref, _ = base.unroll(5, x, merge_outputs=True)
    cell = contrib.rnn.VariationalDropoutCell(base, drop_states=0.5)
    assert repr(cell) == 'VariationalDropoutCell(p_out = 0.0, p_state = 0.5)'
    out, _ = cell.unroll(5, x, merge_outputs=True)   # not training: no dropout
    close(out.asnumpy(), ref.asnumpy())
    with autograd.train_mode():
        cell.reset()
        s = [nd.ones((2, 4))]
        _, s1 = cell(nd.zeros((2, 4)), s)
        mask = cell.drop_states_mask.asnumpy()
        _, s2 = cell(nd.zeros((2, 4)), s)
        assert (cell.drop_states_mask.asnumpy() == mask).all()
    np.testing.assert_allclose(s1[0].asnumpy(), np.tanh(mask), rtol=1e-6)
    np.testing.assert_allclose(s2[0].asnumpy(), np.tanh(mask), rtol=1e-6)
    with pytest.raises(AssertionError, match="BidirectionalCell doesn't support"):
        contrib.rnn.VariationalDropoutCell(
            rnn.BidirectionalCell(rnn.RNNCell(2), rnn.RNNCell(2)), drop_states=0.1)


# ---- deformable convolution layers -------------------------------------------------------

@pytest.mark.parametrize('name, cls', [(c[0], c[1]) for c in cases.LAYERS])
def test_deformable_layers_equal_mxnet(name, cls):
    """Parameter names (creation order), shapes before and after the first call, offset
    convolution initialisation, repr, outputs, gradients (MXNet has the DCNv1 backward)."""
    res = cases.run_layer(mx, name, grads=cls == 'DeformableConvolution')
    check_all(f'layer/{name}/', res)
    net = cases.make_layer(mx, name)        # the weight takes the global initializer
    net.initialize(mx.init.Uniform(0.3))
    net(nd.ones(next(c for c in cases.LAYERS if c[0] == name)[3]))
    w = net.deformable_conv_weight.data().asnumpy()
    assert 0 < np.abs(w).max() <= 0.3


@pytest.mark.parametrize('name', [c[0] for c in cases.LAYERS])
def test_deformable_layers_hybridized_equal_eager(name):
    shape = next(c for c in cases.LAYERS if c[0] == name)[3]
    x = nd.array(cases._rand(5, *shape))
    results = []
    for hybrid in (False, True):
        net = cases.make_layer(mx, name)
        net.initialize(mx.init.Uniform(0.3))
        net(x)
        for i, (k, p) in enumerate(sorted(net.collect_params().items())):
            p.set_data(nd.array(cases._rand(300 + i, *p.shape) * 0.4))
        if hybrid:
            net.hybridize()
        with autograd.record():
            y = net(x)
        y.backward()
        results.append([y.asnumpy()] + [p.grad().asnumpy() for _, p in
                                        sorted(net.collect_params().items())])
    for h, e in zip(*results):
        close(h, e)


@pytest.mark.parametrize('name', ['dcn_groups', 'mdcn'])
def test_deformable_layers_load_mxnet_export_and_round_trip(name, tmp_path):
    """The graph and Parameters MXNet exported load as a SymbolBlock and give MXNet's
    output; regluon's own export loads back the same."""
    prefix = str(GOLDEN / f'gluon_contrib_{name}')
    x, want = G[f'export/{name}/x'], G[f'export/{name}/y']
    sb = mx.gluon.SymbolBlock.imports(prefix + '-symbol.json', ['data'],
                                      prefix + '-0000.params')
    close(sb(nd.array(x)).asnumpy(), want)
    res = cases.exported_layer(mx, name, str(tmp_path / name))
    sb = mx.gluon.SymbolBlock.imports(str(tmp_path / f'{name}-symbol.json'), ['data'],
                                      str(tmp_path / f'{name}-0000.params'))
    close(sb(nd.array(res['x'])).asnumpy(), res['y'])


# ---- data --------------------------------------------------------------------------------

def test_interval_sampler_equals_mxnet():
    """Each sequence (every index once with rollover) and its len(), which MXNet keeps at
    `length` also when rollover=False yields fewer."""
    check_all('sampler/', cases.samplers(mx))
    assert sorted(contrib.data.IntervalSampler(10, 4)) == list(range(10))


def test_interval_sampler_rejects_interval_past_length():
    with pytest.raises(AssertionError, match='Interval 4 must be smaller than or equal'):
        contrib.data.IntervalSampler(3, 4)


@pytest.mark.parametrize('cls', ['WikiText2', 'WikiText103'])
def test_wikitext_reads_the_archive_as_mxnet(cls, tmp_path):
    """Download request (MXNet's URL and SHA-1), unpacked files, vocabulary, frequencies and
    samples, from a local archive laid out as the real one."""
    check_all(f'wiki/{cls}/', cases.wikitext(mx, str(tmp_path), cls))


def test_wikitext_segments_vocab_and_dataloader(tmp_path, monkeypatch):
    train = cases.wikitext(mx, str(tmp_path), 'WikiText2', 'train', seq_len=4)
    np.testing.assert_array_equal(train['data'][:, 1:], train['label'][:, :-1])
    root = str(tmp_path / 'WikiText2')
    # the unpacked files are the local archive's, not the real ones: accept their hashes
    monkeypatch.setattr(contrib.data.text, 'check_sha1', lambda path, sha1: True)
    vocab = contrib.data.text.WikiText2(root=root).vocabulary
    ds = contrib.data.text.WikiText2(root=root, segment='validation', vocab=vocab,
                                     seq_len=6)
    assert ds.vocabulary is vocab and ds.frequencies is not None
    tokens = sum(len(line.split()) + 1 for line in cases.WIKI_TEXT.splitlines()
                 if line.strip())                         # words and '<eos>' of each line
    assert len(ds) == (2 * tokens - 1) // 6               # two copies of the text
    batches = list(mx.gluon.data.DataLoader(ds, batch_size=2))
    assert len(batches) == (len(ds) + 1) // 2
    assert batches[0][0].shape == (2, 6) and batches[0][0].dtype == np.int32
    np.testing.assert_array_equal(batches[0][0].asnumpy(), ds._data[:2].asnumpy())
    np.testing.assert_array_equal(batches[-1][1].asnumpy(), ds._label[-2:].asnumpy() if
                                  len(ds) % 2 == 0 else ds._label[-1:].asnumpy())


def test_wikitext_download_failure_is_an_mxnet_error(tmp_path, monkeypatch):
    import regluon.gluon.utils as gutils

    def offline(url, *a, **k):
        raise OSError('network is unreachable')
    monkeypatch.setattr(gutils, '_fetch', offline)
    with pytest.raises(MXNetError, match=r'wiki\.train\.tokens is missing.*wikitext-2-v1\.zip'):
        contrib.data.text.WikiText2(root=str(tmp_path))
    assert not os.path.exists(tmp_path / 'wiki.train.tokens')
