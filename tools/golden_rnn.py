"""Goldens for gluon.rnn, written by the real MXNet 1.9.1.

Run with the MXNet interpreter from the repository root:
    MXNET_SUBGRAPH_BACKEND=NONE ~/.cache/mxnet-ref/bin/python tools/golden_rnn.py
Each case builds a layer or cell with a fixed seed, saves its Parameters
(tests/golden/rnn_<case>.params, structural names), and stores in tests/golden/rnn.npz the
input, the outputs and states, the random heads, and the gradients of the input, the begin
states and one weight (l0_h2h_weight; a cell's first by structural name) for
loss = sum(out * head) + sum(state_i * head_i), recorded with train_mode=False.
"""
import os
import sys

import numpy as np
import mxnet as mx
from mxnet import autograd, nd
from mxnet.gluon import rnn

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests',
                                'golden'))
import rnn_cases as cases  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden')

# case: (factory, input shape, how to call it); the factories must match the test's table
LAYERS = {
    'rnn_tanh': (lambda: rnn.RNN(4, activation='tanh'), (3, 2, 5)),
    'rnn_relu_2l': (lambda: rnn.RNN(4, num_layers=2), (3, 2, 5)),
    'lstm_2l_bi': (lambda: rnn.LSTM(4, num_layers=2, bidirectional=True), (3, 2, 5)),
    'gru_ntc': (lambda: rnn.GRU(4, layout='NTC'), (2, 3, 5)),
    'gru_bi_ntc': (lambda: rnn.GRU(3, bidirectional=True, layout='NTC'), (2, 4, 5)),
}


CELLS = cases.cells(rnn)   # tests/golden/rnn_cases.py


def run_case(name, block, x, call, weight, res):
    """Save block's params; record outputs, states and gradients under `name/`."""
    rng = np.random.RandomState(len(name))
    states = [s.copy() for s in call['begin']]
    x = nd.array(x)
    x.attach_grad()
    for s in states:
        s.attach_grad()
    with autograd.record(train_mode=False):   # no dropout: deterministic
        out, new_states = call['fn'](x, states)
        heads = [rng.uniform(-1, 1, size=out.shape).astype('float32')]
        heads += [rng.uniform(-1, 1, size=s.shape).astype('float32') for s in new_states]
        loss = (out * nd.array(heads[0])).sum()
        for s, h in zip(new_states, heads[1:]):
            loss = loss + (s * nd.array(h)).sum()
    loss.backward()
    block.save_parameters(os.path.join(OUT, 'rnn_%s.params' % name))
    res[name + '/x'] = x.asnumpy()
    res[name + '/out'] = out.asnumpy()
    res[name + '/dx'] = x.grad.asnumpy()
    res[name + '/dweight'] = weight.grad().asnumpy()
    for i, (s, h) in enumerate(zip(new_states, heads[1:])):
        res['%s/state%d' % (name, i)] = s.asnumpy()
        res['%s/head%d' % (name, i + 1)] = h
        res['%s/dbegin%d' % (name, i)] = states[i].grad.asnumpy()
    res[name + '/head0'] = heads[0]


def main():
    res = {}
    for k, (name, (make, shape)) in enumerate(sorted(LAYERS.items())):
        mx.random.seed(k)
        layer = make()
        layer.initialize(mx.init.Uniform(0.5))
        x = np.random.RandomState(k).uniform(-1, 1, size=shape).astype('float32')
        batch = shape[layer._layout.find('N')]
        begin = [s + 0.1 for s in layer.begin_state(batch)]
        call = {'begin': begin, 'fn': lambda x, s, layer=layer: layer(x, s)}
        run_case(name, layer, x, call, layer.l0_h2h_weight, res)
    for k, (name, (make, shape, layout, valid)) in enumerate(sorted(CELLS.items())):
        mx.random.seed(100 + k)
        cell = make()
        cell.initialize(mx.init.Uniform(0.5))
        x = np.random.RandomState(100 + k).uniform(-1, 1, size=shape).astype('float32')
        batch = shape[layout.find('N')]
        cell.unroll(shape[layout.find('T')], nd.array(x), layout=layout)  # deferred init
        begin = [s + 0.1 for s in cell.begin_state(batch_size=batch, func=nd.zeros)]
        vl = None if valid is None else nd.array(valid)
        if valid is not None:
            res[name + '/valid_length'] = np.array(valid, dtype='float32')

        def fn(x, s, cell=cell, shape=shape, layout=layout, vl=vl):
            return cell.unroll(shape[layout.find('T')], x, s, layout=layout,
                               merge_outputs=True, valid_length=vl)
        key, weight = sorted(cell._collect_params_with_prefix().items())[0]
        run_case(name, cell, x, {'begin': begin, 'fn': fn}, weight, res)
        res[name + '/weight_name'] = np.array(key)
    np.savez_compressed(os.path.join(OUT, 'rnn.npz'), **res)


if __name__ == '__main__':
    main()
