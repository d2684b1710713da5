"""`ImageDetRecordIter`: MXNet's C++ detection RecordIO iterator
(src/io/iter_image_det_recordio.cc with its default augmenter, src/io/image_det_aug_default.cc,
and ImageDetNormalizeIter, src/io/iter_normalize.h) over numpy and torch.

MXNet draws every augmentation from one std::mt19937 per decoding thread, seeded
(thread + 1) * 233 and never re-seeded, and shuffles with another seeded 233 + `seed`. With
one decoding thread (`preprocess_threads=1`) its draws run in file order across epochs;
regluon reproduces that stream (`_Engine`, libstdc++'s distributions), so its batches are
MXNet's, up to OpenCV's interpolation where an image is resized to another size.
"""

import numpy as np
import torch

from ..base import MXNetError
from . import image_record
from .color_aug import _hls2rgb, _rgb2hls, _u8
from .native import _BatchLoader, _kwargs_only

__all__ = ['ImageDetRecordIter']

_F = np.float32
_CHUNK = 8 << 20      # MXNet's InputSplit hands the parser 8 MB chunks (HintChunkSize)


class _Engine:
    """std::mt19937 seeded with an int, and libstdc++'s distributions as MXNet calls them."""

    def __init__(self, seed):
        key = np.random.RandomState(seed).get_state()      # init_genrand(seed), as C++
        self._bits = np.random.MT19937()
        self._bits.state = {'bit_generator': 'MT19937', 'state': {'key': key[1], 'pos': key[2]}}

    def _raw(self):
        return int(self._bits.random_raw())

    def uniform(self, a, b):
        """uniform_real_distribution<float>(a, b): generate_canonical<float, 24> * (b - a) + a."""
        u = _F(self._raw()) / _F(2.0 ** 32)
        u = u if u < 1 else np.nextafter(_F(1), _F(0))
        return u * (_F(b) - _F(a)) + _F(a)

    def randint(self, hi):
        """uniform_int_distribution(0, hi): downscaling with rejection."""
        scaling = 0xFFFFFFFF // (hi + 1)
        while True:
            x = self._raw()
            if x < (hi + 1) * scaling:
                return x // scaling

    def shuffle(self, items):
        """std::shuffle (Fisher-Yates from the front), in place."""
        for i in range(1, len(items)):
            j = self.randint(i)
            items[i], items[j] = items[j], items[i]


