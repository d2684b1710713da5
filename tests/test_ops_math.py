"""Math, reduction, sorting and indexing operators against MXNet 1.9.1.

The cases (op, inputs, kwargs, and MXNet's outputs, gradients and exception types) come
from tools/golden_ops_math.py; each golden case is run here as `nd.<op>`, as the NDArray
method where MXNet has one, and under autograd.
"""
import json

import numpy as np
import pytest

import regluon as mx
from regluon import autograd, nd
from regluon.base import MXNetError
from regluon.ndarray import NDArray
from regluon.ndarray.axes import reduce_axes, reduced_shape
from conftest import golden

G = golden('ops_math')
META = json.loads(str(G['cases']))
CASES = sorted(c for c, m in META.items() if 'error' not in m)
ERRORS = sorted(c for c, m in META.items() if 'error' in m)
GRADS = [c for c in CASES if META[c]['grad']]
METHODS = [c for c in CASES if META[c]['method']]


def _array(ref):
    """A golden array from its reference [dtype, shape, offset] into blob_<dtype>."""
    dtype, shape, offset = ref
    return G[f'blob_{dtype}'][offset:offset + int(np.prod(shape))].reshape(shape)


def _kwargs(cid):
    # JSON has no tuples: axis=(0, 2) and shape=(3, 4) come back as lists
    return {k: tuple(v) if isinstance(v, list) else v for k, v in META[cid]['kwargs'].items()}


def _inputs(cid, ctx=None):
    return [nd.array(a, ctx=ctx, dtype=a.dtype) for a in map(_array, META[cid]['ins'])]


# the GPU rows run only where CUDA is present (same goldens: MXNet's CPU results)
CTXS = [mx.cpu()] + ([mx.gpu(0)] if mx.num_gpus() else [])
_TOL = {2: dict(rtol=2e-3, atol=1e-3), 4: dict(rtol=1e-5, atol=1e-5),
        8: dict(rtol=1e-10, atol=1e-12)}


def _tol(cid, dtype):
    # the least precise float among inputs and output: MXNet computes a float64 softmax
    # of float32 data in float32, so the result only has float32 accuracy
    floats = [np.dtype(ref[0]) for ref in META[cid]['ins']] + [np.dtype(dtype)]
    return _TOL[min(d.itemsize for d in floats if d.kind == 'f')]


def _check(cid, got, want, what='output'):
    cid_what = f"{cid} {what}"
    assert isinstance(got, NDArray), f"{cid_what}: not an NDArray: {type(got).__name__}"
    assert got.shape == want.shape, f"{cid_what}: shape {got.shape}, MXNet {want.shape}"
    assert got.dtype == want.dtype, f"{cid_what}: dtype {got.dtype}, MXNet {want.dtype}"
    if np.issubdtype(want.dtype, np.floating):
        np.testing.assert_allclose(got.asnumpy(), want, equal_nan=True, err_msg=cid_what,
                                   **_tol(cid, want.dtype))
    else:
        np.testing.assert_array_equal(got.asnumpy(), want, err_msg=cid_what)


def _outputs(cid, res):
    outs = res if isinstance(res, list) else [res]
    assert len(outs) == len(META[cid]['outs']), f"{cid}: {len(outs)} outputs"
    return outs


@pytest.mark.parametrize('ctx', CTXS, ids=str)
@pytest.mark.parametrize('cid', CASES)
def test_values_dtypes_shapes(cid, ctx):
    res = getattr(nd, META[cid]['op'])(*_inputs(cid, ctx), **_kwargs(cid))
    for j, out in enumerate(_outputs(cid, res)):
        assert out.context == ctx, f"{cid}: output on {out.context}, inputs on {ctx}"
        _check(cid, out, _array(META[cid]['outs'][j]))


@pytest.mark.parametrize('cid', METHODS)
def test_method_form(cid):
    first, *rest = _inputs(cid)
    res = getattr(first, META[cid]['op'])(*rest, **_kwargs(cid))
    for j, out in enumerate(_outputs(cid, res)):
        _check(cid, out, _array(META[cid]['outs'][j]))


@pytest.mark.parametrize('cid', CASES)
def test_symbol_form(cid):
    # F.<op> inside a hybridized block / mx.sym graph runs the same kernel
    names = [f'x{i}' for i in range(len(META[cid]['ins']))]
    sym = getattr(mx.sym, META[cid]['op'])(*[mx.sym.var(n) for n in names], **_kwargs(cid))
    outs = sym.eval(ctx=mx.cpu(), **dict(zip(names, _inputs(cid))))
    for j, out in enumerate(_outputs(cid, outs)):
        _check(cid, out, _array(META[cid]['outs'][j]))


def test_methods_exist_exactly_where_mxnet_has_them():
    for cid in CASES:
        name, has = META[cid]['op'], META[cid]['method']
        assert hasattr(NDArray, name) == has, f"NDArray.{name}: MXNet has it: {has}"


