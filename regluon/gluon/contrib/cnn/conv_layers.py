"""Deformable convolution layers (MXNet's `gluon.contrib.cnn`): a plain convolution predicts
the offsets (and, for the modulated layer, the masks) from the input, then
`F.contrib.DeformableConvolution` / `ModulatedDeformableConvolution` samples with them."""
from numbers import Number

from ...block import HybridBlock
from ...nn.activations import Activation
from ...nn.conv_layers import _conv_repr, _weight_shape

__all__ = ['DeformableConvolution', 'ModulatedDeformableConvolution']

_PARAMS = """
    Parameters
    ----------
    channels : int
        Number of output channels.
    kernel_size, strides, padding, dilation : int or tuple of 2 int
        Convolution settings (shared by the offset convolution).
    groups : int, default 1
        Groups of input/output channels.
    num_deformable_group : int, default 1
        Groups of input channels sharing an offset field.
    layout : str, default 'NCHW'
        'NCHW' (or 'NHWC', which the operators do not support).
    use_bias : bool, default True
    in_channels : int, default 0
        Input channels; 0 infers them on the first call.
    activation : str, optional
        Activation after the convolution.
    weight_initializer, bias_initializer : str or Initializer
        Initializers of the deformable convolution's weight and bias.
    offset_weight_initializer, offset_bias_initializer : str or Initializer, default 'zeros'
        Initializers of the offset convolution (zeros: the layer starts as a plain
        convolution).
    offset_use_bias : bool, default True
    op_name : str
        Kept for MXNet's signature.
    adj : tuple, optional
        Passed to both convolutions when set (as MXNet).
    """


