"""Convolutional recurrent cells (MXNet's `gluon.contrib.rnn.conv_rnn_cell`): RNN, LSTM and
GRU cells whose input-to-hidden and hidden-to-hidden maps are convolutions (Shi et al.,
2015, "Convolutional LSTM Network"), in 1, 2 and 3 spatial dimensions.

The states keep the spatial shape of the i2h convolution's output; the h2h convolution is
padded to keep it (dilate * (kernel - 1) / 2 per side, so h2h kernels must be odd).
"""
from math import floor

from ....base import MXNetError
from ...rnn.rnn_cell import HybridRecurrentCell

__all__ = ['Conv1DRNNCell', 'Conv2DRNNCell', 'Conv3DRNNCell',
           'Conv1DLSTMCell', 'Conv2DLSTMCell', 'Conv3DLSTMCell',
           'Conv1DGRUCell', 'Conv2DGRUCell', 'Conv3DGRUCell']


def _tuple(name, what, v, dims):
    if isinstance(v, int):
        return (v,) * dims
    if len(v) != dims:      # MXNet asserts the settings
        raise AssertionError(f"{name}: For {dims}D convolution, the convolution settings can only "
                         f"be either int or list/tuple of length {dims}; {what} is {v!r}")
    return tuple(v)


class _BaseConvRNNCell(HybridRecurrentCell):
    """What the conv cells share: the settings, the Parameters and their shapes, the two
    convolutions; each kind adds only its gate arithmetic (`_step`). `_gates` is the number
    of hidden_channels blocks the convolutions make."""
    _gates = 1

    def __init__(self, input_shape, hidden_channels, i2h_kernel, h2h_kernel, i2h_pad,
                 i2h_dilate, h2h_dilate, i2h_weight_initializer, h2h_weight_initializer,
                 i2h_bias_initializer, h2h_bias_initializer, dims, conv_layout, activation,
                 prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        name = type(self).__name__
        self._hidden_channels = hidden_channels
        self._input_shape = tuple(input_shape)
        self._conv_layout = conv_layout
        self._activation = activation
        self._i2h_kernel = _tuple(name, 'i2h_kernel', i2h_kernel, dims)
        self._i2h_pad = _tuple(name, 'i2h_pad', i2h_pad, dims)
        self._i2h_dilate = _tuple(name, 'i2h_dilate', i2h_dilate, dims)
        self._h2h_kernel = _tuple(name, 'h2h_kernel', h2h_kernel, dims)
        self._h2h_dilate = _tuple(name, 'h2h_dilate', h2h_dilate, dims)
        self._stride = (1,) * dims
        if any(k % 2 == 0 for k in self._h2h_kernel):
            raise AssertionError(f"{name}: Only support odd number, get h2h_kernel= "
                                 f"{h2h_kernel}")
        if len(self._input_shape) != dims + 1:
            raise MXNetError(f"{name}: input_shape must have {dims + 1} values (channels and "
                             f"{dims} spatial sizes, per conv_layout {conv_layout!r}), got "
                             f"{input_shape!r}")
        # the h2h convolution keeps the state's spatial shape
        self._h2h_pad = tuple(d * (k - 1) // 2 for d, k in zip(self._h2h_dilate,
                                                                self._h2h_kernel))
        self._channel_axis = conv_layout.find('C')
        first = self._channel_axis == 1
        in_channels = self._input_shape[0 if first else -1]
        spatial = self._input_shape[1:] if first else self._input_shape[:-1]
        # MXNet's _get_conv_out_size: a size 0 (unknown) stays 0
        out = tuple(int(floor(x + 2 * p - d * (k - 1) - 1) + 1) if x else 0 for x, k, p, d in
                    zip(spatial, self._i2h_kernel, self._i2h_pad, self._i2h_dilate))
        total = hidden_channels * self._gates
        if first:
            i2h_shape = (total, in_channels) + self._i2h_kernel
            h2h_shape = (total, hidden_channels) + self._h2h_kernel
            self._state_shape = (hidden_channels,) + out
        else:
            i2h_shape = (total,) + self._i2h_kernel + (in_channels,)
            h2h_shape = (total,) + self._h2h_kernel + (hidden_channels,)
            self._state_shape = out + (hidden_channels,)
        self.i2h_weight = self.params.get('i2h_weight', shape=i2h_shape,
                                          init=i2h_weight_initializer, allow_deferred_init=True)
        self.h2h_weight = self.params.get('h2h_weight', shape=h2h_shape,
                                          init=h2h_weight_initializer, allow_deferred_init=True)
        self.i2h_bias = self.params.get('i2h_bias', shape=(total,), init=i2h_bias_initializer,
                                        allow_deferred_init=True)
        self.h2h_bias = self.params.get('h2h_bias', shape=(total,), init=h2h_bias_initializer,
                                        allow_deferred_init=True)

    def state_info(self, batch_size=0):
        return [{'shape': (batch_size,) + self._state_shape, '__layout__': self._conv_layout}
                for _ in range(self._n_states)]

    def __repr__(self):
        shape = self.i2h_weight.shape
        in_channels = shape[1 if self._channel_axis == 1 else -1]
        mapping = '{0} -> {1}'.format(in_channels if in_channels else None, shape[0])
        return '{}({}, {}, {})'.format(type(self).__name__, mapping, self._activation,
                                       self._conv_layout)

    def infer_shape(self, inputs, *args):
        # a 0 in input_shape: the i2h weight's input channels are the inputs'
        shape = list(self.i2h_weight.shape)
        shape[1 if self._channel_axis == 1 else -1] = inputs.shape[self._channel_axis]
        self.i2h_weight.shape = tuple(shape)

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        # MXNet names each step's nodes <prefix>t<counter>_i2h, ..._h2h, ..., ..._out
        p = 't%d_' % self._counter
        total = self._hidden_channels * self._gates
        i2h = F.Convolution(data=inputs, weight=i2h_weight, bias=i2h_bias, num_filter=total,
                            kernel=self._i2h_kernel, stride=self._stride, pad=self._i2h_pad,
                            dilate=self._i2h_dilate, layout=self._conv_layout, name=p + 'i2h')
        h2h = F.Convolution(data=states[0], weight=h2h_weight, bias=h2h_bias,
                            num_filter=total, kernel=self._h2h_kernel, stride=self._stride,
                            pad=self._h2h_pad, dilate=self._h2h_dilate,
                            layout=self._conv_layout, name=p + 'h2h')
        return self._step(F, i2h, h2h, states, p)