@pytest.mark.parametrize('ctx', CTXS, ids=str)
@pytest.mark.parametrize('cid', GRADS)
def test_gradients(cid, ctx):
    xs, meta = _inputs(cid, ctx), META[cid]
    for i in meta['grad']:
        xs[i].attach_grad()
    with autograd.record():
        outs = _outputs(cid, getattr(nd, meta['op'])(*xs, **_kwargs(cid)))
    head = _array(meta['heads'][0])
    outs[0].backward(nd.array(head, ctx=ctx, dtype=head.dtype))
    for i, ref in zip(meta['grad'], meta['grads']):
        _check(cid, xs[i].grad, _array(ref), f'gradient of input {i}')


# Every golden error case, with what our message must say (op, what was expected, got).
MESSAGES = {
    'e_sum_axis': ('sum', 'axis 3', 'ndim 3'),
    'e_sum_neg_axis': ('max', 'axis -4', 'ndim 3'),
    'e_sum_dup': ('sum', 'duplicate', '(0, 0)'),
    'e_sum_dup_neg': ('mean', 'duplicate', '(0, -3)'),
    'e_argmax_tuple': ('argmax', 'int or None', '(0, 1)'),
    'e_argmax_axis': ('argmax', 'axis 2', 'ndim 2'),
    'e_argmax_channel_1d': ('argmax_channel', 'axis 1', 'ndim 1'),
    'e_norm_ord': ('norm', 'ord=1', 'ord=3'),
    'e_softmax_int': ('softmax', 'floating-point', 'int32'),
    'e_softmax_axis': ('softmax', 'axis 2', 'ndim 2'),
    'e_softmax_float_length': ('softmax', 'length', 'integer', 'float32'),
    'e_topk_k': ('topk', 'at most 4', 'k=5'),
    'e_topk_ret_typ': ('topk', 'ret_typ', "'bad'"),
    'e_sort_axis': ('sort', 'axis 2', 'ndim 2'),
    'e_dot_shape': ('dot', '(2, 3)', '(4, 2)', '3 and 4'),
    'e_dot_dtype': ('dot', 'same floating-point dtype', 'float32 and float64'),
    'e_dot_int': ('dot', 'floating-point', 'int32'),
    'e_batch_dot_2d': ('batch_dot', 'N >= 3', '(3, 4)'),
    'e_batch_dot_batch': ('batch_dot', 'batch', '(2, 3, 4)', '(3, 4, 5)'),
    'e_gemm2_shape': ('linalg_gemm2', '(2, 3, 4)', '(2, 5, 4)'),
    'e_pick_none': ('pick', 'axis=None'),
    'e_pick_shape': ('pick', 'shape (3,)', 'got (2,)'),
    'e_take_raise': ('take', "mode='raise'", '[0, 2]', '5.0]'),
    'e_take_axis': ('take', 'axis 5', 'ndim 2'),
    'e_take_raise_neg': ('take', "mode='raise'", '[0, 2]', '-1.0'),
    'e_take_raise_frac': ('take', "mode='raise'", '2.9'),
    'e_pick_mode': ('pick', "('clip', 'wrap')", "'raise'"),
    'e_gather_nd_m': ('gather_nd', 'M <= 2', '(3, 1)'),
    'e_scatter_nd_shape': ('scatter_nd', '(2, 5)', 'got (2,)'),
    'e_where_shape': ('where', 'condition', '(2,)'),
    'e_where_dtype': ('where', 'same shape and dtype', 'float64'),
    'e_clip_missing': ('clip', 'a_max', 'None'),
    'e_add_n_shape': ('add_n', '(3, 4)', 'input 1 has (4,)'),
    'e_add_n_dtype': ('add_n', 'float32', 'float64'),
    'e_cast_dtype': ('foo',),
    'e_potrf_not_pd': ('linalg_potrf',),
    'e_gemm_c_shape': ('linalg_gemm', '(2, 4)', 'got (2, 3)'),
    'e_gelqf_tall': ('linalg_gelqf', 'rows <= columns', '(3, 2)'),
    'e_khatri_rao_cols': ('khatri_rao', 'equal column counts', '(2, 4)'),
    'e_moments_axes': ('moments', 'axes', 'None'),
    'e_batch_take_float': ('batch_take', 'integer indices', 'float32'),
    'e_linalg_int': ('linalg_inverse', 'floating-point', 'int32'),
}


def test_every_golden_error_has_a_message_row():
    assert set(MESSAGES) == set(ERRORS)


@pytest.mark.parametrize('cid', ERRORS)
def test_errors(cid):
    with pytest.raises(Exception) as info:
        getattr(nd, META[cid]['op'])(*_inputs(cid), **_kwargs(cid))
    assert type(info.value).__name__ == META[cid]['error'], repr(info.value)
    if META[cid]['error'] == 'MXNetError':
        assert isinstance(info.value, MXNetError)
    for fragment in MESSAGES[cid]:
        assert fragment in str(info.value), (fragment, str(info.value))


