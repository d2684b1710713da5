"""Optimizer update rules as operators: `nd.sgd_update`, `nd.adam_update`, ...

Each kernel returns the new weight and updates its state tensors (momentum, mean, ...) in
place, as MXNet's operators do; `mx.optimizer` calls them with `out=weight`. Argument names
and defaults are MXNet 1.9.1's. `clip_gradient < 0` means no clipping (MXNet's convention).
The `_adagrad_update`-style operators with a leading underscore hold the rules MXNet
writes in Python (AdaGrad, AdaDelta, Adamax, Nadam, DCASGD) so each rule lives in one place.
"""
import torch

from ...base import MXNetError
from ..register import op


def _check(name, weight, *others):
    for t in others:
        if t.shape != weight.shape:
            raise MXNetError(f"{name}: every input must have the weight's shape "
                             f"{tuple(weight.shape)}, got {tuple(t.shape)}")


def _clip(g, clip_gradient):
    return g.clamp(-clip_gradient, clip_gradient) if clip_gradient >= 0 else g


def _rescaled(grad, rescale_grad, clip_gradient):
    """A new tensor clip(rescale_grad * grad), safe to update in place (fewer kernels on
    the hot path: the optimizer runs once per parameter per step)."""
    g = torch.mul(grad, rescale_grad)
    return g.clamp_(-clip_gradient, clip_gradient) if clip_gradient >= 0 else g


def _clip_weights(w, clip_weights):
    return w.clamp(-clip_weights, clip_weights) if clip_weights >= 0 else w


def _target(weight, out):
    """Where an update writes: `out` (the weight itself when an optimizer updates in place:
    no temporary copy of the weights), or a new tensor."""
    return torch.empty_like(weight) if out is None else out


@op
def sgd_update(weight, grad, lr, wd=0.0, rescale_grad=1.0, clip_gradient=-1.0,
               lazy_update=True, out=None):
    """SGD: weight = (1 - lr*wd) * weight - lr * clip(rescale_grad * grad)."""
    _check('sgd_update', weight, grad)
    g = _rescaled(grad, rescale_grad, clip_gradient)
    res = _target(weight, out)
    if wd or res is not weight:
        torch.mul(weight, 1 - lr * wd, out=res)
    return res.add_(g, alpha=-lr)


@op
def sgd_mom_update(weight, grad, mom, lr, momentum=0.0, wd=0.0, rescale_grad=1.0,
                   clip_gradient=-1.0, lazy_update=True, out=None):
    """SGD with momentum: mom = momentum*mom - lr*(clip(rescale*grad) + wd*weight); w += mom."""
    _check('sgd_mom_update', weight, grad, mom)
    g = _rescaled(grad, rescale_grad, clip_gradient)
    if wd:
        g.add_(weight, alpha=wd)                         # MXNet: wd goes into the momentum
    mom.mul_(momentum).add_(g, alpha=-lr)
    return torch.add(weight, mom, out=_target(weight, out))


def _per_weight(name, data, group, num_weights, lrs, wds):
    """The aggregated update operators' inputs: `data` is weight_0, grad_0[, mom_0],
    weight_1, ... (`group` tensors per weight); returns one list per role."""
    if len(data) != group * num_weights or len(lrs) < num_weights or len(wds) < num_weights:
        raise MXNetError(f"{name}: expected {group} inputs per weight for num_weights="
                         f"{num_weights} and as many lrs and wds, got {len(data)} inputs, "
                         f"{len(lrs)} lrs and {len(wds)} wds")
    roles = [list(data[k::group]) for k in range(group)]
    for i in range(num_weights):
        _check(name, roles[0][i], *(r[i] for r in roles[1:]))
    return roles


