"""Golden data for the math/reduction/sorting/indexing operators, from the real MXNet 1.9.1.

Run with the MXNet interpreter:  $(../shared/tools/mxnet-ref.sh) tools/golden_ops_math.py
Writes tests/golden/ops_math.npz: `cases`, one JSON string mapping each case id to its
op, kwargs, the inputs to differentiate, whether MXNet's NDArray has the method (or, for
error cases, the exception type MXNet raised), and references [dtype, shape, offset] to
its inputs, outputs, head gradients and gradients, which lie in the `blob_<dtype>` arrays.
"""
import json
import pathlib

import numpy as np
import mxnet as mx
from mxnet import nd, autograd

RNG = np.random.RandomState(0)
OUT = pathlib.Path(__file__).resolve().parent.parent / 'tests' / 'golden' / 'ops_math.npz'


def U(shape, lo=-2.0, hi=2.0, dtype='float32'):
    """Uniform random input (rounded to 3 decimals so every value is printable/readable)."""
    return np.round(RNG.uniform(lo, hi, shape), 3).astype(dtype)


def A(values, dtype='float32'):
    return np.array(values, dtype=dtype)


HALVES = A([[-2.5, -1.5, -0.5, 0.5], [1.5, 2.5, -0.7, 1.2]])
NANS = A([[1.5, np.nan, 2.0], [np.nan, -3.0, 0.5]])
INTS = A([[1, -2, 3], [4, 5, -6]], 'int32')
POS_INTS = A([[1, 2, 3], [4, 5, 9]], 'int32')

