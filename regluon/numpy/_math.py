"""`mx.np` element-wise math, reductions, sorting and products (torch inside).

MXNet 1.9.1's dtype rules, kept: unary math on an integer array gives that integer type
(truncated: `np.exp(int32)` is int32); `sum`/`prod`/`cumsum`/`max` keep an integer dtype
(a bool sum is int64); `mean` of integers is float32, `std`/`var` of integers are the
integer type; `argmax`/`argsort` give int64.
"""
import numbers as _numbers

import numpy as _onp
import torch

from ..base import MXNetError, dtype_name

from ._dtype import float_of, keep, tdtype
from .multiarray import (_FLOATS, _SCALAR, _Tensor, _run, _tensor, _wrap, _ctx_of, _into,
                         check_ufunc_kwargs, ndarray, promote, zero_grad)

_BOOL = torch.bool


def _t(a, name):
    t = _tensor(a, name)
    if not isinstance(t, _Tensor):             # a Python scalar: a 0-d float32 array
        t = torch.tensor(t, dtype=torch.float32)
    return t


def _unary(name, tfn, on_int='keep'):
    """np.<name>(x): float arrays as torch computes them; integer arrays by `on_int`:
    'keep' (computed in float64, cast back, as MXNet does), 'same' (torch's integer
    kernel), 'bool' (the result is bool whatever the input)."""
    def f(x, out=None, **kwargs):
        if kwargs:
            check_ufunc_kwargs(name, kwargs)
        if isinstance(x, _SCALAR):           # a Python number: NumPy's scalar, as MXNet
            return getattr(_onp, name)(x)
        t = _t(x, name)
        if t.dtype.is_floating_point or on_int != 'keep':
            r = _run(name, tfn, t)
        else:
            r = keep(_run(name, tfn, t.to(torch.float64)), t.dtype)
        if out is None:
            return _wrap(r, _ctx_of(x))
        if on_int == 'bool' and isinstance(out, ndarray) and out._t.dtype is not _BOOL:
            raise TypeError(f"{name}: the `out` parameter should be a boolean array")
        return _into(out, r, name)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"Element-wise {name} (`out=` optional)."
    return f


_UNARY = [
    ('exp', torch.exp), ('expm1', torch.expm1), ('log', torch.log), ('log2', torch.log2),
    ('log10', torch.log10), ('log1p', torch.log1p), ('sqrt', torch.sqrt),
    ('cbrt', lambda t: torch.sign(t) * torch.abs(t).pow(1.0 / 3)),
    ('reciprocal', torch.reciprocal), ('sin', torch.sin), ('cos', torch.cos),
    ('tan', torch.tan), ('arcsin', torch.asin), ('arccos', torch.acos),
    ('arctan', torch.atan), ('sinh', torch.sinh), ('cosh', torch.cosh),
    ('tanh', torch.tanh), ('arcsinh', torch.asinh), ('arccosh', torch.acosh),
    ('arctanh', torch.atanh), ('degrees', torch.rad2deg), ('radians', torch.deg2rad),
    ('floor', torch.floor), ('ceil', torch.ceil), ('trunc', torch.trunc),
    ('fix', torch.trunc), ('rint', torch.round),
]
_SAME = [('abs', torch.abs), ('absolute', torch.abs), ('negative', torch.neg),
         ('sign', torch.sign), ('square', torch.square)]
_TO_BOOL = [('isnan', torch.isnan), ('isinf', torch.isinf), ('isfinite', torch.isfinite),
            ('logical_not', torch.logical_not), ('isposinf', torch.isposinf),
            ('isneginf', torch.isneginf)]

for _n, _f in _UNARY:
    globals()[_n] = _unary(_n, _f)
for _n, _f in _SAME:
    globals()[_n] = _unary(_n, _f, 'same')
for _n, _f in _TO_BOOL:
    globals()[_n] = _unary(_n, zero_grad(_f), 'bool')

