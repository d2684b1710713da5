"""`mx.sym`: symbolic graphs whose nodes call the same kernels as `mx.nd`.

A Symbol is a list of node outputs. `sym.<op>(...)` adds a node for any registered
operator; `hybrid_forward(F=sym, ...)` builds the graph a hybridized block replays and
exports. JSON files are MXNet's format (nodes/arg_nodes/node_row_ptr/heads).
"""
import warnings

import numpy as np
import torch

from ..base import MXNetError, dtype_name, torch_dtype
from .. import attribute as _attribute
from .. import name as _name
from ..ndarray.ndarray import _STORAGE_TYPE_STR_TO_ID
from ..ndarray.register import OPS
from . import graph, json_io, unknown_dims
from .graph import In, Node, needs_input, num_outputs, signature
from .shapes import fill_param_shapes
from . import shapes as shapes_mod

__all__ = ['Symbol', 'Variable', 'var', 'Group', 'load', 'load_json', 'fromjson',
           'NotImplementedForSymbol']


class NotImplementedForSymbol(MXNetError):
    """A value-dependent operation was attempted on a Symbol (e.g. Python control flow in
    a hybridized block): symbols have no values. Use F.where/F.contrib ops, or don't
    hybridize the block."""

    def __init__(self, function, alias=None):
        super().__init__(f"Function {function} (alias {alias}) is not implemented for "
                         "Symbol and only available in NDArray." if alias else
                         f"{function} is not implemented for Symbol and only available in "
                         "NDArray: the block uses values (e.g. Python control flow or "
                         ".shape) in hybrid_forward, which a graph cannot; don't hybridize "
                         "it or use symbolic operators.")


def _node_attrs(node):
    """A node's attributes as MXNet's attr/list_attr/attr_dict give them: an operator's
    settings (kernel, num_filter, ...), then its attributes."""
    if node.is_var:
        return node.attrs
    return {**json_io._op_attrs(node), **node.attrs}


_CANNOT_INFER = 'infer_shape: cannot infer the shape of'
# operators whose MXNet shape function fails (rather than leaving the output unknown) when
# an input's shape is missing: infer_shape raises for them, as MXNet's does
_SHAPE_CHECKED = frozenset({'Correlation'})


class _CannotInfer(MXNetError):
    """A node's input shapes do not follow; `op` is the node's operator."""

    def __init__(self, msg, op):
        super().__init__(msg)
        self.op = op

# operators whose parameter inputs MXNet types float32 when the data is float16/bfloat16
_FLOAT32_PARAMS = ('BatchNorm', 'SyncBatchNorm', '_contrib_SyncBatchNorm')


# the np-mode _Symbol's method for each legacy Symbol-Symbol operator (Symbol._bin)
_NP_DUNDER = {'elemwise_add': '__add__', 'elemwise_sub': '__sub__', 'elemwise_mul': '__mul__',
              'elemwise_div': '__truediv__', '_mod': '__mod__', '_power': '__pow__',
              '_equal': '__eq__', '_not_equal': '__ne__', '_greater': '__gt__',
              '_greater_equal': '__ge__', '_lesser': '__lt__', '_lesser_equal': '__le__'}


