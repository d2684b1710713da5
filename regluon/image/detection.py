"""`mx.image` for object detection: `ImageDetIter` and the detection augmenters.

A detection label is a flat float array: a header of `header_width` values whose first
two are the header width and the width of one object, then one row per object
`[class_id, xmin, ymin, xmax, ymax, ...]` with coordinates as fractions of the image
size. Batches carry labels (batch, max_objects, object_width), padded with -1.

Augmenters take and return (HWC NDArray image, numpy label (objects, width)). The label
arithmetic is MXNet's numpy float32 code (a few boxes per image); images go through
mx.image's torch operators. Random choices draw from torch's generator (MXNet: Python's
`random`) through `uniform`, `randint`, `_coin` and `_shuffle` here, so `mx.random.seed`
makes them repeat (and tests can replay MXNet's draws).
"""
import logging
import math
import warnings
from numbers import Number

import numpy as np
import torch

from ..base import MXNetError
from .. import ndarray as nd
from .image import fixed_crop, copyMakeBorder, uniform, randint
from .iter import (Augmenter, ResizeAug, ForceResizeAug, CastAug,
                   ColorJitterAug, HueJitterAug, LightingAug, RandomGrayAug, ColorNormalizeAug)

__all__ = ['DetAugmenter', 'DetBorrowAug', 'DetRandomSelectAug', 'DetHorizontalFlipAug',
           'DetRandomCropAug', 'DetRandomPadAug', 'CreateMultiRandCropAugmenter',
           'CreateDetAugmenter', 'ImageDetIter']


class DetLabelError(MXNetError, RuntimeError):
    """A sample's detection label is unusable (MXNet raises RuntimeError; ImageDetIter
    skips such samples)."""


class DetShapeError(MXNetError, ValueError):
    """A bad data or label shape for ImageDetIter (MXNet raises ValueError)."""


def _coin():
    """A float in [0, 1) (MXNet: random.random())."""
    return uniform(0, 1)


def _shuffle(items):
    """Shuffle the list `items` in place (MXNet: random.shuffle)."""
    items[:] = [items[i] for i in torch.randperm(len(items)).tolist()]


def _pair(value, what, name):
    """A (lo, hi) range from a range or one number (logged, as MXNet)."""
    if isinstance(value, (tuple, list)):
        return tuple(value)
    if not isinstance(value, Number):
        raise MXNetError(f"{name}: {what} must be a number or a (min, max) pair, got {value!r}")
    logging.info('Using fixed %s: %s in %s', what, value, name)
    return (value, value)


class DetAugmenter:
    """Detection base augmenter; `dumps()` gives its name and arguments as JSON."""
    # Augmenter's argument record and JSON; not its subclass, as in MXNet
    __init__ = Augmenter.__init__
    dumps = Augmenter.dumps

    def __call__(self, src, label):
        raise NotImplementedError("Must override implementation.")


class DetBorrowAug(DetAugmenter):
    """Borrow a classification augmenter that leaves the label as it is.

    Parameters
    ----------
    augmenter : mx.image.Augmenter
        The borrowed augmenter.
    """

    def __init__(self, augmenter):
        if not isinstance(augmenter, Augmenter):
            raise TypeError('Borrowing from invalid Augmenter')
        super().__init__(augmenter=augmenter.dumps())
        self.augmenter = augmenter

    def dumps(self):
        return [self.__class__.__name__.lower(), self.augmenter.dumps()]

    def __call__(self, src, label):
        return self.augmenter(src), label


