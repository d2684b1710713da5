"""Recording state and gradients with MXNet 1.x semantics, on torch's autograd engine.

Rules (each pinned by tests against MXNet 1.9.1):
- nothing is recorded outside `record()`; the state is per thread;
- `grad_req='write'` overwrites the buffer the user holds, `'add'` accumulates into it;
- a non-scalar head gets a head gradient of ones;
- backward() without retain_graph frees the graph: its arrays become constants.
"""
import threading
import weakref

import torch

from .base import MXNetError

__all__ = ['record', 'pause', 'train_mode', 'predict_mode', 'is_recording', 'is_training',
           'set_recording', 'set_training', 'backward', 'grad', 'mark_variables', 'Function',
           'get_symbol',
           # MXNet's autograd has no __all__: `from mxnet.autograd import *` also brings the
           # names it imports, and MXNet's own test_autograd.py relies on them
           'NDArray', 'Symbol', 'array']


def __getattr__(name):
    # those three, imported on first use (the ndarray package imports this module)
    if name in ('NDArray', 'array'):
        from . import ndarray
        return getattr(ndarray, name)
    if name == 'Symbol':
        from .symbol import Symbol
        return Symbol
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


class _State(threading.local):
    recording = False
    training = False


_state = _State()
_set_grad = torch._C._set_grad_enabled
_is_grad = torch.is_grad_enabled


def _unrecorded(t):
    """`t`, computed outside record() while torch's grad mode was on, cut from torch's graph.

    Operators do not set torch's grad mode before each call (that costs ~10% of a tiny op):
    record()/pause()/set_recording() keep it equal to MXNet's recording state, and the
    wrappers check a result instead. One that requires grad outside record() means the two
    were out of step (a thread's first op: torch starts threads with grad mode on; or raw
    torch code turned it on): grad mode is put back in step and the result detached, so
    nothing is recorded outside record(), as in MXNet.
    """
    _set_grad(_state.recording)
    return t.detach()


def _in_step():
    """Put torch's grad mode in step with MXNet's recording state; True if it was not."""
    rec = _state.recording
    if _is_grad() is rec:
        return False
    _set_grad(rec)
    return True


def is_recording():
    """True inside `record()` (and not inside `pause()`) on this thread."""
    return _state.recording


def is_training():
    """True where Dropout/BatchNorm behave as in training on this thread."""
    return _state.training


def set_recording(is_recording):  # pylint: disable=redefined-outer-name
    """Set recording on or off for this thread; returns the previous state.

    Parameters
    ----------
    is_recording : bool
    """
    prev, _state.recording = _state.recording, bool(is_recording)
    _set_grad(_state.recording)            # torch's grad mode follows (see _unrecorded)
    return prev


def set_training(train_mode):  # pylint: disable=redefined-outer-name
    """Set training mode on or off for this thread; returns the previous state.

    Parameters
    ----------
    train_mode : bool
    """
    prev, _state.training = _state.training, bool(train_mode)
    return prev


class _Scope:
    """Sets (recording, training) for a `with` block. On exit, as MXNet's scope, it puts
    back only a flag that entering changed: `with record(train_mode=False)` entered with
    training already off leaves training as the block left it."""

    def __init__(self, recording, training):
        self._rec, self._train = recording, training
        self._saved = []

    def __enter__(self):
        st = _state
        self._saved.append((st.recording, st.training, _is_grad()))
        if self._rec is not None:
            st.recording = self._rec
            _set_grad(self._rec)
        if self._train is not None:
            st.training = self._train
        return self

    def __exit__(self, *exc):
        rec, train, grad = self._saved.pop()
        if self._rec is not None and self._rec != rec:
            _state.recording = rec
        if self._train is not None and self._train != train:
            _state.training = train
        _set_grad(grad if _state.recording == rec else _state.recording)


def record(train_mode=True):  # pylint: disable=redefined-outer-name
    """Record operations for differentiation inside the `with` block.

    Parameters
    ----------
    train_mode : bool
        Whether layers such as Dropout and BatchNorm behave as in training inside.
    """
    return _Scope(True, train_mode)


def pause(train_mode=False):  # pylint: disable=redefined-outer-name
    """Stop recording inside the `with` block.

    Parameters
    ----------
    train_mode : bool
        Whether layers such as Dropout and BatchNorm behave as in training inside.
    """
    return _Scope(False, train_mode)


def train_mode():
    """Run Dropout/BatchNorm as in training inside the block (recording unchanged)."""
    return _Scope(None, True)


def predict_mode():
    """Run Dropout/BatchNorm as in inference inside the block (recording unchanged)."""
    return _Scope(None, False)


