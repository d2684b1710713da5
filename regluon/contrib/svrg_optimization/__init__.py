"""`mx.contrib.svrg_optimization`: SVRGModule, a Module trained with stochastic variance
reduced gradients (Johnson & Zhang, 2013), and its optimizer, as in MXNet 1.9.1."""
from . import svrg_module
from . import svrg_optimizer