# Cases: (id, op, inputs, kwargs, inputs to differentiate). grad [] = values only.
X = U((2, 3))
CASES = [
    # ---- rounding: MXNet's own half rules; gradients are zero
    ('round', 'round', [HALVES], {}, [0]),
    ('rint', 'rint', [HALVES], {}, [0]),
    ('fix', 'fix', [HALVES], {}, [0]),
    ('trunc', 'trunc', [HALVES], {}, []),
    ('ceil', 'ceil', [HALVES], {}, [0]),
    ('floor', 'floor', [HALVES], {}, []),
    # ---- math, inputs inside each domain
    ('abs', 'abs', [X], {}, [0]),
    ('sign', 'sign', [A([[-1.5, 0.0, 2.0]])], {}, [0]),
    ('sqrt', 'sqrt', [U((2, 3), 0.1, 4)], {}, [0]),
    ('rsqrt', 'rsqrt', [U((2, 3), 0.1, 4)], {}, [0]),
    ('cbrt', 'cbrt', [A([[-8.0, -0.5, 0.3, 27.0]])], {}, [0]),
    ('rcbrt', 'rcbrt', [A([[-8.0, -0.5, 0.3, 27.0]])], {}, [0]),
    ('square', 'square', [X], {}, [0]),
    ('reciprocal', 'reciprocal', [U((2, 3), 0.5, 2)], {}, [0]),
    ('exp', 'exp', [X], {}, [0]),
    ('expm1', 'expm1', [X], {}, [0]),
    ('log', 'log', [U((2, 3), 0.1, 4)], {}, [0]),
    ('log10', 'log10', [U((2, 3), 0.1, 4)], {}, [0]),
    ('log2', 'log2', [U((2, 3), 0.1, 4)], {}, [0]),
    ('log1p', 'log1p', [U((2, 3), -0.5, 3)], {}, [0]),
    ('sin', 'sin', [X], {}, [0]),
    ('cos', 'cos', [X], {}, [0]),
    ('tan', 'tan', [U((2, 3), -1.2, 1.2)], {}, [0]),
    ('arcsin', 'arcsin', [U((2, 3), -0.9, 0.9)], {}, [0]),
    ('arccos', 'arccos', [U((2, 3), -0.9, 0.9)], {}, [0]),
    ('arctan', 'arctan', [X], {}, [0]),
    ('sinh', 'sinh', [X], {}, [0]),
    ('cosh', 'cosh', [X], {}, [0]),
    ('tanh', 'tanh', [X], {}, [0]),
    ('arcsinh', 'arcsinh', [X], {}, [0]),
    ('arccosh', 'arccosh', [U((2, 3), 1.1, 4)], {}, [0]),
    ('arctanh', 'arctanh', [U((2, 3), -0.9, 0.9)], {}, [0]),
    ('degrees', 'degrees', [X], {}, [0]),
    ('radians', 'radians', [X], {}, [0]),
    ('erf', 'erf', [X], {}, [0]),
    ('erfinv', 'erfinv', [U((2, 3), -0.9, 0.9)], {}, [0]),
    ('gamma', 'gamma', [A([[0.3, 1.5, 3.7], [-0.5, -1.5, -2.7]])], {}, [0]),
    ('gammaln', 'gammaln', [U((2, 3), 0.2, 4)], {}, [0]),
    ('relu', 'relu', [X], {}, [0]),
    ('sigmoid', 'sigmoid', [X], {}, [0]),
    ('softsign', 'softsign', [X], {}, [0]),
    ('hard_sigmoid', 'hard_sigmoid', [U((2, 4), -4, 4)], {}, [0]),
    ('hard_sigmoid_ab', 'hard_sigmoid', [U((2, 4), -4, 4)], {'alpha': 0.3, 'beta': 0.4}, [0]),
    ('logical_not', 'logical_not', [A([[0.0, 2.0, -1.0], [0.0, 0.5, 0.0]])], {}, []),
    ('exp_f64', 'exp', [U((2, 3), dtype='float64')], {}, [0]),
    ('sqrt_f16', 'sqrt', [U((2, 3), 0.1, 4, 'float16')], {}, []),
    # integer inputs: computed in float and truncated back, as MXNet does
    ('abs_int', 'abs', [INTS], {}, []),
    ('sign_int', 'sign', [INTS], {}, []),
    ('square_int', 'square', [INTS], {}, []),
    ('relu_int', 'relu', [INTS], {}, []),
    ('sqrt_int', 'sqrt', [POS_INTS], {}, []),
    ('exp_int', 'exp', [POS_INTS], {}, []),
    ('sigmoid_int', 'sigmoid', [INTS], {}, []),
    ('reciprocal_int', 'reciprocal', [POS_INTS], {}, []),
    ('degrees_int', 'degrees', [INTS], {}, []),
    ('logical_not_int', 'logical_not', [A([[0, 3, -1]], 'int32')], {}, []),
    ('round_int', 'round', [INTS], {}, []),
    ('isnan', '_contrib_isnan', [A([1.0, np.nan, np.inf, -np.inf])], {}, []),
    ('isinf', '_contrib_isinf', [A([1.0, np.nan, np.inf, -np.inf], 'float64')], {}, []),
    ('isfinite', '_contrib_isfinite', [A([1.0, np.nan, np.inf, -np.inf])], {}, []),
    ('isnan_int', '_contrib_isnan', [INTS], {}, []),
    # ---- clip, where, cast, copies, sums
    ('clip', 'clip', [X], {'a_min': -0.5, 'a_max': 0.8}, [0]),
    ('clip_int', 'clip', [A([[0, 1, 2, 3, 6, 7]], 'int32')], {'a_min': 2.5, 'a_max': 5.5}, []),
    ('where', 'where', [A([[1, 0, 1], [0, 0, 2]]), U((2, 3)), U((2, 3))], {}, [1, 2]),
    ('where_rows', 'where', [A([1, 0, 1]), U((3, 2)), U((3, 2))], {}, [1, 2]),
    ('cast_int32', 'cast', [A([-1.7, 2.7, 300.0])], {'dtype': 'int32'}, []),
    ('cast_uint8', 'cast', [A([-1.0, 2.7, 255.5, 200.0])], {'dtype': 'uint8'}, []),
    ('cast_f16', 'cast', [X], {'dtype': 'float16'}, []),
    ('cast_f64_grad', 'cast', [X], {'dtype': 'float64'}, [0]),
    ('Cast', 'Cast', [X], {'dtype': 'int32'}, []),
    # values only: a stop_gradient output is outside the graph, so it cannot be a head
    ('stop_gradient', 'stop_gradient', [X], {}, []),
    ('BlockGrad', 'BlockGrad', [X], {}, []),
    ('zeros_like', 'zeros_like', [INTS], {}, []),
    ('ones_like', 'ones_like', [X], {}, []),
    ('identity', 'identity', [X], {}, [0]),
    ('add_n', 'add_n', [U((2, 3)), U((2, 3)), U((2, 3))], {}, [0, 1, 2]),
    ('ElementWiseSum', 'ElementWiseSum', [U((2, 3)), U((2, 3))], {}, [0, 1]),
    ('smooth_l1', 'smooth_l1', [A([[-2.0, -0.5, 0.1, 0.3, 1.5]])], {'scalar': 2.0}, [0]),
    ('smooth_l1_default', 'smooth_l1', [A([[-2.0, -0.5, 0.1, 0.3, 1.5]])], {}, [0]),
    # ---- softmax family
    ('softmax', 'softmax', [U((3, 4))], {}, [0]),
    ('softmax_ax0_t', 'softmax', [U((3, 4))], {'axis': 0, 'temperature': 2.0}, [0]),
    ('softmax_f64', 'softmax', [U((3, 4))], {'dtype': 'float64'}, []),
    ('softmax_f16_to32', 'softmax', [U((3, 4), dtype='float16')], {'dtype': 'float32'}, []),
    ('softmax_length', 'softmax', [U((3, 4)), A([1, 2, 4], 'int32')], {'use_length': True},
     [0]),
    ('softmax_length_ax0', 'softmax', [U((3, 4)), A([1, 2, 3, 0], 'int32')],
     {'axis': 0, 'use_length': True}, []),
    ('log_softmax', 'log_softmax', [U((3, 4))], {}, [0]),
    ('log_softmax_t', 'log_softmax', [U((3, 4))], {'axis': 0, 'temperature': 0.5}, [0]),
    ('softmin', 'softmin', [U((3, 4))], {}, [0]),
]

