"""`Block` and `HybridBlock`: the containers of Gluon models, named and nested as in MXNet 1.x.

Names follow MXNet exactly: a block made outside any parent's `name_scope()` takes the next
global count for its class (`dense0_`, `dense1_`); inside a parent's scope it takes the
parent's prefix and the parent's per-class count (`mlp0_dense0_`). HybridBlock runs eagerly:
`hybrid_forward(nd, x, **params)`; after `hybridize()` it is traced into a graph (gluon/cached.py).
"""
import re
import threading
import warnings
import weakref
from collections import OrderedDict

from .. import initializer
from ..base import MXNetError
from ..context import current_context
from .. import name as _name
from .. import ndarray as nd
from ..ndarray import NDArray
from .parameter import Parameter, ParameterDict, DeferredInitializationError, _indent
from . import cached
from ..numpy import _mode as _npmode

__all__ = ['Block', 'HybridBlock', 'SymbolBlock']


class _BlockScope:
    """The scope of `with block.name_scope():` that names the children made inside it."""
    _current = threading.local()

    def __init__(self, block):
        self._block = block
        self._counter = {}
        self._old_scope = None
        self._name_scope = None

    @staticmethod
    def create(prefix, params, hint):
        """The prefix and ParameterDict of a new block of kind `hint`."""
        current = getattr(_BlockScope._current, 'value', None)
        if current is None:
            if prefix is None:
                prefix = _name.current().get(None, hint) + '_'
            params = ParameterDict(prefix) if params is None else \
                ParameterDict(params.prefix, params)
            return prefix, params
        if prefix is None:
            count = current._counter.get(hint, 0)
            prefix = '%s%d_' % (hint, count)
            current._counter[hint] = count + 1
        if params is None:
            parent = current._block.params
            params = ParameterDict(parent.prefix + prefix, parent._shared)
        else:
            params = ParameterDict(params.prefix, params)
        return current._block.prefix + prefix, params

    def __enter__(self):
        if self._block._empty_prefix:
            return self
        self._old_scope = getattr(_BlockScope._current, 'value', None)
        _BlockScope._current.value = self
        self._name_scope = _name.Prefix(self._block.prefix)
        self._name_scope.__enter__()
        return self

    def __exit__(self, ptype, value, trace):
        if self._block._empty_prefix:
            return
        self._name_scope.__exit__(ptype, value, trace)
        self._name_scope = None
        _BlockScope._current.value = self._old_scope


class HookHandle:
    """A handle that can detach a forward (pre-)hook; also a context manager."""

    def __init__(self):
        self._hooks_dict_ref = None
        self._id = None

    def attach(self, hooks_dict, hook):
        """Put `hook` into `hooks_dict` (a block's hook table), remembering where."""
        assert not self._hooks_dict_ref, 'The same handle cannot be attached twice.'
        self._id = id(hook)
        hooks_dict[self._id] = hook
        self._hooks_dict_ref = weakref.ref(hooks_dict)

    def detach(self):
        """Remove the hook again (nothing if it is gone already)."""
        hooks_dict = self._hooks_dict_ref()
        if hooks_dict is not None and self._id in hooks_dict:
            del hooks_dict[self._id]

    def __getstate__(self):
        return (self._hooks_dict_ref(), self._id)

    def __setstate__(self, state):
        # as MXNet: a handle unpickled without its table holds an empty one
        self._hooks_dict_ref = weakref.ref(state[0] if state[0] is not None else OrderedDict())
        self._id = state[1]

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.detach()


def _first_ctx(args):
    """The context of the first NDArray in (nested) `args`, or None."""
    for a in args:
        if isinstance(a, NDArray):
            return a.context
        if isinstance(a, (list, tuple)):
            c = _first_ctx(a)
            if c is not None:
                return c
    return None


