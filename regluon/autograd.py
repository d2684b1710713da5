"""Recording state and gradients with MXNet 1.x semantics, on torch's autograd engine.

Rules (each pinned by tests against MXNet 1.9.1):
- nothing is recorded outside `record()`; the state is per thread;
- `grad_req='write'` overwrites the buffer the user holds, `'add'` accumulates into it;
- a non-scalar head gets a head gradient of ones.
"""
import threading

import torch

from .base import MXNetError

__all__ = ['record', 'pause', 'train_mode', 'predict_mode', 'is_recording', 'is_training',
           'set_recording', 'set_training', 'backward', 'grad', 'mark_variables']


class _State(threading.local):
    recording = False
    training = False


_state = _State()


def is_recording():
    """True inside `record()` (and not inside `pause()`) on this thread."""
    return _state.recording


def is_training():
    """True where Dropout/BatchNorm behave as in training on this thread."""
    return _state.training


def set_recording(is_recording):  # pylint: disable=redefined-outer-name
    """Set recording on or off; returns the previous state."""
    prev, _state.recording = _state.recording, bool(is_recording)
    return prev


def set_training(train_mode):
    """Set training mode on or off; returns the previous state."""
    prev, _state.training = _state.training, bool(train_mode)
    return prev


class _Scope:
    """Sets (recording, training) for a `with` block and restores both on exit."""

    def __init__(self, recording, training):
        self._rec, self._train = recording, training
        self._saved = []

    def __enter__(self):
        self._saved.append((_state.recording, _state.training, torch.is_grad_enabled()))
        if self._rec is not None:
            _state.recording = self._rec
            torch._C._set_grad_enabled(self._rec)
        if self._train is not None:
            _state.training = self._train
        return self

    def __exit__(self, *exc):
        _state.recording, _state.training, grad = self._saved.pop()
        torch._C._set_grad_enabled(grad)


def record(train_mode=True):  # pylint: disable=redefined-outer-name
    """Record operations for differentiation inside the `with` block."""
    return _Scope(True, train_mode)


def pause(train_mode=False):  # pylint: disable=redefined-outer-name
    """Stop recording inside the `with` block."""
    return _Scope(False, train_mode)


def train_mode():
    """Run Dropout/BatchNorm as in training inside the block (recording unchanged)."""
    return _Scope(None, True)


def predict_mode():
    """Run Dropout/BatchNorm as in inference inside the block (recording unchanged)."""
    return _Scope(None, False)


# ---- gradients -------------------------------------------------------------------------
class GradSlot:
    """Where a variable's gradients go: its buffer tensor and its grad_req."""
    __slots__ = ('buf', 'req')

    def __init__(self, buf, req):
        self.buf, self.req = buf, req

    def __call__(self, t):                      # torch's post-accumulate-grad hook
        g, t.grad = t.grad, None
        if g is not None:
            _deposit(self.buf, g, self.req)


def _deposit(grad_buf, g, req):
    """The one place grad_req is applied: every gradient for a variable ends here."""
    with torch.no_grad():
        if req == 'write':
            grad_buf.copy_(g)                   # same buffer object the user holds
        elif req == 'add':
            grad_buf.add_(g)


_REQS = ('write', 'add', 'null')


def attach(x, grad_req='write', grad_buf=None):
    """Make `x` (an NDArray) a variable with a gradient buffer; see NDArray.attach_grad."""
    from .ndarray.ndarray import _box
    if grad_req not in _REQS:
        raise MXNetError(f"attach_grad: grad_req must be one of {_REQS}, got {grad_req!r}")
    t = x._t.detach()
    if grad_req == 'null':
        x._t, x._grad = t, None
        return
    if not t.is_floating_point():
        raise MXNetError(f"attach_grad: gradients need a floating-point array, "
                         f"got dtype {x.dtype.__name__}")
    t.requires_grad_(True)
    buf = torch.zeros_like(t) if grad_buf is None else grad_buf._t
    t.register_post_accumulate_grad_hook(GradSlot(buf, grad_req))
    x._t = t
    x._grad = grad_buf if grad_buf is not None else _box(buf, x._ctx)


def mark_variables(variables, gradients, grad_reqs='write'):
    """Mark NDArrays as variables whose gradients go into the given buffers."""
    from .ndarray.ndarray import NDArray
    if isinstance(variables, NDArray):
        variables, gradients = [variables], [gradients]
    if isinstance(grad_reqs, str):
        grad_reqs = [grad_reqs] * len(variables)
    for v, g, r in zip(variables, gradients, grad_reqs):
        attach(v, r, g)


def _heads(heads, head_grads):
    from .ndarray.ndarray import NDArray
    if isinstance(heads, NDArray):
        heads = [heads]
        head_grads = None if head_grads is None else (
            [head_grads] if isinstance(head_grads, NDArray) else head_grads)
    ts = [h._t for h in heads]
    for h in ts:
        if not h.requires_grad:
            raise MXNetError(
                "Cannot differentiate node because it is not in a computational graph. "
                "You need to set is_recording to true or use autograd.record() to save "
                "computational graphs for backward. If you want to differentiate the same "
                "graph twice, you need to pass retain_graph=True to backward.")
    if head_grads is None:
        gs = [torch.ones_like(h) for h in ts]   # MXNet: ones for any head, scalar or not
    else:
        gs = [torch.ones_like(h) if g is None else g._t for h, g in zip(ts, head_grads)]
    return ts, gs


def _run(fn):
    try:
        return fn()
    except RuntimeError as e:
        if 'second time' in str(e) or 'freed' in str(e):
            raise MXNetError(
                "backward: the graph was already freed by a previous backward. Pass "
                "retain_graph=True to the first backward to differentiate it again.") from None
        raise MXNetError(f"backward: {e}") from None


def backward(heads, head_grads=None, retain_graph=False, train_mode=True):  # pylint: disable=redefined-outer-name
    """Compute the gradients of `heads` into the variables' `.grad` buffers."""
    ts, gs = _heads(heads, head_grads)
    with _Scope(None, train_mode):
        _run(lambda: torch.autograd.backward(ts, gs, retain_graph=retain_graph))


def grad(heads, variables, head_grads=None, retain_graph=None, create_graph=False,
         train_mode=True):  # pylint: disable=redefined-outer-name
    """Return the gradients of `heads` w.r.t. `variables` without touching `.grad`."""
    from .ndarray.ndarray import NDArray, _box
    single = isinstance(variables, NDArray)
    vs = [variables] if single else list(variables)
    ts, gs = _heads(heads, head_grads)
    if retain_graph is None:
        retain_graph = create_graph
    with _Scope(None, train_mode):
        out = _run(lambda: torch.autograd.grad(ts, [v._t for v in vs], gs,
                                               retain_graph=retain_graph,
                                               create_graph=create_graph,
                                               allow_unused=True))
    res = [_box(torch.zeros_like(v._t) if g is None else g, v._ctx) for g, v in zip(out, vs)]
    return res
