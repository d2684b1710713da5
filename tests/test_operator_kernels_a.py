"""Operator kernels MXNet 1.9.1's test_operator.py found apart from MXNet (prelu gamma
broadcasting, mod by zero, slice_like axes=[], InstanceNorm on one element, LayerNorm
gamma/beta gradient precision, Correlation |a-b| at ties, check_numeric_gradient with no
gradient path): each case of tests/golden/operator_a_cases.py against MXNet's values
(written by tools/golden_cases.py operator_a)."""
import sys

import pytest

import regluon as mx
from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
import operator_a_cases as cases  # noqa: E402
from case_tools import check  # noqa: E402

G = golden('operator_a')


@pytest.mark.parametrize('name', sorted(cases.CASES))
def test_case_matches_mxnet(name):
    check(cases, G, mx, name)
