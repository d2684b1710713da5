"""The fused recurrent operator `RNN` (what gluon.rnn.LSTM/GRU/RNN call), on torch's RNNs.

MXNet packs every parameter into one flat vector: first all weights, layer by layer,
direction by direction (i2h then h2h, then the LSTM projection h2r), then all biases in the
same order (h2r has none). Its gate order (LSTM i, f, g, o; GRU r, z, n) is torch's, so the
slices go to torch unchanged. torch has no cell-state clipping: that case is unrolled.
"""
import warnings

import torch

from ...base import MXNetError
from ... import autograd as _ag
from ..register import op, OPS

_GATES = {'rnn_relu': 1, 'rnn_tanh': 1, 'lstm': 4, 'gru': 3}
_VF = {'rnn_relu': torch._VF.rnn_relu, 'rnn_tanh': torch._VF.rnn_tanh,
       'lstm': torch._VF.lstm, 'gru': torch._VF.gru}


def _unpack(params, mode, num_layers, dirs, input_size, h, proj=None):
    """Slice MXNet's flat parameter vector into torch's per-layer weight lists.

    Per layer and direction MXNet stores i2h, h2h and (with projection) h2r weights, then
    after all weights the i2h and h2h biases; torch wants [w_ih, w_hh, b_ih, b_hh(, w_hr)].
    """
    g, r = _GATES[mode] * h, proj or h
    shapes = []
    for layer in range(num_layers):
        width = input_size if layer == 0 else dirs * r
        shapes += [[(g, width), (g, r)] + ([(proj, h)] if proj else [])] * dirs
    n_weights = sum(a * b for s in shapes for a, b in s)
    expect = n_weights + 2 * g * len(shapes)
    if params.numel() != expect:
        raise MXNetError(f"RNN: parameters has {params.numel()} elements, expected {expect} "
                         f"for mode={mode!r}, num_layers={num_layers}, state_size={h}, "
                         f"projection_size={proj}, bidirectional={dirs == 2}, "
                         f"input size {input_size}")
    flat, pos, layers = params.reshape(-1), 0, []
    for s in shapes:
        ws = []
        for a, b in s:
            ws.append(flat[pos:pos + a * b].view(a, b))
            pos += a * b
        layers.append(ws)
    for ws in layers:
        biases = [flat[pos:pos + g], flat[pos + g:pos + 2 * g]]
        ws[2:2] = biases            # torch's order: w_ih, w_hh, b_ih, b_hh, w_hr
        pos += 2 * g
    return layers


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
    projection_size : int or None, default=None
        LSTM only: project each hidden state to this size with a per-layer `h2r` weight
        (stored after the layer's h2h weight); `state` then has this last size.
    lstm_state_clip_min, lstm_state_clip_max : float or None, default=None
        LSTM only: clip the cell state to [min, max] after every step.
    lstm_state_clip_nan : bool, default=False
        With clipping, map a NaN cell state to lstm_state_clip_min instead of propagating it.
    sequence_length : NDArray
        Valid length of each sequence, (batch,), read with `use_sequence_length`.
    use_sequence_length : bool, default=False
        Stop each sequence at its length (outputs past it are 0).
    """
    if mode not in _GATES:
        raise MXNetError(f"RNN: invalid mode {mode!r}; valid values are {sorted(_GATES)}")
    if state_size is None or num_layers is None:
        raise MXNetError("RNN: required parameters state_size and num_layers are missing")
    proj = projection_size or None
    clip = (lstm_state_clip_min, lstm_state_clip_max)
    if mode != 'lstm' and (proj or clip != (None, None)):
        raise MXNetError(f"RNN: projection_size and lstm_state_clip_min/max need mode='lstm', "
                         f"got mode={mode!r}")
    if (clip[0] is None) != (clip[1] is None):
        raise MXNetError(f"RNN: lstm_state_clip_min and lstm_state_clip_max must be given "
                         f"together, got {clip[0]!r} and {clip[1]!r}")
    if clip[0] is not None and clip[0] > clip[1]:
        raise MXNetError(f"RNN: lstm_state_clip_min must be <= lstm_state_clip_max, got "
                         f"{clip[0]!r} > {clip[1]!r}")
    if data.dim() != 3:
        raise MXNetError(f"RNN: data must be (sequence, batch, input), got shape "
                         f"{tuple(data.shape)}")
    dirs = 2 if bidirectional else 1
    want = (num_layers * dirs, data.shape[1], proj or state_size)
    want_c = (num_layers * dirs, data.shape[1], state_size)
    for what, t, w in (('state', state, want),
                       ('state_cell', state_cell if mode == 'lstm' else state, want_c)):
        if t is None or tuple(t.shape) != w:
            got = None if t is None else tuple(t.shape)
            raise MXNetError(f"RNN: {what} must have shape {w}, got {got}")
    layers = _unpack(parameters, mode, num_layers, dirs, data.shape[2], state_size, proj)
    hx = (state, state_cell) if mode == 'lstm' else state
    # `train` only switches dropout on, but cuDNN's backward refuses train=False: a recorded
    # inference call runs with train=True and no dropout instead
    dropout = float(p) if _ag.is_training() else 0.0
    if use_sequence_length and (sequence_length is None
                                or tuple(sequence_length.shape) != (data.shape[1],)):
        got = None if sequence_length is None else tuple(sequence_length.shape)
        raise MXNetError(f"RNN: use_sequence_length needs sequence_length of shape "
                         f"({data.shape[1]},), got {got}")
    lengths = sequence_length if use_sequence_length else None
    if clip[0] is not None:
        res = _clipped_lstm(data, state, state_cell, layers, dirs, dropout,
                            float(clip[0]), float(clip[1]), lstm_state_clip_nan, lengths)
        return list(res) if state_outputs else res[0]
    args = ([t for w in layers for t in w], True, num_layers, dropout,
            dropout > 0 or torch.is_grad_enabled(), bidirectional)
    with warnings.catch_warnings():
        # torch warns that its oneDNN path lacks projections, then runs its own: not news
        warnings.filterwarnings('ignore', 'LSTM with projections is not supported')
        if use_sequence_length:
            res = _packed(mode, data, lengths, hx, args)
        else:
            res = _VF[mode](data, hx, *args, False)
    return list(res) if state_outputs else res[0]


def _clipped_lstm(data, h0, c0, layers, dirs, dropout, lo, hi, clip_nan, lengths):
    """LSTM(P) whose cell state is clipped to [lo, hi] after every step, as cuDNN's
    cudnnRNNSetClip does (torch's kernels have no clipping, so the steps are unrolled).

    clip_nan maps a NaN cell state to `lo` (fmin(fmax(c, lo), hi), cuDNN's
    CUDNN_NOT_PROPAGATE_NAN); otherwise NaN propagates. With `lengths`, steps past a
    sequence's length output 0 and leave its state unchanged.
    """
    T = data.shape[0]
    mask = None if lengths is None else \
        (torch.arange(T, device=data.device)[:, None] < lengths.to(data.device)[None, :])[..., None]
    x, hs, cs = data, [], []
    for layer in range(len(layers) // dirs):
        outs = []
        for d in range(dirs):
            k = layer * dirs + d
            w_ih, w_hh, b_ih, b_hh, *w_hr = layers[k]
            xi = torch.nn.functional.linear(x, w_ih, b_ih)      # all steps' input gates at once
            h, c, ys = h0[k], c0[k], [None] * T
            for t in (range(T) if d == 0 else range(T - 1, -1, -1)):
                i, f, g, o = (xi[t] + torch.nn.functional.linear(h, w_hh, b_hh)).chunk(4, 1)
                c_new = torch.sigmoid(f) * c + torch.sigmoid(i) * torch.tanh(g)
                if clip_nan:
                    c_new = torch.nan_to_num(c_new, nan=lo, posinf=hi, neginf=lo)
                c_new = c_new.clamp(lo, hi)
                h_new = torch.sigmoid(o) * torch.tanh(c_new)
                if w_hr:
                    h_new = torch.nn.functional.linear(h_new, w_hr[0])
                if mask is None:
                    h, c, ys[t] = h_new, c_new, h_new
                else:
                    h, c = torch.where(mask[t], h_new, h), torch.where(mask[t], c_new, c)
                    ys[t] = torch.where(mask[t], h_new, torch.zeros_like(h_new))
            outs.append(torch.stack(ys))
            hs.append(h)
            cs.append(c)
        x = torch.cat(outs, 2)
        if dropout > 0 and layer < len(layers) // dirs - 1:
            x = torch.nn.functional.dropout(x, dropout, True)
    return x, torch.stack(hs), torch.stack(cs)


def _packed(mode, data, lengths, hx, args):
    """Run on variable-length sequences, as MXNet's cuDNN path does (its CPU path ignores
    sequence_length): steps past a sequence's length output 0 and do not change its state.
    """
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


@op
def _rnn_param_concat(*data, dim=1, num_args=None):
    """Join the RNN layers' flattened parameters: MXNet's `concat` under the name its Gluon
    RNN layers export (a graph MXNet wrote uses it), with the same kernel."""
    return OPS['concat'].kernel(*data, dim=dim)
