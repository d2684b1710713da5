"""Loss heads: `SoftmaxOutput` (`Softmax`), `LinearRegressionOutput`,
`LogisticRegressionOutput`, `MAERegressionOutput`, `MakeLoss`, `make_loss`, `SVMOutput`,
`softmax_cross_entropy`, `CTCLoss`, `SoftmaxActivation`.

MXNet's *Output operators are not differentiable functions: their forward gives the
prediction and their backward *ignores the head gradient* and yields the loss gradient
(prediction - label, scaled). `_LossHead` is that contract as a torch.autograd.Function.
"""
import torch
import torch.nn.functional as F

from ...base import MXNetError
from ..register import op


class _LossHead(torch.autograd.Function):
    """Forward: `forward(data)`; backward: `grad(out)` for data, none for the label."""

    @staticmethod
    def forward(ctx, data, label, fwd, grad, use_head):
        out = fwd(data)
        ctx.gradfn, ctx.use_head = grad, use_head
        ctx.save_for_backward(out, label)
        return out

    @staticmethod
    def backward(ctx, head):
        out, label = ctx.saved_tensors
        g = ctx.gradfn(out, label)
        return (g * head if ctx.use_head else g), None, None, None, None


@op(aliases=('Softmax',))
def SoftmaxOutput(data, label=None, grad_scale=1.0, ignore_label=-1.0, multi_output=False,
                  use_ignore=False, preserve_shape=False, normalization='null',
                  out_grad=False, smooth_alpha=0.0):
    """Softmax in the forward pass; cross-entropy gradient in the backward pass.

    The backward ignores the head gradient (unless `out_grad`) and gives
    (softmax(data) - one_hot(label)) * grad_scale / normaliser.

    Parameters
    ----------
    data : NDArray
        Input scores: (n, k) (more axes are flattened into k), (n, k, ...) with
        `multi_output`, or softmax over the last axis with `preserve_shape`.
    label : NDArray
        Class indices: (n,), (n, ...) with `multi_output`, data.shape[:-1] with
        `preserve_shape`.
    grad_scale : float, default=1
        Scales the gradient.
    ignore_label : float, default=-1
        Label whose gradient is zeroed when `use_ignore` is True.
    multi_output : bool, default=False
        Softmax over axis 1 at every other position.
    use_ignore : bool, default=False
        Zero the gradient where label == ignore_label.
    preserve_shape : bool, default=False
        Softmax over the last axis, keeping the shape.
    normalization : {'batch', 'null', 'valid'}, default='null'
        Divide the gradient by nothing, the batch size, or the number of labels that are
        not ignored.
    out_grad : bool, default=False
        Multiply the gradient by the head gradient.
    smooth_alpha : float, default=0
        Label smoothing: the target is 1 - alpha on the label, alpha / (k - 1) elsewhere.
    """
    if normalization not in ('null', 'batch', 'valid'):
        raise MXNetError(f"SoftmaxOutput: invalid normalization {normalization!r}; valid "
                         "values are ['batch', 'null', 'valid']")
    if label is None:
        raise MXNetError("SoftmaxOutput: the label input is missing")
    axis = 1 if multi_output else -1
    shape = tuple(data.shape)
    if tuple(label.shape) == shape:
        # MXNet: a label of data's shape holds probabilities; the gradient is
        # (out - label) * grad_scale, without ignore or normalization
        if not multi_output and not preserve_shape:
            data, label = data.reshape(shape[0], -1), label.reshape(shape[0], -1)
        out = _LossHead.apply(data, label, lambda d: torch.softmax(d, axis),
                              lambda o, lab: (o - lab) * grad_scale, out_grad)
        return out.reshape(shape)
    want = shape[:1] + shape[2:] if multi_output else shape[:-1]
    if label.numel() != torch.Size(want).numel() and label.numel() != shape[0]:
        raise MXNetError(f"SoftmaxOutput: label shape {tuple(label.shape)} does not match "
                         f"the expected {want} for data {shape}")
    if not multi_output and not preserve_shape:
        # MXNet flattens data to (n, k) and reads the first n labels of the flat label,
        # though it asks for a label of shape data.shape[:-1]
        data, label = data.reshape(shape[0], -1), label.reshape(-1)[:shape[0]]
    else:
        label = label.reshape(want)

    def grad(out, lab):
        k = out.shape[axis]
        idx = lab.long().clamp(0, k - 1)
        onehot = F.one_hot(idx, k).movedim(-1, axis).to(out.dtype)
        if smooth_alpha:
            other = smooth_alpha / (k - 1)
            onehot = onehot * (1 - smooth_alpha - other) + other
        g = out - onehot
        if use_ignore:
            keep = (lab != ignore_label).to(out.dtype)
            g = g * keep.unsqueeze(axis)
        scale = grad_scale
        if normalization == 'batch':    # with multi_output MXNet counts every position
            scale = scale / (lab.numel() if multi_output else out.shape[0])
        elif normalization == 'null' and multi_output:  # MXNet: by the positions per sample
            scale = scale / (lab[0].numel() if lab.dim() else 1)
        elif normalization == 'valid':
            valid = (lab != ignore_label).sum()     # MXNet: even without use_ignore
            return g * (scale / torch.clamp(torch.as_tensor(valid, dtype=out.dtype), min=1))
        return g * scale

    out = _LossHead.apply(data, label, lambda d: torch.softmax(d, axis), grad, out_grad)
    return out.reshape(shape)


