"""CheckpointHandler and EarlyStoppingHandler (exported by event_handler.py, MXNet's
module path for them): the handlers that watch a metric and write or stop."""
import os
import warnings

import numpy as np

from ....metric import CompositeEvalMetric, EvalMetric
from .event_handler import TrainBegin, TrainEnd, BatchEnd, EpochEnd


def _monitor_op(handler_name, mode, monitor):
    """np.less or np.greater for `mode` ('auto', 'min' or 'max'), with MXNet's warnings."""
    if mode not in ['auto', 'min', 'max']:
        warnings.warn('%s mode %s is unknown, '
                      'fallback to auto mode. CheckpointHandler will use'
                      'max mode for f1 and accuracy metric comparison and '
                      'use min mode other wise' % (handler_name, mode), RuntimeWarning)
        mode = 'auto'
    if mode == 'min':
        return np.less
    if mode == 'max':
        return np.greater
    # MXNet tests `'acc' or 'f1' in name`, which is always true: 'auto' always means
    # greater, with this warning, whatever the metric. Kept (a loss monitor needs mode='min').
    warnings.warn("`greater` operator will be used to determine if {} has improved. "
                  "Please specify `mode='min'` to use the `less` operator. "
                  "Specify `mode='max' to disable this warning.`".format(monitor.get()[0]))
    return np.greater


