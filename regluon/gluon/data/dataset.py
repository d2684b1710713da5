"""Dataset containers: Dataset and its transform/filter/shard/take/sample views.

A dataset may also answer `_batch(indices)`: the whole default-batchified batch at once,
by indexing its arrays in bulk (one torch gather instead of `len(indices)` sample reads and
a stack). It returns None when it cannot, and the DataLoader then reads sample by sample.
The answer must equal `default_batchify_fn([self[i] for i in indices])` exactly.
"""
import os

import numpy as np
import torch

from ...ndarray.ndarray import NDArray, _box
from ...numpy import _mode as _npmode
from ... import recordio

__all__ = ['Dataset', 'SimpleDataset', 'ArrayDataset', 'RecordFileDataset']


class Dataset:
    """Abstract dataset class. All datasets should have this interface.

    Subclasses need to override `__getitem__`, which returns the i-th element, and
    `__len__`, which returns the total number elements. An NDArray or numpy array can
    be used directly as a dataset.
    """

    def __getitem__(self, idx):
        raise NotImplementedError

    def __len__(self):
        raise NotImplementedError

    def _batch(self, indices):
        """The default-batchified samples at `indices` in one go, or None (see module doc)."""
        return None

    def filter(self, fn):
        """Returns a new dataset with the samples for which `fn(sample)` is True.

        Parameters
        ----------
        fn : callable
            A filter function that takes a sample as input and returns a boolean.
            Samples that return False are discarded.
        """
        from .sampler import FilterSampler
        return _SampledDataset(self, FilterSampler(fn, self))

    def shard(self, num_shards, index):
        """Returns a new dataset with the `index`-th of `num_shards` contiguous parts.

        Parameters
        ----------
        num_shards : int
            A integer representing the number of data shards.
        index : int
            A integer representing the index of the current shard.
        """
        # MXNet asserts; an AssertionError is what its users' code would see too.
        assert index < num_shards, 'Shard index of out bound: %d out of %d' % (index, num_shards)
        assert num_shards > 0, 'Number of shards must be greater than 0'
        assert index >= 0, 'Index must be non-negative'
        length = len(self)
        shard_len, rest = divmod(length, num_shards)
        # the first `rest` shards get one extra sample, as in MXNet
        start = shard_len * index + min(index, rest)
        end = start + shard_len + (index < rest)
        from .sampler import SequentialSampler
        return _SampledDataset(self, SequentialSampler(end - start, start))

    def take(self, count):
        """Returns a new dataset with at most `count` samples (all of them if None).

        Parameters
        ----------
        count : int or None
            The number of leading samples to keep.
        """
        if count is None or count > len(self):
            count = len(self)
        from .sampler import SequentialSampler
        return _SampledDataset(self, SequentialSampler(count))

    def sample(self, sampler):
        """Returns a new dataset with the elements chosen by `sampler`.

        Parameters
        ----------
        sampler : Sampler
            A Sampler that returns the indices of sampled elements.
        """
        from .sampler import Sampler
        if not isinstance(sampler, Sampler):
            raise TypeError('Invalid sampler type: %s. Expected gluon.data.Sampler instead.'
                            % type(sampler))
        return _SampledDataset(self, sampler)

    def transform(self, fn, lazy=True):
        """Returns a new dataset with each sample transformed by `fn`.

        Parameters
        ----------
        fn : callable
            Takes a sample (a tuple sample is unpacked into arguments) and returns the
            transformed sample.
        lazy : bool, default True
            If False, transforms all samples at once. Otherwise, transforms each sample
            on demand. A random `fn` needs lazy=True or every epoch sees the same result.
        """
        trans = _LazyTransformDataset(self, fn)
        if lazy:
            return trans
        return SimpleDataset([i for i in trans])

    def transform_first(self, fn, lazy=True):
        """Returns a new dataset with the first element of each sample transformed by `fn`.

        Parameters
        ----------
        fn : callable
            Takes the first element of a sample and returns its transformed value.
        lazy : bool, default True
            As for `transform`.
        """
        return self.transform(_TransformFirstClosure(fn), lazy)


class SimpleDataset(Dataset):
    """Simple Dataset wrapper for lists and arrays.

    Parameters
    ----------
    data : dataset-like object
        Any object that implements `len()` and `[]`.
    """

    def __init__(self, data):
        self._data = data

    def __len__(self):
        return len(self._data)

    def __getitem__(self, idx):
        return self._data[idx]

    def _batch(self, indices):
        t = _bulk_tensor(self._data)
        return None if t is None else _gather(t, indices)


