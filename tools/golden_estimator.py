"""Golden data for gluon.contrib.estimator (Estimator, BatchProcessor, event handlers).

Run with the real MXNet 1.9.1 from the repository root:
    MXNET_SUBGRAPH_BACKEND=NONE ~/.cache/mxnet-ref/bin/python tools/golden_estimator.py
Writes tests/golden/estimator.npz from the scenarios of tests/golden/estimator_cases.py
(shared with tests/test_estimator.py): weights after fit, metric names and values, log
lines (times blanked), warnings, checkpoint file names, handler lists and call orders, and
the type and message of each error.
"""
import json
import tempfile

import numpy as np
import mxnet as mx
from golden_util import case_module, save

cases = case_module('estimator_cases')      # shared with tests/test_estimator.py


def main():
    data = {}
    for name in cases.SCENARIOS:
        with tempfile.TemporaryDirectory() as tmpdir:
            for k, v in cases.run(mx, name, tmpdir).items():
                data[f'{name}/{k}'] = np.asarray(v, dtype=str if isinstance(v, list) else None)
    with tempfile.TemporaryDirectory() as tmpdir:
        errs = {n: cases.error(f) for n, f in cases.errors(mx, tmpdir).items()}
    data['errors'] = np.array(json.dumps(errs))
    from mxnet.gluon.contrib import estimator
    data['public_names'] = np.array(sorted(n for n in dir(estimator) if not n.startswith('_')))
    save('estimator', data)
    print('wrote estimator.npz:', len(cases.SCENARIOS), 'scenarios,', len(errs), 'errors')


if __name__ == '__main__':
    main()
