"""Golden data for mx.np / mx.npx: values, dtypes, shapes and kinds of results, error types,
and the d2l.ai chapter 2-3 scenarios on fixed data.

Run with the real MXNet 1.9.1:
    MXNET_SUBGRAPH_BACKEND=NONE $(../shared/tools/mxnet-ref.sh) tools/golden_numpy.py
Writes tests/golden/numpy.npz from tests/golden/numpy_cases.py (shared with
tests/test_numpy.py).
"""
import json
import os
import subprocess
import sys

import numpy as np
import mxnet as mx

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden', 'numpy.npz')
sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden'))
import numpy_cases as cases  # noqa: E402  (shared with tests/test_numpy.py)
from golden_util import error  # noqa: E402  (tools/golden_util.py)

cases.use(mx)


def d2l_script():
    """What tests/compat_scripts/d2l_numpy.py (d2l.ai chapters 2-3) prints under MXNet."""
    script = os.path.join(os.path.dirname(__file__), '..', 'tests', 'compat_scripts',
                          'd2l_numpy.py')
    out = subprocess.run([sys.executable, script], capture_output=True, text=True, check=True,
                         env=dict(os.environ, MXNET_SUBGRAPH_BACKEND='NONE')).stdout
    return dict(line.split(' ', 1) for line in out.splitlines() if ' ' in line)


def main():
    data, meta = {}, {}
    for name, fn in cases.VALUES.items():
        for key, v in cases.flatten(name, fn()):
            meta[key], data[f'v/{key}'] = cases.describe(v)
    for name, fn in cases.SCENARIOS.items():
        for k, v in fn().items():
            data[f's/{name}/{k}'] = np.asarray(v)
    data['meta'] = np.array(json.dumps(meta))
    data['errors'] = np.array(json.dumps({n: error(f) for n, f in cases.ERRORS.items()}))
    data['d2l_script'] = np.array(json.dumps(d2l_script()))
    np.savez_compressed(OUT, **data)
    print('wrote', OUT, len(meta), 'values,', len(cases.SCENARIOS), 'scenarios,',
          len(cases.ERRORS), 'errors')


if __name__ == '__main__':
    main()
