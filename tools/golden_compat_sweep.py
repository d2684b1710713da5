"""Write tests/golden/compat_sweep.npz with MXNet 1.9.1 (tests/golden/compat_sweep_cases.py).

    MXNET_SUBGRAPH_BACKEND=NONE ~/.cache/mxnet-ref/bin/python tools/golden_compat_sweep.py
"""
import os
import sys

import mxnet as mx
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'tests', 'golden'))
from compat_sweep_cases import CASES, flatten  # noqa: E402

if __name__ == '__main__':
    mx.random.seed(0)
    np.random.seed(0)
    flat = flatten({name: fn(mx) for name, fn in CASES.items()})
    np.savez_compressed(os.path.join(HERE, '..', 'tests', 'golden', 'compat_sweep.npz'), **flat)
    print(len(flat), 'entries')
