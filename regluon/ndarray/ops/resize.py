"""Resampling operators of `mx.nd.contrib`: `ROIAlign` (Mask R-CNN), `BilinearResize2D` and
`AdaptiveAvgPooling2D`. All three have gradients with respect to their data (ROIAlign's rois
get none, as in MXNet)."""
import torch
import torch.nn.functional as F

from ...base import MXNetError, dtype_name
from ..register import op


def _floating(name, data):
    if not data.dtype.is_floating_point:
        raise MXNetError(f"{name}: This operation only support floating point types, not "
                         f"{dtype_name(data.dtype)}")


def _axis_weights(start, bin_size, grid, pooled, size):
    """ROIAlign's sampling along one axis as a matrix (rois, pooled, size): the bilinear
    weights of each bin's `grid` sample points on the pixels, averaged over the points."""
    dev, dt = start.device, start.dtype
    p = torch.arange(pooled, device=dev, dtype=dt)[None, :, None]
    i = torch.arange(int(grid.max()), device=dev, dtype=dt)[None, None, :]
    start, bin_size, g = start[:, None, None], bin_size[:, None, None], grid[:, None, None]
    pos = start + p * bin_size + (i + 0.5) * bin_size / g
    inside = (i < g) & (pos >= -1) & (pos <= size)      # MXNet: points past -1 / size add 0
    pos = pos.clamp(min=0)
    low = pos.floor().long()
    last = low >= size - 1
    low = low.clamp(max=size - 1)
    high = torch.where(last, low, low + 1)
    frac = torch.where(last, torch.zeros_like(pos), pos - low)
    w = torch.zeros(start.shape[0], pooled, size, device=dev, dtype=dt)
    w.scatter_add_(2, low, (1 - frac) * inside / g)
    w.scatter_add_(2, high, frac * inside / g)
    return w


