"""gluon.rnn against MXNet 1.9.1 (goldens by tools/golden_rnn.py): fused layers and cells load
MXNet's parameter files and give its outputs, states and gradients, eager and hybridized."""
import sys

import numpy as np
import pytest

import regluon as mx
from regluon import autograd, gluon, nd
from regluon.base import MXNetError
from regluon.gluon import rnn

from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
import rnn_cases as cases  # noqa: E402  (the cells the golden writer ran in MXNet)

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
    with autograd.record(train_mode=False):   # no dropout: deterministic
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
    make, _ = LAYERS[name]
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
    make, _ = LAYERS[name]
    layer = make()
    layer.load_parameters(str(GOLDEN / f'rnn_{name}.params'))
    layer.save_parameters(str(tmp_path / 'p.params'))
    saved = nd.load(str(GOLDEN / f'rnn_{name}.params'))
    ours = nd.load(str(tmp_path / 'p.params'))
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
    state = rnn_layer.begin_state(batch_size=batch_size, ctx=mx.cpu())   # as RNNModel does
    assert state[0].context == mx.cpu() and float(state[0].sum().asscalar()) == 0


def test_layer_sequence_length_and_dtype():
    """use_sequence_length (the RNN op's cuDNN semantics: MXNet's CPU kernel ignores it):
    steps past a length output 0 and the state is that of the last valid step."""
    layer = rnn.GRU(3, use_sequence_length=True, dtype='float64')
    layer.initialize()
    x = nd.random.uniform(shape=(4, 2, 5), dtype='float64')
    out, states = layer(x, layer.begin_state(2, dtype='float64'), nd.array([2, 4]))
    assert out.dtype == np.float64 and states[0].dtype == np.float64
    assert np.all(out.asnumpy()[2:, 0] == 0) and np.all(out.asnumpy()[2:, 1] != 0)
    short, short_states = layer(x[:2], layer.begin_state(2, dtype='float64'), nd.array([2, 2]))
    np.testing.assert_allclose(states[0].asnumpy()[:, 0], short_states[0].asnumpy()[:, 0])


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


def seq_cell(cls=rnn.HybridSequentialRNNCell):
    """The golden's SequentialRNNCell; the Hybrid one saves the same file layout."""
    return cases.seq_cell(rnn, cls)


CELLS = cases.cells(rnn, rnn.HybridSequentialRNNCell)   # as tools/golden_rnn.py ran them


class Unrolled(gluon.HybridBlock):
    """A hybridizable block around cell.unroll, flat in and out (so it is traced)."""

    def __init__(self, cell, length, layout, valid, **kw):
        super().__init__(**kw)
        self.cell, self._length, self._layout, self._valid = cell, length, layout, valid

    def hybrid_forward(self, F, x, *states):
        *states, = states
        valid = None
        if self._valid is not None:
            *states, valid = states
        out, new = self.cell.unroll(self._length, x, list(states) or None,
                                    layout=self._layout, merge_outputs=True,
                                    valid_length=valid)
        return [out] + list(new)


@pytest.mark.parametrize('hybrid', [False, True])
@pytest.mark.parametrize('name', sorted(CELLS))
def test_cell_golden(name, hybrid):
    make, shape, layout, valid = CELLS[name]
    cell = make()
    cell.load_parameters(str(GOLDEN / f'rnn_{name}.params'))
    length = shape[layout.find('T')]
    block = Unrolled(cell, length, layout, valid)
    if hybrid:
        block.hybridize()
    extra = [] if valid is None else [nd.array(G[name + '/valid_length'])]

    def fn(x, s):
        out = block(x, *s, *extra)
        return out[0], out[1:]
    weight = cell._collect_params_with_prefix()[str(G[name + '/weight_name'])]
    check_case(name, cell, fn, weight, len(cell.state_info()))
    if hybrid:
        assert block._graph_cache is not None and block._graph_cache.symbol is not None


@pytest.mark.parametrize('name, swap', [('lstm_cell', False), ('seq_cell', False),
                                        ('seq_cell', True), ('bi_cell', False),
                                        ('rnn_cell_relu', False)])
