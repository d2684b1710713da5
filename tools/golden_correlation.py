"""Golden data for the `Correlation` operator from the real MXNet 1.9.1.

Run with the MXNet interpreter:  $(../shared/tools/mxnet-ref.sh) tools/golden_correlation.py
Writes tests/golden/correlation.npz: for each case of tests/golden/correlation_cases.py
(kernel sizes 1/3/5, strides, padding, products and absolute differences) the output and
the gradients of both inputs for a seeded head gradient and the symbol's JSON, and for each bad-argument case
MXNet's error message (its last line). MXNet crashes on stride2=0, a negative pad_size and
inputs of different shapes, so those are tested on regluon alone.
"""
import os
import pathlib
import sys

os.environ.setdefault('MXNET_SUBGRAPH_BACKEND', 'NONE')
import mxnet as mx  # noqa: E402
import numpy as np  # noqa: E402
from mxnet import autograd, nd  # noqa: E402
from mxnet.base import MXNetError  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tests' / 'golden'))
import correlation_cases as cases  # noqa: E402


def main():
    out = {}
    for seed, (name, shape, kwargs, dtype) in enumerate(cases.CASES):
        y, g1, g2 = cases.run(nd, autograd, shape, kwargs, dtype, seed)
        out[f'{name}/y'], out[f'{name}/grad1'], out[f'{name}/grad2'] = y, g1, g2
        print(name, y.shape, y.dtype, file=sys.stderr)
    for name, _, kwargs, _ in cases.CASES:        # the graphs as MXNet saves them
        sym = mx.sym.Correlation(mx.sym.var('a'), mx.sym.var('b'), **kwargs)
        out[f'{name}/json'] = np.array(sym.tojson())
    for name, shape, dtype, kwargs, phrase in cases.ERRORS:
        x = nd.ones(shape, dtype=dtype)
        try:
            nd.Correlation(x, x, **kwargs).wait_to_read()
        except MXNetError as e:
            msg = [line for line in str(e).splitlines() if line.strip()][-1]
        else:
            raise AssertionError(f'{name}: MXNet accepted it')
        assert phrase in msg, (name, msg)
        out[f'error/{name}'] = np.array(msg)
        print(name, msg, file=sys.stderr)
    np.savez_compressed(ROOT / 'tests' / 'golden' / 'correlation.npz', **out)


if __name__ == '__main__':
    main()
