"""Regressions from running MXNet 1.9.1's own unit tests and examples on regluon: each case
of tests/golden/compat_sweep_cases.py against MXNet's values (tools/golden_compat_sweep.py)."""
import sys

import numpy as np
import pytest

import regluon as mx
from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
from compat_sweep_cases import CASES, flatten  # noqa: E402

G = golden('compat_sweep')


@pytest.mark.parametrize('name', sorted(CASES))
def test_case_matches_mxnet(name):
    mx.random.seed(0)
    np.random.seed(0)
    got = flatten({name: CASES[name](mx)})
    want = {k: v for k, v in G.items() if k.startswith(name + '/')}
    assert sorted(got) == sorted(want)
    for k, v in want.items():
        if k.endswith('/kind') or v.dtype.kind == 'U':
            assert str(got[k]) == str(v).replace('mxnet', 'regluon'), k
        else:
            assert got[k].dtype == v.dtype and got[k].shape == v.shape, (k, got[k], v)
            np.testing.assert_allclose(got[k], v, rtol=1e-5, atol=1e-6, err_msg=k)
