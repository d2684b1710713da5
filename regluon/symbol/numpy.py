"""`mx.sym.np`: np-mode symbols, what `F.np` is inside a hybridized np-mode HybridBlock.

Under `npx.set_np()` MXNet 1.9.1 traces a HybridBlock with `_Symbol` inputs: NumPy
semantics, operators built as MXNet builds them (`x + y` is `_npi_add` named add0,
`x + 2` `_npi_add_scalar`, `x[1]` a `slice` then an `_npx_reshape`, `np.mean`
`_npi_mean`, `np.clip` the legacy `clip`). The functions here build those nodes with
MXNet's operator names, attributes and node names, so exports read back in MXNet and
MXNet's np-mode exports read back here; each node runs the `mx.np` function of the same
meaning (regluon/numpy/_ops.py). A function with no symbolic form here raises
`NoNpSymbol`; a hybridized block that uses one runs eagerly, with a warning
(regluon/numpy/_mode.py).
"""
import builtins
import math
import numbers
import types

import numpy as _onp

from ..base import MXNetError, dtype_name
from ..numpy import _ops  # noqa: F401  (registers the np-mode graph operators)
from . import graph
from .json_io import AttrList
from .symbol import Symbol, NotImplementedForSymbol, make_op, Group

_INTEGER = (int,)


class NoNpSymbol(NotImplementedForSymbol, AttributeError):
    """An `F.np` / `F.npx` function or `_Symbol` method with no symbolic form here (also
    an AttributeError, so `hasattr(F.np, name)` answers False)."""

    def __init__(self, function):
        MXNetError.__init__(
            self, f"{function} has no np-mode symbol in regluon; a hybridized block that "
            "uses it runs eagerly (the block cannot be exported)")
        self.function = function


def _op(opname, hint, *args, **kwargs):
    """A node of `opname` named after `hint`, as an np-mode `_Symbol`. Its settings are the
    keywords given, as MXNet writes them: a None is written ("None") for its np operators,
    except dtype's."""
    given_none = graph.NONE if opname.startswith('_np') else None
    kwargs = {k: given_none if v is None else _nd_sym(v) for k, v in kwargs.items()
              if not (v is None and k == 'dtype') and v is not _NG}
    return _np_sym(make_op(opname)(*[_nd_sym(a) for a in args], _hint=hint, **kwargs))


class _NotGiven:
    __slots__ = ()

    def __repr__(self):
        return '<not given>'


# the default of a setting MXNet writes only when the caller gives it (the np functions
# MXNet generates from its `_np_*` operators: np.sum(x) writes no axis, x.sum() does)
_NG = _NotGiven()


def _nd_sym(v):
    if type(v) is _Symbol:
        return Symbol(v._outputs)
    if type(v) in (list, tuple):
        return type(v)(_nd_sym(x) for x in v)
    return v


def _np_sym(s):
    return _Symbol(s._outputs) if type(s) is Symbol else s


# ---- element-wise ---------------------------------------------------------------------------
def _ufunc(lhs, rhs, name, rname=None, commutative=False):
    """MXNet's _ufunc_helper: two Symbols, a Symbol and a number (either side; is_int as
    MXNet computes it: False when the number is on the left), or two numbers."""
    lnum, rnum = isinstance(lhs, numbers.Number), isinstance(rhs, numbers.Number)
    if lnum and rnum:
        from .. import numpy as _np
        return getattr(_np, name)(lhs, rhs)
    if lnum:
        if commutative:
            return _op(f'_npi_{name}_scalar', f'{name}_scalar', rhs, scalar=float(lhs),
                       is_int=False)
        return _op(f'_npi_{rname}_scalar', f'{rname}_scalar', rhs, scalar=float(lhs),
                   is_int=False)
    if rnum:
        return _op(f'_npi_{name}_scalar', f'{name}_scalar', lhs, scalar=float(rhs),
                   is_int=isinstance(rhs, _INTEGER) and not isinstance(rhs, bool))
    if not isinstance(lhs, Symbol) or not isinstance(rhs, Symbol):
        raise TypeError(f"{name}: unsupported operand types {type(lhs).__name__} and "
                        f"{type(rhs).__name__}")
    return _op(f'_npi_{name}', name, lhs, rhs)


def _binary_fn(name, rname=None, commutative=False):
    def f(x1, x2, out=None):  # pylint: disable=unused-argument
        return _ufunc(x1, x2, name, rname, commutative)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"Element-wise {name} of two symbols or a symbol and a number."
    return f


add = _binary_fn('add', commutative=True)
subtract = _binary_fn('subtract', 'rsubtract')
multiply = _binary_fn('multiply', commutative=True)
true_divide = divide = _binary_fn('true_divide', 'rtrue_divide')
mod = remainder = _binary_fn('mod', 'rmod')
power = _binary_fn('power', 'rpower')
copysign = _binary_fn('copysign', 'rcopysign')
# comparisons: a number on the left flips the comparison (MXNet's helper does the same)
equal = _binary_fn('equal', commutative=True)
not_equal = _binary_fn('not_equal', commutative=True)
greater = _binary_fn('greater', 'less')
greater_equal = _binary_fn('greater_equal', 'less_equal')
less = _binary_fn('less', 'greater')
less_equal = _binary_fn('less_equal', 'greater_equal')
logical_and = _binary_fn('logical_and', commutative=True)
logical_or = _binary_fn('logical_or', commutative=True)
logical_xor = _binary_fn('logical_xor', commutative=True)
ldexp = _binary_fn('ldexp', 'rldexp')
lcm = _binary_fn('lcm', commutative=True)
bitwise_and = _binary_fn('bitwise_and', commutative=True)
bitwise_or = _binary_fn('bitwise_or', commutative=True)
bitwise_xor = _binary_fn('bitwise_xor', commutative=True)


