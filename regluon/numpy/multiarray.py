"""`mx.np.ndarray`: an NDArray with NumPy semantics, as MXNet 1.6+ has it.

It **subclasses** `mx.nd.NDArray` (as MXNet's does) and adds no state (`__slots__ = ()`),
so the two share one memory layout:
- every `mx.nd` operator, Gluon layer, optimizer update and `autograd` call accepts an np
  array unchanged (the `@op` wrapper unboxes any NDArray), with no second code path;
- `as_nd_ndarray()` / `as_np_ndarray()` are new boxes around the same tensor (no copy),
  and a freshly made NDArray becomes an np array by a class switch (`_to_np`);
- what differs is only what NumPy defines differently: operators and methods here
  (type promotion, 0-d results, indexing, `T`, `repr`), each box made by `_wrap`.
A sibling class would have needed its own copy of autograd, Gluon and optimizer glue.

MXNet 1.9.1's rules kept (checked against it, see tests/test_numpy.py):
- array with array: NumPy's promotion (int with float gives the float type; uint8 with
  int8 is an error); true division of integers gives float32;
- array with Python scalar: the scalar is cast to the array's dtype first
  (`int32 + 1.5` is int32, `== 2.5` compares with 2); a bool array gives int64.
"""
import math
import weakref

import numpy as onp
import torch

from ..base import MXNetError
from .. import autograd as _ag
from ..ndarray.ndarray import NDArray, _box, _device

__all__ = ['ndarray']

_state = _ag._state
_new = object.__new__
_noted, _forget, _ref = _ag._made.add, _ag._forget, _ag._Ref
_Tensor = torch.Tensor
_SCALAR = (int, float, bool, onp.number, onp.bool_)
_INTS = (torch.uint8, torch.int8, torch.int16, torch.int32, torch.int64)
_FLOATS = (torch.float32, torch.float64, torch.float16, torch.bfloat16)


def _wrap(t, ctx=None):
    """Box tensor `t` as an np.ndarray: recorded only inside record() (see register.py)."""
    r = _new(ndarray)
    r._ctx, r._grad = ctx, None
    if t.requires_grad:
        if _state.recording:
            _noted(_ref(r, _forget))
        else:
            t = _ag._unrecorded(t)
    r._t = t
    return r


# A bool/integer result recorded from inputs that require grad: torch cannot give it a
# gradient, MXNet backpropagates zeros through it. id(its tensor) -> (weakref to the
# tensor, a float scalar joined to those inputs with zero gradients); ndarray.backward runs
# that one. Keyed by tensor, so that a hybridized graph's output (a kernel's tensor boxed
# anew) keeps it.
_ZERO_LINKS = {}


def zero_grad(tfn):
    """Torch function `tfn` (bool result) whose result, made inside record(), backpropagates
    zero gradients into its tensor arguments that require grad, as MXNet's does."""
    def f(*ts):
        r = tfn(*ts)
        if _state.recording:
            s = None
            for t in ts:
                if isinstance(t, _Tensor) and t.requires_grad:
                    z = t.sum() * 0
                    s = z if s is None else s + z
            if s is not None and not r.requires_grad:
                key = id(r)
                _ZERO_LINKS[key] = (weakref.ref(r, lambda _, k=key: _ZERO_LINKS.pop(k, None)),
                                    s)
        return r
    f.__name__ = getattr(tfn, '__name__', 'zero_grad')
    return f


def _to_np(x):
    """Make NDArray(s) np arrays in place (fresh results only); other values unchanged."""
    if type(x) is NDArray:
        x.__class__ = ndarray
    elif type(x) in (list, tuple):
        for v in x:
            _to_np(v)
    return x


def _tensor(x, name='operand'):
    """The tensor of an array-like operand (NDArray, numpy array, list), else an error."""
    if isinstance(x, NDArray):
        return x._t
    if isinstance(x, onp.ndarray):
        return torch.from_numpy(onp.array(x, order='C'))
    if isinstance(x, (list, tuple)):
        return torch.from_numpy(onp.asarray(x, dtype=onp.float32))
    if isinstance(x, _SCALAR):
        return x
    raise TypeError(f"{name}: type {type(x).__name__} not supported; expected an "
                    "mxnet.numpy.ndarray or a Python scalar")