def _check_hybridized_call(block, inputs):
    """MXNet's checks of a HybridBlock call on arrays: no Symbols among them; and when
    hybridized (`block` given), only (nested lists of) arrays or None, on one context, in
    the structure of the first call (None where it had an array fails, but trailing Nones
    relying on default values pass)."""
    if block is not None:       # the common call: arrays, as the first call had, on one context
        stored = block.__dict__.get('_call_format')
        if stored is not None and len(stored) == len(inputs) and \
                all(f == 0 for f in stored) and all(isinstance(a, NDArray) for a in inputs):
            ctx = inputs[0]._ctx
            if all(a._ctx == ctx for a in inputs[1:]):
                return
    from .. import symbol
    ctxs = set()

    def walk(a):
        if isinstance(a, NDArray):
            ctxs.add(a.context)
            return 0
        if a is None:
            return -1
        if isinstance(a, symbol.Symbol):
            raise ValueError('In HybridBlock, we do not support mixed NDArrays and Symbols '
                             'types for the input. Please check the type of the args.\n')
        if isinstance(a, (list, tuple)):
            return [walk(b) for b in a]
        if block is None:
            return None
        raise ValueError("When hybridized, the input of HybridBlock input must be (nested) "
                         f"list of Symbol or NDArray, but got {a} of type {type(a)}")
    fmt = [walk(a) for a in inputs]
    if block is None:
        return
    if len(ctxs) > 1:
        raise ValueError('Find multiple contexts in the input, After hybridized, the '
                         'HybridBlock only supports one input context. You can print the '
                         'ele.ctx in the input arguments to inspect their contexts. Find all '
                         f'contexts = {ctxs}')
    stored = block.__dict__.get('_call_format')
    if stored is None:
        block._call_format = fmt
    elif fmt != stored:
        n = min(len(fmt), len(stored))
        longer = fmt if len(fmt) > len(stored) else stored
        if len(fmt) == len(stored) or fmt[:n] != stored[:n] or \
                any(f != -1 for f in longer[n:]):
            # (MXNet's message names the two the other way round)
            raise ValueError("The argument structure of HybridBlock does not match the "
                             f"cached version. Stored format = {fmt}, input format = "
                             f"{stored}")


