"""Reductions: `sum`, `mean`, `prod`, `max`, `min`, `nansum`, `nanprod`, `norm`, `argmax`...

MXNet rules kept here (the axis rules themselves live in `ndarray/axes.py`):
- the result keeps the input's dtype: an int32 sum wraps around, an int32 mean truncates;
- reducing every axis without keepdims gives shape (1,), never ();
- argmax/argmin return the indices in the input's dtype (float32 for float32 input).
"""
import torch

from ...base import FLOAT_DTYPES, MXNetError, torch_dtype
from ..axes import axis_index, reduce_axes, reduced_shape
from ..register import op


def _finish(res):
    """MXNet 1.x has no 0-d results: a full reduction without keepdims has shape (1,)."""
    return res.reshape(1) if res.dim() == 0 else res


def _moved_last(data, axes):
    """`data` with the reduced `axes` moved to the end and flattened into one."""
    rest = [i for i in range(data.dim()) if i not in axes]
    x = data.permute(rest + list(axes))
    return x.reshape(tuple(x.shape[:len(rest)]) + (-1,))


def _sum(x, axes, keepdims):
    if x.is_floating_point():
        return torch.sum(x, axes, keepdims)
    return torch.sum(x, axes, keepdims, dtype=x.dtype)   # ints wrap around as in MXNet


def _mean(x, axes, keepdims):
    if x.is_floating_point():
        return torch.mean(x, axes, keepdims)
    n = 1
    for a in axes:
        n *= x.shape[a]
    # MXNet divides the integer sum in the integer type: truncation toward zero
    return torch.div(_sum(x, axes, keepdims), n, rounding_mode='trunc')


def _prod(x, axes, keepdims):
    res = torch.prod(_moved_last(x, axes), -1, dtype=x.dtype)   # torch.prod: one dim
    return res.reshape(reduced_shape(x.shape, axes, True)) if keepdims else res


def _nanprod(x, axes, keepdims):
    if x.is_floating_point():
        x = torch.where(torch.isnan(x), torch.ones((), dtype=x.dtype), x)
    return _prod(x, axes, keepdims)


def _nansum(x, axes, keepdims):
    if not x.is_floating_point():
        return _sum(x, axes, keepdims)
    return torch.nansum(x, axes, keepdims, dtype=x.dtype)


def _extreme(reduce):
    def fn(x, axes, keepdims):
        if not (x.requires_grad and torch.is_grad_enabled()):
            return reduce(x, axes, keepdims)
        # MXNet sends the full gradient to EVERY tied extreme (torch would split it):
        # the same value, with gradient tie_mask * head
        out = reduce(x, axes, True).detach()
        tie = (x == out).to(x.dtype)
        grad_path = torch.sum((x - x.detach()) * tie, axes, keepdims)   # value 0
        return grad_path + (out if keepdims else out.squeeze(axes))
    return fn


def _reduction(name, fn, doc):
    def kernel(data, axis=None, keepdims=False, exclude=False):
        axes = reduce_axes(name, axis, data.dim(), exclude)
        keepdims = bool(keepdims)             # MXNet parses 0/1 as booleans
        if not axes:                          # exclude=True over every axis: nothing to do
            return data.clone()
        return _finish(fn(data, axes, keepdims))
    kernel.__name__ = name
    kernel.__doc__ = doc + """

    Parameters
    ----------
    data : NDArray
    axis : int or tuple of int, optional
        The axes to reduce; None or () means all.
    keepdims : bool, default False
        Keep the reduced axes with size 1.
    exclude : bool, default False
        Reduce over the axes NOT in `axis`.
    """
    return kernel


def _whole(general):
    """`x.sum()` in one torch call where it can be: the (1,) result MXNet gives."""
    def one(x):
        if x.dtype in FLOAT_DTYPES:           # ints need dtype=: the general kernel
            try:
                res = x.sum_to_size(1)
            except RuntimeError:              # a 0-d input
                return general(x)
            return res if res is not x else x.clone()   # a (1,) input comes back as itself
        return general(x)
    return one


_REDUCTIONS = [  # name, function(tensor, axes tuple, keepdims), summary, nd. aliases
    ('sum', _sum, "Sum over the given axes.", ('sum_axis',)),
    ('mean', _mean, "Mean over the given axes.", ()),
    ('prod', _prod, "Product over the given axes.", ()),
    ('max', _extreme(torch.amax), "Maximum over the given axes.", ('max_axis',)),
    ('min', _extreme(torch.amin), "Minimum over the given axes.", ('min_axis',)),
    ('nansum', _nansum, "Sum over the given axes, counting NaN as 0.", ()),
    ('nanprod', _nanprod, "Product over the given axes, counting NaN as 1.", ()),
]

