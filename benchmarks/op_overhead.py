"""Per-operator imperative overhead on tiny arrays: regluon vs raw torch vs MXNet 1.9.1.

    OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE .venv/bin/python -m benchmarks.op_overhead

Each library runs in its own interpreter (MXNet with ~/.cache/mxnet-ref/bin/python).
Prints CPU microseconds per call and ratios to raw torch, then `import` times.
"""
import sys

from benchmarks import _harness as H


def cases_for(lib):
    """{case name: zero-argument callable} doing the same tiny op in `lib`, and a sync."""
    if lib == 'torch':
        import torch
        a, b = torch.rand(2, 3), torch.rand(2, 3)
        m, n = torch.rand(4, 4), torch.rand(4, 4)
        return {
            'a+b (2,3)': lambda: a + b,
            'a*2 (2,3)': lambda: a * 2,
            'exp(a)': lambda: torch.exp(a),
            'relu(a)': lambda: torch.relu(a),
            'a.sum()': lambda: a.sum(),
            'dot (4,4)x(4,4)': lambda: torch.matmul(m, n),
            'a[1]': lambda: a[1],
            'a[:, 1:]': lambda: a[:, 1:],
            'a.reshape((3,2))': lambda: a.reshape((3, 2)),
            'a += b': lambda: a.add_(b),
        }, None
    if lib == 'regluon':
        import regluon as mx
    else:
        import mxnet as mx
    nd = mx.nd
    a, b = nd.random.uniform(shape=(2, 3)), nd.random.uniform(shape=(2, 3))
    m, n = nd.random.uniform(shape=(4, 4)), nd.random.uniform(shape=(4, 4))

    def iadd():
        nonlocal a
        a += b
    return {
        'a+b (2,3)': lambda: a + b,
        'a*2 (2,3)': lambda: a * 2,
        'exp(a)': lambda: nd.exp(a),
        'relu(a)': lambda: nd.relu(a),
        'a.sum()': lambda: a.sum(),
        'dot (4,4)x(4,4)': lambda: nd.dot(m, n),
        'a[1]': lambda: a[1],
        'a[:, 1:]': lambda: a[:, 1:],
        'a.reshape((3,2))': lambda: a.reshape((3, 2)),
        'a += b': iadd,
    }, nd.waitall


def main():
    H.header('op_overhead: CPU microseconds per call on tiny arrays')
    libs = ['torch', 'regluon', 'mxnet']
    results = H.best_of(lambda lib: H.run_child('op_overhead', lib), libs)
    H.table(results, [lib for lib in libs if results[lib]])
    torch_ms = H.import_time('torch')
    regluon_ms = H.import_time('regluon')
    print(f'\nimport (CPU ms): torch {torch_ms:.0f}, regluon {regluon_ms:.0f} '
          f'({regluon_ms / torch_ms:.2f}x)')
    if H.MXNET_PY.exists():
        print(f'import (CPU ms): mxnet {H.import_time("mxnet", str(H.MXNET_PY), runs=3):.0f}')


if __name__ == '__main__':
    if '--child' in sys.argv:
        H.child_main(cases_for)
    else:
        main()
