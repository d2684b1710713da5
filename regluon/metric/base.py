"""The metric registry, `create`, the EvalMetric base and the generic metrics
(Composite, Loss, Custom)."""
import json
from collections import OrderedDict

import numpy

from ..ndarray import NDArray

_REGISTRY = {}

def register(klass):
    """Register a metric class under its lower-cased name (for `create`)."""
    _REGISTRY[klass.__name__.lower()] = klass
    return klass


def alias(*aliases):
    """Register a metric class under further names."""
    def deco(klass):
        for a in aliases:
            _REGISTRY[a.lower()] = klass
        return klass
    return deco


def _create(*args, **kwargs):
    # MXNet's registry: the metric is the first argument or the keyword 'metric' (as in a
    # get_config() dict, whose 'name' key is the constructor's own argument)
    name, args = (args[0], args[1:]) if args else (kwargs.pop('metric'), ())
    if isinstance(name, EvalMetric):
        if args or kwargs:
            raise AssertionError("metric is already an instance. Additional arguments "
                                 "are invalid")
        return name
    if isinstance(name, dict):
        return _create(**name)
    if not isinstance(name, str):
        raise AssertionError("metric must be of string type")
    if name.startswith('['):
        name, kwargs = json.loads(name)
        return _create(name, **kwargs)
    if name.startswith('{'):
        return _create(**json.loads(name))
    if name.lower() not in _REGISTRY:
        raise AssertionError(f"{name.lower()} is not registered. Please register with "
                             "metric.register first")
    return _REGISTRY[name.lower()](*args, **kwargs)


def create(metric, *args, **kwargs):
    """Create a metric from a name, a config, an instance, a callable or a list of those.

    Parameters
    ----------
    metric : str, EvalMetric, callable or list
        A registered name ('acc', 'f1', 'mse', ...), a function (label, pred) -> value
        (a CustomMetric), or a list of any of these (a CompositeEvalMetric).
    """
    if callable(metric) and not isinstance(metric, EvalMetric):
        return CustomMetric(metric, *args, **kwargs)
    if isinstance(metric, list):
        composite = CompositeEvalMetric()
        for child in metric:
            composite.add(create(child, *args, **kwargs))
        return composite
    if 'metric' in kwargs and not args and metric is None:
        metric = kwargs.pop('metric')
    return _create(metric, *args, **kwargs)


def check_label_shapes(labels, preds, wrap=False, shape=False):
    """Raise ValueError unless labels and preds have equal lengths (or shapes)."""
    if not shape:
        label_shape, pred_shape = len(labels), len(preds)
    else:
        label_shape, pred_shape = labels.shape, preds.shape
    if label_shape != pred_shape:
        raise ValueError(f"Shape of labels {label_shape} does not match shape of "
                         f"predictions {pred_shape}")
    if wrap:
        if isinstance(labels, NDArray):
            labels = [labels]
        if isinstance(preds, NDArray):
            preds = [preds]
    return labels, preds


def _np(x):
    return x.asnumpy() if isinstance(x, NDArray) else numpy.asarray(x)


def _mean(total, count):
    """sum / count as MXNet 1.x reports it: a numpy float64 (numpy 1's promotion of a float32
    sum divided by an int, which numpy 2 keeps float32); integer sums divide to float64."""
    value = total / count
    return numpy.float64(value) if isinstance(value, (float, numpy.floating)) else value


class EvalMetric:
    """Base class of evaluation metrics: `update` accumulates, `get` reports.

    Parameters
    ----------
    name : str
        Name of the metric.
    output_names : list of str, optional
        Prediction names used by `update_dict`.
    label_names : list of str, optional
        Label names used by `update_dict`.
    """

    def __init__(self, name, output_names=None, label_names=None, **kwargs):
        self.name = str(name)
        self.output_names = output_names
        self.label_names = label_names
        self._has_global_stats = kwargs.pop('has_global_stats', False)
        self._kwargs = kwargs
        self.reset()

    def __str__(self):
        return f"EvalMetric: {dict(self.get_name_value())}"

    def get_config(self):
        """The metric's configuration as a dict (for `create`)."""
        config = self._kwargs.copy()
        config.update({'metric': type(self).__name__, 'name': self.name,
                       'output_names': self.output_names, 'label_names': self.label_names})
        return config

    def update_dict(self, label, pred):
        """Update from dicts of name -> array, selecting output_names/label_names."""
        pred = ([pred[n] for n in self.output_names] if self.output_names is not None
                else list(pred.values()))
        label = ([label[n] for n in self.label_names] if self.label_names is not None
                 else list(label.values()))
        self.update(label, pred)

    def update(self, labels, preds):
        """Accumulate statistics for a batch of labels and predictions."""
        raise NotImplementedError()

    def reset(self):
        """Clear local and global statistics."""
        self.num_inst = 0
        self.sum_metric = 0.0
        self.global_num_inst = 0
        self.global_sum_metric = 0.0

    def reset_local(self):
        """Clear local statistics only."""
        self.num_inst = 0
        self.sum_metric = 0.0

    def _add(self, value, count):
        self.sum_metric += value
        self.global_sum_metric += value
        self.num_inst += count
        self.global_num_inst += count

    def get(self):
        """(name, value) of the local statistics; value is nan before any update."""
        if self.num_inst == 0:
            return (self.name, float('nan'))
        return (self.name, _mean(self.sum_metric, self.num_inst))

    def get_global(self):
        """(name, value) of the global statistics."""
        if not self._has_global_stats:
            return self.get()
        if self.global_num_inst == 0:
            return (self.name, float('nan'))
        return (self.name, _mean(self.global_sum_metric, self.global_num_inst))

    def get_name_value(self):
        """[(name, value), ...] of the local statistics."""
        return _pairs(*self.get())

    def get_global_name_value(self):
        """[(name, value), ...] of the global statistics."""
        return _pairs(*self.get_global()) if self._has_global_stats else self.get_name_value()


