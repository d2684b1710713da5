"""Symbol-level AMP (`amp.convert_symbol` / `convert_model` / `convert_hybrid_block` /
`convert_bucketing_module`): MXNet 1.9.1's ReducePrecision graph pass, in Python.

The rewritten graph holds `amp_cast` / `amp_multicast` nodes named and wired as MXNet's
pass makes them (src/nnvm/low_precision_pass.cc, 1.9.1), so `tojson(remove_amp_cast=False)`
equals MXNet's. Nodes are visited in dependency order; each old node gets a copy, and two
tables remember which old outputs are already available in float32 or the target type:
- an fp32 op (or an excluded name): inputs known float32 are reused, variables are taken
  as they are (assumed float32), any other input gets `amp_cast` to float32;
- a target op (Convolution, FullyConnected, ...): every input becomes the target type
  (a shared `amp_cast` per output), except mutable inputs, inputs its type rule keeps
  float32 (BatchNorm's statistics) and, with `cast_optional_params`, parameters;
- a widest-type op (elemwise_add, ...): if every input's type is known, inputs are cast to
  the widest of them; otherwise one `amp_multicast` over all inputs;
- a conditional fp32 op (Activation softrelu, ...): as an fp32 op, variables included;
- any other op runs on what it gets; its outputs' types follow its first input.
Heads not known float32 get a final `amp_cast` to float32. Cast nodes are named
`<input node><suffix>_amp_cast_<dtype>` (suffix '' for variables, `_<output name>` for
operators that name their outputs, else `_<index>`) and `<input 0 node><suffix>_amp_multicast`.
Afterwards variables' `__dtype__` attributes are set from type inference as MXNet's C API does.
"""
import numpy as np

from ..base import MXNetError, dtype_name
from ..context import gpu
from ..symbol import graph
from ..symbol.graph import AUX_INPUTS, In, Node
from ..symbol.json_io import CANONICAL, DTYPE_CODE, _attr_str, dtype_of_attr
from ..symbol.symbol import Symbol
from .amp_lists import (list_conditional_fp32_ops, list_fp32_ops, list_lp16_fp32_ops,
                        list_lp16_ops, list_widest_type_cast)
_CASTS = ('amp_cast', 'amp_multicast')

# MXNet operators that name their outputs (FListOutputNames); cast nodes after their outputs
# are named `<node>_<output name>_amp_cast_*`, after other operators' `<node>_<index>_...`.
_NAMED_OUTPUTS = {
    'Activation', 'BatchNorm', 'BatchNorm_v1', 'BilinearSampler', 'CTCLoss', 'Concat',
    'Convolution', 'Correlation', 'Crop', 'Custom', 'Deconvolution', 'Dropout',
    'FullyConnected', 'GridGenerator', 'GroupNorm', 'IdentityAttachKLSparseReg',
    'InstanceNorm', 'L2Normalization', 'LRN', 'LayerNorm', 'LeakyReLU', 'MakeLoss', 'Pad',
    'Pooling', 'RNN', 'ROIPooling', 'SVMOutput', 'SequenceLast', 'SequenceMask',
    'SequenceReverse', 'SliceChannel', 'SoftmaxActivation', 'SoftmaxOutput',
    'SpatialTransformer', 'SwapAxis', 'UpSampling', '_contrib_BatchNormWithReLU',
    '_contrib_DeformableConvolution', '_contrib_DeformablePSROIPooling',
    '_contrib_ModulatedDeformableConvolution', '_contrib_MultiBoxDetection',
    '_contrib_MultiBoxPrior', '_contrib_MultiBoxTarget', '_contrib_MultiProposal',
    '_contrib_PSROIPooling', '_contrib_Proposal', '_contrib_ROIAlign', '_contrib_RROIAlign',
    '_contrib_SyncBatchNorm', '_contrib_count_sketch', '_contrib_fft', '_contrib_hawkesll',
    '_contrib_ifft', '_contrib_index_array', '_contrib_interleaved_matmul_encdec_qk',
    '_contrib_interleaved_matmul_encdec_valatt', '_contrib_interleaved_matmul_selfatt_qk',
    '_contrib_interleaved_matmul_selfatt_valatt', '_npi_concatenate', '_npi_dstack',
    '_npi_hstack', '_npi_matmul', '_npi_std', '_npi_var', '_rnn_param_concat', 'col2im',
    'elemwise_add', 'im2col', 'make_loss', 'softmax', 'softmin'}