def bitwise_not(x, out=None, **kwargs):  # pylint: disable=unused-argument
    """Element-wise bit inversion (NOT) of an integer or boolean symbol."""
    if isinstance(x, numbers.Number):
        return _onp.bitwise_not(x)
    return _op('_npi_bitwise_not', 'bitwise_not', x)


invert = bitwise_not


def _unary_fn(name, opname):
    def f(x, out=None, **kwargs):  # pylint: disable=unused-argument
        if isinstance(x, numbers.Number):       # a number: NumPy's value, as MXNet does
            return getattr(_onp, name)(x)
        return _op(opname, name, x)
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"Element-wise {name} (`_Symbol`)."
    return f


for _n in _ops._UNARY_OPS:
    _fname = _ops._UNARY_OPS[_n]
    globals()[_fname] = _unary_fn(_fname, '_npi_' + _n)
absolute = globals()['abs']
fabs = absolute


def arctan2(x1, x2, out=None):  # pylint: disable=unused-argument
    """Element-wise arctan(x1 / x2) with the quadrant."""
    return _op('_npi_arctan2', 'arctan2', x1, x2)


def hypot(x1, x2, out=None):  # pylint: disable=unused-argument
    """Element-wise sqrt(x1**2 + x2**2)."""
    return _op('_npi_hypot', 'hypot', x1, x2)


def maximum(x1, x2, out=None):  # pylint: disable=unused-argument
    """Element-wise maximum: MXNet 1.9.1 builds the legacy broadcast_maximum /
    _maximum_scalar nodes."""
    return _extremum(x1, x2, 'maximum')


def minimum(x1, x2, out=None):  # pylint: disable=unused-argument
    """Element-wise minimum (legacy broadcast_minimum / _minimum_scalar nodes)."""
    return _extremum(x1, x2, 'minimum')


def _extremum(x1, x2, name):
    if isinstance(x1, numbers.Number) and isinstance(x2, numbers.Number):
        return (builtins.max if name == 'maximum' else builtins.min)(x1, x2)
    if isinstance(x1, numbers.Number):
        x1, x2 = x2, x1
    if isinstance(x2, numbers.Number):
        return _op(f'_{name}_scalar', f'{name}_scalar', x1, scalar=float(x2),
                   is_int=isinstance(x2, int))
    return _op(f'broadcast_{name}', name, x1, x2)


def clip(a, a_min, a_max, out=None):  # pylint: disable=unused-argument
    """Limit the values to [a_min, a_max] (MXNet's legacy clip node; a None bound is
    written as -inf / inf, as MXNet does)."""
    return _op('clip', 'clip', a, a_min=-math.inf if a_min is None else a_min,
               a_max=math.inf if a_max is None else a_max)


def where(condition, x=None, y=None):
    """x where condition, else y (numbers allowed for x and y)."""
    xn, yn = isinstance(x, numbers.Number), isinstance(y, numbers.Number)
    if xn and yn:
        return _op('_npi_where_scalar2', 'where_scalar2', condition, x=float(x), y=float(y))
    if xn:
        return _op('_npi_where_rscalar', 'where_rscalar', condition, y, scalar=float(x))
    if yn:
        return _op('_npi_where_lscalar', 'where_lscalar', condition, x, scalar=float(y))
    if x is None or y is None:
        raise NoNpSymbol('mx.sym.np.where(condition)')
    return _op('_npi_where', 'where', condition, x, y)


def around(x, decimals=0, out=None):  # pylint: disable=unused-argument
    """Round half to even to `decimals` places."""
    return _op('_npi_around', 'around', x, decimals=decimals)


round = round_ = around  # pylint: disable=redefined-builtin


def nan_to_num(x, copy=True, nan=0.0, posinf=None, neginf=None, **kwargs):  # pylint: disable=redefined-outer-name,unused-argument
    """NaN and infinities replaced by `nan`, `posinf`, `neginf` (None: the dtype's largest
    and smallest finite values)."""
    if isinstance(x, numbers.Number):
        return _onp.nan_to_num(x, copy, nan, posinf, neginf)
    if not isinstance(x, _Symbol):
        raise TypeError(f'type {type(x)} not supported')
    return _op('_npi_nan_to_num', 'nan_to_num', x, copy=copy, nan=nan, posinf=posinf,
               neginf=neginf)


def polyval(p, x):
    """The polynomial with coefficients `p` (highest power first) at `x`."""
    if isinstance(p, Symbol) and isinstance(x, Symbol):
        return _op('_npi_polyval', 'polyval', p, x)
    if not isinstance(p, Symbol) and not isinstance(x, Symbol):
        return _onp.polyval(p, x)
    raise TypeError('type not supported')


def copy(a):
    """A copy of `a`."""
    return _op('_np_copy', 'copy', a)


# ---- reductions -------------------------------------------------------------------------------
def _axis(axis):
    return tuple(axis) if isinstance(axis, list) else axis



def sum(a, axis=_NG, dtype=_NG, out=None, keepdims=_NG, initial=_NG):  # pylint: disable=redefined-builtin,unused-argument
    """Sum over `axis` (None: all)."""
    return _op('_np_sum', 'sum', a, axis=_axis(axis), dtype=dtype, keepdims=keepdims,
               initial=initial)


def prod(a, axis=_NG, dtype=_NG, out=None, keepdims=_NG, initial=_NG):  # pylint: disable=unused-argument
    """Product over `axis`."""
    return _op('_np_prod', 'prod', a, axis=_axis(axis), dtype=dtype, keepdims=keepdims,
               initial=initial)


def max(a, axis=_NG, out=None, keepdims=_NG):  # pylint: disable=redefined-builtin,unused-argument
    """Maximum over `axis`."""
    return _op('_np_max', 'max', a, axis=_axis(axis), keepdims=keepdims)


