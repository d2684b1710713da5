"""Regressions from running MXNet 1.9.1's own test_numpy_ndarray.py on regluon (`mx.np`
arrays: creation order, copy, format, multinomial, zero gradients of bool results,
assignment under record): each case of tests/golden/numpy_mxnet_tests_cases.py against
MXNet's values (tools/golden_cases.py numpy_mxnet_tests)."""

from conftest import case_tests

cases, G, test_case_matches_mxnet = case_tests('numpy_mxnet_tests')