def _regression(name, fwd, diff):
    def kernel(data, label=None, grad_scale=1.0):
        if label is None or label.numel() != data.numel():
            got = None if label is None else tuple(label.shape)
            raise MXNetError(f"{name}: label shape {got} must have the size of data "
                             f"{tuple(data.shape)}")
        label = label.reshape(data.shape)
        # MXNet divides by the number of outputs per sample, not by the batch size
        per_sample = data[0].numel() if data.dim() > 1 else 1
        scale = grad_scale / per_sample
        return _LossHead.apply(data, label, fwd, lambda o, y: diff(o, y) * scale, False)
    kernel.__name__ = name
    kernel.__doc__ = f"""{name}: the prediction forward, its squared/absolute-loss gradient
    backward (the head gradient is ignored).

    Parameters
    ----------
    data : NDArray
        Input to the output layer.
    label : NDArray
        Targets, with the size of data.
    grad_scale : float, default=1
        Scales the gradient (which is divided by the number of outputs per sample).
    """
    return op(kernel)


LinearRegressionOutput = _regression('LinearRegressionOutput', lambda d: d.clone(),
                                     torch.sub)
LogisticRegressionOutput = _regression('LogisticRegressionOutput', torch.sigmoid,
                                       torch.sub)
MAERegressionOutput = _regression('MAERegressionOutput', lambda d: d.clone(),
                                  lambda o, y: torch.sign(o - y))


@op
def MakeLoss(data, grad_scale=1.0, valid_thresh=0.0, normalization='null'):
    """Mark `data` as a loss: forward is the identity, backward ignores the head gradient
    and gives grad_scale (divided as `normalization` asks) for every element.

    Parameters
    ----------
    data : NDArray
        The loss values.
    grad_scale : float, default=1
        The gradient of every element.
    valid_thresh : float, default=0
        With normalization='valid', elements above this count as valid.
    normalization : {'batch', 'null', 'valid'}, default='null'
        Divide the gradient by nothing, the batch size or the number of valid elements.
    """
    if normalization not in ('null', 'batch', 'valid'):
        raise MXNetError(f"MakeLoss: invalid normalization {normalization!r}; valid values "
                         "are ['batch', 'null', 'valid']")

    def grad(out, _):
        if normalization == 'batch':
            return torch.full_like(out, grad_scale / out.shape[0])
        if normalization == 'valid':
            valid = (out > valid_thresh).sum().clamp(min=1)
            return torch.full_like(out, grad_scale) / valid
        return torch.full_like(out, grad_scale)
    return _LossHead.apply(data, data.new_empty(0), lambda d: d.clone(), grad, False)


@op
def make_loss(data):
    """Mark `data` as a loss: forward is the identity, backward gives ones (the head
    gradient is ignored). MakeLoss is the variant with grad_scale and normalization.

    Parameters
    ----------
    data : NDArray
        The loss values.
    """
    return _LossHead.apply(data, data.new_empty(0), lambda d: d.clone(),
                           lambda out, _: torch.ones_like(out), False)


@op
def SVMOutput(data, label=None, margin=1.0, regularization_coefficient=1.0, use_linear=False):
    """Support-vector-machine head: forward is the identity, backward the (squared) hinge
    loss gradient for the one-vs-all scores; the head gradient is ignored.

    Parameters
    ----------
    data : NDArray
        Scores, (n, k).
    label : NDArray
        Class indices, (n,).
    margin : float, default=1
        The hinge margin.
    regularization_coefficient : float, default=1
        Scales the gradient.
    use_linear : bool, default=False
        L1 hinge loss (True) or squared L2 hinge loss (False).
    """
    if label is None or label.numel() != data.shape[0]:
        got = None if label is None else tuple(label.shape)
        raise MXNetError(f"SVMOutput: label must have shape ({data.shape[0]},), got {got}")
    c = regularization_coefficient

    def grad(out, lab):
        x = out.reshape(out.shape[0], -1)
        sign = 1 - 2 * F.one_hot(lab.reshape(-1).long(), x.shape[1]).to(x.dtype)  # -1 at label
        active = (margin + sign * x > 0).to(x.dtype)
        g = sign * active * c if use_linear else 2 * c * sign * active * (margin + sign * x)
        return g.reshape(out.shape)
    return _LossHead.apply(data, label, lambda d: d.clone(), grad, False)


