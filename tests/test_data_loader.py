"""gluon.data: samplers, datasets, batchify and DataLoader against MXNet 1.9.1 goldens."""
import multiprocessing
import multiprocessing.pool
import os
import sys
import time

import numpy as np
import pytest

import regluon as mx
from regluon import gluon, nd
from regluon.base import MXNetError
from regluon.gluon.data import (ArrayDataset, SimpleDataset, DataLoader, BatchSampler,
                                SequentialSampler, RandomSampler, IntervalSampler)
from regluon.gluon.data.dataloader import default_batchify_fn, DataLoaderTimeoutError
from regluon.gluon.data import dataloader

from conftest import GOLDEN, golden

G = golden('data')


def _flat(batches):
    return np.array([i for b in batches for i in list(b) + [-1]])


@pytest.mark.parametrize('mode', ['keep', 'discard', 'rollover'])
def test_batch_sampler(mode):
    b = BatchSampler(SequentialSampler(10), 3, mode)
    epochs = [list(b) for _ in range(3)]
    np.testing.assert_array_equal(np.concatenate([_flat(e) for e in epochs]),
                                  G[f'batch_sampler_{mode}'])
    assert len(b) == G[f'batch_sampler_{mode}:len']


@pytest.mark.parametrize('name, make', [
    ('shard', lambda ds: [x for i in range(3) for x in list(ds.shard(3, i)) + [-1]]),
    ('take', lambda ds: list(ds.take(4))),
    ('take_none', lambda ds: list(ds.take(None))),
    ('filter', lambda ds: list(ds.filter(lambda x: x % 3 == 0))),
    ('transform', lambda ds: list(ds.transform(lambda x: x * 2))),
    ('transform_first', lambda ds: list(ArrayDataset(list(range(4)), list(range(4)))
                                        .transform_first(lambda x: x + 10))),
])
def test_dataset_views(name, make):
    got = make(SimpleDataset(list(range(10))))
    np.testing.assert_array_equal(np.array(got), G[name])


def test_transform_eager_and_sample():
    ds = SimpleDataset(list(range(5)))
    eager = ds.transform(lambda x: x + 1, lazy=False)
    assert type(eager) is SimpleDataset and list(eager) == [1, 2, 3, 4, 5]
    assert list(ds.sample(IntervalSampler(5, 2))) == [0, 2, 4, 1, 3]
    with pytest.raises(TypeError, match='Invalid sampler type'):
        ds.sample([0, 1])


def test_interval_sampler():
    assert list(IntervalSampler(7, 3)) == [0, 3, 6, 1, 4, 2, 5]
    assert list(IntervalSampler(7, 3, rollover=False)) == [0, 3, 6]
    assert len(IntervalSampler(7, 3, rollover=False)) == 3


def test_random_sampler_seeded():
    mx.random.seed(3)
    a = list(RandomSampler(20))
    mx.random.seed(3)
    b = list(RandomSampler(20))
    assert a == b and sorted(a) == list(range(20)) and a != list(range(20))


@pytest.mark.parametrize('name, data', [
    ('int', [1, 2, 3]), ('float', [1.5, 2.0]), ('np_float64', [np.float64(1), np.float64(2)]),
    ('np_int32', [np.int32(1), np.int32(2)]), ('np_f64_arrays', [np.zeros((2, 2))] * 2),
    ('np_u8_arrays', [np.ones(3, np.uint8)] * 2), ('nd_u8', [nd.ones((2, 3), dtype='uint8')] * 2),
    ('nd_f16', [nd.ones((2,), dtype='float16')] * 3), ('bool', [True, False]),
    ('lists', [[1, 2], [3, 4]]),
])
def test_batchify(name, data):
    out = default_batchify_fn(data)
    want = G[f'batchify_{name}']
    assert out.dtype == want.dtype and out.shape == want.shape
    np.testing.assert_array_equal(out.asnumpy(), want)


def test_batchify_tuples():
    out = default_batchify_fn([(nd.array([i, i + 1]), i) for i in range(3)])
    assert isinstance(out, list) and len(out) == 2
    for i in range(2):
        assert out[i].dtype == G[f'batchify_tuple:{i}'].dtype
        np.testing.assert_array_equal(out[i].asnumpy(), G[f'batchify_tuple:{i}'])


@pytest.mark.parametrize('samples, where', [
    ([nd.zeros(2), nd.zeros(3)], r'sample 0 has shape \(2,\) and sample 1 has shape \(3,\)'),
    ([np.zeros(2), np.zeros(3)], r'sample 0 has shape \(2,\) and sample 1 has shape \(3,\)'),
    (['a', 'b'], 'cannot make an NDArray from samples of type str'),
])
def test_batchify_errors(samples, where):
    with pytest.raises(MXNetError, match=where):
        default_batchify_fn(samples)


def _xy():
    return np.arange(21, dtype=np.float32).reshape(7, 3), np.arange(7, dtype=np.int32)


# (num_workers, thread_pool): in-process, worker processes, threads
MODES = [(0, False), (2, False), (2, True)]


