"""Golden data for the symbolic cells of mx.rnn: run with MXNet 1.9.1
(`MXNET_SUBGRAPH_BACKEND=NONE ~/.cache/mxnet-ref/bin/python tools/golden_rnn_cells.py`).
The scenarios live in tests/golden/rnn_cells_cases.py; this writes
tests/golden/rnn_cells.npz and MXNet's checkpoint rnn_cells_ckpt-*."""
import os
import sys
import warnings

import mxnet as mx
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'golden')
sys.path.insert(0, OUT)
import rnn_cells_cases as cases  # noqa: E402


def main():
    warnings.simplefilter('ignore')
    G = {}
    only = sys.argv[1:]
    for name, fn in cases.CASES.items():
        if only and name not in only:
            continue
        G.update({f'{name}:{k}': v for k, v in fn(mx).items()})
    if not only:   # MXNet's own checkpoint, which the tests load
        prefix = os.path.join(OUT, 'rnn_cells_ckpt')
        G.update({f'rnn_checkpoint:{k}': v
                  for k, v in cases.rnn_checkpoint(mx, prefix).items()})
    np.savez_compressed(os.path.join(OUT, 'rnn_cells.npz'), **G)
    print(f'wrote {len(G)} arrays to tests/golden/rnn_cells.npz')


if __name__ == '__main__':
    main()