R = U((2, 3, 4))
RI = A(RNG.randint(-9, 10, (2, 3, 4)), 'int32')
CASES += [
    # ---- reductions: axis int/tuple/None/(), keepdims, exclude
    ('sum_all', 'sum', [R], {}, [0]),
    ('sum_ax1', 'sum', [R], {'axis': 1}, [0]),
    ('sum_neg', 'sum', [R], {'axis': -1}, []),
    ('sum_02_kd', 'sum', [R], {'axis': (0, 2), 'keepdims': True}, [0]),
    ('sum_empty', 'sum', [R], {'axis': ()}, []),
    ('sum_excl', 'sum', [R], {'axis': 1, 'exclude': True}, [0]),
    ('sum_excl_kd', 'sum', [R], {'axis': (0, 1), 'exclude': True, 'keepdims': True}, []),
    ('sum_excl_all', 'sum', [R], {'axis': (0, 1, 2), 'exclude': True}, []),
    ('sum_all_kd', 'sum', [R], {'axis': (0, 1, 2), 'keepdims': True}, []),
    ('sum_axis', 'sum_axis', [R], {'axis': 1}, []),
    ('sum_int', 'sum', [RI], {'axis': 1}, []),
    ('sum_uint8_wraps', 'sum', [A([200, 100], 'uint8')], {}, []),
    ('mean_all', 'mean', [R], {}, [0]),
    ('mean_ax1', 'mean', [R], {'axis': 1}, [0]),
    ('mean_int', 'mean', [RI], {'axis': 2}, []),
    ('mean_f16', 'mean', [U((2, 3), dtype='float16')], {'axis': 1}, []),
    ('prod_02', 'prod', [R], {'axis': (0, 2)}, [0]),
    ('prod_kd', 'prod', [R], {'axis': 1, 'keepdims': True}, []),
    ('prod_int', 'prod', [INTS], {'axis': 1}, []),
    ('max_ax1', 'max', [R], {'axis': 1}, [0]),
    ('max_all', 'max', [R], {}, [0]),
    ('max_excl', 'max', [R], {'axis': 0, 'exclude': True}, []),
    ('max_axis', 'max_axis', [R], {'axis': 2}, []),
    ('min_ax02', 'min', [R], {'axis': (0, 2)}, [0]),
    ('min_axis', 'min_axis', [R], {'axis': 0, 'keepdims': True}, []),
    ('min_int', 'min', [RI], {'axis': 1}, []),
    # ties: MXNet gives every tied extreme the whole gradient
    ('max_ties', 'max', [A([[1, 3, 3], [0, 0, 0]])], {'axis': 1}, [0]),
    ('min_ties_all', 'min', [A([[1, 3, 3], [0, 2, 0]])], {}, [0]),
    ('nansum', 'nansum', [NANS], {'axis': 1}, []),
    ('nansum_all', 'nansum', [NANS], {}, []),
    ('nanprod', 'nanprod', [NANS], {'axis': 1}, []),
    ('nanprod_kd', 'nanprod', [NANS], {'axis': 0, 'keepdims': True}, []),
    ('norm', 'norm', [R], {}, [0]),
    ('norm_ord1', 'norm', [R], {'ord': 1, 'axis': 1}, [0]),
    ('norm_01', 'norm', [R], {'axis': (0, 1)}, [0]),
    ('norm_neg_kd', 'norm', [R], {'axis': -1, 'keepdims': True}, []),
    ('norm_all_kd', 'norm', [R], {'keepdims': True}, []),
    ('argmax_ax1', 'argmax', [R], {'axis': 1}, []),
    ('argmax_all', 'argmax', [R], {}, []),
    ('argmax_all_kd', 'argmax', [R], {'keepdims': True}, []),
    ('argmax_f64', 'argmax', [U((3, 4), dtype='float64')], {'axis': 0}, []),
    ('argmax_int', 'argmax', [RI], {'axis': 2}, []),
    ('argmin_ax0_kd', 'argmin', [R], {'axis': 0, 'keepdims': True}, []),
    ('argmin_neg', 'argmin', [R], {'axis': -1}, []),
    ('argmax_channel', 'argmax_channel', [R], {}, []),
    ('argmax_channel_2d', 'argmax_channel', [U((3, 4))], {}, []),
]

