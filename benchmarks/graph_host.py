"""The host (CPU) side of a CUDA-graph training step, measured without a GPU.

    OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE .venv/bin/python -m benchmarks.graph_host

A LeNet training step at batch 256 on a GPU is launch-bound: what limits it is the Python
and dispatch work on the CPU, not the kernels. Captured as CUDA graphs
(`hybridize(static_alloc=True, static_shape=True)`), the step keeps only the work around
the graphs: the Block calls, the autograd node, depositing each gradient by grad_req, the
loss block, and `Trainer.step`. This script times that work on a CPU by swapping the
capture (`gluon.cached._capture_for`) for one whose replays do nothing, so what is left is
exactly the host work of a graphed step. For comparison it times the eager step at batch 1,
where the kernels cost little and the time is the eager step's host work.

The ratio of the two is what graphs can give a launch-bound step at most (the GPU's own
time for the graph, ~0.3 ms for raw torch's LeNet step on an H100, puts a floor under the
graphed step). It is a figure to track between GPU sessions, not the GPU speedup itself:
`benchmarks/gpu_check.py` measures that on a GPU.
"""
import os
import time

import numpy as np

import regluon as mx
from regluon import autograd, gluon, init, nd
from regluon.gluon import cached
from benchmarks.train_cnn import gluon_nets


class _NoReplay(cached._Rerun):
    """A capture whose replays do nothing: the graph's outputs stay those of capture."""

    def capture(self, body, part='fwd'):
        first = body()
        setattr(self, 'replay_' + part, lambda: None)
        return first, None


def lenet_step(batch, graphed, ctx=None, make=None):
    """(forward, backward(loss), trainer step) of a LeNet training step at `batch` on `ctx`
    (the CPU by default); `make` builds the network (train_cnn's LeNet by default)."""
    net = make() if make is not None else gluon_nets(mx)[1]
    net.initialize(init.Xavier(), ctx=ctx)
    x = nd.random.uniform(shape=(batch, 1, 28, 28), ctx=ctx)
    y = nd.array(np.random.randint(0, 10, batch), ctx=ctx)
    net(x)
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    if graphed:
        net.hybridize(static_alloc=True, static_shape=True)
        loss.hybridize(static_alloc=True, static_shape=True)
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.05})

    def forward():
        with autograd.record():
            return loss(net(x), y)
    return forward, lambda l: l.backward(), lambda: trainer.step(batch)


def host_us(batch, graphed, steps=200, rounds=5):
    """Best-of-rounds CPU microseconds per step, and per phase (forward, backward, step)."""
    forward, backward, update = lenet_step(batch, graphed)
    for _ in range(5):
        backward(forward())
        update()
    best = None
    for _ in range(rounds):
        acc = [0.0, 0.0, 0.0]
        for _ in range(steps):
            c0 = time.process_time()
            l = forward()
            c1 = time.process_time()
            backward(l)
            c2 = time.process_time()
            update()
            c3 = time.process_time()
            acc[0] += c1 - c0
            acc[1] += c2 - c1
            acc[2] += c3 - c2
        us = [a / steps * 1e6 for a in acc]
        if best is None or sum(us) < sum(best):
            best = us
    return best


def main():
    real_capture = cached._capture_for
    cached._capture_for = lambda device: _NoReplay()
    try:
        rows = [('eager, batch 1 (host work of the eager step)', host_us(1, False)),
                ('graphed, replays skipped, batch 1', host_us(1, True)),
                ('graphed, replays skipped, batch 256', host_us(256, True))]
    finally:
        cached._capture_for = real_capture
    print(f"OMP_NUM_THREADS={os.environ.get('OMP_NUM_THREADS')}; CPU us per LeNet step")
    print(f"| step | total | forward | backward | trainer.step |")
    print('|---|---:|---:|---:|---:|')
    for name, us in rows:
        print(f"| {name} | {sum(us):.0f} | " + ' | '.join(f'{u:.0f}' for u in us) + ' |')
    print(f"eager host work / graphed host work (batch 1): "
          f"{sum(rows[0][1]) / sum(rows[1][1]):.1f}x")


if __name__ == '__main__':
    main()
