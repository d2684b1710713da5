"""Write tests/golden/np_symbol_random_graphs.json with MXNet 1.9.1: each case of
tests/golden/np_symbol_random_cases.py run as a hybridized HybridBlock in np mode, inside
autograd.record() (dropout active), recording the symbol JSON its export writes and its
output's shape and dtype (random values are not compared):

    MXNET_SUBGRAPH_BACKEND=NONE ~/.cache/mxnet-ref/bin/python tools/golden_np_symbol_random.py
"""
import json
import os
import sys
import tempfile

import mxnet as mx
from mxnet import autograd, np, npx

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, '..', 'tests', 'golden')
sys.path.insert(0, GOLDEN)
sys.path.insert(0, HERE)
from np_symbol_cases import make_inputs  # noqa: E402
from np_symbol_random_cases import CASES  # noqa: E402
from golden_np_symbol import case_block  # noqa: E402


def main():
    npx.set_np()
    mx.random.seed(0)
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for name, (fn, specs) in CASES.items():
            xs = [np.array(a, dtype=a.dtype) for a in make_inputs(specs, len(name))]
            blk = case_block(name, fn)
            blk.initialize()
            blk.hybridize()
            try:
                with autograd.record():
                    y = blk(*xs)
                y = y.asnumpy()
                path = os.path.join(tmp, name)
                blk.export(path)
            except Exception as e:   # noqa: BLE001 (what MXNet cannot do is recorded)
                print(name, 'FAILS in MXNet:', type(e).__name__, str(e).splitlines()[0][:100])
                continue
            with open(path + '-symbol.json') as f:
                out[name] = {'graph': f.read(), 'shape': list(y.shape), 'dtype': str(y.dtype)}
    with open(os.path.join(GOLDEN, 'np_symbol_random_graphs.json'), 'w') as f:
        json.dump(out, f, indent=1, sort_keys=True)
    print(len(out), 'graphs')


if __name__ == '__main__':
    main()