# ---- gradients -------------------------------------------------------------------------
# The backward pass under way: autograd.backward numbers each pass (0 outside one, and in
# autograd.grad, which writes no buffer). A captured graph (gluon/cached.py) writes the
# gradients of its Parameters into their buffers itself; the pass number lets that write
# and the hooks below sum every use of a variable within one pass, as grad_req says.
_pass = [0, 0]          # [the current pass (0: none), the last number given]


# gluon/cached.py's backward of a recorded graph made only of captured (CUDA-graph) calls,
# without torch's engine: set when that module is imported; returns False to decline.
replay_chain = None


def current_pass():
    """The number of the backward pass (autograd.backward) under way; 0 if none."""
    return _pass[0]


class GradSlot:
    """Where a variable's gradients go: its buffer tensor and its grad_req; and the last
    passes in which this hook (`hook_pass`) and a captured graph (`graph_pass`) wrote it."""
    __slots__ = ('buf', 'req', 'hook_pass', 'graph_pass')

    def __init__(self, buf, req):
        self.buf, self.req = buf, req
        self.hook_pass = self.graph_pass = 0

    def __call__(self, t):                      # torch's post-accumulate-grad hook
        g, t.grad = t.grad, None
        if g is not None:
            now = _pass[0]
            if now and self.graph_pass == now and self.req == 'write':
                _deposit(self.buf, g, 'add')    # a captured graph wrote this pass's first part
            else:
                _deposit(self.buf, g, self.req)
            self.hook_pass = now


def _deposit(grad_buf, g, req):
    """The one place grad_req is applied: every gradient for a variable ends here."""
    if g.requires_grad:                         # create_graph=True: keep the buffer a leaf
        g = g.detach()
    if req == 'write':
        try:
            grad_buf.copy_(g)                   # same buffer object the user holds
        except RuntimeError:
            if not g.is_sparse:
                raise
            grad_buf.copy_(g.to_dense())        # Embedding(sparse_grad=True), a dense .grad
    elif req == 'add':
        grad_buf.add_(g)


_REQS = ('write', 'add', 'null')

# MXNet's per-variable "fresh gradient" flag (NDArray._fresh_grad): backward sets it,
# gluon.Trainer clears it (and refuses a stale gradient). Here it is read off the gradient
# buffer's write counter: fresh when the buffer was written since the flag was cleared.
_cleared = {}     # id(gradient buffer tensor) -> [weakref to it, its version when cleared]
_NONE = (None, 0)


def fresh_grad(x):
    """NDArray._fresh_grad: whether `x`'s gradient was written since it was cleared."""
    if x._grad is None:
        return False
    buf = x._grad.to_torch()
    ref, version = _cleared.get(id(buf), _NONE)
    if ref is not None and ref() is not buf:
        version = 0
    return int(buf._version != version)     # MXNet gives the int flag


def set_fresh_grad(x, state):
    """Set NDArray._fresh_grad (False: the gradient's current value counts as seen)."""
    if x._grad is None:
        return
    buf = x._grad.to_torch()
    key = id(buf)
    entry = _cleared.get(key)
    if entry is not None and entry[0]() is buf:     # (the Trainer clears it every step)
        entry[1] = -1 if state else buf._version
        return
    ref = weakref.ref(buf, lambda r, k=key: _cleared.pop(k, None)
                      if _cleared.get(k, (None,))[0] is r else None)
    _cleared[key] = [ref, -1 if state else buf._version]


def attach(x, grad_req='write', grad_buf=None):
    """Make `x` (an NDArray) a variable with a gradient buffer; see NDArray.attach_grad."""
    from .ndarray.ndarray import _box
    if grad_req not in _REQS:
        # MXNet looks the name up in a dict: a KeyError, which users may catch
        raise KeyError(f"attach_grad: grad_req must be one of {_REQS}, got {grad_req!r}")
    if hasattr(x, '_make_variable'):            # a sparse array (ndarray/sparse.py)
        if grad_buf is None:                    # its own storage type, as attach_grad
            x.attach_grad(grad_req)
        else:
            x._make_variable(grad_req, grad_buf)
        return
    t = x._t.detach()
    buf = torch.zeros_like(t) if grad_buf is None else grad_buf._t
    x._t = t
    x._grad = grad_buf if grad_buf is not None else _box(buf, x._ctx)
    # MXNet allocates the buffer for 'null' and for integer arrays too; it stays zero.
    if grad_req != 'null' and (t.is_floating_point() or t.is_complex()):
        t.requires_grad_(True)
        t.register_post_accumulate_grad_hook(GradSlot(buf, grad_req))


