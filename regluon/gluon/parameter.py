"""Gluon parameters: `Parameter`, `Constant` and `ParameterDict`, as in MXNet 1.x.

A Parameter holds one NDArray per context (and one gradient buffer each, made a variable
with `autograd.mark_variables`), or, before its shape is known, a deferred initialization
that the owning block's first forward finishes.
"""
import warnings

import numpy as np

from ..base import MXNetError, dtype_name
from ..context import Context, cpu, current_context
from .. import autograd
from .. import initializer
from .. import ndarray as nd
from ..numpy import _mode as _npmode

__all__ = ['DeferredInitializationError', 'Parameter', 'Constant', 'ParameterDict',
           'tensor_types']

tensor_types = (nd.NDArray,)


class DeferredInitializationError(MXNetError):
    """Error for unfinished deferred initialization."""


def _indent(s_, num_spaces):
    lines = s_.split('\n')
    if len(lines) == 1:
        return s_
    return '\n'.join([lines[0]] + [num_spaces * ' ' + line for line in lines[1:]])


def _brief_print_list(lst, limit=7):
    """At most `limit` names of `lst`, quoted, as MXNet prints them in messages."""
    lst = list(lst)
    if len(lst) > limit:
        return _brief_print_list(lst[:limit // 2], limit) + ', ..., ' + \
            _brief_print_list(lst[-limit // 2:], limit)
    return ', '.join(["'%s'" % str(i) for i in lst])


def shape_is_known(shape):
    """True when no dimension of `shape` is unknown (0 or -1)."""
    if shape is None:
        return False
    return all(d > 0 for d in shape)


def _ctx_list(ctx):
    if ctx is None:
        return [current_context()]
    return [ctx] if isinstance(ctx, Context) else list(ctx)


class Parameter:
    """A container holding a copy of a weight on each context, and its gradients.

    Parameters
    ----------
    name : str
        Name of this parameter.
    grad_req : {'write', 'add', 'null'}, default 'write'
        How gradients are written into the grad arrays ('null': no gradient).
    shape : int or tuple of int, default None
        Shape; 0 marks a dimension inferred on the first forward (deferred init).
    dtype : numpy.dtype or str, default 'float32'
        Data type of this parameter.
    lr_mult : float, default 1.0
        Learning rate multiplier.
    wd_mult : float, default 1.0
        Weight decay multiplier.
    init : Initializer, default None
        Initializer of this parameter; the global one is used when None.
    allow_deferred_init : bool, default False
        Whether an unknown shape defers initialization to the first forward.
    differentiable : bool, default True
        False forces grad_req to 'null'.
    stype, grad_stype : {'default', 'row_sparse', 'csr'}
        Storage types. grad_stype='row_sparse' makes the gradient a RowSparseNDArray
        (mx.nd.sparse); the data itself is dense.
    """

    def __init__(self, name, grad_req='write', shape=None, dtype=np.float32,
                 lr_mult=1.0, wd_mult=1.0, init=None, allow_deferred_init=False,
                 differentiable=True, stype='default', grad_stype='default'):
        self._var = None
        self._data = None
        self._grad = None
        self._ctx_list = None
        self._ctx_map = None
        self._trainer = None
        self._deferred_init = ()
        self._differentiable = differentiable
        self._allow_deferred_init = allow_deferred_init
        self._grad_req = None
        if isinstance(shape, int):
            shape = (shape,)
        self._shape = shape
        self.name = name
        self._dtype = dtype
        self.lr_mult = lr_mult
        self.wd_mult = wd_mult
        self.grad_req = grad_req
        self.init = init
        for kind, st in (('stype', stype), ('grad_stype', grad_stype)):
            if st not in ('default', 'row_sparse', 'csr'):
                raise AssertionError(f"{kind} for Parameter '{name}' must be one of "
                                     f"'default', 'row_sparse', or 'csr', but got '{st}'")
        self._stype, self._grad_stype = stype, grad_stype

    def __repr__(self):
        return 'Parameter {name} (shape={shape}, dtype={dtype})'.format(
            name=self.name, shape=self.shape, dtype=self.dtype)

    # ---- attributes ------------------------------------------------------------------
    @property
    def grad_req(self):
        """'write', 'add' or 'null'; setting it re-makes the gradient buffers."""
        return self._grad_req

    @grad_req.setter
    def grad_req(self, req):
        if req not in ('write', 'add', 'null'):
            raise AssertionError(f"grad_req must be one of 'write', 'add', or 'null', "
                                 f"but got '{req}'")
        if not self._differentiable:
            req = 'null'
        if self._grad_req == req:
            return
        self._grad_req = req
        if req == 'null' and self._grad is not None:
            self._grad = None
            self._data = [i.detach() for i in self._data]
        elif self._data is not None:
            self._init_grad()

    @property
    def dtype(self):
        """The type of the parameter; setting it casts the data."""
        return self._dtype

    @dtype.setter
    def dtype(self, dtype):
        self.cast(dtype)

    @property
    def shape(self):
        """The shape; unknown dimensions are 0 until inferred (-1 in NumPy mode)."""
        if self._shape is not None and _npmode.active:
            # MXNet: with NumPy shape semantics an unknown dimension reads -1 (0 is a size)
            return tuple(-1 if d == 0 else d for d in self._shape)
        return self._shape

    @shape.setter
    def shape(self, new_shape):
        new_shape = tuple(new_shape)
        if self._shape is None:
            self._shape = new_shape
            return
        if len(self._shape) != len(new_shape) or \
                not all(j in (-1, 0, i) for i, j in zip(new_shape, self._shape)):
            raise AssertionError(
                f"Expected shape {new_shape} is incompatible with given shape {self._shape} "
                f"for Parameter '{self.name}'.")
        self._shape = new_shape

    @property
    def stype(self):
        """Storage type ('default': regluon arrays are dense)."""
        return self._stype

    def _set_trainer(self, trainer):
        """Note the Trainer that updates this Parameter (one only for a sparse weight)."""
        if self._stype != 'default' and self._trainer and trainer and \
                self._trainer is not trainer:
            raise RuntimeError(
                f"Failed to set the trainer for Parameter '{self.name}' because it was already "
                f"set. More than one trainers for a {self._stype} Parameter is not supported.")
        self._trainer = trainer

    # ---- access ----------------------------------------------------------------------
    def _check_and_get(self, arr_list, ctx):
        if arr_list is not None:
            if ctx is list:
                return arr_list
            if ctx is None:
                if len(arr_list) == 1:
                    return arr_list[0]
                ctx = current_context()
            ctx_list = self._ctx_map[ctx.device_typeid & 1]
            if ctx.device_id < len(ctx_list):
                idx = ctx_list[ctx.device_id]
                if idx is not None:
                    return arr_list[idx]
            raise RuntimeError(
                "Parameter '%s' was not initialized on context %s. "
                "It was only initialized on %s." % (self.name, str(ctx), str(self._ctx_list)))
        if self._deferred_init:
            raise DeferredInitializationError(
                "Parameter '%s' has not been initialized yet because initialization was "
                "deferred. Actual initialization happens during the first forward pass. "
                "Please pass one batch of data through the network before accessing "
                "Parameters. You can also avoid deferred initialization by specifying "
                "in_units, num_features, etc., for network layers." % (self.name))
        raise RuntimeError(
            "Parameter '%s' has not been initialized. Note that "
            "you should initialize parameters and create Trainer "
            "with Block.collect_params() instead of Block.params "
            "because the later does not include Parameters of "
            "nested child Blocks" % (self.name))

    def data(self, ctx=None):
        """This parameter's array on context `ctx` (the only one if there is one).

        Parameters
        ----------
        ctx : Context
            Desired context.
        """
        return self._check_and_get(self._data, ctx)

    def list_data(self):
        """This parameter's arrays on all contexts, in the order they were given."""
        return self._check_and_get(self._data, list)

    def row_sparse_data(self, row_id):
        """The data for a step that uses rows `row_id` (MXNet: those rows pulled as a
        RowSparseNDArray). Here the weight is dense: this is `data()` on row_id's context,
        the variable whose gradient is row_sparse (docs/sparse.md).

        Parameters
        ----------
        row_id : NDArray
            The row ids the step reads.
        """
        if not isinstance(row_id, nd.NDArray):
            raise TypeError(f"row_id must have NDArray type, but {type(row_id)} is given")
        return self.data(row_id.context)

    def list_row_sparse_data(self, row_id):
        """`row_sparse_data` on every context (a list)."""
        if not isinstance(row_id, nd.NDArray):
            raise TypeError(f"row_id must have NDArray type, but {type(row_id)} is given")
        return self.list_data()

    def grad(self, ctx=None):
        """The gradient buffer on context `ctx`.

        Parameters
        ----------
        ctx : Context
            Desired context.
        """
        if self._data is not None and self._grad is None:
            raise RuntimeError("Cannot get gradient array for Parameter '%s' "
                               "because grad_req='null'" % (self.name))
        return self._check_and_get(self._grad, ctx)

    def list_grad(self):
        """The gradient buffers on all contexts, in the order of `list_data()`."""
        if self._data is not None and self._grad is None:
            raise RuntimeError("Cannot get gradient array for Parameter '%s' "
                               "because grad_req='null'" % (self.name))
        return self._check_and_get(self._grad, list)

    def list_ctx(self):
        """The contexts this parameter is (or, deferred, will be) initialized on."""
        if self._data is None:
            if self._deferred_init:
                return self._deferred_init[1]
            raise RuntimeError("Parameter '%s' has not been initialized" % self.name)
        return self._ctx_list

    def var(self):
        """A symbol variable for this parameter (name, shape, dtype, lr/wd mults, init)."""
        if self._var is None:
            from .. import symbol
            self._var = symbol.var(self.name, shape=self._shape, dtype=self.dtype,
                                   lr_mult=self.lr_mult, wd_mult=self.wd_mult, init=self.init,
                                   stype=self._stype)
        return self._var

    # ---- initialization --------------------------------------------------------------
    def initialize(self, init=None, ctx=None, default_init=initializer.Uniform(),
                   force_reinit=False):
        """Initialize the parameter's and gradient's arrays.

        Parameters
        ----------
        init : Initializer
            Overrides `Parameter.init` and `default_init`.
        ctx : Context or list of Context, default current_context()
            One independent copy is made per context.
        default_init : Initializer
            Used when both `init` and `Parameter.init` are None.
        force_reinit : bool, default False
            Re-initialize even if already initialized.
        """
        if self._data is not None and not force_reinit:
            warnings.warn("Parameter '%s' is already initialized, ignoring. "
                          "Set force_reinit=True to re-initialize." % self.name, stacklevel=2)
            return
        self._data = self._grad = None
        ctx = _ctx_list(ctx)
        if init is None:
            init = default_init if self.init is None else self.init
        if not shape_is_known(self.shape):
            if self._allow_deferred_init:
                self._deferred_init = (init, ctx, default_init, None)
                return
            raise ValueError("Cannot initialize Parameter '%s' because it has "
                             "invalid shape: %s." % (self.name, str(self.shape)))
        self._deferred_init = (init, ctx, default_init, None)
        self._finish_deferred_init()

    def _finish_deferred_init(self):
        """Run the deferred initialization now that the shape is known."""
        if not self._deferred_init:
            return
        init, ctx, default_init, data = self._deferred_init
        self._deferred_init = ()
        if not shape_is_known(self.shape):
            raise AssertionError(
                "Cannot initialize Parameter '%s' because it has invalid shape: %s. Please "
                "specify in_units, in_channels, etc for `Block`s." % (self.name, str(self.shape)))
        with autograd.pause():
            if data is None:
                data = nd.zeros(self.shape, dtype=self.dtype, ctx=cpu())
                if _npmode.active:      # npx.set_np(): initializers fill an np array
                    data = data.as_np_ndarray()
                initializer.create(default_init)(
                    initializer.InitDesc(self.name, {'__init__': init}), data)
            self._init_impl(data, ctx)

    def _init_impl(self, data, ctx_list):
        """Set data (one copy per context) and grad."""
        self._ctx_list = list(ctx_list)
        self._ctx_map = [[], []]
        for i, ctx in enumerate(self._ctx_list):
            dev_list = self._ctx_map[ctx.device_typeid & 1]
            while len(dev_list) <= ctx.device_id:
                dev_list.append(None)
            dev_list[ctx.device_id] = i
        self._data = [data.copyto(ctx) for ctx in self._ctx_list]
        self._init_grad()

    def _init_grad(self):
        """Make fresh zero gradient buffers and mark the data as variables."""
        if self.grad_req == 'null':
            self._grad = None
            return
        if self._grad_stype == 'row_sparse':     # a RowSparseNDArray gradient (nd.sparse)
            self._grad = [nd.sparse.zeros('row_sparse', i.shape, ctx=i.context, dtype=i.dtype)
                          for i in self._data]
            for d, g in zip(self._data, self._grad):
                nd.sparse.attach_sparse_grad(d, self.grad_req, 'row_sparse', g)
            return
        self._grad = [nd.zeros(i.shape, dtype=i.dtype, ctx=i.context) for i in self._data]
        autograd.mark_variables(self._data, self._grad, self.grad_req)
        if _npmode.active:      # npx.set_np(): data() and grad() are np arrays, as in MXNet
            _npmode.to_np(self._data, self._grad)

    def _load_init(self, data, ctx, cast_dtype=False, dtype_source='current', filename=None):
        """(Re)initialize from loaded `data`, checking shape and dtype against ours."""
        # MXNet's messages, plus the file they came from
        where = f" (file '{filename}')" if filename else ""
        if self.shape is None:      # e.g. a SymbolBlock's argument: the file gives it
            self._shape = tuple(data.shape)
        elif self.shape:
            if len(self.shape) != len(data.shape) or not all(
                    s in (0, -1, d) for s, d in zip(self.shape, data.shape)):
                raise AssertionError(
                    "Failed loading Parameter '%s' from saved params: shape incompatible "
                    "expected %s vs saved %s%s" % (self.name, str(self.shape), str(data.shape),
                                                   where))
            self.shape = tuple(d if s in (0, -1) else s for s, d in zip(self.shape, data.shape))
        if self.dtype:
            if dtype_name(self.dtype) != dtype_name(data.dtype):
                if not cast_dtype:
                    raise AssertionError(
                        "Failed loading Parameter '%s' from saved params: dtype incompatible "
                        "expected %s vs saved %s. Set cast_dtype=True to cast the dtype of "
                        "saved params.%s" % (self.name, str(self.dtype), str(data.dtype), where))
                if dtype_source == 'current':
                    data = data.astype(self.dtype, copy=False)
                elif dtype_source == 'saved':
                    self.dtype = data.dtype
                else:
                    raise AssertionError(f"dtype_source must be 'current' or 'saved', "
                                         f"got {dtype_source!r}")
        if isinstance(ctx, Context):
            ctx = [ctx]
        if self._data is None:
            if self._deferred_init:
                if ctx is not None and set(ctx) != set(self._deferred_init[1]):
                    raise AssertionError(
                        "Failed to load Parameter '%s' on %s because it was previous "
                        "initialized on %s." % (self.name, str(ctx), str(self.list_ctx())))
                ctx = self._deferred_init[1]
            elif ctx is None:
                ctx = [cpu()]
            self._init_impl(data, ctx)
        else:
            if ctx is not None and set(ctx) != set(self.list_ctx()):
                raise AssertionError(
                    "Failed to load Parameter '%s' on %s because it was previous "
                    "initialized on %s." % (self.name, str(ctx), str(self.list_ctx())))
            self.set_data(data)
        self._deferred_init = ()

    # ---- changes ---------------------------------------------------------------------
    def reset_ctx(self, ctx):
        """Move the parameter to other contexts (their mean if several held copies).

        Parameters
        ----------
        ctx : Context or list of Context, default current_context()
            The new contexts.
        """
        ctx = _ctx_list(ctx)
        if self._data:
            data = self._reduce()
            with autograd.pause():
                self._init_impl(data, ctx)
        elif self._deferred_init:
            init, _, default_init, data = self._deferred_init
            self._deferred_init = (init, ctx, default_init, data)
        else:
            raise ValueError("Cannot reset context for Parameter '%s' because it "
                             "has not been initialized." % self.name)

    def set_data(self, data):
        """Set this parameter's value on all contexts.

        Parameters
        ----------
        data : NDArray or array-like
            The new value; its shape must be compatible with the parameter's.
        """
        if not isinstance(data, nd.NDArray):
            data = nd.array(data, dtype=self.dtype)
        self.shape = data.shape
        if self._data is None:
            if not self._deferred_init:
                raise AssertionError("Parameter '%s' has not been initialized" % self.name)
            self._deferred_init = self._deferred_init[:3] + (data,)
            return
        trainer = self._trainer
        if trainer and trainer._kv_initialized and trainer._update_on_kvstore and \
                self not in trainer._params_to_init:
            trainer._reset_kvstore()        # the store's copy of the weight is stale now
        with autograd.pause():      # a write, never a recorded step (keeps the variables)
            for arr in self._data:
                data.copyto(arr)

    def _reduce(self):
        """The parameter's value on cpu: the mean over its contexts' copies."""
        block = self.list_data()
        if len(block) == 1:
            return block[0].copyto(cpu())
        total = block[0].copyto(cpu())
        for w in block[1:]:
            total += w.copyto(cpu())
        return total / len(block)

    def zero_grad(self):
        """Set the gradient buffers on all contexts to 0 (nothing if there are none)."""
        if self._grad is None:
            return
        with autograd.pause():
            for g in self._grad:
                nd.full(g.shape, 0, out=g)

    def cast(self, dtype):
        """Cast data and gradient of this Parameter to a new data type.

        Parameters
        ----------
        dtype : str or numpy.dtype
            The new data type.
        """
        self._dtype = dtype
        if self._data is None:
            return
        with autograd.pause():
            self._data = [i.astype(dtype) for i in self._data]
            if self._grad is None:
                return
            self._grad = [i.astype(dtype) for i in self._grad]
            autograd.mark_variables(self._data, self._grad, self.grad_req)


class Constant(Parameter):
    """A parameter holding a value that autograd and Trainer leave alone.

    Parameters
    ----------
    name : str
        Name of the parameter.
    value : array-like
        Initial value for the constant.
    """

    def __init__(self, name, value):
        if not isinstance(value, nd.NDArray):
            # MXNet: in NumPy mode the value is an np array, which keeps a NumPy input's
            # dtype (float64 stays float64); nd.array makes float32
            from .. import numpy as _np
            value = _np.array(value) if _npmode.active else nd.array(value)
        self.value = value

        class Init(initializer.Initializer):
            def _init_weight(self, _, arr):
                value.copyto(arr)
        init_name = 'Constant_{}_{}'.format(name, id(self))
        initializer.alias(init_name)(Init)
        super().__init__(name, grad_req='null', shape=value.shape, dtype=value.dtype,
                         init=init_name)

    def __repr__(self):
        return 'Constant {name} (shape={shape}, dtype={dtype})'.format(
            name=self.name, shape=self.shape, dtype=self.dtype)

    @property
    def grad_req(self):
        return 'null'

    @grad_req.setter
    def grad_req(self, req):
        if req != 'null':
            warnings.warn('Constant parameter "{}" does not support '
                          'grad_req other than "null", and new value "{}" '
                          'is ignored.'.format(self.name, req))



from .parameter_dict import ParameterDict  # noqa: E402  (it builds on Parameter above)
