"""MXNet 1.9.1's remaining layer-like operators: the legacy BatchNorm_v1 and
IdentityAttachKLSparseReg, nd.contrib's BatchNormWithReLU and SyncBatchNorm (BatchNorm's
kernel, ops/norm.py), rand_zipfian and hawkesll. The general ones are in ops/extra.py."""
import math

import torch

from ...base import MXNetError
from ..register import OPS, op


# ---- BatchNorm relatives: BatchNorm's kernel (ops/norm.py) with their own outputs ---------------
def _bn(data, gamma, beta, moving_mean, moving_var, **kw):
    return OPS['BatchNorm'].kernel(data, gamma, beta, moving_mean, moving_var, **kw)


@op
def BatchNorm_v1(data, gamma=None, beta=None, moving_mean=None, moving_var=None, eps=1e-3,
                 momentum=0.9, fix_gamma=True, use_global_stats=False, output_mean_var=False):
    """[Deprecated, use BatchNorm] Batch normalisation over axis 1; with output_mean_var
    also the batch mean and (biased) variance.

    Parameters
    ----------
    data, gamma, beta : NDArray
    moving_mean, moving_var : NDArray
        Auxiliary states, updated in training.
    eps, momentum : float, default 1e-3, 0.9
    fix_gamma, use_global_stats, output_mean_var : bool
    """
    return _with_var(_bn(data, gamma, beta, moving_mean, moving_var, eps=eps,
                         momentum=momentum, fix_gamma=fix_gamma,
                         use_global_stats=use_global_stats, output_mean_var=True),
                     eps, output_mean_var)


def _with_var(res, eps, output_mean_var):
    """BatchNorm's [out, mean, 1/sqrt(var + eps)] as [out, mean, var] (BatchNorm_v1's and
    SyncBatchNorm's outputs), or out alone."""
    if not output_mean_var:
        return res[0]
    out, mean, invstd = res
    return [out, mean, invstd.detach().pow(-2) - eps]


@op(name='_contrib_BatchNormWithReLU')
def BatchNormWithReLU(data, gamma=None, beta=None, moving_mean=None, moving_var=None, eps=1e-3,
                      momentum=0.9, fix_gamma=True, use_global_stats=False,
                      output_mean_var=False, axis=1, cudnn_off=False, min_calib_range=None,
                      max_calib_range=None):
    """relu(BatchNorm(...)): MXNet's fused batch normalisation and ReLU (see `BatchNorm`)."""
    res = _bn(data, gamma, beta, moving_mean, moving_var, eps=eps, momentum=momentum,
              fix_gamma=fix_gamma, use_global_stats=use_global_stats,
              output_mean_var=output_mean_var, axis=axis)
    if not output_mean_var:
        return torch.relu(res)
    return [torch.relu(res[0])] + list(res[1:])


@op(name='_contrib_SyncBatchNorm')
def SyncBatchNorm(data, gamma=None, beta=None, moving_mean=None, moving_var=None, eps=1e-3,
                  momentum=0.9, fix_gamma=True, use_global_stats=False, output_mean_var=False,
                  ndev=1, key=None):
    """Batch normalisation whose statistics MXNet gathers over `ndev` devices; regluon runs
    one device per process, so this is `BatchNorm` over axis 1 (`ndev`, `key` accepted).

    Parameters
    ----------
    data, gamma, beta, moving_mean, moving_var : NDArray
    eps, momentum : float
    fix_gamma, use_global_stats, output_mean_var : bool
    ndev : int, default 1
    key : str
        The name that pairs the devices' copies of this layer.
    """
    if key is None:
        raise MXNetError("SyncBatchNorm: the parameter key (a string naming the layer) is "
                         "required, as in MXNet")
    return _with_var(_bn(data, gamma, beta, moving_mean, moving_var, eps=eps,
                         momentum=momentum, fix_gamma=fix_gamma,
                         use_global_stats=use_global_stats, output_mean_var=True),
                     eps, output_mean_var)


class _KLSparseReg(torch.autograd.Function):
    """Identity whose backward adds MXNet's KL sparseness penalty and updates moving_avg."""

    @staticmethod
    def forward(ctx, data, moving_avg, target, penalty, momentum):
        ctx.save_for_backward(data)
        ctx.moving_avg, ctx.args = moving_avg, (target, penalty, momentum)
        return data.clone()

    @staticmethod
    def backward(ctx, grad):
        (data,), avg = ctx.saved_tensors, ctx.moving_avg
        target, penalty, momentum = ctx.args
        axes = [a for a in range(data.dim()) if a != 1]
        with torch.no_grad():
            avg.mul_(momentum).add_(data.mean(axes), alpha=1 - momentum)
            reg = penalty * (-target / avg + (1 - target) / (1 - avg))
        shape = [1] * data.dim()
        shape[1] = -1
        return grad + reg.reshape(shape), None, None, None, None


