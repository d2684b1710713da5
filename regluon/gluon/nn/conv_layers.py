"""Convolution, pooling and padding layers: Conv1D-3D(+Transpose), Max/Avg/Global pools."""
from numbers import Number

from ..block import HybridBlock
from .activations import Activation

__all__ = ['Conv1D', 'Conv2D', 'Conv3D', 'Conv1DTranspose', 'Conv2DTranspose',
           'Conv3DTranspose', 'MaxPool1D', 'MaxPool2D', 'MaxPool3D', 'AvgPool1D', 'AvgPool2D',
           'AvgPool3D', 'GlobalMaxPool1D', 'GlobalMaxPool2D', 'GlobalMaxPool3D',
           'GlobalAvgPool1D', 'GlobalAvgPool2D', 'GlobalAvgPool3D', 'ReflectionPad2D']

_LAYOUTS = {1: ('NCW', 'NWC'), 2: ('NCHW', 'NHWC'), 3: ('NCDHW', 'NDHWC')}


def _tuple(v, n, what):
    t = (v,) * n if isinstance(v, Number) else tuple(v)
    assert len(t) == n, "%s must be a number or a list of %d ints" % (what, n)
    return t


def _weight_shape(op_name, layout, channels, in_channels, groups, kernel):
    """The weight shape MXNet's Convolution/Deconvolution infer; 0 where in_channels is 0."""
    if op_name == 'Convolution':
        cin = in_channels // groups
        return ((channels, cin) + kernel if layout.find('C') == 1
                else (channels,) + kernel + (cin,))
    return (in_channels, channels // groups) + kernel


class _Conv(HybridBlock):
    """The nD (de)convolution layer behind Conv1D-3D and their transposes.

    Parameters
    ----------
    channels : int
        Number of output channels.
    kernel_size : tuple of int
        The convolution window.
    strides, padding, dilation : int or tuple of int
        Stride, zero padding on both sides, and dilation of the window.
    groups : int
        Number of groups the channels are split into.
    layout : str
        Data layout, e.g. 'NCHW' or 'NHWC'.
    in_channels : int, default 0
        Number of input channels; 0 infers it on the first forward.
    activation : str
        Activation applied to the output (see `Activation`).
    use_bias : bool
        Whether the layer has a bias.
    weight_initializer, bias_initializer : str or Initializer
        Initializers of the kernel and the bias ('zeros').
    """

    def __init__(self, channels, kernel_size, strides, padding, dilation, groups, layout,
                 in_channels=0, activation=None, use_bias=True, weight_initializer=None,
                 bias_initializer='zeros', op_name='Convolution', adj=None, prefix=None,
                 params=None):
        super().__init__(prefix=prefix, params=params)
        n = len(kernel_size)
        with self.name_scope():
            self._channels = channels
            self._in_channels = in_channels
            self._op_name = op_name
            self._kwargs = {
                'kernel': kernel_size, 'stride': _tuple(strides, n, 'strides'),
                'dilate': _tuple(dilation, n, 'dilation'), 'pad': _tuple(padding, n, 'padding'),
                'num_filter': channels, 'num_group': groups, 'no_bias': not use_bias,
                'layout': layout}
            if adj is not None:
                self._kwargs['adj'] = adj
            self.weight = self.params.get(
                'weight', shape=_weight_shape(op_name, layout, channels, in_channels, groups,
                                              kernel_size),
                init=weight_initializer, allow_deferred_init=True)
            if use_bias:
                self.bias = self.params.get('bias', shape=(channels,), init=bias_initializer,
                                            allow_deferred_init=True)
            else:
                self.bias = None
            self.act = Activation(activation, prefix=activation + '_') \
                if activation is not None else None

    def _alias(self):
        return 'conv'

    def infer_shape(self, x, *args):
        k = self._kwargs
        in_channels = x.shape[k['layout'].find('C')]
        self.weight.shape = _weight_shape(self._op_name, k['layout'], self._channels,
                                          in_channels, k['num_group'], k['kernel'])

    def hybrid_forward(self, F, x, weight, bias=None):
        op = getattr(F, self._op_name)
        out = op(x, weight, name='fwd', **self._kwargs) if bias is None else \
            op(x, weight, bias, name='fwd', **self._kwargs)
        return self.act(out) if self.act is not None else out

    def __repr__(self):
        return _conv_repr(self, self._kwargs, self.weight, self.bias)


def _conv_repr(block, k, weight, bias):
    """MXNet's repr of a convolution layer with settings `k`, Parameters weight and bias."""
    n = len(k['kernel'])
    s = '{name}({mapping}, kernel_size={kernel}, stride={stride}'
    if k['pad'] != (0,) * n:
        s += ', padding={pad}'
    if k['dilate'] != (1,) * n:
        s += ', dilation={dilate}'
    # MXNet checks `out_pad` but stores `outpad`, so output_padding is never shown
    if k['num_group'] != 1:
        s += ', groups={num_group}'
    if bias is None:
        s += ', bias=False'
    if block.act:
        s += ', {}'.format(block.act)
    s += ')'
    shape = weight.shape
    return s.format(name=block.__class__.__name__,
                    mapping='{0} -> {1}'.format(shape[1] if shape[1] else None, shape[0]), **k)


class Conv1D(_Conv):
    """1D convolution layer (e.g. temporal convolution); arguments as in `_Conv`."""

    def __init__(self, channels, kernel_size, strides=1, padding=0, dilation=1, groups=1,
                 layout='NCW', activation=None, use_bias=True, weight_initializer=None,
                 bias_initializer='zeros', in_channels=0, **kwargs):
        assert layout in ('NCW', 'NWC'), "Only supports 'NCW' and 'NWC' layout for now"
        super().__init__(channels, _tuple(kernel_size, 1, 'kernel_size'), strides, padding,
                         dilation, groups, layout, in_channels, activation, use_bias,
                         weight_initializer, bias_initializer, **kwargs)


class Conv2D(_Conv):
    """2D convolution layer (e.g. spatial convolution over images); see `_Conv`."""

    def __init__(self, channels, kernel_size, strides=(1, 1), padding=(0, 0),
                 dilation=(1, 1), groups=1, layout='NCHW', activation=None, use_bias=True,
                 weight_initializer=None, bias_initializer='zeros', in_channels=0, **kwargs):
        assert layout in ('NCHW', 'NHWC'), "Only supports 'NCHW' and 'NHWC' layout for now"
        super().__init__(channels, _tuple(kernel_size, 2, 'kernel_size'), strides, padding,
                         dilation, groups, layout, in_channels, activation, use_bias,
                         weight_initializer, bias_initializer, **kwargs)


class Conv3D(_Conv):
    """3D convolution layer (e.g. over volumes or video); see `_Conv`."""

    def __init__(self, channels, kernel_size, strides=(1, 1, 1), padding=(0, 0, 0),
                 dilation=(1, 1, 1), groups=1, layout='NCDHW', activation=None, use_bias=True,
                 weight_initializer=None, bias_initializer='zeros', in_channels=0, **kwargs):
        assert layout in ('NCDHW', 'NDHWC'), "Only supports 'NCDHW' and 'NDHWC' layout for now"
        super().__init__(channels, _tuple(kernel_size, 3, 'kernel_size'), strides, padding,
                         dilation, groups, layout, in_channels, activation, use_bias,
                         weight_initializer, bias_initializer, **kwargs)


class Conv1DTranspose(_Conv):
    """1D transposed convolution (deconvolution); `output_padding` pads one side of the output."""

    def __init__(self, channels, kernel_size, strides=1, padding=0, output_padding=0,
                 dilation=1, groups=1, layout='NCW', activation=None, use_bias=True,
                 weight_initializer=None, bias_initializer='zeros', in_channels=0, **kwargs):
        assert layout == 'NCW', "Only supports 'NCW' layout for now"
        self.outpad = _tuple(output_padding, 1, 'output_padding')
        super().__init__(channels, _tuple(kernel_size, 1, 'kernel_size'), strides, padding,
                         dilation, groups, layout, in_channels, activation, use_bias,
                         weight_initializer, bias_initializer, op_name='Deconvolution',
                         adj=self.outpad, **kwargs)


class Conv2DTranspose(_Conv):
    """2D transposed convolution (deconvolution); see `Conv1DTranspose`."""

    def __init__(self, channels, kernel_size, strides=(1, 1), padding=(0, 0),
                 output_padding=(0, 0), dilation=(1, 1), groups=1, layout='NCHW',
                 activation=None, use_bias=True, weight_initializer=None,
                 bias_initializer='zeros', in_channels=0, **kwargs):
        assert layout in ('NCHW', 'NHWC'), "Only supports 'NCHW' and 'NHWC' layout for now"
        self.outpad = _tuple(output_padding, 2, 'output_padding')
        super().__init__(channels, _tuple(kernel_size, 2, 'kernel_size'), strides, padding,
                         dilation, groups, layout, in_channels, activation, use_bias,
                         weight_initializer, bias_initializer, op_name='Deconvolution',
                         adj=self.outpad, **kwargs)


class Conv3DTranspose(_Conv):
    """3D transposed convolution (deconvolution); see `Conv1DTranspose`."""

    def __init__(self, channels, kernel_size, strides=(1, 1, 1), padding=(0, 0, 0),
                 output_padding=(0, 0, 0), dilation=(1, 1, 1), groups=1, layout='NCDHW',
                 activation=None, use_bias=True, weight_initializer=None,
                 bias_initializer='zeros', in_channels=0, **kwargs):
        assert layout in ('NCDHW', 'NDHWC'), "Only supports 'NCDHW' and 'NDHWC' layout for now"
        self.outpad = _tuple(output_padding, 3, 'output_padding')
        super().__init__(channels, _tuple(kernel_size, 3, 'kernel_size'), strides, padding,
                         dilation, groups, layout, in_channels, activation, use_bias,
                         weight_initializer, bias_initializer, op_name='Deconvolution',
                         adj=self.outpad, **kwargs)


class _Pooling(HybridBlock):
    """Pooling over the spatial axes (the base of the Max/Avg/Global pool layers)."""

    def __init__(self, pool_size, strides, padding, ceil_mode, global_pool, pool_type,
                 layout, count_include_pad=None, **kwargs):
        super().__init__(**kwargs)
        n = len(pool_size)
        if strides is None:
            strides = pool_size
        self._kwargs = {
            'kernel': pool_size, 'stride': _tuple(strides, n, 'strides'),
            'pad': _tuple(padding, n, 'padding'), 'global_pool': global_pool,
            'pool_type': pool_type, 'layout': layout,
            'pooling_convention': 'full' if ceil_mode else 'valid'}
        if count_include_pad is not None:
            self._kwargs['count_include_pad'] = count_include_pad

    def _alias(self):
        return 'pool'

    def hybrid_forward(self, F, x):
        return F.Pooling(x, name='fwd', **self._kwargs)

    def __repr__(self):
        s = '{name}(size={kernel}, stride={stride}, padding={pad}, ceil_mode={ceil_mode}'
        s += ', global_pool={global_pool}, pool_type={pool_type}, layout={layout})'
        return s.format(name=self.__class__.__name__,
                        ceil_mode=self._kwargs['pooling_convention'] == 'full', **self._kwargs)


def _check(layout, n):
    assert layout in _LAYOUTS[n], "Only %s and %s layouts are valid for %dD Pooling" % (
        _LAYOUTS[n] + (n,))
    return layout


class MaxPool1D(_Pooling):
    """Max pooling over 1D (temporal) data; window `pool_size`, stride default = window."""

    def __init__(self, pool_size=2, strides=None, padding=0, layout='NCW', ceil_mode=False,
                 **kwargs):
        super().__init__(_tuple(pool_size, 1, 'pool_size'), strides, padding, ceil_mode,
                         False, 'max', _check(layout, 1), **kwargs)


class MaxPool2D(_Pooling):
    """Max pooling over 2D (spatial) data; see `MaxPool1D`."""

    def __init__(self, pool_size=(2, 2), strides=None, padding=0, layout='NCHW',
                 ceil_mode=False, **kwargs):
        super().__init__(_tuple(pool_size, 2, 'pool_size'), strides, padding, ceil_mode,
                         False, 'max', _check(layout, 2), **kwargs)


class MaxPool3D(_Pooling):
    """Max pooling over 3D (volumetric) data; see `MaxPool1D`."""

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding=0, ceil_mode=False,
                 layout='NCDHW', **kwargs):
        super().__init__(_tuple(pool_size, 3, 'pool_size'), strides, padding, ceil_mode,
                         False, 'max', _check(layout, 3), **kwargs)


