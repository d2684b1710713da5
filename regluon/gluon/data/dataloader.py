"""DataLoader: mini-batches from a Dataset, in this process, worker processes or threads.

Speed: when the batchify function is the default one and the dataset can gather a whole
batch from its arrays (`Dataset._batch`), a batch is one torch index_select, not
`batch_size` sample reads and a stack; `transform_first` transforms that know their
per-sample effect on a batch run once per batch. Worker processes (see workers.py) send
batches back as torch tensors: big ones in shared memory, so only handles are pickled.
Their batches report context cpu(0), where MXNet says cpu_shared(0): the memory is plain
CPU memory to torch, and cpu(0) keeps `net(batch)` finding the Parameters' cpu(0) copies.
"""
import io
import itertools
import multiprocessing.pool
import pickle
from multiprocessing.reduction import ForkingPickler  # noqa: F401  (MXNet's module name)

import numpy as np

from ...ndarray.ndarray import NDArray
from ...numpy import _mode as _npmode
from .dataset import Dataset, SimpleDataset
from . import sampler as _sampler
from .batchify import default_batchify_fn, default_mp_batchify_fn, pin
from .workers import WorkerPool, DataLoaderTimeoutError, timeout_message

__all__ = ['DataLoader', 'default_batchify_fn', 'default_mp_batchify_fn',
           'DataLoaderTimeoutError']


class DataLoader:
    """Loads data from a dataset and returns mini-batches of data.

    Parameters
    ----------
    dataset : Dataset
        Source dataset. Note that numpy and mxnet arrays can be directly used as a Dataset.
    batch_size : int
        Size of mini-batch.
    shuffle : bool
        Whether to shuffle the samples (seeded by `mx.random.seed`).
    sampler : Sampler
        The sampler to use. Either specify sampler or shuffle, not both.
    last_batch : {'keep', 'discard', 'rollover'}
        How to handle the last batch if batch_size does not evenly divide `len(dataset)`.
    batch_sampler : Sampler
        A sampler that returns mini-batches. Do not specify batch_size, shuffle, sampler,
        and last_batch if batch_sampler is specified.
    batchify_fn : callable
        Merges a list of samples into a batch; defaults to `default_batchify_fn`.
    num_workers : int, default 0
        The number of worker processes (threads with `thread_pool=True`) that load batches.
    pin_memory : boolean, default False
        If True, return batches in pinned (page-locked) memory, context cpu_pinned.
    pin_device_id : int, default 0
        The device id of the pinned memory context.
    prefetch : int, default is `num_workers * 2`
        The number of batches the workers load ahead.
    thread_pool : bool, default False
        If True, use a pool of threads instead of processes.
    timeout : int, default is 120
        Seconds to wait for one batch from the workers before raising an MXNetError.
    auto_reload : bool, default False
        Whether to start loading the next epoch as soon as one ends.
    """

    def __init__(self, dataset, batch_size=None, shuffle=False, sampler=None,
                 last_batch=None, batch_sampler=None, batchify_fn=None,
                 num_workers=0, pin_memory=False, pin_device_id=0,
                 prefetch=None, thread_pool=False, timeout=120, auto_reload=False):
        if not timeout > 0:
            raise ValueError(f"DataLoader: timeout must be positive, given {timeout}")
        self._dataset = dataset
        self._pin_memory, self._pin_device_id = pin_memory, pin_device_id
        self._thread_pool, self._timeout = thread_pool, timeout
        if batch_sampler is None:
            if batch_size is None:
                raise ValueError("batch_size must be specified unless "
                                 "batch_sampler is specified")
            if sampler is None:
                sampler = (_sampler.RandomSampler(len(dataset)) if shuffle
                           else _sampler.SequentialSampler(len(dataset)))
            elif shuffle:
                raise ValueError("shuffle must not be specified if sampler is specified")
            batch_sampler = _sampler.BatchSampler(sampler, batch_size,
                                                  last_batch if last_batch else 'keep')
        elif batch_size is not None or shuffle or sampler is not None or \
                last_batch is not None:
            raise ValueError("batch_size, shuffle, sampler and last_batch must "
                             "not be specified if batch_sampler is specified.")
        self._batch_sampler = batch_sampler
        self._num_workers = num_workers if num_workers >= 0 else 0
        self._prefetch = max(0, int(prefetch) if prefetch is not None
                             else 2 * self._num_workers)
        self._batchify_fn = batchify_fn or (default_mp_batchify_fn if self._num_workers
                                            else default_batchify_fn)
        self._pool = None
        self.auto_reload = auto_reload
        self._iter = None
        if auto_reload:
            self.refresh()

    # ---- loading one batch (also what worker processes and threads run) -------------
    def _load(self, indices):
        """The batch for a list of sample indices."""
        if self._batchify_fn in (default_batchify_fn, default_mp_batchify_fn):
            batch = _bulk(self._dataset, indices)
            if batch is not None:
                return batch
        dataset = self._dataset
        return self._batchify_fn([dataset[i] for i in indices])

    def _finish(self, batch):
        batch = pin(batch, self._pin_device_id) if self._pin_memory else batch
        return _npmode.batch(batch) if _npmode.active else batch   # npx.set_np(): np arrays

    # ---- iteration --------------------------------------------------------------
    def __iter__(self):
        if self._iter is None:
            self.refresh()
        it, self._iter = self._iter, None      # one prepared iterator serves one loop
        yield from it
        if self._iter is None and self.auto_reload:
            self.refresh()

    def refresh(self):
        """Prepare the iterator of the next epoch (and start prefetching with workers)."""
        self._iter = self._make_iter()

    def clean(self):
        """Drop the prepared iterator; loading starts at the next `__iter__`."""
        self._iter = None

    def _make_iter(self):
        if self._num_workers == 0:
            return self._same_process_iter()
        if self._thread_pool:
            return self._thread_iter()
        if self._pool is None or not self._pool.healthy():
            self._pool = WorkerPool(self._num_workers, self._load)
        return self._pool.epoch(self._batch_sampler, self._prefetch, self._timeout,
                                self._finish)

    def _same_process_iter(self):
        for indices in self._batch_sampler:
            yield self._finish(self._load(indices))

    def _thread_iter(self):
        # Threads share torch's generator, so random transforms are not reproducible
        # across runs here (nor are they in MXNet's thread pool).
        if self._pool is None:
            self._pool = multiprocessing.pool.ThreadPool(self._num_workers)
        batches = iter(self._batch_sampler)
        pending = [self._pool.apply_async(self._load, (indices,))
                   for indices in itertools.islice(batches, max(self._prefetch, 1))]
        while pending:
            res = pending.pop(0)
            nxt = next(batches, None)
            if nxt is not None:
                pending.append(self._pool.apply_async(self._load, (nxt,)))
            try:
                batch = res.get(self._timeout)
            except multiprocessing.TimeoutError:
                raise DataLoaderTimeoutError(timeout_message(self._timeout, 'thread')) \
                    from None
            yield self._finish(batch)

    def __len__(self):
        return len(self._batch_sampler)

    def __del__(self):
        pool = getattr(self, '_pool', None)
        if pool is not None:
            pool.terminate()


