"""Binary arithmetic and comparison: `broadcast_*`, `elemwise_*`, the Python operators.

MXNet rules kept here: an array op a scalar keeps the array's dtype (int32 / 2 is int32);
integer division truncates; two arrays must have the same dtype; comparisons return 0/1
in the input's dtype, not bool.
"""
import operator

import torch

from ...base import MXNetError
from ..register import op

_Tensor = torch.Tensor


def _div(a, b):
    if a.is_floating_point() or (isinstance(b, float) and not isinstance(a, _Tensor)):
        return torch.div(a, b)
    return torch.div(a, b, rounding_mode='trunc')


class _ModByZero(torch.autograd.Function):
    """x % y with MXNet's 0 where y == 0; gradients as MXNet's: 1 and -floor(x / y)."""

    @staticmethod
    def forward(ctx, a, b):
        ctx.save_for_backward(a, b)
        zero = b == 0
        return torch.remainder(a, b.masked_fill(zero, 1)).masked_fill_(zero, 0)

    @staticmethod
    def backward(ctx, g):
        a, b = ctx.saved_tensors
        ga = g.sum_to_size(a.shape) if ctx.needs_input_grad[0] else None
        gb = (-g * torch.floor(a / b)).sum_to_size(b.shape) if ctx.needs_input_grad[1] \
            else None
        return ga, gb


def _mod(a, b):
    """MXNet's mod: Python's sign rule, and 0 (not an error or NaN) for a zero divisor."""
    if type(b) is not _Tensor:
        if b != 0:
            return torch.remainder(a, b)
        b = torch.zeros((), dtype=a.dtype, device=a.device)
    elif type(a) is not _Tensor:
        a = torch.full_like(b, a)
    if a.requires_grad or b.requires_grad:
        return _ModByZero.apply(a, b)
    zero = b == 0     # (masks, not a test for zeros: that would wait for the device)
    return torch.remainder(a, b.masked_fill(zero, 1)).masked_fill_(zero, 0)


def _check(name, lhs, rhs):
    if lhs.dtype != rhs.dtype:
        raise MXNetError(f"{name}: both inputs must have the same dtype, got "
                         f"{str(lhs.dtype)[6:]} and {str(rhs.dtype)[6:]}; use astype() first")


def _scalar(x, s):
    """MXNet casts a scalar to the array's dtype first: int32 * 1.5 multiplies by 1."""
    return int(s) if isinstance(s, float) and not x.is_floating_point() else s


def _arith(name, fn):
    def kernel(lhs, rhs):
        if type(rhs) is _Tensor:
            if lhs.dtype is not rhs.dtype:     # inline test: a call costs ~5% of a+b
                _check(name, lhs, rhs)
            return fn(lhs, rhs)
        r = fn(lhs, _scalar(lhs, rhs))           # rhs is a Python/numpy scalar
        return r if r.dtype == lhs.dtype else r.to(lhs.dtype)
    kernel.__name__ = name
    kernel.__doc__ = f"Elementwise {name[10:]} with broadcasting."
    return kernel


def _compare(name, fn):
    def kernel(lhs, rhs):
        if type(rhs) is _Tensor:
            _check(name, lhs, rhs)
        else:
            rhs = _scalar(lhs, rhs)
        return fn(lhs, rhs).to(lhs.dtype)
    kernel.__name__ = name
    kernel.__doc__ = f"Elementwise {name[10:]} with broadcasting: 1 where true, else 0."
    return kernel


def _both_bool(fn):
    # torch's logical ops take no Python scalar: a scalar becomes a 0-d bool tensor
    return lambda a, b: fn(a != 0, b != 0 if isinstance(b, _Tensor)
                           else torch.tensor(bool(b), device=a.device))


