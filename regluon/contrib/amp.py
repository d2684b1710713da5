"""`mx.contrib.amp`: automatic mixed precision (MXNet 1.9.1's API) on torch's autocast.

MXNet's `amp.init()` wraps its operators so that matrix products and convolutions cast
their inputs to float16/bfloat16 while range-sensitive operators run in float32. Here that
choice is made by torch's autocast, which `amp.init()` switches on: every regluon operator
kernel (`nd.<op>`, hybridized graphs, executors) then runs under it, with no change to the
operators and no cost when AMP is off. Parameters and gradients stay float32.

As in MXNet, float16 applies to GPU operators only (CPU operators are left in float32),
bfloat16 to CPU and GPU operators. Dynamic loss scaling (`init_trainer`, `scale_loss`,
`unscale`) is MXNet's, step for step: an overflowing step is skipped and the scale halved;
it doubles after `_scale_seq_len` (2000) clean steps.

Differences from MXNet: the operator lists of `init()` are torch autocast's (custom lists
are refused); autocast is per thread, so `amp.init()` applies to the thread that calls it
(call it again at the start of any other thread that runs the model).

The graph conversions (`convert_symbol`, `convert_model`, `convert_hybrid_block`,
`convert_bucketing_module`) are MXNet's: they insert amp_cast/amp_multicast nodes by MXNet's
operator lists (amp_convert.py, amp_lists/).
"""
import contextlib
import logging
import sys

import torch

from .. import autograd
from ..base import dtype_name, torch_dtype
from ..gluon.trainer import Trainer
from ..optimizer import Optimizer

from .amp_convert import (convert_symbol, convert_model, convert_hybrid_block,  # noqa: F401
                          convert_bucketing_module)
from .amp_lists import (list_lp16_ops, list_fp32_ops, list_lp16_fp32_ops,  # noqa: F401
                        list_conditional_fp32_ops, list_widest_type_cast,
                        list_loss_output_functions, list_lp16_use_fp32_params)

__all__ = ['init', 'init_trainer', 'scale_loss', 'unscale', 'convert_model',
           'convert_hybrid_block', 'list_lp16_ops', 'list_fp32_ops', 'list_lp16_fp32_ops',
           'list_conditional_fp32_ops', 'list_widest_type_cast', 'list_loss_output_functions',
           'list_lp16_use_fp32_params', 'convert_symbol', 'convert_bucketing_module',
           'LossScaler']

_target = None            # 'float16' / 'bfloat16' once amp.init() ran
_loss_scaler = None       # the scaler init() makes; the first init_trainer() takes it
_loss_scaler_taken = False
_saved = None             # autocast settings before init(), for _deinit()

# MXNet casts float16 only on GPUs, bfloat16 on CPUs and GPUs (amp._cast_symbol_NDArray).
_DEVICES = {'float16': ('cuda',), 'bfloat16': ('cpu', 'cuda')}


class LossScaler:
    """Dynamic loss scaler for AMP (MXNet's `amp.loss_scaler.LossScaler`).

    Properties
    ----------
    loss_scale : float
        The current loss scale.
    """

    def __init__(self):
        self._loss_scale = 2. ** 16
        self._next_loss_scale = self._loss_scale
        self._max_loss_scale = 2. ** 24
        self._scale_seq_len = 2000
        self._unskipped = 0

    @property
    def loss_scale(self):
        return self._loss_scale

    def has_overflow(self, params):
        """Whether any gradient of `params` is not finite; updates the next loss scale."""
        with autograd.pause():
            by_device = {}
            for p in params:
                if p.grad_req != 'null':
                    for g in p.list_grad():
                        t = g.to_torch()
                        by_device.setdefault(t.device, []).append(torch.isfinite(t).all())
            # one host sync per device, as MXNet's single multi_all_finite
            has_overflow = not all(bool(torch.stack(v).all()) for v in by_device.values())
        # MXNet's order: the scale used for this step becomes current, then the next one
        # is chosen from this step's outcome.
        self._loss_scale = self._next_loss_scale
        if has_overflow:
            self._next_loss_scale = self._loss_scale / 2.
            self._unskipped = 0
            logging.info("AMP: decreasing loss scale to %f", self._next_loss_scale)
        else:
            self._unskipped += 1
        if self._unskipped == self._scale_seq_len:
            self._unskipped = 0
            self._next_loss_scale = min(self._max_loss_scale, self._loss_scale * 2.)
            logging.info("AMP: increasing loss scale to %f", self._next_loss_scale)
        return has_overflow


def init(target_dtype='float16', target_precision_ops=None, conditional_fp32_ops=None,
         fp32_ops=None):
    """Initialize AMP (automatic mixed precision): turn torch autocast on.

    Call it before creating the model. Later calls do not change the target type (as in
    MXNet) but switch autocast on for the calling thread.

    Parameters
    ----------
    target_dtype : {'float16', 'bfloat16'}
        Target low precision type. float16 applies to GPU operators, bfloat16 to CPU and
        GPU operators.
    target_precision_ops, conditional_fp32_ops, fp32_ops : None
        MXNet's overrides of its operator lists; regluon uses torch autocast's lists and
        refuses overrides.
    """
    global _target, _loss_scaler, _saved
    if any(v is not None for v in (target_precision_ops, conditional_fp32_ops, fp32_ops)):
        raise NotImplementedError(
            "amp.init: target_precision_ops, conditional_fp32_ops and fp32_ops are not "
            "supported: regluon's AMP uses torch autocast's operator lists")
    if _target is None:
        try:
            name = dtype_name(target_dtype)
        except TypeError:
            name = repr(target_dtype)
        if name not in _DEVICES:
            # MXNet asserts here; the same exception type, with what was given
            raise AssertionError("AMP currently supports only float16 or bfloat16 as a "
                                 f"target_dtype, got {name}")
        logging.info("Using AMP")
        _target = name
        _loss_scaler = LossScaler()
    if _saved is None:
        _saved = [(d, torch.is_autocast_enabled(d), torch.get_autocast_dtype(d))
                  for d in ('cpu', 'cuda')] + [torch.is_autocast_cache_enabled()]
    for device in _DEVICES[_target]:
        torch.set_autocast_dtype(device, torch_dtype(_target))
        torch.set_autocast_enabled(device, True)
    # Autocast's cache of cast weights lives until an autocast *context* exits; with
    # autocast switched on globally it would keep stale copies of updated parameters.
    torch.set_autocast_cache_enabled(False)


