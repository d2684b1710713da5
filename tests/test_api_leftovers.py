"""The last MXNet 1.9.1 API names: csr graph operators (getnnz, edge_id, DGL ops),
nd.contrib.SparseEmbedding, nd.CachedOp, sym.cast_storage / sym.op, the ImageRecord
iterator variants, nd.imdecode, gluon.utils.HookHandle / shape_is_known, mx.init.load and
mx.rnn's checkpoint re-exports. Goldens from tools/golden_api_leftovers.py (cases in
tests/golden/api_leftovers_cases.py)."""
import pickle
import warnings

import numpy as np
import pytest

import regluon as mx
from regluon.base import MXNetError
from conftest import golden
from golden import api_leftovers_cases as cases

G = golden('api_leftovers')


def check(prefix, got):
    want = {k[len(prefix):]: v for k, v in G.items() if k.startswith(prefix)}
    assert sorted(got) == sorted(want), prefix
    for k, v in want.items():
        g = np.asarray(got[k])
        assert g.dtype == v.dtype or v.dtype.kind == g.dtype.kind == 'U', (prefix + k, g.dtype)
        np.testing.assert_allclose(g, v, rtol=1e-6, atol=1e-6, err_msg=prefix + k) \
            if v.dtype.kind == 'f' else np.testing.assert_array_equal(g, v, err_msg=prefix + k)


# ---- csr graph operators -------------------------------------------------------------------
@pytest.mark.parametrize('name', sorted(cases.GRAPH))
def test_graph_ops(name):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')         # the truncated-sampling warning, as MXNet logs
        check(f'graph/{name}/', cases.GRAPH[name](mx))


@pytest.mark.parametrize('name, call', cases.GRAPH_ERRORS, ids=[c[0] for c in cases.GRAPH_ERRORS])
def test_graph_errors(name, call):
    etype, msg = G[f'error/{name}']
    assert etype == 'MXNetError'
    with pytest.raises(MXNetError) as e:
        call(mx)
    mxmsg = msg.split('MXNetError: ')[-1]
    if 'Check failed' in mxmsg or 'dev_mask' in mxmsg:   # MXNet's internal check text
        assert 'csr' in str(e.value) or 'int64' in str(e.value)
    else:                                                # MXNet's own message
        assert mxmsg in str(e.value)


@pytest.mark.parametrize('name, call, msg', cases.GRAPH_CRASHES,
                         ids=[c[0] for c in cases.GRAPH_CRASHES])
def test_graph_checks_mxnet_aborts_on(name, call, msg):
    with pytest.raises(MXNetError, match=msg):
        call(mx)


def test_truncated_sampling_warns():
    with pytest.warns(UserWarning, match='sampling is truncated'):
        mx.nd.contrib.dgl_csr_neighbor_uniform_sample(
            cases.k5(mx), cases.ids(mx, [0]), num_neighbor=4, num_hops=2, max_num_vertices=3)


def _draw(uniform, seed):
    mx.random.seed(seed)
    g = cases.k5(mx)
    if uniform:
        return mx.nd.contrib.dgl_csr_neighbor_uniform_sample(
            g, cases.ids(mx, [0, 1]), cases.ids(mx, [2]), num_args=3, num_neighbor=2,
            max_num_vertices=5)
    prob = mx.nd.array([0.9, 0.8, 0.2, 0.4, 0.1])
    return mx.nd.contrib.dgl_csr_neighbor_non_uniform_sample(
        g, prob, cases.ids(mx, [0, 1]), cases.ids(mx, [2]), num_neighbor=2,
        max_num_vertices=5)