S = U((3, 5))
TIES = A([[1, 3, 3, 0, 3, 1], [2, 2, 2, 2, 5, 5]])
CASES += [
    # ---- sorting (random values: no ties)
    ('sort', 'sort', [S], {}, []),
    ('sort_ax0_desc', 'sort', [S], {'axis': 0, 'is_ascend': False}, []),
    ('sort_none', 'sort', [S], {'axis': None}, []),
    ('sort_int', 'sort', [RI], {'is_ascend': False}, []),
    ('argsort', 'argsort', [S], {}, []),
    ('argsort_desc_int32', 'argsort', [S], {'is_ascend': False, 'dtype': 'int32'}, []),
    ('argsort_none', 'argsort', [S], {'axis': None}, []),
    ('topk', 'topk', [S], {}, []),
    ('topk_value', 'topk', [S], {'k': 2, 'ret_typ': 'value'}, [0]),
    ('topk_both_ax0', 'topk', [S], {'axis': 0, 'k': 2, 'ret_typ': 'both'}, [0]),
    ('topk_mask', 'topk', [S], {'k': 2, 'ret_typ': 'mask'}, []),
    ('topk_ascend', 'topk', [S], {'k': 3, 'ret_typ': 'value', 'is_ascend': True}, []),
    ('topk_none', 'topk', [S], {'axis': None, 'k': 3}, []),
    ('topk_k0', 'topk', [S], {'k': 0, 'ret_typ': 'value'}, []),
    ('topk_int32', 'topk', [S], {'k': 2, 'dtype': 'int32'}, []),
    ('topk_mask_int', 'topk', [RI], {'k': 2, 'ret_typ': 'mask'}, []),
    # ties: MXNet's sorts are stable, ascending and descending; argmax takes the first
    ('argsort_ties', 'argsort', [TIES], {}, []),
    ('argsort_ties_desc', 'argsort', [TIES], {'is_ascend': False}, []),
    ('argsort_ties_ax0', 'argsort', [TIES.T.copy()], {'axis': 0}, []),
    ('topk_ties', 'topk', [TIES], {'k': 3}, []),
    ('topk_ties_asc_both', 'topk', [TIES], {'k': 4, 'is_ascend': True, 'ret_typ': 'both'},
     [0]),
    ('topk_ties_mask', 'topk', [TIES], {'k': 2, 'ret_typ': 'mask'}, []),
    ('argmax_ties', 'argmax', [TIES], {'axis': 1}, []),
    ('argmin_ties', 'argmin', [TIES], {'axis': 1}, []),
    # ---- matrix products
    ('dot_2d', 'dot', [U((2, 3)), U((3, 4))], {}, [0, 1]),
    ('dot_1d1d', 'dot', [U((3,)), U((3,))], {}, [0, 1]),
    ('dot_1d2d', 'dot', [U((3,)), U((3, 2))], {}, []),
    ('dot_2d1d', 'dot', [U((2, 3)), U((3,))], {}, []),
    ('dot_3d3d', 'dot', [U((2, 3, 4)), U((4, 2, 2))], {}, [0, 1]),
    ('dot_ta', 'dot', [U((2, 3, 4)), U((2, 5))], {'transpose_a': True}, [0, 1]),
    ('dot_tb', 'dot', [U((2, 3, 4)), U((2, 5, 4))], {'transpose_b': True}, [0, 1]),
    ('dot_ta_tb', 'dot', [U((3, 2)), U((4, 3))], {'transpose_a': True, 'transpose_b': True},
     []),
    ('dot_ta_1d', 'dot', [U((3,)), U((3, 2))], {'transpose_a': True}, []),
    ('dot_f64', 'dot', [U((2, 3), dtype='float64'), U((3, 2), dtype='float64')], {}, []),
    ('batch_dot', 'batch_dot', [U((2, 3, 4)), U((2, 4, 5))], {}, [0, 1]),
    ('batch_dot_t', 'batch_dot', [U((2, 4, 3)), U((2, 5, 4))],
     {'transpose_a': True, 'transpose_b': True}, [0, 1]),
    ('batch_dot_4d', 'batch_dot', [U((2, 2, 3, 4)), U((2, 2, 4, 2))], {}, []),
    ('gemm2', 'linalg_gemm2', [U((2, 3, 4)), U((2, 4, 5))], {'alpha': 2.0}, [0, 1]),
    ('gemm2_2d_t', 'linalg_gemm2', [U((4, 3)), U((5, 4))],
     {'transpose_a': True, 'transpose_b': True}, []),
    ('gemm2_axis0', 'linalg_gemm2', [U((3, 4, 2)), U((2, 4, 5))], {'axis': 0}, [0, 1]),
]

