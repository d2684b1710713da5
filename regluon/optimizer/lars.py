"""Large-batch optimizers: LARS and LBSGD (MXNet 1.9.1's, with its bookkeeping).

LARS scales each layer's learning rate by eta * |w| / (|g| + wd * |w| + eps)
(`nd.multi_sum_sq`, `nd.multi_lars`) and takes an SGD step with those rates
(`nd.preloaded_multi_sgd_update` / `_mom_update`). LBSGD emulates a large batch by
accumulating `batch_scale` gradients per update and warms its learning rate up.
"""
import logging
import math
import os
import warnings

import numpy

from .. import ndarray as nd
from .optimizer import Optimizer, register

__all__ = ['LARS', 'LBSGD']


def _no_lars(name):
    """MXNet's LARS leaves biases and BatchNorm's gamma/beta at the plain learning rate."""
    return name.endswith('gamma') or name.endswith('beta') or name.endswith('bias')


@register
class LARS(Optimizer):
    """LARS, from 'Large Batch Training of Convolution Networks'
    (https://arxiv.org/abs/1708.03888): SGD with momentum and weight decay whose learning
    rate is scaled per layer (not for biases, BatchNorm gamma and beta)::

        lr_layer = lr * lr_mult * eta * |w| / (|g| + wd * |w| + eps)  if |w| > 0 and |g| > 0

    Parameters
    ----------
    momentum : float, default 0.0
        The momentum value.
    lazy_update : bool, default True
        Accepted for compatibility; regluon arrays are dense, so updates are never lazy.
    eta : float, default 0.001
        LARS coefficient scaling the learning rate.
    eps : float, default 0
        Added to the denominator, for very small gradients.
    momentum_correction : bool, default True
        Scale the momentum by lr / previous lr when an lr_scheduler changes the rate
        ('Accurate, Large Minibatch SGD', https://arxiv.org/abs/1706.02677).
    """

    def __init__(self, momentum=0.0, lazy_update=True, eta=0.001, eps=0,
                 momentum_correction=True, **kwargs):
        super().__init__(**kwargs)
        self.momentum = momentum
        self.momentum_correction = momentum_correction
        self.lazy_update = lazy_update
        # MXNet: the Updater hands LARS its weights in groups of this many (per dtype)
        self.aggregate_num = int(os.getenv('MXNET_OPTIMIZER_AGGREGATION_SIZE', '4'))
        self.eta = eta
        self.eps = eps
        self.skip = 0
        self.last_lr = None
        self.cur_lr = None

    def _get_lrs(self, indices):
        # MXNet: every call also remembers the previous and current base rate, which
        # momentum_correction divides
        if self.cur_lr is not None:
            self.last_lr = self.cur_lr
        lr = self.learning_rate
        if self.cur_lr is None:
            self.last_lr = lr
        self.cur_lr = lr
        return [lr * self._mult(i, self.lr_mult, 'lr_mult') for i in indices]

    def set_wd_mult(self, args_wd_mult):
        """Set weight decay multipliers; names not ending in `_weight` get 0 (unlike the
        other optimizers, LARS also leaves `_gamma` undecayed, as MXNet does).

        Parameters
        ----------
        args_wd_mult : dict of str/int to float
        """
        self.wd_mult = {n: 0.0 for n in self.idx2name.values() if not n.endswith('_weight')}
        self.wd_mult.update(args_wd_mult)

    def create_state_multi_precision(self, index, weight):
        # MXNet's LARS orders its float16 state (momentum, master copy)
        if self.multi_precision and weight.dtype == numpy.float16:
            master = weight.astype(numpy.float32)
            return (self.create_state(index, master), master)
        if weight.dtype == numpy.float16:
            warnings.warn("Accumulating with float16 in optimizer can lead to poor accuracy "
                          "or slow convergence. Consider using multi_precision=True option "
                          "of the SGD optimizer")
        return self.create_state(index, weight)

    def create_state(self, index, weight):
        if self.momentum == 0.0:
            return None
        return nd.zeros(weight.shape, weight.context, dtype=weight.dtype)

    def update(self, index, weight, grad, state):
        self._update_impl(index, weight, grad, state, multi_precision=False)

    def update_multi_precision(self, index, weight, grad, state):
        w0 = weight[0] if isinstance(index, (tuple, list)) else weight
        self._update_impl(index, weight, grad, state,
                          multi_precision=self.multi_precision and w0.dtype == numpy.float16)

    def _update_impl(self, indices, weights, grads, states, multi_precision=False):
        if not isinstance(indices, (tuple, list)):
            indices, weights, grads, states = [indices], [weights], [grads], [states]
        self._update_count(indices)
        lrs, wds = self._get_lrs(indices), self._get_wds(indices)
        kwargs = {'rescale_grad': self.rescale_grad}
        if self.momentum > 0:
            kwargs['momentum'] = (self.momentum * (self.cur_lr / self.last_lr)) \
                if (self.momentum_correction and self.last_lr != 0) else self.momentum
        if self.clip_gradient:
            kwargs['clip_gradient'] = self.clip_gradient
        names = [self.idx2name.get(i, str(i)) for i in indices]
        lars_idx = [i for i, n in enumerate(names) if not _no_lars(n)]
        order = lars_idx + [i for i, n in enumerate(names) if _no_lars(n)]
        ctx, n_lars = weights[0].context, len(lars_idx)
        new_lrs = nd.array([lrs[i] for i in order], ctx=ctx, dtype='float32')
        new_wds = nd.array([wds[i] for i in order], ctx=ctx, dtype='float32')
        weights = [weights[i] for i in order]
        grads = [grads[i] for i in order]
        states = [states[i] for i in order]
        if n_lars > 0:
            w_sum_sq = nd.multi_sum_sq(*weights[:n_lars], num_arrays=n_lars)
            g_sum_sq = nd.multi_sum_sq(*grads[:n_lars], num_arrays=n_lars)
            nd.multi_lars(new_lrs[:n_lars], w_sum_sq, g_sum_sq, new_wds[:n_lars],
                          eta=self.eta, eps=self.eps, rescale_grad=self.rescale_grad,
                          out=new_lrs[:n_lars])
        size = self.aggregate_num if self.aggregate_num > 0 else len(weights)
        for s in range(0, len(weights), size):
            e = min(s + size, len(weights))
            # float16 weights step through their float32 master copies (MXNet's mp ops)
            if multi_precision:
                moms, masters = [st[0] for st in states[s:e]], [st[1] for st in states[s:e]]
            else:
                moms, masters = states[s:e], None
            roles = [weights[s:e], grads[s:e]] + ([moms] if self.momentum > 0 else []) + \
                ([masters] if multi_precision else [])
            data = [x for t in zip(*roles) for x in t]
            name = 'preloaded_multi_' + ('mp_' if multi_precision else '') + 'sgd_' + \
                ('mom_' if self.momentum > 0 else '') + 'update'
            getattr(nd, name)(*data, new_lrs[s:e], new_wds[s:e], out=weights[s:e],
                              num_weights=e - s, **kwargs)


