"""`softmax`, `log_softmax`, `softmin` along one axis, with MXNet's temperature and dtype."""
import torch

from ...base import MXNetError, torch_dtype
from ..axes import axis_index
from ..register import op


def _prepare(name, data, axis, temperature, dtype, use_length=False):
    """`data` cast to `dtype` and divided by `temperature`, and the axis as an index.
    `use_length` is refused: only softmax has a `length` input (and handles it itself)."""
    if use_length:
        raise MXNetError(f"{name}: use_length=True is not supported (no length input)")
    if not data.is_floating_point():
        raise MXNetError(f"{name}: expected a floating-point input, got "
                         f"{str(data.dtype)[6:]}; cast it first")
    ax = axis_index(name, axis, data.dim())
    if dtype is not None:
        data = data.to(torch_dtype(dtype))
    if temperature is not None and temperature != 1.0:
        data = data / temperature
    return data, ax


@op(method=True)
def softmax(data, length=None, axis=-1, temperature=None, dtype=None, use_length=False):
    """exp(x/t) / sum(exp(x/t)) along `axis`.

    Parameters
    ----------
    data : NDArray
    length : NDArray of ints, optional
        With use_length, only the first length[i] entries along `axis` take part; its
        shape is data's without `axis`. The rest of the output is 0.
    axis : int, default -1
    temperature : float, optional
    dtype : str, optional
        Output dtype (the computation is done in it); default: the input's.
    use_length : bool, default False
    """
    x, ax = _prepare('softmax', data, axis, temperature, dtype)
    if not use_length:
        return torch.softmax(x, ax)
    if length is None or length.is_floating_point():
        raise MXNetError("softmax: use_length=True needs `length`, an integer array, got "
                         f"{'None' if length is None else str(length.dtype)[6:]}")
    pos = torch.arange(x.shape[ax], device=x.device).reshape(
        (-1,) + (1,) * (x.dim() - 1 - ax))
    keep = pos < length.unsqueeze(ax)
    y = torch.softmax(x.masked_fill(~keep, float('-inf')), ax)
    return torch.where(keep, y, torch.zeros((), dtype=y.dtype))  # length 0: 0, not NaN


@op(method=True)
def log_softmax(data, axis=-1, temperature=None, dtype=None, use_length=False):
    """log(softmax(x/t)) along `axis`, computed stably.

    Parameters
    ----------
    data : NDArray
    axis : int, default -1
    temperature : float, optional
    dtype : str, optional
    use_length : bool, default False
        Not supported (MXNet's log_softmax has no `length` input).
    """
    x, ax = _prepare('log_softmax', data, axis, temperature, dtype, use_length)
    return torch.log_softmax(x, ax)


@op(method=True)
def softmin(data, axis=-1, temperature=None, dtype=None, use_length=False):
    """softmax(-x/t) along `axis`.

    Parameters
    ----------
    data : NDArray
    axis : int, default -1
    temperature : float, optional
    dtype : str, optional
    use_length : bool, default False
        Not supported (MXNet's softmin has no `length` input).
    """
    x, ax = _prepare('softmin', data, axis, temperature, dtype, use_length)
    return torch.softmax(-x, ax)
