"""Image operators, `nd.image.*` (MXNet's `_image_*`): images are HWC, batches NHWC.

Integer outputs are saturated and truncated toward zero, as MXNet's `saturate_cast` does
(so brightness 1.3 on 172 gives 223). Random operators draw from torch's generator
(`mx.random.seed`), one draw per call, also for a batch (as MXNet).
"""
import functools
import math

import torch
import torch.nn.functional as F

from ...base import MXNetError
from ..register import op

_GRAY = (0.299, 0.587, 0.114)
# interp codes as OpenCV's: 0 nearest, 1 bilinear, 2 bicubic, 3 area, 4 lanczos
_MODES = {0: 'nearest', 1: 'bilinear', 2: 'bicubic', 3: 'area', 4: 'bicubic'}


def _check_image(name, data, channels=None, batch=True):
    """MXNet's shape checks: (H, W, C), or also (N, H, W, C) where the op takes batches."""
    if data.dim() != 3 and not (batch and data.dim() == 4):
        want = "an image (H, W, C)" + (" or a batch (N, H, W, C)" if batch else "")
        raise MXNetError(f"image.{name}: expected {want}, got shape {tuple(data.shape)}")
    if channels and data.shape[-1] not in channels:
        raise MXNetError(f"image.{name}: expected {' or '.join(map(str, channels))} channels "
                         f"in the last axis, got shape {tuple(data.shape)}")


def _saturate(x, dtype):
    """Float result -> `dtype` as MXNet's saturate_cast (clip, then truncate)."""
    if dtype.is_floating_point:
        return x.to(dtype)
    info = torch.iinfo(dtype)
    return x.clamp(info.min, info.max).to(dtype)


@op(name='_image_to_tensor')
def to_tensor(data):
    """HWC (or NHWC) image in [0, 255] -> CHW (NCHW) float32 in [0, 1]."""
    _check_image('to_tensor', data)
    return (data.to(torch.float32) / 255.0).movedim(-1, -3).contiguous()


@functools.lru_cache(maxsize=64)
def _per_channel(v, c, dtype):
    """A (C or 1, 1, 1) tensor of per-channel values (cached: transforms reuse them)."""
    if len(v) not in (1, c):
        raise MXNetError(f"image.normalize: mean and std need 1 or {c} values (one per "
                         f"channel), got {len(v)}")
    return torch.tensor(v, dtype=dtype).reshape(-1, 1, 1)


@op(name='_image_normalize')
def normalize(data, mean=0.0, std=1.0):
    """(x - mean) / std per channel of a CHW tensor or NCHW batch."""
    if data.dim() not in (3, 4) or data.shape[-3] not in (1, 3):
        raise MXNetError(f"image.normalize: expected a (C, H, W) or (N, C, H, W) tensor with "
                         f"C 1 or 3, got shape {tuple(data.shape)}; apply ToTensor first")
    c = data.shape[-3]
    m = tuple(map(float, mean)) if isinstance(mean, (tuple, list)) else (float(mean),)
    s = tuple(map(float, std)) if isinstance(std, (tuple, list)) else (float(std),)
    return (data - _per_channel(m, c, data.dtype)) / _per_channel(s, c, data.dtype)


def resize_shape(h, w, size, keep_ratio):
    """(new_h, new_w) for MXNet's image.resize `size` (int or (w, h)) and `keep_ratio`."""
    if isinstance(size, (tuple, list)):
        if len(size) == 1:
            size = int(size[0])
        else:
            return int(size[1]), int(size[0])
    size = int(size)
    if not keep_ratio:
        return size, size
    if h <= w:          # the short edge becomes `size`, the long one keeps the ratio
        return size, int(size * w / h)
    return int(size * h / w), size