def min(a, axis=_NG, out=None, keepdims=_NG):  # pylint: disable=redefined-builtin,unused-argument
    """Minimum over `axis`."""
    return _op('_np_min', 'min', a, axis=_axis(axis), keepdims=keepdims)


amax, amin = max, min


def product(a, axis=_NG, dtype=_NG, out=None, keepdims=_NG, initial=_NG):  # pylint: disable=unused-argument
    """Product over `axis` (MXNet's _np_prod node named product)."""
    return _op('_np_prod', 'product', a, axis=_axis(axis), dtype=dtype, keepdims=keepdims,
               initial=initial)


def sometrue(data, axis=_NG, out=None, keepdims=_NG):  # pylint: disable=unused-argument
    """Whether some element along `axis` is true (MXNet's _np_any node named sometrue)."""
    return _op('_np_any', 'sometrue', data, axis=_axis(axis), keepdims=keepdims)


def mean(a, axis=None, dtype=None, out=None, keepdims=False):  # pylint: disable=unused-argument
    """Mean over `axis`."""
    return _op('_npi_mean', 'mean', a, axis=_axis(axis), dtype=dtype, keepdims=keepdims)


def std(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):  # pylint: disable=unused-argument
    """Standard deviation over `axis`."""
    return _op('_npi_std', 'std', a, axis=_axis(axis), dtype=dtype, ddof=ddof,
               keepdims=keepdims)


def var(a, axis=None, dtype=None, out=None, ddof=0, keepdims=False):  # pylint: disable=unused-argument
    """Variance over `axis`."""
    return _op('_npi_var', 'var', a, axis=_axis(axis), dtype=dtype, ddof=ddof,
               keepdims=keepdims)


def average(a, axis=None, weights=None, returned=False, out=None):  # pylint: disable=unused-argument
    """The (weighted) average over `axis`."""
    if returned:
        raise NoNpSymbol('mx.sym.np.average(returned=True)')
    if weights is None:
        return _op('_npi_average', 'average', a, axis=_axis(axis), returned=returned,
                   weighted=False)
    return _op('_npi_average', 'average', a, weights, axis=_axis(axis), returned=returned)


def percentile(a, q, axis=None, out=None, overwrite_input=None, interpolation='linear',  # pylint: disable=unused-argument
               keepdims=False):
    """The q-th percentiles (q a number or a symbol, in [0, 100]) over `axis`."""
    if overwrite_input is not None:
        raise NotImplementedError('overwrite_input is not supported yet')
    if isinstance(q, numbers.Number):
        return _op('_npi_percentile', 'percentile', a, axis=_axis(axis),
                   interpolation=interpolation, keepdims=keepdims, q_scalar=q)
    return _op('_npi_percentile', 'percentile', a, q, axis=_axis(axis),
               interpolation=interpolation, keepdims=keepdims, q_scalar=None)


def quantile(a, q, axis=None, out=None, overwrite_input=None, interpolation='linear',  # pylint: disable=unused-argument
             keepdims=False):
    """The q-th quantiles (q in [0, 1]) over `axis` (MXNet's percentile node of q * 100)."""
    if overwrite_input is not None:
        raise NotImplementedError('overwrite_input is not supported yet')
    return percentile(a, q * 100, axis=axis, interpolation=interpolation, keepdims=keepdims)


def bincount(x, weights=None, minlength=0):
    """The number of occurrences of each value in the non-negative int array `x`
    (weighted by `weights`)."""
    if minlength < 0:
        raise ValueError("Minlength value should greater than 0")
    if weights is None:
        return _op('_npi_bincount', 'bincount', x, minlength=minlength, has_weights=False)
    return _op('_npi_bincount', 'bincount', x, weights, minlength=minlength,
               has_weights=True)


def argmax(a, axis=None, out=None):  # pylint: disable=unused-argument
    """Index of the maximum along `axis` (int64)."""
    return _op('_npi_argmax', 'argmax', a, axis=axis, keepdims=False)


def argmin(a, axis=None, out=None):  # pylint: disable=unused-argument
    """Index of the minimum along `axis` (int64)."""
    return _op('_npi_argmin', 'argmin', a, axis=axis, keepdims=False)


def all(a, axis=_NG, out=None, keepdims=_NG):  # pylint: disable=redefined-builtin,unused-argument
    """Whether every element along `axis` is true."""
    return _op('_np_all', 'all', a, axis=_axis(axis), keepdims=keepdims)


def any(a, axis=_NG, out=None, keepdims=_NG):  # pylint: disable=redefined-builtin,unused-argument
    """Whether some element along `axis` is true."""
    return _op('_np_any', 'any', a, axis=_axis(axis), keepdims=keepdims)


def cumsum(a, axis=_NG, dtype=_NG, out=None):  # pylint: disable=unused-argument
    """Cumulative sum along `axis` (MXNet's _np_cumsum node)."""
    return _op('cumsum', 'cumsum', a, axis=axis, dtype=dtype)


# ---- shapes -------------------------------------------------------------------------------------
def reshape(a, newshape, order=_NG):
    """`a` with shape `newshape` (one -1 inferred)."""
    return _op('_np_reshape', 'reshape', a, newshape=newshape, order=order)


def transpose(a, axes=_NG):
    """`a` with its axes permuted (reversed without `axes`)."""
    return _op('_np_transpose', 'transpose', a, axes=axes)


def swapaxes(a, axis1, axis2):
    """`a` with two axes swapped (MXNet's SwapAxis node)."""
    return _op('SwapAxis', 'swapaxes', a, dim1=axis1, dim2=axis2)


def expand_dims(a, axis):
    """`a` with a new axis of size 1 at `axis`."""
    return _op('expand_dims', 'expand_dims', a, axis=axis)


def squeeze(a, axis=_NG):
    """`a` without its axes of size 1 (or those of `axis`)."""
    return _op('_np_squeeze', 'squeeze', a, axis=axis)