def mark_variables(variables, gradients, grad_reqs='write'):
    """Mark NDArrays as variables whose gradients go into the given buffers.

    Parameters
    ----------
    variables : NDArray or list of NDArray
    gradients : NDArray or list of NDArray
        The gradient buffers, one per variable (same shapes).
    grad_reqs : str or list of str
        'write', 'add' or 'null', one for all or one per variable.
    """
    from .ndarray.ndarray import NDArray
    if isinstance(variables, NDArray):
        variables, gradients = [variables], [gradients]
    if isinstance(grad_reqs, str):
        grad_reqs = [grad_reqs] * len(variables)
    for v, g, r in zip(variables, gradients, grad_reqs):
        attach(v, r, g)


# ---- freed graphs: their arrays become constants -----------------------------------------
# MXNet: after backward() without retain_graph, the arrays of the graph it consumed are
# constants; a new recording may use them, and no gradient flows into the old graph (the d2l
# book's RNN with consecutive sampling relies on it). torch would fail on the freed graph
# instead. So every NDArray boxed with a tensor that requires grad is noted here (weakly; a
# dead array drops out by itself), and a non-retaining backward detaches in place those
# whose tensor belongs to the graph it consumed. Arrays of other graphs keep theirs; one
# recorded before that backward on top of the freed arrays (two losses on one subgraph)
# cannot be differentiated any more: an MXNetError, as in MXNet.
class _Ref(weakref.ref):
    """A weak reference hashed and compared by identity (weakref.ref would compare the
    NDArrays with ==, an elementwise op)."""
    __slots__ = ()
    __eq__ = object.__eq__
    __hash__ = object.__hash__
    group = nodes = ()


class _GroupRef(_Ref):
    """A `_Ref` to one output of a multi-output op; `group`: weakrefs to all its outputs;
    `nodes`: their torch graph nodes. A backward that reaches any of the nodes frees the
    whole group, even when the output it reached is dead by then: an RNN layer's state is
    freed by a loss on its (discarded) sequence output, as in MXNet (the d2l book's
    train_and_predict_rnn_gluon carries that state into the next batch)."""
    __slots__ = ('group', 'nodes')


_made = set()                   # _Ref to each noted NDArray; a dead one removes itself
_forget = _made.discard


def note(x):
    """Note NDArray `x`, just boxed with a tensor that requires grad (see above)."""
    _made.add(_Ref(x, _forget))


def note_group(xs):
    """Note the outputs of one multi-output operator: in MXNet they are one node of the
    graph, so a backward that consumes one of them makes all of them constants."""
    group = tuple(weakref.ref(x) for x in xs if x._t.requires_grad)
    nodes = tuple({x._t.grad_fn for x in xs if x._t.requires_grad})
    for x in xs:
        if x._t.requires_grad:
            r = _GroupRef(x, _forget)
            r.group, r.nodes = group, nodes
            _made.add(r)


def _free(ts):
    """Detach in place the noted arrays whose tensors belong to the graph of heads `ts`."""
    found = {}
    for r in list(_made):
        x = r()
        fn = None if x is None else x._t.grad_fn
        if fn is None:
            _forget(r)                          # dead, detached or a leaf variable
        else:
            for n in r.nodes or (fn,):          # a group's output is found by any member
                found.setdefault(n, []).append((r, x))
    # walk the graph from the heads until every noted array's node has been seen
    stack = [t.grad_fn for t in ts if t.grad_fn is not None]
    seen = set(stack)
    while stack and found:
        fn = stack.pop()
        hits = found.pop(fn, None)
        if hits is not None:
            for r, x in hits:
                x._t = x._t.detach()
                _forget(r)
                for g in r.group:
                    y = g()
                    if y is not None:
                        y._t = y._t.detach()
            if not found:
                break
        for nxt, _ in fn.next_functions:
            if nxt is not None and nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)


# MXNet's own words for a head with no graph (never recorded, or its graph already freed)
_NOT_IN_GRAPH = (
    "Cannot differentiate node because it is not in a computational graph. You need to set "
    "is_recording to true or use autograd.record() to save computational graphs for "
    "backward. If you want to differentiate the same graph twice, you need to pass "
    "retain_graph=True to backward.")
_engine = torch.autograd.Variable._execution_engine


