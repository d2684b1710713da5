"""`mx.viz`: a layer table (`print_summary`) and a graphviz drawing (`plot_network`) of a
Symbol — or of a hybridized Block, whose graph is traced for the purpose.

As in MXNet's drawings, inputs are ovals, operators are filled boxes labelled with their
main settings, and edges carry the tensor shapes when `shape` is given.
"""
import json
import math
import warnings

from .symbol import Symbol

__all__ = ['print_summary', 'plot_network']

_WEIGHT_LIKE = ('_weight', '_bias', '_beta', '_gamma', '_moving_var', '_moving_mean',
                '_running_var', '_running_mean')
_COLORS = ("#8dd3c7", "#fb8072", "#ffffb3", "#bebada", "#80b1d3", "#fdb462", "#b3de69",
           "#fccde5")


def _as_symbol(obj, shape):
    """A Symbol for `obj`: itself, or the traced graph of a (hybrid) Block."""
    if isinstance(obj, Symbol):
        return obj, shape
    if hasattr(obj, '_get_graph'):
        sym = obj._get_graph()
        if shape is not None and not isinstance(shape, dict):
            shape = {'data': tuple(shape)}
        return sym, shape
    raise TypeError("symbol must be a Symbol or a HybridBlock")


def _out_shapes(sym, shape):
    internals = sym.get_internals()
    _, out_shapes, _ = internals.infer_shape_strict(**shape)
    return dict(zip(internals.list_outputs(), out_shapes))


def _param_counts(sym, shape):
    """Learnable parameters feeding each op node (auxiliary states such as BatchNorm's
    running statistics are not counted, as in MXNet)."""
    arg_shapes, _, _ = sym.infer_shape_strict(**shape)
    sizes = dict(zip(sym.list_arguments(), arg_shapes))
    counts = {}
    for node in sym._nodes():
        if not node.is_var:
            counts[node.name] = sum(math.prod(sizes.get(c.name, ()) or (0,))
                                    for c, _ in node.inputs
                                    if c.is_var and c.name in sizes and c.name not in shape)
    return counts


def print_summary(symbol, shape=None, line_length=120, positions=(.44, .64, .74, 1.)):
    """Print each layer's name and type, output shape, parameter count and inputs."""
    sym, shape = _as_symbol(symbol, shape)
    shapes = _out_shapes(sym, shape) if shape else {}
    counts = _param_counts(sym, shape) if shape else {}
    nodes = json.loads(sym.tojson())['nodes']
    heads = {h[0] for h in json.loads(sym.tojson())['heads']}
    if positions[-1] <= 1:
        positions = [int(line_length * p) for p in positions]

    def row(fields):
        line = ''
        for i, field in enumerate(fields):
            line = (line + str(field))[:positions[i]]
            line += ' ' * (positions[i] - len(line))
        print(line)

    print('_' * line_length)
    row(['Layer (type)', 'Output Shape', 'Param #', 'Previous Layer'])
    print('=' * line_length)
    total = 0
    for i, node in enumerate(nodes):
        if node['op'] == 'null' and i > 0 and i not in heads:
            continue
        key = node['name'] if node['op'] == 'null' else node['name'] + '_output'
        out = 'x'.join(str(x) for x in shapes.get(key, ())[1:])
        prev = [nodes[j]['name'] for j, *_ in node['inputs']
                if nodes[j]['op'] != 'null' or nodes[j]['name'] in (shape or {})]
        n = counts.get(node['name'], 0)
        total += n
        row([f"{node['name']}({node['op']})", out, n, prev[0] if prev else ''])
        for p in prev[1:]:
            row(['', '', '', p])
        print(('=' if i == len(nodes) - 1 else '_') * line_length)
    print(f'Total params: {total}')
    print('_' * line_length)


def _label(node):
    """MXNet's node label and colour: the node's name, or the op and its main settings."""
    op, a, name = node['op'], node.get('attrs', {}), node['name']
    x = lambda s: 'x'.join(eval_tuple(s))  # noqa: E731
    if op == 'Convolution':
        return (f"Convolution\n{x(a['kernel'])}/{x(a['stride']) if 'stride' in a else '1'}, "
                f"{a['num_filter']}"), _COLORS[1]
    if op == 'FullyConnected':
        return f"FullyConnected\n{a['num_hidden']}", _COLORS[1]
    if op == 'BatchNorm':
        return name, _COLORS[3]
    if op == 'Activation':
        return f"Activation\n{a['act_type']}", _COLORS[2]
    if op == 'LeakyReLU':
        return f"LeakyReLU\n{a.get('act_type', 'Leaky')}", _COLORS[2]
    if op == 'Pooling':
        kernel = x(a['kernel']) if 'kernel' in a else '[]'
        stride = x(a['stride']) if 'stride' in a else '1'
        return f"Pooling\n{a['pool_type']}, {kernel}/{stride}", _COLORS[4]
    if op in ('Concat', 'Flatten', 'Reshape'):
        return name, _COLORS[5]
    if op == 'Softmax':
        return name, _COLORS[6]
    return (a['op_type'] if op == 'Custom' else name), _COLORS[7]