def _rescaled_all(grads, rescale_grad, clip_gradient):
    """`_rescaled` over a list in one multi-tensor call each (torch._foreach_*)."""
    g = torch._foreach_mul(grads, rescale_grad)
    if clip_gradient >= 0:
        torch._foreach_clamp_min_(g, -clip_gradient)
        torch._foreach_clamp_max_(g, clip_gradient)
    return g


def _add_scaled_(xs, ys, scales):
    """xs[i] += scales[i] * ys[i] in place (one multi-tensor call when the scales agree,
    the same arithmetic as the single-weight operators use)."""
    if all(c == scales[0] for c in scales):
        if scales[0]:
            torch._foreach_add_(xs, ys, alpha=scales[0])
    else:
        torch._foreach_add_(xs, torch._foreach_mul(ys, list(scales)))


def _targets(weights, out):
    """Where the aggregated updates write: `out` (the weights themselves when an optimizer
    updates in place), or new tensors (MXNet's op without out= keeps the weights)."""
    if out is None:
        return torch._foreach_mul(weights, 1.0)
    outs = list(out) if isinstance(out, (list, tuple)) else [out]
    if len(outs) != len(weights):
        raise MXNetError(f"out= holds {len(outs)} arrays for {len(weights)} weights")
    for o, w in zip(outs, weights):
        if o is not w:
            o.copy_(w)
    return outs


@op
def multi_sgd_update(*data, lrs, wds, rescale_grad=1.0, clip_gradient=-1.0, num_weights=1,
                     out=None):
    """`sgd_update` on several weights at once (MXNet's aggregated SGD: the optimizer
    groups its weights, see `MXNET_OPTIMIZER_AGGREGATION_SIZE`): for each i,
    weight_i = (1 - lrs[i]*wds[i]) * weight_i - lrs[i] * clip(rescale_grad * grad_i).

    Parameters
    ----------
    data : NDArray
        weight_0, grad_0, weight_1, grad_1, ...
    lrs, wds : tuple of float
        Each weight's learning rate and weight decay.
    num_weights : int
        The number of weights.
    """
    weights, grads = _per_weight('multi_sgd_update', data, 2, num_weights, lrs, wds)
    lrs = lrs[:num_weights]
    if clip_gradient >= 0:
        g, steps = _rescaled_all(grads, rescale_grad, clip_gradient), [-lr for lr in lrs]
    else:                       # MXNet's kernel: weight - (lr * rescale_grad) * grad
        g, steps = grads, [-(lr * rescale_grad) for lr in lrs]
    res = _targets(weights, out)
    decay = [1 - lr * wd for lr, wd in zip(lrs, wds)]
    if any(d != 1 for d in decay):
        torch._foreach_mul_(res, decay)
    _add_scaled_(res, g, steps)
    return res


@op
def multi_sgd_mom_update(*data, lrs, wds, momentum=0.0, rescale_grad=1.0,
                         clip_gradient=-1.0, num_weights=1, out=None):
    """`sgd_mom_update` on several weights at once: for each i, with
    g = clip(rescale_grad * grad_i) + wds[i] * weight_i,
    mom_i = momentum * mom_i - lrs[i] * g; weight_i += mom_i.

    Parameters
    ----------
    data : NDArray
        weight_0, grad_0, mom_0, weight_1, grad_1, mom_1, ...
    lrs, wds : tuple of float
        Each weight's learning rate and weight decay.
    momentum : float
    num_weights : int
        The number of weights.
    """
    weights, grads, moms = _per_weight('multi_sgd_mom_update', data, 3, num_weights, lrs, wds)
    lrs, wds = lrs[:num_weights], wds[:num_weights]
    torch._foreach_mul_(moms, momentum)
    # MXNet's kernel: mom = momentum*mom - lr*wd*weight - lr*clip(rescale_grad*grad), the
    # last term (lr*rescale_grad)*grad without clipping (no rescaled copy of the gradients)
    _add_scaled_(moms, weights, [-lr * wd for lr, wd in zip(lrs, wds)])
    if clip_gradient >= 0:
        _add_scaled_(moms, _rescaled_all(grads, rescale_grad, clip_gradient),
                     [-lr for lr in lrs])
    else:
        _add_scaled_(moms, grads, [-(lr * rescale_grad) for lr in lrs])
    res = _targets(weights, out)
    torch._foreach_add_(res, moms)
    return res