def resize_hw(x, nh, nw, interp=1):
    """Resize NHWC/HWC `x` to (nh, nw) like OpenCV's cv::resize; keeps the dtype.

    uint8 and float32 are OpenCV's arithmetic exactly (regluon/image/resize.py, the one
    implementation every caller reaches). Other dtypes: bilinear, nearest and bicubic use
    OpenCV's pixel-centre convention; area is exact for integer downscaling; lanczos (4)
    is done as bicubic.
    """
    if interp not in _MODES:
        raise MXNetError(f"image.resize: interp must be 0..4 (nearest, bilinear, bicubic, "
                         f"area, lanczos), got {interp}")
    if x.dtype in (torch.uint8, torch.float32):
        from ...image.resize import resize as cv_resize    # regluon.image imports nd
        return cv_resize(x, nw, nh, interp)
    batch = x.dim() == 4
    t = (x if batch else x.unsqueeze(0)).permute(0, 3, 1, 2).to(torch.float32)
    mode = _MODES[interp]
    if mode == 'area':
        # OpenCV averages each output pixel's source area with fractional edge weights
        # (torch's 'area' is an adaptive pool over whole pixels: the same only for integer
        # factors); when either axis grows it switches to two-tap "area" coefficients.
        weights = _area_weights if nh <= t.shape[2] and nw <= t.shape[3] else _area_up_weights
        y = torch.einsum('oh,nchw,pw->ncop', weights(t.shape[2], nh), t,
                         weights(t.shape[3], nw))
    else:
        kw = {} if mode == 'nearest' else {'align_corners': False}
        y = F.interpolate(t, size=(nh, nw), mode=mode, **kw)
    if not x.dtype.is_floating_point:
        y = y.round()
    y = _saturate(y, x.dtype).permute(0, 2, 3, 1)
    return (y if batch else y[0]).contiguous()


def _area_weights(n_in, n_out):
    """(n_out, n_in) matrix: the share of each source pixel in each output pixel's area."""
    scale = n_in / n_out
    start = torch.arange(n_out, dtype=torch.float64).unsqueeze(1) * scale
    j = torch.arange(n_in, dtype=torch.float64).unsqueeze(0)
    overlap = (torch.minimum(start + scale, j + 1) - torch.maximum(start, j)).clamp_min(0)
    return (overlap / scale).to(torch.float32)


def _area_up_weights(n_in, n_out):
    """(n_out, n_in) two-tap weights of OpenCV's INTER_AREA when the image grows."""
    scale = n_in / n_out
    d = torch.arange(n_out, dtype=torch.float64)
    sx = torch.floor(d * scale)
    fx = (d + 1) - (sx + 1) / scale
    fx = torch.where(fx <= 0, torch.zeros_like(fx), fx - torch.floor(fx))
    last = sx >= n_in - 1
    fx = torch.where(last, torch.zeros_like(fx), fx)
    sx = sx.clamp(0, n_in - 1).long()
    w = torch.zeros(n_out, n_in, dtype=torch.float64)
    rows = torch.arange(n_out)
    w[rows, sx] += 1 - fx
    w[rows, (sx + 1).clamp(max=n_in - 1)] += fx
    return w.to(torch.float32)


@op(name='_image_resize')
def resize(data, size=(), keep_ratio=False, interp=1):
    """Resize an HWC image or NHWC batch to `size` ((w, h), or an int; see keep_ratio)."""
    _check_image('resize', data)
    if isinstance(size, (tuple, list)) and len(size) not in (1, 2):
        raise MXNetError(f"image.resize: size must have 1 or 2 entries, got {len(size)} "
                         f"({tuple(size)})")
    h, w = data.shape[-3], data.shape[-2]
    nh, nw = resize_shape(h, w, size, keep_ratio)
    if nh <= 0 or nw <= 0:
        raise MXNetError(f"image.resize: size must be positive, got {size!r}")
    return resize_hw(data, nh, nw, interp)


@op(name='_image_crop')
def crop(data, x, y, width, height):
    """Crop the region with top-left corner (x, y) and size (width, height)."""
    _check_image('crop', data, (1, 3))
    h, w = data.shape[-3], data.shape[-2]
    if x < 0 or y < 0 or width <= 0 or height <= 0 or x + width > w or y + height > h:
        raise MXNetError(f"image.crop: region x={x}, y={y}, width={width}, height={height} "
                         f"is not inside the {w}x{h} (width x height) image")
    return data[..., y:y + height, x:x + width, :].contiguous()