@pytest.mark.parametrize('lb', ['keep', 'discard', 'rollover'])
@pytest.mark.parametrize('workers, threads', MODES)
def test_loader_matches_mxnet(lb, workers, threads):
    x, y = _xy()
    dl = DataLoader(ArrayDataset(nd.array(x), y), 3, last_batch=lb, num_workers=workers,
                    thread_pool=threads)
    assert len(dl) == G[f'loader_{lb}:len']
    epochs = [[(d.asnumpy(), l.asnumpy()) for d, l in dl] for _ in range(2)]
    np.testing.assert_array_equal(np.concatenate([d for e in epochs for d, _ in e]),
                                  G[f'loader_{lb}:data'])
    np.testing.assert_array_equal(np.concatenate([l for e in epochs for _, l in e]),
                                  G[f'loader_{lb}:label'])
    assert [str(epochs[0][0][0].dtype), str(epochs[0][0][1].dtype)] == \
        list(G[f'loader_{lb}:dtypes'])


def test_loader_1d_columns_and_lists():
    dl = DataLoader(ArrayDataset(nd.array([1, 2, 3], dtype='int32'), [1.5, 2.5, 3.5]), 2)
    first = next(iter(dl))
    assert [str(first[0].dtype), str(first[1].dtype)] == list(G['loader_1d:dtypes'])


def _slow_path(ds, batch_size):
    """The same loader without the bulk-gather fast path (a custom batchify_fn)."""
    return DataLoader(ds, batch_size, batchify_fn=lambda s: default_batchify_fn(s))


@pytest.mark.parametrize('make', [
    lambda x, y: ArrayDataset(nd.array(x), y),
    lambda x, y: ArrayDataset(x),
    lambda x, y: ArrayDataset(nd.array(x), y).take(5),
    lambda x, y: ArrayDataset(nd.array(x), y).shard(2, 1),
    lambda x, y: SimpleDataset(x),
])
def test_fast_path_equals_sample_path(make):
    x, y = _xy()
    fast = list(DataLoader(make(x, y), 3))
    slow = list(_slow_path(make(x, y), 3))
    assert len(fast) == len(slow)
    for f, s in zip(fast, slow):
        f, s = (f, s) if isinstance(f, list) else ([f], [s])
        for a, b in zip(f, s):
            assert a.dtype == b.dtype and a.shape == b.shape
            np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())


@pytest.mark.parametrize('workers, threads', MODES)
def test_shuffle_seeded_and_complete(workers, threads):
    ds = ArrayDataset(np.arange(50, dtype=np.float32))
    runs = []
    for _ in range(2):
        mx.random.seed(11)
        dl = DataLoader(ds, 8, shuffle=True, num_workers=workers, thread_pool=threads)
        runs.append(np.concatenate([b.asnumpy() for b in dl]))
    np.testing.assert_array_equal(runs[0], runs[1])
    np.testing.assert_array_equal(np.sort(runs[0]), np.arange(50))
    assert not np.array_equal(runs[0], np.arange(50))


def test_argument_errors():
    ds = SimpleDataset(list(range(4)))
    with pytest.raises(ValueError, match='batch_size must be specified'):
        DataLoader(ds)
    with pytest.raises(ValueError, match='shuffle must not be specified'):
        DataLoader(ds, 2, shuffle=True, sampler=SequentialSampler(4))
    with pytest.raises(ValueError, match='must not be specified if batch_sampler'):
        DataLoader(ds, 2, batch_sampler=BatchSampler(SequentialSampler(4), 2))
    with pytest.raises(ValueError, match="last_batch must be one of"):
        DataLoader(ds, 2, last_batch='drop')
    with pytest.raises(AssertionError, match='array\\[1\\] has 3'):
        ArrayDataset(np.zeros(4), np.zeros(3))


def test_pin_memory_context():
    dl = DataLoader(ArrayDataset(np.zeros((4, 2), np.float32)), 2, pin_memory=True)
    assert next(iter(dl)).context == mx.Context('cpu_pinned', 0)


def test_ragged_samples_error_in_loader():
    ds = SimpleDataset([np.zeros(2, np.float32), np.zeros(3, np.float32)])
    with pytest.raises(MXNetError, match='same shape'):
        list(DataLoader(ds, 2))


class _Boom(gluon.data.Dataset):
    """Raises KeyError for sample 5; kills its worker for sample 6; hangs on 7."""

    def __len__(self):
        return 8

    def __getitem__(self, i):
        if i == 5:
            raise KeyError('sample five is missing')
        if i == 6:
            os._exit(3)
        if i == 7:
            time.sleep(4)
        return np.float32(i)


@pytest.mark.parametrize('threads', [False, True])
def test_worker_exception_surfaces(threads):
    dl = DataLoader(_Boom(), 2, num_workers=2, thread_pool=threads,
                    sampler=SequentialSampler(6))
    with pytest.raises(KeyError) as info:
        list(dl)
    if not threads:    # a process worker's traceback comes along as text
        assert 'sample five is missing' in str(info.value)
        assert 'in __getitem__' in str(info.value)


