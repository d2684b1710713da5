"""Regressions found by running MXNet 1.9.1's own unit tests, examples and tutorials on
regluon (docs/migration.md, "MXNet's own code"). Each case runs under either library
(`mx` is bound at call time) and returns a dict of values; tools/golden_compat_sweep.py
stores MXNet's, tests/test_compat_sweep.py compares regluon's with them."""
import numpy as np


def _val(v):
    """A value as an array plus the name of its Python type (NDArray results as numpy)."""
    kind = type(v).__name__
    if hasattr(v, 'asnumpy'):
        v = v.asnumpy()
    return np.asarray(v), kind


def ufunc_scalars(mx):
    """nd.add/maximum/power/equal/... with two Python numbers give a Python number."""
    out = {}
    names = ['add', 'subtract', 'multiply', 'divide', 'true_divide', 'modulo', 'power',
             'maximum', 'minimum', 'equal', 'not_equal', 'greater', 'greater_equal',
             'lesser', 'lesser_equal', 'logical_and', 'logical_or', 'logical_xor']
    for n in names:
        for i, (a, b) in enumerate([(5, 3), (2.0, 3), (0, 3), (True, 1), (0.9, 2)]):
            out[f'{n}_{i}'] = _val(getattr(mx.nd, n)(a, b))
        out[f'{n}_nd'] = _val(getattr(mx.nd, n)(2.0, mx.nd.array([1, 2, 3])))
    return out


CASES = {f.__name__: f for f in [ufunc_scalars]}


def flatten(results):
    """{case: {key: (array, kind)}} as npz entries: '<case>/<key>' and '<case>/<key>/kind'."""
    flat = {}
    for case, values in results.items():
        for k, (arr, kind) in values.items():
            flat[f'{case}/{k}'] = arr
            flat[f'{case}/{k}/kind'] = np.array(kind)
    return flat