class Symbol:
    """One or more outputs of graph nodes."""
    __slots__ = ('_outputs', '__weakref__')

    def __init__(self, outputs):
        self._outputs = list(outputs)          # [(Node, index)]

    # ---- identity ----------------------------------------------------------------------
    @property
    def name(self):
        if len(self._outputs) != 1:
            return None
        return self._outputs[0][0].name

    def __repr__(self):
        if len(self._outputs) == 1:
            return f'<Symbol {self.name}>'
        return f"<Symbol group [{', '.join(n.name for n, _ in self._outputs)}]>"

    def __len__(self):
        return len(self._outputs)

    def __iter__(self):
        return (Symbol([o]) for o in self._outputs)

    def __getitem__(self, index):
        if isinstance(index, str):
            names = self.list_outputs()
            if index not in names:
                raise ValueError(f"There is no output named {index!r}; outputs are {names}")
            index = names.index(index)
        if isinstance(index, slice):
            return Symbol(self._outputs[index])
        outs = self._expanded()
        return Symbol([outs[index]])

    def _expanded(self):
        """All outputs, a multi-output node giving one entry per output."""
        res = []
        for node, i in self._outputs:
            res.append((node, i))
        return res

    def __bool__(self):
        raise NotImplementedForSymbol('bool(Symbol)')

    def __copy__(self):
        return Symbol(self._outputs)

    def __call__(self, *args, **kwargs):
        """MXNet's compose: a copy of this graph whose free variables are replaced by the
        Symbols given by name (`net(fc3_data=other)`); `name=` names the new head node."""
        name = kwargs.pop('name', None)
        if args:
            raise MXNetError("compose: general composition only supports keyword arguments "
                             "(name=Symbol), as in MXNet")
        subst = kwargs
        for k, v in subst.items():
            if not isinstance(v, Symbol) or len(v._outputs) != 1:
                raise TypeError(f"compose: argument {k!r} must be a Symbol with one output, "
                                f"got {type(v).__name__}")
        done = {}

        def ref(node, i):
            if node.is_var and node.name in subst:
                return subst[node.name]._outputs[0]
            if node.is_var:
                return node, i
            if id(node) not in done:
                done[id(node)] = graph.Node(
                    node.op, node.name, node.args, node.kwargs,
                    [ref(n, j) for n, j in node.inputs], node.attrs, node.num_outputs,
                    node.input_names)
            return done[id(node)], i
        outs = [ref(n, i) for n, i in self._outputs]
        if name is not None and len(outs) == 1 and id(self._outputs[0][0]) in done:
            outs[0][0].name = name      # MXNet names the composed head node
        return Symbol(outs)

    def __deepcopy__(self, memo):
        return fromjson(self.tojson())

    def astype(self, *args, **kwargs):
        """Fluent `cast` (MXNet's Symbol.astype; the operator itself is named cast)."""
        return make_op('cast')(self, *args, **kwargs)

    def __getattr__(self, name):
        # Fluent methods (x.reshape(...), x.sum(...)) are the operators of the same name.
        if name.startswith('_') or name not in OPS:
            raise AttributeError(f"'Symbol' object has no attribute '{name}'")
        fn = make_op(name)
        return lambda *args, **kwargs: fn(self, *args, **kwargs)

    # ---- graph queries -------------------------------------------------------------------
    def _nodes(self):
        return graph.topo_order(self._outputs)

    def _aux_ids(self):
        aux = set()
        for node in self._nodes():
            for slot in node.aux_input_slots():
                aux.add(id(node.inputs[slot][0]))
        return aux

    def list_arguments(self):
        aux = self._aux_ids()
        return [n.name for n in self._nodes() if n.is_var and id(n) not in aux]

    def list_auxiliary_states(self):
        aux = self._aux_ids()
        return [n.name for n in self._nodes() if n.is_var and id(n) in aux]

    def list_inputs(self):
        return [n.name for n in self._nodes() if n.is_var]

    def list_outputs(self):
        names = []
        for node, i in self._outputs:
            if node.is_var:
                names.append(node.name)
            elif node.op == 'Custom':   # '<node>_<name>' for its CustomOpProp's outputs
                from ..ndarray.ops.custom import output_names
                names.append(f'{node.name}_{output_names(node.kwargs)[i]}')
            elif node.op in graph.LEGACY_OUTPUT_NAMES:
                names.append(f'{node.name}_{graph.LEGACY_OUTPUT_NAMES[node.op][i]}')
            elif node.num_outputs == 1:
                names.append(f'{node.name}_output')
            elif node.op in graph.OUTPUT_NAMES:
                out = graph.OUTPUT_NAMES[node.op][i]
                names.append(f"{node.name}_{'output' if out == 'output' else out + '_output'}")
            else:
                names.append(f'{node.name}_output{i}')
        return names

    def get_internals(self):
        outs = []
        for node in self._nodes():
            outs.extend((node, i) for i in range(node.num_outputs))
        return Symbol(outs)

    def get_children(self):
        node = self._outputs[0][0]
        return Symbol(node.inputs) if node.inputs else None

    def attr(self, key):
        if len(self._outputs) != 1:
            return None
        attrs = _node_attrs(self._outputs[0][0])
        value = attrs.get(key, attrs.get(_attribute.hidden_name(key)))
        return None if value is None else json_io._attr_str(value)   # strings, as MXNet

    def list_attr(self):
        return {k: json_io._attr_str(v)
                for k, v in _attribute.with_plain_names(_node_attrs(self._outputs[0][0])).items()}

    def attr_dict(self):
        return {n.name: {k: json_io._attr_str(v)
                         for k, v in _attribute.with_plain_names(attrs).items()}
                for n, attrs in ((n, _node_attrs(n)) for n in self._nodes()) if attrs}

    def _set_attr(self, **kwargs):
        for node, _ in self._outputs:
            node.attrs.update(kwargs)

    # ---- shape and type inference ----------------------------------------------------------
    def _infer(self, shapes, dtypes, partial=False, resolved=None):
        """Run the graph on meta tensors; returns ({var: meta tensor}, out metas).
        `resolved` receives the sizes found for placeholders (see unknown_dims.py)."""
        resolved = {} if resolved is None else resolved
        while True:
            try:
                return self._infer_pass(shapes, dtypes, partial, resolved)
            except unknown_dims.Restart:
                continue

    def _infer_pass(self, shapes, dtypes, partial, resolved):
        known, taint, later = {}, {}, {}
        for node in self._nodes():
            if not node.is_var:
                continue
            shp = shapes.get(node.name) or resolved.get(id(node)) or json_io.attr_shape(node)
            dt = dtypes.get(node.name) or node.attrs.get('__dtype__') or 'float32'
            dt = torch_dtype(json_io.dtype_of_attr(dt))
            if shp is not None and all(d > 0 for d in shp):
                known[node.name] = torch.empty(tuple(shp), dtype=dt, device='meta')
            elif unknown_dims.placeholder(node):
                later[node.name] = (node, shp, dt)   # a stand-in only if no rule fills it
        results = {}
        for node in self._nodes():
            if node.is_var:
                results[id(node)] = [known.get(node.name)]
                continue
            vals = [results[id(n)][i] for n, i in node.inputs]
            fill_param_shapes(node, vals, known)
            unknown_dims.fill_same_shape(node, vals, known)
            self._take_known(node, vals, known, results)
            stand_ins = [n for n, _ in node.inputs
                         if n.is_var and n.name not in known and n.name in later]
            for var in stand_ins:           # placeholders no shape rule filled
                _, shp, dt = later.pop(var.name)
                known[var.name], taint[id(var), 0] = unknown_dims.stand_in(var, shp, dt)
            if stand_ins:                   # the rules again, from the stand-ins' shapes
                self._take_known(node, vals, known, results)
                fill_param_shapes(node, vals, known)
                self._take_known(node, vals, known, results)
            if any(v is None for v in vals):
                if partial or (node.op in shapes_mod._CASTS and node.inputs[0][0].is_var):
                    # (a cast parameter: its consumer's shape rule fills it, shapes.py);
                    # a same-shape op's output has its known inputs' shape (MXNet's too)
                    ref = next((v for v in vals if v is not None), None) \
                        if node.op in unknown_dims.SAME_SHAPE else None
                    results[id(node)] = [None] * node.num_outputs if ref is None else \
                        [torch.empty(ref.shape, dtype=ref.dtype, device='meta')]
                    continue
                missing = [n.name for (n, i), v in zip(node.inputs, vals) if v is None]
                raise _CannotInfer(f"{_CANNOT_INFER} {missing} feeding {node.op} node "
                                   f"'{node.name}'; give their shapes", node.op)
            shp = unknown_dims.placeholder(node)
            if shp is not None and id(node) not in resolved:
                dt = torch_dtype(node.kwargs.get('dtype') or 'float32')
                meta, taint[id(node), 0] = unknown_dims.stand_in(node, shp, dt)
                results[id(node)] = [meta]
                continue
            taints = [taint.get((id(n), i), {}) for n, i in node.inputs]
            if any(taints):
                unknown_dims.resolve(node, vals, taints, resolved)
            results[id(node)] = _run_meta(node, vals, resolved.get(id(node)))
            if any(taints):
                for i, t in enumerate(unknown_dims.propagate(vals, taints, results[id(node)],
                                                                 node)):
                    taint[id(node), i] = t
        outs = [results[id(n)][i] for n, i in self._outputs]
        for node in self._nodes():   # a placeholder whose size nothing determined
            if (id(node), 0) in taint and id(node) not in resolved:
                if node.is_var:
                    known.pop(node.name, None)
                else:                # runs as it was inferred: size 1
                    resolved[id(node)] = tuple(results[id(node)][0].shape)
        return known, outs

    @staticmethod
    def _take_known(node, vals, known, results):
        """The inputs of `node` that are variables of known shape, into `vals`."""
        for k, (n, _) in enumerate(node.inputs):
            if n.is_var and vals[k] is None and n.name in known:
                vals[k] = known[n.name]
                results[id(n)] = [known[n.name]]

    def infer_shape(self, *args, **kwargs):
        """(arg_shapes, out_shapes, aux_shapes) from the given input shapes; as MXNet,
        (None, None, None) with a warning naming the arguments whose shapes do not follow
        (infer_shape_partial gives what does)."""
        try:
            return self._infer_shape(False, args, kwargs)
        except _CannotInfer as e:
            if e.op in _SHAPE_CHECKED:
                raise
        arg_shapes = self._infer_shape(True, args, kwargs)[0]
        unknowns = [f'{n}: {s}' for n, s in zip(self.list_arguments(), arg_shapes)
                    if not s or 0 in s]
        if len(unknowns) > 10:
            unknowns = unknowns[:10] + ['...']
        warnings.warn("Cannot decide shape for the following arguments (0s in shape means "
                      "unknown dimensions). Consider providing them as input:\n\t" +
                      "\n\t".join(unknowns), stacklevel=2)
        return None, None, None

    def infer_shape_strict(self, *args, **kwargs):
        """As infer_shape, raising MXNetError where a shape does not follow (regluon's
        executors, Module and visualization, which need every shape)."""
        return self._infer_shape(False, args, kwargs)

    def infer_shape_partial(self, *args, **kwargs):
        """As infer_shape, for partly known shapes: a 0 in a given shape is an unknown
        size, and the sizes that depend on it come back as 0 (MXNet 1.x's convention).
        With NumPy shape semantics (`mx.np_shape()`, `npx.set_np()`) the unknown size is
        -1 and an unknown shape None, as MXNet's."""
        from ..numpy import _mode
        if _mode.active:
            def np_form(shape):
                return None if shape == () else tuple(-1 if d == 0 else d for d in shape)
            res = self._infer_shape_partial(
                [None if a is None else tuple(0 if d == -1 else d for d in a) for a in args],
                {k: None if v is None else tuple(0 if d == -1 else d for d in v)
                 for k, v in kwargs.items()})
            return tuple([np_form(s) for s in part] for part in res)
        return self._infer_shape_partial(args, kwargs)

    def _infer_shape_partial(self, args, kwargs):
        shapes = dict(zip(self.list_arguments(), args)) if args else {}
        shapes = {k: tuple(v) for k, v in {**shapes, **kwargs}.items() if v is not None}
        for node in self._nodes():      # variables declared with unknown sizes: (1, 0, 0)
            attr = json_io.attr_shape(node) if node.is_var else None
            if attr and 0 in attr and node.name not in shapes:
                shapes[node.name] = attr
        if not any(0 in s for s in shapes.values()):
            return self._infer_shape(True, args, kwargs)
        # run with two stand-ins for the unknown sizes: what differs depends on them
        try:
            runs = [self._infer_shape(True, (), {k: tuple(d or size for d in s)
                                                 for k, s in shapes.items()})
                    for size in (13, 19)]
        except MXNetError:
            return self._infer_shape(True, args, kwargs)
        try:    # and a small one: a size a slice's end clips stays unknown (MXNet's)
            runs.append(self._infer_shape(True, (), {k: tuple(d or 2 for d in s)
                                                     for k, s in shapes.items()}))
        except MXNetError:
            pass

        def merge(*shapes):
            if len({len(s) for s in shapes}) != 1:
                return ()
            return tuple(d[0] if len(set(d)) == 1 else 0 for d in zip(*shapes))
        return tuple([merge(*same) for same in zip(*part)] for part in zip(*runs))

    def _infer_shape(self, partial, args, kwargs):
        shapes = dict(zip(self.list_arguments(), args)) if args else {}
        shapes.update({k: tuple(v) for k, v in kwargs.items() if v is not None})
        try:
            known, outs = self._infer(shapes, {}, partial)
        except _CannotInfer:
            # a variable used before the node whose rule gives its shape (abs(fc_weight)
            # ahead of the FullyConnected): the shapes one pass finds, then again
            if partial:
                raise
            found, _ = self._infer(shapes, {}, True)
            more = {k: tuple(t.shape) for k, t in found.items() if k not in shapes}
            if not more:
                raise
            known, outs = self._infer({**shapes, **more}, {}, False)

        def shp(name):
            t = known.get(name)
            return tuple(t.shape) if t is not None else ()
        return ([shp(n) for n in self.list_arguments()],
                [tuple(o.shape) if o is not None else () for o in outs],
                [shp(n) for n in self.list_auxiliary_states()])

    def infer_type(self, *args, **kwargs):
        """(arg_types, out_types, aux_types) as numpy types.

        As MXNet infers them: an op's inputs and outputs share one type (its first known
        input's), unless the op sets it (`dtype` of cast, one_hot, ...); so a variable takes
        the type of what it meets (FullyConnected's weight after a float32 cast is float32
        whatever the data). What nothing determines follows the first type given.
        """
        return self._infer_type(False, args, kwargs)

    def infer_type_partial(self, *args, **kwargs):
        """As infer_type, with None for the types nothing determines."""
        return self._infer_type(True, args, kwargs)

    def _infer_type(self, partial, args, kwargs):
        given = dict(zip(self.list_arguments(), args)) if args else {}
        given.update(kwargs)
        given = {k: dtype_name(v) for k, v in given.items() if v is not None}
        default = None if partial else next(iter(given.values()), 'float32')
        types = self._flow_types(given, default)
        # MXNet: BatchNorm keeps its parameters and statistics in float32 for half data
        forced = {}
        for node in self._nodes():
            if node.op in _FLOAT32_PARAMS and node.inputs:
                src, i = node.inputs[0]
                if types[id(src)][i] in ('float16', 'bfloat16'):
                    for var, _ in node.inputs[1:]:
                        if var.is_var and var.name not in given:
                            forced[var.name] = 'float32'
        if forced:
            types = self._flow_types({**given, **forced}, default)
        by_name = {n.name: types[id(n)][0] for n in self._nodes() if n.is_var}

        def typ(name):
            if name is None:
                return None
            return np.dtype(name).type if name != 'bfloat16' else name
        return ([typ(by_name[n]) for n in self.list_arguments()],
                [typ(types[id(n)][i]) for n, i in self._outputs],
                [typ(by_name[n]) for n in self.list_auxiliary_states()])

    def _flow_types(self, given, default):
        """{id(node): [dtype name per output]}: variables as given (or their __dtype__
        attribute); an op's outputs take its `dtype` argument (cast, one_hot, ...) or else
        its first known input's type, which its untyped variable inputs take too (repeated
        until nothing changes); what stays unknown is `default`."""
        nodes = self._nodes()
        types = {}
        for node in nodes:
            if node.is_var:
                dt = given.get(node.name) or node.attrs.get('__dtype__')
                types[id(node)] = [json_io.dtype_of_attr(dt) if dt is not None else None]
        for _ in range(len(nodes)):
            changed = False
            for node in nodes:
                if node.is_var:
                    continue
                ins = [types[id(c)][i] for c, i in node.inputs]
                if node.op in ('amp_cast', 'amp_multicast'):    # MXNet's AMP rule: the
                    if any(t is None for t in ins):              # kernel's
                        out = [None] * node.num_outputs
                    else:
                        res = graph.run_node(node, [torch.empty(0, dtype=torch_dtype(t))
                                                    for t in ins])
                        out = [dtype_name(t.dtype) for t in res]
                else:
                    ref = next((t for t in ins if t is not None), None)
                    if ref is not None:
                        for c, _ in node.inputs:
                            if c.is_var and types[id(c)][0] is None:
                                types[id(c)] = [ref]
                                changed = True
                    # (zeros_like/ones_like accept a dtype and ignore it, as MXNet's do)
                    dt = None if node.op in ('zeros_like', 'ones_like') else \
                        node.kwargs.get('dtype')
                    if dt is not None and not isinstance(dt, In):
                        ref = dtype_name(dt)
                    elif not node.inputs:
                        ref = default or 'float32'
                    out = [ref] * node.num_outputs
                if types.get(id(node)) != out:
                    types[id(node)] = out
                    changed = True
            if not changed:
                break
        for key, ts in types.items():
            types[key] = [default if t is None else t for t in ts]
        return types

    # ---- evaluation ----------------------------------------------------------------------
    def eval(self, ctx=None, **kwargs):
        """Evaluate with NDArray inputs given by name; returns a list of NDArrays."""
        from ..ndarray.ndarray import _box
        from .. import autograd
        feed = {k: v._t for k, v in kwargs.items()}
        resolved = {}
        if unknown_dims.has_placeholders(self._nodes()):
            self._infer({k: tuple(v.shape) for k, v in feed.items()}, {}, True, resolved)
        with torch.set_grad_enabled(autograd.is_recording()):   # recorded inside record()
            outs = graph.evaluate(self._outputs, feed, None, resolved)
        return [_box(t) for t in outs]

    def bind(self, ctx, args, args_grad=None, grad_req='write', aux_states=None,
             group2ctx=None, shared_exec=None):
        from .executor import Executor
        return Executor(self, ctx, args, args_grad, grad_req, aux_states)

    def simple_bind(self, ctx, grad_req='write', type_dict=None, stype_dict=None,
                    group2ctx=None, shared_arg_names=None, shared_exec=None,
                    shared_buffer=None, **kwargs):
        from .executor import simple_bind
        # MXNet reads only the tuples among kwargs as shapes (force_rebind=True is ignored)
        kwargs = {k: v for k, v in kwargs.items() if isinstance(v, (tuple, list))}
        return simple_bind(self, ctx, grad_req, type_dict or {}, kwargs)

    def debug_str(self):
        """The graph as MXNet's debug_str prints it: the outputs, then each node in
        dependency order (variables by name; operators with their inputs, a variable
        input's version, 1 for an auxiliary state, and their settings)."""
        lines = ['Symbol Outputs:']
        lines += [f'\toutput[{k}]={n.name}({i})' for k, (n, i) in enumerate(self._outputs)]
        for node in self._nodes():
            if node.is_var:
                lines.append(f'Variable:{node.name}')
                continue
            aux = set(node.aux_input_slots())
            lines += ['-' * 20, f'Op:{json_io.CANONICAL.get(node.op, node.op)}, '
                                f'Name={node.name}', 'Inputs:']
            for k, (src, i) in enumerate(node.inputs):
                version = f' version={int(k in aux)}' if src.is_var else ''
                lines.append(f'\targ[{k}]={src.name}({i}){version}')
            attrs = {k: json_io._attr_str(v) for k, v in json_io._op_attrs(node).items()}
            if attrs:
                lines.append('Attrs:')
                lines += [f'\t{k}={v}' for k, v in sorted(attrs.items())]
        return '\n'.join(lines) + '\n'

    # ---- serialization ---------------------------------------------------------------------
    def tojson(self, remove_amp_cast=True):
        """The graph as MXNet's JSON (loadable by MXNet 1.9.1's mx.sym.load_json); as
        MXNet, without its amp_cast/amp_multicast nodes unless remove_amp_cast=False."""
        if remove_amp_cast:
            return json_io.dumps(*json_io.without_amp_casts(self._outputs, self._nodes()))
        return json_io.dumps(self._outputs, self._nodes())

    def save(self, fname, remove_amp_cast=True):
        from ..util import atomic_write
        atomic_write(fname, self.tojson(remove_amp_cast).encode())

    # ---- arithmetic ----------------------------------------------------------------------
    # MXNet's operators and node names: `a + b` is elemwise_add named _plus0, `a + 1`
    # _plus_scalar named _plusscalar0, `a > b` the same-shape _greater, `-a` a * -1.0.
    def _bin(self, other, op_sym, op_scalar, hint=None):
        if isinstance(other, Symbol):
            if type(other) is not Symbol:   # an np-mode _Symbol: np semantics win, as in MXNet
                return getattr(type(other), _NP_DUNDER[op_sym])(self.as_np_ndarray(), other)
            return make_op(op_sym)(self, other, _hint=hint)
        return self._scalar(op_scalar, other, hint and hint + 'scalar')

    def _scalar(self, opname, value, hint=None):
        return make_op(opname)(self, scalar=value if type(value) is int else float(value),
                               _hint=hint)

    def __add__(self, o):
        return self._bin(o, 'elemwise_add', '_plus_scalar', '_plus')

    __radd__ = __add__

    def __sub__(self, o):
        return self._bin(o, 'elemwise_sub', '_minus_scalar', '_minus')

    def __rsub__(self, o):
        return self._scalar('_rminus_scalar', o, '_rminusscalar')

    def __mul__(self, o):
        return self._bin(o, 'elemwise_mul', '_mul_scalar', '_mul')

    __rmul__ = __mul__

    def __truediv__(self, o):
        return self._bin(o, 'elemwise_div', '_div_scalar', '_div')

    def __rtruediv__(self, o):
        return self._scalar('_rdiv_scalar', o, '_rdivscalar')

    def __mod__(self, o):
        return self._bin(o, '_mod', '_mod_scalar', '_mod')

    def __pow__(self, o):
        return self._bin(o, '_power', '_power_scalar', '_power')

    def __rpow__(self, o):
        return self._scalar('_rpower_scalar', o)

    def __neg__(self):
        return self * -1.0

    def __abs__(self):
        return self.abs()       # MXNet: abs(sym) is the abs operator

    def __eq__(self, o):
        return self._bin(o, '_equal', '_equal_scalar')

    def __ne__(self, o):
        return self._bin(o, '_not_equal', '_not_equal_scalar')

    def __gt__(self, o):
        return self._bin(o, '_greater', '_greater_scalar')

    def __ge__(self, o):
        return self._bin(o, '_greater_equal', '_greater_equal_scalar')

    def __lt__(self, o):
        return self._bin(o, '_lesser', '_lesser_scalar')

    def __le__(self, o):
        return self._bin(o, '_lesser_equal', '_lesser_equal_scalar')

    __hash__ = object.__hash__

    @property
    def shape(self):
        raise NotImplementedForSymbol('Symbol.shape')


