"""`mx.image` augmenters and `ImageIter`: batches of images from a .rec file or an image list.

Augmenters take and return HWC NDArrays, as MXNet's; random ones draw from torch's
generator (MXNet: Python's `random`), so `mx.random.seed` makes them repeat.
"""
import json

import numpy as np

from .. import ndarray as nd
from ..ndarray.ndarray import NDArray
from .image import (imresize, resize_short, random_crop, center_crop,
                    random_size_crop, color_normalize, uniform, normal, _get_interp_method)

__all__ = ['Augmenter', 'SequentialAug', 'ResizeAug', 'ForceResizeAug', 'RandomCropAug',
           'RandomSizedCropAug', 'CenterCropAug', 'RandomOrderAug', 'BrightnessJitterAug',
           'ContrastJitterAug', 'SaturationJitterAug', 'HueJitterAug', 'ColorJitterAug',
           'LightingAug', 'ColorNormalizeAug',
           'RandomGrayAug', 'HorizontalFlipAug', 'CastAug', 'CreateAugmenter', 'DataBatch']


class Augmenter:
    """Image Augmenter base class; `dumps()` gives its name and arguments as JSON."""

    def __init__(self, **kwargs):
        self._kwargs = {k: (v.asnumpy().tolist() if isinstance(v, NDArray) else
                            v.tolist() if isinstance(v, np.ndarray) else v)
                        for k, v in kwargs.items()}

    def dumps(self):
        """Saves the Augmenter to string."""
        return json.dumps([self.__class__.__name__.lower(), self._kwargs])

    def __call__(self, src):
        raise NotImplementedError("Must override implementation.")


class _ListAug(Augmenter):
    """An augmenter over a list of augmenters `ts`; dumps them all."""

    def __init__(self, ts):
        super().__init__()
        self.ts = ts

    def dumps(self):
        return [self.__class__.__name__.lower(), [x.dumps() for x in self.ts]]


class _SizeAug(Augmenter):
    """An augmenter to `size` with MXNet's interpolation code `interp`."""

    def __init__(self, size, interp=2):
        super().__init__(size=size, interp=interp)
        self.size, self.interp = size, interp


class SequentialAug(_ListAug):
    """Apply a list of augmenters in order."""

    def __call__(self, src):
        for aug in self.ts:
            src = aug(src)
        return src


class ResizeAug(_SizeAug):
    """Make the shorter edge `size` (see mx.image.resize_short)."""

    def __call__(self, src):
        return resize_short(src, self.size, self.interp)


class ForceResizeAug(_SizeAug):
    """Resize to `size` (width, height) regardless of the aspect ratio."""

    def __call__(self, src):
        sizes = (src.shape[0], src.shape[1], self.size[1], self.size[0])
        return imresize(src, *self.size, interp=_get_interp_method(self.interp, sizes))


class RandomCropAug(_SizeAug):
    """Crop a random `size` (width, height) region."""

    def __call__(self, src):
        return random_crop(src, self.size, self.interp)[0]


class RandomSizedCropAug(Augmenter):
    """Crop a random area and aspect ratio, resized to `size` (see random_size_crop)."""

    def __init__(self, size, area, ratio, interp=2):
        super().__init__(size=size, area=area, ratio=ratio, interp=interp)
        self.size, self.area, self.ratio, self.interp = size, area, ratio, interp

    def __call__(self, src):
        return random_size_crop(src, self.size, self.area, self.ratio, self.interp)[0]


class CenterCropAug(_SizeAug):
    """Crop the center `size` (width, height) region."""

    def __call__(self, src):
        return center_crop(src, self.size, self.interp)[0]


class RandomOrderAug(_ListAug):
    """Apply a list of augmenters in a random order."""

    def __call__(self, src):
        import torch
        for i in torch.randperm(len(self.ts)).tolist():
            src = self.ts[i](src)
        return src


class BrightnessJitterAug(Augmenter):
    """Scale a float image by 1 + a factor drawn from [-brightness, brightness]."""

    def __init__(self, brightness):
        super().__init__(brightness=brightness)
        self.brightness = brightness

    def __call__(self, src):
        src *= 1.0 + uniform(-self.brightness, self.brightness)
        return src


