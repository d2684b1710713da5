"""Golden data for autograd: gradient values, grad_req, modes, Function, errors.

Run with the real MXNet 1.9.1:  $(../shared/tools/mxnet-ref.sh) tools/golden_autograd.py
Writes tests/golden/autograd.npz from the scenarios of tests/golden/autograd_cases.py (shared
with tests/test_autograd.py): values, modes, and the type and message of each error.
"""
import json
import os
import sys

import numpy as np
import mxnet as mx

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden', 'autograd.npz')
sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden'))
import autograd_cases as cases  # noqa: E402  (shared with tests/test_autograd.py)
from golden_util import error  # noqa: E402  (tools/golden_util.py)

cases.use(mx)
SCENARIOS, ERRORS, modes = cases.SCENARIOS, cases.ERRORS, cases.modes


def main():
    data = {}
    for name, fn in SCENARIOS.items():
        for k, v in fn().items():
            data[f'{name}/{k}'] = np.asarray(v)
    data['modes'] = np.array(json.dumps(modes()))
    data['errors'] = np.array(json.dumps({n: error(f) for n, f in ERRORS.items()}))
    np.savez_compressed(OUT, **data)
    print('wrote', OUT, len(SCENARIOS), 'scenarios,', len(ERRORS), 'errors')


if __name__ == '__main__':
    main()
