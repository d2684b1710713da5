"""The affine warp of MXNet's C++ default augmenter (src/io/image_aug_default.cc at 1.9.1,
DefaultImageAugmenter::Process lines 281-333): shear, rotation, scale and aspect ratio in one
2x3 matrix, applied as OpenCV's cv::warpAffine does it.

The matrix is built in float32 in MXNet's order of operations. The warp repeats OpenCV's
fixed-point arithmetic (imgwarp.cpp: the inverse map sampled at 1/32 pixel, 15-bit integer
interpolation weights, a constant border of `fill_value`) with torch integer tensors, so
the uint8 results are OpenCV's. The draws are regluon's own (numpy), made by `draw`."""
import math
from functools import lru_cache

import numpy as np
import torch

from ..base import MXNetError

F32 = np.float32
# ImageRecordIter argument -> the value that leaves the warp off
OFF = {'max_rotate_angle': 0, 'max_shear_ratio': 0.0, 'rotate': -1, 'rotate_list': None,
       'max_random_scale': 1.0, 'min_random_scale': 1.0, 'max_img_size': 1e10,
       'min_img_size': 0.0}


class Params:
    """The warp's arguments, as MXNet's DefaultImageAugmentParam holds them."""

    def __init__(self, kwargs, ratio, random_resized_crop, inter_method, fill_value):
        get = lambda k: kwargs.get(k, OFF[k])  # noqa: E731
        self.max_angle, self.rotate = int(get('max_rotate_angle')), int(get('rotate'))
        self.shear = F32(get('max_shear_ratio'))
        self.scale = (F32(get('min_random_scale')), F32(get('max_random_scale')))
        self.img_size = (F32(get('min_img_size')), F32(get('max_img_size')))
        self.ratio = (F32(ratio[0]), F32(ratio[1]))
        lst = get('rotate_list')
        # MXNet parses the string with atoi between commas
        self.rotate_list = [] if lst in (None, '') else [int(float(v)) for v in
                                                         str(lst).strip('[]()').split(',')]
        self.rrc, self.interp, self.fill = random_resized_crop, inter_method, fill_value
        self.on = (self.max_angle > 0 or self.shear > 0 or self.rotate > 0
                   or bool(self.rotate_list) or self.scale != (1, 1)
                   or (not self.rrc and self.ratio != (1, 1))
                   or self.img_size != (F32(0), F32(1e10)))
        if self.on and inter_method not in (1, 2, 3, 4, 9, 10):
            raise MXNetError(f"ImageRecordIter: invalid inter_method {inter_method} for the "
                             "affine warp (rotate, shear, scale, aspect ratio): valid value "
                             "1, 2, 3, 4, 9, 10")


def draw(rng, p):
    """One example's draws in MXNet's order: (u_shear, angle, u_scale, u_ratio, pick);
    angle is the integer rotation after `rotate` / `rotate_list`; the u are U(0, 1), None
    where random_resized_crop leaves scale and ratio at 1; pick is inter_method 10's
    random interpolation (0..4), else None."""
    u_shear = rng.uniform()
    angle = rng.randint(-p.max_angle, p.max_angle + 1)
    if p.rotate > 0:
        angle = p.rotate
    if p.rotate_list:
        angle = p.rotate_list[rng.randint(0, len(p.rotate_list))]
    u_scale, u_ratio = (None, None) if p.rrc else (rng.uniform(), rng.uniform())
    return u_shear, angle, u_scale, u_ratio, rng.randint(0, 5) if p.interp == 10 else None


def matrix(p, draws, rows, cols):
    """MXNet's float32 2x3 matrix and the output size (width, height) for an image of
    rows x cols."""
    u_shear, angle, u_scale, u_ratio = draws[:4]
    s = F32(u_shear) * p.shear * F32(2) - p.shear
    a, b = F32(math.cos(angle / 180.0 * math.pi)), F32(math.sin(angle / 180.0 * math.pi))
    scale = F32(1) if u_scale is None else \
        F32(u_scale) * (p.scale[1] - p.scale[0]) + p.scale[0]
    ratio = F32(1) if u_ratio is None else \
        F32(u_ratio) * (p.ratio[1] - p.ratio[0]) + p.ratio[0]
    hs = F32(2) * scale / (F32(1) + ratio)
    ws = ratio * hs
    new_w = max(p.img_size[0], min(p.img_size[1], scale * F32(cols)))
    new_h = max(p.img_size[0], min(p.img_size[1], scale * F32(rows)))
    m = np.zeros((2, 3), F32)
    m[0, 0], m[1, 0] = hs * a - s * b * ws, -b * ws
    m[0, 1], m[1, 1] = hs * b + s * a * ws, a * ws
    m[0, 2] = (new_w - (m[0, 0] * F32(cols) + m[0, 1] * F32(rows))) / F32(2)
    m[1, 2] = (new_h - (m[1, 0] * F32(cols) + m[1, 1] * F32(rows))) / F32(2)
    return m, (int(new_w), int(new_h))