def broadcast_to(array, shape):  # pylint: disable=redefined-outer-name
    """`array` broadcast to `shape`."""
    return _op('_npi_broadcast_to', 'broadcast_to', array, shape=tuple(shape))


def tile(A, reps):  # pylint: disable=invalid-name
    """`A` repeated `reps` times along each axis."""
    return _op('tile', 'tile', A, reps=tuple(reps) if isinstance(reps, list) else reps)


def repeat(a, repeats, axis=None):
    """Each element of `a` repeated `repeats` times (along `axis`)."""
    return _op('repeat', 'repeat', a, repeats=repeats, axis=axis)


def flip(m, axis=None):
    """`m` reversed along `axis`."""
    if axis is None:
        raise NoNpSymbol('mx.sym.np.flip(axis=None)')
    return _op('_npi_flip', 'flip', m, axis=axis)


def ravel(x, order='C'):  # pylint: disable=unused-argument
    """`x` flattened (an `_npx_reshape` to -1, as MXNet builds it)."""
    return _op('_npx_reshape', 'reshape', x, newshape=-1)


def _seq(opname, hint, seq, **kwargs):
    seq = list(seq)
    return _op(opname, hint, *seq, **kwargs)


def concatenate(seq, axis=0, out=None):  # pylint: disable=unused-argument
    """The arrays of `seq` joined along `axis`."""
    return _seq('_npi_concatenate', 'concatenate', seq, axis=axis)


def stack(arrays, axis=0, out=None):  # pylint: disable=unused-argument
    """The arrays stacked along a new axis."""
    return _seq('_npi_stack', 'stack', arrays, axis=axis)


def hstack(tup):
    """The arrays joined column-wise."""
    return _seq('_npi_hstack', 'hstack', tup)


def vstack(tup):
    """The arrays joined row-wise."""
    return _seq('_npi_vstack', 'vstack', tup)


def dstack(tup):
    """The arrays joined along the third axis."""
    return _seq('_npi_dstack', 'dstack', tup)


def column_stack(tup):
    """1-D arrays as columns of a 2-D array."""
    return _seq('_npi_column_stack', 'column_stack', tup)


def split(ary, indices_or_sections, axis=0):
    """`ary` split along `axis` into equal sections or at indices (MXNet's _split_v2)."""
    if isinstance(indices_or_sections, numbers.Integral):
        sections, indices = indices_or_sections, AttrList()
    else:
        sections, indices = 0, AttrList([0] + list(indices_or_sections))
    s = _op('_split_v2', 'split', ary, indices=indices, axis=axis, squeeze_axis=False,
            sections=sections)
    return [_Symbol([o]) for o in s._outputs]


def pad(x, pad_width, mode='constant', **kwargs):
    """`x` padded by `pad_width` (a tuple) in `mode`: 'constant' (`constant_values`, a
    number), 'edge' or 'reflect'."""
    if not isinstance(pad_width, tuple):
        raise TypeError("`pad_width` must be tuple.")
    allowed = {'constant': ('constant_values',), 'edge': (), 'reflect': ('reflect_type',),
               'symmetric': ('reflect_type',), 'maximum': ('stat_length',),
               'minimum': ('stat_length',)}
    if mode not in allowed:
        raise NoNpSymbol(f'mx.sym.np.pad(mode={mode!r})')
    unsupported = set(kwargs) - set(allowed[mode])
    if unsupported:
        raise ValueError(f"unsupported keyword arguments for mode '{mode}': {unsupported}")
    if mode == 'constant':
        values = kwargs.get('constant_values', 0)
        if isinstance(values, tuple):
            raise TypeError("unsupported constant_values type: {'tuple'}.")
        # MXNet 1.9.1 builds a first pad node it drops (so this one is pad1, ...) and
        # then one of constant_value 0 whatever the value; here the value given
        _op('_npi_pad', 'pad', x, pad_width=pad_width, mode='constant',
            constant_value=values)
        return _op('_npi_pad', 'pad', x, pad_width=pad_width, mode='constant',
                   constant_value=values)
    if mode in ('symmetric', 'maximum', 'minimum'):
        raise NoNpSymbol(f'mx.sym.np.pad(mode={mode!r})')   # mx.np.pad has no such modes
    if kwargs.get('reflect_type', 'even') not in ('even', None):
        raise ValueError(f"unsupported reflect_type '{kwargs['reflect_type']}'")
    if mode == 'edge':
        return _op('_npi_pad', 'pad', x, pad_width=pad_width, mode='edge')
    return _op('_npi_pad', 'pad', x, pad_width=pad_width, mode='reflect',
               reflect_type='even')


def _fallback(op_type, x, **settings):
    """MXNet's NumPy fallback: a `Custom` node (settings as strings), no gradient."""
    return _op('Custom', 'custom', x, op_type=op_type,
               **{k: str(v) for k, v in settings.items()})


def empty_like(prototype, dtype=None, order='C', subok=False, shape=None):  # pylint: disable=redefined-outer-name
    """An uninitialized array like `prototype` (MXNet's empty_like_fallback)."""
    return _fallback('empty_like_fallback', prototype, dtype=dtype, order=order, subok=subok,
                     shape=shape)


def resize(a, new_shape):
    """`a` repeated cyclically to fill `new_shape` (MXNet's resize_fallback)."""
    return _fallback('resize_fallback', a, new_shape=new_shape)


def unravel_index(indices, shape, order='C'):  # pylint: disable=redefined-outer-name
    """The coordinates of flat `indices` in an array of `shape`, as one (len(shape), ...)
    array (MXNet's unravel_index_fallback)."""
    if order != 'C':
        raise NotImplementedError('Don not support column-major (Fortran-style) order at '
                                  'this moment')
    return _fallback('unravel_index_fallback', indices, shape=shape)