def promote(da, db, name='op'):
    """MXNet's result dtype for two arrays' torch dtypes."""
    if da is db:
        return da
    if {da, db} == {torch.uint8, torch.int8}:
        raise MXNetError(f"{name}: uint8 and int8 arrays cannot be combined "
                         "(MXNet 1.9.1 has no common type for them); cast one first")
    return torch.promote_types(da, db)


def _operands(a, b, name, div=False, cmp=False):
    """Tensors (or a scalar) for a binary op under MXNet's rules (module docstring); a
    comparison takes a scalar against a bool array as a bool (`b == 2` is `b == True`)."""
    ta, tb = _tensor(a, name), _tensor(b, name)
    if isinstance(ta, _Tensor) and isinstance(tb, _Tensor):
        dt = promote(ta.dtype, tb.dtype, name)
        if div and not dt.is_floating_point:
            dt = torch.float32
        return (ta if ta.dtype is dt else ta.to(dt)), (tb if tb.dtype is dt else tb.to(dt))
    t, s = (ta, tb) if isinstance(ta, _Tensor) else (tb, ta)
    if div:
        if not t.is_floating_point():
            t = t.to(torch.float32)
        s = float(s)
    elif t.dtype is torch.bool:
        if cmp:
            s = bool(s)
        else:
            t, s = t.to(torch.int64), int(s)
    else:
        s = float(s) if t.is_floating_point() else int(s)
    return (t, s) if isinstance(ta, _Tensor) else (s, t)


def _ctx_of(*xs):
    for x in xs:
        if isinstance(x, NDArray):
            return x._ctx
    return None


def _run(name, fn, *args):
    """Run a torch call, turning torch's errors (also its axis IndexErrors) into MXNetError
    naming the op."""
    try:
        return fn(*args)
    except (RuntimeError, IndexError) as e:
        raise MXNetError(f"{name}: {e}") from None


def guard(fn, name=None):
    """`fn` with torch's RuntimeError/IndexError turned into MXNetError naming it (the
    public `np.*` functions are guarded so; MXNet's own errors pass through)."""
    label = name or fn.__name__

    def guarded(*args, **kwargs):
        try:
            return fn(*args, **kwargs)
        except (RuntimeError, IndexError) as e:
            if isinstance(e, (MXNetError, NotImplementedError)):
                raise
            raise MXNetError(f"{label}: {e}") from None
    for attr in ('__name__', '__qualname__', '__doc__', '__module__'):
        setattr(guarded, attr, getattr(fn, attr))
    guarded.__wrapped__ = fn
    return guarded


def _tmaximum(a, b):
    if isinstance(a, _Tensor) and isinstance(b, _Tensor):
        return torch.maximum(a, b)
    t, s = (a, b) if isinstance(a, _Tensor) else (b, a)
    return torch.clamp(t, min=s)


def _tminimum(a, b):
    if isinstance(a, _Tensor) and isinstance(b, _Tensor):
        return torch.minimum(a, b)
    t, s = (a, b) if isinstance(a, _Tensor) else (b, a)
    return torch.clamp(t, max=s)


def _tpow(a, b):
    return torch.pow(a, b)


def _tmod(a, b):
    """NumPy's remainder (the divisor's sign), but x mod 0 is 0 as in MXNet (NumPy: nan
    for floats, an error in torch for integers)."""
    if isinstance(b, _Tensor):
        zero = b == 0
        if not zero.any():
            return torch.remainder(a, b)
        r = torch.remainder(a, b if b.is_floating_point() else b.masked_fill(zero, 1))
        return r.masked_fill(zero, 0)
    if b == 0:
        return torch.zeros_like(a)
    return torch.remainder(a, b)


_UFUNC_KW = {'where': True, 'casting': 'same_kind', 'order': 'K', 'dtype': None,
             'subok': True}
_UFUNC_DTYPES = {'int8', 'uint8', 'int32', 'int64', 'float16', 'float32', 'float64'}


