"""The operators of np-mode graphs (`_npi_*`, `_np_*`, `_npx_*`), as MXNet 1.9.1 names them.

A hybridized np-mode block (`npx.set_np()`, `F.np` / `F.npx` in hybrid_forward) builds
graph nodes of these operators (regluon/symbol/numpy.py), and MXNet's np-mode exports hold
them. Each kernel here takes the operator's inputs and settings under MXNet's names (so an
exported graph reads back with its attributes) and calls the `mx.np` / `mx.npx` function
of the same meaning: the np functions are the one definition, these are their graph
entries. Graph nodes hand kernels torch tensors; `_np_kernel` boxes them as np arrays
and unboxes the result.
"""
import builtins
import functools

import torch

from ..ndarray.register import op as _register
from . import _math, _shape, _extra
from .multiarray import ndarray, _wrap, add, subtract, multiply, true_divide, mod, \
    power, equal, not_equal, greater, greater_equal, less, less_equal

_Tensor = torch.Tensor


def _box(v):
    if isinstance(v, _Tensor):
        return _wrap(v)
    if type(v) in (list, tuple):
        return type(v)(_box(x) for x in v)
    return v


def _unbox(r):
    if isinstance(r, ndarray):
        return r._t
    if type(r) in (list, tuple):
        return [_unbox(x) for x in r]
    return r


def _np_kernel(name):
    """Register `fn` (np arrays in, np arrays out) as the graph operator `name`."""
    def deco(fn):
        @functools.wraps(fn)
        def kernel(*args, **kwargs):
            return _unbox(fn(*[_box(a) for a in args], **kwargs))
        kernel.__name__ = name
        _register(name=name)(kernel)
        return fn
    return deco


def _device(ctx):
    """A creation node's device: the graph's (a torch.device) or its `ctx` attribute."""
    from ..context import Context
    if isinstance(ctx, torch.device):
        return Context('gpu' if ctx.type == 'cuda' else 'cpu', ctx.index or 0)
    if isinstance(ctx, Context):
        return ctx
    if isinstance(ctx, str) and ctx.startswith('gpu'):
        return Context('gpu', int(ctx[4:-1] or 0))
    return None


def _scalar(scalar, is_int):
    return int(scalar) if is_int else float(scalar)


# ---- element-wise: one input named x ----------------------------------------------------
_UNARY_OPS = {n: n for n, _ in _math._UNARY + _math._SAME + _math._TO_BOOL}
_UNARY_OPS['absolute'] = 'abs'


def _unary(f):
    return lambda x: f(x)


for _n, _fname in _UNARY_OPS.items():
    _np_kernel('_npi_' + _n)(_unary(getattr(_math, _fname)))

# ---- binary: lhs/rhs arrays, or data and a scalar -------------------------------------------
_BINARY = {'add': add, 'subtract': subtract, 'multiply': multiply,
           'true_divide': true_divide, 'mod': mod, 'power': power, 'equal': equal,
           'not_equal': not_equal, 'greater': greater, 'greater_equal': greater_equal,
           'less': less, 'less_equal': less_equal, 'logical_and': _math.logical_and,
           'logical_or': _math.logical_or, 'logical_xor': _math.logical_xor,
           'copysign': _math.copysign}
_BINARY.update({n: getattr(_extra, n) for n in ('ldexp', 'lcm', 'bitwise_and', 'bitwise_or',
                                                 'bitwise_xor')})
_REVERSIBLE = ('subtract', 'true_divide', 'mod', 'power', 'copysign', 'ldexp')


def _binary(f):
    return lambda lhs, rhs: f(lhs, rhs)


def _with_scalar(f, reverse):
    if reverse:
        return lambda data, scalar=1.0, is_int=True: f(_scalar(scalar, is_int), data)
    return lambda data, scalar=1.0, is_int=True: f(data, _scalar(scalar, is_int))


def _int_scalar(f):
    """lcm and the bitwise operators: the scalar as an integer array like the data (MXNet
    casts it to the data's type whatever is_int says)."""
    return lambda data, scalar=1.0, is_int=True: f(
        data, _shape.full_like(data, int(scalar)))


for _n, _f in _BINARY.items():
    _np_kernel('_npi_' + _n)(_binary(_f))
    if _n in ('lcm', 'bitwise_and', 'bitwise_or', 'bitwise_xor'):
        _np_kernel(f'_npi_{_n}_scalar')(_int_scalar(_f))
        continue
    _np_kernel(f'_npi_{_n}_scalar')(_with_scalar(_f, False))
    if _n in _REVERSIBLE:
        _np_kernel(f'_npi_r{_n}_scalar')(_with_scalar(_f, True))


