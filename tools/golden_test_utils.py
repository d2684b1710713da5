"""Write tests/golden/test_utils.npz from the real MXNet 1.9.1 (run with its interpreter).

    PY=$(../shared/tools/mxnet-ref.sh); $PY tools/golden_test_utils.py

Rows of tests/golden/test_utils_cases.py: what MXNet's assert_almost_equal says (the message
up to the arrays it prints), almost_equal/same, default tolerances per dtype pair, and the
shapes and arrays rand_shape_* / rand_ndarray draw after np.random.seed (they use numpy's
generator, so the draws are the same in regluon).
"""
import contextlib
import io
import pathlib
import sys

import numpy as np
import mxnet as mx
from mxnet import test_utils as tu

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tests' / 'golden'))
import test_utils_cases as cases  # noqa: E402


def make(spec):
    vals, dtype, as_nd = spec
    if dtype is None:
        return vals
    a = np.array(vals, dtype=dtype)
    return mx.nd.array(a, dtype=dtype) if as_nd else a


def main():
    out = {}
    for i, (a, b, kw) in enumerate(cases.ASSERT_ALMOST_EQUAL):
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                tu.assert_almost_equal(make(a), make(b), **kw)
            out[f'aae{i}'] = np.array('ok')
        except AssertionError as e:
            out[f'aae{i}'] = np.array(str(e).split(' ACTUAL:')[0])
        out[f'aae{i}/stdout'] = np.array(printed.getvalue())
    for i, (a, b, kw) in enumerate(cases.ALMOST_EQUAL):
        out[f'ae{i}'] = np.array(tu.almost_equal(make(a), make(b), **kw))
        out[f'same{i}'] = np.array(tu.same(make(a), make(b)))
    for d1 in cases.TOL_DTYPES:
        for d2 in cases.TOL_DTYPES:
            out[f'tols/{d1}/{d2}'] = np.array(tu.get_tols(np.zeros(1, d1), np.zeros(1, d2),
                                                          None, None), np.float64)
    np.random.seed(cases.SHAPE_SEED)
    out['shape_nd'] = np.array(tu.rand_shape_nd(4))
    out['shape_nd0'] = np.array(tu.rand_shape_nd(6, dim=3, allow_zero_size=True))
    out['shape_2d'] = np.array(tu.rand_shape_2d())
    out['shape_3d'] = np.array(tu.rand_shape_3d(4, 5, 6))
    out['rand_ndarray'] = tu.rand_ndarray((3, 4)).asnumpy()
    out['rand_ndarray64'] = tu.rand_ndarray((2,), dtype='float64').asnumpy()
    out['random_arrays'] = np.stack(tu.random_arrays((2, 2), (2, 2)))
    np.savez_compressed(ROOT / 'tests' / 'golden' / 'test_utils.npz', **out)
    print(f'wrote {len(out)} arrays', file=sys.stderr)


if __name__ == '__main__':
    main()
