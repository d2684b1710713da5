"""Hybridization: trace a HybridBlock into a Symbol graph once, then replay the graph.

`hybridize()` makes `HybridBlock.__call__` go through `CachedGraph`. The first call traces
`hybrid_forward(F=mx.sym, ...)` into a graph whose nodes call the very kernels `mx.nd`
calls (no second implementation of any op); later calls feed the inputs and the
Parameters' tensors to that graph. Replays are kept per (input shapes, dtypes, context,
training mode). With `static_alloc=True, static_shape=True` a replay is compiled:
captured as a CUDA graph on a GPU, or given to `torch.compile` on a CPU; a graph that
cannot be compiled runs uncompiled, with a warning that says why.

A captured training call (inside record()) is two graphs, forward and backward, behind one
autograd node (`_Replay`) whose backward replays the backward graph. That graph also writes
the Parameters' gradients into their `.grad` buffers by grad_req (`_plan_deposit`; the
backward pass number keeps the sum with other uses of a Parameter in the same pass) and
hands torch the gradients of the data. A backward through captured calls only is replayed
without torch's engine (`_replay_chain`). A call's outputs live in the graph's memory
until its next call, as MXNet's static_alloc outputs do; a second recorded call before the
first one's backward runs uncompiled (the graph's memory is still needed).
"""
import contextlib
import logging
import os
import threading
import time
import warnings
import weakref

import torch

from .. import autograd
from ..ndarray.ndarray import _box
from ..numpy import _mode as _npmode
from ..symbol import Group, var
from ..symbol import graph

_log = logging.getLogger(__name__)
_local = threading.local()


@contextlib.contextmanager
def eager():
    """Run hybridized blocks eagerly inside (used for the first, shape-inferring call)."""
    prev = getattr(_local, 'eager', False)
    _local.eager = True
    try:
        yield
    finally:
        _local.eager = prev


def eager_only():
    return getattr(_local, 'eager', False)


def input_names(n):
    """MXNet's names for a traced block's inputs: 'data', or 'data0', 'data1', ..."""
    return ['data'] if n == 1 else [f'data{i}' for i in range(n)]


def trace(block, n_inputs):
    """The block's graph: (Symbol of its outputs, input names, the outputs' format).

    Outputs may nest (GluonNLP's BERT returns [[layer outputs], [attention maps]]): as in
    MXNet's CachedOp they are flattened into one Group and regrouped on every call."""
    from .symbol_block import _flat  # pylint: disable=import-outside-toplevel
    names = input_names(n_inputs)
    inputs = [var(n) for n in names]
    if _npmode.active and not _npmode.is_ours(block):   # np-mode code traces on _Symbols
        inputs = [v.as_np_ndarray() for v in inputs]
    flat, fmt = _flat(block.forward(*inputs))
    return Group(flat), names, fmt


def _regroup(flat, fmt):
    from .symbol_block import _regroup as regroup  # pylint: disable=import-outside-toplevel
    return regroup(flat, fmt)


