"""`import_to_gluon` (MXNet 1.9.1's `mxnet.contrib.onnx.onnx2mx.import_to_gluon`)."""
from .import_onnx import GraphProto
from .import_model import load_model_proto, opset_version

__all__ = ['import_to_gluon']


def import_to_gluon(model_file, ctx):
    """Imports the ONNX model files, passed as a parameter, into Gluon SymbolBlock object.

    Parameters
    ----------
    model_file : str
        ONNX model file name
    ctx : Context or list of Context
        Loads the model into one or many context(s).

    Returns
    -------
    sym_block : gluon.SymbolBlock
        A SymbolBlock object representing the given model file.
    """
    model_proto = load_model_proto(model_file)
    return GraphProto().graph_to_gluon(model_proto.graph, ctx, opset_version(model_proto))
