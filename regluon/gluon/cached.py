"""Hybridization: trace a HybridBlock into a Symbol graph once, then replay the graph.

`hybridize()` makes `HybridBlock.__call__` go through `CachedGraph`. The first call traces
`hybrid_forward(F=mx.sym, ...)` into a graph whose nodes call the very kernels `mx.nd`
calls (no second implementation of any op); later calls feed the inputs and the
Parameters' tensors to that graph. Replays are kept per (input shapes, dtypes, context,
training mode). With `static_alloc=True, static_shape=True` a replay is compiled:
captured as a CUDA graph on a GPU, or given to `torch.compile` on a CPU; a graph that
cannot be compiled runs uncompiled, with a warning that says why.
"""
import contextlib
import logging
import threading
import time
import warnings

import torch

from .. import autograd
from ..ndarray.ndarray import _box
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
    """The block's graph: (Symbol of its outputs, input names, whether it returned a list)."""
    names = input_names(n_inputs)
    out = block.forward(*[var(n) for n in names])
    multi = isinstance(out, (list, tuple))
    return (Group(list(out)) if multi else out), names, multi


class CachedGraph:
    """A traced graph of one block and its replays; see the module docstring."""

    def __init__(self, block, static=False):
        self._block = block
        self._static = static
        self._symbol = None
        self._names = None
        self._multi = False
        self._order = None
        self._params = None
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

    def _run(self, *tensors):
        feed = dict(zip(self._names + [n for n, _ in self._params], tensors))
        return graph.evaluate(self._symbol._outputs, feed, self._order)

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
        return boxed if self._multi else boxed[0]

    def _replay(self, tensors, rec):
        key = (tuple((tuple(t.shape), t.dtype, t.device) for t in tensors),
               autograd.is_training(), rec)
        fn = self._compiled.get(key)
        if fn is None:
            fn = self._compile(tensors, rec)
            self._compiled[key] = fn
        return fn

    def _compile(self, tensors, rec):
        start = time.perf_counter()
        try:
            if tensors[0].is_cuda:
                fn = self._cuda_graph(tensors, rec)
            else:
                fn = torch.compile(self._run, dynamic=False)
                fn(*tensors)                     # compile now, so its cost is measured here
        except Exception as e:  # pylint: disable=broad-except
            warnings.warn(f"hybridize: {self._block.name} could not be compiled "
                          f"({type(e).__name__}: {e}); it runs as an uncompiled graph")
            return self._run
        _log.info('hybridize: compiled %s in %.1f s', self._block.name,
                  time.perf_counter() - start)
        return fn

    def _cuda_graph(self, tensors, rec):
        """Capture forward (and, when recording, backward) as CUDA graphs.

        The graphs read the data inputs from private buffers (refilled at each call) and
        the Parameters' own tensors, so optimizer updates and BatchNorm's running
        statistics are seen and kept. State touched by the warm-up runs is restored.
        """
        n = len(self._names)
        params = tensors[n:]
        saved = [t.detach().clone() for t in params]
        static = [t.detach().clone().requires_grad_(t.requires_grad) for t in tensors[:n]]
        static += params

        def restore():
            with torch.no_grad():
                for t, s in zip(params, saved):
                    t.copy_(s)
        if rec:
            graphed = torch.cuda.make_graphed_callables(lambda *ts: tuple(self._run(*ts)),
                                                        tuple(static))
            restore()
            return lambda *ts: list(graphed(*ts))
        g = torch.cuda.CUDAGraph()
        stream = torch.cuda.Stream()
        stream.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(stream):
            self._run(*static)                   # warm up outside the capture
        torch.cuda.current_stream().wait_stream(stream)
        with torch.cuda.graph(g):
            static_out = self._run(*static)
        restore()

        def replay(*ts):
            with torch.no_grad():
                for dst, src in zip(static, ts):
                    if dst.data_ptr() != src.data_ptr():
                        dst.copy_(src)
            g.replay()
            return [o.clone() for o in static_out]
        return replay
