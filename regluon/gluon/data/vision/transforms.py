"""Image transforms (`gluon.data.vision.transforms`), as Blocks over `nd.image` operators.

Images are HWC (uint8 or float), batches NHWC; after ToTensor, CHW / NCHW float32. Random
transforms draw from torch's generator, so `mx.random.seed` makes them repeat.

Each deterministic or per-sample-random transform also offers `_batched()`: a function that
gives, for a stacked batch, what stacking the per-sample results would give. The DataLoader
uses it to transform a whole batch at once (see `gluon.data.dataset`).
"""
from .... import image
from .... import ndarray as nd
from ...block import Block, HybridBlock
from ...nn import Sequential, HybridSequential

__all__ = ['Compose', 'HybridCompose', 'Cast', 'ToTensor', 'Normalize', 'Rotate',
           'RandomRotation', 'RandomResizedCrop', 'CropResize', 'CenterCrop', 'Resize',
           'RandomFlipLeftRight', 'RandomFlipTopBottom', 'RandomBrightness',
           'RandomContrast', 'RandomSaturation', 'RandomHue', 'RandomColorJitter',
           'RandomLighting', 'RandomGray', 'RandomApply']


def _compose_batched(blocks):
    fns = [getattr(b, '_batched', lambda: None)() for b in blocks]
    if any(f is None for f in fns):
        return None

    def run(x):
        for f in fns:
            x = f(x)
        return x
    return run


class Compose(Sequential):
    """Sequentially composes multiple transforms.

    Parameters
    ----------
    transforms : list of transform Blocks.
        The list of transformations to be composed.

    Examples
    --------
    >>> transformer = transforms.Compose([transforms.Resize(300),
    ...                                   transforms.CenterCrop(256),
    ...                                   transforms.ToTensor()])
    """

    def __init__(self, transforms):
        super().__init__()
        # MXNet groups runs of HybridBlocks into hybridized HybridSequentials; regluon's
        # transforms run eagerly at the same speed, so each is added as it is.
        for t in transforms:
            self.add(t)

    def _batched(self):
        return _compose_batched(list(self._children.values()))


class HybridCompose(HybridSequential):
    """Sequentially composes multiple HybridBlock transforms.

    Parameters
    ----------
    transforms : list of HybridBlock transforms.
        The list of transformations to be composed.
    """

    def __init__(self, transforms):
        super().__init__()
        for t in transforms:
            self.add(t)

    def _batched(self):
        return _compose_batched(list(self._children.values()))


class Cast(HybridBlock):
    """Cast input to a specific data type.

    Parameters
    ----------
    dtype : str, default 'float32'
        The target data type, in string or `numpy.dtype`.
    """

    def __init__(self, dtype='float32'):
        super().__init__()
        self._dtype = dtype

    def hybrid_forward(self, F, x):
        return F.cast(x, self._dtype)

    def _batched(self):
        return self


class ToTensor(HybridBlock):
    """Converts an HWC image (or NHWC batch) in [0, 255] to a CHW (NCHW) float32 in [0, 1]."""

    def hybrid_forward(self, F, x):
        return F.image.to_tensor(x)

    def _batched(self):
        return self


class Normalize(HybridBlock):
    """Normalize a CHW tensor or NCHW batch per channel: (x - mean) / std.

    Parameters
    ----------
    mean : float or tuple of floats
        The mean values (one, or one per channel).
    std : float or tuple of floats
        The standard deviation values (one, or one per channel).
    """

    def __init__(self, mean=0.0, std=1.0):
        super().__init__()
        self._mean, self._std = mean, std

    def hybrid_forward(self, F, x):
        return F.image.normalize(x, self._mean, self._std)

    def _batched(self):
        return self


class Rotate(Block):
    """Rotate the input image by a given angle. Keeps the original image shape.

    Parameters
    ----------
    rotation_degrees : float
        Desired rotation angle in degrees.
    zoom_in : bool
        Zoom in image so that no padding is present in final output.
    zoom_out : bool
        Zoom out image so that the entire original image is present in final output.
    """

    def __init__(self, rotation_degrees, zoom_in=False, zoom_out=False):
        super().__init__()
        self._args = (rotation_degrees, zoom_in, zoom_out)

    def forward(self, x):
        return image.imrotate(x, *self._args)


