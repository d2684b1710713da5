"""mx.monitor / mx.mon (MXNet 1.x's mxnet/monitor.py): statistics of an executor's arrays
every `interval` batches. As MXNet's engine, the executor calls back (set_monitor_callback,
through `node_hook`) for each node's outputs in forward (`<node>_output`, named as
get_internals names them) and, in backward, for the gradients of each node's inputs
(`<node>_backward_output` or `..._output<i>` with several inputs); toc adds the arguments
and auxiliary states."""
import logging
import re
from math import sqrt

import torch

from . import autograd
from . import ndarray
from .ndarray.ndarray import NDArray, _box


# operators whose MXNet inputs are numbered (no FListInputNames: input<i>; variadic: arg<i>)
_NUMBERED_INPUTS = {'Activation': 'input', 'SoftmaxActivation': 'input',
                    'Concat': 'arg', 'concat': 'arg', 'UpSampling': 'arg'}


def _input_name(node, i):
    if node.op in _NUMBERED_INPUTS:
        return f'{_NUMBERED_INPUTS[node.op]}{i}'
    return node.input_names[i] if i < len(node.input_names) else f'input{i}'


def node_hook(callback, monitor_all=False):
    """The per-node hook of graph.evaluate for Executor.set_monitor_callback: runs the node,
    gives `callback(name: bytes, NDArray)` its outputs and, when its gradients are computed, the
    gradient of each input (zeros for an input that takes none, where MXNet leaves its
    buffer unwritten). With `monitor_all`, also its forward inputs: a variable by its name,
    then each as `<node>_<input name>` (MXNet's input names, numbered for the operators
    that do not name them); not the inputs of the backward nodes."""
    out_names = {}

    def report(name, tensor):
        with autograd.pause():      # the name as bytes, as MXNet's C API passes it
            callback(name.encode(), _box(tensor.detach()))

    def hook(node, vals, run):
        if monitor_all:     # each input: a variable by its name, then as the node's input
            for i, ((src, _), v) in enumerate(zip(node.inputs, vals)):
                if isinstance(v, torch.Tensor):
                    if src.is_var:
                        report(src.name, v)
                    slot = _input_name(node, i)
                    report(f'{node.name}_{slot}', v)
        vals = list(vals)
        needs = [isinstance(v, torch.Tensor) and v.requires_grad for v in vals]
        if any(needs) and torch.is_grad_enabled():
            # MXNet's backward node has one output per input that is not an aux state
            aux = set(node.aux_input_slots())
            slots = [j for j in range(len(vals)) if j not in aux]

            def bname(k):
                return f'{node.name}_backward_output' + ('' if len(slots) == 1 else str(k))
            got = {}

            def on_grad(g, i):
                # reported in input order (as MXNet's backward node writes them) once all
                # have arrived
                got[i] = g
                if len(got) < sum(needs):
                    return
                for k, j in enumerate(slots):
                    v = vals[j]
                    if got.get(j) is not None:
                        report(bname(k), got[j])
                    elif isinstance(v, torch.Tensor):     # (a label's: none)
                        report(bname(k), torch.zeros(v.shape, dtype=v.dtype, device=v.device))
                got.clear()
            for i, n in enumerate(needs):
                if n:
                    vals[i] = vals[i].view_as(vals[i])      # this use's own gradient
                    vals[i].register_hook(lambda g, i=i: on_grad(g, i))
        outs = run(vals)
        if id(node) not in out_names:
            from .symbol.symbol import Symbol  # pylint: disable=import-outside-toplevel
            out_names[id(node)] = Symbol([(node, i) for i in range(len(outs))]).list_outputs()
        for name, t in zip(out_names[id(node)], outs):
            if isinstance(t, torch.Tensor):
                report(name, t)
        return outs
    return hook


class Monitor:
    """Monitor outputs, weights and gradients for debugging.

    interval: batches between collections; stat_func: NDArray -> NDArray (default
    norm(x)/sqrt(x.size)); pattern: regular expression the names must match; sort: sort the
    results by name; monitor_all: also inputs (for executors that report them)."""

    def __init__(self, interval, stat_func=None, pattern='.*', sort=False, monitor_all=False):
        if stat_func is None:
            def asum_stat(x):
                """returns |x|/size(x)."""
                return ndarray.norm(x) / sqrt(x.size)
            stat_func = asum_stat
        self.stat_func = stat_func
        self.interval = interval
        self.activated = False
        self.queue = []
        self.step = 0
        self.exes = []
        self.re_prog = re.compile(pattern)
        self.sort = sort
        self.monitor_all = monitor_all

        def stat_helper(name, array):
            """Executor callback."""
            name = name.decode() if isinstance(name, bytes) else name
            if not self.activated or not self.re_prog.match(name):
                return
            self.queue.append((self.step, name, self.stat_func(array)))
        self.stat_helper = stat_helper

    def install(self, exe):
        """Install on an executor (returned by symbol.bind); several may be installed."""
        if hasattr(exe, 'set_monitor_callback'):
            exe.set_monitor_callback(self.stat_helper, self.monitor_all)
        self.exes.append(exe)

    def tic(self):
        """Start collecting stats for the current batch. Call before forward."""
        if self.step % self.interval == 0:
            self.queue = []
            self.activated = True
        self.step += 1

    def toc(self):
        """End collecting for the current batch; a list of (step, name, stats string)."""
        if not self.activated:
            return []
        for exe in self.exes:
            named = []
            if not hasattr(exe, 'set_monitor_callback'):
                named += list(zip(exe._symbol.list_outputs(), exe.outputs))
            named += list(zip(exe._symbol.list_arguments(), exe.arg_arrays))
            named += list(zip(exe._symbol.list_auxiliary_states(), exe.aux_arrays))
            for name, array in named:
                if self.re_prog.match(name):
                    self.queue.append((self.step, name, self.stat_func(array)))
        self.activated = False
        res = []
        if self.sort:
            self.queue.sort(key=lambda x: x[1])
        for n, k, v_list in self.queue:
            if isinstance(v_list, NDArray):
                v_list = [v_list]
            assert isinstance(v_list, list)
            s = ''
            for v in v_list:
                assert isinstance(v, NDArray)
                if v.shape == (1,):
                    s += str(v.asscalar()) + '\t'
                else:
                    s += str(v.asnumpy()) + '\t'
            res.append((n, k, s))
        self.queue = []
        return res

    def toc_print(self):
        """End collecting and log the results."""
        res = self.toc()
        for n, k, v in res:
            logging.info('Batch: {:7d} {:30s} {:s}'.format(n, k, v))
