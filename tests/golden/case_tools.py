"""What the case-list goldens share (compat_sweep, numpy_compat_math, numpy_compat_random):
a case returns {key: (array, kind)}; `flatten` makes npz entries of them, `run` runs a case
(in np mode where its module says so), `check` compares a case here with MXNet's entries.
tools/golden_cases.py writes the goldens with MXNet 1.9.1; the tests call `check`."""
import numpy as onp


def value(v):
    """A case's value as (array, kind): kind is 'ndarray' for mx arrays (stored as numpy),
    else the Python type's name ('bool_' for NumPy bools, as NumPy 1.x names them)."""
    kind = 'ndarray' if hasattr(v, 'asnumpy') else type(v).__name__
    kind = 'bool_' if isinstance(v, onp.bool_) else kind      # NumPy 2 names it 'bool'
    if hasattr(v, 'asnumpy'):
        v = v.asnumpy()
    return onp.asarray(v), kind


def flatten(results):
    """{case: {key: (array, kind)}} as npz entries: '<case>/<key>' and '<case>/<key>/kind'."""
    flat = {}
    for case, values in results.items():
        for k, (arr, kind) in values.items():
            flat[f'{case}/{k}'] = arr
            flat[f'{case}/{k}/kind'] = onp.array(kind)
    return flat


def run(module, mx, name):
    """Case `name` of a case module, in np mode (reset afterwards) if it has NP_MODE."""
    if not getattr(module, 'NP_MODE', False):
        return module.CASES[name](mx)
    mx.npx.set_np()
    try:
        return module.CASES[name](mx)
    finally:
        mx.npx.reset_np()


def check(module, golden, mx, name):
    """Run case `name` here (seeds 0, as the golden run) and compare it with MXNet's."""
    mx.random.seed(0)
    onp.random.seed(0)
    got = flatten({name: run(module, mx, name)})
    want = {k: v for k, v in golden.items() if k.startswith(name + '/')}
    assert sorted(got) == sorted(want)
    for k, v in want.items():
        if k.endswith('/kind') or v.dtype.kind == 'U':
            assert str(got[k]) == str(v).replace('mxnet', 'regluon'), k
        else:
            assert got[k].dtype == v.dtype and got[k].shape == v.shape, (k, got[k], v)
            onp.testing.assert_allclose(got[k], v, rtol=1e-5, atol=1e-6, err_msg=k)