def spd(*batch, n=3):
    """Random symmetric positive-definite matrices (well conditioned)."""
    m = U(batch + (n, n), -1, 1)
    return (m @ np.swapaxes(m, -1, -2) + n * np.eye(n)).astype('float32')


LOWER = np.tril(U((3, 3), 0.5, 2)).astype('float32') + np.triu(U((3, 3)), 1)  # junk above
CASES += [
    # ---- nd.linalg: factorizations, solves, triangles (batched over leading axes)
    ('gemm', 'linalg_gemm', [U((2, 3, 4)), U((2, 4, 5)), U((2, 3, 5))],
     {'alpha': 2.0, 'beta': 0.5}, [0, 1, 2]),
    ('gemm_t_axis0', 'linalg_gemm', [U((4, 2, 3)), U((5, 2, 4)), U((3, 2, 5))],
     {'transpose_a': True, 'transpose_b': True, 'axis': 0}, []),
    ('potrf', 'linalg_potrf', [spd()], {}, [0]),
    ('potrf_batch', 'linalg_potrf', [spd(2)], {}, []),
    ('potri', 'linalg_potri', [np.linalg.cholesky(spd()).astype('float32')], {}, [0]),
    ('inverse', 'linalg_inverse', [spd(2)], {}, [0]),
    ('det', 'linalg_det', [spd()], {}, [0]),
    ('det_batch', 'linalg_det', [U((2, 3, 3))], {}, [0]),
    ('slogdet', 'linalg_slogdet', [U((2, 3, 3))], {}, [0]),
    ('slogdet_one', 'linalg_slogdet', [U((3, 3))], {}, []),
    ('sumlogdiag', 'linalg_sumlogdiag', [LOWER], {}, [0]),
    ('syrk', 'linalg_syrk', [U((2, 3, 4))], {'alpha': 0.5}, [0]),
    ('syrk_t', 'linalg_syrk', [U((3, 4))], {'transpose': True}, []),
    ('trmm', 'linalg_trmm', [LOWER, U((3, 2))], {}, [0, 1]),
    ('trmm_upper_t_right', 'linalg_trmm', [LOWER, U((2, 3))],
     {'lower': False, 'transpose': True, 'rightside': True, 'alpha': 2.0}, [0, 1]),
    ('trsm', 'linalg_trsm', [LOWER, U((3, 2))], {'alpha': 1.5}, [0, 1]),
    ('trsm_t', 'linalg_trsm', [LOWER, U((3, 2))], {'transpose': True}, []),
    ('trsm_right_upper', 'linalg_trsm', [LOWER.T.copy(), U((2, 3))],
     {'rightside': True, 'lower': False}, [0, 1]),
    ('extractdiag', 'linalg_extractdiag', [U((2, 3, 3))], {}, [0]),
    ('extractdiag_off', 'linalg_extractdiag', [U((3, 3))], {'offset': -1}, []),
    ('makediag', 'linalg_makediag', [U((2, 3))], {'offset': 1}, [0]),
    ('extracttrian', 'linalg_extracttrian', [U((3, 3))], {}, [0]),
    ('extracttrian_upper', 'linalg_extracttrian', [U((2, 3, 3))], {'lower': False}, []),
    ('extracttrian_off', 'linalg_extracttrian', [U((4, 4))], {'offset': 1}, []),
    ('extracttrian_neg', 'linalg_extracttrian', [U((4, 4))], {'offset': -2}, []),
    ('maketrian', 'linalg_maketrian', [U((6,))], {}, [0]),
    ('maketrian_upper', 'linalg_maketrian', [U((2, 6))], {'lower': False}, [0]),
    ('maketrian_off', 'linalg_maketrian', [U((3,))], {'offset': 1}, []),
    ('maketrian_neg', 'linalg_maketrian', [U((3,))], {'offset': -2}, []),
    ('gelqf', 'linalg_gelqf', [U((2, 4))], {}, []),
    ('gelqf_batch', 'linalg_gelqf', [U((2, 3, 3))], {}, []),
    ('syevd', '_linalg_syevd', [spd()], {}, []),
    ('syevd_batch', '_linalg_syevd', [spd(2, n=4)], {}, []),
    ('khatri_rao', 'khatri_rao', [U((2, 3)), U((3, 3)), U((2, 3))], {}, []),  # no grad in MXNet
    # ---- moments, cumsum, all_finite
    ('moments', 'moments', [U((2, 3, 4))], {'axes': (0, 2)}, [0]),
    ('moments_kd', 'moments', [U((2, 3))], {'axes': (1,), 'keepdims': True}, []),
    ('moments_all', 'moments', [U((2, 3))], {'axes': (0, 1)}, []),
    ('moments_int', 'moments', [A([[1, 2], [3, 5]], 'int32')], {'axes': (1,)}, []),
    ('cumsum', 'cumsum', [U((2, 3))], {}, [0]),
    ('cumsum_ax1', 'cumsum', [U((2, 3))], {'axis': 1}, [0]),
    ('cumsum_int8', 'cumsum', [A([[100, 100], [1, 2]], 'int8')], {'axis': 1}, []),
    ('cumsum_f64', 'cumsum', [U((2, 3))], {'axis': 0, 'dtype': 'float64'}, []),
    ('all_finite', 'all_finite', [A([1.0, np.inf])], {}, []),
    ('all_finite_ok', 'all_finite', [U((2, 3))], {}, []),
]

