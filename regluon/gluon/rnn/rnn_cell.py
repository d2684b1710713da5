"""Recurrent cells: one time step per call, `unroll` over a sequence (MXNet 1.x's rnn_cell).

A cell's `hybrid_forward(F, inputs, states, **params)` returns `(output, new_states)` with
F ops (FullyConnected, SliceChannel, Activation...), so it traces inside a hybridized parent.
"""

from ... import ndarray
from ... import symbol
from ...ndarray import NDArray
from ..block import Block, HybridBlock

__all__ = ['RecurrentCell', 'HybridRecurrentCell', 'RNNCell', 'LSTMCell', 'GRUCell',
           'SequentialRNNCell', 'HybridSequentialRNNCell', 'DropoutCell', 'ModifierCell',
           'ZoneoutCell', 'ResidualCell', 'BidirectionalCell']

_TENSORS = (NDArray, symbol.Symbol)


def _as_list(x):
    """Split outputs as a list: an NDArray split into one part is not a list."""
    return list(x) if isinstance(x, (list, tuple, symbol.Symbol)) else [x]


def _cells_state_info(cells, batch_size):
    return sum([c.state_info(batch_size) for c in cells], [])


def _cells_begin_state(cells, **kwargs):
    return sum([c.begin_state(**kwargs) for c in cells], [])


def _get_begin_state(cell, F, begin_state, inputs, batch_size, layout):
    """`begin_state`, or zeros on the inputs' context when it is None."""
    if begin_state is not None:
        return begin_state
    if F is ndarray:
        ctx = inputs.context if isinstance(inputs, NDArray) else inputs[0].context
        with ctx:
            return cell.begin_state(func=F.zeros, batch_size=batch_size)
    # MXNet calls begin_state(func=symbol.zeros) with batch size 0 ("infer it"); regluon's
    # graphs have no shape inference, so the zeros take their batch from the first step
    first = inputs[0] if isinstance(inputs, list) else F.swapaxes(
        F.slice_axis(inputs, axis=layout.find('T'), begin=0, end=1),
        dim1=0, dim2=layout.find('N'))          # one tensor: its first step, batch first
    column = F.zeros_like(F.slice_axis(F.reshape(first, shape=(0, -1)), axis=1, begin=0, end=1))
    states = []
    for info in cell.state_info(0):
        rest = tuple(info['shape'][1:])         # (N, 1) -> (N, 1, ..., 1) -> (N, *rest)
        lifted = F.reshape(column, shape=(0,) + (1,) * len(rest)) if len(rest) > 1 else column
        states.append(F.broadcast_axis(lifted, axis=tuple(range(1, len(rest) + 1)),
                                       size=rest))
    return states


def _format_sequence(length, inputs, layout, merge, in_layout=None):
    """Inputs as one tensor (merge True) or a list of steps (merge False): (inputs, axis, F,
    batch_size); merge None keeps what was given."""
    if inputs is None:
        raise ValueError("unroll(inputs=None) has been deprecated. Please create input "
                         "variables outside unroll.")
    axis, batch_axis = layout.find('T'), layout.find('N')
    batch_size = 0
    in_axis = in_layout.find('T') if in_layout is not None else axis
    if isinstance(inputs, symbol.Symbol):
        F = symbol
        if merge is False:
            inputs = _as_list(symbol.split(inputs, axis=in_axis, num_outputs=length,
                                           squeeze_axis=1))
    elif isinstance(inputs, NDArray):
        F = ndarray
        batch_size = inputs.shape[batch_axis]
        if merge is False:
            if length is not None and length != inputs.shape[in_axis]:
                raise ValueError(f"unroll: length is {length} but the inputs have "
                                 f"{inputs.shape[in_axis]} steps (shape {inputs.shape})")
            inputs = _as_list(ndarray.split(inputs, axis=in_axis,
                                            num_outputs=inputs.shape[in_axis], squeeze_axis=1))
    else:
        if length is not None and len(inputs) != length:
            raise ValueError(f"unroll: length is {length} but {len(inputs)} inputs were given")
        F = symbol if isinstance(inputs[0], symbol.Symbol) else ndarray
        if F is ndarray:
            batch_size = inputs[0].shape[0]
        if merge is True:
            inputs = F.stack(*inputs, axis=axis)
            in_axis = axis
    if isinstance(inputs, _TENSORS) and axis != in_axis:
        inputs = F.swapaxes(inputs, dim1=axis, dim2=in_axis)
    return inputs, axis, F, batch_size


