"""mx.nd.sparse (CSRNDArray, RowSparseNDArray) against MXNet 1.9.1's goldens
(tools/golden_sparse.py; the cases are tests/golden/sparse_cases.py)."""
import builtins
import warnings

import numpy as np
import pytest

import regluon as mx
from regluon.base import MXNetError
from conftest import GOLDEN, golden
from golden import sparse_cases as S

G = golden('sparse')
nd = mx.nd


# csr (op) csr in MXNet 1.9.1: values right, but the parts are not ours to copy: c+c2 lists
# each row's columns in descending order, c-c and c*c2 return uninitialized indices. We
# return canonical csr (columns ascending); these cases compare values, stype and shape.
VALUES_ONLY = {'c+c2', 'c-c2', 'c-c', 'c*c2', 'elemwise_add_cc', 'iadd_csr_csr'}


def check(prefix, arr):
    """Values, stype, dtype, shape and sparse parts of `arr` equal MXNet's."""
    got = S.parts(arr)
    if prefix in VALUES_ONLY:
        got = {k: got[k] for k in ('value', 'meta')}
        ptr, idx = arr.indptr.asnumpy(), arr.indices.asnumpy()
        assert all((np.diff(idx[a:b]) > 0).all() for a, b in zip(ptr[:-1], ptr[1:])), prefix
        np.testing.assert_allclose(got['value'], G[f'{prefix}:value'], rtol=1e-5, atol=1e-6)
        assert str(got['meta']) == str(G[f'{prefix}:meta']), prefix
        return
    assert set(got) == {k.rsplit(':', 1)[1] for k in G if k.rsplit(':', 1)[0] == prefix}, prefix
    assert str(got['meta']) == str(G[f'{prefix}:meta']), prefix
    for k, v in got.items():
        if k != 'meta':
            np.testing.assert_allclose(v, G[f'{prefix}:{k}'], rtol=1e-5, atol=1e-6,
                                       err_msg=f'{prefix}:{k}')


RESULTS = S.results(mx)


@pytest.mark.parametrize('name', sorted(RESULTS))
def test_results(name):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        check(name, RESULTS[name]())


@pytest.mark.parametrize('name', sorted(S.errors(mx)))
def test_errors(name):
    want = str(G[f'err:{name}'])
    # MXNet raises a plain Exception for rsp[1:2]; our MXNetError is one
    want_cls = MXNetError if want == 'MXNetError' else getattr(builtins, want)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        with pytest.raises(want_cls):
            S.errors(mx)[name]()


def test_error_messages():
    x = S.inputs(mx)
    with pytest.raises(ValueError, match='cast_storage from csr to row_sparse'):
        x['c'].tostype('row_sparse')
    with pytest.raises(MXNetError, match="retain: expected a row_sparse array, got .*csr"):
        nd.sparse.retain(x['c'], nd.array([0]))
    with pytest.raises(MXNetError, match=r"dot: shapes \(5, 4\) and \(5, 3\) do not match"):
        nd.sparse.dot(x['c'], x['w'])
    with pytest.raises(MXNetError, match=r"column indices must be in \[0, 3\)"):
        nd.sparse.csr_matrix(([1., 2.], [0, 5], [0, 1, 1, 2]), shape=(3, 3))
    with pytest.raises(MXNetError, match="indptr must start at 0"):
        nd.sparse.csr_matrix(([1., 2.], [0, 1], [0, 1, 3]), shape=(2, 3))
    with pytest.raises(MXNetError, match=r"row indices must be in \[0, 4\)"):
        nd.sparse.row_sparse_array(([[1, 2], [3, 4]], [0, 5]), shape=(4, 2))
    with pytest.raises(MXNetError, match="sorted and unique"):
        nd.sparse.row_sparse_array(([[1, 2], [3, 4]], [2, 0]), shape=(4, 2))


@pytest.mark.parametrize('name', sorted(S.grads(mx)))
def test_dot_gradients(name):
    y, g = S.grads(mx)[name]
    check(f'grad:{name}:y', y)
    check(f'grad:{name}:g', g)


