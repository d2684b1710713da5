"""Classification metrics: Accuracy, TopKAccuracy, F1, MCC, PCC, Perplexity,
CrossEntropy, NegativeLogLikelihood."""
import math

import numpy

from .base import EvalMetric, register, alias, check_label_shapes, _np

@register
@alias('acc')
class Accuracy(EvalMetric):
    """Fraction of predictions equal to the label; class scores are argmax'ed on `axis`.

    Parameters
    ----------
    axis : int, default 1
        The class axis of the predictions.
    name : str, default 'accuracy'
    """

    def __init__(self, axis=1, name='accuracy', output_names=None, label_names=None):
        super().__init__(name, axis=axis, output_names=output_names,
                         label_names=label_names, has_global_stats=True)
        self.axis = axis

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            pred, label = _np(pred), _np(label)
            if pred.shape != label.shape:
                pred = numpy.argmax(pred, axis=self.axis)
            pred = pred.astype('int32').ravel()
            label = label.astype('int32').ravel()
            check_label_shapes(label, pred)
            self._add((pred == label).sum(), len(pred))


@register
@alias('top_k_accuracy', 'top_k_acc')
class TopKAccuracy(EvalMetric):
    """Fraction of samples whose label is among the top_k scored classes.

    Parameters
    ----------
    top_k : int, default 1
        Must be > 1 (use Accuracy otherwise).
    name : str, default 'top_k_accuracy' (suffixed with _<top_k>)
    """

    def __init__(self, top_k=1, name='top_k_accuracy', output_names=None, label_names=None):
        super().__init__(name, top_k=top_k, output_names=output_names,
                         label_names=label_names, has_global_stats=True)
        self.top_k = top_k
        if self.top_k <= 1:
            raise AssertionError('Please use Accuracy if top_k is no more than 1')
        self.name += f'_{self.top_k}'

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            pred = _np(pred).astype('float32')
            if pred.ndim > 2:
                raise AssertionError('Predictions should be no more than 2 dims')
            order = numpy.argpartition(pred, -self.top_k)
            label = _np(label).astype('int32')
            check_label_shapes(label, order)
            if order.ndim == 1:
                # MXNet counts these matches only in the local sum (kept as is)
                self.sum_metric += (order.flat == label.flat).sum()
            else:
                num_classes = order.shape[1]
                for j in range(min(num_classes, self.top_k)):
                    hit = (order[:, num_classes - 1 - j].flat == label.flat).sum()
                    self.sum_metric += hit
                    self.global_sum_metric += hit
            self.num_inst += order.shape[0]
            self.global_num_inst += order.shape[0]


class _BinaryStats:
    """Confusion counts of a binary classifier, local and global."""

    def __init__(self):
        self.reset_stats()

    def update_binary_stats(self, label, pred, owner):
        pred, label = _np(pred), _np(label).astype('int32')
        pred_label = numpy.argmax(pred, axis=1)
        check_label_shapes(label, pred)
        if len(numpy.unique(label)) > 2:
            raise ValueError(f"{owner} currently only supports binary classification.")
        pred_true, label_true = pred_label == 1, label == 1
        counts = dict(tp=(pred_true & label_true).sum(), fp=(pred_true & ~label_true).sum(),
                      fn=(~pred_true & label_true).sum(), tn=(~pred_true & ~label_true).sum())
        for k, v in counts.items():
            self.local[k] += v
            self.glob[k] += v

    def local_reset_stats(self):
        self.local = dict(tp=0, fp=0, fn=0, tn=0)

    def reset_stats(self):
        self.local_reset_stats()
        self.glob = dict(tp=0, fp=0, fn=0, tn=0)

    @staticmethod
    def total(c):
        return c['tp'] + c['fp'] + c['fn'] + c['tn']

    @staticmethod
    def fscore(c):
        precision = c['tp'] / (c['tp'] + c['fp']) if c['tp'] + c['fp'] > 0 else 0.
        recall = c['tp'] / (c['tp'] + c['fn']) if c['tp'] + c['fn'] > 0 else 0.
        if precision + recall > 0:
            return 2 * precision * recall / (precision + recall)
        return 0.

    @staticmethod
    def matthewscc(c):
        if not _BinaryStats.total(c):
            return 0.
        tp, fp, fn, tn = (float(c[k]) for k in ('tp', 'fp', 'fn', 'tn'))
        denom = 1.
        for t in (tp + fp, tp + fn, tn + fp, tn + fn):
            if t != 0.:        # MXNet skips zero factors instead of returning 0
                denom *= t
        return (tp * tn - fp * fn) / math.sqrt(denom)