def _x1x2(f):
    return lambda x1, x2: f(x1, x2)


for _n in ('arctan2', 'hypot'):
    _np_kernel('_npi_' + _n)(_x1x2(getattr(_math, _n)))


@_np_kernel('_npi_bitwise_not')
def _bitwise_not(x):
    return _extra.bitwise_not(x)


@_np_kernel('_npi_nan_to_num')
def _nan_to_num(data, copy=True, nan=0.0, posinf=None, neginf=None):  # pylint: disable=redefined-outer-name,unused-argument
    return _extra.nan_to_num(data, True, nan, posinf, neginf)


@_np_kernel('_npi_polyval')
def _polyval(p, x):
    return _extra.polyval(p, x)


@_np_kernel('_npi_around')
def _around(x, decimals=0):
    return _math.around(x, decimals)


@_np_kernel('_np_copy')
def _copy(a):
    return _extra.copy(a)


@_np_kernel('_npi_where')
def _where(condition, x, y):
    return _math.where(condition, x, y)


@_np_kernel('_npi_where_lscalar')
def _where_lscalar(condition, x, scalar=0.0):
    return _math.where(condition, x, scalar)


@_np_kernel('_npi_where_rscalar')
def _where_rscalar(condition, y, scalar=0.0):
    return _math.where(condition, scalar, y)


@_np_kernel('_npi_where_scalar2')
def _where_scalar2(condition, x=0.0, y=0.0):
    return _math.where(condition, x, y)


# ---- reductions -----------------------------------------------------------------------------
@_np_kernel('_np_sum')
def _sum(a, axis=None, dtype=None, keepdims=False, initial=None):
    return _math.sum(a, axis=axis, dtype=dtype, keepdims=keepdims, initial=initial)


@_np_kernel('_np_prod')
def _prod(a, axis=None, dtype=None, keepdims=False, initial=None):
    r = _math.prod(a, axis=axis, dtype=dtype, keepdims=keepdims)
    return r if initial is None else r * initial


@_np_kernel('_np_max')
def _max(a, axis=None, keepdims=False, initial=None):
    r = _math.max(a, axis=axis, keepdims=keepdims)
    return r if initial is None else _math.maximum(r, initial)


@_np_kernel('_np_min')
def _min(a, axis=None, keepdims=False, initial=None):
    r = _math.min(a, axis=axis, keepdims=keepdims)
    return r if initial is None else _math.minimum(r, initial)


@_np_kernel('_npi_mean')
def _mean(a, axis=None, dtype=None, keepdims=False, initial=None):  # pylint: disable=unused-argument
    return _math.mean(a, axis=axis, dtype=dtype, keepdims=keepdims)


@_np_kernel('_npi_std')
def _std(a, axis=None, dtype=None, ddof=0, keepdims=False):
    return _math.std(a, axis=axis, dtype=dtype, ddof=ddof, keepdims=keepdims)


@_np_kernel('_npi_var')
def _var(a, axis=None, dtype=None, ddof=0, keepdims=False):
    return _math.var(a, axis=axis, dtype=dtype, ddof=ddof, keepdims=keepdims)


@_np_kernel('_npi_average')
def _average(a, weights=None, axis=None, returned=False, weighted=True):
    if isinstance(axis, (tuple, list)) and not (weighted or returned):
        return _math.mean(a, axis=tuple(axis))      # (mx.np.average takes one axis)
    r = _extra.average(a, axis=axis, weights=weights if weighted else None,
                       returned=returned)
    return list(r) if returned else r


@_np_kernel('_npi_percentile')
def _percentile(a, q=None, axis=None, interpolation='linear', keepdims=False,
                q_scalar=None):
    return _extra.quantile(a, q_scalar / 100 if q is None else q / 100, axis=axis,
                           interpolation=interpolation, keepdims=keepdims)


@_np_kernel('_npi_bincount')
def _bincount(data, weights=None, minlength=0, has_weights=False):
    if has_weights:     # MXNet's has a gradient for the weights (torch.bincount none)
        idx = data._t.reshape(-1).long()
        n = builtins.max(int(minlength), int(idx.max()) + 1 if idx.numel() else 0)
        w = weights._t.reshape(-1)
        return _wrap(torch.zeros(n, dtype=w.dtype, device=w.device).index_add(0, idx, w))
    return _extra.bincount(data, None, minlength).astype(data.dtype)   # MXNet's: int32 in,
                                                                       # int32 counts


