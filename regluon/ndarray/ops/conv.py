"""Convolution, transposed convolution and pooling over 1-D, 2-D and 3-D inputs.

MXNet's layouts are NCW/NCHW/NCDHW; the channel-last layouts (NWC/NHWC/NDHWC) are run
by moving the channel axis to position 1 and back. For channel-last convolution the
weight is (num_filter, *kernel, in_channels), as in MXNet's GPU implementation.
"""
import math

import torch
import torch.nn.functional as F

from ...base import MXNetError
from ..register import op

_CHANNEL_LAST = ('NWC', 'NHWC', 'NDHWC')
_CONV = {1: F.conv1d, 2: F.conv2d, 3: F.conv3d}
_DECONV = {1: F.conv_transpose1d, 2: F.conv_transpose2d, 3: F.conv_transpose3d}


def _tuple(name, what, v, n, default):
    """A per-axis tuple of length n; MXNet's empty default means `default` on every axis."""
    if type(v) is tuple and len(v) == n:        # the usual case: the layer's own tuple
        for i in v:
            if type(i) is not int:
                break
        else:
            return v
    if v is None or (isinstance(v, (tuple, list)) and len(v) == 0):
        return (default,) * n
    if isinstance(v, int):
        return (v,) * n
    v = tuple(int(i) for i in v)
    if len(v) != n:
        raise MXNetError(f"{name}: {what} must have {n} elements like kernel, got {v}")
    return v


def _first(v, n):
    """The first n entries of a per-axis tuple (an int or None as it is)."""
    return tuple(v)[:n] if isinstance(v, (tuple, list)) else v


def _spatial(name, data, kernel, layout):
    """Check the kernel against data's rank; return (number of spatial axes, channel_last)."""
    kernel = (kernel,) if isinstance(kernel, int) else tuple(kernel or ())
    n = len(kernel)
    if n == 0:
        raise MXNetError(f"{name}: required parameter kernel is missing")
    if n > 3:
        raise MXNetError(f"{name}: only 1-D, 2-D and 3-D kernels are supported, got "
                         f"kernel={kernel}")
    if data.dim() != n + 2:
        raise MXNetError(f"{name}: kernel {kernel} needs {n + 2}-D data, got data of "
                         f"shape {tuple(data.shape)}")
    return n, layout in _CHANNEL_LAST


def _check_bias(name, bias, no_bias, num_filter):
    if no_bias:
        return None
    if bias is None:
        raise MXNetError(f"{name}: bias is missing; pass it or set no_bias=True")
    if tuple(bias.shape) != (num_filter,):
        raise MXNetError(f"{name}: bias shape {tuple(bias.shape)} does not match the "
                         f"expected ({num_filter},)")
    return bias