class DetRandomSelectAug(DetAugmenter):
    """Apply one augmenter of `aug_list` chosen at random, or none with `skip_prob`.

    Parameters
    ----------
    aug_list : list of DetAugmenter
        The augmenters to choose from.
    skip_prob : float
        The probability to return the input unchanged.
    """

    def __init__(self, aug_list, skip_prob=0):
        super().__init__(skip_prob=skip_prob)
        if not isinstance(aug_list, (list, tuple)):
            aug_list = [aug_list]
        if not all(isinstance(aug, DetAugmenter) for aug in aug_list):
            raise ValueError('Allow DetAugmenter in list only')
        self.aug_list = list(aug_list)
        self.skip_prob = skip_prob if aug_list else 1    # empty: disabled

    def dumps(self):
        return [self.__class__.__name__.lower(), [x.dumps() for x in self.aug_list]]

    def __call__(self, src, label):
        if _coin() < self.skip_prob:
            return src, label
        _shuffle(self.aug_list)     # MXNet shuffles its list and takes the first
        return self.aug_list[0](src, label)


class DetHorizontalFlipAug(DetAugmenter):
    """Mirror the image and its boxes left-right with probability p."""

    def __init__(self, p):
        super().__init__(p=p)
        self.p = p

    def __call__(self, src, label):
        if _coin() < self.p:
            src = nd.flip(src, axis=1)
            xmin = 1.0 - label[:, 1]
            label[:, 1] = 1.0 - label[:, 3]     # in place, as MXNet
            label[:, 3] = xmin
        return src, label


def _areas(boxes):
    """Areas of (xmin, ymin, xmax, ymax, ...) rows, 0 for empty boxes."""
    return np.maximum(0, boxes[:, 3] - boxes[:, 1]) * np.maximum(0, boxes[:, 2] - boxes[:, 0])