def _distinct_names(sym):
    """`sym`, or a copy whose repeated node names are made unique: MXNet infers per node,
    regluon's inference by name would give two same-named weights one shape."""
    conf = json.loads(sym.tojson())
    seen = set()
    renamed = False
    for i, node in enumerate(conf['nodes']):
        if node['name'] in seen:
            node['name'] = f"{node['name']}__viz{i}"
            renamed = True
        seen.add(node['name'])
    if not renamed:
        return sym
    from .symbol import load_json
    return load_json(json.dumps(conf))


def eval_tuple(s):
    s = s.strip('()[] ')
    return [v.strip() for v in s.split(',') if v.strip()]


def plot_network(symbol, title='plot', save_format='pdf', shape=None, dtype=None,
                 node_attrs=None, hide_weights=True):
    """A graphviz Digraph of the graph (render it with `.render()` or `.view()`).

    Parameters
    ----------
    symbol : Symbol or HybridBlock
    title : str
    save_format : str   ('pdf', 'png', 'svg', ...)
    shape : dict of input name -> shape, to label edges with tensor shapes
    node_attrs : dict of graphviz node attributes overriding the defaults
    hide_weights : bool  hide *_weight, *_bias, ... inputs (default True)
    """
    try:
        from graphviz import Digraph
    except ImportError:
        raise ImportError("Draw network requires graphviz library "
                          "(pip install graphviz, and the graphviz 'dot' program to render)") \
            from None
    sym, shape = _as_symbol(symbol, shape)
    # as MXNet: each output's shape and type by its name (the last of a repeated name)
    internals = sym.get_internals()
    inferable = _distinct_names(sym).get_internals()
    shape_dict = type_dict = None
    if shape is not None:
        _, out_shapes, _ = inferable.infer_shape(**shape)
        if out_shapes is None:
            raise ValueError("Input shape is incomplete")
        shape_dict = dict(zip(internals.list_outputs(), out_shapes))
    if dtype is not None:
        _, out_types, _ = inferable.infer_type(**dtype)
        if out_types is None:
            raise ValueError("Input type is incomplete")
        type_dict = dict(zip(internals.list_outputs(), out_types))
    nodes = json.loads(sym.tojson())['nodes']
    names = [n['name'] for n in nodes]
    if len(names) != len(set(names)):
        seen = set()
        repeated = set(n for n in names if n in seen or seen.add(n))
        warnings.warn("There are multiple variables with the same name in your graph, this "
                      "may result in cyclic graph. Repeated names: "
                      + ','.join(sorted(repeated)), RuntimeWarning)
    base = {'shape': 'box', 'fixedsize': 'true', 'width': '1.3', 'height': '0.8034',
            'style': 'filled'}
    base.update(node_attrs or {})
    dot = Digraph(name=title, format=save_format)
    hidden = set()
    for node in nodes:
        attr = dict(base)
        if node['op'] == 'null':
            if node['name'].endswith(_WEIGHT_LIKE):
                # MXNet draws no node for a weight; shown, it is an edge's bare end
                if hide_weights:
                    hidden.add(node['name'])
                continue
            attr['shape'] = 'oval'
            label, attr['fillcolor'] = node['name'], _COLORS[0]
        else:
            label, attr['fillcolor'] = _label(node)
        dot.node(name=node['name'], label=label, **attr)
    for node in nodes:
        if node['op'] == 'null':
            continue
        inputs = node['inputs'][:1] if node['op'] == '_contrib_BilinearResize2D' \
            else node['inputs']
        for j, *_ in inputs:
            src = nodes[j]
            if src['name'] in hidden:
                continue
            attr = {'dir': 'back', 'arrowtail': 'open', 'label': ''}
            key = src['name']
            if src['op'] != 'null':     # MXNet labels a multi-output op by its last output
                key += '_output'
                if 'num_outputs' in src.get('attrs', {}):
                    key += str(int(src['attrs']['num_outputs']) - 1)
            if shape_dict is not None:
                attr['label'] = 'x'.join(str(v) for v in shape_dict[key][1:])
            if type_dict is not None:
                attr['label'] += '(' + type_dict[key].__name__ + ')'
            dot.edge(tail_name=node['name'], head_name=src['name'], **attr)
    return dot