@op
def nag_mom_update(weight, grad, mom, lr, momentum=0.0, wd=0.0, rescale_grad=1.0,
                   clip_gradient=-1.0):
    """Nesterov momentum: with g = clip(rescale_grad*grad) + wd*weight,
    weight += momentum*(momentum*mom - lr*g) - lr*g, then mom = momentum*mom - lr*g'."""
    _check('nag_mom_update', weight, grad, mom)
    g = _clip(rescale_grad * grad, clip_gradient)
    new = weight + momentum * (momentum * mom - lr * (g + wd * weight)) - lr * (g + wd * weight)
    # MXNet 1.9.1's kernel writes the weight first and the optimizer passes out=weight, so
    # the momentum's wd term reads the *updated* weight (g' = clip(...) + wd*new). Every
    # MXNet training run takes that path, so we follow it.
    mom.mul_(momentum).sub_(lr * (g + wd * new))
    return new


@op
def adam_update(weight, grad, mean, var, lr, beta1=0.9, beta2=0.999, epsilon=1e-8,
                wd=0.0, rescale_grad=1.0, clip_gradient=-1.0, lazy_update=True, out=None):
    """Adam without bias correction (mx.optimizer.Adam folds it into lr):
    weight -= lr * mean / (sqrt(var) + epsilon)."""
    _check('adam_update', weight, grad, mean, var)
    g = torch.mul(grad, rescale_grad)
    if wd:
        g.add_(weight, alpha=wd)
    g = _clip(g, clip_gradient)                          # Adam clips after adding wd
    mean.mul_(beta1).add_(g, alpha=1 - beta1)
    var.mul_(beta2).addcmul_(g, g, value=1 - beta2)
    return torch.addcdiv(weight, mean, var.sqrt().add_(epsilon), value=-lr,
                         out=_target(weight, out))


@op
def rmsprop_update(weight, grad, n, lr, gamma1=0.95, epsilon=1e-8, wd=0.0,
                   rescale_grad=1.0, clip_gradient=-1.0, clip_weights=-1.0):
    """RMSProp (Tieleman & Hinton): n = gamma1*n + (1-gamma1)*g^2;
    weight -= lr * g / sqrt(n + epsilon)."""
    _check('rmsprop_update', weight, grad, n)
    g = _clip(rescale_grad * grad + wd * weight, clip_gradient)
    n.mul_(gamma1).add_((1 - gamma1) * g.square())
    return _clip_weights(weight - lr * g / (n + epsilon).sqrt(), clip_weights)


@op
def rmspropalex_update(weight, grad, n, g, delta, lr, gamma1=0.95, gamma2=0.9,
                       epsilon=1e-8, wd=0.0, rescale_grad=1.0, clip_gradient=-1.0,
                       clip_weights=-1.0):
    """Centered RMSProp (Graves 2013): delta = gamma2*delta - lr*g/sqrt(n - g_avg^2 + eps);
    weight += delta."""
    _check('rmspropalex_update', weight, grad, n, g, delta)
    gr = _clip(rescale_grad * grad + wd * weight, clip_gradient)
    n.mul_(gamma1).add_((1 - gamma1) * gr.square())
    g.mul_(gamma1).add_((1 - gamma1) * gr)
    delta.mul_(gamma2).sub_(lr * gr / (n - g.square() + epsilon).sqrt())
    return _clip_weights(weight + delta, clip_weights)


