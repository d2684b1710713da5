"""Regressions from running MXNet 1.9.1's own test_numpy_op.py on regluon (math and shape
functions of `mx.np`): each case of tests/golden/numpy_compat_math_cases.py against MXNet's
values (tools/golden_cases.py numpy_compat_math)."""

from conftest import case_tests

cases, G, test_case_matches_mxnet = case_tests('numpy_compat_math')
