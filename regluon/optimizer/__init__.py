"""`mx.optimizer`: optimizers, their registry (`create('sgd', ...)`) and the Updater."""
from .optimizer import Optimizer, register, create, Updater, get_updater
from .sgd import SGD, NAG, Signum, SGLD, DCASGD, ccSGD, Test
from .adam import Adam, Adamax, Nadam, LAMB
from .adaptive import AdaGrad, RMSProp, AdaDelta, Ftrl, FTML
from .lars import LARS, LBSGD
from . import contrib

__all__ = ['Optimizer', 'register', 'create', 'Updater', 'get_updater', 'SGD', 'NAG',
           'Signum', 'SGLD', 'DCASGD', 'ccSGD', 'Test', 'Adam', 'Adamax', 'Nadam', 'LAMB', 'AdaGrad',
           'RMSProp', 'AdaDelta', 'Ftrl', 'FTML', 'LARS', 'LBSGD']
