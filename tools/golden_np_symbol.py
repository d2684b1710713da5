"""Write tests/golden/np_symbol.{npz,json} with MXNet 1.9.1: each case of
tests/golden/np_symbol_cases.py run as a hybridized HybridBlock in np mode (its outputs,
the gradients of its float inputs for a backward of ones, and the symbol JSON its export
writes). Also an np-mode MLP with a user HybridBlock exported with its parameters
(np_symbol_mlp-symbol.json / -0000.params) and its outputs.

With a family name, the cases of tests/golden/np_symbol_cases_<family>.py instead, written
to np_symbol_<family>.{npz,json}:

    MXNET_SUBGRAPH_BACKEND=NONE ~/.cache/mxnet-ref/bin/python tools/golden_np_symbol.py
    MXNET_SUBGRAPH_BACKEND=NONE ~/.cache/mxnet-ref/bin/python tools/golden_np_symbol.py linalg
"""
import importlib
import json
import os
import sys
import tempfile

import mxnet as mx
import numpy as onp
from mxnet import autograd, gluon, np, npx
from mxnet.gluon import nn

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, '..', 'tests', 'golden')
sys.path.insert(0, GOLDEN)
from np_symbol_cases import make_inputs  # noqa: E402
from np_symbol_blocks import mlp, mlp_input  # noqa: E402


def case_block(name, fn):
    class Case(gluon.HybridBlock):
        def hybrid_forward(self, F, *xs):
            return fn(F, *xs)
    return Case(prefix=name + '_')


def run_case(name, fn, specs, tmp):
    xs = [np.array(a, dtype=a.dtype) for a in make_inputs(specs, len(name))]
    blk = case_block(name, fn)
    blk.initialize()
    blk.hybridize()
    # gradients of the float data inputs ('f', 'p'); lengths ('l') and indices have none
    # (MXNet leaves a length's gradient buffer unwritten)
    for x, (_, kind) in zip(xs, specs):
        if kind in 'fp':
            x.attach_grad()
    with autograd.record():
        out = blk(*xs)
    res = {f'{name}/out': out.asnumpy()}
    if out.dtype.kind == 'f':
        try:
            out.backward()
            for i, (x, (_, kind)) in enumerate(zip(xs, specs)):
                if kind in 'fp':
                    res[f'{name}/grad{i}'] = x.grad.asnumpy()
        except mx.MXNetError as e:
            print(name, 'no gradient:', str(e).splitlines()[0][:80])
    path = os.path.join(tmp, name)
    blk.export(path)
    with open(path + '-symbol.json') as f:
        text = f.read()
    return res, text


def main(family=None):
    npx.set_np()
    arrays, texts = {}, {}
    cases = importlib.import_module('np_symbol_cases' + (f'_{family}' if family else ''))
    with tempfile.TemporaryDirectory() as tmp:
        for name, (fn, specs) in cases.CASES.items():
            try:
                res, text = run_case(name, fn, specs, tmp)
            except Exception as e:   # noqa: BLE001 (what MXNet cannot do is recorded)
                print(name, 'FAILS in MXNet:', type(e).__name__, str(e).splitlines()[0][:100])
                texts[name] = None
                continue
            arrays.update(res)
            texts[name] = text
    out = 'np_symbol' + (f'_{family}' if family else '')
    if family is None:
        # a user HybridBlock with Parameters inside Gluon layers, exported with them
        net = mlp()
        x = np.array(mlp_input())
        net(x)
        net.hybridize()
        arrays['mlp/out'] = net(x).asnumpy()
        net.export(os.path.join(GOLDEN, 'np_symbol_mlp'))
    onp.savez_compressed(os.path.join(GOLDEN, out + '.npz'), **arrays)
    with open(os.path.join(GOLDEN, out + '.json'), 'w') as f:
        json.dump(texts, f, indent=1, sort_keys=True)
    print(len(arrays), 'arrays;', sum(t is not None for t in texts.values()), 'graphs')


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else None)