__all__ = (['sum', 'mean', 'var', 'std', 'max', 'min', 'amax', 'amin', 'prod', 'any', 'all',
            'argmax', 'argmin', 'cumsum', 'sort', 'argsort', 'unique', 'dot', 'matmul',
            'tensordot', 'einsum', 'inner', 'outer', 'vdot', 'clip', 'where', 'nonzero',
            'round', 'around', 'arctan2', 'hypot', 'logical_and', 'logical_or', 'logical_xor',
            'copysign'] + [n for n, _ in _UNARY + _SAME + _TO_BOOL])


def round(x, decimals=0, out=None):  # pylint: disable=redefined-builtin
    """Round half to even to `decimals` places; integers with `decimals` < 0 are cut
    toward zero to a multiple of 10**-decimals (MXNet's kernel: around(127, -1) is 120)."""
    if isinstance(x, _SCALAR):
        return _onp.around(x, decimals)
    t = _t(x, 'round')
    if t.dtype.is_floating_point:
        r = torch.round(t, decimals=decimals)
    elif decimals < 0 and t.dtype is not _BOOL:
        f = 10 ** -decimals
        r = torch.div(t, f, rounding_mode='trunc') * f
    else:
        r = t.clone()
    r = _wrap(r, _ctx_of(x))
    if out is not None:
        out._assign(r._t)
        return out
    return r


around = round


def _with_scalar(name, tfn, x1, x2):
    """An array with a Python number, MXNet's way: the result has the array's dtype
    (`arctan2(float16, 1.0)` is float16); with an integer array the number is cut to an
    int first and the result, computed in float64, cut back to the array's dtype."""
    t = _t(x1 if isinstance(x2, _SCALAR) else x2, name)
    s = x2 if isinstance(x2, _SCALAR) else x1
    if t.dtype.is_floating_point:
        st = torch.tensor(float(s), dtype=t.dtype, device=t.device)
        return _run(name, tfn, t, st) if x2 is s else _run(name, tfn, st, t)
    st = torch.tensor(float(int(s)), dtype=torch.float64, device=t.device)
    tf = t.to(torch.float64)
    r = _run(name, tfn, tf, st) if x2 is s else _run(name, tfn, st, tf)
    return keep(r, t.dtype)


def _two(name, tfn, ufunc=True):
    def f(x1, x2, out=None, **kwargs):
        if kwargs:
            check_ufunc_kwargs(name, kwargs, ufunc)
        if isinstance(x1, _SCALAR) and isinstance(x2, _SCALAR):
            return getattr(_onp, name)(x1, x2)
        if ufunc and (isinstance(x1, _SCALAR) or isinstance(x2, _SCALAR)):
            r = _with_scalar(name, tfn, x1, x2)
        else:
            a, b = _t(x1, name), _t(x2, name)
            dt = promote(a.dtype, b.dtype, name)
            r = _run(name, tfn, a.to(dt), b.to(dt))
        return _wrap(r, _ctx_of(x1, x2)) if out is None else _into(out, r, name)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"Element-wise {name} of two arrays, broadcast."
    return f


arctan2 = _two('arctan2', lambda a, b: torch.atan2(float_of(a), float_of(b)))
hypot = _two('hypot', lambda a, b: torch.hypot(float_of(a), float_of(b)))
logical_and = _two('logical_and', zero_grad(torch.logical_and), ufunc=False)
logical_or = _two('logical_or', zero_grad(torch.logical_or), ufunc=False)
logical_xor = _two('logical_xor', zero_grad(torch.logical_xor), ufunc=False)
copysign = _two('copysign', lambda a, b: keep(torch.copysign(a, b), a.dtype))  # ints stay


# ---- reductions ------------------------------------------------------------------------
def _axes(axis, ndim, name):
    """`axis` as a tuple of non-negative ints (None: every axis); MXNet's error if out of
    range."""
    if axis is None:
        return tuple(range(ndim))
    axes = tuple(axis) if isinstance(axis, (list, tuple)) else (axis,)
    out, n = [], ndim if ndim else 1
    for a in axes:
        a = int(a)
        if not -n <= a < n:
            raise MXNetError(f"{name}: reduction axis {a} exceeds the input dimensions "
                             f"(ndim {ndim})")
        out.append(a % n)
    return tuple(out)


