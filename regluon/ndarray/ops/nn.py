"""Neural-network layers as operators: `FullyConnected`, `Activation`, `LeakyReLU`,
`Dropout`, `Embedding`, `UpSampling` (MXNet 1.9.1 names, arguments and defaults).

Convolution and pooling live in `conv.py`, the normalisations in `norm.py`, the loss
heads (`SoftmaxOutput`, `CTCLoss`, ...) in `nn_output.py`.
"""
import torch
import torch.nn.functional as F

from ...base import MXNetError
from ... import autograd as _ag
from ..register import op


def _shape(t):
    return tuple(t.shape)


@op
def FullyConnected(data, weight=None, bias=None, num_hidden=None, no_bias=False,
                   flatten=True):
    """Apply a linear transformation: Y = X W^T + b.

    Parameters
    ----------
    data : NDArray
        Input data; with `flatten=True` all axes but the first are flattened.
    weight : NDArray
        Weight matrix of shape (num_hidden, in_units).
    bias : NDArray
        Bias of shape (num_hidden,); ignored when `no_bias` is True.
    num_hidden : int, required
        Number of hidden units.
    no_bias : bool, optional, default=False
        Whether to leave out the bias term.
    flatten : bool, optional, default=True
        Flatten the input to 2-D (True) or apply the layer to the last axis (False).
    """
    if num_hidden is None:
        raise MXNetError("FullyConnected: required parameter num_hidden is missing")
    if weight is None:
        raise MXNetError("FullyConnected: required input weight is missing")
    x = data.reshape(data.shape[0], -1) if flatten and data.dim() != 2 else data
    in_units = x.shape[-1] if x.dim() else 1
    if weight.shape != (num_hidden, in_units):
        raise MXNetError(f"FullyConnected: weight shape {_shape(weight)} does not match "
                         f"the expected ({num_hidden}, {in_units}) for data "
                         f"{_shape(data)} (num_hidden={num_hidden}, flatten={flatten})")
    if no_bias:
        bias = None
    elif bias is None:
        raise MXNetError("FullyConnected: bias is missing; pass it or set no_bias=True")
    elif bias.shape != (num_hidden,):
        raise MXNetError(f"FullyConnected: bias shape {_shape(bias)} does not match the "
                         f"expected ({num_hidden},)")
    return F.linear(x, weight, bias)


_ACT = {
    'relu': torch.relu,
    'sigmoid': torch.sigmoid,
    'tanh': torch.tanh,
    'softrelu': F.softplus,     # log(1 + exp(x)); both switch to x above 20
    'softsign': F.softsign,
}


@op
def Activation(data, act_type=None):
    """Apply an elementwise activation function.

    Parameters
    ----------
    data : NDArray
        The input array.
    act_type : {'relu', 'sigmoid', 'softrelu', 'softsign', 'tanh'}, required
        Activation function to apply.
    """
    fn = _ACT.get(act_type)
    if fn is None:
        raise MXNetError(f"Activation: invalid act_type {act_type!r}; valid values are "
                         f"{sorted(_ACT)}")
    return fn(data)


def _prelu(data, gamma):
    if gamma is None:
        raise MXNetError("LeakyReLU: act_type='prelu' needs the gamma input")
    # MXNet's expand_shape: gamma's axes, from its last, meet data's axes 1 and 0 (equal
    # size or 1); the other data axes broadcast
    gs, ds = tuple(gamma.shape), tuple(data.shape)
    shape, s = [1] * len(ds), len(gs) - 1
    for i in range(len(ds) - 1, -1, -1):
        if s >= 0 and i <= 1 and gs[s] in (ds[i], 1):
            shape[i] = gs[s]
            s -= 1
    if s != -1:
        raise MXNetError(f"LeakyReLU: cannot broadcast prelu gamma of shape {gs} to data of "
                         f"shape {ds}: gamma's axes must match the data's axes 0 and 1")
    return torch.where(data > 0, data, gamma.reshape(shape) * data)


_SELU_ALPHA, _SELU_LAMBDA = 1.6732632423543772, 1.0507009873554805


class _SeluMX(torch.autograd.Function):
    """SELU with MXNet 1.x's backward: lambda * (out + alpha) where out <= 0.

    MXNet's selu_grad applies the derivative formula to the output, which already carries
    lambda, so its gradient for negative inputs is not the true derivative; we keep it so
    that SELU networks train as they do in MXNet.
    """

    @staticmethod
    def forward(ctx, x):
        y = F.selu(x)
        ctx.save_for_backward(y)
        return y

    @staticmethod
    def backward(ctx, g):
        y, = ctx.saved_tensors
        return g * torch.where(y > 0, _SELU_LAMBDA, _SELU_LAMBDA * (y + _SELU_ALPHA))


