"""Golden data for Module's executor group (DataParallelExecutorGroup, group2ctxs,
_exec_group, bucketing grad_req, row_sparse parameters): run with MXNet 1.9.1
(`MXNET_SUBGRAPH_BACKEND=NONE ~/.cache/mxnet-ref/bin/python tools/golden_module_group.py`).
The scenarios live in tests/golden/module_group_cases.py; this writes
tests/golden/module_group.npz."""
import os
import sys

import mxnet as mx
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'golden')
sys.path.insert(0, OUT)
import module_group_cases as cases  # noqa: E402


def main():
    G = {}
    for name, fn in cases.CASES.items():
        G.update({f'{name}:{k}': v for k, v in fn(mx).items()})
    np.savez_compressed(os.path.join(OUT, 'module_group.npz'), **G)
    print(f'wrote {len(G)} arrays to tests/golden/module_group.npz')


if __name__ == '__main__':
    main()
