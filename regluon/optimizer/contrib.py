"""`mx.optimizer.contrib`: MXNet 1.x's contributed optimizers (GroupAdaGrad)."""
from .. import ndarray as nd
from .optimizer import Optimizer, register

__all__ = ['GroupAdaGrad']


@register
class GroupAdaGrad(Optimizer):
    """AdaGrad with one accumulator (and so one effective learning rate) per weight row:
    `nd.contrib.group_adagrad_update`. Weight decay is not supported.

    Parameters
    ----------
    eps : float, default 1e-5
        Added to the history inside the square root.
    """

    def __init__(self, eps=1e-5, **kwargs):
        super().__init__(**kwargs)
        self.float_stable_eps = eps

    def create_state(self, index, weight):
        assert len(weight.shape) == 2
        return nd.zeros((weight.shape[0], 1), weight.context)

    def update(self, index, weight, grad, state):
        self._update_count(index)
        lr = self._get_lr(index)
        assert self._get_wd(index) == 0, 'Weight decay is not supported for GroupAdaGrad'
        nd.contrib.group_adagrad_update(weight, grad, state, lr=lr,
                                        epsilon=self.float_stable_eps,
                                        rescale_grad=self.rescale_grad,
                                        clip_gradient=self._clip_if_set(), out=weight)