@op
def ftrl_update(weight, grad, z, n, lr, lamda1=0.01, beta=1.0, wd=0.0, rescale_grad=1.0,
                clip_gradient=-1.0):
    """FTRL-proximal: per-coordinate rates with L1 (lamda1) and L2 (wd) regularization."""
    _check('ftrl_update', weight, grad, z, n)
    g = _clip(rescale_grad * grad, clip_gradient)
    z.add_(g - ((n + g.square()).sqrt() - n.sqrt()) * weight / lr)
    n.add_(g.square())
    w = (z.sign() * lamda1 - z) / ((beta + n.sqrt()) / lr + wd)
    return w * (z.abs() > lamda1).to(w.dtype)


@op
def ftml_update(weight, grad, d, v, z, lr, t, beta1=0.6, beta2=0.999, epsilon=1e-8,
                wd=0.0, rescale_grad=1.0, clip_grad=-1.0):
    """FTML (Follow the Moving Leader) at step t; d, v, z are updated in place."""
    _check('ftml_update', weight, grad, d, v, z)
    g = _clip(rescale_grad * grad + wd * weight, clip_grad)
    v.mul_(beta2).add_((1 - beta2) * g.square())
    d_t = (1 - beta1 ** t) / lr * ((v / (1 - beta2 ** t)).sqrt() + epsilon)
    z.mul_(beta1).add_((1 - beta1) * g - (d_t - beta1 * d) * weight)
    d.copy_(d_t)
    return -z / d_t


@op
def signsgd_update(weight, grad, lr, wd=0.0, rescale_grad=1.0, clip_gradient=-1.0):
    """signSGD: weight = (1 - lr*wd) * weight - lr * sign(grad)."""
    _check('signsgd_update', weight, grad)
    return (1 - lr * wd) * weight - lr * _clip(rescale_grad * grad, clip_gradient).sign()


@op
def signum_update(weight, grad, mom, lr, momentum=0.0, wd=0.0, rescale_grad=1.0,
                  clip_gradient=-1.0, wd_lh=0.0):
    """Signum: mom = momentum*mom - (1-momentum)*(g + wd*weight);
    weight = (1 - lr*wd_lh)*weight + lr*sign(mom)."""
    _check('signum_update', weight, grad, mom)
    g = _clip(rescale_grad * grad, clip_gradient) + wd * weight
    mom.mul_(momentum).sub_((1 - momentum) * g)
    return (1 - lr * wd_lh) * weight + lr * mom.sign()


@op
def lamb_update_phase1(weight, grad, mean, var, t, wd, beta1=0.9, beta2=0.999, epsilon=1e-6,
                       bias_correction=True, rescale_grad=1.0, clip_gradient=-1.0):
    """LAMB phase 1: updates mean/var and returns the direction g (before trust ratio)."""
    _check('lamb_update_phase1', weight, grad, mean, var)
    g = _clip(rescale_grad * grad, clip_gradient)
    mean.mul_(beta1).add_((1 - beta1) * g)
    var.mul_(beta2).add_((1 - beta2) * g.square())
    m, s = mean, var
    if bias_correction:
        m, s = mean / (1 - beta1 ** t), var / (1 - beta2 ** t)
    return m / (s.sqrt() + epsilon) + wd * weight


@op
def lamb_update_phase2(weight, g, r1, r2, lr, lower_bound=-1.0, upper_bound=-1.0):
    """LAMB phase 2: weight -= lr * (r1/r2) * g, with r1 = ||weight|| clamped to the bounds
    and a ratio of 1 where either norm is 0."""
    _check('lamb_update_phase2', weight, g)
    if lower_bound >= 0:
        r1 = r1.clamp(min=lower_bound)
    if upper_bound >= 0:
        r1 = r1.clamp(max=upper_bound)
    ratio = torch.where((r1 == 0) | (r2 == 0), torch.ones_like(r1), r1 / r2)
    return weight - lr * ratio * g


