"""Write tests/golden/numpy_compat_math.npz with MXNet 1.9.1
(tests/golden/numpy_compat_math_cases.py).

    MXNET_SUBGRAPH_BACKEND=NONE ~/.cache/mxnet-ref/bin/python tools/golden_numpy_compat_math.py
"""
import os
import sys

import mxnet as mx
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'tests', 'golden'))
from numpy_compat_math_cases import CASES, flatten, run_case  # noqa: E402

if __name__ == '__main__':
    mx.random.seed(0)
    np.random.seed(0)
    flat = flatten({name: run_case(mx, name) for name in CASES})
    np.savez_compressed(os.path.join(HERE, '..', 'tests', 'golden', 'numpy_compat_math.npz'),
                        **flat)
    print(len(flat), 'entries')
