"""Deformable and position-sensitive operators of `mx.nd.contrib` (Deformable ConvNets,
R-FCN, rotated text detection): `DeformableConvolution`, `ModulatedDeformableConvolution`,
`PSROIPooling`, `DeformablePSROIPooling` and `RROIAlign`.

Each samples the feature map at fractional points with one bilinear gather (`_bilinear`);
the sampling rules at the borders are those of MXNet 1.9.1's CPU kernels, written in the
comments where they differ between operators. Gradients come from torch autograd (data,
offsets, masks, weights, trans); rois get none.
"""
import math

import torch

from ...base import MXNetError, dtype_name
from ..register import op


def _pair(name, what, v, default):
    """A 2D setting given as () (the default), an int or a 2-tuple, as a tuple of ints."""
    if v is None or (isinstance(v, (tuple, list)) and len(v) == 0):
        return default
    t = tuple(int(x) for x in v) if isinstance(v, (tuple, list)) else (int(v),) * 2
    if len(t) != 2:
        raise MXNetError(f"{name}: {what} must have 2 values (2D only), got {v!r}")
    return t


def _bilinear(maps, b, y, x, ceil=False):
    """Bilinear samples of maps (N, C, H, W) at image b, point (y, x) (all of one shape S),
    as (*S, C). A corner outside the map reads 0 (callers clamp the points first where
    MXNet's kernel clamps). The far corner is floor + 1, or with `ceil` ceil(): then an
    integer point has no slope (MXNet's PS pooling kernels), else its right-hand one.

    Not grid_sample: its coordinate normalisation moves integer points (every point of a
    zero-initialised offset convolution) to either side, and so their gradients."""
    n, c, h, w = maps.shape
    flat = maps.permute(0, 2, 3, 1).reshape(n * h * w, c)
    y0, x0 = y.detach().floor(), x.detach().floor()
    ly, lx = y - y0, x - x0
    y1, x1 = (y.detach().ceil(), x.detach().ceil()) if ceil else (y0 + 1, x0 + 1)
    y0, x0, y1, x1 = y0.long(), x0.long(), y1.long(), x1.long()
    out = 0
    for yy, wy in ((y0, 1 - ly), (y1, ly)):
        for xx, wx in ((x0, 1 - lx), (x1, lx)):
            inside = (yy >= 0) & (yy < h) & (xx >= 0) & (xx < w)
            idx = (b * h + yy.clamp(0, h - 1)) * w + xx.clamp(0, w - 1)
            out = out + flat[idx.reshape(-1)].reshape(*idx.shape, c) * \
                (wy * wx * inside)[..., None]
    return out