def _ufunc_legal(key, value):
    if key == 'where':
        return True
    if key == 'casting':
        return value in ('no', 'equiv', 'safe', 'same_kind', 'unsafe')
    if key == 'order':
        return isinstance(value, str)
    if key == 'dtype':
        try:
            return onp.dtype(value).name in _UFUNC_DTYPES
        except TypeError:
            return False
    return key == 'subok' and isinstance(value, bool)


def check_ufunc_kwargs(name, kwargs, ufunc=True):
    """MXNet's ufunc keywords: NumPy's where/casting/order/dtype/subok only at their
    defaults (another value NumPy allows: NotImplementedError; else TypeError). A
    function that is no ufunc (`ufunc=False`) takes none."""
    if not ufunc and kwargs:
        raise TypeError(f"{name}() got an unexpected keyword argument "
                        f"'{next(iter(kwargs))}'")
    for key, value in kwargs.items():
        if key not in _UFUNC_KW:
            raise TypeError(f"{key} is an invalid keyword to function '{name}'")
        if value is _UFUNC_KW[key] or value == _UFUNC_KW[key]:
            continue
        if _ufunc_legal(key, value):
            raise NotImplementedError(f"{key}={value} is not implemented yet for operator "
                                      f"{name}")
        raise TypeError(f"{key}={value} not understood for operator {name}")


def _binary(name, tfn, div=False, ufunc=True, cmp=False):
    """np.<name>(x1, x2): broadcasting, MXNet's dtype rules (see the module docstring);
    two Python numbers give NumPy's scalar, as MXNet's."""
    def f(x1, x2, out=None, **kwargs):
        if kwargs:
            check_ufunc_kwargs(name, kwargs, ufunc)
        # the common cases first: same-dtype arrays, or a float array and a Python number
        if type(x1) is ndarray and out is None:
            t, o = x1._t, x2
            if type(o) is ndarray:
                o = o._t
                if t.dtype is o.dtype and (t.dtype in _FLOATS or not div):
                    try:
                        return _wrap(tfn(t, o), x1._ctx)
                    except RuntimeError:
                        pass                    # the general path words the error
            elif (type(o) is float or type(o) is int) and t.dtype in _FLOATS:
                return _wrap(tfn(t, o), x1._ctx)
        if isinstance(x1, _SCALAR) and isinstance(x2, _SCALAR):
            return getattr(onp, name)(x1, x2)
        a, b = _operands(x1, x2, name, div, cmp)
        if not isinstance(a, _Tensor) and tfn is not _tpow:   # a scalar on the left
            a = torch.full((), a, dtype=b.dtype, device=b.device)
        r = _wrap(_run(name, tfn, a, b), _ctx_of(x1, x2))
        return r if out is None else _into(out, r, name)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"Element-wise {name} of two arrays (or an array and a scalar), broadcast."
    return f


def _into(out, r, name='out'):
    """Write result `r` into `out`: MXNet casts no dtype and broadcasts no shape there."""
    if not isinstance(out, NDArray):
        raise TypeError(f"{name}: out must be an mxnet.numpy.ndarray, got "
                        f"{type(out).__name__}")
    t = r._t if isinstance(r, NDArray) else r
    if out._t.dtype is not t.dtype or tuple(out._t.shape) != tuple(t.shape):
        raise MXNetError(f"{name}: out has dtype {onp.dtype(out.dtype).name} and shape "
                         f"{tuple(out.shape)}, the result {str(t.dtype)[6:]} and "
                         f"{tuple(t.shape)}; MXNet casts and broadcasts nothing into out")
    out._assign(t)
    return out


add = _binary('add', torch.add)
subtract = _binary('subtract', torch.sub)
multiply = _binary('multiply', torch.mul)
true_divide = _binary('true_divide', torch.div, div=True)
divide = true_divide
mod = _binary('mod', _tmod)
remainder = mod
power = _binary('power', _tpow)
maximum = _binary('maximum', _tmaximum)
minimum = _binary('minimum', _tminimum)
equal = _binary('equal', zero_grad(torch.eq), ufunc=False, cmp=True)
not_equal = _binary('not_equal', zero_grad(torch.ne), ufunc=False, cmp=True)
greater = _binary('greater', zero_grad(torch.gt), ufunc=False, cmp=True)
greater_equal = _binary('greater_equal', zero_grad(torch.ge), ufunc=False, cmp=True)
less = _binary('less', zero_grad(torch.lt), ufunc=False, cmp=True)
less_equal = _binary('less_equal', zero_grad(torch.le), ufunc=False, cmp=True)