def _reduce(name, a, axis, keepdims, fn, out=None):
    t = _t(a, name)
    axes = _axes(axis, t.dim(), name)
    r = _run(name, fn, t, axes if t.dim() else ())    # a 0-d array: fn's no-axis case
    if keepdims and t.dim():
        r = r.reshape([1 if i in axes else s for i, s in enumerate(t.shape)])
    res = _wrap(r, _ctx_of(a))
    if out is not None:
        out._assign(res._t)
        return out
    return res


def sum(a, axis=None, dtype=None, keepdims=False, initial=None, out=None):  # pylint: disable=redefined-builtin
    """Sum over `axis` (all if None); ints keep their dtype, bools give int64."""
    if axis is None and type(a) is ndarray and a._t.dtype in _FLOATS and dtype is None \
            and not keepdims and initial is None and out is None:
        return _wrap(a._t.sum(), a._ctx)        # the common case, in one step
    def fn(t, axes):
        dt = tdtype(dtype, torch.int64 if t.dtype is _BOOL else t.dtype)
        r = t.sum(dim=axes).to(dt) if axes else t.to(dt)
        return r if initial is None else r + initial
    return _reduce('sum', a, axis, keepdims, fn, out)


def mean(a, axis=None, dtype=None, out=None, keepdims=False):
    """Mean over `axis`; integers and bools give float32."""
    if axis is None and type(a) is ndarray and a._t.dtype in _FLOATS and dtype is None \
            and not keepdims and out is None:
        return _wrap(a._t.mean(), a._ctx)
    def fn(t, axes):
        r = float_of(t).mean(dim=axes) if axes else float_of(t).clone()
        return r if dtype is None else r.to(tdtype(dtype))
    return _reduce('mean', a, axis, keepdims, fn, out)


def _moment(name, a, axis, dtype, ddof, keepdims, out, sqrt):
    """var/std as MXNet's kernel: sum((x - mean)**2) / (n - ddof) (nan or inf where
    n <= ddof, as NumPy); for integers the mean is an integer too (cut toward zero:
    var([2, 5]) of int32 is 2.5 with dtype float32)."""
    def fn(t, axes):
        n = 1
        for ax in axes:
            n *= t.shape[ax]
        if t.is_floating_point() and axes and n > ddof:
            r = torch.var(float_of(t), dim=axes, correction=ddof)
        else:
            if t.is_floating_point():
                x = t.float() if t.element_size() < 4 else t
                d = x - (x.mean(dim=axes, keepdim=True) if axes else x)
            else:
                x = t.long()
                m = torch.div(x.sum(dim=axes, keepdim=True), n or 1, rounding_mode='trunc') \
                    if axes else x
                d = (x - m).double()
            ss = (d * d).sum(dim=axes) if axes else d * d
            r = ss / float(n - ddof) + 0.0       # IEEE: x/0 is inf, 0/0 nan; no -0.0
        r = r.sqrt() if sqrt else r
        return keep(r, tdtype(dtype, t.dtype))
    return _reduce(name, a, axis, keepdims, fn, out)


def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    """Variance over `axis` (`ddof` delta degrees of freedom)."""
    return _moment('var', a, axis, dtype, ddof, keepdims, out, False)


def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
    """Standard deviation over `axis` (`ddof` delta degrees of freedom)."""
    return _moment('std', a, axis, dtype, ddof, keepdims, out, True)


def _extreme(name, tfn):
    def f(a, axis=None, keepdims=False, out=None):  # MXNet's order (the method's differs)
        def fn(t, axes):
            if t.numel() == 0:
                raise MXNetError(f"{name}: zero-size array to reduction operation {name} "
                                 "which has no identity")
            return tfn(t, dim=axes) if axes else t.clone()
        return _reduce(name, a, axis, keepdims, fn, out)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"The {name}imum over `axis` (all if None)."
    return f


max = amax = _extreme('max', torch.amax)  # pylint: disable=redefined-builtin
min = amin = _extreme('min', torch.amin)  # pylint: disable=redefined-builtin


