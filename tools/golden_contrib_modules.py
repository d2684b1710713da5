"""Writes tests/golden/contrib_modules.npz: MXNet 1.9.1's mx.contrib.io.DataLoaderIter,
mx.contrib.autograd and mx.contrib.svrg_optimization on the cases of
tests/golden/contrib_modules_cases.py. Run with the MXNet interpreter:
    MXNET_SUBGRAPH_BACKEND=NONE ~/.cache/mxnet-ref/bin/python tools/golden_contrib_modules.py"""
import logging
import pathlib
import sys

import numpy as np
import mxnet as mx

GOLDEN = pathlib.Path(__file__).resolve().parent.parent / 'tests' / 'golden'
sys.path.insert(0, str(GOLDEN))
import contrib_modules_cases as cases  # noqa: E402

if __name__ == '__main__':
    logging.disable(logging.CRITICAL)
    out = {}
    for case, run in cases.all_cases(mx).items():
        for key, value in run().items():
            out[f'{case}/{key}'] = np.asarray(value)
    np.savez_compressed(GOLDEN / 'contrib_modules.npz', **out)
    print(len(out), 'arrays')