# name, torch function, NDArray method names, further nd. aliases
_ARITH = [
    ('broadcast_add', torch.add, ('__add__', '__radd__'), ('broadcast_plus',)),
    ('broadcast_sub', torch.sub, ('__sub__',), ('broadcast_minus',)),
    ('broadcast_mul', torch.mul, ('__mul__', '__rmul__'), ()),
    ('broadcast_div', _div, ('__truediv__', '__div__'), ()),
    ('broadcast_mod', _mod, ('__mod__',), ()),
    ('broadcast_power', torch.pow, ('__pow__',), ()),
    ('broadcast_maximum', lambda a, b: torch.maximum(a, b) if type(b) is _Tensor
     else torch.clamp(a, min=b), (), ()),
    ('broadcast_minimum', lambda a, b: torch.minimum(a, b) if type(b) is _Tensor
     else torch.clamp(a, max=b), (), ()),
    ('broadcast_hypot', lambda a, b: torch.hypot(a, b if type(b) is _Tensor
                                                 else torch.full_like(a, b)), (), ()),
]
_COMPARE = [
    ('broadcast_equal', torch.eq, ('__eq__',)),
    ('broadcast_not_equal', torch.ne, ('__ne__',)),
    ('broadcast_greater', torch.gt, ('__gt__',)),
    ('broadcast_greater_equal', torch.ge, ('__ge__',)),
    ('broadcast_lesser', torch.lt, ('__lt__',)),
    ('broadcast_lesser_equal', torch.le, ('__le__',)),
    ('broadcast_logical_and', _both_bool(torch.logical_and), ()),
    ('broadcast_logical_or', _both_bool(torch.logical_or), ()),
    ('broadcast_logical_xor', _both_bool(torch.logical_xor), ()),
]

for _name, _fn, _methods, _aliases in _ARITH:
    _f = op(_arith(_name, _fn), aliases=_aliases)
    for _m in _methods:
        from ..ndarray import NDArray
        setattr(NDArray, _m, _f)

for _name, _fn, _methods in _COMPARE:
    _f = op(_compare(_name, _fn))
    for _m in _methods:
        from ..ndarray import NDArray
        setattr(NDArray, _m, _f)


# reversed scalar ops (scalar on the left): MXNet's _r*_scalar operators
def _rscalar(name, fn):
    def kernel(data, scalar):
        r = fn(_scalar(data, scalar), data)
        return r if r.dtype == data.dtype else r.to(data.dtype)
    kernel.__name__ = name
    return kernel


for _name, _fn, _m in [
        ('_rminus_scalar', lambda s, d: torch.rsub(d, s), '__rsub__'),
        ('_rdiv_scalar', lambda s, d: _div(torch.full_like(d, s), d), '__rtruediv__'),
        ('_rmod_scalar', lambda s, d: _mod(s, d), '__rmod__'),
        ('_rpower_scalar', lambda s, d: torch.pow(s, d), '__rpow__')]:
    from ..ndarray import NDArray
    setattr(NDArray, _m, op(_rscalar(_name, _fn)))


# same-shape variants: MXNet's elemwise_* (and the comparisons mx.sym's operators use,
# _greater, ...) refuse to broadcast
def _elemwise(name, fn):
    base = name[9:] if name.startswith('elemwise_') else name.lstrip('_')

    def kernel(lhs, rhs):
        if lhs.shape != rhs.shape:
            raise MXNetError(f"{name}: shapes must be equal, got {tuple(lhs.shape)} and "
                             f"{tuple(rhs.shape)}; use broadcast_{base} to broadcast")
        _check(name, lhs, rhs)
        return fn(lhs, rhs)
    kernel.__name__ = name
    return kernel


for _name, _fn in [('elemwise_add', torch.add), ('elemwise_sub', torch.sub),
                   ('elemwise_mul', torch.mul), ('elemwise_div', _div)]:
    op(_elemwise(_name, _fn))

for _name, _fn in [('_equal', torch.eq), ('_not_equal', torch.ne), ('_greater', torch.gt),
                   ('_greater_equal', torch.ge), ('_lesser', torch.lt),
                   ('_lesser_equal', torch.le)]:
    op(_elemwise(_name, lambda a, b, cmp=_fn: cmp(a, b).to(a.dtype)))


@op(method='__neg__')
def negative(data):
    return torch.neg(data)


# MXNet's Python-level helpers (nd.add, nd.maximum, ...) that accept a scalar on either
# side; they dispatch to the operators above, they are not operators themselves.
def _ufunc(opname, rop=None, commutative=False, py=None):
    from ..register import OPS
    f = OPS[opname].func

    def helper(lhs, rhs, out=None):
        from ..ndarray import NDArray
        if isinstance(lhs, NDArray):
            return f(lhs, rhs, out=out)
        if not isinstance(rhs, NDArray):
            if py is None:
                raise TypeError(f"{opname}: at least one input must be an NDArray")
            return py(lhs, rhs)   # MXNet: two scalars give a Python number
        if commutative:
            return f(rhs, lhs, out=out)
        if rop is None:
            from ..creation import full
            return f(full(rhs.shape, lhs, rhs.context, rhs.dtype), rhs, out=out)
        return OPS[rop].func(rhs, lhs, out=out)
    helper.__name__ = opname
    return helper