def prod(a, axis=None, dtype=None, out=None, keepdims=False):
    """Product over `axis`; integers keep their dtype."""
    def fn(t, axes):
        dt = tdtype(dtype, torch.int64 if t.dtype is _BOOL else t.dtype)
        r = t
        for ax in sorted(axes, reverse=True):
            r = r.prod(dim=ax)
        return r.to(dt)
    return _reduce('prod', a, axis, keepdims, fn, out)


def any(a, axis=None, keepdims=False, out=None):  # pylint: disable=redefined-builtin
    """Whether any element (along `axis`) is true; a bool array."""
    return _reduce('any', a, axis, keepdims,
                   lambda t, axes: torch.any(t.bool(), dim=axes) if axes else t.bool(), out)


def all(a, axis=None, keepdims=False, out=None):  # pylint: disable=redefined-builtin
    """Whether every element (along `axis`) is true; a bool array."""
    return _reduce('all', a, axis, keepdims,
                   lambda t, axes: torch.all(t.bool(), dim=axes) if axes else t.bool(), out)


def _arg(name, tfn):
    def f(a, axis=None, out=None):
        t = _t(a, name)
        if axis is not None:
            axis = _axes(axis, t.dim(), name)[0]
        r = _wrap(_run(name, tfn, t, axis), _ctx_of(a))
        if out is not None:
            out._assign(r._t)
            return out
        return r
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"Indices (int64) of the {name[3:]}imum along `axis` (flattened if None)."
    return f


argmax = _arg('argmax', lambda t, axis: torch.argmax(t, dim=axis))
argmin = _arg('argmin', lambda t, axis: torch.argmin(t, dim=axis))


def cumsum(a, axis=None, dtype=None, out=None):
    """Cumulative sum along `axis` (of the flattened array if None)."""
    t = _t(a, 'cumsum')
    if axis is None:
        t, axis = t.reshape(-1), 0
    dt = tdtype(dtype, torch.int64 if t.dtype is _BOOL else t.dtype)
    if dt.is_floating_point:               # summed in the output type, as MXNet
        t = t.to(dt)
    if dt is torch.float16 and t.shape[axis] > 1:
        # MXNet (and NumPy) round each partial sum to float16; torch sums in float32
        parts = t.unbind(axis)
        acc = [parts[0]]
        for p in parts[1:]:
            acc.append(acc[-1] + p)
        r = _wrap(torch.stack(acc, dim=axis), _ctx_of(a))
    else:
        r = _wrap(_run('cumsum', lambda: torch.cumsum(t, dim=axis).to(dt)), _ctx_of(a))
    if out is not None:
        out._assign(r._t)
        return out
    return r


def sort(a, axis=-1, kind=None, order=None):  # pylint: disable=unused-argument
    """A sorted copy along `axis` (of the flattened array if None)."""
    t = _t(a, 'sort')
    if axis is None:
        t, axis = t.reshape(-1), 0
    return _wrap(_run('sort', lambda: torch.sort(t, dim=axis, stable=True).values),
                 _ctx_of(a))


def argsort(a, axis=-1, kind=None, order=None):  # pylint: disable=unused-argument
    """Indices (int64) that sort along `axis` (of the flattened array if None)."""
    t = _t(a, 'argsort')
    if axis is None:
        t, axis = t.reshape(-1), 0
    return _wrap(_run('argsort', lambda: torch.sort(t, dim=axis, stable=True).indices),
                 _ctx_of(a))


def unique(ar, return_index=False, return_inverse=False, return_counts=False, axis=None):
    """The sorted unique elements, and optionally first indices, inverse and counts."""
    t = _t(ar, 'unique')
    if axis is None:
        t = t.reshape(-1)
    u, inv, cnt = torch.unique(t, sorted=True, return_inverse=True, return_counts=True,
                               dim=axis)
    res = [u]
    if return_index:
        n = t.shape[0 if axis is None else axis]
        first = torch.full((u.shape[0 if axis is None else axis],), n, dtype=torch.int64)
        res.append(first.scatter_reduce(0, inv, torch.arange(n), 'amin'))
    if return_inverse:
        res.append(inv)
    if return_counts:
        res.append(cnt)
    ctx = _ctx_of(ar)
    return _wrap(u, ctx) if len(res) == 1 else tuple(_wrap(r, ctx) for r in res)


