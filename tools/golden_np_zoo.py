"""Write tests/golden/np_zoo.{npz,json} with MXNet 1.9.1: each network of
tests/golden/np_zoo_cases.py hybridized in np mode (its output, and the symbol JSON its
export writes).

    MXNET_SUBGRAPH_BACKEND=NONE ~/.cache/mxnet-ref/bin/python tools/golden_np_zoo.py
"""
import json
import os
import sys
import tempfile

import mxnet as mx
import numpy as onp
from mxnet import npx

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, '..', 'tests', 'golden')
sys.path.insert(0, GOLDEN)
from np_zoo_cases import NETS, build  # noqa: E402


def main():
    npx.set_np()
    arrays, texts = {}, {}
    with tempfile.TemporaryDirectory() as tmp:
        for name in NETS:
            net, x = build(mx, name)
            net.hybridize()
            arrays[name] = net(x).asnumpy()
            net.export(os.path.join(tmp, name))
            with open(os.path.join(tmp, name + '-symbol.json')) as f:
                texts[name] = f.read()
    onp.savez_compressed(os.path.join(GOLDEN, 'np_zoo.npz'), **arrays)
    with open(os.path.join(GOLDEN, 'np_zoo.json'), 'w') as f:
        json.dump(texts, f, indent=1, sort_keys=True)
    print(len(arrays), 'networks')


if __name__ == '__main__':
    main()