_OUTPUT_NAMES = {'BatchNorm': ('output', 'mean', 'var'), 'Dropout': ('output', 'mask'),
                 'LayerNorm': ('output', 'mean', 'std'), 'RNN': ('output', 'state', 'statecell'),
                 '_contrib_BatchNormWithReLU': ('output', 'mean', 'var'),
                 '_contrib_SyncBatchNorm': ('output', 'mean', 'var')}
# operators whose parameter inputs (and extra outputs) are float32 for half-precision data
_FP32_PARAMS = set(AUX_INPUTS) | {'LayerNorm', 'InstanceNorm', 'GroupNorm'}
_FIXED_OUT = {'shape_array': 'int64', 'size_array': 'int64'}


def mx_op(node):
    """MXNet's name of the node's operator (as its JSON writes it)."""
    return CANONICAL.get(node.op, node.op)


def _suffix(node, i):
    if node.is_var:
        return ''
    op = mx_op(node)
    if op not in _NAMED_OUTPUTS:
        return f'_{i}'
    if op == 'SliceChannel':
        return f'_output{i}'
    names = _OUTPUT_NAMES.get(op, ('output',))
    return '_' + (names[i] if i < len(names) else f'output{i}')


def _out_types(node, in_type):
    """The node's output types when its first input has `in_type` (MXNet's FInferType)."""
    op = mx_op(node)
    dt = node.kwargs.get('dtype')
    if op in _FIXED_OUT:
        return [_FIXED_OUT[op]] * node.num_outputs
    if dt is not None and not isinstance(dt, In):
        return [dtype_name(dt)] * node.num_outputs
    if op in _FP32_PARAMS and in_type in ('float16', 'bfloat16'):
        return [in_type] + ['float32'] * (node.num_outputs - 1)
    return [in_type] * node.num_outputs


def _in_types(node, in_type):
    """Input types the node's type rule gives with its first input `in_type`."""
    if mx_op(node) in _FP32_PARAMS and in_type in ('float16', 'bfloat16'):
        return [in_type] + ['float32'] * (len(node.inputs) - 1)
    return [in_type] * len(node.inputs)