# ---- products ---------------------------------------------------------------------------
def _pair(name, a, b):
    """The operands of a product: MXNet's products (dot, matmul, tensordot, inner, outer,
    vdot, einsum) refuse arrays of different dtypes instead of promoting them."""
    ta, tb = _t(a, name), _t(b, name)
    if ta.dtype != tb.dtype and not isinstance(a, _numbers.Number) \
            and not isinstance(b, _numbers.Number):
        raise MXNetError(f"{name}: both arrays must have the same dtype (MXNet does not "
                         f"promote in products); got {dtype_name(ta.dtype)} and "
                         f"{dtype_name(tb.dtype)}. Cast one with .astype()")
    dt = promote(ta.dtype, tb.dtype, name)
    return ta.to(dt), tb.to(dt)


def dot(a, b, out=None):
    """NumPy's dot: scalars multiply, vectors give the inner product (a 0-d array), matrices
    multiply, N-d arrays contract a's last axis with b's second-to-last."""
    if type(a) is ndarray and type(b) is ndarray and out is None:
        ta, tb = a._t, b._t
        if ta.dtype is tb.dtype and 0 < ta.dim() <= 2 and 0 < tb.dim() <= 2:
            try:
                return _wrap(torch.matmul(ta, tb), a._ctx)
            except RuntimeError:
                pass                            # the general path words the error
    ta, tb = _pair('dot', a, b)

    def fn():
        if ta.dim() == 0 or tb.dim() == 0:
            return ta * tb
        if tb.dim() == 1 or ta.dim() <= 2 and tb.dim() <= 2:
            return torch.matmul(ta, tb)
        return torch.tensordot(ta, tb, dims=([ta.dim() - 1], [tb.dim() - 2]))
    try:
        r = _wrap(fn(), _ctx_of(a, b))
    except RuntimeError:
        raise MXNetError(f"dot: shapes {tuple(ta.shape)} and {tuple(tb.shape)} are not "
                         "aligned (the last axis of a must match the "
                         f"{'only' if tb.dim() == 1 else 'second-to-last'} axis of b)") \
            from None
    if out is not None:
        out._assign(r._t)
        return out
    return r


def matmul(a, b, out=None, **kwargs):
    """Matrix product with NumPy's broadcasting of leading axes (ufunc keywords at their
    defaults only, as MXNet)."""
    if kwargs:
        check_ufunc_kwargs('matmul', kwargs)
    ta, tb = _pair('matmul', a, b)
    if ta.dim() == 0 or tb.dim() == 0:
        raise MXNetError("matmul: operands must not be scalars (0-d arrays); use multiply")
    r = _wrap(_run('matmul', torch.matmul, ta, tb), _ctx_of(a, b))
    if out is not None:
        out._assign(r._t)
        return out
    return r


def tensordot(a, b, axes=2):
    """Sum products over the given axes (an int: the last `axes` of a, first of b)."""
    ta, tb = _pair('tensordot', a, b)
    if not isinstance(axes, int):
        axes = [list(x) if isinstance(x, (list, tuple)) else [x] for x in axes]
    return _wrap(_run('tensordot', lambda: torch.tensordot(ta, tb, dims=axes)),
                 _ctx_of(a, b))


def einsum(subscripts, *operands, **kwargs):  # pylint: disable=unused-argument
    """Einstein summation over the operands (`optimize=` is accepted and ignored)."""
    ts = [_t(x, 'einsum') for x in operands]
    for x in operands[1:]:
        _pair('einsum', operands[0], x)            # same dtypes, as the products above
    dt = ts[0].dtype
    for t in ts[1:]:
        dt = promote(dt, t.dtype, 'einsum')
    return _wrap(_run('einsum', lambda: torch.einsum(subscripts, *[t.to(dt) for t in ts])),
                 _ctx_of(*operands))


