"""FlowNet's correlation layer, MXNet's `Correlation` operator."""
import math

import torch
import torch.nn.functional as F

from ...base import MXNetError, dtype_name
from ..register import op


def _geometry(shape, kernel_size, max_displacement, stride1, stride2, pad_size):
    """MXNet's output (top_channels, top_height, top_width) and grid radius, after its checks."""
    if len(shape) != 4:
        raise MXNetError(f"Correlation: data should be a 4D tensor (N, C, H, W), got shape "
                         f"{tuple(shape)}")
    if kernel_size < 1 or kernel_size % 2 == 0:
        raise MXNetError(f"Correlation: kernel size should be odd number (1, 3, 5, ...), "
                         f"got kernel_size={kernel_size}")
    # MXNet crashes (or divides by zero) on these; we say which argument is wrong
    for name, v, low in (('stride1', stride1, 1), ('stride2', stride2, 1),
                         ('pad_size', pad_size, 0), ('max_displacement', max_displacement, 0)):
        if v < low:
            raise MXNetError(f"Correlation: {name} should be >= {low}, got {name}={v}")
    border = max_displacement + (kernel_size - 1) // 2
    top_h = math.ceil((shape[2] + 2 * pad_size - 2 * border) / stride1)
    top_w = math.ceil((shape[3] + 2 * pad_size - 2 * border) / stride1)
    if top_h < 1 or top_w < 1:
        raise MXNetError(
            "Correlation cannot be done with current settings. Neighborhood and kernel don't "
            f"fit in blob: input {tuple(shape[2:])} padded by {pad_size} gives a "
            f"{max(top_h, 0)}x{max(top_w, 0)} output with kernel_size={kernel_size}, "
            f"max_displacement={max_displacement}, stride1={stride1}")
    radius = max_displacement // stride2
    return (2 * radius + 1) ** 2, top_h, top_w, radius


@op(name='Correlation')
def correlation(data1, data2, kernel_size=1, max_displacement=1, stride1=1, stride2=1,
                pad_size=0, is_multiply=True):
    """Correlation of two feature maps over a neighbourhood of displacements (FlowNet).

    Output channel `(dy + r) * (2r + 1) + (dx + r)`, with r = max_displacement // stride2,
    holds the mean over a kernel_size x kernel_size patch and all channels of
    data1[y, x] * data2[y + dy * stride2, x + dx * stride2] (is_multiply=False:
    |data1 - data2|), at every stride1-th position whose neighbourhood fits.

    Parameters
    ----------
    data1, data2 : NDArray
        Feature maps of the same shape (N, C, H, W).
    kernel_size : int
        Patch side, odd.
    max_displacement : int
        Largest displacement compared.
    stride1 : int
        Stride of the positions in data1.
    stride2 : int
        Stride of the displacements in data2.
    pad_size : int
        Zero padding of both inputs.
    is_multiply : bool
        Products (True) or absolute differences (False).
    """
    if not data1.dtype.is_floating_point:
        raise MXNetError(f"Correlation: only floating point types are supported, got "
                         f"{dtype_name(data1.dtype)}")
    if data2.shape != data1.shape:
        raise MXNetError(f"Correlation: data2 should have data1's shape "
                         f"{tuple(data1.shape)}, got {tuple(data2.shape)}")
    k, md, s1, s2 = int(kernel_size), int(max_displacement), int(stride1), int(stride2)
    _, top_h, top_w, radius = _geometry(data1.shape, k, md, s1, s2, int(pad_size))
    half = data1.dtype == torch.float16       # torch's CPU pooling has no float16
    p1 = F.pad(data1.float() if half else data1, [int(pad_size)] * 4)
    p2 = F.pad(data2.float() if half else data2, [int(pad_size)] * 4)
    # the rows/columns of data1 that top-left corners (md + i * stride1) and patches reach
    h, w = (top_h - 1) * s1 + k, (top_w - 1) * s1 + k
    a = p1[:, :, md:md + h, md:md + w]
    maps = []
    for dy in range(-radius, radius + 1):
        for dx in range(-radius, radius + 1):
            y, x = md + dy * s2, md + dx * s2
            b = p2[:, :, y:y + h, x:x + w]
            if is_multiply:
                m = a * b
            else:   # |a - b| with MXNet's gradient at a tie: +1 for data1, -1 for data2
                m = a - b
                m = torch.where(m >= 0, m, -m)
            m = m.sum(1, keepdim=True)
            maps.append(F.avg_pool2d(m, k, s1))          # mean over the k x k patch
    out = torch.cat(maps, 1) / data1.shape[1]
    return out.half() if half else out