class CachedGraph:
    """A traced graph of one block and its replays; see the module docstring."""

    def __init__(self, block, static=False):
        self._block = block
        self._static = static
        self._symbol = None
        self._names = None
        self._multi = 0            # the outputs' format: 0 one array, else as _regroup
        self._order = None
        self._params = None
        self._fn = None            # the graph as straight-line Python (graph.compile_graph)
        self._compiled = {}

    @property
    def symbol(self):
        return self._symbol

    def build(self, n_inputs):
        self._symbol, self._names, self._multi = trace(self._block, n_inputs)
        self._order = graph.topo_order(self._symbol._outputs)
        params = {p.name: p for p in self._block.collect_params().values()}
        inputs = self._symbol.list_inputs()
        self._params = [(n, params[n]) for n in inputs if n in params]
        unknown = [n for n in inputs if n not in params and n not in self._names]
        if unknown:
            raise ValueError(f"hybridize: the graph of {self._block.name} uses inputs "
                             f"{unknown} that are neither its data nor its Parameters")
        self._fn = graph.compile_graph(self._symbol._outputs,
                                       self._names + [n for n, _ in self._params], self._order)

    def _run(self, *tensors):
        return self._fn(*tensors)

    def __call__(self, *args):
        if self._symbol is None or len(args) != len(self._names):
            self.build(len(args))               # another number of inputs: trace again
            self._compiled = {}
        ctx = args[0].context
        tensors = [a._t for a in args] + [p.data(ctx)._t for _, p in self._params]
        rec = autograd.is_recording()
        prev = torch.is_grad_enabled()
        torch._C._set_grad_enabled(rec)
        try:
            fn = self._replay(tensors, rec) if self._static else self._run
            outs = fn(*tensors)
        finally:
            torch._C._set_grad_enabled(prev)
        label = args[0]._ctx
        boxed = [_box(t, label) for t in outs]
        return boxed[0] if self._multi == 0 else _regroup(boxed, self._multi)

    def _replay(self, tensors, rec):
        # a captured graph reads the Parameters' own tensors: a new one (a cast, another
        # grad_req, a reset context) needs another capture
        n = len(self._names)
        key = (tuple((tuple(t.shape), t.dtype, t.device) for t in tensors[:n]),
               tuple(map(id, tensors[n:])), autograd.is_training(), rec)
        fn = self._compiled.get(key)
        if fn is None:
            fn = self._compile(tensors, rec)
            self._compiled[key] = fn
        return fn

    def _compile(self, tensors, rec):
        start = time.perf_counter()
        try:
            capture = _capture_for(tensors[0].device)
            if capture is None:
                if os.environ.get('REGLUON_COMPILE', '1') == '0':
                    return self._run            # torch.compile's cost declined (README)
                return self._compiled_on_first_call()
            fn = self._captured(tensors, rec, capture)
        except Exception as e:  # pylint: disable=broad-except
            self._uncompiled(e)
            return self._run
        _log.info('hybridize: compiled %s in %.1f s', self._block.name,
                  time.perf_counter() - start)
        return fn

    def _uncompiled(self, e):
        warnings.warn(f"hybridize: {self._block.name} could not be compiled "
                      f"({type(e).__name__}: {e}); it runs as an uncompiled graph")

    def _compiled_on_first_call(self):
        """torch.compile of this graph's own function (each graph's generated function is
        its own code object, so torch's limit of compiled variants per code object counts
        one graph's shapes and modes, not every hybridized block of the program). It
        compiles at its first call, which is this call: the graph runs once, as it should
        (a BatchNorm's statistics move once), and the time is logged."""
        compiled = torch.compile(self._fn, dynamic=False)
        state = {'fn': None}

        def run(*tensors):
            fn = state['fn']
            if fn is not None:
                return fn(*tensors)
            start = time.perf_counter()
            try:
                outs = compiled(*tensors)
            except Exception as e:  # pylint: disable=broad-except
                self._uncompiled(e)
                state['fn'] = self._run
                return self._run(*tensors)
            state['fn'] = compiled
            _log.info('hybridize: compiled %s in %.1f s', self._block.name,
                      time.perf_counter() - start)
            return outs
        return run

    def _captured(self, tensors, rec, capture):
        """Capture forward (and, when recording, backward) as graphs.

        The graphs read the data inputs from private buffers (refilled at each call) and
        the Parameters' own tensors, so optimizer updates and BatchNorm's running
        statistics are seen and kept. State touched by the warm-up runs is restored.
        """
        n = len(self._names)
        params = tensors[n:]
        static = [t.detach().clone().requires_grad_(t.requires_grad) for t in tensors[:n]]
        static += params
        saved = [t.detach().clone() for t in params]

        def restore():
            # through .data: the Parameters' version counters stay as they were, so an op
            # recorded before this call that saved one of them can still be differentiated
            with torch.no_grad():
                for t, s in zip(params, saved):
                    t.data.copy_(s)
        if rec and any(t.requires_grad for t in static):
            step = _TrainingGraph(self, static, capture)
            restore()
            return step
        capture.warmup(lambda: self._run(*static))
        static_out = capture.capture(lambda: self._run(*static))[0]
        restore()

        def replay(*ts):
            with torch.no_grad():
                for dst, src in zip(static, ts):
                    if dst.data_ptr() != src.data_ptr():
                        dst.copy_(src)
            capture.replay_fwd()
            return [o.clone() for o in static_out]
        return replay


