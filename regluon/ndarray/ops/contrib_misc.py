"""MXNet's general contrib operators (`nd.contrib.<name>`, registered as
`_contrib_<name>`): boolean_mask, index_copy, index_array, arange_like, div_sqrt_dim, the
interleaved multi-head attention matmuls GluonNLP's BERT uses, quadratic,
gradientmultiplier, round_ste/sign_ste, allclose, fft/ifft, count_sketch,
group_adagrad_update and the AdamW updates GluonNLP's BERTAdam calls. Gradients are torch autograd's, except the
straight-through and gradient-multiplier ops, whose backward is MXNet's by definition."""
import math

import numpy as np
import torch

from ...base import MXNetError
from ..register import op
from .unary import _round


def _need_dims(name, what, t, ndim):
    if t.dim() != ndim:
        raise MXNetError(f"{name}: {what} must be a {ndim}D tensor, got shape {tuple(t.shape)}")


# ---- selection and indexing ----------------------------------------------------------------
@op(name='_contrib_boolean_mask')
def boolean_mask(data, index, axis=0):
    """The slices of `data` along `axis` where the 1-D `index` is nonzero.

    Parameters
    ----------
    data : NDArray
    index : NDArray, 1-D mask of length data.shape[0]
    axis : int, default 0 (MXNet supports no other)
    """
    if axis != 0:       # as MXNet 1.9.1: "Not supported yet"
        raise MXNetError(f"boolean_mask: only axis=0 is supported (as in MXNet), got {axis}")
    if data.dim() == 0 or index.dim() != 1 or index.shape[0] != data.shape[0]:
        raise MXNetError(f"boolean_mask: index must be 1-D of length data.shape[0], got "
                         f"{tuple(index.shape)} for data {tuple(data.shape)}")
    return data.index_select(0, torch.nonzero(index).reshape(-1))


@op(name='_contrib_index_copy')
def index_copy(old_tensor, index_vector, new_tensor):
    """A copy of `old_tensor` whose row `index_vector[i]` is `new_tensor[i]`."""
    if index_vector.dim() != 1 or index_vector.shape[0] != new_tensor.shape[0]:
        raise MXNetError(f"index_copy: index_vector must be 1-D of length new_tensor.shape[0]"
                         f" = {new_tensor.shape[0]}, got shape {tuple(index_vector.shape)}")
    if old_tensor.shape[1:] != new_tensor.shape[1:] or \
            old_tensor.shape[0] < new_tensor.shape[0]:
        raise MXNetError(f"index_copy: new_tensor {tuple(new_tensor.shape)} must have the rows"
                         f" of old_tensor {tuple(old_tensor.shape)} and no more of them")
    return old_tensor.index_copy(0, index_vector.long(), new_tensor.to(old_tensor.dtype))


@op(name='_contrib_index_array')
def index_array(data, axes=None):
    """int64 array of shape data.shape + (len(axes),): the index of each element along each
    of `axes` (all axes by default; negative axes count from the end)."""
    n = data.dim()
    axes = range(n) if axes is None else [axes] if isinstance(axes, int) else axes
    picked = []
    for a in axes:
        if not -n <= a < n:
            raise MXNetError(f"index_array: axis {a} is out of range for {n}D data")
        picked.append(a % n)
    grids = torch.meshgrid(*[torch.arange(s, device=data.device) for s in data.shape],
                           indexing='ij') if n else []
    return torch.stack([grids[a] for a in picked], dim=-1) if picked else \
        torch.zeros(tuple(data.shape) + (0,), dtype=torch.int64, device=data.device)


@op(name='_contrib_arange_like')
def arange_like(data, start=0.0, step=1.0, repeat=1, ctx=None, axis=None):
    """start + step * (i // repeat) in data's shape and dtype, or along one axis (1-D)."""
    if axis is not None and not -data.dim() <= axis < data.dim():
        raise MXNetError(f"arange_like: axis {axis} is out of range for {data.dim()}D data")
    shape = tuple(data.shape) if axis is None else (data.shape[axis],)
    i = torch.arange(math.prod(shape), device=data.device, dtype=torch.float64)
    return (start + step * torch.div(i, repeat, rounding_mode='floor')).to(
        data.dtype).reshape(shape)


# ---- attention helpers -----------------------------------------------------------------------
@op(name='_contrib_div_sqrt_dim')
def div_sqrt_dim(data):
    """data / sqrt(data.shape[-1])."""
    return data / math.sqrt(data.shape[-1])


