"""Golden data for Module's executor group (DataParallelExecutorGroup, group2ctxs,
_exec_group, bucketing grad_req, row_sparse parameters): run with MXNet 1.9.1
(`MXNET_SUBGRAPH_BACKEND=NONE ~/.cache/mxnet-ref/bin/python tools/golden_module_group.py`).
The scenarios live in tests/golden/module_group_cases.py; this writes
tests/golden/module_group.npz."""
import os

import mxnet as mx
import numpy as np

from golden_util import GOLDEN, case_module, run_cases

OUT = str(GOLDEN)
cases = case_module('module_group_cases')


def main():
    G = run_cases(mx, cases)
    np.savez_compressed(os.path.join(OUT, 'module_group.npz'), **G)
    print(f'wrote {len(G)} arrays to tests/golden/module_group.npz')


if __name__ == '__main__':
    main()
