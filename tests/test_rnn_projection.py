"""LSTM projection (projection_size, h2r_weight) and cell-state clipping (state_clip_min/max/
nan) in gluon.rnn.LSTM and nd.RNN, and gluon.contrib.rnn.LSTMPCell, against MXNet 1.9.1
(goldens by tools/golden_rnn_projection.py, cases in tests/golden/rnn_proj_cases.py).

MXNet 1.9.1's CPU kernel runs projection for inference only and refuses or ignores state
clipping (both are cuDNN features), so the goldens' outputs and gradients come from the
LSTM(P) step written with MXNet's own operators under MXNet's autograd (clipping with
nd.clip after every step, as cuDNN does); the tool asserts that this unroll equals MXNet's
fused kernel wherever that kernel runs, and the fused forward is stored and compared too.
The layers' parameters are the .params files MXNet itself saved.
"""
import sys

import numpy as np
import pytest

import regluon as mx
from regluon import autograd, nd
from regluon.base import MXNetError
from regluon.gluon import rnn

from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
import rnn_proj_cases as cases  # noqa: E402  (the cases the golden writer ran in MXNet)

G = golden('rnn_proj')
TOL = dict(rtol=1e-5, atol=1e-5)


def load_layer(name):
    layer = cases.make_layer(mx, name)
    layer.load_parameters(str(GOLDEN / f'rnn_proj_{name}.params'))
    return layer


def run(layer, name, train=True):
    """Forward and backward of the case's loss; returns outputs and input gradients."""
    x, h0, c0 = (nd.array(a) for a in cases.inputs(name))
    for a in (x, h0, c0):
        a.attach_grad()
    with autograd.record(train_mode=train):
        out, (hn, cn) = layer(x, [h0, c0])
        cases.loss(mx, out, hn, cn).backward()
    return out, hn, cn, x.grad, h0.grad, c0.grad


@pytest.mark.parametrize('hybrid', [False, True])
@pytest.mark.parametrize('name', sorted(cases.CASES))
def test_layer_golden(name, hybrid):
    layer = load_layer(name)
    if hybrid:
        layer.hybridize()
    res = run(layer, name)
    for key, a in zip(('out', 'hn', 'cn', 'dx', 'dh0', 'dc0'), res):
        np.testing.assert_allclose(a.asnumpy(), G[f'{name}_{key}'], err_msg=key, **TOL)
    params = layer.collect_params()
    keys = [k for k in G if k.startswith(f'{name}_g_')]
    assert len(keys) == len(params)
    for k in keys:
        p = params['lstm_' + k[len(f'{name}_g_'):]]
        np.testing.assert_allclose(p.grad().asnumpy(), G[k], err_msg=k, **TOL)
    if f'{name}_fused_out' in G:          # MXNet's own fused kernel, inference
        x, h0, c0 = (nd.array(a) for a in cases.inputs(name))
        np.testing.assert_allclose(layer(x, [h0, c0])[0].asnumpy(), G[f'{name}_fused_out'],
                                   **TOL)


@pytest.mark.parametrize('name', ['c1', 'pc2bi'])
def test_clipping_changes_the_result(name):
    """The clip cases really clip: the unclipped layer with the same weights differs, and
    every returned cell state lies inside the bounds."""
    c = cases.CASES[name]
    assert np.abs(G[f'{name}_cn']).max() <= max(-c['state_clip_min'], c['state_clip_max'])
    kw = {k: v for k, v in c.items() if k not in cases.SIZES and 'clip' not in k}
    free = rnn.LSTM(prefix='lstm_', input_size=c['I'], **kw)
    free.load_parameters(str(GOLDEN / f'rnn_proj_{name}.params'))
    out = run(free, name)[0].asnumpy()
    assert np.abs(out - G[f'{name}_out']).max() > 1e-2


def test_hybridized_equals_eager():
    eager, hybrid = load_layer('pc2bi'), load_layer('pc2bi')
    hybrid.hybridize()
    for a, b in zip(run(eager, 'pc2bi'), run(hybrid, 'pc2bi')):
        np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())