def _keep_axis(r, a, axis, keepdims):
    if not keepdims:
        return r
    if axis is None:
        return r.reshape((1,) * a.ndim)
    return _shape.expand_dims(r, axis)


@_np_kernel('_npi_argmax')
def _argmax(data, axis=None, keepdims=False):
    return _keep_axis(_math.argmax(data, axis=axis), data, axis, keepdims)


@_np_kernel('_npi_argmin')
def _argmin(data, axis=None, keepdims=False):
    return _keep_axis(_math.argmin(data, axis=axis), data, axis, keepdims)


@_np_kernel('_np_all')
def _all(data, axis=None, keepdims=False):
    return _math.all(data, axis=axis, keepdims=keepdims)


@_np_kernel('_np_any')
def _any(data, axis=None, keepdims=False):
    return _math.any(data, axis=axis, keepdims=keepdims)


# ---- shapes ---------------------------------------------------------------------------------
@_np_kernel('_np_reshape')
def _reshape(a, newshape, order='C'):
    return _shape.reshape(a, newshape, order)


@_np_kernel('_npx_reshape')
def _npx_reshape(a, newshape, reverse=False, order='C'):
    from ..numpy_extension import reshape
    return reshape(a, newshape, reverse, order)


@_np_kernel('_np_transpose')
def _transpose(a, axes=None):
    return _shape.transpose(a, axes)


@_np_kernel('_np_squeeze')
def _squeeze(a, axis=None):
    return _shape.squeeze(a, axis)


@_np_kernel('_npi_broadcast_to')
def _broadcast_to(array, shape=()):
    return _shape.broadcast_to(array, shape)


@_np_kernel('_npi_flip')
def _flip(data, axis):
    return _shape.flip(data, axis)


@_np_kernel('_npi_concatenate')
def _concatenate(*data, axis=0, num_args=None):  # pylint: disable=unused-argument
    return _shape.concatenate(list(data), axis=axis)


@_np_kernel('_npi_stack')
def _stack(*data, axis=0, num_args=None):  # pylint: disable=unused-argument
    return _shape.stack(list(data), axis=axis)


@_np_kernel('_npi_hstack')
def _hstack(*data, num_args=None):  # pylint: disable=unused-argument
    return _shape.hstack(list(data))


@_np_kernel('_npi_vstack')
def _vstack(*data, num_args=None):  # pylint: disable=unused-argument
    return _shape.vstack(list(data))


@_np_kernel('_npi_dstack')
def _dstack(*data, num_args=None):  # pylint: disable=unused-argument
    return _shape.dstack(list(data))


@_np_kernel('_npi_column_stack')
def _column_stack(*data, num_args=None):  # pylint: disable=unused-argument
    return _shape.column_stack(list(data))


def _split_parts(data, indices, axis, squeeze_axis, sections):
    """MXNet's split nodes: `sections` parts (the first ones one longer when they do not
    divide the axis, as np.array_split) or parts at `indices` (MXNet writes a leading 0)."""
    parts = _shape.array_split(data, sections if sections else list(indices)[1:], axis)
    if squeeze_axis:
        parts = [_shape.squeeze(p, axis) for p in parts]
    return parts


@_np_kernel('_split_v2')
def _split_v2(data, indices=(), axis=0, squeeze_axis=False, sections=0):
    return _split_parts(data, indices, axis, squeeze_axis, sections)


@_np_kernel('_npi_hsplit')
def _hsplit(data, indices=(), axis=1, squeeze_axis=False, sections=0):
    return _split_parts(data, indices, axis if data.ndim > 1 else 0, squeeze_axis, sections)


@_np_kernel('_npi_dsplit')
def _dsplit(data, indices=(), axis=2, squeeze_axis=False, sections=0):
    return _split_parts(data, indices, axis, squeeze_axis, sections)


def _atleast(f):
    def kernel(*arys, num_args=None):  # pylint: disable=unused-argument
        r = f(*arys)
        return r if isinstance(r, list) else [r]
    return kernel


for _n in (1, 2, 3):
    _np_kernel(f'_np_atleast_{_n}d')(_atleast(getattr(_extra, f'atleast_{_n}d')))