# ---- building nodes --------------------------------------------------------------------------
def Variable(name, attr=None, shape=None, lr_mult=None, wd_mult=None, dtype=None, init=None,
             stype=None, **kwargs):
    """A named input of a graph (data, label or parameter)."""
    if not isinstance(name, str):
        raise TypeError('Expect a string for variable `name`')
    attrs = dict(_attribute.current_attrs(attr) or {})   # mx.AttrScope's attributes
    if shape is not None:         # (an int is a 1-D shape: MXNet keeps it as given)
        attrs['__shape__'] = int(shape) if isinstance(shape, (int, np.integer)) else \
            tuple(shape)
    if lr_mult is not None:
        attrs['__lr_mult__'] = lr_mult
    if wd_mult is not None:
        attrs['__wd_mult__'] = wd_mult
    if dtype is not None:
        attrs['__dtype__'] = json_io.DTYPE_CODE[dtype_name(dtype)]   # MXNet stores the type code
    if init is not None:
        attrs['__init__'] = init if isinstance(init, str) else \
            (init.dumps() if hasattr(init, 'dumps') else str(init))
    if stype is not None:         # MXNet stores the storage type's id
        attrs['__storage_type__'] = str(_STORAGE_TYPE_STR_TO_ID[stype])
    for k, v in kwargs.items():   # MXNet: extra attributes are named __key__
        attrs[k if k.startswith('__') and k.endswith('__') else f'__{k}__'] = \
            str(v) if k.startswith('__') else v
    return Symbol([(Node(None, name, attrs=attrs), 0)])


