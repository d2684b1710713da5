"""Golden data for LSTM projection and cell-state clipping (gluon.rnn.LSTM, nd.RNN) and
gluon.contrib.rnn.LSTMPCell.

Run with the real MXNet 1.9.1:
    MXNET_SUBGRAPH_BACKEND=NONE $(../shared/tools/mxnet-ref.sh) tools/golden_rnn_projection.py
Writes tests/golden/rnn_proj.npz, the .params files MXNet saved (rnn_proj_<case>.params) and
an exported layer (rnn_proj_export-symbol.json, rnn_proj_export-0000.params).

MXNet 1.9.1 on CPU runs the fused LSTM with projection only for inference ("No training
support for LSTM with projection on CPU currently"), refuses state clipping for inference
("only supported for GPU with CuDNN") and silently ignores it when recording. So outputs
and gradients come from `unroll` below: the LSTM(P) step written with MXNet's own operators
under MXNet's autograd (clipping with nd.clip, as cuDNN clips the cell state after every
step). Where MXNet's CPU kernel can run (projection, inference), this script asserts that
`unroll` equals it, and stores the kernel's forward too.
"""
import os
import sys

import numpy as np
import mxnet as mx
from mxnet import nd, autograd

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden'))
import rnn_proj_cases as cases  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden')


def unroll(c, x, h0, c0, P):
    """Multi-layer (bi)LSTM with optional projection and clipping, step by step."""
    L, D, H = c['num_layers'], 2 if c['bidirectional'] else 1, c['hidden_size']
    proj, lo, hi = c.get('projection_size'), c.get('state_clip_min'), c.get('state_clip_max')
    if c['layout'] == 'NTC':
        x = nd.swapaxes(x, 0, 1)
    T, inp, hs, cs = x.shape[0], x, [], []
    for layer in range(L):
        outs = []
        for d in range(D):
            k, pre = layer * D + d, '%s%d_' % ('lr'[d], layer)
            h, cc, ys = h0[k], c0[k], [None] * T
            for t in (range(T) if d == 0 else range(T - 1, -1, -1)):
                g = nd.FullyConnected(inp[t], P[pre + 'i2h_weight'], P[pre + 'i2h_bias'],
                                      num_hidden=4 * H) + \
                    nd.FullyConnected(h, P[pre + 'h2h_weight'], P[pre + 'h2h_bias'],
                                      num_hidden=4 * H)
                i, f, gg, o = nd.split(g, num_outputs=4, axis=1)
                cc = nd.sigmoid(f) * cc + nd.sigmoid(i) * nd.tanh(gg)
                if lo is not None:
                    cc = nd.clip(cc, lo, hi)
                h = nd.sigmoid(o) * nd.tanh(cc)
                if proj:
                    h = nd.FullyConnected(h, P[pre + 'h2r_weight'], no_bias=True,
                                          num_hidden=proj)
                ys[t] = h
            outs.append(nd.stack(*ys))
            hs.append(h)
            cs.append(cc)
        inp = nd.concat(*outs, dim=2)
    out = nd.swapaxes(inp, 0, 1) if c['layout'] == 'NTC' else inp
    return out, nd.stack(*hs), nd.stack(*cs)


def gen_layer(name, out):
    c = cases.CASES[name]
    mx.random.seed(7)
    layer = cases.make_layer(mx, name)
    layer.initialize(mx.init.Uniform(0.5))
    layer.save_parameters(os.path.join(OUT, f'rnn_proj_{name}.params'))
    params = {k[len(layer.prefix):]: v for k, v in layer.collect_params().items()}
    x, h0, c0 = (nd.array(a) for a in cases.inputs(name))
    for a in (x, h0, c0):
        a.attach_grad()
    with autograd.record():
        res = unroll(c, x, h0, c0, {k: p.data() for k, p in params.items()})
        cases.loss(mx, *res).backward()
    if 'state_clip_min' not in c:       # MXNet's CPU kernel: projection, inference only
        fused = layer(x, [h0, c0])
        fused = [fused[0]] + fused[1]
        for a, b in zip(fused, res):
            np.testing.assert_allclose(a.asnumpy(), b.asnumpy(), rtol=1e-5, atol=1e-6)
        out[f'{name}_fused_out'] = fused[0].asnumpy()
    for key, a in zip(('out', 'hn', 'cn'), res):
        out[f'{name}_{key}'] = a.asnumpy()
    for key, a in zip(('x', 'h0', 'c0'), (x, h0, c0)):
        out[f'{name}_d{key}'] = a.grad.asnumpy()
    for k, p in params.items():
        out[f'{name}_g_{k}'] = p.grad().asnumpy()


def gen_cell(out):
    mx.random.seed(3)
    cell = mx.gluon.contrib.rnn.LSTMPCell(5, 3, input_size=4, prefix='lstmp_')
    cell.initialize(mx.init.Uniform(0.5))
    cell.save_parameters(os.path.join(OUT, 'rnn_proj_cell.params'))
    rng = np.random.RandomState(1)
    x = nd.array(rng.uniform(-2, 2, (2, 3, 4)))
    h0, c0 = nd.array(rng.uniform(-1, 1, (2, 3))), nd.array(rng.uniform(-1, 1, (2, 5)))
    out.update({f'cell_{k}': a.asnumpy() for k, a in (('x', x), ('h0', h0), ('c0', c0))})
    out.update({f'cell_{k}': v for k, v in cases.cell_results(mx, cell, x, h0, c0).items()})
    for k, p in cell.collect_params().items():
        out[f'cell_g_{k[len(cell.prefix):]}'] = p.grad().asnumpy()


def gen_export(out):
    """A hybridized layer called without states, exported: its graph takes the states as
    inputs data1, data2 and joins the parameters with _rnn_param_concat."""
    layer = cases.make_layer(mx, 'p2bi')
    layer.load_parameters(os.path.join(OUT, 'rnn_proj_p2bi.params'))
    layer.hybridize()
    x = nd.array(cases.inputs('p2bi')[0])
    out['export_out'] = layer(x).asnumpy()
    layer.export(os.path.join(OUT, 'rnn_proj_export'))


def main():
    out = {}
    for name in cases.CASES:
        gen_layer(name, out)
    gen_cell(out)
    gen_export(out)
    np.savez_compressed(os.path.join(OUT, 'rnn_proj.npz'), **out)
    print('wrote rnn_proj.npz', len(out), 'arrays')


if __name__ == '__main__':
    main()
