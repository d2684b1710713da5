"""Array creation: `nd.array`, `zeros`, `ones`, `full`, `empty`, `arange`, `linspace`, `eye`.

MXNet rules kept here: the default dtype is float32 whatever the source (float64 or int
numpy arrays, lists, pandas' object arrays); an NDArray source keeps its dtype; `ctx=`
takes a Context or a string such as 'cpu(1)'.
"""
import numpy as np
import torch

from ..base import MXNetError, torch_dtype, dtype_name
from .ndarray import NDArray, _box, _device
from .register import OPS

__all__ = ['array', 'empty', 'zeros', 'ones', 'full', 'arange', 'linspace', 'eye',
           'from_numpy', 'from_dlpack', 'waitall', 'concatenate']


def _shape(shape, fn):
    """A shape argument as a tuple of ints; MXNetError naming `fn` if it is not one."""
    if isinstance(shape, (int, np.integer)):
        shape = (shape,)
    try:
        res = tuple(int(s) for s in shape)
    except (TypeError, ValueError):
        raise MXNetError(f"{fn}: shape must be an int or a tuple of ints, got "
                         f"{shape!r}") from None
    if any(s < 0 for s in res):
        raise MXNetError(f"{fn}: shape {res} has a negative dimension")
    return res


def _known(shape, fn):
    """MXNet's legacy shapes: 0 is an unknown size and () an unknown shape, so _zeros,
    _ones and _full refuse them unless np shape semantics are on (empty takes them)."""
    if not shape or 0 in shape:
        from ..numpy import _mode       # pylint: disable=import-outside-toplevel
        if _mode.active:
            return shape
        raise MXNetError(f"Operator _{fn} inferring shapes failed: shape {shape} is unknown "
                         f"(0-d or zero-size) outside np shape semantics (mx.np_shape())")
    return shape


def _filled(fill, fn, shape, ctx, dtype):
    """`fill(shape)` (torch.empty, zeros or ones) boxed on `ctx`; errors name `fn`."""
    dev, label = _device(ctx)
    shape = _shape(shape, fn)
    if fill is not torch.empty:
        _known(shape, fn)
    return _box(fill(shape, dtype=torch_dtype(dtype), device=dev), label)


def array(source_array, ctx=None, dtype=None):
    """Make an NDArray from an NDArray, numpy array, list or scalar (always a copy).

    Parameters
    ----------
    source_array : array_like
        An NDArray, numpy array, torch tensor, (nested) list or scalar.
    ctx : Context or str, optional
        Device context (default: the current context).
    dtype : str or numpy.dtype, optional
        float32 unless given, even for float64 or integer numpy input (MXNet's rule); an
        NDArray (or torch tensor) source keeps its dtype.
    """
    if isinstance(source_array, NDArray) and source_array.stype != 'default' or (
            type(source_array).__module__.startswith('scipy.sparse') and
            getattr(source_array, 'format', '') == 'csr'):
        from .sparse import array as sparse_array     # MXNet: a sparse copy (CSRNDArray
        return sparse_array(source_array, ctx, dtype)  # for a scipy csr_matrix)
    dev, label = _device(ctx)
    if isinstance(source_array, NDArray):
        td = source_array._t.dtype if dtype is None else torch_dtype(dtype)
        return _box(source_array._t.detach().to(dev, td, copy=True), label)
    if isinstance(source_array, torch.Tensor):
        td = source_array.dtype if dtype is None else torch_dtype(dtype)
        return _box(source_array.detach().to(dev, td, copy=True), label)
    name = dtype_name(dtype)
    if name == 'bfloat16':                      # numpy has no bfloat16: go through float32
        return array(source_array, ctx, 'float32').astype('bfloat16')
    try:
        a = np.array(source_array, dtype=name)
    except (TypeError, ValueError) as e:
        raise TypeError(f"source_array must be array like object, got "
                        f"{type(source_array).__name__} ({e})") from None
    return _box(torch.from_numpy(a).to(dev), label)


def empty(shape, ctx=None, dtype=None, stype=None):
    """An uninitialized array.

    Parameters
    ----------
    shape : int or tuple of int
    ctx : Context or str, optional
    dtype : str or numpy.dtype, optional (float32)
    stype : str, optional
        'csr' or 'row_sparse' for an empty sparse array (mx.nd.sparse).
    """
    if stype not in (None, 'default'):
        from .sparse import zeros as sparse_zeros
        return sparse_zeros(stype, shape, ctx=ctx, dtype=dtype)
    return _filled(torch.empty, 'empty', shape, ctx, dtype)


