"""Graph nodes and their evaluation: the one interpreter behind Symbol, executors and
hybridized blocks. A node calls the same kernel (`OPS[op].kernel`) that `nd.<op>` calls."""
import inspect
import math

import torch

from ..base import MXNetError
from ..ndarray.register import OPS

# Inputs of these ops that are auxiliary states (updated in place, not differentiated).
AUX_INPUTS = {'BatchNorm': ('moving_mean', 'moving_var'),
              'SyncBatchNorm': ('moving_mean', 'moving_var'),
              'BatchNorm_v1': ('moving_mean', 'moving_var'),
              '_contrib_BatchNormWithReLU': ('moving_mean', 'moving_var'),
              '_contrib_SyncBatchNorm': ('moving_mean', 'moving_var'),
              'IdentityAttachKLSparseReg': ('moving_avg',),
              '_contrib_quantized_batch_norm': ('moving_mean', 'moving_var')}
# MXNet's names of the outputs of multi-output ops (list_outputs: '<node>_<name>_output').
OUTPUT_NAMES = {'RNN': ('output', 'state', 'statecell')}
# Legacy (OperatorProperty) ops name their outputs '<node>_<name>' (ops/proposal.py).
LEGACY_OUTPUT_NAMES = {'_contrib_Proposal': ('output', 'score'),
                       '_contrib_MultiProposal': ('output', 'score')}
# Array inputs by position, for ops whose missing inputs become variables `<name>_<input>`.
ARRAY_INPUTS = {
    'FullyConnected': ('data', 'weight', 'bias'),
    'Convolution': ('data', 'weight', 'bias'),
    'Deconvolution': ('data', 'weight', 'bias'),
    '_contrib_DeformableConvolution': ('data', 'offset', 'weight', 'bias'),
    '_contrib_ModulatedDeformableConvolution': ('data', 'offset', 'mask', 'weight', 'bias'),
    'BatchNorm': ('data', 'gamma', 'beta', 'moving_mean', 'moving_var'),
    'BatchNorm_v1': ('data', 'gamma', 'beta', 'moving_mean', 'moving_var'),
    '_contrib_BatchNormWithReLU': ('data', 'gamma', 'beta', 'moving_mean', 'moving_var'),
    '_contrib_SyncBatchNorm': ('data', 'gamma', 'beta', 'moving_mean', 'moving_var'),
    'IdentityAttachKLSparseReg': ('data', 'moving_avg'),
    'LayerNorm': ('data', 'gamma', 'beta'),
    'InstanceNorm': ('data', 'gamma', 'beta'),
    'GroupNorm': ('data', 'gamma', 'beta'),
    'Embedding': ('data', 'weight'),
    'LeakyReLU': ('data', 'gamma'),
    'SoftmaxOutput': ('data', 'label'),
    'LinearRegressionOutput': ('data', 'label'),
    'LogisticRegressionOutput': ('data', 'label'),
    'ROIPooling': ('data', 'rois'),
    '_contrib_ROIAlign': ('data', 'rois'),
    '_contrib_RROIAlign': ('data', 'rois'),
    '_contrib_PSROIPooling': ('data', 'rois'),
}


# MXNet's registry (tools/gen_op_inputs.py): every operator's arguments and, where compose
# creates missing inputs as variables, which inputs a node has for its settings
_REGISTRY = None


def mxnet_registry():
    """{operator: {'names', 'types'[, 'inputs', 'default', 'when']}} (op_inputs.json)."""
    global _REGISTRY  # pylint: disable=global-statement
    if _REGISTRY is None:
        import json
        import os
        with open(os.path.join(os.path.dirname(__file__), 'op_inputs.json'),
                  encoding='utf-8') as f:
            _REGISTRY = json.load(f)
    return _REGISTRY


def array_inputs(opname):
    """MXNet's array inputs of `opname` in positional order, for an op whose missing inputs
    become variables `<name>_<input>` (None for others: the numpy ops, variable-length
    inputs, or a kernel whose parameters do not take MXNet's input names)."""
    if opname in ARRAY_INPUTS:
        return ARRAY_INPUTS[opname]
    if opname in _TABLES:
        return _TABLES[opname]
    table = None
    entry = mxnet_registry().get(opname)
    if entry and 'inputs' in entry and not opname.startswith('_np') and opname in OPS:
        keywords = {p.name for p in signature(opname)
                    if p.kind in (p.POSITIONAL_OR_KEYWORD, p.KEYWORD_ONLY)}
        if set(entry['inputs']) <= keywords:
            table = tuple(entry['inputs'])
    _TABLES[opname] = table
    return table


