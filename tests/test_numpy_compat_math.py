"""Regressions from running MXNet 1.9.1's own test_numpy_op.py on regluon (math and shape
functions of `mx.np`): each case of tests/golden/numpy_compat_math_cases.py against MXNet's
values (tools/golden_cases.py numpy_compat_math)."""
import sys

import pytest

import regluon as mx
from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
import numpy_compat_math_cases as cases  # noqa: E402
from case_tools import check  # noqa: E402

G = golden('numpy_compat_math')


@pytest.mark.parametrize('name', sorted(cases.CASES))
def test_case_matches_mxnet(name):
    check(cases, G, mx, name)