def _checked_inputs(name, data, weight, bias, kernel, num_filter, num_group, no_bias, layout,
                    transposed=False):
    """Convolution's and Deconvolution's argument checks; returns (spatial dims, channel-last,
    kernel, channel-first data and weight, bias). The weight is (num_filter, C/g, *kernel),
    or (C, num_filter/g, *kernel) for the transposed convolution."""
    n, last = _spatial(name, data, kernel, layout)
    if num_filter is None:
        raise MXNetError(f"{name}: required parameter num_filter is missing")
    kernel = _tuple(name, 'kernel', kernel, n, 1)
    x, w = data, weight
    if last:
        x = data.movedim(-1, 1)
        w = None if weight is None else weight.movedim(-1, 1)
    channels = x.shape[1]
    if channels % num_group or num_filter % num_group:
        raise MXNetError(f"{name}: num_group={num_group} must divide both the input channels "
                         f"({channels}) and num_filter ({num_filter})")
    expect = ((channels, num_filter // num_group) if transposed else
              (num_filter, channels // num_group)) + kernel
    if w is None or tuple(w.shape) != expect:
        got = None if w is None else tuple(weight.shape)
        if last:
            expect = expect[:1] + expect[2:] + expect[1:2]
        raise MXNetError(f"{name}: weight shape {got} does not match the expected {expect} "
                         f"for data {tuple(data.shape)} (num_filter={num_filter}, "
                         f"num_group={num_group}, kernel={kernel})")
    return n, last, kernel, x, w, _check_bias(name, bias, no_bias, num_filter)


@op(aliases=('Convolution_v1',))     # MXNet's deprecated v1 takes a subset of these
def Convolution(data, weight=None, bias=None, kernel=None, stride=(), dilate=(), pad=(),
                num_filter=None, num_group=1, workspace=1024, no_bias=False,
                cudnn_tune=None, cudnn_off=False, layout=None):
    """Compute N-D convolution on (N+2)-D input.

    Parameters
    ----------
    data : NDArray
        Input data, (batch, channel, *spatial) or channel-last per `layout`.
    weight : NDArray
        Weight, (num_filter, channel / num_group, *kernel).
    bias : NDArray
        Bias, (num_filter,).
    kernel : tuple of int, required
        Convolution kernel size: (w,), (h, w) or (d, h, w).
    stride, dilate, pad : tuple of int, optional
        Stride (default 1), dilation (default 1) and zero padding (default 0) per axis.
    num_filter : int, required
        Number of output channels.
    num_group : int, default=1
        Number of groups the channels are split into.
    no_bias : bool, default=False
        Whether to leave out the bias.
    layout : {None, 'NCW', 'NCHW', 'NCDHW', 'NWC', 'NHWC', 'NDHWC'}, optional
        Data layout; None means channel-first.
    """
    name = 'Convolution'
    n, last, kernel, x, w, b = _checked_inputs(name, data, weight, bias, kernel, num_filter,
                                               num_group, no_bias, layout)
    y = _CONV[n](x, w, b, _tuple(name, 'stride', stride, n, 1), _tuple(name, 'pad', pad, n, 0),
                 _tuple(name, 'dilate', dilate, n, 1), num_group)
    return y.movedim(1, -1) if last else y


def _deconv_pads(name, insize, kernel, stride, dilate, pad, adj, target_shape):
    """MXNet's padding and output adjustment; a target_shape overrides pad and adj."""
    n = len(kernel)
    if not target_shape or all(t == 0 for t in target_shape):
        return pad, adj
    pads, adjs = [], []
    for i in range(n):
        full = stride[i] * (insize[i] - 1) + dilate[i] * (kernel[i] - 1) + 1
        if full < target_shape[i]:
            raise MXNetError(f"{name}: target_shape {tuple(target_shape)} is too big for input "
                             f"spatial size {tuple(insize)} with kernel {kernel} and stride "
                             f"{stride}")
        total = full - target_shape[i]
        adjs.append(total % 2)
        pads.append((total + 1) // 2)
    return tuple(pads), tuple(adjs)


@op
def Deconvolution(data, weight=None, bias=None, kernel=None, stride=(), dilate=(), pad=(),
                  adj=(), target_shape=(), num_filter=None, num_group=1, workspace=512,
                  no_bias=True, cudnn_tune=None, cudnn_off=False, layout=None):
    """Compute N-D transposed convolution (the gradient of Convolution) on (N+2)-D input.

    Parameters
    ----------
    data : NDArray
        Input data, (batch, channel, *spatial).
    weight : NDArray
        Weight, (channel, num_filter / num_group, *kernel).
    bias : NDArray
        Bias, (num_filter,).
    kernel : tuple of int, required
        Kernel size.
    stride, dilate, pad : tuple of int, optional
        Stride (default 1), dilation (default 1) and padding (default 0) per axis.
    adj : tuple of int, optional
        Extra size added on one side of the output (default 0).
    target_shape : tuple of int, optional
        Output spatial shape; when given, pad and adj are computed from it.
    num_filter : int, required
        Number of output channels.
    num_group : int, default=1
        Number of groups.
    no_bias : bool, default=True
        Whether to leave out the bias (MXNet's default for this operator is True).
    layout : {None, 'NCW', 'NCHW', 'NCDHW', 'NWC', 'NHWC', 'NDHWC'}, optional
        Data layout.
    """
    name = 'Deconvolution'
    n, last, kernel, x, w, b = _checked_inputs(name, data, weight, bias, kernel, num_filter,
                                               num_group, no_bias, layout, transposed=True)
    stride = _tuple(name, 'stride', stride, n, 1)
    dilate = _tuple(name, 'dilate', dilate, n, 1)
    pads, adjs = _deconv_pads(name, tuple(x.shape[2:]), kernel, stride, dilate,
                              _tuple(name, 'pad', pad, n, 0), _tuple(name, 'adj', adj, n, 0),
                              tuple(target_shape or ()))
    y = _DECONV[n](x, w, b, stride, pads, adjs, num_group, dilate)
    return y.movedim(1, -1) if last else y


def _same_pad(x, kernel, stride):
    """Pad for pooling_convention='same' so the output has ceil(size / stride) elements."""
    pads = []
    for size, k, s in zip(reversed(x.shape[2:]), reversed(kernel), reversed(stride)):
        total = max((math.ceil(size / s) - 1) * s + k - size, 0)
        pads += [total // 2, total - total // 2]
    return F.pad(x, pads, value=-math.inf)


def _root(y, p):
    if p == 1:
        return y
    if p == 2:
        return y.sqrt()
    return y.sign() * y.abs().pow(1.0 / p)


@op(aliases=('Pooling_v1',))         # MXNet's deprecated v1 takes a subset of these
def Pooling(data, kernel=(), pool_type='max', global_pool=False, cudnn_off=False,
            pooling_convention='valid', stride=(), pad=(), p_value=None,
            count_include_pad=None, layout=None):
    """Max, average, sum or Lp pooling over the spatial axes of 3-D, 4-D or 5-D input.

    Parameters
    ----------
    data : NDArray
        Input data, (batch, channel, *spatial) or channel-last per `layout`.
    kernel : tuple of int
        Pooling window; ignored with `global_pool`.
    pool_type : {'avg', 'lp', 'max', 'sum'}, default='max'
        Pooling type.
    global_pool : bool, default=False
        Pool over the whole spatial extent.
    pooling_convention : {'full', 'same', 'valid'}, default='valid'
        Output size rule: 'valid' floors, 'full' ceils, 'same' gives ceil(size / stride).
    stride : tuple of int, optional
        Stride per axis; defaults to 1 (Gluon passes the pool size).
    pad : tuple of int, optional
        Padding per axis, default 0.
    p_value : int, optional
        Power for 'lp' pooling.
    count_include_pad : bool, optional, default=True
        Whether 'avg' divides by the window size including the padded elements.
    layout : {None, 'NCW', 'NCHW', 'NCDHW', 'NWC', 'NHWC', 'NDHWC'}, optional
        Data layout.
    """
    name = 'Pooling'
    if pool_type not in ('max', 'avg', 'sum', 'lp'):
        raise MXNetError(f"{name}: invalid pool_type {pool_type!r}; valid values are "
                         "['avg', 'lp', 'max', 'sum']")
    if pooling_convention not in ('valid', 'full', 'same'):
        raise MXNetError(f"{name}: invalid pooling_convention {pooling_convention!r}; valid "
                         "values are ['full', 'same', 'valid']")
    last = layout in _CHANNEL_LAST
    x = data.movedim(-1, 1) if last else data
    if global_pool:
        n = x.dim() - 2
        kernel, stride, pad = tuple(x.shape[2:]), (1,) * n, (0,) * n
    else:
        n, _ = _spatial(name, data, kernel, layout)
        kernel = _tuple(name, 'kernel', kernel, n, 1)
        # MXNet reads the first n entries of stride and pad: pad=(0, 0, 0) with a 1-D kernel
        stride = _tuple(name, 'stride', _first(stride, n), n, 1)
        if pooling_convention == 'same' and any((pad,) if isinstance(pad, int) else pad or ()):
            raise MXNetError(f"{name}: Same pooling convention disables the use of pad "
                             f"parameter, got pad={pad}")
        pad = _tuple(name, 'pad', _first(pad, n), n, 0)
    if n == 1:      # torch's avg/sum (divisor_override) pooling is 2-D/3-D only
        x, kernel, stride, pad = x.unsqueeze(2), (1,) + kernel, (1,) + stride, (0,) + pad
    dim = len(kernel)
    ceil = pooling_convention == 'full'
    if pooling_convention == 'same':
        x, pad = _same_pad(x, kernel, stride), (0,) * dim
    counts = None
    if any(p > k // 2 for p, k in zip(pad, kernel)):
        # torch pools with at most half a window of padding, MXNet with any (the book's
        # MaxPool2D((2, 3), padding=(1, 2), strides=(2, 3))): pad explicitly instead.
        x, counts = _pad_for_pooling(x, pad, pool_type, count_include_pad)
        pad = (0,) * dim
    if pool_type == 'max':
        y = (F.max_pool2d if dim == 2 else F.max_pool3d)(x, kernel, stride, pad, 1, ceil)
    else:
        avg = F.avg_pool2d if dim == 2 else F.avg_pool3d
        if pool_type == 'avg' and counts is not None:
            y = avg(x, kernel, stride, pad, ceil, True, 1)
            if count_include_pad is False:      # divide by the real elements of each window
                y = y / avg(counts, kernel, stride, pad, ceil, True, 1)
            else:
                y = y / math.prod(kernel)
        elif pool_type == 'avg':
            y = avg(x, kernel, stride, pad, ceil, count_include_pad in (None, True))
        elif pool_type == 'sum':     # a divisor of 1 turns average pooling into sums
            y = avg(x, kernel, stride, pad, ceil, True, 1)
        else:
            p = 2 if p_value is None else int(p_value)
            y = _root(avg(x.pow(p), kernel, stride, pad, ceil, True, 1), p)
    if ceil:
        y = _full_windows(y, x, kernel, stride, pad, pool_type)
    if n == 1:
        y = y.squeeze(2)
    return y.movedim(1, -1) if last else y


def _pad_for_pooling(x, pad, pool_type, count_include_pad):
    """`x` padded on its spatial axes (lowest value for max, zeros otherwise), and for
    average pooling without the padding counted, a mask of the real elements."""
    widths = [w for p in reversed(pad) for w in (p, p)]
    low = torch.finfo(x.dtype).min if x.is_floating_point() else torch.iinfo(x.dtype).min
    padded = F.pad(x, widths, value=low if pool_type == 'max' else 0)
    counts = None
    if pool_type == 'avg':
        counts = F.pad(torch.ones_like(x[:1, :1]), widths, value=0)
    return padded, counts


def _full_windows(y, x, kernel, stride, pad, pool_type):
    """Append the windows torch's ceil mode drops and MXNet's 'full' convention keeps.

    torch drops a last window that starts in the right padding; MXNet keeps it, and since
    it covers no data it holds the lowest float for 'max' and 0 otherwise.
    """
    extra = []
    for size, k, s, p, got in zip(x.shape[2:], kernel, stride, pad, y.shape[2:]):
        extra.append(1 + math.ceil((size + 2 * p - k) / s) - got)
    if not any(extra):
        return y
    fill = torch.finfo(y.dtype).min if pool_type == 'max' else 0.0
    pads = [v for e in reversed(extra) for v in (0, e)]
    return F.pad(y, pads, value=fill)