class _BinaryMetric(EvalMetric):
    """F1 and MCC: a binary score, averaged per update ('macro') or over samples ('micro')."""
    _score = None

    def __init__(self, name, output_names=None, label_names=None, average='macro'):
        self.average = average
        self._stats = _BinaryStats()
        super().__init__(name=name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        s = self._stats
        for label, pred in zip(labels, preds):
            s.update_binary_stats(label, pred, type(self).__name__)
        score = type(self)._score
        if self.average == 'macro':
            self.sum_metric += score(s.local)
            self.global_sum_metric += score(s.glob)
            self.num_inst += 1
            self.global_num_inst += 1
            s.reset_stats()
        else:
            self.sum_metric = score(s.local) * s.total(s.local)
            self.global_sum_metric = score(s.glob) * s.total(s.glob)
            self.num_inst = s.total(s.local)
            self.global_num_inst = s.total(s.glob)

    def reset(self):
        super().reset()
        self._stats.reset_stats()

    def reset_local(self):
        super().reset_local()
        self._stats.local_reset_stats()


@register
class F1(_BinaryMetric):
    """F1 score of a binary classifier (predictions are (N, 2) scores).

    Parameters
    ----------
    name : str, default 'f1'
    average : {'macro', 'micro'}, default 'macro'
        'macro' averages the per-update scores; 'micro' pools all samples.
    """
    _score = staticmethod(_BinaryStats.fscore)

    def __init__(self, name='f1', output_names=None, label_names=None, average='macro'):
        super().__init__(name, output_names, label_names, average)


@register
class MCC(_BinaryMetric):
    """Matthews correlation coefficient of a binary classifier.

    Parameters
    ----------
    name : str, default 'mcc'
    average : {'macro', 'micro'}, default 'macro'
    """
    _score = staticmethod(_BinaryStats.matthewscc)

    def __init__(self, name='mcc', output_names=None, label_names=None, average='macro'):
        super().__init__(name, output_names, label_names, average)


@register
class PCC(EvalMetric):
    """Multiclass Matthews correlation from a growing confusion matrix (name 'pcc')."""

    def __init__(self, name='pcc', output_names=None, label_names=None,
                 has_global_stats=True):
        self.k = 2
        super().__init__(name=name, output_names=output_names, label_names=label_names,
                         has_global_stats=has_global_stats)

    def _grow(self, inc):
        self.lcm = numpy.pad(self.lcm, ((0, inc), (0, inc)), 'constant')
        self.gcm = numpy.pad(self.gcm, ((0, inc), (0, inc)), 'constant')
        self.k += inc

    @staticmethod
    def _calc_mcc(cmat):
        n = cmat.sum()
        x, y = cmat.sum(axis=1), cmat.sum(axis=0)
        cov_xx, cov_yy = numpy.sum(x * (n - x)), numpy.sum(y * (n - y))
        if cov_xx == 0 or cov_yy == 0:
            return float('nan')
        cov_xy = numpy.sum(cmat.diagonal() * n - x * y)
        return cov_xy / (cov_xx * cov_yy) ** 0.5

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            label, pred = _np(label).astype('int32'), _np(pred)
            pred = pred.argmax(axis=1) if pred.shape != label.shape else pred.astype('int32')
            n = max(pred.max(), label.max())
            if n >= self.k:
                self._grow(n + 1 - self.k)
            bcm = numpy.zeros((self.k, self.k))
            numpy.add.at(bcm, (pred, label), 1)
            self.lcm += bcm
            self.gcm += bcm
        self.num_inst += 1
        self.global_num_inst += 1

    @property
    def sum_metric(self):
        return self._calc_mcc(self.lcm) * self.num_inst

    @sum_metric.setter
    def sum_metric(self, value):
        pass                                  # derived from the confusion matrix

    @property
    def global_sum_metric(self):
        return self._calc_mcc(self.gcm) * self.global_num_inst

    @global_sum_metric.setter
    def global_sum_metric(self, value):
        pass

    def reset(self):
        self.global_num_inst = 0.
        self.gcm = numpy.zeros((self.k, self.k))
        self.reset_local()

    def reset_local(self):
        self.num_inst = 0.
        self.lcm = numpy.zeros((self.k, self.k))


@register
class Perplexity(EvalMetric):
    """exp of the mean negative log-probability of the labels.

    Parameters
    ----------
    ignore_label : int or None
        Label value whose positions are not counted.
    axis : int, default -1
        The class axis of the predictions.
    name : str, default 'perplexity'
    """

    def __init__(self, ignore_label, axis=-1, name='perplexity', output_names=None,
                 label_names=None):
        super().__init__(name, ignore_label=ignore_label, output_names=output_names,
                         label_names=label_names, has_global_stats=True)
        self.ignore_label, self.axis = ignore_label, axis

    def update(self, labels, preds):
        if len(labels) != len(preds):
            raise AssertionError(f"Perplexity: {len(labels)} labels for {len(preds)} "
                                 "predictions")
        loss, num = 0., 0
        for label, pred in zip(labels, preds):
            pred, label = _np(pred), _np(label)
            if label.size != pred.size / pred.shape[-1]:
                raise AssertionError(f"shape mismatch: {label.shape} vs. {pred.shape}")
            label = label.reshape(-1).astype('int32')
            pred = numpy.moveaxis(pred, self.axis, -1).reshape(label.size, -1)
            # MXNet's pick clips out-of-range labels (e.g. an ignore_label of -1)
            prob = pred[numpy.arange(label.size), numpy.clip(label, 0, pred.shape[1] - 1)]
            if self.ignore_label is not None:
                ignore = (label == self.ignore_label).astype(prob.dtype)
                num -= ignore.sum()
                prob = prob * (1 - ignore) + ignore
            loss -= numpy.log(numpy.maximum(1e-10, prob)).sum()
            num += prob.size
        self._add(float(loss), int(num))

    def get(self):
        if self.num_inst == 0:
            return (self.name, float('nan'))
        return (self.name, math.exp(self.sum_metric / self.num_inst))

    def get_global(self):
        if self.global_num_inst == 0:
            return (self.name, float('nan'))
        return (self.name, math.exp(self.global_sum_metric / self.global_num_inst))


class _LogLoss(EvalMetric):
    """-log(prob of the label + eps), averaged over samples."""

    def __init__(self, eps, name, output_names=None, label_names=None):
        super().__init__(name, eps=eps, output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self.eps = eps

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            label, pred = _np(label).ravel(), _np(pred)
            n = pred.shape[0]
            if label.shape[0] != n:
                raise AssertionError(f"{type(self).__name__}: {label.shape[0]} labels for "
                                     f"{n} predictions")
            prob = pred[numpy.arange(n, dtype=numpy.int64), numpy.int64(label)]
            self._add((-numpy.log(prob + self.eps)).sum(), n)


@register
@alias('ce')
class CrossEntropy(_LogLoss):
    """Cross-entropy of predicted probabilities (N, C) and labels (N,).

    Parameters
    ----------
    eps : float, default 1e-12
    name : str, default 'cross-entropy'
    """

    def __init__(self, eps=1e-12, name='cross-entropy', output_names=None, label_names=None):
        super().__init__(eps, name, output_names, label_names)


@register
@alias('nll_loss')
class NegativeLogLikelihood(_LogLoss):
    """Negative log-likelihood of predicted probabilities (N, C) and labels (N,).

    Parameters
    ----------
    eps : float, default 1e-12
    name : str, default 'nll-loss'
    """

    def __init__(self, eps=1e-12, name='nll-loss', output_names=None, label_names=None):
        super().__init__(eps, name, output_names, label_names)
