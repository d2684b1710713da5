"""Normalization layers: BatchNorm, InstanceNorm, LayerNorm, GroupNorm."""
import numpy as np

from ..block import HybridBlock
from ...numpy import _mode as _npmode

__all__ = ['BatchNorm', 'BatchNormReLU', 'InstanceNorm', 'LayerNorm', 'GroupNorm']


def _content(kwargs):
    return ', '.join('='.join([k, repr(v)]) for k, v in kwargs.items())


def _gamma_beta(block, shape, center, scale, gamma_init, beta_init, differentiable=False):
    """The scale `gamma` and shift `beta` Parameters of a normalization layer; one not
    learned gets grad_req 'null' (and, with `differentiable`, no gradient at all)."""
    def get(name, learned, init):
        extra = {'differentiable': learned} if differentiable else {}
        return block.params.get(name, grad_req='write' if learned else 'null', shape=shape,
                                init=init, allow_deferred_init=True, **extra)
    return get('gamma', scale, gamma_init), get('beta', center, beta_init)


def _infer_channels(self, x, *args):
    """gamma and beta have the size of the normalized axis."""
    self.gamma.shape = self.beta.shape = (x.shape[self._axis],)


def _repr_channels(self):
    return '{name}({content}, in_channels={c})'.format(
        name=self.__class__.__name__, content=_content(self._kwargs), c=self.gamma.shape[0])


class BatchNorm(HybridBlock):
    """Batch normalization (Ioffe and Szegedy, 2014); running statistics update in training.

    Parameters
    ----------
    axis : int, default 1
        The channel axis.
    momentum : float, default 0.9
        Momentum of the running mean and variance.
    epsilon : float, default 1e-5
        Added to the variance to avoid dividing by zero.
    center : bool, default True
        Whether to add the offset `beta`.
    scale : bool, default True
        Whether to multiply by `gamma`.
    use_global_stats : bool, default False
        Normalize with the running statistics also in training.
    beta_initializer, gamma_initializer : str or Initializer
        Initializers of beta ('zeros') and gamma ('ones').
    running_mean_initializer, running_variance_initializer : str or Initializer
        Initializers of the running statistics ('zeros', 'ones').
    in_channels : int, default 0
        Number of channels; 0 infers it on the first forward.
    """

    def __init__(self, axis=1, momentum=0.9, epsilon=1e-5, center=True, scale=True,
                 use_global_stats=False, beta_initializer='zeros', gamma_initializer='ones',
                 running_mean_initializer='zeros', running_variance_initializer='ones',
                 in_channels=0, **kwargs):
        super().__init__(**kwargs)
        # MXNet's Gluon passes fix_gamma=not scale: without scale, gamma is pinned to 1.
        self._kwargs = {'axis': axis, 'eps': epsilon, 'momentum': momentum,
                        'fix_gamma': not scale, 'use_global_stats': use_global_stats}
        if in_channels != 0:
            self.in_channels = in_channels
        self.gamma, self.beta = _gamma_beta(self, (in_channels,), center, scale,
                                            gamma_initializer, beta_initializer, differentiable=True)
        self.running_mean = self.params.get('running_mean', grad_req='null',
                                            shape=(in_channels,),
                                            init=running_mean_initializer,
                                            allow_deferred_init=True, differentiable=False)
        self.running_var = self.params.get('running_var', grad_req='null',
                                           shape=(in_channels,),
                                           init=running_variance_initializer,
                                           allow_deferred_init=True, differentiable=False)

    def cast(self, dtype):
        # MXNet keeps BatchNorm in float32 when a network is cast to float16
        if np.dtype(dtype).name == 'float16':
            dtype = 'float32'
        super().cast(dtype)

    def infer_shape(self, x, *args):
        channels = x.shape[self._kwargs['axis']]
        for p in (self.gamma, self.beta, self.running_mean, self.running_var):
            p.shape = (channels,)

    def hybrid_forward(self, F, x, gamma, beta, running_mean, running_var):
        return F.BatchNorm(x, gamma, beta, running_mean, running_var, name='fwd',
                           **self._kwargs)

    def __repr__(self):
        in_channels = self.gamma.shape[0]
        return '{name}({content}, in_channels={c})'.format(
            name=self.__class__.__name__, content=_content(self._kwargs),
            c=in_channels if in_channels else None)



class BatchNormReLU(BatchNorm):
    """BatchNorm followed by ReLU (MXNet fuses the two with MKL-DNN; the result is the same).

    Parameters are those of `BatchNorm`.
    """

    def hybrid_forward(self, F, x, gamma, beta, running_mean, running_var):
        return F.relu(super().hybrid_forward(F, x, gamma, beta, running_mean, running_var))