def test_attributes():
    x = S.inputs(mx)
    c, r = x['c'], x['r']
    assert isinstance(c, nd.sparse.CSRNDArray) and isinstance(r, nd.sparse.RowSparseNDArray)
    assert isinstance(c, nd.NDArray) and c.stype == 'csr' and x['a'].stype == 'default'
    assert c.context == mx.cpu() and c.dtype == np.float32 and c.shape == (5, 4)
    assert repr(c) == '\n<CSRNDArray 5x4 @cpu(0)>' and str(r) == '\n<RowSparseNDArray 5x4 @cpu(0)>'
    assert r.as_in_context(mx.cpu()) is r
    moved = r.copyto(mx.cpu(1))
    assert moved.context == mx.cpu(1) and moved.stype == 'row_sparse'
    np.testing.assert_array_equal(c.todense().asnumpy(), S.A)
    # .data is a copy (MXNet: "a deep copy"): writing it leaves the array unchanged
    d = c.data
    d[:] = 0
    np.testing.assert_array_equal(c.asnumpy(), S.A)
    # c[:] = dense keeps the storage type
    c2 = c.copy()
    c2[:] = nd.array(S.A2)
    assert c2.stype == 'csr'
    np.testing.assert_array_equal(c2.indices.asnumpy(), [2, 1, 2, 0])


def test_fallback_warns_and_densifies():
    c = S.inputs(mx)['c']
    with pytest.warns(UserWarning, match='Storage type fallback'):
        y = nd.exp(c)
    assert type(y) is nd.NDArray
    np.testing.assert_allclose(y.asnumpy(), np.exp(S.A), rtol=1e-6)


# ---- save / load -------------------------------------------------------------------------
SAVED = GOLDEN / 'sparse_saved.nd'


def test_load_mxnet_file():
    got = nd.load(str(SAVED))
    want = S.saved(mx)
    assert list(got) == list(want)
    for k, v in want.items():
        assert got[k].stype == v.stype and got[k].dtype == v.dtype, k
        np.testing.assert_array_equal(got[k].asnumpy(), v.asnumpy())
        if v.stype != 'default':
            np.testing.assert_array_equal(got[k].indices.asnumpy(), v.indices.asnumpy())


def test_save_matches_mxnet_bytes(tmp_path):
    # the same arrays saved here give MXNet's file byte for byte (so MXNet loads ours)
    path = tmp_path / 'x.nd'
    nd.save(str(path), S.saved(mx))
    assert path.read_bytes() == SAVED.read_bytes()
    again = nd.load(str(path))
    assert again['r3'].stype == 'row_sparse' and again['r3'].dtype == np.float64


def test_load_truncated_and_corrupt(tmp_path):
    raw = SAVED.read_bytes()
    for cut in (30, 100, 200, len(raw) - 40):
        with pytest.raises(MXNetError, match='truncated'):
            nd.load_frombuffer(raw[:cut])
    # first record is csr: its first column index (an int64 after data) made out of range
    c = S.inputs(mx)['c']
    buf = bytearray(mx.ndarray.utils.save_tobuffer([c]))
    n_idx = c.indices.shape[0]
    pos = len(buf) - 8 - 8 * n_idx
    buf[pos:pos + 8] = (99).to_bytes(8, 'little')
    with pytest.raises(MXNetError, match='column index out of'):
        nd.load_frombuffer(bytes(buf))


# ---- training: LibSVMIter, row_sparse gradients, lazy updates, kvstore --------------------
@pytest.mark.parametrize('name', sorted(S.training(mx)))
def test_training(name):
    with warnings.catch_warnings():
        warnings.simplefilter('error')      # no storage fallback on these paths
        got = S.training(mx)[name]()
    want = sorted((int(k.rsplit(':', 1)[1]), k) for k in G if k.startswith(f'train:{name}:'))
    assert len(got) == len(want)
    for a, (i, k) in zip(got, want):
        if a.dtype.kind in 'US':
            assert str(a) == str(G[k]), k
        else:
            np.testing.assert_allclose(a, G[k], rtol=1e-5, atol=1e-6, err_msg=k)


