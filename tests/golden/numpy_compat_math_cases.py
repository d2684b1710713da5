"""Regressions from running MXNet 1.9.1's own tests/python/unittest/test_numpy_op.py on
regluon (the math and shape functions of `mx.np`). Each case runs under either library
(`mx` is bound at call time), in np mode, and returns a dict of values;
tools/golden_numpy_compat_math.py stores MXNet's, tests/test_numpy_compat_math.py compares
regluon's with them."""
import numpy as onp


def _val(v):
    """A value as an array plus the name of its Python type (np arrays as numpy)."""
    kind = 'ndarray' if hasattr(v, 'asnumpy') else type(v).__name__
    kind = 'bool_' if isinstance(v, onp.bool_) else kind      # NumPy 2 names it 'bool'
    if hasattr(v, 'asnumpy'):
        v = v.asnumpy()
    return onp.asarray(v), kind


def _err(fn):
    """The name of the exception `fn()` raises ('none' if it returns)."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001  (the type is the value under test)
        return onp.array(type(e).__name__), 'error'
    return onp.array('none'), 'error'


def ufunc_keywords(mx):
    """NumPy's ufunc keywords: only their defaults (else NotImplementedError/TypeError);
    two Python numbers give NumPy's scalar; out= is written and returned, never cast."""
    np = mx.np
    x = np.array([1., float('nan'), -2.])
    i = np.array([3, 5], dtype='int32')
    out = {}
    calls = {'exp': (x,), 'absolute': (x,), 'isnan': (x,), 'add': (x, x),
             'arctan2': (x, x), 'bitwise_and': (i, i), 'invert': (i,), 'ldexp': (x, x)}
    for name, args in calls.items():
        f = getattr(np, name)
        for k, v in [('where', False), ('subok', False), ('dtype', onp.int8),
                     ('dtype', 'abcdefg'), ('casting', 'safe'), ('casting', 'mxnet'),
                     ('order', 'C'), ('where', True), ('casting', 'same_kind'), ('bogus', 1)]:
            out[f'{name}_{k}_{v}'] = _err(lambda: f(*args, **{k: v}))
    out['equal_where'] = _err(lambda: np.equal(x, x, where=True))
    for name, args in {'add': (1, 2), 'true_divide': (1, 2), 'power': (2., 3),
                       'maximum': (1, 2.5), 'arctan2': (1., 2.), 'bitwise_and': (6, 3),
                       'ldexp': (1.5, 2), 'exp': (1,), 'isnan': (float('nan'),),
                       'sqrt': (4,), 'invert': (5,)}.items():
        out[f'{name}_scalars'] = _val(getattr(np, name)(*args))
    for name, args in {'exp': (x,), 'add': (x, x), 'multiply': (x, 2.),
                       'hypot': (x, x)}.items():
        o = np.zeros(3)
        r = getattr(np, name)(*args, out=o)
        out[f'{name}_out'] = _val(o)
        out[f'{name}_out_is'] = _val(r is o)
    o = np.zeros(3, dtype='bool')
    out['isnan_out'] = _val(np.isnan(x, o))
    out['isnan_out_float'] = _err(lambda: np.isnan(x, out=np.zeros(3)))
    out['add_out_bool'] = _err(lambda: np.add(x, x, out=np.zeros(3, dtype='bool')))
    return out


CASES = {f.__name__: f for f in [ufunc_keywords]}


def run_case(mx, name):
    """CASES[name](mx) in np mode (np mode reset afterwards)."""
    mx.npx.set_np()
    try:
        return CASES[name](mx)
    finally:
        mx.npx.reset_np()


def flatten(results):
    """{case: {key: (array, kind)}} as npz entries: '<case>/<key>' and '<case>/<key>/kind'."""
    flat = {}
    for case, values in results.items():
        for k, (arr, kind) in values.items():
            flat[f'{case}/{k}'] = arr
            flat[f'{case}/{k}/kind'] = onp.array(kind)
    return flat