@op(name='_image_flip_left_right')
def flip_left_right(data):
    """Mirror the image(s) horizontally."""
    _check_image('flip_left_right', data, (1, 3), batch=False)
    return data.flip(-2)


@op(name='_image_flip_top_bottom')
def flip_top_bottom(data):
    """Mirror the image(s) vertically."""
    _check_image('flip_top_bottom', data, (1, 3), batch=False)
    return data.flip(-3)


def _coin():
    return bool(torch.rand(()) < 0.5)


@op(name='_image_random_flip_left_right')
def random_flip_left_right(data):
    """Flip left-right with probability 0.5 (one draw for a whole batch, as MXNet)."""
    _check_image('random_flip_left_right', data, (1, 3), batch=False)
    return data.flip(-2) if _coin() else data.clone()


@op(name='_image_random_flip_top_bottom')
def random_flip_top_bottom(data):
    """Flip top-bottom with probability 0.5 (one draw for a whole batch, as MXNet)."""
    _check_image('random_flip_top_bottom', data, (1, 3), batch=False)
    return data.flip(-3) if _coin() else data.clone()


def _uniform(lo, hi):
    return float(torch.empty(()).uniform_(float(lo), float(hi)))


def adjust_brightness(x, alpha):
    return _saturate(x.to(torch.float32) * alpha, x.dtype)


def adjust_contrast(x, alpha):
    """x * alpha + (1 - alpha) * mean gray level of each image."""
    f = x.to(torch.float32)
    if x.shape[-1] > 1:
        gray = (f[..., :3] * f.new_tensor(_GRAY)).sum(-1)
    else:
        gray = f[..., 0]
    mean = gray.mean(dim=(-2, -1), keepdim=True).unsqueeze(-1)
    return _saturate(f * alpha + (1 - alpha) * mean, x.dtype)


def adjust_saturation(x, alpha):
    """Blend each pixel with its "gray" level.

    MXNet quirk, kept on purpose: its loop overwrites instead of summing, so the gray level
    is 0.114 * blue alone, not the luma.
    """
    if x.shape[-1] == 1:
        return x.clone()
    f = x.to(torch.float32)
    gray = f[..., 2:3] * _GRAY[2]
    return _saturate(gray * (1 - alpha) + f * alpha, x.dtype)


def adjust_hue(x, alpha):
    """Rotate the hue by alpha * 360 degrees in HLS space (MXNet's float formulas)."""
    if x.shape[-1] == 1:
        return x.clone()
    f = x.to(torch.float32) / 255.0
    r, g, b = f[..., 0], f[..., 1], f[..., 2]
    vmax, vmin = f[..., :3].amax(-1), f[..., :3].amin(-1)
    diff = vmax - vmin
    light = (vmax + vmin) * 0.5
    chroma = diff > torch.finfo(torch.float32).eps
    safe = torch.where(chroma, diff, torch.ones_like(diff))
    sat = torch.where(light < 0.5, diff / (vmax + vmin).clamp_min(1e-30),
                      diff / (2.0 - vmax - vmin).clamp_min(1e-30))
    sat = torch.where(chroma, sat, torch.zeros_like(sat))
    k = 60.0 / safe
    hue = torch.where(vmax == r, (g - b) * k,
                      torch.where(vmax == g, (b - r) * k + 120.0, (r - g) * k + 240.0))
    hue = torch.where(hue < 0, hue + 360.0, hue)
    hue = torch.where(chroma, hue, torch.zeros_like(hue)) + alpha * 360.0
    # HLS -> RGB
    p2 = torch.where(light <= 0.5, light * (1 + sat), light + sat - light * sat)
    p1 = 2 * light - p2
    h6 = torch.remainder(hue / 60.0, 6.0)
    sector = h6.floor().clamp(0, 5).long()
    frac = h6 - sector
    tab = torch.stack([p2, p1, p1 + (p2 - p1) * (1 - frac), p1 + (p2 - p1) * frac], -1)
    sectors = torch.tensor([[1, 3, 0], [1, 0, 2], [3, 0, 1], [0, 2, 1], [0, 1, 3], [2, 1, 0]])
    pick = sectors[sector]                              # (..., 3): b, g, r table slots
    bgr = torch.gather(tab, -1, pick)
    rgb = torch.where((sat != 0).unsqueeze(-1), bgr.flip(-1), light.unsqueeze(-1).expand_as(bgr))
    out = torch.cat([rgb * 255.0, x[..., 3:].to(torch.float32)], -1)
    return _saturate(out, x.dtype)


