"""The Optimizer base class, its registry, and the Updater that holds per-weight states.

MXNet's bookkeeping is kept exactly because trajectories depend on it: `num_update` is the
largest per-index update count (it drives lr schedulers); per-index counts are kept per
device id; lr_mult/wd_mult come from Gluon Parameters (`param_dict`) first, then from
`set_lr_mult`/`set_wd_mult` by index, then by name; with `param_idx2name`, names that do
not end in `_weight` or `_gamma` get no weight decay.
"""
import warnings

import numpy

from ..base import MXNetError, _register
from .. import ndarray as nd

__all__ = ['Optimizer', 'register', 'create', 'Updater', 'get_updater']


class Optimizer:
    """The base class of all optimizers.

    Parameters
    ----------
    rescale_grad : float, default 1.0
        Multiply the gradient by this before updating (often 1.0/batch_size).
    param_idx2name : dict of int to str, optional
        Names of the parameters by index (used for lr_mult/wd_mult by name).
    wd : float, default 0.0
        Weight decay (L2 regularization) coefficient.
    clip_gradient : float, optional
        Clip the rescaled gradient into [-clip_gradient, clip_gradient].
    learning_rate : float, optional
        The learning rate; overrides the scheduler's base_lr. Default 0.01 without a scheduler.
    lr_scheduler : LRScheduler, optional
        Learning rate as a function of `num_update`.
    sym : Symbol, optional
        Unused (symbolic attributes); kept for signature compatibility.
    begin_num_update : int, default 0
        The update count to start from.
    multi_precision : bool, default False
        Keep a float32 master copy of float16 weights and update that.
    param_dict : dict of int to gluon.Parameter, optional
        Parameters by index, whose lr_mult/wd_mult take precedence.
    """
    opt_registry = {}

    def __init__(self, rescale_grad=1., param_idx2name=None, wd=0., clip_gradient=None,
                 learning_rate=None, lr_scheduler=None, sym=None, begin_num_update=0,
                 multi_precision=False, param_dict=None):
        self.rescale_grad = rescale_grad
        self.lr_scheduler = lr_scheduler
        if lr_scheduler is None and learning_rate is None:
            learning_rate = 0.01
        self.lr = learning_rate
        if lr_scheduler is not None and learning_rate is not None:
            if lr_scheduler.base_lr != learning_rate:
                # MXNet prints this (it does not warn) and lets the optimizer's lr win.
                print(UserWarning("learning rate from ``lr_scheduler`` has been "
                                  "overwritten by ``learning_rate`` in optimizer."))
                lr_scheduler.base_lr = learning_rate
        self.wd = wd
        self.lr_mult, self.wd_mult = {}, {}
        self.begin_num_update = begin_num_update
        self.num_update = begin_num_update
        self._all_index_update_counts = {0: {}}
        self._index_update_count = self._all_index_update_counts[0]
        self.clip_gradient = clip_gradient
        self.multi_precision = multi_precision
        self.aggregate_num = 0
        # MXNet's flag: made in np mode (np arrays pass through Updater either way here)
        from ..numpy import _mode as _npmode
        self.allow_np_array = _npmode.active
        if param_idx2name is None:
            param_idx2name = {}
        if not isinstance(param_idx2name, dict):
            raise TypeError("param_idx2name should be a dict of param indexes to names, "
                            f"got {type(param_idx2name).__name__}")
        self.idx2name = param_idx2name.copy()
        # MXNet: a Symbol's __lr_mult__/__wd_mult__ attributes (Variable(lr_mult=...), or
        # an operator's lr_mult=) set the multipliers by name
        self.sym_info = (sym.attr_dict(), sym.list_arguments()) if sym is not None else ()
        self.param_dict = param_dict if param_dict else {}
        self.set_lr_mult({})
        self.set_wd_mult({})

    @staticmethod
    def register(klass):
        """Register an optimizer class under its lower-cased class name."""
        if not isinstance(klass, type):
            raise TypeError(f"register: expected a class, got {klass!r}")
        return _register(Optimizer.opt_registry, 'optimizer', klass)

    @staticmethod
    def create_optimizer(name, **kwargs):
        """Instantiate a registered optimizer by (case-insensitive) name."""
        if name.lower() in Optimizer.opt_registry:
            return Optimizer.opt_registry[name.lower()](**kwargs)
        raise ValueError(f'Cannot find optimizer {name}')

    @property
    def learning_rate(self):
        if self.lr_scheduler is not None:
            return self.lr_scheduler(self.num_update)
        return self.lr

    def create_state(self, index, weight):
        """The auxiliary state (momentum, ...) for a weight; None if there is none."""
        return None

    def create_state_multi_precision(self, index, weight):
        """create_state, plus a float32 master copy for float16 weights if multi_precision."""
        if self.multi_precision and weight.dtype == numpy.float16:
            master = weight.astype(numpy.float32)
            return (master, self.create_state(index, master))
        if weight.dtype == numpy.float16:
            warnings.warn("Accumulating with float16 in optimizer can lead to poor accuracy "
                          "or slow convergence. Consider using multi_precision=True option "
                          "of the optimizer")
        return self.create_state(index, weight)

    def update(self, index, weight, grad, state):
        """Update `weight` in place from `grad` and `state` (which it also updates)."""
        raise NotImplementedError()

    def update_multi_precision(self, index, weight, grad, state):
        """update, through the float32 master copy when multi_precision applies."""
        if self.multi_precision and weight.dtype == numpy.float16:
            master, inner = state
            self.update(index, master, grad.astype(numpy.float32), inner)
            master.astype(weight.dtype).copyto(weight)
        else:
            self.update(index, weight, grad, state)

    def set_learning_rate(self, lr):
        """Set the learning rate (only without an lr_scheduler, as in MXNet)."""
        if self.lr_scheduler is not None:
            raise UserWarning("LRScheduler of the optimizer has already been defined. Note "
                              "that set_learning_rate can mutate the value of the learning "
                              "rate of the optimizer only when the LRScheduler of the "
                              "optimizer is undefined.")
        self.lr = lr

    def set_lr_scale(self, args_lrscale):
        """[DEPRECATED] Use set_lr_mult."""
        raise DeprecationWarning

    def set_lr_mult(self, args_lr_mult):
        """Set learning rate multipliers by parameter index or name.

        Parameters
        ----------
        args_lr_mult : dict of str/int to float
        """
        self.lr_mult = self._sym_mults('__lr_mult__')
        self.lr_mult.update(args_lr_mult)

    def set_wd_mult(self, args_wd_mult):
        """Set weight decay multipliers by parameter index or name.

        Without an explicit entry, names from `param_idx2name` that do not end in
        `_weight` or `_gamma` get 0 (MXNet: no decay on biases and BatchNorm beta).

        Parameters
        ----------
        args_wd_mult : dict of str/int to float
        """
        self.wd_mult = {n: 0.0 for n in self.idx2name.values()
                        if not (n.endswith('_weight') or n.endswith('_gamma'))}
        self.wd_mult.update(self._sym_mults('__wd_mult__'))
        self.wd_mult.update(args_wd_mult)

    def _sym_mults(self, key):
        if not self.sym_info:
            return {}
        attr, arg_names = self.sym_info
        return {n: float(attr[n][key]) for n in arg_names if key in attr.get(n, {})}

    def _set_current_context(self, device_id):
        """Switch the per-index update counts to those of device `device_id`."""
        self._index_update_count = self._all_index_update_counts.setdefault(device_id, {})

    def _update_count(self, index):
        """Count one more update of `index` (or each of a list) and advance num_update."""
        for idx in index if isinstance(index, (list, tuple)) else [index]:
            if idx not in self._index_update_count:
                self._index_update_count[idx] = self.begin_num_update
            self._index_update_count[idx] += 1
            self.num_update = max(self._index_update_count[idx], self.num_update)

    def _mult(self, index, table, attr):
        if index in self.param_dict:
            return getattr(self.param_dict[index], attr)
        if index in table:
            return table[index]
        if index in self.idx2name:
            return table.get(self.idx2name[index], 1.0)
        return 1.0

    def _get_lrs(self, indices):
        lr = self.learning_rate
        return [lr * self._mult(i, self.lr_mult, 'lr_mult') for i in indices]

    def _get_lr(self, index):
        """The learning rate for weight `index` (scheduler value times lr_mult)."""
        return self._get_lrs([index])[0]

    def _get_wds(self, indices):
        return [self.wd * self._mult(i, self.wd_mult, 'wd_mult') for i in indices]

    def _get_wd(self, index):
        """The weight decay for weight `index` (wd times wd_mult)."""
        return self._get_wds([index])[0]

    def _clip(self):
        """clip_gradient as the update operators take it: MXNet passes it only if truthy."""
        return self.clip_gradient if self.clip_gradient else -1.0

    def _clip_if_set(self):
        """clip_gradient for MXNet's Python-written rules, which clip whenever it is not None."""
        return -1.0 if self.clip_gradient is None else self.clip_gradient

    def __getstate__(self):
        ret = self.__dict__.copy()
        ret.pop('param_dict', None)          # the Trainer sets it again
        return ret

    def __setstate__(self, state):
        self.__dict__ = state
        self.param_dict = {}


