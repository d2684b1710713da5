"""Operator kernels MXNet 1.9.1's test_operator.py found apart from MXNet (prelu gamma
broadcasting, mod by zero, slice_like axes=[], InstanceNorm on one element, LayerNorm
gamma/beta gradient precision, Correlation |a-b| at ties, check_numeric_gradient with no
gradient path): each case of tests/golden/operator_a_cases.py against MXNet's values
(written by tools/golden_cases.py operator_a)."""

from conftest import case_tests

cases, G, test_case_matches_mxnet = case_tests('operator_a')
