"""Containers that run their children on the same input and concatenate the outputs."""
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
