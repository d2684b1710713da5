"""Estimator: MXNet's high-level training loop over a Gluon net, loss, metrics, Trainer
and DataLoaders, driven by event handlers (event_handler.py)."""
import copy
import logging
import sys
import warnings

from .event_handler import (MetricHandler, ValidationHandler, LoggingHandler, StoppingHandler,
                            GradientUpdateHandler, TrainBegin, EpochBegin, BatchBegin, BatchEnd,
                            EpochEnd, TrainEnd, _check_event_handlers)
from .utils import _check_metrics, _suggest_metric_for_loss, _check_handler_metric_ref
from .batch_processor import BatchProcessor
from ...data import DataLoader
from ...loss import Loss as gluon_loss
from ...trainer import Trainer
from ....context import Context, cpu, gpu, num_gpus
from ....metric import Loss as metric_loss

__all__ = ['Estimator']

_EVENTS = (TrainBegin, EpochBegin, BatchBegin, BatchEnd, EpochEnd, TrainEnd)


class Estimator:
    """Train and evaluate a Gluon network with a few calls.

    Parameters
    ----------
    net : gluon.Block
        The model to train.
    loss : gluon.loss.Loss
        The training loss.
    train_metrics : EvalMetric or list of EvalMetric
        Metrics on the training data (default: accuracy for a softmax cross-entropy loss,
        and the mean loss). Their names get the prefix 'training '.
    val_metrics : EvalMetric or list of EvalMetric
        Metrics on the validation data (default: copies of the training metrics). Their
        names get the prefix 'validation '.
    initializer : Initializer
        Initializes the net's uninitialized Parameters (default: the net's own default).
    trainer : Trainer
        Default: SGD with learning rate 0.001, with a warning.
    context : Context or list of Context
        Default: gpu(0) if there is a GPU, else cpu().
    val_net : gluon.Block
        The model for validation (default: `net`).
    val_loss : gluon.loss.Loss
        The loss for validation (default: `loss`).
    batch_processor : BatchProcessor
        Provides fit_batch() and evaluate_batch().
    """

    logger = None
    """The logging.Logger of this estimator and its handlers (INFO and up to stdout)."""

    def __init__(self, net, loss, train_metrics=None, val_metrics=None, initializer=None,
                 trainer=None, context=None, val_net=None, val_loss=None,
                 batch_processor=None):
        self.net = net
        self.loss = self._check_loss(loss)
        self._train_metrics = _check_metrics(train_metrics)
        self._val_metrics = _check_metrics(val_metrics)
        self._add_default_training_metrics()
        self._add_validation_metrics()
        self.val_loss = self.loss if val_loss is None else self._check_loss(val_loss)
        self.val_net = self.net if val_net is None else val_net
        self.logger = logging.Logger(name='Estimator', level=logging.INFO)
        self.logger.addHandler(logging.StreamHandler(sys.stdout))
        self.context = self._check_context(context)
        self._initialize(initializer)
        self.trainer = self._check_trainer(trainer)
        self.batch_processor = self._check_batch_processor(batch_processor)

    def _check_loss(self, loss):
        if not isinstance(loss, gluon_loss):
            raise ValueError("loss must be a Loss, refer to gluon.loss.Loss:{}".format(loss))
        return loss

    def _check_context(self, context):
        available_gpus = [gpu(i) for i in range(num_gpus())]
        if not context:
            if len(available_gpus) > 1:
                warnings.warn("You have multiple GPUs, gpu(0) will be used by default."
                              "To utilize all your GPUs, specify context as a list of gpus, "
                              "e.g. context=[mx.gpu(0), mx.gpu(1)] ")
            return [gpu(0)] if available_gpus else [cpu()]
        if isinstance(context, Context):
            context = [context]
        elif not (isinstance(context, list) and all(isinstance(c, Context) for c in context)):
            raise ValueError("context must be a Context or a list of Context, "
                             "for example mx.cpu() or [mx.gpu(0), mx.gpu(1)], "
                             "refer to mxnet.Context:{}".format(context))
        for ctx in context:
            if ctx not in available_gpus and not str(ctx).startswith('cpu'):
                # MXNet asserts here: AssertionError, kept for users' except clauses
                raise AssertionError(
                    "%s is not available, please make sure your context is in one of: "
                    "mx.cpu(), %s" % (ctx, ", ".join(str(c) for c in available_gpus)))
        return context

    def _check_batch_processor(self, batch_processor):
        if batch_processor is None:
            return BatchProcessor()
        if not (callable(getattr(batch_processor, 'fit_batch', None))
                and callable(getattr(batch_processor, 'evaluate_batch', None))):
            raise ValueError('Customized Batch Processor must contain fit_batch()'
                             ' and evaluate_batch() methods')
        return batch_processor

    def _initialize(self, initializer):
        if not self._is_initialized():
            # initializes only what is not yet initialized
            if initializer:
                self.net.initialize(init=initializer, ctx=self.context)
            else:
                self.net.initialize(ctx=self.context)
        elif initializer:
            warnings.warn("Network already fully initialized, skipping initialization. "
                          "You don't need to pass initializer if you already "
                          "initialized your net. "
                          "You can use net.initialize(init=your_initializer, force_reinit=True)"
                          "to force re-initialize.")

    def _check_trainer(self, trainer):
        if not trainer:
            warnings.warn("No trainer specified, default SGD optimizer "
                          "with learning rate 0.001 is used.")
            return Trainer(self.net.collect_params(), 'sgd', {'learning_rate': 0.001})
        if not isinstance(trainer, Trainer):
            raise ValueError("Trainer must be a Gluon Trainer instance, refer to "
                             "gluon.Trainer:{}".format(trainer))
        return trainer

    def _is_initialized(self):
        params = self.net.collect_params()
        for name in params:
            try:
                params[name].list_ctx()
            except RuntimeError:
                return False
        return True

    def _add_default_training_metrics(self):
        if not self._train_metrics:
            suggested = _suggest_metric_for_loss(self.loss)
            if suggested:
                self._train_metrics = [suggested]
            self._train_metrics.append(metric_loss(self.loss.name.rstrip('1234567890')))
        for metric in self._train_metrics:
            # the prefix tells handlers training metrics from validation ones
            metric.name = 'training ' + metric.name

    def _add_validation_metrics(self):
        if not self._val_metrics:
            self._val_metrics = [copy.deepcopy(m) for m in self._train_metrics]
        for metric in self._val_metrics:
            if 'training' in metric.name:
                metric.name = metric.name.replace('training', 'validation')
            else:
                metric.name = 'validation ' + metric.name

    @property
    def train_metrics(self):
        return self._train_metrics

    @property
    def val_metrics(self):
        return self._val_metrics

    def evaluate(self, val_data, batch_axis=0, event_handlers=None):
        """Evaluate the model on `val_data` (resets and updates `val_metrics`).

        Parameters
        ----------
        val_data : DataLoader
            Validation data and labels.
        batch_axis : int, default 0
            Axis along which batches are split over the contexts.
        event_handlers : EventHandler or list of EventHandler
            Besides these, a MetricHandler and a LoggingHandler on `val_metrics` are added
            unless given.
        """
        if not isinstance(val_data, DataLoader):
            raise ValueError("Estimator only support input as Gluon DataLoader. Alternatively, you "
                             "can transform your DataIter or any NDArray into Gluon DataLoader. "
                             "Refer to gluon.data.DataLoader")
        for metric in self.val_metrics:
            metric.reset()
        handlers = self._categorize_handlers(self._prepare_default_validation_handlers(
            event_handlers))
        _, epoch_begin, batch_begin, batch_end, epoch_end, _ = handlers
        for handler in epoch_begin:
            handler.epoch_begin(self)
        for batch in val_data:
            for handler in batch_begin:
                handler.batch_begin(self, batch=batch)
            _, label, pred, loss = self.batch_processor.evaluate_batch(self, batch, batch_axis)
            for handler in batch_end:
                handler.batch_end(self, batch=batch, pred=pred, label=label, loss=loss)
        for handler in epoch_end:
            handler.epoch_end(self)

    def fit(self, train_data, val_data=None, epochs=None, event_handlers=None, batches=None,
            batch_axis=0):
        """Train the model for `epochs` epochs or `batches` batches (exactly one of them).

        Parameters
        ----------
        train_data : DataLoader
            Training data and labels.
        val_data : DataLoader, default None
            Validation data; evaluated after every epoch by a default ValidationHandler.
        epochs : int, default None
        event_handlers : EventHandler or list of EventHandler
            Besides these, a StoppingHandler, a GradientUpdateHandler, a MetricHandler, a
            LoggingHandler and (with val_data) a ValidationHandler are added unless given.
        batches : int, default None
        batch_axis : int, default 0
            Axis along which batches are split over the contexts.
        """
        if not isinstance(train_data, DataLoader):
            raise ValueError("Estimator only support input as Gluon DataLoader. Alternatively, you "
                             "can transform your DataIter or any NDArray into Gluon DataLoader. "
                             "Refer to gluon.data.dataloader")
        if (not epochs) == (not batches):
            raise ValueError(
                "Fit only support exactly one type of iteration, "
                "train by number of epochs or number of batches."
                "Please specify one and only one of: epochs or batches.")
        self.max_epoch = epochs
        self.max_batch = batches
        self.batch_axis = batch_axis
        handlers = self._categorize_handlers(self._prepare_default_handlers(
            val_data, event_handlers))
        train_begin, epoch_begin, batch_begin, batch_end, epoch_end, train_end = handlers
        for handler in train_begin:
            handler.train_begin(self)
        stop = False
        while not stop:
            for handler in epoch_begin:
                handler.epoch_begin(self)
            for batch in train_data:
                for handler in batch_begin:
                    handler.batch_begin(self, batch=batch)
                _, label, pred, loss = self.batch_processor.fit_batch(self, batch, batch_axis)
                # every handler sees the batch, then any of them may stop the epoch
                if any([handler.batch_end(self, batch=batch, pred=pred, label=label, loss=loss)
                        for handler in batch_end]):
                    break
            stop = any([handler.epoch_end(self) for handler in epoch_end])
        for handler in train_end:
            handler.train_end(self)

    def _with_defaults(self, event_handlers, always, defaults, known_metrics):
        """The user's handlers, then `always` and each of `defaults` whose kind the user
        did not give, sorted by priority (stable: the user's first among equals)."""
        event_handlers = _check_event_handlers(event_handlers)
        added = always + [d for d in defaults
                          if not any(isinstance(h, type(d)) for h in event_handlers)]
        mixing = event_handlers and added
        event_handlers.extend(added)
        if mixing:
            # user handlers next to default ones must use the estimator's own metrics
            for handler in event_handlers:
                _check_handler_metric_ref(handler, known_metrics)
        event_handlers.sort(key=lambda h: getattr(h, 'priority', 0))
        return event_handlers

    def _prepare_default_handlers(self, val_data, event_handlers):
        defaults = [GradientUpdateHandler(), MetricHandler(metrics=self.train_metrics)]
        if val_data:
            defaults.append(ValidationHandler(val_data=val_data, eval_fn=self.evaluate))
        defaults.append(LoggingHandler(metrics=self.train_metrics))
        # a StoppingHandler for epochs/batches is added even next to the user's own
        return self._with_defaults(event_handlers,
                                   [StoppingHandler(self.max_epoch, self.max_batch)],
                                   defaults, set(self.train_metrics + self.val_metrics))

    def _prepare_default_validation_handlers(self, event_handlers):
        defaults = [MetricHandler(metrics=self.val_metrics),
                    LoggingHandler(metrics=self.val_metrics)]
        return self._with_defaults(event_handlers, [], defaults, set(self.val_metrics))

    def _categorize_handlers(self, event_handlers):
        """The handlers of each event, in the order train_begin, epoch_begin, batch_begin,
        batch_end, epoch_end, train_end (only those implementing the event's mixin)."""
        return tuple([h for h in event_handlers if isinstance(h, event)] for event in _EVENTS)