D = U((3, 4))
CASES += [
    # ---- indexing by index arrays (float indices, as MXNet users pass them)
    ('pick', 'pick', [D, A([0, 5, -1])], {}, [0]),
    ('pick_wrap', 'pick', [D, A([0, 5, -1])], {'mode': 'wrap'}, [0]),
    ('pick_ax0_kd', 'pick', [D, A([0, 2, 1, 1])], {'axis': 0, 'keepdims': True}, [0]),
    ('pick_int_idx', 'pick', [D, A([0, 1, 3], 'int32')], {}, []),
    ('pick_frac', 'pick', [D, A([0.7, 1.5, 2.9])], {}, []),
    ('pick_int_data', 'pick', [INTS, A([2, 0])], {}, []),
    ('take', 'take', [D, A([[0, 5], [-1, 1]])], {}, [0]),
    ('take_dup', 'take', [D, A([2, 2, 0])], {}, [0]),
    ('take_wrap', 'take', [D, A([[0, 5], [-1, 1]])], {'mode': 'wrap'}, []),
    ('take_ax1', 'take', [D, A([3, 0])], {'axis': 1}, [0]),
    ('take_ax_neg', 'take', [D, A([3, 0])], {'axis': -1}, []),
    ('take_int64', 'take', [D, A([3, 0], 'int64')], {'axis': 1}, []),
    ('take_frac', 'take', [D, A([0.6, 1.7])], {}, []),
    ('take_raise_ok', 'take', [D, A([0, 1.5, 2])], {'mode': 'raise'}, []),
    ('one_hot', 'one_hot', [A([0, 2, -1, 5])], {'depth': 3}, []),
    ('one_hot_vals', 'one_hot', [A([[0, 2], [1, 1]])],
     {'depth': 3, 'on_value': 5, 'off_value': -1, 'dtype': 'int32'}, []),
    ('one_hot_frac', 'one_hot', [A([0.7, 1.5])], {'depth': 3}, []),
    ('one_hot_f64', 'one_hot', [A([1, 0], 'int32')], {'depth': 2, 'dtype': 'float64'}, []),
    ('gather_nd', 'gather_nd', [D, A([[0, 2, 2], [1, 3, 0]])], {}, [0]),
    # negative indices count from the end; values only, because MXNet's backward sends
    # their gradient to the flat offset (row 1 here), disagreeing with its own forward
    ('gather_nd_neg', 'gather_nd', [D, A([[0, 2, 2], [1, -1, 0]])], {}, []),
    ('gather_nd_rows', 'gather_nd', [D, A([[2, 0, 2]])], {}, [0]),
    ('gather_nd_int', 'gather_nd', [D, A([[2, 0]], 'int32')], {}, []),
    ('scatter_nd', 'scatter_nd', [A([1.5, 2.5]), A([[0, 2], [1, 3]])], {'shape': (3, 4)},
     [0]),
    ('scatter_nd_rows', 'scatter_nd', [U((2, 4)), A([[2, 0]])], {'shape': (3, 4)}, [0]),
    ('batch_take', 'batch_take', [D, A([1, 5, -1], 'int32')], {}, []),  # no grad in MXNet
    ('ravel_multi_index', 'ravel_multi_index', [A([[1, 2, 0], [0, 3, 3]])],
     {'shape': (3, 4)}, []),
    ('unravel_index', 'unravel_index', [A([4, 11, 0])], {'shape': (3, 4)}, []),
    ('unravel_index_int', 'unravel_index', [A([4, 23], 'int32')], {'shape': (2, 3, 4)}, []),
]

