"""MXNet's `gluon.contrib.rnn.rnn_cell`: `VariationalDropoutCell` (and `LSTMPCell`, which
regluon defines with the other gated cells)."""
from ...rnn.rnn_cell import (LSTMPCell, ModifierCell, BidirectionalCell,  # noqa: F401
                             SequentialRNNCell, _TENSORS, _as_list, _format_sequence,
                             _get_begin_state)
from ...rnn.rnn_cell_wrappers import _format_masked

__all__ = ['VariationalDropoutCell', 'LSTMPCell', 'dynamic_unroll']


class VariationalDropoutCell(ModifierCell):
    """Variational dropout (Gal & Ghahramani, https://arxiv.org/abs/1512.05287) on a base
    cell: one dropout mask per sequence for the inputs, the first state and the outputs
    (three masks, not shared), drawn at the first step and kept until `reset()` (`unroll`
    resets; stepping by hand, call reset() between sequences).

    Parameters
    ----------
    base_cell : RecurrentCell
        The cell to modify.
    drop_inputs : float, default 0.
        Dropout rate of the inputs; 0 applies none.
    drop_states : float, default 0.
        Dropout rate of the first state (h); 0 applies none.
    drop_outputs : float, default 0.
        Dropout rate of the outputs; 0 applies none.
    """

    def __init__(self, base_cell, drop_inputs=0., drop_states=0., drop_outputs=0.):
        # MXNet asserts these
        assert not drop_states or not isinstance(base_cell, BidirectionalCell), \
            "BidirectionalCell doesn't support variational state dropout. " \
            "Please add VariationalDropoutCell to the cells underneath instead."
        assert not drop_states or not isinstance(base_cell, SequentialRNNCell) or \
            not getattr(base_cell, '_bidirectional', False), \
            "Bidirectional SequentialRNNCell doesn't support variational state dropout. " \
            "Please add VariationalDropoutCell to the cells underneath instead."
        super().__init__(base_cell)
        self.drop_inputs, self.drop_states, self.drop_outputs = \
            drop_inputs, drop_states, drop_outputs
        self.drop_inputs_mask = self.drop_states_mask = self.drop_outputs_mask = None

    def _alias(self):
        return 'vardrop'

    def reset(self):
        super().reset()
        self.drop_inputs_mask = self.drop_states_mask = self.drop_outputs_mask = None

    def hybrid_forward(self, F, inputs, states):
        if self.drop_states and self.drop_states_mask is None:
            self.drop_states_mask = F.Dropout(F.ones_like(states[0]), p=self.drop_states)
        if self.drop_inputs and self.drop_inputs_mask is None:
            self.drop_inputs_mask = F.Dropout(F.ones_like(inputs), p=self.drop_inputs)
        if self.drop_states:     # only h, always the first state, is dropped
            states = [states[0] * self.drop_states_mask] + list(states[1:])
        if self.drop_inputs:
            inputs = inputs * self.drop_inputs_mask
        output, states = self.base_cell(inputs, states)
        if self.drop_outputs:
            if self.drop_outputs_mask is None:
                self.drop_outputs_mask = F.Dropout(F.ones_like(output), p=self.drop_outputs)
            output = output * self.drop_outputs_mask
        return output, states

    def __repr__(self):
        return '{name}(p_out = {drop_outputs}, p_state = {drop_states})'.format(
            name=self.__class__.__name__, **self.__dict__)

    def unroll(self, length, inputs, begin_state=None, layout='NTC', merge_outputs=None,
               valid_length=None):
        """Unroll as `RecurrentCell.unroll`; without state dropout, the input and output
        masks are one Dropout over the whole sequence, shared along the time axis."""
        if self.drop_states:
            return super().unroll(length, inputs, begin_state, layout, merge_outputs,
                                  valid_length=valid_length)
        self.reset()
        inputs, axis, F, batch_size = _format_sequence(length, inputs, layout, True)
        states = _get_begin_state(self, F, begin_state, inputs, batch_size, layout)
        if self.drop_inputs:
            inputs = F.Dropout(inputs, p=self.drop_inputs, axes=(axis,))
        outputs, states = self.base_cell.unroll(length, inputs, states, layout,
                                                merge_outputs=True, valid_length=valid_length)
        if self.drop_outputs:
            outputs = F.Dropout(outputs, p=self.drop_outputs, axes=(axis,))
        if merge_outputs is None:
            merge_outputs = isinstance(outputs, _TENSORS)
        outputs, _ = _format_masked(length, outputs, layout, merge_outputs, valid_length)
        return outputs, states


def dynamic_unroll(cell, inputs, begin_state, drop_inputs=0, drop_outputs=0, layout='TNC',
                   valid_length=None):
    """Unroll `cell` over `inputs` with `F.contrib.foreach` (one graph node however long the
    sequence), as MXNet's `gluon.contrib.rnn.rnn_cell.dynamic_unroll`.

    Parameters
    ----------
    cell : RecurrentCell
        The cell to run.
    inputs : NDArray or Symbol
        (length, batch, ...) for 'TNC' or (batch, length, ...) for 'NTC'.
    begin_state : list of NDArray or Symbol
        The initial states.
    drop_inputs, drop_outputs : float, default 0.
        Dropout rates of the inputs and outputs (one mask along the time axis); 0 applies
        none.
    layout : str, default 'TNC'
        Layout of `inputs`.
    valid_length : NDArray, Symbol or None
        (batch,) lengths: later steps output 0 and keep the states of the last valid step.

    Returns
    -------
    outputs : NDArray or Symbol, in `layout`
    states : list of NDArray or Symbol
    """
    inputs, axis, F, _ = _format_sequence(0, inputs, layout, True)
    if axis != 0:           # foreach steps along the first axis
        axes = list(range(len(layout)))
        axes[0], axes[axis] = axes[axis], axes[0]
        inputs = F.transpose(inputs, axes=axes)
    states = begin_state
    if drop_inputs:
        inputs = F.Dropout(inputs, p=drop_inputs, axes=(axis,))
    if valid_length is None:
        def loop_body(inputs, states):
            return cell(inputs, states)
    else:
        # the step number rides along as the last state; past a sequence's valid length
        # its states stay as they were
        states = list(_as_list(states)) + [F.zeros((1))]

        def loop_body(inputs, states):
            cell_states, iter_no = states[:-1], states[-1]
            out, new_states = cell(inputs, cell_states)
            new_states = list(new_states)
            for i, state in enumerate(cell_states):
                new_states[i] = F.where(F.broadcast_greater(valid_length, iter_no),
                                        new_states[i], state)
            new_states.append(iter_no + 1)
            return out, new_states
    outputs, states = F.contrib.foreach(loop_body, inputs, states)
    if drop_outputs:
        outputs = F.Dropout(outputs, p=drop_outputs, axes=(axis,))
    if axis != 0:
        outputs = F.transpose(outputs, axes)
    if valid_length is not None:
        outputs = F.SequenceMask(outputs, sequence_length=valid_length,
                                 use_sequence_length=True, axis=axis)
        return outputs, states[:-1]
    return outputs, states
