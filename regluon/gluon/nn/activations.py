"""Activation layers: Activation, LeakyReLU, PReLU, ELU, SELU, GELU, Swish."""
from ... import initializer
from ..block import HybridBlock
from ...numpy import _mode as _npmode

__all__ = ['Activation', 'LeakyReLU', 'PReLU', 'ELU', 'SELU', 'Swish', 'GELU']


class Activation(HybridBlock):
    """Apply an activation function to the input.

    Parameters
    ----------
    activation : str
        One of 'relu', 'sigmoid', 'tanh', 'softrelu', 'softsign'.
    """

    def __init__(self, activation, **kwargs):
        self._act_type = activation
        super().__init__(**kwargs)

    def _alias(self):
        # MXNet names an Activation after its function: relu0_, tanh1_
        return self._act_type

    def hybrid_forward(self, F, x):
        return F.Activation(x, act_type=self._act_type, name='fwd')

    def __repr__(self):
        return '{name}({act})'.format(name=self.__class__.__name__, act=self._act_type)


class LeakyReLU(HybridBlock):
    """Leaky ReLU: `x` for x > 0, `alpha * x` otherwise.

    Parameters
    ----------
    alpha : float
        Slope for x < 0; must be >= 0.
    """

    def __init__(self, alpha, **kwargs):
        assert alpha >= 0, "Slope coefficient for LeakyReLU must be no less than 0."
        super().__init__(**kwargs)
        self._alpha = alpha

    def hybrid_forward(self, F, x):
        return F.LeakyReLU(x, act_type='leaky', slope=self._alpha, name='fwd')

    def __repr__(self):
        return '{name}({alpha})'.format(name=self.__class__.__name__, alpha=self._alpha)


class PReLU(HybridBlock):
    """Parametric leaky ReLU: a learned slope `alpha` (per channel) for x < 0.

    Parameters
    ----------
    alpha_initializer : Initializer, default Constant(0.25)
        Initializer for the slopes.
    in_channels : int, default 1
        Number of channels (slopes).
    """

    def __init__(self, alpha_initializer=initializer.Constant(0.25), in_channels=1, **kwargs):
        super().__init__(**kwargs)
        with self.name_scope():
            self.alpha = self.params.get('alpha', shape=(in_channels,), init=alpha_initializer)

    def hybrid_forward(self, F, x, alpha):
        return F.LeakyReLU(x, gamma=alpha, act_type='prelu', name='fwd')


class ELU(HybridBlock):
    """Exponential linear unit: `x` for x > 0, `alpha * (exp(x) - 1)` otherwise.

    Parameters
    ----------
    alpha : float, default 1.0
        The scale for x < 0.
    """

    def __init__(self, alpha=1.0, **kwargs):
        super().__init__(**kwargs)
        self._alpha = alpha

    def hybrid_forward(self, F, x):
        # MXNet names this node after the operator: leakyrelu0 (leaky_relu0 in np mode)
        return F.LeakyReLU(x, act_type='elu', slope=self._alpha,
                           **_npmode.node_hint(F, 'leaky_relu'))


class SELU(HybridBlock):
    """Scaled exponential linear unit (Klambauer et al., 2017)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def hybrid_forward(self, F, x):
        return F.LeakyReLU(x, act_type='selu', name='fwd')


class GELU(HybridBlock):
    """Gaussian error linear unit (Hendrycks and Gimpel, 2016)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def hybrid_forward(self, F, x):
        return F.LeakyReLU(x, act_type='gelu', name='fwd')


class Swish(HybridBlock):
    """Swish: `x * sigmoid(beta * x)`.

    Parameters
    ----------
    beta : float, default 1.0
        The scale inside the sigmoid.
    """

    def __init__(self, beta=1.0, **kwargs):
        super().__init__(**kwargs)
        self._beta = beta

    def hybrid_forward(self, F, x):
        if _npmode.np_tracing(F):     # MXNet's np-mode graph: np multiplies, npx.sigmoid
            x = x.as_np_ndarray()
            return (x * F.npx.sigmoid(self._beta * x)).as_nd_ndarray()
        return x * F.sigmoid(self._beta * x, name='fwd')