class AvgPool1D(_Pooling):
    """Average pooling over 1D data; `count_include_pad` counts padded zeros in the mean."""

    def __init__(self, pool_size=2, strides=None, padding=0, layout='NCW', ceil_mode=False,
                 count_include_pad=True, **kwargs):
        super().__init__(_tuple(pool_size, 1, 'pool_size'), strides, padding, ceil_mode,
                         False, 'avg', _check(layout, 1), count_include_pad, **kwargs)


class AvgPool2D(_Pooling):
    """Average pooling over 2D data; see `AvgPool1D`."""

    def __init__(self, pool_size=(2, 2), strides=None, padding=0, ceil_mode=False,
                 layout='NCHW', count_include_pad=True, **kwargs):
        super().__init__(_tuple(pool_size, 2, 'pool_size'), strides, padding, ceil_mode,
                         False, 'avg', _check(layout, 2), count_include_pad, **kwargs)


class AvgPool3D(_Pooling):
    """Average pooling over 3D data; see `AvgPool1D`."""

    def __init__(self, pool_size=(2, 2, 2), strides=None, padding=0, ceil_mode=False,
                 layout='NCDHW', count_include_pad=True, **kwargs):
        super().__init__(_tuple(pool_size, 3, 'pool_size'), strides, padding, ceil_mode,
                         False, 'avg', _check(layout, 3), count_include_pad, **kwargs)


