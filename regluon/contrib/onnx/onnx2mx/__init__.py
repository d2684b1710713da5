"""ONNX -> MXNet import (MXNet 1.9.1's `mxnet.contrib.onnx.onnx2mx`)."""
from . import import_model, import_onnx, import_to_gluon  # noqa: F401
