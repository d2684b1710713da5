"""The ONNX graph walker (MXNet 1.9.1's `mxnet.contrib.onnx.onnx2mx.import_onnx.GraphProto`).

Each ONNX node becomes one or a few `mx.sym` nodes (the operators regluon already has; the
per-operator rules are in `_op_translations.py`). Initializers become Variables whose values
go to `arg_params`, or to `aux_params` where the operator takes them as auxiliary states
(BatchNorm's moving mean and variance), as in MXNet. Values the graph computes from
constants only (shapes, axes, Constant nodes, Shape of a statically shaped tensor) are
folded here with numpy, so that operators that take them as attributes (Reshape's shape,
Slice's starts) get plain numbers.
"""
import numpy as np

from ....base import MXNetError
from .... import symbol
from .... import ndarray as nd
from ._op_translations import (CONVERT_MAP, FOLD_MAP, OnnxImportError, NodeView,  # noqa: F401
                               elem_dtype, track_dims)

__all__ = ['GraphProto', 'OnnxImportError', 'elem_dtype']

class GraphProto:  # pylint: disable=too-few-public-methods
    """Converts an ONNX GraphProto into a Symbol and its parameters."""

    def __init__(self):
        self._nodes = {}           # ONNX value name -> Symbol
        self._consts = {}          # ONNX value name -> numpy value known at import time
        self._params = {}          # Variable name -> numpy value (constants used as tensors)
        self._shapes = {}          # ONNX value name -> static shape (dims None when unknown)
        self._dim_params = {}      # ONNX value name -> dims, a symbolic one by its name
        self._dims = {}            # 1-D int value computed from shapes -> its entries
        self.arg_dict = {}
        self.aux_dict = {}
        self.model_metadata = {}
        self.opset_version = 0

    # ---- public (MXNet's names) --------------------------------------------------------
    def from_onnx(self, graph, opset_version):
        """(sym, arg_params, aux_params) of an ONNX graph.

        Parameters
        ----------
        graph : onnx.GraphProto
            The loaded graph.
        opset_version : int
            The model's opset of the default ONNX domain.
        """
        from onnx.numpy_helper import to_array
        self.opset_version = opset_version
        self.model_metadata = self.get_graph_metadata(graph)
        self._shapes, self._dim_params = _static_shapes(graph, opset_version)
        for tensor in graph.initializer:
            if not tensor.name.strip():
                raise ValueError("Tensor's name is required.")
            self._consts[tensor.name] = np.array(to_array(tensor))
        for value in graph.input:
            if value.name not in self._consts:
                self._nodes[value.name] = symbol.Variable(value.name)
        for node in graph.node:
            self._convert_node(node)
        outs = [self.as_symbol(o.name) for o in graph.output]
        out = symbol.Group(outs) if len(outs) > 1 else outs[0]
        for name in out.list_arguments():
            if name in self._params:
                self.arg_dict[name] = _nd(self._params[name])
        for name in out.list_auxiliary_states():
            if name in self._params:
                self.aux_dict[name] = _nd(self._params[name])
        return out, self.arg_dict, self.aux_dict

    def get_graph_metadata(self, graph):
        """{'input_tensor_data': [(name, shape, elem_type)], 'output_tensor_data':
        [(name, shape)]} of the graph's data inputs (not initializers) and outputs; an
        unknown (symbolic) dimension is 0, as in MXNet."""
        params = {t.name for t in graph.initializer}
        inputs = []
        for value in graph.input:
            if value.name not in params:
                shape = tuple(d.dim_value for d in value.type.tensor_type.shape.dim)
                inputs.append((value.name, shape, value.type.tensor_type.elem_type))
        outputs = [(value.name, tuple(d.dim_value for d in value.type.tensor_type.shape.dim))
                   for value in graph.output]
        return {'input_tensor_data': inputs, 'output_tensor_data': outputs}

    def graph_to_gluon(self, graph, ctx, opset_version):
        """A gluon SymbolBlock of the graph with its parameters loaded on `ctx`."""
        sym, arg_params, aux_params = self.from_onnx(graph, opset_version)
        metadata = self.get_graph_metadata(graph)
        data_inputs = [symbol.var(entry[0]) for entry in metadata['input_tensor_data']]
        from ....gluon import SymbolBlock
        net = SymbolBlock(outputs=sym, inputs=data_inputs)
        net_params = net.collect_params()
        for params in (arg_params, aux_params):
            for name, value in params.items():
                if name in net_params:
                    param = net_params[name]
                    param.shape, param.dtype = value.shape, value.dtype
                    param._load_init(value, ctx=ctx)
        return net

    # ---- used by the translations ----------------------------------------------------------
    def as_symbol(self, name):
        """The Symbol of an ONNX value; a constant becomes a Variable with a parameter."""
        if name in self._nodes:
            return self._nodes[name]
        if name not in self._consts:
            raise OnnxImportError(f"ONNX value '{name}' is used before any node produces it "
                                  "(the graph is not in topological order or is incomplete)")
        value = self._consts[name]
        self._params[name] = value
        kwargs = {} if value.dtype == np.float32 else {'dtype': value.dtype.name}
        self._nodes[name] = symbol.Variable(name, shape=value.shape, **kwargs)
        return self._nodes[name]

    def _convert_node(self, node):
        view = NodeView(self, node)
        op_type = node.op_type
        if node.domain not in ('', 'ai.onnx'):
            raise OnnxImportError(f"ONNX operator '{node.domain}.{op_type}' (node "
                                  f"'{view.label}') is not supported: only the default ONNX "
                                  "domain ('ai.onnx') is imported")
        dims = track_dims(view)
        if dims is not None:         # shape arithmetic on run-time sizes, for Reshape
            self._dims[node.output[0]] = dims
        fold = FOLD_MAP.get(op_type)
        if fold is not None and view.all_inputs_constant():
            values = fold(view)
            if values is not None:
                values = values if isinstance(values, (list, tuple)) else [values]
                for out, value in zip(node.output, values):
                    self._consts[out] = np.asarray(value)
                return
        convert = CONVERT_MAP.get(op_type)
        if convert is None:
            raise OnnxImportError(
                f"ONNX operator '{op_type}' (node '{view.label}', opset "
                f"{self.opset_version}) is not supported by regluon's ONNX import. "
                f"Supported operators: {', '.join(sorted(set(CONVERT_MAP) | set(FOLD_MAP)))}"
                " (Constant, ConstantOfShape and Range on constant inputs only)")
        try:
            outs = convert(view)
        except MXNetError:
            raise
        except (ValueError, TypeError, KeyError, IndexError) as e:
            raise OnnxImportError(f"cannot import ONNX node '{view.label}' ({op_type}): "
                                  f"{e}") from e
        outs = outs if isinstance(outs, (list, tuple)) else [outs]
        for out, value in zip(node.output, outs):
            if not out:
                continue
            if isinstance(value, symbol.Symbol):
                self._nodes[out] = value
            else:
                self._consts[out] = np.asarray(value)


def _nd(value):
    return nd.array(value, dtype=value.dtype if value.dtype != np.bool_ else 'bool')


def _static_shapes(graph, opset_version):
    """({ONNX value name: shape tuple, None for a symbolic dimension}, {name: the same
    with a symbolic dimension's name where it has one}), from the graph's declared
    inputs/outputs/value_info and onnx's shape inference."""
    import onnx
    values = list(graph.input) + list(graph.output) + list(graph.value_info)
    try:
        model = onnx.helper.make_model(
            graph, opset_imports=[onnx.helper.make_opsetid('', opset_version)])
        inferred = onnx.shape_inference.infer_shapes(model).graph
        values += list(inferred.value_info) + list(inferred.output)
    except Exception:  # pylint: disable=broad-except  # inference is a help, not required
        pass
    shapes, params = {}, {}
    for value in values:
        tensor = value.type.tensor_type
        if not tensor.HasField('shape'):
            continue
        dims = tuple(d.dim_value if d.HasField('dim_value') else None
                     for d in tensor.shape.dim)
        shapes.setdefault(value.name, dims)
        params.setdefault(value.name, tuple(
            d.dim_value if d.HasField('dim_value') else (d.dim_param or None)
            for d in tensor.shape.dim))
    return shapes, params
