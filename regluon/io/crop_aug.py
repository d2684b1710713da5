"""The crops of MXNet's C++ default augmenter that resize to data_shape
(src/io/image_aug_default.cc, DefaultImageAugmenter::Process, lines 346-418):
`random_resized_crop` and the square crops of `min_crop_size`..`max_crop_size`.
Boxes are (y, x, height, width); the draws are regluon's own (numpy)."""
import math

from ..base import MXNetError


def check(name, random_resized_crop, crop_size, rand_crop, area, ratio, scale=(1, 1)):
    """MXNet's checks of these arguments, as MXNetError up front."""
    if random_resized_crop:
        if crop_size != (-1, -1) or rand_crop or tuple(scale) != (1, 1):
            raise MXNetError(f"{name}: Setting random_resized_crop to true conflicts with "
                             "min_random_scale, max_random_scale, min_crop_size, "
                             "max_crop_size, and rand_crop.")
        if not (ratio[0] > 0 and area[0] <= area[1] and ratio[0] <= ratio[1]):
            raise MXNetError(f"{name}: random_resized_crop needs 0 < min_aspect_ratio <= "
                             f"max_aspect_ratio and min_random_area <= max_random_area; got "
                             f"aspect ratios {ratio}, areas {area}")
    elif crop_size != (-1, -1) and not 0 < crop_size[0] <= crop_size[1]:
        raise MXNetError(f"{name}: min_crop_size and max_crop_size should be given together "
                         f"with 0 < min_crop_size <= max_crop_size; got {crop_size}")


def resized_box(rng, ih, iw, area, ratio):
    """random_resized_crop: up to 10 tries of an area fraction U(area), an aspect ratio
    U(ratio) (width / height, height and width swapped half the time) at a random place;
    None when nothing is to be done or nothing fitted (MXNet then crops the center)."""
    if tuple(area) == (1, 1) and tuple(ratio) == (1, 1):
        return None
    for _ in range(10):
        target = ih * iw * rng.uniform(*area)
        r = rng.uniform(*ratio)
        bh, bw = math.floor(math.sqrt(target / r) + 0.5), math.floor(math.sqrt(target * r) + 0.5)
        if rng.uniform() > 0.5:
            bh, bw = bw, bh
        if bh <= ih and bw <= iw:
            return rng.randint(0, ih - bh + 1), rng.randint(0, iw - bw + 1), bh, bw
    return None


def square_box(rng, ih, iw, crop_size, rand_crop, what):
    """A square of a side in crop_size (lo, hi), at a random place with rand_crop, else
    at the center."""
    lo, hi = crop_size
    if ih < hi or iw < hi:
        raise MXNetError(f"{what} is {ih}x{iw}, smaller than max_crop_size {hi}")
    side = rng.randint(lo, hi + 1)
    y, x = ih - side, iw - side
    if rand_crop:
        return rng.randint(0, y + 1), rng.randint(0, x + 1), side, side
    return y // 2, x // 2, side, side
