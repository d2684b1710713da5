"""`SymbolBlock` (a Block running a Symbol graph) and `HybridBlock.export`, as in MXNet 1.x."""
from .. import ndarray as nd
from .. import symbol
from ..ndarray import NDArray
from .block import HybridBlock
from .parameter import DeferredInitializationError
from .parameter_dict import ParameterDict

__all__ = ['SymbolBlock', 'export']


def _common_prefix(names):
    if not names:
        return ''
    prefix = names[0]
    for name in names:
        i = 0
        while i < len(prefix) and i < len(name) and prefix[i] == name[i]:
            i += 1
        prefix = prefix[:i]
    return prefix


def _flat(args):
    """Flatten (nested) lists of arrays/symbols; the format regroups them (MXNet's _flatten)."""
    if not isinstance(args, (list, tuple)):
        # MXNet: a Symbol of several outputs (a Group) counts as that many arrays
        n = len(args.list_outputs()) if isinstance(args, symbol.Symbol) else 0
        return [args], n if n > 1 else 0
    flat, fmts = [], []
    for a in args:
        f, fmt = _flat(a)
        flat.extend(f)
        fmts.append(fmt)
    return flat, fmts


def _regroup(flat, fmt):
    def merge(args, fmt):
        if isinstance(fmt, int):
            return (args[0], args[1:]) if fmt == 0 else (args[:fmt], args[fmt:])
        ret = []
        for f in fmt:
            r, args = merge(args, f)
            ret.append(r)
        return ret, args
    return merge(flat, fmt)[0]


def export(block, path, epoch=0, remove_amp_cast=True):
    """HybridBlock.export: `path-symbol.json` and `path-%04d.params` ('arg:'/'aux:' names).

    The graph is what `hybrid_forward` builds on Symbol inputs named 'data' (one input) or
    'data0', 'data1', ... as MXNet names them.
    """
    n = getattr(block, '_in_count', 0)
    if not block._active or not n:
        raise RuntimeError(
            "Please first call block.hybridize() and then run forward with "
            "this block at least once before calling export.")
    names = ['data'] if n == 1 else ['data%d' % i for i in range(n)]
    out = block(*[symbol.var(name) for name in names])
    if isinstance(out, (list, tuple)):
        out = symbol.Group(_flat(out)[0])
    _save(out, block.collect_params(), path, epoch, remove_amp_cast)


def _save(out, params, path, epoch, remove_amp_cast):
    """Write graph `out` and the Parameters it uses as MXNet's export files."""
    out.save('%s-symbol.json' % path, remove_amp_cast=remove_amp_cast)
    arg_dict = {}
    for name in out.list_arguments():
        if name in params:
            arg_dict['arg:%s' % name] = params[name]._reduce()
    for name in out.list_auxiliary_states():
        if name in params:
            arg_dict['aux:%s' % name] = params[name]._reduce()
    nd.save('%s-%04d.params' % (path, epoch), arg_dict)


