"""Worker processes for DataLoader(num_workers>0).

Workers are forked once per DataLoader and kept across epochs (as MXNet keeps its pool).
Each task is (epoch id, batch number, sample indices, seed); the worker seeds torch,
numpy and `random` with the seed, so random transforms give the same batches on every
run whichever worker loads them. A batch goes back as torch tensors whose storage
torch.multiprocessing moves into shared memory: only file handles are pickled.

The main process never blocks forever: it waits for a result in short slices, checking
that every worker is still alive, and gives up after the DataLoader's `timeout`.
"""
import itertools
import multiprocessing
import pickle
import queue
import random
import signal
import time
import traceback
from multiprocessing.reduction import ForkingPickler

import numpy as np
import torch
import torch.multiprocessing as tmp

from ...base import MXNetError
from .batchify import unbox_tree, box_tree

__all__ = ['WorkerPool', 'DataLoaderTimeoutError', 'timeout_message', 'seed_all']

_POLL_S = 0.2          # how often a waiting main process checks on its workers


class DataLoaderTimeoutError(MXNetError, multiprocessing.TimeoutError):
    """No batch came from the DataLoader's workers within `timeout` seconds.

    Also a `multiprocessing.TimeoutError`, which MXNet raises there.
    """


def timeout_message(timeout, kind):
    return (f"DataLoader: no batch from the worker {kind}s after waiting {timeout} seconds "
            "(the `timeout` argument). A transform or the dataset's __getitem__ may be "
            "stuck or very slow; raise `timeout` if loading is legitimately slow.")


def seed_all(seed):
    """Seed torch, numpy and Python's `random` (what transforms may draw from)."""
    torch.manual_seed(seed)
    random.seed(seed)
    np.random.seed(seed % (2 ** 32))


class _RemoteError:
    """An exception raised in a worker: its type and the worker's traceback text."""

    def __init__(self, exc, worker_id):
        self.exc_type = type(exc)
        try:
            pickle.dumps(self.exc_type)
        except Exception:  # a class defined inside a function cannot travel by name
            self.exc_type = RuntimeError
        self.text = (f"Caught {type(exc).__name__} in DataLoader worker process {worker_id}."
                     f"\nOriginal traceback:\n{traceback.format_exc()}")

    def reraise(self):
        try:
            err = self.exc_type(self.text)
        except Exception:   # exception types whose constructor needs other arguments
            err = MXNetError(self.text)
        raise err


def _worker_loop(load, tasks, results, worker_id):
    signal.signal(signal.SIGINT, signal.SIG_IGN)    # the main process handles Ctrl-C
    torch.set_num_threads(1)
    while True:
        task = tasks.get()
        if task is None:
            return
        epoch, num, indices, seed = task
        seed_all(seed)
        try:
            payload = ForkingPickler.dumps(unbox_tree(load(indices)))
            ok = True
        except Exception as e:  # pylint: disable=broad-except
            payload, ok = ForkingPickler.dumps(_RemoteError(e, worker_id)), False
        results.put((epoch, num, ok, bytes(payload)))


def _release(payload):
    """Unpickle and drop a result nobody will read: the worker frees its shared memory
    only once the receiver has taken the file descriptors."""
    try:
        pickle.loads(payload)
    except Exception:  # pylint: disable=broad-except  # a dead worker: nothing to free
        pass


class WorkerPool:
    """`num_workers` forked processes running `load(indices)` for the main process."""

    def __init__(self, num_workers, load):
        ctx = tmp.get_context('fork')
        self._tasks, self._results = ctx.Queue(), ctx.Queue()
        self._tasks.cancel_join_thread()    # never block interpreter exit on dead workers
        self._workers = [ctx.Process(target=_worker_loop, daemon=True,
                                     args=(load, self._tasks, self._results, i))
                         for i in range(num_workers)]
        for w in self._workers:
            w.start()
        self._ids = itertools.count()
        self._live = set()
        self._buffer = {}
        self._broken = False

    def healthy(self):
        return not self._broken and all(w.is_alive() for w in self._workers)

    def epoch(self, batch_sampler, prefetch, timeout, finish):
        """Send the first `prefetch` batches now; return the iterator over the epoch."""
        eid = next(self._ids)
        self._live.add(eid)
        seed = int(torch.randint(0, 2 ** 62, ()).item())   # from the main generator
        batches = iter(batch_sampler)
        sent = 0
        for indices in itertools.islice(batches, max(prefetch, 1)):
            self._tasks.put((eid, sent, indices, seed + sent))
            sent += 1
        return self._run(eid, batches, sent, seed, timeout, finish)

    def _run(self, eid, batches, sent, seed, timeout, finish):
        try:
            for num in itertools.count():
                if num == sent:
                    return
                ok, payload = self._get((eid, num), timeout)
                indices = next(batches, None)
                if indices is not None:
                    self._tasks.put((eid, sent, indices, seed + sent))
                    sent += 1
                obj = pickle.loads(payload)
                if not ok:
                    obj.reraise()
                yield finish(box_tree(obj))
        finally:
            self._live.discard(eid)
            for key in [k for k in self._buffer if k[0] == eid]:
                _release(self._buffer.pop(key)[1])

    def _get(self, key, timeout):
        deadline = time.monotonic() + timeout
        while key not in self._buffer:
            left = deadline - time.monotonic()
            if left <= 0:
                self.terminate()
                raise DataLoaderTimeoutError(timeout_message(timeout, 'process'))
            try:
                eid, num, ok, payload = self._results.get(timeout=min(_POLL_S, left))
            except queue.Empty:
                self._check_alive()
                continue
            if eid in self._live:
                self._buffer[(eid, num)] = (ok, payload)
            else:                           # a result of an abandoned epoch
                _release(payload)
        return self._buffer.pop(key)

    def _check_alive(self):
        for i, w in enumerate(self._workers):
            if not w.is_alive():
                code = w.exitcode
                how = (f"was killed by signal {signal.Signals(-code).name}" if code < 0
                       else f"exited with code {code}")
                self.terminate()
                raise MXNetError(
                    f"DataLoader worker process {i} (pid {w.pid}) {how} while loading a "
                    "batch. A worker killed by SIGKILL often ran out of memory; try fewer "
                    "workers, a smaller batch_size, or num_workers=0 to see the error here.")

    def terminate(self):
        """Stop every worker now (the next epoch starts a fresh pool)."""
        self._broken = True
        for w in self._workers:
            if w.is_alive():
                w.terminate()
        for w in self._workers:
            w.join(timeout=5)
