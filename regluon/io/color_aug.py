"""The colour augmentations of MXNet's C++ default augmenter (src/io/image_aug_default.cc,
`DefaultImageAugmenter::Process`, after the crop) and the random contrast/illumination of
its normalizer (src/io/iter_image_recordio_2.cc, `ParseChunk`/`ProcessImage`), in torch on
a batch of uint8 RGB images (N, C, H, W).

MXNet works on OpenCV's BGR pixels with uint8 saturation after each step; these functions
keep its order, rounding and quirks. The draws are regluon's own (numpy, from the
iterator's seed), made by `uniform`/`normal`/`orders` only, so tests can fix them.
"""
import numpy as np
import torch

# eigenvalue * eigenvector of ImageNet's RGB covariance, as image_aug_default.cc stores them
_EIGVEC = (np.array([[55.46, 4.794, 1.148]] * 3, np.float32)
           * np.array([[-0.5675, 0.7192, 0.4009], [-0.5808, -0.0045, -0.8140],
                       [-0.5836, -0.6948, 0.4203]], np.float32))
# OpenCV's HLS -> RGB: which of (p2, p1, falling, rising) each of b, g, r takes per sector
_SECTORS = torch.tensor([[1, 3, 0], [1, 0, 2], [3, 0, 1], [0, 2, 1], [0, 1, 3], [2, 1, 0]])
_F32 = np.float32


def uniform(rng, low, high, n):
    """n float32 draws from U(low, high)."""
    return torch.from_numpy(rng.uniform(low, high, n).astype(_F32))


def normal(rng, std, n):
    """n float32 draws from N(0, std)."""
    return torch.from_numpy(rng.normal(0, std, n).astype(_F32))


def orders(rng, n):
    """n random orders of (brightness, contrast, saturation): an (n, 3) int tensor."""
    return torch.from_numpy(np.stack([rng.permutation(3) for _ in range(n)]))


def _u8(x):
    """OpenCV's saturate_cast<uchar> of float32: round half to even, then clamp."""
    return torch.round(x).clamp_(0, 255)


def _gray(x):
    """The uint8 gray image MXNet takes for contrast/saturation, (N, 1, H, W) float32.
    MXNet converts its BGR pixels with CV_RGB2GRAY, so red and blue swap weights:
    OpenCV's fixed point (4899 * B + 9617 * G + 1868 * R + 2^13) >> 14."""
    x = x.to(torch.int32)
    g = (4899 * x[:, 2] + 9617 * x[:, 1] + 1868 * x[:, 0] + 8192) >> 14
    return g[:, None].to(torch.float32)


def jitter(x, rng, brightness, contrast, saturation):
    """Brightness, contrast and saturation, each alpha = 1 + U(-a, a), in a random order per
    image (MXNet draws the three alphas, then shuffles the order). x: float32 of uint8 levels."""
    n = x.shape[0]
    alphas = [(1.0 + uniform(rng, -a, a, n).double()).float().view(n, 1, 1, 1)
              for a in (brightness, contrast, saturation)]
    order = orders(rng, n)
    for step in range(3):
        for op, alpha in enumerate(alphas):
            pick = (order[:, step] == op).view(n, 1, 1, 1)
            if not pick.any():
                continue
            if op == 0:     # convertTo(res, -1, alpha_b, 0)
                y = _u8(x * alpha)
            elif op == 1:   # convertTo(res, -1, alpha_c, (1 - alpha_c) * mean(gray))
                mean = _gray(x).double().mean((1, 2, 3)).float().view(n, 1, 1, 1)
                y = _u8(x * alpha + (1 - alpha) * mean)
            else:           # addWeighted(res, alpha_s, gray, 1 - alpha_s, 0)
                y = _u8(x * alpha + _gray(x) * (1 - alpha))
            x = torch.where(pick, y, x)
    return x


def _rgb2hls(x):
    """OpenCV's 8-bit RGB -> HLS (H in [0, 180], L, S in [0, 255]) of float32 levels."""
    r, g, b = (x * _F32(1 / 255)).unbind(1)
    vmax = torch.maximum(torch.maximum(r, g), b)
    vmin = torch.minimum(torch.minimum(r, g), b)
    diff = vmax - vmin
    lum = (vmax + vmin) * 0.5
    some = diff > np.finfo(_F32).eps
    sat = torch.where(lum < 0.5, diff / (vmax + vmin), diff / (2 - vmax - vmin))
    d = 60 / diff
    hue = torch.where(vmax == r, (g - b) * d,
                      torch.where(vmax == g, (b - r) * d + 120, (r - g) * d + 240))
    hue = torch.where(hue < 0, hue + 360, hue)
    zero = torch.zeros_like(hue)
    return torch.stack([_u8(torch.where(some, hue, zero) * 0.5), _u8(lum * 255),
                        _u8(torch.where(some, sat, zero) * 255)], 1)


