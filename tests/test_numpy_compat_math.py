"""Regressions from running MXNet 1.9.1's own test_numpy_op.py on regluon (math and shape
functions of `mx.np`): each case of tests/golden/numpy_compat_math_cases.py against MXNet's
values (tools/golden_numpy_compat_math.py)."""
import sys

import numpy as np
import pytest

import regluon as mx
from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
from numpy_compat_math_cases import CASES, flatten, run_case  # noqa: E402

G = golden('numpy_compat_math')


@pytest.mark.parametrize('name', sorted(CASES))
def test_case_matches_mxnet(name):
    mx.random.seed(0)
    np.random.seed(0)
    got = flatten({name: run_case(mx, name)})
    want = {k: v for k, v in G.items() if k.startswith(name + '/')}
    assert sorted(got) == sorted(want)
    for k, v in want.items():
        if k.endswith('/kind') or v.dtype.kind == 'U':
            assert str(got[k]) == str(v).replace('mxnet', 'regluon'), k
        else:
            assert got[k].dtype == v.dtype and got[k].shape == v.shape, (k, got[k], v)
            np.testing.assert_allclose(got[k], v, rtol=1e-5, atol=1e-6, err_msg=k)