class _Params:
    """The augmenter's arguments (DefaultImageDetAugmentParam), checked as MXNet's Init."""
    PER_SAMPLER = dict(min_crop_scales=0.0, max_crop_scales=1.0, min_crop_aspect_ratios=1.0,
                       max_crop_aspect_ratios=1.0, min_crop_overlaps=0.0, max_crop_overlaps=1.0,
                       min_crop_sample_coverages=0.0, max_crop_sample_coverages=1.0,
                       min_crop_object_coverages=0.0, max_crop_object_coverages=1.0,
                       max_crop_trials=25)
    SCALAR = dict(resize=-1, rand_crop_prob=0.0, num_crop_sampler=1, crop_emit_mode='center',
                  emit_overlap_thresh=0.3, rand_pad_prob=0.0, max_pad_scale=1.0,
                  max_random_hue=0, random_hue_prob=0.0, max_random_saturation=0,
                  random_saturation_prob=0.0, max_random_illumination=0,
                  random_illumination_prob=0.0, max_random_contrast=0.0,
                  random_contrast_prob=0.0, rand_mirror_prob=0.0, fill_value=127,
                  inter_method=1, resize_mode='force')

    def __init__(self, kwargs):
        for k, v in self.SCALAR.items():
            setattr(self, k, kwargs.pop(k, v))
        n = int(self.num_crop_sampler)
        for k, v in self.PER_SAMPLER.items():
            vals = kwargs.pop(k, v)
            if isinstance(vals, str):      # MXNet's tuple syntax: '(0.1, 0.3)' or '0.1,0.3'
                vals = [x for x in vals.strip('()[] ').split(',') if x.strip()]
            vals = list(vals) if isinstance(vals, (tuple, list)) else [vals]
            if n == 1 and len(vals) != 1 or n > 1 and len(vals) not in (1, n):
                raise MXNetError(f"ImageDetRecordIter: {k} has {len(vals)} values for "
                                 f"num_crop_sampler={n}: # of parameters/crop_samplers mismatch")
            setattr(self, k, [int(x) if k == 'max_crop_trials' else _F(x)
                              for x in (vals * n if len(vals) == 1 else vals)])
        if not (0 <= self.inter_method <= 4 or 9 <= self.inter_method <= 10):
            raise MXNetError(f"ImageDetRecordIter: invalid inter_method {self.inter_method}: "
                             "valid value 0,1,2,3,4,9,10")
        for i in range(max(n, 0)):
            lo, hi = self.min_crop_scales[i], self.max_crop_scales[i]
            if not (lo >= 0 and hi <= 1 and hi > lo):
                raise MXNetError(f"ImageDetRecordIter: crop sampler {i} needs 0 <= "
                                 f"min_crop_scales < max_crop_scales <= 1, got {lo}, {hi}")
            for what in ('aspect_ratios', 'overlaps', 'sample_coverages', 'object_coverages'):
                lo, hi = getattr(self, 'min_crop_' + what)[i], getattr(self, 'max_crop_' + what)[i]
                if hi < lo or what == 'aspect_ratios' and lo < 0:
                    raise MXNetError(f"ImageDetRecordIter: crop sampler {i} needs "
                                     f"min_crop_{what} <= max_crop_{what}, got {lo}, {hi}")
        if self.emit_overlap_thresh < 0:
            raise MXNetError("ImageDetRecordIter: emit_overlap_thresh should be >= 0, got "
                             f"{self.emit_overlap_thresh}")
        for k, allowed in (('crop_emit_mode', ('center', 'overlap')),
                           ('resize_mode', ('force', 'shrink', 'fit'))):
            if getattr(self, k) not in allowed:
                raise MXNetError(f"ImageDetRecordIter: {k} should be one of {allowed}, "
                                 f"got {getattr(self, k)!r}")
        self.color = any(p > 0 for p in (self.random_hue_prob, self.random_saturation_prob,
                                         self.random_illumination_prob,
                                         self.random_contrast_prob))


def _area(r):
    return r[2] * r[3]


def _intersect(a, b):
    """cv::Rect_<float> a & b (x, y, width, height), empty as zeros."""
    x, y = max(a[0], b[0]), max(a[1], b[1])
    w = min(a[0] + a[2], b[0] + b[2]) - x
    h = min(a[1] + a[3], b[1] + b[3]) - y
    return (x, y, w, h) if w > 0 and h > 0 else (_F(0),) * 4


def _iou(a, b):
    inter = _area(_intersect(a, b))
    return _F(0) if inter <= 0 else inter / (_area(a) + _area(b) - inter)


