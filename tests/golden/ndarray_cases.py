"""The NDArray core calls run the same way under the real MXNet 1.9.1 (tools/golden_ndarray.py,
which writes the goldens and stores each case as JSON) and under regluon
(tests/test_ndarray_core.py, which replays them). `use(mx)` binds the library.
"""
import numpy as np

mx = nd = None


def use(lib):
    """Run the calls on `lib` (regluon, or the real mxnet)."""
    global mx, nd  # pylint: disable=global-statement
    mx, nd = lib, lib.nd


def source(spec):
    """Build a call argument from its JSON spec: {"np": [data, dtype]} / {"nd": [...]}."""
    if isinstance(spec, dict) and 'np' in spec:
        return np.array(spec['np'][0], dtype=spec['np'][1])
    if isinstance(spec, dict) and 'nd' in spec:
        return nd.array(spec['nd'][0], dtype=spec['nd'][1])
    if isinstance(spec, dict) and 'ctx' in spec:
        return mx.Context(*spec['ctx'])
    return spec


def build(case):
    """Run one creation case: fn(*args, **kw), then optional reshape / scalar op."""
    fn, args, kw = case['fn'], case.get('args', []), case.get('kw', {})
    x = getattr(nd, fn)(*[source(a) for a in args], **{k: source(v) for k, v in kw.items()})
    if 'reshape' in case:
        x = x.reshape(tuple(case['reshape']))
    return x


def named(fn, args, kw):
    """nd.<fn>(*args, **kw) with the args built from their specs; the outputs as a list."""
    out = getattr(nd, fn)(*[source(a) for a in args], **kw)
    return out if isinstance(out, list) else [out]


def pickled():
    """Arrays for the pickle golden: several dtypes, a context MXNet does not keep."""
    return {'f32': nd.array([[1.5, -2, 3], [4, 5, 6]]),
            'i64': nd.array([7, -8], dtype='int64'),
            'f16': nd.array([[0.5], [2]], dtype='float16'),
            'u8_cpu2': nd.array([1, 255], dtype='uint8', ctx=mx.cpu(2))}


ERRORS = {  # name -> the call whose exception type (and message) is compared
    'asscalar_multi': lambda: nd.array([1, 2]).asscalar(),
    'bool_multi': lambda: bool(nd.array([1, 2])),
    'len_0d': lambda: len(nd.array(3)),
    'dtype_bad_zeros': lambda: nd.zeros((2,), dtype='foo'),
    'dtype_bad_array': lambda: nd.array([1], dtype='foo'),
    'array_not_arraylike': lambda: nd.array('abc'),
    'context_unknown': lambda: mx.Context('tpu', 0),
    'gpu_absent': lambda: nd.zeros((2,), ctx=mx.gpu(0)),
    'mixed_dtype': lambda: nd.ones((2,), dtype='int32') + nd.ones((2,)),
    'copyto_shape': lambda: nd.ones((2,)).copyto(nd.ones((3,))),
    'copyto_type': lambda: nd.ones((2,)).copyto(3),
    'float_multi': lambda: float(nd.ones((2,))),
}
