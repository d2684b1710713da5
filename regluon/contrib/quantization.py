"""`mx.contrib.quantization` (also `mx.contrib.quant`): MXNet 1.9.1's INT8 graph quantization.

The graph pass is MXNet's QuantizeGraph (src/operator/quantization/quantize_graph_pass.cc),
written over the graph's JSON: FullyConnected and Convolution (must), relu Activation,
max/avg Pooling, Flatten, Concat(dim > 0), elemwise_add/mul, BatchNorm and float32 Embedding
(supported) become `_contrib_quantized_*`
nodes fed by `<input>_quantize` (`_contrib_quantize_v2`) nodes, int32 results go through
`requantize_<name>`, and fp32 consumers get `<name>_dequantize`. Parameters are quantized
offline (`<param>_quantize`, `_min`, `_max`). Calibration runs the fp32 graph on the
calibration data and writes the thresholds as MXNet does (std::to_string: six decimals).

MXNet's `quantize_net`/`quantize_model_mkldnn` also fuse the graph for oneDNN
(`_sg_mkldnn_conv`, ...); regluon keeps the unfused graph (see docs/migration.md).
"""
import json

from .. import ndarray
from ..base import MXNetError
from .. import symbol as _sym

__all__ = ['quantize_model', 'quantize_model_mkldnn', 'quantize_graph', 'calib_graph',
           'quantize_net_v2', 'quantize_net']

_MUST = {'FullyConnected': 'fully_connected', 'Convolution': 'conv'}
_REQUANTIZE = {'FullyConnected', 'Convolution', 'elemwise_add', 'elemwise_mul'}
# Quantized nodes calibrated on their own output (FNeedCalibrateOutput)
_CALIB_OUTPUT = ('_contrib_quantized_batch_norm', '_sg_mkldnn_conv', '_sg_mkldnn_fully_connected')
# Operators that name their outputs (FListOutputNames): MXNet names a quantize node after
# their output ("relu1_output_quantize"), after the output index for the others ("flat1_0_").
_LEGACY = {'FullyConnected', 'Convolution', 'Deconvolution', 'Activation', 'Pooling',
           'BatchNorm', 'Dropout', 'LeakyReLU', 'SoftmaxOutput', 'LRN', 'Embedding', 'RNN',
           'SoftmaxActivation', 'UpSampling', 'SliceChannel', 'InstanceNorm', 'LayerNorm'}


def _quantized_op(node):
    """`_contrib_quantized_<x>` for a node MXNet's CPU quantizes, else None."""
    op, a = node.op, node.attrs
    if op in _MUST:
        return '_contrib_quantized_' + _MUST[op]
    if op == 'Activation' and a.get('act_type') == 'relu':
        return '_contrib_quantized_act'
    if op == 'Pooling' and a.get('pool_type', 'max') in ('max', 'avg'):
        return '_contrib_quantized_pooling'
    if op in ('Flatten', 'flatten'):
        return '_contrib_quantized_flatten'
    if op == 'Concat' and int(a.get('dim', 1)) > 0:
        return '_contrib_quantized_concat'
    if op in ('elemwise_add', 'elemwise_mul'):
        return '_contrib_quantized_' + op
    if op == 'BatchNorm':
        return '_contrib_quantized_batch_norm'
    if op == 'Embedding' and a.get('dtype', 'float32') == 'float32':
        return '_contrib_quantized_embedding'
    return None


class _Node:
    __slots__ = ('op', 'name', 'attrs', 'inputs', 'nout')

    def __init__(self, op, name, attrs=None, inputs=(), nout=1):
        self.op, self.name, self.attrs = op, name, dict(attrs or {})
        self.inputs, self.nout = list(inputs), nout


