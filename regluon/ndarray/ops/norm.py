"""Normalisation operators: `BatchNorm`, `LayerNorm`, `InstanceNorm`, `GroupNorm`,
`L2Normalization`, `LRN`.
"""
import torch
import torch.nn.functional as F

from ...base import MXNetError
from ... import autograd as _ag
from ..register import op


def _check_param(name, what, t, n):
    if t is None or t.numel() != n:
        got = None if t is None else tuple(t.shape)
        raise MXNetError(f"{name}: {what} must have shape ({n},), got {got}")


def _moving_update(out, mean, invstd, moving_mean, moving_var, momentum, eps):
    """Update the moving statistics when the gradient reaches `out`.

    MXNet 1.9.1 updates moving_mean/moving_var in the *backward* pass of a recorded
    training-mode BatchNorm (a forward alone leaves them alone), with the biased batch
    variance recovered from the saved 1/sqrt(var + eps), as its CPU kernel does.
    """
    def update(grad):
        with torch.no_grad():
            var = invstd.pow(-2) - eps
            moving_mean.mul_(momentum).add_(mean.to(moving_mean.dtype), alpha=1 - momentum)
            moving_var.mul_(momentum).add_(var.to(moving_var.dtype), alpha=1 - momentum)
        return grad
    if out.requires_grad:
        out.register_hook(update)


class _InferenceBN(torch.autograd.Function):
    """BatchNorm with the moving statistics, with MXNet 1.x's backward for it.

    Recorded outside training (and without use_global_stats), MXNet's backward still runs
    the batch-statistics formula, evaluated at the moving mean and variance, so the
    gradient includes the mean/variance terms. We reproduce it with torch's own
    batch-norm backward in training mode, fed the moving statistics.
    """

    @staticmethod
    def forward(ctx, x, g, beta, mean, var, eps):
        mean, invstd = mean.clone(), torch.rsqrt(var + eps)
        ctx.save_for_backward(x, g, mean, invstd)
        ctx.eps = eps
        return F.batch_norm(x, mean, var, g, beta, False, 0.0, eps)

    @staticmethod
    def backward(ctx, gy):
        x, g, mean, invstd = ctx.saved_tensors
        dx, dg, db = torch.ops.aten.native_batch_norm_backward(
            gy, x, g, None, None, mean, invstd, True, ctx.eps, list(ctx.needs_input_grad[:3]))
        return dx, dg, db, None, None, None


@op
def BatchNorm(data, gamma=None, beta=None, moving_mean=None, moving_var=None, eps=1e-3,
              momentum=0.9, fix_gamma=True, use_global_stats=False, output_mean_var=False,
              axis=1, cudnn_off=False, min_calib_range=None, max_calib_range=None):
    """Batch normalisation: normalise each channel of `axis` with the batch statistics.

    In training mode (`autograd.is_training()`, without `use_global_stats`) the batch mean
    and variance are used and `moving_mean`/`moving_var` are updated in place, during the
    backward pass as in MXNet: moving = moving * momentum + batch * (1 - momentum), with
    the biased batch variance. Otherwise the moving statistics are used.

    Parameters
    ----------
    data : NDArray
        Input data.
    gamma, beta : NDArray
        Scale and shift, one per channel.
    moving_mean, moving_var : NDArray
        Running mean and variance, one per channel; updated in place in training.
    eps : float, default=1e-3
        Added to the variance to avoid dividing by zero.
    momentum : float, default=0.9
        Momentum of the moving averages.
    fix_gamma : bool, default=True
        Treat gamma as 1: MXNet sets gamma to ones in place and its gradient is 0.
    use_global_stats : bool, default=False
        Use the moving statistics also in training.
    output_mean_var : bool, default=False
        Also return the mean and the inverse standard deviation 1/sqrt(var + eps).
    axis : int, default=1
        The channel axis.
    """
    name = 'BatchNorm'
    ax = axis % data.dim() if data.dim() else 0
    x = data.movedim(ax, 1) if ax != 1 else data
    c = x.shape[1]
    for what, t in (('gamma', gamma), ('beta', beta), ('moving_mean', moving_mean),
                    ('moving_var', moving_var)):
        _check_param(name, what, t, c)
    if fix_gamma:
        # MXNet overwrites gamma with ones in place, uses 1 and writes a zero gradient
        # for it; `gamma * 0 + 1` gives the last two
        with torch.no_grad():       # unconditional: a check would sync the device
            gamma.fill_(1)
        g = gamma * 0 + 1
    else:
        g = gamma
    training = _ag.is_training() and not use_global_stats
    if training:
        out, mean, invstd = torch.native_batch_norm(x, g, beta, None, None, True, 0.0, eps)
        _moving_update(out, mean.detach(), invstd.detach(), moving_mean, moving_var,
                       momentum, eps)
    elif torch.is_grad_enabled() and not use_global_stats:
        out = _InferenceBN.apply(x, g, beta, moving_mean, moving_var, eps)
    else:       # the moving statistics are auxiliary states: no gradient (MXNet: zeros)
        out = F.batch_norm(x, moving_mean.detach(), moving_var.detach(), g, beta, False, 0.0,
                           eps)
    if ax != 1:
        out = out.movedim(1, ax)
    if not output_mean_var:
        return out
    if not training:
        mean, invstd = moving_mean.clone(), torch.rsqrt(moving_var + eps)
    return [out, mean, invstd]