_COEF = (0.299, 0.587, 0.114)


class ContrastJitterAug(Augmenter):
    """Blend a float image with its mean gray level by a random factor."""

    def __init__(self, contrast):
        super().__init__(contrast=contrast)
        self.contrast = contrast

    def __call__(self, src):
        alpha = 1.0 + uniform(-self.contrast, self.contrast)
        gray = src * nd.array([[_COEF]])
        gray = 3.0 * (1.0 - alpha) / gray.size * nd.sum(gray)
        src *= alpha
        src += gray
        return src


class SaturationJitterAug(Augmenter):
    """Blend each pixel of a float image with its gray level by a random factor."""

    def __init__(self, saturation):
        super().__init__(saturation=saturation)
        self.saturation = saturation

    def __call__(self, src):
        alpha = 1.0 + uniform(-self.saturation, self.saturation)
        gray = nd.sum(src * nd.array([[_COEF]]), axis=2, keepdims=True)
        gray *= (1.0 - alpha)
        src *= alpha
        src += gray
        return src


class HueJitterAug(Augmenter):
    """Turn the hue of a float image by a random fraction of half a turn in [-hue, hue].

    MXNet's approximation: a rotation of the I and Q axes of YIQ space (one 3x3 matrix).
    """

    def __init__(self, hue):
        super().__init__(hue=hue)
        self.hue = hue
        self.tyiq = np.array([[0.299, 0.587, 0.114],
                              [0.596, -0.274, -0.321],
                              [0.211, -0.523, 0.311]])
        self.ityiq = np.array([[1.0, 0.956, 0.621],
                               [1.0, -0.272, -0.647],
                               [1.0, -1.107, 1.705]])

    def __call__(self, src):
        alpha = uniform(-self.hue, self.hue)
        u, w = np.cos(alpha * np.pi), np.sin(alpha * np.pi)
        bt = np.array([[1.0, 0.0, 0.0], [0.0, u, -w], [0.0, w, u]])
        t = np.dot(np.dot(self.ityiq, bt), self.tyiq).T
        return nd.dot(src, nd.array(t))


class LightingAug(Augmenter):
    """Add PCA noise (AlexNet's lighting): eigvec @ (alpha * eigval), alpha ~ N(0, alphastd).

    Parameters
    ----------
    alphastd : float
        Noise level.
    eigval : 3x1 np.array
        Eigen values.
    eigvec : 3x3 np.array
        Eigen vectors.
    """

    def __init__(self, alphastd, eigval, eigvec):
        super().__init__(alphastd=alphastd, eigval=eigval, eigvec=eigvec)
        self.alphastd, self.eigval, self.eigvec = alphastd, eigval, eigvec

    def __call__(self, src):
        alpha = normal(0, self.alphastd, (3,))
        src += nd.array(np.dot(self.eigvec * alpha, self.eigval))   # in place, as MXNet
        return src


class ColorJitterAug(RandomOrderAug):
    """Brightness, contrast and saturation jitter in a random order."""

    def __init__(self, brightness, contrast, saturation):
        ts = []
        if brightness > 0:
            ts.append(BrightnessJitterAug(brightness))
        if contrast > 0:
            ts.append(ContrastJitterAug(contrast))
        if saturation > 0:
            ts.append(SaturationJitterAug(saturation))
        super().__init__(ts)


class ColorNormalizeAug(Augmenter):
    """Subtract `mean` and divide by `std` (per channel)."""

    def __init__(self, mean, std):
        super().__init__(mean=mean, std=std)
        self.mean = mean if mean is None or isinstance(mean, NDArray) else nd.array(mean)
        self.std = std if std is None or isinstance(std, NDArray) else nd.array(std)

    def __call__(self, src):
        return color_normalize(src, self.mean, self.std)