class CheckpointHandler(TrainBegin, BatchEnd, EpochEnd):
    """Save parameters (`.params`) and trainer states (`.states`) every `epoch_period`
    epochs or `batch_period` batches as `<model_prefix>-epoch<E>batch<B>`, the best ones
    as `<model_prefix>-best`, and a hybridized net's graph as `<model_prefix>-symbol.json`
    after the first batch.

    Parameters
    ----------
    model_dir : str
        Directory of the files (created if missing).
    model_prefix : str, default 'model'
    monitor : EvalMetric, default None
        The metric that decides the best model.
    verbose : int, default 0
        1: log every save.
    save_best : bool, default False
        Also keep the best model by `monitor` (which must then be given).
    mode : {'auto', 'min', 'max'}, default 'auto'
        How `monitor` improves ('auto' means 'max', as in MXNet 1.9.1).
    epoch_period : int, default 1
    batch_period : int, default None
    max_checkpoints : int, default 5
        How many epoch/batch checkpoints to keep (the best one is not counted).
    resume_from_checkpoint : bool, default False
        Load the latest checkpoint in `model_dir` at train begin and train only the
        remaining epochs or batches.
    """

    def __init__(self, model_dir, model_prefix='model', monitor=None, verbose=0,
                 save_best=False, mode='auto', epoch_period=1, batch_period=None,
                 max_checkpoints=5, resume_from_checkpoint=False):
        self.monitor = monitor
        self.verbose = verbose
        os.makedirs(model_dir, exist_ok=True)
        self.model_dir = model_dir
        self.model_prefix = model_prefix
        self.save_best = save_best
        if save_best and not isinstance(monitor, EvalMetric):
            raise ValueError("To save best model only, please provide one of the metric objects "
                             "from estimator.train_metrics and estimator.val_metrics as monitor.")
        self.epoch_period = epoch_period
        self.batch_period = batch_period
        self.current_batch = 0
        self.current_epoch = 0
        self.max_checkpoints = max_checkpoints
        self.resume_from_checkpoint = resume_from_checkpoint
        self.saved_checkpoints = []
        if save_best:
            self.monitor_op = _monitor_op('ModelCheckpoint', mode, monitor)
            self.best = np.inf if self.monitor_op is np.less else -np.inf

    def train_begin(self, estimator, *args, **kwargs):
        self.current_epoch = 0
        self.current_batch = 0
        if self.save_best:
            self.best = np.inf if self.monitor_op is np.less else -np.inf
        if self.resume_from_checkpoint:
            by_batch = bool(self.batch_period) and not self.epoch_period
            by_epoch = bool(self.epoch_period) and not self.batch_period
            if (estimator.max_batch and not by_batch) or (estimator.max_epoch and not by_epoch):
                raise AssertionError(
                    "To use resume from checkpoint, you must only specify "
                    "the same type of period you used for training."
                    "For example, if you are training based on number of epochs,"
                    "you must save only based on epochs, and set batch_period to None.")
            self._resume_from_checkpoint(estimator)

    def batch_end(self, estimator, *args, **kwargs):
        if self.current_batch == 0:
            self._save_symbol(estimator)
        if self.batch_period and (self.current_batch + 1) % self.batch_period == 0:
            self._save_checkpoint(estimator)
        self.current_batch += 1

    def epoch_end(self, estimator, *args, **kwargs):
        if self.epoch_period and (self.current_epoch + 1) % self.epoch_period == 0:
            self._save_checkpoint(estimator)
        self.current_epoch += 1

    def _save_checkpoint(self, estimator):
        epoch, batch = self.current_epoch, self.current_batch
        if self.resume_from_checkpoint:
            # numbered on from the checkpoint resumed (at epoch end the batch counter has
            # already moved on, at batch end not yet)
            epoch += self.trained_epoch + 1
            batch += self.trained_batch + (0 if estimator.max_epoch else 1)
        prefix = "%s-epoch%dbatch%d" % (self.model_prefix, epoch, batch)
        self._save_params_and_trainer(estimator, prefix)
        if self.verbose > 0:
            estimator.logger.info('[Epoch %d] CheckpointHandler: trained total %d batches, '
                                  'saving model at %s with prefix: %s',
                                  self.current_epoch, self.current_batch + 1, self.model_dir, prefix)
        if self.save_best:
            self._save_best(estimator)

    def _save_best(self, estimator):
        monitor_name, monitor_value = self.monitor.get()
        if np.isnan(monitor_value):
            # MXNet passes the format arguments to RuntimeWarning: the message is the tuple
            warnings.warn(RuntimeWarning(
                'Skipping save best because %s is not updated, make sure you pass one of the '
                'metric objects estimator.train_metrics and estimator.val_metrics as monitor',
                monitor_name))
        elif self.monitor_op(monitor_value, self.best):
            prefix = self.model_prefix + '-best'
            self._save_params_and_trainer(estimator, prefix)
            self.best = monitor_value
            if self.verbose > 0:
                # MXNet logs this after updating best: both numbers are the new value
                estimator.logger.info('[Epoch %d] CheckpointHandler: '
                                      '%s improved from %0.5f to %0.5f, '
                                      'updating best model at %s with prefix: %s',
                                      self.current_epoch, monitor_name,
                                      self.best, monitor_value, self.model_dir, prefix)
        elif self.verbose > 0:
            # MXNet prints the batch counter where the epoch goes
            estimator.logger.info('[Epoch %d] CheckpointHandler: '
                                  '%s did not improve from %0.5f, '
                                  'skipping updating best model',
                                  self.current_batch, monitor_name, self.best)

    def _save_symbol(self, estimator):
        symbol_file = os.path.join(self.model_dir, self.model_prefix + '-symbol.json')
        net = estimator.net
        # MXNet saves the graph a hybridized block has cached by its first call
        n_inputs = getattr(net, '_in_count', 0) if getattr(net, '_active', False) else 0
        if n_inputs:
            from .... import symbol
            names = ['data'] if n_inputs == 1 else ['data%d' % i for i in range(n_inputs)]
            out = net(*[symbol.var(name) for name in names])
            if isinstance(out, (list, tuple)):
                out = symbol.Group(list(out))
            out.save(symbol_file)
        else:
            estimator.logger.info(
                "Model architecture(symbol file) is not saved, please use HybridBlock "
                "to construct your model, and call net.hybridize() before passing to "
                "Estimator in order to save model architecture as %s.", symbol_file)

    def _save_params_and_trainer(self, estimator, file_prefix):
        estimator.net.save_parameters(os.path.join(self.model_dir, file_prefix + '.params'))
        estimator.trainer.save_states(os.path.join(self.model_dir, file_prefix + '.states'))
        if 'best' not in file_prefix:      # only numbered checkpoints count
            self.saved_checkpoints.append(file_prefix)
        if len(self.saved_checkpoints) > self.max_checkpoints:
            prefix = self.saved_checkpoints.pop(0)
            for fname in os.listdir(self.model_dir):
                if fname.startswith(prefix):
                    os.remove(os.path.join(self.model_dir, fname))

    def _resume_from_checkpoint(self, estimator):
        prefix = self.model_prefix + '-epoch'
        self.trained_epoch = self._find_max_iteration(prefix, 'epoch', 'batch',
                                                      self.saved_checkpoints)
        prefix += str(self.trained_epoch)
        self.trained_batch = self._find_max_iteration(prefix, 'batch', '.params')
        if self.trained_epoch == -1:
            msg = "CheckpointHandler: No checkpoint found, training from scratch for "
            if estimator.max_batch:
                msg += "%d batches" % estimator.max_batch
            else:
                msg += "%d epochs" % estimator.max_epoch
            estimator.logger.info(msg)
            return
        msg = "CheckpointHandler: Checkpoint resumed from epoch %d batch %d, " \
              "continue to train for " % (self.trained_epoch, self.trained_batch)
        if estimator.max_epoch:
            if self.trained_epoch >= estimator.max_epoch - 1:
                raise ValueError("Found checkpoint with maximum number of epoch %d reached, "
                                 "please specify resume_from_checkpoint=False (default value) "
                                 "if you wan to train from scratch." % estimator.max_epoch)
            estimator.max_epoch = estimator.max_epoch - self.trained_epoch - 1
            msg += "%d epochs " % estimator.max_epoch
        if estimator.max_batch:
            if self.trained_batch >= estimator.max_batch - 1:
                # MXNet's message names the batches trained, not the maximum
                raise ValueError("Found checkpoint with maximum number of batch %d reached, "
                                 "please specifyresume_from_checkpoint=False (default value) "
                                 "if you wan to train from scratch." % self.trained_batch)
            estimator.max_batch = estimator.max_batch - self.trained_batch - 1
            msg += "%d batches " % estimator.max_batch
        name = "%s-epoch%dbatch%d" % (self.model_prefix, self.trained_epoch, self.trained_batch)
        param_file = os.path.join(self.model_dir, name + '.params')
        trainer_file = os.path.join(self.model_dir, name + '.states')
        for path in (param_file, trainer_file):
            if not os.path.exists(path):
                raise AssertionError("Failed to load checkpoint, %s does not exist" % path)
        estimator.net.load_parameters(param_file, ctx=estimator.context)
        estimator.trainer.load_states(trainer_file)
        estimator.logger.warning(msg)

    def _find_max_iteration(self, prefix, start, end, saved_checkpoints=None):
        """The largest number between `start` and `end` in the `.params` files of
        model_dir named `prefix...`, or -1 (also collects their names)."""
        max_iter = -1
        for fname in os.listdir(self.model_dir):
            if fname.startswith(prefix) and '.params' in fname:
                if saved_checkpoints:
                    # as MXNet: only once the list is non-empty (so never from empty)
                    saved_checkpoints.append(fname[:fname.find('.params')])
                try:
                    n = int(fname[fname.find(start) + len(start): fname.find(end)])
                except ValueError:
                    raise ValueError(
                        "Error parsing checkpoint file, please check your checkpoints have "
                        "the format: {model_name}-epoch{epoch_number}batch{batch_number}"
                        ".params, there should also be a .states file for each .params "
                        "file ") from None
                max_iter = max(max_iter, n)
        return max_iter


