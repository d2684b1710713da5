"""The NDArray: one torch.Tensor in an MXNet-shaped box.

Only this module and `register.py` touch `._t`. Operators (`+`, `.sum()`, `nd.dot`, ...)
are installed on the class by `@op` from the modules in `ndarray/ops/`.
"""
import struct
import warnings

import numpy as np
import torch

from ..base import FLOAT_DTYPES, MXNetError, np_dtype, torch_dtype
from ..context import Context, context_of, current_context
from .. import autograd as _ag
from ._fast import _fastop

__all__ = ['NDArray']

# MXNet's storage type ids (its file formats and graph attributes use them) and grad_req codes
_STORAGE_TYPE_UNDEFINED, _STORAGE_TYPE_DEFAULT, _STORAGE_TYPE_ROW_SPARSE, \
    _STORAGE_TYPE_CSR = -1, 0, 1, 2
_STORAGE_TYPE_STR_TO_ID = {'undefined': _STORAGE_TYPE_UNDEFINED,
                           'default': _STORAGE_TYPE_DEFAULT,
                           'row_sparse': _STORAGE_TYPE_ROW_SPARSE, 'csr': _STORAGE_TYPE_CSR}
_STORAGE_TYPE_ID_TO_STR = {v: k for k, v in _STORAGE_TYPE_STR_TO_ID.items()}
_GRAD_REQ_MAP = {'null': 0, 'write': 1, 'add': 3}
py_slice = slice        # MXNet's name for the builtin (its own modules shadow `slice`)

_state = _ag._state
_set_grad = torch._C._set_grad_enabled
_is_grad = torch.is_grad_enabled
_Tensor = torch.Tensor


def _idiv(t, o):
    # MXNet's integer division truncates toward zero
    return t.div_(o) if t.is_floating_point() else t.div_(o, rounding_mode='trunc')


def _inplace_now(self, t, o, method, tfn):
    if type(o) is float and t.dtype not in FLOAT_DTYPES:
        o = int(o)                      # MXNet casts the scalar to the array's dtype first
    try:
        tfn(t, o)
    except RuntimeError as e:
        raise MXNetError(f"in-place {method.strip('_')} of NDArray{tuple(t.shape)} "
                         f"{np_dtype(t.dtype).__name__} with {_what(o)}: {e}") from None
    return self


def _inplace_method(method, tfn):
    """`x += y` and friends (see NDArray._inplace). The common case, a same-dtype array or
    a plain scalar with no tensor that requires grad, runs here in one frame."""
    def inplace(self, other):
        t = self._t
        if type(other) is NDArray:
            o = other._t
            if o.dtype is t.dtype and not (t.requires_grad or o.requires_grad):
                return _inplace_now(self, t, o, method, tfn)
        elif (type(other) is int or type(other) is float) and not t.requires_grad:
            return _inplace_now(self, t, other, method, tfn)
        return self._inplace(other, method, tfn)
    inplace.__name__ = inplace.__qualname__ = method.replace('__', '__i', 1)
    return inplace