def zeros(shape, ctx=None, dtype=None, stype=None, out=None, **kwargs):  # pylint: disable=unused-argument
    """An array of zeros.

    Parameters
    ----------
    shape : int or tuple of int
    ctx : Context or str, optional
    dtype : str or numpy.dtype, optional (float32)
    stype : str, optional
        'csr' or 'row_sparse' for a sparse array with no stored values (mx.nd.sparse).
    out : NDArray, optional
        Filled with zeros and returned (MXNet's operator output).
    """
    if stype not in (None, 'default'):
        from .sparse import zeros as sparse_zeros
        return sparse_zeros(stype, shape, ctx=ctx, dtype=dtype)
    if out is not None:
        return full(_known(_shape(shape, 'zeros'), 'zeros'), 0, ctx, dtype, out=out)
    return _filled(torch.zeros, 'zeros', shape, ctx, dtype)


def ones(shape, ctx=None, dtype=None, out=None, **kwargs):  # pylint: disable=unused-argument
    """An array of ones.

    Parameters
    ----------
    shape : int or tuple of int
    ctx : Context or str, optional
    dtype : str or numpy.dtype, optional (float32)
    out : NDArray, optional
        Filled with ones and returned (MXNet's operator output).
    """
    if out is not None:
        return full(_known(_shape(shape, 'ones'), 'ones'), 1, ctx, dtype, out=out)
    return _filled(torch.ones, 'ones', shape, ctx, dtype)


def full(shape, val, ctx=None, dtype=None, out=None):
    """An array filled with `val` (cast to `dtype`: full(2, 3.7, dtype='int32') is [3 3]).

    Parameters
    ----------
    shape : int or tuple of int
    val : scalar
    ctx : Context or str, optional
    dtype : str or numpy.dtype, optional (float32)
    out : NDArray, optional
    """
    dev, label = _device(ctx)
    td = torch_dtype(dtype)
    shape = _shape(shape, 'full')
    if not shape:                   # MXNet's full fills an empty array: only () is refused
        _known(shape, 'full')
    t = torch.full(shape, val, dtype=torch.float64, device=dev).to(td)
    return _box(t, label) if out is None else out._assign(t)


def arange(start, stop=None, step=1.0, repeat=1, infer_range=None, ctx=None, dtype=None):  # pylint: disable=unused-argument
    """Evenly spaced values in [start, stop), each repeated `repeat` times.

    Parameters
    ----------
    start : number
        Start, or the stop when `stop` is None.
    stop : number, optional
    step : number
    repeat : int
        How many times each value is repeated.
    infer_range : bool, optional
        Deprecated in MXNet and ignored.
    ctx : Context or str, optional
    dtype : str or numpy.dtype, optional (float32)
    """
    dev, label = _device(ctx)
    return _box(OPS['_arange'].kernel(start, stop, step, repeat, ctx=dev,
                                      dtype=dtype_name(dtype)), label)


def linspace(start, stop, num, endpoint=True, ctx=None, dtype=None):
    """`num` evenly spaced values from `start` to `stop` (included when `endpoint`).

    Parameters
    ----------
    start, stop : number
    num : int
    endpoint : bool
    ctx : Context or str, optional
    dtype : str or numpy.dtype, optional (float32; integer dtypes truncate)
    """
    dev, label = _device(ctx)
    return _box(OPS['_linspace'].kernel(start, stop, num, endpoint, ctx=dev,
                                        dtype=dtype_name(dtype)), label)


def eye(N, M=0, k=0, ctx=None, dtype=None, **kwargs):  # pylint: disable=unused-argument
    """A 2-D array with ones on the k-th diagonal.

    Parameters
    ----------
    N : int
        Rows.
    M : int
        Columns; 0 means N.
    k : int
        The diagonal: 0 the main one, positive above, negative below.
    ctx : Context or str, optional
    dtype : str or numpy.dtype, optional (float32)
    """
    dev, label = _device(ctx)
    return _box(OPS['_eye'].kernel(N, M, k, ctx=dev, dtype=dtype_name(dtype)), label)


def from_numpy(ndarray, zero_copy=True):
    """An NDArray from a numpy array; with zero_copy the two share memory.

    Parameters
    ----------
    ndarray : numpy.ndarray
    zero_copy : bool
        Share memory: `ndarray` must be C-contiguous, and it becomes read-only (writes go
        through the NDArray), as in MXNet.
    """
    if not zero_copy:
        return _box(torch.tensor(ndarray))
    if not ndarray.flags['C_CONTIGUOUS']:
        raise ValueError('Only c-contiguous arrays are supported for zero-copy')
    t = torch.from_numpy(ndarray)
    ndarray.flags.writeable = False
    return _box(t)


def from_dlpack(dlpack):
    """An NDArray sharing memory with a DLPack capsule or an object with `__dlpack__`."""
    return _box(torch.utils.dlpack.from_dlpack(dlpack))


def waitall():
    """Wait for all pending work (torch's CPU ops are synchronous; CUDA is synchronized)."""
    if torch.cuda.is_available() and torch.cuda.is_initialized():
        torch.cuda.synchronize()


def concatenate(arrays, axis=0, always_copy=True):  # pylint: disable=unused-argument
    """Join arrays along `axis` (MXNet's Python helper over the `concat` operator)."""
    from .register import OPS
    return OPS['concat'].func(*arrays, dim=axis)