@pytest.mark.parametrize('uniform', [True, False])
def test_random_sampling_invariants(uniform):
    """MXNet's layout and invariants of a random draw: per seed set, vertices sorted
    (count last), each sampled row of the csr is a subset of that vertex's edges with
    num_neighbor of them, seeds at layer 0 and others at 1; drawn from mx.random.seed."""
    res = _draw(uniform, 7)
    assert len(res) == (6 if uniform else 8)
    dense = cases.k5(mx).asnumpy()
    for i, seeds in enumerate([[0, 1], [2]]):
        verts, sub = res[i].asnumpy(), res[2 + i]
        layers = res[-2 + i].asnumpy()
        assert verts.shape == (6,) and verts.dtype == np.int64 and sub.stype == 'csr'
        assert sub.shape == (5, 5) and layers.shape == (5,)
        n = int(verts[-1])
        v = verts[:n]
        assert set(seeds) <= set(v) and list(v) == sorted(set(v))
        np.testing.assert_array_equal(layers[:n], [0 if x in seeds else 1 for x in v])
        s = sub.asnumpy()
        for row, vert in enumerate(v):
            picked = np.nonzero(s[row])[0]
            assert len(picked) == (2 if vert in seeds else 0)
            np.testing.assert_array_equal(s[row, picked], dense[vert, picked])
        assert not s[n:].any()
        if not uniform:
            np.testing.assert_allclose(res[4 + i].asnumpy()[:n],
                                       np.array([0.9, 0.8, 0.2, 0.4, 0.1], 'float32')[v])
    again = _draw(uniform, 7)
    for a, b in zip(res, again):
        np.testing.assert_array_equal(a.asnumpy(), b.asnumpy())
    draws = {tuple(_draw(uniform, s)[2].asnumpy().ravel()) for s in range(12)}
    assert len(draws) > 1


def test_non_uniform_never_picks_zero_probability():
    prob = mx.nd.array([1, 0, 0, 1, 1])
    for seed in range(5):
        mx.random.seed(seed)
        res = mx.nd.contrib.dgl_csr_neighbor_non_uniform_sample(
            cases.k5(mx), prob, cases.ids(mx, [0]), num_neighbor=2, max_num_vertices=5)
        np.testing.assert_array_equal(res[1].asnumpy()[0].nonzero()[0], [3, 4])
    # fewer positive-probability neighbours than num_neighbor: the rest in stored order
    res = mx.nd.contrib.dgl_csr_neighbor_non_uniform_sample(
        cases.k5(mx), mx.nd.array([0, 1, 0, 0, 0]), cases.ids(mx, [0]), num_neighbor=2,
        max_num_vertices=5)
    np.testing.assert_array_equal(res[1].asnumpy()[0], [0, 1, 2, 0, 0])


def test_seed_out_of_range():
    # MXNet reads past its indptr there; here it is refused
    with pytest.raises(MXNetError, match=r'seed vertex ids must be in \[0, 5\), got \[9\]'):
        mx.nd.contrib.dgl_csr_neighbor_uniform_sample(cases.k5(mx), cases.ids(mx, [9]))


def test_edge_id_of_an_empty_graph():
    # MXNet's kernel fills -1 when the csr holds nothing
    g = mx.nd.sparse.zeros('csr', (3, 3), dtype='int64')
    r = mx.nd.contrib.edge_id(g, mx.nd.array([0, 1]), mx.nd.array([1, 1]))
    assert r.dtype == np.int64 and r.asnumpy().tolist() == [-1, -1]


def test_compact_mapping_and_out():
    res = mx.nd.contrib.dgl_csr_neighbor_uniform_sample(
        cases.chain(mx), cases.ids(mx, [0]), num_hops=2, num_neighbor=2, max_num_vertices=6)
    n = int(res[0][-1].asscalar())
    new, old = mx.nd.contrib.dgl_graph_compact(res[1], res[0], graph_sizes=(n,),
                                               return_mapping=True)
    # MXNet 1.9.1 leaves the mapping output unwritten; here it holds the sampled edge ids
    np.testing.assert_array_equal(old.indices.asnumpy(), new.indices.asnumpy())
    np.testing.assert_array_equal(old.data.asnumpy(), res[1].data.asnumpy())
    out = mx.nd.zeros((5,), dtype='int64')
    r = mx.nd.contrib.getnnz(cases.k5(mx), axis=1, out=out)
    assert r is out and out.asnumpy().tolist() == [4] * 5


# ---- SparseEmbedding, CachedOp, cast_storage, sym.op ----------------------------------------
@pytest.mark.parametrize('name', ['sparse_embedding', 'cached_op', 'cast_storage',
                                  'shapes_known'])
def test_cases(name):
    check(f'{name}/', cases.CASES[name](mx))


def test_cached_op_errors_and_symbol_block_use():
    op = mx.nd.CachedOp(cases.cached_graph(mx))
    with pytest.raises(MXNetError, match=r'expected 2 inputs \(data, w\), got 1'):
        op(mx.nd.ones((2, 4)))
    with pytest.raises(TypeError, match='unexpected keyword argument'):
        op(mx.nd.ones((2, 4)), mx.nd.ones((3, 4)), static_alloc=True)