def test_cell_unroll_traced_without_begin_state(name, swap):
    """Traced unroll with begin_state=None starts from zeros, as the eager one does."""
    make, _, layout, _ = CELLS[name]
    cell = make()
    cell.load_parameters(str(GOLDEN / f'rnn_{name}.params'))
    x = nd.array(G[name + '/x'])
    if swap:                                   # the other layout
        layout, x = layout[1] + layout[0] + layout[2], x.swapaxes(0, 1)
    length = x.shape[layout.find('T')]
    block = Unrolled(cell, length, layout, None)
    want = block(x)
    block.hybridize()
    got = block(x)
    assert block._graph_cache.symbol is not None and len(got) == len(want)
    for g, w in zip(got, want):
        np.testing.assert_allclose(g.asnumpy(), w.asnumpy(), rtol=1e-6, atol=1e-7)
    zeros = [nd.zeros(G['%s/state%d' % (name, i)].shape) for i in range(len(want) - 1)]
    given = Unrolled(cell, length, layout, None)(x, *zeros)
    np.testing.assert_allclose(given[0].asnumpy(), want[0].asnumpy(), rtol=1e-6)


@pytest.mark.parametrize('hybrid', [False, True])
@pytest.mark.parametrize('name', ['rnn_cell', 'lstm_cell', 'gru_cell', 'seq_cell', 'seq_plain'])
def test_cell_step_by_step(name, hybrid):
    """cell(x_t, states) step by step equals unroll; a list of steps unrolls as well."""
    plain = name == 'seq_plain'
    name = 'seq_cell' if plain else name
    make, shape, layout, _ = CELLS[name]
    cell = seq_cell(rnn.SequentialRNNCell) if plain else make()
    cell.load_parameters(str(GOLDEN / f'rnn_{name}.params'))
    if hybrid:
        cell.hybridize()
    x = nd.array(G[name + '/x'])
    states = [nd.full(G['%s/state%d' % (name, i)].shape, 0.1)
              for i in range(len(cell.state_info()))]
    outs = []
    for t in range(shape[1]):
        out, states = cell(x[:, t], states)
        outs.append(out)
    np.testing.assert_allclose(nd.stack(*outs, axis=1).asnumpy(), G[name + '/out'],
                               rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(states[0].asnumpy(), G[name + '/state0'], rtol=1e-5, atol=1e-5)
    steps, _ = cell.unroll(3, [x[:, t] for t in range(3)],
                           [nd.full(s.shape, 0.1) for s in states])
    assert isinstance(steps, list) and len(steps) == 3
    np.testing.assert_allclose(steps[2].asnumpy(), G[name + '/out'][:, 2], rtol=1e-5, atol=1e-5)


def test_cell_names_shapes_and_state_info():
    with mx.name.NameManager():
        lstm, gru, r = rnn.LSTMCell(4), rnn.GRUCell(3, input_size=2), rnn.RNNCell(5)
        seq = rnn.SequentialRNNCell()
        with seq.name_scope():
            seq.add(rnn.LSTMCell(2))
            seq.add(rnn.ResidualCell(rnn.GRUCell(2)))
    assert list(lstm.collect_params()) == ['lstm0_i2h_weight', 'lstm0_h2h_weight',
                                           'lstm0_i2h_bias', 'lstm0_h2h_bias']
    assert gru.i2h_weight.shape == (9, 2) and gru.h2h_weight.shape == (9, 3)
    assert r.prefix == 'rnn0_' and repr(r) == 'RNNCell(None -> 5, tanh)'
    assert list(seq.collect_params()) == [
        'sequentialrnncell0_lstm0_%s' % p for p in ('i2h_weight', 'h2h_weight', 'i2h_bias',
                                                     'h2h_bias')] + [
        'sequentialrnncell0_gru0_%s' % p for p in ('i2h_weight', 'h2h_weight', 'i2h_bias',
                                                    'h2h_bias')]
    assert lstm.state_info(7) == [{'shape': (7, 4), '__layout__': 'NC'}] * 2
    assert [s.shape for s in seq.begin_state(batch_size=3)] == [(3, 2), (3, 2), (3, 2)]
    lstm.initialize()
    out, states = lstm.unroll(6, nd.ones((2, 6, 3)), merge_outputs=True)
    assert out.shape == (2, 6, 4) and lstm.i2h_weight.shape == (16, 3)
    assert [s.shape for s in states] == [(2, 4), (2, 4)]


def test_modifier_and_dropout_cells():
    base = rnn.GRUCell(4)
    zone = rnn.ZoneoutCell(base, zoneout_outputs=0.5, zoneout_states=0.5)
    zone.initialize()
    x = nd.random.uniform(shape=(2, 3, 4))
    with pytest.raises(RuntimeError, match='modifier'):
        base.begin_state(batch_size=2)
    with pytest.raises(ValueError, match='modified twice'):
        rnn.ResidualCell(base)
    out, states = zone.unroll(3, x, merge_outputs=True)   # not training: no zoneout
    base._modified = False
    want, want_states = base.unroll(3, x, merge_outputs=True)
    np.testing.assert_allclose(out.asnumpy(), want.asnumpy(), rtol=1e-6)
    with autograd.train_mode():
        zout, _ = zone.unroll(3, x, merge_outputs=False)
    assert len(zout) == 3 and zout[0].shape == (2, 4)
    drop = rnn.DropoutCell(0.5)
    assert drop.state_info() == [] and drop.begin_state() == []
    y, s = drop.unroll(3, x, merge_outputs=True)
    assert s == [] and np.array_equal(y.asnumpy(), x.asnumpy())
    with autograd.train_mode():
        y, _ = drop.unroll(3, x, merge_outputs=True)
    kept = y.asnumpy() != 0
    np.testing.assert_allclose(y.asnumpy()[kept], 2 * x.asnumpy()[kept], rtol=1e-6)
    with pytest.raises(TypeError, match='rate'):
        rnn.DropoutCell('0.5')
    with pytest.raises(NotImplementedError, match='unroll'):
        rnn.BidirectionalCell(rnn.GRUCell(2), rnn.GRUCell(2))(x[:, 0], [])
    with pytest.raises(ValueError, match='length'):
        rnn.GRUCell(2).unroll(4, x)


class RNNModel(gluon.Block):
    """d2l chapter 6.5's model: a recurrent layer and a Dense output layer."""

    def __init__(self, rnn_layer, vocab_size, **kwargs):
        super().__init__(**kwargs)
        self.rnn = rnn_layer
        self.vocab_size = vocab_size
        self.dense = gluon.nn.Dense(vocab_size)

    def forward(self, inputs, state):
        X = nd.one_hot(inputs.T, self.vocab_size)
        Y, state = self.rnn(X, state)
        return self.dense(Y.reshape((-1, Y.shape[-1]))), state

    def begin_state(self, *args, **kwargs):
        return self.rnn.begin_state(*args, **kwargs)


@pytest.mark.parametrize('layer', [lambda: rnn.RNN(16), lambda: rnn.GRU(16),
                                   lambda: rnn.LSTM(16)])
def test_d2l_rnn_model_trains(layer):
    mx.random.seed(0)
    model = RNNModel(layer(), 10)
    model.initialize(mx.init.Normal(0.1), force_reinit=True)
    trainer = gluon.Trainer(model.collect_params(), 'adam', {'learning_rate': 0.05})
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    X = nd.array(np.arange(12).reshape(2, 6) % 10)
    Y = nd.array((np.arange(12).reshape(2, 6) + 1) % 10)
    losses = []
    for _ in range(20):
        state = model.begin_state(batch_size=2, ctx=mx.cpu())
        with autograd.record():
            output, state = model(X, state)
            ls = loss(output, Y.T.reshape((-1,))).mean()
        ls.backward()
        trainer.step(1)
        losses.append(float(ls.asscalar()))
    assert losses[-1] < 0.1 * losses[0]      # it learns the shifted sequence


def test_unfuse_gives_cells_sharing_the_layers_parameters():
    # MXNet 1.9.1's test_gluon_rnn.test_lstm_cpu_inference, its expected values
    want = np.array([[[0.72045636, 0.72045636, 0.95215213, 0.95215213],
                      [0.72045636, 0.72045636, 0.95215213, 0.95215213]],
                     [[0.95215213, 0.95215213, 0.72045636, 0.72045636],
                      [0.95215213, 0.95215213, 0.72045636, 0.72045636]]])
    x = mx.nd.ones(shape=(2, 2, 2))
    model = mx.gluon.rnn.LSTM(2, num_layers=6, bidirectional=True)
    cells = model._unfuse()
    model.initialize(mx.init.One())
    np.testing.assert_allclose(model(x).asnumpy(), want, rtol=1e-3, atol=1e-5)
    y = cells.unroll(2, x, layout='TNC', merge_outputs=True)[0]
    np.testing.assert_allclose(y.asnumpy(), want, rtol=1e-3, atol=1e-5)
    assert set(cells.collect_params()) == set(model.collect_params())
    gru = mx.gluon.rnn.GRU(3, num_layers=2, dropout=0.5)
    assert [type(c).__name__ for c in gru._unfuse()._children.values()] == \
        ['GRUCell', 'DropoutCell', 'GRUCell']