class RandomGrayAug(Augmenter):
    """Convert a float image to gray (3 equal channels) with probability p."""

    def __init__(self, p):
        super().__init__(p=p)
        self.p = p
        self.mat = nd.array([[0.21, 0.21, 0.21], [0.72, 0.72, 0.72], [0.07, 0.07, 0.07]])

    def __call__(self, src):
        if uniform(0, 1) < self.p:
            src = nd.dot(src, self.mat)
        return src


class HorizontalFlipAug(Augmenter):
    """Mirror the image left-right with probability p."""

    def __init__(self, p):
        super().__init__(p=p)
        self.p = p

    def __call__(self, src):
        if uniform(0, 1) < self.p:
            src = nd.flip(src, axis=1)
        return src


class CastAug(Augmenter):
    """Cast the image to `typ` (float32 by default)."""

    def __init__(self, typ='float32'):
        super().__init__(type=typ)
        self.typ = typ

    def __call__(self, src):
        return src.astype(self.typ)


def CreateAugmenter(data_shape, resize=0, rand_crop=False, rand_resize=False,  # pylint: disable=invalid-name
                    rand_mirror=False, mean=None, std=None, brightness=0, contrast=0,
                    saturation=0, hue=0, pca_noise=0, rand_gray=0, inter_method=2):
    """The standard augmenter list for images of `data_shape` (C, H, W), as MXNet builds it.

    Parameters
    ----------
    data_shape : tuple of int
        Shape for output data (C, H, W).
    resize : int
        Resize the shorter edge to this before cropping (0: no resize).
    rand_crop : bool
        Random crop instead of a center crop.
    rand_resize : bool
        Random area and aspect ratio before the crop (needs rand_crop).
    rand_mirror : bool
        Mirror left-right with probability 0.5.
    mean, std : True, numpy.ndarray or NDArray
        Normalize channels (True: ImageNet's values).
    brightness, contrast, saturation : float
        Color jitter amounts.
    hue : float
        Hue jitter amount (HueJitterAug).
    pca_noise : float
        PCA noise level (LightingAug with ImageNet's eigenvalues and eigenvectors).
    rand_gray : float
        Probability to convert to grayscale.
    inter_method : int
        Interpolation method for the resizes.
    """
    auglist = []
    if resize > 0:
        auglist.append(ResizeAug(resize, inter_method))
    crop_size = (data_shape[2], data_shape[1])
    if rand_resize:
        if not rand_crop:
            raise AssertionError("CreateAugmenter: rand_resize needs rand_crop=True")
        auglist.append(RandomSizedCropAug(crop_size, 0.08, (3.0 / 4.0, 4.0 / 3.0),
                                          inter_method))
    elif rand_crop:
        auglist.append(RandomCropAug(crop_size, inter_method))
    else:
        auglist.append(CenterCropAug(crop_size, inter_method))
    if rand_mirror:
        auglist.append(HorizontalFlipAug(0.5))
    auglist.append(CastAug())
    if brightness or contrast or saturation:
        auglist.append(ColorJitterAug(brightness, contrast, saturation))
    if hue:
        auglist.append(HueJitterAug(hue))
    if pca_noise > 0:
        eigval = np.array([55.46, 4.794, 1.148])
        eigvec = np.array([[-0.5675, 0.7192, 0.4009],
                           [-0.5808, -0.0045, -0.8140],
                           [-0.5836, -0.6948, 0.4203]])
        auglist.append(LightingAug(pca_noise, eigval, eigvec))
    if rand_gray > 0:
        auglist.append(RandomGrayAug(rand_gray))
    if mean is True:
        mean = nd.array([123.68, 116.28, 103.53])
    if std is True:
        std = nd.array([58.395, 57.12, 57.375])
    if mean is not None or std is not None:
        auglist.append(ColorNormalizeAug(mean, std))
    return auglist


class DataBatch:
    """A batch of data and labels, as `mx.io.DataBatch`: lists of NDArrays and `pad`."""

    def __init__(self, data, label=None, pad=None, index=None, bucket_key=None,
                 provide_data=None, provide_label=None):
        self.data, self.label, self.pad, self.index = data, label, pad, index
        self.bucket_key = bucket_key
        self.provide_data, self.provide_label = provide_data, provide_label
