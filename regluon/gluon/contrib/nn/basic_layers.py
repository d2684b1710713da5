"""Containers that run their children on the same input and concatenate the outputs;
pixel-shuffle upsampling layers."""
from ...block import Block, HybridBlock
from ...nn import Sequential, HybridSequential, Identity  # noqa: F401 (re-exported)


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