def interp_code(p, pick, cols, rows, new_w, new_h):
    """MXNet's GetInterMethod (`pick`: the draw of 10), then OpenCV's warpAffine takes
    INTER_AREA as bilinear."""
    code = p.interp
    if code == 9:
        code = 2 if new_w > cols and new_h > rows else 3 if new_w < cols and new_h < rows else 1
    elif code == 10:
        code = pick
    return 1 if code == 3 else code      # 0 (nearest) only as a draw of 10


def _cubic(x):
    a = F32(-0.75)
    x = F32(x)
    c0 = ((a * (x + 1) - 5 * a) * (x + 1) + 8 * a) * (x + 1) - 4 * a
    c1 = ((a + 2) * x - (a + 3)) * x * x + 1
    c2 = ((a + 2) * (1 - x) - (a + 3)) * (1 - x) * (1 - x) + 1
    return [c0, c1, c2, F32(1) - c0 - c1 - c2]


def _lanczos4(x):
    if x < np.finfo(np.float32).eps:
        return [F32(0)] * 3 + [F32(1)] + [F32(0)] * 4
    s45 = 0.70710678118654752440084436210485
    cs = [(1, 0), (-s45, -s45), (0, 1), (s45, -s45), (-1, 0), (s45, s45), (0, -1), (-s45, s45)]
    x3 = F32(F32(x) + F32(3))           # float32 x + 3, as OpenCV (image/resize.py's
    y0 = -float(x3) * math.pi * 0.25     # fractions need it; warp's 1/32 steps are exact)
    s0, c0 = math.sin(y0), math.cos(y0)
    coeffs, total = [], F32(0)
    for i in range(8):
        y = -float(F32(x3 - F32(i))) * math.pi * 0.25
        coeffs.append(F32((cs[i][0] * s0 + cs[i][1] * c0) / (y * y)))
        total = F32(total + coeffs[-1])
    total = F32(1) / total
    return [F32(c * total) for c in coeffs]


def _adjust(it, diff):
    """initInterTab2D's fix of a k x k weight table `it` that sums to 2^15 + diff: the
    largest (diff < 0) or smallest of the 2 x 2 weights from (k/2, k/2) loses diff. For
    k = 2 OpenCV reads past the table there (zeros: the next tables are not written yet);
    only the integer-position table of bilinear (32767 after saturation) gets here, and
    its weight at (1, 1) becomes 1."""
    k, c = it.shape[0], it.shape[0] // 2
    get = lambda q: it[q] if max(q) < k else 0  # noqa: E731
    lo = hi = (c, c)
    for k1 in (c, c + 1):
        for k2 in (c, c + 1):
            if get((k1, k2)) < get(lo):
                lo = (k1, k2)
            elif get((k1, k2)) > get(hi):
                hi = (k1, k2)
    q = hi if diff < 0 else lo
    if max(q) < k:
        it[q] -= diff
    return it


@lru_cache(maxsize=None)
def _table(code):
    """OpenCV's fixed-point weights (initInterTab2D): int32 (32, 32, k, k) indexed by the
    y and x fractions (1/32 pixel), each summing to 2^15."""
    if code == 0:
        return torch.full((32, 32, 1, 1), 32768, dtype=torch.int32)
    one_d = {1: lambda x: [F32(1) - x, x], 2: _cubic, 4: _lanczos4}[code]
    tab1 = [one_d(F32(i) * F32(1 / 32)) for i in range(32)]
    k = len(tab1[0])
    out = np.zeros((32, 32, k, k), np.int32)
    for i in range(32):
        for j in range(32):
            t = np.array([[F32(tab1[i][k1] * tab1[j][k2]) for k2 in range(k)]
                          for k1 in range(k)], F32)
            it = np.clip(np.rint(t * F32(32768)), -32768, 32767).astype(np.int32)
            diff = int(it.sum()) - 32768
            if diff:      # OpenCV moves the rounding error onto one of the central weights
                out[i, j] = _adjust(it, diff)
                continue
            out[i, j] = it
    return torch.from_numpy(out)