class DetRandomCropAug(DetAugmenter):
    """Random crop whose boxes keep at least `min_object_covered` of each object.

    Parameters
    ----------
    min_object_covered : float, default 0.1
        The crop must contain at least this fraction of every box it overlaps.
    aspect_ratio_range : tuple of floats, default (0.75, 1.33)
        Range of the crop's width / height.
    area_range : tuple of floats, default (0.05, 1.0)
        Range of the crop's area as a fraction of the image's.
    min_eject_coverage : float, default 0.3
        Boxes keeping this fraction of their area or less are dropped.
    max_attempts : int, default 50
        Proposals to try before giving up (the image is then unchanged).
    """

    def __init__(self, min_object_covered=0.1, aspect_ratio_range=(0.75, 1.33),
                 area_range=(0.05, 1.0), min_eject_coverage=0.3, max_attempts=50):
        name = type(self).__name__
        aspect_ratio_range = _pair(aspect_ratio_range, 'aspect ratio', name)
        area_range = _pair(area_range, 'area range', name)
        super().__init__(min_object_covered=min_object_covered,
                         aspect_ratio_range=aspect_ratio_range, area_range=area_range,
                         min_eject_coverage=min_eject_coverage, max_attempts=max_attempts)
        self.min_object_covered, self.min_eject_coverage = min_object_covered, min_eject_coverage
        self.max_attempts = max_attempts
        self.aspect_ratio_range, self.area_range = aspect_ratio_range, area_range
        self.enabled = False
        if area_range[1] <= 0 or area_range[0] > area_range[1]:
            warnings.warn(f'Skip DetRandomCropAug due to invalid area_range: {area_range}')
        elif aspect_ratio_range[0] > aspect_ratio_range[1] or aspect_ratio_range[0] <= 0:
            warnings.warn('Skip DetRandomCropAug due to invalid aspect_ratio_range: '
                          f'{aspect_ratio_range}')
        else:
            self.enabled = True

    def __call__(self, src, label):
        crop = self._random_crop_proposal(label, src.shape[0], src.shape[1])
        if crop:
            x, y, w, h, label = crop
            src = fixed_crop(src, x, y, w, h, None)
        return src, label

    def _satisfied(self, label, xmin, ymin, xmax, ymax, width, height):
        """Whether the crop box covers enough of every object it overlaps."""
        if (xmax - xmin) * (ymax - ymin) < 2:
            return False     # only 1 pixel
        x1, y1 = float(xmin) / width, float(ymin) / height
        x2, y2 = float(xmax) / width, float(ymax) / height
        areas = _areas(label[:, 1:])
        valid = np.where(areas * width * height > 2)[0]
        if valid.size < 1:
            return False
        boxes = label[valid, 1:]
        left, right = np.maximum(boxes[:, 0], x1), np.minimum(boxes[:, 2], x2)
        top, bot = np.maximum(boxes[:, 1], y1), np.minimum(boxes[:, 3], y2)
        inter = boxes.copy()
        inter[:, 0], inter[:, 1], inter[:, 2], inter[:, 3] = left, top, right, bot
        inter[np.logical_or(left >= right, top >= bot), :] = 0
        coverages = _areas(inter) / areas[valid]
        coverages = coverages[coverages > 0]
        return coverages.size > 0 and np.amin(coverages) > self.min_object_covered

    def _update_labels(self, label, crop_box, height, width):
        """The boxes in the crop's coordinates, without those the crop ejects."""
        xmin, ymin = float(crop_box[0]) / width, float(crop_box[1]) / height
        w, h = float(crop_box[2]) / width, float(crop_box[3]) / height
        out = label.copy()
        out[:, (1, 3)] -= xmin
        out[:, (2, 4)] -= ymin
        out[:, (1, 3)] /= w
        out[:, (2, 4)] /= h
        out[:, 1:5] = np.minimum(1, np.maximum(0, out[:, 1:5]))
        coverage = _areas(out[:, 1:]) * w * h / _areas(label[:, 1:])
        valid = np.logical_and(out[:, 3] > out[:, 1], out[:, 4] > out[:, 2])
        valid = np.where(np.logical_and(valid, coverage > self.min_eject_coverage))[0]
        return out[valid, :] if valid.size else None

    def _random_crop_proposal(self, label, height, width):
        """(x, y, w, h, new label) of the first proposal that satisfies the constraints,
        or () after max_attempts."""
        min_area = self.area_range[0] * height * width
        max_area = self.area_range[1] * height * width
        for ratio, h, max_h in _proposal_heights(self, height, width):
            if round(max_h * ratio) > width:
                max_h = int((width + 0.4999999) / ratio)   # largest with round(h * ratio) <= w
            max_h = min(max_h, height)
            h = min(h, max_h)
            if h < max_h:
                h = randint(h, max_h)
            w = int(round(h * ratio))
            # MXNet's fix of rounding problems: one step up or down
            if w * h < min_area:
                h += 1
                w = int(round(h * ratio))
            if w * h > max_area:
                h -= 1
                w = int(round(h * ratio))
            if not (min_area <= w * h <= max_area and 0 <= w <= width and 0 <= h <= height):
                continue
            y, x = randint(0, max(0, height - h)), randint(0, max(0, width - w))
            if self._satisfied(label, x, y, x + w, y + h, width, height):
                new_label = self._update_labels(label, (x, y, w, h), height, width)
                if new_label is not None:
                    return (x, y, w, h, new_label)
        return ()


def _proposal_heights(aug, height, width):
    """The random crop/pad attempts: per attempt (up to aug.max_attempts) a ratio drawn from
    aspect_ratio_range (non-positive ones skipped) and the heights at that ratio whose area
    is area_range's bounds; none for a disabled augmenter or an empty image."""
    if not aug.enabled or height <= 0 or width <= 0:
        return
    min_area = aug.area_range[0] * height * width
    max_area = aug.area_range[1] * height * width
    for _ in range(aug.max_attempts):
        ratio = uniform(*aug.aspect_ratio_range)
        if ratio <= 0:
            continue
        yield (ratio, int(round(math.sqrt(min_area / ratio))),
               int(round(math.sqrt(max_area / ratio))))


