"""Multi-precision and fused update operators: `nd.mp_sgd_update`, `nd.multi_mp_sgd_update`,
`nd.mp_lamb_update_phase1`, `nd.contrib.multi_lamb_update`, ...

The `mp_` operators update float16 weights through float32 master copies (`weight32`, and
float32 states): the rule runs in float32 on the master copy, which is updated in place, and
the result is the master copy cast to the weight's dtype (written into `out=`, the weight
itself when an optimizer calls them). `multi_all_finite` and `reset_arrays` are the helpers
AMP's loss scaler and gradient accumulation use. Names, arguments and defaults are MXNet
1.9.1's; the arithmetic follows its kernels (float32 throughout).
"""
import numpy as np
import torch

from ...base import MXNetError
from ..register import op
from .optimizer_ops import _check, _per_weight, _preloaded, _rescaled, _rescaled_all, _target


def _f32(name, *tensors):
    for t in tensors:
        if t.dtype != torch.float32:
            raise MXNetError(f"{name}: the master weights and states must be float32, got "
                             f"{str(t.dtype).replace('torch.', '')}")


def _one_minus(beta):
    """1 - beta as MXNet's float32 kernels compute it (1 - 0.999f is 0.00099998713)."""
    return float(np.float32(1) - np.float32(beta))


def _cast_out(weight32, weight, out):
    """The updated master copy in the weight's dtype, written into `out` if given."""
    res = _target(weight, out)
    return res.copy_(weight32)


@op
def mp_sgd_update(weight, grad, weight32, lr, wd=0.0, rescale_grad=1.0, clip_gradient=-1.0,
                  lazy_update=True, out=None):
    """SGD on a float32 master copy: weight32 = (1 - lr*wd) * weight32 - lr *
    clip(rescale_grad * grad); the result is weight32 in the weight's dtype.

    Parameters
    ----------
    weight, grad : NDArray
        The (float16) weight and its gradient.
    weight32 : NDArray
        The float32 master copy, updated in place.
    lr : float
    wd, rescale_grad, clip_gradient : float
    """
    _check('mp_sgd_update', weight, grad, weight32)
    _f32('mp_sgd_update', weight32)
    g = _rescaled(grad.float(), rescale_grad, clip_gradient)
    weight32.mul_(1 - lr * wd).add_(g, alpha=-lr)
    return _cast_out(weight32, weight, out)


@op
def mp_sgd_mom_update(weight, grad, mom, weight32, lr, momentum=0.0, wd=0.0,
                      rescale_grad=1.0, clip_gradient=-1.0, lazy_update=True, out=None):
    """SGD with momentum on a float32 master copy: mom = momentum*mom - lr*wd*weight32 -
    lr*clip(rescale_grad*grad); weight32 += mom; the result is weight32 in weight's dtype.

    Parameters
    ----------
    weight, grad : NDArray
    mom : NDArray
        float32 momentum, updated in place.
    weight32 : NDArray
        float32 master copy, updated in place.
    lr, momentum, wd, rescale_grad, clip_gradient : float
    """
    _check('mp_sgd_mom_update', weight, grad, mom, weight32)
    _f32('mp_sgd_mom_update', mom, weight32)
    g = _rescaled(grad.float(), rescale_grad, clip_gradient)
    if wd:
        g.add_(weight32, alpha=wd)
    mom.mul_(momentum).add_(g, alpha=-lr)
    weight32.add_(mom)
    return _cast_out(weight32, weight, out)


@op
def mp_nag_mom_update(weight, grad, mom, weight32, lr, momentum=0.0, wd=0.0, rescale_grad=1.0,
                      clip_gradient=-1.0, out=None):
    """Nesterov momentum on a float32 master copy (see `nag_mom_update`).

    Parameters
    ----------
    weight, grad : NDArray
    mom, weight32 : NDArray
        float32 momentum and master copy, updated in place.
    lr, momentum, wd, rescale_grad, clip_gradient : float
    """
    _check('mp_nag_mom_update', weight, grad, mom, weight32)
    _f32('mp_nag_mom_update', mom, weight32)
    g = _rescaled(grad.float(), rescale_grad, clip_gradient)
    mom.mul_(momentum)
    new = weight32 - mom + (momentum + 1) * (mom - lr * (g + wd * weight32))
    # MXNet's kernel reassigns w before the momentum step: its wd term reads the new weight
    mom.sub_(lr * (g + wd * new))
    weight32.copy_(new)
    return _cast_out(weight32, weight, out)