class _ReducePrecision:
    """One run of the pass over a graph's outputs (see the module docstring)."""

    def __init__(self, target, target_ops, fp32_ops, widest_ops, conditional, excluded,
                 data_names, cast_optional_params):
        self.target, self.target_ops, self.fp32_ops = target, set(target_ops), set(fp32_ops)
        self.widest_ops, self.excluded = set(widest_ops), set(excluded)
        self.conditional = {}
        for op, param, values in conditional:
            self.conditional.setdefault(op, {}).setdefault(param, []).extend(values)
        self.data_names, self.cast_optional = set(data_names), cast_optional_params
        self.mirror, self.fp32, self.lp = {}, {}, {}

    def new_entry(self, e):
        return (self.mirror[id(e[0])], e[1])

    def cast(self, e, dtype, table):
        node, i = e
        c = Node('amp_cast', f'{node.name}{_suffix(node, i)}_amp_cast_{dtype}', [In(0)],
                 {'dtype': dtype}, [self.new_entry(e)], input_names=['data'])
        table[node, i] = (c, 0)
        return (c, 0)

    def conditional_fp32(self, node):
        for param, values in self.conditional.get(mx_op(node), {}).items():
            if param in node.kwargs and _attr_str(node.kwargs[param]) in values:
                return True
        return False

    def run(self, outputs):
        for node in graph.topo_order(outputs):
            new = Node(node.op, node.name, node.args, node.kwargs, (), dict(node.attrs),
                       node.num_outputs, node.input_names)
            op = None if node.is_var else mx_op(node)
            excluded = node.name in self.excluded
            if op in self.fp32_ops or excluded:
                self.fp32_inputs(node, new, cast_vars=False)
            elif op in self.target_ops:
                self.lp_inputs(node, new)
            elif op in self.widest_ops:
                self.widest_inputs(node, new)
            elif op is not None and self.conditional_fp32(node):
                self.fp32_inputs(node, new, cast_vars=True)
            else:
                self.other_inputs(node, new)
            self.mirror[id(node)] = new
        heads = []
        for node, i in outputs:
            heads.append(self.fp32[node, i] if (node, i) in self.fp32 else
                         self.cast((node, i), 'float32', self.fp32))
        return heads

    def fp32_inputs(self, node, new, cast_vars):
        for i in range(node.num_outputs):
            self.fp32[node, i] = (new, i)
        mutable = node.aux_input_slots() if cast_vars else []
        for k, e in enumerate(node.inputs):
            if e in self.fp32:
                new.inputs.append(self.fp32[e])
            elif (e[0].is_var and not cast_vars) or k in mutable:
                new.inputs.append(self.new_entry(e))   # variables are taken as float32
            else:
                self.cast(e, 'float32', self.fp32)
                new.inputs.append(self.fp32[e])

    def lp_inputs(self, node, new):
        in_types = _in_types(node, self.target)
        for i, t in enumerate(_out_types(node, self.target)):
            if t == self.target:
                self.lp[node, i] = (new, i)
            elif t == 'float32':
                self.fp32[node, i] = (new, i)
        mutable = node.aux_input_slots()
        for k, e in enumerate(node.inputs):
            if e in self.lp:
                new.inputs.append(self.lp[e])
            elif (self.cast_optional and e[0].is_var and e[0].name not in self.data_names) \
                    or k in mutable or in_types[k] != self.target:
                new.inputs.append(self.new_entry(e))
                if self.cast_optional and e[0].is_var:   # a parameter stored in the target type
                    self.lp[e] = self.new_entry(e)
            else:
                new.inputs.append(self.cast(e, self.target, self.lp))

    def widest_inputs(self, node, new):
        if any(e not in self.lp and e not in self.fp32 for e in node.inputs):
            first = node.inputs[0]
            n = len(node.inputs)
            mc = Node('amp_multicast', f'{first[0].name}{_suffix(*first)}_amp_multicast',
                      [In(k) for k in range(n)], {'num_outputs': n},
                      [self.new_entry(e) for e in node.inputs], num_outputs=n,
                      input_names=['data'] * n)
            new.inputs.extend((mc, k) for k in range(n))
            return
        widest = 'float32' if any(e in self.fp32 for e in node.inputs) else self.target
        table = self.lp if widest == self.target else self.fp32
        for i in range(node.num_outputs):
            table[node, i] = (new, i)
        for e in node.inputs:
            new.inputs.append(table[e] if e in table else self.cast(e, widest, table))

    def other_inputs(self, node, new):
        if node.inputs and (node.inputs[0] in self.fp32 or node.inputs[0] in self.lp):
            t = self.target if node.inputs[0] in self.lp else 'float32'
            for i, out in enumerate(_out_types(node, t)):
                if out == self.target:
                    self.lp[node, i] = (new, i)
                elif out == 'float32':
                    self.fp32[node, i] = (new, i)
        new.inputs.extend(self.new_entry(e) for e in node.inputs)


def _infer_types(outputs, data_names, strict):
    """{(node, i): dtype name} over the converted graph, data variables float32 and
    parameters inferred from their consumers (MXNet's InferType after the pass); inputs of
    the operators in `strict` must agree in type, as MXNet checks."""
    nodes = graph.topo_order(outputs)
    types = {(n, 0): 'float32' for n in nodes if n.is_var and n.name in data_names}
    changed = True
    while changed:
        changed = False
        for node in nodes:
            if node.is_var:
                continue
            ins = [types.get(e) for e in node.inputs]
            op, fill = mx_op(node), []
            if op == 'amp_cast':          # its input is not inferred from it
                outs = [dtype_name(node.kwargs['dtype'])]
            elif op == 'amp_multicast':   # the widest known input (cast_narrow=False)
                known = [t for t in ins if t is not None]
                if not known:
                    continue
                outs = [max(known, key=lambda t: np.dtype(t if t != 'bfloat16' else 'f2')
                            .itemsize)] * node.num_outputs
            elif ins and (ins[0] is not None or
                          (op not in _FP32_PARAMS and any(t is not None for t in ins))):
                t = ins[0] or next(t for t in ins if t is not None)
                outs, fill = _out_types(node, t), _in_types(node, t)
            elif not ins:
                outs = _out_types(node, 'float32')
            else:
                continue
            for k, t in enumerate(fill):
                if ins[k] is None:
                    types[node.inputs[k]] = t
                    changed = True
                elif ins[k] != t and op in strict:
                    raise MXNetError(f"Error in operator {node.name}: Incompatible attr in node "
                                     f"{node.name} at {k}-th input: expected {t}, got {ins[k]}")
            for i, t in enumerate(outs):
                if types.get((node, i)) is None and t is not None:
                    types[node, i] = t
                    changed = True
    return types


