"""`mx.onnx`: export a Symbol graph and its parameters to ONNX (MXNet 1.9.1's
`mxnet.onnx.export_model`).

There is no per-operator translation table here. The graph is evaluated by the same
interpreter that runs it in regluon (`symbol.graph.evaluate`, every node calling its
operator's torch kernel), with the parameters as constants, and torch's ONNX exporter turns
that computation into an ONNX graph. Static shapes go through torch's TorchScript tracer
(fast, needs only the `onnx` package); `dynamic=True` goes through `torch.export`, whose
symbolic sizes follow the kernels' shape arithmetic (it needs `onnxscript` as well).
"""
import contextlib
import importlib.util
import io
import warnings

import numpy as np
import torch

from .. import autograd
from ..base import MXNetError, torch_dtype
from .. import ndarray as nd
from ..ndarray.ndarray import NDArray
from ..symbol import Symbol, load as _load_symbol
from ..symbol import graph
from ..util import atomic_write

__all__ = ['export_model', 'OnnxExportError']


class OnnxExportError(MXNetError, AttributeError):
    """An operator of the graph cannot be expressed in ONNX. An AttributeError too, the
    type MXNet raises for an operator it has no converter for."""


def export_model(sym, params, in_shapes=None, in_types=np.float32,
                 onnx_file_path='model.onnx', verbose=False, dynamic=False,
                 dynamic_input_shapes=None, run_shape_inference=False, input_type=None,
                 input_shape=None):
    """Export a model (graph and parameters) to an ONNX file.

    Parameters
    ----------
    sym : str or Symbol
        Path to a `-symbol.json` file, or the Symbol.
    params : str or dict or list of dict
        Path to a `.params` file, or a dict of name to NDArray (names may carry MXNet's
        `arg:`/`aux:` prefixes), or a list [arg_params, aux_params].
    in_shapes : list of tuple
        Shapes of the graph's data inputs (its inputs that are not parameters), in the
        order of `sym.list_inputs()`.
    in_types : data type or list of data types, default np.float32
        Types of the data inputs.
    onnx_file_path : str, default 'model.onnx'
        Where to write the model (atomically: the file is complete or absent).
    verbose : bool, default False
        Print the exporter's log and the graph.
    dynamic : bool, default False
        Let the model take inputs of other shapes.
    dynamic_input_shapes : list of tuple, optional
        With `dynamic`, which dimensions may change (None) and which are fixed; default:
        all of them may change.
    run_shape_inference : bool, default False
        Annotate the intermediate values with ONNX's shape inference.
    input_type, input_shape :
        Old names of `in_types` and `in_shapes`, kept as in MXNet.

    Returns
    -------
    str
        `onnx_file_path`.
    """
    if input_type is not None:
        in_types = input_type
    if input_shape is not None:
        in_shapes = input_shape
    sym, params = _load(sym, params)
    names = [n for n in sym.list_inputs() if n not in params]
    inputs = _example_inputs(names, in_shapes, in_types)
    outputs = [o[:-len('_output')] if o.endswith('_output') else o
               for o in sym.list_outputs()]
    model = _GraphModule(sym, names, params)
    with warnings.catch_warnings():
        if not verbose:
            warnings.simplefilter('ignore')
        try:
            data = _export(model, inputs, names, outputs, verbose, dynamic,
                           dynamic_input_shapes)
        except MXNetError:
            raise
        except Exception as e:  # torch raises many types; find the node behind it
            _raise_unsupported(model, inputs, e)
    if run_shape_inference:
        import onnx
        data = onnx.shape_inference.infer_shapes(onnx.load_from_string(data)).SerializeToString()
    atomic_write(onnx_file_path, data)
    return onnx_file_path


def _load(sym, params):
    """(Symbol, {name: torch.Tensor}) from MXNet's accepted argument forms."""
    if isinstance(sym, str) and isinstance(params, str):
        sym, params = _load_symbol(sym), nd.load(params)
    elif isinstance(sym, Symbol) and isinstance(params, (dict, list)):
        if isinstance(params, list):
            if len(params) != 2 or not all(isinstance(p, dict) for p in params):
                raise ValueError("params given as a list must be [arg_params, aux_params], "
                                 f"got a list of {len(params)} items")
            params = {**params[0], **params[1]}
    else:
        raise ValueError("Input sym and params should either be files or objects: got "
                         f"sym of type {type(sym).__name__} and params of type "
                         f"{type(params).__name__}")
    if not isinstance(params, dict):
        raise ValueError(f"the params file holds a {type(params).__name__} of arrays, "
                         "expected a dict of name to NDArray")
    tensors = {}
    for key, value in params.items():
        name = key.split(':', 1)[1] if key.startswith(('arg:', 'aux:')) else key
        if not isinstance(value, NDArray):
            raise ValueError(f"params['{key}'] should be an NDArray, got "
                             f"{type(value).__name__}")
        tensors[name] = value.to_torch().detach().cpu()
    return sym, tensors