def _load(sym):
    """The graph of `sym` as _Node objects: (nodes in order, heads as (node, index))."""
    g = json.loads(sym.tojson())
    outs = {}
    for n in g['nodes']:
        nd_ = _Node(None if n['op'] == 'null' else n['op'], n['name'], n.get('attrs'),
                    [(None, i[0], i[1]) for i in n['inputs']])
        outs[len(outs)] = nd_
    for n in outs.values():
        n.inputs = [(outs[j], i) for _, j, i in n.inputs]
    internals = sym.get_internals().list_outputs()
    for n in outs.values():
        if n.op is not None:
            n.nout = sum(1 for o in internals if o.startswith(n.name + '_output')) or 1
    return list(outs.values()), [(outs[h[0]], h[1]) for h in g['heads']]


def _dfs(heads):
    order, seen = [], set()

    def visit(n):
        if id(n) in seen:
            return
        seen.add(id(n))
        for src, _ in n.inputs:
            visit(src)
        order.append(n)
    for n, _ in heads:
        visit(n)
    return order


def _output_name(node, index):
    if node.op is None:
        return node.name
    return f"{node.name}_output" + (str(index) if node.nout > 1 else '')


def _dump(heads):
    order = _dfs(heads)
    ids = {id(n): i for i, n in enumerate(order)}
    nodes = []
    for n in order:
        d = {'op': n.op or 'null', 'name': n.name}
        if n.attrs:
            d['attrs'] = dict(n.attrs)
        d['inputs'] = [[ids[id(s)], i, 0] for s, i in n.inputs]
        nodes.append(d)
    return _sym.load_json(json.dumps({
        'nodes': nodes, 'arg_nodes': [i for i, n in enumerate(order) if n.op is None],
        'heads': [[ids[id(n)], i, 0] for n, i in heads],
        'attrs': {'mxnet_version': ['int', 10901]}}))


def _mark(order, excluded_names, excluded_ops, mode):
    """The nodes to quantize: MXNet's MarkQuantizedNodes ('smart' keeps a supported node only
    when it lies between must-quantize nodes: one above it and one below it)."""
    chosen = {id(n): n for n in order if n.op is not None and _quantized_op(n)
              and n.name not in excluded_names and n.op not in excluded_ops}
    if mode == 'full':
        return set(chosen)
    if mode != 'smart':
        raise MXNetError(f"quantize: unrecognized quantize mode: {mode}")
    must = [n for n in chosen.values() if n.op in _MUST]
    consumers = {}
    for n in order:
        for s, _ in n.inputs:
            consumers.setdefault(id(s), []).append(n)
    flags = {k: 0 for k, n in chosen.items() if n.op not in _MUST}
    for bit, nbrs in ((1, lambda n: [s for s, _ in n.inputs]),
                      (2, lambda n: consumers.get(id(n), []))):
        queue = list(must)
        while queue:
            n = queue.pop(0)
            for m in nbrs(n):
                if id(m) in flags:
                    flags[id(m)] |= bit
                    queue.append(m)
    return {k for k, n in chosen.items() if n.op in _MUST or flags.get(k) == 3}


def _fusions(order, heads, quant, excluded):
    """oneDNN fusion (MXNet's MKLDNN_QUANTIZE backend, conv/FC + relu): {id(layer): relu or
    None} for every quantized Convolution/FullyConnected, and how many consumers each node has."""
    users = {}
    for n in order:
        for s, _ in n.inputs:
            users.setdefault(id(s), []).append(n)
    for n, _ in heads:
        users.setdefault(id(n), []).append(None)
    fused = {}
    for n in order:
        if id(n) in quant and n.op in _MUST:
            u = users.get(id(n), [])
            act = u[0] if len(u) == 1 and u[0] is not None and u[0].op == 'Activation' \
                and u[0].attrs.get('act_type') == 'relu' and u[0].name not in excluded else None
            fused[id(n)] = act
            if act is not None:
                quant.add(id(act))
    return fused, {k: len(v) for k, v in users.items()}