@op
def LayerNorm(data, gamma=None, beta=None, axis=-1, eps=1e-5, output_mean_var=False):
    """Layer normalisation over one axis, then scale by gamma and shift by beta.

    Parameters
    ----------
    data : NDArray
        Input data.
    gamma, beta : NDArray
        Scale and shift, with the size of `axis`.
    axis : int, default=-1
        The axis to normalise over.
    eps : float, default=1e-5
        Added to the variance.
    output_mean_var : bool, default=False
        Also return the mean and the standard deviation sqrt(var + eps), with `axis` kept
        as size 1.
    """
    ax = axis % data.dim()
    x = data.movedim(ax, -1) if ax != data.dim() - 1 else data
    c = x.shape[-1]
    _check_param('LayerNorm', 'gamma', gamma, c)
    _check_param('LayerNorm', 'beta', beta, c)
    if not output_mean_var:
        out = F.layer_norm(x, (c,), gamma, beta, eps)
        return out.movedim(-1, ax) if x is not data else out
    out, mean, rstd = torch.native_layer_norm(x, (c,), gamma, beta, eps)
    res = [out, mean, 1 / rstd]
    return [r.movedim(-1, ax) for r in res] if x is not data else res


@op
def InstanceNorm(data, gamma=None, beta=None, eps=1e-3):
    """Instance normalisation: normalise each (sample, channel) over its spatial axes.

    Parameters
    ----------
    data : NDArray
        Input, (batch, channel, *spatial).
    gamma, beta : NDArray
        Scale and shift, one per channel.
    eps : float, default=1e-3
        Added to the variance.
    """
    if data.dim() < 3:
        raise MXNetError(f"InstanceNorm: data must have at least 3 axes "
                         f"(batch, channel, spatial...), got shape {tuple(data.shape)}")
    _check_param('InstanceNorm', 'gamma', gamma, data.shape[1])
    _check_param('InstanceNorm', 'beta', beta, data.shape[1])
    # torch.instance_norm, not F.instance_norm: that one refuses a single spatial element,
    # which MXNet normalises to beta
    return torch.instance_norm(data, gamma, beta, None, None, True, 0.0, eps, False)


@op
def GroupNorm(data, gamma=None, beta=None, num_groups=1, eps=1e-5, output_mean_var=False):
    """Group normalisation: normalise each group of channels of each sample.

    Parameters
    ----------
    data : NDArray
        Input, (batch, channel, *spatial).
    gamma, beta : NDArray
        Scale and shift, one per *group* (MXNet 1.x's shape, (num_groups,)).
    num_groups : int, default=1
        Number of channel groups.
    eps : float, default=1e-5
        Added to the variance.
    output_mean_var : bool, default=False
        Also return the per-group mean and standard deviation, (batch, num_groups).
    """
    c = data.shape[1]
    if c % num_groups:
        raise MXNetError(f"GroupNorm: num_groups={num_groups} must divide the "
                         f"{c} channels of data {tuple(data.shape)}")
    _check_param('GroupNorm', 'gamma', gamma, num_groups)
    _check_param('GroupNorm', 'beta', beta, num_groups)
    # MXNet 1.x keeps one gamma/beta per group; torch's group_norm takes one per channel
    w, b = gamma.repeat_interleave(c // num_groups), beta.repeat_interleave(c // num_groups)
    if not output_mean_var:
        return F.group_norm(data, num_groups, w, b, eps)
    n = data.shape[0]
    out, mean, rstd = torch.native_group_norm(data, w, b, n, c, data[0, 0].numel(),
                                              num_groups, eps)
    return [out, mean, 1 / rstd]


_L2_DIMS = {'instance': lambda d: tuple(range(1, d)), 'channel': lambda d: (1,),
            'spatial': lambda d: tuple(range(2, d))}


@op
def L2Normalization(data, eps=1e-10, mode='instance'):
    """Divide by the L2 norm: out = data / sqrt(sum(data ** 2) + eps).

    Parameters
    ----------
    data : NDArray
        Input, at least 2-D.
    eps : float, default=1e-10
        Added to the sum of squares.
    mode : {'channel', 'instance', 'spatial'}, default='instance'
        Normalise each sample ('instance'), over axis 1 ('channel') or over the axes after
        the channel ('spatial').
    """
    dims = _L2_DIMS.get(mode)
    if dims is None:
        raise MXNetError(f"L2Normalization: invalid mode {mode!r}; valid values are "
                         "['channel', 'instance', 'spatial']")
    return data / torch.sqrt(data.square().sum(dims(data.dim()), keepdim=True) + eps)


@op
def LRN(data, alpha=1e-4, beta=0.75, knorm=2.0, nsize=None):
    """Local response normalisation across channels (AlexNet).

    out = data / (knorm + alpha / nsize * sum of squares over nsize channels) ** beta

    Parameters
    ----------
    data : NDArray
        Input, (batch, channel, *spatial).
    alpha : float, default=1e-4
        Variance scaling.
    beta : float, default=0.75
        Power.
    knorm : float, default=2
        Additive constant.
    nsize : int, required
        Number of channels summed over (odd).
    """
    if nsize is None:
        raise MXNetError("LRN: required parameter nsize is missing")
    return F.local_response_norm(data, int(nsize), alpha, beta, knorm)
