"""MXNet's oneDNN-fused quantized layers (`_sg_mkldnn_conv`, `_sg_mkldnn_fully_connected`,
quantized and calibrated), which MXNet's `quantize_net` / `quantize_model_mkldnn` build on
a CPU: Convolution or FullyConnected with an optional fused relu, requantized inside the
kernel to the calibrated range (uint8 after a relu, else int8), or float output.

The arithmetic follows MXNet 1.9.1's subgraph/mkldnn/mkldnn_conv.cc and mkldnn_fc.cc:
- conv quantizes its float32 weights per output channel (scale 127.5 / max|w_c|) and its
  bias to int32 (scale data_scale * weight_scale_c), both rounded half to even;
- FC takes the offline int8 weight and bias; its int32 bias is round(bias * data_scale *
  weight_scale / bias_scale), rounded half away from zero (std::round);
- the int32 accumulator is scaled by output_scale / data_scale / weight_scale in float32,
  rounded half to even and saturated.
"""
import torch
import torch.nn.functional as tF

from ...base import MXNetError
from ..register import op
from .quantized import (F32, INT8_RANGE, UINT8_RANGE, _f, _maxabs, _reorder, _rng,
                        _check_q)


def _data_scale(data, lo, hi):
    q = INT8_RANGE if data.dtype is torch.int8 else UINT8_RANGE
    r = _maxabs(lo.reshape(()), hi.reshape(()))
    return _f(q) / r if float(r) else _f(2147483647.0)


def _requantize(acc, scales, with_act, lo, hi, float_output=False):
    """acc (float64, exact int32 sums) * per-channel scales, then relu and the output type."""
    shape = [1] * acc.dim()
    shape[1] = -1
    y = acc.to(F32) * scales.reshape(shape)
    if float_output:
        return y
    if with_act:
        y = y.clamp(min=0)
    dtype = torch.uint8 if with_act else torch.int8
    return _reorder(y, 1.0, dtype), _rng(lo), _rng(hi)


@op(name='_sg_mkldnn_conv')
def sg_mkldnn_conv(data, weight, bias=None, min_data=None, max_data=None, kernel=(),
                   stride=(), dilate=(), pad=(), num_filter=0, num_group=1, no_bias=False,
                   layout=None, with_act=False, quantized=True, min_calib_range=None,
                   max_calib_range=None, workspace=1024, cudnn_tune=None, cudnn_off=False):
    """Quantized, calibrated Convolution (+relu) of int8/uint8 data with float32 weights."""
    if no_bias and max_data is None:        # positional (data, weight, min, max)
        bias, min_data, max_data = None, bias, min_data
    _check_q('_sg_mkldnn_conv', data)
    if min_calib_range is None or max_calib_range is None:
        raise MXNetError("_sg_mkldnn_conv: regluon builds the fused conv only for a "
                         "calibrated model (calib_mode 'naive' or 'entropy')")
    ds = _data_scale(data, min_data, max_data)
    w = weight.to(F32)
    wabs = w.reshape(w.shape[0], -1).abs().amax(1)
    ws = torch.where(wabs > 0, _f(INT8_RANGE) / wabs, _f(2147483647.0))
    if bias is not None:       # MXNet keeps the int32 bias below INT_MAX / 2
        b = bias.to(F32)
        lim = torch.where(b > 0, _f(2147483647.0), _f(-2147483648.0)) / 2 / b / ds
        ws = torch.where(b != 0, torch.minimum(ws, lim), ws)
    shape = [-1] + [1] * (w.dim() - 1)
    wq = _reorder(w * ws.reshape(shape), 1.0, torch.int8)
    conv = {1: tF.conv1d, 2: tF.conv2d, 3: tF.conv3d}[len(kernel)]
    acc = conv(data.to(torch.float64), wq.to(torch.float64), None,
               tuple(stride) or 1, tuple(pad) or 0, tuple(dilate) or 1, num_group)
    if bias is not None:
        bq = _reorder(bias.to(F32) * (ds * ws), 1.0, torch.int32)
        acc = acc + bq.to(torch.float64).reshape([1, -1] + [1] * (acc.dim() - 2))
    lo, hi = _f(min_calib_range), _f(max_calib_range)
    out_scale = _f(UINT8_RANGE if with_act else INT8_RANGE) / _maxabs(lo, hi)
    return _requantize(acc, out_scale / ds / ws, with_act, lo, hi)


@op(name='_sg_mkldnn_fully_connected')
def sg_mkldnn_fully_connected(data, weight, bias=None, min_data=None, max_data=None,
                              min_weight=None, max_weight=None, min_bias=None, max_bias=None,
                              num_hidden=0, no_bias=False, flatten=True, with_eltwise=False,
                              quantized=True, enable_float_output=False,
                              min_calib_range=None, max_calib_range=None):
    """Quantized FullyConnected (+relu) of int8/uint8 data with the offline int8 weight and
    bias: requantized to the calibrated range, or float32 with enable_float_output."""
    if no_bias and bias is not None and min_bias is None:
        bias, min_data, max_data, min_weight, max_weight = \
            None, bias, min_data, max_data, min_weight
    _check_q('_sg_mkldnn_fully_connected', data)
    x = data.reshape(data.shape[0], -1) if flatten else data
    acc = x.to(torch.float64) @ weight.to(torch.float64).t()
    ds = _data_scale(data, min_data, max_data)
    ws = _f(INT8_RANGE) / _maxabs(min_weight.reshape(()), max_weight.reshape(()))
    if bias is not None:
        bscale = _f(INT8_RANGE) / _maxabs(min_bias.reshape(()), max_bias.reshape(()))
        rescale = ds * ws / bscale
        limit = _f(2147483647.0) / 2 / _maxabs(min_bias.reshape(()), max_bias.reshape(())) \
            / bscale
        if float(rescale) > float(limit):
            raise MXNetError("_sg_mkldnn_fully_connected: the int32 bias would overflow; "
                             "MXNet rescales the weights here, which regluon does not")
        b = bias.to(F32) * rescale          # std::round: half away from zero
        acc = acc + (b.sign() * (b.abs() + 0.5).floor()).to(torch.float64)
    if enable_float_output:
        return _requantize(acc, (1.0 / ds.double()).to(F32) / ws, False, 0, 0, True)
    if min_calib_range is None or max_calib_range is None:
        raise MXNetError("_sg_mkldnn_fully_connected: regluon builds the fused FC only for a "
                         "calibrated model (calib_mode 'naive' or 'entropy')")
    lo, hi = _f(min_calib_range), _f(max_calib_range)
    out_scale = _f(UINT8_RANGE if with_eltwise else INT8_RANGE) / _maxabs(lo, hi)
    if with_eltwise:     # oneDNN: relu(acc * (1 / data_scale) / weight_scale) * out_scale
        y = (acc.to(F32) * ((1.0 / ds.double()).to(F32) / ws)).clamp(min=0) * out_scale
        return _reorder(y, 1.0, torch.uint8), _rng(lo), _rng(hi)
    return _requantize(acc, out_scale / ds / ws, False, lo, hi)