class _DeformableBase(HybridBlock):
    """The two layers' shared body; `_mask` says whether the offset convolution also makes
    the modulation masks (one per tap and deformable group)."""
    _mask = False

    def __init__(self, channels, kernel_size, strides, padding, dilation, groups,
                 num_deformable_group, layout, use_bias, in_channels, activation,
                 weight_initializer, bias_initializer, offset_weight_initializer,
                 offset_bias_initializer, offset_use_bias, op_name, adj, prefix, params):
        super().__init__(prefix=prefix, params=params)
        with self.name_scope():
            self._channels, self._in_channels = channels, in_channels
            assert layout in ('NCHW', 'NHWC'), "Only supports 'NCHW' and 'NHWC' layout for now"
            if isinstance(kernel_size, Number):
                kernel_size = (kernel_size,) * 2
            kernel_size = tuple(kernel_size)
            strides, padding, dilation = (tuple(v) if not isinstance(v, Number)
                                          else (v,) * len(kernel_size)
                                          for v in (strides, padding, dilation))
            self._op_name = op_name
            taps = num_deformable_group * kernel_size[0] * kernel_size[1]
            self._offset_split = 2 * taps
            offset_channels = (3 if self._mask else 2) * taps
            self._kwargs_offset = {
                'kernel': kernel_size, 'stride': strides, 'dilate': dilation,
                'pad': padding, 'num_filter': offset_channels, 'num_group': groups,
                'no_bias': not offset_use_bias, 'layout': layout}
            self._kwargs_deformable_conv = {
                'kernel': kernel_size, 'stride': strides, 'dilate': dilation,
                'pad': padding, 'num_filter': channels, 'num_group': groups,
                'num_deformable_group': num_deformable_group,
                'no_bias': not use_bias, 'layout': layout}
            if adj:
                self._kwargs_offset['adj'] = adj
                self._kwargs_deformable_conv['adj'] = adj
            # MXNet creates the Parameters in this order (names are what users see)
            offset = [('offset_weight', _weight_shape('Convolution', layout, offset_channels,
                                                      in_channels, groups, kernel_size),
                       offset_weight_initializer)]
            if offset_use_bias:
                offset.append(('offset_bias', (offset_channels,), offset_bias_initializer))
            # MXNet leaves the weight's input channels to the first call, in_channels or not
            conv = [('deformable_conv_weight', (channels, 0) + kernel_size,
                     weight_initializer)]
            if use_bias:
                conv.append(('deformable_conv_bias', (channels,), bias_initializer))
            self.offset_bias = self.deformable_conv_bias = None
            for name, shape, init in (conv + offset if self._mask else offset + conv):
                setattr(self, name, self.params.get(name, shape=shape, init=init,
                                                    allow_deferred_init=True))
            self.act = Activation(activation, prefix=activation + '_') if activation else None

    def infer_shape(self, x, *args):
        k = self._kwargs_offset
        cin = x.shape[k['layout'].find('C')]
        self.offset_weight.shape = _weight_shape('Convolution', k['layout'], k['num_filter'],
                                                 cin, k['num_group'], k['kernel'])
        self.deformable_conv_weight.shape = (self._channels, cin // k['num_group']) + \
            k['kernel']

    def hybrid_forward(self, F, x, offset_weight, deformable_conv_weight, offset_bias=None,
                       deformable_conv_bias=None):
        if offset_bias is None:
            offset = F.Convolution(x, offset_weight, cudnn_off=True, **self._kwargs_offset)
        else:
            offset = F.Convolution(x, offset_weight, offset_bias, cudnn_off=True,
                                   **self._kwargs_offset)
        bias = () if deformable_conv_bias is None else (deformable_conv_bias,)
        if self._mask:
            offset_t = F.slice_axis(offset, axis=1, begin=0, end=self._offset_split)
            # MXNet passes end=None; regluon's JSON drops None attributes, which neither
            # library can load back, so the end is spelled out (the same slice)
            mask = F.slice_axis(offset, axis=1, begin=self._offset_split,
                                end=self._kwargs_offset['num_filter'])
            mask = F.sigmoid(mask) * 2
            out = F.contrib.ModulatedDeformableConvolution(
                x, offset_t, mask, deformable_conv_weight, *bias, name='fwd',
                **self._kwargs_deformable_conv)
        else:
            out = F.contrib.DeformableConvolution(x, offset, deformable_conv_weight, *bias,
                                                  name='fwd', **self._kwargs_deformable_conv)
        return self.act(out) if self.act else out


class DeformableConvolution(_DeformableBase):
    __doc__ = ("2-D deformable convolution (Dai et al., 2017, "
               "https://arxiv.org/abs/1703.06211).\n" + _PARAMS)

    def __init__(self, channels, kernel_size=(1, 1), strides=(1, 1), padding=(0, 0),
                 dilation=(1, 1), groups=1, num_deformable_group=1, layout='NCHW',
                 use_bias=True, in_channels=0, activation=None, weight_initializer=None,
                 bias_initializer='zeros', offset_weight_initializer='zeros',
                 offset_bias_initializer='zeros', offset_use_bias=True,
                 op_name='DeformableConvolution', adj=None, prefix=None, params=None):
        super().__init__(channels, kernel_size, strides, padding, dilation, groups,
                         num_deformable_group, layout, use_bias, in_channels, activation,
                         weight_initializer, bias_initializer, offset_weight_initializer,
                         offset_bias_initializer, offset_use_bias, op_name, adj, prefix,
                         params)

    def _alias(self):
        return 'deformable_conv'

    def __repr__(self):
        return _conv_repr(self, self._kwargs_deformable_conv, self.deformable_conv_weight,
                          self.deformable_conv_bias)


class ModulatedDeformableConvolution(_DeformableBase):
    __doc__ = ("2-D modulated deformable convolution (DCNv2, Zhu et al., 2019, "
               "https://arxiv.org/abs/1811.11168); the masks are 2 * sigmoid of the offset "
               "convolution's last kh * kw * num_deformable_group channels.\n" + _PARAMS)
    _mask = True

    def __init__(self, channels, kernel_size=(1, 1), strides=(1, 1), padding=(0, 0),
                 dilation=(1, 1), groups=1, num_deformable_group=1, layout='NCHW',
                 use_bias=True, in_channels=0, activation=None, weight_initializer=None,
                 bias_initializer='zeros', offset_weight_initializer='zeros',
                 offset_bias_initializer='zeros', offset_use_bias=True,
                 op_name='ModulatedDeformableConvolution', adj=None, prefix=None,
                 params=None):
        super().__init__(channels, kernel_size, strides, padding, dilation, groups,
                         num_deformable_group, layout, use_bias, in_channels, activation,
                         weight_initializer, bias_initializer, offset_weight_initializer,
                         offset_bias_initializer, offset_use_bias, op_name, adj, prefix,
                         params)

    def _alias(self):
        return 'modulated_deformable_conv'

    # no __repr__ of its own: MXNet's layer prints as a plain Block