class EarlyStoppingHandler(TrainBegin, EpochEnd, TrainEnd):
    """Stop training when `monitor` has not improved for `patience` epochs.

    Parameters
    ----------
    monitor : EvalMetric
        One of estimator.train_metrics / val_metrics (not a composite).
    min_delta : float, default 0
        The least change that counts as an improvement.
    patience : int, default 0
        Epochs without improvement before stopping.
    mode : {'auto', 'min', 'max'}, default 'auto'
        How `monitor` improves ('auto' means 'max', as in MXNet 1.9.1).
    baseline : float, default None
        The value to improve on at first.
    """

    def __init__(self, monitor, min_delta=0, patience=0, mode='auto', baseline=None):
        if not isinstance(monitor, EvalMetric):
            raise ValueError(
                "Please provide one of the metric objects from estimator.train_metrics and "
                "estimator.val_metrics as monitor.")
        if isinstance(monitor, CompositeEvalMetric):
            raise ValueError("CompositeEvalMetric is not supported for EarlyStoppingHandler, "
                             "please specify a simple metric instead.")
        self.monitor = monitor
        self.baseline = baseline
        self.patience = patience
        self.wait = 0
        self.stopped_epoch = 0
        self.current_epoch = 0
        self.stop_training = False
        self.monitor_op = _monitor_op('EarlyStopping', mode, monitor)
        self.min_delta = min_delta if self.monitor_op is np.greater else -min_delta

    def train_begin(self, estimator, *args, **kwargs):
        self.wait = 0
        self.stopped_epoch = 0
        self.current_epoch = 0
        self.stop_training = False
        if self.baseline is not None:
            self.best = self.baseline
        else:
            self.best = np.inf if self.monitor_op is np.less else -np.inf

    def epoch_end(self, estimator, *args, **kwargs):
        monitor_name, monitor_value = self.monitor.get()
        if np.isnan(monitor_value):
            warnings.warn(RuntimeWarning(
                '%s is not updated, make sure you pass one of the metric objects from'
                'estimator.train_metrics and estimator.val_metrics as monitor.', monitor_name))
        elif self.monitor_op(monitor_value - self.min_delta, self.best):
            self.best = monitor_value
            self.wait = 0
        else:
            self.wait += 1
            if self.wait >= self.patience:
                self.stopped_epoch = self.current_epoch
                self.stop_training = True
        self.current_epoch += 1
        return self.stop_training

    def train_end(self, estimator, *args, **kwargs):
        if self.stopped_epoch > 0:
            estimator.logger.info('[Epoch %d] EarlyStoppingHanlder: '   # MXNet's spelling
                                  'early stopping due to %s not improving',
                                  self.stopped_epoch, self.monitor.get()[0])