@_np_kernel('_np_moveaxis')
def _moveaxis(a, source, destination):
    return _shape.moveaxis(a, source, destination)


@_np_kernel('_np_roll')
def _roll(data, shift=None, axis=None):
    return _extra.roll(data, shift, axis)


@_np_kernel('_npi_rot90')
def _rot90(data, k=1, axes=None):
    return _extra.rot90(data, k, (0, 1) if axes is None else tuple(axes))


@_np_kernel('_npi_tril')
def _tril(data, k=0):
    return _extra.tril(data, k)


@_np_kernel('_np_diagonal')
def _diagonal(data, offset=0, axis1=0, axis2=1):
    return _extra.diagonal(data, offset, axis1, axis2)


@_np_kernel('_np_diagflat')
def _diagflat(data, k=0):
    return _extra.diagflat(data, k)


@_np_kernel('_npi_diff')
def _diff(a, n=1, axis=-1):
    return _extra.diff(a, n, axis)


@_np_kernel('_npi_ediff1d')
def _ediff1d(input1, *more, to_begin_arr_given=False, to_end_arr_given=False,
             to_begin_scalar=None, to_end_scalar=None):
    """The array inputs after `input1`: to_begin's then to_end's, those given."""
    more = list(more)
    begin = more.pop(0) if to_begin_arr_given else to_begin_scalar
    end = more.pop(0) if to_end_arr_given else to_end_scalar
    return _extra.ediff1d(input1, to_end=end, to_begin=begin)


@_np_kernel('_np_diag')
def _diag(data, k=0):
    return _extra.diag(data, k)


@_np_kernel('_np_trace')
def _trace(data, offset=0, axis1=0, axis2=1):
    return _extra.trace(data, offset, axis1, axis2)


@_np_kernel('_npi_pad')
def _pad(data, pad_width=(), mode='constant', constant_value=0.0, reflect_type='even'):  # pylint: disable=unused-argument
    pad_width = tuple(tuple(p) if isinstance(p, (list, tuple)) else p for p in pad_width)
    if mode == 'constant':
        return _extra.pad(data, pad_width, 'constant', constant_values=constant_value)
    return _extra.pad(data, pad_width, mode)


@_np_kernel('_npi_diag_indices_from')
def _diag_indices_from(data):
    return _shape.stack(list(_extra.diag_indices_from(data)))


# ---- products -------------------------------------------------------------------------------
@_np_kernel('_np_dot')
def _dot(a, b):
    return _math.dot(a, b)


@_np_kernel('_npi_matmul')
def _matmul(a, b):
    return _math.matmul(a, b)


@_np_kernel('_npi_tensordot_int_axes')
def _tensordot_int_axes(a, b, axes=2):
    return _math.tensordot(a, b, axes)


@_np_kernel('_npi_tensordot')
def _tensordot(a, b, a_axes_summed=(), b_axes_summed=()):
    return _math.tensordot(a, b, (tuple(a_axes_summed), tuple(b_axes_summed)))


@_np_kernel('_npi_einsum')
def _einsum(*data, subscripts='', optimize=0, num_args=None):  # pylint: disable=unused-argument
    return _math.einsum(subscripts, *data)


# ---- creation (a node without inputs runs on its graph's device: graph.evaluate) --------------
@_np_kernel('_npi_zeros')
def _zeros(shape=(), ctx=None, dtype='float32'):
    return _shape.zeros(shape, dtype=dtype, ctx=_device(ctx))


@_np_kernel('_npi_ones')
def _ones(shape=(), ctx=None, dtype='float32'):
    return _shape.ones(shape, dtype=dtype, ctx=_device(ctx))


@_np_kernel('_npi_full')
def _full(shape=(), ctx=None, dtype='float32', value=0.0):
    return _shape.full(shape, value, dtype=dtype, ctx=_device(ctx))


@_np_kernel('_npi_full_like')
def _full_like(a, fill_value, ctx=None, dtype=None):  # pylint: disable=unused-argument
    return _shape.full_like(a, fill_value, dtype=dtype)


@_np_kernel('_npi_arange')
def _arange(start, stop=None, step=1.0, repeat=1, infer_range=False, ctx=None,  # pylint: disable=unused-argument
            dtype='float32'):
    return _shape.arange(start, stop, step, dtype=dtype, ctx=_device(ctx))


