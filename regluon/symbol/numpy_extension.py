"""`mx.sym.npx`: the np-mode neural-network operators on `_Symbol`s (F.npx in a hybridized
np-mode HybridBlock). Each builds the node MXNet 1.9.1 builds: mostly the legacy operator
(`npx.fully_connected` is FullyConnected, `npx.sequence_mask` SequenceMask) named after the
npx function (fully_connected0, sequence_mask0); `relu`, `sigmoid` and `reshape` are
MXNet's `_npx_*` operators (regluon/numpy/_ops.py).
"""
from .numpy import _op, _NG, NoNpSymbol, _Namespace  # noqa: F401

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
    'arange_like': '_contrib_arange_like', 'cast': 'Cast',
    'constraint_check': '_npx_constraint_check', 'nonzero': '_npx_nonzero',
    'multibox_prior': '_contrib_MultiBoxPrior', 'multibox_target': '_contrib_MultiBoxTarget',
    'multibox_detection': '_contrib_MultiBoxDetection',
}
# npx.image function -> MXNet's _image_<name> operator
_IMAGE = ('to_tensor', 'normalize', 'crop', 'resize', 'flip_left_right', 'flip_top_bottom',
          'random_flip_left_right', 'random_flip_top_bottom', 'random_brightness',
          'random_contrast', 'random_saturation', 'random_hue', 'random_color_jitter',
          'adjust_lighting', 'random_lighting')


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


image = _Namespace('mxnet.symbol.numpy_extension.image')
for _name in _IMAGE:
    setattr(image, _name, _npx_fn(_name, '_image_' + _name))


def _image_crop(data, x, y, width, height):
    """The region (x, y, width, height) of an HWC image or NHWC batch (_image_crop)."""
    return _op('_image_crop', 'crop', data, x=x, y=y, width=width, height=height)


image.crop = _image_crop
random = _Namespace('mxnet.symbol.numpy_extension.random')


def _bernoulli(prob=None, logit=None, size=None, dtype=None, ctx=None, out=None):  # pylint: disable=unused-argument
    """Bernoulli samples of probability `prob` or sigmoid(`logit`) (a number or a
    `_Symbol`, then an input): MXNet's _npi_bernoulli node."""
    from .numpy_linalg_random import _sampler, _dtype
    from .numpy import _ctx
    if (prob is None) == (logit is None):
        raise ValueError("Either `prob` or `logit` must be specified, but not both. "
                         f"Received prob={prob}, logit={logit}")
    return _sampler('_npi_bernoulli', 'bernoulli', {'prob': prob, 'logit': logit}, size,
                    ctx=_ctx(ctx), dtype=_dtype(dtype), is_logit=logit is not None)


def _batch_sampler(name, opname, p1, p2):
    def f(a=0.0, b=1.0, batch_shape=None, dtype=None, ctx=None):
        from .numpy_linalg_random import _sampler, _dtype
        from .numpy import _ctx
        return _sampler(opname, name, {p1: a, p2: b}, batch_shape, ctx=_ctx(ctx),
                        dtype=_dtype(dtype))
    f.__name__ = f.__qualname__ = name
    f.__doc__ = (f"Samples of shape batch_shape + the parameters' broadcast shape "
                 f"(MXNet's {opname} node).")
    return f


random.bernoulli = _bernoulli
random.uniform_n = _batch_sampler('uniform_n', '_npi_uniform_n', 'low', 'high')
random.normal_n = _batch_sampler('normal_n', '_npi_normal_n', 'loc', 'scale')

__all__ = list(_OPS) + ['reshape']


def __getattr__(name):
    if name.startswith('__'):
        raise AttributeError(name)
    raise NoNpSymbol(f'mxnet.symbol.numpy_extension.{name}')
