"""Write tests/golden/<name>.npz with MXNet 1.9.1 from the cases of
tests/golden/<name>_cases.py (tests/golden/case_tools.py), for name one of compat_sweep,
numpy_compat_math, numpy_compat_random, numpy_dispatch, sparse_autograd (with
MXNET_STORAGE_FALLBACK_LOG_VERBOSE=0 to quiet MXNet's storage-fallback messages):

    MXNET_SUBGRAPH_BACKEND=NONE ~/.cache/mxnet-ref/bin/python tools/golden_cases.py compat_sweep
"""
import importlib
import os
import sys

import mxnet as mx
import numpy as np

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, '..', 'tests', 'golden')
sys.path.insert(0, GOLDEN)
from case_tools import flatten, run  # noqa: E402

if __name__ == '__main__':
    name = sys.argv[1]
    module = importlib.import_module(name + '_cases')
    mx.random.seed(0)
    np.random.seed(0)
    flat = flatten({case: run(module, mx, case) for case in module.CASES})
    np.savez_compressed(os.path.join(GOLDEN, name + '.npz'), **flat)
    print(len(flat), 'entries', flush=True)
    # MXNet 1.9.1 can crash or hang at shutdown after some error cases: leave at once
    os._exit(0)  # pylint: disable=protected-access