class DetRandomPadAug(DetAugmenter):
    """Random padding (zoom out): the image placed at random on a larger canvas.

    Parameters
    ----------
    aspect_ratio_range : tuple of floats, default (0.75, 1.33)
        Range of the canvas's width / height.
    area_range : tuple of floats, default (1.0, 3.0)
        Range of the canvas's area as a multiple of the image's.
    max_attempts : int, default 50
        Proposals to try before giving up (the image is then unchanged).
    pad_val : float or tuple of float, default (128, 128, 128)
        The canvas's pixel value.
    """

    def __init__(self, aspect_ratio_range=(0.75, 1.33), area_range=(1.0, 3.0),
                 max_attempts=50, pad_val=(128, 128, 128)):
        name = type(self).__name__
        if not isinstance(pad_val, (list, tuple)) and not isinstance(pad_val, Number):
            raise MXNetError(f"{name}: pad_val must be a number or a tuple, got {pad_val!r}")
        aspect_ratio_range = _pair(aspect_ratio_range, 'aspect ratio', name)
        area_range = _pair(area_range, 'area range', name)
        super().__init__(aspect_ratio_range=aspect_ratio_range, area_range=area_range,
                         max_attempts=max_attempts, pad_val=pad_val)
        self.pad_val, self.max_attempts = pad_val, max_attempts
        self.aspect_ratio_range, self.area_range = aspect_ratio_range, area_range
        self.enabled = False
        if area_range[1] <= 1.0 or area_range[0] > area_range[1]:
            warnings.warn(f'Skip DetRandomPadAug due to invalid parameters: {area_range}')
        elif aspect_ratio_range[0] <= 0 or aspect_ratio_range[0] > aspect_ratio_range[1]:
            warnings.warn('Skip DetRandomPadAug due to invalid aspect_ratio_range: '
                          f'{aspect_ratio_range}')
        else:
            self.enabled = True

    def __call__(self, src, label):
        height, width, _ = src.shape
        pad = self._random_pad_proposal(label, height, width)
        if pad:
            x, y, w, h, label = pad
            # MXNet passes OpenCV's BORDER_ISOLATED (16): a constant border here
            fill = dict(values=tuple(self.pad_val)) if isinstance(self.pad_val, (list, tuple)) \
                else dict(value=float(self.pad_val))
            src = copyMakeBorder(src, y, h - y - height, x, w - x - width, 0, **fill)
        return src, label

    def _random_pad_proposal(self, label, height, width):
        """(x, y, w, h, new label) of the canvas and the image's place on it, or ()."""
        for ratio, h, max_h in _proposal_heights(self, height, width):
            if round(h * ratio) < width:
                h = int((width + 0.499999) / ratio)
            h = min(max(h, height), max_h)
            if h < max_h:
                h = randint(h, max_h)
            w = int(round(h * ratio))
            if (h - height) < 2 or (w - width) < 2:
                continue     # marginal padding is not helpful
            y, x = randint(0, max(0, h - height)), randint(0, max(0, w - width))
            out = label.copy()
            out[:, (1, 3)] = (out[:, (1, 3)] * width + x) / w
            out[:, (2, 4)] = (out[:, (2, 4)] * height + y) / h
            return (x, y, w, h, out)
        return ()


def CreateMultiRandCropAugmenter(min_object_covered=0.1, aspect_ratio_range=(0.75, 1.33),  # pylint: disable=invalid-name
                                 area_range=(0.05, 1.0), min_eject_coverage=0.3,
                                 max_attempts=50, skip_prob=0):
    """Several DetRandomCropAug, one chosen at random per image (DetRandomSelectAug).

    Each argument is a value or a list of values (one per augmenter; lists of other
    lengths than 1 must agree); see DetRandomCropAug.
    """
    params = [p if isinstance(p, list) else [p] for p in
              (min_object_covered, aspect_ratio_range, area_range, min_eject_coverage,
               max_attempts)]
    num = max(len(p) for p in params)
    for p in params:
        if len(p) not in (1, num):
            raise MXNetError(f"CreateMultiRandCropAugmenter: a list argument has {len(p)} "
                             f"values where others have {num}; give 1 or {num}")
    params = [p * num if len(p) == 1 else p for p in params]
    augs = [DetRandomCropAug(min_object_covered=moc, aspect_ratio_range=arr, area_range=ar,
                             min_eject_coverage=mec, max_attempts=ma)
            for moc, arr, ar, mec, ma in zip(*params)]
    return DetRandomSelectAug(augs, skip_prob=skip_prob)


