"""`mx.image.ImageIter`: batches of augmented images from a .rec file or an image list."""
import os

import numpy as np
import torch

from ..base import MXNetError
from ..ndarray.ndarray import _box
from .. import recordio
from .image import imdecode
from .iter import CreateAugmenter, DataBatch

__all__ = ['ImageIter']

_LAST = ('pad', 'discard', 'roll_over')


class ImageIter:
    """Image data iterator with a large number of augmentation choices.

    Reads a RecordIO file (`path_imgrec`, with `path_imgidx` for shuffling and parts), a
    .lst list (`path_imglist` with `path_root`) or a Python `imglist`; yields DataBatch
    objects with data (N, C, H, W) float32 and labels (N,) or (N, label_width).

    Parameters
    ----------
    batch_size : int
        Number of examples per batch.
    data_shape : tuple
        Data shape in (channels, height, width) format; 3 channels.
    label_width : int, optional
        Number of labels per example. The default label width is 1.
    path_imgrec : str
        Path to image record file (.rec).
    path_imglist : str
        Path to image list (.lst): `index<TAB>label(s)<TAB>path` lines.
    path_root : str
        Root folder of image files.
    path_imgidx : str
        Path to the index file of the .rec (needed for shuffle and num_parts).
    shuffle : bool
        Whether to shuffle all images at the start of each iteration.
    part_index : int
        Partition index.
    num_parts : int
        Total number of partitions.
    aug_list : list
        Augmenter list; default `CreateAugmenter(data_shape, **kwargs)`.
    imglist : list
        Images as [label(s)..., path] entries (relative to path_root).
    data_name, label_name : str
        Names in provide_data / provide_label.
    dtype : str
        Label data type: int32, float32, int64 or float64.
    last_batch_handle : {'pad', 'discard', 'roll_over'}
        'pad' completes the last batch from the start (`batch.pad` counts the extra
        samples), 'discard' drops it, 'roll_over' carries its samples to the next epoch.
    """
    _label_fill = 0.0      # what a fresh batch's label buffer holds

    def __init__(self, batch_size, data_shape, label_width=1, path_imgrec=None,
                 path_imglist=None, path_root=None, path_imgidx=None, shuffle=False,
                 part_index=0, num_parts=1, aug_list=None, imglist=None, data_name='data',
                 label_name='softmax_label', dtype='float32', last_batch_handle='pad',
                 **kwargs):
        if not (path_imgrec or path_imglist or isinstance(imglist, list)):
            raise AssertionError("ImageIter: give path_imgrec, path_imglist or imglist")
        if dtype not in ('int32', 'float32', 'int64', 'float64'):
            raise AssertionError(dtype + ' label not supported')
        if last_batch_handle not in _LAST:
            raise ValueError(f"ImageIter: last_batch_handle must be one of {_LAST}, "
                             f"got {last_batch_handle!r}")
        if len(data_shape) != 3:
            raise ValueError('data_shape should have length 3, with dimensions CxHxW')
        if data_shape[0] != 3:
            raise ValueError('This iterator expects inputs to have 3 channels.')
        self.imgrec, self.imglist, keys = None, None, None
        if path_imgrec:
            if path_imgidx:
                self.imgrec = recordio.MXIndexedRecordIO(path_imgidx, path_imgrec, 'r')
                keys = list(self.imgrec.keys)
            else:
                self.imgrec = recordio.MXRecordIO(path_imgrec, 'r')
        if path_imglist:
            self.imglist, keys = {}, []
            with open(path_imglist) as fin:
                for line in fin:
                    parts = line.strip().split('\t')
                    key = int(parts[0])
                    self.imglist[key] = (np.array(parts[1:-1], dtype=dtype), parts[-1])
                    keys.append(key)
        elif isinstance(imglist, list):
            self.imglist, keys = {}, []
            for i, entry in enumerate(imglist):
                label = entry[:-1] if len(entry) > 2 else entry[0]
                self.imglist[str(i + 1)] = (np.array(label, dtype=dtype).reshape(-1), entry[-1])
                keys.append(str(i + 1))
        if self.imgrec is not None and not (shuffle or num_parts > 1 or path_imgidx):
            keys = None                  # read the .rec sequentially
        elif (shuffle or num_parts > 1) and keys is None:
            raise AssertionError("ImageIter: shuffle and num_parts need path_imgidx")
        if num_parts > 1:
            n = len(keys) // num_parts
            keys = keys[part_index * n:(part_index + 1) * n]
        self.seq = keys
        self.path_root = path_root
        self.batch_size, self.data_shape = batch_size, tuple(data_shape)
        self.label_width, self.shuffle, self.dtype = label_width, shuffle, dtype
        label_shape = (batch_size, label_width) if label_width > 1 else (batch_size,)
        self.provide_data = [(data_name, (batch_size,) + self.data_shape)]
        self.provide_label = [(label_name, label_shape)]
        self.auglist = CreateAugmenter(data_shape, **kwargs) if aug_list is None else aug_list
        self.last_batch_handle = last_batch_handle
        self.cur, self._allow_read, self._cache = 0, True, None
        self.reset()

    def reset(self):
        """Start a new epoch (reshuffling if asked); a rolled-over batch is kept."""
        if self.seq is not None and self.shuffle:
            self.seq = [self.seq[i] for i in torch.randperm(len(self.seq)).tolist()]
        if self.last_batch_handle != 'roll_over' or self._cache is None:
            if self.imgrec is not None:
                self.imgrec.reset()
            self.cur, self._allow_read = 0, True

    def hard_reset(self):
        """Start a new epoch, dropping any rolled-over samples."""
        self._cache = None
        self.reset()

    def next_sample(self):
        """The next (label, encoded image bytes); StopIteration at the end."""
        if not self._allow_read:
            raise StopIteration
        if self.seq is None:
            s = self.imgrec.read()
            if s is None:
                if self.last_batch_handle != 'discard':
                    self.imgrec.reset()
                raise StopIteration
            header, img = recordio.unpack(s)
            return header.label, img
        if self.cur >= len(self.seq):
            if self.last_batch_handle != 'discard':
                self.cur = 0
            raise StopIteration
        idx = self.seq[self.cur]
        self.cur += 1
        if self.imgrec is not None:
            header, img = recordio.unpack(self.imgrec.read_idx(idx))
            return (header.label if self.imglist is None else self.imglist[idx][0]), img
        label, fname = self.imglist[idx]
        path = os.path.join(self.path_root or '', fname)
        try:
            with open(path, 'rb') as f:
                return label, f.read()
        except OSError as e:
            raise MXNetError(f"ImageIter: cannot read image {path!r}: {e.strerror}") from None

    def _fill(self, data, label, start):
        i = start
        try:
            while i < self.batch_size:
                lab, s = self.next_sample()
                img = imdecode(s)
                for aug in self.auglist:
                    img = aug(img)
                if img.shape != self.data_shape[1:] + (self.data_shape[0],):
                    raise MXNetError(f"ImageIter: augmented image has shape {img.shape}, "
                                     f"expected (H, W, C) = {self.data_shape[1:]} + "
                                     f"({self.data_shape[0]},); add a crop or resize")
                data[i] = img._t.permute(2, 0, 1)
                label[i] = torch.as_tensor(np.asarray(lab, dtype=np.float32)).reshape(
                    label[i].shape)
                i += 1
        except StopIteration:
            if not i:
                raise
        return i

    def next(self):
        """The next DataBatch; StopIteration at the end of the epoch."""
        if self._cache is not None:
            data, label, i = self._cache
        else:
            c, h, w = self.data_shape
            data = torch.zeros((self.batch_size, c, h, w))
            # MXNet's label buffer is float32 whatever `dtype` says (dtype is the list's)
            label = torch.full(self.provide_label[0][1], self._label_fill)
            i = self._fill(data, label, 0)
        pad = self.batch_size - i
        if pad:
            if self.last_batch_handle == 'discard':
                raise StopIteration
            if self.last_batch_handle == 'roll_over' and self._cache is None:
                self._cache = (data, label, i)
                raise StopIteration
            self._fill(data, label, i)
            if self.last_batch_handle == 'pad':
                self._allow_read = False
            else:
                self._cache = None
        label_nd = _box(label)
        return DataBatch([_box(data)], [label_nd], pad=pad)

    __next__ = next

    def __iter__(self):
        return self

    def iter_next(self):
        """Whether there is a next batch (reads it into `self._next`)."""
        try:
            self._next = self.next()
            return True
        except StopIteration:
            return False

    def getdata(self):
        return self._next.data

    def getlabel(self):
        return self._next.label

    def getpad(self):
        return self._next.pad

