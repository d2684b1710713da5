"""Write tests/golden/numpy_compat_random.npz with MXNet 1.9.1
(tests/golden/numpy_compat_random_cases.py).

    MXNET_SUBGRAPH_BACKEND=NONE ~/.cache/mxnet-ref/bin/python tools/golden_numpy_compat_random.py
"""
import os
import sys

import mxnet as mx
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'tests', 'golden'))
from numpy_compat_random_cases import CASES, flatten  # noqa: E402

if __name__ == '__main__':
    mx.random.seed(0)
    np.random.seed(0)
    flat = flatten({name: fn(mx) for name, fn in CASES.items()})
    np.savez_compressed(os.path.join(HERE, '..', 'tests', 'golden', 'numpy_compat_random.npz'),
                        **flat)
    print(len(flat), 'entries', flush=True)
    # MXNet 1.9.1 can crash or hang at shutdown after the error cases: leave at once
    os._exit(0)  # pylint: disable=protected-access