def _multi_mp(name, data, group, num_weights, lrs, wds, momentum, rescale_grad, clip_gradient,
              out):
    """The multi_mp_sgd(_mom)_update rule: MXNet's multi-SGD kernel on the master copies."""
    roles = _per_weight(name, data, group, num_weights, lrs, wds)
    weights, grads, masters = roles[0], roles[1], roles[-1]
    _f32(name, *masters, *(roles[2] if group == 4 else ()))
    g = _rescaled_all([t.float() for t in grads], rescale_grad, clip_gradient)
    lrs, wds = list(lrs[:num_weights]), list(wds[:num_weights])
    if any(wds):
        torch._foreach_add_(g, torch._foreach_mul(masters, wds))
    step = torch._foreach_mul(g, [-lr for lr in lrs])           # -lr*(g + wd*w)
    if group == 4:                                              # mom = momentum*mom + step
        moms = roles[2]
        torch._foreach_mul_(moms, momentum)
        torch._foreach_add_(moms, step)
        step = moms
    torch._foreach_add_(masters, step)
    return _write(name, masters, weights, out)


@op
def multi_mp_sgd_update(*data, lrs, wds, rescale_grad=1.0, clip_gradient=-1.0, num_weights=1,
                        out=None):
    """`mp_sgd_update` on several weights at once.

    Parameters
    ----------
    data : NDArray
        weight_0, grad_0, weight32_0, weight_1, grad_1, weight32_1, ...
    lrs, wds : tuple of float
        Each weight's learning rate and weight decay.
    num_weights : int
        The number of weights.
    """
    return _multi_mp('multi_mp_sgd_update', data, 3, num_weights, lrs, wds, 0.0, rescale_grad,
                     clip_gradient, out)


@op
def multi_mp_sgd_mom_update(*data, lrs, wds, momentum=0.0, rescale_grad=1.0,
                            clip_gradient=-1.0, num_weights=1, out=None):
    """`mp_sgd_mom_update` on several weights at once.

    Parameters
    ----------
    data : NDArray
        weight_0, grad_0, mom_0, weight32_0, weight_1, grad_1, mom_1, weight32_1, ...
    lrs, wds : tuple of float
        Each weight's learning rate and weight decay.
    momentum : float
    num_weights : int
        The number of weights.
    """
    return _multi_mp('multi_mp_sgd_mom_update', data, 4, num_weights, lrs, wds, momentum,
                     rescale_grad, clip_gradient, out)


@op
def preloaded_multi_mp_sgd_update(*data, rescale_grad=1.0, clip_gradient=-1.0, num_weights=1,
                                  out=None):
    """`multi_mp_sgd_update` with the learning rates and weight decays given as arrays (the
    last two inputs).

    Parameters
    ----------
    data : NDArray
        weight_0, grad_0, weight32_0, ..., lrs, wds
    num_weights : int, default 1
    """
    tensors, lrs, wds = _preloaded('preloaded_multi_mp_sgd_update', data, 3, num_weights)
    return _multi_mp('preloaded_multi_mp_sgd_update', tensors, 3, num_weights, lrs, wds, 0.0,
                     rescale_grad, clip_gradient, out)


@op
def preloaded_multi_mp_sgd_mom_update(*data, momentum=0.0, rescale_grad=1.0,
                                      clip_gradient=-1.0, num_weights=1, out=None):
    """`multi_mp_sgd_mom_update` with the learning rates and weight decays given as arrays
    (the last two inputs).

    Parameters
    ----------
    data : NDArray
        weight_0, grad_0, mom_0, weight32_0, ..., lrs, wds
    momentum : float, default 0
    num_weights : int, default 1
    """
    tensors, lrs, wds = _preloaded('preloaded_multi_mp_sgd_mom_update', data, 4, num_weights)
    return _multi_mp('preloaded_multi_mp_sgd_mom_update', tensors, 4, num_weights, lrs, wds,
                     momentum, rescale_grad, clip_gradient, out)


