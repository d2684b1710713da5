"""Image resizing as MXNet 1.9.1 computes it: OpenCV 3.4.2's cv::resize, for uint8 and
float32 (mx.image.imresize, nd.image.resize, the gluon transforms and the record
iterators' augmenters all reach `resize` through nd.image's resize_hw).

For uint8 OpenCV works in fixed point: each output column's/row's weights are rounded to
11 bits (INTER_RESIZE_COEF_BITS), the horizontal pass sums integer products, and the
vertical pass combines rows: bilinear with a 16-bit multiply-high of the sums shifted by 4
(its SSE2 loop and its scalar twin), bicubic in float32 on its SSE2 columns (8 a step) and
with a 22-bit shift on the rest, Lanczos-4 with the 22-bit shift. Area shrinking sums
float32 shares (whole factors: block sums; 2x2 rounds half up, as does bilinear's 2x
shrink, which OpenCV turns into it). float32 follows the same passes in float32, adding
in OpenCV's order. The weights are computed once per (size, size, interp) with
affine_aug's cubic/Lanczos-4 coefficient functions (warpAffine shares them); the passes are
torch tensor arithmetic."""
import math
import sys
from functools import lru_cache

import numpy as np
import torch

from ..base import MXNetError
from ..io.affine_aug import _cubic, _lanczos4

F32 = np.float32
_KSIZE = {1: 2, 2: 4, 3: 2, 4: 8}
_ONE = 2048                           # INTER_RESIZE_COEF_SCALE


def _scale(sn, dn):
    """OpenCV's (scale, inv_scale): cv::resize inverts the inverse scale dn / sn."""
    inv = dn / sn
    return 1.0 / inv, inv


@lru_cache(maxsize=256)
def _nearest(sn, dn):
    """Source index of each output pixel (resizeNN: floor(d * scale))."""
    scale = _scale(sn, dn)[0]
    idx = torch.floor(torch.arange(dn, dtype=torch.float64) * scale).long()
    return idx.clamp(max=sn - 1)


@lru_cache(maxsize=256)
def _taps(sn, dn, interp, rows=False):
    """(index int64, weight float32) (dn, k): the source pixels of each output pixel
    (clamped at the edges, as OpenCV replicates them) and their weights.
    interp 3 here is INTER_AREA on a growing axis: bilinear with area's offsets."""
    scale, inv = _scale(sn, dn)
    k = _KSIZE[interp]
    k2 = k // 2
    idx, wts = np.zeros((dn, k), np.int64), np.zeros((dn, k), F32)
    for d in range(dn):
        if interp != 3:
            f = F32((d + 0.5) * scale - 0.5)
            s = math.floor(f)
            f = F32(f - F32(s))
        else:
            s = math.floor(d * scale)
            f = F32((d + 1) - (s + 1) * inv)
            f = F32(0) if f <= 0 else F32(f - F32(math.floor(f)))
        if interp in (1, 3):
            # bilinear clamps its centre in x only; in y (and for cubic/Lanczos) the taps
            # are clamped and keep their weights (two weights on one row at the edges)
            if s < 0 and not rows:
                f, s = F32(0), 0
            if s >= sn - 1 and not rows:
                f, s = F32(0), sn - 1
            coeffs = [F32(1) - f, f]
        else:
            coeffs = (_cubic if interp == 2 else _lanczos4)(f)
        wts[d] = coeffs
        idx[d] = np.clip(np.arange(s - k2 + 1, s - k2 + 1 + k), 0, sn - 1)
    return torch.from_numpy(idx), torch.from_numpy(wts)


@lru_cache(maxsize=256)
def _fixed(sn, dn, interp, rows=False):
    """_taps with OpenCV's 11-bit fixed-point weights (int32, saturated to int16)."""
    idx, wts = _taps(sn, dn, interp, rows)
    return idx, torch.round(wts * _ONE).clamp(-32768, 32767).int()