class _GlobalPooling(_Pooling):
    """Pooling over all spatial positions (output spatial size 1)."""
    _ndim, _type = 2, 'max'

    def __init__(self, layout=None, **kwargs):
        n = self._ndim
        super().__init__((1,) * n, None, 0, True, True, self._type,
                         _check(layout or _LAYOUTS[n][0], n), **kwargs)


class GlobalMaxPool1D(_GlobalPooling):
    """Global max pooling over 1D data (layout 'NCW' or 'NWC')."""
    _ndim, _type = 1, 'max'


class GlobalMaxPool2D(_GlobalPooling):
    """Global max pooling over 2D data (layout 'NCHW' or 'NHWC')."""
    _ndim, _type = 2, 'max'


class GlobalMaxPool3D(_GlobalPooling):
    """Global max pooling over 3D data (layout 'NCDHW' or 'NDHWC')."""
    _ndim, _type = 3, 'max'


class GlobalAvgPool1D(_GlobalPooling):
    """Global average pooling over 1D data (layout 'NCW' or 'NWC')."""
    _ndim, _type = 1, 'avg'


class GlobalAvgPool2D(_GlobalPooling):
    """Global average pooling over 2D data (layout 'NCHW' or 'NHWC')."""
    _ndim, _type = 2, 'avg'


class GlobalAvgPool3D(_GlobalPooling):
    """Global average pooling over 3D data (layout 'NCDHW' or 'NDHWC')."""
    _ndim, _type = 3, 'avg'


class ReflectionPad2D(HybridBlock):
    """Pad the two spatial axes of NCHW input by reflecting it at the borders.

    Parameters
    ----------
    padding : int or tuple of 8 ints
        Padding on each side (as MXNet's pad_width, for all four axes).
    """

    def __init__(self, padding=0, **kwargs):
        super().__init__(**kwargs)
        if isinstance(padding, Number):
            padding = (0, 0, 0, 0, padding, padding, padding, padding)
        assert len(padding) == 8
        self._padding = padding

    def hybrid_forward(self, F, x):
        return F.pad(x, mode='reflect', pad_width=self._padding)