def _infer_unknown(outputs, types, target):
    """MXNet's AMPInferUnknown pass (cast_optional_params): a parameter of unknown type
    read only by casts takes the cast's type."""
    result, visited = dict(types), {}

    def update(e, dtype):
        name = e[0].name
        if name not in visited:
            if result.get(e) is None:
                visited[name] = result[e] = dtype
        elif visited[name] != dtype:
            result[e] = types.get(e)
    for node in graph.topo_order(outputs):
        if node.op == 'amp_cast' and node.inputs[0][0].is_var:
            update(node.inputs[0], dtype_name(node.kwargs['dtype']))
        elif node.op == 'amp_multicast' and all(n.is_var for n, _ in node.inputs):
            for e in node.inputs:
                update(e, target)
    return result


def _set_dtype_attrs(outputs, types, model_params):
    """`__dtype__` of the model parameters (or, with none named, of the variables that had
    one) from the inferred types, unknown ones float32 (MXNet's _UpdateSymDTypeAttrs)."""
    for node in graph.topo_order(outputs):
        if not node.is_var:
            continue
        if (model_params and node.name in model_params) or \
                (not model_params and '__dtype__' in node.attrs):
            node.attrs['__dtype__'] = DTYPE_CODE[types.get((node, 0)) or 'float32']


# ---- conversion ------------------------------------------------------------------------------
def convert_symbol(sym, target_dtype="float16", target_dtype_ops=None, fp32_ops=None,
                   conditional_fp32_ops=None, excluded_sym_names=None, data_names=None,
                   cast_optional_params=False):
    """A copy of float32 graph `sym` with amp_cast/amp_multicast nodes so that the
    target-type operators run in `target_dtype` (MXNet's ReducePrecision pass).

    Parameters
    ----------
    sym : Symbol
        The float32 network.
    target_dtype : {'float16', 'bfloat16'}
    target_dtype_ops, fp32_ops : list of str, optional
        Override the operators run in the target type / in float32.
    conditional_fp32_ops : list of (str, str, list of str), optional
        (operator, parameter, values) that make the operator run in float32.
    excluded_sym_names : list of str, optional
        Names of nodes that stay float32.
    data_names : list of str, optional
        The data inputs (default: the inputs without a __dtype__ attribute).
    cast_optional_params : bool, default False
        Leave out the casts of parameters of target-type operators (the parameters are
        then stored in the target type; their __dtype__ says so).
    """
    assert isinstance(sym, Symbol), "First argument to convert_symbol should be Symbol"
    assert target_dtype in ['float16', 'bfloat16'], \
        "Only target_dtype float16 and bfloat16 are supported currently"
    if target_dtype_ops is not None:
        assert isinstance(target_dtype_ops, list), "target_dtype_ops should be a list of strs"
    else:
        target_dtype_ops = list_lp16_ops(target_dtype)
    if fp32_ops is not None:
        assert isinstance(fp32_ops, list), "fp32_ops should be a list of strs"
    else:
        fp32_ops = list_fp32_ops(target_dtype)
    if conditional_fp32_ops is not None:
        assert isinstance(conditional_fp32_ops, list), "conditional_fp32_ops should be a list"
    else:
        conditional_fp32_ops = list_conditional_fp32_ops(target_dtype)
    for c in conditional_fp32_ops:
        assert isinstance(c[0], str) and isinstance(c[1], str) and isinstance(c[2], list), \
            "conditional_fp32_ops should be a list of (str, str, list of str)"
    cond_names = [c[0] for c in conditional_fp32_ops]
    if excluded_sym_names is not None:
        assert isinstance(excluded_sym_names, list), "excluded_sym_names should be a list of strs"
    else:
        excluded_sym_names = []
    for (a, b), (na, nb) in (((target_dtype_ops, fp32_ops), ('target_dtype_ops', 'fp32_ops')),
                             ((target_dtype_ops, cond_names),
                              ('target_dtype_ops', 'conditional_fp32_ops')),
                             ((cond_names, fp32_ops), ('fp32_ops', 'conditional_fp32_ops'))):
        common = set(a) & set(b)
        assert not common, f"Ops cannot be in two or more lists. Common ops in {na} and {nb} " \
                           f"{common}"
    known = set(list_lp16_ops(target_dtype) + list_fp32_ops(target_dtype) +
                list_lp16_fp32_ops(target_dtype) +
                [c[0] for c in list_conditional_fp32_ops(target_dtype)])
    illegal = set(target_dtype_ops + fp32_ops + cond_names) - known
    assert not illegal, ("Can only choose ops from one of the three lists for lp16_ops and "
                         "fp32_ops 1. amp.list_lp16_ops(target_dtype) 2. amp.list_fp32_ops("
                         "target_dtype) 3. amp.list_lp16_fp32_ops(target_dtype) 4. "
                         f"amp.list_conditional_fp32_ops(target_dtype) Op {illegal} not in "
                         "any of them")
    inputs = [n for n in sym._nodes() if n.is_var]
    if data_names is None:
        data_names = [n.name for n in inputs if '__dtype__' not in n.attrs]
    model_params = {n.name for n in inputs} - set(data_names)
    rp = _ReducePrecision(target_dtype, target_dtype_ops, fp32_ops,
                          list_widest_type_cast(target_dtype), conditional_fp32_ops,
                          excluded_sym_names, data_names, cast_optional_params)
    outputs = rp.run(sym._outputs)
    types = _infer_types(outputs, set(data_names), set(target_dtype_ops))
    if cast_optional_params:
        types = _infer_unknown(outputs, types, target_dtype)
    _set_dtype_attrs(outputs, types, model_params)
    return Symbol(outputs)


