"""Regression metrics: MAE, MSE, RMSE, PearsonCorrelation."""
import numpy

from .base import EvalMetric, register, alias, check_label_shapes, _np

class _Regression(EvalMetric):
    """MAE/MSE/RMSE: the per-batch error, averaged over batches (MXNet counts batches)."""

    def __init__(self, name, output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            label, pred = _np(label), _np(pred)
            label = label.reshape(label.shape[0], 1) if label.ndim == 1 else label
            pred = pred.reshape(pred.shape[0], 1) if pred.ndim == 1 else pred
            self._add(self._error(label, pred), 1)


@register
class MAE(_Regression):
    """Mean absolute error (name 'mae')."""

    def __init__(self, name='mae', output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)

    @staticmethod
    def _error(label, pred):
        return numpy.abs(label - pred).mean()


@register
class MSE(_Regression):
    """Mean squared error (name 'mse')."""

    def __init__(self, name='mse', output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)

    @staticmethod
    def _error(label, pred):
        return ((label - pred) ** 2.0).mean()


@register
class RMSE(_Regression):
    """Root mean squared error per batch, averaged over batches (name 'rmse')."""

    def __init__(self, name='rmse', output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)

    @staticmethod
    def _error(label, pred):
        return numpy.sqrt(((label - pred) ** 2.0).mean())


@register
@alias('pearsonr')
class PearsonCorrelation(EvalMetric):
    """Pearson correlation of predictions and labels.

    Parameters
    ----------
    name : str, default 'pearsonr'
    average : {'macro', 'micro'}, default 'macro'
        'macro' averages per-update correlations; 'micro' pools all values.
    """

    def __init__(self, name='pearsonr', output_names=None, label_names=None, average='macro'):
        self.average = average
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    def reset(self):
        super().reset()
        # running counts, means and sums of squares (Welford) and the co-moment
        self._n = self._mean_l = self._mean_p = self._sse_l = self._sse_p = self._cov = 0

    @staticmethod
    def _welford(x, count, mean, m2):
        count += len(x)
        delta = x - mean
        mean += numpy.sum(delta / count)
        return count, mean, m2 + numpy.sum(delta * (x - mean))

    def update(self, labels, preds):
        labels, preds = check_label_shapes(labels, preds, True)
        for label, pred in zip(labels, preds):
            check_label_shapes(label, pred, False, True)
            label = _np(label).ravel().astype(numpy.float64)
            pred = _np(pred).ravel().astype(numpy.float64)
            if self.average == 'macro':
                self._add(numpy.corrcoef(pred, label)[0, 1], 1)
            else:
                self.num_inst += 1
                self.global_num_inst += 1
                # the same order as MXNet: label stats, co-moment, then pred stats
                n, self._mean_l, self._sse_l = self._welford(label, self._n, self._mean_l,
                                                             self._sse_l)
                self._cov += numpy.sum((label - self._mean_l) * (pred - self._mean_p))
                _, self._mean_p, self._sse_p = self._welford(pred, self._n, self._mean_p,
                                                             self._sse_p)
                self._n = n

    def get(self):
        if self.num_inst == 0:
            return (self.name, float('nan'))
        if self.average == 'macro':
            return (self.name, self.sum_metric / self.num_inst)
        n = self._n
        return (self.name, self._cov / ((n - 1) * numpy.sqrt(self._sse_p / (n - 1))
                                        * numpy.sqrt(self._sse_l / (n - 1))))