@op
def mp_lamb_update_phase1(weight, grad, mean, var, weight32, t, wd, beta1=0.9, beta2=0.999,
                          epsilon=1e-6, bias_correction=True, rescale_grad=1.0,
                          clip_gradient=-1.0):
    """LAMB phase 1 on float32 states: updates mean/var, returns the float32 direction
    g = mean_hat / (sqrt(var_hat) + epsilon) + wd * weight32.

    Parameters
    ----------
    weight, grad : NDArray
    mean, var, weight32 : NDArray
        float32 moments (updated in place) and master copy.
    t : int
        The step number (for the bias correction).
    wd : float
    """
    _check('mp_lamb_update_phase1', weight, grad, mean, var, weight32)
    _f32('mp_lamb_update_phase1', mean, var, weight32)
    g = _rescaled(grad.float(), rescale_grad, clip_gradient)
    mean.mul_(beta1).add_(g, alpha=_one_minus(beta1))
    var.mul_(beta2).addcmul_(g, g, value=_one_minus(beta2))
    m, s = mean, var
    if bias_correction:
        m, s = mean / (1 - beta1 ** t), var / (1 - beta2 ** t)
    return (m / (s.sqrt() + epsilon)).add_(weight32, alpha=wd)


@op
def mp_lamb_update_phase2(weight, g, r1, r2, weight32, lr, lower_bound=-1.0, upper_bound=-1.0,
                          out=None):
    """LAMB phase 2 from the master copy: weight32 - lr * (r1/r2) * g in the weight's dtype
    (as MXNet's kernel, weight32 itself is left unchanged).

    Parameters
    ----------
    weight : NDArray
    g : NDArray
        The direction from phase 1 (float32).
    r1, r2 : NDArray
        The norms of the weight and of g, shape (1,).
    weight32 : NDArray
        float32 master copy.
    lr, lower_bound, upper_bound : float
    """
    _check('mp_lamb_update_phase2', weight, g, weight32)
    ratio = _trust_ratio(r1.float().reshape(()), r2.float().reshape(()), lower_bound,
                         upper_bound)
    return _target(weight, out).copy_(weight32 - (lr * ratio) * g)


def _trust_ratio(r1, r2, lower_bound, upper_bound):
    if lower_bound >= 0:
        r1 = r1.clamp(min=lower_bound)
    if upper_bound >= 0:
        r1 = r1.clamp(max=upper_bound)
    return torch.where((r1 == 0) | (r2 == 0), torch.ones_like(r1), r1 / r2)


# ---- AMP helpers --------------------------------------------------------------------------------
@op
def multi_all_finite(*data, num_arrays=1, init_output=True, out=None):
    """[1.] (float32, shape (1,)) if every entry of every array is finite, else [0.].
    With init_output=False the result starts from `out`'s value instead of 1 (AMP chains
    calls over groups of gradients that way).

    Parameters
    ----------
    data : NDArray
        The arrays.
    num_arrays : int, default 1
    init_output : bool, default True
    """
    if len(data) != num_arrays:
        raise MXNetError(f"multi_all_finite: num_arrays={num_arrays}, got {len(data)} arrays")
    ok = torch.stack([torch.isfinite(t).all() for t in data]).all() if data else \
        torch.tensor(True)
    if out is None:
        return ok.reshape(1).to(torch.float32)
    if init_output:
        out.fill_(1.0)
    return out.mul_(ok.to(out.dtype))


@op
def reset_arrays(*data, num_arrays):
    """Set every array to zero in place (no outputs, as in MXNet).

    Parameters
    ----------
    data : NDArray
        The arrays.
    num_arrays : int
    """
    if len(data) != num_arrays:
        raise MXNetError(f"reset_arrays: num_arrays={num_arrays}, got {len(data)} arrays")
    if data:
        torch._foreach_zero_(list(data))
    return []


# ---- nd.contrib fused LAMB (GluonNLP's LAMB; the AdamW updates live in contrib_misc.py) -------
def _write(name, new, weights, out):
    """The new weights in their dtypes, written into out= if given."""
    if out is None:
        return [n.to(w.dtype) for n, w in zip(new, weights)]
    outs = list(out) if isinstance(out, (list, tuple)) else [out]
    if len(outs) != len(weights):
        raise MXNetError(f"{name}: out= holds {len(outs)} arrays for {len(weights)} weights")
    for o, n in zip(outs, new):
        o.copy_(n)
    return outs


def _lists(name, lists, size):
    n = size or len(lists[0])
    if any(len(x) < n for x in lists):
        raise MXNetError(f"{name}: expected {n} arrays in each list, got "
                         f"{[len(x) for x in lists]}")
    return [list(x[:n]) for x in lists]


