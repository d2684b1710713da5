"""autograd overhead on tiny arrays: regluon vs raw torch vs MXNet 1.9.1.

    OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE .venv/bin/python -m benchmarks.autograd_overhead

Cases: attach_grad; recording a 5-op graph; recording it and running backward (torch:
requires_grad leaf, `.grad = None` per step as a zero_grad).
"""
import sys

from benchmarks import _harness as H


def cases_for(lib):
    """{case name: zero-argument callable} for `lib`, and a sync function."""
    if lib == 'torch':
        import torch
        x = torch.rand(2, 3).requires_grad_()
        base = torch.rand(2, 3)

        def graph():
            return ((x * 2 + 1).exp() * x).sum()

        def step():
            x.grad = None
            graph().backward()
        return {
            # a leaf and its gradient buffer, what attach_grad makes
            'attach_grad': lambda: (base.detach().requires_grad_(), torch.zeros_like(base)),
            'record 5 ops': graph,
            'record 5 ops + backward': step,
        }, None
    if lib == 'regluon':
        import regluon as mx
    else:
        import mxnet as mx
    nd, ag = mx.nd, mx.autograd
    x = nd.random.uniform(shape=(2, 3))
    x.attach_grad()
    base = nd.random.uniform(shape=(2, 3))

    def graph():
        with ag.record():
            return ((x * 2 + 1).exp() * x).sum()

    def step():
        with ag.record():
            y = ((x * 2 + 1).exp() * x).sum()
        y.backward()
    return {
        'attach_grad': base.attach_grad,
        'record 5 ops': graph,
        'record 5 ops + backward': step,
    }, nd.waitall


def main():
    H.header('autograd_overhead: CPU microseconds per call on (2,3) arrays')
    libs = ['torch', 'regluon', 'mxnet']
    results = H.best_of(lambda lib: H.run_child('autograd_overhead', lib), libs)
    H.table(results, [lib for lib in libs if results[lib]])


if __name__ == '__main__':
    if '--child' in sys.argv:
        H.child_main(cases_for)
    else:
        main()
