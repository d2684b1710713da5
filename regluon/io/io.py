"""`mx.io` data iterators written in Python in MXNet: DataDesc, DataBatch, DataIter,
NDArrayIter, ResizeIter and PrefetchingIter, with MXNet 1.9.1's batching, padding and reset
rules (`last_batch_handle` 'pad' | 'discard' | 'roll_over')."""
from collections import OrderedDict, namedtuple

import numpy as np

from ..ndarray.ndarray import NDArray
from .. import ndarray as nd

__all__ = ['DataDesc', 'DataBatch', 'DataIter', 'ResizeIter', 'PrefetchingIter', 'NDArrayIter']


class DataDesc(namedtuple('DataDesc', ['name', 'shape'])):
    """Name, shape, type and layout of a data or label input.

    Parameters
    ----------
    name : str
        Data name.
    shape : tuple of int
        Data shape.
    dtype : np.dtype, optional
        Data type.
    layout : str, optional
        Data layout; the position of 'N' is the batch axis.
    """

    def __new__(cls, name, shape, dtype=np.float32, layout='NCHW'):
        ret = super().__new__(cls, name, shape)
        ret.dtype = dtype
        ret.layout = layout
        return ret

    def __repr__(self):
        return f"DataDesc[{self.name},{self.shape},{self.dtype},{self.layout}]"

    @staticmethod
    def get_batch_axis(layout):
        """The axis of 'N' in `layout` (0 when `layout` is None)."""
        return 0 if layout is None else layout.find('N')

    @staticmethod
    def get_list(shapes, types):
        """DataDescs from [(name, shape)] and optionally [(name, dtype)]."""
        if types is not None:
            type_dict = dict(types)
            return [DataDesc(x[0], x[1], type_dict[x[0]]) for x in shapes]
        return [DataDesc(x[0], x[1]) for x in shapes]


class DataBatch:
    """One batch: lists of data and label NDArrays, and `pad`, the number of examples at the
    end that only fill the batch up (ignore them in prediction)."""

    def __init__(self, data, label=None, pad=None, index=None, bucket_key=None,
                 provide_data=None, provide_label=None):
        if data is not None:
            assert isinstance(data, (list, tuple)), "Data must be list of NDArrays"
        if label is not None:
            assert isinstance(label, (list, tuple)), "Label must be list of NDArrays"
        self.data, self.label, self.pad, self.index = data, label, pad, index
        self.bucket_key = bucket_key
        self.provide_data, self.provide_label = provide_data, provide_label

    def __str__(self):
        label_shapes = [l.shape for l in self.label] if self.label else None
        return (f"{type(self).__name__}: data shapes: {[d.shape for d in self.data]} "
                f"label shapes: {label_shapes}")


class DataIter:
    """The base class of MXNet data iterators: `next()` gives a DataBatch until
    StopIteration; `reset()` goes back to the start."""

    def __init__(self, batch_size=0):
        self.batch_size = batch_size

    def __iter__(self):
        return self

    def reset(self):
        """Reset the iterator to the begin of the data."""

    def next(self):
        """The next DataBatch; raises StopIteration at the end of the data."""
        if self.iter_next():
            return DataBatch(data=self.getdata(), label=self.getlabel(),
                             pad=self.getpad(), index=self.getindex())
        raise StopIteration

    def __next__(self):
        return self.next()

    def iter_next(self):
        """Move to the next batch; whether there was one."""

    def getdata(self):
        """The data of the current batch (a list of NDArray)."""

    def getlabel(self):
        """The label of the current batch (a list of NDArray)."""

    def getindex(self):
        """The indices of the examples in the current batch, or None."""
        return None

    def getpad(self):
        """The number of padding examples in the current batch."""


class _BatchHolder(DataIter):
    """A DataIter whose iter_next() sets `current_batch`, the batch the getters read."""

    def getdata(self):
        return self.current_batch.data

    def getlabel(self):
        return self.current_batch.label

    def getindex(self):
        return self.current_batch.index

    def getpad(self):
        return self.current_batch.pad


class ResizeIter(_BatchHolder):
    """Make `data_iter` give `size` batches per epoch, restarting it when it runs out.

    Parameters
    ----------
    data_iter : DataIter
        The data iterator to be resized.
    size : int
        The number of batches per epoch to resize to.
    reset_internal : bool
        Whether to reset internal iterator on ResizeIter.reset.
    """

    def __init__(self, data_iter, size, reset_internal=True):
        super().__init__()
        self.data_iter, self.size, self.reset_internal = data_iter, size, reset_internal
        self.cur = 0
        self.current_batch = None
        self.provide_data = data_iter.provide_data
        self.provide_label = data_iter.provide_label
        self.batch_size = data_iter.batch_size
        if hasattr(data_iter, 'default_bucket_key'):
            self.default_bucket_key = data_iter.default_bucket_key

    def reset(self):
        self.cur = 0
        if self.reset_internal:
            self.data_iter.reset()

    def iter_next(self):
        if self.cur == self.size:
            return False
        try:
            self.current_batch = self.data_iter.next()
        except StopIteration:
            self.data_iter.reset()
            self.current_batch = self.data_iter.next()
        self.cur += 1
        return True