def _reflect(f):
    def r(self, other):
        return f(other, self)
    return r


def _index(k):
    """A NumPy index element as torch takes it. MXNet accepts float index arrays (the d2l
    book indexes with `np.array(list_of_ints)`, which is float32): they become int64."""
    if isinstance(k, NDArray):
        t = k._t
    elif isinstance(k, onp.ndarray):
        t = torch.from_numpy(k)
    elif isinstance(k, (list, range)):
        t = torch.from_numpy(onp.asarray(list(k)))
    else:
        return k
    if t.dtype is torch.bool or t.dtype in _INTS:
        return t
    return t.long()


def _key(key, shape, device=None):
    key = tuple(_index(k) for k in key) if type(key) is tuple else (_index(key),)
    if any(type(k) is slice and k.step is not None and k.step < 0 for k in key):
        return _negative_steps(key, shape, device)
    return key


class _Flat:
    """A key with backward slices, as the flat positions it selects (torch slices only
    step forward): `t.reshape(-1)[sel]` reads them, `t.view(-1)[sel] = v` writes them."""
    __slots__ = ('sel',)

    def __init__(self, sel):
        self.sel = sel


def _negative_steps(key, shape, device):
    """The positions `key` selects, found by indexing a grid of flat positions whose
    backward-sliced axes are flipped (each backward slice becomes a forward one): exact
    NumPy semantics for any mix of slices, integers and index arrays."""
    used = sum(k.dim() if isinstance(k, _Tensor) and k.dtype is torch.bool else 1
               for k in key if k is not None and k is not Ellipsis)
    out, flips, dim = [], [], 0
    for k in key:
        if k is Ellipsis:
            dim += len(shape) - used
        elif k is not None:
            if type(k) is slice and k.step is not None and k.step < 0:
                n = shape[dim]
                picked = range(n)[k]
                k = slice(n - 1 - picked[0], n - picked[-1], -k.step) if len(picked) \
                    else slice(0, 0)
                flips.append(dim)
            dim += k.dim() if isinstance(k, _Tensor) and k.dtype is torch.bool else 1
        out.append(k)
    grid = torch.arange(math.prod(shape), device=device).view(tuple(shape))
    return _Flat(grid.flip(flips)[tuple(out)])


def _inplace(fn):
    def f(self, other):
        r = fn(self, other)
        self._assign(r._t)
        return self
    return f


# NumPy's dispatch protocols (filled by regluon/numpy_dispatch_protocol.py): the official
# NumPy function -> the mx.np function run for it, and ufunc name -> mx.np function.
_NUMPY_ARRAY_FUNCTION_DICT = {}
_NUMPY_ARRAY_UFUNC_DICT = {}


def _as_onp_array(obj):
    """`obj` with each mx.np array (in lists/tuples too) a NumPy copy; and their context."""
    if isinstance(obj, NDArray):
        return obj.asnumpy(), obj.context
    if isinstance(obj, (list, tuple)):
        items, ctx = [], None
        for x in obj:
            y, c = _as_onp_array(x)
            items.append(y)
            ctx = ctx if ctx is not None else c
        return type(obj)(items), ctx
    return obj, None


def _as_mx_np_array(obj, ctx=None):
    """NumPy arrays (in lists/tuples too) in `obj` as mx.np arrays on `ctx`; numbers and
    NumPy scalars stay as they are (MXNet's rule)."""
    if isinstance(obj, onp.ndarray):
        return array(obj, dtype=obj.dtype, ctx=ctx)
    if isinstance(obj, (onp.generic, int, float, complex)):
        return obj
    if isinstance(obj, (list, tuple)):
        return type(obj)(_as_mx_np_array(x, ctx) for x in obj)
    raise TypeError(f'Does not support converting {type(obj)} to mx.np.ndarray.')


def _no_fallback_while_recording(name):
    if _state.recording:
        raise ValueError(f"Falling back to NumPy operator {name} with autograd active is not "
                         "supported.Please consider moving the operator to the outside of the "
                         "autograd scope.")