def _deinit():
    """Switch AMP off on this thread and forget init() (for tests; MXNet cannot)."""
    global _target, _loss_scaler, _loss_scaler_taken, _saved
    if _saved is not None:
        for device, enabled, dtype in _saved[:-1]:
            torch.set_autocast_enabled(device, enabled)
            torch.set_autocast_dtype(device, dtype)
        torch.set_autocast_cache_enabled(_saved[-1])
    _target, _loss_scaler, _loss_scaler_taken, _saved = None, None, False, None


def init_trainer(optimizer_or_trainer):
    """Initialize a Gluon Trainer for AMP's dynamic loss scaling.

    Its steps then skip the update when a gradient overflowed (see `scale_loss`).

    Parameters
    ----------
    optimizer_or_trainer : Trainer
        The Gluon Trainer (an Optimizer is refused, as in MXNet).
    """
    global _loss_scaler_taken
    if _target is None:
        raise AssertionError("AMP not initialized, did you forget to call amp.init()?")
    if isinstance(optimizer_or_trainer, Optimizer):
        raise TypeError("AMP is currently only compatible with Gluon Trainer")
    if not isinstance(optimizer_or_trainer, Trainer):
        raise TypeError("optimizer_or_trainer should be a Gluon Trainer or an optimizer, "
                        f"instead is {type(optimizer_or_trainer)}")
    trainer = optimizer_or_trainer
    if not _loss_scaler_taken:
        _loss_scaler_taken, scaler = True, _loss_scaler
    else:
        scaler = LossScaler()
    trainer._amp_loss_scaler = scaler
    trainer._amp_original_scale = trainer._scale
    update, allreduce = type(trainer)._update, type(trainer)._allreduce_grads

    def on_kvstore():
        return bool(trainer._kvstore and trainer._update_on_kvstore)

    def _allreduce_grads():
        # Updating on the store, the push is the update: an overflowing step is skipped
        # before it. (MXNet 1.9.1 checks only in _update, after the store has applied the
        # step; its own scripts turn update_on_kvstore off for AMP.)
        if on_kvstore():
            trainer._amp_skip = trainer._amp_loss_scaler.has_overflow(trainer._params)
            if trainer._amp_skip:
                return
        allreduce(trainer)

    def _update(ignore_stale_grad=False):
        # MXNet's Trainer._update: the whole update is skipped on overflow
        if on_kvstore():
            if trainer.__dict__.pop('_amp_skip', False):
                return
        elif trainer._amp_loss_scaler.has_overflow(trainer._params):
            return
        update(trainer, ignore_stale_grad)
    trainer._allreduce_grads = _allreduce_grads
    trainer._update = _update


@contextlib.contextmanager
def scale_loss(loss, optimizer_or_trainer):
    """Context manager giving the loss (or list of losses) multiplied by the loss scale;
    the trainer's next step divides the gradients by it again.

    Example::

        with autograd.record():
            loss = loss_fn(net(x), y)
            with amp.scale_loss(loss, trainer) as scaled_loss:
                autograd.backward(scaled_loss)
        trainer.step(batch_size)
    """
    scaler = getattr(optimizer_or_trainer, '_amp_loss_scaler', None)
    if scaler is None:
        raise AssertionError('Loss scaler is not initialized, did you forget to call '
                             'amp.init_trainer()?')
    optimizer_or_trainer._scale = optimizer_or_trainer._amp_original_scale / scaler.loss_scale
    if isinstance(loss, (list, tuple)):
        yield [l * scaler.loss_scale for l in loss]
    else:
        yield scaler.loss_scale * loss


def unscale(optimizer_or_trainer):
    """Divide the gradients by the loss scale now (e.g. to clip them) and make the next
    step leave them as they are.

    Parameters
    ----------
    optimizer_or_trainer : Trainer
        The Trainer used with `scale_loss`.
    """
    if isinstance(optimizer_or_trainer, Optimizer):
        raise TypeError("AMP is currently only compatible with Gluon Trainer")
    if not isinstance(optimizer_or_trainer, Trainer):
        raise TypeError("optimizer_or_trainer should be a Gluon Trainer or an optimizer, "
                        f"instead is {type(optimizer_or_trainer)}")
    trainer = optimizer_or_trainer
    with autograd.pause():
        for p in trainer._params:
            if p.grad_req != 'null':
                for g in p.list_grad():
                    g *= trainer._scale
    trainer._scale = 1.


# MXNet's package path mx.contrib.amp.amp (where convert_bucketing_module, left out of
# contrib.amp's __all__, is reached): the same module here
amp = sys.modules[__name__]


def __getattr__(name):
    # MXNet's module-level flags, read by libraries (GluonNLP's attention masks pick their
    # fill value by amp._amp_initialized)
    if name == '_amp_initialized':
        return _target is not None
    if name == '_amp_loss_scale_initialized':
        return _loss_scaler_taken
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
