"""MXNet's symbol JSON (nodes / arg_nodes / node_row_ptr / heads / attrs), both ways, and the
string form of operator attributes ("(3, 3)", "True", dtype codes)."""
import ast
import json

import numpy as np
import torch

from ..base import MXNetError, dtype_name
from ..ndarray.register import OPS
from .graph import (ARRAY_INPUTS, In, Node, needs_input, num_outputs,  # noqa: F401
                    signature)

MXNET_VERSION = 10901


def _attr_str(v):
    if isinstance(v, bool) or v is None:
        return str(v)
    if isinstance(v, (tuple, list)):
        return '(' + ', '.join(_attr_str(x) for x in v) + (',)' if len(v) == 1 else ')')
    if isinstance(v, type) or isinstance(v, np.dtype) or isinstance(v, torch.dtype):
        return dtype_name(v)
    return str(v)


_VARIADIC = ('concat', 'Concat', 'stack', 'add_n', 'ElementWiseSum')


def _op_attrs(node):
    attrs = {k: v for k, v in node.kwargs.items()
             if not _has_input(v) and v is not None}
    if node.op in _VARIADIC:
        attrs['num_args'] = len(node.inputs)     # MXNet requires it for variadic ops
    return attrs


def _has_input(v):
    if isinstance(v, In):
        return True
    return type(v) in (list, tuple) and any(_has_input(x) for x in v)


def parse_attr(s):
    if not isinstance(s, str):
        return s
    try:
        return ast.literal_eval(s)
    except (ValueError, SyntaxError):
        return s


def attr_shape(node):
    s = node.attrs.get('__shape__')
    if s is None:
        return None
    return tuple(parse_attr(s)) if isinstance(s, str) else tuple(s)


_DTYPE_NAME = {0: 'float32', 1: 'float64', 2: 'float16', 3: 'uint8', 4: 'int32', 5: 'int8',
               6: 'int64', 7: 'bool', 12: 'bfloat16'}
DTYPE_CODE = {v: str(k) for k, v in _DTYPE_NAME.items()}


def dtype_of_attr(d):
    if isinstance(d, str) and d.isdigit():          # MXNet stores __dtype__ as its type code
        return _DTYPE_NAME[int(d)]
    return d


_IGNORED_ATTRS = {'workspace', 'cudnn_tune', 'cudnn_off', 'lr_mult', 'wd_mult', 'ctx_group'}


def dumps(outputs, nodes):
    """MXNet's JSON for the graph of `outputs` ([(Node, index)]); `nodes` in topological order."""
    index = {id(n): i for i, n in enumerate(nodes)}
    out_nodes, row_ptr = [], [0]
    for n in nodes:
        entry = {'op': 'null' if n.is_var else n.op, 'name': n.name}
        attrs = {k: _attr_str(v) for k, v in n.attrs.items()}
        if not n.is_var:
            attrs.update({k: _attr_str(v) for k, v in _op_attrs(n).items()})
        if attrs:
            entry['attrs'] = dict(sorted(attrs.items()))
        entry['inputs'] = [[index[id(c)], i, 0] for c, i in n.inputs]
        out_nodes.append(entry)
        row_ptr.append(row_ptr[-1] + n.num_outputs)
    return json.dumps({
        'nodes': out_nodes,
        'arg_nodes': [i for i, n in enumerate(nodes) if n.is_var],
        'node_row_ptr': row_ptr,
        'heads': [[index[id(n)], i, 0] for n, i in outputs],
        'attrs': {'mxnet_version': ['int', MXNET_VERSION]}}, indent=2)


def loads(text):
    """The heads [(Node, index)] of MXNet's JSON (as written by MXNet 1.x's tojson/export)."""
    try:
        doc = json.loads(text)
        raw_nodes, heads = doc['nodes'], doc['heads']
    except (ValueError, KeyError, TypeError) as e:
        raise MXNetError(f"load_json: not an MXNet symbol JSON ({e})") from None
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
