"""`mx.npx`: NumPy mode and the neural-network operators for np arrays (MXNet 1.6+).

    from mxnet import np, npx
    npx.set_np()                 # Gluon makes and returns np arrays from here on
    npx.relu(np.array([-1., 2.]))

Each operator here is the `mx.nd` operator of the same meaning (one definition, see
regluon/ndarray/ops/), called on np arrays and returning np arrays; `npx.reshape` has
MXNet's npx codes, which differ from `nd.reshape`'s.
"""
import contextlib
import functools
import inspect
import sys
import types

from .. import ndarray as _nd
from ..context import cpu, gpu, num_gpus, current_context, cpu_pinned  # noqa: F401
from ..numpy import _mode
from ..numpy.multiarray import _to_np, _tensor, _wrap, _ctx_of
from ..base import MXNetError
from ._reshape import reshape_codes

__all__ = ['set_np', 'reset_np', 'is_np_array', 'is_np_shape', 'use_np', 'use_np_array',
           'use_np_shape', 'np_array', 'np_shape', 'save', 'load', 'waitall', 'reshape',
           'seed', 'nonzero', 'constraint_check', 'image', 'random', 'gpu_memory_info']


# ---- np mode -------------------------------------------------------------------------
def set_np(shape=True, array=True, dtype=False):
    """Turn NumPy mode on: Gluon makes Parameters, outputs and DataLoader batches as np
    arrays. `dtype=True` (float64 by default) is not supported."""
    if dtype:
        raise MXNetError("set_np(dtype=True): NumPy's float64 default dtype is not "
                         "supported; arrays default to float32 as in MXNet's default mode")
    if array and not shape:
        raise ValueError('NumPy Shape semantics must be enabled when NumPy array '
                         'semantics is enabled')
    _mode.active = bool(array)


def set_np_shape(active):
    """Turn np shape semantics on or off (here the same switch as set_np's); returns the
    previous state (MXNet's mx.set_np_shape)."""
    prev, _mode.active = _mode.active, bool(active)
    return prev


def reset_np():
    """Turn NumPy mode off (legacy NDArrays again)."""
    _mode.active = False


def is_np_array():
    """Whether NumPy mode is on."""
    return _mode.active


is_np_shape = is_np_array


def use_np(obj):
    """Run a function, or every method and property of a class (its inherited ones too:
    `__init__`, `initialize`, `__call__`...), in NumPy mode (MXNet's `@use_np`)."""
    if isinstance(obj, type):
        for name in dir(obj):
            member = inspect.getattr_static(obj, name)
            if isinstance(member, (staticmethod, classmethod)):
                setattr(obj, name, type(member)(use_np(member.__func__)))
            elif isinstance(member, property):
                setattr(obj, name, property(member.fget and use_np(member.fget),
                                            member.fset, member.fdel, member.__doc__))
            elif inspect.isfunction(member):
                setattr(obj, name, use_np(member))
        return obj

    @functools.wraps(obj)
    def wrapper(*args, **kwargs):
        return _in_np_mode(obj, *args, **kwargs)
    return wrapper


use_np_array = use_np_shape = use_np


def _in_np_mode(fn, *args, **kwargs):
    with np_array(True):
        return fn(*args, **kwargs)


@contextlib.contextmanager
def np_array(active=True):
    """A scope with NumPy mode on (or off) inside (`mx.util.np_array`)."""
    prev, _mode.active = _mode.active, bool(active)
    try:
        yield
    finally:
        _mode.active = prev


np_shape = np_array


# ---- operators: the nd ones, np arrays in and out ------------------------------------------
def _from_nd(name, nd_name):
    fn = _nd
    for part in nd_name.split('.'):
        fn = getattr(fn, part)

    def f(*args, **kwargs):
        return _to_np(fn(*args, **kwargs))
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"`mx.nd.{nd_name}` on np arrays (see its documentation).\n\n" + \
        (fn.__doc__ or '')
    return f