class ndarray(NDArray):
    """An n-dimensional array with NumPy semantics (`mx.np.ndarray`); see the module doc."""
    __slots__ = ()

    # ---- NumPy's dispatch protocols (regluon/numpy_dispatch_protocol.py) ---------------
    def __array_ufunc__(self, ufunc, method, *inputs, **kwargs):
        """`numpy.<ufunc>(...)` on mx.np arrays: the mx.np function of that name."""
        if 'out' in kwargs:
            out = kwargs['out']
            if len(out) != 1:
                raise ValueError('The `out` parameter must have exactly one ndarray')
            kwargs['out'] = out[0]
        if method != '__call__':
            return NotImplemented
        name = ufunc.__name__
        mx_ufunc = _NUMPY_ARRAY_UFUNC_DICT.get(name)
        if mx_ufunc is not None:
            return mx_ufunc(*inputs, **kwargs)
        _no_fallback_while_recording(name)
        args = [x.asnumpy() if isinstance(x, NDArray) else x for x in inputs]
        return _as_mx_np_array(getattr(onp, name)(*args, **kwargs), ctx=inputs[0].context)

    def __array_function__(self, func, types, args, kwargs):
        """An official NumPy function on mx.np arrays: its mx.np twin, or NumPy on copies
        (outside record()) with the result as an mx.np array."""
        mx_func = _NUMPY_ARRAY_FUNCTION_DICT.get(func)
        if mx_func is not None:
            if not all(issubclass(t, ndarray) for t in types):
                return NotImplemented
            return mx_func(*args, **kwargs)
        _no_fallback_while_recording(func)
        new_args, ctx = _as_onp_array(args)
        if ctx is None:
            raise ValueError('Unknown context for the input ndarrays.')
        new_kwargs = {k: v.asnumpy() if isinstance(v, NDArray) else v
                      for k, v in kwargs.items()}
        return _as_mx_np_array(func(*new_args, **new_kwargs), ctx=ctx)

    # ---- attributes ----------------------------------------------------------------
    @property
    def dtype(self):
        """The element type as a numpy.dtype (`dtype('float32')`), as MXNet's np has it."""
        return onp.dtype(super().dtype)

    @property
    def T(self):
        """The transpose: all axes reversed (a 1-D array is returned as it is)."""
        return _wrap(self._t.permute(*range(self._t.dim() - 1, -1, -1)), self._ctx)

    # ---- boxing and conversion -------------------------------------------------------
    def _apply(self, fn, ctx=None):
        return _wrap(fn(self._t), ctx if ctx is not None else self._ctx)

    def as_nd_ndarray(self):
        """The same data as a legacy `mx.nd.NDArray` (no copy)."""
        return _box(self._t, self._ctx)

    def as_np_ndarray(self):
        """This array (it is an np array already)."""
        return self

    def astype(self, dtype, order='K', casting='unsafe', subok=True, copy=True):  # pylint: disable=arguments-differ
        """A copy cast to `dtype` (this array if copy=False and the dtype matches); as
        MXNet's, order only 'K' or 'C', casting only 'unsafe', subok only True."""
        if order is not None and order not in ('K', 'C'):
            raise ValueError("order must be either 'K' or 'C'")
        if casting != 'unsafe':
            raise ValueError("casting must be equal to 'unsafe'")
        if not subok:
            raise ValueError('subok must be equal to True')
        return NDArray.astype(self, dtype, copy=copy)

    def detach(self):
        """The same data, cut from the recorded graph."""
        return _wrap(self._t.detach(), self._ctx)

    def backward(self, out_grad=None, retain_graph=False, train_mode=True):
        """See NDArray.backward; a recorded bool/integer result (a comparison, ...) gives
        its inputs zero gradients, as MXNet's."""
        t = self._t
        link = _ZERO_LINKS.get(id(t)) if _ZERO_LINKS else None
        if link is not None and link[0]() is t and not t.requires_grad:
            if not retain_graph:
                del _ZERO_LINKS[id(t)]
            head = _new(ndarray)
            head._t, head._ctx, head._grad = link[1], self._ctx, None
            return NDArray.backward(head, None, retain_graph, train_mode)
        return NDArray.backward(self, out_grad, retain_graph, train_mode)

    def attach_grad(self, grad_req='write', stype=None):
        """Allocate a zero gradient buffer `.grad` (an np array); see NDArray.attach_grad."""
        super().attach_grad(grad_req, stype)
        self._grad.__class__ = ndarray

    def item(self, *args):
        """The element as a Python scalar: the only one, the one at flat index `i`
        (`item(5)`, as NumPy), or at `item(i, j, ...)`."""
        t = self._t.detach()
        if len(args) == 1 and isinstance(args[0], (int, onp.integer)):
            n = t.numel()
            if not -n <= args[0] < n:
                raise IndexError(f"item: index {args[0]} is out of bounds for size {n}")
            return t.reshape(-1)[int(args[0])].item()
        if args:
            return self[args if len(args) > 1 else args[0]].item()
        if t.numel() != 1:
            raise ValueError("can only convert an array of size 1 to a Python scalar")
        return t.item()

    def asnumpy(self):
        """A numpy copy of the data (a plain numpy.ndarray, as MXNet's np gives)."""
        return super().asnumpy().view(onp.ndarray)

    def tolist(self):
        """The data as (nested) Python lists."""
        return self.asnumpy().tolist()

    def __float__(self):
        if self.size != 1:
            raise TypeError("only size-1 arrays can be converted to Python scalars")
        return float(self._t.item())

    def __int__(self):
        if self.size != 1:
            raise TypeError("only size-1 arrays can be converted to Python scalars")
        return int(self._t.item())

    def __len__(self):
        if self._t.dim() == 0:
            raise TypeError("len() of unsized object")
        return self._t.shape[0]

    def __iter__(self):
        # MXNet 1.9.1 iterates a 0-d array as an empty sequence (NumPy raises TypeError)
        return (self[i] for i in range(self._t.shape[0] if self._t.dim() else 0))

    def __format__(self, spec):
        # MXNet's: a 0-d array formats its item; another array only with an empty spec
        if self._t.dim() == 0:
            return format(self.item(), spec)
        if spec:
            raise TypeError("Cannot format mxnet.numpy.ndarray with format_spec")
        return str(self)

    def __repr__(self):
        # MXNet's form: NumPy's repr, dtype shown unless float32 or bool, ctx unless cpu
        text = repr(self.asnumpy().view(onp.ndarray))
        if 'dtype=' in text:
            if self._t.dtype is torch.float32:
                text = text[:text.rindex(',')] + ')'
        elif self._t.dtype not in (torch.float32, torch.bool):
            text = text[:-1] + f', dtype={self.dtype})'
        ctx = self.context
        return text if ctx.device_type == 'cpu' else text[:-1] + f', ctx={ctx})'

    def __str__(self):
        return str(self.asnumpy().view(onp.ndarray))

    def __reduce__(self):           # NDArray's pickled form, unpickled as an np array
        return ndarray, (None,), self.__getstate__()

    # ---- indexing --------------------------------------------------------------------
    def __getitem__(self, key):
        """NumPy indexing: ints, slices, None, Ellipsis, integer/boolean arrays and lists.
        As MXNet's, a result is a view only where it is contiguous (`x[1]`, `x[1:3]`);
        others (`x[:, 1]`, `x[::2]`) are copies, so writes to them leave `x` as it is."""
        t = self._t
        k = _key(key, t.shape, t.device)
        r = t.reshape(-1)[k.sel] if type(k) is _Flat else t[k]
        return _wrap(r if r.is_contiguous() else r.contiguous(), self._ctx)

    def __setitem__(self, key, value):
        """NumPy assignment (broadcast, cast to this array's dtype); not recorded unless a
        recorded value is written inside record()."""
        t = self._t
        k = _key(key, t.shape, t.device)
        v = _tensor(value, '__setitem__')
        if isinstance(v, _Tensor):
            if v.requires_grad and _state.recording and not t.is_floating_point():
                # MXNet's refusal of a partial write (a whole one it records as a cast copy;
                # torch has no gradient through an integer array)
                raise MXNetError("Inplace operations (+=, -=, x[:]=, etc) are not supported "
                                 "when recording with autograd (a recorded value written "
                                 f"into an {self.dtype} array)")
            v = v.to(t.dtype) if v.dtype is not t.dtype else v
        elif not t.is_floating_point():
            v = int(v)
        if _state.recording and getattr(v, 'requires_grad', False):
            nt = t.clone()
            if type(k) is _Flat:
                nt.view(-1)[k.sel] = v
            else:
                nt[k] = v
            self._t = nt
            _ag.note(self)
            return
        with torch.no_grad():
            try:
                if type(k) is _Flat:      # backward slices write through flat positions
                    t.view(-1)[k.sel] = v
                else:
                    t[k] = v
            except RuntimeError as e:
                raise MXNetError(f"__setitem__: cannot assign {_shape(v)} to index {key!r} "
                                 f"of an array of shape {self.shape}: {e}") from None

    # ---- operators -----------------------------------------------------------------
    __add__, __radd__ = add, _reflect(add)
    __sub__, __rsub__ = subtract, _reflect(subtract)
    __mul__, __rmul__ = multiply, _reflect(multiply)
    __truediv__, __rtruediv__ = true_divide, _reflect(true_divide)
    __mod__, __rmod__ = mod, _reflect(mod)
    __pow__, __rpow__ = power, _reflect(power)
    __eq__, __ne__ = equal, not_equal
    __lt__, __le__, __gt__, __ge__ = less, less_equal, greater, greater_equal
    __hash__ = NDArray.__hash__         # Gluon and autograd keep arrays in sets
    __iadd__, __isub__, __imul__ = _inplace(add), _inplace(subtract), _inplace(multiply)
    __itruediv__, __imod__, __ipow__ = _inplace(true_divide), _inplace(mod), _inplace(power)
    __floordiv__ = __rfloordiv__ = __ifloordiv__ = None     # MXNet 1.9.1 has no `//`

    def __neg__(self):
        t = self._t
        return _wrap(-(t.long() if t.dtype is torch.bool else t), self._ctx)  # -bool: int64

    def __pos__(self):
        return self

    def __abs__(self):
        return _wrap(self._t.abs(), self._ctx)

    def __invert__(self):
        return _wrap(~self._t, self._ctx)

    def __matmul__(self, other):
        from ._math import matmul
        return matmul(self, other)

    def __rmatmul__(self, other):
        from ._math import matmul
        return matmul(other, self)