def warp(img, m, size, code, fill):
    """cv::warpAffine(img, m, size, code, BORDER_CONSTANT, fill) of a uint8 (H, W, C)
    tensor."""
    d = m.astype(np.float64)            # OpenCV inverts the map in double
    det = d[0, 0] * d[1, 1] - d[0, 1] * d[1, 0]
    det = 1.0 / det if det != 0 else 0.0
    a11, a22 = d[1, 1] * det, d[0, 0] * det
    a12, a21 = -d[0, 1] * det, -d[1, 0] * det
    b1 = -a11 * d[0, 2] - a12 * d[1, 2]
    b2 = -a21 * d[0, 2] - a22 * d[1, 2]
    w2, h2 = size
    xs, ys = torch.arange(w2, dtype=torch.float64), torch.arange(h2, dtype=torch.float64)
    # 10 fractional bits (cvRound: half to even, as torch.round), rounded to 1/32 pixel;
    # nearest rounds to whole pixels (x, y keep 5 zero fraction bits then)
    half, shift, back = (512, 10, 5) if code == 0 else (16, 5, 0)
    x = (torch.round((a12 * ys + b1) * 1024).long()[:, None] + half
         + torch.round(a11 * xs * 1024).long()[None, :]) >> shift << back
    y = (torch.round((a22 * ys + b2) * 1024).long()[:, None] + half
         + torch.round(a21 * xs * 1024).long()[None, :]) >> shift << back
    tab = _table(code).reshape(1024, -1)
    k = int(round(tab.shape[1] ** 0.5))
    frac = ((y & 31) * 32 + (x & 31)).reshape(-1)
    h, w, c = img.shape
    # taps (top + i, left + j) into the image padded by k pixels of the border value; a
    # corner clamped to [-k, h] x [-k, w] keeps taps that are all outside in the border
    top = ((y >> 5) - (k - 1) // 2).clamp(-k, h).reshape(-1) + k
    left = ((x >> 5) - (k - 1) // 2).clamp(-k, w).reshape(-1) + k
    wp = w + 2 * k
    padded = torch.nn.functional.pad(img.permute(2, 0, 1).int(), (k, k, k, k),
                                     value=min(max(int(fill), 0), 255)).reshape(c, -1)
    offsets = (torch.arange(k)[:, None] * wp + torch.arange(k)[None, :]).reshape(-1)
    base = top * wp + left
    out = torch.empty((c, base.numel()), dtype=torch.int32)
    step = max(1, (1 << 20) // (k * k))       # pixels per chunk: bounded memory
    for lo in range(0, base.numel(), step):
        at = base[lo:lo + step, None] + offsets                      # (n, k * k)
        vals = padded[:, at]                                       # (c, n, k * k)
        out[:, lo:lo + step] = (vals * tab[frac[lo:lo + step]]).sum(-1, dtype=torch.int32)
    out = (out + (1 << 14)) >> 15
    return out.clamp(0, 255).to(torch.uint8).reshape(c, h2, w2).permute(1, 2, 0).contiguous()


def apply(arr, p, rng):
    """The warped uint8 (H, W, C) numpy image `arr`, with the example's draws from `rng`."""
    rows, cols = arr.shape[:2]
    draws = draw(rng, p)
    m, size = matrix(p, draws, rows, cols)
    if size[0] <= 0 or size[1] <= 0:
        raise MXNetError(f"ImageRecordIter: the affine warp makes the {rows}x{cols} image "
                         f"{size[1]}x{size[0]}; raise min_img_size or min_random_scale")
    code = interp_code(p, draws[4], cols, rows, size[0], size[1])   # MXNet passes ints
    return warp(torch.from_numpy(np.ascontiguousarray(arr)), m, size, code, p.fill).numpy()
