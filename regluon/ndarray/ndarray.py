"""The NDArray: one torch.Tensor in an MXNet-shaped box.

Only this module and `register.py` touch `._t`. Operators (`+`, `.sum()`, `nd.dot`, ...)
are installed on the class by `@op` from the modules in `ndarray/ops/`.
"""
import numpy as np
import torch

from ..base import MXNetError, np_dtype, torch_dtype
from ..context import Context, context_of, current_context
from .. import autograd as _ag

__all__ = ['NDArray']

_state = _ag._state
_set_grad = torch._C._set_grad_enabled


class NDArray:
    """An n-dimensional array on a context, with MXNet 1.x's API and semantics.

    `x.to_torch()` (or `x._t`) is the underlying torch.Tensor, shared without a copy.
    """
    __slots__ = ('_t', '_ctx', '_grad', '__weakref__')
    __array_priority__ = 1000.0     # numpy scalars defer to our reflected operators

    def __init__(self, tensor, ctx=None):
        if not isinstance(tensor, torch.Tensor):
            raise TypeError(f"NDArray wraps a torch.Tensor, got {type(tensor).__name__}; "
                            "use nd.array(...) to make one from data")
        self._t, self._ctx, self._grad = tensor, ctx, None

    # ---- attributes ----------------------------------------------------------------
    @property
    def shape(self):
        return tuple(self._t.shape)

    @property
    def size(self):
        return self._t.numel()

    @property
    def ndim(self):
        return self._t.dim()

    @property
    def dtype(self):
        return np_dtype(self._t.dtype)

    @property
    def context(self):
        return context_of(self._t.device, self._ctx)

    ctx = context

    @property
    def stype(self):
        return 'default'

    @property
    def handle(self):
        return self._t

    @property
    def grad(self):
        return self._grad

    @property
    def T(self):
        return self.transpose()

    def to_torch(self):
        """The underlying torch.Tensor (no copy; writes are seen by both)."""
        return self._t

    # ---- conversion ----------------------------------------------------------------
    def asnumpy(self):
        """A numpy copy of the data (a copy, as in MXNet: later writes don't show in it)."""
        t = self._t.detach()
        if t.dtype == torch.bfloat16:
            t = t.float()
        return t.cpu().numpy().copy() if t.device.type == 'cpu' else t.cpu().numpy()

    def asscalar(self):
        if self.size != 1:
            raise ValueError("The current array is not a scalar")
        return self.asnumpy().reshape(())[()]

    def __array__(self, dtype=None, copy=None):
        a = self.asnumpy()
        return a if dtype is None else a.astype(dtype)

    def astype(self, dtype, copy=True):
        td = torch_dtype(dtype)
        if not copy and td == self._t.dtype:
            return self
        return self._apply(lambda t: t.to(td))

    def copy(self):
        return self._apply(torch.clone)

    def copyto(self, other):
        """Copy into an NDArray (in place) or onto a Context (a new array)."""
        if isinstance(other, NDArray):
            if other is self:
                return other
            if other.shape != self.shape:
                raise MXNetError(f"copyto: shape mismatch, source {self.shape} "
                                 f"vs destination {other.shape}")
            return other._assign(self._t)
        if isinstance(other, Context):
            dev = other.torch_device
            out = _box(self._t.detach().to(dev, copy=True), _label(other))
            return out
        raise TypeError(f"copyto: expected NDArray or Context, got {type(other).__name__}")

    def as_in_context(self, context):
        if context == self.context:
            return self
        return self._apply(lambda t: t.to(context.torch_device), _label(context))

    as_in_ctx = as_in_context

    def wait_to_read(self):
        if self._t.is_cuda:
            torch.cuda.synchronize(self._t.device)

    def to_dlpack_for_read(self):
        return torch.utils.dlpack.to_dlpack(self._t.detach())

    to_dlpack_for_write = to_dlpack_for_read

    def tostype(self, stype):
        if stype != 'default':
            raise MXNetError(f"tostype: sparse storage {stype!r} is not supported; "
                             "regluon arrays are dense")
        return self

    # ---- autograd ------------------------------------------------------------------
    def attach_grad(self, grad_req='write', stype=None):
        """Allocate a zero gradient buffer `.grad` and make this array a variable."""
        _ag.attach(self, grad_req)

    def detach(self):
        return _box(self._t.detach(), self._ctx)

    def backward(self, out_grad=None, retain_graph=False, train_mode=True):
        """Compute the gradient of this array w.r.t. the variables it was recorded from."""
        _ag.backward(self, out_grad, retain_graph, train_mode)

    # ---- in-place machinery ----------------------------------------------------------
    def _assign(self, t):
        """Write tensor (or value) `t` into this array, keeping its identity."""
        if _state.recording and getattr(t, 'requires_grad', False):
            # recorded write (e.g. out= inside record()): rebind so the graph stays intact
            self._t = t.to(self._t.dtype).expand(self._t.shape)
            return self
        with torch.no_grad():
            if isinstance(t, torch.Tensor):
                self._t.copy_(t)
            else:
                self._t.fill_(t)
        return self

    def _apply(self, fn, ctx=None):
        rec = _state.recording
        prev = torch.is_grad_enabled()
        _set_grad(rec)
        try:
            return _box(fn(self._t), ctx if ctx is not None else self._ctx)
        finally:
            _set_grad(prev)

    def _inplace(self, method, other):
        o = other._t if isinstance(other, NDArray) else other
        rec = _state.recording
        prev = torch.is_grad_enabled()
        _set_grad(rec)
        try:
            getattr(self._t, method)(o)
        except RuntimeError as e:
            raise MXNetError(f"in-place {method.strip('_')} on NDArray{self.shape}: {e}") \
                from None
        finally:
            _set_grad(prev)
        return self

    def __iadd__(self, other):
        return self._inplace('add_', other)

    def __isub__(self, other):
        return self._inplace('sub_', other)

    def __imul__(self, other):
        return self._inplace('mul_', other)

    def __itruediv__(self, other):
        return self._inplace('div_', other)

    def __imod__(self, other):
        return self._inplace('remainder_', other)

    # ---- Python protocol -------------------------------------------------------------
    __hash__ = object.__hash__

    def __len__(self):
        if self.ndim == 0:
            raise TypeError("len() of a 0-d NDArray")
        return self._t.shape[0]

    def __iter__(self):
        if self.ndim == 0:
            raise TypeError("iteration over a 0-d NDArray")
        return (self[i] for i in range(self._t.shape[0]))

    def __bool__(self):
        n = self.size
        if n == 0:
            return False
        if n == 1:
            return bool(self._t.item())
        raise ValueError("The truth value of an NDArray with multiple elements is "
                         "ambiguous.")

    __nonzero__ = __bool__

    def __float__(self):
        return float(self.asscalar())

    def __int__(self):
        return int(self.asscalar())

    def __index__(self):
        if self.size != 1 or self._t.is_floating_point():
            raise TypeError("only integer scalar arrays can be converted to a scalar index")
        return int(self._t.item())

    def __repr__(self):
        shape = 'x'.join(str(s) for s in self.shape)
        return f"\n{self.asnumpy()}\n<NDArray {shape} @{self.context}>"

    def __str__(self):
        return self.__repr__()

    def __reduce__(self):
        return (_from_numpy_state, (self.asnumpy(), str(self.context)))

    def __dlpack__(self, *args, **kwargs):
        return self._t.detach().__dlpack__(*args, **kwargs)

    def __dlpack_device__(self):
        return self._t.__dlpack_device__()


def _from_numpy_state(a, ctx):
    return NDArray(torch.from_numpy(a))


def _label(ctx):
    """The explicit context label to keep: cpu(i>0) ids are not visible on torch tensors."""
    return ctx if (ctx.device_type != 'gpu' and ctx.device_id != 0) else None


def _box(t, ctx=None):
    r = _new(NDArray)
    r._t, r._ctx, r._grad = t, ctx, None
    return r


_new = object.__new__


def _device(ctx):
    """torch device and context label for a `ctx=` argument (None: current context)."""
    if ctx is None:
        ctx = current_context()
    elif not isinstance(ctx, Context):
        ctx = Context(ctx) if isinstance(ctx, str) else ctx
    return ctx.torch_device, _label(ctx)