# ---- the pure axis rules (regluon/ndarray/axes.py) ----------------------------------------
AXES = [  # axis, ndim, exclude, reduced axes
    (None, 3, False, (0, 1, 2)),
    ((), 3, False, (0, 1, 2)),
    ((), 3, True, (0, 1, 2)),       # MXNet: exclude nothing still reduces everything
    (1, 3, False, (1,)),
    (-1, 3, False, (2,)),
    ((2, 0), 3, False, (0, 2)),
    ([0, -1], 3, False, (0, 2)),
    (1, 3, True, (0, 2)),
    ((0, 1, 2), 3, True, ()),
]


@pytest.mark.parametrize('axis, ndim, exclude, want', AXES)
def test_reduce_axes(axis, ndim, exclude, want):
    assert reduce_axes('sum', axis, ndim, exclude) == want


@pytest.mark.parametrize('shape, axes, keepdims, want', [
    ((2, 3, 4), (1,), False, (2, 4)),
    ((2, 3, 4), (1,), True, (2, 1, 4)),
    ((2, 3), (0, 1), False, (1,)),     # MXNet 1.x: a full reduction is (1,), not ()
    ((2, 3), (0, 1), True, (1, 1)),
])
def test_reduced_shape(shape, axes, keepdims, want):
    assert reduced_shape(shape, axes, keepdims) == want


# ---- behaviour around the ops --------------------------------------------------------------
def test_abs_builtin_is_the_abs_operator():
    x = nd.array([[-1.5, 2.0]])
    assert abs(x).asnumpy().tolist() == [[1.5, 2.0]]


def test_out_argument_writes_into_the_given_array():
    x, out = nd.array([[1.0, 2.0], [3.0, 4.0]]), nd.zeros((2,))
    res = nd.sum(x, axis=1, out=out)
    assert res is out and out.asnumpy().tolist() == [3.0, 7.0]


def test_results_are_copies_not_views():
    x = nd.array([1.0, 2.0])
    for y in (nd.identity(x), nd.add_n(x), nd.sum(x, axis=(0,), exclude=True)):
        y.to_torch().fill_(7.0)
        assert x.asnumpy().tolist() == [1.0, 2.0]


def test_stop_gradient_blocks_only_its_branch():
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    with autograd.record():
        y = x * x + nd.stop_gradient(x * 3)
    y.backward()
    assert x.grad.asnumpy().tolist() == [2.0, 4.0]


def test_where_gradient_reaches_both_branches_with_add():
    x, y = nd.array([1.0, 2.0]), nd.array([3.0, 4.0])
    x.attach_grad(grad_req='add')
    y.attach_grad()
    for _ in range(2):
        with autograd.record():
            z = nd.where(nd.array([1.0, 0.0]), x, y)
        z.backward()
    assert x.grad.asnumpy().tolist() == [2.0, 0.0]
    assert y.grad.asnumpy().tolist() == [0.0, 1.0]


def test_no_gradient_recorded_outside_record():
    x = nd.array([1.0, 2.0])
    x.attach_grad()
    y = nd.exp(x)
    with pytest.raises(MXNetError, match='not in a computational graph'):
        y.backward()


def test_integer_index_results_of_argmax_are_exact_floats():
    # MXNet returns indices in the data's dtype; they must be exact, not rounded
    x = nd.array(np.arange(300, dtype='float32'))
    assert nd.argmax(x, axis=0).asscalar() == 299.0
    assert mx.nd.topk(x, k=1).asnumpy().tolist() == [299.0]


# dir(mxnet.nd.linalg) in MXNet 1.9.1
MX_LINALG = ['det', 'extractdiag', 'extracttrian', 'gelqf', 'gemm', 'gemm2', 'inverse',
             'makediag', 'maketrian', 'potrf', 'potri', 'slogdet', 'sumlogdiag', 'syevd',
             'syrk', 'trmm', 'trsm']


@pytest.mark.parametrize('name', MX_LINALG)
def test_linalg_namespace_has_mxnet_names(name):
    f = getattr(nd.linalg, name)
    assert f is getattr(nd, f'linalg_{name}', None) or f is getattr(nd, f'_linalg_{name}')


def test_potrf_potri_round_trip():
    a = nd.array([[4.0, 2.0], [2.0, 3.0]])
    inv = nd.linalg.potri(nd.linalg.potrf(a))
    np.testing.assert_allclose(nd.dot(inv, a).asnumpy(), np.eye(2), atol=1e-6)


def test_unravel_ravel_round_trip():
    flat = nd.array([0, 5, 11, 7])
    back = nd.ravel_multi_index(nd.unravel_index(flat, shape=(3, 4)), shape=(3, 4))
    assert back.asnumpy().tolist() == flat.asnumpy().tolist()


@pytest.mark.parametrize('name', ['trmm', 'trsm'])
@pytest.mark.parametrize('transpose', [False, True])
def test_triangular_ops_refuse_a_vector_with_mxnet_error(name, transpose):
    with pytest.raises(mx.MXNetError, match=rf'linalg_{name}: expected a floating-point '
                                            r'array with ndim >= 2.*got \(3,\)'):
        getattr(nd.linalg, name)(nd.ones(3), nd.ones((3, 3)), transpose=transpose)
