"""`SVRGModule`: a Module trained with SVRG. Besides the usual executors it keeps an
auxiliary Module holding a snapshot of the weights; every `update_freq` epochs the snapshot
is refreshed and its gradient over the whole data set (the full gradient) computed. Each
step then uses  g(w, batch) - g(snapshot, batch) + full gradient  in place of g(w, batch).
"""
import logging
import time

from ... import metric
from ... import ndarray as nd
from ...context import cpu
from ...initializer import Uniform
from ...model import BatchEndParam
from ...module import Module
from ...module.base_module import _call
from ...module.module import _create_kvstore
from .svrg_optimizer import _SVRGOptimizer

__all__ = ['SVRGModule']


class SVRGModule(Module):
    """A Module that optimizes with stochastic variance reduced gradients.

    Parameters
    ----------
    symbol : Symbol
    data_names : list of str
        Defaults to `('data')` for a typical model used in image classification.
    label_names : list of str
        Defaults to `('softmax_label')` for a typical model used in image classification.
    logger : Logger
        Defaults to `logging`.
    context : Context or list of Context
        Defaults to ``mx.cpu()``.
    work_load_list : list of number
        Default ``None``, indicating uniform workload.
    fixed_param_names: list of str
        Default ``None``, indicating no network parameters are fixed.
    state_names : list of str
        States are similar to data and label, but not provided by data iterator.
    group2ctxs : dict of str to context or list of context, or list of dict of str to context
        Default is `None`. Mapping the `ctx_group` attribute to the context assignment.
    compression_params : dict
        Gradient compression settings of the KVStore.
    update_freq: int
        The full gradients are computed again every `update_freq` epochs.
    """

    def __init__(self, symbol, data_names=('data',), label_names=('softmax_label',),
                 logger=logging, context=cpu(), work_load_list=None,
                 fixed_param_names=None, state_names=None, group2ctxs=None,
                 compression_params=None, update_freq=None):
        super().__init__(symbol, data_names=data_names, label_names=label_names, logger=logger,
                         context=context, work_load_list=work_load_list,
                         fixed_param_names=fixed_param_names, state_names=state_names,
                         group2ctxs=group2ctxs, compression_params=compression_params)
        if not isinstance(update_freq, int):
            raise TypeError("update_freq in SVRGModule must be an integer to represent the "
                            "frequency for calculating full gradients")
        if update_freq <= 0:
            raise ValueError("update_freq in SVRGModule must be a positive integer to represent "
                             "the frequency for calculating full gradients")
        self.update_freq = update_freq
        self._mod_aux = Module(symbol, data_names, label_names, logger, context, work_load_list,
                               fixed_param_names, state_names, group2ctxs, compression_params)
        self._param_dict = None
        self._ctx_len = len(self._context)

    def reshape(self, data_shapes, label_shapes=None):
        """Reshapes both modules for new input shapes."""
        super().reshape(data_shapes, label_shapes=label_shapes)
        self._mod_aux.reshape(data_shapes, label_shapes=label_shapes)

    def init_optimizer(self, kvstore='local', optimizer='sgd',
                       optimizer_params=(('learning_rate', 0.01),), force_init=False):
        """Install an `_SVRGOptimizer` around `optimizer`. With a KVStore, the full gradients
        are also kept there under the keys '<name>_full'.

        Parameters
        ----------
        kvstore : str or KVStore
            Default `'local'`.
        optimizer : str or Optimizer
            Default `'sgd'`
        optimizer_params : dict
            Default `(('learning_rate', 0.01),)`.
        force_init : bool
            Default ``False``: an installed optimizer is kept.
        """
        # the averaged full gradients, per context
        self._param_dict = [{key: nd.zeros(value.shape, ctx=self._context[i])
                             for key, value in self.get_params()[0].items()}
                            for i in range(self._ctx_len)]
        svrg_optimizer = self._create_optimizer(_SVRGOptimizer.__name__, default_opt=optimizer,
                                                kvstore=kvstore,
                                                optimizer_params=optimizer_params)
        super().init_optimizer(kvstore=kvstore, optimizer=svrg_optimizer,
                               optimizer_params=optimizer_params, force_init=force_init)
        if self._kvstore:
            for name in self._param_names:
                if name not in self._execs[0].grad_dict:
                    continue
                self._kvstore.init(name + '_full', nd.zeros(self._arg_params[name].shape))
                if self._update_on_kvstore:
                    self._kvstore.pull(name + '_full', [e.arg_dict[name] for e in self._execs])

    def _create_optimizer(self, optimizer, default_opt, kvstore, optimizer_params):
        """The `_SVRGOptimizer` (by name `optimizer`) with MXNet's Module defaults: rescale_grad
        1/batch_size and idx2name, plus one '<name>_full' index per parameter."""
        batch_size = self._batch_size
        kv = _create_kvstore(kvstore, self._ctx_len)
        if kv and 'dist' in kv.type and '_sync' in kv.type:
            batch_size *= kv.num_workers
        # the indices Module.update gives: position in the parameter list (x contexts)
        if kv is not None:
            idx2name = dict(enumerate(self._param_names))
        else:
            idx2name = {i * self._ctx_len + k: n for k in range(self._ctx_len)
                        for i, n in enumerate(self._param_names)}
        for key in self._param_dict[0]:
            idx2name[max(idx2name) + 1] = key + '_full'
        params = dict(optimizer_params)
        params.setdefault('rescale_grad', 1.0 / batch_size)
        params['default_optimizer'] = default_opt
        params['param_idx2name'] = idx2name
        from ... import optimizer as opt
        return opt.create(optimizer, **params)

    def bind(self, data_shapes, label_shapes=None, for_training=True,
             inputs_need_grad=False, force_rebind=False, shared_module=None, grad_req='write'):
        """Bind both modules (the auxiliary one only for training); see `Module.bind`."""
        super().bind(data_shapes, label_shapes, for_training, inputs_need_grad, force_rebind,
                     shared_module, grad_req)
        if for_training:
            self._mod_aux.bind(data_shapes, label_shapes, for_training, inputs_need_grad,
                               force_rebind, shared_module, grad_req)

    def forward(self, data_batch, is_train=None):
        """Forward on both modules; the auxiliary one only when `is_train` is True."""
        super().forward(data_batch, is_train)
        if is_train:
            self._mod_aux.forward(data_batch, is_train)

    def backward(self, out_grads=None):
        """Backward on both modules (the auxiliary one if bound)."""
        super().backward(out_grads)
        if self._mod_aux.binded:
            self._mod_aux.backward(out_grads)

    def update(self):
        """Replace the gradients by SVRG's, then one optimizer step (`Module.update`)."""
        self._update_svrg_gradients()
        super().update()

    def update_full_grads(self, train_data):
        """Snapshot the weights into the auxiliary module and average its gradients over all
        of `train_data` (with a KVStore, also over contexts and workers).

        Parameters
        ----------
        train_data: DataIter
            Train data iterator
        """
        param_names = [n for n in self._param_names if n in self._execs[0].grad_dict]
        arg, aux = self.get_params()
        self._mod_aux.set_params(arg_params=arg, aux_params=aux)
        train_data.reset()
        nbatch = padding = 0
        for batch in train_data:
            self._mod_aux.forward(batch, is_train=True)
            self._mod_aux.backward()
            nbatch += 1
            for ctx, e in enumerate(self._mod_aux._execs):
                for name in param_names:
                    # as MXNet: the sums continue from the last average (never zeroed)
                    self._param_dict[ctx][name] = self._param_dict[ctx][name] + e.grad_dict[name]
            padding = batch.pad
        true_num_batch = nbatch - padding / train_data.batch_size
        for name in param_names:
            grad_list = []
            for i in range(self._ctx_len):
                self._param_dict[i][name] /= true_num_batch
                grad_list.append(self._param_dict[i][name])
            if self._kvstore:
                self._accumulate_kvstore(name, grad_list)

    def _accumulate_kvstore(self, key, value):
        """Sum the full gradients of all contexts and workers in the KVStore."""
        self._kvstore.push(key + '_full', value)
        self._kvstore._barrier()
        self._kvstore.pull(key + '_full', value)
        self._allocate_gradients(key, value)

    def _allocate_gradients(self, key, value):
        """Each context's full gradient: the KVStore's sum over the number of contexts."""
        for i in range(self._ctx_len):
            self._param_dict[i][key] = value[i] / self._ctx_len

    def _svrg_grads_update_rule(self, g_curr_batch_curr_weight, g_curr_batch_special_weight,
                                g_special_weight_all_batch):
        """g(w, batch) - g(snapshot, batch) + full gradient, written into the first list."""
        for index, grad in enumerate(g_curr_batch_curr_weight):
            grad -= g_curr_batch_special_weight[index]
            grad += g_special_weight_all_batch[index]
        return g_curr_batch_curr_weight

    def _update_svrg_gradients(self):
        """Rewrite each context's gradients in place with SVRG's rule."""
        for ctx, (e, e_aux) in enumerate(zip(self._execs, self._mod_aux._execs)):
            names = [n for n in self._param_names if n in e.grad_dict]
            self._svrg_grads_update_rule([e.grad_dict[n] for n in names],
                                         [e_aux.grad_dict[n] for n in names],
                                         [self._param_dict[ctx][n] for n in names])

    def fit(self, train_data, eval_data=None, eval_metric='acc',
            epoch_end_callback=None, batch_end_callback=None, kvstore='local',
            optimizer='sgd', optimizer_params=(('learning_rate', 0.01),),
            eval_end_callback=None, eval_batch_end_callback=None, initializer=Uniform(0.01),
            arg_params=None, aux_params=None, allow_missing=False,
            force_rebind=False, force_init=False, begin_epoch=0, num_epoch=None,
            validation_metric=None, monitor=None, sparse_row_id_fn=None):
        """Train as `Module.fit`, computing the full gradients first in every epoch that is a
        multiple of `update_freq`; see `BaseModule.fit` for the parameters."""
        assert num_epoch is not None, 'please specify number of epochs'
        self.bind(data_shapes=train_data.provide_data, label_shapes=train_data.provide_label,
                  for_training=True, force_rebind=force_rebind)
        if monitor is not None:
            self.install_monitor(monitor)
        self.init_params(initializer=initializer, arg_params=arg_params, aux_params=aux_params,
                         allow_missing=allow_missing, force_init=force_init)
        self.init_optimizer(kvstore=kvstore, optimizer=optimizer,
                            optimizer_params=optimizer_params)
        if validation_metric is None:
            validation_metric = eval_metric
        if not isinstance(eval_metric, metric.EvalMetric):
            eval_metric = metric.create(eval_metric)
        for epoch in range(begin_epoch, num_epoch):
            eval_metric.reset()
            tic = time.time()
            if epoch % self.update_freq == 0:
                self.update_full_grads(train_data)
            train_data.reset()
            self._fit_epoch(epoch, train_data, eval_metric, batch_end_callback, monitor,
                            sparse_row_id_fn)
            self._end_epoch(epoch, tic, epoch_end_callback, eval_data, validation_metric,
                            eval_end_callback, eval_batch_end_callback)

    def _fit_epoch(self, epoch, train_data, eval_metric, batch_end_callback, monitor,
                   sparse_row_id_fn):
        """One pass over `train_data`: forward_backward, update, metric, callbacks."""
        data_iter = iter(train_data)
        end_of_batch = False
        nbatch = 0
        next_data_batch = next(data_iter)
        while not end_of_batch:
            data_batch = next_data_batch
            if monitor is not None:
                monitor.tic()
            self.forward_backward(data_batch)
            self.update()
            if isinstance(data_batch, list):
                self.update_metric(eval_metric, [db.label for db in data_batch], pre_sliced=True)
            else:
                self.update_metric(eval_metric, data_batch.label)
            try:
                next_data_batch = next(data_iter)
                self.prepare(next_data_batch, sparse_row_id_fn=sparse_row_id_fn)
            except StopIteration:
                end_of_batch = True
            if monitor is not None:
                monitor.toc_print()
            if end_of_batch:
                eval_name_vals = eval_metric.get_name_value()
            _call(batch_end_callback, BatchEndParam(epoch=epoch, nbatch=nbatch,
                                                    eval_metric=eval_metric, locals=locals()))
            nbatch += 1
        for name, val in eval_name_vals:
            self.logger.info('Epoch[%d] Train-%s=%f', epoch, name, val)

    def prepare(self, data_batch, sparse_row_id_fn=None):
        """Prepare both modules for `data_batch` (see `Module.prepare`)."""
        super().prepare(data_batch, sparse_row_id_fn=sparse_row_id_fn)
        self._mod_aux.prepare(data_batch, sparse_row_id_fn=sparse_row_id_fn)