@pytest.mark.parametrize('name', sorted(cases.CASES))
def test_parameter_names_and_files(name, tmp_path):
    """Names and shapes as MXNet's: l0_h2r_weight (projection_size, hidden_size), h2h on the
    projected state; a file regluon saves has the keys of the file MXNet saved."""
    c = cases.CASES[name]
    layer = load_layer(name)
    shapes = {k: v.shape for k, v in layer.collect_params().items()}
    H, P = c['hidden_size'], c.get('projection_size')
    assert shapes['lstm_l0_h2h_weight'] == (4 * H, P or H)
    if P:
        assert shapes['lstm_l0_h2r_weight'] == (P, H)
        if c['num_layers'] > 1:
            dirs = 2 if c['bidirectional'] else 1
            assert shapes['lstm_l1_i2h_weight'] == (4 * H, P * dirs)
    else:
        assert not any('h2r' in k for k in shapes)
    mine = tmp_path / 'mine.params'
    layer.save_parameters(str(mine))
    want = nd.load(str(GOLDEN / f'rnn_proj_{name}.params'))
    got = nd.load(str(mine))
    assert sorted(got) == sorted(want)
    for k in want:
        np.testing.assert_array_equal(got[k].asnumpy(), want[k].asnumpy())


def test_deferred_input_size_and_states():
    layer = rnn.LSTM(6, num_layers=2, bidirectional=True, projection_size=2)
    layer.initialize()
    out, (h, c) = layer(nd.ones((3, 4, 5)), layer.begin_state(4))
    assert out.shape == (3, 4, 4) and h.shape == (4, 4, 2) and c.shape == (4, 4, 6)
    assert layer.l0_i2h_weight.shape == (24, 5) and layer.l1_i2h_weight.shape == (24, 4)
    assert [i['shape'] for i in layer.state_info(4)] == [(4, 4, 2), (4, 4, 6)]
    assert layer(nd.ones((3, 4, 5))).shape == (3, 4, 4)      # begins from zero states
    with pytest.raises(ValueError, match=r'Expecting \(4, 4, 2\), got \(4, 4, 6\)'):
        layer(nd.ones((3, 4, 5)), [nd.zeros((4, 4, 6)), nd.zeros((4, 4, 6))])


def test_symbol_input():
    layer = load_layer('p2bi')
    x = mx.sym.var('data')
    out = layer(x)
    arr = cases.inputs('p2bi')[0]
    ex = out.bind(mx.cpu(), {'data': nd.array(arr), **{
        k: v.data() for k, v in layer.collect_params().items()}})
    got = ex.forward()[0].asnumpy()
    np.testing.assert_allclose(got, layer(nd.array(arr)).asnumpy(), **TOL)
    assert got.shape == (2, 3, 6)


def test_state_clip_nan():
    """state_clip_nan maps a NaN cell state to state_clip_min (cuDNN's
    CUDNN_NOT_PROPAGATE_NAN, fmin(fmax(c, min), max)); without it NaN propagates. MXNet's
    CPU kernel has no clipping, so this has no golden."""
    x = nd.ones((2, 1, 3))
    x[1] = np.nan
    outs = {}
    for flag in (False, True):
        layer = rnn.LSTM(4, input_size=3, state_clip_min=-0.5, state_clip_max=0.7,
                         state_clip_nan=flag)
        layer.initialize(mx.init.Uniform(0.5))
        outs[flag] = layer(x, layer.begin_state(1))[1][1].asnumpy()
    assert np.isnan(outs[False]).all()
    np.testing.assert_array_equal(outs[True], np.full((1, 1, 4), -0.5, 'float32'))


def test_sequence_length_with_clipping():
    """use_sequence_length: steps past a sequence's length output 0 and keep its state,
    with and without clipping (wide bounds give the unclipped result)."""
    kw = dict(hidden_size=4, num_layers=2, bidirectional=True, projection_size=3,
              input_size=3, use_sequence_length=True)
    free, wide = rnn.LSTM(**kw), rnn.LSTM(state_clip_min=-1e6, state_clip_max=1e6, **kw)
    free.initialize(mx.init.Uniform(0.5))
    wide.initialize()
    for k, p in wide.collect_params().items():
        p.set_data(free.collect_params()[free.prefix + k[len(wide.prefix):]].data())
    x = nd.array(np.random.RandomState(0).uniform(-1, 1, (5, 3, 3)))
    length = nd.array([5, 2, 3])
    a, b = (layer(x, layer.begin_state(3), length) for layer in (free, wide))
    assert (a[0][2:, 1].asnumpy() == 0).all()
    for u, v in zip([a[0]] + a[1], [b[0]] + b[1]):
        np.testing.assert_allclose(u.asnumpy(), v.asnumpy(), **TOL)


