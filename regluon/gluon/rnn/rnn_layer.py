"""Fused recurrent layers RNN, LSTM and GRU: one call of the `RNN` operator per sequence.

The Parameters are MXNet's (`l0_i2h_weight`, ..., `r0_h2h_bias` for the reverse direction,
`l0_h2r_weight` for an LSTM's projection); each call flattens and concatenates them in the
operator's packing order.
"""
import re

from ... import ndarray as nd
from ...base import MXNetError
from ... import symbol
from ...ndarray import NDArray
from ...numpy import _mode as _npmode
from ..block import HybridBlock

__all__ = ['RNN', 'LSTM', 'GRU']

_GATES = {'rnn_relu': 1, 'rnn_tanh': 1, 'lstm': 4, 'gru': 3}


class _RNNLayer(HybridBlock):
    """What RNN, LSTM and GRU share: the Parameters, states and the call of the `RNN` op."""

    def __init__(self, hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                 i2h_weight_initializer, h2h_weight_initializer, i2h_bias_initializer,
                 h2h_bias_initializer, mode, dtype, use_sequence_length=False,
                 projection_size=None, h2r_weight_initializer=None, lstm_state_clip_min=None,
                 lstm_state_clip_max=None, lstm_state_clip_nan=False, **kwargs):
        super().__init__(**kwargs)
        if layout not in ('TNC', 'NTC'):
            raise ValueError(f"Invalid layout {layout}; must be one of ['TNC' or 'NTC']")
        self._hidden_size, self._num_layers, self._mode = hidden_size, num_layers, mode
        self._layout, self._dropout, self._dir = layout, dropout, 2 if bidirectional else 1
        self._input_size, self._dtype = input_size, dtype
        self._use_sequence_length = use_sequence_length
        self._skip_states = False       # whether the last call was given no states
        self._exporting = False         # export() is calling on the graph's flat inputs
        self._gates = _GATES[mode]
        self._projection_size = projection_size or None
        self._clip = (lstm_state_clip_min, lstm_state_clip_max, lstm_state_clip_nan)
        self._inits = {'i2h_weight_initializer': i2h_weight_initializer,
                       'h2h_weight_initializer': h2h_weight_initializer,
                       'i2h_bias_initializer': i2h_bias_initializer,
                       'h2h_bias_initializer': h2h_bias_initializer}
        # with projection, h (what the next step and the next layer see) has projection_size
        ng, ni, nh, nr = self._gates, input_size, hidden_size, projection_size or hidden_size
        for i in range(num_layers):
            for j in ['l', 'r'][:self._dir]:
                specs = [('i2h_weight', (ng * nh, ni), i2h_weight_initializer),
                         ('h2h_weight', (ng * nh, nr), h2h_weight_initializer),
                         ('i2h_bias', (ng * nh,), i2h_bias_initializer),
                         ('h2h_bias', (ng * nh,), h2h_bias_initializer)]
                if self._projection_size:
                    specs.append(('h2r_weight', (nr, nh), h2r_weight_initializer))
                for name, shape, init in specs:
                    full = '%s%d_%s' % (j, i, name)
                    setattr(self, full, self.params.get(full, shape=shape, init=init,
                                                        allow_deferred_init=True, dtype=dtype))
            ni = nr * self._dir

    def __repr__(self):
        s = '{name}({mapping}, {_layout}'
        if self._num_layers != 1:
            s += ', num_layers={_num_layers}'
        if self._dropout != 0:
            s += ', dropout={_dropout}'
        if self._dir == 2:
            s += ', bidirectional'
        s += ')'
        shape = self.l0_i2h_weight.shape
        mapping = '{0} -> {1}'.format(shape[1] if shape[1] else None, shape[0] // self._gates)
        return s.format(name=self.__class__.__name__, mapping=mapping, **self.__dict__)

    def _collect_params_with_prefix(self, prefix=''):
        # MXNet saves the fused layer under the names of the cells it once was made of
        # ('_unfused.0.i2h_weight', '_unfused.0.l_cell.i2h_weight'); files depend on it
        if prefix:
            prefix += '.'
        pattern = re.compile(r'(l|r)(\d+)_(i2h|h2h|h2r)_(weight|bias)\Z')

        def convert(key):
            d, layer, g, t = pattern.match(key).groups()
            cell = '%s_cell.' % d if self._dir == 2 else ''
            return '_unfused.%s.%s%s_%s' % (layer, cell, g, t)
        return {prefix + convert(k): v for k, v in self._reg_params.items()}

    def infer_shape(self, inputs, *args):
        if inputs.ndim != 3:
            raise ValueError("Input data should be rank-3 tensor of dim [sequence length, "
                             f"batch size, input size], got shape {inputs.shape}")
        ni = inputs.shape[2]
        for i in range(self._num_layers):
            for j in ['l', 'r'][:self._dir]:
                getattr(self, '%s%d_i2h_weight' % (j, i)).shape = \
                    (self._gates * self._hidden_size, ni)
            ni = (self._projection_size or self._hidden_size) * self._dir

    def cast(self, dtype):
        super().cast(dtype)
        self._dtype = dtype

    def state_info(self, batch_size=0):
        """Shape and layout of the begin states: one, or two (h, c) for LSTM (h has
        projection_size when there is a projection)."""
        shape = (self._num_layers * self._dir, batch_size, self._hidden_size)
        if self._mode != 'lstm':
            return [{'shape': shape, '__layout__': 'LNC'}]
        h_shape = shape[:2] + (self._projection_size or self._hidden_size,)
        return [{'shape': h_shape, '__layout__': 'LNC'}, {'shape': shape, '__layout__': 'LNC'}]

    def begin_state(self, batch_size=0, func=nd.zeros, **kwargs):
        """Initial states for this layer.

        Parameters
        ----------
        batch_size : int
            Size of the batch ('N' in layout).
        func : callable, default nd.zeros
            Function making each state, called as `func(name=..., shape=..., **kwargs)`.
        **kwargs :
            More arguments to `func`: ctx, dtype, ...
        """
        states = []
        for i, info in enumerate(self.state_info(batch_size)):
            info.update(kwargs)
            states.append(func(name='%sh0_%d' % (self.prefix, i), **info))
        return _npmode.batch(states) if _npmode.active else states   # npx.set_np(): np

    def __call__(self, inputs, states=None, sequence_length=None, *flat):
        """Run the layer: `output`, or `(output, states)` when states are given."""
        n_states = len(self.state_info())
        if (n_states > 1 and isinstance(states, (NDArray, symbol.Symbol))
                and sequence_length is not None) or self._exporting:
            # the graph's flat inputs (export calls the layer on data0, data1, ...): the
            # states one by one, then sequence_length; outputs as in the last real call
            flat = [a for a in (states, sequence_length) if a is not None] + list(flat)
            states, rest = flat[:n_states], flat[n_states:]
            sequence_length = rest[0] if rest else None
            out = super().__call__(inputs, *flat)
            return out[0] if self._skip_states else (out[0], list(out[1:]))
        skip_states = self._skip_states = states is None
        if skip_states:
            if isinstance(inputs, NDArray):
                batch_size = inputs.shape[self._layout.find('N')]
                states = self.begin_state(batch_size, ctx=inputs.context, dtype=inputs.dtype)
            else:
                states = self._symbol_states(inputs)
        if isinstance(states, (NDArray, symbol.Symbol)):
            states = [states]
        if isinstance(inputs, NDArray):
            batch_size = inputs.shape[self._layout.find('N')]
            for state, info in zip(states, self.state_info(batch_size)):
                if state.shape != info['shape']:
                    raise ValueError("Invalid recurrent state shape. Expecting %s, got %s."
                                     % (str(info['shape']), str(state.shape)))
        # states travel as separate inputs, so a hybridized layer traces them as graph inputs
        args = list(states) + ([sequence_length] if self._use_sequence_length else [])
        out = super().__call__(inputs, *args)
        return out[0] if skip_states else (out[0], list(out[1:]))

    def _unfuse(self):
        """The layer as a stack of cells sharing its Parameters (MXNet's `_unfuse`): a
        HybridSequentialRNNCell of l<i>_/r<i>_ cells, BidirectionalCell pairs, DropoutCells."""
        from . import rnn_cell, rnn_cell_wrappers
        if self._projection_size:
            raise MXNetError("_unfuse does not support projection layer yet!")
        if self._clip[0] is not None or self._clip[1] is not None:
            raise MXNetError("_unfuse does not support state clipping yet!")
        size = self._hidden_size
        make = {'rnn_relu': lambda **kw: rnn_cell.RNNCell(size, activation='relu', **kw),
                'rnn_tanh': lambda **kw: rnn_cell.RNNCell(size, activation='tanh', **kw),
                'lstm': lambda **kw: rnn_cell.LSTMCell(size, **kw),
                'gru': lambda **kw: rnn_cell.GRUCell(size, **kw)}[self._mode]
        stack = rnn_cell_wrappers.HybridSequentialRNNCell(prefix=self.prefix,
                                                          params=self.params)
        with stack.name_scope():
            ni = self._input_size
            for i in range(self._num_layers):
                kw = dict(self._inits, input_size=ni)
                if self._dir == 2:
                    stack.add(rnn_cell_wrappers.BidirectionalCell(
                        make(prefix='l%d_' % i, **kw), make(prefix='r%d_' % i, **kw)))
                else:
                    stack.add(make(prefix='l%d_' % i, **kw))
                if self._dropout > 0 and i != self._num_layers - 1:
                    stack.add(rnn_cell_wrappers.DropoutCell(self._dropout))
                ni = size * self._dir
        return stack

    def export(self, path, epoch=0, remove_amp_cast=True):
        """As HybridBlock.export. The graph's outputs are those of the last call: the output
        alone when it was given no states (MXNet decides that inside the graph)."""
        self._exporting = True
        try:
            super().export(path, epoch, remove_amp_cast)
        finally:
            self._exporting = False

    def _symbol_states(self, inputs):
        """Zero states shaped from a Symbol input (its batch size is known only at run time)."""
        t_axis = self._layout.find('T')
        step = symbol.slice_axis(inputs, axis=t_axis, begin=0, end=1)
        zero = symbol.zeros_like(symbol.slice_axis(step, axis=2, begin=0, end=1))
        if self._layout == 'NTC':
            zero = symbol.swapaxes(zero, dim1=0, dim2=1)
        return [symbol.broadcast_axis(zero, axis=(0, 2), size=(info['shape'][0],
                                                                info['shape'][2]))
                for info in self.state_info()]

    def _lstm_kwargs(self):
        """The RNN operator's projection and clipping arguments, always given (MXNet's layer
        passes them, and its graph writes them: projection_size "None")."""
        return dict(projection_size=self._projection_size, lstm_state_clip_min=self._clip[0],
                    lstm_state_clip_max=self._clip[1], lstm_state_clip_nan=self._clip[2])

    @staticmethod
    def _flat_param(F, p):
        """A parameter as one row, as MXNet's `p.reshape(-1)` builds it: `Reshape(shape=-1)`
        (np mode: `_np_reshape(newshape=(-1,), order='C')`)."""
        if _npmode.np_tracing(F):
            return p.as_np_ndarray().reshape(-1).as_nd_ndarray()
        return F.reshape(p, shape=-1)

    def hybrid_forward(self, F, inputs, *args, **params):
        n_states = len(self.state_info())
        states, sequence_length = args[:n_states], args[n_states:]
        if self._layout == 'NTC':
            inputs = F.swapaxes(inputs, dim1=0, dim2=1)
        flat = [self._flat_param(F, params['%s%d_%s_%s' % (d, i, g, t)])
                for t in ['weight', 'bias']
                for i in range(self._num_layers)
                for d in ['l', 'r'][:self._dir]
                for g in ['i2h', 'h2h', 'h2r'][:3 if self._projection_size else 2]
                if g != 'h2r' or t != 'bias']
        cell = {'state_cell': states[1]} if self._mode == 'lstm' else {}
        if self._use_sequence_length:
            cell['sequence_length'] = sequence_length[0]
        # MXNet joins them with _rnn_param_concat (named as its np-mode function there)
        params = F._internal._rnn_param_concat(*flat, dim=0,
                                               **_npmode.node_hint(F, 'rnn_param_concat'))
        out = F.RNN(inputs, params, state=states[0], **cell,
                    use_sequence_length=self._use_sequence_length,
                    state_size=self._hidden_size, num_layers=self._num_layers,
                    bidirectional=self._dir == 2, p=self._dropout, state_outputs=True,
                    mode=self._mode, **self._lstm_kwargs())
        outputs, new_states = out[0], list(out[1:])
        if self._layout == 'NTC':
            outputs = F.swapaxes(outputs, dim1=0, dim2=1)
        return [outputs] + new_states


class RNN(_RNNLayer):
    r"""Multi-layer Elman RNN with `tanh` or `relu` non-linearity, applied to a sequence.

    Parameters
    ----------
    hidden_size : int
        The number of features in the hidden state h.
    num_layers : int, default 1
        Number of recurrent layers.
    activation : {'relu' or 'tanh'}, default 'relu'
        The activation function to use.
    layout : str, default 'TNC'
        The format of input and output tensors: 'TNC' or 'NTC'.
    dropout : float, default 0
        Dropout on the outputs of each layer but the last.
    bidirectional : bool, default False
        Whether the layer is bidirectional.
    i2h_weight_initializer, h2h_weight_initializer : str or Initializer
        Initializers of the input and recurrent weight matrices.
    i2h_bias_initializer, h2h_bias_initializer : str or Initializer, default 'zeros'
        Initializers of the biases.
    input_size : int, default 0
        The number of expected features in the input; 0 infers it on the first forward.
    dtype : str, default 'float32'
        Type of the Parameters.
    """

    def __init__(self, hidden_size, num_layers=1, activation='relu', layout='TNC', dropout=0,
                 bidirectional=False, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer='zeros', h2h_bias_initializer='zeros', input_size=0,
                 dtype='float32', **kwargs):
        if activation not in ('relu', 'tanh'):
            raise ValueError(f"RNN: activation must be 'relu' or 'tanh', got {activation!r}")
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                         i2h_weight_initializer, h2h_weight_initializer,
                         i2h_bias_initializer, h2h_bias_initializer, 'rnn_' + activation,
                         dtype, **kwargs)


