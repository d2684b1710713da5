"""Adam-family optimizers: Adam, Adamax, Nadam, LAMB."""
import math
import os

import numpy

from .. import ndarray as nd
from .optimizer import Optimizer, register

__all__ = ['Adam', 'Adamax', 'Nadam', 'LAMB']


class _TwoMoments(Optimizer):
    """An optimizer with two zero-initialized states per weight (mean and var, or u)."""

    def create_state(self, index, weight):
        stype = weight.stype if self._sparse_states else 'default'
        return (nd.zeros(weight.shape, weight.context, dtype=weight.dtype, stype=stype),
                nd.zeros(weight.shape, weight.context, dtype=weight.dtype, stype=stype))

    @property
    def _sparse_states(self):
        """Whether the states take a row_sparse weight's storage type (MXNet: Adam when it
        updates lazily, LAMB always)."""
        return False

    def _count(self, index):
        """Count one more update of weight `index`; its update number t."""
        self._update_count(index)
        return self._index_update_count[index]


@register
class Adam(_TwoMoments):
    """Adam (Kingma & Ba). As in MXNet the bias correction scales the learning rate,
    lr_t = lr * sqrt(1 - beta2^t) / (1 - beta1^t), and epsilon is added outside the sqrt.

    Parameters
    ----------
    learning_rate : float, default 0.001
    beta1 : float, default 0.9
    beta2 : float, default 0.999
    epsilon : float, default 1e-8
    lazy_update : bool, default True
        With a row_sparse gradient, update only its rows (mx.nd.sparse.adam_update).
    """

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 lazy_update=True, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1, self.beta2, self.epsilon = beta1, beta2, epsilon
        self.lazy_update = lazy_update

    @property
    def _sparse_states(self):
        return self.lazy_update

    def update(self, index, weight, grad, state):
        t = self._count(index)
        lr = self._get_lr(index) * math.sqrt(1. - self.beta2 ** t) / (1. - self.beta1 ** t)
        mean, var = state
        kw = {'lazy_update': self.lazy_update} if grad.stype == 'row_sparse' else {}
        (nd.sparse if kw else nd).adam_update(
            weight, grad, mean, var, lr=lr, wd=self._get_wd(index), beta1=self.beta1,
            beta2=self.beta2, epsilon=self.epsilon, rescale_grad=self.rescale_grad,
            clip_gradient=self._clip(), out=weight, **kw)


