"""mx.monitor / mx.mon (MXNet 1.x's mxnet/monitor.py): statistics of an executor's arrays
every `interval` batches. MXNet's engine calls back for every node's output; regluon's
Executor runs the graph through torch, so a Monitor sees, per executor, the outputs
(`<name>_output` as list_outputs names them), the arguments and the auxiliary states, and
any arrays an executor with `set_monitor_callback` reports."""
import logging
import re
from math import sqrt

from . import ndarray
from .ndarray.ndarray import NDArray


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
