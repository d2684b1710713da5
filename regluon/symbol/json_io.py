"""MXNet's symbol JSON (nodes / arg_nodes / node_row_ptr / heads / attrs), both ways, and the
string form of operator attributes ("(3, 3)", "True", dtype codes)."""
import ast
import json

import numpy as np
import torch

from ..base import MXNetError, dtype_name
from ..ndarray.register import OPS
from ..ndarray.ops import control_flow_json as _control_flow
from .graph import (ARRAY_INPUTS, In, Node, array_inputs, needs_input,  # noqa: F401
                    num_outputs, signature)

MXNET_VERSION = 10901


class AttrList(list):
    """A setting MXNet writes in brackets, '[0, None]' (np-mode symbols give lists)."""


def _attr_str(v):
    if isinstance(v, bool) or v is None:
        return str(v)
    if type(v) is AttrList:
        return '[' + ', '.join(_attr_str(x) for x in v) + ']'
    if isinstance(v, (tuple, list)):
        return '(' + ', '.join(_attr_str(x) for x in v) + (',)' if len(v) == 1 else ')')
    if isinstance(v, type) or isinstance(v, np.dtype) or isinstance(v, torch.dtype):
        return dtype_name(v)
    return str(v)


_VARIADIC = ('concat', 'Concat', 'stack', 'add_n', 'ElementWiseSum', '_npi_concatenate',
             '_npi_stack', '_npi_hstack', '_npi_vstack', '_npi_dstack', '_npi_column_stack',
             '_npi_einsum', '_np_atleast_1d', '_np_atleast_2d', '_np_atleast_3d',
             '_rnn_param_concat')
# settings MXNet writes even when they are None (sym.arange(5): stop "None")
_KEEP_NONE = {'_arange': ('stop',),
              'RNN': ('projection_size', 'lstm_state_clip_min', 'lstm_state_clip_max')}


def _op_attrs(node):
    """The node's settings as MXNet writes them. A None is written ("None") for a setting
    whose default is not None (slice_axis's end=None), and left out for an optional array
    input (FullyConnected's bias=None, softmax's length=None), as MXNet does."""
    keep = set(_KEEP_NONE.get(node.op, ()))
    if any(v is None for v in node.kwargs.values()) and node.op in OPS:
        keep.update(p.name for p in signature(node.op) if p.default is not None)
    attrs = {k: v for k, v in node.kwargs.items()
             if not _has_input(v) and (v is not None or k in keep)}
    if node.op in _VARIADIC:
        attrs['num_args'] = len(node.inputs)     # MXNet requires it for variadic ops
    return attrs


def _has_input(v):
    if isinstance(v, In):
        return True
    return type(v) in (list, tuple) and any(_has_input(x) for x in v)


_FLOATS = {'inf': float('inf'), '-inf': float('-inf'), 'nan': float('nan')}


def parse_attr(s):
    if not isinstance(s, str):
        return s
    if s in _FLOATS:        # MXNet writes an unbounded clip as a_max "inf"
        return _FLOATS[s]
    try:
        return ast.literal_eval(s)
    except (ValueError, SyntaxError):
        return s


def attr_shape(node):
    s = node.attrs.get('__shape__')
    if s is None:
        return None
    s = parse_attr(s) if isinstance(s, str) else s
    return (s,) if isinstance(s, int) else tuple(s)


_DTYPE_NAME = {0: 'float32', 1: 'float64', 2: 'float16', 3: 'uint8', 4: 'int32', 5: 'int8',
               6: 'int64', 7: 'bool', 12: 'bfloat16'}
DTYPE_CODE = {v: str(k) for k, v in _DTYPE_NAME.items()}


def dtype_of_attr(d):
    if isinstance(d, str) and d.isdigit():          # MXNet stores __dtype__ as its type code
        return _DTYPE_NAME[int(d)]
    return d


_IGNORED_ATTRS = {'workspace', 'cudnn_tune', 'cudnn_off', 'lr_mult', 'wd_mult', 'ctx_group'}