def _mask_sequence_variable_length(F, data, length, valid_length, time_axis, merge):
    """Zero the steps past each sequence's valid length."""
    if not isinstance(data, _TENSORS):
        data = F.stack(*data, axis=time_axis)
    outputs = F.SequenceMask(data, sequence_length=valid_length, use_sequence_length=True,
                             axis=time_axis)
    if not merge:
        outputs = _as_list(F.split(outputs, num_outputs=length, axis=time_axis,
                                   squeeze_axis=True))
    return outputs


def _reverse_sequences(sequences, unroll_step, valid_length=None):
    """The list of steps reversed (each sequence within its valid length)."""
    F = symbol if isinstance(sequences[0], symbol.Symbol) else ndarray
    if valid_length is None:
        return list(reversed(sequences))
    rev = F.SequenceReverse(F.stack(*sequences, axis=0), sequence_length=valid_length,
                            use_sequence_length=True)
    if unroll_step > 1 or F is symbol:
        return _as_list(F.split(rev, axis=0, num_outputs=unroll_step, squeeze_axis=True))
    return [rev[0]]


class RecurrentCell(Block):
    """Abstract base class for RNN cells.

    Parameters
    ----------
    prefix : str, optional
        Prefix for names of Blocks (and of the Parameters when `params` is None).
    params : ParameterDict or None
        Parameters to share between cells.
    """

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._modified = False
        self.reset()

    def reset(self):
        """Reset before re-using the cell for another graph."""
        self._init_counter = -1
        self._counter = -1
        for cell in self._children.values():
            cell.reset()

    def state_info(self, batch_size=0):
        """Shape and layout information of the states."""
        raise NotImplementedError()

    def _check_unmodified(self):
        if self._modified:
            raise RuntimeError("After applying modifier cells (e.g. ZoneoutCell) the base "
                               "cell cannot be called directly. Call the modifier cell instead.")

    def begin_state(self, batch_size=0, func=ndarray.zeros, **kwargs):
        """Initial states for this cell.

        Parameters
        ----------
        batch_size : int
            Size of the batch ('N' in layout).
        func : callable, default nd.zeros
            Function making each state, called as `func(name=..., shape=..., **kwargs)`.
        **kwargs :
            More arguments to `func` (ctx, dtype, ...).
        """
        self._check_unmodified()
        states = []
        for info in self.state_info(batch_size):
            self._init_counter += 1
            info = dict(info or {}, **kwargs)
            states.append(func(name='%sbegin_state_%d' % (self._prefix, self._init_counter),
                               **info))
        return states

    def unroll(self, length, inputs, begin_state=None, layout='NTC', merge_outputs=None,
               valid_length=None):
        """Unroll the cell across `length` time steps.

        Parameters
        ----------
        length : int
            Number of steps to unroll.
        inputs : NDArray, Symbol or list of them
            One tensor, (batch, length, ...) for 'NTC' or (length, batch, ...) for 'TNC',
            or a list of `length` tensors of shape (batch, ...).
        begin_state : list of NDArray, optional
            Initial states; zeros when None.
        layout : str, default 'NTC'
            Layout of `inputs` when it is one tensor.
        merge_outputs : bool, optional
            True: one output tensor in `layout`; False: a list of steps; None: as given.
        valid_length : NDArray, optional
            (batch,) lengths: later steps output 0 and the states are those of the last
            valid step.

        Returns
        -------
        outputs : NDArray or list of NDArray
        states : list of NDArray
        """
        self.reset()
        inputs, axis, F, batch_size = _format_sequence(length, inputs, layout, False)
        states = _get_begin_state(self, F, begin_state, inputs, batch_size, layout)
        outputs, all_states = [], []
        for i in range(length):
            output, states = self(inputs[i], states)
            outputs.append(output)
            if valid_length is not None:
                all_states.append(states)
        if valid_length is not None:
            states = [F.SequenceLast(F.stack(*steps, axis=0), sequence_length=valid_length,
                                     use_sequence_length=True, axis=0)
                      for steps in zip(*all_states)]
            outputs = _mask_sequence_variable_length(F, outputs, length, valid_length, axis,
                                                     True)
        outputs, _, _, _ = _format_sequence(length, outputs, layout, merge_outputs)
        return outputs, states

    def _get_activation(self, F, inputs, activation, **kwargs):
        """Apply `activation`: a name, a LeakyReLU block or a callable."""
        from ..nn import LeakyReLU
        func = {'tanh': F.tanh, 'relu': F.relu, 'sigmoid': F.sigmoid,
                'softsign': F.softsign}.get(activation)
        if func:
            return func(inputs, **kwargs)
        if isinstance(activation, str):
            return F.Activation(inputs, act_type=activation, **kwargs)
        if isinstance(activation, LeakyReLU):
            return F.LeakyReLU(inputs, act_type='leaky', slope=activation._alpha, **kwargs)
        return activation(inputs, **kwargs)

    def forward(self, inputs, states):
        """Run one time step: `(output, new_states)`."""
        self._counter += 1
        return super().forward(inputs, states)