class InstanceNorm(HybridBlock):
    """Instance normalization (Ulyanov et al., 2016): per sample and channel.

    Parameters
    ----------
    axis : int, default 1
        The channel axis.
    epsilon : float, default 1e-5
        Added to the variance to avoid dividing by zero.
    center : bool, default True
        Whether to add the offset `beta`.
    scale : bool, default False
        Whether `gamma` is learned.
    beta_initializer, gamma_initializer : str or Initializer
        Initializers of beta ('zeros') and gamma ('ones').
    in_channels : int, default 0
        Number of channels; 0 infers it on the first forward.
    """

    def __init__(self, axis=1, epsilon=1e-5, center=True, scale=False,
                 beta_initializer='zeros', gamma_initializer='ones', in_channels=0, **kwargs):
        super().__init__(**kwargs)
        self._kwargs = {'eps': epsilon, 'axis': axis, 'center': center, 'scale': scale}
        self._axis = axis
        self._epsilon = epsilon
        self.gamma, self.beta = _gamma_beta(self, (in_channels,), center, scale,
                                            gamma_initializer, beta_initializer)

    infer_shape = _infer_channels

    def hybrid_forward(self, F, x, gamma, beta):
        if self._axis == 1:
            return F.InstanceNorm(x, gamma, beta, eps=self._epsilon, name='fwd')
        x = x.swapaxes(1, self._axis)
        return F.InstanceNorm(x, gamma, beta, eps=self._epsilon,
                              name='fwd').swapaxes(1, self._axis)

    __repr__ = _repr_channels


class LayerNorm(HybridBlock):
    """Layer normalization (Ba et al., 2016) over one axis.

    Parameters
    ----------
    axis : int, default -1
        The axis normalized over.
    epsilon : float, default 1e-5
        Added to the variance to avoid dividing by zero.
    center : bool, default True
        Whether `beta` is learned.
    scale : bool, default True
        Whether `gamma` is learned.
    beta_initializer, gamma_initializer : str or Initializer
        Initializers of beta ('zeros') and gamma ('ones').
    in_channels : int, default 0
        Size of `axis`; 0 infers it on the first forward.
    """

    def __init__(self, axis=-1, epsilon=1e-5, center=True, scale=True,
                 beta_initializer='zeros', gamma_initializer='ones', in_channels=0,
                 prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._kwargs = {'eps': epsilon, 'axis': axis, 'center': center, 'scale': scale}
        self._axis = axis
        self._epsilon = epsilon
        self._center = center
        self._scale = scale
        self.gamma, self.beta = _gamma_beta(self, (in_channels,), center, scale,
                                            gamma_initializer, beta_initializer)

    infer_shape = _infer_channels

    def hybrid_forward(self, F, data, gamma, beta):
        # MXNet names this node after the operator: layernorm0 (layer_norm0 in np mode)
        return F.LayerNorm(data, gamma=gamma, beta=beta, axis=self._axis, eps=self._epsilon,
                           **_npmode.node_hint(F, 'layer_norm'))

    __repr__ = _repr_channels


class GroupNorm(HybridBlock):
    """Group normalization (Wu and He, 2018): channels split into `num_groups` groups.

    Parameters
    ----------
    num_groups : int, default 1
        Number of channel groups.
    epsilon : float, default 1e-5
        Added to the variance to avoid dividing by zero.
    center : bool, default True
        Whether `beta` is learned.
    scale : bool, default True
        Whether `gamma` is learned.
    beta_initializer, gamma_initializer : str or Initializer
        Initializers of beta ('zeros') and gamma ('ones').
    """

    def __init__(self, num_groups=1, epsilon=1e-5, center=True, scale=True,
                 beta_initializer='zeros', gamma_initializer='ones', prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self._kwargs = {'eps': epsilon, 'num_groups': num_groups, 'center': center,
                        'scale': scale}
        self._num_groups = num_groups
        self._epsilon = epsilon
        # MXNet 1.9's GroupNorm has one gamma/beta per group, not per channel
        self.gamma, self.beta = _gamma_beta(self, (num_groups,), center, scale,
                                            gamma_initializer, beta_initializer)

    def hybrid_forward(self, F, data, gamma, beta):
        return F.GroupNorm(data, gamma=gamma, beta=beta, num_groups=self._num_groups,
                           eps=self._epsilon)

    def __repr__(self):
        return '{name}({content})'.format(name=self.__class__.__name__,
                                          content=_content(self._kwargs))
