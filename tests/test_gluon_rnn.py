"""gluon.rnn against MXNet 1.9.1 (goldens by tools/golden_rnn.py): fused layers and cells load
MXNet's parameter files and give its outputs, states and gradients, eager and hybridized."""
import numpy as np
import pytest

import regluon as mx
from regluon import autograd, gluon, nd
from regluon.base import MXNetError
from regluon.gluon import rnn

from conftest import GOLDEN, golden

G = golden('rnn')

LAYERS = {  # case: (factory, input shape); as in tools/golden_rnn.py
    'rnn_tanh': (lambda: rnn.RNN(4, activation='tanh'), (3, 2, 5)),
    'rnn_relu_2l': (lambda: rnn.RNN(4, num_layers=2), (3, 2, 5)),
    'lstm_2l_bi': (lambda: rnn.LSTM(4, num_layers=2, bidirectional=True), (3, 2, 5)),
    'gru_ntc': (lambda: rnn.GRU(4, layout='NTC'), (2, 3, 5)),
    'gru_bi_ntc': (lambda: rnn.GRU(3, bidirectional=True, layout='NTC'), (2, 4, 5)),
}


def check_case(name, block, fn, weight, n_states):
    """Compare fn(x, begin_states) -> (out, states) and its gradients with the golden."""
    x = nd.array(G[name + '/x'])
    shapes = [G['%s/state%d' % (name, i)].shape for i in range(n_states)]
    begin = [nd.full(s, 0.1) for s in shapes]
    x.attach_grad()
    for s in begin:
        s.attach_grad()
    with autograd.record():
        out, states = fn(x, begin)
        loss = (out * nd.array(G[name + '/head0'])).sum()
        for i, s in enumerate(states):
            loss = loss + (s * nd.array(G['%s/head%d' % (name, i + 1)])).sum()
    loss.backward()
    tol = dict(rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(out.asnumpy(), G[name + '/out'], **tol)
    assert len(states) == n_states
    for i, s in enumerate(states):
        np.testing.assert_allclose(s.asnumpy(), G['%s/state%d' % (name, i)], **tol)
        np.testing.assert_allclose(begin[i].grad.asnumpy(), G['%s/dbegin%d' % (name, i)], **tol)
    np.testing.assert_allclose(x.grad.asnumpy(), G[name + '/dx'], **tol)
    np.testing.assert_allclose(weight.grad().asnumpy(), G[name + '/dweight'], **tol)


@pytest.mark.parametrize('hybrid', [False, True])
@pytest.mark.parametrize('name', sorted(LAYERS))
def test_layer_golden(name, hybrid):
    make, shape = LAYERS[name]
    layer = make()
    layer.load_parameters(str(GOLDEN / f'rnn_{name}.params'))
    if hybrid:
        layer.hybridize()
    n_states = 2 if isinstance(layer, rnn.LSTM) else 1
    check_case(name, layer, lambda x, s: layer(x, s), layer.l0_h2h_weight, n_states)
    # without states: the output alone, begun from zeros
    out = layer(nd.array(G[name + '/x']))
    assert isinstance(out, nd.NDArray) and out.shape == G[name + '/out'].shape


@pytest.mark.parametrize('name', sorted(LAYERS))
def test_layer_save_load_round_trip(name, tmp_path):
    make, shape = LAYERS[name]
    layer = make()
    layer.load_parameters(str(GOLDEN / f'rnn_{name}.params'))
    layer.save_parameters(str(tmp_path / 'p.params'))
    saved, ours = mx.nd.load(str(GOLDEN / f'rnn_{name}.params')), nd.load(str(tmp_path / 'p.params'))
    assert sorted(saved) == sorted(ours)
    for k in saved:
        np.testing.assert_array_equal(saved[k].asnumpy(), ours[k].asnumpy())


LAYER_NAMES = [  # factory, expected parameter names (MXNet's prefixes and order)
    (lambda: rnn.RNN(3), ['rnn0_l0_i2h_weight', 'rnn0_l0_h2h_weight', 'rnn0_l0_i2h_bias',
                          'rnn0_l0_h2h_bias']),
    (lambda: rnn.GRU(3, bidirectional=True),
     ['gru0_%s0_%s' % (d, p) for d in 'lr'
      for p in ('i2h_weight', 'h2h_weight', 'i2h_bias', 'h2h_bias')]),
]


@pytest.mark.parametrize('make, names', LAYER_NAMES)
def test_layer_parameter_names(make, names):
    with mx.name.NameManager():
        layer = make()
    assert list(layer.collect_params().keys()) == names


@pytest.mark.parametrize('make, x_shape, want', [
    (lambda: rnn.LSTM(6, num_layers=2, bidirectional=True, input_size=5), (3, 2, 5),
     {'l0_i2h_weight': (24, 5), 'l1_i2h_weight': (24, 12), 'r1_h2h_weight': (24, 6)}),
    (lambda: rnn.GRU(4, layout='NTC'), (2, 7, 3), {'l0_i2h_weight': (12, 3)}),
])
def test_layer_shapes_and_deferred_input_size(make, x_shape, want):
    layer = make()
    layer.initialize()
    out, states = layer(nd.ones(x_shape), layer.begin_state(x_shape[layer._layout.find('N')]))
    for k, shape in want.items():
        assert getattr(layer, k).shape == shape
    t, n = x_shape[layer._layout.find('T')], x_shape[layer._layout.find('N')]
    width = layer._hidden_size * layer._dir
    assert out.shape == ((t, n, width) if layer._layout == 'TNC' else (n, t, width))


def test_d2l_rnn_layer():
    """d2l chapter 6.5: shapes as the book prints them."""
    num_hiddens, vocab_size, num_steps, batch_size = 256, 1027, 35, 2
    rnn_layer = rnn.RNN(num_hiddens)
    rnn_layer.initialize()
    state = rnn_layer.begin_state(batch_size=batch_size)
    assert isinstance(state, list) and state[0].shape == (1, 2, 256)
    X = nd.random.uniform(shape=(num_steps, batch_size, vocab_size))
    Y, state_new = rnn_layer(X, state)
    assert Y.shape == (35, 2, 256) and len(state_new) == 1 and state_new[0].shape == (1, 2, 256)
    assert repr(rnn_layer) == 'RNN(1027 -> 256, TNC)'


def test_layer_in_hybridized_network():
    """A layer inside a hybridized parent is traced (zero states made from the input)."""
    layer = rnn.LSTM(4, layout='NTC')
    net = gluon.nn.HybridSequential()
    net.add(layer, gluon.nn.Dense(2, flatten=False))
    net.initialize()
    x = nd.random.uniform(shape=(3, 5, 6))
    want = net(x)
    net.hybridize()
    np.testing.assert_allclose(net(x).asnumpy(), want.asnumpy(), rtol=1e-5, atol=1e-6)
    assert net._graph_cache is not None


def test_layer_errors():
    layer = rnn.GRU(4)
    layer.initialize()
    x = nd.ones((3, 2, 5))
    with pytest.raises(ValueError, match=r'Expecting \(1, 2, 4\), got \(1, 3, 4\)'):
        layer(x, [nd.zeros((1, 3, 4))])
    with pytest.raises(ValueError, match='layout'):
        rnn.LSTM(4, layout='NCT')
    bad = rnn.RNN(4)
    bad.initialize()
    with pytest.raises(ValueError, match='rank-3'):
        bad(nd.ones((3, 5)), [nd.zeros((1, 5, 4))])
    fixed = rnn.RNN(4, input_size=3)
    fixed.initialize()
    with pytest.raises(MXNetError, match='expected'):
        fixed(x)                           # parameters sized for 3 inputs, got 5