var = Variable


def Group(symbols):
    """One Symbol whose outputs are the outputs of `symbols`."""
    outs = []
    for s in symbols:
        if not isinstance(s, Symbol):
            raise TypeError(f"Group expects Symbols, got {type(s).__name__}")
        outs.extend(s._outputs)
    return Symbol(outs)


def _template(value, inputs, names, slot):
    if isinstance(value, Symbol):
        if len(value._outputs) != 1:
            return [_template(Symbol([o]), inputs, names, slot) for o in value._outputs]
        inputs.append(value._outputs[0])
        names.append(slot)
        return In(len(inputs) - 1)
    if type(value) in (list, tuple) and any(isinstance(v, Symbol) for v in value):
        return type(value)(_template(v, inputs, names, slot) for v in value)
    return value


def _holds_symbol(v):
    return isinstance(v, Symbol) or (type(v) in (list, tuple) and
                                     any(_holds_symbol(x) for x in v))


def _settings_by_name(opname, args, kwargs):
    """Trailing positional settings (`sym.transpose(x, (0, 2, 1))`) as keywords: the graph
    (and its JSON, where MXNet writes them as attributes) keeps settings by name."""
    params = signature(opname)
    args, kwargs = list(args), dict(kwargs)
    while args and len(args) <= len(params):
        p = params[len(args) - 1]
        if p.kind is not p.POSITIONAL_OR_KEYWORD or p.name in kwargs or \
                _holds_symbol(args[-1]):
            break
        kwargs[p.name] = args.pop()
    return tuple(args), kwargs