def _conv_checks(name, data, offset, weight, bias, kernel, num_filter, num_group,
                 num_deformable_group, no_bias, layout, stride, dilate, pad):
    if kernel is None or num_filter is None:
        raise MXNetError(f"{name}: required parameters kernel and num_filter are missing")
    if layout not in (None, 'NCHW'):
        raise MXNetError(f"{name}: layout {layout!r} is not supported; only NCHW (2D)")
    k = _pair(name, 'kernel', kernel, None)
    s, d, p = (_pair(name, 'stride', stride, (1, 1)), _pair(name, 'dilate', dilate, (1, 1)),
               _pair(name, 'pad', pad, (0, 0)))
    if data.dim() != 4:
        raise MXNetError(f"{name}: Only 2D deformable convolution is supported: data must be "
                         f"(batch, channel, height, width), got {tuple(data.shape)}")
    n, c, h, w = data.shape
    if c % num_group or num_filter % num_group:
        raise MXNetError(f"{name}: input channels ({c}) and num_filter ({num_filter}) must be "
                         f"divisible by num_group ({num_group})")
    if c % num_deformable_group:
        raise MXNetError(f"{name}: input channels ({c}) must be divisible by "
                         f"num_deformable_group ({num_deformable_group})")
    ho = (h + 2 * p[0] - (d[0] * (k[0] - 1) + 1)) // s[0] + 1
    wo = (w + 2 * p[1] - (d[1] * (k[1] - 1) + 1)) // s[1] + 1
    if ho <= 0 or wo <= 0:
        raise MXNetError(f"{name}: kernel {k} (dilate {d}) is larger than the padded input "
                         f"{(h + 2 * p[0], w + 2 * p[1])}")
    want = (n, 2 * k[0] * k[1] * num_deformable_group, ho, wo)
    if tuple(offset.shape) != want:
        raise MXNetError(f"{name}: offset must have shape {want} (batch, 2 * kh * kw * "
                         f"num_deformable_group, out height, out width), got "
                         f"{tuple(offset.shape)}")
    wshape = (num_filter, c // num_group) + k
    if tuple(weight.shape) != wshape:
        raise MXNetError(f"{name}: weight must have shape {wshape}, got {tuple(weight.shape)}")
    if not no_bias and (bias is None or tuple(bias.shape) != (num_filter,)):
        got = None if bias is None else tuple(bias.shape)
        raise MXNetError(f"{name}: bias must have shape ({num_filter},) (or no_bias=True), "
                         f"got {got}")
    for a in (offset, weight) + (() if bias is None else (bias,)):
        if a.dtype != data.dtype:
            raise MXNetError(f"{name}: all inputs must have data's dtype "
                             f"{dtype_name(data.dtype)}, got {dtype_name(a.dtype)}")
    return k, s, d, p, ho, wo


def _deformable_conv(data, offset, mask, weight, bias, k, s, d, p, ho, wo, num_group,
                     num_deformable_group, modulated):
    n, c, h, w = data.shape
    g, kk = num_deformable_group, k[0] * k[1]
    dev, dt = data.device, data.dtype
    # sampling points: (N, G, K, Ho, Wo), kernel position k = i * kw + j
    ki = torch.arange(k[0], device=dev, dtype=dt).repeat_interleave(k[1]) * d[0]
    kj = torch.arange(k[1], device=dev, dtype=dt).repeat(k[0]) * d[1]
    oy = torch.arange(ho, device=dev, dtype=dt) * s[0] - p[0]
    ox = torch.arange(wo, device=dev, dtype=dt) * s[1] - p[1]
    off = offset.reshape(n, g, kk, 2, ho, wo)
    y = ki[:, None, None] + oy[:, None] + off[:, :, :, 0]
    x = kj[:, None, None] + ox + off[:, :, :, 1]
    if modulated:   # DCNv2's kernel: points in (-1, H) x (-1, W), corners outside read 0
        valid = (y > -1) & (y < h) & (x > -1) & (x < w)
    else:           # MXNet's DCNv1 CPU kernel: points in [0, H) x [0, W); from the last
        valid = (y >= 0) & (y < h) & (x >= 0) & (x < w)    # row/column on, its value and
        y = torch.where(y >= h - 1, torch.full_like(y, h - 1), y)   # no slope
        x = torch.where(x >= w - 1, torch.full_like(x, w - 1), x)
    b = (torch.arange(n, device=dev)[:, None] * g + torch.arange(g, device=dev))
    cols = _bilinear(data.reshape(n * g, c // g, h, w), b[:, :, None, None, None], y, x)
    cols = cols * valid[..., None]                         # (N, G, K, Ho, Wo, C/G)
    if modulated:
        cols = cols * mask.reshape(n, g, kk, ho, wo)[..., None]
    cols = cols.permute(0, 1, 5, 2, 3, 4).reshape(n, num_group, c // num_group * kk, ho * wo)
    wmat = weight.reshape(num_group, weight.shape[0] // num_group, -1)
    out = torch.matmul(wmat, cols).reshape(n, -1, ho, wo)
    return out if bias is None else out + bias[:, None, None]


@op(name='_contrib_DeformableConvolution')
def DeformableConvolution(data, offset, weight, bias=None, kernel=None, stride=(), dilate=(),
                          pad=(), num_filter=None, num_group=1, num_deformable_group=1,
                          workspace=1024, no_bias=False, layout=None):
    """Deformable convolution (Dai et al., 2017): each kernel tap samples the input at its
    grid position plus a learned (dy, dx) offset, by bilinear interpolation.

    Parameters
    ----------
    data : NDArray
        Input (batch, channel, height, width).
    offset : NDArray
        (batch, 2 * kh * kw * num_deformable_group, out_height, out_width): for deformable
        group g and tap k = i * kw + j, channels (g * kh * kw + k) * 2 (+1) are dy (dx).
    weight : NDArray
        (num_filter, channel / num_group, kh, kw).
    bias : NDArray, optional
        (num_filter,); not given when no_bias is True.
    kernel, stride, dilate, pad : tuple of 2 int
        Convolution settings (stride and dilate default to 1, pad to 0).
    num_filter : int, required
        Number of output channels.
    num_group : int, default 1
        Groups of input/output channels.
    num_deformable_group : int, default 1
        Groups of input channels that share an offset field.
    workspace : int
        Ignored (MXNet's im2col buffer size).
    no_bias : bool, default False
    layout : None or 'NCHW'

    Returns
    -------
    NDArray
        (batch, num_filter, out_height, out_width).
    """
    k, s, d, p, ho, wo = _conv_checks('DeformableConvolution', data, offset, weight, bias,
                                      kernel, num_filter, num_group, num_deformable_group,
                                      no_bias, layout, stride, dilate, pad)
    return _deformable_conv(data, offset, None, weight, None if no_bias else bias, k, s, d, p,
                            ho, wo, num_group, num_deformable_group, False)


@op(name='_contrib_ModulatedDeformableConvolution')
def ModulatedDeformableConvolution(data, offset, mask, weight, bias=None, kernel=None,
                                   stride=(), dilate=(), pad=(), num_filter=None, num_group=1,
                                   num_deformable_group=1, workspace=1024, no_bias=False,
                                   im2col_step=64, layout=None):
    """Modulated deformable convolution (DCNv2, Zhu et al., 2019): DeformableConvolution
    whose every sample is also scaled by a learned mask.

    Parameters
    ----------
    data, offset, weight, bias : NDArray
        As for `DeformableConvolution`.
    mask : NDArray
        (batch, kh * kw * num_deformable_group, out_height, out_width).
    kernel, stride, dilate, pad, num_filter, num_group, num_deformable_group, no_bias, layout
        As for `DeformableConvolution`.
    workspace, im2col_step : int
        Ignored (MXNet's buffer sizes).

    Returns
    -------
    NDArray
        (batch, num_filter, out_height, out_width).
    """
    name = 'ModulatedDeformableConvolution'
    k, s, d, p, ho, wo = _conv_checks(name, data, offset, weight, bias, kernel, num_filter,
                                      num_group, num_deformable_group, no_bias, layout,
                                      stride, dilate, pad)
    if num_filter % num_deformable_group:       # MXNet's check (the DCNv1 op has none)
        raise MXNetError(f"{name}: output num_filter ({num_filter}) must divide by "
                         f"num_deformable_group ({num_deformable_group})")
    want = (data.shape[0], k[0] * k[1] * num_deformable_group, ho, wo)
    if tuple(mask.shape) != want:
        raise MXNetError(f"{name}: mask must have shape {want} (batch, kh * kw * "
                         f"num_deformable_group, out height, out width), got "
                         f"{tuple(mask.shape)}")
    return _deformable_conv(data, offset, mask, weight, None if no_bias else bias, k, s, d, p,
                            ho, wo, num_group, num_deformable_group, True)


def _roi_checks(name, data, rois, width=5):
    if data.dim() != 4:
        raise MXNetError(f"{name}: data should be a 4D tensor, got {tuple(data.shape)}")
    if rois.dim() != 2 or rois.shape[1] != width:
        raise MXNetError(f"{name}: bbox should be a 2D tensor of shape [batch, {width}], got "
                         f"{tuple(rois.shape)}")
    if rois.dtype != data.dtype:
        raise MXNetError(f"{name}: data and rois must have the same dtype, got "
                         f"{dtype_name(data.dtype)} and {dtype_name(rois.dtype)}")
    if not data.dtype.is_floating_point:
        raise MXNetError(f"{name}: data must be floating point, got {dtype_name(data.dtype)}")
    batch = rois[:, 0].detach().long()       # MXNet truncates the batch index
    if rois.shape[0] and (batch.min() < 0 or batch.max() >= data.shape[0]):
        raise MXNetError(f"{name}: roi batch indices must be in [0, {data.shape[0]}), got "
                         f"{batch.tolist()}")
    return batch


def _round(x):
    """C's round(): halves away from zero (torch.round rounds them to even)."""
    return torch.sign(x) * torch.floor(x.abs() + 0.5)


def _ps_channel(output_dim, pooled, group_size, dev):
    """The input channel that output channel c reads at bin (i, j): (output_dim, P, P)."""
    g = (torch.arange(pooled, device=dev) * group_size // pooled).clamp(0, group_size - 1)
    ctop = torch.arange(output_dim, device=dev)
    return (ctop[:, None, None] * group_size + g[:, None]) * group_size + g


@op(name='_contrib_PSROIPooling')
def PSROIPooling(data, rois, spatial_scale=None, output_dim=None, pooled_size=None,
                 group_size=0):
    """Position-sensitive ROI pooling (R-FCN): bin (i, j) of output channel c averages
    input channel (c * group_size + gi) * group_size + gj over the bin's whole pixels.

    Parameters
    ----------
    data : NDArray
        (batch, output_dim * group_size ** 2, height, width).
    rois : NDArray
        (num_rois, 5): batch index, x1, y1, x2, y2 in image coordinates (rounded, x2/y2
        inclusive).
    spatial_scale : float, required
        Feature map size over image size.
    output_dim : int, required
        Output channels.
    pooled_size : int, required
        Output height and width.
    group_size : int, default 0
        Position-sensitive groups per side; 0 means pooled_size.

    Returns
    -------
    NDArray
        (num_rois, output_dim, pooled_size, pooled_size).
    """
    if spatial_scale is None or output_dim is None or pooled_size is None:
        raise MXNetError("PSROIPooling: required parameters spatial_scale, output_dim and "
                         "pooled_size are missing")
    batch = _roi_checks('PSROIPooling', data, rois)
    gs = group_size or pooled_size
    n, c, h, w = data.shape
    if c != output_dim * gs * gs:
        raise MXNetError(f"PSROIPooling: data must have output_dim * group_size ** 2 = "
                         f"{output_dim * gs * gs} channels, got {c}")
    dev, dt = data.device, data.dtype
    r = rois.detach()
    start = _round(r[:, 1:3]) * spatial_scale
    end = (_round(r[:, 3:5]) + 1) * spatial_scale
    size = (end - start).clamp(min=0.1) / pooled_size         # (R, 2) bin sizes x, y
    p = torch.arange(pooled_size, device=dev, dtype=dt)
    lo = torch.floor(p[None, :, None] * size[:, None] + start[:, None])    # (R, P, 2)
    hi = torch.ceil((p[None, :, None] + 1) * size[:, None] + start[:, None])
    lo = lo.clamp(min=0).minimum(torch.tensor([w, h], device=dev, dtype=dt))
    hi = hi.clamp(min=0).minimum(torch.tensor([w, h], device=dev, dtype=dt))

    def bins(axis, length):     # (R, P, length) 0/1 membership of each pixel in each bin
        pix = torch.arange(length, device=dev, dtype=dt)
        return ((pix >= lo[:, :, axis, None]) & (pix < hi[:, :, axis, None])).to(dt)
    wx, wy = bins(0, w), bins(1, h)
    area = wy.sum(2)[:, :, None] * wx.sum(2)[:, None, :]     # (R, P, P)
    chan = _ps_channel(output_dim, pooled_size, gs, dev)
    maps = data[batch][:, chan.reshape(-1)].reshape(-1, output_dim, pooled_size, pooled_size,
                                                   h, w)
    total = torch.einsum('rpy,rcpqyx,rqx->rcpq', wy, maps, wx)
    return torch.where(area[:, None] > 0, total / area.clamp(min=1)[:, None],
                       torch.zeros((), device=dev, dtype=dt))


@op(name='_contrib_DeformablePSROIPooling')
def DeformablePSROIPooling(data, rois, trans=None, spatial_scale=None, output_dim=None,
                           group_size=None, pooled_size=None, part_size=0, sample_per_part=1,
                           trans_std=0.0, no_trans=False):
    """Deformable position-sensitive ROI pooling (Deformable R-FCN): PSROIPooling whose bins
    are shifted by `trans` (scaled by trans_std and the roi size) and averaged over
    sample_per_part ** 2 bilinear samples.

    Parameters
    ----------
    data : NDArray
        (batch, output_dim * group_size ** 2, height, width).
    rois : NDArray
        (num_rois, 5): batch index, x1, y1, x2, y2.
    trans : NDArray
        (num_rois, 2 * num_classes, part_size, part_size) offsets (x then y per class);
        not given when no_trans is True.
    spatial_scale : float, required
    output_dim : int, required
    group_size : int, required
    pooled_size : int, required
    part_size : int, default 0
        Side of the trans grid; 0 means pooled_size.
    sample_per_part : int, default 1
        Samples per bin side.
    trans_std : float, default 0
        Scale of the offsets.
    no_trans : bool, default False

    Returns
    -------
    NDArray
        (num_rois, output_dim, pooled_size, pooled_size).
    """
    name = 'DeformablePSROIPooling'
    if None in (spatial_scale, output_dim, group_size, pooled_size):
        raise MXNetError(f"{name}: required parameters spatial_scale, output_dim, group_size "
                         "and pooled_size are missing")
    if not 0.0 <= trans_std <= 1.0:
        raise MXNetError(f"{name}: trans_std must be in [0, 1], got {trans_std}")
    batch = _roi_checks(name, data, rois)
    part = part_size or pooled_size
    n, c, h, w = data.shape
    nr, pp, sp = rois.shape[0], pooled_size, sample_per_part
    dev, dt = data.device, data.dtype
    if no_trans:
        shift = torch.zeros(nr, 1, 2, pp, pp, device=dev, dtype=dt)
        classes = 1
    else:
        if trans is None or trans.dim() != 4 or trans.shape[0] != nr or trans.shape[1] % 2 \
                or tuple(trans.shape[2:]) != (part, part):
            got = None if trans is None else tuple(trans.shape)
            raise MXNetError(f"{name}: trans should be a 4D tensor of shape ({nr}, 2 * "
                             f"num_classes, {part}, {part}), got {got}")
        classes = trans.shape[1] // 2
        pidx = (torch.arange(pp, device=dev, dtype=dt) / pp * part).floor().long()
        shift = trans.reshape(nr, classes, 2, part, part)[:, :, :, pidx][..., pidx] * trans_std
    if output_dim % classes:
        raise MXNetError(f"{name}: output_dim ({output_dim}) must be divisible by the number "
                         f"of classes in trans ({classes})")
    r = rois.detach()
    start = _round(r[:, 1:3]) * spatial_scale - 0.5                  # (R, 2) x, y
    size = ((_round(r[:, 3:5]) + 1) * spatial_scale - 0.5 - start).clamp(min=0.1)
    binsz = size / pp
    p = torch.arange(pp, device=dev, dtype=dt)
    i = torch.arange(sp, device=dev, dtype=dt)
    cls = torch.arange(output_dim, device=dev) // (output_dim // classes)
    sh = shift[:, cls]                                                 # (R, C, 2, P, P)

    def rv(t):              # a per-roi value against (R, C, P_h, P_w, S_y, S_x)
        return t[:, None, None, None, None, None]
    # y varies with (ph, iy), x with (pw, ix); the sums in MXNet's order
    y = (p[:, None, None, None] * rv(binsz[:, 1]) + rv(start[:, 1]) +
         sh[:, :, 1, :, :, None, None] * rv(size[:, 1]) + i[:, None] * rv(binsz[:, 1] / sp))
    x = (p[:, None, None] * rv(binsz[:, 0]) + rv(start[:, 0]) +
         sh[:, :, 0, :, :, None, None] * rv(size[:, 0]) + i * rv(binsz[:, 0] / sp))
    valid = (x >= -0.5) & (x <= w - 0.5) & (y >= -0.5) & (y <= h - 0.5)
    y, x = y.clamp(0, h - 1), x.clamp(0, w - 1)
    chan = _ps_channel(output_dim, pp, group_size, dev)
    if chan.max() >= c:
        raise MXNetError(f"{name}: data has {c} channels, fewer than output_dim * "
                         f"group_size ** 2 = {output_dim * group_size ** 2}")
    # one map per (roi, input channel used): gather the channel into the image index
    bb = batch[:, None, None, None, None, None] * c + chan[None, :, :, :, None, None]
    val = _bilinear(data.reshape(n * c, 1, h, w), bb, y, x, ceil=True)[..., 0] * valid
    count = valid.sum((-1, -2)).to(dt)
    return torch.where(count > 0, val.sum((-1, -2)) / count.clamp(min=1),
                       torch.zeros((), device=dev, dtype=dt))


@op(name='_contrib_RROIAlign')
def RROIAlign(data, rois, pooled_size=None, spatial_scale=None, sampling_ratio=-1):
    """Rotated ROI Align (Ma et al., 2018): average bilinear samples of each rotated region
    into a fixed grid.

    Parameters
    ----------
    data : NDArray
        (batch, channel, height, width).
    rois : NDArray
        (num_rois, 6): batch index, center x, center y, width, height, angle in degrees
        (counter-clockwise).
    pooled_size : tuple of 2 int, required
        Output (height, width).
    spatial_scale : float, required
        Feature map size over image size.
    sampling_ratio : int, default -1
        Samples per bin side; -1: ceil(roi size / pooled size).

    Returns
    -------
    NDArray
        (num_rois, channel, pooled_h, pooled_w).
    """
    if pooled_size is None or spatial_scale is None:
        raise MXNetError("RROIAlign: required parameters pooled_size and spatial_scale are "
                         "missing")
    ph, pw = _pair('RROIAlign', 'pooled_size', pooled_size, None)
    batch = _roi_checks('RROIAlign', data, rois, width=6)
    n, c, h, w = data.shape
    dev, dt = data.device, data.dtype
    if not rois.shape[0]:
        return data.new_zeros((0, c, ph, pw))
    r = rois.detach()
    cx, cy = r[:, 1] * spatial_scale, r[:, 2] * spatial_scale
    rw, rh = (r[:, 3] * spatial_scale).clamp(min=1), (r[:, 4] * spatial_scale).clamp(min=1)
    theta = (r[:, 5].double() * math.pi / 180.0).to(dt)   # MXNet: in double
    if sampling_ratio > 0:
        gh = gw = torch.full_like(rh, sampling_ratio)
    else:
        gh, gw = torch.ceil(rh / ph), torch.ceil(rw / pw)
    mh, mw = int(gh.max()), int(gw.max())
    e = (slice(None), None, None, None, None)           # roi axis against (P, Q, iy, ix)
    iy = torch.arange(mh, device=dev, dtype=dt)[:, None]
    ix = torch.arange(mw, device=dev, dtype=dt)
    yy = -rh[e] / 2 + torch.arange(ph, device=dev, dtype=dt)[:, None, None, None] * \
        (rh / ph)[e] + (iy + 0.5) * (rh / ph)[e] / gh[e]
    xx = -rw[e] / 2 + torch.arange(pw, device=dev, dtype=dt)[:, None, None] * \
        (rw / pw)[e] + (ix + 0.5) * (rw / pw)[e] / gw[e]
    cos, sin = torch.cos(theta)[e], torch.sin(theta)[e]
    x = xx * cos + yy * sin + cx[e]
    y = yy * cos - xx * sin + cy[e]
    take = (iy < gh[e]) & (ix < gw[e]) & (y >= -1) & (y <= h) & (x >= -1) & (x <= w)
    y, x = y.clamp(0, h - 1), x.clamp(0, w - 1)
    val = _bilinear(data, batch[e], y, x) * take[..., None]        # (R, P, Q, iy, ix, C)
    out = val.sum((3, 4)) / (gh * gw)[:, None, None, None]
    return out.permute(0, 3, 1, 2)