class _Label:
    """MXNet's ImageDetLabel: [header_width, object_width, extra header...] then objects
    [id, xmin, ymin, xmax, ymax, extra...]; objects with xmax <= xmin or ymax <= ymin are
    dropped on reading. Coordinates are float32 numpy scalars, as MXNet's floats."""

    def __init__(self, raw, what):
        raw = [_F(v) for v in raw]
        if len(raw) < 7:
            raise MXNetError(f"ImageDetRecordIter: {what} has a {len(raw)}-value label; a "
                             "detection label needs at least 7 (header_width, object_width, "
                             "then id, xmin, ymin, xmax, ymax)")
        hw, self.width = int(raw[0]), int(raw[1])
        if hw < 2 or self.width < 5 or (len(raw) - hw) % self.width:
            raise MXNetError(f"ImageDetRecordIter: {what}: header width {hw} (>= 2) and object "
                             f"width {self.width} (>= 5) do not fit a label of {len(raw)} values")
        self.header = raw[:hw]
        self.objects = [raw[i:i + self.width] for i in range(hw, len(raw), self.width)]
        self.objects = [o for o in self.objects if o[3] > o[1] and o[4] > o[2]]

    def array(self):
        return np.array(self.header + [v for o in self.objects for v in o], _F)

    @staticmethod
    def project(o, box):
        """Object o in the coordinates of box (x, y, w, h), clipped to [0, 1]."""
        x, y, w, h = box
        return [o[0], max(_F(0), (o[1] - x) / w), max(_F(0), (o[2] - y) / h),
                min(_F(1), (o[3] - x) / w), min(_F(1), (o[4] - y) / h)] + o[5:]

    def mirror(self):
        self.objects = [[o[0], 1 - o[3], o[2], 1 - o[1]] + o[4:] for o in self.objects]

    def try_crop(self, box, p, i):
        """MXNet's TryCrop with sampler i's constraints: whether box is taken."""
        if not self.objects:
            return True
        lo_o, hi_o = p.min_crop_overlaps[i], p.max_crop_overlaps[i]
        lo_s, hi_s = p.min_crop_sample_coverages[i], p.max_crop_sample_coverages[i]
        lo_c, hi_c = p.min_crop_object_coverages[i], p.max_crop_object_coverages[i]
        rects = [(o[1], o[2], o[3] - o[1], o[4] - o[2]) for o in self.objects]
        if lo_o > 0 or hi_o < 1 or lo_s > 0 or hi_s < 1 or lo_c > 0 or hi_c < 1:
            def fits(gt):
                if (lo_o > 0 or hi_o < 1) and not lo_o <= _iou(box, gt) <= hi_o:
                    return False
                inter = _area(_intersect(box, gt))
                if (lo_s > 0 or hi_s < 1) and not lo_s <= inter / _area(box) <= hi_s:
                    return False
                return not ((lo_c > 0 or hi_c < 1) and not lo_c <= inter / _area(gt) <= hi_c)
            if not any(fits(gt) for gt in rects):
                return False
        kept = []
        for o, gt in zip(self.objects, rects):
            if p.crop_emit_mode == 'center':   # cv::Rect::contains: x <= px < x + w
                cx, cy = (o[1] + o[3]) * _F(0.5), (o[2] + o[4]) * _F(0.5)
                emit = not (box[0] <= cx < box[0] + box[2] and box[1] <= cy < box[1] + box[3])
            else:
                emit = not _area(_intersect(box, gt)) / _area(gt) > p.emit_overlap_thresh
            if not emit:
                kept.append(self.project(o, box))
        if not kept:
            return False
        self.objects = kept
        return True


def _inter(p, rng, old_w, old_h, new_w, new_h):
    """MXNet's GetInterMethod: 9 by the size change, 10 a draw of 0..4."""
    if p.inter_method == 9:
        if new_w > old_w and new_h > old_h:
            return 2
        return 3 if new_w < old_w and new_h < old_h else 1
    return rng.randint(4) if p.inter_method == 10 else p.inter_method


def _resize(img, w, h, interp):
    """cv::resize of the uint8 (H, W, C) numpy image to w x h (the same size: a copy)."""
    from ..image.image import imresize
    from ..ndarray.ndarray import _box
    if img.shape[:2] == (h, w):
        return img
    return imresize(_box(torch.tensor(np.ascontiguousarray(img))), w, h, interp).asnumpy()


def _color(img, p, rng):
    """HLS offsets and contrast, drawn as MXNet: four U(-1, 1) amounts, then four coins."""
    amount = [rng.uniform(-1, 1) for _ in range(4)]
    h, s, l = (int(a * m) for a, m in zip(amount, (p.max_random_hue, p.max_random_saturation,
                                                   p.max_random_illumination)))
    c = amount[3] * _F(p.max_random_contrast)
    h = h if rng.uniform(0, 1) < p.random_hue_prob else 0
    s = s if rng.uniform(0, 1) < p.random_saturation_prob else 0
    l = l if rng.uniform(0, 1) < p.random_illumination_prob else 0
    c = c if rng.uniform(0, 1) < p.random_contrast_prob else _F(0)
    if h or s or l:
        if img.shape[2] != 3:
            raise MXNetError(f"ImageDetRecordIter: random hue/saturation/illumination need "
                             f"3-channel images (OpenCV's HLS), got {img.shape[2]} channels")
        x = torch.tensor(img).permute(2, 0, 1)[None].to(torch.float32)
        hls = _rgb2hls(x) + torch.tensor([h, l, s], dtype=torch.float32).view(1, 3, 1, 1)
        hls = torch.minimum(hls, torch.tensor([180.0, 255, 255]).view(1, 3, 1, 1)).clamp_(min=0)
        img = _hls2rgb(hls)[0].permute(1, 2, 0).to(torch.uint8).numpy()
    if abs(c) > 1e-3:     # convertTo(res, -1, c + 1, 0)
        img = _u8(torch.tensor(img, dtype=torch.float32) * (c + _F(1))).to(torch.uint8).numpy()
    return img


