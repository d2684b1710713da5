"""Elementwise math and activations: `sqrt`, `exp`, `round`, `relu`, `clip`, `where`, `cast`...

MXNet rules kept here: the result has the input's dtype. Math on an integer array is done
in float32 and cast back, truncating (exp of int32 3 is 20, sigmoid of int32 is 0).
"""
import torch
import torch.nn.functional as F

from ...base import FLOAT_DTYPES, MXNetError, torch_dtype
from ..ndarray import NDArray
from ..register import op


_ROUNDING = frozenset(('round', 'rint', 'ceil', 'floor', 'trunc', 'fix'))


def _float_math(name, fn, doc):
    def kernel(data):
        if data.dtype in FLOAT_DTYPES:
            return fn(data)
        if name in _ROUNDING:       # integers are already whole: MXNet keeps them exact
            return data.clone()
        # MXNet evaluates integer inputs in float and casts the result back (truncating)
        return fn(data.float()).to(data.dtype)
    kernel.__name__ = name
    kernel.__doc__ = doc
    return kernel


def _round(x):
    # MXNet's round is C's round: halves go away from zero (torch.round goes to even)
    t = torch.trunc(x)
    return torch.where((x - t).abs() >= 0.5, t + torch.sign(x), t)


def _rint(x):
    # MXNet's rint takes the floor on an exact half: rint(2.5) = 2, rint(-2.5) = -3
    lo, hi = torch.floor(x), torch.ceil(x)
    return torch.where(x - lo <= hi - x, lo, hi)


def _cbrt(x):
    return torch.sign(x) * x.abs().pow(1.0 / 3.0)


def _linked(x):
    """`x` (same values and gradient) through an op whose backward stays linked to x with
    derivative 0, while x is recorded: a gradient that does not depend on x (radians',
    clip's, Dropout's) is then still in the graph for a further grad, which gives zeros as
    MXNet's backward ops do, not 'not in a computational graph'. (Not used by Dropout: an
    extra pass over every activation of a training step for a second derivative.)"""
    if x.requires_grad and torch.is_grad_enabled():
        return F.leaky_relu(x, 1.0)     # x > 0 ? x : x * 1.0, exactly; backward likewise
    return x


def _deg2rad(x):
    return torch.deg2rad(_linked(x))


def _gamma(x):
    # torch has lgamma only: gamma = exp(lgamma), negative where floor(x) is odd (x < 0)
    neg = (x < 0) & (torch.remainder(torch.floor(x), 2) == 1)
    return torch.exp(torch.lgamma(x)) * torch.where(neg, -1.0, 1.0).to(x.dtype)