class NDArray:
    """An n-dimensional array on a context, with MXNet 1.x's API and semantics.

    `x.to_torch()` (or `x._t`) is the underlying torch.Tensor, shared without a copy.
    """
    __slots__ = ('_t', '_ctx', '_grad', '__weakref__')
    __array_priority__ = 1000.0     # numpy scalars defer to our reflected operators

    def __init__(self, tensor, ctx=None):
        if tensor is None:              # MXNet's NDArray(None): how unpickling starts
            tensor = torch.empty(0)
        if not isinstance(tensor, torch.Tensor):
            raise TypeError(f"NDArray wraps a torch.Tensor, got {type(tensor).__name__}; "
                            "use nd.array(...) to make one from data")
        self._t, self._ctx, self._grad = tensor, ctx, None
        if tensor.requires_grad:
            _ag.note(self)

    # ---- attributes ----------------------------------------------------------------
    @property
    def shape(self):
        """The shape, a tuple of ints."""
        return tuple(self._t.shape)

    @property
    def size(self):
        """The number of elements."""
        return self._t.numel()

    @property
    def ndim(self):
        """The number of dimensions."""
        return self._t.dim()

    @property
    def dtype(self):
        """The element type as a numpy type (`numpy.float32`), as MXNet reports it."""
        return np_dtype(self._t.dtype)

    @property
    def context(self):
        """The Context the data lives on."""
        return context_of(self._t.device, self._ctx)

    ctx = context

    @property
    def stype(self):
        """The storage type: always 'default' (dense)."""
        return 'default'

    @property
    def handle(self):
        """The underlying torch.Tensor (MXNet's handle is the C array it wraps)."""
        return self._t

    @property
    def grad(self):
        """The gradient buffer made by `attach_grad()`, or None."""
        return self._grad

    @property
    def _fresh_grad(self):
        """Whether backward wrote this variable's gradient since the flag was cleared."""
        return _ag.fresh_grad(self)

    @_fresh_grad.setter
    def _fresh_grad(self, state):
        _ag.set_fresh_grad(self, state)

    @property
    def T(self):
        """The transpose (all axes reversed)."""
        return self.transpose()

    def to_torch(self):
        """The underlying torch.Tensor (no copy; writes are seen by both).

        regluon keeps torch's grad mode equal to MXNet's recording state on threads that
        run its ops (off outside `autograd.record()`), so raw torch autograd on such a
        thread goes inside `with torch.enable_grad():`.
        """
        return self._t

    # ---- conversion ----------------------------------------------------------------
    def asnumpy(self):
        """A numpy copy of the data (a copy, as in MXNet: later writes don't show in it)."""
        t = self._t.detach()
        if t.dtype == torch.bfloat16:
            t = t.float()
        a = t.cpu().numpy().copy() if t.device.type == 'cpu' else t.cpu().numpy()
        return a.view(HostArray)

    def asscalar(self):
        """The value of a size-1 array as a numpy scalar."""
        if self.size != 1:
            raise ValueError("The current array is not a scalar")
        # MXNet's quirk, kept: a (1, 1) array gives back a (1, 1) numpy array
        return self.asnumpy()[0] if self.ndim == 1 else self.asnumpy()[()]

    def __array__(self, dtype=None, copy=None):
        a = self.asnumpy()
        return a if dtype is None else a.astype(dtype)

    def astype(self, dtype, copy=True):
        """A copy cast to `dtype`; with copy=False the same array if the dtype matches.

        Parameters
        ----------
        dtype : str or numpy.dtype
        copy : bool
        """
        td = torch_dtype(dtype)
        if not copy and td == self._t.dtype:
            return self
        return self._apply(lambda t: t.to(td))

    def copy(self):
        """A copy on the same context."""
        return self._apply(torch.clone)

    def copyto(self, other):
        """Copy into an NDArray (in place, cast to its dtype) or onto a Context (a new array).

        Parameters
        ----------
        other : NDArray or Context
        """
        if isinstance(other, NDArray):
            if other._t is self._t:
                # MXNet warns and returns False here; scripts may test for it
                warnings.warn('You are attempting to copy an array to itself', RuntimeWarning)
                return False
            if other.shape != self.shape:
                raise MXNetError(f"copyto: shape mismatch, source {self.shape} "
                                 f"vs destination {other.shape}")
            return other._assign(self._t)
        if isinstance(other, Context):
            dev = other.torch_device
            return self._apply(lambda t: t.to(dev, copy=True), _label(other))
        raise TypeError(f"copyto does not support type {type(other)}")

    def as_in_context(self, context):
        """This array if it is on `context` already, else a copy there."""
        if not isinstance(context, Context):
            raise TypeError(f"copyto does not support type {type(context)}")
        if context == self.context:
            return self
        # (a labelled array, cpu_pinned(0) say, copied to cpu(0) is labelled cpu(0))
        label = _label(context) or (context if self._ctx is not None else None)
        return self._apply(lambda t: t.to(context.torch_device, copy=True), label)

    as_in_ctx = as_in_context

    def wait_to_read(self):
        """Wait until the data can be read (CUDA work is synchronized; CPU is synchronous)."""
        if self._t.is_cuda:
            torch.cuda.synchronize(self._t.device)

    def to_dlpack_for_read(self):
        """A DLPack capsule sharing this array's memory."""
        return torch.utils.dlpack.to_dlpack(self._t.detach())

    to_dlpack_for_write = to_dlpack_for_read

    def tostype(self, stype):
        """A copy in storage type `stype`: 'default', 'csr' or 'row_sparse' (mx.nd.sparse)."""
        from .sparse import cast_storage
        return cast_storage(self, stype)

    # ---- autograd ------------------------------------------------------------------
    def attach_grad(self, grad_req='write', stype=None):
        """Allocate a zero gradient buffer `.grad` and make this array a variable.

        Parameters
        ----------
        grad_req : {'write', 'add', 'null'}
            'write' overwrites `.grad` on each backward, 'add' accumulates into it, 'null'
            computes no gradient. `.grad` stays the same buffer across backward passes.
        stype : str, optional
            'row_sparse' makes `.grad` a RowSparseNDArray (mx.nd.sparse).
        """
        if stype not in (None, 'default'):
            from .sparse import attach_sparse_grad
            return attach_sparse_grad(self, grad_req, stype)
        _ag.attach(self, grad_req)

    def detach(self):
        """The same data, cut from the recorded graph (gradients stop here)."""
        return _box(self._t.detach(), self._ctx)

    def backward(self, out_grad=None, retain_graph=False, train_mode=True):
        """Compute the gradient of this array w.r.t. the variables it was recorded from.

        Parameters
        ----------
        out_grad : NDArray, optional
            Gradient with respect to this array; ones if None (also for non-scalars).
        retain_graph : bool
            Keep the graph for another backward.
        train_mode : bool
            Whether the backward pass runs in training mode.
        """
        _ag.backward(self, out_grad, retain_graph, train_mode)

    # ---- in-place machinery ----------------------------------------------------------
    def _assign(self, t):
        """Write tensor (or value) `t` into this array, keeping its identity."""
        if _state.recording and getattr(t, 'requires_grad', False):
            # recorded write (e.g. out= inside record()): rebind so the graph stays intact
            self._t = t.to(self._t.dtype).expand(self._t.shape)
            _ag.note(self)
            return self
        grad_on = _is_grad()
        if grad_on:                     # a write is never recorded
            _set_grad(False)
        try:
            if isinstance(t, torch.Tensor):
                self._t.copy_(t)
            else:
                self._t.fill_(t)
        except RuntimeError as e:
            shape = tuple(t.shape) if isinstance(t, torch.Tensor) else ()
            raise MXNetError(f"cannot write a result of shape {shape} into an NDArray of "
                             f"shape {self.shape}: {e}") from None
        finally:
            if grad_on:
                _set_grad(True)
        return self

    def _apply(self, fn, ctx=None):
        """Box `fn(self._t)` computed in MXNet's recording mode (see register.py)."""
        return _box_result(fn(self._t), ctx if ctx is not None else self._ctx)

    # In-place operators are MXNet's `op(self, other, out=self)`: same dtype rules as the
    # operator, recorded inside record(), identity kept. With a plain scalar or a
    # same-dtype array and no tensor that requires grad (so nothing to record, whatever
    # torch's grad mode), torch's in-place method does it without a temporary.
    def _inplace(self, other, method, tfn):
        t = self._t
        o = other._t if type(other) is NDArray else other
        if (_state.recording and (t.requires_grad or getattr(o, 'requires_grad', False))) \
                or (o.dtype is not t.dtype if type(o) is _Tensor
                    else type(o) not in (int, float)):
            return getattr(self, method)(other, out=self)
        if _is_grad():
            _set_grad(False)
        return _inplace_now(self, t, o, method, tfn)

    # ---- Python protocol -------------------------------------------------------------
    __hash__ = object.__hash__

    def __len__(self):
        if self.ndim == 0:
            # MXNet indexes shape[0]: an IndexError, which we keep with a clearer message
            raise IndexError("len() of a 0-d NDArray: it has no first axis")
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

    # MXNet 1.9 has no __float__/__int__ (a TypeError always); we convert size-1 arrays
    # and keep the TypeError for the others.
    def __float__(self):
        return float(self._scalar('float'))

    def __int__(self):
        return int(self._scalar('int'))

    def _scalar(self, kind):
        if self.size != 1:
            raise TypeError(f"{kind}() needs an NDArray of size 1, got shape {self.shape}")
        return self._t.item()

    def __index__(self):
        if self.size != 1 or self._t.is_floating_point():
            raise TypeError("only integer scalar arrays can be converted to a scalar index")
        return int(self._t.item())

    def __repr__(self):
        shape = 'x'.join(str(s) for s in self.shape)
        return f"\n{self.asnumpy()}\n<NDArray {shape} @{self.context}>"

    def __str__(self):
        return self.__repr__()

    # Pickling is MXNet 1.9.1's, byte for byte: NDArray(None), then __setstate__ with
    # {'handle': the array as one NDArray::Save record (nd.save's format)}. So pickles cross
    # between the two (MXNet's name the class mxnet.ndarray.ndarray.NDArray: load them where
    # regluon's `mxnet` alias is installed, e.g. under `regluon run`). As in MXNet, the copy
    # loads on cpu(0) (or on the GPU it was saved from) and has no gradient buffer.
    def __reduce__(self):
        return NDArray, (None,), self.__getstate__()

    def __getstate__(self):
        from .utils import save_tobuffer
        # nd.save's list file for [self] is 3 uint64 of header, the record, 1 uint64 (no names)
        return {'handle': bytearray(save_tobuffer(self)[24:-8])}

    def __setstate__(self, state):
        from .utils import LIST_MAGIC, load_frombuffer
        buf = state.get('handle', _MISSING) if isinstance(state, dict) else _MISSING
        if buf is None:                 # MXNet's NDArray(None) pickled
            self._t, self._ctx, self._grad = torch.empty(0), None, None
            return
        if not isinstance(buf, (bytes, bytearray)):
            raise MXNetError("NDArray.__setstate__: expected MXNet's pickled state, a dict "
                             "{'handle': bytes of one saved array}, got "
                             f"{_what_state(state)}")
        head = struct.pack('<QQQ', LIST_MAGIC, 0, 1)
        self._t = load_frombuffer(head + bytes(buf) + struct.pack('<Q', 0))[0]._t
        self._ctx, self._grad = None, None

    def __dlpack__(self, *args, **kwargs):
        return self._t.detach().__dlpack__(*args, **kwargs)

    def __dlpack_device__(self):
        return self._t.__dlpack_device__()




