"""MXNet's axis rules as pure functions on ints and tuples (no torch).

Reductions (`sum`, `mean`, `norm`, ...) take `axis` as an int, a tuple/list, or None/()
meaning all axes, and `exclude=True` to reduce over the other axes instead. A reduction
over every axis without keepdims gives shape (1,), not (): MXNet 1.x has no 0-d results.
"""
from ..base import MXNetError

__all__ = ['axis_index', 'reduce_axes', 'reduced_shape']


def axis_index(op, axis, ndim):
    """One axis (negative counts from the end) as a non-negative index, checked."""
    try:
        a = int(axis)
    except (TypeError, ValueError):
        raise MXNetError(f"{op}: axis must be an int, got {axis!r}") from None
    if not -ndim <= a < ndim:
        raise MXNetError(f"{op}: axis {a} is out of range for an input with ndim {ndim}; "
                         f"expected an axis in [{-ndim}, {ndim - 1}]")
    return a + ndim if a < 0 else a


def reduce_axes(op, axis, ndim, exclude=False):
    """The sorted axes an MXNet reduction reduces over.

    None or () means all axes, with or without exclude (MXNet treats "exclude nothing"
    as "reduce everything" here). Duplicates are an error, as in MXNet.
    """
    if axis is None or (isinstance(axis, (tuple, list)) and len(axis) == 0):
        return tuple(range(ndim))
    if isinstance(axis, (tuple, list)):
        axes = [axis_index(op, a, ndim) for a in axis]
    else:
        axes = [axis_index(op, axis, ndim)]
    if len(set(axes)) != len(axes):
        raise MXNetError(f"{op}: axis {tuple(axis)} has duplicate axes for an input with "
                         f"ndim {ndim}")
    if exclude:
        return tuple(i for i in range(ndim) if i not in axes)
    return tuple(sorted(axes))


def reduced_shape(shape, axes, keepdims):
    """The result shape of reducing `shape` over `axes`; () becomes (1,) as in MXNet 1.x."""
    if keepdims:
        return tuple(1 if i in axes else s for i, s in enumerate(shape))
    out = tuple(s for i, s in enumerate(shape) if i not in axes)
    return out or (1,)
