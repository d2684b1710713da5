"""The NDArray core against MXNet 1.9.1 (goldens from tools/golden_ndarray.py): creation and
dtype rules, repr, scalar ops, protocol methods, errors; plus round trips."""
import copy
import json
import pickle
import re
import sys
import threading
import warnings

import numpy as np
import pytest
import torch

import regluon as mx
import regluon.compat as compat
from regluon import nd
from conftest import GOLDEN, golden

G = golden('ndarray')
CASES = json.loads(str(G['cases']))
ERRORS = json.loads(str(G['errors']))
MISC = json.loads(str(G['misc']))
sys.path.insert(0, str(GOLDEN))
import ndarray_cases as cases  # noqa: E402  (the calls the golden writer ran in MXNet)

cases.use(mx)
source, build, pickled = cases.source, cases.build, cases.pickled


def check(x, case, want):
    assert np.dtype(x.dtype).name == case['dtype']
    assert list(x.shape) == case['shape']
    np.testing.assert_array_equal(x.asnumpy(), want)
    assert repr(x) == case['repr']


CREATE = [(i, c) for i, c in enumerate(c for c in CASES if c['fn'] != 'scalar')]
SCALAR = [(i, c) for i, c in enumerate(c for c in CASES if c['fn'] == 'scalar')]


@pytest.mark.parametrize('i, case', CREATE, ids=[f"{c['fn']}{i}" for i, c in CREATE])
def test_creation_dtype_value_repr(i, case):
    x = build(case)
    check(x, case, G[f'create_{i}'])
    assert str(x.context) == case['context']


@pytest.mark.parametrize('i, case', SCALAR, ids=[f"{c['op']}{i}" for i, c in SCALAR])
def test_scalar_ops_keep_dtype(i, case):
    # MXNet casts the scalar to the array's dtype first: int32 * 1.5 multiplies by 1
    x = getattr(source(case['src']), case['op'])(case['scalar'])
    check(x, case, G[f'scalar_{i}'])


# ---- errors: the calls of ndarray_cases.ERRORS -----------------------------------------------
CALLS = cases.ERRORS
WORDS = {  # what our message must say (MXNet's own words where they are a sentence)
    'asscalar_multi': 'The current array is not a scalar',
    'bool_multi': 'The truth value of an NDArray with multiple elements is ambiguous',
    'len_0d': '0-d',
    'dtype_bad_zeros': "'foo'",
    'dtype_bad_array': "'foo'",
    'array_not_arraylike': 'source_array must be array like object',
    'context_unknown': "'tpu'",
    'gpu_absent': 'GPU 0',
    'mixed_dtype': 'int32 and float32',
    'copyto_shape': '(2,)',
    'copyto_type': "copyto does not support type <class 'int'>",
    'float_multi': 'float()',
}


def test_error_table_covers_golden():
    assert set(CALLS) == set(ERRORS) == set(WORDS)


@pytest.mark.parametrize('name', sorted(CALLS))
def test_error(name):
    if name == 'gpu_absent' and mx.num_gpus():
        pytest.skip('a GPU is present')
    with pytest.raises(Exception) as info:
        CALLS[name]()
    assert type(info.value).__name__ == ERRORS[name]['type'], str(info.value)
    assert WORDS[name] in str(info.value)


# ---- name= and attr=: accepted by every operator, ignored imperatively ------------------------
NAMED = json.loads(str(G['named']))


@pytest.mark.parametrize('fn, args, kw', NAMED)
def test_ops_take_name_and_attr(fn, args, kw):
    i = NAMED.index([fn, args, kw])
    out = cases.named(fn, args, kw)
    want = sorted(k for k in G if k.startswith(f'named_{i}_'))
    assert len(out) == len(want)
    for x, k in zip(out, want):
        np.testing.assert_allclose(x.asnumpy(), G[k], rtol=1e-6)