def _vertical(h, rows, beta, interp):
    """The vertical pass: int32 horizontal sums h (..., H, W', C) -> uint8 (..., dh, W', C),
    in OpenCV's int32 arithmetic."""
    taps = [h.index_select(-3, rows[:, j]) for j in range(rows.shape[1])]
    b = [beta[:, j].reshape(-1, 1, 1) for j in range(rows.shape[1])]
    if interp in (1, 3):
        # VResizeLinearVec_32s8u and its scalar twin: multiply-high of the sums shifted
        # by 4, floored per row, then + 2 >> 2 (int16 saturation as the SSE2 code)
        sat = lambda v: v.clamp(-32768, 32767)  # noqa: E731
        hi = [(sat(t >> 4) * bj) >> 16 for t, bj in zip(taps, b)]
        out = sat(sat(hi[0] + hi[1]) + 2) >> 2
    else:
        out = sum(t * bj for t, bj in zip(taps, b))
        out = (out + (1 << 21)) >> 22                      # FixedPtCast<int, uchar, 22>
    if interp == 2:
        # VResizeCubicVec_32s8u (SSE2, 8 values a step; the scalar tail above rounds the
        # exact sum): the float32 sum of products with beta / 2^22, rounded to even
        fb = [bj.to(torch.float32) * F32(1.0 / (_ONE * _ONE)) for bj in b]
        vec = taps[0].float() * fb[0]
        for t, bj in zip(taps[1:], fb[1:]):
            vec = vec + t.float() * bj
        n = h.shape[-2] * h.shape[-1]
        simd = (torch.arange(n) < n // 8 * 8).reshape(h.shape[-2:])
        out = torch.where(simd, torch.round(vec).clamp(-32768, 32767).int(), out)
    return out.clamp(0, 255).to(torch.uint8)


def _separable(img, dw, dh, interp):
    """Bilinear, bicubic, Lanczos-4 and growing area: OpenCV's resizeGeneric_; uint8 in
    fixed point, float32 in float32 with its products summed left to right."""
    sh, sw = img.shape[-3], img.shape[-2]
    if img.dtype == torch.uint8:
        cols, alpha = _fixed(sw, dw, interp)
        rows, beta = _fixed(sh, dh, interp, rows=True)
        used = torch.unique(rows)              # the horizontal pass only where it is read
        src = img.index_select(-3, used).int()
        h = src.index_select(-2, cols[:, 0]) * alpha[:, 0].reshape(-1, 1)
        for j in range(1, cols.shape[1]):
            h = h + src.index_select(-2, cols[:, j]) * alpha[:, j].reshape(-1, 1)
        return _vertical(h, torch.searchsorted(used, rows), beta, interp)
    cols, alpha = _taps(sw, dw, interp)
    rows, beta = _taps(sh, dh, interp, rows=True)
    h = img.index_select(-2, cols[:, 0]) * alpha[:, 0].reshape(-1, 1)
    for j in range(1, cols.shape[1]):
        h = h + img.index_select(-2, cols[:, j]) * alpha[:, j].reshape(-1, 1)
    out = h.index_select(-3, rows[:, 0]) * beta[:, 0].reshape(-1, 1, 1)
    for j in range(1, rows.shape[1]):
        out = out + h.index_select(-3, rows[:, j]) * beta[:, j].reshape(-1, 1, 1)
    return out


@lru_cache(maxsize=256)
def _area_tab(sn, dn):
    """computeResizeAreaTab: (index, float32 weight) (dn, k) of each output pixel's share
    of the source pixels, zero-weight padded (adding +0 leaves OpenCV's sums as they are)."""
    scale = _scale(sn, dn)[0]
    taps = []
    for d in range(dn):
        fsx1 = d * scale
        fsx2 = fsx1 + scale
        cell = min(scale, sn - fsx1)
        sx2 = min(math.floor(fsx2), sn - 1)
        sx1 = min(math.ceil(fsx1), sx2)
        t = []
        if sx1 - fsx1 > 1e-3:
            t.append((sx1 - 1, F32((sx1 - fsx1) / cell)))
        t += [(s, F32(1.0 / cell)) for s in range(sx1, sx2)]
        if fsx2 - sx2 > 1e-3:
            t.append((sx2, F32(min(min(fsx2 - sx2, 1.0), cell) / cell)))
        taps.append(t)
    k = max(len(t) for t in taps)
    idx, wts = np.zeros((dn, k), np.int64), np.zeros((dn, k), F32)
    for d, t in enumerate(taps):
        for j, (s, a) in enumerate(t):
            idx[d, j], wts[d, j] = s, a
    return torch.from_numpy(idx), torch.from_numpy(wts)


def _area(img, dw, dh):
    """INTER_AREA shrinking both axes by a fraction: resizeArea_'s float32 sums."""
    cols, alpha = _area_tab(img.shape[-2], dw)
    rows, beta = _area_tab(img.shape[-3], dh)
    src = img.float()
    buf = torch.zeros(src.shape[:-2] + (dw, src.shape[-1]))
    for j in range(cols.shape[1]):
        buf = buf + src.index_select(-2, cols[:, j]) * alpha[:, j].reshape(-1, 1)
    out = torch.zeros(src.shape[:-3] + (dh,) + buf.shape[-2:])
    for j in range(rows.shape[1]):
        out = out + buf.index_select(-3, rows[:, j]) * beta[:, j].reshape(-1, 1, 1)
    return out if img.dtype == torch.float32 else torch.round(out).clamp(0, 255).to(torch.uint8)


def _area_fast(img, sx, sy):
    """INTER_AREA by whole factors (sx, sy): each block's sum times the float32 1 / area,
    rounded to even; 2x2 (1 or 3 channels, OpenCV's fast mode) is (sum + 2) >> 2."""
    *lead, hh, ww, c = img.shape
    dh, dw = hh // sy, ww // sx
    blocks = img[..., :dh * sy, :dw * sx, :].reshape(*lead, dh, sy, dw, sx, c)
    if img.dtype == torch.float32:
        return _area_fast_float(blocks, sx, sy)
    total = blocks.long().sum((-4, -2))
    if sx == sy == 2 and c in (1, 3, 4):
        out = (total + 2) >> 2
    else:
        out = torch.round(total.float() * F32(1.0 / (sx * sy))).long()
    return out.clamp(0, 255).to(torch.uint8)


def _area_fast_float(blocks, sx, sy):
    """float32 whole-factor area: OpenCV adds the block (row by row) four values at a
    time, then times 1 / area; its 2x2 SSE loop (1 channel: 4 pixels a step, 4 channels:
    all) adds the two rows' pairs first."""
    vals = [blocks[..., i, :, j, :] for i in range(sy) for j in range(sx)]
    total = torch.zeros_like(vals[0])
    k = 0
    while k <= len(vals) - 4:
        total = total + (((vals[k] + vals[k + 1]) + vals[k + 2]) + vals[k + 3])
        k += 4
    for v in vals[k:]:
        total = total + v
    c = total.shape[-1]
    if sx == sy == 2 and c in (1, 4):
        pairs = (vals[0] + vals[1]) + (vals[2] + vals[3])
        dw = total.shape[-2]
        simd = (torch.arange(dw) < (dw // 4 * 4 if c == 1 else dw)).reshape(-1, 1)
        total = torch.where(simd, pairs, total)
    return total * F32(1.0 / (sx * sy))


def resize(img, dw, dh, interp=1):
    """cv::resize(img, (dw, dh), interp) of a uint8 or float32 (..., H, W, C) tensor (an
    image or a batch), as MXNet 1.9.1's OpenCV computes it; interp 0 nearest, 1 bilinear,
    2 bicubic, 3 area, 4 Lanczos-4."""
    if img.dtype not in (torch.uint8, torch.float32):
        raise MXNetError(f"resize: expected a uint8 or float32 image, got {img.dtype}")
    if interp not in (0, 1, 2, 3, 4):
        raise MXNetError(f"resize: interp must be 0..4 (nearest, bilinear, bicubic, area, "
                         f"lanczos), got {interp}")
    sh, sw = img.shape[-3], img.shape[-2]
    if (sh, sw) == (dh, dw):
        return img.clone()
    if interp == 0:
        return img.index_select(-3, _nearest(sh, dh)).index_select(-2, _nearest(sw, dw))
    scale_x, scale_y = _scale(sw, dw)[0], _scale(sh, dh)[0]
    ix, iy = round(scale_x), round(scale_y)
    eps = sys.float_info.epsilon
    fast = abs(scale_x - ix) < eps and abs(scale_y - iy) < eps
    if interp == 1 and fast and ix == iy == 2:
        interp = 3                    # OpenCV: a 2x bilinear shrink is the area average
    if interp == 3 and scale_x >= 1 and scale_y >= 1:
        return _area_fast(img, ix, iy) if fast else _area(img, dw, dh)
    return _separable(img, dw, dh, interp)
