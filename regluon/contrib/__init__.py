"""`mx.contrib`: contributed APIs of MXNet 1.x: `text` (vocabularies and embeddings) and the
contrib operators as `contrib.nd` / `contrib.sym`, and `onnx` (ONNX import)."""
from . import text
from . import ndarray
from . import ndarray as nd
from . import symbol
from . import symbol as sym
from . import amp
from . import onnx
from . import io, autograd, tensorboard, quantization
from . import quantization as quant