# Error cases: only the exception type is golden; messages are checked in the test.
ERRORS = [
    ('e_sum_axis', 'sum', [R], {'axis': 3}),
    ('e_sum_neg_axis', 'max', [R], {'axis': -4}),
    ('e_sum_dup', 'sum', [R], {'axis': (0, 0)}),
    ('e_sum_dup_neg', 'mean', [R], {'axis': (0, -3)}),
    ('e_argmax_tuple', 'argmax', [R], {'axis': (0, 1)}),
    ('e_argmax_axis', 'argmax', [D], {'axis': 2}),
    ('e_argmax_channel_1d', 'argmax_channel', [A([1, 3, 2])], {}),
    ('e_norm_ord', 'norm', [R], {'ord': 3}),
    ('e_softmax_int', 'softmax', [INTS], {}),
    ('e_softmax_axis', 'softmax', [D], {'axis': 2}),
    ('e_softmax_float_length', 'softmax', [D, A([1, 2, 3])], {'use_length': True}),
    ('e_topk_k', 'topk', [D], {'k': 5}),
    ('e_topk_ret_typ', 'topk', [D], {'ret_typ': 'bad'}),
    ('e_sort_axis', 'sort', [D], {'axis': 2}),
    ('e_dot_shape', 'dot', [U((2, 3)), U((4, 2))], {}),
    ('e_dot_dtype', 'dot', [U((2, 3)), U((3, 2), dtype='float64')], {}),
    ('e_dot_int', 'dot', [INTS, A([[1], [2], [3]], 'int32')], {}),
    ('e_batch_dot_2d', 'batch_dot', [U((3, 4)), U((4, 5))], {}),
    ('e_batch_dot_batch', 'batch_dot', [U((2, 3, 4)), U((3, 4, 5))], {}),
    ('e_gemm2_shape', 'linalg_gemm2', [U((2, 3, 4)), U((2, 5, 4))], {}),
    ('e_pick_none', 'pick', [D, A([0, 1, 2])], {'axis': None}),
    ('e_pick_shape', 'pick', [D, A([0, 1])], {}),
    ('e_take_raise', 'take', [D, A([0, 5])], {'mode': 'raise'}),
    ('e_take_axis', 'take', [D, A([0])], {'axis': 5}),
    ('e_take_raise_neg', 'take', [D, A([1, -1])], {'mode': 'raise'}),
    ('e_take_raise_frac', 'take', [D, A([2.9])], {'mode': 'raise'}),
    ('e_pick_mode', 'pick', [D, A([0, 1, 2])], {'mode': 'raise'}),
    ('e_gather_nd_m', 'gather_nd', [D, A([[0], [0], [0]])], {}),
    ('e_scatter_nd_shape', 'scatter_nd', [A([1, 2]), A([[0, 2], [1, 3]])], {'shape': (3, 4, 5)}),
    ('e_where_shape', 'where', [A([1, 0]), D, D], {}),
    ('e_where_dtype', 'where', [A([1, 0, 1]), A([1, 2, 3]), A([4, 5, 6], 'float64')], {}),
    ('e_clip_missing', 'clip', [D], {'a_min': 2}),
    ('e_add_n_shape', 'add_n', [D, U((4,))], {}),
    ('e_add_n_dtype', 'add_n', [D, U((3, 4), dtype='float64')], {}),
    ('e_cast_dtype', 'cast', [D], {'dtype': 'foo'}),
    ('e_potrf_not_pd', 'linalg_potrf', [A([[1, 2], [2, 1]])], {}),
    ('e_gemm_c_shape', 'linalg_gemm', [U((2, 3)), U((3, 4)), U((2, 3))], {}),
    ('e_gelqf_tall', 'linalg_gelqf', [U((3, 2))], {}),
    ('e_khatri_rao_cols', 'khatri_rao', [U((2, 3)), U((2, 4))], {}),
    ('e_moments_axes', 'moments', [D], {}),
    ('e_batch_take_float', 'batch_take', [D, A([0, 1, 2])], {}),
    ('e_linalg_int', 'linalg_inverse', [A([[1, 0], [0, 1]], 'int32')], {}),
]


