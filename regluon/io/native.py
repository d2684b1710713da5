"""The iterators MXNet implements in C++ (`MNISTIter`, `CSVIter`, `ImageRecordIter`),
here over numpy and torch with the same batches, pads and reset rules.

Their parameters are keyword-only, as in MXNet. `ImageRecordIter` (image_record.py) covers
MXNet's default augmenter but its affine warp; the arguments it lacks raise MXNetError
instead of being ignored.
"""
import numpy as np
import torch

from ..base import MXNetError
from ..ndarray.ndarray import _box
from .io import DataBatch, DataDesc, DataIter

__all__ = ['MXDataIter', 'MNISTIter', 'CSVIter', 'ImageRecordIter', 'ImageRecordUInt8Iter']


class MXDataIter(DataIter):
    """The base of the iterators MXNet writes in C++: one data and one label array per
    batch, named 'data' and 'softmax_label', `provide_data`/`provide_label` from the first
    batch (read up front, as MXNet does). Subclasses implement `_rewind` and `_advance`."""

    def __init__(self, data_name='data', label_name='softmax_label'):
        super().__init__()
        self._batch = self._first = None
        self._first = first = self.next()   # MXNet reads the first batch up front
        self.provide_data = [DataDesc(data_name, first.data[0].shape, first.data[0].dtype)]
        self.provide_label = [DataDesc(label_name, first.label[0].shape, first.label[0].dtype)]
        self.batch_size = first.data[0].shape[0]

    def reset(self):
        self._first = None
        self._rewind()

    def _rewind(self):
        """Go back to the first example."""
        raise NotImplementedError

    def iter_next(self):
        return self._first is not None or self._advance()

    def _advance(self):
        """Read the next batch into self._batch; whether there was one."""
        raise NotImplementedError

    def next(self):
        if self._first is not None:
            first, self._first = self._first, None
            return first
        if not self._advance():
            raise StopIteration
        return DataBatch(data=[self.getdata()], label=[self.getlabel()], pad=self.getpad(),
                         index=self.getindex())

    def getdata(self):
        return self._batch[0]

    def getlabel(self):
        return self._batch[1]

    def getpad(self):
        return self._batch[2]


def _kwargs_only(name, args):
    if args:
        raise TypeError(f'{name} can only accept keyword arguments')


def _cast(array, dtype):
    return array if dtype in (None, 'None') else array.astype(np.dtype(dtype))


class MNISTIter(MXDataIter):
    """Iterating on the MNIST dataset (IDX files, uncompressed as MXNet reads them).

    Images are float32 in [0, 1) (pixel / 256, as MXNet), shape (batch, 1, 28, 28), or
    (batch, 784) with `flat=True`; labels float32 (batch,). The examples that do not fill
    a whole batch are left out. `shuffle` permutes once, with `seed`, in MXNet's order.

    Parameters
    ----------
    image, label : str
        IDX image and label file paths.
    batch_size : int, default 128
    shuffle : bool, default True
    flat : bool, default False
    seed : int, default 0
    num_parts, part_index : int
        Read only part `part_index` of `num_parts` equal parts.
    """

    def __init__(self, *args, image='./train-images-idx3-ubyte', label='./train-labels-idx1-ubyte',
                 batch_size=128, shuffle=True, flat=False, seed=0, silent=False,
                 num_parts=1, part_index=0, dtype=None, data_name='data',
                 label_name='softmax_label', **_ignored):
        _kwargs_only('MNISTIter', args)
        from ..gluon.data.vision.datasets import read_idx
        img = read_idx(image, 2051).astype(np.float32) / 256
        lab = read_idx(label, 2049).astype(np.float32)
        if len(img) != len(lab):
            raise MXNetError(f"MNISTIter: {image} has {len(img)} images but {label} has "
                             f"{len(lab)} labels")
        step = len(lab) // int(num_parts)
        img = img[step * part_index: step * (part_index + 1)]
        lab = lab[step * part_index: step * (part_index + 1)]
        if shuffle:
            perm = _cpp_shuffle(len(lab), seed)
            img, lab = img[perm], lab[perm]
        shape = (-1, img.shape[1] * img.shape[2]) if flat else (-1, 1) + img.shape[1:]
        self._img = torch.from_numpy(_cast(img.reshape(shape), dtype))
        self._lab = torch.from_numpy(lab)
        self._bs, self._loc = int(batch_size), 0
        super().__init__(data_name, label_name)

    def _rewind(self):
        self._loc = 0

    def _advance(self):
        lo, hi = self._loc, self._loc + self._bs
        if hi > len(self._lab):
            return False
        self._batch = (_box(self._img[lo:hi].clone()), _box(self._lab[lo:hi].clone()), 0)
        self._loc = hi
        return True