def test_rnn_op_errors():
    x, par = nd.ones((2, 1, 3)), nd.ones((1000,))
    h, c = nd.zeros((1, 1, 4)), nd.zeros((1, 1, 4))
    kw = dict(state_size=4, num_layers=1)
    with pytest.raises(MXNetError, match="need mode='lstm', got mode='gru'"):
        nd.RNN(x, par, h, mode='gru', projection_size=2, **kw)
    with pytest.raises(MXNetError, match='must be given together'):
        nd.RNN(x, par, h, c, mode='lstm', lstm_state_clip_min=-1.0, **kw)
    with pytest.raises(MXNetError, match=r'state must have shape \(1, 1, 2\), got \(1, 1, 4\)'):
        nd.RNN(x, par, h, c, mode='lstm', projection_size=2, **kw)
    with pytest.raises(MXNetError, match='projection_size=2'):
        nd.RNN(x, par, nd.zeros((1, 1, 2)), c, mode='lstm', projection_size=2, **kw)
    with pytest.raises(MXNetError, match='lstm_state_clip_min must be <='):
        nd.RNN(x, par, h, c, mode='lstm', lstm_state_clip_min=1.0, lstm_state_clip_max=0.0,
               **kw)


@pytest.mark.parametrize('hybrid', [False, True])
def test_lstmp_cell_golden(hybrid):
    cell = mx.gluon.contrib.rnn.LSTMPCell(5, 3, input_size=4, prefix='lstmp_')
    cell.load_parameters(str(GOLDEN / 'rnn_proj_cell.params'))
    if hybrid:
        cell.hybridize()
    x, h0, c0 = (nd.array(G[f'cell_{k}']) for k in ('x', 'h0', 'c0'))
    for key, value in cases.cell_results(mx, cell, x, h0, c0).items():
        np.testing.assert_allclose(value, G[f'cell_{key}'], err_msg=key, **TOL)
    params = cell.collect_params()
    assert sorted(params) == sorted('lstmp_' + k[len('cell_g_'):] for k in G
                                    if k.startswith('cell_g_'))
    for k, p in params.items():
        np.testing.assert_allclose(p.grad().asnumpy(), G['cell_g_' + k[len('lstmp_'):]],
                                   err_msg=k, **TOL)
    assert repr(cell) == 'LSTMPCell(4 -> 20 -> 3)'
    assert [i['shape'] for i in cell.state_info(2)] == [(2, 3), (2, 5)]


def test_export_round_trips(tmp_path):
    """A layer MXNet exported (states as inputs data1/data2, parameters joined by
    _rnn_param_concat) imports and runs here; a layer regluon exports takes the same inputs."""
    x = nd.array(cases.inputs('p2bi')[0])
    states = [nd.zeros((4, 2, 3)), nd.zeros((4, 2, 5))]
    names = ['data0', 'data1', 'data2']
    net = mx.gluon.SymbolBlock.imports(str(GOLDEN / 'rnn_proj_export-symbol.json'), names,
                                       str(GOLDEN / 'rnn_proj_export-0000.params'))
    np.testing.assert_allclose(net(x, *states).asnumpy(), G['export_out'], **TOL)
    layer = load_layer('p2bi')
    layer.hybridize()
    layer(x)
    layer.export(str(tmp_path / 'mine'))
    mine = mx.gluon.SymbolBlock.imports(str(tmp_path / 'mine-symbol.json'), names,
                                        str(tmp_path / 'mine-0000.params'))
    np.testing.assert_allclose(mine(x, *states).asnumpy(), G['export_out'], **TOL)
    out, (h, c) = layer(x, states)               # called with states: all three outputs
    layer.export(str(tmp_path / 'states'))
    sym = mx.sym.load(str(tmp_path / 'states-symbol.json'))
    args = {k.split(':', 1)[1]: v for k, v in nd.load(str(tmp_path / 'states-0000.params')).items()}
    args.update(zip(names, [x] + states))
    got = sym.bind(mx.cpu(), args).forward()
    assert len(got) == 3
    for a, b in zip(got, (out, h, c)):
        np.testing.assert_allclose(a.asnumpy(), b.asnumpy(), **TOL)
