"""Errors and dtype names shared by every module, as in MXNet's `mxnet.base`."""
import numpy as np
import torch

__all__ = ['MXNetError', 'np_dtype', 'torch_dtype', 'dtype_name']


class MXNetError(Exception):
    """Error raised by regluon where MXNet raises `mxnet.base.MXNetError`."""


class MXNetIndexError(MXNetError, IndexError):
    """An operator's index out of bounds: MXNet 1.9.1 raises it as IndexError (its typed
    error registry); an MXNetError here too, so both kinds of handler catch it."""


# MXNet dtype names <-> torch dtypes. bfloat16 has no numpy type; we report it by name.
# int16 is not an MXNet dtype; torch has it and we keep it.
_TORCH = {
    'float32': torch.float32, 'float64': torch.float64, 'float16': torch.float16,
    'uint8': torch.uint8, 'int8': torch.int8, 'int32': torch.int32, 'int64': torch.int64,
    'bool': torch.bool, 'bfloat16': torch.bfloat16, 'int16': torch.int16,
}
_NAME = {v: k for k, v in _TORCH.items()}
_NP = {k: (getattr(np, k) if k != 'bfloat16' else 'bfloat16') for k in _TORCH}
_NP['bool'] = np.bool_

# `t.dtype in FLOAT_DTYPES` is cheaper than `t.is_floating_point()` on hot paths
FLOAT_DTYPES = frozenset((torch.float32, torch.float64, torch.float16, torch.bfloat16))


def dtype_name(dtype):
    """Resolve a dtype given as MXNet name, numpy type/dtype or torch dtype to MXNet's name.

    Names follow numpy, as in MXNet: 'float' and `float` mean float64, 'int' means int64.
    An unknown name is numpy's TypeError; a real dtype MXNet lacks is an MXNetError.
    """
    if dtype is None:
        return 'float32'
    if isinstance(dtype, torch.dtype):
        name = _NAME.get(dtype, str(dtype))
    elif isinstance(dtype, str) and dtype in _TORCH:
        return dtype
    else:
        try:
            name = np.dtype(dtype).name
        except TypeError:
            raise TypeError(f"data type {dtype!r} not understood; expected one of "
                            f"{sorted(_TORCH)} or a numpy dtype") from None
    if name not in _TORCH:
        raise MXNetError(f"dtype {name!r} is not supported; valid values are "
                         f"{sorted(_TORCH)}")
    return name


def torch_dtype(dtype):
    """The torch dtype for an MXNet dtype spec (None means float32, MXNet's default)."""
    if isinstance(dtype, torch.dtype) and dtype in _NAME:
        return dtype
    return _TORCH[dtype_name(dtype)]


def np_dtype(tdtype):
    """The numpy type MXNet reports as `.dtype` for a torch dtype."""
    return _NP[_NAME[tdtype]]


# --- names MXNet's base module exports that Python code of users imports ------------------
string_types = (str,)
numeric_types = (float, int, np.generic)
integer_types = (int, np.int32, np.int64)
mx_real_t = np.float32


def py_str(x):
    """Decode bytes from a C API as MXNet's `py_str` does (utf-8)."""
    return x.decode('utf-8')


def _as_list(obj):
    """A list or tuple as it is, anything else wrapped in a one-element list."""
    return obj if isinstance(obj, (list, tuple)) else [obj]


def _register(registry, kind, klass):
    """Put `klass` in `registry` under its lower-cased name, warning as MXNet's optimizer and
    kvstore registries do when it replaces another; returns klass."""
    import warnings
    name = klass.__name__.lower()
    if name in registry:
        old = registry[name]
        warnings.warn(f'WARNING: New {kind} {klass.__module__}.{klass.__name__} is '
                      f'overriding existing {kind} {old.__module__}.{old.__name__}')
    registry[name] = klass
    return klass


def data_dir():
    """MXNet's data folder: $MXNET_HOME, else ~/.mxnet."""
    import os
    return os.getenv('MXNET_HOME', os.path.join(os.path.expanduser('~'), '.mxnet'))


def __getattr__(name):
    # mxnet.base.NotImplementedForSymbol: the class lives with Symbol (imported lazily, as
    # the symbol package imports this module)
    if name == 'NotImplementedForSymbol':
        from .symbol.symbol import NotImplementedForSymbol
        return NotImplementedForSymbol
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
