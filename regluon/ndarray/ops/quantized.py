"""MXNet's INT8 quantization operators (`nd.contrib.quantize_v2`, `quantized_conv`, ...,
registered as `_contrib_<name>`), as MXNet 1.9.1's CPU (MKLDNN) kernels compute them.

A quantized tensor travels as a triple (data, min_range, max_range); the ranges are float32
arrays of shape (1,). MKLDNN's conversions are reorders with one float32 output scale:
`saturate(round_half_even(float32(x) * scale))`; the scales use MXNet's constants
kInt8Range = 127.5 and kUint8Range = 255.5 (quantization_utils.h), while the int32 ranges of
products use 127 / 255 / 2**31-1 (QuantizationRangeForMultiplication). Integer products are
simulated exactly: int8 values in float64 (exact below 2**53) and cast to int32.
"""
import torch
import torch.nn.functional as tF

from ...base import MXNetError
from ..register import op

F32 = torch.float32
INT8_RANGE, UINT8_RANGE, INT32_MAX = 127.5, 255.5, 2147483647
_LIMITS = {torch.int8: (-128, 127), torch.uint8: (0, 255), torch.int32: (-2**31, 2**31 - 1)}
_OUT_TYPES = ('auto', 'int8', 'uint8')


def _f(v):
    """A float32 scalar tensor (MXNet's range arithmetic is float32)."""
    return torch.as_tensor(v, dtype=F32).reshape(())


def _rng(v):
    """A range output: float32 of shape (1,)."""
    return _f(v).reshape(1)


def _maxabs(a, b):
    return torch.maximum(_f(a).abs(), _f(b).abs())


def _reorder(x, scale, dtype):
    """MKLDNN's reorder with an output scale: round half to even, saturate to `dtype`."""
    lo, hi = _LIMITS[dtype]
    y = (x.to(F32) * _f(scale)).round()
    if dtype is torch.int32:      # float32 -> int32 saturates at 2**31 (not representable)
        return y.to(torch.float64).clamp(lo, hi).to(dtype)
    return y.clamp(lo, hi).to(dtype)


def _out_type(name, out_type, min_calib, max_calib):
    if out_type not in _OUT_TYPES:
        raise MXNetError(f"{name}: out_type must be one of {_OUT_TYPES}, got {out_type!r}")
    if out_type == 'auto':
        return torch.uint8 if min_calib is not None and max_calib is not None \
            and min_calib >= 0 else torch.int8
    return torch.uint8 if out_type == 'uint8' else torch.int8


def _check_q(name, t, dtypes=(torch.int8, torch.uint8)):
    if t.dtype not in dtypes:
        names = ' or '.join(str(d).replace('torch.', '') for d in dtypes)
        raise MXNetError(f"{name}: the input data must be {names}, got "
                         f"{str(t.dtype).replace('torch.', '')}")


# ---- quantize / dequantize / requantize ---------------------------------------------------
@op(name='_contrib_quantize')
def quantize(data, min_range, max_range, out_type='uint8'):
    """Quantize float32 `data` with the given range to int8 (symmetric) or uint8.

    Returns (quantized, min, max): int8 reports (-r, r) with r = max(|min|, |max|); uint8
    reports the given range (MKLDNN scales by 255/r and clamps negatives to 0).
    """
    if out_type not in ('int8', 'uint8'):
        raise MXNetError(f"quantize: out_type must be 'int8' or 'uint8', got {out_type!r}")
    r = _maxabs(min_range.reshape(()), max_range.reshape(()))
    if out_type == 'int8':
        return _reorder(data, _f(127.0) / r, torch.int8), _rng(-r), _rng(r)
    return (_reorder(data, _f(255.0) / r, torch.uint8),
            _rng(min_range.reshape(())), _rng(max_range.reshape(())))