# name, torch function, docstring summary, whether NDArray has the method (as in MXNet)
_MATH = [
    ('round', _round, "Round to the nearest integer, halves away from zero.", True),
    ('rint', _rint, "Round to the nearest integer, halves toward -inf.", True),
    ('ceil', torch.ceil, "Ceiling, elementwise.", True),
    ('floor', torch.floor, "Floor, elementwise.", True),
    ('trunc', torch.trunc, "Round toward zero, elementwise.", True),
    ('fix', torch.trunc, "Round toward zero, elementwise.", True),
    ('sqrt', torch.sqrt, "Square root, elementwise.", True),
    ('rsqrt', torch.rsqrt, "Inverse square root 1/sqrt(x), elementwise.", True),
    ('cbrt', _cbrt, "Cube root, elementwise.", True),
    ('rcbrt', lambda x: 1.0 / _cbrt(x), "Inverse cube root, elementwise.", True),
    ('reciprocal', torch.reciprocal, "1/x, elementwise.", True),
    ('exp', torch.exp, "Exponential, elementwise.", True),
    ('expm1', torch.expm1, "exp(x) - 1, elementwise.", True),
    ('log', torch.log, "Natural logarithm, elementwise.", True),
    ('log10', torch.log10, "Base-10 logarithm, elementwise.", True),
    ('log2', torch.log2, "Base-2 logarithm, elementwise.", True),
    ('log1p', torch.log1p, "log(1 + x), elementwise.", True),
    ('sin', torch.sin, "Sine, elementwise.", True),
    ('cos', torch.cos, "Cosine, elementwise.", True),
    ('tan', torch.tan, "Tangent, elementwise.", True),
    ('arcsin', torch.asin, "Inverse sine, elementwise.", True),
    ('arccos', torch.acos, "Inverse cosine, elementwise.", True),
    ('arctan', torch.atan, "Inverse tangent, elementwise.", True),
    ('sinh', torch.sinh, "Hyperbolic sine, elementwise.", True),
    ('cosh', torch.cosh, "Hyperbolic cosine, elementwise.", True),
    ('tanh', torch.tanh, "Hyperbolic tangent, elementwise.", True),
    ('arcsinh', torch.asinh, "Inverse hyperbolic sine, elementwise.", True),
    ('arccosh', torch.acosh, "Inverse hyperbolic cosine, elementwise.", True),
    ('arctanh', torch.atanh, "Inverse hyperbolic tangent, elementwise.", True),
    ('degrees', torch.rad2deg, "Radians to degrees, elementwise.", True),
    ('radians', _deg2rad, "Degrees to radians, elementwise.", True),
    ('erf', torch.erf, "Gauss error function, elementwise.", False),
    ('erfinv', torch.erfinv, "Inverse Gauss error function, elementwise.", False),
    ('gamma', _gamma, "Gamma function, elementwise.", False),
    ('gammaln', torch.lgamma, "Log of the absolute gamma function, elementwise.", False),
    ('sigmoid', torch.sigmoid, "Logistic sigmoid 1/(1+exp(-x)), elementwise.", True),
    ('softsign', F.softsign, "x/(1+|x|), elementwise.", False),
]

for _name, _fn, _doc, _method in _MATH:
    op(_float_math(_name, _fn, _doc), method=_method)


# these are exact on integers too, so they run natively on every dtype
@op(method=True)
def abs(data):  # pylint: disable=redefined-builtin
    """Absolute value, elementwise."""
    return torch.abs(data)


@op(method=True)
def sign(data):
    """Sign (-1, 0 or 1; 0 for NaN as in MXNet), elementwise."""
    return torch.sign(data)


@op(method=True)
def square(data):
    """x*x, elementwise."""
    return torch.square(data)


@op(method=True)
def relu(data):
    """Rectified linear unit max(x, 0), elementwise."""
    return torch.relu(data)


@op
def hard_sigmoid(data, alpha=0.2, beta=0.5):
    """Piecewise-linear sigmoid clip(alpha*x + beta, 0, 1), elementwise.

    Parameters
    ----------
    data : NDArray
    alpha : float, default 0.2
    beta : float, default 0.5
    """
    return torch.clamp(data * alpha + beta, 0, 1).to(data.dtype)


@op
def logical_not(data):
    """1 where x is 0, else 0, in the input's dtype."""
    return (data == 0).to(data.dtype)


# MXNet 1.9.1 has these only as nd.contrib.isnan/isinf/isfinite; registered under MXNet's
# contrib prefix so an `nd.contrib` namespace can expose them (as nd.image does).
@op(name='_contrib_isnan')
def isnan(data):
    """1 where x is NaN, else 0, in the input's dtype."""
    return torch.isnan(data).to(data.dtype)


@op(name='_contrib_isinf')
def isinf(data):
    """1 where x is +inf or -inf, else 0, in the input's dtype."""
    return torch.isinf(data).to(data.dtype)


@op(name='_contrib_isfinite')
def isfinite(data):
    """1 where x is neither NaN nor infinite, else 0, in the input's dtype."""
    return torch.isfinite(data).to(data.dtype)


@op
def smooth_l1(data, scalar=1.0):
    """Smooth L1: 0.5*(scalar*x)**2 where |x| < 1/scalar**2, else |x| - 0.5/scalar**2.

    Parameters
    ----------
    data : NDArray
    scalar : float, default 1.0
        sigma; the quadratic zone is |x| < 1/sigma**2.
    """
    return F.smooth_l1_loss(data, torch.zeros_like(data), reduction='none',
                            beta=1.0 / float(scalar) ** 2)


