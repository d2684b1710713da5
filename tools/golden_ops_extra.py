"""Golden data for the operators of ops/extra.py and ops/mp_optimizer_ops.py, from MXNet 1.9.1.

Run with the MXNet interpreter:  $(../shared/tools/mxnet-ref.sh) tools/golden_ops_extra.py
Writes tests/golden/ops_extra.npz from the cases of tests/golden/ops_extra_cases.py:
  <case>/<key>        each case's arrays (outputs, updated states, gradients)
  error/<case>        the type name of the exception MXNet raises for a bad call
"""
import os
import pathlib
import sys

os.environ.setdefault('MXNET_SUBGRAPH_BACKEND', 'NONE')
import mxnet as mx  # noqa: E402
import numpy as np  # noqa: E402
from mxnet import autograd, nd  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tests' / 'golden'))
import ops_extra_cases as cases  # noqa: E402


def _error_type(fn):
    try:
        res = fn(mx)
        for r in res if isinstance(res, (list, tuple)) else [res]:
            if isinstance(r, nd.NDArray):
                r.wait_to_read()
    except Exception as e:  # pylint: disable=broad-except
        return type(e).__name__
    raise AssertionError('MXNet accepted it')


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
        out[f'error/{name}'] = np.array(_error_type(fn))
        print(name, out[f'error/{name}'], file=sys.stderr)
    np.savez_compressed(ROOT / 'tests' / 'golden' / 'ops_extra.npz', **out)


if __name__ == '__main__':
    main()
