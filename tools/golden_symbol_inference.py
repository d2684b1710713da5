"""Write tests/golden/symbol_inference.json with MXNet 1.9.1 (the cases of
tests/golden/symbol_inference_cases.py).

    MXNET_SUBGRAPH_BACKEND=NONE ~/.cache/mxnet-ref/bin/python tools/golden_symbol_inference.py
"""
import json
import os
import sys

import mxnet as mx

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, '..', 'tests', 'golden')
sys.path.insert(0, GOLDEN)
from symbol_inference_cases import CASES  # noqa: E402

if __name__ == '__main__':
    out = {name: fn(mx) for name, fn in CASES.items()}
    with open(os.path.join(GOLDEN, 'symbol_inference.json'), 'w') as f:
        json.dump(out, f, indent=1, sort_keys=True)
    print(len(out), 'cases')