_TABLES = {}
_TRUE = (True, 1, 'True', 'true', '1')


def _present(opname, kwargs):
    """The inputs MXNet's node of `opname` has with settings `kwargs` (op_inputs.json)."""
    entry = mxnet_registry()[opname]
    have = set(entry['default'])
    for key, seen in entry.get('when', {}).items():
        value = kwargs.get(key)
        if value is None:
            continue
        if set(seen) == {'False', 'True'}:
            value = 'True' if value in _TRUE else 'False'
        got = seen.get(str(value))
        if got is not None:
            have |= set(got) - set(entry['default'])
            have -= set(entry['default']) - set(got)
    return have


class In:
    """Placeholder in a node's argument template for its i-th input."""
    __slots__ = ('i',)

    def __init__(self, i):
        self.i = i

    def __repr__(self):
        return f'In({self.i})'


class Node:
    """One graph node: a variable (op None) or an op applied to input node outputs."""
    __slots__ = ('op', 'name', 'args', 'kwargs', 'inputs', 'attrs', 'num_outputs',
                 'input_names', '__weakref__')

    def __init__(self, op, name, args=(), kwargs=None, inputs=(), attrs=None,
                 num_outputs=1, input_names=()):
        self.op, self.name = op, name
        self.args, self.kwargs = list(args), dict(kwargs or {})
        self.inputs = list(inputs)              # [(Node, output index)]
        self.input_names = list(input_names)    # MXNet's name for each input slot
        self.attrs = dict(attrs or {})
        self.num_outputs = num_outputs

    @property
    def is_var(self):
        return self.op is None

    def aux_input_slots(self):
        if self.op == 'Custom':     # its CustomOpProp's auxiliary states (ndarray/ops/custom.py)
            from ..ndarray.ops.custom import aux_slots
            return aux_slots(self)
        aux = AUX_INPUTS.get(self.op, ())
        return [i for i, n in enumerate(self.input_names) if n in aux]


def topo_order(heads):
    """Nodes reachable from `heads` ([(node, index)]) in dependency order (DFS post-order)."""
    order, seen, stack = [], set(), [(n, False) for n, _ in reversed(heads)]
    while stack:
        node, done = stack.pop()
        if done:
            order.append(node)
            continue
        if id(node) in seen:
            continue
        seen.add(id(node))
        stack.append((node, True))
        for child, _ in reversed(node.inputs):
            if id(child) not in seen:
                stack.append((child, False))
    return order


class _GivenNone:
    """A setting given as None: MXNet writes it ("axis": "None") where it was passed
    explicitly; the kernel gets None."""
    __slots__ = ()

    def __repr__(self):
        return 'None'

    __str__ = __repr__


NONE = _GivenNone()


def _fill(template, values):
    if isinstance(template, In):
        return values[template.i]
    if template is NONE:
        return None
    if type(template) in (list, tuple):
        return type(template)(_fill(t, values) for t in template)
    return template


def run_node(node, values, **override):
    """Apply node's kernel to input tensors `values` (and keyword arguments `override`);
    always returns a list of outputs."""
    entry = OPS.get(node.op)
    if entry is None:
        raise MXNetError(f"Operator {node.op} (node {node.name}) is not supported by regluon")
    args = [_fill(a, values) for a in node.args]
    kwargs = {k: _fill(v, values) for k, v in node.kwargs.items()}
    kwargs.update(override)
    try:
        out = entry.kernel(*args, **kwargs)
    except (RuntimeError, IndexError) as e:
        shapes = [tuple(v.shape) for v in values if isinstance(v, torch.Tensor)]
        raise MXNetError(f"Operator {node.op} (node {node.name}) failed on inputs of shapes "
                         f"{shapes}: {e}") from None
    return list(out) if isinstance(out, (list, tuple)) else [out]


def evaluate(heads, feed, order=None, resolved=None, monitor=None):
    """Compute the head outputs given `feed`: {variable name: torch.Tensor}; `resolved`
    is {id(node): shape} for creation nodes whose shape had sizes to infer (unknown_dims.py);
    `monitor(node, inputs, run)` runs each node instead (run(inputs) -> its outputs)."""
    order = order or topo_order(heads)
    results = {}
    device = None
    for node in order:
        if node.is_var:
            if node.name not in feed:
                raise MXNetError(f"no value was given for the input variable '{node.name}'")
            results[id(node)] = [feed[node.name]]
            if device is None and isinstance(feed[node.name], torch.Tensor):
                device = feed[node.name].device
        else:
            vals = [results[id(n)][i] for n, i in node.inputs]
            over = {}
            if device is not None and not node.inputs and _makes(node.op):
                # a creation node runs on the device of the graph's inputs, as an MXNet
                # executor places every node on its own context
                over['ctx'] = device
            if resolved and id(node) in resolved:
                over['shape'] = resolved[id(node)]
            results[id(node)] = run_node(node, vals, **over) if monitor is None else \
                monitor(node, vals, lambda v, node=node, over=over: run_node(node, v, **over))
    return [results[id(n)][i] for n, i in heads]


