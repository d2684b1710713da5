"""`mx.operator`: operators written in Python (MXNet 1.x's CustomOp / CustomOpProp).

A `CustomOpProp` subclass registered with `@register("name")` describes the operator
(arguments, outputs, auxiliary states, shapes, types) and creates a `CustomOp` that
computes it on NDArrays. `nd.Custom(*inputs, op_type="name", **kwargs)` and
`sym.Custom(...)` run it (regluon/ndarray/ops/custom.py); the keyword arguments reach the
Prop's constructor as strings, as MXNet passes them.
"""
__all__ = ['CustomOp', 'CustomOpProp', 'register', 'get_all_registered_operators',
           'get_operator_arguments', 'OperatorArguments']
import collections

_REGISTRY = {}


class CustomOp:
    """Base class for operators implemented in Python."""

    def __init__(self):
        pass

    def forward(self, is_train, req, in_data, out_data, aux):
        """Compute `out_data` from `in_data` (lists of NDArrays); `req` is 'null', 'write'
        or 'add' for each output (use `self.assign`)."""

    def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
        """Compute `in_grad` from `out_grad` (lists of NDArrays); `req` per input."""

    def assign(self, dst, req, src):
        """Write `src` into `dst` as `req` ('null', 'write', 'inplace' or 'add') says."""
        if req == 'null':
            return
        if req in ('write', 'inplace'):
            dst[:] = src
        elif req == 'add':
            dst[:] += src


class CustomOpProp:
    """Base class for the property class of an operator implemented in Python.

    `need_top_grad`: whether backward uses the gradients of the outputs (False for a
    loss-style operator whose backward ignores them)."""

    def __init__(self, need_top_grad=True):
        self.need_top_grad_ = need_top_grad

    def infer_shape(self, in_shape):
        """(argument shapes, output shapes, aux shapes): every output like the first input."""
        return in_shape, (in_shape[0],) * len(self.list_outputs()), ()

    def infer_type(self, in_type):
        """(argument types, output types, aux types): every one the first input's."""
        return in_type, [in_type[0]] * len(self.list_outputs()), \
            [in_type[0]] * len(self.list_auxiliary_states())

    def infer_storage_type(self, in_stype):
        return in_stype, ['default'] * len(self.list_outputs()), \
            ['default'] * len(self.list_auxiliary_states())

    def list_outputs(self):
        return ['output']

    def list_arguments(self):
        return ['data']

    def list_auxiliary_states(self):
        return []

    def declare_backward_dependency(self, out_grad, in_data, out_data):
        deps = []
        if self.need_top_grad_:
            deps.extend(out_grad)
        deps.extend(in_data)
        deps.extend(out_data)
        return deps

    def create_operator(self, ctx, in_shapes, in_dtypes):
        """The CustomOp computing this operator for these input shapes and dtypes."""
        return CustomOp()


def register(reg_name):
    """Register a CustomOpProp subclass as the operator type `reg_name`
    (`nd.Custom(..., op_type=reg_name)`)."""
    def do_register(prop_cls):
        _REGISTRY[reg_name] = prop_cls
        from .symbol import shapes          # the Prop's infer_shape in sym.infer_shape/bind
        from .ndarray.ops.custom import shape_rule
        shapes.RULES.setdefault('Custom', shape_rule)
        return prop_cls
    return do_register


def get_all_registered_operators():
    """Names of the registered operators (MXNet 1.9.1's, those regluon has; as in MXNet,
    not the custom operator types, which all run as `Custom`)."""
    from .ndarray.register import OPS
    from .symbol.graph import mxnet_registry
    return [n for n in mxnet_registry() if n in OPS]


OperatorArguments = collections.namedtuple('OperatorArguments', ['narg', 'names', 'types'])


def get_operator_arguments(op_name):
    """Operator `op_name`'s arguments as MXNet 1.9.1 declares them: their number, names
    and types ('NDArray-or-Symbol' for array inputs)."""
    from .base import MXNetError
    from .symbol.graph import mxnet_registry
    entry = mxnet_registry().get(op_name)
    if entry is None:
        raise MXNetError(f"get_operator_arguments: Operator {op_name} is not registered")
    return OperatorArguments(len(entry['names']), list(entry['names']), list(entry['types']))


def _prop_class(op_type):
    from .base import MXNetError
    cls = _REGISTRY.get(op_type)
    if cls is None:
        raise MXNetError(f"Custom: Cannot find custom operator {op_type}; register it "
                         f"with @mx.operator.register({op_type!r}) (registered: "
                         f"{sorted(_REGISTRY)})")
    return cls