def diag_indices_from(arr):
    """The indices of the main diagonal of a square array, as one (ndim, n) int64 array."""
    return _op('_npi_diag_indices_from', 'diag_indices_from', arr)


def diag(v, k=_NG):
    """The k-th diagonal of a 2-D array, or a 2-D array with `v` on it."""
    return _op('_np_diag', 'diag', v, k=k)


def trace(a, offset=0, axis1=0, axis2=1):
    """Sum along a diagonal."""
    return _op('_np_trace', 'trace', a, offset=offset, axis1=axis1, axis2=axis2)


def _split_settings(indices_or_sections, fname):
    if isinstance(indices_or_sections, numbers.Integral):
        return AttrList(), int(indices_or_sections)
    if isinstance(indices_or_sections, (list, set, tuple)):
        return AttrList([0] + list(indices_or_sections)), 0
    raise ValueError(f'{fname}: indices_or_sections must either int or tuple / list / set '
                     f'of ints, got {type(indices_or_sections).__name__}')


def _parts(s):
    return [_Symbol([o]) for o in s._outputs]


def array_split(ary, indices_or_sections, axis=0):
    """`ary` split along `axis` into sections (uneven allowed) or at indices."""
    indices, sections = _split_settings(indices_or_sections, 'array_split')
    return _parts(_op('_split_v2', 'split', ary, indices=indices, axis=axis,
                      squeeze_axis=False, sections=sections))


def hsplit(ary, indices_or_sections):
    """`ary` split column-wise (along the first axis of a 1-D array)."""
    indices, sections = _split_settings(indices_or_sections, 'hsplit')
    return _parts(_op('_npi_hsplit', 'hsplit', ary, indices=indices, axis=1,
                      squeeze_axis=False, sections=sections))


def vsplit(ary, indices_or_sections):
    """`ary` split row-wise (`split` along axis 0)."""
    return split(ary, indices_or_sections, 0)


def dsplit(ary, indices_or_sections):
    """`ary` split along the third axis."""
    indices, sections = _split_settings(indices_or_sections, 'dsplit')
    return _parts(_op('_npi_dsplit', 'dsplit', ary, indices=indices, axis=2,
                      squeeze_axis=False, sections=sections))


def row_stack(arrays):
    """The arrays joined row-wise (MXNet's _npi_vstack)."""
    return _seq('_npi_vstack', 'vstack', arrays)


def append(arr, values, axis=None):  # pylint: disable=redefined-outer-name
    """`values` appended to `arr` along `axis` (both flattened if None)."""
    return _op('_npi_concatenate', 'concatenate', arr, values, axis=axis)


def fliplr(m):
    """`m` reversed along axis 1."""
    return flip(m, 1)


def flipud(m):
    """`m` reversed along axis 0."""
    return flip(m, 0)


def moveaxis(a, source=_NG, destination=_NG):
    """`a` with axes `source` moved to `destination`."""
    return _op('_np_moveaxis', 'moveaxis', a, source=source, destination=destination)


def roll(data, shift=_NG, axis=_NG):
    """`data` rolled by `shift` along `axis` (flattened without one)."""
    return _op('_np_roll', 'roll', data, shift=shift, axis=axis)


def rot90(m, k=1, axes=(0, 1)):
    """`m` rotated by 90 degrees `k` times in the plane of `axes`."""
    return _op('_npi_rot90', 'rot90', m, k=k, axes=axes)


def tril(m, k=0):
    """The lower triangle of `m` below the k-th diagonal."""
    return _op('_npi_tril', 'tril', m, k=k)


def diagonal(data, offset=_NG, axis1=_NG, axis2=_NG):
    """The diagonal of `data` over `axis1` and `axis2`."""
    return _op('_np_diagonal', 'diagonal', data, offset=offset, axis1=axis1, axis2=axis2)


def diagflat(data, k=_NG):
    """A 2-D array with the flattened `data` on its k-th diagonal."""
    return _op('_np_diagflat', 'diagflat', data, k=k)


def _atleast(n):
    def f(*arys):
        return _op(f'_np_atleast_{n}d', f'atleast_{n}d', *arys, num_args=len(arys))
    f.__name__ = f.__qualname__ = f'atleast_{n}d'
    f.__doc__ = f"The arrays viewed with at least {n} dimensions (one output each)."
    return f


atleast_1d, atleast_2d, atleast_3d = _atleast(1), _atleast(2), _atleast(3)


def diff(a, n=1, axis=-1, prepend=None, append=None):  # pylint: disable=redefined-outer-name
    """The n-th differences along `axis`."""
    if prepend or append:
        raise NotImplementedError('prepend and append options are not supported yet')
    return _op('_npi_diff', 'diff', a, n=n, axis=axis)


def ediff1d(ary, to_end=None, to_begin=None):
    """The differences of the flattened `ary`, with `to_begin` / `to_end` (arrays or
    numbers) around them."""
    begin_arr, end_arr = isinstance(to_begin, Symbol), isinstance(to_end, Symbol)
    inputs = [ary] + ([to_begin] if begin_arr else []) + ([to_end] if end_arr else [])
    return _op('_npi_ediff1d', 'ediff1d', *inputs, to_begin_arr_given=begin_arr,
               to_end_arr_given=end_arr, to_begin_scalar=None if begin_arr else to_begin,
               to_end_scalar=None if end_arr else to_end)


def take(a, indices, axis=None, mode='raise', out=None):  # pylint: disable=unused-argument
    """Elements of `a` at `indices` along `axis` (of the flattened `a` without one);
    mode 'raise', 'clip' or 'wrap' (MXNet's take node)."""
    if mode not in ('wrap', 'clip', 'raise'):
        raise NotImplementedError(f"function take does not support mode '{mode}'")
    if axis is None:
        return _op('take', 'take', _op('_npx_reshape', 'reshape', a, newshape=-1), indices,
                   axis=0, mode=mode)
    return _op('take', 'take', a, indices, axis=axis, mode=mode)