@op
def IdentityAttachKLSparseReg(data, moving_avg=None, sparseness_target=0.1, penalty=0.001,
                              momentum=0.9):
    """Identity forward; the backward adds the gradient of a KL sparseness penalty on the
    mean activation (for a sigmoid's output), tracked in the auxiliary state moving_avg
    (updated in the backward pass, as MXNet).

    Parameters
    ----------
    data : NDArray
        (n, c) activations. (With more axes MXNet reads past its (c,) state; regluon
        averages each channel of axis 1 over the other axes.)
    moving_avg : NDArray
        The running mean activation per channel, shape (c,).
    sparseness_target, penalty, momentum : float, default 0.1, 0.001, 0.9
    """
    m = data.shape[1] if data.dim() > 1 else 0
    if data.dim() < 2 or moving_avg is None or tuple(moving_avg.shape) != (m,):
        got = None if moving_avg is None else tuple(moving_avg.shape)
        raise MXNetError(f"IdentityAttachKLSparseReg: moving_avg must have shape ({m},) for "
                         f"data {tuple(data.shape)}, got {got}")
    if not torch.is_grad_enabled():
        return data.clone()
    return _KLSparseReg.apply(data, moving_avg, sparseness_target, penalty, momentum)


# ---- nd.contrib.rand_zipfian --------------------------------------------------------------------
@op(name='_contrib_rand_zipfian')
def rand_zipfian(true_classes, num_sampled, range_max, ctx=None):
    """Draw `num_sampled` classes from the log-uniform (Zipfian) distribution on
    [0, range_max): [sampled classes (int64), expected count of each true class, expected
    count of each sampled class] (float64), as MXNet's sampled-softmax helper.

    Parameters
    ----------
    true_classes : NDArray
        The target classes.
    num_sampled : int
    range_max : int
    """
    log_range = math.log(range_max + 1)
    dev = true_classes.device
    rand = torch.rand(num_sampled, dtype=torch.float64, device=dev) * log_range
    sampled = (rand.exp() - 1).long() % range_max

    def expected(cls):
        c = cls.double()
        return ((c + 2.0) / (c + 1.0)).log() / log_range * num_sampled
    return [sampled, expected(true_classes), expected(sampled)]


# ---- nd.contrib.hawkesll ------------------------------------------------------------------------
@op(name='_contrib_hawkesll')
def hawkesll(lda, alpha, beta, state, lags, marks, valid_length, max_time):
    """Log likelihood of K independent exponential-kernel Hawkes processes observed on
    (0, max_time], and their memory at max_time: [loglike (N,), states (N, K)].
    Gradients reach lda, alpha and beta through the log likelihood (as MXNet's backward).

    Parameters
    ----------
    lda : NDArray
        Background intensities, (N, K).
    alpha, beta : NDArray
        Branching ratios and decay rates, (K,).
    state : NDArray
        The memory s_k(0), (N, K).
    lags, marks : NDArray
        Interarrival times and process ids (int32) of each point, (N, T), left-aligned.
    valid_length : NDArray
        Points in each row, (N,).
    max_time : NDArray
        The end of each observation period, (N,).
    """
    n, t_len = lags.shape if lags.dim() == 2 else (-1, -1)
    k = lda.shape[1] if lda.dim() == 2 else -1
    want = {'lda': (lda, (n, k)), 'alpha': (alpha, (k,)), 'beta': (beta, (k,)),
            'state': (state, (n, k)), 'marks': (marks, (n, t_len)),
            'valid_length': (valid_length, (n,)), 'max_time': (max_time, (n,))}
    bad = {w: tuple(a.shape) for w, (a, s) in want.items() if tuple(a.shape) != s}
    if n < 0 or k < 0 or bad:
        raise MXNetError(f"hawkesll: expected lags/marks (N, T), lda/state (N, K), alpha/beta "
                         f"(K,), valid_length/max_time (N,); got lags {tuple(lags.shape)}, "
                         f"lda {tuple(lda.shape)} and {bad}")
    lags, state, max_time = lags.detach(), state.detach().clone(), max_time.detach()
    marks = marks.long()
    last = torch.zeros_like(state)
    t = torch.zeros_like(max_time)
    ll = torch.zeros_like(max_time)
    rows = torch.arange(n, device=lags.device)
    for j in range(t_len):          # each point updates its process's memory: sequential
        valid = valid_length > j
        c = marks[:, j].clamp(0, k - 1)
        t = t + torch.where(valid, lags[:, j], torch.zeros_like(t))
        d = t - last[rows, c]
        a, b, s = alpha[c], beta[c], state[rows, c]
        ed = torch.exp(-b * d)
        intensity = lda[rows, c] + a * b * s * ed
        compensator = lda[rows, c] * d + a * s * (1 - ed)
        ll = ll + torch.where(valid, intensity.log() - compensator, torch.zeros_like(ll))
        state = state.index_put((rows, c), torch.where(valid, 1 + s * ed, s))
        last = last.index_put((rows, c), torch.where(valid, t, last[rows, c]))
    d = max_time.reshape(-1, 1) - last
    ed = torch.exp(-beta * d)
    ll = ll - (lda * d + alpha * state * (1 - ed)).sum(1)
    return [ll, (ed * state).detach()]
