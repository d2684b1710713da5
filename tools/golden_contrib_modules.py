"""Writes tests/golden/contrib_modules.npz: MXNet 1.9.1's mx.contrib.io.DataLoaderIter,
mx.contrib.autograd and mx.contrib.svrg_optimization on the cases of
tests/golden/contrib_modules_cases.py. Run with the MXNet interpreter:
    MXNET_SUBGRAPH_BACKEND=NONE ~/.cache/mxnet-ref/bin/python tools/golden_contrib_modules.py"""
import logging

import numpy as np
import mxnet as mx
from golden_util import case_module, save

cases = case_module('contrib_modules_cases')

if __name__ == '__main__':
    logging.disable(logging.CRITICAL)
    out = {}
    for case, run in cases.all_cases(mx).items():
        for key, value in run().items():
            out[f'{case}/{key}'] = np.asarray(value)
    save('contrib_modules', out)
    print(len(out), 'arrays')