def _heads(name, t, heads, parts):
    """(seq, batch, heads * parts * head_dim) -> (seq, batch, heads, parts, head_dim)."""
    _need_dims(name, 'the projections', t, 3)
    if t.shape[2] % (heads * parts):
        raise MXNetError(f"{name}: the last axis ({t.shape[2]}) must be divisible by "
                         f"heads * {parts} = {heads * parts}")
    return t.reshape(t.shape[0], t.shape[1], heads, parts, -1)


def _per_head(p):
    """(seq, batch, heads, head_dim) -> (batch * heads, seq, head_dim)."""
    return p.permute(1, 2, 0, 3).reshape(-1, p.shape[0], p.shape[3])


def _merge_heads(out, seq, batch):
    """(batch * heads, seq, head_dim) -> (seq, batch, heads * head_dim)."""
    return out.reshape(batch, -1, seq, out.shape[2]).permute(2, 0, 1, 3).reshape(seq, batch, -1)


def _scores(q, k):
    return torch.bmm(_per_head(q) / math.sqrt(q.shape[-1]), _per_head(k).transpose(1, 2))


def _attend(name, attention, v, batch):
    seq_q = attention.shape[1]
    _need_dims(name, 'attention', attention, 3)
    return _merge_heads(torch.bmm(attention, _per_head(v)), seq_q, batch)


@op(name='_contrib_interleaved_matmul_selfatt_qk')
def interleaved_matmul_selfatt_qk(queries_keys_values, heads):
    """Scaled q.k^T per head from interleaved (seq, batch, heads * 3 * head_dim) projections:
    (batch * heads, seq, seq)."""
    t = _heads('interleaved_matmul_selfatt_qk', queries_keys_values, heads, 3)
    return _scores(t[:, :, :, 0], t[:, :, :, 1])


@op(name='_contrib_interleaved_matmul_selfatt_valatt')
def interleaved_matmul_selfatt_valatt(queries_keys_values, attention, heads):
    """attention @ v per head, heads merged back: (seq, batch, heads * head_dim)."""
    name = 'interleaved_matmul_selfatt_valatt'
    t = _heads(name, queries_keys_values, heads, 3)
    return _attend(name, attention, t[:, :, :, 2], t.shape[1])


@op(name='_contrib_interleaved_matmul_encdec_qk')
def interleaved_matmul_encdec_qk(queries, keys_values, heads):
    """Scaled q.k^T per head from queries (q_seq, batch, heads * head_dim) and interleaved
    keys/values (kv_seq, batch, heads * 2 * head_dim): (batch * heads, q_seq, kv_seq)."""
    name = 'interleaved_matmul_encdec_qk'
    q = _heads(name, queries, heads, 1)[:, :, :, 0]
    kv = _heads(name, keys_values, heads, 2)
    return _scores(q, kv[:, :, :, 0])


@op(name='_contrib_interleaved_matmul_encdec_valatt')
def interleaved_matmul_encdec_valatt(keys_values, attention, heads):
    """attention @ v per head from interleaved keys/values: (q_seq, batch, heads * head_dim)."""
    name = 'interleaved_matmul_encdec_valatt'
    kv = _heads(name, keys_values, heads, 2)
    return _attend(name, attention, kv[:, :, :, 1], kv.shape[1])


# ---- elementwise with MXNet-defined gradients ------------------------------------------------
@op(name='_contrib_quadratic')
def quadratic(data, a=0.0, b=0.0, c=0.0):
    """a * data^2 + b * data + c, elementwise."""
    return a * data * data + b * data + c


class _ScaledGrad(torch.autograd.Function):
    """Forward `value` (computed from x without a gradient); backward: scale * the gradient."""

    @staticmethod
    def forward(ctx, x, value, scale):  # pylint: disable=arguments-differ
        ctx.scale = scale
        return value

    @staticmethod
    def backward(ctx, g):  # pylint: disable=arguments-differ
        return g * ctx.scale if ctx.scale != 1 else g, None, None


def _with_grad(x, value, scale=1.0):
    if not x.requires_grad:
        return value
    return _ScaledGrad.apply(x, value.detach(), scale)


@op(name='_contrib_gradientmultiplier')
def gradientmultiplier(data, scalar=1.0, is_int=True):
    """Identity forward; the gradient is multiplied by `scalar` (gradient reversal with -1)."""
    return _with_grad(data, data.clone(), scalar)


@op(name='_contrib_round_ste')
def round_ste(data):
    """round() forward (halves away from zero); the gradient passes straight through."""
    return _with_grad(data, _round(data))


@op(name='_contrib_sign_ste')
def sign_ste(data):
    """sign() forward; the gradient passes straight through."""
    return _with_grad(data, torch.sign(data))