def _worker_initializer(dataset, active_shape=None, active_array=None):
    """MXNet's pool initializer: keep the dataset in the worker for `_worker_fn`."""
    global _worker_dataset  # pylint: disable=global-variable-undefined
    _worker_dataset = dataset


def _worker_fn(samples, batchify_fn, dataset=None):
    """MXNet's pool worker body: the batch of `samples` from the dataset the pool initializer
    stored in `_worker_dataset`, pickled (kept for subclasses of `_MultiWorkerIter`)."""
    batch = batchify_fn([_worker_dataset[i] for i in samples])  # noqa: F821 (set above)
    buf = io.BytesIO()
    ForkingPickler(buf, pickle.HIGHEST_PROTOCOL).dump(batch)
    return buf.getvalue()


class _MultiWorkerIter:
    """MXNet's private iterator over batches loaded by `worker_pool.apply_async`. regluon's
    DataLoader does not use it; libraries subclass it (GluonCV's RandomTransformDataLoader
    overrides `_push_next`), so its attributes and protocol are MXNet's."""

    def __init__(self, worker_pool, batchify_fn, batch_sampler, pin_memory=False,
                 pin_device_id=0, worker_fn=_worker_fn, prefetch=0, dataset=None,
                 data_loader=None, timeout=120):
        self._worker_pool, self._batchify_fn = worker_pool, batchify_fn
        self._batch_sampler, self._iter = batch_sampler, iter(batch_sampler)
        self._data_buffer, self._rcvd_idx, self._sent_idx = {}, 0, 0
        self._worker_fn, self._dataset, self._data_loader = worker_fn, dataset, data_loader
        self._pin_memory, self._pin_device_id, self._timeout = pin_memory, pin_device_id, timeout
        for _ in range(prefetch):
            self._push_next()

    def __len__(self):
        return len(self._batch_sampler)

    def _push_next(self):
        """Send the next batch's indices to the workers."""
        r = next(self._iter, None)
        if r is None:
            return
        self._data_buffer[self._sent_idx] = self._worker_pool.apply_async(
            self._worker_fn, (r, self._batchify_fn, self._dataset))
        self._sent_idx += 1

    def __next__(self):
        self._push_next()
        if self._rcvd_idx == self._sent_idx:
            raise StopIteration
        ret = self._data_buffer.pop(self._rcvd_idx)
        try:
            batch = ret.get(self._timeout)
        except multiprocessing.TimeoutError:
            raise DataLoaderTimeoutError(timeout_message(self._timeout, 'process')) from None
        except Exception:
            self._worker_pool.terminate()
            raise
        # a pool of processes (dataset None) sends pickled bytes, threads send the batch
        batch = pickle.loads(batch) if self._dataset is None else batch
        self._rcvd_idx += 1
        return pin(batch, self._pin_device_id) if self._pin_memory else batch

    next = __next__

    def __iter__(self):
        return self


def _as_in_context(data, ctx):
    """`data` (an NDArray, or lists/tuples of them, as a list) copied to `ctx`; other
    values as they are (MXNet's private helper, imported by GluonNLP's DataLoader)."""
    if isinstance(data, NDArray):
        return data.as_in_context(ctx)
    if isinstance(data, (list, tuple)):
        return [_as_in_context(d, ctx) for d in data]
    return data


def _bulk(dataset, indices):
    """The batch gathered in one go (see Dataset._batch), or None."""
    if isinstance(dataset, Dataset):
        return dataset._batch(indices)
    # an array used directly as the dataset; a 1-D NDArray's items are (1,)-shaped in
    # MXNet, so only arrays whose samples are arrays themselves take the fast path
    if isinstance(dataset, np.ndarray) or (isinstance(dataset, NDArray) and dataset.ndim > 1):
        return SimpleDataset(dataset)._batch(indices)
    return None