for _name, _fn, _doc, _aliases in _REDUCTIONS:
    _kernel = _reduction(_name, _fn, _doc)
    op(_kernel, method=True, aliases=_aliases,
       one=_whole(_kernel) if _name == 'sum' else None)
# MXNet's internal sum of squares (its factorization-machine example calls it on row_sparse
# data; here any storage type, a sparse input densified)
op(_reduction('_square_sum', lambda x, axes, keepdims: _sum(x * x, axes, keepdims),
              "Sum of the squares over the given axes."))


@op(method=True)
def norm(data, ord=2, axis=None, out_dtype=None,  # pylint: disable=redefined-builtin
         keepdims=False):
    """The L1 or L2 norm over the given axes (all axes by default).

    Parameters
    ----------
    data : NDArray
    ord : int, default 2
        1 or 2.
    axis : int or tuple of int, optional
    out_dtype : str, optional
        The result's dtype; default the input's.
    keepdims : bool, default False
    """
    if ord not in (1, 2):
        raise MXNetError(f"norm: only ord=1 and ord=2 are supported, got ord={ord!r}")
    axes = reduce_axes('norm', axis, data.dim())
    x = data if data.is_floating_point() else data.float()
    res = torch.linalg.vector_norm(x, ord, axes, bool(keepdims))
    return _finish(res.to(data.dtype if out_dtype is None else torch_dtype(out_dtype)))


def _arg(name, fn):
    def kernel(data, axis=None, keepdims=False):
        if axis is None:                      # MXNet: the index into the flattened array
            res = fn(data.reshape(-1), 0)
            shape = (1,) * data.dim() if keepdims else (1,)
            return res.to(data.dtype).reshape(shape)
        if isinstance(axis, (tuple, list)):
            raise MXNetError(f"{name}: axis must be an int or None, got {axis!r}")
        ax = axis_index(name, axis, data.dim())
        # MXNet returns the indices in the input's dtype (float32 for float32 data)
        return _finish(fn(data, ax, bool(keepdims)).to(data.dtype))
    kernel.__name__ = name
    kernel.__doc__ = f"""Indices of the {name[3:]}imum along `axis` (the first on ties).

    Parameters
    ----------
    data : NDArray
    axis : int, optional
        None: the index into the flattened array.
    keepdims : bool, default False
    """
    return kernel


op(_arg('argmax', torch.argmax), method=True)
op(_arg('argmin', torch.argmin), method=True)


@op(method=True)
def argmax_channel(data):
    """Indices of the maximum along axis 1, in the input's dtype."""
    # MXNet's docs say "last axis", but its kernel uses axis 1 (a (2,3,4) input gives (2,4))
    ax = axis_index('argmax_channel', 1, data.dim())
    return torch.argmax(data, ax).to(data.dtype)


@op
def moments(data, axes=None, keepdims=False):
    """[mean, variance] over `axes` (the population variance, as in MXNet).

    Parameters
    ----------
    data : NDArray
    axes : tuple of int
        Required: MXNet refuses empty axes.
    keepdims : bool, default False
    """
    if not axes:
        raise MXNetError(f"moments: axes must name at least one axis, got {axes!r}; pass "
                         "all axes for global moments")
    ax = reduce_axes('moments', axes, data.dim())
    mean = _mean(data, ax, True)
    var = _mean((data - mean) ** 2, ax, keepdims)
    return [_finish(mean if keepdims else mean.squeeze(ax)), _finish(var)]


@op
def cumsum(a, axis=None, dtype=None):
    """Cumulative sum along `axis` (None: over the flattened array).

    Parameters
    ----------
    a : NDArray
    axis : int, optional
    dtype : str, optional
        Result dtype; default the input's (integers are not widened).
    """
    if axis is None:
        a, axis = a.reshape(-1), 0
    ax = axis_index('cumsum', axis, a.dim())
    return torch.cumsum(a, ax, dtype=a.dtype if dtype is None else torch_dtype(dtype))


@op
def all_finite(data, init_output=True):
    """[1.] if every entry is finite, else [0.] (float32, shape (1,)).

    Parameters
    ----------
    data : NDArray
    init_output : bool, default True
        Accepted for MXNet compatibility; the result is always initialized.
    """
    return torch.isfinite(data).all().reshape(1).to(torch.float32)