def _pad(img, label, p, rng):
    """MXNet's random padding: a square of side s = U(1, max_pad_scale) (nothing below 1.05),
    the image placed at (U(0, s - 1), U(0, s - 1)); fill_value around it."""
    s = rng.uniform(1, p.max_pad_scale)
    if s < _F(1.05):
        return img
    x0, y0 = rng.uniform(0, s - 1), rng.uniform(0, s - 1)
    box = (-x0, -y0, s, s)
    label.objects = [label.project(o, box) for o in label.objects]
    rows, cols = img.shape[:2]
    left, top = int(x0 * _F(cols)), int(y0 * _F(rows))
    right, bot = int((s + -x0 - 1) * _F(cols)), int((s + -y0 - 1) * _F(rows))
    return np.pad(img, ((top, bot), (left, right), (0, 0)), constant_values=p.fill_value)


def _crop_box(p, i, rng, img_ratio):
    """MXNet's GenerateCropBox for sampler i: (x, y, w, h) in [0, 1]."""
    scale = rng.uniform(p.min_crop_scales[i], p.max_crop_scales[i]) + _F(1e-12)
    lo = max(p.min_crop_aspect_ratios[i] / img_ratio, scale * scale)
    hi = min(p.max_crop_aspect_ratios[i] / img_ratio, _F(1. / float(scale * scale)))
    ratio = np.sqrt(rng.uniform(lo, hi))
    w, h = min(_F(1), scale * ratio), min(_F(1), scale / ratio)
    return rng.uniform(0, 1 - w), rng.uniform(0, 1 - h), w, h


def _crop(img, label, p, rng):
    """MXNet's random crop: samplers in a random order, each up to max_crop_trials boxes;
    the first box that meets its sampler's constraints is cut out."""
    order = list(range(p.num_crop_sampler))
    rng.shuffle(order)
    rows, cols = img.shape[:2]
    for i in order:
        for _ in range(p.max_crop_trials[i]):
            box = _crop_box(p, i, rng, _F(cols) / _F(rows))
            if label.try_crop(box, p, i):
                left, top = int(box[0] * _F(cols)), int(box[1] * _F(rows))
                w, h = int(box[2] * _F(cols)), int(box[3] * _F(rows))
                return img[top:top + h, left:left + w]
    return img


