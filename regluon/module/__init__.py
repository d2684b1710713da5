"""`mx.mod` / `mx.module`: the symbolic Module API (bind, init_params, fit, score, predict,
checkpoints) over mx.sym executors."""
from .base_module import BaseModule
from .module import Module
