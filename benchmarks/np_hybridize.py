"""An np-mode block (F.np / F.npx code around Gluon layers) eager and hybridized, against
the same block written with legacy `F.` operators and against raw torch.

    OMP_NUM_THREADS=1 OMP_WAIT_POLICY=PASSIVE .venv/bin/python -m benchmarks.np_hybridize

The block is the attention-style body of d2l.ai's chapters 10-11 (Dense, relu, batch_dot,
softmax, residual add, tanh, mean) on a (4, 10, 32) batch; a training step is forward in
record() and backward. Process CPU time per step, best of 5 rounds of 300 steps. In np mode
a hybridized graph's nodes are MXNet's np operators, each running the `mx.np` function
(regluon/numpy/_ops.py), so the figure shows what that costs against legacy nodes.
"""
import time

import torch

import regluon as mx
from regluon import autograd, gluon, nd, npx
from regluon.gluon import nn


class _Net(gluon.HybridBlock):
    def __init__(self, np_mode, **kwargs):
        super().__init__(**kwargs)
        self._np = np_mode
        self.d1 = nn.Dense(64, flatten=False)
        self.d2 = nn.Dense(64, flatten=False)

    def hybrid_forward(self, F, x):
        if self._np:
            h = F.npx.relu(self.d1(x))
            a = F.npx.softmax(F.npx.batch_dot(h, h, transpose_b=True) / 8.0)
            h = F.npx.batch_dot(a, h) + h
            return F.np.tanh(self.d2(h)).mean(axis=1)
        h = F.relu(self.d1(x))
        a = F.softmax(F.batch_dot(h, h, transpose_b=True) / 8.0)
        h = F.batch_dot(a, h) + h
        return F.tanh(self.d2(h)).mean(axis=1)


def _best(fn, n=300, rounds=5):
    best = float('inf')
    for _ in range(rounds):
        t = time.process_time()
        for _ in range(n):
            fn()
        best = min(best, (time.process_time() - t) / n * 1e6)
    return best


def _regluon(np_mode, hybridize):
    if np_mode:
        npx.set_np()
    try:
        net = _Net(np_mode)
        net.initialize()
        if hybridize:
            net.hybridize()
        x = mx.np.random.uniform(size=(4, 10, 32)) if np_mode else \
            nd.random.uniform(shape=(4, 10, 32))
        x.attach_grad()

        def step():
            with autograd.record():
                y = net(x)
            y.backward()
        step()
        return _best(step)
    finally:
        npx.reset_np()


def _torch():
    d1, d2 = torch.nn.Linear(32, 64), torch.nn.Linear(64, 64)
    x = torch.rand(4, 10, 32, requires_grad=True)

    def step():
        h = torch.relu(d1(x))
        a = torch.softmax(torch.bmm(h, h.transpose(1, 2)) / 8.0, dim=-1)
        h = torch.bmm(a, h) + h
        torch.tanh(d2(h)).mean(dim=1).sum().backward()
    step()
    return _best(step)


def main():
    ref = _torch()
    print(f"{'step':<34}{'us':>8}{'/torch':>9}")
    print(f"{'raw torch':<34}{ref:>8.0f}{1:>9.2f}")
    for np_mode in (False, True):
        for hyb in (False, True):
            t = _regluon(np_mode, hyb)
            label = f"regluon {'np' if np_mode else 'nd'} {'hybridized' if hyb else 'eager'}"
            print(f"{label:<34}{t:>8.0f}{t / ref:>9.2f}")


if __name__ == '__main__':
    main()