def test_sym_op_module_and_cast_storage_roundtrip():
    assert mx.sym.op.relu is mx.sym.relu and mx.sym.op.FullyConnected is mx.sym.FullyConnected
    assert mx.nd.op.relu is mx.nd.relu and mx.nd.op.Convolution is mx.nd.Convolution
    s = mx.sym.cast_storage(mx.sym.var('x'), stype='row_sparse')
    assert mx.sym.load_json(s.tojson()).tojson() == s.tojson()
    with pytest.raises(MXNetError, match="stype must be one of"):
        mx.sym.cast_storage(mx.sym.var('x'), stype='coo').bind(
            mx.cpu(), {'x': mx.nd.ones((2, 2))}).forward()
    c = mx.nd.cast_storage(mx.nd.array([[0, 1], [2, 0]]), stype='csr')     # still sparse's
    assert c.stype == 'csr'


# ---- ImageRecord iterator variants, imdecode -------------------------------------------------
def test_record_iter_variants():
    check('record_iters/', cases.record_iters(mx))


def _decoded():
    return {k[len('decoded/'):]: v for k, v in G.items() if k.startswith('decoded/')}


def test_imdecode_matches_opencv_layout():
    """MXNet 1.9.1's nd.imdecode fails under Python 3 (the golden records its error), so
    its C kernel's layout is checked against OpenCV's decode that the kernel reads: CHW,
    BGR, float32, minus mean, clip_rect (x0, y0, x1, y1), out/index."""
    assert G['imdecode_error'][0] == 'MXNetError'
    png, want = cases.png_bytes(mx), _decoded()
    bgr = want['bgr'].transpose(2, 0, 1).astype('float32')
    r = mx.nd.imdecode(png)
    assert r.dtype == np.float32
    np.testing.assert_array_equal(r.asnumpy(), bgr)
    np.testing.assert_array_equal(mx.nd.imdecode(png, clip_rect=(1, 2, 4, 5)).asnumpy(),
                                  bgr[:, 2:5, 1:4])
    mean = mx.nd.array(np.arange(bgr.size).reshape(bgr.shape))
    np.testing.assert_allclose(mx.nd.imdecode(png, mean=mean).asnumpy(),
                               bgr - mean.asnumpy())
    out = mx.nd.zeros((2,) + bgr.shape)
    assert mx.nd.imdecode(png, out=out, index=1) is out
    np.testing.assert_array_equal(out.asnumpy()[1], bgr)
    assert not out.asnumpy()[0].any()
    gray = mx.nd.imdecode(png, channels=1).asnumpy()
    assert gray.shape == (1,) + bgr.shape[1:]
    np.testing.assert_allclose(gray[0], want['gray'][:, :, 0], atol=1)   # Pillow's luma +-1


def test_imdecode_errors():
    png = cases.png_bytes(mx)
    with pytest.raises(MXNetError, match='cannot decode image'):
        mx.nd.imdecode(b'garbage')
    with pytest.raises(MXNetError, match='clip_rect'):
        mx.nd.imdecode(png, clip_rect=(0, 0, 100, 100))
    with pytest.raises(MXNetError, match="mean must have the output's shape"):
        mx.nd.imdecode(png, mean=mx.nd.ones((3, 2, 2)))
    with pytest.raises(MXNetError, match='out must be'):
        mx.nd.imdecode(png, out=mx.nd.zeros((3, 2, 2)))


# ---- gluon.utils, init.load, rnn checkpoints ---------------------------------------------------
def test_hook_handle():
    from regluon.gluon.utils import HookHandle
    net = mx.gluon.nn.Dense(2, in_units=3)
    net.initialize()
    seen = []
    h = net.register_forward_hook(lambda b, i, o: seen.append(o.shape))
    assert isinstance(h, HookHandle)
    with net.register_forward_pre_hook(lambda b, i: seen.append('pre')) as pre:
        assert isinstance(pre, HookHandle)
        net(mx.nd.ones((1, 3)))
    net(mx.nd.ones((4, 3)))
    h.detach()
    net(mx.nd.ones((1, 3)))
    assert seen == ['pre', (1, 2), (4, 2)]
    state = pickle.loads(pickle.dumps(h))    # MXNet's __getstate__/__setstate__
    assert state._id == h._id
    state.detach()


