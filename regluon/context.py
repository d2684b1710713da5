"""Devices as MXNet names them: `mx.cpu(i)`, `mx.gpu(i)`, and the current default context."""
import threading

import torch

from .base import MXNetError

__all__ = ['Context', 'cpu', 'gpu', 'cpu_pinned', 'current_context', 'num_gpus',
           'gpu_memory_info']


class _DefaultCtx:
    """`Context.default_ctx`: MXNet 1.x's deprecated class-level name for the current
    context (read by older scripts and by MXNet's own tests)."""

    def __get__(self, obj, cls):
        import warnings
        warnings.warn("Context.default_ctx has been deprecated. Please use "
                      "Context.current_context() instead.", DeprecationWarning)
        return current_context()


class Context:
    """A device: `Context('cpu', 0)` or `Context('gpu', 1)`; usable as `with ctx:`.

    Parameters
    ----------
    device_type : {'cpu', 'gpu', 'cpu_pinned', 'cpu_shared'} or Context
    device_id : int
    """
    devtype2str = {1: 'cpu', 2: 'gpu', 3: 'cpu_pinned', 5: 'cpu_shared'}
    devstr2type = {v: k for k, v in devtype2str.items()}
    _default_ctx = threading.local()       # MXNet's name; scripts set `.value` on it
    _default = _default_ctx
    default_ctx = _DefaultCtx()

    def __init__(self, device_type, device_id=0):
        if isinstance(device_type, Context):
            device_type, device_id = device_type.device_type, device_type.device_id
        if device_type not in self.devstr2type:
            # MXNet looks the name up in a dict: KeyError, as users' except clauses expect
            raise KeyError(f"Context: unknown device type {device_type!r}; expected one of "
                           f"{sorted(self.devstr2type)}")
        self.device_type = device_type
        self.device_id = int(device_id)
        self.device_typeid = self.devstr2type[device_type]    # an attribute, as in MXNet

    @classmethod
    def from_str(cls, s):
        """Parse MXNet's context strings 'cpu(0)', 'gpu(1)' (as `ctx=` arguments accept)."""
        name, _, rest = str(s).partition('(')
        if not rest.endswith(')') or not rest[:-1].isdigit() or name not in cls.devstr2type:
            raise MXNetError(f"Invalid context string {s!r}: expected a Context or a string "
                             "such as 'cpu(0)' or 'gpu(1)'")
        return cls(name, int(rest[:-1]))

    @property
    def torch_device(self):
        """The torch.device this context names; a missing GPU is an MXNetError."""
        if self.device_type != 'gpu':
            return _CPU
        if not torch.cuda.is_available() or self.device_id >= torch.cuda.device_count():
            raise MXNetError(f"GPU {self.device_id} is not available: this machine has "
                             f"{num_gpus()} CUDA device(s). Use mx.cpu() instead.")
        return torch.device('cuda', self.device_id)

    def __eq__(self, other):
        return (isinstance(other, Context) and self.device_type == other.device_type
                and self.device_id == other.device_id)

    def __hash__(self):
        return hash((self.device_type, self.device_id))

    def __repr__(self):
        return f"{self.device_type}({self.device_id})"

    __str__ = __repr__

    def __enter__(self):
        # the contexts to go back to are kept per thread, so one Context object (such as
        # the one NDArray.context gives for a GPU) may be entered on several threads
        tls = Context._default_ctx
        outer = getattr(tls, 'outer', None)
        if outer is None:
            outer = tls.outer = []
        outer.append(getattr(tls, 'value', None) or _CPU0)
        tls.value = self
        return self

    def __exit__(self, *exc):
        tls = Context._default_ctx
        tls.value = tls.outer.pop()

    def empty_cache(self):
        if self.device_type == 'gpu':
            torch.cuda.empty_cache()


_CPU = torch.device('cpu')


def cpu(device_id=0):
    """The CPU context. The id only labels copies (MXNet keeps one per id); memory is shared."""
    return Context('cpu', device_id)


def cpu_pinned(device_id=0):
    """Page-locked CPU memory in MXNet; plain CPU memory here (same behaviour)."""
    return Context('cpu_pinned', device_id)


def gpu(device_id=0):
    """A GPU context; using it when that CUDA device is absent raises MXNetError."""
    return Context('gpu', device_id)


def num_gpus():
    """The number of CUDA devices torch can see."""
    return torch.cuda.device_count() if torch.cuda.is_available() else 0


def gpu_memory_info(device_id=0):
    """(free, total) bytes of memory on GPU `device_id`.

    Parameters
    ----------
    device_id : int
    """
    return tuple(torch.cuda.mem_get_info(gpu(device_id).torch_device))


def current_context():
    """The default context of this thread (`cpu(0)` unless inside `with ctx:`)."""
    return getattr(Context._default_ctx, "value", None) or _CPU0


_CPU0 = Context('cpu', 0)


_GPUS = {}      # device index -> its Context (NDArray.context on a GPU array, every op)


def context_of(device, label=None):
    """The Context for a torch.device; `label` keeps an explicit cpu(i) id."""
    if label is not None:
        return label
    if device.type == 'cuda':
        i = device.index or 0
        ctx = _GPUS.get(i)
        if ctx is None:
            ctx = _GPUS[i] = Context('gpu', i)
        return ctx
    return _CPU0


def device_of(ctx):
    """The torch.device of a creation kernel's `ctx` argument: a Context, a string such as
    'gpu(0)', a torch.device (what a graph replay passes), or None (the CPU)."""
    if ctx is None:
        return torch.device('cpu')
    if isinstance(ctx, torch.device):
        return ctx
    return (ctx if isinstance(ctx, Context) else Context.from_str(ctx)).torch_device