def compile_graph(heads, names, order=None):
    """`evaluate` as straight-line Python for a graph replayed many times (a hybridized
    block): `fn(*tensors)` takes the values of the variables `names` in that order and
    returns the head outputs. Each node becomes one kernel call with its settings bound
    at compile time, so a replay spends no time on templates, lookups or dicts. A kernel
    error re-runs `evaluate` for its message (naming the node)."""
    order = order or topo_order(heads)
    where = {}                    # id(node) -> (expression of its outputs, multi-output?)
    consts, lines = {}, []
    slot = {n: i for i, n in enumerate(names)}

    def const(v):
        key = f'c{len(consts)}'
        consts[key] = v
        return key

    def expr(template, node):
        if isinstance(template, In):
            child, i = node.inputs[template.i]
            var, multi = where[id(child)]
            return f'{var}[{i}]' if multi else var
        if template is NONE:
            return 'None'
        if type(template) in (list, tuple) and _holds_in(template):
            items = ', '.join(expr(t, node) for t in template)
            return f'[{items}]' if type(template) is list else f'({items},)'
        if template is None or type(template) in (bool, int, str) or (
                type(template) is float and math.isfinite(template)):
            return repr(template)
        return const(template)

    device = None
    for k, node in enumerate(order):
        if node.is_var:
            if node.name not in slot:
                raise MXNetError(f"no value was given for the input variable '{node.name}'")
            where[id(node)] = (f'a{slot[node.name]}', False)
            device = device or f'a{slot[node.name]}.device'
            continue
        entry = OPS.get(node.op)
        if entry is None:
            raise MXNetError(f"Operator {node.op} (node {node.name}) is not supported by "
                             "regluon")
        args = [expr(a, node) for a in node.args]
        kwargs = dict(node.kwargs)
        if device is not None and not node.inputs and _makes(node.op):
            kwargs['ctx'] = _DEVICE
        for key, v in kwargs.items():
            value = device if v is _DEVICE else expr(v, node)
            args.append(f'{key}={value}' if key.isidentifier() else f'**{{{key!r}: {value}}}')
        call = f"{const(entry.kernel)}({', '.join(args)})"
        multi = node.num_outputs != 1
        lines.append(f'r{k} = _many({call})' if multi else f'r{k} = _one({call})')
        where[id(node)] = (f'r{k}', multi)
    outs = []
    for n, i in heads:
        var, multi = where[id(n)]
        outs.append(f'{var}[{i}]' if multi else var)
    body = '\n        '.join(lines) or 'pass'
    src = (f"def run({', '.join(f'a{i}' for i in range(len(names)))}):\n"
           f"    try:\n        {body}\n"
           f"    except (RuntimeError, IndexError):\n"
           f"        return _again([{', '.join(f'a{i}' for i in range(len(names)))}])\n"
           f"    return [{', '.join(outs)}]\n")

    def again(values):
        return evaluate(heads, dict(zip(names, values)), order)
    scope = {'_one': _one, '_many': _many, '_again': again, **consts}
    exec(compile(src, '<regluon graph>', 'exec'), scope)  # noqa: S102 (our own source)
    return scope['run']


_DEVICE = object()      # "the device of the graph's inputs" in compile_graph


def _holds_in(template):
    return any(isinstance(t, In) or (type(t) in (list, tuple) and _holds_in(t))
               for t in template)


def _one(out):
    """A single-output node's result (a kernel may return it in a one-element list)."""
    return out[0] if type(out) in (list, tuple) else out


def _many(out):
    """A multi-output node's results, as `run_node` lists them."""
    return list(out) if isinstance(out, (list, tuple)) else [out]


def _makes(opname):
    """Whether operator `opname` creates its output on a device given as `ctx` (creation
    and sampling operators)."""
    return opname in OPS and any(p.name == 'ctx' for p in signature(opname))


# ---- operator metadata for building and loading graphs ---------------------------------
_SIGS = {}


