"""Golden data for the operators of ops/extra.py and ops/mp_optimizer_ops.py, from MXNet 1.9.1.

Run with the MXNet interpreter:  $(../shared/tools/mxnet-ref.sh) tools/golden_ops_extra.py
Writes tests/golden/ops_extra.npz from the cases of tests/golden/ops_extra_cases.py:
  <case>/<key>        each case's arrays (outputs, updated states, gradients)
  error/<case>        the type name of the exception MXNet raises for a bad call
"""
import os
import sys

os.environ.setdefault('MXNET_SUBGRAPH_BACKEND', 'NONE')
import mxnet as mx  # noqa: E402
import numpy as np  # noqa: E402
from mxnet import autograd, nd  # noqa: E402
from golden_util import case_module, error_type, save  # noqa: E402

cases = case_module('ops_extra_cases')


def main():
    out = {}
    for name, fn in cases.cases().items():
        for k, v in fn(nd, autograd).items():
            out[f'{name}/{k}'] = np.asarray(v)
        print(name, 'ok', file=sys.stderr)
    for name, fn in {**cases.symbolic_cases(), **cases.optimizer_cases()}.items():
        for k, v in fn(mx).items():
            out[f'{name}/{k}'] = np.asarray(v)
        print(name, 'ok', file=sys.stderr)
    for name, fn in cases.ERRORS:
        out[f'error/{name}'] = np.array(error_type(mx, fn))
        print(name, out[f'error/{name}'], file=sys.stderr)
    save('ops_extra', out)


if __name__ == '__main__':
    main()