def _hls2rgb(x):
    """OpenCV's 8-bit HLS -> RGB of float32 levels."""
    hue = x[:, 0] * _F32(6 / 180)
    lum, sat = (x[:, 1:] * _F32(1 / 255)).unbind(1)
    p2 = torch.where(lum <= 0.5, lum * (1 + sat), lum + sat - lum * sat)
    p1 = 2 * lum - p2
    hue = torch.where(hue >= 6, hue - 6, hue)     # H <= 180 here, so one turn at most
    sector = hue.floor()
    frac = hue - sector
    tab = torch.stack([p2, p1, p1 + (p2 - p1) * (1 - frac), p1 + (p2 - p1) * frac])
    pick = _SECTORS[sector.long()].movedim(-1, 0)             # (3: b, g, r, N, H, W)
    b, g, r = tab.gather(0, pick)
    rgb = torch.stack([r, g, b], 1)
    return _u8(torch.where((sat == 0)[:, None], lum[:, None].expand_as(rgb), rgb) * 255)


def hls_shift(x, rng, random_h, random_s, random_l):
    """Adds int offsets to H, L, S (clamped to 180, 255, 255; no hue wrap), each
    trunc(r * 2a - a) with r = (u1 + 4 u2) / 5, MXNet's near-Gaussian draw."""
    n = x.shape[0]
    shift = {}
    for name, a in (('h', random_h), ('s', random_s), ('l', random_l)):   # MXNet's draw order
        r = (uniform(rng, 0, 1, n) + 4 * uniform(rng, 0, 1, n)) / 5
        shift[name] = torch.trunc(r * a * 2 - a)
    hls = _rgb2hls(x)
    top = torch.tensor([180.0, 255.0, 255.0]).view(1, 3, 1, 1)
    hls = torch.minimum(hls + torch.stack([shift['h'], shift['l'], shift['s']], 1).view(n, 3, 1, 1), top).clamp_(min=0)
    return _hls2rgb(hls)


def pca_noise(x, rng, std):
    """AlexNet's PCA lighting noise: alpha ~ N(0, std) (r, g, b), per channel offset
    eigvec @ alpha, each pixel trunc(v + offset) clamped to [0, 255]."""
    n = x.shape[0]
    alpha = torch.stack([normal(rng, std, n) for _ in range(3)], 1)    # (n, 3)
    e = torch.from_numpy(_EIGVEC)
    # C++: e[c][0] * a_r + e[c][1] * a_g + e[c][2] * a_b, in float, left to right
    offset = e[:, 0] * alpha[:, :1] + e[:, 1] * alpha[:, 1:2] + e[:, 2] * alpha[:, 2:]
    return torch.trunc(x + offset.view(n, 3, 1, 1)).clamp_(0, 255)


def augment(x, rng, brightness=0, contrast=0, saturation=0, random_h=0, random_s=0,
            random_l=0, pca_std=0):
    """MXNet's colour steps in its order on uint8 RGB (N, 3, H, W): jitter, HLS, PCA.
    Returns float32 holding uint8 levels."""
    assert x.shape[1] == 3, 'the colour steps take RGB images'
    x = x.to(torch.float32)
    if brightness > 0 or contrast > 0 or saturation > 0:
        x = jitter(x, rng, brightness, contrast, saturation)
    if random_h != 0 or random_s != 0 or random_l != 0:
        x = hls_shift(x, rng, random_h, random_s, random_l)
    if pca_std > 0:
        x = pca_noise(x, rng, pca_std)
    return x


def normalize(x, rng, mean, std, scale, max_contrast=0, max_illumination=0):
    """(x - mean) * (c / std) + i / std with, per image and u ~ U(0, 1) each,
    c = (1 + u * 2 max_contrast - max_contrast) * scale and
    i = (u * 2 max_illumination - max_illumination) * scale, as MXNet's ProcessImage.
    mean: float32 numpy (C, 1, 1) or a mean image (C, H, W); std: float32 numpy (C,)."""
    n = x.shape[0]
    c = (uniform(rng, 0, 1, n) * max_contrast * 2 - max_contrast + 1) * _F32(scale)
    i = (uniform(rng, 0, 1, n) * max_illumination * 2 - max_illumination) * _F32(scale)
    std = torch.from_numpy(std).view(1, -1, 1, 1)
    mult, bias = c.view(n, 1, 1, 1) / std, i.view(n, 1, 1, 1) / std
    return (x - torch.from_numpy(mean)) * mult + bias
