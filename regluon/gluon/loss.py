"""`gluon.loss`: losses as HybridBlocks, written with `F.*` operators as in MXNet 1.x.

Each loss returns one value per sample: the elementwise loss, weighted by `sample_weight`
(broadcast) and the scalar `weight`, then averaged over every axis but `batch_axis`.
"""
import numpy as np

from ..base import MXNetError
from .block import HybridBlock

__all__ = ['Loss', 'L2Loss', 'L1Loss', 'SigmoidBinaryCrossEntropyLoss', 'SigmoidBCELoss',
           'SoftmaxCrossEntropyLoss', 'SoftmaxCELoss', 'KLDivLoss', 'CTCLoss', 'HuberLoss',
           'HingeLoss', 'SquaredHingeLoss', 'LogisticLoss', 'TripletLoss', 'PoissonNLLLoss',
           'CosineEmbeddingLoss', 'SDMLLoss']


def _apply_weighting(F, loss, weight=None, sample_weight=None):
    """loss * sample_weight (broadcast) * weight (a number)."""
    if sample_weight is not None:
        loss = F.broadcast_mul(loss, sample_weight)
    if weight is not None:
        if not isinstance(weight, (int, float, np.number)):
            raise TypeError(f"Loss weight must be a number, got {type(weight).__name__}")
        loss = loss * weight
    return loss


def _reshape_like(F, x, y):
    """`x` reshaped to `y`'s shape; MXNet's losses accept labels of shape (N,) for (N, 1).
    (An op, not `x.reshape(y.shape)`, so hybridized losses trace it too.)"""
    return F.reshape_like(x, y)


class Loss(HybridBlock):
    """Base class for losses.

    Parameters
    ----------
    weight : float or None
        Global scalar weight for the loss.
    batch_axis : int
        The axis that represents the mini-batch.
    """

    def __init__(self, weight, batch_axis, **kwargs):
        super().__init__(**kwargs)
        self._weight = weight
        self._batch_axis = batch_axis

    def __repr__(self):
        return f'{type(self).__name__}(batch_axis={self._batch_axis}, w={self._weight})'

    def hybrid_forward(self, F, x, *args, **kwargs):
        raise NotImplementedError

    def _batch_mean(self, F, loss):
        return F.mean(loss, axis=self._batch_axis, exclude=True)