_VAR_INIT = {'moving_mean': {'__init__': '["zero", {}]'},
             'moving_var': {'__init__': '["one", {}]'},
             # MXNet's LeakyReLU(act_type='prelu') starts its slope at 0.25
             ('LeakyReLU', 'gamma'): {'__init__': '["Constant", {"value": 0.25}]'}}


_HIDDEN_KEYS = ('ctx_group', 'lr_mult', 'wd_mult', 'force_mirroring', 'mirror_stage',
                'profiler_scope')


def make_op(opname):
    """The `sym.<opname>` function: adds a node calling OPS[opname]'s kernel."""
    def create(*args, name=None, attr=None, out=None, _hint=None, **kwargs):
        node_name = _name.current().get(name, _hint or opname.lower())
        # MXNet: keyword arguments named __key__ (e.g. __layout__) are node attributes
        extra = {k: kwargs.pop(k) for k in [k for k in kwargs
                                             if k.startswith('__') and k.endswith('__')]}
        # MXNet's hidden keys given as arguments (FullyConnected(..., lr_mult=0)) are node
        # attributes both as __key__ and key, and pass on to the node's auto-created inputs
        hidden = {k: str(kwargs.pop(k)) for k in _HIDDEN_KEYS if k in kwargs}
        for k, v in list(hidden.items()):
            extra[f'__{k}__'] = v
        attr = {**(attr or {}), **{k: str(v) for k, v in extra.items()}} if extra else attr
        attr = _attribute.current_attrs(attr)   # mx.AttrScope's attributes
        args, kwargs = _settings_by_name(opname, args, kwargs)
        slots = [p.name for p in signature(opname)]
        table = graph.array_inputs(opname)
        if opname == 'Custom':      # its CustomOpProp's arguments and aux states
            from ..ndarray.ops.custom import input_names
            table = input_names(kwargs)
        if table:
            # Normalise the array inputs to keywords in MXNet's input order, creating
            # `<name>_<input>` variables for missing ones (MXNet's symbolic API does).
            for pos, a in enumerate(args[:len(table)]):
                kwargs.setdefault(table[pos], a)
            args = args[len(table):]
            # MXNet gives such a variable the operator's own attributes (the ones given),
            # and BatchNorm's moving statistics their initializer
            given = {k: json_io._attr_str(v) for k, v in kwargs.items()
                     if k not in table and v is not None and not isinstance(v, Symbol)}
            given.update({f'__{k}__': v for k, v in hidden.items()}, **hidden)
            given.update(attr or {})        # and the node's own attributes (attr=, AttrScope)
            for slot in table:
                if kwargs.get(slot) is None and needs_input(opname, slot, kwargs):
                    kwargs[slot] = Variable(f'{node_name}_{slot}',
                                            attr={**given, **_VAR_INIT.get(slot, {}),
                                                  **_VAR_INIT.get((opname, slot), {})})
            ordered = {s: kwargs.pop(s) for s in table if s in kwargs}
            if not args and opname not in graph.ARRAY_INPUTS and opname != 'Custom':
                # the leading inputs stay positional, as the kernel was called before
                # (np kernels box only their positional arrays)
                for slot in table:
                    if slot not in ordered:
                        break
                    args += (ordered.pop(slot),)
            kwargs = {**ordered, **kwargs}
        inputs, names = [], []
        targs = [_template(a, inputs, names, slots[i] if i < len(slots) else f'arg{i}')
                 for i, a in enumerate(args)]
        tkw = {k: _template(v, inputs, names, k) for k, v in kwargs.items()}
        node = Node(opname, node_name, targs, tkw, inputs, attr, num_outputs(opname, kwargs),
                    names)
        return Symbol([(node, i) for i in range(node.num_outputs)])
    create.__name__ = opname
    create.__doc__ = OPS[opname].kernel.__doc__
    return create