def test_methods_take_name_and_attr():
    x = source(NAMED[0][1][0])
    np.testing.assert_array_equal(x.relu(name='q', attr={'a': 'b'}).asnumpy(),
                                  G['named_method'])


# ---- protocol methods ---------------------------------------------------------------------------
def test_misc_protocol_matches_mxnet():
    one = nd.array([[2.5]])
    v = nd.array([2.5]).asscalar()
    assert type(v) is np.float32 and str(v) == MISC['asscalar_1d']
    assert repr(one.asscalar()) == MISC['asscalar_2d']          # MXNet's (1, 1) quirk
    assert [bool(nd.array([])), bool(nd.array([0])), bool(nd.array([3]))] == MISC['bool']
    assert len(nd.ones((4, 2))) == MISC['len']
    assert [x.shape for x in nd.ones((3, 2))] == [tuple(s) for s in MISC['iter_2d']]
    assert [x.shape for x in nd.array([1, 2])] == [tuple(s) for s in MISC['iter_1d']]
    assert nd.ones((1,)).astype('float32', copy=False).dtype.__name__ == \
        MISC['astype_nocopy_same']
    with pytest.warns(RuntimeWarning, match='copy an array to itself'):
        assert repr(one.copyto(one)) == MISC['copyto_self']
    assert (str(one) == repr(one)) == MISC['str_equals_repr']


def test_attributes():
    x = nd.zeros((2, 3), dtype='int64', ctx=mx.cpu(1))
    assert x.shape == (2, 3) and isinstance(x.shape, tuple)
    assert x.size == 6 and type(x.size) is int
    assert x.ndim == 2 and x.dtype is np.int64
    assert x.context == mx.cpu(1) and x.ctx == mx.cpu(1)
    assert x.T.shape == (3, 2) and x.stype == 'default'
    assert x.grad is None


@pytest.mark.parametrize('spec, name', [
    ('float32', 'float32'), (np.float64, 'float64'), (np.dtype('int8'), 'int8'),
    ('float', 'float64'), ('int', 'int64'), (float, 'float64'), (int, 'int64'),
    (bool, 'bool'), ('f4', 'float32'), ('i8', 'int64'), ('half', 'float16'),
    (torch.float16, 'float16'), ('uint8', 'uint8'), ('bfloat16', 'bfloat16'),
])
def test_dtype_names_follow_numpy(spec, name):
    assert mx.base.dtype_name(spec) == name
    assert str(nd.zeros((1,), dtype=spec)._t.dtype) == f'torch.{name}'


@pytest.mark.parametrize('spec', ['uint16', 'complex64', np.str_])
def test_dtype_mxnet_lacks_is_mxnet_error(spec):
    with pytest.raises(mx.MXNetError, match='not supported'):
        nd.zeros((1,), dtype=spec)


def test_asnumpy_is_a_copy_and_array_protocol():
    x = nd.array([1, 2])
    a = x.asnumpy()
    x[:] = 5
    assert a.tolist() == [1, 2]
    assert np.asarray(x).tolist() == [5, 5] and np.asarray(x, dtype='int32').dtype == np.int32


def test_astype_copy_and_as_in_context():
    x = nd.array([1.7, -1.7])
    y = x.astype('int32')
    assert y.dtype is np.int32 and y.asnumpy().tolist() == [1, -1]
    assert x.astype(np.float32, copy=False) is x
    assert x.astype('float32') is not x
    assert x.as_in_context(mx.cpu()) is x
    z = x.as_in_context(mx.cpu(1))
    assert z.context == mx.cpu(1) and z is not x
    c = x.copy()
    c[:] = 0
    assert x.asnumpy().tolist() != [0, 0]


def test_copyto_array_casts_and_keeps_identity():
    dst = nd.zeros((2,), dtype='int32')
    assert nd.array([1.7, 2.2]).copyto(dst) is dst
    assert dst.asnumpy().tolist() == [1, 2]
    y = nd.array([1, 2]).copyto(mx.cpu(2))
    assert y.context == mx.cpu(2)


