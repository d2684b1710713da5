"""`mx.kv` / `mx.kvstore`: MXNet's key-value store for gradient aggregation.

- 'local' / 'device': aggregate the values pushed for a key across the contexts of this
  process (several `mx.gpu(i)`, or `mx.cpu(i)` copies).
- 'dist_sync' / 'dist_device_sync' (and 'dist_async', run synchronously): additionally
  all-reduce across the processes of a `torchrun` / `regluon launch` job with
  torch.distributed — gloo for CPU arrays, NCCL for CUDA ones. Values given to `init` are
  broadcast from rank 0, so every worker starts from the same parameters.

A push without an optimizer stores the (summed) value; with `set_optimizer` the store
applies the optimizer to its copy, as MXNet's update_on_kvstore does.

`set_gradient_compression({'type': '2bit', 'threshold': t})` ('device' and 'dist_*' stores,
as MXNet) quantizes each pushed gradient to -t, 0 or t after adding the residual the
earlier pushes left (error feedback): 'device' per key and device before summing the
devices, 'dist_*' per key on each worker's device sum before the workers are summed.

`KVStoreBase` (kvstore_base.py) is MXNet 1.9's interface for stores written in Python;
`create(name)` makes a registered one by its lower-case class name.
"""
import atexit
import datetime
import os

import numpy as np
import torch

from .base import MXNetError
from .kvstore_base import KVStoreBase, KVStoreServer, TestStore
from . import ndarray as nd
from .ndarray.ndarray import NDArray

__all__ = ['KVStore', 'KVStoreBase', 'KVStoreServer', 'TestStore', 'create', 'DEFAULT_TIMEOUT']

DEFAULT_TIMEOUT = 120.0          # seconds a collective or the rendezvous may wait


def _as_list(x):
    return list(x) if isinstance(x, (list, tuple)) else [x]


def _keyed(key, value):
    """Pair keys with values: one key and one value/list, or lists of both."""
    if isinstance(key, (list, tuple)):
        if len(key) != len(value):
            raise MXNetError(f"kvstore: {len(key)} keys but {len(value)} values")
        return list(zip(key, value))
    return [(key, value)]


def _key_kind(key):
    """'str' or 'int' for MXNet's key checks (_ctype_key_value asserts them)."""
    if isinstance(key, (list, tuple)):
        kinds = {_key_kind(k) for k in key}
        assert len(kinds) <= 1, "inconsistent types of keys detected."
        return kinds.pop() if kinds else None
    assert isinstance(key, (int, str)), "unexpected type for keys: " + str(type(key))
    return 'str' if isinstance(key, str) else 'int'


def _dist():
    import torch.distributed as dist
    return dist


def init_process_group(timeout=None, backend=None):
    """Join the torch.distributed job described by torchrun's environment (idempotent)."""
    dist = _dist()
    if dist.is_initialized():
        return
    if 'RANK' not in os.environ or 'WORLD_SIZE' not in os.environ:
        raise MXNetError(
            "kvstore: a 'dist_*' kvstore needs a distributed job: start the script with "
            "`regluon launch -n N script.py` or `torchrun --nproc_per_node N script.py` "
            "(they set RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT)")
    if backend is None:
        # gloo for CPU arrays, NCCL for CUDA arrays: torch picks by the tensor's device.
        backend = 'cpu:gloo,cuda:nccl' if torch.cuda.is_available() else 'gloo'
    seconds = timeout or DEFAULT_TIMEOUT
    try:
        dist.init_process_group(backend, timeout=datetime.timedelta(seconds=seconds))
    except Exception as e:  # pylint: disable=broad-except
        raise MXNetError(f"kvstore: the workers did not meet within {seconds:.0f} s at "
                         f"{os.environ.get('MASTER_ADDR')}:{os.environ.get('MASTER_PORT')} "
                         f"({type(e).__name__}: {e})") from None
    # Leave the group at exit: a gloo group still open when the interpreter ends can abort
    # the process (SIGABRT) after the script itself has finished.
    atexit.register(_leave_process_group)