def _multi_lamb(name, weights, grads, means, vars_, masters, step_count, lrs, wds, beta1,
                beta2, epsilon, rescale_grad, lower_bound, upper_bound, clip_gradient,
                bias_correction, out):
    """MXNet's fused LAMB: phase 1 per tensor, trust ratio from ||weight|| (the weights as
    given) and ||g||, then w -= lr * ratio * g on the master copies when given."""
    if not len(step_count) == len(lrs) == len(wds) == len(weights):
        raise MXNetError(f"{name}: step_count, lrs and wds need one value per tensor "
                         f"({len(weights)}), got {len(step_count)}, {len(lrs)}, {len(wds)}")
    ws = masters if masters is not None else weights
    g = _rescaled_all([t.to(m.dtype) for t, m in zip(grads, means)], rescale_grad,
                      clip_gradient)
    torch._foreach_mul_(means, beta1)
    torch._foreach_add_(means, g, alpha=_one_minus(beta1))
    torch._foreach_mul_(vars_, beta2)
    torch._foreach_addcmul_(vars_, g, g, value=_one_minus(beta2))
    m, v = means, vars_
    if bias_correction:
        m = torch._foreach_div(means, [1 - beta1 ** t for t in step_count])
        v = torch._foreach_div(vars_, [1 - beta2 ** t for t in step_count])
    d = torch._foreach_div(m, torch._foreach_add(torch._foreach_sqrt(v), epsilon))
    torch._foreach_add_(d, torch._foreach_mul(ws, list(wds)))
    # MXNet's multi_sum_sq squares the weights in their own dtype (float16), sums in float32
    r1 = torch.stack([torch.mul(w, w).float().sum() for w in weights]).sqrt()
    r2 = torch.stack(torch._foreach_norm(d))
    ratio = _trust_ratio(r1, r2, lower_bound, upper_bound)
    scaled = (torch.tensor(list(lrs), dtype=torch.float32, device=ratio.device) * ratio)
    new = torch._foreach_sub(ws, torch._foreach_mul(d, scaled.tolist()))
    if masters is not None:
        torch._foreach_copy_(masters, new)
    return _write(name, new, weights, out)


@op(name='_contrib_multi_lamb_update')
def multi_lamb_update(weights, grads, mean, var, step_count, lrs, wds, beta1=0.9, beta2=0.999,
                      epsilon=1e-6, rescale_grad=1.0, lower_bound=-1.0, upper_bound=-1.0,
                      clip_gradient=-1.0, bias_correction=True, num_tensors=0, out=None):
    """LAMB on lists of tensors at once (phase 1 and 2 of `lamb_update_phase1/2`, the norms
    taken per tensor).

    Parameters
    ----------
    weights, grads, mean, var : list of NDArray
    step_count : list of int
        Each tensor's step number.
    lrs, wds : list of float
    num_tensors : int, default len(weights)
    """
    ws, gs, ms, vs = _lists('multi_lamb_update', (weights, grads, mean, var), num_tensors)
    for w, g, m, v in zip(ws, gs, ms, vs):
        _check('multi_lamb_update', w, g, m, v)
    return _multi_lamb('multi_lamb_update', ws, gs, ms, vs, None, step_count, lrs, wds, beta1,
                       beta2, epsilon, rescale_grad, lower_bound, upper_bound, clip_gradient,
                       bias_correction, out)


@op(name='_contrib_multi_mp_lamb_update')
def multi_mp_lamb_update(weights, grads, mean, var, weights32, step_count, lrs, wds, beta1=0.9,
                         beta2=0.999, epsilon=1e-6, rescale_grad=1.0, lower_bound=-1.0,
                         upper_bound=-1.0, clip_gradient=-1.0, bias_correction=True,
                         num_tensors=0, out=None):
    """`multi_lamb_update` on float32 master copies `weights32` (float32 states).

    Parameters
    ----------
    weights, grads, mean, var, weights32 : list of NDArray
    step_count : list of int
    lrs, wds : list of float
    num_tensors : int, default len(weights)
    """
    ws, gs, ms, vs, w32 = _lists('multi_mp_lamb_update', (weights, grads, mean, var, weights32),
                                 num_tensors)
    for w, g, m, v, c in zip(ws, gs, ms, vs, w32):
        _check('multi_mp_lamb_update', w, g, m, v, c)
        _f32('multi_mp_lamb_update', m, v, c)
    return _multi_lamb('multi_mp_lamb_update', ws, gs, ms, vs, w32, step_count, lrs, wds, beta1,
                       beta2, epsilon, rescale_grad, lower_bound, upper_bound, clip_gradient,
                       bias_correction, out)