# ---- captured training graphs -------------------------------------------------------------
class _CudaGraphs:
    """Capture with CUDA graphs; the forward and backward graphs share one memory pool."""

    def __init__(self):
        self._pool = torch.cuda.graph_pool_handle()
        self.replay_fwd = self.replay_bwd = None

    executes = False        # capturing records the work without doing it

    @staticmethod
    def warmup(*bodies, iters=3):
        """Run the bodies a few times on a side stream before capture (cuDNN picks its
        algorithms, the allocator settles), as torch.cuda.make_graphed_callables does."""
        torch.cuda.synchronize()
        stream = torch.cuda.Stream()
        stream.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(stream):
            for _ in range(iters):
                for body in bodies:
                    body()
        torch.cuda.current_stream().wait_stream(stream)
        torch.cuda.synchronize()

    def capture(self, body, part='fwd'):
        """Capture `body()` once; returns its results (tensors in the graph's memory, which
        each replay rewrites) and sets `replay_<part>` (fwd or bwd)."""
        g = torch.cuda.CUDAGraph()
        with torch.cuda.graph(g, pool=self._pool):
            out = body()
        setattr(self, 'replay_' + part, g.replay)
        return out, g


class _Rerun:
    """A stand-in for graph capture on a CPU (tests): a replay runs the body again and
    copies its results into the tensors of the first run, which is what a replayed graph
    leaves in its memory."""

    executes = True         # "capturing" runs the body

    def __init__(self):
        self.replay_fwd = self.replay_bwd = None

    @staticmethod
    def warmup(*bodies, iters=1):
        for _ in range(iters):
            for body in bodies:
                body()

    def capture(self, body, part='fwd'):
        first = body()

        def replay():
            with torch.no_grad():
                for dst, src in zip(first, body()):
                    if dst is not None and src is not None:
                        dst.copy_(src)
        setattr(self, 'replay_' + part, replay)
        return first, None


def _capture_for(device):
    """How a static graph on `device` is captured: CUDA graphs on a GPU; None on a CPU,
    where torch.compile compiles it instead."""
    return _CudaGraphs() if device.type == 'cuda' else None