@pytest.mark.parametrize('op, start, other, want', [
    ('__iadd__', [1.0, 2.0], 1.5, [2.5, 3.5]),
    ('__isub__', [1.0, 2.0], [1.0, 1.0], [0.0, 1.0]),
    ('__imul__', [1.0, 2.0], 3, [3.0, 6.0]),
    ('__itruediv__', [5, 7], 2, [2, 3]),                # int32 stays int32, truncates
    ('__imod__', [5.0, 7.0], 4, [1.0, 3.0]),
    ('__iadd__', [3, 4], 1.7, [4, 5]),                  # int32 += 1.7 keeps int32
])
def test_inplace_ops_keep_identity_and_dtype(op, start, other, want):
    x = nd.array(start, dtype='int32' if isinstance(start[0], int) else 'float32')
    o = nd.array(other, dtype=x.dtype) if isinstance(other, list) else other
    y = getattr(x, op)(o)
    assert y is x and x.dtype == (np.int32 if isinstance(start[0], int) else np.float32)
    assert x.asnumpy().tolist() == want


def test_inplace_mixed_dtype_and_bad_shape_are_errors():
    x = nd.zeros((2,), dtype='int32')
    with pytest.raises(mx.MXNetError):
        x += nd.ones((2,))
    y = nd.zeros((3,))
    with pytest.raises(mx.MXNetError):
        y += nd.ones((2, 3))


def test_inplace_keeps_views_and_out_argument():
    x = nd.zeros((2, 2))
    row = x[0]
    x += 1
    assert row.asnumpy().tolist() == [1.0, 1.0]
    out = nd.zeros((2,))
    assert nd.elemwise_add(nd.ones(2), nd.ones(2), out=out) is out
    assert out.asnumpy().tolist() == [2.0, 2.0]


def test_bool_len_iter_index_scalars():
    assert not nd.array(0) and nd.array(2)
    assert [r.asnumpy().tolist() for r in nd.array([[1, 2], [3, 4]])] == [[1, 2], [3, 4]]
    assert [1, 2, 3][nd.array([1], dtype='int32')] == 2
    assert float(nd.array([2.5])) == 2.5 and int(nd.array([[3.0]])) == 3
    with pytest.raises(TypeError):
        int(nd.array([1, 2]))


def test_dlpack_round_trips_share_memory():
    x = nd.array([1, 2, 3])
    y = nd.from_dlpack(x.to_dlpack_for_read())
    y[:] = 7
    assert x.asnumpy().tolist() == [7, 7, 7]
    t = torch.from_dlpack(x)
    assert t.data_ptr() == x.to_torch().data_ptr()
    z = nd.from_dlpack(torch.arange(3.0))
    assert z.asnumpy().tolist() == [0.0, 1.0, 2.0]


def test_from_numpy_zero_copy():
    """MXNet 1.9.1: the numpy array becomes read-only and sees the NDArray's writes; a
    non-C-contiguous array is a ValueError with zero_copy (a copy without)."""
    a = np.arange(3, dtype='float32')
    x = nd.from_numpy(a)
    assert not a.flags.writeable
    with pytest.raises(ValueError):
        a[0] = 1
    x[0] = 9
    assert a[0] == 9 and nd.from_numpy(a, zero_copy=False).dtype is np.float32
    b = np.arange(6, dtype='float32').reshape(2, 3).T
    with pytest.raises(ValueError, match='c-contiguous'):
        nd.from_numpy(b)
    assert nd.from_numpy(b, zero_copy=False).asnumpy().tolist() == b.tolist()
    assert b.flags.writeable


# ---- pickle: MXNet 1.9.1's state, byte for byte -------------------------------------------------
PICKLE_MISC = json.loads(str(G['pickle_misc']))


