"""Operator kernels from MXNet 1.9.1's test_operator.py (part 2): each case of
tests/golden/operator_b_cases.py against MXNet's values (written by
`tools/golden_cases.py operator_b`)."""

from conftest import case_tests

cases, G, test_case_matches_mxnet = case_tests('operator_b')