def _heads(heads, head_grads):
    from .ndarray.ndarray import NDArray
    if isinstance(heads, NDArray):
        heads = [heads]
        head_grads = None if head_grads is None else (
            [head_grads] if isinstance(head_grads, NDArray) else head_grads)
    ts = tuple(h._t for h in heads)
    for h in ts:
        if not h.requires_grad:             # a freed graph's arrays were detached by _free
            raise MXNetError(_NOT_IN_GRAPH)
    if head_grads is None:
        gs = tuple(_ones_like(h) for h in ts)   # MXNet: ones for any head, scalar or not
    else:
        gs = tuple(_ones_like(h) if g is None else g._t for h, g in zip(ts, head_grads))
    return ts, gs


_ONES = {}      # (shape, dtype, device) -> (a tensor of ones, its version when made)


def unchanged_ones(t):
    """Whether `t` is the cached head gradient of ones, unwritten since it was made."""
    hit = _ONES.get((t.shape, t.dtype, t.device))
    return hit is not None and hit[0] is t and t._version == hit[1]


def _ones_like(h):
    """Ones shaped as head `h`: the same tensor again while nothing has written into it
    (its version counter says so). A step's loss backward then makes no new tensor, and a
    captured graph sees the same head gradient as last time and copies nothing."""
    if h.numel() > 65536:                       # a big head: not worth keeping alive
        return torch.ones_like(h)
    key = (h.shape, h.dtype, h.device)
    hit = _ONES.get(key)
    if hit is not None and hit[0]._version == hit[1]:
        return hit[0]
    if len(_ONES) > 64:
        _ONES.clear()
    t = torch.ones_like(h, memory_format=torch.contiguous_format)
    _ONES[key] = (t, t._version)
    return t


def _run(fn, ts, retain_graph):
    try:
        res = fn()
    except RuntimeError as e:
        if 'second time' in str(e) or 'freed' in str(e):
            raise MXNetError(f"{_NOT_IN_GRAPH} (The graph was freed by an earlier backward "
                             "without retain_graph=True.)") from None
        raise MXNetError(f"backward: {e}") from None
    if not retain_graph:
        _free(ts)
    return res


def backward(heads, head_grads=None, retain_graph=False, train_mode=True):  # pylint: disable=redefined-outer-name
    """Compute the gradients of `heads` into the variables' `.grad` buffers.

    Parameters
    ----------
    heads : NDArray or list of NDArray
        Output(s) recorded inside `record()`.
    head_grads : NDArray or list of NDArray or None
        Gradients with respect to the heads; None (or a None entry) means ones.
    retain_graph : bool
        Keep the graph so that it can be differentiated again.
    train_mode : bool
        Whether the backward pass runs in training mode.
    """
    ts, gs = _heads(heads, head_grads)
    prev = set_training(train_mode)
    outer = _pass[0]
    _pass[1] += 1
    _pass[0] = _pass[1]
    try:
        if replay_chain is not None and replay_chain(ts, gs):
            if not retain_graph:                # (a graph made only of captured calls)
                _free(ts)
        else:
            # torch's engine directly: torch.autograd.backward's Python checks cost more
            # than a small graph's backward; the engine still checks the head gradients.
            _run(lambda: _engine.run_backward(ts, gs, retain_graph, False, (),
                                              allow_unreachable=True, accumulate_grad=True),
                 ts, retain_graph)
    finally:
        _state.training = prev
        _pass[0] = outer


def grad(heads, variables, head_grads=None, retain_graph=None, create_graph=False,
         train_mode=True):  # pylint: disable=redefined-outer-name
    """Return the gradients of `heads` w.r.t. `variables`, leaving `.grad` untouched.

    Parameters
    ----------
    heads : NDArray or list of NDArray
    variables : NDArray or list of NDArray
        Arrays marked with `attach_grad()` (or `mark_variables`).
    head_grads : NDArray or list of NDArray or None
        Gradients with respect to the heads; None means ones.
    retain_graph : bool or None
        Keep the graph for another backward; defaults to `create_graph`.
    create_graph : bool
        Record the gradient computation too, for higher-order gradients.
    train_mode : bool
        Whether the backward pass runs in training mode.

    Returns
    -------
    list of NDArray
        One gradient per variable.
    """
    from .ndarray.ndarray import NDArray, _box
    vs = [variables] if isinstance(variables, NDArray) else list(variables)
    for i, v in enumerate(vs):
        if not v._t.requires_grad:
            raise MXNetError(f"Cannot differentiate with respect to the {i + 1}-th variable "
                             "because it does not require gradient. Call attach_grad() on "
                             "it before autograd.record().")
    ts, gs = _heads(heads, head_grads)
    if retain_graph is None:
        retain_graph = create_graph
    outer, _pass[0] = _pass[0], 0              # no buffer is written (see current_pass)
    try:
        with _Scope(None, train_mode):
            out = _run(lambda: torch.autograd.grad(ts, [v._t for v in vs], gs,
                                                   retain_graph=retain_graph,
                                                   create_graph=create_graph,
                                                   allow_unused=True), ts, retain_graph)
    finally:
        _pass[0] = outer
    for i, g in enumerate(out):
        if g is None:
            raise MXNetError(f"Cannot differentiate with respect to the {i + 1}-th variable "
                             "because it is unreachable from the outputs.")
    # torch may answer a gradient that is zero by construction (abs's second derivative)
    # with a ZeroTensor, which no in-place op or asnumpy() takes: make it an array
    out = [torch.zeros(g.shape, dtype=g.dtype, device=g.device) if g._is_zerotensor() else g
           for g in out]
    from .numpy.multiarray import ndarray as np_ndarray     # np variables: np gradients
    return [_box(g, v._ctx).as_np_ndarray() if isinstance(v, np_ndarray) else _box(g, v._ctx)
            for g, v in zip(out, vs)]