@pytest.mark.parametrize('key', sorted(pickled()))
def test_pickle_state_is_mxnets(key):
    """Our state is the bytes MXNet's __getstate__ gives, so MXNet unpickles ours."""
    x = pickled()[key]
    state = x.__getstate__()
    assert list(state) == ['handle'] and isinstance(state['handle'], bytearray)
    assert bytes(state['handle']) == G[f'pickle_state/{key}'].tobytes()
    assert x.__reduce__() == (nd.NDArray, (None,), state)


def test_pickle_written_by_mxnet_loads():
    """MXNet's pickle names mxnet.ndarray.ndarray.NDArray: it loads under the alias."""
    compat.install()
    try:
        with open(GOLDEN / 'ndarray_pickle.pkl', 'rb') as f:
            arrays = pickle.load(f)
    finally:
        compat.uninstall()
    assert sorted(arrays) == sorted(pickled())
    for k, x in arrays.items():
        assert type(x) is nd.NDArray and str(x.context) == PICKLE_MISC['context_after']
        want = G[f'pickle_value/{k}']
        assert x.dtype == want.dtype
        np.testing.assert_array_equal(x.asnumpy(), want)


def test_pickle_round_trip_as_mxnet():
    x = pickled()['u8_cpu2']
    x.attach_grad()
    y = pickle.loads(pickle.dumps(x))
    assert str(y.context) == PICKLE_MISC['context_after'] and y.grad is None
    assert np.dtype(y.dtype).name == PICKLE_MISC['dtype_after']
    assert y.asnumpy().tolist() == [1, 255]
    z = copy.deepcopy(x)
    assert z._t.data_ptr() != x._t.data_ptr() and z.asnumpy().tolist() == [1, 255]
    assert pickle.loads(pickle.dumps(nd.empty((0, 3)))).shape == (0, 3)


def test_pickle_state_none_and_bad_states():
    e = nd.NDArray(None)
    e.__setstate__(PICKLE_MISC['none_state'])
    assert e.shape == (0,)
    for bad, words in (({'handle': 'abc'}, "'handle' of type str"), ([1], 'a list'),
                       ({'data': b''}, "keys ['data']")):
        with pytest.raises(mx.MXNetError, match=re.escape(words)):
            nd.NDArray(None).__setstate__(bad)
    with pytest.raises(mx.MXNetError):
        nd.NDArray(None).__setstate__({'handle': bytearray(b'\xc9\xfa\x93\xf9\x00')})


def test_wait_and_full_out():
    x = nd.ones((2,))
    x.wait_to_read()
    nd.waitall()
    out = nd.zeros((2,))
    assert nd.full((2,), 3, out=out) is out and out.asnumpy().tolist() == [3.0, 3.0]


def test_context_string_arguments():
    assert nd.zeros((1,), ctx='cpu(1)').context == mx.cpu(1)
    with pytest.raises(mx.MXNetError, match='Invalid context string'):
        nd.zeros((1,), ctx='cpu')


def test_no_warnings_on_common_paths():
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        x = nd.array([1, 2])
        nd.from_dlpack(x.to_dlpack_for_read())
        repr(nd.arange(2000))


# ---- the @op contract (register.py) ---------------------------------------------------------
from regluon.ndarray.register import op, OPS  # noqa: E402


@op(name='_test_register_fail')
def _fail(data, k=1):
    raise RuntimeError('kernel says no')


@op(name='_test_register_stack')
def _stack(arrays, scale=1.0):
    assert all(isinstance(a, torch.Tensor) for a in arrays)    # kernels never see NDArrays
    return torch.stack(arrays) * scale


@op(name='_test_register_split')
def _split(data):
    return data[0], data[1]


