"""The fused recurrent operator `RNN` (what gluon.rnn.LSTM/GRU/RNN call), on torch's RNNs.

MXNet packs every parameter into one flat vector: first all weights, layer by layer,
direction by direction (i2h then h2h), then all biases in the same order. Its gate order
(LSTM i, f, g, o; GRU r, z, n) is torch's, so the slices go to torch unchanged.
"""
import torch

from ...base import MXNetError
from ... import autograd as _ag
from ..register import op

_GATES = {'rnn_relu': 1, 'rnn_tanh': 1, 'lstm': 4, 'gru': 3}
_VF = {'rnn_relu': torch._VF.rnn_relu, 'rnn_tanh': torch._VF.rnn_tanh,
       'lstm': torch._VF.lstm, 'gru': torch._VF.gru}


def _unpack(params, mode, num_layers, dirs, input_size, h):
    """Slice MXNet's flat parameter vector into torch's per-layer weight list."""
    g = _GATES[mode] * h
    shapes = []
    for layer in range(num_layers):
        width = input_size if layer == 0 else dirs * h
        shapes += [((g, width), (g, h))] * dirs
    n_weights = sum(a[0] * a[1] + b[0] * b[1] for a, b in shapes)
    expect = n_weights + 2 * g * len(shapes)
    if params.numel() != expect:
        raise MXNetError(f"RNN: parameters has {params.numel()} elements, expected {expect} "
                         f"for mode={mode!r}, num_layers={num_layers}, state_size={h}, "
                         f"bidirectional={dirs == 2}, input size {input_size}")
    flat, pos, weights = params.reshape(-1), 0, []
    for wi, wh in shapes:
        a, pos = flat[pos:pos + wi[0] * wi[1]].view(wi), pos + wi[0] * wi[1]
        b, pos = flat[pos:pos + wh[0] * wh[1]].view(wh), pos + wh[0] * wh[1]
        weights.append([a, b])
    for w in weights:
        w.append(flat[pos:pos + g])
        w.append(flat[pos + g:pos + 2 * g])
        pos += 2 * g
    return [t for w in weights for t in w]


@op
def RNN(data, parameters=None, state=None, state_cell=None, sequence_length=None,
        state_size=None, num_layers=None, bidirectional=False, mode=None, p=0.0,
        state_outputs=False, projection_size=None, lstm_state_clip_min=None,
        lstm_state_clip_max=None, lstm_state_clip_nan=False, use_sequence_length=False):
    """Apply a multi-layer recurrent network (vanilla RNN, LSTM or GRU) to a sequence.

    Parameters
    ----------
    data : NDArray
        Input, (sequence_length, batch, input_size).
    parameters : NDArray
        All weights then all biases, flattened, in MXNet's packing order.
    state : NDArray
        Initial hidden state, (num_layers * directions, batch, state_size).
    state_cell : NDArray
        Initial cell state for LSTM, same shape as `state`.
    state_size : int, required
        Size of the hidden state.
    num_layers : int, required
        Number of stacked layers.
    bidirectional : bool, default=False
        Whether to run a second, reversed direction.
    mode : {'gru', 'lstm', 'rnn_relu', 'rnn_tanh'}, required
        The recurrent cell.
    p : float, default=0
        Dropout between layers, in training only.
    state_outputs : bool, default=False
        Also return the final states.
    sequence_length : NDArray
        Valid length of each sequence, (batch,), read with `use_sequence_length`.
    use_sequence_length : bool, default=False
        Stop each sequence at its length (outputs past it are 0).
    """
    if mode not in _GATES:
        raise MXNetError(f"RNN: invalid mode {mode!r}; valid values are {sorted(_GATES)}")
    if state_size is None or num_layers is None:
        raise MXNetError("RNN: required parameters state_size and num_layers are missing")
    unsupported = dict(projection_size=projection_size, lstm_state_clip_min=lstm_state_clip_min,
                       lstm_state_clip_max=lstm_state_clip_max)
    for k, v in unsupported.items():
        if v is not None:
            raise MXNetError(f"RNN: {k}={v!r} is not supported by regluon")
    if data.dim() != 3:
        raise MXNetError(f"RNN: data must be (sequence, batch, input), got shape "
                         f"{tuple(data.shape)}")
    dirs = 2 if bidirectional else 1
    want = (num_layers * dirs, data.shape[1], state_size)
    for what, t in (('state', state), ('state_cell', state_cell if mode == 'lstm' else state)):
        if t is None or tuple(t.shape) != want:
            got = None if t is None else tuple(t.shape)
            raise MXNetError(f"RNN: {what} must have shape {want}, got {got}")
    weights = _unpack(parameters, mode, num_layers, dirs, data.shape[2], state_size)
    hx = (state, state_cell) if mode == 'lstm' else state
    # `train` only switches dropout on, but cuDNN's backward refuses train=False: a recorded
    # inference call runs with train=True and no dropout instead
    dropout = float(p) if _ag.is_training() else 0.0
    args = (weights, True, num_layers, dropout, dropout > 0 or torch.is_grad_enabled(),
            bidirectional)
    if use_sequence_length:
        res = _packed(mode, data, sequence_length, hx, args)
    else:
        res = _VF[mode](data, hx, *args, False)
    return list(res) if state_outputs else res[0]


def _packed(mode, data, lengths, hx, args):
    """Run on variable-length sequences, as MXNet's cuDNN path does (its CPU path ignores
    sequence_length): steps past a sequence's length output 0 and do not change its state.
    """
    if lengths is None or tuple(lengths.shape) != (data.shape[1],):
        got = None if lengths is None else tuple(lengths.shape)
        raise MXNetError(f"RNN: use_sequence_length needs sequence_length of shape "
                         f"({data.shape[1]},), got {got}")
    packed = torch.nn.utils.rnn.pack_padded_sequence(data, lengths.long().cpu(),
                                                     enforce_sorted=False)
    order, back = packed.sorted_indices, packed.unsorted_indices
    hx = tuple(h.index_select(1, order) for h in hx) if mode == 'lstm' \
        else hx.index_select(1, order)
    out, *states = _VF[mode](packed.data, packed.batch_sizes, hx, *args)
    out, _ = torch.nn.utils.rnn.pad_packed_sequence(
        torch.nn.utils.rnn.PackedSequence(out, packed.batch_sizes, order, back),
        total_length=data.shape[0])
    return [out] + [h.index_select(1, back) for h in states]