@op(name='_contrib_quantize_v2')
def quantize_v2(data, out_type='int8', min_calib_range=None, max_calib_range=None):
    """Quantize float32 `data` to int8/uint8 with the calibrated range, or with the data's own
    min/max when none is given ('auto': uint8 when min_calib_range >= 0, else int8).
    int8/uint8 input passes through (ranges: the calibrated ones, else +-127.5 / 0..255.5)."""
    dtype = _out_type('quantize_v2', out_type, min_calib_range, max_calib_range)
    calibrated = min_calib_range is not None and max_calib_range is not None
    if data.dtype in (torch.int8, torch.uint8):
        if calibrated:
            return data.clone(), _rng(min_calib_range), _rng(max_calib_range)
        if data.dtype is torch.uint8:
            return data.clone(), _rng(0.0), _rng(UINT8_RANGE)
        return data.clone(), _rng(-INT8_RANGE), _rng(INT8_RANGE)
    if calibrated:
        lo, hi = _f(min_calib_range), _f(max_calib_range)
    else:
        d = data.to(F32)
        lo, hi = d.min(), d.max()
    r = _maxabs(lo, hi)
    if dtype is torch.uint8:
        return _reorder(data, _f(UINT8_RANGE) / r, dtype), _rng(lo), _rng(hi)
    return _reorder(data, _f(INT8_RANGE) / r, dtype), _rng(-r), _rng(r)


@op(name='_contrib_dequantize')
def dequantize(data, min_range, max_range, out_type='float32'):
    """float32 from int8/uint8 data: data * max(|min|, |max|) / 127.5 (int8) or / 255.5."""
    _check_q('dequantize', data)
    if out_type != 'float32':
        raise MXNetError(f"dequantize: out_type must be 'float32', got {out_type!r}")
    q = INT8_RANGE if data.dtype is torch.int8 else UINT8_RANGE
    scale = _maxabs(min_range.reshape(()), max_range.reshape(())) / _f(q)
    return data.to(F32) * scale


@op(name='_contrib_requantize')
def requantize(data, min_range, max_range, out_type='int8', min_calib_range=None,
               max_calib_range=None):
    """int32 `data` (range: its min/max arrays, for +-(2**31-1)) to int8/uint8, in the
    calibrated range or, without one, the range of the values present."""
    _check_q('requantize', data, (torch.int32,))
    dtype = _out_type('requantize', out_type, min_calib_range, max_calib_range)
    in_range = _maxabs(min_range.reshape(()), max_range.reshape(()))
    src_range = _f(float(INT32_MAX))       # float(2**31-1) rounds to 2**31, as in MXNet
    if min_calib_range is not None and max_calib_range is not None:
        real = _maxabs(min_calib_range, max_calib_range)
    else:
        data_range = _maxabs(data.min(), data.max())
        real = data_range * in_range / src_range
    first = in_range / src_range
    if dtype is torch.int8:
        scale, lo = first * (_f(127.0) / real), -real
    else:
        scale, lo = first * (_f(255.0) / real), _f(0.0)
    return _reorder(data, scale, dtype), _rng(lo), _rng(real)


# ---- int8 x int8 -> int32 layers -----------------------------------------------------------
def _product_range(min_a, max_a, min_b, max_b, a_unsigned=False):
    """MXNet's QuantizationRangeForMultiplication: int32 range of a product of int8 values;
    for uint8 data MXNet's S8U8 variant divides the data range by 127 and the weight's by 255."""
    fa = _maxabs(min_a.reshape(()), max_a.reshape(())) / _f(127.0)
    fb = _maxabs(min_b.reshape(()), max_b.reshape(())) / _f(255.0 if a_unsigned else 127.0)
    hi = (fa * fb) * _f(float(INT32_MAX))
    return _rng(-hi), _rng(hi)


def _exact_int32(t):
    return t.round().to(torch.int32)


def _q_scale(t, lo, hi):
    q = INT8_RANGE if t.dtype is torch.int8 else UINT8_RANGE
    return _f(q) / _maxabs(lo.reshape(()), hi.reshape(()))