class Block:
    """Base class for all neural network layers and models; subclass it for your models.

    Children assigned as attributes are registered (and their Parameters collected).

    Parameters
    ----------
    prefix : str
        Prefix of the names of this block's Parameters and children.
    params : ParameterDict or None
        Parameters to share, e.g. `nn.Dense(20, params=dense0.collect_params())`.
    """

    def __init__(self, prefix=None, params=None):
        self._empty_prefix = prefix == ''
        self._prefix, self._params = _BlockScope.create(prefix, params, self._alias())
        self._name = self._prefix[:-1] if self._prefix.endswith('_') else self._prefix
        self._scope = _BlockScope(self)
        self._children = OrderedDict()
        self._reg_params = {}
        self._forward_hooks = OrderedDict()
        self._forward_pre_hooks = OrderedDict()

    def __repr__(self):
        modstr = '\n'.join(['  ({key}): {block}'.format(key=key, block=_indent(repr(b), 2))
                            for key, b in self.__dict__.items() if isinstance(b, Block)])
        return '{name}(\n{modstr}\n)'.format(name=self.__class__.__name__, modstr=modstr)

    def __setattr__(self, name, value):
        """Register Blocks and Parameters assigned as attributes."""
        if hasattr(self, name):
            existing = getattr(self, name)
            if isinstance(existing, (Parameter, Block)) and not isinstance(value, type(existing)):
                raise TypeError('Changing attribute type for {name} from {type1} to {type2}'
                                'is not allowed.'.format(name=name, type1=type(existing),
                                                         type2=type(value)))
        if isinstance(value, Block):
            self.register_child(value, name)
        elif isinstance(value, Parameter):
            assert name not in self._reg_params, \
                "Overriding Parameter attribute %s is not allowed. " \
                "If you want to share parameters between blocks, please set " \
                "'params' at Block construction instead." % name
            self._reg_params[name] = value
        super().__setattr__(name, value)

    def _check_container_with_block(self):
        children = set(self._children.values())

        def unregistered(data):
            if isinstance(data, (list, tuple)):
                return any(unregistered(e) for e in data)
            if isinstance(data, dict):
                return any(unregistered(v) for v in data.values())
            return isinstance(data, Block) and data not in children
        for k, v in self.__dict__.items():
            if isinstance(v, (list, tuple, dict)) and not (k.startswith('__') or k == '_children'):
                if unregistered(v):
                    warnings.warn('"{name}" is an unregistered container with Blocks. '
                                  'Note that Blocks inside the list, tuple or dict will not be '
                                  'registered automatically. Make sure to register them using '
                                  'register_child() or switching to '
                                  'nn.Sequential/nn.HybridSequential instead. '
                                  .format(name=self.__class__.__name__ + "." + k), stacklevel=3)

    def _alias(self):
        return self.__class__.__name__.lower()

    @property
    def prefix(self):
        """Prefix of this Block."""
        return self._prefix

    @property
    def name(self):
        """Name of this Block, without the trailing '_'."""
        return self._name

    def name_scope(self):
        """A `with` scope in which new child blocks get this block's prefix."""
        return self._scope

    @property
    def params(self):
        """This Block's ParameterDict (without its children's Parameters)."""
        return self._params

    def collect_params(self, select=None):
        """A ParameterDict of this Block's and all its children's Parameters.

        Parameters
        ----------
        select : str
            A regular expression the full names must match, e.g. '.*weight|.*bias'.
        """
        self._check_container_with_block()
        ret = ParameterDict(self._params.prefix)
        if not select:
            ret.update(self.params)
        else:
            pattern = re.compile(select)
            ret.update({n: v for n, v in self.params.items() if pattern.match(n)})
        for cld in self._children.values():
            ret.update(cld.collect_params(select=select))
        return ret

    def _collect_params_with_prefix(self, prefix=''):
        """Parameters by structural name ('0.weight', 'features.1.bias')."""
        if prefix:
            prefix += '.'
        ret = {prefix + key: val for key, val in self._reg_params.items()}
        for name, child in self._children.items():
            ret.update(child._collect_params_with_prefix(prefix + name))
        return ret

    def save_parameters(self, filename, deduplicate=False):
        """Save the Parameters under their structural names in MXNet's binary format.

        Parameters
        ----------
        filename : str
            Path to file.
        deduplicate : bool, default False
            Save a shared Parameter once instead of under each of its names.
        """
        params = self._collect_params_with_prefix()
        if deduplicate:
            reverse = {v: k for k, v in params.items()}
            params = {v: k for k, v in reverse.items()}
        nd.save(filename, {key: val._reduce() for key, val in params.items()})

    def save_params(self, filename):
        """[Deprecated] Please use save_parameters."""
        warnings.warn("save_params is deprecated. Please use save_parameters. "
                      "Note that if you want load from SymbolBlock later, please "
                      "use export instead. For details, see "
                      "https://mxnet.apache.org/tutorials/gluon/save_load_params.html")
        self.collect_params().save(filename, strip_prefix=self.prefix)

    def load_parameters(self, filename, ctx=None, allow_missing=False, ignore_extra=False,
                        cast_dtype=False, dtype_source='current'):
        """Load Parameters saved by `save_parameters` (or, older, `collect_params().save`).

        Parameters
        ----------
        filename : str
            Path to parameter file.
        ctx : Context or list of Context, default cpu()
            Contexts to initialize loaded Parameters on.
        allow_missing : bool, default False
            Skip Parameters absent from the file instead of failing.
        ignore_extra : bool, default False
            Skip names in the file that this Block lacks instead of failing.
        cast_dtype : bool, default False
            Cast loaded arrays to the Parameters' dtype (or the reverse, see dtype_source).
        dtype_source : {'current', 'saved'}, default 'current'
            Which dtype wins when cast_dtype is True.
        """
        from .block_io import load_parameters
        load_parameters(self, filename, ctx, allow_missing, ignore_extra, cast_dtype,
                        dtype_source)

    def load_params(self, filename, ctx=None, allow_missing=False, ignore_extra=False):
        """[Deprecated] Please use load_parameters."""
        warnings.warn("load_params is deprecated. Please use load_parameters.")
        self.load_parameters(filename, ctx, allow_missing, ignore_extra)

    def save(self, prefix):
        """Save the structure (`<prefix>-model.json`) and parameters (`-model.params`).

        Parameters
        ----------
        prefix : str
            Prefix of the two file names.
        """
        from .block_io import save_model
        save_model(self, prefix)

    def load(self, prefix):
        """Load what `save` wrote into a Block built the same way (names are restored).

        Parameters
        ----------
        prefix : str
            Prefix of the two file names.
        """
        from .block_io import load_model
        load_model(self, prefix)

    def register_child(self, block, name=None):
        """Register `block` as a child (attributes that are Blocks are registered already)."""
        if name is None:
            name = str(len(self._children))
        self._children[name] = block

    def register_forward_pre_hook(self, hook):
        """Call `hook(block, inputs)` before each forward; returns a HookHandle."""
        handle = HookHandle()
        handle.attach(self._forward_pre_hooks, hook)
        return handle

    def register_forward_hook(self, hook):
        """Call `hook(block, inputs, outputs)` after each forward; returns a HookHandle."""
        handle = HookHandle()
        handle.attach(self._forward_hooks, hook)
        return handle

    def apply(self, fn):
        """Apply `fn(block)` to every child (recursively), then to self; returns self."""
        for cld in self._children.values():
            cld.apply(fn)
        fn(self)
        return self

    def initialize(self, init=initializer.Uniform(), ctx=None, verbose=False,
                   force_reinit=False):
        """Initialize the Parameters of this Block and its children.

        Parameters
        ----------
        init : Initializer, default Uniform(0.07)
            Global default Initializer (a Parameter's own `init` takes precedence).
        ctx : Context or list of Context
            Keep a copy of the Parameters on each of these contexts.
        verbose : bool, default False
            Log each initialization.
        force_reinit : bool, default False
            Re-initialize Parameters that already are.
        """
        self.collect_params().initialize(init, ctx, verbose, force_reinit)

    def hybridize(self, active=True, **kwargs):
        """Hybridize the HybridBlock children (see HybridBlock.hybridize)."""
        for cld in self._children.values():
            cld.hybridize(active, **kwargs)

    def cast(self, dtype):
        """Cast this Block's and its children's Parameters to `dtype`.

        Parameters
        ----------
        dtype : str or numpy.dtype
            The new data type.
        """
        for child in self._children.values():
            child.cast(dtype)
        for _, param in self.params.items():
            param.cast(dtype)

    def zero_grad(self):
        """Set the gradients of all Parameters (children's included) to 0."""
        self.collect_params().zero_grad()

    def reset_ctx(self, ctx):
        """Move all Parameters to other contexts.

        Parameters
        ----------
        ctx : Context or list of Context
            The new contexts.
        """
        self.collect_params().reset_ctx(ctx)

    def __call__(self, *args):
        """Run the forward hooks around `forward(*args)`."""
        if _npmode.active:      # npx.set_np(): np arrays in and out (regluon/numpy/_mode.py)
            return _npmode.block_call(self, args, Block._call)
        if self._forward_pre_hooks or self._forward_hooks:
            return self._call(*args)
        return self.forward(*args)      # (no hooks: every layer of an eager step)

    def _call(self, *args):
        for hook in self._forward_pre_hooks.values():
            hook(self, args)
        out = self.forward(*args)
        for hook in self._forward_hooks.values():
            hook(self, args, out)
        return out

    def forward(self, *args):
        """Override to implement the forward computation on NDArrays."""
        raise NotImplementedError

    def register_op_hook(self, callback, monitor_all=False):
        """Install an operator monitor (recorded on the children; runs once hybridized)."""
        for cld in self._children.values():
            cld.register_op_hook(callback, monitor_all)

    def summary(self, *inputs):
        """Print each layer's output shape and parameter count for a forward of `inputs`.

        Parameters
        ----------
        inputs : object
            Any input that the model supports.
        """
        from .summary import print_summary
        print_summary(self, inputs)


