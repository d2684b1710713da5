"""MXNet's JSON for the control-flow nodes `_foreach`, `_while_loop` and `_cond`
(ops/control_flow.py), both ways: each subgraph is a graph of its own in the node's
"subgraphs" list, and the node's `*_locs` attributes say which node input feeds which
subgraph input (symbol/json_io.py calls `to_json` and `from_json`)."""
import json

from ...base import MXNetError
from .control_flow import Subgraph

OPS = ('_foreach', '_while_loop', '_cond')
_SUBGRAPHS = {'_foreach': ('body',), '_while_loop': ('cond', 'func'),
              '_cond': ('pred', 'then_branch', 'else_branch')}


def _standalone(g, dumps):
    """(JSON document of subgraph `g` as its own graph, the slot of each of its inputs).
    Outer entries become variables ('<node>_output' for an operator's output, as MXNet cuts
    them)."""
    from ...symbol.graph import Node, topo_order
    var = {}
    for j, (n, i) in enumerate(g.slots):
        v = n if n.is_var else Node(None, f'{n.name}_output' + (str(i) if n.num_outputs > 1
                                                                 else ''))
        var[id(n), i] = v
    copies = {}

    def entry(n, i):
        return (var[id(n), i], 0) if (id(n), i) in var else (copies[id(n)], i)
    for node in g.order:
        copies[id(node)] = Node(node.op, node.name, node.args, node.kwargs,
                                [entry(*e) for e in node.inputs], node.attrs,
                                node.num_outputs, node.input_names)
    outputs = [entry(n, i) for n, i in g.outputs]
    order = topo_order(outputs)
    slot = {id(var[id(n), i]): j for j, (n, i) in enumerate(g.slots)}
    return json.loads(dumps(outputs, order)), [slot[id(n)] for n in order if n.is_var]


def to_json(node, dumps):
    """(attributes, subgraph documents) of a control-flow node, as MXNet 1.9.1 writes them."""
    kw = node.kwargs
    docs, locs = [], []
    for key in _SUBGRAPHS[node.op]:
        doc, slots = _standalone(kw[key], dumps)
        docs.append(doc)
        locs.append([kw[key].locs[j] for j in slots])    # node input of each subgraph input
    attrs = {'num_args': len(node.inputs) + len(docs), 'num_outputs': kw['num_outputs']}
    try:
        if node.op == '_foreach':
            n_data, n_states = kw['num_data'], kw['num_states']
            n_in = len(node.inputs)
            attrs.update(in_data_locs=[locs[0].index(k) for k in range(n_data)],
                         in_state_locs=[locs[0].index(k)
                                        for k in range(n_data, n_data + n_states)],
                         remain_locs=[locs[0].index(k)
                                      for k in range(n_data + n_states, n_in)],
                         num_out_data=kw['num_out_data'])
        elif node.op == '_while_loop':
            attrs.update(cond_input_locs=locs[0], func_input_locs=locs[1],
                         func_var_locs=[locs[1].index(k) for k in kw['var_locs']],
                         max_iterations=kw['max_iterations'], num_out_data=kw['num_out_data'])
        else:
            attrs.update(cond_input_locs=locs[0], then_input_locs=locs[1],
                         else_input_locs=locs[2])
    except ValueError:
        raise MXNetError(f"Saving {node.op} node '{node.name}' as MXNet JSON: every loop "
                         "variable (data, state) must be used in the loop body, as MXNet "
                         "requires") from None
    return {k: str(v) for k, v in attrs.items()}, docs


def from_json(op, kw, subgraphs):
    """The kernel arguments of a control-flow node read from MXNet's JSON: `kw` its parsed
    attributes, `subgraphs` the heads [(Node, index)] of each of its subgraphs."""
    graphs = [Subgraph.loaded(heads) for heads in subgraphs]
    if len(graphs) != len(_SUBGRAPHS.get(op, ())):
        raise MXNetError(f"load_json: a {op} node needs {len(_SUBGRAPHS.get(op, ()))} "
                         f"subgraphs, got {len(graphs)}")
    common = {'num_outputs': kw['num_outputs']}
    if op == '_foreach':
        g = graphs[0]
        order = list(kw['in_data_locs']) + list(kw['in_state_locs']) + list(kw['remain_locs'])
        g.locs = [order.index(j) for j in range(len(g.slots))]
        return dict(body=g, num_data=len(kw['in_data_locs']),
                    num_states=len(kw['in_state_locs']), num_out_data=kw['num_out_data'],
                    **common)
    if op == '_while_loop':
        c, f = graphs
        c.locs, f.locs = list(kw['cond_input_locs']), list(kw['func_input_locs'])
        return dict(cond=c, func=f, max_iterations=kw['max_iterations'],
                    var_locs=[f.locs[j] for j in kw['func_var_locs']],
                    num_out_data=kw['num_out_data'], **common)
    for g, key in zip(graphs, ('cond_input_locs', 'then_input_locs', 'else_input_locs')):
        g.locs = list(kw[key])
    return dict(pred=graphs[0], then_branch=graphs[1], else_branch=graphs[2], **common)
