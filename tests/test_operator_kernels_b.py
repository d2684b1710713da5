"""Operator kernels from MXNet 1.9.1's test_operator.py (part 2): each case of
tests/golden/operator_b_cases.py against MXNet's values (written by
`tools/golden_cases.py operator_b`)."""
import sys

import pytest

import regluon as mx
from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
import operator_b_cases as cases  # noqa: E402
from case_tools import check  # noqa: E402

G = golden('operator_b')


@pytest.mark.parametrize('name', sorted(cases.CASES))
def test_case_matches_mxnet(name):
    check(cases, G, mx, name)
