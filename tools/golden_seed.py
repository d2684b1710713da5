"""Golden outputs of the seed/book examples in tests/golden/seed_cases.py, by MXNet 1.9.1.

    MXNET_SUBGRAPH_BACKEND=NONE $(../shared/tools/mxnet-ref.sh) tools/golden_seed.py
"""
import os
import sys

import numpy as np
import mxnet as mx

GOLDEN = os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden')
sys.path.insert(0, GOLDEN)
import seed_cases  # noqa: E402

out = seed_cases.run(mx)
np.savez_compressed(os.path.join(GOLDEN, 'seed.npz'),
                    **{str(i): out[c] for i, c in enumerate(seed_cases.POOLING)})
print('wrote', len(out), 'cases')