@op(name='_contrib_ROIAlign')
def ROIAlign(data, rois, pooled_size=None, spatial_scale=None, sample_ratio=-1,
             position_sensitive=False, aligned=False):
    """Average bilinear samples of each region of interest into a fixed grid (Mask R-CNN).

    Parameters
    ----------
    data : NDArray
        Feature maps (batch, channel, height, width).
    rois : NDArray
        (num_rois, 5): batch index, x1, y1, x2, y2 in image coordinates; a negative batch
        index gives zeros.
    pooled_size : tuple of 2 int, required
        Output (height, width).
    spatial_scale : float, required
        Feature map size over image size, in [0, 1].
    sample_ratio : int, default=-1
        Sample points per bin side; -1: ceil(roi size / pooled size).
    position_sensitive : bool, default=False
        R-FCN's position-sensitive pooling: bin (i, j) of output channel c reads input
        channel (c * ph + i) * pw + j.
    aligned : bool, default=False
        Shift pixel coordinates by -0.5 (Detectron2).

    Returns
    -------
    NDArray
        (num_rois, channel (/ ph / pw if position_sensitive), ph, pw).
    """
    if pooled_size is None or spatial_scale is None:
        raise MXNetError("ROIAlign: required parameters pooled_size and spatial_scale are "
                         f"missing (got {pooled_size}, {spatial_scale})")
    ps = tuple(pooled_size) if isinstance(pooled_size, (tuple, list)) else (pooled_size,)
    if len(ps) != 2 or min(ps) <= 0:
        raise MXNetError(f"ROIAlign: pooled_size must be 2 positive ints (h, w), got "
                         f"{pooled_size}")
    if not 0 <= spatial_scale <= 1:
        raise MXNetError(f"ROIAlign: spatial_scale must be in [0, 1], got {spatial_scale}")
    if data.dim() != 4:
        raise MXNetError(f"ROIAlign: data should be a 4D tensor, got {tuple(data.shape)}")
    if rois.dim() != 2 or rois.shape[1] != 5:
        raise MXNetError(f"ROIAlign: bbox should be a 2D tensor of shape [batch, 5], got "
                         f"{tuple(rois.shape)}")
    if rois.dtype != data.dtype:
        raise MXNetError(f"ROIAlign: data and rois must have the same dtype, got "
                         f"{dtype_name(data.dtype)} and {dtype_name(rois.dtype)}")
    _floating('ROIAlign', data)
    ph, pw = int(ps[0]), int(ps[1])
    n, c, h, w = data.shape
    if position_sensitive and c % (ph * pw):
        raise MXNetError(f"ROIAlign: Input channels should be divided by pooled_size[0]*"
                         f"pooled_size[1] when position_sensitive is true, got {c} channels "
                         f"and pooled_size {ps}")
    cout = c // (ph * pw) if position_sensitive else c
    out = data.new_zeros((rois.shape[0], cout, ph, pw))
    r = rois.detach()
    box = r[:, 1:] * spatial_scale - (0.5 if aligned else 0.0)
    size_w, size_h = box[:, 2] - box[:, 0], box[:, 3] - box[:, 1]
    if aligned and rois.shape[0] and (min(size_w.min(), size_h.min()) <= 0):
        raise MXNetError("ROIAlign: with aligned=True every roi needs a positive width and "
                         "height")
    if not aligned:     # MXNet forces malformed rois to 1x1
        size_w, size_h = size_w.clamp(min=1), size_h.clamp(min=1)
    grid_h = torch.full_like(size_h, sample_ratio) if sample_ratio > 0 else \
        torch.ceil(size_h / ph)
    grid_w = torch.full_like(size_w, sample_ratio) if sample_ratio > 0 else \
        torch.ceil(size_w / pw)
    batch = r[:, 0].long()             # MXNet truncates the batch index
    if not rois.shape[0]:
        return out
    wy = _axis_weights(box[:, 1], size_h / ph, grid_h, ph, h)
    wx = _axis_weights(box[:, 0], size_w / pw, grid_w, pw, w)
    # one product per image: gathering each roi's feature map (rois x C x H x W) instead
    # would need far more memory than the maps themselves
    for b in batch.unique().tolist():
        if b < 0:
            continue
        if b >= n:
            raise MXNetError(f"ROIAlign: a roi has batch index {b}, but data holds {n} images")
        sel = (batch == b).nonzero()[:, 0]
        if position_sensitive:
            res = torch.einsum('rpy,cpqyx,rqx->rcpq', wy[sel], data[b].reshape(
                cout, ph, pw, h, w), wx[sel])
        else:
            res = torch.einsum('rpy,cyx,rqx->rcpq', wy[sel], data[b], wx[sel])
        out = out.index_copy(0, sel, res)
    return out


_MODES = ('size', 'odd_scale', 'like', 'to_even_down', 'to_even_up', 'to_odd_down',
          'to_odd_up')


def _resize_shape(mode, h, w, height, width, scale_height, scale_width, like):
    """MXNet's output (height, width) of BilinearResize2D."""
    def scaled(scale, v):           # float32 product, truncated, as MXNet
        return int(torch.tensor(scale, dtype=torch.float32) * v)
    if mode == 'size':
        if scale_height is None:    # MXNet reads scale_width only when scale_height is set
            return int(height), int(width)
        if scale_width is None:
            raise MXNetError("BilinearResize2D: scale_height needs scale_width too (MXNet: "
                             "bad optional access)")
        return scaled(scale_height, h), scaled(scale_width, w)
    if mode == 'odd_scale':
        if scale_height is None or scale_width is None:
            raise MXNetError("BilinearResize2D: mode 'odd_scale' needs scale_height and "
                             "scale_width")
        return (scaled(scale_height, h) if h % 2 == 0 else scaled(scale_height, h - 1) + 1,
                scaled(scale_width, w) if w % 2 == 0 else scaled(scale_width, w - 1) + 1)
    if mode == 'like':
        if like is None or like.dim() != 4:
            got = None if like is None else tuple(like.shape)
            raise MXNetError(f"BilinearResize2D: mode 'like' expects 2 inputs (data and a 4D "
                             f"like), got like={got}")
        return like.shape[2], like.shape[3]
    step = {'to_even_down': (0, -1), 'to_even_up': (0, 1), 'to_odd_down': (1, -1),
            'to_odd_up': (1, 1)}[mode]
    return tuple(v if v % 2 == step[0] else v + step[1] for v in (h, w))