class LSTM(_RNNLayer):
    r"""Multi-layer long short-term memory (LSTM) RNN, applied to a sequence.

    Parameters are those of `RNN` without `activation`; the states are [h, c], and
    projection_size : int, default None
        Project each hidden state h to this size with a per-layer `h2r_weight`
        (projection_size, hidden_size); the outputs and the state h then have this size.
    h2r_weight_initializer : str or Initializer, default None
        Initializer of the projection weights.
    state_clip_min, state_clip_max : float or None, default None
        Clip the cell state c to [state_clip_min, state_clip_max] after every step; give
        both or neither. None does not clip.
    state_clip_nan : bool, default False
        With clipping, map a NaN cell state to state_clip_min instead of propagating it.
    """

    def __init__(self, hidden_size, num_layers=1, layout='TNC', dropout=0, bidirectional=False,
                 input_size=0, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer='zeros', h2h_bias_initializer='zeros',
                 projection_size=None, h2r_weight_initializer=None, state_clip_min=None,
                 state_clip_max=None, state_clip_nan=False, dtype='float32', **kwargs):
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                         i2h_weight_initializer, h2h_weight_initializer,
                         i2h_bias_initializer, h2h_bias_initializer, 'lstm', dtype,
                         projection_size=projection_size,
                         h2r_weight_initializer=h2r_weight_initializer,
                         lstm_state_clip_min=state_clip_min, lstm_state_clip_max=state_clip_max,
                         lstm_state_clip_nan=state_clip_nan, **kwargs)


class GRU(_RNNLayer):
    r"""Multi-layer gated recurrent unit (GRU) RNN, applied to a sequence.

    Parameters are those of `RNN` without `activation`.
    """

    def __init__(self, hidden_size, num_layers=1, layout='TNC', dropout=0, bidirectional=False,
                 input_size=0, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer='zeros', h2h_bias_initializer='zeros', dtype='float32',
                 **kwargs):
        super().__init__(hidden_size, num_layers, layout, dropout, bidirectional, input_size,
                         i2h_weight_initializer, h2h_weight_initializer,
                         i2h_bias_initializer, h2h_bias_initializer, 'gru', dtype, **kwargs)