_OPS = {
    'relu': 'relu', 'sigmoid': 'sigmoid', 'softmax': 'softmax', 'log_softmax': 'log_softmax',
    'one_hot': 'one_hot', 'pick': 'pick', 'batch_dot': 'batch_dot',
    'sequence_mask': 'SequenceMask', 'batch_flatten': 'Flatten', 'embedding': 'Embedding',
    'fully_connected': 'FullyConnected', 'convolution': 'Convolution',
    'deconvolution': 'Deconvolution', 'pooling': 'Pooling', 'batch_norm': 'BatchNorm',
    'layer_norm': 'LayerNorm', 'group_norm': 'GroupNorm', 'instance_norm': 'InstanceNorm',
    'dropout': 'Dropout', 'activation': 'Activation', 'leaky_relu': 'LeakyReLU',
    'topk': 'topk', 'gather_nd': 'gather_nd', 'scatter_nd': 'scatter_nd',
    'reshape_like': 'reshape_like', 'rnn': 'RNN', 'smooth_l1': 'smooth_l1', 'erf': 'erf',
    'erfinv': 'erfinv', 'gamma': 'gamma', 'gammaln': 'gammaln', 'roi_pooling': 'ROIPooling',
    'stop_gradient': 'stop_gradient', 'slice_channel': 'SliceChannel',
    'shape_array': 'shape_array', 'l2_normalization': 'L2Normalization',
    'arange_like': 'contrib.arange_like',
    'multibox_prior': 'contrib.MultiBoxPrior', 'multibox_target': 'contrib.MultiBoxTarget',
    'multibox_detection': 'contrib.MultiBoxDetection', 'slice': 'slice',
}
for _name, _nd_name in _OPS.items():
    globals()[_name] = _from_nd(_name, _nd_name)
    __all__.append(_name)


def constraint_check(input, msg='Constraint violated.'):  # pylint: disable=redefined-builtin
    """A 0-d True when every element of the bool array `input` is true, else ValueError
    with `msg` (MXNet's npx.constraint_check; the np-mode graph node runs this too)."""
    from ..numpy._ops_linalg_random import _constraint_check
    return _constraint_check(input, msg)


def nonzero(a):
    """Indices (int64) of the non-zero elements, one row per element (MXNet's npx.nonzero;
    a 0-d array answers as a 1-element one: (1, 1) or (0, 1))."""
    from ..numpy import argwhere
    return argwhere(a.reshape(1) if a.ndim == 0 else a)


def _image_namespace():
    mod = types.ModuleType(__name__ + '.image', 'npx.image: the nd.image operators on np '
                           'arrays.')
    for name in _nd.image.__all__:
        setattr(mod, name, _from_nd(name, 'image.' + name))
    return mod


def reshape(a, newshape, reverse=False, order='C'):  # pylint: disable=unused-argument
    """Reshape with MXNet's npx codes: -1 infer, -2 copy this axis, -3 drop this axis (of
    size 1), -4 copy the remaining axes, -5 merge two axes, -6 split one axis into the next
    two values (one may be -1). `reverse=True` reads the codes from the right."""
    t = _tensor(a, 'npx.reshape')
    shape = reshape_codes(tuple(t.shape), tuple(newshape) if isinstance(newshape, (list, tuple))
                          else (newshape,), reverse)
    return _wrap(t.reshape(shape), _ctx_of(a))


# ---- files and the rest -------------------------------------------------------------------
def save(file, arr):
    """Save an np array, a list or a dict of them (`nd.save`'s format)."""
    _nd.save(file, arr)


def load(file):
    """Load what `save` (or `nd.save`) wrote, as np arrays (a list or a dict)."""
    res = _nd.load(file)
    if isinstance(res, dict):
        for v in res.values():
            _to_np(v)
        return res
    return _to_np(res)


def waitall():
    """Wait for all pending work (CUDA is synchronized; CPU work is synchronous)."""
    _nd.waitall()


def gpu_memory_info(device_id=0):
    """(free, total) bytes of GPU `device_id`."""
    from ..context import gpu_memory_info as _info
    return _info(device_id)


image = _image_namespace()


# mx.util has MXNet's np-mode switches too; installed here so util.py stays as it is
from .. import util as _util  # noqa: E402
for _name in ('set_np', 'reset_np', 'is_np_array', 'is_np_shape', 'use_np', 'use_np_array',
              'use_np_shape', 'np_array', 'np_shape', 'set_np_shape'):
    setattr(_util, _name, globals()[_name])

# MXNet's F.np / F.npx inside hybrid_forward (F is mx.nd here)
from .. import numpy as _np_module  # noqa: E402
_nd.np = _nd.numpy = _np_module      # MXNet's mx.nd.np is also mx.nd.numpy
_nd.npx = _nd.numpy_extension = sys.modules[__name__]
from . import random  # noqa: E402
from .random import seed  # noqa: E402,F401


from .. import symbol as _sym  # noqa: E402
from ..symbol import numpy as _sym_np, numpy_extension as _sym_npx  # noqa: E402
_sym.np = _sym.numpy = _sym_np
_sym.npx = _sym.numpy_extension = _sym_npx
