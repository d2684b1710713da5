"""Golden data for gluon.contrib.estimator (Estimator, BatchProcessor, event handlers).

Run with the real MXNet 1.9.1 from the repository root:
    MXNET_SUBGRAPH_BACKEND=NONE ~/.cache/mxnet-ref/bin/python tools/golden_estimator.py
Writes tests/golden/estimator.npz from the scenarios of tests/golden/estimator_cases.py
(shared with tests/test_estimator.py): weights after fit, metric names and values, log
lines (times blanked), warnings, checkpoint file names, handler lists and call orders, and
the type and message of each error.
"""
import json
import os
import sys
import tempfile

import numpy as np
import mxnet as mx

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden', 'estimator.npz')
sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden'))
import estimator_cases as cases  # noqa: E402  (shared with tests/test_estimator.py)


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
    np.savez_compressed(OUT, **data)
    print('wrote', OUT, len(cases.SCENARIOS), 'scenarios,', len(errs), 'errors')


if __name__ == '__main__':
    main()