def fromjson(text):
    """A Symbol from MXNet's JSON (as written by MXNet 1.x's tojson/export)."""
    return Symbol(json_io.loads(text))


load_json = fromjson


def load(fname):
    """A Symbol from an MXNet `-symbol.json` file."""
    return fromjson(json_io.read(fname))


def _run_meta(node, vals, shape=None):
    """Outputs of a node on meta tensors (falling back to real zeros if a kernel needs data,
    then ones: RNN's sequence lengths, then integer ones); `shape` is a creation node's
    resolved shape."""
    if shape is not None:
        return [torch.empty(shape, dtype=torch_dtype(node.kwargs.get('dtype') or 'float32'),
                            device='meta')]
    errors = (MXNetError, NotImplementedError, RuntimeError, TypeError, ValueError)
    try:
        return graph.run_node(node, vals)
    except errors:
        pass
    # shapes do not depend on types (MXNet infers them apart): a float array where the
    # kernel wants integers (softmax's length) has its shape inferred as an integer one's
    tries = [(torch.zeros, False), (torch.ones, False), (torch.ones, True)]
    for k, (fill, ints) in enumerate(tries):
        real = [fill(v.shape, dtype=torch.int64 if ints and j and v.is_floating_point()
                     else v.dtype) if isinstance(v, torch.Tensor) else v
                for j, v in enumerate(vals)]
        try:
            outs = graph.run_node(node, real)
        except errors:
            if k == len(tries) - 1:
                raise
            continue
        return [o.to('meta') if isinstance(o, torch.Tensor) else o for o in outs]