@_np_kernel('_npi_eye')
def _eye(N, M=None, k=0, ctx=None, dtype='float32'):  # pylint: disable=invalid-name
    return _shape.eye(N, M, k, dtype=dtype, ctx=_device(ctx))


@_np_kernel('_npi_identity')
def _identity(shape=(), ctx=None, dtype='float32'):
    return _shape.identity(shape[0], dtype=dtype, ctx=_device(ctx))


@_np_kernel('_npi_logspace')
def _logspace(start, stop, num, endpoint=True, base=10.0, ctx=None, dtype='float32'):
    return _extra.logspace(start, stop, num, endpoint, base, dtype=dtype, ctx=_device(ctx))


@_np_kernel('_npi_indices')
def _indices(dimensions=(), dtype='int32', ctx=None):
    return _extra.indices(tuple(dimensions), ctx=_device(ctx)).astype(dtype)


def _window(f):
    return lambda M=None, ctx=None, dtype='float32': f(M, dtype=dtype, ctx=_device(ctx))


for _n in ('hamming', 'hanning', 'blackman'):
    _np_kernel('_npi_' + _n)(_window(getattr(_extra, _n)))


# ---- MXNet's NumPy fallbacks: Custom operators (mxnet/numpy_op_fallback.py) ----------------
def _fallbacks():
    """empty_like, resize and unravel_index: MXNet 1.9.1 builds them as `Custom` nodes of
    these op_types (settings as strings), no gradient."""
    import ast
    from .. import operator

    class _Fallback(operator.CustomOp):
        def __init__(self, name, compute):
            super().__init__()
            self._name, self._compute = name, compute

        def forward(self, is_train, req, in_data, out_data, aux):
            r = self._compute(in_data[0].as_np_ndarray())
            self.assign(out_data[0], req[0], r.astype(out_data[0].dtype).as_nd_ndarray())

        def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
            raise NotImplementedError(
                f'Operator {self._name} does not support gradient computation')

    @operator.register('empty_like_fallback')
    class EmptyLikeProp(operator.CustomOpProp):  # pylint: disable=unused-variable
        def __init__(self, dtype, order, subok, shape):
            super().__init__(need_top_grad=True)
            self._dtype = None if dtype == 'None' else dtype
            del order, subok, shape

        def list_arguments(self):
            return ['prototype']

        def infer_shape(self, in_shape):
            return (in_shape[0],), (in_shape[0],), ()

        def infer_type(self, in_type):
            return (in_type[0],), (in_type[0] if self._dtype is None else self._dtype,), ()

        def create_operator(self, ctx, in_shapes, in_dtypes):
            return _Fallback('empty_like', lambda a: _shape.empty_like(a, dtype=self._dtype))

    @operator.register('resize_fallback')
    class ResizeProp(operator.CustomOpProp):  # pylint: disable=unused-variable
        def __init__(self, new_shape):
            super().__init__(need_top_grad=True)
            self._new_shape = ast.literal_eval(new_shape)

        def list_arguments(self):
            return ['a']

        def infer_shape(self, in_shape):
            shape = self._new_shape
            return (in_shape[0],), ((shape,) if isinstance(shape, int) else shape,), ()

        def create_operator(self, ctx, in_shapes, in_dtypes):
            return _Fallback('resize', lambda a: _extra.resize(a, self._new_shape))

    @operator.register('unravel_index_fallback')
    class UnravelIndexProp(operator.CustomOpProp):  # pylint: disable=unused-variable
        def __init__(self, shape):
            super().__init__(need_top_grad=True)
            self._shape = ast.literal_eval(shape)

        def list_arguments(self):
            return ['indices']

        def infer_shape(self, in_shape):
            n = 1 if isinstance(self._shape, int) else len(self._shape)
            return (in_shape[0],), ((n,) + tuple(in_shape[0]),), ()

        def create_operator(self, ctx, in_shapes, in_dtypes):
            return _Fallback('Unravel_index', lambda i: _shape.stack(
                list(_extra.unravel_index(i, self._shape))))


_fallbacks()


# ---- npx ----------------------------------------------------------------------------------
@_np_kernel('_npx_relu')
def _relu(data):
    from .. import numpy_extension as npx
    return npx.relu(data)


@_np_kernel('_npx_sigmoid')
def _sigmoid(data):
    from .. import numpy_extension as npx
    return npx.sigmoid(data)


from . import _ops_linalg_random  # noqa: E402,F401  (linalg, random and npx sampling)
