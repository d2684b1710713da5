"""Per-coordinate adaptive optimizers: AdaGrad, RMSProp, AdaDelta, Ftrl, FTML."""
from .. import ndarray as nd
from .optimizer import Optimizer, register

__all__ = ['AdaGrad', 'RMSProp', 'AdaDelta', 'Ftrl', 'FTML']


def _zeros(weight, n=1, dtype='float32', stype='default'):
    # MXNet makes AdaGrad/RMSProp/AdaDelta/Ftrl states float32 whatever the weight's dtype;
    # AdaGrad's, RMSProp's and Ftrl's have the weight's storage type.
    return tuple(nd.zeros(weight.shape, weight.context, dtype=dtype, stype=stype)
                 for _ in range(n))


@register
class AdaGrad(Optimizer):
    """AdaGrad.

    Parameters
    ----------
    eps : float, default 1e-7
        Added to the history inside the square root.
    """

    def __init__(self, eps=1e-7, **kwargs):
        super().__init__(**kwargs)
        self.float_stable_eps = eps

    def create_state(self, index, weight):
        return _zeros(weight, stype=weight.stype)[0]

    def update(self, index, weight, grad, state):
        self._update_count(index)
        # a row_sparse gradient takes MXNet's sparse kernel (its rows only; wd must be 0)
        update = nd.sparse.adagrad_update if grad.stype == 'row_sparse' else \
            nd._adagrad_update
        update(weight, grad, state, lr=self._get_lr(index), epsilon=self.float_stable_eps,
               wd=self._get_wd(index), rescale_grad=self.rescale_grad,
               clip_gradient=self._clip_if_set(), out=weight)


@register
class RMSProp(Optimizer):
    """RMSProp; `centered=True` is Graves' variant with momentum gamma2.

    Parameters
    ----------
    learning_rate : float, default 0.001
    gamma1 : float, default 0.9
        Decay of the moving average of squared gradients.
    gamma2 : float, default 0.9
        Momentum (centered only).
    epsilon : float, default 1e-8
    centered : bool, default False
    clip_weights : float, optional
        Clip weights into [-clip_weights, clip_weights].
    """

    def __init__(self, learning_rate=0.001, gamma1=0.9, gamma2=0.9, epsilon=1e-8,
                 centered=False, clip_weights=None, **kwargs):
        super().__init__(learning_rate=learning_rate, **kwargs)
        self.gamma1, self.gamma2, self.epsilon = gamma1, gamma2, epsilon
        self.centered, self.clip_weights = centered, clip_weights

    def create_state(self, index, weight):
        return _zeros(weight, 3 if self.centered else 1, stype=weight.stype)

    def update(self, index, weight, grad, state):
        self._update_count(index)
        kw = dict(lr=self._get_lr(index), wd=self._get_wd(index), gamma1=self.gamma1,
                  epsilon=self.epsilon, rescale_grad=self.rescale_grad,
                  clip_gradient=self._clip(),
                  clip_weights=self.clip_weights if self.clip_weights else -1.0)
        if self.centered:
            nd.rmspropalex_update(weight, grad, *state, gamma2=self.gamma2, out=weight, **kw)
        else:
            nd.rmsprop_update(weight, grad, state[0], out=weight, **kw)


@register
class AdaDelta(Optimizer):
    """AdaDelta (no learning rate; wd is applied as weight -= wd * weight).

    Parameters
    ----------
    rho : float, default 0.9
        Decay rate of both accumulators.
    epsilon : float, default 1e-5
    """

    def __init__(self, rho=0.90, epsilon=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.rho, self.epsilon = rho, epsilon

    def create_state(self, index, weight):
        return _zeros(weight, 2)

    def update(self, index, weight, grad, state):
        self._update_count(index)
        # MXNet also scales the caller's grad in place here (grad *= rescale_grad); we
        # leave the caller's gradient alone, the update is the same.
        nd._adadelta_update(weight, grad, *state, rho=self.rho, epsilon=self.epsilon,
                            wd=self._get_wd(index), rescale_grad=self.rescale_grad,
                            clip_gradient=self._clip_if_set(), out=weight)


@register
class Ftrl(Optimizer):
    """FTRL-proximal (see `nd.ftrl_update`).

    Parameters
    ----------
    lamda1 : float, default 0.01
        L1 regularization coefficient.
    learning_rate : float, default 0.1
    beta : float, default 1
    """

    def __init__(self, lamda1=0.01, learning_rate=0.1, beta=1, **kwargs):
        super().__init__(**kwargs)
        self.lamda1, self.beta = lamda1, beta
        self.lr = learning_rate

    def create_state(self, index, weight):
        return _zeros(weight, 2, stype=weight.stype)

    def update(self, index, weight, grad, state):
        self._update_count(index)
        z, n = state
        nd.ftrl_update(weight, grad, z, n, lr=self._get_lr(index), wd=self._get_wd(index),
                       lamda1=self.lamda1, beta=self.beta, rescale_grad=self.rescale_grad,
                       clip_gradient=self._clip(), out=weight)


@register
class FTML(Optimizer):
    """FTML, Follow the Moving Leader (see `nd.ftml_update`).

    Parameters
    ----------
    beta1 : float, default 0.6
    beta2 : float, default 0.999
    epsilon : float, default 1e-8
    """

    def __init__(self, beta1=0.6, beta2=0.999, epsilon=1e-8, **kwargs):
        super().__init__(**kwargs)
        self.beta1, self.beta2, self.epsilon = beta1, beta2, epsilon

    def create_state(self, index, weight):
        return _zeros(weight, 3, weight.dtype)

    def update(self, index, weight, grad, state):
        self._update_count(index)
        d, v, z = state
        nd.ftml_update(weight, grad, d, v, z, lr=self._get_lr(index),
                       t=self._index_update_count[index], beta1=self.beta1,
                       beta2=self.beta2, epsilon=self.epsilon, wd=self._get_wd(index),
                       rescale_grad=self.rescale_grad, clip_grad=self._clip(), out=weight)