def mx_op(opname):
    """MXNet's function for an operator name; `_contrib_x` is nd.contrib.x."""
    if opname.startswith('_contrib_'):
        return getattr(nd.contrib, opname[len('_contrib_'):])
    if opname.startswith('_linalg_'):
        return getattr(nd.linalg, opname[len('_linalg_'):])
    return getattr(nd, opname)


def run_case(opname, ins, kwargs, grad):
    xs = [nd.array(a, dtype=a.dtype) for a in ins]
    for i in grad:
        xs[i].attach_grad()
    with autograd.record():
        res = mx_op(opname)(*xs, **kwargs)
    outs = res if isinstance(res, list) else [res]
    heads, grads = [], []
    if grad:
        # a random head gradient for the first output (topk 'both': the values)
        heads = [U(outs[0].shape, -1, 1, outs[0].dtype)]
        autograd.backward([outs[0]], [nd.array(heads[0], dtype=heads[0].dtype)])
        grads = [xs[i].grad.asnumpy() for i in grad]
    return [o.asnumpy() for o in outs], heads, grads


class Packer:
    """Arrays packed into one flat blob per dtype (a few npz entries instead of a thousand
    keeps the file small); each array is referenced as [dtype, shape, offset]."""

    def __init__(self):
        self.parts, self.sizes = {}, {}

    def add(self, a):
        a = np.ascontiguousarray(a)
        dt = a.dtype.name
        off = self.sizes.get(dt, 0)
        self.parts.setdefault(dt, []).append(a.reshape(-1))
        self.sizes[dt] = off + a.size
        return [dt, list(a.shape), off]

    def blobs(self):
        return {f'blob_{dt}': np.concatenate(p) for dt, p in self.parts.items()}


def main():
    pack, cases = Packer(), {}
    for cid, opname, ins, kwargs, grad in CASES:
        outs, heads, grads = run_case(opname, ins, kwargs, grad)
        cases[cid] = {'op': opname, 'kwargs': kwargs, 'grad': grad,
                      'method': hasattr(nd.NDArray, opname),
                      'ins': [pack.add(a) for a in ins], 'outs': [pack.add(o) for o in outs],
                      'heads': [pack.add(h) for h in heads],
                      'grads': [pack.add(g) for g in grads]}
    for cid, opname, ins, kwargs in ERRORS:
        try:
            mx_op(opname)(*[nd.array(a, dtype=a.dtype) for a in ins], **kwargs)
            nd.waitall()
            raise AssertionError(f'{cid}: MXNet raised nothing')
        except (mx.base.MXNetError, TypeError, ValueError, IndexError) as e:
            error = type(e).__name__
        cases[cid] = {'op': opname, 'kwargs': kwargs, 'error': error,
                      'ins': [pack.add(a) for a in ins]}
    np.savez_compressed(OUT, cases=np.array(json.dumps(cases, sort_keys=True)),
                        **pack.blobs())
    print(f'wrote {len(CASES)} cases and {len(ERRORS)} error cases to {OUT}')


if __name__ == '__main__':
    main()