def _shape(v):
    return f"an array of shape {tuple(v.shape)}" if isinstance(v, _Tensor) else repr(v)


def array(object, dtype=None, ctx=None):  # pylint: disable=redefined-builtin
    """An array from data. Python numbers and lists give float32 (MXNet's default, also for
    ints and bools); numpy and mx arrays keep their dtype unless `dtype` is given.

    Parameters
    ----------
    object : array_like
    dtype : str or numpy.dtype, optional
    ctx : Context, optional
        The current context if None.
    """
    from ._dtype import tdtype
    dev, label = _device(ctx)
    if isinstance(object, NDArray):
        t = object._t.detach()
    elif isinstance(object, onp.ndarray):
        t = torch.from_numpy(onp.array(object, order='C'))     # a copy: ours to write
    elif isinstance(object, onp.generic):
        t = torch.from_numpy(onp.asarray(object))
    else:
        data = [x.asnumpy() if isinstance(x, NDArray) else x for x in object] \
            if isinstance(object, (list, tuple)) else object
        try:
            a = onp.array(data, dtype=onp.float32 if dtype is None else None)
        except (TypeError, ValueError) as e:
            raise MXNetError(f"np.array: cannot make an array from "
                             f"{type(object).__name__}: {e}") from None
        t = torch.from_numpy(a)
    td = t.dtype if dtype is None else tdtype(dtype)
    return _wrap(t.to(device=dev, dtype=td, copy=True), label)


def _as_np_ndarray(self):
    """The same data as an `mx.np.ndarray` (no copy)."""
    r = _box(self._t, self._ctx)
    r.__class__ = ndarray
    return r


def _as_nd_ndarray(self):
    """This array (it is a legacy NDArray already)."""
    return self


# MXNet's legacy arrays convert both ways; installed here so ndarray.py stays untouched
NDArray.as_np_ndarray = _as_np_ndarray
NDArray.as_nd_ndarray = _as_nd_ndarray