def sort(a, axis=-1, kind=None, order=None):  # pylint: disable=unused-argument
    """`a` sorted along `axis` (MXNet's sort node)."""
    if order is not None:
        raise NotImplementedError("order is not supported yet...")
    return _op('sort', 'sort', a, axis=axis, is_ascend=True)


def argsort(a, axis=-1, kind=None, order=None):  # pylint: disable=unused-argument
    """The int64 indices that sort `a` along `axis` (MXNet's argsort node)."""
    if order is not None:
        raise NotImplementedError("order is not supported yet...")
    return _op('argsort', 'argsort', a, axis=axis, is_ascend=True, dtype='int64')


# ---- products -------------------------------------------------------------------------------------
def dot(a, b, out=None):  # pylint: disable=unused-argument
    """NumPy's dot product."""
    return _op('_np_dot', 'dot', a, b)


def matmul(a, b, out=None):  # pylint: disable=unused-argument
    """Matrix product, batched over leading axes."""
    return _op('_npi_matmul', 'matmul', a, b)


def tensordot(a, b, axes=2):
    """Sum of products over the given axes."""
    if isinstance(axes, numbers.Integral):
        return _op('_npi_tensordot_int_axes', 'tensordot_int_axes', a, b, axes=axes)
    a_axes, b_axes = axes
    a_axes = (a_axes,) if isinstance(a_axes, numbers.Integral) else tuple(a_axes)
    b_axes = (b_axes,) if isinstance(b_axes, numbers.Integral) else tuple(b_axes)
    return _op('_npi_tensordot', 'tensordot', a, b, a_axes_summed=a_axes,
               b_axes_summed=b_axes)


def outer(a, b):
    """Outer product of two arrays (flattened first)."""
    return tensordot(a.flatten(), b.flatten(), 0)


def inner(a, b):
    """Inner product over the last axes."""
    return tensordot(a, b, [-1, -1])


def vdot(a, b):
    """Dot product of the flattened arrays."""
    return tensordot(a.flatten(), b.flatten(), 1)


def einsum(subscripts, *operands, **kwargs):
    """Einstein summation."""
    return _op('_npi_einsum', 'einsum', *operands, subscripts=subscripts,
               optimize=int(bool(kwargs.get('optimize', False))))


# ---- creation ---------------------------------------------------------------------------------------
def _ctx(ctx):
    from ..context import current_context
    return str(ctx or current_context())


def _dt(dtype, default='float32'):
    return default if dtype is None else dtype_name(dtype)


def _shape_of(shape):
    return (shape,) if isinstance(shape, numbers.Integral) else tuple(shape)


def zeros(shape, dtype=None, order='C', ctx=None):  # pylint: disable=unused-argument
    """An array of zeros."""
    return _op('_npi_zeros', 'zeros', shape=_shape_of(shape), ctx=_ctx(ctx), dtype=_dt(dtype))


def ones(shape, dtype=None, order='C', ctx=None):  # pylint: disable=unused-argument
    """An array of ones."""
    return _op('_npi_ones', 'ones', shape=_shape_of(shape), ctx=_ctx(ctx), dtype=_dt(dtype))


def full(shape, fill_value, dtype=None, order='C', ctx=None, out=None):  # pylint: disable=unused-argument
    """An array filled with `fill_value` (MXNet's legacy _full node; a `_Symbol` value is
    broadcast to `shape`, as MXNet builds it)."""
    if isinstance(fill_value, Symbol):
        ret = broadcast_to(fill_value, shape)
        return ret if dtype is None else ret.astype(dtype)
    if isinstance(fill_value, bool):
        fill_value, dtype = int(fill_value), 'bool' if dtype is None else dtype
    return _op('_full', 'full', shape=_shape_of(shape), ctx=_ctx(ctx), dtype=_dt(dtype),
               value=fill_value)


def full_like(a, fill_value, dtype=None, order='C', ctx=None, out=None):  # pylint: disable=unused-argument
    """An array like `a` filled with `fill_value`."""
    return _op('_npi_full_like', 'full_like', a, fill_value=fill_value, ctx=_ctx(ctx),
               dtype=None if dtype is None else dtype_name(dtype))


def zeros_like(a, dtype=None, order='C', ctx=None, out=None):  # pylint: disable=unused-argument
    """Zeros like `a`."""
    return full_like(a, 0, dtype, ctx=ctx)


def ones_like(a, dtype=None, order='C', ctx=None, out=None):  # pylint: disable=unused-argument
    """Ones like `a`."""
    return full_like(a, 1, dtype, ctx=ctx)


def arange(start, stop=None, step=1, dtype=None, ctx=None):
    """Evenly spaced values in [start, stop)."""
    if stop is None:
        start, stop = 0, start
    return _op('_npi_arange', 'arange', start=start, stop=stop, step=step, ctx=_ctx(ctx),
               dtype=_dt(dtype))


def linspace(start, stop, num=50, endpoint=True, retstep=False, dtype=None, axis=0,  # pylint: disable=unused-argument
             ctx=None):
    """`num` evenly spaced values from start to stop (MXNet's legacy _linspace node)."""
    if retstep:
        raise NoNpSymbol('mx.sym.np.linspace(retstep=True)')
    kwargs = {} if dtype is None else {'dtype': dtype_name(dtype)}
    return _op('_linspace', 'linspace', start=start, stop=stop, num=num, endpoint=endpoint,
               ctx=_ctx(ctx), **kwargs)


def eye(N, M=None, k=0, dtype=None, ctx=None):  # pylint: disable=invalid-name
    """A 2-D array with ones on the k-th diagonal."""
    return _op('_npi_eye', 'eye', N=N, M=M, k=k, ctx=_ctx(ctx), dtype=_dt(dtype))