register = Optimizer.register
create = Optimizer.create_optimizer


class Updater:
    """Applies an optimizer to (index, grad, weight), creating each weight's state once."""

    def __init__(self, optimizer):
        self.optimizer = optimizer
        self.states = {}
        self.states_synced = {}
        self.aggregate_updates = optimizer.aggregate_num > 0

    def __call__(self, index, grad, weight):
        """Update `weight` (or each of a list) from `grad` with the state for `index`.

        As in MXNet, an optimizer with `aggregate_num > 0` (SGD) gets the weights of one
        dtype in groups of `aggregate_num` and updates each group in one call (one set of
        multi-tensor kernels instead of one per weight).
        """
        if not isinstance(index, (list, tuple)):
            index, grad, weight = [index], [grad], [weight]
        if weight:
            self.optimizer._set_current_context(weight[0].context.device_id)
        for i, w in zip(index, weight):
            if i not in self.states:
                self.states[i] = self.optimizer.create_state_multi_precision(i, w)
                self.states_synced[i] = True
            elif not self.states_synced[i]:
                self.states[i] = self.sync_state_context(self.states[i], w.context)
                self.states_synced[i] = True
        size = self.optimizer.aggregate_num     # (set_states may have swapped the optimizer)
        # MXNet aggregates dense gradients only; row_sparse ones take their own kernels
        if not (self.aggregate_updates and size > 0) or \
                any(g.stype != 'default' for g in grad):
            for i, g, w in zip(index, grad, weight):
                self.optimizer.update_multi_precision(i, w, g, self.states[i])
            return
        by_dtype = {}
        for i, g, w in zip(index, grad, weight):
            by_dtype.setdefault(w.dtype, []).append((i, w, g))
        for group in by_dtype.values():
            for start in range(0, len(group), size):
                idx, ws, gs = (list(c) for c in zip(*group[start:start + size]))
                self.optimizer.update_multi_precision(idx, ws, gs,
                                                      [self.states[i] for i in idx])

    def sync_state_context(self, state, context):
        """The state moved onto `context` (states loaded from a file start on cpu)."""
        if isinstance(state, nd.NDArray):
            return state.as_in_context(context)
        if isinstance(state, (tuple, list)):
            return type(state)(self.sync_state_context(s, context) for s in state)
        return state

    def set_states(self, states):
        """Restore states (and the optimizer's settings, if saved) from get_states' bytes."""
        from .state_io import loads
        states, opt = loads(states, self.optimizer)
        self.states = states
        if opt is not None:
            self.optimizer = opt
        self.states_synced = dict.fromkeys(self.states, False)

    def get_states(self, dump_optimizer=False):
        """The states as bytes in a safe format (an .npz archive with a JSON header)."""
        from .state_io import dumps
        return dumps(self.states, self.optimizer if dump_optimizer else None)


def get_updater(optimizer):
    """An Updater for `optimizer` (kvstore-style callable)."""
    return Updater(optimizer)