@op(name='_contrib_quantized_fully_connected')
def quantized_fully_connected(data, weight, bias=None, min_data=None, max_data=None,
                              min_weight=None, max_weight=None, min_bias=None, max_bias=None,
                              num_hidden=0, no_bias=False, flatten=True):
    """FullyConnected on int8/uint8 data and int8 weight/bias: int32 output with the product
    range. The int8 bias is rescaled to int32 as MKLDNN does (truncating
    bias * data_scale * weight_scale * bias_range / 127.5)."""
    if no_bias and bias is not None and min_bias is None:     # positional (.., min_data, ..)
        bias, min_data, max_data, min_weight, max_weight = \
            None, bias, min_data, max_data, min_weight
    _check_q('quantized_fully_connected', data)
    _check_q('quantized_fully_connected', weight, (torch.int8,))
    if weight.shape[0] != num_hidden:
        raise MXNetError(f"quantized_fully_connected: weight must have num_hidden={num_hidden}"
                         f" rows, got shape {tuple(weight.shape)}")
    x = data.reshape(data.shape[0], -1) if flatten else data
    if x.shape[-1] != weight.shape[1]:
        raise MXNetError(f"quantized_fully_connected: data's last dimension {x.shape[-1]} "
                         f"does not match weight shape {tuple(weight.shape)}")
    acc = x.to(torch.float64) @ weight.to(torch.float64).t()
    if not no_bias:
        rescale = _q_scale(data, min_data, max_data) * _q_scale(weight, min_weight, max_weight) \
            * _maxabs(min_bias.reshape(()), max_bias.reshape(())) / _f(INT8_RANGE)
        acc = acc + (bias.to(F32) * rescale).trunc().to(torch.float64)
    lo, hi = _product_range(min_data, max_data, min_weight, max_weight,
                            data.dtype is torch.uint8)
    return _exact_int32(acc), lo, hi


@op(name='_contrib_quantized_conv')
def quantized_conv(data, weight, bias=None, min_data=None, max_data=None, min_weight=None,
                   max_weight=None, min_bias=None, max_bias=None, kernel=(), stride=(),
                   dilate=(), pad=(), num_filter=0, num_group=1, workspace=1024,
                   no_bias=False, cudnn_tune=None, cudnn_off=False, layout=None):
    """Convolution of uint8 data (MKLDNN takes no other) with int8 weights: int32 output in
    the product range. MXNet's MKLDNN kernel adds the int8 bias values as they are."""
    if no_bias and bias is not None and min_bias is None:
        bias, min_data, max_data, min_weight, max_weight = \
            None, bias, min_data, max_data, min_weight
    if data.dtype is not torch.uint8:
        raise MXNetError("quantized_conv: mkldnn_quantized_conv op only supports uint8 as "
                         f"input type, got {str(data.dtype).replace('torch.', '')}")
    _check_q('quantized_conv', weight, (torch.int8,))
    nd_ = len(kernel)
    if data.dim() != nd_ + 2:
        raise MXNetError(f"quantized_conv: data must be {nd_ + 2}-D for kernel {kernel}, "
                         f"got shape {tuple(data.shape)}")
    conv = {1: tF.conv1d, 2: tF.conv2d, 3: tF.conv3d}[nd_]
    b = None if no_bias else bias.to(torch.float64)
    acc = conv(data.to(torch.float64), weight.to(torch.float64), b,
               tuple(stride) or 1, tuple(pad) or 0, tuple(dilate) or 1, num_group)
    lo, hi = _product_range(min_data, max_data, min_weight, max_weight)
    return _exact_int32(acc), lo, hi


# ---- layers that keep the range ------------------------------------------------------------
@op(name='_contrib_quantized_pooling')
def quantized_pooling(data, min_data, max_data, kernel=(), pool_type='max',
                      global_pool=False, cudnn_off=False, pooling_convention='valid',
                      stride=(), pad=(), p_value=None, count_include_pad=None, layout=None):
    """Max or average pooling of int8/uint8 data; the range passes through (average rounds to
    nearest, ties to even, as MKLDNN)."""
    _check_q('quantized_pooling', data)
    if pool_type not in ('max', 'avg'):
        raise MXNetError(f"quantized_pooling: pool_type must be 'max' or 'avg', got "
                         f"{pool_type!r}")
    from ..register import OPS    # the float operator (exact on small integers)
    out = OPS['Pooling'].kernel(data.to(torch.float64), kernel=kernel, pool_type=pool_type,
                         global_pool=global_pool, pooling_convention=pooling_convention,
                         stride=stride, pad=pad, count_include_pad=count_include_pad)
    return out.round().to(data.dtype), min_data.clone(), max_data.clone()


