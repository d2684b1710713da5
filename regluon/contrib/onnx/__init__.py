"""`mx.contrib.onnx`: ONNX import (`import_model`, `get_model_metadata`, `import_to_gluon`)
and the old path of ONNX export, as in MXNet 1.9.1.

Import maps each ONNX node to regluon's own `mx.sym` operators (see
`onnx2mx/_op_translations.py` for the supported operators); an operator without a
translation raises `OnnxImportError` (an MXNetError and a NotImplementedError) naming it
and its node. The `onnx` package is needed only when a function is called.
"""
from .onnx2mx.import_model import import_model as import_model_
from .onnx2mx.import_model import get_model_metadata as get_model_metadata_
from .onnx2mx.import_to_gluon import import_to_gluon as import_to_gluon_
from .onnx2mx._op_translations import OnnxImportError

__all__ = ['import_model', 'get_model_metadata', 'import_to_gluon', 'export_model',
           'OnnxImportError']

# MXNet 1.9.1 prints a deprecation notice from these wrappers; regluon keeps them quiet.
import_model = import_model_
get_model_metadata = get_model_metadata_
import_to_gluon = import_to_gluon_


def export_model(*args, **kwargs):
    """`mx.onnx.export_model` under its old path (same arguments)."""
    from ...onnx import export_model as export
    return export(*args, **kwargs)


export_model_ = export_model