@register
class LBSGD(Optimizer):
    """Large-batch SGD with momentum and weight decay: accumulates `batch_scale` gradients
    per index and takes one SGD step (`nd.sgd_mom_update` / `nd.sgd_update`) with their
    mean and a warmed-up learning rate; the calls in between leave the weight as it is.

    Parameters
    ----------
    momentum : float, default 0.0
        The momentum value.
    multi_precision : bool, default False
        Update float16 weights through a float32 master copy.
    warmup_strategy : {'linear', 'power2', 'sqrt', 'lars'}, default 'linear'
        How the learning-rate multiplier grows from 1 to batch_scale over the warmup
        ('lars': a per-layer LARS factor instead, clipped to [0.01, 100]).
    warmup_epochs : int, default 5
    batch_scale : int, default 1
        Number of gradients per update (batch size * number of workers).
    updates_per_epoch : int, default 32
        Used for the warmup length.
    begin_epoch : int, default 0
        Starting epoch.
    num_epochs : int, default 60
    """

    def __init__(self, momentum=0.0, multi_precision=False, warmup_strategy='linear',
                 warmup_epochs=5, batch_scale=1, updates_per_epoch=32, begin_epoch=0,
                 num_epochs=60, **kwargs):
        super().__init__(**kwargs)
        logging.info('Running Large-Batch SGD Algorithm')
        logging.info('(Batch_scale=%f, warmup_epochs=%d, warmup_strategy=%s, '
                     'updates_per_epoch=%d)', batch_scale, warmup_epochs, warmup_strategy,
                     updates_per_epoch)
        self.momentum = momentum
        self.multi_precision = multi_precision
        self.warmup_strategy = warmup_strategy
        self.warmup_epochs = warmup_epochs
        self.batch_scale = batch_scale
        self.updates_per_epoch = updates_per_epoch
        self.init_updates = begin_epoch * updates_per_epoch
        self.num_epochs = num_epochs
        self.lbmult = 1
        self.cumgrads = {}
        self.adaptive = False
        self.admult = 1

    def create_state(self, index, weight):
        if self.multi_precision and weight.dtype == numpy.float16:
            momentum = None if self.momentum == 0.0 else \
                nd.zeros(weight.shape, weight.context, dtype=numpy.float32)
            return (momentum, weight.astype(numpy.float32))
        if weight.dtype == numpy.float16 and not self.multi_precision:
            warnings.warn("Accumulating with float16 in optimizer can lead to poor accuracy "
                          "or slow convergence. Consider using multi_precision=True option "
                          "of the SGD optimizer")
        if self.momentum == 0.0:
            return None
        return nd.zeros(weight.shape, weight.context, dtype=weight.dtype)

    def _get_lbmult(self, nup):
        """The learning-rate multiplier after `nup` gradients: batch_scale after the warmup."""
        nwup = self.warmup_epochs * self.updates_per_epoch
        maxmult = float(self.batch_scale)
        if nup >= nwup:
            return maxmult
        if nwup <= 1:
            return 1.0
        if self.warmup_strategy == 'linear':
            return 1.0 + (maxmult - 1) * nup / nwup
        if self.warmup_strategy == 'power2':
            return 1.0 + (maxmult - 1) * (nup * nup) / (nwup * nwup)
        if self.warmup_strategy == 'sqrt':
            return 1.0 + (maxmult - 1) * math.sqrt(float(nup) / nwup)
        return 1.0

    def _get_lars(self, weight, g, wd):
        """The 'lars' warmup factor sqrt(|w|^2 / (|g|^2 + wd |w|^2)), clipped to [0.01, 100]
        (MXNet's, on squared norms)."""
        weight2 = self._l2norm(weight)
        grad2 = self._l2norm(g)
        return min(max(math.sqrt(weight2 / (grad2 + wd * weight2 + 1e-18)), 0.01), 100)

    def _l2norm(self, v):
        """The sum of squares (MXNet's name)."""
        return nd.multi_sum_sq(v, num_arrays=1).asscalar()

    def _reset_cum_gradient(self, index):
        self.cumgrads[index]['cum_grad'] = 0

    def _cumulate_gradient(self, grad, index):
        """Add `grad` to index's running sum; the first gradient of a large batch is kept
        as given (MXNet keeps the array itself, not a copy)."""
        cgrad = self.cumgrads.get(index, {})
        if cgrad and cgrad['num_cums'] > 0:
            cgrad = {'cum_grad': cgrad['cum_grad'] + grad, 'num_cums': cgrad['num_cums'] + 1}
        else:
            cgrad = {'cum_grad': grad, 'num_cums': self.init_updates + 1}
        self.cumgrads[index] = cgrad
        return cgrad

    def update(self, index, weight, grad, state):
        lr = self._get_lr(index)        # MXNet: before this update is counted
        wd = self._get_wd(index)
        self._update_count(index)
        cgrad = self._cumulate_gradient(grad, index)
        if cgrad['num_cums'] % self.batch_scale != 0:
            # MXNet still runs an SGD step here, with lr 0
            nd.sgd_update(weight, grad, out=weight, lr=0.0, wd=wd)
            return
        grad = cgrad['cum_grad'] / self.batch_scale
        if self.warmup_strategy == 'lars':
            lbmult = self._get_lars(weight, grad, wd)
        else:
            lbmult = self._get_lbmult(cgrad['num_cums'])
        kw = dict(lr=lr * lbmult, wd=wd, rescale_grad=self.rescale_grad,
                  clip_gradient=self._clip())
        if isinstance(state, (list, tuple)):        # (momentum, float32 master copy)
            mom, master = state
            if mom is not None:
                nd.mp_sgd_mom_update(weight, grad, mom, master, out=weight,
                                     momentum=self.momentum, **kw)
            else:
                nd.mp_sgd_update(weight, grad, master, out=weight, **kw)
        else:
            self._sgd(weight, grad, state, kw)
        self._reset_cum_gradient(index)

    def _sgd(self, weight, grad, mom, kw):
        if mom is not None:
            nd.sgd_mom_update(weight, grad, mom, out=weight, momentum=self.momentum, **kw)
        else:
            nd.sgd_update(weight, grad, out=weight, **kw)