class PrefetchingIter(_BatchHolder):
    """Joins several iterators batch by batch (data and labels concatenated as lists),
    renaming their inputs with `rename_data`/`rename_label` ([{old: new}] per iterator).

    MXNet reads ahead on one thread per iterator; here batches are read when asked for,
    since torch ops already run outside the GIL and the batches come out the same.
    """

    def __init__(self, iters, rename_data=None, rename_label=None):
        super().__init__()
        self.iters = iters if isinstance(iters, list) else [iters]
        self.n_iter = len(self.iters)
        assert self.n_iter > 0
        self.rename_data, self.rename_label = rename_data, rename_label
        self.batch_size = self.provide_data[0][1][0]
        self.current_batch = None

    def _renamed(self, descs, renames):
        if renames is None:
            return sum(descs, [])
        return sum([[DataDesc(r[x.name], x.shape, x.dtype) if isinstance(x, DataDesc)
                     else DataDesc(*x) for x in d] for r, d in zip(renames, descs)], [])

    @property
    def provide_data(self):
        return self._renamed([i.provide_data for i in self.iters], self.rename_data)

    @property
    def provide_label(self):
        return self._renamed([i.provide_label for i in self.iters], self.rename_label)

    def reset(self):
        for i in self.iters:
            i.reset()

    def iter_next(self):
        batches = []
        for it in self.iters:
            try:
                batches.append(it.next())
            except StopIteration:
                batches.append(None)
        if batches[0] is None:
            assert all(b is None for b in batches), "Number of entry mismatches between iterators"
            return False
        for b in batches:
            assert b is not None and b.pad == batches[0].pad, \
                "Number of entry mismatches between iterators"
        self.current_batch = DataBatch(sum([b.data for b in batches], []),
                                       sum([b.label for b in batches], []),
                                       batches[0].pad, batches[0].index,
                                       provide_data=self.provide_data,
                                       provide_label=self.provide_label)
        return True

    def next(self):
        if self.iter_next():
            return self.current_batch
        raise StopIteration


def _scipy_csr(x):
    """Whether `x` is a scipy.sparse CSR matrix (without importing scipy)."""
    return type(x).__module__.startswith('scipy.sparse') and getattr(x, 'format', '') == 'csr'


def _init_data(data, allow_empty, default_name):
    """[(name, NDArray)] sorted by name from an array, a list of arrays or a dict."""
    assert (data is not None) or allow_empty
    data = [] if data is None else data
    if isinstance(data, (np.ndarray, NDArray)) or _scipy_csr(data):
        data = [data]
    if isinstance(data, list):
        if not allow_empty:
            assert len(data) > 0
        if len(data) == 1:
            data = OrderedDict([(default_name, data[0])])
        else:
            data = OrderedDict([(f'_{i}_{default_name}', d) for i, d in enumerate(data)])
    if not isinstance(data, dict):
        raise TypeError("Input must be NDArray, numpy.ndarray, h5py.Dataset "
                        "a list of them or dict with them as values")
    data = dict(data)
    for k, v in data.items():
        if _scipy_csr(v):           # a scipy.sparse csr_matrix: a CSRNDArray, as MXNet
            data[k] = nd.sparse.csr_matrix((v.data, v.indices, v.indptr), shape=v.shape,
                                           dtype=v.dtype)
        elif not isinstance(v, NDArray):
            try:
                data[k] = nd.array(v)
            except Exception:
                raise TypeError(f"Invalid type '{type(v)}' for {k}, "
                                "should be NDArray, numpy.ndarray or h5py.Dataset") from None
    return sorted(data.items())


