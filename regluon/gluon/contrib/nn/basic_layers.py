"""Containers that run their children on the same input and concatenate the outputs;
pixel-shuffle upsampling layers; SyncBatchNorm."""
import warnings

from ....base import MXNetError
from ....context import num_gpus
from ...block import HybridBlock
from ...nn import BatchNorm, Sequential, HybridSequential, Identity  # noqa: F401


class Concurrent(Sequential):
    """Run each child on the input and concatenate the outputs along `axis`."""

    def __init__(self, axis=-1, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self.axis = axis

    def forward(self, x):
        from .... import nd
        return nd.concat(*[block(x) for block in self._children.values()], dim=self.axis)


class HybridConcurrent(HybridSequential):
    """Hybridizable Concurrent: children's outputs concatenated along `axis`."""

    def __init__(self, axis=-1, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)
        self.axis = axis

    def hybrid_forward(self, F, x):
        return F.concat(*[block(x) for block in self._children.values()], dim=self.axis)


def _factors(factor, n):
    """`factor` as an n-tuple of ints (an int is used for every dimension)."""
    try:
        return (int(factor),) * n
    except TypeError:
        factors = tuple(int(f) for f in factor)
        if len(factors) != n:
            raise ValueError(f"PixelShuffle{n}D: factor must be an int or {n} ints, "
                             f"got {factor!r}") from None
        return factors


class PixelShuffle1D(HybridBlock):
    """Upsample W by `factor`: (N, f*C, W) -> (N, C, W*f), channels regrouped into pixels.

    Parameters
    ----------
    factor : int
        Upsampling factor, applied to the ``W`` dimension.
    """

    def __init__(self, factor):
        super().__init__()
        self._factor = int(factor)

    def hybrid_forward(self, F, x):
        f = self._factor
        x = F.reshape(x, (0, -4, -1, f, 0))              # (N, C, f, W)
        x = F.transpose(x, (0, 1, 3, 2))                 # (N, C, W, f)
        return F.reshape(x, (0, 0, -3))                  # (N, C, W*f)

    def __repr__(self):
        return f'{self.__class__.__name__}({self._factor})'


class PixelShuffle2D(HybridBlock):
    """Upsample H, W by (f1, f2): (N, f1*f2*C, H, W) -> (N, C, H*f1, W*f2).

    Parameters
    ----------
    factor : int or 2-tuple of int
        Upsampling factors, applied to the ``H`` and ``W`` dimensions, in that order.
    """

    def __init__(self, factor):
        super().__init__()
        self._factors = _factors(factor, 2)

    def hybrid_forward(self, F, x):
        f1, f2 = self._factors
        x = F.reshape(x, (0, -4, -1, f1 * f2, 0, 0))    # (N, C, f1*f2, H, W)
        x = F.reshape(x, (0, 0, -4, f1, f2, 0, 0))      # (N, C, f1, f2, H, W)
        x = F.transpose(x, (0, 1, 4, 2, 5, 3))          # (N, C, H, f1, W, f2)
        return F.reshape(x, (0, 0, -3, -3))             # (N, C, H*f1, W*f2)

    def __repr__(self):
        return f'{self.__class__.__name__}({self._factors})'


class PixelShuffle3D(HybridBlock):
    """Upsample D, H, W by (f1, f2, f3): (N, f1*f2*f3*C, D, H, W) -> (N, C, D*f1, H*f2, W*f3).

    Parameters
    ----------
    factor : int or 3-tuple of int
        Upsampling factors, applied to the ``D``, ``H`` and ``W`` dimensions, in that order.
    """

    def __init__(self, factor):
        super().__init__()
        self._factors = _factors(factor, 3)

    def hybrid_forward(self, F, x):
        # MXNet swaps axes three times (its transpose stops at 6-D); torch's doesn't.
        f1, f2, f3 = self._factors
        x = F.reshape(x, (0, -4, -1, f1 * f2 * f3, 0, 0, 0))    # (N, C, f1*f2*f3, D, H, W)
        x = F.reshape(x, (0, 0, -4, f1, f2 * f3, 0, 0, 0))      # (N, C, f1, f2*f3, D, H, W)
        x = F.reshape(x, (0, 0, 0, -4, f2, f3, 0, 0, 0))        # (N, C, f1, f2, f3, D, H, W)
        x = F.transpose(x, (0, 1, 5, 2, 6, 3, 7, 4))            # (N, C, D, f1, H, f2, W, f3)
        return F.reshape(x, (0, 0, -3, -3, -3))                 # (N, C, D*f1, H*f2, W*f3)

    def __repr__(self):
        return f'{self.__class__.__name__}({self._factors})'


class SyncBatchNorm(BatchNorm):
    """Batch normalization whose statistics span the devices of one step (MXNet's SyncBN).

    regluon runs one device per process, so SyncBatchNorm normalizes over the local batch:
    with `num_devices=1` this is what MXNet computes (the same as `nn.BatchNorm`, axis 1).

    Parameters
    ----------
    in_channels : int, default 0
        Number of channels; 0 infers it on the first forward.
    num_devices : int, default number of visible GPUs (at least 1)
        Must be 1 here: statistics across several devices of one process are not supported.
    momentum, epsilon, center, scale, use_global_stats, *_initializer
        As `nn.BatchNorm`.
    """

    def __init__(self, in_channels=0, num_devices=None, momentum=0.9, epsilon=1e-5,
                 center=True, scale=True, use_global_stats=False, beta_initializer='zeros',
                 gamma_initializer='ones', running_mean_initializer='zeros',
                 running_variance_initializer='ones', **kwargs):
        super().__init__(axis=1, momentum=momentum, epsilon=epsilon, center=center,
                         scale=scale, use_global_stats=use_global_stats,
                         beta_initializer=beta_initializer, gamma_initializer=gamma_initializer,
                         running_mean_initializer=running_mean_initializer,
                         running_variance_initializer=running_variance_initializer,
                         in_channels=in_channels, **kwargs)
        if num_devices is None:
            warnings.warn("Caution using SyncBatchNorm: if not using all the GPUs, please "
                          "mannually set num_devices", UserWarning)
            num_devices = max(num_gpus(), 1)
        if num_devices != 1:
            raise MXNetError(
                f"SyncBatchNorm: num_devices={num_devices}, but regluon normalizes over one "
                "device's batch; pass num_devices=1 (one device per process; data parallel "
                "training runs one process per GPU) or use nn.BatchNorm.")
        self._num_devices = num_devices
        # the graph node is MXNet's _contrib_SyncBatchNorm with its key and device count
        self._sync_kwargs = {'eps': epsilon, 'momentum': momentum, 'fix_gamma': not scale,
                             'use_global_stats': use_global_stats, 'ndev': num_devices,
                             'key': self.prefix}

    def hybrid_forward(self, F, x, gamma, beta, running_mean, running_var):
        return F.contrib.SyncBatchNorm(x, gamma, beta, running_mean, running_var,
                                       name='fwd', **self._sync_kwargs)
