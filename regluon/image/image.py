"""`mx.image` functions: decoding, resizing and cropping HWC images (NDArrays).

Decoding uses Pillow (MXNet: OpenCV); resizing is the `_cvimresize` operator (uint8 and
float32 exactly as MXNet's OpenCV 3.4.2 cv::resize: regluon/image/resize.py).
Random choices draw from torch's generator (MXNet: Python's `random`), so
`mx.random.seed` makes them repeat.
"""
import math
import os

import numpy as np
import torch

from ..base import MXNetError
from .. import ndarray as nd
from ..ndarray.ndarray import NDArray, _box
from .codec import decode_np

__all__ = ['imread', 'imdecode', 'imresize', 'scale_down', 'copyMakeBorder', 'resize_short',
           'fixed_crop', 'random_crop', 'center_crop', 'color_normalize', 'random_size_crop',
           'imrotate', 'random_rotate', 'uniform', 'randint', 'normal']


def uniform(low, high):
    """A float drawn uniformly from [low, high) with torch's generator."""
    return float(torch.empty((), dtype=torch.float64).uniform_(float(low), float(high)))


def normal(loc, scale, size):
    """float64 numpy draws from N(loc, scale**2) with torch's generator (MXNet: numpy's)."""
    return torch.empty(size, dtype=torch.float64).normal_(float(loc), float(scale)).numpy()


def randint(low, high):
    """An int drawn uniformly from [low, high] (inclusive, as Python's random.randint)."""
    return int(torch.randint(int(low), int(high) + 1, ()))


def _to_nd(img, flag, to_rgb):
    if img.ndim == 2:
        img = img[:, :, None]
    elif not to_rgb and img.shape[2] >= 3:
        img = img[:, :, [2, 1, 0] + list(range(3, img.shape[2]))]
    return _box(torch.from_numpy(np.array(img)))   # a writable copy (Pillow's is read-only)


def imdecode(buf, flag=1, to_rgb=1, out=None):
    """Decode an image to an HWC uint8 NDArray.

    Parameters
    ----------
    buf : bytes, bytearray, numpy.ndarray or NDArray
        The encoded image (JPEG, PNG, ...).
    flag : int, default 1
        1: three-channel color; 0: one-channel grayscale (shape (H, W, 1)).
    to_rgb : int, default 1
        1: RGB channel order; 0: BGR, as OpenCV stores it.
    out : NDArray, optional
        Output buffer.
    """
    if isinstance(buf, NDArray):
        buf = buf.asnumpy().astype(np.uint8).tobytes()
    elif isinstance(buf, np.ndarray):
        buf = buf.tobytes()
    elif not isinstance(buf, (bytes, bytearray)):
        raise ValueError('buf must be of type bytes, bytearray or numpy.ndarray,'
                         'if you would like to input type str, please convert to bytes')
    res = _to_nd(decode_np(buf, 1 if flag else 0), flag, to_rgb)
    return res if out is None else out._assign(res._t)


def imread(filename, flag=1, to_rgb=1, out=None):
    """Read and decode an image file to an HWC uint8 NDArray.

    Parameters
    ----------
    filename : str
        Name of the image file to be loaded.
    flag : int, default 1
        1: three-channel color; 0: one-channel grayscale.
    to_rgb : int, default 1
        1: RGB channel order; 0: BGR.
    out : NDArray, optional
        Output buffer.
    """
    try:
        with open(os.path.expanduser(filename), 'rb') as f:
            buf = f.read()
    except OSError as e:
        raise MXNetError(f"imread: cannot read image file {filename!r}: {e.strerror}") \
            from None
    res = _to_nd(decode_np(buf, 1 if flag else 0, where=f"imread({filename!r})"), flag,
                 to_rgb)
    return res if out is None else out._assign(res._t)


def imresize(src, w, h, interp=1, out=None):
    """Resize an HWC image to width `w` and height `h`.

    Parameters
    ----------
    src : NDArray
        Source image (H, W, C).
    w : int
        Width of resized image.
    h : int
        Height of resized image.
    interp : int, default 1
        Interpolation: 0 nearest, 1 bilinear, 2 bicubic, 3 area, 4 Lanczos-4 (uint8 and
        float32 exactly as MXNet's OpenCV: regluon/image/resize.py).
    """
    return nd._cvimresize(src, w, h, interp=interp, out=out)


