"""Parameter shapes an operator implies from its data shape (MXNet infers a FullyConnected
weight from the data; so must `infer_shape`, `simple_bind` and deferred initialization)."""
import math

import torch

from ..base import torch_dtype


def _fc(kw, d):
    n = kw['num_hidden']
    k = math.prod(d[1:]) if kw.get('flatten', True) else d[-1]
    return {'weight': (n, k), 'bias': (n,)}


def _channel_axis(kw, default=1):
    layout = kw.get('layout') or ''
    return layout.index('C') if 'C' in layout else default


def _conv(kw, d):
    c = d[_channel_axis(kw)]
    g = kw.get('num_group', 1)
    f = kw['num_filter']
    return {'weight': (f, c // g) + tuple(kw['kernel']), 'bias': (f,)}


def _deconv(kw, d):
    c = d[_channel_axis(kw)]
    g = kw.get('num_group', 1)
    f = kw['num_filter']
    return {'weight': (c, f // g) + tuple(kw['kernel']), 'bias': (f,)}


def _per_channel(names, axis_key='axis', default=1):
    def rule(kw, d):
        c = d[kw.get(axis_key, default)]
        return {n: (c,) for n in names}
    return rule


def _softmax_label(kw, d):
    # MXNet: (N, C, ...) with multi_output gives labels (N, ...), else the data shape less its last axis
    return {'label': (d[0],) + tuple(d[2:]) if kw.get('multi_output') else tuple(d[:-1])}


RULES = {
    'FullyConnected': _fc,
    'Convolution': _conv,
    'Deconvolution': _deconv,
    'BatchNorm': _per_channel(('gamma', 'beta', 'moving_mean', 'moving_var')),
    'BatchNorm_v1': _per_channel(('gamma', 'beta', 'moving_mean', 'moving_var'), axis_key=None),
    '_contrib_BatchNormWithReLU': _per_channel(('gamma', 'beta', 'moving_mean', 'moving_var')),
    '_contrib_SyncBatchNorm': _per_channel(('gamma', 'beta', 'moving_mean', 'moving_var'),
                                           axis_key=None),
    'IdentityAttachKLSparseReg': lambda kw, d: {'moving_avg': (d[1],)},
    'LayerNorm': _per_channel(('gamma', 'beta'), default=-1),
    'InstanceNorm': _per_channel(('gamma', 'beta'), axis_key=None),
    'GroupNorm': _per_channel(('gamma', 'beta'), axis_key=None),
    'LeakyReLU': _per_channel(('gamma',), axis_key=None),
    'Embedding': lambda kw, d: {'weight': (kw['input_dim'], kw['output_dim'])},
    '_contrib_SparseEmbedding': lambda kw, d: {'weight': (kw['input_dim'], kw['output_dim'])},
    'SoftmaxOutput': _softmax_label,
    'LinearRegressionOutput': lambda kw, d: {'label': tuple(d)},
    'LogisticRegressionOutput': lambda kw, d: {'label': tuple(d)},
    'MAERegressionOutput': lambda kw, d: {'label': tuple(d)},
}


_CASTS = ('amp_cast', 'Cast', 'cast')


def fill_param_shapes(node, vals, known):
    """Record in `known` meta tensors for the node's parameter inputs of unknown shape."""
    if node.op in ('_foreach', '_while_loop', '_cond'):     # through their subgraphs
        from ..ndarray.ops.control_flow import fill_input_shapes
        return fill_input_shapes(node, vals, known)
    rule = RULES.get(node.op)
    if rule is None or not vals or vals[0] is None:
        return
    kw = {k: v for k, v in node.kwargs.items()}
    shapes = rule(kw, tuple(vals[0].shape))
    for k, (inp, _) in enumerate(node.inputs):
        slot = node.input_names[k] if k < len(node.input_names) else None
        if inp.is_var and vals[k] is None and slot in shapes and inp.name not in known:
            known[inp.name] = torch.empty(shapes[slot], dtype=vals[0].dtype, device='meta')
        elif inp.op in _CASTS and inp.inputs[0][0].is_var and vals[k] is None and \
                slot in shapes and inp.inputs[0][0].name not in known:
            # a parameter behind a cast (contrib.amp's, or sym.cast): its shape is the
            # slot's, as MXNet's casts pass shapes both ways (symbol.py leaves the cast
            # for this rule)
            known[inp.inputs[0][0].name] = torch.empty(shapes[slot], device='meta')
            vals[k] = torch.empty(shapes[slot], dtype=torch_dtype(inp.kwargs['dtype']),
                                  device='meta')


def _rnn(kw, d):
    # MXNet's packing (ndarray/ops/nn_rnn.py): per layer and direction the i2h, h2h (and
    # h2r) weights, then two biases; states are (layers * directions, batch, size).
    g = {'rnn_relu': 1, 'rnn_tanh': 1, 'lstm': 4, 'gru': 3}[kw['mode']] * kw['state_size']
    h, proj = kw['state_size'], kw.get('projection_size') or None
    r, dirs, layers = proj or h, 2 if kw.get('bidirectional') else 1, kw['num_layers']
    size = 0
    for layer in range(layers):
        width = d[2] if layer == 0 else dirs * r
        size += dirs * (g * width + g * r + (proj or 0) * h + 2 * g)
    return {'parameters': (size,), 'state': (layers * dirs, d[1], r),
            'state_cell': (layers * dirs, d[1], h)}


RULES['RNN'] = _rnn


def rule_shapes(node, vals):
    """{input slot: shape} the node's rule gives from its data shape ({} without one)."""
    rule = RULES.get(node.op)
    if rule is None or not vals or vals[0] is None:
        return {}
    return rule(dict(node.kwargs), tuple(vals[0].shape))