class _TrainingGraph:
    """A block's recorded call captured as a forward and a backward graph (see the module
    docstring); called with the data tensors and the Parameters' tensors."""

    def __init__(self, cached, static, capture):
        n = len(cached._names)
        self._n, self._static, self._capture = n, static, capture
        self._run = cached._run
        self._wrt = [t for t in static if t.requires_grad]
        self._outs = None
        self._pending = None     # a weak reference to a token the last call's node holds
        self._capturing = False
        # where each input's gradient is among the backward's results (None: needs none)
        it = iter(range(len(self._wrt)))
        self._grad_at = [next(it) if t.requires_grad else None for t in static]
        warm_grads = []

        def forward():
            with torch.enable_grad():
                self._outs = list(self._run(*static))
            return self._outs

        def backward():
            heads = [o for o in self._outs if o.requires_grad]
            grads = list(torch.autograd.grad(heads, self._wrt, self._grad_outs,
                                             allow_unused=True))
            if self._deposit is not None and not (self._capturing and capture.executes):
                self._deposit(grads)
            return grads

        def warm_backward():
            warm_grads[:] = backward()
        self._deposit = None
        capture.warmup(lambda: self._warm(forward), warm_backward)
        self._plan_deposit(static, warm_grads)
        self._static_outs = capture.capture(forward)[0]
        self._diff = [o.requires_grad for o in self._static_outs]
        self._grad_outs = [torch.zeros_like(o) for o in self._static_outs if o.requires_grad]
        self._last_heads = [None] * len(self._grad_outs)    # the tensors copied last
        self._capturing = True
        try:
            self._static_grads = capture.capture(backward, 'bwd')[0]
        finally:
            self._capturing = False
        # Drop the captured forward's autograd graph (the replays need only its memory):
        # alive, it keeps the Parameters' AccumulateGrad nodes made on the capture stream,
        # and every later backward would then synchronize that stream with the current one.
        self._static_outs = [o.detach() for o in self._static_outs]
        self._outs = None

    def _plan_deposit(self, static, grads):
        """Which Parameters' gradients the backward graph writes into their buffers itself
        (by grad_req, as autograd.GradSlot does), so that a backward pass does not hand each
        one to torch (an AccumulateGrad node, a Python hook and a copy per Parameter: most
        of a small network's host time between the graphs). A Parameter qualifies when its
        only hook is its GradSlot and its buffer is dense like its gradient (`grads`, from
        the warm-up); the others go through torch as before. Sets `_deposit(grads)`."""
        self._slots, self._deposited, self._dep_bufs = [], [False] * len(static), []
        copies, adds = [], []
        for i, t in enumerate(static[self._n:], self._n):
            j = self._grad_at[i]
            hooks = getattr(t, '_post_accumulate_grad_hooks', None)
            if j is None or not hooks or len(hooks) != 1:
                continue
            slot = next(iter(hooks.values()))
            g = grads[j] if j < len(grads) else None
            if not isinstance(slot, autograd.GradSlot) or g is None or g.is_sparse or \
                    slot.req not in ('write', 'add') or \
                    not isinstance(slot.buf, torch.Tensor) or slot.buf.is_sparse or \
                    slot.buf.shape != g.shape or slot.buf.dtype != g.dtype or \
                    slot.buf.device != g.device:
                continue
            (copies if slot.req == 'write' else adds).append((slot.buf, j))
            self._slots.append(slot)
            self._dep_bufs.append(slot.buf)
            self._deposited[i] = True
        if not self._slots:
            return
        copy_to, copy_from = [b for b, _ in copies], [j for _, j in copies]
        add_to, add_from = [b for b, _ in adds], [j for _, j in adds]

        def deposit(gs, to=None):
            with torch.no_grad():
                if copy_to:
                    torch._foreach_copy_(to[0] if to else copy_to, [gs[j] for j in copy_from])
                if add_to:
                    torch._foreach_add_(to[1] if to else add_to, [gs[j] for j in add_from])
        # its kernels warmed up on copies of the buffers (whose values must not change now)
        self._capture.warmup(lambda: deposit(grads, ([b.clone() for b in copy_to],
                                                     [b.clone() for b in add_to])), iters=1)
        self._deposit = deposit

    def _warm(self, forward):
        outs = forward()
        self._grad_outs = [torch.zeros_like(o) for o in outs if o.requires_grad]

    def __call__(self, *tensors):
        if self._pending is not None and self._pending() is not None:
            # the last call's backward has not run and its autograd node is alive (a graph
            # still uses it): the graph memory is still needed, so this call runs uncompiled
            return self._run(*tensors)
        token = _Token()
        outs = _Replay.apply(self, token, *tensors)
        self._pending = weakref.ref(token)
        return list(outs)

    def replay_forward(self, tensors):
        for dst, src in zip(self._static[:self._n], tensors):
            if dst.data_ptr() != src.data_ptr():
                dst.copy_(src)
        self._capture.replay_fwd()
        return self._static_outs

    def replay_backward(self, grads):
        self._pending = None
        heads = [g for g, d in zip(grads, self._diff) if d]
        last = self._last_heads
        for k, (dst, g) in enumerate(zip(self._grad_outs, heads)):
            if g is None:
                dst.zero_()
                last[k] = None
            elif last[k] is g and autograd.unchanged_ones(g):
                pass                # the default head gradient again: already in place
            elif dst.data_ptr() != g.data_ptr():
                dst.copy_(g)
                last[k] = g
        if not self._slots:
            self._capture.replay_bwd()
            return [None if i is None else self._static_grads[i] for i in self._grad_at]
        now = autograd.current_pass()
        if not now:
            # autograd.grad: every gradient goes to torch, and no buffer may change (the
            # graph writes them, so they are put back: a rare path)
            saved = [b.clone() for b in self._dep_bufs]
            self._capture.replay_bwd()
            torch._foreach_copy_(self._dep_bufs, saved)
            return [None if i is None else self._static_grads[i] for i in self._grad_at]
        # a 'write' buffer already written in this pass (another use of the Parameter, by
        # its hook or another graph) keeps that part: the pass's gradient is the sum
        kept = [(s.buf, s.buf.clone()) for s in self._slots if s.req == 'write' and
                now in (s.hook_pass, s.graph_pass)]
        self._capture.replay_bwd()
        for buf, part in kept:
            buf.add_(part)
        for s in self._slots:
            s.graph_pass = now
        torch._C._increment_version(self._dep_bufs)   # fresh gradients (Trainer's check)
        return [None if i is None or dep else self._static_grads[i]
                for i, dep in zip(self._grad_at, self._deposited)]


