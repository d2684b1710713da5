"""MXNet 1.x's convolutional `mx.rnn` cells: ConvRNNCell, ConvLSTMCell, ConvGRUCell (the
i2h and h2h transforms are Convolutions; states are images of `num_hidden` channels)."""
import functools

from .. import symbol
from .rnn_cell import BaseRNNCell

__all__ = ['BaseConvRNNCell', 'ConvRNNCell', 'ConvLSTMCell', 'ConvGRUCell']

_LEAKY = functools.partial(symbol.LeakyReLU, act_type='leaky', slope=0.2)


class BaseConvRNNCell(BaseRNNCell):
    """Abstract base class of the convolutional RNN cells.

    Parameters
    ----------
    input_shape : tuple of int
        Shape of one time step's input, e.g. (batch, channels, height, width).
    num_hidden : int
        Channels of the state.
    h2h_kernel, h2h_dilate : tuple of int
        The state-to-state Convolution (odd kernel; padded to keep the size).
    i2h_kernel, i2h_stride, i2h_pad, i2h_dilate : tuple of int
        The input-to-state Convolution.
    i2h_weight_initializer, h2h_weight_initializer : str or Initializer
    i2h_bias_initializer, h2h_bias_initializer : str or Initializer
    activation : str or callable
    prefix : str
    params : RNNParams, optional
    conv_layout : str, default 'NCHW'
    Defaults: 3x3 kernels with padding 1, LeakyReLU(slope 0.2), zero biases, prefix
    'ConvRNN_', 'ConvLSTM_' or 'ConvGRU_'.
    """
    _default_prefix = ''

    # the defaults are ConvRNNCell/ConvLSTMCell/ConvGRUCell's, which take the same arguments
    def __init__(self, input_shape, num_hidden, h2h_kernel=(3, 3), h2h_dilate=(1, 1),
                 i2h_kernel=(3, 3), i2h_stride=(1, 1), i2h_pad=(1, 1), i2h_dilate=(1, 1),
                 i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer='zeros', h2h_bias_initializer='zeros',
                 activation=_LEAKY, prefix=None, params=None, conv_layout='NCHW'):
        super().__init__(prefix=self._default_prefix if prefix is None else prefix,
                         params=params)
        self._h2h_kernel = h2h_kernel
        assert (self._h2h_kernel[0] % 2 == 1) and (self._h2h_kernel[1] % 2 == 1), \
            "Only support odd number, get h2h_kernel= %s" % str(h2h_kernel)
        self._h2h_pad = (h2h_dilate[0] * (h2h_kernel[0] - 1) // 2,
                         h2h_dilate[1] * (h2h_kernel[1] - 1) // 2)
        self._h2h_dilate = h2h_dilate
        self._i2h_kernel = i2h_kernel
        self._i2h_stride = i2h_stride
        self._i2h_pad = i2h_pad
        self._i2h_dilate = i2h_dilate
        self._num_hidden = num_hidden
        self._input_shape = input_shape
        self._conv_layout = conv_layout
        self._activation = activation
        # MXNet infers the state shape with a throw-away Convolution (which takes a name,
        # 'convolution<n>', from the NameManager: later automatic names count on)
        conv = symbol.Convolution(data=symbol.Variable('data'), num_filter=num_hidden,
                                  kernel=i2h_kernel, stride=i2h_stride, pad=i2h_pad,
                                  dilate=i2h_dilate, layout=conv_layout)
        self._state_shape = (0,) + tuple(conv.infer_shape(data=input_shape)[1][0][1:])
        self._iW = self.params.get('i2h_weight', init=i2h_weight_initializer)
        self._hW = self.params.get('h2h_weight', init=h2h_weight_initializer)
        self._iB = self.params.get('i2h_bias', init=i2h_bias_initializer)
        self._hB = self.params.get('h2h_bias', init=h2h_bias_initializer)

    @property
    def _num_gates(self):
        return len(self._gate_names)

    @property
    def state_info(self):
        return [{'shape': self._state_shape, '__layout__': self._conv_layout},
                {'shape': self._state_shape, '__layout__': self._conv_layout}]

    def _conv_forward(self, inputs, states, name):
        i2h = symbol.Convolution(name='%si2h' % name, data=inputs,
                                 num_filter=self._num_hidden * self._num_gates,
                                 kernel=self._i2h_kernel, stride=self._i2h_stride,
                                 pad=self._i2h_pad, dilate=self._i2h_dilate,
                                 weight=self._iW, bias=self._iB, layout=self._conv_layout)
        h2h = symbol.Convolution(name='%sh2h' % name, data=states[0],
                                 num_filter=self._num_hidden * self._num_gates,
                                 kernel=self._h2h_kernel, dilate=self._h2h_dilate,
                                 pad=self._h2h_pad, stride=(1, 1),
                                 weight=self._hW, bias=self._hB, layout=self._conv_layout)
        return i2h, h2h

    def __call__(self, inputs, states):
        raise NotImplementedError("BaseConvRNNCell is abstract class for convolutional RNN")


class ConvRNNCell(BaseConvRNNCell):
    """Convolutional RNN cell: out = activation(conv_i2h(x) + conv_h2h(h)); default
    activation LeakyReLU(slope 0.2), prefix 'ConvRNN_'. Parameters as BaseConvRNNCell."""
    _default_prefix = 'ConvRNN_'

    @property
    def _gate_names(self):
        return ('',)

    @property
    def state_info(self):
        return [{'shape': self._state_shape, '__layout__': self._conv_layout}]

    def __call__(self, inputs, states):
        self._counter += 1
        name = '%st%d_' % (self._prefix, self._counter)
        i2h, h2h = self._conv_forward(inputs, states, name)
        output = self._get_activation(i2h + h2h, self._activation, name='%sout' % name)
        return output, [output]


class ConvLSTMCell(BaseConvRNNCell):
    """Convolutional LSTM cell (Xingjian et al., NIPS 2015), prefix 'ConvLSTM_'.
    Parameters as BaseConvRNNCell."""
    _default_prefix = 'ConvLSTM_'

    @property
    def _gate_names(self):
        return ['_i', '_f', '_c', '_o']

    def __call__(self, inputs, states):
        self._counter += 1
        name = '%st%d_' % (self._prefix, self._counter)
        i2h, h2h = self._conv_forward(inputs, states, name)
        gates = i2h + h2h
        slice_gates = symbol.SliceChannel(gates, num_outputs=4,
                                          axis=self._conv_layout.find('C'),
                                          name='%sslice' % name)
        in_gate = symbol.Activation(slice_gates[0], act_type='sigmoid', name='%si' % name)
        forget_gate = symbol.Activation(slice_gates[1], act_type='sigmoid', name='%sf' % name)
        in_transform = self._get_activation(slice_gates[2], self._activation,
                                            name='%sc' % name)
        out_gate = symbol.Activation(slice_gates[3], act_type='sigmoid', name='%so' % name)
        next_c = symbol.elemwise_add(forget_gate * states[1], in_gate * in_transform,
                                     name='%sstate' % name)
        next_h = symbol.elemwise_mul(out_gate, self._get_activation(next_c, self._activation),
                                     name='%sout' % name)
        return next_h, [next_h, next_c]


class ConvGRUCell(BaseConvRNNCell):
    """Convolutional GRU cell, prefix 'ConvGRU_'. Parameters as BaseConvRNNCell."""
    _default_prefix = 'ConvGRU_'

    @property
    def _gate_names(self):
        return ['_r', '_z', '_o']

    @property
    def state_info(self):
        return [{'shape': self._state_shape, '__layout__': self._conv_layout}]

    def __call__(self, inputs, states):
        self._counter += 1
        name = '%st%d_' % (self._prefix, self._counter)
        i2h, h2h = self._conv_forward(inputs, states, name)
        i2h_r, i2h_z, i2h = symbol.SliceChannel(i2h, num_outputs=3, name='%s_i2h_slice' % name)
        h2h_r, h2h_z, h2h = symbol.SliceChannel(h2h, num_outputs=3, name='%s_h2h_slice' % name)
        reset_gate = symbol.Activation(i2h_r + h2h_r, act_type='sigmoid',
                                       name='%s_r_act' % name)
        update_gate = symbol.Activation(i2h_z + h2h_z, act_type='sigmoid',
                                        name='%s_z_act' % name)
        next_h_tmp = self._get_activation(i2h + reset_gate * h2h, self._activation,
                                          name='%s_h_act' % name)
        next_h = symbol.elemwise_add((1. - update_gate) * next_h_tmp,
                                     update_gate * states[0], name='%sout' % name)
        return next_h, [next_h]