@op(name='_contrib_BilinearResize2D')
def BilinearResize2D(data, like=None, height=1, width=1, scale_height=None, scale_width=None,
                     mode='size', align_corners=True):
    """Resize (batch, channel, height, width) images with bilinear interpolation.

    Parameters
    ----------
    data : NDArray
        Input images.
    like : NDArray, optional
        With mode='like', the array whose height and width to take.
    height, width : int, default=1
        Output size in mode 'size' without scale_height.
    scale_height, scale_width : float, optional
        Output size as input size times these (mode 'size': both needed), or
        (size - 1) * scale + 1 for odd sizes in mode 'odd_scale'.
    mode : {'size', 'odd_scale', 'like', 'to_even_down', 'to_even_up', 'to_odd_down',
            'to_odd_up'}, default='size'
    align_corners : bool, default=True
        Map the corner pixels' centres onto each other.

    Returns
    -------
    NDArray
    """
    if mode not in _MODES:
        raise MXNetError(f"BilinearResize2D: Invalid mode {mode!r}; valid values are "
                         f"{list(_MODES)}")
    if data.dim() != 4:
        raise MXNetError(f"BilinearResize2D: data should be 4D (batch, channel, height, "
                         f"width), got shape {tuple(data.shape)}")
    _floating('BilinearResize2D', data)
    h, w = data.shape[2:]
    oh, ow = _resize_shape(mode, h, w, height, width, scale_height, scale_width, like)
    if oh < 1 or ow < 1:
        raise MXNetError(f"BilinearResize2D: output size ({oh}, {ow}) must be positive")
    # MXNet samples the first row (column) for an output of size 1, with or without
    # align_corners; torch samples the middle without
    x = data[:, :, :1 if oh == 1 else h, :1 if ow == 1 else w]
    if x.shape[2:] == (oh, ow):
        out = x.clone()
    else:
        out = F.interpolate(x, size=(oh, ow), mode='bilinear',
                            align_corners=bool(align_corners))
    if like is not None and like.requires_grad and torch.is_grad_enabled():
        out = _ZeroGradTo.apply(out, like)      # MXNet writes like's gradient: zeros
    return out


class _ZeroGradTo(torch.autograd.Function):
    """`out` as it is, with `other` in the graph with a zero gradient."""

    @staticmethod
    def forward(ctx, out, other):  # pylint: disable=arguments-differ
        ctx.other = (other.shape, other.dtype)
        return out.view_as(out)

    @staticmethod
    def backward(ctx, grad):  # pylint: disable=arguments-differ
        return grad, grad.new_zeros(ctx.other[0], dtype=ctx.other[1])


@op(name='_contrib_AdaptiveAvgPooling2D')
def AdaptiveAvgPooling2D(data, output_size=()):
    """Average pooling to a fixed output size, each bin covering floor..ceil of its share.

    Parameters
    ----------
    data : NDArray
        (batch, channel, height, width).
    output_size : int or tuple of int, default=()
        (h, w), or one int for both; () means 1x1.

    Returns
    -------
    NDArray
    """
    if data.dim() != 4:
        raise MXNetError(f"AdaptiveAvgPooling2D: data should have 4 dimensions (batch, "
                         f"channel, height, width), got shape {tuple(data.shape)}")
    _floating('AdaptiveAvgPooling2D', data)
    size = tuple(output_size) if isinstance(output_size, (tuple, list)) else (output_size,)
    size = (size[0], size[0]) if len(size) == 1 else size if len(size) == 2 else (1, 1)
    size = tuple(int(v) for v in size)
    if min(size) == 0:
        return data.new_zeros(data.shape[:2] + size)
    return F.adaptive_avg_pool2d(data, size)
