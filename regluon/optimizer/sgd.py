"""SGD-family optimizers: SGD, NAG, Signum, SGLD, DCASGD (and MXNet's alias ccSGD)."""
import math
import os

import numpy

from .. import ndarray as nd
from ..ndarray.register import run_on_arrays
from .optimizer import Optimizer, register

__all__ = ['SGD', 'NAG', 'Signum', 'SGLD', 'DCASGD', 'ccSGD', 'Test']


def _momentum_state(self, index, weight):
    """A zero momentum buffer, or None without momentum (SGD's and NAG's create_state); of
    the weight's storage type when SGD updates lazily, as in MXNet."""
    if self.momentum == 0.0:
        return None
    if weight.stype != 'default' and getattr(self, 'lazy_update', False):
        return nd.zeros(weight.shape, weight.context, dtype=weight.dtype, stype=weight.stype)
    return nd.zeros(weight.shape, weight.context, dtype=weight.dtype)


def _mp_momentum_state(self, index, weight):
    """SGD's and NAG's float16 state as MXNet orders it: (momentum, float32 master copy)."""
    if self.multi_precision and weight.dtype == numpy.float16:
        master = weight.astype(numpy.float32)
        return (self.create_state(index, master), master)
    return Optimizer.create_state_multi_precision(self, index, weight)


def _mp_momentum_step(self, index, weight, grad, state):
    """SGD's and NAG's float16 update on the master copy (`nd.mp_sgd_update`,
    `nd.mp_sgd_mom_update`, `nd.mp_nag_mom_update`), as MXNet's."""
    self._update_count(index)
    kw = dict(lr=self._get_lr(index), wd=self._get_wd(index),
              rescale_grad=self.rescale_grad, clip_gradient=self._clip())
    mom, master = state
    if mom is not None:
        getattr(nd, 'mp_' + self._momentum_update)(weight, grad, mom, master, out=weight,
                                                   momentum=self.momentum, **kw)
    else:
        nd.mp_sgd_update(weight, grad, master, out=weight, **kw)


def _momentum_step(self, index, weight, grad, state):
    """SGD's and NAG's update: their momentum rule (`_momentum_update`), or plain SGD."""
    self._update_count(index)
    kw = dict(lr=self._get_lr(index), wd=self._get_wd(index),
              rescale_grad=self.rescale_grad, clip_gradient=self._clip())
    ops = nd
    if grad.stype == 'row_sparse' and hasattr(nd.sparse, self._momentum_update):
        ops = nd.sparse     # MXNet's row_sparse kernels: lazy_update touches grad's rows only
        kw['lazy_update'] = self.lazy_update
    if state is not None:
        getattr(ops, self._momentum_update)(weight, grad, state, momentum=self.momentum,
                                            out=weight, **kw)
    else:
        ops.sgd_update(weight, grad, out=weight, **kw)