class L2Loss(Loss):
    """Half the squared error: 0.5 * (label - pred)^2, averaged per sample.

    Parameters
    ----------
    weight : float, default 1.0
    batch_axis : int, default 0
    """

    def __init__(self, weight=1., batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        loss = F.square(_reshape_like(F, label, pred) - pred)
        return self._batch_mean(F, _apply_weighting(F, loss, self._weight / 2, sample_weight))


class L1Loss(Loss):
    """Absolute error |label - pred|, averaged per sample.

    Parameters
    ----------
    weight : float, optional
    batch_axis : int, default 0
    """

    def __init__(self, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        loss = F.abs(_reshape_like(F, label, pred) - pred)
        return self._batch_mean(F, _apply_weighting(F, loss, self._weight, sample_weight))


class SigmoidBinaryCrossEntropyLoss(Loss):
    """Binary cross-entropy on logits (or on probabilities with from_sigmoid=True).

    Parameters
    ----------
    from_sigmoid : bool, default False
        Whether `pred` is already a probability.
    weight : float, optional
    batch_axis : int, default 0

    `pos_weight` (an array broadcastable to the label) weights the positive term; pass
    it to the call: `loss(pred, label, sample_weight, pos_weight)`.
    """

    def __init__(self, from_sigmoid=False, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._from_sigmoid = from_sigmoid

    def hybrid_forward(self, F, pred, label, sample_weight=None, pos_weight=None):
        label = _reshape_like(F, label, pred)
        if not self._from_sigmoid:
            # the numerically stable form: max(x, 0) - x*z + log(1 + exp(-|x|))
            softplus = F.Activation(-F.abs(pred), act_type='softrelu')
            if pos_weight is None:
                loss = F.relu(pred) - pred * label + softplus
            else:
                log_weight = 1 + F.broadcast_mul(pos_weight - 1, label)
                loss = pred - pred * label + log_weight * (softplus + F.relu(-pred))
        else:
            eps = 1e-12
            pos = F.log(pred + eps) * label
            if pos_weight is not None:
                pos = F.broadcast_mul(pos, pos_weight)
            loss = -(pos + F.log(1. - pred + eps) * (1. - label))
        return self._batch_mean(F, _apply_weighting(F, loss, self._weight, sample_weight))


SigmoidBCELoss = SigmoidBinaryCrossEntropyLoss


class SoftmaxCrossEntropyLoss(Loss):
    """Softmax cross-entropy: -log softmax(pred)[label] (or -sum(label * log p) if dense).

    Parameters
    ----------
    axis : int, default -1
        The class axis.
    sparse_label : bool, default True
        Whether `label` holds class indices (else a distribution of pred's shape).
    from_logits : bool, default False
        Whether `pred` is already log-probabilities.
    weight : float, optional
    batch_axis : int, default 0
    """

    def __init__(self, axis=-1, sparse_label=True, from_logits=False, weight=None,
                 batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._axis, self._sparse_label, self._from_logits = axis, sparse_label, from_logits

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        if not self._from_logits:
            pred = F.log_softmax(pred, self._axis)
        if self._sparse_label:
            loss = -F.pick(pred, label, axis=self._axis, keepdims=True)
        else:
            label = _reshape_like(F, label, pred)
            loss = -F.sum(pred * label, axis=self._axis, keepdims=True)
        return self._batch_mean(F, _apply_weighting(F, loss, self._weight, sample_weight))


SoftmaxCELoss = SoftmaxCrossEntropyLoss


class KLDivLoss(Loss):
    """Kullback-Leibler divergence label * (log(label) - pred), summed per sample.

    Parameters
    ----------
    from_logits : bool, default True
        Whether `pred` is log-probabilities (else log_softmax is applied on `axis`).
    axis : int, default -1
    weight : float, optional
    batch_axis : int, default 0
    """

    def __init__(self, from_logits=True, axis=-1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._from_logits, self._axis = from_logits, axis

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        if not self._from_logits:
            pred = F.log_softmax(pred, self._axis)
        loss = label * (F.log(label + 1e-12) - pred)
        loss = _apply_weighting(F, loss, self._weight, sample_weight)
        return F.sum(loss, axis=self._batch_axis, exclude=True)    # MXNet sums here


class CTCLoss(Loss):
    """Connectionist Temporal Classification loss; the blank is the last class.

    Parameters
    ----------
    layout : {'NTC', 'TNC'}, default 'NTC'
        Layout of `pred`.
    label_layout : {'NT', 'TN'}, default 'NT'
        Layout of `label` (padded with -1, or sized by label_lengths).
    weight : float, optional

    Call as `loss(pred, label, pred_lengths=None, label_lengths=None, sample_weight=None)`.
    """

    def __init__(self, layout='NTC', label_layout='NT', weight=None, **kwargs):
        if layout not in ('NTC', 'TNC'):
            raise ValueError(f"Only 'NTC' and 'TNC' layouts for pred are supported. "
                             f"Got: {layout}")
        if label_layout not in ('NT', 'TN'):
            raise ValueError(f"Only 'NT' and 'TN' layouts for label are supported. "
                             f"Got: {label_layout}")
        self._layout, self._label_layout = layout, label_layout
        super().__init__(weight, label_layout.find('N'), **kwargs)

    def hybrid_forward(self, F, pred, label, pred_lengths=None, label_lengths=None,
                       sample_weight=None):
        if self._layout == 'NTC':
            pred = F.swapaxes(pred, 0, 1)
        if self._batch_axis == 1:
            label = F.swapaxes(label, 0, 1)
        loss = F.CTCLoss(pred, label, pred_lengths, label_lengths,
                         use_data_lengths=pred_lengths is not None,
                         use_label_lengths=label_lengths is not None, blank_label='last')
        return _apply_weighting(F, loss, self._weight, sample_weight)


class HuberLoss(Loss):
    """Smoothed L1: |d| - rho/2 where |d| > rho, else d^2 / (2 rho).

    Parameters
    ----------
    rho : float, default 1
    weight : float, optional
    batch_axis : int, default 0
    """

    def __init__(self, rho=1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._rho = rho

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        loss = F.abs(_reshape_like(F, label, pred) - pred)
        loss = F.where(loss > self._rho, loss - 0.5 * self._rho,
                       (0.5 / self._rho) * F.square(loss))
        return self._batch_mean(F, _apply_weighting(F, loss, self._weight, sample_weight))


class HingeLoss(Loss):
    """max(0, margin - pred * label) for labels in {-1, 1}.

    Parameters
    ----------
    margin : float, default 1
    weight : float, optional
    batch_axis : int, default 0
    """

    def __init__(self, margin=1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._margin = margin

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        loss = F.relu(self._margin - pred * _reshape_like(F, label, pred))
        return self._batch_mean(F, _apply_weighting(F, loss, self._weight, sample_weight))


class SquaredHingeLoss(Loss):
    """max(0, margin - pred * label)^2 for labels in {-1, 1}.

    Parameters
    ----------
    margin : float, default 1
    weight : float, optional
    batch_axis : int, default 0
    """

    def __init__(self, margin=1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._margin = margin

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        loss = F.square(F.relu(self._margin - pred * _reshape_like(F, label, pred)))
        return self._batch_mean(F, _apply_weighting(F, loss, self._weight, sample_weight))


class LogisticLoss(Loss):
    """Logistic loss log(1 + exp(-pred * label)).

    Parameters
    ----------
    weight : float, optional
    batch_axis : int, default 0
    label_format : {'signed', 'binary'}, default 'signed'
        Labels in {-1, 1} ('signed') or {0, 1} ('binary').
    """

    def __init__(self, weight=None, batch_axis=0, label_format='signed', **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        if label_format not in ('signed', 'binary'):
            # "recieved" is MXNet's spelling; kept so matching messages keep matching
            raise ValueError(f"label_format can only be signed or binary, recieved "
                             f"{label_format}.")
        self._label_format = label_format

    def hybrid_forward(self, F, pred, label, sample_weight=None):
        label = _reshape_like(F, label, pred)
        if self._label_format == 'signed':
            label = (label + 1.0) / 2.0
        loss = F.relu(pred) - pred * label + F.Activation(-F.abs(pred), act_type='softrelu')
        return self._batch_mean(F, _apply_weighting(F, loss, self._weight, sample_weight))


class TripletLoss(Loss):
    """max(0, ||pred - positive||^2 - ||pred - negative||^2 + margin) per sample.

    Parameters
    ----------
    margin : float, default 1
    weight : float, optional
    batch_axis : int, default 0
    """

    def __init__(self, margin=1, weight=None, batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._margin = margin

    def hybrid_forward(self, F, pred, positive, negative):
        positive = _reshape_like(F, positive, pred)
        negative = _reshape_like(F, negative, pred)
        loss = F.sum(F.square(positive - pred) - F.square(negative - pred),
                     axis=self._batch_axis, exclude=True)
        return _apply_weighting(F, F.relu(loss + self._margin), self._weight, None)


class PoissonNLLLoss(Loss):
    """Negative log-likelihood of a Poisson target; MXNet averages over everything.

    Parameters
    ----------
    weight : float, optional
    from_logits : bool, default True
        Whether `pred` is log(rate) (else the rate itself).
    batch_axis : int, default 0
    compute_full : bool, default False
        Add the Stirling approximation term for targets > 1.
    """

    def __init__(self, weight=None, from_logits=True, batch_axis=0, compute_full=False,
                 **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._from_logits, self._compute_full = from_logits, compute_full

    def hybrid_forward(self, F, pred, target, sample_weight=None, epsilon=1e-08):
        target = _reshape_like(F, target, pred)
        if self._from_logits:
            loss = F.exp(pred) - target * pred
        else:
            loss = pred - target * F.log(pred + epsilon)
        if self._compute_full:
            stirling = target * F.log(target) - target + 0.5 * F.log(2 * target * np.pi)
            loss = loss + stirling * (target > 1)
        # MXNet returns the mean over all elements (a 1-element array), not per sample
        return F.mean(_apply_weighting(F, loss, self._weight, sample_weight))


class CosineEmbeddingLoss(Loss):
    """1 - cos(input1, input2) for label 1, max(0, cos - margin) for label -1.

    Parameters
    ----------
    weight : float, optional
    batch_axis : int, default 0
    margin : float, default 0
    """

    def __init__(self, weight=None, batch_axis=0, margin=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self._margin = margin

    def hybrid_forward(self, F, input1, input2, label, sample_weight=None):
        input1 = _reshape_like(F, input1, input2)
        label = label.reshape((-1, 1))
        cos_sim = self._cosine_similarity(F, input1, input2)
        loss_pos = (1 - cos_sim) * (label == 1)
        loss_neg = F.relu((label == -1) * (cos_sim - self._margin))
        return _apply_weighting(F, loss_pos + loss_neg, self._weight, sample_weight)

    def _cosine_similarity(self, F, x, y, axis=-1):
        x_norm = F.norm(x, axis=axis).reshape((-1, 1))
        y_norm = F.norm(y, axis=axis).reshape((-1, 1))
        x_dot_y = F.sum(x * y, axis=axis).reshape((-1, 1))
        norms = x_norm * y_norm
        return x_dot_y / (F.relu(norms - 1e-12) + 1e-12)      # / max(norms, 1e-12)


class SDMLLoss(Loss):
    """Smoothed deep metric learning loss over a batch of aligned pairs (x1[i], x2[i]).

    Parameters
    ----------
    smoothing_parameter : float, default 0.3
        Probability mass spread over the non-matching pairs.
    weight : float, default 1.0
    batch_axis : int, default 0
    """

    def __init__(self, smoothing_parameter=0.3, weight=1., batch_axis=0, **kwargs):
        super().__init__(weight, batch_axis, **kwargs)
        self.kl_loss = KLDivLoss(from_logits=True)
        self.smoothing_parameter = smoothing_parameter

    def hybrid_forward(self, F, x1, x2):
        if x1.shape != x2.shape or x1.ndim != 2:
            raise MXNetError(f"SDMLLoss: x1 and x2 must both be (batch, dim), got "
                             f"{x1.shape} and {x2.shape}")
        n = x1.shape[0]
        gold = F.eye(n, ctx=x1.context)
        labels = gold * (1 - self.smoothing_parameter) + \
            (1 - gold) * self.smoothing_parameter / (n - 1)
        distances = F.sum(F.square(F.expand_dims(x1, 1) - F.expand_dims(x2, 0)), axis=2)
        return self.kl_loss(F.log_softmax(-distances, axis=1), labels)