def get_symbol(x):  # pylint: disable=unused-argument
    """MXNet returns the recorded graph as a Symbol; regluon records with torch's autograd,
    which keeps no symbolic graph, so this raises MXNetError saying what to use instead."""
    raise MXNetError("autograd.get_symbol is not supported: regluon records gradients with "
                     "torch's autograd, which keeps no symbolic graph. To get a Symbol, "
                     "hybridize() a HybridBlock and export() it, or build it with mx.sym.")



# ---- custom differentiation ---------------------------------------------------------------
class Function:
    """Customize differentiation: define `forward` and `backward` on NDArrays.

    As in MXNet, `forward` runs with recording paused, and `backward` receives one gradient
    per output and returns one per input. Each instance can be called once::

        class sigmoid(mx.autograd.Function):
            def forward(self, x):
                y = 1 / (1 + mx.nd.exp(-x))
                self.save_for_backward(y)
                return y

            def backward(self, dy):
                y, = self.saved_tensors
                return dy * y * (1 - y)
    """

    def __init__(self):
        self._used = False
        self._out_type = None
        self.saved_tensors = ()

    def save_for_backward(self, *args):
        """Keep NDArrays for `backward`; they come back as `self.saved_tensors`."""
        self.saved_tensors = args

    def forward(self, *inputs):
        """Forward computation on NDArrays."""
        raise NotImplementedError

    def backward(self, *output_grads):
        """Gradients of the inputs, given the gradients of the outputs."""
        raise NotImplementedError

    def __call__(self, *inputs):
        # MXNet's own assertion, word for word
        assert not self._used, ("Each Function instance can only be called once. "
                                "Please create another instance.")
        self._used = True
        from .ndarray.ndarray import NDArray, _box
        bad = [type(x).__name__ for x in inputs if not isinstance(x, NDArray)]
        if bad:
            raise TypeError(f"{type(self).__name__}: autograd.Function takes NDArrays, got "
                            f"{bad}; it runs imperatively and cannot be hybridized")
        if not _state.recording:
            return self.forward(*inputs)
        outs = [_box(t, inputs[0]._ctx) for t in _Bridge.apply(self, *[x._t for x in inputs])]
        return outs[0] if self._out_type is None else self._out_type(outs)


class _Bridge(torch.autograd.Function):
    """Runs a `Function`'s NDArray forward/backward as one node of torch's graph."""

    @staticmethod
    def forward(ctx, func, *tensors):  # pylint: disable=arguments-differ
        from .ndarray.ndarray import NDArray, _box
        ctx.func = func
        prev = set_recording(False)
        try:
            out = func.forward(*[_box(t) for t in tensors])
        finally:
            set_recording(prev)
        func._out_type = None if isinstance(out, NDArray) else type(out)
        outs = tuple(o._t for o in ([out] if func._out_type is None else out))
        # an output that is an input unchanged must still be a new node of the graph
        return tuple(o.view_as(o) if any(o is t for t in tensors) else o for o in outs)

    @staticmethod
    def backward(ctx, *grads):  # pylint: disable=arguments-differ
        from .ndarray.ndarray import NDArray, _box
        prev = set_recording(False)
        try:
            res = ctx.func.backward(*[_box(g) for g in grads])
        finally:
            set_recording(prev)
        res = (res,) if isinstance(res, NDArray) else tuple(res)
        n_in = len(ctx.needs_input_grad) - 1
        if len(res) != n_in:
            raise MXNetError(f"{type(ctx.func).__name__}.backward must return exactly as "
                             f"many NDArrays as forward's arguments: expected {n_in}, "
                             f"got {len(res)}")
        return (None,) + tuple(r._t for r in res)
