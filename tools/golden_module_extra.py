"""Golden data for BucketingModule, SequentialModule and Module over several contexts:
run with MXNet 1.9.1 (`MXNET_SUBGRAPH_BACKEND=NONE ~/.cache/mxnet-ref/bin/python
tools/golden_module_extra.py`). The scenarios live in tests/golden/module_extra_cases.py;
this writes tests/golden/module_extra.npz and MXNet's BucketingModule checkpoint
(module_extra_bucket-*)."""
import os

import mxnet as mx
import numpy as np

from golden_util import GOLDEN, case_module, run_cases

OUT = str(GOLDEN)
cases = case_module('module_extra_cases')


def main():
    G = run_cases(mx, cases)
    prefix = os.path.join(OUT, 'module_extra_bucket')
    G.update({f'bucketing_fit:{k}': v for k, v in cases.bucketing_fit(mx, prefix).items()})
    np.savez_compressed(os.path.join(OUT, 'module_extra.npz'), **G)
    print(f'wrote {len(G)} arrays to tests/golden/module_extra.npz')


if __name__ == '__main__':
    main()