# The name MXNet 1.9.1 writes for an operator regluon registers under an alias (its
# canonical name: `mx.sym.reshape` is written `Reshape`, `linalg_gemm2` `_linalg_gemm2`),
# found by building each with MXNet (tools/golden_symbol_names.py pins a sample). Written
# that way; read both ways.
CANONICAL = {
    'ElementWiseSum': 'add_n', 'Softmax': 'SoftmaxOutput', '_Div': 'elemwise_div',
    '_Minus': 'elemwise_sub', '_Mul': 'elemwise_mul', '_Plus': 'elemwise_add',
    '_div': 'elemwise_div', '_minus': 'elemwise_sub', '_mul': 'elemwise_mul',
    '_plus': 'elemwise_add', 'broadcast_axes': 'broadcast_axis',
    'broadcast_minus': 'broadcast_sub', 'broadcast_plus': 'broadcast_add', 'cast': 'Cast',
    'choose_element_0index': 'pick', 'concat': 'Concat', 'crop': 'slice',
    'ctc_loss': 'CTCLoss', '_contrib_ctc_loss': 'CTCLoss', '_contrib_CTCLoss': 'CTCLoss',
    'histogram': '_histogram', 'cumsum': '_np_cumsum', 'flatten': 'Flatten',
    'identity': '_copy', 'linalg_det': '_linalg_det',
    'linalg_extractdiag': '_linalg_extractdiag',
    'linalg_extracttrian': '_linalg_extracttrian', 'linalg_gelqf': '_linalg_gelqf',
    'linalg_gemm': '_linalg_gemm', 'linalg_gemm2': '_linalg_gemm2',
    'linalg_inverse': '_linalg_inverse', 'linalg_makediag': '_linalg_makediag',
    'linalg_maketrian': '_linalg_maketrian', 'linalg_potrf': '_linalg_potrf',
    'linalg_potri': '_linalg_potri', 'linalg_slogdet': '_linalg_slogdet',
    'linalg_sumlogdiag': '_linalg_sumlogdiag', 'linalg_syrk': '_linalg_syrk',
    'linalg_trmm': '_linalg_trmm', 'linalg_trsm': '_linalg_trsm', 'max_axis': 'max',
    'min_axis': 'min', 'pad': 'Pad', 'ravel_multi_index': '_ravel_multi_index',
    'reshape': 'Reshape', 'sample_exponential': '_sample_exponential',
    'sample_gamma': '_sample_gamma',
    'sample_generalized_negative_binomial': '_sample_generalized_negative_binomial',
    'sample_multinomial': '_sample_multinomial',
    'sample_negative_binomial': '_sample_negative_binomial',
    'sample_normal': '_sample_normal', 'sample_poisson': '_sample_poisson',
    'sample_uniform': '_sample_uniform', 'shuffle': '_shuffle', 'split': 'SliceChannel',
    'stop_gradient': 'BlockGrad', 'sum_axis': 'sum', 'swapaxes': 'SwapAxis',
    'unravel_index': '_unravel_index',
}
_FROM_CANONICAL = {v: k for k, v in CANONICAL.items() if v not in OPS}


def dumps(outputs, nodes):
    """MXNet's JSON for the graph of `outputs` ([(Node, index)]); `nodes` in topological order."""
    index = {id(n): i for i, n in enumerate(nodes)}
    out_nodes, row_ptr = [], [0]
    for n in nodes:
        entry = {'op': 'null' if n.is_var else CANONICAL.get(n.op, n.op), 'name': n.name}
        attrs = {k: _attr_str(v) for k, v in n.attrs.items()}
        subgraphs = None
        if n.op in _control_flow.OPS:    # foreach/while_loop/cond: locs and subgraphs
            extra, subgraphs = _control_flow.to_json(n, dumps)
            attrs.update(extra)
        elif not n.is_var:
            attrs.update({k: _attr_str(v) for k, v in _op_attrs(n).items()})
        if attrs:
            entry['attrs'] = dict(sorted(attrs.items()))
        entry['inputs'] = [[index[id(c)], i, 0] for c, i in n.inputs]
        if subgraphs:
            entry['subgraphs'] = subgraphs
        out_nodes.append(entry)
        row_ptr.append(row_ptr[-1] + n.num_outputs)
    return json.dumps({
        'nodes': out_nodes,
        'arg_nodes': [i for i, n in enumerate(nodes) if n.is_var],
        'node_row_ptr': row_ptr,
        'heads': [[index[id(n)], i, 0] for n, i in outputs],
        'attrs': _graph_attrs()}, indent=2)


def _graph_attrs():
    """The graph's attributes: MXNet writes is_np_shape while np shape semantics are on."""
    from ..numpy import _mode
    if _mode.active:
        return {'is_np_shape': ['int', 1], 'mxnet_version': ['int', MXNET_VERSION]}
    return {'mxnet_version': ['int', MXNET_VERSION]}


