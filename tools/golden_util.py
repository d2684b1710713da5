"""Helpers the golden writers share (run with MXNet 1.9.1's interpreter, from tools/)."""
import importlib
import pathlib
import sys

import numpy as np

GOLDEN = pathlib.Path(__file__).resolve().parent.parent / 'tests' / 'golden'


def case_module(name):
    """The case module tests/golden/<name>.py, which the test imports too."""
    if str(GOLDEN) not in sys.path:
        sys.path.insert(0, str(GOLDEN))
    return importlib.import_module(name)


def save(area, arrays):
    """Write tests/golden/<area>.npz."""
    np.savez_compressed(GOLDEN / f'{area}.npz', **arrays)


def run_cases(mx, cases):
    """{'<case>:<key>': array} of every `cases.CASES[name](mx)` (a case returns a dict)."""
    out = {}
    for name, fn in cases.CASES.items():
        out.update({f'{name}:{k}': v for k, v in fn(mx).items()})
    return out


def error(fn):
    """What calling `fn` raised: {'type': exception class name, 'msg': its last line}, or
    {'type': None, 'msg': ''} when it returned."""
    try:
        fn()
    except Exception as e:  # pylint: disable=broad-except
        msg = str(e).strip().splitlines()[-1] if str(e).strip() else ''
        return {'type': type(e).__name__, 'msg': msg}
    return {'type': None, 'msg': ''}


def error_type(mx, fn):
    """The class name of what `fn(mx)` raises, waiting for its NDArray results (MXNet raises
    asynchronous errors there); a call MXNet accepts is a mistake in the case table."""
    def call():
        res = fn(mx)
        for r in res if isinstance(res, (list, tuple)) else [res]:
            if isinstance(r, mx.nd.NDArray):
                r.wait_to_read()
    e = error(call)
    if e['type'] is None:
        raise AssertionError('MXNet accepted it')
    return e['type']