# ---- rules MXNet writes in Python (optimizer.py); one kernel each here -------------------
@op
def _adagrad_update(weight, grad, history, lr, epsilon=1e-7, wd=0.0, rescale_grad=1.0,
                    clip_gradient=-1.0):
    """AdaGrad: history += g^2; weight -= lr * (g / sqrt(history + eps) + wd*weight)."""
    _check('_adagrad_update', weight, grad, history)
    g = _clip(rescale_grad * grad, clip_gradient)
    history.add_(g.square())
    return weight - lr * (g / (history + epsilon).sqrt() + weight * wd)


@op
def _adadelta_update(weight, grad, acc_g, acc_delta, rho=0.9, epsilon=1e-5, wd=0.0,
                     rescale_grad=1.0, clip_gradient=-1.0):
    """AdaDelta; as in MXNet, wd is applied without the (absent) learning rate."""
    _check('_adadelta_update', weight, grad, acc_g, acc_delta)
    g = _clip(rescale_grad * grad, clip_gradient)
    acc_g.mul_(rho).add_((1 - rho) * g.square())
    delta = (acc_delta + epsilon).sqrt() / (acc_g + epsilon).sqrt() * g
    acc_delta.mul_(rho).add_((1 - rho) * delta.square())
    return weight - (delta + wd * weight)


@op
def _adamax_update(weight, grad, mean, u, lr, beta1=0.9, beta2=0.999, wd=0.0,
                   rescale_grad=1.0, clip_gradient=-1.0):
    """Adamax; `lr` already carries the 1/(1 - beta1^t) bias correction."""
    _check('_adamax_update', weight, grad, mean, u)
    g = _clip(rescale_grad * grad + wd * weight, clip_gradient)
    mean.mul_(beta1).add_((1 - beta1) * g)
    torch.maximum(beta2 * u, g.abs(), out=u)
    return weight - lr * mean / u


@op
def _nadam_update(weight, grad, mean, var, lr, t, momentum_t, momentum_t_1, m_schedule,
                  m_schedule_next, beta1=0.9, beta2=0.999, epsilon=1e-8, wd=0.0,
                  rescale_grad=1.0, clip_gradient=-1.0):
    """Nadam step t; the momentum schedule values come from mx.optimizer.Nadam."""
    _check('_nadam_update', weight, grad, mean, var)
    g = _clip(rescale_grad * grad + wd * weight, clip_gradient)
    mean.mul_(beta1).add_((1 - beta1) * g)
    var.mul_(beta2).add_((1 - beta2) * g.square())
    m_bar = ((1 - momentum_t) * g / (1 - m_schedule)
             + momentum_t_1 * mean / (1 - m_schedule_next))
    return weight - lr * m_bar / ((var / (1 - beta2 ** t)).sqrt() + epsilon)


@op
def _dcasgd_update(weight, grad, mom, prev_weight, lr, momentum=0.0, lamda=0.04, wd=0.0,
                   rescale_grad=1.0, clip_gradient=-1.0):
    """Delay-compensated SGD: step = -lr*(g + wd*w + lamda*g*g*(w - prev_weight))."""
    _check('_dcasgd_update', weight, grad, mom, prev_weight)
    g = _clip(rescale_grad * grad, clip_gradient)
    mom.mul_(momentum).sub_(lr * (g + wd * weight + lamda * g * g * (weight - prev_weight)))
    prev_weight.copy_(weight)
    return weight + mom


# ---- LARS (mx.optimizer.LARS): per-layer learning rates, then a preloaded-lr SGD step --------
from ..register import OPS  # noqa: E402  (the preloaded ops run multi_sgd_*'s kernels)


@op
def multi_sum_sq(*data, num_arrays):
    """The sum of squares of each array, as one float32 vector of length num_arrays.

    Parameters
    ----------
    data : NDArray
        The arrays.
    num_arrays : int
        The number of arrays.
    """
    if len(data) != num_arrays:
        raise MXNetError(f"multi_sum_sq: num_arrays={num_arrays}, got {len(data)} arrays")
    flat = [t.reshape(-1).float() for t in data]
    return torch.stack([torch.dot(t, t) for t in flat])


