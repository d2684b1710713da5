"""`mx.mod.PythonModule` and `mx.mod.PythonLossModule`: modules written in Python.

A PythonModule has no symbol and no parameters by default: the Module API's parameter and
optimizer calls do nothing, and a subclass fills in the computation. PythonLossModule is a
loss at the end of a SequentialModule: its outputs are its inputs (the scores), and its
backward is `grad_func(scores, labels)`, the gradient of the loss with respect to them.
"""
import logging

from .. import ndarray as nd
from ..initializer import Uniform
from .base_module import BaseModule


class PythonModule(BaseModule):
    """A module whose computation is Python code; the Module API's calls about parameters
    and optimizers do nothing here (override them in a subclass that has parameters).

    Parameters
    ----------
    data_names : list of str
        Names of the data the module takes.
    label_names : list of str or None
        Names of the labels it takes; None if it takes none.
    output_names : list of str
        Names of its outputs.
    """

    def __init__(self, data_names, label_names, output_names, logger=logging):
        super().__init__(logger=logger)
        self._data_names = list(data_names) if isinstance(data_names, tuple) else data_names
        self._label_names = list(label_names) if isinstance(label_names, tuple) \
            else label_names
        self._output_names = output_names
        self._data_shapes = self._label_shapes = self._output_shapes = None
        self.layout_mapper = None

    data_names = property(lambda self: self._data_names)
    output_names = property(lambda self: self._output_names)
    data_shapes = property(lambda self: self._data_shapes)
    label_shapes = property(lambda self: self._label_shapes)
    output_shapes = property(lambda self: self._output_shapes)

    def get_params(self):
        """No parameters: `({}, {})`."""
        return {}, {}

    def init_params(self, initializer=Uniform(0.01), arg_params=None, aux_params=None,
                    allow_missing=False, force_init=False, allow_extra=False):
        """Nothing to initialize (a subclass with parameters overrides this)."""

    def init_optimizer(self, kvstore='local', optimizer='sgd',
                       optimizer_params=(('learning_rate', 0.01),), force_init=False):
        """Nothing to optimize (a subclass with parameters overrides this)."""

    def update(self):
        """Nothing to update (a subclass with parameters overrides this)."""

    def update_metric(self, eval_metric, labels, pre_sliced=False):
        """Update `eval_metric` with `labels` and the last outputs; a module bound without
        labels is no loss or prediction, so the call is ignored."""
        if self._label_shapes is None:
            return
        eval_metric.update(labels, self.get_outputs())

    def bind(self, data_shapes, label_shapes=None, for_training=True,
             inputs_need_grad=False, force_rebind=False, shared_module=None,
             grad_req='write', layout_mapper=None):
        """Record the data and label shapes and compute the output shapes."""
        if self.binded and not force_rebind:
            self.logger.warning('Already bound, ignoring bind()')
            return
        self.layout_mapper = layout_mapper
        self.for_training = for_training
        self.inputs_need_grad = inputs_need_grad
        assert len(data_shapes) == len(self._data_names)
        assert [x[0] for x in data_shapes] == self._data_names
        self._data_shapes = data_shapes
        self._label_shapes = label_shapes
        if label_shapes is not None:
            assert self._label_names is not None
            assert len(self._label_names) == len(label_shapes)
            assert [x[0] for x in label_shapes] == self._label_names
        self._output_shapes = self._compute_output_shapes()
        self.binded = True
        self.params_initialized = True      # no parameters: fit/score may go on

    def _compute_output_shapes(self):
        """[(name, shape)] of the outputs, from the bound data/label shapes (subclasses)."""
        raise NotImplementedError()


class PythonLossModule(PythonModule):
    """A loss module: outputs its input scores; backward computes their gradient with
    `grad_func(scores, labels)` (a numpy array or an NDArray).

    Parameters
    ----------
    name : str
        The output is named `name + '_output'`.
    data_names : list of str
        One name, default `['data']`.
    label_names : list of str
        One name, default `['softmax_label']`.
    grad_func : callable, optional
        `(scores, labels) -> gradient of the loss with respect to the scores`.
    """

    def __init__(self, name='pyloss', data_names=('data',), label_names=('softmax_label',),
                 logger=logging, grad_func=None):
        super().__init__(data_names, label_names, [name + '_output'], logger=logger)
        self._name = name
        assert len(data_names) == 1
        assert len(label_names) == 1
        self._scores = self._labels = self._scores_grad = None
        if grad_func is not None:
            assert callable(grad_func)
        self._grad_func = grad_func

    def _compute_output_shapes(self):
        return [(self._name + '_output', self._data_shapes[0][1])]

    def forward(self, data_batch, is_train=None):
        """Keep the scores (and, when training, the labels) for backward."""
        self._scores = data_batch.data[0]
        if is_train is None:
            is_train = self.for_training
        if is_train:
            self._labels = data_batch.label[0]

    def get_outputs(self, merge_multi_context=True):
        """The scores given to the last forward."""
        assert merge_multi_context is True
        return [self._scores]

    def backward(self, out_grads=None):
        """The gradient of the loss with respect to the scores (see `get_input_grads`)."""
        assert out_grads is None, 'For a loss module, out_grads should be None'
        assert self.for_training
        self._backward_impl()

    def _backward_impl(self):
        """Set `self._scores_grad` from `self._scores` and `self._labels`: by `grad_func`,
        or in a subclass that overrides this method."""
        if self._grad_func is None:
            raise NotImplementedError()
        grad = self._grad_func(self._scores, self._labels)
        self._scores_grad = grad if isinstance(grad, nd.NDArray) else nd.array(grad)

    def get_input_grads(self, merge_multi_context=True):
        """[gradient of the scores] from the last backward."""
        assert merge_multi_context is True
        return [self._scores_grad]

    def install_monitor(self, mon):
        """A Python loss has no executors to monitor."""
        raise NotImplementedError()
