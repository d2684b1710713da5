"""`mx.sym.npx`: the np-mode neural-network operators on `_Symbol`s (F.npx in a hybridized
np-mode HybridBlock). Each builds the node MXNet 1.9.1 builds: mostly the legacy operator
(`npx.fully_connected` is FullyConnected, `npx.sequence_mask` SequenceMask) named after the
npx function (fully_connected0, sequence_mask0); `relu`, `sigmoid` and `reshape` are
MXNet's `_npx_*` operators (regluon/numpy/_ops.py).
"""
from .numpy import _op, _NG, NoNpSymbol  # noqa: F401

# npx function -> the operator MXNet 1.9.1 builds for it
_OPS = {
    'relu': '_npx_relu', 'sigmoid': '_npx_sigmoid', 'softmax': 'softmax',
    'log_softmax': 'log_softmax', 'activation': 'Activation', 'batch_dot': 'batch_dot',
    'batch_flatten': 'Flatten', 'sequence_mask': 'SequenceMask',
    'fully_connected': 'FullyConnected', 'convolution': 'Convolution',
    'deconvolution': 'Deconvolution', 'pooling': 'Pooling', 'batch_norm': 'BatchNorm',
    'layer_norm': 'LayerNorm', 'group_norm': 'GroupNorm', 'instance_norm': 'InstanceNorm',
    'dropout': 'Dropout', 'embedding': 'Embedding', 'leaky_relu': 'LeakyReLU',
    'pick': 'pick', 'one_hot': 'one_hot', 'topk': 'topk', 'shape_array': 'shape_array',
    'gather_nd': 'gather_nd', 'reshape_like': 'reshape_like', 'rnn': 'RNN',
    'smooth_l1': 'smooth_l1', 'erf': 'erf', 'erfinv': 'erfinv', 'gamma': 'gamma',
    'gammaln': 'gammaln', 'roi_pooling': 'ROIPooling', 'slice_channel': 'SliceChannel',
    'l2_normalization': 'L2Normalization', 'slice': 'slice',
}


def _npx_fn(name, opname):
    def f(*args, **kwargs):
        out = _op(opname, name, *args, **kwargs)
        return out if len(out._outputs) == 1 else [out[i] for i in range(len(out._outputs))]
    f.__name__ = f.__qualname__ = name
    f.__doc__ = f"The {opname} node on np-mode symbols (`mx.npx.{name}`)."
    return f


for _name, _opname in _OPS.items():
    globals()[_name] = _npx_fn(_name, _opname)


def reshape(a, newshape, reverse=_NG, order=_NG):
    """Reshape with MXNet's npx codes (-1 infer, -2 copy, -3 drop, -4 copy the rest, -5
    merge two, -6 split one): MXNet's _npx_reshape node."""
    return _op('_npx_reshape', 'reshape', a, newshape=newshape, reverse=reverse,
               order=order)


__all__ = list(_OPS) + ['reshape']


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    raise NoNpSymbol(f'mxnet.symbol.numpy_extension.{name}')