_MEAN, _STD = np.array([123.68, 116.28, 103.53]), np.array([58.395, 57.12, 57.375])


def _mean_std(value, default, what):
    if value is True:
        return default
    if value is not None and not (isinstance(value, np.ndarray) and value.shape[0] in (1, 3)):
        raise MXNetError(f"CreateDetAugmenter: {what} must be True, None or a numpy array of "
                         f"1 or 3 values, got {value!r}")
    return value


def CreateDetAugmenter(data_shape, resize=0, rand_crop=0, rand_pad=0, rand_gray=0,  # pylint: disable=invalid-name
                       rand_mirror=False, mean=None, std=None, brightness=0, contrast=0,
                       saturation=0, pca_noise=0, hue=0, inter_method=2, min_object_covered=0.1,
                       aspect_ratio_range=(0.75, 1.33), area_range=(0.05, 3.0),
                       min_eject_coverage=0.3, max_attempts=50, pad_val=(127, 127, 127)):
    """The standard detection augmenter list for `data_shape` (C, H, W), as MXNet's.

    Parameters
    ----------
    data_shape : tuple of int
        Shape of the output data (C, H, W).
    resize : int
        Resize the shorter edge to this first (0: no).
    rand_crop, rand_pad, rand_gray : float
        Probabilities of a random crop (CreateMultiRandCropAugmenter), a random pad
        (DetRandomPadAug with area (1, area_range[1])) and a gray image.
    rand_mirror : bool
        Mirror image and boxes with probability 0.5.
    mean, std : True, numpy.ndarray or None
        Normalize channels (True: ImageNet's values).
    brightness, contrast, saturation, hue, pca_noise : float
        Color augmentations (borrowed from mx.image).
    inter_method : int
        Interpolation for the resizes.
    min_object_covered, aspect_ratio_range, area_range, min_eject_coverage, max_attempts
        The random crop's (and the pad's) constraints, see DetRandomCropAug.
    pad_val : float or tuple
        The random pad's fill value.
    """
    auglist = []
    if resize > 0:
        auglist.append(DetBorrowAug(ResizeAug(resize, inter_method)))
    if rand_crop > 0:
        auglist.append(CreateMultiRandCropAugmenter(
            min_object_covered, aspect_ratio_range, area_range, min_eject_coverage,
            max_attempts, skip_prob=(1 - rand_crop)))
    if rand_mirror > 0:
        auglist.append(DetHorizontalFlipAug(0.5))
    if rand_pad > 0:     # as late as possible, to save computation
        pad_aug = DetRandomPadAug(aspect_ratio_range, (1.0, area_range[1]), max_attempts,
                                  pad_val)
        auglist.append(DetRandomSelectAug([pad_aug], 1 - rand_pad))
    auglist.append(DetBorrowAug(ForceResizeAug((data_shape[2], data_shape[1]), inter_method)))
    auglist.append(DetBorrowAug(CastAug()))
    if brightness or contrast or saturation:
        auglist.append(DetBorrowAug(ColorJitterAug(brightness, contrast, saturation)))
    if hue:
        auglist.append(DetBorrowAug(HueJitterAug(hue)))
    if pca_noise > 0:
        eigvec = np.array([[-0.5675, 0.7192, 0.4009], [-0.5808, -0.0045, -0.8140],
                           [-0.5836, -0.6948, 0.4203]])
        auglist.append(DetBorrowAug(LightingAug(pca_noise, np.array([55.46, 4.794, 1.148]),
                                                eigvec)))
    if rand_gray > 0:
        auglist.append(DetBorrowAug(RandomGrayAug(rand_gray)))
    mean, std = _mean_std(mean, _MEAN, 'mean'), _mean_std(std, _STD, 'std')
    if mean is not None or std is not None:
        auglist.append(DetBorrowAug(ColorNormalizeAug(mean, std)))
    return auglist



from .detiter import ImageDetIter  # noqa: E402  (MXNet's path: mx.image.detection.ImageDetIter)