@register
class SGD(Optimizer):
    """SGD with momentum and weight decay (see `nd.sgd_mom_update`).

    Parameters
    ----------
    momentum : float, default 0.0
        The momentum value.
    lazy_update : bool, default True
        With a row_sparse gradient, update only its rows (mx.nd.sparse.sgd_update).
    """

    _momentum_update = 'sgd_mom_update'

    def __init__(self, momentum=0.0, lazy_update=True, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum
        self.lazy_update = lazy_update
        # MXNet: the Updater hands SGD its weights in groups of this many (per dtype)
        self.aggregate_num = int(os.getenv('MXNET_OPTIMIZER_AGGREGATION_SIZE', '4'))

    create_state = _momentum_state
    create_state_multi_precision = _mp_momentum_state
    update = _momentum_step

    def update_multi_precision(self, index, weight, grad, state):
        grouped = isinstance(index, (list, tuple))
        mp = self.multi_precision and (weight[0] if grouped else weight).dtype == numpy.float16
        if grouped:
            self._update_group(index, weight, grad, state, mp)
        elif mp:
            _mp_momentum_step(self, index, weight, grad, state)
        else:
            self.update(index, weight, grad, state)

    def _update_group(self, indices, weights, grads, states, mp=False):
        """One aggregated update of several weights (`nd.multi_sgd_update`/`_mom_update`, or
        their `multi_mp_` forms on (momentum, master copy) states), with the learning rates
        taken once the group's update count has advanced, as MXNet."""
        self._update_count(indices)
        kw = dict(lrs=self._get_lrs(indices), wds=self._get_wds(indices),
                  rescale_grad=self.rescale_grad, clip_gradient=self._clip(),
                  num_weights=len(weights), out=weights)
        if mp:
            moms, masters = zip(*states)
            roles = (weights, grads, moms, masters) if self.momentum > 0 else \
                (weights, grads, masters)
        else:
            roles = (weights, grads, states) if self.momentum > 0 else (weights, grads)
        data = [x for t in zip(*roles) for x in t]
        name = ('multi_mp_' if mp else 'multi_') + \
            ('sgd_mom_update' if self.momentum > 0 else 'sgd_update')
        if self.momentum > 0:
            kw['momentum'] = self.momentum
        run_on_arrays(name, data, kw)


@register
class ccSGD(SGD):  # pylint: disable=invalid-name
    """[DEPRECATED] Same as SGD."""


@register
class NAG(Optimizer):
    """Nesterov accelerated gradient (see `nd.nag_mom_update`).

    Parameters
    ----------
    momentum : float, default 0.0
        The momentum value.
    """

    _momentum_update = 'nag_mom_update'

    def __init__(self, momentum=0.0, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum

    create_state = _momentum_state
    create_state_multi_precision = _mp_momentum_state
    update = _momentum_step

    def update_multi_precision(self, index, weight, grad, state):
        if self.multi_precision and weight.dtype == numpy.float16 and \
                isinstance(state, (tuple, list)):
            _mp_momentum_step(self, index, weight, grad, state)
        else:
            self.update(index, weight, grad, state)


@register
class Signum(Optimizer):
    """Signum: the sign of the momentum (signSGD without momentum).

    Parameters
    ----------
    learning_rate : float, default 0.01
    momentum : float, default 0.9
        The momentum value.
    wd_lh : float, default 0.0
        Decoupled weight decay.
    """

    def __init__(self, learning_rate=0.01, momentum=0.9, wd_lh=0.0, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.momentum = momentum
        self.wd_lh = wd_lh

    def create_state(self, index, weight):
        if self.momentum == 0.0:
            return None
        return nd.zeros(weight.shape, weight.context, dtype=weight.dtype, stype=weight.stype)

    def update(self, index, weight, grad, state):
        self._update_count(index)
        kw = dict(lr=self._get_lr(index), wd=self._get_wd(index),
                  rescale_grad=self.rescale_grad, clip_gradient=self._clip())
        if state is not None:
            nd.signum_update(weight, grad, state, momentum=self.momentum,
                             wd_lh=self.wd_lh, out=weight, **kw)
        else:
            nd.signsgd_update(weight, grad, out=weight, **kw)


@register
class SGLD(Optimizer):
    """Stochastic gradient Langevin dynamics: an SGD half-step plus N(0, lr) noise."""

    def update(self, index, weight, grad, state):
        self._update_count(index)
        lr = self._get_lr(index)
        nd.sgd_update(weight, grad, lr=lr / 2, wd=self._get_wd(index),
                      rescale_grad=self.rescale_grad, clip_gradient=self._clip_if_set(),
                      out=weight)
        weight += nd.random.normal(0, math.sqrt(lr), shape=weight.shape, dtype=weight.dtype,
                                   ctx=weight.context)


@register
class DCASGD(Optimizer):
    """Delay-compensated asynchronous SGD (see `nd._dcasgd_update`).

    Parameters
    ----------
    momentum : float, default 0.0
        The momentum value.
    lamda : float, default 0.04
        The delay-compensation factor.
    """

    def __init__(self, momentum=0.0, lamda=0.04, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum
        self.weight_previous = {}
        self.lamda = lamda

    def create_state(self, index, weight):
        # MXNet keeps None for the momentum when momentum == 0; a zero buffer multiplied
        # by 0 each step gives the same update and one code path.
        return (nd.zeros(weight.shape, weight.context, dtype=weight.dtype), weight.copy())

    def update(self, index, weight, grad, state):
        self._update_count(index)
        mom, previous = state
        nd._dcasgd_update(weight, grad, mom, previous, lr=self._get_lr(index),
                          momentum=self.momentum, lamda=self.lamda, wd=self._get_wd(index),
                          rescale_grad=self.rescale_grad,
                          clip_gradient=self._clip_if_set(), out=weight)


@register
class Test(Optimizer):
    """MXNet's test optimizer: weight += rescale_grad * grad; the state copies the weight."""

    def create_state(self, index, weight):
        return nd.zeros(weight.shape, weight.context)

    def update(self, index, weight, grad, state):
        weight += grad * self.rescale_grad
        state[:] = weight
