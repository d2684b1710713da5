"""Golden data for BucketingModule, SequentialModule and Module over several contexts:
run with MXNet 1.9.1 (`MXNET_SUBGRAPH_BACKEND=NONE ~/.cache/mxnet-ref/bin/python
tools/golden_module_extra.py`). The scenarios live in tests/golden/module_extra_cases.py;
this writes tests/golden/module_extra.npz and MXNet's BucketingModule checkpoint
(module_extra_bucket-*)."""
import os
import sys

import mxnet as mx
import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'tests', 'golden')
sys.path.insert(0, OUT)
import module_extra_cases as cases  # noqa: E402


def main():
    G = {}
    for name, fn in cases.CASES.items():
        G.update({f'{name}:{k}': v for k, v in fn(mx).items()})
    prefix = os.path.join(OUT, 'module_extra_bucket')
    G.update({f'bucketing_fit:{k}': v for k, v in cases.bucketing_fit(mx, prefix).items()})
    np.savez_compressed(os.path.join(OUT, 'module_extra.npz'), **G)
    print(f'wrote {len(G)} arrays to tests/golden/module_extra.npz')


if __name__ == '__main__':
    main()