def identity(n, dtype=None, ctx=None):
    """The n x n identity."""
    return _op('_npi_identity', 'identity', shape=(n, n), ctx=_ctx(ctx), dtype=_dt(dtype))


def logspace(start, stop, num=50, endpoint=True, base=10.0, dtype=None, axis=0, ctx=None):  # pylint: disable=unused-argument
    """`num` values from base**start to base**stop, evenly spaced in log scale."""
    if axis != 0:
        raise NotImplementedError("the function only support axis 0")
    return _op('_npi_logspace', 'logspace', start=start, stop=stop, num=num,
               endpoint=endpoint, base=base, ctx=_ctx(ctx),
               dtype=None if dtype is None else dtype_name(dtype))


def indices(dimensions, dtype='int32', ctx=None):
    """A grid of indices: shape (len(dimensions),) + dimensions."""
    if not isinstance(dimensions, (tuple, list)):
        raise ValueError("The dimensions must be sequence of ints")
    dims = AttrList(dimensions) if isinstance(dimensions, list) else dimensions
    return _op('_npi_indices', 'indices', dimensions=dims, dtype=dtype_name(dtype),
               ctx=_ctx(ctx))


def _window(name):
    def f(M, dtype='float32', ctx=None):  # pylint: disable=invalid-name
        return _op(f'_npi_{name}', name, M=M, dtype=dtype_name(dtype), ctx=_ctx(ctx))
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"The {name} window of M points."
    return f


hamming, hanning, blackman = _window('hamming'), _window('hanning'), _window('blackman')


# ---- sub-namespaces -----------------------------------------------------------------------------
class _Namespace(types.ModuleType):
    """A namespace whose missing names raise NoNpSymbol (naming the function)."""

    def __getattr__(self, name):
        if name.startswith('__'):
            raise AttributeError(name)
        raise NoNpSymbol(f'{self.__name__}.{name}')


linalg = _Namespace('mxnet.symbol.numpy.linalg')    # filled by numpy_linalg_random.py
random = _Namespace('mxnet.symbol.numpy.random')