def test_embedding_sparse_grad_equals_dense():
    # sparse_grad=True with plain SGD trains exactly as the dense gradient does
    dense = S.embedding(mx, False, 'sgd', {'learning_rate': 0.1})
    sparse = S.embedding(mx, True, 'sgd', {'learning_rate': 0.1})
    for d, s in zip(dense[2::3], sparse[2::3]):
        np.testing.assert_allclose(s, d, rtol=1e-6)
    assert [str(x) for x in sparse[0::3]] == ['row_sparse'] * 3


def test_libsvm_refuses_out_of_range_features():
    # MXNet 1.9.1 silently builds a corrupt csr batch here (indices past data_shape)
    with pytest.raises(MXNetError, match=r"line 1 has feature index 6, outside the shape \(5,\)"):
        S.libsvm(mx, data_shape=(5,))
    with pytest.raises(MXNetError, match="cannot read data_libsvm"):
        S.libsvm(mx, data_libsvm='/nonexistent/file.libsvm')


def test_trainer_with_kvstore_keeps_row_sparse_grads():
    # two contexts: the gradients are summed by the kvstore and stay row_sparse
    nd = mx.nd
    emb = mx.gluon.nn.Embedding(10, 3, sparse_grad=True)
    ctxs = [mx.cpu(0), mx.cpu(1)]
    emb.initialize(mx.init.Constant(1.0), ctx=ctxs)
    trainer = mx.gluon.Trainer(emb.collect_params(), 'sgd', {'learning_rate': 0.5})
    with mx.autograd.record():
        losses = [emb(nd.array(b, ctx=c)).sum() for b, c in (([1, 3], ctxs[0]),
                                                               ([3, 4], ctxs[1]))]
    mx.autograd.backward(losses)
    trainer.step(1)
    g = emb.weight.grad(ctxs[0])
    assert g.stype == 'row_sparse'
    want = np.ones((10, 3), np.float32)
    want[[1, 4]] -= 0.5
    want[3] -= 1.0                          # looked up on both contexts: summed gradient 2
    for c in ctxs:
        np.testing.assert_allclose(emb.weight.data(c).asnumpy(), want)


def test_tostype_default_is_a_copy_and_pickling():
    import copy
    import pickle
    a = nd.ones((2, 2))
    b = a.tostype('default')
    b[0] = 5                                # MXNet: cast_storage makes a new array
    np.testing.assert_array_equal(a.asnumpy(), np.ones((2, 2)))
    c = S.inputs(mx)['c']
    for c2 in (pickle.loads(pickle.dumps(c)), copy.deepcopy(c)):
        assert type(c2) is nd.sparse.CSRNDArray
        np.testing.assert_array_equal(c2.indptr.asnumpy(), c.indptr.asnumpy())
        np.testing.assert_array_equal(c2.asnumpy(), S.A)


def test_hybridized_block_densifies_sparse_input():
    net = mx.gluon.nn.Dense(2, in_units=4)
    net.initialize(mx.init.Xavier())
    c = S.inputs(mx)['c']
    want = net(c.todense()).asnumpy()
    np.testing.assert_allclose(net(c).asnumpy(), want, rtol=1e-6)    # sparse FullyConnected
    net.hybridize()
    with pytest.warns(UserWarning, match='Storage type fallback'):
        got = net(c)
    np.testing.assert_allclose(got.asnumpy(), want, rtol=1e-6)


def test_sparse_grad_accumulates_with_grad_req_add():
    # grad_req='add' goes through autograd._deposit into the row_sparse buffer (a union)
    grads = []
    for sparse_grad in (True, False):
        emb = mx.gluon.nn.Embedding(6, 2, sparse_grad=sparse_grad)
        emb.initialize(mx.init.Constant(1.0))
        emb.weight.grad_req = 'add'
        for b in ([1, 2], [2, 5]):
            with mx.autograd.record():
                loss = (emb(nd.array(b)) * nd.array([[1, 2], [3, 4]])).sum()
            loss.backward()
        grads.append(emb.weight.grad())
    assert grads[0].stype == 'row_sparse'
    np.testing.assert_array_equal(grads[0].indices.asnumpy(), [1, 2, 5])
    np.testing.assert_array_equal(grads[0].asnumpy(), grads[1].asnumpy())