class HybridBlock(Block):
    """A Block whose `hybrid_forward(F, x, *args, **params)` can be traced.

    Here it runs eagerly with F = `mx.nd` and the Parameters' arrays as keyword arguments.
    Unknown Parameter shapes are inferred on the first forward by the layer's
    `infer_shape(*inputs)`.
    """

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._active = False
        self._flags = []
        self._graph_cache = None
        self._callback = None
        self._monitor_all = False

    def register_child(self, block, name=None):
        if not isinstance(block, HybridBlock):
            raise ValueError(
                "Children of HybridBlock must also be HybridBlock, "
                "but %s has type %s. If you are using Sequential, "
                "please try HybridSequential instead." % (str(block), str(type(block))))
        super().register_child(block, name)

    def hybridize(self, active=True, backend=None, clear=True, static_alloc=False,
                  static_shape=False, inline_limit=2, forward_bulk_size=None,
                  backward_bulk_size=None, **kwargs):
        """Trace this block into a graph on its next call and replay the graph after.

        Parameters
        ----------
        active : bool, default True
            Whether to turn hybrid on or off.
        static_alloc, static_shape : bool, default False
            Both True: compile each replay (a CUDA graph on GPU, torch.compile on CPU),
            once per input shapes/dtypes/context/training mode; see gluon/cached.py.
        """
        self._active = active
        self._flags = [('static_alloc', static_alloc), ('static_shape', static_shape),
                       ('inline_limit', inline_limit)]
        self._graph_cache = None             # traced again on the next call
        self._call_format = None             # the next call's argument structure is kept
        # MXNet's precedence, kept: any pre-hook warns, even when switching hybrid off
        if active and self._forward_hooks or self._forward_pre_hooks:
            warnings.warn('"{block}" is being hybridized while still having forward hook/'
                          'pre-hook. If "{block}" is a child of HybridBlock, the hooks will '
                          'not take effect.'.format(block=self))
        super().hybridize(active, static_alloc=static_alloc, static_shape=static_shape,
                          inline_limit=inline_limit)

    def infer_shape(self, *args):
        """Fill the unknown dimensions of this block's Parameters from the inputs.

        Layers with deferred shapes override this. The default does what MXNet does for
        every block: run hybrid_forward on Symbols and infer the graph's shapes (so a
        custom layer with a (units, 0) weight fed to F.FullyConnected works unchanged).
        """
        from .. import symbol
        unknown = [p for p in self._reg_params.values()
                   if p.shape is None or not all(d > 0 for d in p.shape)]
        shapes = {f'data{i}': a.shape for i, a in enumerate(args) if isinstance(a, NDArray)}
        inputs = [symbol.var(f'data{i}') if isinstance(a, NDArray) else a
                  for i, a in enumerate(args)]
        if _npmode.active and not _npmode.is_ours(self):    # np-mode code: np symbols
            inputs = [v.as_np_ndarray() if isinstance(v, symbol.Symbol) else v
                      for v in inputs]
        try:
            out = self.forward(*inputs)
            out = symbol.Group(list(out)) if isinstance(out, (list, tuple)) else out
            arg_shapes, _, aux_shapes = out.infer_shape_partial(**shapes)
            found = dict(zip(out.list_arguments(), arg_shapes))
            found.update(zip(out.list_auxiliary_states(), aux_shapes))
        except Exception as e:  # pylint: disable=broad-except
            raise MXNetError(
                f"{type(self).__name__} '{self.name}' has Parameters of unknown shape "
                f"({', '.join(p.name for p in unknown)}) and inferring them from its graph "
                f"failed ({type(e).__name__}: {e}); give the shapes in full or define "
                "infer_shape(*inputs)") from e
        for p in self.collect_params().values():
            got = found.get(p.name)
            if got and all(d > 0 for d in got) and (p.shape is None or
                                                     not all(d > 0 for d in p.shape)):
                p.shape = tuple(got)
                p._var = None        # the cached variable carried the partial shape
        left = [p.name for p in unknown if not all(d > 0 for d in p.shape or (0,))]
        if left:    # e.g. a Parameter hybrid_forward does not use
            raise MXNetError(
                f"{type(self).__name__} '{self.name}': the shapes of {', '.join(left)} do "
                "not follow from its graph; give the shapes in full or define "
                "infer_shape(*inputs)")

    def infer_type(self, *args):
        """Data types are not inferred; Parameters keep their dtype."""

    def _deferred_infer_shape(self, *args):
        try:
            self.infer_shape(*args)
        except Exception as e:
            raise ValueError("Deferred initialization failed because shape cannot be "
                             "inferred. {}".format(e)) from e

    def forward(self, x, *args):
        """Call `hybrid_forward(nd, x, *args, **params)` on the inputs' context.

        On Symbol inputs, `hybrid_forward(mx.sym, ...)` builds the graph instead.
        """
        ctx = x.context if type(x) is NDArray else _first_ctx([x] + list(args))
        if ctx is None:
            from .. import symbol
            if not isinstance(x, symbol.Symbol):
                raise ValueError('In HybridBlock, there must be one NDArray or one Symbol in '
                                 'the input. Please check the type of the args.\n')
            # called on Symbols: build the graph, the Parameters entering as variables
            # (np-mode `_Symbol`s for np-mode code, as MXNet's Parameter.var() gives them)
            params = {k: v.var() for k, v in self._reg_params.items()}
            if _npmode.active and type(x) is not symbol.Symbol:
                params = {k: v.as_np_ndarray() for k, v in params.items()}
            with self.name_scope():
                return self.hybrid_forward(symbol, x, *args, **params)
        if self._active:
            if self.__dict__.get('_in_count') != 1 + len(args):
                self._in_count = 1 + len(args)    # export names the inputs data / data0, ..
            if not cached.eager_only():
                _check_hybridized_call(self, (x,) + args)
                # a None input (MXNet 1.9's optional arguments) runs eagerly: a graph
                # needs arrays
                if type(x) is not type(None) and all(isinstance(a, NDArray) for a in args):
                    return self._call_cached(x, *args)
        elif type(x) is not NDArray or (args and not all(isinstance(a, NDArray)
                                                        for a in args)):
            _check_hybridized_call(None, (x,) + args)
        reg = self._reg_params
        try:
            params = {k: v.data(ctx) for k, v in reg.items()} if reg else {}
        except DeferredInitializationError:
            self._deferred_infer_shape(x, *args)
            for v in self.params.values():
                v._finish_deferred_init()
            params = {k: v.data(ctx) for k, v in reg.items()}
        cur = current_context()
        if ctx is cur or ctx == cur:    # the usual case; entering the scope costs a little
            return self.hybrid_forward(nd, x, *args, **params)
        with ctx:                       # (a GPU network enters it once, at its outer block)
            return self.hybrid_forward(nd, x, *args, **params)

    def _call_cached(self, *args):
        """Hybridized call: trace the graph once (after an eager call that finishes any
        deferred initialization), then replay it (see gluon/cached.py)."""
        if self._graph_cache is None:
            if any(p._deferred_init for p in self.collect_params().values()):
                with cached.eager():
                    return self.forward(*args)
            flags = dict(self._flags)
            self._graph_cache = cached.CachedGraph(
                self, static=flags.get('static_alloc') and flags.get('static_shape'))
        return self._graph_cache(*args)

    def hybrid_forward(self, F, x, *args, **kwargs):
        """Override to define the computation with `F.<op>` (F is `mx.nd`, or `mx.sym` when
        the block is traced by hybridize/export)."""
        raise NotImplementedError

    def export(self, path, epoch=0, remove_amp_cast=True):
        """Save the graph (`path-symbol.json`) and parameters (`path-%04d.params`).

        Like MXNet, it needs hybridize() and one forward first; the graph is the one
        `hybrid_forward` builds on Symbol inputs.

        Parameters
        ----------
        path : str
            Prefix of the two files.
        epoch : int, default 0
            Epoch number in the parameter file's name.
        """
        from .symbol_block import export
        export(self, path, epoch, remove_amp_cast)


from .symbol_block import SymbolBlock  # noqa: E402  (it builds on HybridBlock)
