"""`ImageRecordIter`: MXNet's C++ RecordIO image iterator (src/io/iter_image_recordio_2.cc
with the default augmenter, src/io/image_aug_default.cc) over numpy and torch: the crops
(crop_aug.py), the colour steps and the normalizer (color_aug.py) in MXNet's order, batched
as MXNet's BatchLoader (native._BatchLoader)."""
import os

import numpy as np
import torch

from ..base import MXNetError, dtype_name, torch_dtype
from ..ndarray.ndarray import _box
from . import affine_aug, color_aug, crop_aug
from .native import _BatchLoader, _kwargs_only

__all__ = ['ImageRecordIter', 'ImageRecordUInt8Iter', 'ImageRecordInt8Iter', 'ImageRecordIter_v1',
           'ImageRecordUInt8Iter_v1']


# ImageRecordIter arguments regluon does not implement, with the values that leave them off
_AUGMENT_OFF = {'aug_seq': 'aug_default', 'shuffle_chunk_size': 0}
# MXNet's colour augmentations (color_aug.py): parameter -> off value
_COLOR_OFF = {'brightness': 0, 'contrast': 0, 'saturation': 0, 'random_h': 0, 'random_s': 0,
              'random_l': 0, 'pca_noise': 0}


class ImageRecordIter(_BatchLoader):
    """Batches of images from a RecordIO file of encoded images (`im2rec`'s output), with
    the steps of MXNet's default augmenter in its order.

    Each image is decoded (RGB, or gray for a 1-channel `data_shape`), its shorter side
    resized to `resize` (if > 0, with `inter_method`), warped by MXNet's affine matrix
    (affine_aug.py: shear U(-`max_shear_ratio`, ...), rotation by an integer angle in
    +-`max_rotate_angle`, or `rotate`, or one of `rotate_list`, scale
    U(`min_random_scale`, `max_random_scale`) to a size clipped to
    [`min_img_size`, `max_img_size`], aspect ratio U(`min_aspect_ratio`, `max_aspect_ratio`)
    or 1 +- `max_aspect_ratio`, without random_resized_crop; OpenCV's warpAffine with
    `inter_method`, border `fill_value`), padded by `pad` pixels of
    `fill_value`, cut to `data_shape` (C, H, W): with `random_resized_crop` a box of
    U(`min_random_area`, `max_random_area`) of the area and aspect ratio
    U(`min_aspect_ratio`, `max_aspect_ratio`), or a square of `min_crop_size`..`max_crop_size`,
    resized (crop_aug.py); else at the center (`rand_crop`: a random place; an image
    smaller than data_shape is first scaled up, as MXNet). Then the colour
    steps (color_aug.py): `brightness`, `contrast`, `saturation` (factors 1 + U(-a, a), in a
    random order), `random_h`/`random_s`/`random_l` (offsets in OpenCV's 8-bit HLS),
    `pca_noise` (AlexNet lighting); flipped with `mirror` (always) or `rand_mirror`; then
    `(pixel - mean) * c / std + i / std`, c = (1 + U(-max_random_contrast, ...)) * `scale`,
    i = U(-max_random_illumination, ...) * `scale`, mean from mean_r... or the image
    `mean_img` (created as MXNet does when the file is missing).
    Data NCHW float32 (or `dtype`; 'uint8' unnormalized, 'int8' pixel - round(mean), as
    MXNet); labels float32, (batch,) or (batch, label_width), from the records or, by image
    index, from `path_imglist`. Random choices use `seed`
    (`seed_aug`: the same draws each epoch); they are not MXNet's draws. `aug_seq` other than
    'aug_default' raises MXNetError, and so does a `shuffle_chunk_size` that would cut the
    file into more than one shuffled part (smaller than the file: MXNet's global shuffle).
    """

    def __init__(self, *args, path_imgrec, data_shape, batch_size, label_width=1,
                 shuffle=False, seed=0, round_batch=True, resize=-1, rand_crop=False,
                 rand_mirror=False, mirror=False, inter_method=1, pad=0, fill_value=255,
                 mean_r=0.0, mean_g=0.0, mean_b=0.0, mean_a=0.0, std_r=1.0, std_g=1.0,
                 std_b=1.0, std_a=1.0, scale=1.0, num_parts=1, part_index=0, dtype=None,
                 max_random_contrast=0.0, max_random_illumination=0.0, seed_aug=None,
                 mean_img='', random_resized_crop=False, max_random_area=1.0,
                 min_random_area=1.0, max_crop_size=-1, min_crop_size=-1, path_imglist='',
                 path_imgidx='',                 data_name='data', label_name='softmax_label', **kwargs):
        name = type(self).__name__
        _kwargs_only(name, args)
        ar_max, ar_min = kwargs.pop('max_aspect_ratio', 0), kwargs.pop('min_aspect_ratio', None)
        if kwargs.get('shuffle_chunk_size', 0) > 0 and \
                _shuffle_parts(path_imgrec, num_parts, kwargs['shuffle_chunk_size']) <= 1:
            kwargs.pop('shuffle_chunk_size')    # one shuffle part: MXNet reads as without it
        for k, v in kwargs.items():
            if k in _AUGMENT_OFF and v != _AUGMENT_OFF[k]:
                raise MXNetError(f"{name}: {k}={v!r} is not supported by regluon (only its "
                                 f"default {_AUGMENT_OFF[k]!r}); use gluon.data.DataLoader with "
                                 "mx.image augmenters for this augmentation")
        self._color = {k: kwargs.get(k, v) for k, v in _COLOR_OFF.items()}
        if data_shape[0] != 3 and any(v != 0 for v in self._color.values()):
            on = [k for k, v in self._color.items() if v != 0]
            raise MXNetError(f"{name}: {', '.join(on)} need 3-channel images (MXNet converts "
                             f"them to gray and HLS), but data_shape is {tuple(data_shape)}")
        self._max_contrast, self._max_illumination = max_random_contrast, max_random_illumination
        self._rrc, self._crop_size = random_resized_crop, (min_crop_size, max_crop_size)
        self._area = (min_random_area, max_random_area)
        self._ratio = (1 - ar_max, 1 + ar_max) if ar_min is None else (ar_min, ar_max)
        self._affine = affine_aug.Params(kwargs, self._ratio, random_resized_crop, inter_method,
                                         fill_value)
        crop_aug.check(name, random_resized_crop, self._crop_size, rand_crop, self._area,
                       self._ratio, self._affine.scale)
        if path_imgidx:   # MXNet's indexed_recordio split: parts of equal record counts
            self._records = _read_part(path_imgrec, 1, 0)
            step = -(-len(self._records) // int(num_parts))
            self._records = self._records[step * part_index: step * (part_index + 1)]
        else:
            self._records = _read_part(path_imgrec, num_parts, part_index)
        if not self._records:
            raise MXNetError(f"{name}: no records in {path_imgrec!r} (part {part_index} of "
                             f"{num_parts})")
        self._shape = tuple(data_shape)
        self._label_width, self._resize, self._interp = label_width, resize, inter_method
        self._labels = _read_imglist(path_imglist, label_width) if path_imglist else None
        self._pad, self._fill = pad, fill_value
        self._rand_crop, self._rand_mirror, self._mirror = rand_crop, rand_mirror, mirror
        c = self._shape[0]
        self._mean = np.array([mean_r, mean_g, mean_b, mean_a][:c], np.float32)[:, None, None]
        self._std = np.array([std_r, std_g, std_b, std_a][:c], np.float32)
        self._scale = scale
        self._dtype = None if dtype in (None, 'None') else dtype_name(dtype)
        self._rng = np.random.RandomState(seed)
        self._flip, self._flips = False, np.zeros(int(batch_size), bool)
        self._seed_aug = seed_aug
        self._aug_rng = self._rng if seed_aug is None else np.random.RandomState(seed_aug)
        self._order = np.arange(len(self._records))
        if mean_img and self._dtype != 'uint8':     # MXNet's uint8 output has no mean
            self._mean = self._mean_image(mean_img)
            self._rng = np.random.RandomState(seed)
            self._aug_rng = self._rng if seed_aug is None else np.random.RandomState(seed_aug)
        self._shuffle = shuffle
        if shuffle:
            self._rng.shuffle(self._order)
        super().__init__(batch_size, round_batch, data_name, label_name)

    def _rewind(self):
        if self._shuffle:
            self._rng.shuffle(self._order)
        if self._seed_aug is not None:   # MXNet re-seeds per example: the same draws each epoch
            self._aug_rng = np.random.RandomState(self._seed_aug)
        super()._rewind()

    def _count(self):
        return len(self._records)

    def _example(self, i):
        from .. import recordio, image
        header, img = recordio.unpack(self._records[self._order[i]])
        c, h, w = self._shape
        im = image.imdecode(img, flag=1 if c == 3 else 0)
        if self._resize > 0:
            im = image.resize_short(im, self._resize, interp=self._interp)
        arr = im.asnumpy()
        if self._affine.on:
            arr = affine_aug.apply(arr, self._affine, self._aug_rng)
        if self._pad > 0:
            p = self._pad
            arr = np.pad(arr, ((p, p), (p, p), (0, 0)), constant_values=self._fill)
        arr = self._crop(arr, f"{type(self).__name__}: image {header.id}").transpose(2, 0, 1)
        self._flip = self._mirror or bool(self._rand_mirror and self._aug_rng.randint(2))
        if self._flip:
            arr = arr[:, :, ::-1]
        if self._labels is not None:
            label = _listed_label(self, header.id)
        else:
            label = np.asarray(header.label, np.float32).reshape(-1)
        if label.size != self._label_width:
            raise MXNetError(f"{type(self).__name__}: rec file provide {label.size}-dimensional "
                             f"label but label_width is set to {self._label_width}")
        label = label[0] if self._label_width == 1 else label
        return np.ascontiguousarray(arr), np.asarray(label, np.float32)

    def _crop(self, arr, what):
        """arr (H, W, C) cut to data_shape: by MXNet's resizing crops (random_resized_crop,
        min/max_crop_size), else data_shape's box at the center (rand_crop: anywhere)."""
        from ..image.image import _get_interp_method, imresize
        _, h, w = self._shape
        ih, iw = arr.shape[:2]
        box, rng = None, self._aug_rng
        if self._rrc:
            box = crop_aug.resized_box(rng, ih, iw, self._area, self._ratio)
        elif self._crop_size != (-1, -1):
            box = crop_aug.square_box(rng, ih, iw, self._crop_size, self._rand_crop, what)
        if box is not None:
            y, x, bh, bw = box
            crop = _box(torch.from_numpy(np.ascontiguousarray(arr[y:y + bh, x:x + bw])))
            return imresize(crop, w, h, interp=_get_interp_method(self._interp, (bh, bw, h, w)))\
                .asnumpy()
        if ih < h or iw < w:     # MXNet scales a short image up, one side after the other
            interp = _get_interp_method(self._interp, (ih, iw, h, w))
            if ih < h:
                iw = int(np.float32(h) / np.float32(ih) * np.float32(iw))
                ih, arr = h, _resize(arr, iw, h, interp)
            if iw < w:
                ih = int(np.float32(w) / np.float32(iw) * np.float32(ih))
                iw, arr = w, _resize(arr, w, ih, interp)
        if self._rand_crop:
            y, x = rng.randint(0, ih - h + 1), rng.randint(0, iw - w + 1)
        else:
            y, x = (ih - h) // 2, (iw - w) // 2
        return arr[y:y + h, x:x + w]

    def _augment(self, data):
        """The colour steps on the uint8 batch `data` (numpy); float32 of uint8 levels."""
        x = torch.from_numpy(data)
        if any(v != 0 for v in self._color.values()):
            c = self._color
            return color_aug.augment(x, self._aug_rng, c['brightness'], c['contrast'],
                                     c['saturation'], c['random_h'], c['random_s'],
                                     c['random_l'], c['pca_noise'])
        return x.to(torch.float32)

    def _take(self, slot):
        super()._take(slot)
        self._flips[slot] = self._flip     # which examples of the batch are mirrored

    def _mean_of(self, n):
        """The mean to subtract from the first n examples of the batch."""
        if self._mean.shape[-1] == 1:
            return self._mean
        # MXNet subtracts the mean image before it mirrors (ProcessImage): a mirrored
        # example has the mirrored mean image subtracted
        flips = self._flips[:n, None, None, None]
        return np.ascontiguousarray(np.where(flips, self._mean[..., ::-1], self._mean))

    def _normalized(self, data):
        """The augmented, normalized float32 batch of the uint8 batch `data`."""
        return color_aug.normalize(self._augment(data), self._aug_rng, self._mean_of(len(data)),
                                   self._std, self._scale, self._max_contrast,
                                   self._max_illumination)

    def _finish(self, data):
        if self._dtype == 'uint8':     # MXNet's uint8 output is not normalized
            return self._augment(data).to(torch.uint8)
        if self._dtype == 'int8':      # MXNet: saturate(pixel - round(mean))
            mean = self._mean_of(len(data))
            mean = np.sign(mean) * np.floor(np.abs(mean) + 0.5)   # std::round
            x = self._augment(data) - torch.from_numpy(mean)
            return x.clamp(-128, 127).to(torch.int8)
        out = self._normalized(data)
        return out if self._dtype is None else out.to(torch_dtype(self._dtype))

    def _mean_image(self, path):
        """MXNet's mean_img: the one array in file `path` (nd.save's format), or, where there
        is no such file, the mean of the normalized examples (with mean_r... subtracted, as
        MXNet), saved there as {'mean_img': mean}."""
        from .. import ndarray as nd
        if os.path.exists(path):
            arrays = nd.load(path)
            arrays = list(arrays.values()) if isinstance(arrays, dict) else arrays
            if len(arrays) != 1 or arrays[0].shape != self._shape:
                raise MXNetError(f"{type(self).__name__}: mean_img {path!r} should hold one "
                                 f"array of data_shape {self._shape}, but holds "
                                 f"{[a.shape for a in arrays]}")
            return arrays[0].asnumpy().astype(np.float32)
        total = 0
        for i in range(len(self._records)):
            total = total + self._normalized(self._example(i)[0][None])[0]
        mean = total * np.float32(1 / len(self._records))      # MXNet: sum *= 1.0f / count
        nd.save(path, {'mean_img': _box(mean)})
        return mean.numpy()


def _resize(arr, w, h, interp):
    """The uint8 (H, W, C) numpy image resized to w x h."""
    from ..image.image import imresize
    return imresize(_box(torch.from_numpy(np.ascontiguousarray(arr))), w, h, interp).asnumpy()


def _shuffle_parts(path, num_parts, chunk_mb):
    """The parts dmlc's InputSplitShuffle cuts a file into for shuffle_chunk_size=chunk_mb
    (iter_image_recordio_2.cc); with one, MXNet reads the file as without shuffle_chunk_size."""
    import math
    return math.ceil(os.path.getsize(path) * 1.1 / (int(num_parts) * (int(chunk_mb) << 20)))


def _listed_label(it, image_id):
    """The label that the iterator's path_imglist gives image `image_id`."""
    if image_id not in it._labels:
        raise MXNetError(f"{type(it).__name__}: fail to find imagelabel for id {image_id} in "
                         "path_imglist")
    return it._labels[image_id]


def _read_imglist(path, width):
    """MXNet's ImageLabelMap: {image index: its `width` labels}, from lines of an index,
    the labels and (not read) a path, separated by white space."""
    labels = {}
    for line, fields in _imglist_rows(path):
        if len(fields) < 1 + width:
            raise MXNetError(f"ImageRecordIter: Bad ImageList format in {path!r}: "
                             f"{line.strip()!r} has fewer than label_width={width} labels")
        labels[int(float(fields[0]))] = np.array(fields[1:1 + width], np.float32)
    return labels


def _imglist_rows(path):
    """(line, its white-space separated fields) for each non-blank line of an image list."""
    with open(path) as f:
        for line in f:
            fields = line.split()
            if fields:
                yield line, fields


def _read_part(path, num_parts, part_index):
    """The records of part `part_index` of `num_parts`: as MXNet's (dmlc) InputSplit, the
    file's bytes are cut into equal 4-byte-aligned spans and a record belongs to the span
    its first byte is in."""
    from .. import recordio
    total = os.path.getsize(path)
    step = -(-total // int(num_parts))
    step = -(-step // 4) * 4
    begin, end = min(step * part_index, total), min(step * (part_index + 1), total)
    reader = recordio.MXRecordIO(path, 'r')
    records = []
    while True:
        start = reader.tell()
        rec = reader.read()
        if rec is None or start >= end:
            break
        if start >= begin:
            records.append(rec)
    reader.close()
    return records


class ImageRecordUInt8Iter(ImageRecordIter):
    """ImageRecordIter giving the augmented pixels as uint8, without normalization (as
    ImageRecordIter with dtype='uint8': no mean, std, scale or mean_img)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **dict(kwargs, dtype='uint8'))


class ImageRecordInt8Iter(ImageRecordIter):
    """ImageRecordIter giving int8 data: saturate(pixel - round(mean)), no std or scale (as
    ImageRecordIter with dtype='int8'; MXNet marks this name deprecated)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **dict(kwargs, dtype='int8'))


# MXNet's first record parser under its old names; its batches equal the current parser's
# (float32 and uint8 alike, checked against MXNet 1.9.1 in tests/test_api_leftovers.py)
ImageRecordIter_v1 = ImageRecordIter
ImageRecordUInt8Iter_v1 = ImageRecordUInt8Iter