# ---- the np-mode Symbol -----------------------------------------------------------------------------
class _Symbol(Symbol):
    """An np-mode Symbol: NumPy semantics and MXNet 1.9.1's np operators."""
    __slots__ = ()

    def __repr__(self):
        if len(self._outputs) == 1:
            return f'<_Symbol {self.name}>'
        return f"<_Symbol group [{', '.join(n.name for n, _ in self._outputs)}]>"

    def __iter__(self):
        if len(self._outputs) == 1:
            raise TypeError(f"'{self!r}' is not iterable.")
        return (_Symbol([o]) for o in self._outputs)

    def __copy__(self):
        return _Symbol(self._outputs)

    def __deepcopy__(self, memo):
        return Symbol.__deepcopy__(self, memo).as_np_ndarray()

    def as_nd_ndarray(self):
        """The same outputs as a legacy Symbol."""
        return Symbol(self._outputs)

    def as_np_ndarray(self):
        return self

    def __getattr__(self, name):
        if name.startswith('_'):
            raise AttributeError(f"'_Symbol' object has no attribute '{name}'")
        raise NoNpSymbol(f'_Symbol.{name}')

    # ---- operators
    def __add__(self, o):
        return add(self, o)

    # reflected: MXNet's _Symbol keeps itself on the left of a number (x + 2 and 2 + x are
    # the same node); a legacy Symbol on the left (regluon's layers mixing with np-mode
    # results: `residual + body(x)`) stays on the left
    def __radd__(self, o):
        return add(o, self) if isinstance(o, Symbol) else add(self, o)

    def __sub__(self, o):
        return subtract(self, o)

    def __rsub__(self, o):
        return subtract(o, self)

    def __mul__(self, o):
        return multiply(self, o)

    def __rmul__(self, o):
        return multiply(o, self) if isinstance(o, Symbol) else multiply(self, o)

    def __truediv__(self, o):
        return true_divide(self, o)

    def __rtruediv__(self, o):
        return true_divide(o, self)

    def __mod__(self, o):
        return mod(self, o)

    def __rmod__(self, o):
        return mod(o, self)

    def __pow__(self, o):
        return power(self, o)

    def __rpow__(self, o):
        return power(o, self)

    def __neg__(self):
        return self.__mul__(-1.0)

    def __abs__(self):
        return globals()['abs'](self)

    def __matmul__(self, o):
        return matmul(self, o)

    def __eq__(self, o):
        return equal(self, o)

    def __ne__(self, o):
        return not_equal(self, o)

    def __gt__(self, o):
        return greater(self, o)

    def __ge__(self, o):
        return greater_equal(self, o)

    def __lt__(self, o):
        return less(self, o)

    def __le__(self, o):
        return less_equal(self, o)

    __hash__ = object.__hash__

    def __getitem__(self, key):
        """Integers and slices (MXNet's `slice` node, then an `_npx_reshape` dropping the
        integer-indexed axes); a group's outputs by integer or slice."""
        if len(self._outputs) > 1:
            if isinstance(key, _INTEGER):
                return _Symbol([self._outputs[key]])
            if isinstance(key, slice):
                return Group([_Symbol([o]) for o in self._outputs[key]]).as_np_ndarray()
            raise TypeError(f'indices of symbol group must be integers or slices, not '
                            f'{type(key).__name__}')
        if isinstance(key, _INTEGER) and not isinstance(key, bool):
            return _op('_npx_reshape', 'reshape',
                       _op('slice', 'slice', self, begin=AttrList([key]),
                           end=AttrList([key + 1])), newshape=(-3, -4))
        if isinstance(key, slice):
            if key.step == 0:
                raise ValueError('slice step cannot be zero')
            start = AttrList([None]) if key.start is None else key.start
            stop = AttrList([None]) if key.stop is None else key.stop
            return _op('slice', 'slice', self, begin=start, end=stop,
                       step=graph.NONE if key.step is None else key.step)   # MXNet writes it
        if isinstance(key, tuple):
            if not key:
                return self
            begin, end, step, newshape = AttrList(), AttrList(), AttrList(), ()
            for k in key:
                if isinstance(k, slice):
                    if k.step == 0:
                        raise ValueError('slice step cannot be zero')
                    begin.append(k.start)
                    end.append(k.stop)
                    step.append(k.step)
                    newshape += (-2,)
                elif isinstance(k, _INTEGER) and not isinstance(k, bool):
                    begin.append(k)
                    end.append(k + 1 if k >= 0 else k - 1)
                    step.append(1 if k >= 0 else -1)
                    newshape += (-3,)
                else:
                    raise IndexError('Only integer, slice, or tuple of these types are '
                                     f'supported! Received key={key}')
            sliced = _op('slice', 'slice', self, begin=begin, end=end, step=step)
            return _op('_npx_reshape', 'reshape', sliced, newshape=newshape + (-4,))
        raise IndexError('Only integer, slice, or tuple of these types are supported! '
                         f'Received key={key}')

    def __setitem__(self, key, value):
        raise NotImplementedError

    # ---- methods
    def reshape(self, *args, **kwargs):
        """`reshape((2, -1))` or `reshape(2, -1)`; `order` as NumPy's (only 'C')."""
        order = kwargs.pop('order', 'C')
        shape = kwargs.pop('shape', kwargs.pop('newshape', None))
        if kwargs:
            raise TypeError(f"reshape: unexpected keywords {sorted(kwargs)}")
        if shape is None:
            shape = args[0] if len(args) == 1 and not isinstance(args[0], numbers.Integral) \
                else tuple(args)
        return reshape(self, shape, order=order)

    def transpose(self, *axes):
        """Axes reversed, or permuted by `axes`."""
        if len(axes) == 1 and (axes[0] is None or isinstance(axes[0], (tuple, list))):
            axes = axes[0]
        return transpose(self, axes=tuple(axes) if axes else None)

    @property
    def T(self):  # pylint: disable=invalid-name
        """Axes reversed."""
        return transpose(self, axes=None)

    def flatten(self, order='C'):
        """A 1-D copy."""
        return reshape(self, (-1,), order=order)

    def astype(self, dtype, copy=True):  # pylint: disable=redefined-outer-name,unused-argument
        """Cast to `dtype` (MXNet's Cast node)."""
        return _op('Cast', 'cast', self, dtype=dtype_name(dtype))

    def sum(self, axis=None, dtype=None, out=None, keepdims=False):  # pylint: disable=redefined-builtin
        return sum(self, axis=axis, dtype=dtype, out=out, keepdims=keepdims)

    def mean(self, axis=None, dtype=None, out=None, keepdims=False):
        return mean(self, axis, dtype, out, keepdims)

    def max(self, axis=None, out=None, keepdims=False):
        return max(self, axis=axis, out=out, keepdims=keepdims)

    def min(self, axis=None, out=None, keepdims=False):
        return min(self, axis=axis, out=out, keepdims=keepdims)

    def prod(self, axis=None, dtype=None, out=None, keepdims=False):
        return prod(self, axis=axis, dtype=dtype, out=out, keepdims=keepdims)

    def std(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
        return std(self, axis, dtype, out, ddof, keepdims)

    def var(self, axis=None, dtype=None, out=None, ddof=0, keepdims=False):
        return var(self, axis, dtype, out, ddof, keepdims)

    def argmax(self, axis=None, out=None):
        return argmax(self, axis, out)

    def argmin(self, axis=None, out=None):
        return argmin(self, axis, out)

    def take(self, indices, axis=None, mode='raise'):  # pylint: disable=redefined-outer-name
        return take(self, indices, axis, mode=mode)

    def sort(self, axis=-1, kind=None, order=None):
        """Sorted along `axis` (MXNet 1.9.1's method raises a TypeError here: its
        `raise sort(...)`; this builds the sort node)."""
        return sort(self, axis=axis, kind=kind, order=order)

    def argsort(self, axis=-1, kind=None, order=None):
        return argsort(self, axis=axis, kind=kind, order=order)

    def squeeze(self, axis=None):
        return squeeze(self, axis=axis)

    def dot(self, b, out=None):
        return dot(self, b, out)

    def clip(self, min=None, max=None, out=None):  # pylint: disable=redefined-builtin
        return clip(self, min, max, out)

    def repeat(self, repeats, axis=None):
        return repeat(self, repeats, axis)

    def tile(self, reps):
        return tile(self, reps)

    def swapaxes(self, axis1, axis2):
        return swapaxes(self, axis1, axis2)

    def expand_dims(self, axis):
        return expand_dims(self, axis)

    def round(self, decimals=0, out=None):
        return around(self, decimals, out)

    def copy(self):
        return copy(self)

    def split(self, indices_or_sections, axis=0):
        return split(self, indices_or_sections, axis)

    def cumsum(self, axis=None, dtype=None, out=None):
        return cumsum(self, axis=axis, dtype=dtype, out=out)

    def all(self, axis=None, out=None, keepdims=False):
        return all(self, axis=axis, out=out, keepdims=keepdims)

    def any(self, axis=None, out=None, keepdims=False):
        return any(self, axis=axis, out=out, keepdims=keepdims)


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    raise NoNpSymbol(f'mxnet.symbol.numpy.{name}')


def _as_np_ndarray(self):
    """The same outputs as an np-mode `_Symbol` (MXNet's Symbol.as_np_ndarray)."""
    return _Symbol(self._outputs)


def _as_nd_ndarray(self):
    return self


Symbol.as_np_ndarray = _as_np_ndarray
Symbol.as_nd_ndarray = _as_nd_ndarray


from . import numpy_linalg_random  # noqa: E402,F401  (fills linalg and random)
