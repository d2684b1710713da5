"""Case tables for mx.test_utils, shared by tools/golden_test_utils.py (run under MXNet
1.9.1) and tests/test_test_utils.py. An array is (values, dtype, as_ndarray)."""
F32, F64, F16 = 'float32', 'float64', 'float16'
nan, inf = float('nan'), float('inf')

# assert_almost_equal(a, b, **kwargs): MXNet passes, or its AssertionError message
ASSERT_ALMOST_EQUAL = [
    (([1, 2, 3], F32, True), ([1, 2, 3], F32, True), {}),
    (([1, 2, 3], F32, True), ([1, 2, 3.0005], F32, False), {}),
    (([1, 2, 3], F32, True), ([1, 2, 3.01], F32, True), {}),
    (([1, 2, 3], F64, False), ([1, 2, 3.0001], F64, False), {}),
    (([1, 2, 3], F64, False), ([1, 2, 3.00000001], F64, False), {}),
    (([1, 2, 3], F16, True), ([1, 2, 3.05], F16, True), {}),
    (([1, 2, 3], F16, True), ([1, 2, 3.5], F16, True), {}),
    (([1, 2, 3], 'int32', True), ([1, 2, 4], 'int32', True), {}),
    (([1, 2, 3], F32, True), ([1.1, 2, 3], F32, True), {'rtol': 0.2}),
    (([1, 2, 3], F32, True), ([1.1, 2, 3], F32, True), {'rtol': 0.01, 'atol': 0.01}),
    (([1, 2, 3], F32, True), ([1.1, 2, 3], F32, True), {'names': ('ours', 'theirs')}),
    (([1, nan, 3], F32, False), ([1, nan, 3], F32, False), {}),
    (([1, nan, 3], F32, False), ([1, nan, 3], F32, False), {'equal_nan': True}),
    (([1, inf, 3], F32, False), ([1, inf, 3], F32, False), {}),
    (([1, 1, 1], F32, False), ([1], F32, False), {}),
    (([[0, 1, 2, 3], [4, 5, 6, 7]], F32, True), ([[0, 2, 2, 5], [4, 9, 6, 7]], F32, True), {}),
    (([[0, 1, 2, 3], [4, 5, 6, 7]], F32, True), ([[0, 2, 2, 5], [4, 9, 6, 7]], F32, True),
     {'mismatches': (1, 2)}),
    (([5.0], F32, False), ([6.0], F64, False), {}),
    ((3.0, None, False), ([3.0005], F32, False), {}),
]

# almost_equal(a, b, **kwargs) and same(a, b): MXNet's booleans
ALMOST_EQUAL = [
    (([1, 2], F32, False), ([1, 2.00001], F32, False), {}),
    (([1, 2], F32, False), ([1, 2.001], F32, False), {}),
    (([1, 2], F32, False), ([1, 2.001], F32, False), {'rtol': 1e-3}),
    (([0, 0], F32, False), ([0, 1e-21], F32, False), {}),
    (([1, nan], F64, False), ([1, nan], F64, False), {'equal_nan': True}),
]

TOL_DTYPES = [F16, F32, F64, 'int32', 'uint8', 'bool']
SHAPE_SEED = 7