# x op= y: (method, the operator it is, torch's in-place method); `__idiv__` is Python 2's
_INPLACE = [('__iadd__', '__add__', _Tensor.add_), ('__isub__', '__sub__', _Tensor.sub_),
            ('__imul__', '__mul__', _Tensor.mul_), ('__itruediv__', '__truediv__', _idiv),
            ('__imod__', '__mod__', _Tensor.remainder_), ('__ipow__', '__pow__', _Tensor.pow_)]
for _name, _op, _tfn in _INPLACE:
    _method = _inplace_method(_op, _tfn)
    if _fastop is not None:     # the common case in C (_fastop.c), the method above the rest
        _method = _fastop.inplace(_tfn, _method, NDArray, _Tensor)
        _method.__name__ = _method.__qualname__ = _name
    setattr(NDArray, _name, _method)
NDArray.__idiv__ = NDArray.__itruediv__


def _what(v):
    if isinstance(v, torch.Tensor):                 # an NDArray's tensor
        return f"NDArray{tuple(v.shape)} {np_dtype(v.dtype).__name__}"
    return f"NDArray{v.shape} {v.dtype.__name__}" if isinstance(v, NDArray) else repr(v)


_MISSING = object()


def _what_state(state):
    if isinstance(state, dict):
        return f"a dict with keys {sorted(map(str, state))}" if 'handle' not in state else \
            f"'handle' of type {type(state['handle']).__name__}"
    return f"a {type(state).__name__}"