@op(name='_image_random_brightness')
def random_brightness(data, min_factor, max_factor):
    """Multiply by a factor drawn from [min_factor, max_factor]."""
    _check_image('random_brightness', data, (1, 3), batch=False)
    return adjust_brightness(data, _uniform(min_factor, max_factor))


@op(name='_image_random_contrast')
def random_contrast(data, min_factor, max_factor):
    """Blend with the mean gray level by a factor drawn from [min_factor, max_factor]."""
    _check_image('random_contrast', data, (1, 3), batch=False)
    return adjust_contrast(data, _uniform(min_factor, max_factor))


@op(name='_image_random_saturation')
def random_saturation(data, min_factor, max_factor):
    """Blend with the gray level by a factor drawn from [min_factor, max_factor]."""
    _check_image('random_saturation', data, (1, 3), batch=False)
    return adjust_saturation(data, _uniform(min_factor, max_factor))


@op(name='_image_random_hue')
def random_hue(data, min_factor, max_factor):
    """Shift the hue by factor * 360 degrees, factor drawn from [min_factor, max_factor]."""
    _check_image('random_hue', data, (1, 3), batch=False)
    return adjust_hue(data, _uniform(min_factor, max_factor))


@op(name='_image_random_color_jitter')
def random_color_jitter(data, brightness, contrast, saturation, hue):
    """Brightness, contrast, saturation and hue jitter, in a random order."""
    _check_image('random_color_jitter', data, (1, 3), batch=False)
    steps = [(brightness, lambda x, j: adjust_brightness(x, 1 + j)),
             (contrast, lambda x, j: adjust_contrast(x, 1 + j)),
             (saturation, lambda x, j: adjust_saturation(x, 1 + j)),
             (hue, adjust_hue)]
    out = data
    for i in torch.randperm(4).tolist():
        amount, fn = steps[i]
        if amount > 0:
            out = fn(out, _uniform(-amount, amount))
    return out.clone() if out is data else out


# AlexNet's PCA of ImageNet RGB: eigenvalues times eigenvectors, as MXNet's table
_EIG = ((55.46 * -0.5675, 4.794 * 0.7192, 1.148 * 0.4009),
        (55.46 * -0.5808, 4.794 * -0.0045, 1.148 * -0.8140),
        (55.46 * -0.5836, 4.794 * -0.6948, 1.148 * 0.4203))


def _lighting(name, data, alpha):
    _check_image(name, data, (1, 3), batch=False)
    if data.shape[-1] == 1:
        return data.clone()
    if len(alpha) != 3:
        raise MXNetError(f"image.{name}: alpha needs 3 values, got {len(alpha)}")
    pca = torch.tensor(_EIG, dtype=torch.float32) @ torch.tensor(alpha, dtype=torch.float32)
    return _saturate(data.to(torch.float32) + pca, data.dtype)


@op(name='_image_adjust_lighting')
def adjust_lighting(data, alpha):
    """Add the AlexNet PCA lighting noise for the given per-channel alphas."""
    return _lighting('adjust_lighting', data, tuple(alpha))