def copyMakeBorder(src, top, bot, left, right, type=0, value=0.0, values=(), out=None):  # pylint: disable=redefined-builtin
    """Pad an HWC image's borders (OpenCV border types 0 constant, 1 replicate, 2 reflect)."""
    return nd._cvcopyMakeBorder(src, top, bot, left, right, type=type, value=value,
                                values=values, out=out)


def scale_down(src_size, size):
    """Scales down crop size if it's larger than image size (keeping its aspect ratio).

    Parameters
    ----------
    src_size : tuple of int
        Size of the image in (width, height) format.
    size : tuple of int
        Size of the crop in (width, height) format.
    """
    w, h = size
    sw, sh = src_size
    if sh < h:
        w, h = float(w * sh) / h, sh
    if sw < w:
        w, h = sw, float(h * sw) / w
    return int(w), int(h)


def _get_interp_method(interp, sizes=()):
    """MXNet's interp codes: 9 picks by size change (cubic up, area down), 10 at random."""
    if interp == 9:
        if sizes:
            oh, ow, nh, nw = sizes
            if nh > oh and nw > ow:
                return 2
            if nh < oh and nw < ow:
                return 3
            return 1
        return 2
    if interp == 10:
        return randint(0, 4)
    if interp not in (0, 1, 2, 3, 4):
        raise ValueError('Unknown interp method %d' % interp)
    return interp


def resize_short(src, size, interp=2):
    """Resize the shorter edge to `size`, keeping the aspect ratio.

    Parameters
    ----------
    src : NDArray
        The original image (H, W, C).
    size : int
        The length to be set for the shorter edge.
    interp : int, default 2
        Interpolation method (see imresize; 9 and 10 as MXNet).
    """
    h, w, _ = src.shape
    if h > w:
        new_h, new_w = size * h // w, size
    else:
        new_h, new_w = size, size * w // h
    return imresize(src, new_w, new_h, interp=_get_interp_method(interp, (h, w, new_h, new_w)))


def fixed_crop(src, x0, y0, w, h, size=None, interp=2):
    """Crop src at fixed location, and (optionally) resize it to size.

    Parameters
    ----------
    src : NDArray
        Input image (H, W, C).
    x0, y0 : int
        Left and top edges of the crop.
    w, h : int
        Width and height of the crop.
    size : tuple of (w, h), optional
        Resize the crop to this size.
    interp : int, default 2
        Interpolation method.
    """
    H, W = src.shape[0], src.shape[1]
    if x0 < 0 or y0 < 0 or x0 + w > W or y0 + h > H:
        raise MXNetError(f"fixed_crop: region x0={x0}, y0={y0}, w={w}, h={h} is not inside "
                         f"the {W}x{H} (width x height) image")
    out = _box(src._t[y0:y0 + h, x0:x0 + w].contiguous(), src._ctx)
    if size is not None and (w, h) != tuple(size):
        sizes = (h, w, size[1], size[0])
        out = imresize(out, *size, interp=_get_interp_method(interp, sizes))
    return out


def random_crop(src, size, interp=2):
    """Randomly crop `src` with `size` (width, height); upsample if src is too small.

    Returns
    -------
    NDArray
        The cropped image.
    Tuple
        (x, y, width, height) of the crop in the original image.
    """
    h, w, _ = src.shape
    new_w, new_h = scale_down((w, h), size)
    x0, y0 = randint(0, w - new_w), randint(0, h - new_h)
    return fixed_crop(src, x0, y0, new_w, new_h, size, interp), (x0, y0, new_w, new_h)


def center_crop(src, size, interp=2):
    """Crop the center of `src` to `size` (width, height); upsample if src is too small.

    Returns
    -------
    NDArray
        The cropped image.
    Tuple
        (x, y, width, height) of the crop in the original image.
    """
    h, w, _ = src.shape
    new_w, new_h = scale_down((w, h), size)
    x0 = int((w - new_w) / 2)
    y0 = int((h - new_h) / 2)
    return fixed_crop(src, x0, y0, new_w, new_h, size, interp), (x0, y0, new_w, new_h)


