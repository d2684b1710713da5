"""BaseModule: MXNet's training loop (`fit`), evaluation (`score`) and inference
(`predict`) over the forward/backward/update interface a Module implements."""
import logging
import time
import warnings

import numpy as np

from .. import metric
from .. import ndarray as nd
from ..context import cpu
from ..initializer import Uniform
from ..io import DataBatch
from ..model import BatchEndParam

__all__ = ['BaseModule']


def _as_list(obj):
    return obj if isinstance(obj, list) else [obj]


def _call(callbacks, *args):
    if callbacks is not None:
        for cb in _as_list(callbacks):
            cb(*args)


class BaseModule:
    """The base class of modules: `fit`, `score`, `predict` written once over
    bind/init_params/init_optimizer/forward/backward/update/get_outputs/update_metric."""

    def __init__(self, logger=logging):
        self.logger = logger
        self.binded = False
        self.for_training = False
        self.inputs_need_grad = False
        self.params_initialized = False
        self.optimizer_initialized = False
        self._symbol = None

    def forward_backward(self, data_batch):
        """A forward pass in training mode, then a backward pass."""
        self.forward(data_batch, is_train=True)
        self.backward()

    def prepare(self, data_batch, sparse_row_id_fn=None):
        """Prepare for a batch (nothing to do without sparse parameters)."""

    @property
    def symbol(self):
        return self._symbol

    def score(self, eval_data, eval_metric, num_batch=None, batch_end_callback=None,
              score_end_callback=None, reset=True, epoch=0, sparse_row_id_fn=None):
        """Run prediction on `eval_data` and evaluate with `eval_metric`; returns its
        [(name, value)]. Padded examples count, as in MXNet."""
        assert self.binded and self.params_initialized
        if reset:
            eval_data.reset()
        if not isinstance(eval_metric, metric.EvalMetric):
            eval_metric = metric.create(eval_metric)
        eval_metric.reset()
        actual_num_batch = 0
        for nbatch, eval_batch in enumerate(eval_data):
            if num_batch is not None and nbatch == num_batch:
                break
            self.forward(eval_batch, is_train=False)
            self.update_metric(eval_metric, eval_batch.label)
            _call(batch_end_callback, BatchEndParam(epoch, nbatch, eval_metric, locals()))
            actual_num_batch += 1
        _call(score_end_callback, BatchEndParam(epoch, actual_num_batch, eval_metric, locals()))
        return eval_metric.get_name_value()

    def iter_predict(self, eval_data, num_batch=None, reset=True, sparse_row_id_fn=None):
        """Yield (outputs without padding, batch index, batch) per batch."""
        assert self.binded and self.params_initialized
        if reset:
            eval_data.reset()
        for nbatch, eval_batch in enumerate(eval_data):
            if num_batch is not None and nbatch == num_batch:
                break
            self.forward(eval_batch, is_train=False)
            pad = eval_batch.pad
            outputs = [out[0:out.shape[0] - pad] for out in self.get_outputs()]
            yield outputs, nbatch, eval_batch

    def predict(self, eval_data, num_batch=None, merge_batches=True, reset=True,
                always_output_list=False, sparse_row_id_fn=None):
        """The outputs for `eval_data` (a DataIter, or one NDArray/numpy batch), padded
        examples removed, batches concatenated when `merge_batches`."""
        assert self.binded and self.params_initialized
        if isinstance(eval_data, (nd.NDArray, np.ndarray)):
            if isinstance(eval_data, np.ndarray):
                eval_data = nd.array(eval_data)
            self.forward(DataBatch([eval_data]))
            return self.get_outputs()[0]
        output_list = [[o.copy() for o in outs]
                       for outs, _, _ in self.iter_predict(eval_data, num_batch, reset)]
        if not output_list or not merge_batches:
            return output_list
        num_outputs = len(output_list[0])
        for out in output_list:
            assert len(out) == num_outputs, ('Cannot merge batches, as num of outputs is not '
                                             'the same in mini-batches. Maybe bucketing is used?')
        merged = [nd.concatenate([out[i] for out in output_list]) for i in range(num_outputs)]
        if num_outputs == 1 and not always_output_list:
            return merged[0]
        return merged

    def fit(self, train_data, eval_data=None, eval_metric='acc', epoch_end_callback=None,
            batch_end_callback=None, kvstore='local', optimizer='sgd',
            optimizer_params=(('learning_rate', 0.01),), eval_end_callback=None,
            eval_batch_end_callback=None, initializer=Uniform(0.01), arg_params=None,
            aux_params=None, allow_missing=False, force_rebind=False, force_init=False,
            begin_epoch=0, num_epoch=None, validation_metric=None, monitor=None,
            sparse_row_id_fn=None):
        """Train: bind, init_params, init_optimizer, then for each epoch forward_backward,
        update and update_metric per batch, callbacks, and `score` on `eval_data`."""
        assert num_epoch is not None, 'please specify number of epochs'
        self.bind(data_shapes=train_data.provide_data, label_shapes=train_data.provide_label,
                  for_training=True, force_rebind=force_rebind)
        self.init_params(initializer=initializer, arg_params=arg_params, aux_params=aux_params,
                         allow_missing=allow_missing, force_init=force_init)
        self.init_optimizer(kvstore=kvstore, optimizer=optimizer,
                            optimizer_params=optimizer_params)
        if monitor is not None:
            self.install_monitor(monitor)
        if validation_metric is None:
            validation_metric = eval_metric
        if not isinstance(eval_metric, metric.EvalMetric):
            eval_metric = metric.create(eval_metric)
        for epoch in range(begin_epoch, num_epoch):
            tic = time.time()
            eval_metric.reset()
            nbatch = 0
            data_iter = iter(train_data)
            end_of_batch = False
            next_data_batch = next(data_iter)
            while not end_of_batch:
                data_batch = next_data_batch
                if monitor is not None:
                    monitor.tic()
                self.forward_backward(data_batch)
                self.update()
                self.update_metric(eval_metric, data_batch.label)
                if monitor is not None:
                    monitor.toc_print()
                try:
                    next_data_batch = next(data_iter)
                except StopIteration:
                    end_of_batch = True
                if end_of_batch:
                    eval_name_vals = eval_metric.get_global_name_value()
                _call(batch_end_callback, BatchEndParam(epoch, nbatch, eval_metric, locals()))
                nbatch += 1
            for name, val in eval_name_vals:
                self.logger.info('Epoch[%d] Train-%s=%f', epoch, name, val)
            self._end_epoch(epoch, tic, epoch_end_callback, eval_data, validation_metric,
                            eval_end_callback, eval_batch_end_callback)
            train_data.reset()

    def _end_epoch(self, epoch, tic, epoch_end_callback, eval_data, validation_metric,
                   eval_end_callback, eval_batch_end_callback):
        """fit's end of an epoch: log its time, sync the parameters (aux params across
        devices), epoch_end_callback, then `score` on eval_data and log it."""
        self.logger.info('Epoch[%d] Time cost=%.3f', epoch, time.time() - tic)
        arg_params_, aux_params_ = self.get_params()
        self.set_params(arg_params_, aux_params_)
        _call(epoch_end_callback, epoch, self.symbol, arg_params_, aux_params_)
        if eval_data:
            res = self.score(eval_data, validation_metric, score_end_callback=eval_end_callback,
                             batch_end_callback=eval_batch_end_callback, epoch=epoch)
            for name, val in res:
                self.logger.info('Epoch[%d] Validation-%s=%f', epoch, name, val)

    def save_params(self, fname):
        """Save the parameters as MXNet does: 'arg:<name>' and 'aux:<name>' arrays."""
        arg_params, aux_params = self.get_params()
        save_dict = {f'arg:{k}': v.as_in_context(cpu()) for k, v in arg_params.items()}
        save_dict.update({f'aux:{k}': v.as_in_context(cpu()) for k, v in aux_params.items()})
        nd.save(fname, save_dict)

    def load_params(self, fname):
        """Load parameters that save_params (or MXNet's Module) wrote."""
        arg_params, aux_params = {}, {}
        for k, value in nd.load(fname).items():
            arg_type, _, name = k.partition(':')
            if arg_type == 'arg':
                arg_params[name] = value
            elif arg_type == 'aux':
                aux_params[name] = value
            else:
                raise ValueError("Invalid param file " + fname)
        self.set_params(arg_params, aux_params)

    def set_params(self, arg_params, aux_params, allow_missing=False, force_init=True,
                   allow_extra=False):
        """Assign parameter and aux state values (through init_params)."""
        self.init_params(initializer=None, arg_params=arg_params, aux_params=aux_params,
                         allow_missing=allow_missing, force_init=force_init,
                         allow_extra=allow_extra)

    def _set_params_here(self, arg_params, aux_params, allow_missing, force_init,
                         allow_extra):
        """MXNet's set_params prologue for modules that copy the values themselves: without
        allow_missing, init_params does it all; already initialized and not force_init,
        nothing (MXNet's warning). True when the caller should copy the values."""
        if not allow_missing:
            self.init_params(initializer=None, arg_params=arg_params, aux_params=aux_params,
                             allow_missing=allow_missing, force_init=force_init,
                             allow_extra=allow_extra)
            return False
        if self.params_initialized and not force_init:
            warnings.warn("Parameters already initialized and force_init=False. "
                          "set_params call ignored.", stacklevel=3)
            return False
        return True

    def _optimizer_wanted(self, force_init, message='optimizer already initialized, '
                                                     'ignoring.'):
        """MXNet's init_optimizer prologue: bound and initialized; False (with MXNet's log
        line) when an optimizer exists already and force_init is off."""
        assert self.binded and self.params_initialized
        if self.optimizer_initialized and not force_init:
            self.logger.warning(message)
            return False
        return True