def augment(img, raw_label, p, shape, rng, what):
    """MXNet's DefaultImageDetAugmenter::Process on the uint8 (H, W, C) image and its label:
    resize, colour, mirror, pad, crop, then fit to data_shape (H, W) by resize_mode."""
    if p.resize != -1:
        rows, cols = img.shape[:2]
        nh, nw = (p.resize * rows // cols, p.resize) if rows > cols else \
            (p.resize, p.resize * cols // rows)
        img = _resize(img, nw, nh, _inter(p, rng, cols, rows, nw, nh))
    label = _Label(raw_label, what)
    if p.color:
        img = _color(img, p, rng)
    if p.rand_mirror_prob > 0 and rng.uniform(0, 1) < p.rand_mirror_prob:
        label.mirror()
        img = img[:, ::-1]
    if p.rand_pad_prob > 0 and p.max_pad_scale > 1 and rng.uniform(0, 1) < p.rand_pad_prob:
        img = _pad(img, label, p, rng)
    if p.rand_crop_prob > 0 and p.num_crop_sampler > 0 and rng.uniform(0, 1) < p.rand_crop_prob:
        img = _crop(img, label, p, rng)
    h, w = shape
    rows, cols = img.shape[:2]
    if rows == 0 or cols == 0:
        raise MXNetError(f"ImageDetRecordIter: {what} was cropped to an empty image")
    if p.resize_mode == 'force':
        img = _resize(img, w, h, _inter(p, rng, cols, rows, w, h))
    elif p.resize_mode == 'fit' or rows > h or cols > w:
        ratio = min(_F(h) / _F(rows), _F(w) / _F(cols))
        nh, nw = int(ratio * _F(rows)), int(ratio * _F(cols))
        img = _resize(img, nw, nh, _inter(p, rng, cols, rows, nw, nh))
    return np.ascontiguousarray(img), label.array()


class ImageDetRecordIter(_BatchLoader):
    """Batches of images and detection labels from a RecordIO file (`im2rec --pack-label`),
    augmented as MXNet's default detection augmenter.

    A record's label is [header_width, object_width, extra header...] then objects
    [id, xmin, ymin, xmax, ymax, extra...] in [0, 1] (objects with xmax <= xmin or
    ymax <= ymin are dropped), from the record or, by image index, from `path_imglist`.
    Each image is decoded (gray, RGB or RGBA for data_shape[0] 1, 3 or 4), its shorter side
    resized to `resize` (if not -1), then, in this order and each with its probability:
    HLS offsets (`max_random_hue`/`_saturation`/`_illumination`, `random_*_prob`) and a
    contrast factor 1 + U(-`max_random_contrast`, ...) (`random_contrast_prob`); a mirror
    (`rand_mirror_prob`); padding to a square of U(1, `max_pad_scale`) times the size,
    `fill_value` around (`rand_pad_prob`); a crop (`rand_crop_prob`) by one of
    `num_crop_sampler` samplers, each with its scales, aspect ratios, IoU and coverage limits
    (`min_crop_scales`... tuples of one value or one per sampler) tried up to
    `max_crop_trials` times, objects kept by their centre (`crop_emit_mode='center'`) or by
    the covered share of their area (`'overlap'`, > `emit_overlap_thresh`). Boxes follow
    every step. Last the image is fitted to data_shape by `resize_mode`: 'force' (resized
    to it), 'shrink' (scaled down to fit, aspect kept) or 'fit' (scaled to fit), placed at
    the top left of a zero image; `inter_method` as MXNet's (9 by size, 10 at random).
    Data: float32 (N, C, H, W), (pixel - mean) / std * `scale` where a mean is subtracted
    only if one of mean_r... is > 0 (else `mean_img`, created as MXNet does when missing) and
    a std divides only where > 0. Label: float32 (N, label_pad_width + 4), per row the image's
    channels, height and width after augmentation, the label's length, the label, then
    `label_pad_value`; `label_pad_width` 0 or -1 takes the widest label of the file.
    `shuffle` shuffles within MXNet's 8 MB chunks (with `seed`). The draws are MXNet's own
    with one decoding thread (`preprocess_threads=1`); MXNet gives each of its threads
    its own stream, so with more threads its draws differ from these.
    Unknown arguments are ignored, as MXNet does.
    """

    def __init__(self, *args, path_imgrec, data_shape, batch_size, path_imglist='',
                 label_width=-1, label_pad_width=0, label_pad_value=-1.0, shuffle=False,
                 seed=0, round_batch=True, num_parts=1, part_index=0, mean_img='', mean_r=0.0,
                 mean_g=0.0, mean_b=0.0, mean_a=0.0, std_r=0.0, std_g=0.0, std_b=0.0,
                 std_a=0.0, scale=1.0, dtype=None, aug_seq='det_aug_default',
                 shuffle_chunk_size=0, data_name='data', label_name='softmax_label', **kwargs):
        name = type(self).__name__
        _kwargs_only(name, args)
        self._shape = tuple(int(v) for v in data_shape)
        if len(self._shape) != 3 or self._shape[0] not in (1, 3, 4) or min(self._shape) <= 0:
            raise MXNetError(f"{name}: data_shape should be (C, H, W) with C 1, 3 or 4, got "
                             f"{tuple(data_shape)}")
        if aug_seq != 'det_aug_default':
            raise MXNetError(f"{name}: aug_seq={aug_seq!r}: regluon has MXNet's detection "
                             "augmenter 'det_aug_default' only")
        if dtype not in (None, 'None', 'float32', np.float32):
            raise MXNetError(f"{name}: dtype={dtype!r}: MXNet's detection iterator gives "
                             "float32 data only (TBlob data type do not match)")
        self._aug = _Params(kwargs)
        if self._aug.color and self._shape[0] != 3 and (self._aug.max_random_hue or
                                                        self._aug.max_random_saturation or
                                                        self._aug.max_random_illumination):
            raise MXNetError(f"{name}: random hue/saturation/illumination need 3-channel "
                             f"images, but data_shape is {self._shape}")
        self._records = image_record._read_part(path_imgrec, num_parts, part_index)
        if not self._records:
            raise MXNetError(f"{name}: no records in {path_imgrec!r} (part {part_index} of "
                             f"{num_parts})")
        if shuffle_chunk_size > 0:    # dmlc's InputSplitShuffle: only when it splits the file
            parts = image_record._shuffle_parts(path_imgrec, num_parts, shuffle_chunk_size)
            if parts > 1:
                raise MXNetError(f"{name}: shuffle_chunk_size={shuffle_chunk_size} shuffles "
                                 f"{parts} parts of the file, which regluon does not do; "
                                 "use shuffle=True (shuffles within 8 MB chunks)")
        self._labels = _read_det_imglist(path_imglist, label_width) if path_imglist else None
        widths = self._label_widths(label_width)
        if max(widths) > label_pad_width:
            if label_pad_width > 0:
                raise MXNetError(f"ImageDetRecordIOParser: label_pad_width: {label_pad_width} "
                                 f"smaller than estimated width: {max(widths)}")
            label_pad_width = max(widths)
        self._label_len, self._pad_value = int(label_pad_width) + 4, _F(label_pad_value)
        self._chunks = _chunk_spans(self._records)
        self._aug_rng, self._order_rng = _Engine(233), _Engine(233 + int(seed))
        self._shuffle, self._parsed, self._span = shuffle, [], (0, 0)
        c = self._shape[0]
        means = [mean_r, mean_g, mean_b, mean_a]
        self._mean = None
        if any(m > 0 for m in means):      # MXNet: a mean only if one of them is > 0
            self._mean = torch.tensor([means[0]] + ([] if c == 1 else means[1:c]),
                                      dtype=torch.float32).view(c, 1, 1)
        stds = [std_r, std_g, std_b, std_a][:c]
        self._std = [(k, _F(s)) for k, s in enumerate(stds) if s > 0]
        self._scale = _F(scale)
        self._ids, self._index = np.zeros(int(batch_size), np.int64), None
        self._mean_img = None      # MXNet reads (or makes) it even where mean_r... win
        if mean_img:
            self._mean_img = self._mean_image(mean_img)
        super().__init__(batch_size, round_batch, data_name, label_name)

    def _label_widths(self, label_width):
        """Each image's label width, checked against label_width as MXNet's Init."""
        from .. import recordio
        if self._labels is not None:
            return [len(v) for v in self._labels.values()]
        widths = []
        for rec in self._records:
            header, _ = recordio.unpack(rec)
            width = np.size(header.label)
            if label_width > 0 and width != label_width:
                raise MXNetError(f"{type(self).__name__}: rec file provide {width}-dimensional "
                                 f"label but label_width is set to {label_width}")
            widths.append(width)
        return widths

    def _count(self):
        return len(self._records)

    def _parse(self, lo, hi):
        """MXNet's ParseNext on one chunk: decode and augment its records in file order,
        then the order to give them in (shuffled with `shuffle`)."""
        from .. import recordio
        from ..image.codec import decode_np
        c, h, w = self._shape
        out = []
        for rec in self._records[lo:hi]:
            header, img = recordio.unpack(rec)
            what = f"image {header.id}"
            img = decode_np(img, {1: 0, 3: 1, 4: -1}[c], where=f"{type(self).__name__}: {what}")
            img = img[:, :, None] if img.ndim == 2 else img
            if img.shape[2] != c:
                raise MXNetError(f"{type(self).__name__}: Invalid image with index {header.id}."
                                 f" Expected {c} channels, got {img.shape[2]}")
            if self._labels is not None:
                raw = image_record._listed_label(self, header.id)
            else:
                raw = np.atleast_1d(np.asarray(header.label, _F))
            img, label = augment(img, raw, self._aug, (h, w), self._aug_rng, what)
            data = np.zeros(self._shape, np.uint8)
            data[:, :img.shape[0], :img.shape[1]] = img.transpose(2, 0, 1)
            row = np.full(self._label_len, self._pad_value, _F)
            row[:4] = (c, img.shape[0], img.shape[1], len(label))
            row[4:4 + len(label)] = label
            out.append((data, row, header.id))
        order = list(range(len(out)))
        if self._shuffle:
            self._order_rng.shuffle(order)
        self._parsed, self._span = [out[k] for k in order], (lo, hi)

    def _example(self, i):
        if i == 0 or not self._span[0] <= i < self._span[1]:    # i == 0: MXNet re-reads
            self._parse(*next(c for c in self._chunks if c[0] <= i < c[1]))
        return self._parsed[i - self._span[0]]

    def _take(self, slot):
        data, label, self._ids[slot] = self._example(self._pos)
        self._pos += 1
        if self._buf is None:
            self._buf = (np.zeros((self._bs,) + data.shape, np.uint8),
                         np.zeros((self._bs,) + label.shape, _F))
        self._buf[0][slot], self._buf[1][slot] = data, label

    def _boxed(self):
        self._index = self._ids.copy()
        return super()._boxed()

    def getindex(self):
        return self._index

    def _normalize(self, x):
        """ImageDetNormalizeIter on float32 (N, C, H, W): mean, std, scale."""
        if self._mean is not None:
            x = x - self._mean
        elif self._mean_img is not None:
            x = x - self._mean_img
        for k, s in self._std:
            x[:, k] /= s
        return x * self._scale

    def _finish(self, data):
        return self._normalize(torch.from_numpy(data).to(torch.float32))

    def _mean_image(self, path):
        """MXNet's mean_img: the one array in file `path` (nd.save's format), or, where there
        is none, the mean of one pass of normalized examples (its draws taken from the
        stream, as MXNet), saved there as {'mean_img': mean}."""
        import os
        from .. import ndarray as nd
        from ..ndarray.ndarray import _box
        if os.path.exists(path):
            arrays = nd.load(path)
            arrays = list(arrays.values()) if isinstance(arrays, dict) else arrays
            if len(arrays) != 1:
                raise MXNetError(f"{type(self).__name__}: Invalid mean image file format: "
                                 f"{path!r} holds {len(arrays)} arrays")
            return arrays[0]._t.to(torch.float32)
        total = 0
        for i in range(len(self._records)):
            total = total + self._finish(self._example(i)[0][None])[0]
        mean = total * _F(1 / len(self._records))     # MXNet: sum *= 1.0f / count
        nd.save(path, {'mean_img': _box(mean)})
        return mean


def _chunk_spans(records):
    """(first, end) record indices of the ~8 MB chunks MXNet's InputSplit parses at a time
    (a record takes its bytes, an 8-byte header and padding to 4 bytes)."""
    spans, start, size = [], 0, 0
    for i, rec in enumerate(records):
        size += len(rec) + 8 + -len(rec) % 4
        if size > _CHUNK and i > start:
            spans.append((start, i))
            start, size = i, len(rec) + 8 + -len(rec) % 4
    return spans + [(start, len(records))]


def _read_det_imglist(path, width):
    """MXNet's ImageDetLabelMap: {image index: labels}, from lines of an index, the labels
    (`width` of them, or all but the last field with width -1) and a path."""
    labels = {}
    for line, fields in image_record._imglist_rows(path):
        labs = fields[1:1 + width] if width > 0 else fields[1:-1]
        if width > 0 and len(labs) < width or not labs:
            raise MXNetError(f"ImageDetRecordIter: Bad ImageList format in {path!r}: "
                             f"{line.strip()!r}")
        labels[int(float(fields[0]))] = np.array(labs, _F)
    return labels