def without_amp_casts(outputs, nodes):
    """The graph with its amp_cast / amp_multicast nodes bypassed (each output read from the
    node's matching input), as MXNet's `tojson(remove_amp_cast=True)` writes it."""
    def source(node, i):
        while node.op in ('amp_cast', 'amp_multicast'):
            node, i = node.inputs[0 if node.op == 'amp_cast' else i]
        return copies.get(id(node), node), i
    copies = {}
    for n in nodes:
        if not n.is_var and n.op not in ('amp_cast', 'amp_multicast'):
            inputs = [source(c, i) for c, i in n.inputs]
            if any(a is not b for (a, _), (b, _) in zip(inputs, n.inputs)):
                copies[id(n)] = Node(n.op, n.name, n.args, n.kwargs, inputs, n.attrs,
                                     n.num_outputs, n.input_names)
    kept = [copies.get(id(n), n) for n in nodes if n.op not in ('amp_cast', 'amp_multicast')]
    return [source(n, i) for n, i in outputs], kept


def loads(text):
    """The heads [(Node, index)] of MXNet's JSON (as written by MXNet 1.x's tojson/export)."""
    try:
        doc = json.loads(text)
        raw_nodes, heads = doc['nodes'], doc['heads']
    except (ValueError, KeyError, TypeError) as e:
        raise MXNetError(f"load_json: not an MXNet symbol JSON ({e})") from None
    for n in raw_nodes:             # MXNet's canonical names regluon registers otherwise
        n['op'] = _FROM_CANONICAL.get(n['op'], n['op'])
    unknown = sorted({n['op'] for n in raw_nodes if n['op'] != 'null' and n['op'] not in OPS})
    if unknown:
        raise MXNetError(f"load_json: the graph uses operators regluon does not support: "
                         f"{', '.join(unknown)}")
    nodes = []
    for n in raw_nodes:
        attrs = {**n.get('param', {}), **n.get('attr', {}), **n.get('attrs', {})}
        if n['op'] == 'null':
            nodes.append(Node(None, n['name'], attrs=attrs))
            continue
        inputs = [(nodes[i[0]], i[1]) for i in n['inputs']]
        kwargs = {k: parse_attr(v) for k, v in attrs.items()
                  if not k.startswith('__') and k not in _IGNORED_ATTRS}
        user_attrs = {k: v for k, v in attrs.items() if k.startswith('__')}
        table = ARRAY_INPUTS.get(n['op'])
        if table:
            present = [s for s in table if needs_input(n['op'], s, kwargs)]
            names = present[:len(inputs)]
            args, tkw = [], {s: In(i) for i, s in enumerate(names)}
        else:
            # the kernel's positional parameters name the inputs (RNN: data, parameters,
            # state, state_cell), as shape rules look them up
            params = []
            for p in signature(n['op']):
                if p.kind not in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD):
                    break
                params.append(p.name)
            names = [params[i] if i < len(params) else f'arg{i}' for i in range(len(inputs))]
            args, tkw = [In(i) for i in range(len(inputs))], {}
            table = array_inputs(n['op'])
            present = [s for s in table or () if needs_input(n['op'], s, kwargs)]
            if len(present) == len(inputs) and present != names:
                # an input left out by the settings (RNN's sequence_length after state
                # without state_cell): by MXNet's names, not by position
                names, args, tkw = present, [], {s: In(i) for i, s in enumerate(present)}
        if n.get('subgraphs'):          # control flow (ndarray/ops/control_flow_json.py)
            kwargs = _control_flow.from_json(n['op'], kwargs, [loads(json.dumps(g))
                                                               for g in n['subgraphs']])
        accepted = {p.name for p in signature(n['op'])}
        if not any(p.kind == p.VAR_KEYWORD for p in signature(n['op'])):
            kwargs = {k: v for k, v in kwargs.items() if k in accepted}
        tkw.update(kwargs)
        nodes.append(Node(n['op'], n['name'], args, tkw, inputs, user_attrs,
                          num_outputs(n['op'], kwargs), names))
    return [(nodes[h[0]], h[1]) for h in heads]


def read(fname):
    """The text of a `-symbol.json` file (an MXNetError if it cannot be read)."""
    try:
        with open(fname, encoding='utf-8') as f:
            text = f.read()
    except OSError as e:
        raise MXNetError(f"load: cannot read symbol file {fname}: {e}") from None
    return text