def _leave_process_group():
    if _dist().is_initialized():
        _dist().destroy_process_group()


class KVStore(KVStoreBase):
    """A key-value store; see the module docstring for the types."""

    def __init__(self, name='local', timeout=None):
        # as MXNet's KVStore::Create, any name is a store: with 'dist' in it a distributed
        # one, else a local one ('device' in it: aggregated on the devices), e.g.
        # 'local_allreduce_cpu'; `type` gives the name back
        self._type = name
        self._store = {}
        self._key_type = None       # 'int' or 'str', fixed by the first key used
        self._updater = None
        self._optimizer = None
        self._timeout = timeout or DEFAULT_TIMEOUT
        self._distributed = 'dist' in name
        self._threshold, self._residual = None, {}    # 2-bit compression
        if self._distributed:
            init_process_group(self._timeout)

    # ---- identity --------------------------------------------------------------------------
    @property
    def type(self):
        return self._type

    @property
    def rank(self):
        return _dist().get_rank() if self._distributed else 0

    @property
    def num_workers(self):
        return _dist().get_world_size() if self._distributed else 1

    @staticmethod
    def is_capable(capability):
        """Whether the store can apply an optimizer (KVStoreBase.OPTIMIZER: yes)."""
        if capability.lower() == KVStoreBase.OPTIMIZER:
            return True
        raise ValueError(f'Unknown capability: {capability}')

    # ---- communication ---------------------------------------------------------------------
    def _collective(self, fn, what):
        try:
            return fn()
        except Exception as e:  # pylint: disable=broad-except
            raise MXNetError(f"kvstore {self._type}: {what} failed on worker {self.rank} of "
                             f"{self.num_workers}; another worker probably died or timed out "
                             f"({type(e).__name__}: {e})") from None

    def _allreduce(self, t):
        if self._distributed and self.num_workers > 1:
            dist = _dist()
            self._collective(lambda: dist.all_reduce(t, op=dist.ReduceOp.SUM), 'all_reduce')
        return t

    def _broadcast(self, t):
        if self._distributed and self.num_workers > 1:
            dist = _dist()
            self._collective(lambda: dist.broadcast(t, src=0), 'broadcast')
        return t

    def _check_keys(self, key, what):
        """MXNet's key rules: all int or all str, and one kind per store."""
        kind = _key_kind(key)
        if self._key_type is None:
            self._key_type = kind
        elif kind is not None and kind != self._key_type:
            raise MXNetError(f"kvstore.{what}: Mixed key types are not allowed (this store has "
                             f"{self._key_type} keys, got {key!r})")

    def init(self, key, value):
        """Set the initial value of key(s); in a distributed job rank 0's value wins."""
        self._check_keys(key, 'init')
        for k, v in _keyed(key, value):
            first = _as_list(v)[0]
            stored = first.copy()
            if stored.stype == 'default':   # (sparse values are not broadcast)
                with torch.no_grad():
                    self._broadcast(stored._t)
            self._store[k] = stored

    def _reduce(self, values, key=None):
        """Sum of the values pushed for one key, across contexts and (dist) workers;
        with gradient compression, of their 2-bit quantizations."""
        values = [v if v.stype == 'default' else v.tostype('default') for v in _as_list(values)]
        dev = values[0]._t.device
        with torch.no_grad():
            if self._threshold is not None and not self._distributed:   # per device
                values = [self._quantize((key, i), v._t) for i, v in enumerate(values)]
            else:
                values = [v._t.detach() for v in values]
            total = values[0].clone()
            for v in values[1:]:
                total.add_(v.to(dev))
            if self._threshold is not None and self._distributed:   # per worker
                total = self._quantize(key, total)
            return self._allreduce(total)

    def _sparse_sum_ok(self, values):
        """Whether pushed `values` are all row_sparse and summed as such (one process, no
        compression; across workers they are all-reduced dense)."""
        return not self._distributed and self._threshold is None and all(
            getattr(x, 'stype', None) == 'row_sparse' for x in _as_list(values))

    def _quantize(self, slot, grad):
        """MXNet's 2-bit quantization with error feedback: residual += grad; where the
        residual reaches +-threshold it sends +-threshold and keeps the rest, else 0."""
        if grad.dtype != torch.float32:
            raise MXNetError("kvstore: Gradient compression is only supported for float32 "
                             f"type of parameters, got {grad.dtype}")
        res = self._residual.get(slot)
        if res is None or res.shape != grad.shape:
            res = self._residual[slot] = torch.zeros_like(grad)
        res.add_(grad)
        t = self._threshold
        q = torch.where(res >= t, t, torch.where(res <= -t, -t, 0.0))
        res.sub_(q)
        return q

    def push(self, key, value, priority=0):
        """Aggregate value(s) into the store (applying the optimizer if one is set)."""
        self._check_keys(key, 'push')
        for k, v in _keyed(key, value):
            if k not in self._store:
                raise MXNetError(f"kvstore: key {k!r} was pushed before init")
            stored = self._store[k]
            if self._updater is not None and self._sparse_sum_ok(v):
                # MXNet sums row_sparse pushes as row_sparse: the optimizer then updates
                # lazily, only the rows that have a gradient
                vals = _as_list(v)
                merged = vals[0].copyto(stored.context) if len(vals) == 1 else \
                    nd.add_n(*(x.copyto(stored.context) for x in vals))
                self._updater(k, merged, stored)
                continue
            merged = self._reduce(v, k)
            if self._updater is not None:
                from .ndarray.ndarray import _box
                self._updater(k, _box(merged.to(stored._t.device)), stored)
            else:
                stored._assign(merged)      # (a sparse stored value keeps its stype)

    def pull(self, key, out=None, priority=0, ignore_sparse=True):
        """Copy the stored value of key(s) into `out` (an array or list of arrays); with
        ignore_sparse, sparse arrays in `out` are skipped (left as they are), as MXNet."""
        self._check_keys(key, 'pull')
        for k, o in _keyed(key, out):
            if k not in self._store:
                raise MXNetError(f"kvstore: key {k!r} was pulled before init")
            for dst in _as_list(o):
                if ignore_sparse and dst.stype != 'default':
                    continue
                if self._store[k].stype != 'default' or dst.stype != 'default':
                    self._store[k].copyto(dst)      # (keeps dst's storage type)
                    continue
                with torch.no_grad():
                    dst._t.copy_(self._store[k]._t)

    def pushpull(self, key, value, out=None, priority=0):
        """push then pull; without an optimizer `out` receives the aggregated sum."""
        self._check_keys(key, 'pushpull')
        if self._updater is None:
            for k, v in _keyed(key, value):
                merged = self._reduce(v, k)
                if k in self._store:
                    self._store[k]._assign(merged)
                outs = _as_list(v) if out is None else _as_list(dict(_keyed(key, out))[k])
                for dst in outs:
                    dst._assign(merged)     # (a row_sparse gradient stays row_sparse)
            return
        self.push(key, value, priority)
        self.pull(key, value if out is None else out, priority)

    def row_sparse_pull(self, key, out=None, priority=0, row_ids=None):
        """Copy the rows `row_ids` of a row_sparse value into row_sparse `out`; the result
        stores exactly those rows (mx.nd.sparse). `row_ids` has the structure of `out` (an
        array per output array, a list per key), or is one array for all of them."""
        from .ndarray.sparse import retain
        assert out is not None
        assert row_ids is not None
        if isinstance(row_ids, NDArray):
            row_ids = [row_ids]
        assert isinstance(row_ids, list), "row_ids should be NDArray or list of NDArray"
        self._check_keys(key, 'row_sparse_pull')
        # MXNet: one row_ids array and a list of outputs: pull into the first, copy it on
        single = len(row_ids) == 1 and isinstance(out, list)
        first = [out[0]] if single else out
        pairs = [(k, dst) for k, o in _keyed(key, first) for dst in _as_list(o)]
        ids = [rid for _, r in _keyed(key, row_ids) for rid in _as_list(r)]
        assert len(ids) == len(pairs), \
            "the number of row_ids doesn't match the number of values"
        for (k, dst), rid in zip(pairs, ids):
            if dst.stype != 'row_sparse':
                raise MXNetError("kvstore.row_sparse_pull: Expected row_sparse storage type "
                                 f"for row_sparse_pull values, but detected {dst.stype}")
            stored = self._store.get(k)
            if stored is None:
                raise MXNetError(f"kvstore: key {k!r} was pulled before init")
            if stored.stype != 'row_sparse':
                raise MXNetError(f"kvstore.row_sparse_pull: key {k!r} holds a {stored.stype} "
                                 "value; PullRowSparse expects row_sparse src NDArray")
            retain(stored, torch.unique(rid._t.to(torch.int64))).copyto(dst)
        if single:
            for dst in out[1:]:
                out[0].copyto(dst)

    def broadcast(self, key, value, out, priority=0):
        """init, then pull into `out` (sparse arrays in it are skipped, as MXNet)."""
        self.init(key, value)
        self.pull(key, out, priority)

    def barrier(self):
        """Wait until every worker reaches this point."""
        if self._distributed and self.num_workers > 1:
            self._collective(_dist().barrier, 'barrier')

    _barrier = barrier

    # ---- optimizer ---------------------------------------------------------------------------
    def set_optimizer(self, optimizer):
        """Update values on the store with `optimizer` (MXNet's update_on_kvstore)."""
        from .optimizer import get_updater
        self._optimizer = optimizer
        self._updater = get_updater(optimizer)

    def _set_updater(self, updater):
        self._updater = updater

    def set_gradient_compression(self, compression_params):
        """Compress pushed gradients: {'type': '2bit', 'threshold': t (default 0.5)}.

        Each value is quantized to -t, 0 or t after adding the residual (the part earlier
        pushes did not send); on 'device' per key and device, on 'dist_*' per key on each
        worker's sum of its devices. Pulls are not compressed. Only 'device' and 'dist_*'
        stores take it, as in MXNet.
        """
        if 'device' not in self._type and 'dist' not in self._type:
            raise MXNetError('Gradient compression is not supported for this type of kvstore '
                             f'({self._type!r}; use a \'device\' or \'dist_*\' kvstore)')
        params = dict(compression_params)
        if 'type' not in params:
            raise MXNetError("kvstore.set_gradient_compression: Required parameter type of "
                             f"string is not presented in {params}")
        threshold = float(params.get('threshold', 0.5))
        if not threshold > 0:
            raise MXNetError(f"kvstore.set_gradient_compression: threshold must be greater "
                             f"than 0, got {threshold}")
        if str(params['type']) != '2bit':
            raise MXNetError(f"kvstore.set_gradient_compression: Unknown type for gradient "
                             f"compression {params['type']}")
        self._threshold = float(np.float32(threshold))   # MXNet keeps a float
        self._residual = {}

    def save_optimizer_states(self, fname, dump_optimizer=False):
        """Write the optimizer states (safe format, atomically)."""
        if self._updater is None:
            raise MXNetError("save_optimizer_states: no optimizer is set on this kvstore")
        from .util import atomic_write
        atomic_write(fname, self._updater.get_states(dump_optimizer))

    def load_optimizer_states(self, fname):
        if self._updater is None:
            raise MXNetError("load_optimizer_states: no optimizer is set on this kvstore")
        with open(fname, 'rb') as f:
            self._updater.set_states(f.read())


def create(name='local', timeout=None):
    """A KVStore of type `name` ('local', 'device', 'dist_sync', 'dist_device_sync', ...),
    or of a class registered with `KVStoreBase.register` (by its lower-case name)."""
    if not isinstance(name, str):
        raise TypeError('name must be a string')
    name = name.lower()
    if name in KVStoreBase.kv_registry:
        return KVStoreBase.kv_registry[name]()
    return KVStore(name, timeout)