def test_op_turns_torch_errors_into_mxnet_errors_naming_op_and_inputs():
    with pytest.raises(mx.MXNetError) as info:
        OPS['_test_register_fail'].func(nd.ones((2,)), k=nd.ones((1,), dtype='int32'))
    msg = str(info.value)
    assert 'Operator _test_register_fail failed on' in msg and 'kernel says no' in msg
    assert 'NDArray(2,) float32' in msg and 'k=NDArray(1,) int32' in msg


def test_op_unboxes_lists_and_kwargs_and_keeps_context():
    a, b = nd.ones((2,), ctx=mx.cpu(2)), nd.zeros((2,), ctx=mx.cpu(2))
    y = OPS['_test_register_stack'].func([a, b], scale=nd.array([2.0]).asscalar())
    assert y.shape == (2, 2) and y.asnumpy().tolist() == [[2, 2], [0, 0]]
    assert nd.exp(a).context == mx.cpu(2)


def test_op_multi_output_and_out():
    x = nd.array([[1, 2], [3, 4]])
    r = OPS['_test_register_split'].func(x)
    assert isinstance(r, list) and [v.asnumpy().tolist() for v in r] == [[1, 2], [3, 4]]
    o1, o2 = nd.zeros((2,)), nd.zeros((2,))
    got = OPS['_test_register_split'].func(x, out=[o1, o2])
    assert got[0] is o1 and o2.asnumpy().tolist() == [3, 4]


def test_op_defined_twice_is_refused():
    with pytest.raises(AssertionError, match='defined twice'):
        op(name='_test_register_fail')(lambda data: data)


def test_torch_grad_mode_follows_recording_state():
    x = nd.ones((2,))
    x.attach_grad()
    with torch.enable_grad():                    # whatever torch's mode was before
        y = nd.exp(x)
    assert y._t.grad_fn is None
    with mx.autograd.record():
        z = nd.exp(x)
    assert z._t.grad_fn is not None


# Operators check torch's grad mode after the op instead of setting it before: each path
# that skips the @op wrapper, or takes a special branch in it, with torch's grad mode on
# outside record() (a fresh thread, or raw torch code that turned it on).
_OUT_OF_STEP_CASES = {
    'op, one arg': lambda x: nd.exp(x),
    'op, two args': lambda x: x * x,
    'op, keywords': lambda x: nd.sum(x, axis=0, keepdims=True),
    'op, tuple result': lambda x: nd.split(x, num_outputs=2, axis=0)[0],
    'op, out=': lambda x: nd.exp(x, out=nd.zeros((2,))),
    'getitem int': lambda x: x[1],
    'getitem slice': lambda x: x[1:],
    'getitem general': lambda x: x[nd.array([0, 1])],
    'reshape method': lambda x: x.reshape((2, 1)),
}


@pytest.mark.parametrize('case', sorted(_OUT_OF_STEP_CASES))
def test_nothing_recorded_outside_record_when_torch_grad_mode_is_on(case):
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    torch.set_grad_enabled(True)                 # raw torch code left it on
    y = _OUT_OF_STEP_CASES[case](x)
    assert not y._t.requires_grad and y._t.grad_fn is None
    assert not torch.is_grad_enabled()          # back in step with MXNet's state
    with mx.autograd.record():                   # y is a constant here, as in MXNet
        z = (x * y.sum()).sum()
    z.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), [y.sum().asscalar()] * 2, rtol=1e-6)


def test_fresh_thread_records_nothing_outside_record():
    """torch starts each thread with its grad mode on; MXNet records nothing by default."""
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    got = {}

    def work():
        got['torch mode at start'] = torch.is_grad_enabled()
        y = nd.exp(x)
        got['y recorded'] = y._t.requires_grad
        with mx.autograd.record():
            z = nd.exp(x).sum()
        z.backward()
        got['grad'] = x.grad.asnumpy()

    t = threading.Thread(target=work)
    t.start()
    t.join()
    assert got['torch mode at start'] is True and got['y recorded'] is False
    np.testing.assert_allclose(got['grad'], np.exp([1.0, 2.0]), rtol=1e-6)