@op(name='_contrib_allclose')
def allclose(a, b, rtol=1e-05, atol=1e-08, equal_nan=True):
    """uint8 scalar (shape (), as MXNet): 1 if |a - b| <= atol + rtol * |b| everywhere
    (NaNs equal with equal_nan)."""
    if a.shape != b.shape:
        raise MXNetError(f"allclose: a and b must have the same shape, got {tuple(a.shape)} "
                         f"and {tuple(b.shape)}")
    ok = torch.isclose(a, b.to(a.dtype), rtol=rtol, atol=atol, equal_nan=equal_nan).all()
    return ok.to(torch.uint8)


# ---- fft, count sketch -----------------------------------------------------------------------
def _check_fft(name, data):
    if data.dim() not in (2, 4):
        raise MXNetError(f"{name}: data must be (N, d) or (N1, N2, N3, d), got shape "
                         f"{tuple(data.shape)}")
    if not data.is_floating_point():
        raise MXNetError(f"{name}: data must be floating point, got {data.dtype}")


@op(name='_contrib_fft')
def fft(data, compute_size=128):
    """1-D FFT over the last axis of real data: (..., d) -> (..., 2d) as re0, im0, re1, ..."""
    _check_fft('fft', data)
    return torch.view_as_real(torch.fft.fft(data, dim=-1)).flatten(-2).to(data.dtype)


@op(name='_contrib_ifft')
def ifft(data, compute_size=128):
    """Unnormalized 1-D inverse FFT (cuFFT's, as MXNet): (..., 2d) interleaved re/im ->
    (..., d), the real part."""
    _check_fft('ifft', data)
    if data.shape[-1] % 2:
        raise MXNetError(f"ifft: the last axis must be even (re/im pairs), got {data.shape[-1]}")
    z = torch.view_as_complex(data.reshape(data.shape[:-1] + (-1, 2)).contiguous())
    return torch.fft.ifft(z, dim=-1, norm='forward').real.to(data.dtype)


@op(name='_contrib_count_sketch')
def count_sketch(data, h, s, out_dim, processing_batch_size=32):
    """out[..., h[j]] += data[..., j] * s[j]: (..., d) -> (..., out_dim); h and s are (1, d)."""
    d = data.shape[-1]
    if h.numel() != d or s.numel() != d:
        raise MXNetError(f"count_sketch: h and s must have {d} entries (data's last axis), "
                         f"got shapes {tuple(h.shape)} and {tuple(s.shape)}")
    out = data.new_zeros(data.shape[:-1] + (out_dim,))
    return out.index_add(-1, h.reshape(-1).long(), data * s.reshape(-1).to(data.dtype))


# ---- optimizer -------------------------------------------------------------------------------
@op(name='_contrib_group_adagrad_update')
def group_adagrad_update(weight, grad, history, lr, rescale_grad=1.0, clip_gradient=-1.0,
                         epsilon=1e-5):
    """Group AdaGrad: one accumulator per row. history (rows, 1) += mean(g^2, row);
    weight -= lr * g / sqrt(history + epsilon), g = clip(rescale_grad * grad)."""
    if grad.shape != weight.shape or history.shape[0] != weight.shape[0] or \
            history.numel() != weight.shape[0]:
        raise MXNetError(f"group_adagrad_update: grad must have the weight's shape "
                         f"{tuple(weight.shape)} and history one entry per row, got "
                         f"{tuple(grad.shape)} and {tuple(history.shape)}")
    g = rescale_grad * grad
    g = g.clamp(-clip_gradient, clip_gradient) if clip_gradient >= 0 else g
    rows = g.reshape(g.shape[0], -1)
    history.add_(rows.square().mean(dim=1).reshape(history.shape))
    div = rows / (history.reshape(-1, 1) + epsilon).sqrt()
    return weight - lr * div.reshape(weight.shape)


# ---- AdamW (GluonNLP's BERTAdam calls these from mxnet.ndarray.contrib) ----------------------
def _finite_scale(rescale_grad):
    """rescale_grad as a float (an array holds it in its first element), or None when it is
    inf/nan or 0: MXNet then skips the update (loss scaling found an overflow)."""
    s = float(rescale_grad.reshape(-1)[0]) if torch.is_tensor(rescale_grad) else \
        float(rescale_grad)
    return s if math.isfinite(s) and s != 0 else None


