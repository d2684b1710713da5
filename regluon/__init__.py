"""regluon: the Apache MXNet 1.x API (NDArray, autograd, Gluon) on PyTorch's engine."""
# mx.__version__ is the MXNet release whose API regluon implements: MXNet code and libraries
# gate on it (gluoncv requires mxnet>=1.4,<2). regluon's own package version is pyproject's.
__version__ = '1.9.1'

from . import base
from .base import MXNetError
from .context import Context, cpu, gpu, cpu_pinned, current_context, num_gpus
from . import autograd
from . import operator
from . import ndarray
from . import ndarray as nd
from . import random
from . import test_utils
from . import initializer
from . import initializer as init
from . import optimizer
from . import lr_scheduler
from . import metric
from . import recordio
from . import image
from . import gluon
from . import name
from . import symbol
from . import symbol as sym
from . import visualization
from . import visualization as viz
from . import kvstore
from . import kvstore as kv
from . import io
from . import model
from . import callback
from . import module
from . import module as mod
from . import rnn
from . import contrib
from . import onnx
from . import attribute
from .attribute import AttrScope
from . import runtime
from . import profiler
from . import engine
from . import random as rnd
from . import image as img
from . import monitor
from . import monitor as mon
from . import numpy
from . import numpy as np
from . import numpy_extension
from . import numpy_extension as npx
from . import numpy_dispatch_protocol
# MXNet 1.9's top-level np-mode switches (mxnet/__init__.py imports them from mxnet.util)
from .numpy_extension import (is_np_shape, np_shape, use_np_shape, is_np_array,  # noqa: E402
                              np_array, use_np_array, use_np, set_np_shape)