def test_init_load_and_rnn_checkpoint(tmp_path):
    assert mx.init.load is mx.nd.load
    mx.nd.save(str(tmp_path / 'w.nd'), {'w': mx.nd.ones((2,))})
    assert mx.init.load(str(tmp_path / 'w.nd'))['w'].asnumpy().tolist() == [1, 1]
    sym = mx.sym.FullyConnected(mx.sym.var('data'), num_hidden=2, name='fc')
    args = {'fc_weight': mx.nd.ones((2, 3)), 'fc_bias': mx.nd.zeros((2,))}
    prefix = str(tmp_path / 'm')
    mx.rnn.save_checkpoint(prefix, 1, sym, args, {})
    s2, a2, _ = mx.rnn.load_checkpoint(prefix, 1)
    assert s2.list_arguments() == sym.list_arguments()
    np.testing.assert_array_equal(a2['fc_weight'].asnumpy(), np.ones((2, 3)))


# ---- MXNet's own DGL test cases (tests/python/unittest/test_dgl_graph.py), as checks -------------
SAMPLES = [([0, 1, 2, 3, 4], 1, 2, 5), ([0], 1, 1, 4), ([0], 2, 1, 3), ([0, 2, 4], 1, 2, 5),
           ([0, 4], 1, 2, 5), ([0, 4], 2, 2, 5)]


@pytest.mark.parametrize('uniform', [True, False])
@pytest.mark.parametrize('seeds, hops, neighbours, max_v', SAMPLES)
def test_mxnet_sampling_checks(uniform, seeds, hops, neighbours, max_v):
    g = cases.k5(mx)
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        if uniform:
            out = mx.nd.contrib.dgl_csr_neighbor_uniform_sample(
                g, cases.ids(mx, seeds), num_args=2, num_hops=hops, num_neighbor=neighbours,
                max_num_vertices=max_v)
        else:
            out = mx.nd.contrib.dgl_csr_neighbor_non_uniform_sample(
                g, mx.nd.array([0.9, 0.8, 0.2, 0.4, 0.1]), cases.ids(mx, seeds), num_args=3,
                num_hops=hops, num_neighbor=neighbours, max_num_vertices=max_v)
    assert len(out) == (3 if uniform else 4)
    verts, sub, layer = out[0].asnumpy(), out[1], out[-1].asnumpy()
    assert len(verts) == max_v + 1 and (verts != -1).sum() - 1 == verts[-1]
    sub.check_format(full_check=True)
    assert (layer <= hops).all()
    if not uniform:
        assert len(out[2]) == max_v
    n = int(verts[-1])
    assert 0 < n < len(verts)
    compact = mx.nd.contrib.dgl_graph_compact(sub, out[0], graph_sizes=out[0][-1].asnumpy(),
                                              return_mapping=False)
    assert compact.shape == (n, n)
    np.testing.assert_array_equal(compact.indptr.asnumpy(), sub.indptr.asnumpy()[:n + 1])
    np.testing.assert_array_equal(verts[compact.indices.asnumpy()], sub.indices.asnumpy())


def _random_graph(rng, n):
    mask = rng.uniform(size=(n, n)) < 0.2
    dense = np.zeros((n, n), 'int64')
    dense[mask] = np.arange(1, mask.sum() + 1)
    return dense, mx.nd.array(dense, dtype='int64').tostype('csr')


def test_random_subgraph_edge_id_adjacency():
    rng = np.random.RandomState(5)
    dense, g = _random_graph(rng, 40)
    vertices = np.unique(rng.randint(0, 40, size=12))
    new, old = mx.nd.contrib.dgl_subgraph(g, mx.nd.array(vertices, dtype='int64'),
                                          return_mapping=True)
    new.check_format()
    old.check_format()
    np.testing.assert_array_equal(old.asnumpy(), dense[np.ix_(vertices, vertices)])
    np.testing.assert_array_equal(new.indptr.asnumpy(), old.indptr.asnumpy())
    np.testing.assert_array_equal(new.indices.asnumpy(), old.indices.asnumpy())
    np.testing.assert_array_equal(new.data.asnumpy(), np.arange(old.data.shape[0]))
    u, v = rng.randint(0, 40, size=30), rng.randint(0, 40, size=30)
    got = mx.nd.contrib.edge_id(g, mx.nd.array(u), mx.nd.array(v)).asnumpy()
    np.testing.assert_array_equal(got, np.where(dense[u, v] > 0, dense[u, v], -1))
    adj = mx.nd.contrib.dgl_adjacency(g)
    assert adj.dtype == np.float32 and adj.shape == g.shape
    np.testing.assert_array_equal(adj.asnumpy(), (dense > 0).astype('float32'))