def test_worker_death_is_an_error():
    dl = DataLoader(_Boom(), 1, num_workers=2, sampler=SequentialSampler(1, 6))
    with pytest.raises(MXNetError, match='exited with code 3'):
        list(dl)
    # the next epoch starts a fresh pool
    assert len(list(DataLoader(_Boom(), 2, num_workers=1, sampler=SequentialSampler(4)))) == 2


@pytest.mark.parametrize('threads', [False, True])
def test_worker_timeout(threads):
    dl = DataLoader(_Boom(), 1, num_workers=1, sampler=SequentialSampler(1, 7), timeout=1,
                    thread_pool=threads)
    with pytest.raises(DataLoaderTimeoutError, match='after waiting 1 seconds'):
        list(dl)
    assert issubclass(DataLoaderTimeoutError, MXNetError)
    if not threads:
        dl._pool.terminate()


def test_random_transform_per_worker_seeding():
    """Workers draw different random numbers per batch, repeatably under mx.random.seed."""
    ds = SimpleDataset(list(range(16))).transform(lambda i: nd.random.uniform(shape=(1,)))
    runs = []
    for _ in range(2):
        mx.random.seed(5)
        runs.append(np.concatenate([b.asnumpy().ravel()
                                    for b in DataLoader(ds, 4, num_workers=2)]))
    np.testing.assert_array_equal(runs[0], runs[1])
    assert len(np.unique(runs[0])) == 16


def test_timeout_error_is_what_mxnet_raises():
    # MXNet raises multiprocessing.TimeoutError; users' except clauses keep working
    assert issubclass(DataLoaderTimeoutError, multiprocessing.TimeoutError)


def test_array_as_dataset():
    x = np.arange(24, dtype=np.float64).reshape(6, 4)
    for ds in (x, nd.array(x, dtype='float64')):
        batches = list(DataLoader(ds, 4))
        assert [b.shape for b in batches] == [(4, 4), (2, 4)]
        assert batches[0].dtype == np.float64
        np.testing.assert_array_equal(np.concatenate([b.asnumpy() for b in batches]), x)


def test_large_batches_through_shared_memory_and_abandoned_epochs():
    """Batches over 1 MB travel as shared memory; breaking out of an epoch is safe."""
    x = np.random.RandomState(0).rand(24, 64, 64, 16).astype(np.float32)   # 256 KB/sample
    dl = DataLoader(ArrayDataset(x), 6, num_workers=2)
    for b in dl:            # abandon the first epoch after one batch
        break
    got = np.concatenate([b.asnumpy() for b in dl])
    np.testing.assert_array_equal(got, x)
    assert len(list(dl)) == 4


@pytest.mark.parametrize('workers, threads', MODES)
def test_two_iterators_at_once(workers, threads):
    x = np.arange(40, dtype=np.float32).reshape(10, 4)
    dl = DataLoader(ArrayDataset(x), 3, num_workers=workers, thread_pool=threads)
    pairs = list(zip(dl, dl))
    assert len(pairs) == 4
    for a, b in pairs:
        np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())


class _EveryOtherBatch(dataloader._MultiWorkerIter):
    """GluonCV's RandomTransformDataLoader pattern: a subclass overriding _push_next and
    reading MXNet's private attributes."""
    def _push_next(self):
        r = next(self._iter, None)
        if r is None:
            return
        self._data_buffer[self._sent_idx] = self._worker_pool.apply_async(
            self._worker_fn, (r[::2], self._batchify_fn, self._dataset))
        self._sent_idx += 1


@pytest.mark.parametrize('threads', [True, False])
def test_multi_worker_iter_subclass(threads):
    data = np.arange(12, dtype='float32').reshape(6, 2)
    sampler = BatchSampler(SequentialSampler(6), 3, 'keep')
    if threads:   # MXNet's thread pool hands the dataset to each call, batches unpickled
        pool = multiprocessing.pool.ThreadPool(1)
        it = _EveryOtherBatch(pool, default_batchify_fn, sampler, prefetch=1,
                              worker_fn=lambda s, fn, ds: fn([ds[i] for i in s]), dataset=data)
    else:         # processes get the dataset from the initializer and send pickled batches
        pool = multiprocessing.Pool(1, initializer=dataloader._worker_initializer,
                                    initargs=[data])
        it = _EveryOtherBatch(pool, default_batchify_fn, sampler, prefetch=1)
    try:
        batches = [b.asnumpy() for b in it]
    finally:
        pool.terminate()
    assert len(it) == 2 and it._rcvd_idx == it._sent_idx == 2
    np.testing.assert_array_equal(np.concatenate(batches), data[[0, 2, 3, 5]])


def test_dataloader_forking_pickler_and_as_in_context_as_mxnet():
    # private API GluonNLP 0.10 imports (golden: tools/golden_private_api.py)
    sys.path.insert(0, str(GOLDEN))
    import private_api_cases  # noqa: E402
    want = golden('private_api')
    got = private_api_cases.CASES['dataloader'](mx)
    assert {k[len('dataloader/'):] for k in want if k.startswith('dataloader/')} == set(got)
    for k, v in got.items():
        assert v == str(want[f'dataloader/{k}']), k
