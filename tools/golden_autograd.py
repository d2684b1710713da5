"""Golden data for autograd: gradient values, grad_req, modes, Function, errors.

Run with the real MXNet 1.9.1:  $(../shared/tools/mxnet-ref.sh) tools/golden_autograd.py
Writes tests/golden/autograd.npz. Every scenario is a function of (mx, nd, autograd) with
the same name as its twin in tests/test_autograd.py; it returns a dict of arrays.
"""
import json
import os
import sys

import numpy as np
import mxnet as mx
from mxnet import nd, autograd

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden', 'autograd.npz')
sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden'))
import autograd_cases as cases  # noqa: E402  (shared with tests/test_autograd.py)

cases.use(mx)
X, var, SCENARIOS, modes = cases.X, cases.var, cases.SCENARIOS, cases.modes
Sigmoid, TwoOut = cases.functions()


def error(fn):
    try:
        fn()
    except Exception as e:  # pylint: disable=broad-except
        msg = str(e).strip().splitlines()[-1] if str(e).strip() else ''
        return {'type': type(e).__name__, 'msg': msg}
    return {'type': None, 'msg': ''}


def e_second_backward():
    x = var()
    with autograd.record():
        y = x * x
    y.backward()
    y.backward()


def e_unrecorded():
    x = var()
    (x * 2).backward()


def e_recorded_from_unrecorded():
    x = var()
    y = x * 2
    with autograd.record():
        z = y * 3
    z.backward()


def e_no_variables():
    x = var(req='null')
    with autograd.record():
        y = x * 2
    y.backward()


def e_grad_not_variable():
    x = var()
    with autograd.record():
        y = x * 2
    autograd.grad(y, [x, nd.ones(3)])


def e_grad_unreachable():
    x, w = var(), var()
    with autograd.record():
        y = x * 2
    autograd.grad(y, [x, w])


def e_bad_grad_req():
    var(req='foo')


def e_function_twice():
    f = Sigmoid()
    x = var()
    with autograd.record():
        f(x)
    f(x)


def e_freed_head_again():
    """A head whose graph was freed is a constant: a second backward has no graph."""
    w = var()
    with autograd.record():
        a = w * 3
        c = (a * a).sum()
    c.backward()
    a.backward()


def e_shared_subgraph_freed():
    """Two losses on one recorded subgraph: the first backward frees it for the second."""
    w, v = var(), var()
    with autograd.record():
        p = w * v
        l1 = (p * 2).sum()
        l2 = (p * p).sum()
    l1.backward()
    l2.backward()


ERRORS = {k[2:]: v for k, v in dict(globals()).items() if k.startswith('e_')}


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