def _cpp_shuffle(n, seed):
    """The permutation MXNet's MNISTIter draws: std::shuffle with std::mt19937(seed), as
    libstdc++ implements it (Fisher-Yates; uniform_int_distribution by downscaling with
    rejection). numpy's MT19937 with the legacy seeding is the same engine."""
    bits = np.random.MT19937()
    key = np.random.RandomState(seed).get_state()
    bits.state = {'bit_generator': 'MT19937', 'state': {'key': key[1], 'pos': key[2]}}
    order = np.arange(n)
    for i in range(1, n):
        scaling = 0xFFFFFFFF // (i + 1)
        while True:
            x = int(bits.random_raw())
            if x < (i + 1) * scaling:
                break
        j = x // scaling
        order[i], order[j] = order[j], order[i]
    return order


class _BatchLoader(MXDataIter):
    """MXNet's BatchLoader over a list of examples: `round_batch` fills the last batch
    from the start and the next epoch goes on after those examples; without it the last
    batch keeps the previous batch's rows past the new ones (`pad` counts them)."""

    def __init__(self, batch_size, round_batch, data_name, label_name):
        self._bs, self._round = int(batch_size), bool(round_batch)
        self._pos, self._overflow = 0, 0
        self._buf = None
        super().__init__(data_name, label_name)

    def _count(self):
        """The number of examples."""
        raise NotImplementedError

    def _example(self, i):
        """(data, label) numpy arrays of example i."""
        raise NotImplementedError

    def _finish(self, data):
        """The batch tensor of the stacked examples `data` (numpy)."""
        return torch.from_numpy(data.copy())

    def _rewind(self):
        if not self._round or self._overflow == 0:
            self._pos = 0
        self._overflow = 0

    def _take(self, slot):
        data, label = self._example(self._pos)
        self._pos += 1
        if self._buf is None:
            self._buf = (np.zeros((self._bs,) + data.shape, data.dtype),
                         np.zeros((self._bs,) + label.shape, label.dtype))
        self._buf[0][slot], self._buf[1][slot] = data, label

    def _advance(self):
        if self._overflow:
            return False
        top = 0
        while top < self._bs and self._pos < self._count():
            self._take(top)
            top += 1
        if top == 0:
            return False
        pad = 0
        if top < self._bs:
            if self._round:
                self._pos = 0
                while top < self._bs:
                    if self._pos >= self._count():
                        raise MXNetError("number of input must be bigger than batch size")
                    self._take(top)
                    top += 1
                    self._overflow += 1
                pad = self._overflow
            else:
                pad = self._bs - top
        self._batch = self._boxed() + (pad,)
        return True

    def _boxed(self):
        """(data, label) NDArrays of the examples in the batch buffer."""
        return (_box(self._finish(self._buf[0])), _box(torch.from_numpy(self._buf[1].copy())))


class CSVIter(_BatchLoader):
    """Batches from CSV files of numbers: one example per line, reshaped to `data_shape`;
    labels from `label_csv` (zeros without one) of `label_shape` ((1,) gives (batch,)).

    Parameters
    ----------
    data_csv : str
    data_shape : tuple
    label_csv : str, optional
    label_shape : tuple, default (1,)
    batch_size : int
    round_batch : bool, default True
    dtype : str, optional
        Output type of data and label; float32 by default.
    """

    def __init__(self, *args, data_csv, data_shape, batch_size, label_csv=None,
                 label_shape=(1,), round_batch=True, dtype=None, data_name='data',
                 label_name='softmax_label', **_ignored):
        _kwargs_only('CSVIter', args)
        dt = np.float32 if dtype in (None, 'None') else np.dtype(dtype)
        self._data = _read_csv(data_csv, tuple(data_shape), dt, 'data_csv')
        label_shape = tuple(label_shape)
        if label_csv in (None, 'NULL'):
            self._label = np.zeros((len(self._data),) + label_shape, dt)
        else:
            self._label = _read_csv(label_csv, label_shape, dt, 'label_csv')
            if len(self._label) != len(self._data):
                raise MXNetError(f"CSVIter: data_csv {data_csv!r} has {len(self._data)} rows "
                                 f"but label_csv {label_csv!r} has {len(self._label)}")
        if label_shape == (1,):
            self._label = self._label.reshape(-1)
        super().__init__(batch_size, round_batch, data_name, label_name)

    def _count(self):
        return len(self._data)

    def _example(self, i):
        return self._data[i], self._label[i]


def _read_csv(path, shape, dtype, what):
    try:
        rows = np.loadtxt(path, delimiter=',', dtype=np.float64, ndmin=2)
    except (OSError, ValueError) as e:
        raise MXNetError(f"CSVIter: cannot read {what} {path!r}: {e}") from None
    size = int(np.prod(shape))
    if rows.shape[1] != size:
        raise MXNetError(f"CSVIter: {what} {path!r} has {rows.shape[1]} values per line, "
                         f"but the shape {shape} needs {size}")
    return rows.astype(dtype).reshape((-1,) + shape)


# image_record.py builds on _BatchLoader above, so it comes last
from .image_record import ImageRecordIter, ImageRecordUInt8Iter  # noqa: E402