class NDArrayIter(DataIter):
    """Batches of in-memory arrays (NDArray or numpy; one, a list, or a dict of them).

    Parameters
    ----------
    data: array or list of array or dict of string to array
        The input data.
    label: array or list of array or dict of string to array, optional
        The input label.
    batch_size: int
        Batch size of data.
    shuffle: bool, optional
        Whether to shuffle the data (with numpy's global random state, as MXNet).
    last_batch_handle : str, optional
        'pad': the last batch is filled up with examples from the start, `pad` counts them;
        'discard': the incomplete last batch is dropped;
        'roll_over': the remaining examples start the next epoch's first batch.
    data_name : str, optional
        The data name.
    label_name : str, optional
        The label name.
    layout : str, optional
        The data layout; 'N' marks the batch axis.
    """

    def __init__(self, data, label=None, batch_size=1, shuffle=False,
                 last_batch_handle='pad', data_name='data',
                 label_name='softmax_label', layout='NCHW'):
        super().__init__(batch_size)
        if last_batch_handle not in ('pad', 'discard', 'roll_over'):
            raise ValueError("NDArrayIter: last_batch_handle must be 'pad', 'discard' or "
                             f"'roll_over', got {last_batch_handle!r}")
        self.data = _init_data(data, allow_empty=False, default_name=data_name)
        self.label = _init_data(label, allow_empty=True, default_name=label_name)
        if last_batch_handle != 'discard' and any(
                v.stype == 'csr' for _, v in self.data + self.label):
            raise NotImplementedError("`NDArrayIter` only supports ``CSRNDArray`` with "
                                      "`last_batch_handle` set to `discard`.")
        self.idx = np.arange(self.data[0][1].shape[0])
        self.shuffle = shuffle
        self.last_batch_handle = last_batch_handle
        self.cursor = -self.batch_size
        self.num_data = self.idx.shape[0]
        self.reset()
        self.data_list = [x[1] for x in self.data] + [x[1] for x in self.label]
        self.num_source = len(self.data_list)
        self._cache_data = self._cache_label = None   # the 'roll_over' remainder
        self.layout = layout

    def _descs(self, source):
        axis = self.layout.find('N')
        return [DataDesc(k, tuple(v.shape[:axis]) + (self.batch_size,) + tuple(v.shape[axis + 1:]),
                         v.dtype, layout=self.layout) for k, v in source]

    @property
    def provide_data(self):
        """The name and shape of data provided by this iterator."""
        return self._descs(self.data)

    @property
    def provide_label(self):
        """The name and shape of label provided by this iterator."""
        return self._descs(self.label)

    def hard_reset(self):
        """Ignore roll over data and set to start."""
        if self.shuffle:
            self._shuffle_data()
        self.cursor = -self.batch_size
        self._cache_data = self._cache_label = None

    def reset(self):
        """Resets the iterator to the beginning of the data."""
        if self.shuffle:
            self._shuffle_data()
        if self.last_batch_handle == 'roll_over' and \
                self.num_data - self.batch_size < self.cursor < self.num_data:
            # the cached remainder (num_data - cursor examples) opens the next epoch
            self.cursor = self.cursor - self.num_data - self.batch_size
        else:
            self.cursor = -self.batch_size

    def iter_next(self):
        self.cursor += self.batch_size
        return self.cursor < self.num_data

    def next(self):
        if not self.iter_next():
            raise StopIteration
        data, label = self.getdata(), self.getlabel()
        if data[0].shape[self.layout.find('N')] != self.batch_size:
            # an incomplete last batch ('discard', 'roll_over'): kept for the next epoch
            self._cache_data, self._cache_label = data, label
            raise StopIteration
        return DataBatch(data=data, label=label, pad=self.getpad(), index=None)

    def _getdata(self, source, start=None, end=None):
        assert start is not None or end is not None, 'should at least specify start or end'
        start = 0 if start is None else start
        if end is None:
            end = source[0][1].shape[0] if source else 0
        axis = self.layout.find('N')
        return [x[1].slice_axis(axis=axis, begin=start, end=end) for x in source]

    def _concat(self, first, second):
        if not first or not second:
            return first if first else second
        assert len(first) == len(second), 'data source should contain the same size'
        return [nd.concat(a, b, dim=self.layout.find('N')) for a, b in zip(first, second)]

    def _tile(self, data, repeats):
        return [nd.tile(d, (repeats,) + (1,) * (d.ndim - 1)) for d in data]

    def _batchify(self, source):
        assert self.cursor < self.num_data, 'DataIter needs reset.'
        if self.last_batch_handle == 'roll_over' and -self.batch_size < self.cursor < 0:
            # the first batch of an epoch after 'roll_over': last epoch's rest, then ours
            assert self._cache_data is not None or self._cache_label is not None, \
                'next epoch should have cached data'
            cache = self._cache_data if self._cache_data is not None else self._cache_label
            second = self._getdata(source, end=self.cursor + self.batch_size)
            if self._cache_data is not None:
                self._cache_data = None
            else:
                self._cache_label = None
            return self._concat(cache, second)
        if self.last_batch_handle == 'pad' and self.cursor + self.batch_size > self.num_data:
            pad = self.batch_size - self.num_data + self.cursor
            first = self._getdata(source, start=self.cursor)
            if pad > self.num_data:
                second = self._tile(self._getdata(source, end=self.num_data),
                                    pad // self.num_data)
                if pad % self.num_data:
                    second = self._concat(second,
                                          self._getdata(source, end=pad % self.num_data))
            else:
                second = self._getdata(source, end=pad)
            return self._concat(first, second)
        end = min(self.cursor + self.batch_size, self.num_data)
        return self._getdata(source, self.cursor, end)

    def getdata(self):
        return self._batchify(self.data)

    def getlabel(self):
        return self._batchify(self.label)

    def getpad(self):
        if self.last_batch_handle == 'pad' and self.cursor + self.batch_size > self.num_data:
            return self.cursor + self.batch_size - self.num_data
        if self.last_batch_handle == 'roll_over' and -self.batch_size < self.cursor < 0:
            return -self.cursor
        return 0

    def _shuffle_data(self):
        np.random.shuffle(self.idx)   # numpy's global state, so np.random.seed repeats MXNet
        self.data = [(k, nd.array(v.asnumpy()[self.idx], v.context)) for k, v in self.data]
        self.label = [(k, nd.array(v.asnumpy()[self.idx], v.context)) for k, v in self.label]