class SymbolBlock(HybridBlock):
    """A Block that runs a Symbol graph; its non-input arguments become Parameters.

    Parameters
    ----------
    outputs : Symbol or list of Symbol
        The outputs of the graph.
    inputs : Symbol or list of Symbol
        The variables of `outputs` that are inputs (the rest are Parameters).
    params : ParameterDict
        Parameters to share for the graph's arguments and auxiliary states.
    """

    def __init__(self, outputs, inputs, params=None):
        super().__init__(prefix=None, params=None)
        self._prefix = ''
        self._params = ParameterDict('', params)
        if isinstance(inputs, symbol.Symbol) and len(inputs.list_outputs()) == 1:
            inputs = [inputs]
        if isinstance(outputs, (list, tuple)) and len(outputs) == 1:
            outputs = outputs[0]
        syms, self._in_format = _flat(inputs)
        out, self._out_format = _flat(outputs)
        out = symbol.Group(out) if len(out) > 1 else out[0]
        input_names = set()
        for i in syms:
            assert len(i.get_internals().list_outputs()) == 1, \
                "Input symbols must be variable, but %s is an output of operators" % str(i)
            input_names.add(i.name)
        for arg in out.list_arguments():
            if arg not in input_names:
                self.params.get(arg, allow_deferred_init=True)
        for aux in out.list_auxiliary_states():
            if aux not in input_names:
                self.params.get(aux, grad_req='null', allow_deferred_init=True)
        self._cached_graph = syms, out
        len_prefix = len(_common_prefix(list(self._params.keys())))
        self._reg_params = {key[len_prefix:]: val for key, val in self._params.items()}

    @staticmethod
    def imports(symbol_file, input_names, param_file=None, ctx=None, allow_missing=False,
                ignore_extra=False):
        """Import a model saved by `HybridBlock.export` (or Module.save_checkpoint).

        Parameters
        ----------
        symbol_file : str
            Path to the symbol file.
        input_names : str or list of str
            Names of the input variables.
        param_file : str, optional
            Path to the parameter file.
        ctx : Context, default None
            Context to load the parameters on.
        allow_missing, ignore_extra : bool, default False
            As in `ParameterDict.load`.
        """
        sym = symbol.load(symbol_file)
        if isinstance(input_names, str):
            input_names = [input_names]
        ret = SymbolBlock(sym, [symbol.var(i) for i in input_names])
        if param_file is not None:
            ret.collect_params().load(param_file, ctx, allow_missing, ignore_extra,
                                      cast_dtype=True, dtype_source='saved')
        return ret

    def export(self, path, epoch=0, remove_amp_cast=True):
        """Save the graph and its Parameters (`path-symbol.json`, `path-%04d.params`), with
        the graph's own input names; as in MXNet, no forward is needed first."""
        _save(self._cached_graph[1], self.collect_params(), path, epoch, remove_amp_cast)

    def __repr__(self):
        syms, out = self._cached_graph
        return '{name}(\n{block} : {n_in} -> {n_out}\n)'.format(
            name=self.__class__.__name__, block=out, n_in=len(syms),
            n_out=len(out.list_outputs()))

    def infer_shape(self, *args):
        syms, out = self._cached_graph
        flat = [a for a in _flat(list(args))[0] if a is not None]
        arg_shapes, _, aux_shapes = out.infer_shape_strict(
            **{s.name: a.shape for s, a in zip(syms, flat)})
        shapes = dict(zip(out.list_arguments(), arg_shapes))
        shapes.update(zip(out.list_auxiliary_states(), aux_shapes))
        for name, p in self.params.items():
            p.shape = shapes[name]

    def forward(self, x, *args):
        syms, out = self._cached_graph
        flat, fmt = _flat([x] + list(args))
        if fmt != self._in_format:
            raise ValueError("Invalid input format: expected %s, got %s" % (self._in_format,
                                                                            fmt))
        if isinstance(x, symbol.Symbol):
            # inside a hybridized parent's trace (GluonCV's FeatureExpander): the graph with
            # its inputs composed; its Parameters stay free variables named as they are
            composed = out(**{s.name: a for s, a in zip(syms, flat)})
            return _regroup(list(composed), self._out_format)
        if not isinstance(x, NDArray):
            raise AssertionError("HybridBlock requires the first argument to forward be either "
                                 f"Symbol or NDArray, but got {type(x)}")   # MXNet's assert
        ctx = x.context
        try:
            feed = {p.name: p.data(ctx) for p in self.params.values()}
        except DeferredInitializationError:
            self.infer_shape(x, *args)
            for p in self.params.values():
                p._finish_deferred_init()
            feed = {p.name: p.data(ctx) for p in self.params.values()}
        feed.update({s.name: a for s, a in zip(syms, flat)})
        outs = out.eval(ctx, **feed)
        res = _regroup(outs, self._out_format)
        return res

    def hybrid_forward(self, F, x, *args, **kwargs):
        raise NotImplementedError
