"""`import_model` and `get_model_metadata` (MXNet 1.9.1's
`mxnet.contrib.onnx.onnx2mx.import_model`)."""
from .import_onnx import GraphProto
from ._op_translations import OnnxImportError

__all__ = ['import_model', 'get_model_metadata']


def _onnx():
    try:
        import onnx
    except ImportError:
        raise ImportError("Onnx and protobuf need to be installed. "
                          "Instructions to install - https://github.com/onnx/onnx") from None
    return onnx


def load_model_proto(model_file):
    """The ModelProto of an ONNX file (parsed by the onnx package, never unpickled)."""
    onnx = _onnx()
    try:
        model = onnx.load_model(model_file)
    except (FileNotFoundError, IsADirectoryError, PermissionError):
        raise
    except Exception as e:  # protobuf's DecodeError and friends: a damaged file
        raise OnnxImportError(f"'{model_file}' is not a readable ONNX model (truncated or "
                              f"corrupt?): {type(e).__name__}: {e}") from e
    if not model.graph.output:      # protobuf reads an empty file as an empty model
        raise OnnxImportError(f"'{model_file}' holds no ONNX graph with outputs (an empty "
                              "file, or not an ONNX model?)")
    return model


def opset_version(model_proto):
    """The model's opset of the default ONNX domain (the highest listed if none is)."""
    versions = [x.version for x in model_proto.opset_import if x.domain in ('', 'ai.onnx')]
    if not versions:
        versions = [x.version for x in model_proto.opset_import]
    if not versions:
        raise OnnxImportError("the ONNX model lists no opset_import; expected the default "
                              "domain's opset version")
    return max(versions)


def import_model(model_file):
    """Imports the ONNX model file, passed as a parameter, into MXNet symbol and parameters.

    Parameters
    ----------
    model_file : str
        ONNX model file name

    Returns
    -------
    sym : Symbol
        MXNet symbol object
    arg_params : dict of str to NDArray
        Dict of converted parameters stored in NDArray format
    aux_params : dict of str to NDArray
        Dict of converted parameters stored in NDArray format (BatchNorm's moving mean and
        variance)
    """
    model_proto = load_model_proto(model_file)
    return GraphProto().from_onnx(model_proto.graph, opset_version(model_proto))


def get_model_metadata(model_file):
    """Returns the name and shape information of input and output tensors of the given ONNX
    model file.

    Parameters
    ----------
    model_file : str
        ONNX model file name

    Returns
    -------
    model_metadata : dict
        ``{'input_tensor_data': [(name, shape, elem_type)], 'output_tensor_data':
        [(name, shape)]}``: the data inputs (not initializers) with their ONNX element type
        code, and the outputs; an unknown dimension is 0.
    """
    return GraphProto().get_graph_metadata(load_model_proto(model_file).graph)
