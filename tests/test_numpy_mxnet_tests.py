"""Regressions from running MXNet 1.9.1's own test_numpy_ndarray.py on regluon (`mx.np`
arrays: creation order, copy, format, multinomial, zero gradients of bool results,
assignment under record): each case of tests/golden/numpy_mxnet_tests_cases.py against
MXNet's values (tools/golden_cases.py numpy_mxnet_tests)."""
import sys

import pytest

import regluon as mx
from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
import numpy_mxnet_tests_cases as cases  # noqa: E402
from case_tools import check  # noqa: E402

G = golden('numpy_mxnet_tests')


@pytest.mark.parametrize('name', sorted(cases.CASES))
def test_case_matches_mxnet(name):
    check(cases, G, mx, name)