class HybridRecurrentCell(RecurrentCell, HybridBlock):
    """A RecurrentCell that supports hybridize."""

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)

    def hybrid_forward(self, F, x, *args, **kwargs):
        raise NotImplementedError


class _GatedCell(HybridRecurrentCell):
    """The Parameters, shapes and repr that RNNCell, LSTMCell and GRUCell share (MXNet
    repeats them in each; here they are written once)."""
    _gates = 1          # blocks of hidden_size rows in the weights
    _n_states = 1

    def __init__(self, hidden_size, i2h_weight_initializer, h2h_weight_initializer,
                 i2h_bias_initializer, h2h_bias_initializer, input_size, prefix, params):
        super().__init__(prefix=prefix, params=params)
        self._hidden_size, self._input_size = hidden_size, input_size
        n = self._gates * hidden_size
        self.i2h_weight = self.params.get('i2h_weight', shape=(n, input_size),
                                          init=i2h_weight_initializer, allow_deferred_init=True)
        self.h2h_weight = self.params.get('h2h_weight', shape=(n, hidden_size),
                                          init=h2h_weight_initializer, allow_deferred_init=True)
        self.i2h_bias = self.params.get('i2h_bias', shape=(n,), init=i2h_bias_initializer,
                                        allow_deferred_init=True)
        self.h2h_bias = self.params.get('h2h_bias', shape=(n,), init=h2h_bias_initializer,
                                        allow_deferred_init=True)

    def state_info(self, batch_size=0):
        return [{'shape': (batch_size, self._hidden_size), '__layout__': 'NC'}
                for _ in range(self._n_states)]

    def infer_shape(self, inputs, *args):
        # FullyConnected flattens all but the batch axis
        self.i2h_weight.shape = (self._gates * self._hidden_size,
                                 inputs.size // inputs.shape[0])

    def __repr__(self):
        shape = self.i2h_weight.shape
        mapping = '{0} -> {1}'.format(shape[1] if shape[1] else None, shape[0])
        return '%s(%s)' % (self.__class__.__name__, mapping)

    def _i2h_h2h(self, F, inputs, h, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        """(step's node-name prefix 't<counter>_', i2h, h2h): MXNet names each step's nodes
        <cell prefix>t0_i2h, t0_h2h, t0_plus0, ..., t0_out (unique across the unroll)."""
        n, p = self._gates * self._hidden_size, 't%d_' % self._counter
        return p, (F.FullyConnected(data=inputs, weight=i2h_weight, bias=i2h_bias, num_hidden=n,
                                    name=p + 'i2h'),
                   F.FullyConnected(data=h, weight=h2h_weight, bias=h2h_bias, num_hidden=n,
                                    name=p + 'h2h'))


class RNNCell(_GatedCell):
    r"""Elman RNN cell: `h_t = activation(W_ih x_t + b_ih + W_hh h_{t-1} + b_hh)`.

    Parameters
    ----------
    hidden_size : int
        Number of units in the output.
    activation : str or Block, default 'tanh'
        Activation function.
    i2h_weight_initializer, h2h_weight_initializer : str or Initializer
        Initializers of the input and recurrent weights.
    i2h_bias_initializer, h2h_bias_initializer : str or Initializer, default 'zeros'
        Initializers of the biases.
    input_size : int, default 0
        Size of the input; 0 infers it on the first call.
    prefix : str, default 'rnn_'
        Prefix of the names.
    params : ParameterDict or None
        Parameters to share.
    """

    def __init__(self, hidden_size, activation='tanh', i2h_weight_initializer=None,
                 h2h_weight_initializer=None, i2h_bias_initializer='zeros',
                 h2h_bias_initializer='zeros', input_size=0, prefix=None, params=None):
        super().__init__(hidden_size, i2h_weight_initializer, h2h_weight_initializer,
                         i2h_bias_initializer, h2h_bias_initializer, input_size, prefix, params)
        self._activation = activation

    def _alias(self):
        return 'rnn'

    def __repr__(self):
        return '%s, %s)' % (super().__repr__()[:-1], self._activation)

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        p, (i2h, h2h) = self._i2h_h2h(F, inputs, states[0], i2h_weight, h2h_weight, i2h_bias,
                                      h2h_bias)
        output = self._get_activation(F, F.elemwise_add(i2h, h2h, name=p + 'plus0'),
                                      self._activation, name=p + 'out')
        return output, [output]


class LSTMCell(_GatedCell):
    r"""Long short-term memory cell; gates in MXNet's order (input, forget, cell, output).

    Parameters are those of `RNNCell` (prefix 'lstm_'), and
    activation : str, default 'tanh'
        Activation of the cell candidate and of the cell state.
    recurrent_activation : str, default 'sigmoid'
        Activation of the gates.
    """
    _gates = 4
    _n_states = 2

    def __init__(self, hidden_size, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer='zeros', h2h_bias_initializer='zeros', input_size=0,
                 prefix=None, params=None, activation='tanh', recurrent_activation='sigmoid'):
        super().__init__(hidden_size, i2h_weight_initializer, h2h_weight_initializer,
                         i2h_bias_initializer, h2h_bias_initializer, input_size, prefix, params)
        self._activation = activation
        self._recurrent_activation = recurrent_activation

    def _alias(self):
        return 'lstm'

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        p, (i2h, h2h) = self._i2h_h2h(F, inputs, states[0], i2h_weight, h2h_weight, i2h_bias,
                                      h2h_bias)
        gates = F.SliceChannel(F.elemwise_add(i2h, h2h, name=p + 'plus0'), num_outputs=4,
                               name=p + 'slice')
        in_gate = self._get_activation(F, gates[0], self._recurrent_activation, name=p + 'i')
        forget_gate = self._get_activation(F, gates[1], self._recurrent_activation,
                                           name=p + 'f')
        in_transform = self._get_activation(F, gates[2], self._activation, name=p + 'c')
        out_gate = self._get_activation(F, gates[3], self._recurrent_activation, name=p + 'o')
        next_c = F.elemwise_add(F.elemwise_mul(forget_gate, states[1], name=p + 'mul0'),
                                F.elemwise_mul(in_gate, in_transform, name=p + 'mul1'),
                                name=p + 'state')
        # MXNet applies `activation` to the cell state through Activation (a name only)
        next_h = F.elemwise_mul(out_gate, F.Activation(next_c, act_type=self._activation,
                                                       name=p + 'activation0'),
                                name=p + 'out')
        return next_h, [next_h, next_c]


class GRUCell(_GatedCell):
    r"""Gated recurrent unit cell; gates in MXNet's order (reset, update, new).

    Parameters are those of `RNNCell` without `activation` (prefix 'gru_').
    """
    _gates = 3

    def __init__(self, hidden_size, i2h_weight_initializer=None, h2h_weight_initializer=None,
                 i2h_bias_initializer='zeros', h2h_bias_initializer='zeros', input_size=0,
                 prefix=None, params=None):
        super().__init__(hidden_size, i2h_weight_initializer, h2h_weight_initializer,
                         i2h_bias_initializer, h2h_bias_initializer, input_size, prefix, params)

    def _alias(self):
        return 'gru'

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, i2h_bias, h2h_bias):
        prev_h = states[0]
        p, (i2h, h2h) = self._i2h_h2h(F, inputs, prev_h, i2h_weight, h2h_weight, i2h_bias,
                                      h2h_bias)
        i2h_r, i2h_z, i2h = F.SliceChannel(i2h, num_outputs=3, name=p + 'i2h_slice')
        h2h_r, h2h_z, h2h = F.SliceChannel(h2h, num_outputs=3, name=p + 'h2h_slice')
        reset_gate = F.Activation(F.elemwise_add(i2h_r, h2h_r, name=p + 'plus0'),
                                  act_type='sigmoid', name=p + 'r_act')
        update_gate = F.Activation(F.elemwise_add(i2h_z, h2h_z, name=p + 'plus1'),
                                   act_type='sigmoid', name=p + 'z_act')
        candidate = F.Activation(F.elemwise_add(i2h, F.elemwise_mul(reset_gate, h2h,
                                                                    name=p + 'mul0'),
                                                name=p + 'plus2'),
                                 act_type='tanh', name=p + 'h_act')
        ones = F.ones_like(update_gate, name=p + 'ones_like0')
        next_h = F.elemwise_add(
            F.elemwise_mul(F.elemwise_sub(ones, update_gate, name=p + 'minus0'), candidate,
                           name=p + 'mul1'),
            F.elemwise_mul(update_gate, prev_h, name=p + 'mul20'), name=p + 'out')
        return next_h, [next_h]



class LSTMPCell(HybridRecurrentCell):
    r"""Long short-term memory cell with a projected recurrent state (LSTMP,
    https://arxiv.org/abs/1402.1128): MXNet's `gluon.contrib.rnn.LSTMPCell`.

    The LSTMCell step, then `r_t = W_hr h_t`; r_t is the output and the next step's h.

    Parameters
    ----------
    hidden_size : int
        Number of units in the cell state.
    projection_size : int
        Number of units in the output and the recurrent state r.
    i2h_weight_initializer, h2h_weight_initializer, h2r_weight_initializer : str or Initializer
        Initializers of the input, recurrent and projection weights.
    i2h_bias_initializer, h2h_bias_initializer : str or Initializer, default 'zeros'
        Initializers of the biases.
    input_size : int, default 0
        Size of the input; 0 infers it on the first call.
    prefix : str, default 'lstmp_'
        Prefix of the names.
    params : ParameterDict or None
        Parameters to share.
    """

    def __init__(self, hidden_size, projection_size, i2h_weight_initializer=None,
                 h2h_weight_initializer=None, h2r_weight_initializer=None,
                 i2h_bias_initializer='zeros', h2h_bias_initializer='zeros', input_size=0,
                 prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._hidden_size, self._input_size = hidden_size, input_size
        self._projection_size = projection_size
        n = 4 * hidden_size
        for name, shape, init in (('i2h_weight', (n, input_size), i2h_weight_initializer),
                                  ('h2h_weight', (n, projection_size), h2h_weight_initializer),
                                  ('h2r_weight', (projection_size, hidden_size),
                                   h2r_weight_initializer),
                                  ('i2h_bias', (n,), i2h_bias_initializer),
                                  ('h2h_bias', (n,), h2h_bias_initializer)):
            setattr(self, name, self.params.get(name, shape=shape, init=init,
                                                allow_deferred_init=True))

    def state_info(self, batch_size=0):
        return [{'shape': (batch_size, self._projection_size), '__layout__': 'NC'},
                {'shape': (batch_size, self._hidden_size), '__layout__': 'NC'}]

    def infer_shape(self, inputs, *args):
        # FullyConnected flattens all but the batch axis
        self.i2h_weight.shape = (4 * self._hidden_size, inputs.size // inputs.shape[0])

    def _alias(self):
        return 'lstmp'

    def __repr__(self):
        shape = self.i2h_weight.shape
        mapping = '{0} -> {1} -> {2}'.format(shape[1] if shape[1] else None, shape[0],
                                             self.h2r_weight.shape[0])
        return '%s(%s)' % (self.__class__.__name__, mapping)

    def hybrid_forward(self, F, inputs, states, i2h_weight, h2h_weight, h2r_weight, i2h_bias,
                       h2h_bias):
        n, p = 4 * self._hidden_size, 't%d_' % self._counter     # MXNet's node names
        i2h = F.FullyConnected(data=inputs, weight=i2h_weight, bias=i2h_bias, num_hidden=n,
                               name=p + 'i2h')
        h2h = F.FullyConnected(data=states[0], weight=h2h_weight, bias=h2h_bias, num_hidden=n,
                               name=p + 'h2h')
        gates = F.SliceChannel(i2h + h2h, num_outputs=4, name=p + 'slice')
        in_gate = F.Activation(gates[0], act_type='sigmoid', name=p + 'i')
        forget_gate = F.Activation(gates[1], act_type='sigmoid', name=p + 'f')
        in_transform = F.Activation(gates[2], act_type='tanh', name=p + 'c')
        out_gate = F.Activation(gates[3], act_type='sigmoid', name=p + 'o')
        next_c = F.elemwise_add(forget_gate * states[1], in_gate * in_transform,
                                name=p + 'state')
        hidden = F.elemwise_mul(out_gate, F.Activation(next_c, act_type='tanh'),
                                name=p + 'hidden')
        next_r = F.FullyConnected(data=hidden, weight=h2r_weight, no_bias=True,
                                  num_hidden=self._projection_size, name=p + 'out')
        return next_r, [next_r, next_c]

from .rnn_cell_wrappers import (SequentialRNNCell, HybridSequentialRNNCell,  # noqa: E402,F401
                                DropoutCell, ModifierCell, ZoneoutCell, ResidualCell,
                                BidirectionalCell)