def _replay_chain(ts, gs):
    """autograd.backward of one head whose recorded graph is made only of captured calls
    (a hybridized network and its hybridized loss), run here instead of by torch's engine:
    each call's backward graph is replayed in turn, head first, each handing its data
    inputs' gradients to the call that made them. The Parameters' gradients are written by
    the graphs (`_TrainingGraph._plan_deposit`), so nothing else is left to do; torch's
    engine would add a hand-over to its device thread and a visit to every Parameter's
    AccumulateGrad node. Anything else in the graph (an eager op, a leaf input, a Parameter
    that is not written by its graph, a call reached twice) returns False: the engine runs
    it as usual."""
    if len(ts) != 1:
        return False
    head, grad = ts[0], gs[0]
    root = head.grad_fn
    if type(root) is not _NODE or grad.shape != head.shape or grad.dtype != head.dtype or \
            grad.device != head.device:
        return False
    order, children, seen = [], {}, {root}
    stack = [root]
    while stack:
        node = stack.pop()
        order.append(node)
        step = node.step
        kids = []
        for j, (fn, k) in enumerate(node.next_functions):
            if fn is None:
                continue
            if j < step._n:
                if type(fn) is not _NODE or fn in seen:
                    return False
                seen.add(fn)
                stack.append(fn)
                kids.append((j, fn, k))
            elif type(fn) is not _ACCUMULATE or not step._deposited[j]:
                return False
        children[node] = kids
    pending = {root: [None] * len(root.step._diff)}
    pending[root][head.output_nr] = grad
    for node in order:
        res = node.step.replay_backward(pending.pop(node))
        for j, child, k in children[node]:
            grads = pending.setdefault(child, [None] * len(child.step._diff))
            grads[k] = res[j].detach()
    return True


class _Token:
    """Held by a captured call's autograd node; a weak reference to it says whether the
    node (and so a backward that needs the graph's memory) may still come."""


class _Replay(torch.autograd.Function):
    """The autograd node of a captured training call (_TrainingGraph)."""

    @staticmethod
    def forward(ctx, step, token, *tensors):  # pylint: disable=arguments-differ
        ctx.step, ctx.token = step, token       # the token lives as long as this node
        outs = step.replay_forward(tensors[:step._n])
        res = tuple(o.detach() for o in outs)
        ctx.mark_non_differentiable(*[r for r, d in zip(res, step._diff) if not d])
        return res

    @staticmethod
    @torch.autograd.function.once_differentiable
    def backward(ctx, *grads):  # pylint: disable=arguments-differ
        res = ctx.step.replay_backward(list(grads))
        return (None, None) + tuple(None if g is None else g.detach() for g in res)


_NODE = _Replay._backward_cls                     # the autograd node of a captured call
_ACCUMULATE = torch._C._functions.AccumulateGrad
autograd.replay_chain = _replay_chain
