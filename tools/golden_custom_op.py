"""Golden data for custom operators (mx.operator, nd.Custom / sym.Custom).

Run with the real MXNet 1.9.1:
    MXNET_SUBGRAPH_BACKEND=NONE $(../shared/tools/mxnet-ref.sh) tools/golden_custom_op.py
Writes tests/golden/custom_op.npz from the scenarios of tests/golden/custom_op_cases.py
(shared with tests/test_custom_op.py): outputs, input gradients, aux states, and the type
and message of each error.
"""
import json
import os
import sys

import numpy as np
import mxnet as mx

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden', 'custom_op.npz')
sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden'))
import custom_op_cases as cases  # noqa: E402  (shared with tests/test_custom_op.py)

cases.use(mx)


def error(fn):
    try:
        fn()
        mx.nd.waitall()
    except Exception as e:  # pylint: disable=broad-except
        return {'type': type(e).__name__, 'msg': str(e)[:2000]}
    return {'type': None, 'msg': ''}


def main():
    data = {}
    for name, fn in cases.SCENARIOS.items():
        for k, v in fn().items():
            data[f'{name}/{k}'] = np.asarray(v)
    data['errors'] = np.array(json.dumps({n: error(f) for n, f in cases.ERRORS.items()}))
    np.savez_compressed(OUT, **data)
    print('wrote', OUT, len(cases.SCENARIOS), 'scenarios,', len(cases.ERRORS), 'errors')


if __name__ == '__main__':
    main()