class HostArray(np.ndarray):
    """What `asnumpy()` returns: a numpy array that, holding one element, converts to a
    Python number as numpy did for MXNet 1.x (numpy 2 refuses arrays of ndim > 0).
    MXNet code does this all the time: `print('loss %f' % l.mean().asnumpy())`."""

    def __float__(self):
        return float(self.reshape(-1)[0]) if self.size == 1 else np.ndarray.__float__(self)

    def __int__(self):
        return int(self.reshape(-1)[0]) if self.size == 1 else np.ndarray.__int__(self)

    def __repr__(self):
        return repr(self.view(np.ndarray))

    def __array_wrap__(self, obj, context=None, return_scalar=False):
        # a full reduction (x.asnumpy().sum(), (pred == label).sum()) gives a numpy scalar,
        # as for a plain ndarray; a subclass would otherwise get a 0-d array, which json,
        # isinstance(v, float) and metric values (mx.metric's get()) trip over
        if return_scalar:
            return obj[()]
        return super().__array_wrap__(obj, context, return_scalar)


def _label(ctx):
    """The explicit context label to keep: cpu(i>0) ids and cpu_pinned/cpu_shared are not
    visible on torch tensors (cpu(0) and gpu(i) are)."""
    return None if ctx.device_type == 'gpu' or (
        ctx.device_type == 'cpu' and ctx.device_id == 0) else ctx


def _box(t, ctx=None):
    r = _new(NDArray)
    r._t, r._ctx, r._grad = t, ctx, None
    if t.requires_grad:                 # recorded: see autograd._free (inlined autograd.note)
        _noted(_ref(r, _forget))
    return r


def _box_result(t, ctx):
    """Box an operator's result: noted if recorded; outside record() never part of a graph
    (torch's grad mode is checked here, not set before the op: see autograd._unrecorded)."""
    r = _new(NDArray)
    r._ctx, r._grad = ctx, None
    if t.requires_grad:
        if _state.recording:
            _noted(_ref(r, _forget))
        else:
            t = _ag._unrecorded(t)
    r._t = t
    return r


_new = object.__new__
_noted, _forget, _ref = _ag._made.add, _ag._forget, _ag._Ref


def _device(ctx):
    """torch device and context label for a `ctx=` argument (None: current context)."""
    if ctx is None:
        ctx = current_context()
    elif not isinstance(ctx, Context):
        ctx = Context.from_str(ctx)
    return ctx.torch_device, _label(ctx)
