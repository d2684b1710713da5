"""LSTM projection / cell-state clipping cases, shared by tools/golden_rnn_projection.py
(run under MXNet 1.9.1) and tests/test_rnn_projection.py (run under regluon).

Each function takes the library (`mxnet` or `regluon`) as `mx`.
"""
import numpy as np

# name: fused LSTM arguments and input sizes
CASES = {
    'p1': dict(hidden_size=5, num_layers=1, bidirectional=False, projection_size=3,
               layout='TNC', T=4, N=2, I=4),
    'p2bi': dict(hidden_size=5, num_layers=2, bidirectional=True, projection_size=3,
                 layout='NTC', T=3, N=2, I=4),
    'c1': dict(hidden_size=4, num_layers=1, bidirectional=False, state_clip_min=-0.3,
               state_clip_max=0.3, layout='TNC', T=5, N=3, I=3),
    'pc2bi': dict(hidden_size=5, num_layers=2, bidirectional=True, projection_size=2,
                  state_clip_min=-0.2, state_clip_max=0.25, layout='TNC', T=4, N=2, I=3),
}
SIZES = ('T', 'N', 'I')


def make_layer(mx, name):
    """The fused layer of case `name`, prefix 'lstm_'."""
    kw = {k: v for k, v in CASES[name].items() if k not in SIZES}
    return mx.gluon.rnn.LSTM(prefix='lstm_', input_size=CASES[name]['I'], **kw)


def inputs(name, seed=0):
    """Input and begin states (h has projection_size when there is one), as numpy."""
    c = CASES[name]
    rng = np.random.RandomState(seed)
    T, N, I = c['T'], c['N'], c['I']
    shape = (T, N, I) if c['layout'] == 'TNC' else (N, T, I)
    nl = c['num_layers'] * (2 if c['bidirectional'] else 1)
    h = c.get('projection_size') or c['hidden_size']
    return (rng.uniform(-2, 2, shape).astype('float32'),
            rng.uniform(-1, 1, (nl, N, h)).astype('float32'),
            rng.uniform(-1, 1, (nl, N, c['hidden_size'])).astype('float32'))


def loss(mx, out, hn, cn):
    """A scalar that weighs every output differently, so each gradient is checked."""
    return (out * out).sum() + (hn * 1.5).sum() + (cn * cn * 0.5).sum()


def cell_run(mx, cell, x, h0, c0):
    """Unroll an LSTMPCell over x (NTC) and return outputs, states and the loss."""
    out, (h, c) = cell.unroll(x.shape[1], x, begin_state=[h0, c0], layout='NTC',
                              merge_outputs=True)
    return out, h, c, loss(mx, out, h, c)


def cell_results(mx, cell, x, h0, c0):
    """{'out'/'h'/'c': value, 'dx'/'dh0'/'dc0': gradient} of cell_run's loss, recorded."""
    for a in (x, h0, c0):
        a.attach_grad()
    with mx.autograd.record():
        res = cell_run(mx, cell, x, h0, c0)
    res[-1].backward()
    got = {key: a.asnumpy() for key, a in zip(('out', 'h', 'c'), res)}
    got.update({f'd{key}': a.grad.asnumpy() for key, a in zip(('x', 'h0', 'c0'), (x, h0, c0))})
    return got