UFUNCS = {
    'add': _ufunc('broadcast_add', commutative=True, py=operator.add),
    'subtract': _ufunc('broadcast_sub', '_rminus_scalar', py=operator.sub),
    'multiply': _ufunc('broadcast_mul', commutative=True, py=operator.mul),
    'divide': _ufunc('broadcast_div', '_rdiv_scalar', py=operator.truediv),
    'true_divide': _ufunc('broadcast_div', '_rdiv_scalar', py=operator.truediv),
    'modulo': _ufunc('broadcast_mod', '_rmod_scalar', py=operator.mod),
    'power': _ufunc('broadcast_power', '_rpower_scalar', py=operator.pow),
    'maximum': _ufunc('broadcast_maximum', commutative=True, py=lambda x, y: x if x > y else y),
    'minimum': _ufunc('broadcast_minimum', commutative=True, py=lambda x, y: x if x < y else y),
    'hypot': _ufunc('broadcast_hypot', commutative=True),
    'equal': _ufunc('broadcast_equal', commutative=True, py=lambda x, y: int(x == y)),
    'not_equal': _ufunc('broadcast_not_equal', commutative=True, py=lambda x, y: int(x != y)),
    'greater': _ufunc('broadcast_greater', py=lambda x, y: int(x > y)),
    'greater_equal': _ufunc('broadcast_greater_equal', py=lambda x, y: int(x >= y)),
    'lesser': _ufunc('broadcast_lesser', py=lambda x, y: int(x < y)),
    'lesser_equal': _ufunc('broadcast_lesser_equal', py=lambda x, y: int(x <= y)),
    'logical_and': _ufunc('broadcast_logical_and', commutative=True,
                          py=lambda x, y: int(bool(x and y))),
    'logical_or': _ufunc('broadcast_logical_or', commutative=True,
                         py=lambda x, y: int(bool(x or y))),
    'logical_xor': _ufunc('broadcast_logical_xor', commutative=True,
                          py=lambda x, y: int(bool(x) ^ bool(y))),
}


# MXNet's graph names for array-with-scalar ops (`x + 2` in a Symbol is `_plus_scalar`).
# They are the same kernels as above; registering them lets exported graphs carry MXNet's
# names and graphs MXNet wrote import here.
def _scalar_op(name, kernel):
    def k(data, scalar=0.0, is_int=None):
        return kernel(data, scalar)
    k.__name__ = name
    return k


for _name, _base in [('_plus_scalar', 'broadcast_add'), ('_minus_scalar', 'broadcast_sub'),
                     ('_mul_scalar', 'broadcast_mul'), ('_div_scalar', 'broadcast_div'),
                     ('_mod_scalar', 'broadcast_mod'), ('_power_scalar', 'broadcast_power'),
                     ('_maximum_scalar', 'broadcast_maximum'),
                     ('_minimum_scalar', 'broadcast_minimum'),
                     ('_hypot_scalar', 'broadcast_hypot'),
                     ('_equal_scalar', 'broadcast_equal'),
                     ('_not_equal_scalar', 'broadcast_not_equal'),
                     ('_greater_scalar', 'broadcast_greater'),
                     ('_greater_equal_scalar', 'broadcast_greater_equal'),
                     ('_lesser_scalar', 'broadcast_lesser'),
                     ('_lesser_equal_scalar', 'broadcast_lesser_equal')]:
    from ..register import OPS as _OPS
    op(_scalar_op(_name, _OPS[_base].kernel))

# MXNet's graph names for array-array ops of equal shapes.
for _name, _base in [('_plus', 'elemwise_add'), ('_minus', 'elemwise_sub'),
                     ('_mul', 'elemwise_mul'), ('_div', 'elemwise_div'),
                     ('_Plus', 'elemwise_add'), ('_Minus', 'elemwise_sub'),
                     ('_Mul', 'elemwise_mul'), ('_Div', 'elemwise_div'),
                     ('_maximum', 'broadcast_maximum'), ('_minimum', 'broadcast_minimum'),
                     ('_power', 'broadcast_power'), ('_mod', 'broadcast_mod'),
                     ('_hypot', 'broadcast_hypot')]:
    from ..register import OPS as _OPS
    _OPS[_name] = _OPS[_base]
