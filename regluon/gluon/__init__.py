"""`mx.gluon`: Blocks, Parameters, Trainer, layers, losses, data and the model zoo."""
from .parameter import Parameter, Constant, ParameterDict, DeferredInitializationError
from .block import Block, HybridBlock, SymbolBlock
from .trainer import Trainer
from . import nn, loss, utils, data, model_zoo, rnn