@op
def softmax_cross_entropy(data, label):
    """The summed cross-entropy of softmax(data) against integer labels, shape (1,).

    Parameters
    ----------
    data : NDArray
        Scores, (n, k).
    label : NDArray
        Class indices, (n,).
    """
    if data.dim() != 2 or tuple(label.shape) != tuple(data.shape[:1]):
        raise MXNetError(f"softmax_cross_entropy: expected data (n, k) and label (n,), got "
                         f"data {tuple(data.shape)} and label {tuple(label.shape)}")
    return F.cross_entropy(data, label.long(), reduction='sum').reshape(1)


@op(aliases=('ctc_loss', '_contrib_CTCLoss', '_contrib_ctc_loss'))   # nd.contrib's too
def CTCLoss(data, label=None, data_lengths=None, label_lengths=None, use_data_lengths=False,
            use_label_lengths=False, blank_label='first'):
    """Connectionist Temporal Classification loss per sequence, shape (batch,).

    Parameters
    ----------
    data : NDArray
        Unnormalised scores, (sequence_length, batch, alphabet_size); softmax is applied
        inside.
    label : NDArray
        Padded labels, (batch, label_length). With blank_label='first' the blank is 0,
        labels are 1.. and the padding is 0; with 'last' the blank is alphabet_size - 1
        and the padding is -1.
    data_lengths : NDArray
        Lengths of each sequence, (batch,), used with `use_data_lengths`.
    label_lengths : NDArray
        Lengths of each label, (batch,), used with `use_label_lengths`.
    use_data_lengths, use_label_lengths : bool, default=False
        Whether to read the lengths instead of using the full sequence / the padding.
    blank_label : {'first', 'last'}, default='first'
        Which index is the blank.
    """
    if use_label_lengths and not use_data_lengths and label_lengths is None:
        # MXNet's inputs are data, label, then only the lengths in use: the third
        # positional input is label_lengths when use_data_lengths is off
        data_lengths, label_lengths = None, data_lengths
    if blank_label not in ('first', 'last'):
        raise MXNetError(f"CTCLoss: invalid blank_label {blank_label!r}; valid values are "
                         "['first', 'last']")
    if data.dim() != 3 or label is None or label.dim() != 2 or label.shape[0] != data.shape[1]:
        got = None if label is None else tuple(label.shape)
        raise MXNetError(f"CTCLoss: expected data (sequence, batch, alphabet) and label "
                         f"(batch, label_length), got data {tuple(data.shape)} and label {got}")
    for use, what, t in ((use_data_lengths, 'data_lengths', data_lengths),
                         (use_label_lengths, 'label_lengths', label_lengths)):
        if use and (t is None or tuple(t.shape) != (data.shape[1],)):
            got = None if t is None else tuple(t.shape)
            raise MXNetError(f"CTCLoss: use_{what}=True needs {what} of shape "
                             f"({data.shape[1]},), got {got}")
    t, n, k = data.shape
    blank, padding = (0, 0) if blank_label == 'first' else (k - 1, -1)
    lab = label.long()
    if use_label_lengths:
        lab_len = label_lengths.long()
    else:   # the label ends at its first padding value
        is_pad = torch.cat([lab == padding, lab.new_ones(n, 1, dtype=torch.bool)], 1)
        lab_len = is_pad.long().argmax(1)
    in_len = data_lengths.long() if use_data_lengths else lab.new_full((n,), t)
    targets = torch.where(lab == padding, blank, lab) if padding < 0 else lab
    if use_data_lengths:    # MXNet reads nothing past a sequence's length (NaN there included)
        inside = torch.arange(t, device=data.device)[:, None] < in_len.to(data.device)[None, :]
        data = torch.where(inside[:, :, None], data, data.new_zeros(()))
    logp = torch.log_softmax(data, -1)
    return F.ctc_loss(logp, targets, in_len, lab_len, blank, reduction='none')


@op
def SoftmaxActivation(data, mode='instance'):
    """Softmax over the last axis ('instance') or over the channel axis 1 ('channel').

    Parameters
    ----------
    data : NDArray
        Input.
    mode : {'channel', 'instance'}, default='instance'
        'instance': softmax over the last axis (MXNet flattens to 2-D keeping the last
        axis, so that is what 'instance' means for >2-D data); 'channel': over axis 1.
    """
    if mode == 'channel':
        return torch.softmax(data, 1)
    if mode != 'instance':
        raise MXNetError(f"SoftmaxActivation: invalid mode {mode!r}; valid values are "
                         "['channel', 'instance']")
    return torch.softmax(data, -1)