@op(name='_image_random_lighting')
def random_lighting(data, alpha_std=0.05):
    """Add AlexNet PCA lighting noise with alphas drawn from N(0, alpha_std)."""
    return _lighting('random_lighting', data, (torch.randn(3) * alpha_std).tolist())


# ---- helpers of mx.image and the batched transforms (not in nd.image) ---------------
@op(name='_random_flip_each')
def random_flip_each(data, axis=-2):
    """Flip each sample of a batch along `axis` with its own probability-0.5 coin."""
    coins = torch.rand(data.shape[0]) < 0.5
    mask = coins.reshape((-1,) + (1,) * (data.dim() - 1))
    return torch.where(mask, data.flip(axis), data)


@op(name='_cvimresize')
def cvimresize(src, w, h, interp=1):
    """Resize an HWC image to width w and height h (mx.image.imresize)."""
    if src.dim() != 3:
        raise MXNetError(f"imresize: expected an (H, W, C) image, got shape {tuple(src.shape)}")
    if w <= 0 or h <= 0:
        raise MXNetError(f"imresize: w and h must be positive, got w={w}, h={h}")
    return resize_hw(src, int(h), int(w), interp)


_BORDER = {0: 'constant', 1: 'replicate', 2: 'reflect', 4: 'reflect'}


@op(name='_cvcopyMakeBorder')
def cvcopy_make_border(src, top, bot, left, right, type=0, value=0.0, values=()):  # pylint: disable=redefined-builtin
    """Pad an HWC image (OpenCV border types 0 constant, 1 replicate, 2/4 reflect)."""
    if type not in _BORDER:
        raise MXNetError(f"copyMakeBorder: border type must be one of {sorted(_BORDER)}, "
                         f"got {type}")
    t = src.permute(2, 0, 1).unsqueeze(0)
    mode = _BORDER[type]
    if mode == 'constant':
        pads = []
        fill = values if values else [value] * src.shape[2]
        for c in range(src.shape[2]):
            pads.append(F.pad(t[:, c:c + 1], (left, right, top, bot), value=float(fill[c])))
        out = torch.cat(pads, 1)
    else:
        # OpenCV's BORDER_REFLECT repeats the edge pixel; BORDER_REFLECT_101 (4) does not
        out = F.pad(t.to(torch.float32), (left, right, top, bot), mode=mode).to(src.dtype)
    return out[0].permute(1, 2, 0).contiguous()


@op(name='_imrotate')
def imrotate_kernel(src, radians, zoom_in=False, zoom_out=False):
    """Rotate NCHW float32 images by per-image angles (radians) about their centres.

    As MXNet's imrotate: BilinearSampler on a grid in [-1, 1] (corner pixels at -1 and 1),
    zeros outside; zoom_in/zoom_out scale so no padding shows / the whole image stays.
    """
    n, _, h, w = src.shape
    ys = torch.arange(h, dtype=torch.float32) - (h - 1) / 2
    xs = torch.arange(w, dtype=torch.float32) - (w - 1) / 2
    hm, wm = torch.meshgrid(ys, xs, indexing='ij')
    a = radians.to(torch.float32).reshape(n, 1, 1)
    c, s = torch.cos(a), torch.sin(a)
    gx = (wm * c - hm * s) / ((w - 1) / 2)
    gy = (wm * s + hm * c) / ((h - 1) / 2)
    scale = torch.ones(n, 1, 1)
    if zoom_in or zoom_out:
        rho = math.hypot(h, w)
        ang = math.atan(h / w)
        aa = a.abs()
        mx = torch.maximum((rho * torch.cos(ang + aa)).abs(), (rho * torch.cos(ang - aa)).abs())
        my = torch.maximum((rho * torch.sin(ang + aa)).abs(), (rho * torch.sin(ang - aa)).abs())
        scale = torch.maximum(mx / w, my / h) if zoom_out else torch.minimum(w / mx, h / my)
    grid = torch.stack([gx * scale, gy * scale], -1)
    return F.grid_sample(src, grid, mode='bilinear', padding_mode='zeros', align_corners=True)