def signature(opname):
    """The kernel's parameters of operator `opname` (cached)."""
    if opname not in _SIGS:
        kernel = OPS[opname].kernel
        try:
            params = list(inspect.signature(kernel).parameters.values())
        except (TypeError, ValueError):
            params = []
        _SIGS[opname] = params
    return _SIGS[opname]


# (data, min, max) triples of the INT8 operators (ndarray/ops/quantized.py)
QUANTIZED_3_OUTPUTS = frozenset(
    '_contrib_' + n for n in ('quantize', 'quantize_v2', 'requantize', 'quantized_conv',
                              'quantized_fully_connected', 'quantized_pooling',
                              'quantized_act', 'quantized_flatten', 'quantized_concat',
                              'quantized_elemwise_add', 'quantized_elemwise_mul',
                              'quantized_batch_norm', 'quantized_embedding'))


def num_outputs(opname, kwargs):
    """How many outputs a node of `opname` with these arguments has."""
    if opname in ('split', 'SliceChannel'):
        n = kwargs.get('num_outputs', 1)
        return n
    if opname in ('_split_v2', '_npi_hsplit', '_npi_dsplit'):    # np.split: `sections`
        return kwargs.get('sections') or len(kwargs.get('indices') or ()) or 1  # or indices
    if opname == 'split_v2':    # sym.split_v2(indices_or_sections=): a part per section/index
        ios = kwargs.get('indices_or_sections', 1)
        if isinstance(ios, str):    # a loaded graph's attribute: "3" or "(1, 3)"
            import ast  # pylint: disable=import-outside-toplevel
            ios = ast.literal_eval(ios)
        return int(ios) if isinstance(ios, int) else len(ios) + 1
    if opname in ('_np_atleast_1d', '_np_atleast_2d', '_np_atleast_3d'):  # one per input
        return kwargs.get('num_args', 1)
    if opname == 'topk' and kwargs.get('ret_typ') == 'both':
        return 2
    if opname in ('BatchNorm', 'BatchNorm_v1', '_contrib_BatchNormWithReLU',
                  '_contrib_SyncBatchNorm') and kwargs.get('output_mean_var'):
        return 3
    if opname in ('amp_multicast', '_contrib_rand_zipfian', '_histogram', 'histogram',
                  '_contrib_hawkesll', '_sample_unique_zipfian'):
        return {'amp_multicast': kwargs.get('num_outputs', 1),    # ops/extra.py
                '_contrib_rand_zipfian': 3}.get(opname, 2)
    if opname in ('_npi_eigh', '_npi_eig'):     # np.linalg: (w, v)
        return 2
    if opname == '_npi_svd':                    # np.linalg.svd: (ut, s, v)
        return 3
    if opname in ('moments', 'linalg_slogdet', 'linalg_gelqf', '_linalg_syevd',
                  '_contrib_bipartite_matching', '_contrib_box_encode',
                  '_contrib_calibrate_entropy'):
        return 2
    if opname in ('_sg_mkldnn_conv', '_sg_mkldnn_fully_connected'):  # ops/quantized_fused.py
        return 1 if kwargs.get('enable_float_output') else 3
    if opname == '_contrib_MultiBoxTarget' or opname in QUANTIZED_3_OUTPUTS:
        return 1 if kwargs.get('enable_float_output') else 3   # quantized_elemwise_mul
    if opname in ('_contrib_Proposal', '_contrib_MultiProposal'):   # ops/proposal.py
        return 2 if kwargs.get('output_score') else 1
    if opname == 'Custom':      # as many as its CustomOpProp lists (ndarray/ops/custom.py)
        from ..ndarray.ops.custom import output_names
        return len(output_names(kwargs))
    if opname in ('_foreach', '_while_loop', '_cond'):   # control flow (ops/control_flow.py)
        return kwargs['num_outputs']
    if opname == 'RNN' and kwargs.get('state_outputs'):
        return 3 if kwargs.get('mode') == 'lstm' else 2
    return 1


def needs_input(opname, slot, kwargs):
    """Whether `opname` takes its array input `slot` with these arguments (no bias with
    no_bias=True, gamma only for prelu)."""
    if 'inputs' in mxnet_registry().get(opname, {}):    # as MXNet's node with kwargs has
        return slot in _present(opname, kwargs)
    if slot == 'bias':
        return not kwargs.get('no_bias', False)
    if opname == 'LeakyReLU' and slot == 'gamma':
        return kwargs.get('act_type') == 'prelu'
    return True