class _LazyTransformDataset(Dataset):
    """Lazily transformed dataset."""

    def __init__(self, data, fn):
        self._data, self._fn = data, fn

    def __len__(self):
        return len(self._data)

    def __getitem__(self, idx):
        item = self._data[idx]
        if isinstance(item, tuple):
            return self._fn(*item)
        return self._fn(item)

    def _batch(self, indices):
        # A transform of the first field that knows its per-sample effect on a whole batch
        # (ToTensor, Normalize, random flips, ...) runs once per batch.
        if not isinstance(self._fn, _TransformFirstClosure):
            return None
        batched = getattr(self._fn._fn, '_batched', lambda: None)()
        inner = self._data._batch(indices) if batched is not None else None
        if inner is None:
            return None
        if isinstance(inner, list):
            return [batched(inner[0])] + inner[1:]
        return batched(inner)


class _TransformFirstClosure:
    """Use callable object instead of nested function, it can be pickled."""

    def __init__(self, fn):
        self._fn = fn

    def __call__(self, x, *args):
        if args:
            return (self._fn(x),) + args
        return self._fn(x)


class _SampledDataset(Dataset):
    """Dataset with elements chosen by a sampler."""

    def __init__(self, dataset, sampler):
        self._dataset, self._sampler = dataset, sampler
        self._indices = list(iter(sampler))

    def __len__(self):
        return len(self._sampler)

    def __getitem__(self, idx):
        return self._dataset[self._indices[idx]]

    def _batch(self, indices):
        return self._dataset._batch([self._indices[i] for i in indices])


class ArrayDataset(Dataset):
    """A dataset that combines multiple dataset-like objects, e.g. Datasets, lists, arrays.

    The i-th sample is defined as `(x1[i], x2[i], ...)`.

    Parameters
    ----------
    *args : one or more dataset-like objects
        The data arrays.
    """

    def __init__(self, *args):
        if not args:
            raise AssertionError("ArrayDataset: needs at least 1 array, got none")
        self._length = len(args[0])
        self._data = []
        for i, data in enumerate(args):
            if len(data) != self._length:
                # AssertionError, as MXNet raises (its check is an assert)
                raise AssertionError(
                    "ArrayDataset: all arrays must have the same length; array[0] has "
                    f"length {self._length} while array[{i}] has {len(data)}.")
            # MXNet quirk: a 1-D NDArray is kept as numpy, so samples are numpy scalars.
            if isinstance(data, NDArray) and data.ndim == 1:
                data = data.asnumpy()
            self._data.append(data)
        self._tensors = None

    def __getitem__(self, idx):
        if len(self._data) == 1:
            return self._data[0][idx]
        return tuple(data[idx] for data in self._data)

    def __len__(self):
        return self._length

    def _batch(self, indices):
        if self._tensors is None:
            self._tensors = [_bulk_tensor(d) for d in self._data]
        if any(t is None for t in self._tensors):
            return None
        if len(self._tensors) == 1:
            return _gather(self._tensors[0], indices)
        idx = torch.as_tensor(indices, dtype=torch.long)
        return [_box(t.index_select(0, idx)) for t in self._tensors]


def _bulk_tensor(data):
    """A torch view of an NDArray / numeric numpy array to gather batches from, else None."""
    if isinstance(data, NDArray):
        return data._t.detach()
    if isinstance(data, np.ndarray) and data.dtype.kind in 'biuf' and data.ndim >= 1:
        if data.dtype in (np.uint16, np.uint32, np.uint64):
            return None
        return torch.from_numpy(np.ascontiguousarray(data))
    return None


def _gather(t, indices):
    return _box(t.index_select(0, torch.as_tensor(indices, dtype=torch.long)))


class RecordFileDataset(Dataset):
    """A dataset wrapping over a RecordIO (.rec) file; each sample is a record's bytes.

    Parameters
    ----------
    filename : str
        Path to rec file. Its index is the file of the same name ending in `.idx`.
    """

    def __init__(self, filename):
        self.idx_file = os.path.splitext(filename)[0] + '.idx'
        self.filename = filename
        self._record = recordio.MXIndexedRecordIO(self.idx_file, self.filename, 'r')

    def __getitem__(self, idx):
        return self._record.read_idx(self._record.keys[idx])

    def __len__(self):
        return len(self._record.keys)


class _DownloadedDataset(Dataset):
    """Base class for MNIST, CIFAR10, etc.: `_data` (NDArray) and `_label` (numpy)."""

    def __init__(self, root, transform):
        self._transform = transform
        self._data = None
        self._label = None
        root = os.path.expanduser(root)
        self._root = root
        os.makedirs(root, exist_ok=True)
        self._get_data()

    def __getitem__(self, idx):
        data, label = self._data[idx], self._label[idx]
        if _npmode.active:      # npx.set_np(): np arrays, as MXNet's datasets then make
            data, label = _npmode.sample(data, label)
        if self._transform is not None:
            return self._transform(data, label)
        return data, label

    def __len__(self):
        return len(self._label)

    def _batch(self, indices):
        if self._transform is not None:
            return None
        idx = torch.as_tensor(indices, dtype=torch.long)
        return [_box(self._data._t.index_select(0, idx)),
                _box(torch.from_numpy(self._label).index_select(0, idx))]

    def _get_data(self):
        raise NotImplementedError