@op(name='_contrib_quantized_act')
def quantized_act(data, min_data, max_data, act_type='relu'):
    """ReLU of int8/uint8 data; the range passes through."""
    _check_q('quantized_act', data)
    if act_type != 'relu':
        raise MXNetError(f"quantized_act: only act_type='relu' is supported, got {act_type!r}")
    return data.clamp(min=0), min_data.clone(), max_data.clone()


@op(name='_contrib_quantized_flatten')
def quantized_flatten(data, min_data, max_data):
    """Flatten of int8/uint8 data to 2-D; the range passes through."""
    return data.reshape(data.shape[0], -1), min_data.clone(), max_data.clone()


@op(name='_contrib_quantized_concat')
def quantized_concat(*data, num_args=None, dim=1):
    """Concat of quantized arrays (`data` are the arrays, then each one's min and max): the
    output range is (min of the mins and 0, max of the maxes and 0); inputs in another range
    are rescaled with MKLDNN's reorder. uint8 output only when every input is uint8."""
    n = num_args if num_args is not None else len(data) // 3
    if len(data) != 3 * n:
        raise MXNetError(f"quantized_concat: expected {3 * n} inputs (num_args={n} arrays, "
                         f"then a min and a max for each), got {len(data)}")
    arrays, mins, maxs = data[:n], data[n::2], data[n + 1::2]
    for a in arrays:
        _check_q('quantized_concat', a)
    neg = torch.minimum(torch.stack([m.reshape(()) for m in mins]).min(), _f(0.0))
    pos = torch.maximum(torch.stack([m.reshape(()) for m in maxs]).max(), _f(0.0))
    out_dtype = torch.uint8 if all(a.dtype is torch.uint8 for a in arrays) else torch.int8
    out_scale = _f(INT8_RANGE if out_dtype is torch.int8 else UINT8_RANGE) / _maxabs(neg, pos)
    parts = []
    for a, lo, hi in zip(arrays, mins, maxs):
        s = _q_scale(a, lo, hi)
        parts.append(a.to(out_dtype) if bool(s == out_scale)
                     else _reorder(a, out_scale / s, out_dtype))
    return torch.cat(parts, dim), _rng(neg), _rng(pos)


# ---- calibration ---------------------------------------------------------------------------
def _smooth(p, eps=0.0001):
    """MXNet's SmoothDistribution: zeros get eps, the rest give it back; None if malformed."""
    zeros = p == 0
    n_zeros = int(zeros.sum())
    n_nonzeros = p.numel() - n_zeros
    if not n_nonzeros:
        return None
    eps1 = _f(eps) * _f(n_zeros) / _f(n_nonzeros)
    if eps1 >= 1.0:
        return None
    return p + torch.where(zeros, _f(eps), -eps1)