def _fused_node(n, act, data, ranges):
    """The `_sg_mkldnn_conv` / `_sg_mkldnn_fully_connected` node for layer n (+ relu act)."""
    attrs = dict(n.attrs, quantized=True)
    if n.op == 'Convolution':
        attrs['with_act'] = act is not None
        op = '_sg_mkldnn_conv'
    else:
        attrs['with_eltwise'] = act is not None
        op = '_sg_mkldnn_fully_connected'
    return _Node(op, 'quantized_' + (act or n).name, attrs, data + ranges, 3)


def _quantize_symbol(sym, excluded_symbols=None, excluded_operators=None,
                     offline_params=None, quantized_dtype='int8', quantize_mode='smart',
                     fuse=False):
    """MXNet's QuantizeGraph pass: (quantized symbol, names of the fp32 outputs to calibrate).
    With `fuse`, conv/FC (+relu) become MXNet's oneDNN fused quantized layers."""
    order, heads = _load(sym)
    quant = _mark(order, set(excluded_symbols or ()), set(excluded_operators or ()),
                  quantize_mode)
    fused, nusers = _fusions(order, heads, quant, set(excluded_symbols or ())) if fuse \
        else ({}, {})
    absorbed = {id(a): n for n, a in ((n, fused.get(id(n))) for n in order) if a is not None}
    offline = set(offline_params or ())
    mirror, fp32_of, qentry = {}, {}, {}

    def quantize_input(e):
        src, idx = e
        if (id(src), idx) not in qentry:
            m = mirror[id(src)]
            suffix = '' if m.op is None else '_' + (
                _output_name(src, idx)[len(src.name) + 1:] if src.op in _LEGACY else str(idx))
            if src.op is None and src.name in offline:     # MXNet's OfflineParams
                qn = src.name + '_quantize'
                qentry[(id(src), idx)] = [(_Node(None, qn + s), 0) for s in ('', '_min', '_max')]
            else:
                q = _Node('_contrib_quantize_v2', src.name + suffix + '_quantize',
                          {'out_type': quantized_dtype}, [(m, idx)], 3)
                qentry[(id(src), idx)] = [(q, 0), (q, 1), (q, 2)]
        return qentry[(id(src), idx)]

    def dequantized(src, idx):
        m = mirror[id(src)]
        if m.op == '_sg_mkldnn_fully_connected' and not m.attrs['with_eltwise'] \
                and nusers.get(id(src)) == 1:       # MXNet's FC + dequantize fusion
            m.attrs['enable_float_output'] = True
            m.nout = 1
            return m, 0
        if id(src) in quant and m.op != '_contrib_dequantize':
            d = _Node('_contrib_dequantize', src.name + '_dequantize', {},
                      [(m, 0), (m, 1), (m, 2)])
            mirror[id(src)] = d
            fp32_of[id(d)] = src
            return d, 0
        return m, idx

    for n in order:
        if id(n) in absorbed:                 # the relu fused into its conv/FC
            mirror[id(n)] = mirror[id(absorbed[id(n)])]
            fp32_of[id(mirror[id(n)])] = n
            continue
        if id(n) in quant:
            qop = _quantized_op(n)
            data, ranges = [], []
            for slot, (src, idx) in enumerate(n.inputs):
                if (n.op == 'Embedding' and slot == 0) or (n.op == 'BatchNorm' and slot) or \
                        (n.op == 'Convolution' and slot and id(n) in fused):
                    # FAvoidQuantizeInput: Embedding's indices, BatchNorm's gamma/beta/stats,
                    # the fused conv's float32 weight and bias
                    data.append((mirror[id(src)], idx))
                    continue
                if id(src) not in quant:
                    t = quantize_input((src, idx))
                else:
                    m = mirror[id(src)]
                    if m.op == '_contrib_dequantize':
                        m = m.inputs[0][0]
                    t = [(m, 0), (m, 1), (m, 2)]
                data.append(t[0])
                ranges += t[1:]
            if id(n) in fused:
                new = _fused_node(n, fused[id(n)], data, ranges)
            else:
                new = _Node(qop, 'quantized_' + n.name, n.attrs, data + ranges, 3)
            fp32_of[id(new)] = n
            if n.op in _REQUANTIZE and id(n) not in fused:
                new = _Node('_contrib_requantize', 'requantize_' + n.name,
                            {'out_type': quantized_dtype}, [(new, 0), (new, 1), (new, 2)], 3)
                fp32_of[id(new)] = n
        else:
            new = _Node(n.op, n.name, n.attrs, [dequantized(s, i) for s, i in n.inputs], n.nout)
            fp32_of[id(new)] = n
        mirror[id(n)] = new
    outs = [dequantized(n, i) for n, i in heads]
    calib = []
    for n in _dfs(outs):
        if n.op in _CALIB_OUTPUT and not n.attrs.get('enable_float_output'):
            calib.append(_output_name(fp32_of[id(n)], 0))     # FNeedCalibrateOutput
        elif n.op in ('_contrib_quantize_v2', '_contrib_requantize'):
            src, idx = n.inputs[0]
            if n.op == '_contrib_requantize':
                calib.append(_output_name(fp32_of[id(n)], idx))
            elif src.op is None:
                calib.append(src.name)
            else:
                calib.append(_output_name(fp32_of[id(src)], idx))
    return _dump(outs), calib