@op
def LeakyReLU(data, gamma=None, act_type='leaky', slope=0.25, lower_bound=0.125,
              upper_bound=0.334):
    """Leaky rectified linear units and relatives (leaky, prelu, elu, selu, gelu, rrelu).

    Parameters
    ----------
    data : NDArray
        Input data.
    gamma : NDArray
        Slope of the negative part per channel (axis 1); only for act_type='prelu'.
    act_type : {'elu', 'gelu', 'leaky', 'prelu', 'rrelu', 'selu'}, default='leaky'
        Activation function to apply.
    slope : float, default=0.25
        Negative slope for 'leaky', alpha for 'elu'.
    lower_bound, upper_bound : float, default=0.125, 0.334
        Range of the random slope of 'rrelu' in training; its mean is used otherwise.
    """
    if act_type == 'leaky':
        return F.leaky_relu(data, slope)
    if act_type == 'prelu':
        return _prelu(data, gamma)
    if act_type == 'elu':
        return F.elu(data, slope)
    if act_type == 'selu':
        return _SeluMX.apply(data)
    if act_type == 'gelu':
        return F.gelu(data)     # MXNet 1.x uses the erf form, torch's default
    if act_type == 'rrelu':
        return F.rrelu(data, lower_bound, upper_bound, training=_ag.is_training())
    raise MXNetError(f"LeakyReLU: invalid act_type {act_type!r}; valid values are "
                     "['elu', 'gelu', 'leaky', 'prelu', 'rrelu', 'selu']")


@op
def Dropout(data, p=0.5, mode='training', axes=(), cudnn_off=False):
    """Zero elements at random with probability `p` and scale the rest by 1/(1-p).

    Only drops in training mode (`autograd.is_training()`) unless `mode='always'`.

    Parameters
    ----------
    data : NDArray
        Input array.
    p : float, default=0.5
        Fraction of the input that gets dropped.
    mode : {'always', 'training'}, default='training'
        Whether to drop only in training or always.
    axes : tuple of int, default=()
        Axes along which one mask is shared (e.g. whole channels).
    """
    if mode not in ('training', 'always'):
        raise MXNetError(f"Dropout: invalid mode {mode!r}; valid values are "
                         "['always', 'training']")
    if not 0 <= p <= 1:
        raise MXNetError(f"Dropout: p must be in [0, 1], got {p}")
    if p == 0 or (mode == 'training' and not _ag.is_training()):
        return data.clone()         # a new array, as MXNet's: writes to it leave data alone
    if p == 1:      # MXNet scales the all-zero mask by 1/(1-p) = inf: NaN values and gradient
        return data * float('nan')
    if not axes:
        return F.dropout(data, p, training=True)
    shape = list(data.shape)
    for a in axes:
        shape[a] = 1
    mask = torch.empty(shape, dtype=data.dtype, device=data.device).bernoulli_(1 - p)
    return data * mask.div_(1 - p)


@op
def Embedding(data, weight=None, input_dim=None, output_dim=None, dtype='float32',
              sparse_grad=False):
    """Map integer indices to vector rows of `weight`.

    Parameters
    ----------
    data : NDArray
        Indices (any dtype; floats are truncated), any shape.
    weight : NDArray
        The embedding matrix, (input_dim, output_dim).
    input_dim : int, required
        Vocabulary size.
    output_dim : int, required
        Embedding vector size.
    dtype : str, default='float32'
        Data type of the weight.
    sparse_grad : bool, default=False
        The weight's gradient is sparse (the rows looked up): a row_sparse `.grad`.
    """
    if input_dim is None or output_dim is None:
        raise MXNetError("Embedding: required parameters input_dim and output_dim are "
                         f"missing (got input_dim={input_dim}, output_dim={output_dim})")
    if weight is None or _shape(weight) != (input_dim, output_dim):
        got = None if weight is None else _shape(weight)
        raise MXNetError(f"Embedding: weight shape {got} does not match the expected "
                         f"({input_dim}, {output_dim})")
    # MXNet clips out-of-range indices into [0, input_dim - 1] instead of failing.
    idx = data.long().clamp(0, input_dim - 1)
    # sparse_grad: torch's sparse weight gradient, the rows looked up (a row_sparse .grad)
    return F.embedding(idx, weight, sparse=bool(sparse_grad))


@op
def UpSampling(*data, scale=None, num_filter=0, sample_type=None,
               multi_input_mode='concat', num_args=None, workspace=512):
    """Upsample the spatial axes (NCHW) of the inputs by an integer factor.

    Parameters
    ----------
    data : NDArray(s)
        Inputs; for 'nearest' several may be given, each is resized to the first's size
        times `scale` and they are concatenated (or summed) along the channels. For
        'bilinear' the inputs are the data and the (channels, 1, k, k) weight.
    scale : int, required
        Upsampling factor.
    num_filter : int, default=0
        Number of channels for 'bilinear'.
    sample_type : {'bilinear', 'nearest'}, required
        Upsampling method.
    multi_input_mode : {'concat', 'sum'}, default='concat'
        How to combine several 'nearest' inputs.
    """
    if scale is None or sample_type not in ('nearest', 'bilinear'):
        raise MXNetError(f"UpSampling: scale and sample_type ('nearest' or 'bilinear') are "
                         f"required, got scale={scale}, sample_type={sample_type!r}")
    if sample_type == 'bilinear':
        x, w = data
        s = int(scale)
        # MXNet's bilinear upsampling is a depthwise deconvolution with a 2s - s%2 kernel
        return F.conv_transpose2d(x, w, None, stride=s, padding=s // 2,
                                  groups=x.shape[1])
    h, w = data[0].shape[2] * scale, data[0].shape[3] * scale
    outs = [F.interpolate(d, scale_factor=h // d.shape[2], mode='nearest')
            for d in data]
    if len(outs) == 1:
        return outs[0]
    if multi_input_mode == 'sum':
        return torch.stack(outs).sum(0)
    return torch.cat(outs, 1)
