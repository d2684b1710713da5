"""Spatial operators: `GridGenerator`, `BilinearSampler`, `SpatialTransformer`, `Crop`,
`ROIPooling`.

MXNet's sampling grids are (batch, 2, height, width) with x then y in [-1, 1], -1 and 1
being the centres of the corner pixels: torch's grid_sample/affine_grid with
align_corners=True and the coordinate axis last.
"""
import math

import torch
import torch.nn.functional as F

from ...base import MXNetError
from ..register import op


def _sample(data, grid):
    return F.grid_sample(data, grid.permute(0, 2, 3, 1), mode='bilinear',
                         padding_mode='zeros', align_corners=True)


@op
def BilinearSampler(data, grid=None, cudnn_off=None):
    """Sample `data` at the grid's positions with bilinear interpolation (0 outside).

    Parameters
    ----------
    data : NDArray
        Input, (batch, channel, height, width).
    grid : NDArray
        Positions, (batch, 2, out_height, out_width): x then y, in [-1, 1].
    """
    if data.dim() != 4 or grid is None or grid.dim() != 4 or grid.shape[1] != 2 \
            or grid.shape[0] != data.shape[0]:
        got = None if grid is None else tuple(grid.shape)
        raise MXNetError(f"BilinearSampler: expected data (n, c, h, w) and grid (n, 2, h', w'),"
                         f" got data {tuple(data.shape)} and grid {got}")
    return _sample(data, grid)


def _grid(name, data, transform_type, target_shape):
    if transform_type == 'affine':
        if data.dim() != 2 or data.shape[1] != 6 or not target_shape:
            raise MXNetError(f"{name}: affine needs data (batch, 6) and a target_shape (h, w), "
                             f"got data {tuple(data.shape)}, target_shape={target_shape}")
        h, w = (int(v) for v in target_shape)
        theta = data.reshape(-1, 2, 3)
        size = (data.shape[0], 1, h, w)
        return F.affine_grid(theta, size, align_corners=True).permute(0, 3, 1, 2)
    if transform_type == 'warp':
        if data.dim() != 4 or data.shape[1] != 2:
            raise MXNetError(f"{name}: warp needs a flow field (batch, 2, h, w), got "
                             f"{tuple(data.shape)}")
        h, w = data.shape[2:]
        ys, xs = torch.meshgrid(torch.arange(h, dtype=data.dtype, device=data.device),
                                torch.arange(w, dtype=data.dtype, device=data.device),
                                indexing='ij')
        scale = torch.tensor([(w - 1) / 2, (h - 1) / 2], dtype=data.dtype, device=data.device)
        return (data + torch.stack([xs, ys])) / scale.view(1, 2, 1, 1) - 1
    raise MXNetError(f"{name}: invalid transform_type {transform_type!r}; valid values are "
                     "['affine', 'warp']")


@op
def GridGenerator(data, transform_type=None, target_shape=(0, 0)):
    """Make a sampling grid for BilinearSampler from an affine matrix or a flow field.

    Parameters
    ----------
    data : NDArray
        'affine': (batch, 6), the 2x3 matrices row by row; 'warp': (batch, 2, h, w), the
        displacement in pixels.
    transform_type : {'affine', 'warp'}, required
        The kind of transformation.
    target_shape : tuple of int, default=(0, 0)
        Output (height, width) for 'affine'.
    """
    return _grid('GridGenerator', data, transform_type, target_shape)


@op
def SpatialTransformer(data, loc=None, target_shape=(0, 0), transform_type='affine',
                       sampler_type='bilinear', cudnn_off=None):
    """Warp `data` by the affine transformations `loc` (GridGenerator + BilinearSampler).

    Parameters
    ----------
    data : NDArray
        Input, (batch, channel, height, width).
    loc : NDArray
        Affine matrices, (batch, 6).
    target_shape : tuple of int
        Output (height, width).
    transform_type : {'affine'}, default='affine'
    sampler_type : {'bilinear'}, default='bilinear'
    """
    if transform_type != 'affine' or sampler_type != 'bilinear':
        raise MXNetError(f"SpatialTransformer: only transform_type='affine' and "
                         f"sampler_type='bilinear' exist, got {transform_type!r}, "
                         f"{sampler_type!r}")
    return _sample(data, _grid('SpatialTransformer', loc, 'affine', target_shape))