def _cast_param(arr, dtype):
    """MXNet's _cast_symbol_NDArray for a parameter: bfloat16 casts happen on CPUs only."""
    if dtype != 'bfloat16':
        return arr.astype(dtype)
    from .. import ndarray as nd
    if arr.dtype != 'bfloat16' and np.dtype(arr.dtype) == np.float32 and \
            arr.context.device_type == 'cpu':
        return nd.amp_cast(arr, dtype='bfloat16')
    return arr


def _dtype_of(attrs, name):
    code = attrs.get(name, {}).get('__dtype__')
    return None if code is None or code == '-1' else dtype_of_attr(code)


def convert_model(sym, arg_params, aux_params, target_dtype="float16", target_dtype_ops=None,
                  fp32_ops=None, conditional_fp32_ops=None, excluded_sym_names=None,
                  cast_optional_params=False):
    """Convert a float32 model to mixed precision for inference: (converted Symbol,
    arg_params, aux_params), the parameters cast to the types the converted graph gives
    them (`arg_params`/`aux_params` are updated in place, as in MXNet).

    Parameters are those of `convert_symbol`; the data inputs are the graph's inputs that
    are not in `arg_params`/`aux_params`.
    """
    if excluded_sym_names is None:
        excluded_sym_names = []
    assert target_dtype in ['float16', 'bfloat16'], \
        "Only target_dtype float16 and bfloat16 are supported currently"
    assert isinstance(sym, Symbol), "First argument to convert_model should be Symbol"
    assert isinstance(arg_params, dict), \
        "Second argument to convert_model should be a dict of name to ndarray"
    assert isinstance(aux_params, dict), \
        "Third argument to convert_model should be a dict of name to ndarray"
    param_names = list(arg_params) + list(aux_params)
    data_names = [n for n in sym.list_inputs() if n not in set(param_names)]
    sym = convert_symbol(sym, target_dtype, target_dtype_ops, fp32_ops, conditional_fp32_ops,
                         excluded_sym_names, data_names, cast_optional_params)
    attrs = {n.name: n.attrs for n in sym._nodes() if n.is_var}
    for names, params in ((sym.list_arguments(), arg_params),
                          (sym.list_auxiliary_states(), aux_params)):
        for name in names:
            dt = _dtype_of(attrs, name)
            if dt is not None:
                params[name] = _cast_param(params[name], dt)
    return sym, arg_params, aux_params


