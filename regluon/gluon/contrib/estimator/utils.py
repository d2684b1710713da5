"""Metric checks the Estimator and its handlers share."""
from ...loss import SoftmaxCrossEntropyLoss
from ....metric import Accuracy, EvalMetric, CompositeEvalMetric


def _check_metrics(metrics):
    """A metric, a list of metrics or None as a flat list (composites unpacked)."""
    if isinstance(metrics, CompositeEvalMetric):
        return [m for metric in metrics.metrics for m in _check_metrics(metric)]
    if isinstance(metrics, EvalMetric):
        return [metrics]
    metrics = metrics or []
    if not all(isinstance(m, EvalMetric) for m in metrics):
        raise ValueError("metrics must be a Metric or a list of Metric, "
                         "refer to mxnet.metric.EvalMetric: {}".format(metrics))
    return metrics


def _check_handler_metric_ref(handler, known_metrics):
    """Raise if an attribute of `handler` holds a metric the estimator does not own."""
    # MXNet tests `any(k in attribute for k in ['metric' or 'monitor'])`, which reads only
    # 'metric': attributes named like 'monitor' are not checked. Kept so that the same
    # handler lists are accepted.
    for attribute in dir(handler):
        if 'metric' not in attribute:
            continue
        reference = getattr(handler, attribute)
        if not reference:
            continue
        for metric in reference if isinstance(reference, list) else [reference]:
            if metric not in known_metrics:
                raise ValueError(
                    'Event handler {} refers to a metric instance {} outside of '
                    'the known training and validation metrics. Please use the metrics from '
                    'estimator.train_metrics and estimator.val_metrics '
                    'instead.'.format(type(handler).__name__, metric))


def _suggest_metric_for_loss(loss):
    """Accuracy for a softmax cross-entropy loss, else None."""
    return Accuracy() if isinstance(loss, SoftmaxCrossEntropyLoss) else None