class _ConvRNNCell(_BaseConvRNNCell):
    _n_states = 1

    def _alias(self):
        return 'conv_rnn'

    def _step(self, F, i2h, h2h, states, p):
        output = self._get_activation(F, i2h + h2h, self._activation, name=p + 'out')
        return output, [output]


class _ConvLSTMCell(_BaseConvRNNCell):
    _gates = 4      # MXNet's order: input, forget, cell candidate, output
    _n_states = 2

    def _alias(self):
        return 'conv_lstm'

    def _step(self, F, i2h, h2h, states, p):
        gates = F.SliceChannel(i2h + h2h, num_outputs=4, axis=self._channel_axis,
                               name=p + 'slice')
        in_gate = F.Activation(gates[0], act_type='sigmoid', name=p + 'i')
        forget_gate = F.Activation(gates[1], act_type='sigmoid', name=p + 'f')
        in_transform = self._get_activation(F, gates[2], self._activation, name=p + 'c')
        out_gate = F.Activation(gates[3], act_type='sigmoid', name=p + 'o')
        next_c = F.elemwise_add(forget_gate * states[1], in_gate * in_transform,
                                name=p + 'state')
        next_h = F.elemwise_mul(out_gate, self._get_activation(F, next_c, self._activation),
                                name=p + 'out')
        return next_h, [next_h, next_c]


class _ConvGRUCell(_BaseConvRNNCell):
    _gates = 3      # MXNet's order: reset, update, new
    _n_states = 1

    def _alias(self):
        return 'conv_gru'

    def _step(self, F, i2h, h2h, states, p):
        i2h_r, i2h_z, i2h = F.SliceChannel(i2h, num_outputs=3, axis=self._channel_axis,
                                           name=p + 'i2h_slice')
        h2h_r, h2h_z, h2h = F.SliceChannel(h2h, num_outputs=3, axis=self._channel_axis,
                                           name=p + 'h2h_slice')
        reset_gate = F.Activation(i2h_r + h2h_r, act_type='sigmoid', name=p + 'r_act')
        update_gate = F.Activation(i2h_z + h2h_z, act_type='sigmoid', name=p + 'z_act')
        candidate = self._get_activation(F, i2h + reset_gate * h2h, self._activation,
                                         name=p + 'h_act')
        next_h = F.elemwise_add((1. - update_gate) * candidate, update_gate * states[0],
                                name=p + 'out')
        return next_h, [next_h]


