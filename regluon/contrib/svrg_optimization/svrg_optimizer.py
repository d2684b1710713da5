"""`_SVRGOptimizer`: the optimizer SVRGModule installs. It routes each update by the
parameter's name: '<name>_full' keys (the full gradients kept in a KVStore) to
`_AssignmentOptimizer`, which stores the pushed value, and every other key to the optimizer
the user asked for."""
from ... import optimizer as opt

# the arguments of Optimizer itself; the rest belong to the default optimizer only
_BASE_PARAMS = ('rescale_grad', 'param_idx2name', 'wd', 'clip_gradient', 'learning_rate',
                'lr_scheduler', 'sym', 'begin_num_update', 'multi_precision', 'param_dict')


@opt.register
class _AssignmentOptimizer(opt.Optimizer):
    """Assigns the pushed gradients to the stored value: SVRGModule accumulates its full
    gradients in the KVStore with it."""

    def update(self, index, weight, grad, state):
        """Assign `grad` to `weight`.

        Parameters
        ----------
        index : int
            The unique index of the parameter.
        weight : NDArray
            The stored value.
        grad : NDArray
            The pushed (summed) gradients.
        state : any obj
            Not used.
        """
        weight[:] = grad


@opt.register
class _SVRGOptimizer(opt.Optimizer):
    """Two optimizers in one: `_AssignmentOptimizer` for the '_full' keys and the default
    optimizer passed to `SVRGModule.init_optimizer` for the parameters.

    Parameters
    ----------
    default_optimizer : str or Optimizer
        The optimizer of the parameters; a name is created with all of `kwargs`.
    """

    def __init__(self, default_optimizer, **kwargs):
        super().__init__(**self._check_params(**kwargs))
        if isinstance(default_optimizer, str):
            self.default_opt = opt.create(default_optimizer, **kwargs)
        else:
            self.default_opt = default_optimizer
        self.aux_opt = opt.create(_AssignmentOptimizer.__name__)

    @staticmethod
    def _check_params(**kwargs):
        """The keyword arguments that Optimizer itself takes."""
        return {k: v for k, v in kwargs.items() if k in _BASE_PARAMS}

    def update(self, index, weight, grad, state):
        """Update with `_AssignmentOptimizer` if the key's name contains 'full', else with
        the default optimizer.

        Parameters
        ----------
        index : int or str
        weight : NDArray
        grad : NDArray
        state : any obj
            The state returned by `create_state()`.
        """
        if 'full' in self._check_index(index):
            self.aux_opt.update(index, weight, grad, state)
        else:
            self.default_opt.update(index, weight, grad, state)

    def create_state(self, index, weight):
        """The state of the optimizer that `update` will use for `index`."""
        if 'full' in self._check_index(index):
            return self.aux_opt.create_state(index, weight)
        return self.default_opt.create_state(index, weight)

    def _check_index(self, index):
        """The parameter name of `index` (an index of idx2name, or already a name)."""
        if index in self.idx2name.values():
            return index
        return self.idx2name[index]