def inner(a, b):
    """Inner product over the last axes."""
    ta, tb = _pair('inner', a, b)
    return _wrap(_run('inner', torch.inner, ta, tb), _ctx_of(a, b))


def outer(a, b):
    """Outer product of the two arrays, flattened."""
    ta, tb = _pair('outer', a, b)
    return _wrap(torch.outer(ta.reshape(-1), tb.reshape(-1)), _ctx_of(a, b))


def vdot(a, b):
    """Dot product of the flattened arrays (a 0-d array)."""
    ta, tb = _pair('vdot', a, b)
    return _wrap(_run('vdot', torch.dot, ta.reshape(-1), tb.reshape(-1)), _ctx_of(a, b))


def clip(a, a_min, a_max, out=None):
    """Values limited to [a_min, a_max] (either may be None)."""
    t = _t(a, 'clip')
    if a_min is None and a_max is None:
        raise ValueError("array_clip: must set either max or min")
    cast = float if t.dtype.is_floating_point else int
    lo = None if a_min is None else cast(a_min)
    hi = None if a_max is None else cast(a_max)
    r = _wrap(torch.clamp(t, lo, hi), _ctx_of(a))
    if out is not None:
        out._assign(r._t)
        return out
    return r


def where(condition, x=None, y=None):
    """Elements of x where condition is true, else of y; with one argument, `nonzero`."""
    c = _t(condition, 'where')
    if x is None and y is None:
        return nonzero(condition)
    if x is None or y is None:
        raise ValueError("where: either both or neither of x and y should be given")
    tx, ty = _tensor(x, 'where'), _tensor(y, 'where')
    if isinstance(tx, _Tensor) and isinstance(ty, _Tensor):
        dt = promote(tx.dtype, ty.dtype, 'where')
        tx, ty = tx.to(dt), ty.to(dt)
    elif isinstance(tx, _Tensor) or isinstance(ty, _Tensor):
        ref = tx if isinstance(tx, _Tensor) else ty          # the scalar takes its dtype
        cast = float if ref.dtype.is_floating_point else bool if ref.dtype is _BOOL else int
        tx, ty = (tx if isinstance(tx, _Tensor) else cast(tx)), \
            (ty if isinstance(ty, _Tensor) else cast(ty))
    else:
        tx = torch.tensor(float(tx))
        ty = float(ty)
    return _wrap(_run('where', torch.where, c.bool(), tx, ty), _ctx_of(condition, x, y))


def nonzero(a):
    """A tuple of int64 index arrays, one per axis, of the non-zero elements."""
    t = _t(a, 'nonzero')
    return tuple(_wrap(i, _ctx_of(a)) for i in torch.nonzero(t, as_tuple=True))


def _method(fn):
    def m(self, *args, **kwargs):
        return fn(self, *args, **kwargs)
    m.__name__ = m.__qualname__ = fn.__name__
    m.__doc__ = fn.__doc__
    return m


def _clip_method(self, min=None, max=None, out=None):  # noqa: A002 (MXNet's names)
    """Values limited to [min, max]; MXNet's method names its bounds min/max (d2l's
    box_iou calls `.clip(min=0)`), unlike np.clip's a_min/a_max."""
    return clip(self, min, max, out=out)


def _out_keepdims(fn):
    """The method of a reduction whose function takes (a, axis, keepdims, out): MXNet's
    methods take (axis, out, keepdims)."""
    def m(self, axis=None, out=None, keepdims=False):
        return fn(self, axis=axis, keepdims=keepdims, out=out)
    m.__name__ = m.__qualname__ = fn.__name__
    m.__doc__ = fn.__doc__
    return m


for _f in (sum, mean, var, std, prod, argmax, argmin, cumsum, dot, round, nonzero):
    setattr(ndarray, _f.__name__, _method(_f))
for _f in (max, min, any, all):
    setattr(ndarray, _f.__name__, _out_keepdims(_f))
ndarray.clip = _clip_method
ndarray.sort = _method(sort)            # NumPy's sorts in place; MXNet's returns a copy
ndarray.argsort = _method(argsort)
ndarray.__abs__ = _method(globals()['abs'])
