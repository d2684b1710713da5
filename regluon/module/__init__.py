"""`mx.mod` / `mx.module`: the symbolic Module API (bind, init_params, fit, score, predict,
checkpoints) over mx.sym executors, with BucketingModule, SequentialModule and the
Python-written PythonModule/PythonLossModule."""
from .base_module import BaseModule
from .module import Module
from .bucketing_module import BucketingModule
from .sequential_module import SequentialModule
from .python_module import PythonModule, PythonLossModule