@register
class Adamax(_TwoMoments):
    """Adamax, Adam with the infinity norm.

    Parameters
    ----------
    learning_rate : float, default 0.002
    beta1 : float, default 0.9
    beta2 : float, default 0.999
    """

    def __init__(self, learning_rate=0.002, beta1=0.9, beta2=0.999, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1, self.beta2 = beta1, beta2

    def update(self, index, weight, grad, state):
        t = self._count(index)
        lr = self._get_lr(index) / (1. - self.beta1 ** t)
        mean, u = state
        nd._adamax_update(weight, grad, mean, u, lr=lr, beta1=self.beta1, beta2=self.beta2,
                          wd=self._get_wd(index), rescale_grad=self.rescale_grad,
                          clip_gradient=self._clip_if_set(), out=weight)


@register
class Nadam(_TwoMoments):
    """Nesterov Adam.

    Parameters
    ----------
    learning_rate : float, default 0.001
    beta1 : float, default 0.9
    beta2 : float, default 0.999
    epsilon : float, default 1e-8
    schedule_decay : float, default 0.004
        Decay rate of the momentum schedule.
    """

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-8,
                 schedule_decay=0.004, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1, self.beta2, self.epsilon = beta1, beta2, epsilon
        self.schedule_decay = schedule_decay
        self.m_schedule = 1.

    def update(self, index, weight, grad, state):
        t = self._count(index)
        momentum_t = self.beta1 * (1. - 0.5 * pow(0.96, t * self.schedule_decay))
        momentum_t_1 = self.beta1 * (1. - 0.5 * pow(0.96, (t + 1) * self.schedule_decay))
        # MXNet keeps one m_schedule for the optimizer, advanced by every weight's update.
        self.m_schedule = self.m_schedule * momentum_t
        mean, var = state
        nd._nadam_update(weight, grad, mean, var, lr=self._get_lr(index), t=t,
                         momentum_t=momentum_t, momentum_t_1=momentum_t_1,
                         m_schedule=self.m_schedule,
                         m_schedule_next=self.m_schedule * momentum_t_1,
                         beta1=self.beta1, beta2=self.beta2, epsilon=self.epsilon,
                         wd=self._get_wd(index), rescale_grad=self.rescale_grad,
                         clip_gradient=self._clip_if_set(), out=weight)


@register
class LAMB(_TwoMoments):
    """LAMB: Adam direction scaled by the layer's trust ratio ||w|| / ||g||.

    Parameters
    ----------
    learning_rate : float, default 0.001
    beta1 : float, default 0.9
    beta2 : float, default 0.999
    epsilon : float, default 1e-6
    lower_bound, upper_bound : float, optional
        Bounds on ||w|| in the trust ratio.
    bias_correction : bool, default True
    """

    def __init__(self, learning_rate=0.001, beta1=0.9, beta2=0.999, epsilon=1e-6,
                 lower_bound=None, upper_bound=None, bias_correction=True, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.beta1, self.beta2, self.epsilon = beta1, beta2, epsilon
        self.lower_bound, self.upper_bound = lower_bound, upper_bound
        self.bias_correction = bias_correction
        # MXNet: the Updater hands LAMB its weights in groups of up to 45 (fused LAMB)
        self.aggregate_num = max(1, min(45, int(os.getenv('MXNET_OPTIMIZER_AGGREGATION_SIZE',
                                                          '45'))))

    def update_multi_precision(self, index, weight, grad, state):
        if not isinstance(index, (list, tuple)):
            super().update_multi_precision(index, weight, grad, state)
            return
        # a group: one nd.contrib.multi_lamb_update (float16: multi_mp_lamb_update on the
        # (master copy, (mean, var)) states), with MXNet's per-index counts and rates
        steps, lrs, wds = [], [], []
        for i in index:
            steps.append(self._count(i))
            lrs.append(self._get_lr(i))
            wds.append(self._get_wd(i))
        kw = dict(step_count=steps, lrs=lrs, wds=wds, beta1=self.beta1, beta2=self.beta2,
                  epsilon=self.epsilon, bias_correction=self.bias_correction,
                  rescale_grad=self.rescale_grad, clip_gradient=self._clip(),
                  lower_bound=self.lower_bound or -1.0, upper_bound=self.upper_bound or -1.0,
                  out=weight)
        if self.multi_precision and weight[0].dtype == numpy.float16:
            masters, moments = zip(*state)
            means, vars_ = zip(*moments)
            nd.contrib.multi_mp_lamb_update(weight, grad, means, vars_, masters, **kw)
        else:
            means, vars_ = zip(*state)
            nd.contrib.multi_lamb_update(weight, grad, means, vars_, **kw)

    def update(self, index, weight, grad, state):
        t = self._count(index)
        mean, var = state
        g = nd.lamb_update_phase1(weight, grad, mean, var, t=t, beta1=self.beta1,
                                  beta2=self.beta2, epsilon=self.epsilon,
                                  bias_correction=self.bias_correction,
                                  wd=self._get_wd(index), rescale_grad=self.rescale_grad,
                                  clip_gradient=self._clip())
        nd.lamb_update_phase2(weight, g, nd.norm(weight), nd.norm(g), lr=self._get_lr(index),
                              lower_bound=self.lower_bound or -1.0,
                              upper_bound=self.upper_bound or -1.0, out=weight)