@op(method=True)
def clip(data, a_min=None, a_max=None):
    """Clip values into [a_min, a_max], elementwise.

    Parameters
    ----------
    data : NDArray
    a_min, a_max : float
        Bounds, both required; on an integer array they are truncated to integers first,
        as MXNet does.
    """
    if a_min is None or a_max is None:   # MXNet: a missing bound is an MXNetError
        raise MXNetError(f"clip: both a_min and a_max are required, got a_min={a_min!r}, "
                         f"a_max={a_max!r}")
    if not data.is_floating_point():
        a_min, a_max = int(a_min), int(a_max)
    if a_min > a_max:
        # MXNet's rule as it falls: a_max above a_max, else a_min below a_min, else x
        return torch.where(data > a_max, a_max, torch.where(data < a_min, a_min,
                                                            _linked(data)))
    # torch's clamp: MXNet's values and (bounds inclusive) gradient. Unlike MXNet, a NaN
    # input gets gradient 0 and a second derivative through clip is an error: a recorded
    # clip (ReLU6 in MobileNet) stays one fused kernel, not five passes.
    return torch.clamp(data, a_min, a_max)


@op
def where(condition, x, y):
    """x where condition is non-zero, else y.

    Parameters
    ----------
    condition : NDArray
        The shape of x, or 1-D with one entry per row of x (selects whole rows).
    x, y : NDArray
        Same shape and dtype.
    """
    if x.shape != y.shape or x.dtype != y.dtype:
        raise MXNetError(f"where: x and y must have the same shape and dtype, got "
                         f"{tuple(x.shape)} {str(x.dtype)[6:]} and {tuple(y.shape)} "
                         f"{str(y.dtype)[6:]}")
    cond = condition != 0
    if cond.shape != x.shape:
        if cond.dim() != 1 or x.dim() == 0 or cond.shape[0] != x.shape[0]:
            raise MXNetError(f"where: condition must have x's shape {tuple(x.shape)} or be "
                             f"1-D of size {x.shape[0] if x.dim() else 1}, got "
                             f"{tuple(cond.shape)}")
        cond = cond.reshape((-1,) + (1,) * (x.dim() - 1))
    return torch.where(cond, x, y)


@op(aliases=('Cast',))
def cast(data, dtype):
    """Cast to `dtype` (what `astype` does); float to int truncates, as in C.

    Parameters
    ----------
    data : NDArray
    dtype : str or numpy dtype
    """
    return data.to(torch_dtype(dtype))


@op(aliases=('BlockGrad',))
def stop_gradient(data):
    """The same values, with no gradient flowing back to `data`."""
    return data.detach()


@op(aliases=('_copy',))
def identity(data):
    """A copy of `data`."""
    return data.clone()


@op(method=True)
def zeros_like(data, dtype=None):
    """An array of zeros with `data`'s shape and dtype."""
    # MXNet's zeros_like has no parameters and ignores a `dtype` given to it
    return torch.zeros_like(data)


@op(method=True)
def ones_like(data, dtype=None):
    """An array of ones with `data`'s shape and dtype."""
    # MXNet's ones_like has no parameters and ignores a `dtype` given to it
    return torch.ones_like(data)


@op(aliases=('ElementWiseSum',))
def add_n(*args):
    """The elementwise sum of arrays of one shape and dtype.

    Parameters
    ----------
    *args : NDArray
    """
    if not args:
        raise MXNetError("add_n: expected at least one array, got none")
    for i, a in enumerate(args[1:], 1):
        if a.shape != args[0].shape or a.dtype != args[0].dtype:
            raise MXNetError(f"add_n: every input must have the first's shape "
                             f"{tuple(args[0].shape)} and dtype {str(args[0].dtype)[6:]}; "
                             f"input {i} has {tuple(a.shape)} {str(a.dtype)[6:]}")
    return torch.sum(torch.stack(args), 0, dtype=args[0].dtype)


NDArray.__abs__ = abs