@op
def Crop(*data, num_args=None, offset=(0, 0), h_w=(0, 0), center_crop=False):
    """Crop axes 2 and 3 of data[0] to `h_w` or to the height and width of data[1].

    Parameters
    ----------
    data : NDArray(s)
        The (n, c, h, w) input and optionally the array whose size to crop to.
    num_args : int
        Number of inputs (1 or 2).
    offset : tuple of int, default=(0, 0)
        Top-left corner (y, x) of the crop.
    h_w : tuple of int, default=(0, 0)
        Crop height and width, with one input.
    center_crop : bool, default=False
        Centre the crop (offset ignored).
    """
    x = data[0]
    h, w = tuple(data[1].shape[2:4]) if len(data) > 1 else (int(h_w[0]), int(h_w[1]))
    if x.dim() != 4 or not (0 < h <= x.shape[2] and 0 < w <= x.shape[3]):
        raise MXNetError(f"Crop: cannot crop data {tuple(x.shape)} to height {h} and width "
                         f"{w}; give h_w or a second input no larger than the data")
    y0, x0 = ((x.shape[2] - h) // 2, (x.shape[3] - w) // 2) if center_crop else offset
    if y0 + h > x.shape[2] or x0 + w > x.shape[3]:
        raise MXNetError(f"Crop: offset {tuple(offset)} with size ({h}, {w}) exceeds data "
                         f"{tuple(x.shape)}")
    return x[:, :, y0:y0 + h, x0:x0 + w].clone()


@op
def ROIPooling(data, rois=None, pooled_size=None, spatial_scale=None):
    """Max-pool each region of interest into a fixed (height, width) grid (Fast R-CNN).

    Parameters
    ----------
    data : NDArray
        Feature maps, (n, c, h, w).
    rois : NDArray
        Regions, (r, 5): batch index, x1, y1, x2, y2 in input-image coordinates.
    pooled_size : tuple of int, required
        Output (height, width) per region.
    spatial_scale : float, required
        Ratio of the feature map to the input image size.
    """
    if pooled_size is None or spatial_scale is None:
        raise MXNetError("ROIPooling: required parameters pooled_size and spatial_scale are "
                         f"missing (got {pooled_size}, {spatial_scale})")
    if data.dim() != 4 or rois is None or rois.dim() != 2 or rois.shape[1] != 5:
        got = None if rois is None else tuple(rois.shape)
        raise MXNetError(f"ROIPooling: expected data (n, c, h, w) and rois (r, 5), got data "
                         f"{tuple(data.shape)} and rois {got}")
    ph, pw = (int(v) for v in pooled_size)
    h, w = data.shape[2:]
    outs = []
    for b, *box in rois.tolist():      # region bounds are data: read them once
        # MXNet rounds half away from zero; the region includes both end pixels
        x1, y1, x2, y2 = (math.floor(v * spatial_scale + 0.5) for v in box)
        rh, rw = max(y2 - y1 + 1, 1), max(x2 - x1 + 1, 1)
        crop = data[int(b), :, max(y1, 0):max(min(y1 + rh, h), 0),
                    max(x1, 0):max(min(x1 + rw, w), 0)]
        # pad the parts outside the map so the bins are MXNet's (floor/ceil of the region
        # size over the pooled size, adaptive pooling's); empty bins give 0
        left, top = min(max(-x1, 0), rw), min(max(-y1, 0), rh)
        pads = (left, rw - crop.shape[2] - left, top, rh - crop.shape[1] - top)
        crop = F.pad(crop, pads, value=-math.inf)
        outs.append(F.adaptive_max_pool2d(crop, (ph, pw)))
    if not outs:
        return data.new_zeros((0, data.shape[1], ph, pw))
    out = torch.stack(outs)
    return torch.where(torch.isinf(out), torch.zeros_like(out), out)