def _block_graph(block):
    """(input variables, output Symbol) of a hybridized block that ran once (MXNet's
    block._cached_graph)."""
    from ..gluon.symbol_block import SymbolBlock, _flat
    from .. import symbol
    if isinstance(block, SymbolBlock):
        return block._cached_graph
    n = getattr(block, '_in_count', 0)
    if not block._active or not n:
        raise RuntimeError(
            "Please first call block.hybridize() and then run forward with "
            "this block at least once before calling export.")
    inputs = [symbol.var('data')] if n == 1 else [symbol.var('data%d' % i) for i in range(n)]
    out = block(*inputs)
    if isinstance(out, (list, tuple)):
        out = symbol.Group(_flat(out)[0])
    return inputs, out


def convert_hybrid_block(block, target_dtype="float16", target_dtype_ops=None, fp32_ops=None,
                         conditional_fp32_ops=None, excluded_sym_names=None, ctx=gpu(0),
                         cast_optional_params=False):
    """A SymbolBlock over the block's graph converted by `convert_symbol`, for inference.

    Parameters
    ----------
    block : HybridBlock
        The float32 model, hybridized and run once (or a SymbolBlock).
    target_dtype : {'float16', 'bfloat16'}
    target_dtype_ops, fp32_ops, conditional_fp32_ops, excluded_sym_names :
        As in `convert_symbol`.
    ctx : Context, default gpu(0)
        Where the parameters of the new block live (MXNet's default; pass mx.cpu() on a
        machine without a GPU).
    cast_optional_params : bool, default False
        As in `convert_symbol`.
    """
    from ..gluon import HybridBlock, SymbolBlock
    assert isinstance(block, HybridBlock), "block input should be a HybridBlock"
    inputs, sym = _block_graph(block)
    converted = convert_symbol(sym, target_dtype, target_dtype_ops, fp32_ops,
                               conditional_fp32_ops, excluded_sym_names,
                               data_names=[i.name for i in inputs],
                               cast_optional_params=cast_optional_params)
    arg_names = set(converted.list_arguments())
    aux_names = set(converted.list_auxiliary_states())
    attrs = {n.name: n.attrs for n in converted._nodes() if n.is_var}
    arg_dict = {}
    for name, param in block.collect_params().items():
        kind = 'arg' if name in arg_names else 'aux'
        assert kind == 'arg' or name in aux_names
        arr = param._reduce()
        dt = _dtype_of(attrs, name)
        arg_dict[f'{kind}:{name}'] = arr if dt is None else _cast_param(arr, dt)
    ret = SymbolBlock(converted, inputs)
    for key, param in ret.collect_params().items():
        for kind in ('arg', 'aux'):
            arr = arg_dict.get(f'{kind}:{key}')
            if arr is not None and param.dtype != arr.dtype:
                param.cast(arr.dtype)
    ret.collect_params().load_dict(arg_dict, ctx=ctx)
    return ret


def convert_bucketing_module(bucketing_mod, target_dtype="float16", target_dtype_ops=None,
                             fp32_ops=None, conditional_fp32_ops=None, excluded_sym_names=None,
                             cast_optional_params=False):
    """A BucketingModule whose buckets' symbols are converted by `convert_model` (with the
    current module's parameters, cast as the graphs need)."""
    from ..module import BucketingModule
    assert isinstance(bucketing_mod, BucketingModule), \
        "module should be instance of bucketing module"
    assert len(bucketing_mod._buckets) > 0, "Bucketing Module should not be empty"
    assert bucketing_mod.params_initialized, \
        "bucketing_mod params should be initialized for mixed precision conversion"
    arg_params = bucketing_mod._curr_module._arg_params
    aux_params = bucketing_mod._curr_module._aux_params
    sym_dict = {}
    for key, mod in bucketing_mod._buckets.items():
        sym_dict[key], arg_params, aux_params = convert_model(
            mod._symbol, arg_params, aux_params, target_dtype=target_dtype,
            target_dtype_ops=target_dtype_ops, fp32_ops=fp32_ops,
            conditional_fp32_ops=conditional_fp32_ops, excluded_sym_names=excluded_sym_names,
            cast_optional_params=cast_optional_params)
    return BucketingModule.load_dict(sym_dict, sym_gen=bucketing_mod._sym_gen,
                                     arg_params=arg_params, aux_params=aux_params,
                                     default_bucket_key=bucketing_mod._default_bucket_key,
                                     **bucketing_mod._module_kwargs)