def _pairs(name, value):
    return list(zip(name if isinstance(name, list) else [name],
                    value if isinstance(value, list) else [value]))


@register
@alias('composite')
class CompositeEvalMetric(EvalMetric):
    """Several metrics updated together; `get` returns lists of names and values.

    Parameters
    ----------
    metrics : list of EvalMetric or names, optional
    name : str, default 'composite'
    """

    def __init__(self, metrics=None, name='composite', output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self.metrics = [create(i) for i in (metrics or [])]

    def add(self, metric):
        """Add a child metric (instance or name)."""
        self.metrics.append(create(metric))

    def get_metric(self, index):
        """The child metric at `index`."""
        try:
            return self.metrics[index]
        except IndexError:
            # MXNet returns (does not raise) this error; kept for compatibility
            return ValueError(f"Metric index {index} is out of range 0 and "
                              f"{len(self.metrics)}")

    def update_dict(self, labels, preds):
        if self.label_names is not None:
            labels = OrderedDict([i for i in labels.items() if i[0] in self.label_names])
        if self.output_names is not None:
            preds = OrderedDict([i for i in preds.items() if i[0] in self.output_names])
        for metric in self.metrics:
            metric.update_dict(labels, preds)

    def update(self, labels, preds):
        for metric in self.metrics:
            metric.update(labels, preds)

    def reset(self):
        for metric in getattr(self, 'metrics', ()):
            metric.reset()

    def reset_local(self):
        for metric in self.metrics:
            metric.reset_local()

    def _collect(self, getter):
        names, values = [], []
        for metric in self.metrics:
            name, value = getter(metric)
            names.extend([name] if isinstance(name, str) else name)
            values.extend(value if isinstance(value, list) else [value])
        return (names, values)

    def get(self):
        return self._collect(lambda m: m.get())

    def get_global(self):
        return self._collect(lambda m: m.get_global())

    def get_config(self):
        config = super().get_config()
        config.update({'metrics': [i.get_config() for i in self.metrics]})
        return config


@register
class Loss(EvalMetric):
    """Mean of loss values: the sum of the predictions over their number of elements."""

    def __init__(self, name='loss', output_names=None, label_names=None):
        super().__init__(name, output_names=output_names, label_names=label_names,
                         has_global_stats=True)

    def update(self, _, preds):
        for pred in [preds] if isinstance(preds, NDArray) else preds:
            pred = _np(pred)
            self._add(float(pred.sum()), pred.size)


@register
class Torch(Loss):
    """Dummy metric for torch criterions (a Loss named 'torch')."""

    def __init__(self, name='torch', output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)


@register
class Caffe(Loss):
    """Dummy metric for caffe criterions (a Loss named 'caffe')."""

    def __init__(self, name='caffe', output_names=None, label_names=None):
        super().__init__(name, output_names, label_names)


@register
class CustomMetric(EvalMetric):
    """A metric from a function feval(label, pred) on numpy arrays.

    feval returns a value (counted as one instance) or a (sum, count) tuple.

    Parameters
    ----------
    feval : callable
    name : str, optional
        Defaults to the function's name ('custom(<lambda>)' for lambdas).
    allow_extra_outputs : bool, default False
        Allow more predictions than labels.
    """

    def __init__(self, feval, name=None, allow_extra_outputs=False, output_names=None,
                 label_names=None):
        if name is None:
            name = feval.__name__
            if '<' in name:
                name = f'custom({name})'
        super().__init__(name, feval=feval, allow_extra_outputs=allow_extra_outputs,
                         output_names=output_names, label_names=label_names,
                         has_global_stats=True)
        self._feval = feval
        self._allow_extra_outputs = allow_extra_outputs

    def update(self, labels, preds):
        if not self._allow_extra_outputs:
            labels, preds = check_label_shapes(labels, preds, True)
        for pred, label in zip(preds, labels):
            reval = self._feval(_np(label), _np(pred))
            if isinstance(reval, tuple):
                self._add(*reval)
            else:
                self._add(reval, 1)

    def get_config(self):
        raise NotImplementedError("CustomMetric cannot be serialized")


def np(numpy_feval, name=None, allow_extra_outputs=False):
    """A CustomMetric from a numpy function feval(label, pred).

    Parameters
    ----------
    numpy_feval : callable
    name : str, optional
    allow_extra_outputs : bool, default False
    """
    def feval(label, pred):
        return numpy_feval(label, pred)
    feval.__name__ = numpy_feval.__name__
    return CustomMetric(feval, name, allow_extra_outputs)
