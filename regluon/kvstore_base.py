"""`mx.kv.KVStoreBase`: MXNet 1.9's interface for key-value stores written in Python
(python/mxnet/kvstore/base.py), its registry, the `TestStore` it registers, and
`KVStoreServer`.

A class registered with `KVStoreBase.register` is created by `mx.kv.create(name)` (its
class name, lower case) and can be handed to `gluon.Trainer(kvstore=...)`, which then calls
its `broadcast` and `pushpull` and, unless `is_capable(KVStoreBase.OPTIMIZER)`, updates the
parameters itself (update_on_kvstore=False), as MXNet's Trainer.
"""
import warnings

from .base import _register

__all__ = ['KVStoreBase', 'TestStore', 'KVStoreServer']


class KVStoreBase:
    """An abstract key-value store interface for data parallel training."""

    OPTIMIZER = 'optimizer'
    kv_registry = {}

    def broadcast(self, key, value, out, priority=0):
        """Broadcast `value` (rank 0's) to all ranks and store it in `out`."""
        raise NotImplementedError()

    def pushpull(self, key, value, out=None, priority=0):
        """Sum `value` (an NDArray or list) over devices and workers into `out` (or, without
        `out`, back into `value`)."""
        raise NotImplementedError()

    def set_optimizer(self, optimizer):
        """Register an optimizer that the store applies to pushed gradients."""
        raise NotImplementedError()

    def is_capable(self, capability):
        """Whether the store supports `capability` (e.g. KVStoreBase.OPTIMIZER)."""
        raise NotImplementedError()

    def save_optimizer_states(self, fname, dump_optimizer=False):
        """Save the optimizer (updater) state to file `fname`."""
        raise NotImplementedError()

    def load_optimizer_states(self, fname):
        """Load the optimizer (updater) state from file `fname`."""
        raise NotImplementedError()

    @property
    def type(self):
        """The type of this kvstore backend (a string)."""
        raise NotImplementedError()

    @property
    def rank(self):
        """The rank of this worker, in [0, num_workers)."""
        raise NotImplementedError()

    @property
    def num_workers(self):
        """The number of workers."""
        raise NotImplementedError()

    @staticmethod
    def register(klass):
        """Register a KVStore class, so that `mx.kv.create(klass.__name__.lower())` makes one.

        Examples
        --------
        >>> @mx.kvstore.KVStoreBase.register
        ... class MyKVStore(mx.kvstore.KVStoreBase):
        ...     pass
        >>> kv = mx.kv.create('MyKVStore')
        """
        assert isinstance(klass, type)
        return _register(KVStoreBase.kv_registry, 'kvstore', klass)


def _outs(out):
    return out if isinstance(out, list) else [out]


@KVStoreBase.register
class TestStore(KVStoreBase):
    """A key-value store for testing (MXNet's): one worker, sums over devices, no optimizer."""

    def broadcast(self, key, value, out, priority=0):
        for o in _outs(out):
            o[:] = value

    def pushpull(self, key, value, out=None, priority=0):
        from .ndarray.ndarray import NDArray
        if isinstance(value, NDArray):
            if out is not None:
                for o in _outs(out):
                    o[:] = value
            return
        ctx = value[0].context
        reduced = sum(v.as_in_context(ctx) for v in value)
        for o in (value if out is None else _outs(out)):
            o[:] = reduced

    @staticmethod
    def is_capable(capability):
        if capability.lower() == KVStoreBase.OPTIMIZER:
            return False
        raise ValueError(f'Unknown capability: {capability}')

    @property
    def type(self):
        return 'teststore'

    @property
    def rank(self):
        return 0

    @property
    def num_workers(self):
        return 1

    def set_optimizer(self, optimizer):
        raise NotImplementedError()

    def save_optimizer_states(self, fname, dump_optimizer=False):
        raise NotImplementedError()

    def load_optimizer_states(self, fname):
        raise NotImplementedError()


class KVStoreServer:
    """MXNet's parameter-server process, kept as a name.

    regluon's 'dist_*' stores all-reduce among the workers with torch.distributed: there
    are no server (or scheduler) processes, so there is nothing for a server to serve.
    `run()` returns at once (with a warning), so a launcher script that starts servers
    goes on; start only workers (`regluon launch -n N script.py` or torchrun).
    """

    def __init__(self, kvstore):
        self.kvstore = kvstore
        self.handle = None
        self.init_logginig = False      # (MXNet's spelling)

    def _controller(self):
        """MXNet's command handler: command 0 sets the optimizer (given as an Optimizer;
        regluon never unpickles)."""
        def server_controller(cmd_id, cmd_body, _=None):
            if cmd_id == 0:
                self.kvstore.set_optimizer(cmd_body)
            else:
                print(f"server {self.kvstore.rank}, unknown command ({cmd_id}, {cmd_body})")
        return server_controller

    def run(self):
        """Return at once: torch.distributed workers all-reduce without servers."""
        warnings.warn("KVStoreServer.run(): regluon's distributed kvstore has no server "
                      "processes (the workers all-reduce with torch.distributed); nothing "
                      "to run", stacklevel=2)