def test_set_recording_records_like_record():
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    prev = mx.autograd.set_recording(True)
    try:
        y = (x * x).sum()
    finally:
        mx.autograd.set_recording(prev)
    y.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), [2.0, 4.0])


def test_in_place_update_kernel_with_torch_grad_mode_on_applies_once():
    """An update op writes into a weight that requires grad: with torch's grad mode out of
    step it must not fail, nor run its momentum step twice."""
    w = nd.array([1.0, 1.0])
    w.attach_grad()
    g, mom = nd.array([1.0, 2.0]), nd.zeros((2,))
    torch.set_grad_enabled(True)
    nd.sgd_mom_update(w, g, mom, lr=0.1, momentum=0.9, out=w)
    np.testing.assert_allclose(mom.asnumpy(), [-0.1, -0.2], rtol=1e-6)
    np.testing.assert_allclose(w.asnumpy(), [0.9, 0.8], rtol=1e-6)


@pytest.mark.parametrize('make, exc, words', [
    (lambda: nd.zeros((-1,)), mx.MXNetError, 'zeros: shape (-1,) has a negative dimension'),
    (lambda: nd.ones(None), mx.MXNetError, 'ones: shape must be an int or a tuple'),
    (lambda: nd.arange(0, 5, 0), mx.MXNetError, 'step must not be 0'),
    (lambda: nd.ones(2).as_in_context('cpu(0)'), TypeError, 'copyto does not support type'),
    (lambda: nd.ones(2).astype('foo'), TypeError, "data type 'foo' not understood"),
    (lambda: nd.array([]).asscalar(), ValueError, 'not a scalar'),
])
def test_creation_and_conversion_errors(make, exc, words):
    """Error types as MXNet 1.9.1 raises them (checked by hand), never a torch error."""
    with pytest.raises(exc) as info:
        make()
    assert words in str(info.value)


def test_internal_namespace_as_mxnet():
    # nd._internal / sym._internal: the '_'-named operators (GluonNLP uses _internal._plus) (golden: tools/golden_private_api.py)
    sys.path.insert(0, str(GOLDEN))
    import private_api_cases  # noqa: E402
    want = golden('private_api')
    got = private_api_cases.CASES['internal'](mx)
    assert {k[len('internal/'):] for k in want if k.startswith('internal/')} == set(got)
    for k, v in got.items():
        assert v == str(want[f'internal/{k}']), k


def test_kernel_given_a_non_array_raises_mxnet_error_naming_the_op():
    """A nested list where MXNet takes a list of arrays (GluonNLP-style misuse) is an
    MXNetError naming the operator and the inputs, not a raw AttributeError; np arrays are
    described too."""
    a = nd.ones((2, 2))
    with pytest.raises(mx.MXNetError, match=r"concat failed on \(\[\[NDArray\(2, 2\) float32"):
        nd.concat([[a, a]], dim=1)
    x = mx.np.ones((2, 2))
    with pytest.raises(mx.MXNetError, match=r"concat failed on \(\[\[NDArray\(2, 2\) float32"):
        nd.concat([[x, x]], dim=1)


def test_unknown_keywords_as_mxnet():
    """MXNet ignores keywords an operator without settings does not know (its cosine-loss
    test passes axis= to broadcast_maximum) and refuses them on one with settings."""
    x = nd.array([1.0, -2.0])
    np.testing.assert_array_equal(nd.relu(x, foo=1).asnumpy(), [1, 0])
    np.testing.assert_array_equal(nd.broadcast_maximum(x, x * 0, axis=1).asnumpy(), [1, 0])
    with pytest.raises(mx.MXNetError, match="sum: Cannot find argument 'foo'"):
        nd.sum(x, foo=1)
    with pytest.raises(mx.MXNetError, match="slice_axis: Cannot find argument 'foo'"):
        nd.slice_axis(x, axis=0, begin=0, end=1, foo=3)
