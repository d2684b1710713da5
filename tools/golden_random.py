"""Write tests/golden/random.npz from the real MXNet 1.9.1 (run with its interpreter).

    PY=$(../shared/tools/mxnet-ref.sh); $PY tools/golden_random.py

For each row of tests/golden/random_cases.py: SHAPES -> the result's shape, dtype and
context (each output of a list), or the exception type and message; STATS -> MXNet's
sample mean and variance along the last axis (after checking them against the analytic
moments, which is how we know we read MXNet's parametrisation right).
"""
import pathlib
import sys

import numpy as np
import mxnet as mx

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tests' / 'golden'))
import random_cases as cases  # noqa: E402


def resolve(v):
    if isinstance(v, str) and v.startswith('@'):
        vals, dtype = cases.ARRAYS[v[1:]]
        return mx.nd.array(vals, dtype=dtype)
    return v


def call(fn, args, kwargs):
    f = getattr(mx.nd.random, fn)
    r = f(*[resolve(a) for a in args], **{k: resolve(v) for k, v in kwargs.items()})
    rs = r if isinstance(r, list) else [r]
    for a in rs:
        a.wait_to_read()                     # MXNet's parameter checks fail here
    return rs


def main():
    mx.random.seed(0)
    out = {}
    for i, (fn, args, kwargs) in enumerate(cases.SHAPES):
        try:
            rs = call(fn, args, kwargs)
            out[f'shape{i}/n'] = np.array(len(rs))
            for j, a in enumerate(rs):
                out[f'shape{i}/{j}/shape'] = np.array(a.shape, np.int64)
                out[f'shape{i}/{j}/dtype'] = np.array(np.dtype(a.dtype).name)
        except Exception as e:  # pylint: disable=broad-except
            msg = str(e).strip().split('\n')[-1]
            out[f'shape{i}/error'] = np.array([type(e).__name__, msg])
    for i, (fn, args, kwargs, mean, var) in enumerate(cases.STATS):
        a = call(fn, args, kwargs)[0].asnumpy().astype(np.float64)
        m, v = a.mean(-1), a.var(-1)
        assert np.allclose(m, mean, atol=0.05 * np.sqrt(var) + 0.02), (fn, m, mean)
        assert np.allclose(v, var, rtol=0.08), (fn, v, var)
        out[f'stats{i}/mean'], out[f'stats{i}/var'] = m, v
    np.savez_compressed(ROOT / 'tests' / 'golden' / 'random.npz', **out)
    print(f'wrote {len(out)} arrays', file=sys.stderr)


if __name__ == '__main__':
    main()