def _calibrate_quantized_sym(qsym, th_dict):
    """Write the thresholds into the quantize_v2/requantize nodes (as MXNet's
    SetCalibTableToQuantizedGraph: the fp32 output's name, values with std::to_string)."""
    if not th_dict:
        return qsym
    g = json.loads(qsym.tojson())
    nodes = g['nodes']
    for n in nodes:
        if n['op'] in _CALIB_OUTPUT:                          # calibrated on its own output
            src = n
        elif n['op'] in ('_contrib_quantize_v2', '_contrib_requantize'):
            src = nodes[n['inputs'][0][0]]
        else:
            continue
        name = src['name'] if src['op'] == 'null' else src['name'] + '_output'
        if name.startswith('quantized_'):
            name = name[len('quantized_'):]
        if name in th_dict:
            lo, hi = th_dict[name]
            n.setdefault('attrs', {})
            n['attrs']['min_calib_range'] = '%f' % lo
            n['attrs']['max_calib_range'] = '%f' % hi
    return _sym.load_json(json.dumps(g))


def _quantize_params(qsym, params, th_dict):
    """int8 copies of the weights and biases the quantized graph reads (quantize with the
    parameter's own min/max), the other parameters unchanged."""
    quantized = {}
    for name in qsym.list_arguments():
        if name.endswith(('weight_quantize', 'bias_quantize')):
            p = params[name[:-len('_quantize')]]
            val, vmin, vmax = ndarray.contrib.quantize(data=p, min_range=ndarray.min(p),
                                                       max_range=ndarray.max(p),
                                                       out_type='int8')
            quantized[name], quantized[name + '_min'] = val, vmin
            quantized[name + '_max'] = vmax
        elif name in params:
            quantized[name] = params[name]
        elif name.endswith('_min') and name[:-4] in th_dict:
            quantized[name] = ndarray.array([th_dict[name[:-4]][0]])
        elif name.endswith('_max') and name[:-4] in th_dict:
            quantized[name] = ndarray.array([th_dict[name[:-4]][1]])
    return quantized


from .quantization_calib import (  # noqa: E402,F401  (the calibration half)
    _LayerHistogramCollector, _LayerOutputMinMaxCollector, _get_optimal_threshold,
    _get_optimal_thresholds, combine_histogram)
from .quantization_api import (  # noqa: E402,F401  (the public functions)
    quantize_model, quantize_model_mkldnn, quantize_graph, calib_graph, quantize_net_v2,
    quantize_net)