def color_normalize(src, mean, std=None):
    """Normalize src with mean and std (in place, as MXNet: `src -= mean; src /= std`).

    Parameters
    ----------
    src : NDArray
        Input image (float).
    mean : NDArray
        RGB mean to be subtracted.
    std : NDArray
        RGB standard deviation to be divided.
    """
    if mean is not None:
        src -= mean
    if std is not None:
        src /= std
    return src


def random_size_crop(src, size, area, ratio, interp=2, **kwargs):
    """Randomly crop src with size. Randomize area and aspect ratio.

    Parameters
    ----------
    src : NDArray
        Input image (H, W, C).
    size : tuple of (int, int)
        Size of the crop formatted as (width, height).
    area : float in (0, 1] or tuple of (float, float)
        If tuple, minimum area and maximum area to be maintained after cropping.
        If float, minimum area to be maintained after cropping, maximum area is set to 1.0.
    ratio : tuple of (float, float)
        Aspect ratio range as (min_aspect_ratio, max_aspect_ratio).
    interp : int, default 2
        Interpolation method.
    """
    h, w, _ = src.shape
    src_area = h * w
    if 'min_area' in kwargs:
        area = kwargs.pop('min_area')
    if kwargs:
        raise TypeError(f"random_size_crop: unexpected keyword arguments {sorted(kwargs)}")
    if isinstance(area, (int, float)):
        area = (area, 1.0)
    for _ in range(10):
        target_area = uniform(area[0], area[1]) * src_area
        new_ratio = math.exp(uniform(math.log(ratio[0]), math.log(ratio[1])))
        new_w = int(round(math.sqrt(target_area * new_ratio)))
        new_h = int(round(math.sqrt(target_area / new_ratio)))
        if new_w <= w and new_h <= h:
            x0, y0 = randint(0, w - new_w), randint(0, h - new_h)
            out = fixed_crop(src, x0, y0, new_w, new_h, size, interp)
            return out, (x0, y0, new_w, new_h)
    return center_crop(src, size, interp)


def imrotate(src, rotation_degrees, zoom_in=False, zoom_out=False):
    """Rotate float32 CHW image(s) (or an NCHW batch) by the given angle(s) in degrees.

    Parameters
    ----------
    src : NDArray
        (C, H, W) or (N, C, H, W) float32 image(s), e.g. after ToTensor.
    rotation_degrees : scalar or NDArray
        The angle, or one angle per image of a batch.
    zoom_in : bool
        Zoom in so that no padding shows.
    zoom_out : bool
        Zoom out so that the whole image stays visible.
    """
    if zoom_in and zoom_out:
        raise ValueError("`zoom_in` and `zoom_out` cannot be both True")
    if src.dtype is not np.float32:
        raise TypeError("Only `float32` images are supported by this function")
    expanded = src.ndim == 3
    if expanded:
        if not isinstance(rotation_degrees, (int, float)):
            raise TypeError("When a single image is passed the rotation angle is "
                            "required to be a scalar.")
        src = _box(src._t.unsqueeze(0), src._ctx)
    elif src.ndim != 4:
        raise ValueError("Only 3D and 4D are supported by this function")
    if isinstance(rotation_degrees, (int, float)):
        rotation_degrees = nd.full((src.shape[0],), rotation_degrees)
    if len(rotation_degrees) != src.shape[0]:
        raise ValueError("The number of images must be equal to the number of rotation angles")
    out = nd._imrotate(src, rotation_degrees * (math.pi / 180), zoom_in=zoom_in,
                       zoom_out=zoom_out)
    return _box(out._t[0], out._ctx) if expanded else out


def random_rotate(src, angle_limits, zoom_in=False, zoom_out=False):
    """Rotate image(s) by angles drawn uniformly from `angle_limits` (degrees)."""
    if src.ndim == 3:
        degrees = uniform(*angle_limits)
    else:
        degrees = nd.random.uniform(angle_limits[0], angle_limits[1], shape=(src.shape[0],))
    return imrotate(src, degrees, zoom_in=zoom_in, zoom_out=zoom_out)