def test_truth_value_as_mxnet():
    """bool() of a sparse array as MXNet 1.9.1 (checked there): several elements are
    ambiguous (ValueError); one element needs asscalar, which sparse arrays lack."""
    with pytest.raises(ValueError, match='ambiguous'):
        bool(nd.array([[0, 1], [2, 0]]).tostype('csr'))
    for stype in ('csr', 'row_sparse'):
        with pytest.raises(NotImplementedError):
            bool(nd.array([[3.0]]).tostype(stype))


def test_csr_from_coo_sums_duplicates_in_row_column_order():
    """csr_matrix((data, (row, col))): MXNet builds it through scipy's
    coo_matrix(...).tocsr() (its venv here has no scipy, hence no golden): duplicates
    summed, each row's columns ascending, the shape from the largest indices."""
    data = np.array([1., 2, 3, 4, 5, 7])
    row, col = np.array([2, 0, 2, 1, 2, 0]), np.array([3, 1, 0, 1, 3, 1])
    dense = np.zeros((3, 5))
    np.add.at(dense, (row, col), data)
    a = nd.sparse.csr_matrix((data, (row, col)), shape=(3, 5))
    assert a.stype == 'csr' and a.dtype == np.float64 and a.shape == (3, 5)
    np.testing.assert_array_equal(a.asnumpy(), dense)
    assert a.indptr.asnumpy().tolist() == [0, 1, 2, 4]
    assert a.indices.asnumpy().tolist() == [1, 1, 0, 3]
    assert a.data.asnumpy().tolist() == [9., 4., 3., 6.]
    b = nd.sparse.csr_matrix((nd.array(data), (nd.array(row), nd.array(col))), dtype='float32')
    assert b.shape == (3, 4) and b.dtype == np.float32
    with pytest.raises(ValueError, match='outside the shape'):
        nd.sparse.csr_matrix((data, (row, col)), shape=(2, 5))
    with pytest.raises(ValueError, match='same length'):
        nd.sparse.csr_matrix((data[:2], (row, col)))


class _ScipyCSR:
    """A stand-in for scipy.sparse.csr_matrix (scipy is not a dependency): the parts
    regluon reads, duplicates and unsorted columns included."""
    __module__ = 'scipy.sparse._csr'
    format = 'csr'

    def __init__(self, data, indices, indptr, shape):
        self.data, self.indices, self.indptr, self.shape = data, indices, indptr, shape

    @property
    def dtype(self):
        return self.data.dtype

    def tocsr(self, copy=False):
        return _ScipyCSR(self.data.copy(), self.indices.copy(), self.indptr.copy(),
                         self.shape) if copy else self

    def sum_duplicates(self):
        dense = np.zeros(self.shape)
        rows = np.repeat(np.arange(self.shape[0]), np.diff(self.indptr))
        np.add.at(dense, (rows, self.indices), self.data)
        keep = dense != 0
        self.data, self.indices = dense[keep], np.nonzero(keep)[1]
        self.indptr = np.concatenate([[0], np.cumsum(keep.sum(1))])


def test_nd_array_of_a_scipy_csr_matrix_is_a_canonical_csr():
    """mx.nd.array(scipy csr_matrix) is a CSRNDArray (MXNet's nd.array), duplicates summed
    and columns sorted (MXNet's test_create_csr, non-canonical case)."""
    src = _ScipyCSR(np.array([1., 2, 3, 4, 5, 6, 1]), np.array([0, 2, 2, 0, 1, 2, 1]),
                    np.array([0, 2, 3, 7]), (3, 3))
    a = nd.array(src)
    assert a.stype == 'csr' and a.shape == (3, 3)
    assert a.indptr.asnumpy().tolist() == [0, 2, 3, 6]
    assert a.indices.asnumpy().tolist() == [0, 2, 2, 0, 1, 2]
    assert a.data.asnumpy().tolist() == [1., 2., 3., 4., 6., 6.]
    assert src.indptr.tolist() == [0, 2, 3, 7]          # the source is left as it was