@op
def multi_lars(lrs, weights_sum_sq, grads_sum_sq, wds, eta, eps, rescale_grad=1.0):
    """LARS learning rates: for each i with weights_sum_sq[i] > 0 and grads_sum_sq[i] > 0,
    lrs[i] * eta * |w| / (rescale_grad * |g| + wds[i] * |w| + eps); lrs[i] otherwise.

    Parameters
    ----------
    lrs : NDArray
        Learning rates to scale by the LARS coefficient.
    weights_sum_sq, grads_sum_sq : NDArray
        Sums of squares of the weights and of the gradients (`multi_sum_sq`).
    wds : NDArray
        Weight decays.
    eta : float
        LARS eta.
    eps : float
        LARS eps.
    rescale_grad : float, default 1
        Gradient rescaling factor.
    """
    n = lrs.shape[0]
    for what, t in (('weights_sum_sq', weights_sum_sq), ('grads_sum_sq', grads_sum_sq),
                    ('wds', wds)):
        if tuple(t.shape) != (n,):
            raise MXNetError(f"multi_lars: {what} must have the shape of lrs ({n},), got "
                             f"{tuple(t.shape)}")
    w_norm, g_norm = weights_sum_sq.sqrt(), grads_sum_sq.sqrt() * rescale_grad
    lars = lrs * eta * w_norm / (g_norm + wds * w_norm + eps)
    return torch.where((weights_sum_sq > 0) & (grads_sum_sq > 0), lars, lrs)


def _preloaded(name, data, group, num_weights):
    """Split a preloaded_multi_* op's inputs into the per-weight tensors and the lrs and
    wds vectors (its last two inputs) as lists of floats."""
    if len(data) != group * num_weights + 2:
        raise MXNetError(f"{name}: expected {group * num_weights + 2} inputs ({group} per "
                         f"weight for num_weights={num_weights}, then lrs and wds), got "
                         f"{len(data)}")
    return data[:-2], data[-2].tolist(), data[-1].tolist()


@op
def preloaded_multi_sgd_update(*data, rescale_grad=1.0, clip_gradient=-1.0, num_weights=1,
                               out=None):
    """`multi_sgd_update` with the learning rates and weight decays given as arrays (the
    last two inputs), so that they can come from another operator (`multi_lars`).

    Parameters
    ----------
    data : NDArray
        weight_0, grad_0, weight_1, grad_1, ..., lrs, wds
    num_weights : int, default 1
        The number of weights.
    """
    tensors, lrs, wds = _preloaded('preloaded_multi_sgd_update', data, 2, num_weights)
    return OPS['multi_sgd_update'].kernel(*tensors, lrs=lrs, wds=wds, rescale_grad=rescale_grad,
                                          clip_gradient=clip_gradient, num_weights=num_weights,
                                          out=out)


@op
def preloaded_multi_sgd_mom_update(*data, momentum=0.0, rescale_grad=1.0, clip_gradient=-1.0,
                                   num_weights=1, out=None):
    """`multi_sgd_mom_update` with the learning rates and weight decays given as arrays
    (the last two inputs).

    Parameters
    ----------
    data : NDArray
        weight_0, grad_0, mom_0, weight_1, grad_1, mom_1, ..., lrs, wds
    momentum : float, default 0
    num_weights : int, default 1
        The number of weights.
    """
    tensors, lrs, wds = _preloaded('preloaded_multi_sgd_mom_update', data, 3, num_weights)
    return OPS['multi_sgd_mom_update'].kernel(*tensors, lrs=lrs, wds=wds, momentum=momentum,
                                              rescale_grad=rescale_grad,
                                              clip_gradient=clip_gradient,
                                              num_weights=num_weights, out=out)