class RandomRotation(Block):
    """Rotate the input image by a random angle from `angle_limits`, keeping its shape.

    Parameters
    ----------
    angle_limits : tuple
        (lower, upper) angles in degrees.
    zoom_in : bool
        Zoom in image so that no padding is present in final output.
    zoom_out : bool
        Zoom out image so that the entire original image is present in final output.
    rotate_with_proba : float in [0, 1]
        Probability of rotation.
    """

    def __init__(self, angle_limits, zoom_in=False, zoom_out=False, rotate_with_proba=1.0):
        super().__init__()
        lower, upper = angle_limits
        if lower >= upper:
            raise ValueError("`angle_limits` must be an ordered tuple")
        if rotate_with_proba < 0 or rotate_with_proba > 1:
            raise ValueError("Probability of rotating the image should be between 0 and 1")
        self._args = (angle_limits, zoom_in, zoom_out)
        self._rotate_with_proba = rotate_with_proba

    def forward(self, x):
        if image.uniform(0, 1) > self._rotate_with_proba:
            return x
        return image.random_rotate(x, *self._args)


class RandomResizedCrop(Block):
    """Crop a random area (scale) and aspect ratio of the image, then resize it to `size`.

    Parameters
    ----------
    size : int or tuple of (W, H)
        Size of the final output.
    scale : tuple of two floats
        The range of the crop's area as a fraction of the image area.
    ratio : tuple of two floats
        The range of the crop's aspect ratio (width / height).
    interpolation : int
        Interpolation method for resizing (OpenCV codes; 1 is bilinear).
    """

    def __init__(self, size, scale=(0.08, 1.0), ratio=(3.0 / 4.0, 4.0 / 3.0),
                 interpolation=1):
        super().__init__()
        if isinstance(size, (int, float)):
            size = (int(size), int(size))
        self._args = (size, scale, ratio, interpolation)

    def forward(self, x):
        return image.random_size_crop(x, *self._args)[0]


class CropResize(HybridBlock):
    """Crop the region at (x, y) of size (width, height), then optionally resize it.

    Parameters
    ----------
    x : int
        Left boundary of the cropping area.
    y : int
        Top boundary of the cropping area.
    width : int
        Width of the cropping area.
    height : int
        Height of the cropping area.
    size : int or tuple of (w, h)
        Optional, resize to new size after cropping.
    interpolation : int, optional
        Interpolation method for resizing.
    """

    def __init__(self, x, y, width, height, size=None, interpolation=None):
        super().__init__()
        self._x, self._y, self._width, self._height = x, y, width, height
        self._size, self._interpolation = size, interpolation

    def hybrid_forward(self, F, x):
        out = F.image.crop(x, self._x, self._y, self._width, self._height)
        if self._size:
            interp = 1 if self._interpolation is None else self._interpolation
            out = F.image.resize(out, self._size, False, interp)
        return out

    def _batched(self):
        return self


class CenterCrop(Block):
    """Crop the center of the image to `size`; upsamples if the image is smaller.

    Parameters
    ----------
    size : int or tuple of (W, H)
        Size of output image.
    interpolation : int
        Interpolation method for resizing.
    """

    def __init__(self, size, interpolation=1):
        super().__init__()
        if isinstance(size, (int, float)):
            size = (int(size), int(size))
        self._args = (size, interpolation)

    def forward(self, x):
        return image.center_crop(x, *self._args)[0]


class Resize(HybridBlock):
    """Resize an image or a batch of images to `size`.

    Parameters
    ----------
    size : int or tuple of (W, H)
        Size of output image. An int means (size, size), or with keep_ratio the size of
        the short edge.
    keep_ratio : bool
        Whether to resize the short edge or both edges to `size`, if size is an integer.
    interpolation : int
        Interpolation method for resizing (OpenCV codes; 1 is bilinear).
    """

    def __init__(self, size, keep_ratio=False, interpolation=1):
        super().__init__()
        self._keep, self._size, self._interpolation = keep_ratio, size, interpolation

    def hybrid_forward(self, F, x):
        return F.image.resize(x, self._size, self._keep, self._interpolation)

    def _batched(self):
        return self


class _RandomFlip(HybridBlock):
    _axis = -2

    def _batched(self):
        # an independent coin per sample, as per-sample application gives
        return lambda x: nd._random_flip_each(x, axis=self._axis)