def _adamw_step(weight, grad, mean, var, scale, lr, eta, beta1, beta2, epsilon, wd,
                clip_gradient, multi=False):
    """The new weight; mean and var are updated in place:
    g = clip(scale * grad); mean = b1*mean + (1-b1)*g; var = b2*var + (1-b2)*g^2;
    weight - eta * (lr * mean / (sqrt(var) + epsilon) + wd * weight)."""
    g = grad.to(mean.dtype) * scale
    g = g.clamp(-clip_gradient, clip_gradient) if clip_gradient >= 0 else g
    if multi:
        # MXNet's multi-tensor kernels (MultiAdamWKernel) write the moments as
        # b*(state - g) + g and b*(state - g^2) + g^2: other float32 roundings than the
        # single-tensor form (var's first step cancels: 4.2724609e-04, not 4.2724446e-04)
        g2 = g * g
        mean.sub_(g).mul_(beta1).add_(g)
        var.sub_(g2).mul_(beta2).add_(g2)
        return weight - eta * (lr * mean / (var.sqrt() + epsilon) + wd * weight)
    # MXNet computes 1 - beta in float32 (1 - 0.999f is 0.00099998713, not 0.001); the
    # first steps' mean / sqrt(var) are sensitive to it
    mean.mul_(beta1).add_(g, alpha=float(np.float32(1) - np.float32(beta1)))
    var.mul_(beta2).addcmul_(g, g, value=float(np.float32(1) - np.float32(beta2)))
    return weight - eta * (lr * mean / (var.sqrt() + epsilon) + wd * weight)


def _write(res, out, like):
    if out is None:
        return res.to(like.dtype)
    return out.copy_(res)


@op(name='_contrib_adamw_update')
def adamw_update(weight, grad, mean, var, rescale_grad, lr, eta, beta1=0.9, beta2=0.999,
                 epsilon=1e-8, wd=0.0, clip_gradient=-1.0, out=None):
    """AdamW (decoupled weight decay, no bias correction); skipped when rescale_grad is not
    finite."""
    scale = _finite_scale(rescale_grad)
    if scale is None:
        return weight.clone() if out is None else out
    return _write(_adamw_step(weight, grad, mean, var, scale, lr, eta, beta1, beta2, epsilon,
                              wd, clip_gradient), out, weight)


@op(name='_contrib_mp_adamw_update')
def mp_adamw_update(weight, grad, mean, var, weight32, rescale_grad, lr, eta, beta1=0.9,
                    beta2=0.999, epsilon=1e-8, wd=0.0, clip_gradient=-1.0, out=None):
    """adamw_update on the float32 master copy `weight32` (updated in place); the result is
    it cast to the weight's dtype."""
    scale = _finite_scale(rescale_grad)
    if scale is None:
        return weight.clone() if out is None else out
    weight32.copy_(_adamw_step(weight32, grad, mean, var, scale, lr, eta, beta1, beta2,
                               epsilon, wd, clip_gradient))
    return _write(weight32, out, weight)


def _multi_adamw(weights, grads, mean, var, weights32, rescale_grad, lrs, wds, etas, out,
                 size, **kw):
    size = size or len(weights)
    outs = list(out) if isinstance(out, (list, tuple)) else [None] * size
    scale = _finite_scale(rescale_grad)
    res = []
    for k in range(size):
        if scale is None:
            res.append(weights[k].clone() if outs[k] is None else outs[k])
            continue
        master = weights32[k] if weights32 is not None else weights[k]
        new = _adamw_step(master, grads[k], mean[k], var[k], scale, lrs[k], etas[k],
                          kw['beta1'], kw['beta2'], kw['epsilon'], wds[k], kw['clip_gradient'],
                          multi=True)
        if weights32 is not None:
            new = weights32[k].copy_(new)
        res.append(_write(new, outs[k], weights[k]))
    return res


@op(name='_contrib_multi_adamw_update')
def multi_adamw_update(weights, grads, mean, var, rescale_grad, lrs, wds, etas, out=None,
                       size=0, beta1=0.9, beta2=0.999, epsilon=1e-8, clip_gradient=-1.0):
    """adamw_update over lists of weights, each with its lr, wd and eta."""
    return _multi_adamw(weights, grads, mean, var, None, rescale_grad, lrs, wds, etas, out,
                        size, beta1=beta1, beta2=beta2, epsilon=epsilon,
                        clip_gradient=clip_gradient)


@op(name='_contrib_multi_mp_adamw_update')
def multi_mp_adamw_update(weights, grads, mean, var, weights32, rescale_grad, lrs, wds, etas,
                          out=None, size=0, beta1=0.9, beta2=0.999, epsilon=1e-8,
                          clip_gradient=-1.0):
    """mp_adamw_update over lists of weights and their float32 master copies."""
    return _multi_adamw(weights, grads, mean, var, weights32, rescale_grad, lrs, wds, etas,
                        out, size, beta1=beta1, beta2=beta2, epsilon=epsilon,
                        clip_gradient=clip_gradient)