_DOC = """{dims}D convolutional {kind} cell.

    Parameters
    ----------
    input_shape : tuple of int
        Shape of one step's input for one sample, without batch and time, in conv_layout's
        order (e.g. {example}).
    hidden_channels : int
        Number of output (state) channels.
    i2h_kernel : int or tuple of int
        Input convolution kernel sizes.
    h2h_kernel : int or tuple of int
        Recurrent convolution kernel sizes; odd only.
    i2h_pad : int or tuple of int, default {zeros}
        Input convolution padding.
    i2h_dilate, h2h_dilate : int or tuple of int, default {ones}
        Input and recurrent convolution dilation.
    i2h_weight_initializer, h2h_weight_initializer : str or Initializer
        Initializers of the convolution weights.
    i2h_bias_initializer, h2h_bias_initializer : str or Initializer, default 'zeros'
        Initializers of the biases.
    conv_layout : str, default '{layout}'
        Layout of inputs, states and weights: '{layout}' or '{last}'.
    activation : str or Block, default 'tanh'
        Activation (of the cell candidate and cell state for the LSTM).
    prefix : str, default '{prefix}'
        Prefix of the names.
    params : ParameterDict or None
        Parameters to share.
    """


def _doc(dims, kind):
    layout = {1: 'NCW', 2: 'NCHW', 3: 'NCDHW'}[dims]
    example = {1: "(C, W) for 'NCW'", 2: "(C, H, W) for 'NCHW'",
               3: "(C, D, H, W) for 'NCDHW'"}[dims]
    prefix = {'RNN': 'conv_rnn_', 'LSTM': 'conv_lstm_', 'GRU': 'conv_gru_'}[kind]
    return _DOC.format(dims=dims, kind=kind, example=example, zeros=(0,) * dims,
                       ones=(1,) * dims, layout=layout, last=layout[0] + layout[2:] + 'C',
                       prefix=prefix)


def _cell(name, base, dims, kind):
    """The public class `name`: `base`'s gates in `dims` spatial dimensions, with MXNet's
    per-dimension defaults (the nine MXNet classes differ only in these)."""
    layout = {1: 'NCW', 2: 'NCHW', 3: 'NCDHW'}[dims]

    def __init__(self, input_shape, hidden_channels, i2h_kernel, h2h_kernel,
                 i2h_pad=(0,) * dims, i2h_dilate=(1,) * dims, h2h_dilate=(1,) * dims,
                 i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer='zeros', h2h_bias_initializer='zeros',
                 conv_layout=layout, activation='tanh', prefix=None, params=None):
        base.__init__(self, input_shape, hidden_channels, i2h_kernel, h2h_kernel, i2h_pad,
                      i2h_dilate, h2h_dilate, i2h_weight_initializer, h2h_weight_initializer,
                      i2h_bias_initializer, h2h_bias_initializer, dims, conv_layout,
                      activation, prefix, params)

    __init__.__qualname__ = name + '.__init__'
    return type(name, (base,), {'__init__': __init__, '__doc__': _doc(dims, kind),
                                '__module__': __name__})


Conv1DRNNCell = _cell('Conv1DRNNCell', _ConvRNNCell, 1, 'RNN')
Conv2DRNNCell = _cell('Conv2DRNNCell', _ConvRNNCell, 2, 'RNN')
Conv3DRNNCell = _cell('Conv3DRNNCell', _ConvRNNCell, 3, 'RNN')
Conv1DLSTMCell = _cell('Conv1DLSTMCell', _ConvLSTMCell, 1, 'LSTM')
Conv2DLSTMCell = _cell('Conv2DLSTMCell', _ConvLSTMCell, 2, 'LSTM')
Conv3DLSTMCell = _cell('Conv3DLSTMCell', _ConvLSTMCell, 3, 'LSTM')
Conv1DGRUCell = _cell('Conv1DGRUCell', _ConvGRUCell, 1, 'GRU')
Conv2DGRUCell = _cell('Conv2DGRUCell', _ConvGRUCell, 2, 'GRU')
Conv3DGRUCell = _cell('Conv3DGRUCell', _ConvGRUCell, 3, 'GRU')