class RandomFlipLeftRight(_RandomFlip):
    """Randomly flip the input image left to right with a probability of 0.5."""

    def hybrid_forward(self, F, x):
        return F.image.random_flip_left_right(x)


class RandomFlipTopBottom(_RandomFlip):
    """Randomly flip the input image top to bottom with a probability of 0.5."""
    _axis = -3

    def hybrid_forward(self, F, x):
        return F.image.random_flip_top_bottom(x)


class _RandomJitter(HybridBlock):
    """Jitters one image property by a factor drawn from [max(0, 1 - amount), 1 + amount]
    with the operator `F.image.<_op>`."""
    _op = None

    def __init__(self, amount):
        super().__init__()
        self._args = (max(0, 1 - amount), 1 + amount)

    def hybrid_forward(self, F, x):
        return getattr(F.image, self._op)(x, *self._args)


class RandomBrightness(_RandomJitter):
    """Randomly jitters image brightness by a factor from [max(0, 1 - b), 1 + b].

    Parameters
    ----------
    brightness : float
        How much to jitter brightness.
    """
    _op = 'random_brightness'

    def __init__(self, brightness):
        super().__init__(brightness)


class RandomContrast(_RandomJitter):
    """Randomly jitters image contrast by a factor from [max(0, 1 - c), 1 + c].

    Parameters
    ----------
    contrast : float
        How much to jitter contrast.
    """
    _op = 'random_contrast'

    def __init__(self, contrast):
        super().__init__(contrast)


class RandomSaturation(_RandomJitter):
    """Randomly jitters image saturation by a factor from [max(0, 1 - s), 1 + s].

    Parameters
    ----------
    saturation : float
        How much to jitter saturation.
    """
    _op = 'random_saturation'

    def __init__(self, saturation):
        super().__init__(saturation)


class RandomHue(_RandomJitter):
    """Randomly jitters image hue by a factor from [max(0, 1 - h), 1 + h].

    MXNet quirk, kept: the factor is the hue shift in turns, so factors near 1 turn the
    hue by about a full circle (a shift of factor - 1).

    Parameters
    ----------
    hue : float
        How much to jitter hue.
    """
    _op = 'random_hue'

    def __init__(self, hue):
        super().__init__(hue)


class RandomColorJitter(HybridBlock):
    """Randomly jitters the brightness, contrast, saturation, and hue of an image.

    Parameters
    ----------
    brightness : float
        How much to jitter brightness.
    contrast : float
        How much to jitter contrast.
    saturation : float
        How much to jitter saturation.
    hue : float
        How much to jitter hue.
    """

    def __init__(self, brightness=0, contrast=0, saturation=0, hue=0):
        super().__init__()
        self._args = (brightness, contrast, saturation, hue)

    def hybrid_forward(self, F, x):
        return F.image.random_color_jitter(x, *self._args)


class RandomLighting(HybridBlock):
    """Add AlexNet-style PCA-based noise to an image.

    Parameters
    ----------
    alpha : float
        Intensity of the image (standard deviation of the PCA weights).
    """

    def __init__(self, alpha):
        super().__init__()
        self._alpha = alpha

    def hybrid_forward(self, F, x):
        return F.image.random_lighting(x, self._alpha)


class RandomGray(Block):
    """Randomly convert an RGB image to gray (kept as 3 channels) with probability p.

    A Block, not a HybridBlock: the coin is drawn in Python, which a traced graph would
    freeze.

    Parameters
    ----------
    p : float
        Probability to convert to grayscale.
    """

    def __init__(self, p=0.5):
        super().__init__()
        self._p = p

    def forward(self, x):
        if image.uniform(0, 1) >= self._p:
            return x
        # mx.image.RandomGrayAug's matrix: each output channel is 0.21 R + 0.72 G + 0.07 B
        mat = nd.array([[0.21, 0.21, 0.21], [0.72, 0.72, 0.72], [0.07, 0.07, 0.07]])
        return nd.dot(x.astype('float32'), mat).astype(x.dtype)


class RandomApply(Sequential):
    """Apply a list of transformations randomly given probability.

    Parameters
    ----------
    transforms : Block
        The transform(s) to apply.
    p : float
        Probability of applying them.
    """

    def __init__(self, transforms, p=0.5):
        super().__init__()
        self.transforms = transforms
        self.p = p

    def forward(self, x):
        if self.p < image.uniform(0, 1):
            return x
        return self.transforms(x)

