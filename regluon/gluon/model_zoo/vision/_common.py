"""What every model file needs: pretrained loading by model-store name."""
from ...block import HybridBlock  # noqa: F401
from ... import nn  # noqa: F401
from ....context import cpu


def load_pretrained(net, name, pretrained, ctx, root):
    """Load the published parameters of `name` into `net` when `pretrained`."""
    if pretrained:
        from ..model_store import get_model_file
        net.load_parameters(get_model_file(name, root=root), ctx=ctx or cpu())
    return net