@op(name='_contrib_calibrate_entropy')
def calibrate_entropy(hist, hist_edges, num_quantized_bins=255):
    """(threshold, divergence): of the symmetric thresholds hist_edges[zero + i + 1], the
    one whose `num_quantized_bins`-bin quantization of the histogram has the least KL
    divergence from it (outliers folded into the end bins), as MXNet's CalibrateComputeCPU."""
    n = hist.numel()
    if hist_edges.numel() != n + 1:
        raise MXNetError(f"calibrate_entropy: hist_edges must have {n + 1} entries for {n} "
                         f"bins, got {hist_edges.numel()}")
    h, edges, nq = hist.to(F32).reshape(-1), hist_edges.to(F32).reshape(-1), num_quantized_bins
    zero = n // 2
    csum = torch.cat([torch.zeros(1, dtype=torch.float64), h.to(torch.float64).cumsum(0)])
    best, best_th = float('inf'), edges[0]
    for i in range(nq // 2, zero + 1):
        start, stop = zero - i, zero + i + 1
        sliced = h[start:stop].trunc().clone()
        sliced[0] = 0
        p = sliced.clone()
        p[0] = _f(float(csum[start + 1]))
        p[-1] = h[stop - 1] + _f(float(csum[n] - csum[stop]))
        m = sliced.numel() // nq
        bins = sliced[:nq * m].reshape(nq, m).sum(1)
        bins[-1] += sliced[nq * m:].sum()
        group = torch.arange(sliced.numel()).div(m, rounding_mode='floor').clamp(max=nq - 1)
        norm = torch.zeros(nq).index_add_(0, group, (sliced != 0).to(F32))
        q = torch.where((p != 0) & (norm[group] > 0), bins[group] / norm[group].clamp(min=1),
                        _f(0.0))
        p, q = _smooth(p), _smooth(q)
        if q is None:
            div = float('inf')
        else:
            p, q = p / p.sum(), q / q.sum()
            div = float((p * torch.log(p / q)).sum())
        if div < best:
            best, best_th = div, edges[stop]
    return _rng(best_th), _rng(best if best != float('inf') else 3.4028234663852886e38)


# ---- elementwise ---------------------------------------------------------------------------
@op(name='_contrib_quantized_elemwise_add')
def quantized_elemwise_add(lhs, rhs, lhs_min, lhs_max, rhs_min, rhs_max,
                           min_calib_range=None, max_calib_range=None):
    """lhs + rhs of int8/uint8 arrays (MKLDNN's scaled sum). Without a calibrated range:
    int32 in the range +-(|lhs| + |rhs|); with one: int8 (uint8 when both are uint8)."""
    _check_q('quantized_elemwise_add', lhs)
    _check_q('quantized_elemwise_add', rhs)
    if lhs.shape != rhs.shape:
        raise MXNetError(f"quantized_elemwise_add: lhs {tuple(lhs.shape)} and rhs "
                         f"{tuple(rhs.shape)} must have the same shape")
    a_abs = _maxabs(lhs_min.reshape(()), lhs_max.reshape(()))
    b_abs = _maxabs(rhs_min.reshape(()), rhs_max.reshape(()))
    a_range = _f(INT8_RANGE if lhs.dtype is torch.int8 else UINT8_RANGE)
    a_scale, b_scale = _q_scale(lhs, lhs_min, lhs_max), _q_scale(rhs, rhs_min, rhs_max)
    calibrated = min_calib_range is not None and max_calib_range is not None
    if calibrated:
        out_dtype = lhs.dtype if lhs.dtype == rhs.dtype else torch.int8
        out_min, out_max = _f(min_calib_range), _f(max_calib_range)
        out_range = _f(INT8_RANGE if out_dtype is torch.int8 else UINT8_RANGE)
        out_scale = out_range / _maxabs(out_min, out_max)
    else:
        out_dtype, out_range = torch.int32, _f(float(INT32_MAX))
        out_max = a_abs + b_abs
        out_min = -out_max
    s = [_f(1.0), _f(1.0)]
    a, b = lhs, rhs
    if lhs.dtype != rhs.dtype:          # the uint8 side is reordered to int8 first
        a_int8 = lhs.dtype is torch.int8
        if calibrated:
            u8 = out_scale / (b_scale if a_int8 else a_scale)
            s[0 if a_int8 else 1] = out_scale / (a_scale if a_int8 else b_scale)
        elif a_int8:
            u8 = b_abs * out_range / ((a_abs + b_abs) * _f(UINT8_RANGE))
            s[0] = a_abs * out_range / ((a_abs + b_abs) * a_range)
        else:
            u8 = a_abs * out_range / ((a_abs + b_abs) * a_range)
            s[1] = b_abs * out_range / ((a_abs + b_abs) * _f(INT8_RANGE))
        if a_int8:
            b = _reorder(rhs, u8, torch.int8)
        else:
            a = _reorder(lhs, u8, torch.int8)
    elif calibrated:
        s = [out_scale / a_scale, out_scale / b_scale]
    else:
        s = [a_abs * out_range / ((a_abs + b_abs) * a_range),
             b_abs * out_range / ((a_abs + b_abs) * a_range)]
    total = a.to(F32) * s[0] + b.to(F32) * s[1]
    return _reorder(total, 1.0, out_dtype), _rng(out_min), _rng(out_max)


@op(name='_contrib_quantized_elemwise_mul')
def quantized_elemwise_mul(lhs, rhs, lhs_min, lhs_max, rhs_min, rhs_max, min_calib_range=None,
                           max_calib_range=None, enable_float_output=False):
    """lhs * rhs of int8 arrays: int32 products in the product range, int8 in a calibrated
    range (truncated, as MXNet's CPU kernel casts), or float32 with enable_float_output."""
    for t in (lhs, rhs):
        _check_q('quantized_elemwise_mul', t, (torch.int8,))
    if lhs.shape != rhs.shape:
        raise MXNetError("quantized_elemwise_mul: doesn't support broadcast, got "
                         f"{tuple(lhs.shape)} and {tuple(rhs.shape)}")
    prod = (lhs.to(torch.int32) * rhs.to(torch.int32)).to(F32)
    l_scale = _f(INT8_RANGE) / _maxabs(lhs_min.reshape(()), lhs_max.reshape(()))
    r_scale = _f(INT8_RANGE) / _maxabs(rhs_min.reshape(()), rhs_max.reshape(()))
    if enable_float_output:
        # MXNet: `out_scale = 1.0 / lhs_scale / rhs_scale` in double, stored as float
        return prod * (1.0 / l_scale.double() / r_scale.double()).to(F32)
    if min_calib_range is not None and max_calib_range is not None:
        lo, hi = _f(min_calib_range), _f(max_calib_range)
        out_scale = _f(INT8_RANGE) / _maxabs(lo, hi) / l_scale / r_scale
        return (prod * out_scale).trunc().to(torch.int32).to(torch.int8), _rng(lo), _rng(hi)
    lo, hi = _product_range(lhs_min, lhs_max, rhs_min, rhs_max)
    return prod.to(torch.int32), lo, hi


@op(name='_contrib_quantized_embedding')
def quantized_embedding(data, weight, min_weight, max_weight, input_dim=0, output_dim=0,
                        dtype='float32', sparse_grad=False):
    """Rows of the int8 `weight` at the (clipped) indices `data`; the weight's range."""
    if weight.dim() != 2:
        raise MXNetError("quantized_embedding: Embedding layer expects its weight to be "
                         f"two-dimensional. {weight.dim()} dimensional input is given instead")
    idx = data.to(torch.int64).clamp(0, weight.shape[0] - 1)
    return weight[idx], min_weight.clone(), max_weight.clone()


@op(name='_contrib_quantized_batch_norm')
def quantized_batch_norm(data, gamma, beta, moving_mean, moving_var, min_data, max_data,
                         eps=1e-3, momentum=0.9, fix_gamma=True, use_global_stats=False,
                         output_mean_var=False, axis=1, cudnn_off=False, min_calib_range=None,
                         max_calib_range=None):
    """Inference BatchNorm of int8/uint8 data to int8 in the calibrated range (MKLDNN's:
    gamma is used as given, whatever fix_gamma says)."""
    _check_q('quantized_batch_norm', data)
    if min_calib_range is None or max_calib_range is None:
        raise MXNetError("quantized_batch_norm: min_calib_range or max_calib_range is not "
                         "available. Quantized BN currently don't support calib_mode=None")
    x = data
    if data.dtype is torch.uint8:          # MKLDNN reorders uint8 to int8 first
        x = _reorder(data, _f(INT8_RANGE) / _f(UINT8_RANGE), torch.int8)
    ax = axis % data.dim()
    abs_in = _maxabs(min_data.reshape(()), max_data.reshape(()))
    lo, hi = _f(min_calib_range), _f(max_calib_range)
    abs_out = _maxabs(lo, hi)
    # MXNet: invstd = 1.0 / std::sqrt(var + eps) in double, stored as float
    invstd = (1.0 / (moving_var.double() + eps).sqrt()).to(F32)
    scale = gamma.to(F32) * invstd * abs_in / abs_out
    shift = (beta.to(F32) - moving_mean.to(F32) * gamma.to(F32) * invstd) * _f(INT8_RANGE) \
        / abs_out
    shape = [1] * data.dim()
    shape[ax] = -1
    # oneDNN with mean 0, variance 1: dst = scale / sqrt(1 + eps) * src + shift
    sm = scale / torch.sqrt(_f(1.0) + _f(eps))
    y = sm.reshape(shape) * x.to(F32) + shift.reshape(shape)
    return _reorder(y, 1.0, torch.int8), _rng(lo), _rng(hi)