def _example_inputs(names, in_shapes, in_types):
    if in_shapes is None:
        raise ValueError(f"in_shapes is required: give one shape for each data input "
                         f"{names}")
    in_shapes = list(in_shapes)
    if len(in_shapes) != len(names):
        raise ValueError(f"in_shapes has {len(in_shapes)} shapes but the graph has "
                         f"{len(names)} data inputs (inputs without params): {names}")
    types = list(in_types) if isinstance(in_types, (list, tuple)) else [in_types] * len(names)
    if len(types) != len(names):
        raise ValueError(f"in_types has {len(types)} types but the graph has {len(names)} "
                         f"data inputs: {names}")
    return tuple(torch.zeros(tuple(s), dtype=torch_dtype(t)) for s, t in zip(in_shapes, types))


class _GraphModule(torch.nn.Module):
    """The graph as a torch function of its data inputs, parameters held as buffers."""

    def __init__(self, sym, names, params):
        super().__init__()
        self.sym, self.names = sym, names
        self.order = graph.topo_order(sym._outputs)
        self.keys = {}
        for i, (name, t) in enumerate(params.items()):
            self.keys[name] = f'param{i}'
            self.register_buffer(f'param{i}', t)
        self.eval()

    def feed(self, inputs):
        feed = {name: getattr(self, key) for name, key in self.keys.items()}
        feed.update(zip(self.names, inputs))
        return feed

    def forward(self, *inputs):
        return tuple(graph.evaluate(self.sym._outputs, self.feed(inputs), self.order))


@contextlib.contextmanager
def _inference():
    """Inference mode (Dropout off, BatchNorm's running statistics), float32 even after
    amp.init(), nothing recorded."""
    with autograd.pause(train_mode=False), torch.no_grad(), \
            torch.autocast('cpu', enabled=False), torch.autocast('cuda', enabled=False):
        yield


def _export(model, inputs, names, outputs, verbose, dynamic, dynamic_input_shapes):
    """The ONNX model's bytes."""
    if dynamic and importlib.util.find_spec('onnxscript') is None:
        raise MXNetError("export_model(dynamic=True) uses torch.export, which needs the "
                         "onnxscript package: pip install onnxscript (or export with "
                         "dynamic=False)")
    with _inference():
        if not dynamic:
            buf = io.BytesIO()
            torch.onnx.export(model, inputs, buf, dynamo=False, input_names=names,
                              output_names=outputs, verbose=bool(verbose))
            return buf.getvalue()
        dims = dynamic_input_shapes or [[None] * x.dim() for x in inputs]
        if len(dims) != len(inputs):
            raise ValueError(f"dynamic_input_shapes has {len(dims)} shapes but the graph has "
                             f"{len(inputs)} data inputs: {names}")
        # AUTO: a dimension the computation pins (e.g. a Dense layer's input width) is
        # exported as fixed instead of failing, as MXNet's converters do.
        # (one entry: forward's *inputs)
        spec = tuple({i: torch.export.Dim.AUTO for i, d in enumerate(shape) if d is None}
                     for shape in dims)
        program = torch.onnx.export(model, inputs, dynamo=True, input_names=names,
                                    output_names=outputs, dynamic_shapes=(spec,),
                                    external_data=False, verbose=bool(verbose))
        return program.model_proto.SerializeToString()


def _raise_unsupported(model, inputs, error):
    """Export each operator node alone to name the ones ONNX cannot express."""
    failed = {}
    with _inference():
        values = {}
        feed = model.feed(inputs)
        for node in model.order:
            if node.is_var:
                values[id(node)] = [feed[node.name]]
                continue
            args = [values[id(n)][i] for n, i in node.inputs]
            values[id(node)] = graph.run_node(node, args)
            if node.op in failed:
                continue
            try:
                with warnings.catch_warnings():
                    warnings.simplefilter('ignore')
                    torch.onnx.export(_NodeModule(node), tuple(args), io.BytesIO(),
                                      dynamo=False)
            except Exception as e:  # noqa: BLE001 — any failure names this node
                failed[node.op] = (node.name, str(e).strip().splitlines()[0])
    if not failed:
        raise MXNetError(f"export_model: torch's ONNX exporter failed: {error}") from error
    detail = '; '.join(f"{op} (node {name}): {why}" for op, (name, why) in failed.items())
    raise OnnxExportError(f"No conversion function registered for op type "
                          f"{', '.join(failed)} yet: torch's ONNX exporter cannot express "
                          f"them. {detail}") from error


class _NodeModule(torch.nn.Module):
    """One node's kernel on tensor inputs (to test it alone)."""

    def __init__(self, node):
        super().__init__()
        self.node = node

    def forward(self, *args):
        return tuple(graph.run_node(self.node, list(args)))
