"""Cases for the last API names (csr graph ops, SparseEmbedding, CachedOp, cast_storage,
ImageRecord iterator variants, imdecode, shape_is_known) run by MXNet 1.9.1
(tools/golden_api_leftovers.py) and by regluon (tests/test_api_leftovers.py). Each case
takes the library and returns a dict of numpy arrays; the test compares them key by key."""
import os

import numpy as np

GOLDEN = os.path.dirname(os.path.abspath(__file__))
REC, IDX = os.path.join(GOLDEN, 'data_iter.rec'), os.path.join(GOLDEN, 'data_iter.idx')

# MXNet's docstring graph: 5 vertices, every pair connected, edge ids 1..20
K5 = (np.arange(1, 21, dtype='int64'),
      np.array([1, 2, 3, 4, 0, 2, 3, 4, 0, 1, 3, 4, 0, 1, 2, 4, 0, 1, 2, 3], 'int64'),
      np.array([0, 4, 8, 12, 16, 20], 'int64'))
# a sparser directed graph (6 vertices): its BFS layers differ by the hop
CHAIN = (np.array([10, 11, 12, 13, 14, 15, 16], 'int64'),
         np.array([1, 2, 3, 4, 5, 5, 0], 'int64'),
         np.array([0, 2, 3, 4, 5, 6, 7], 'int64'))


def k5(mx):
    return mx.nd.sparse.csr_matrix(K5, shape=(5, 5))


def chain(mx):
    return mx.nd.sparse.csr_matrix(CHAIN, shape=(6, 6))


def parts(x, pre=''):
    """The parts of a csr result (its stype, shape, dtype and values too)."""
    return {pre + 'data': x.data.asnumpy(), pre + 'indices': x.indices.asnumpy(),
            pre + 'indptr': x.indptr.asnumpy(), pre + 'shape': np.array(x.shape),
            pre + 'dense': x.asnumpy(), pre + 'csr': np.array(x.stype == 'csr')}


def ids(mx, values):
    return mx.nd.array(values, dtype='int64')


def _getnnz(mx):
    f = mx.nd.sparse.csr_matrix((np.array([1., 0., 2.]), np.array([0, 2, 1]),
                                 np.array([0, 2, 2, 3])), shape=(3, 4))
    return {'all': mx.nd.contrib.getnnz(k5(mx)).asnumpy(),
            'rows': mx.nd.contrib.getnnz(k5(mx), axis=1).asnumpy(),
            'zeros_all': mx.nd.contrib.getnnz(f).asnumpy(),
            'zeros_rows': mx.nd.contrib.getnnz(f, axis=1).asnumpy()}


def _edge_id(mx):
    f = mx.nd.sparse.csr_matrix((np.array([1., 0., 2.]), np.array([0, 2, 1]),
                                 np.array([0, 2, 2, 3])), shape=(3, 4))
    return {'k5': mx.nd.contrib.edge_id(k5(mx), ids(mx, [0, 0, 1, 1, 2, 2, 4]),
                                        ids(mx, [0, 1, 1, 2, 0, 2, 3])).asnumpy(),
            'float': mx.nd.contrib.edge_id(f, mx.nd.array([0, 0, 2, 1]),
                                           mx.nd.array([0, 2, 1, 1])).asnumpy()}


def _adjacency(mx):
    return parts(mx.nd.contrib.dgl_adjacency(chain(mx)))


def _subgraph(mx):
    x = mx.nd.array([[1, 0, 0, 2], [3, 0, 4, 0], [0, 5, 0, 0], [0, 6, 7, 0]],
                    dtype='int64').tostype('csr')
    out = {}
    res = mx.nd.contrib.dgl_subgraph(x, ids(mx, [0, 1, 2]), ids(mx, [1, 3]),
                                     return_mapping=True)
    out['n'] = np.array(len(res))
    for i, r in enumerate(res):
        out.update(parts(r, f'map{i}_'))
    out.update(parts(mx.nd.contrib.dgl_subgraph(x, ids(mx, [1, 2, 3]), return_mapping=False),
                     'single_'))
    return out


def sample_valid(res, n_sets, max_v, pre=''):
    """The parts of a sampler's output that MXNet writes (it leaves the tails of the
    vertex and layer arrays uninitialized): per seed set, vertices, layers (and
    probabilities: non-uniform), the sampled csr."""
    out = {}
    groups = len(res) // n_sets
    for i in range(n_sets):
        verts = res[i].asnumpy()
        n = int(verts[-1])
        out[f'{pre}{i}_n'] = np.array(n)
        out[f'{pre}{i}_vertices'] = verts[:n]
        out.update(parts(res[n_sets + i], f'{pre}{i}_g_'))
        if groups == 4:
            out[f'{pre}{i}_prob'] = res[2 * n_sets + i].asnumpy()[:n]
        out[f'{pre}{i}_layer'] = res[(groups - 1) * n_sets + i].asnumpy()[:n]
        out[f'{pre}{i}_shapes'] = np.array([r.shape[0] for r in res[i::n_sets]])
    return out


def _sampling(mx):
    """Samples whose neighbour counts cover every degree, so no draw is random."""
    out = {}
    res = mx.nd.contrib.dgl_csr_neighbor_uniform_sample(
        k5(mx), ids(mx, [0, 1, 2, 3, 4]), ids(mx, [3]), num_args=3, num_hops=1,
        num_neighbor=4, max_num_vertices=6)
    out.update(sample_valid(res, 2, 6, 'u_'))
    res = mx.nd.contrib.dgl_csr_neighbor_uniform_sample(
        chain(mx), ids(mx, [0]), num_hops=2, num_neighbor=2, max_num_vertices=6)
    out.update(sample_valid(res, 1, 6, 'hops_'))
    compact = mx.nd.contrib.dgl_graph_compact(res[1], res[0], graph_sizes=(int(
        res[0][-1].asscalar()),), return_mapping=False)
    out.update(parts(compact, 'compact_'))
    prob = mx.nd.array([0.9, 0.8, 0.2, 0.4, 0.1, 0.5])
    res = mx.nd.contrib.dgl_csr_neighbor_non_uniform_sample(
        chain(mx), prob, ids(mx, [0, 4]), num_hops=3, num_neighbor=2, max_num_vertices=5)
    out.update(sample_valid(res, 1, 5, 'nu_'))
    return out


GRAPH = {'getnnz': _getnnz, 'edge_id': _edge_id, 'adjacency': _adjacency,
         'subgraph': _subgraph, 'sampling': _sampling}

# (case, call): every call raises in MXNet 1.9.1
GRAPH_ERRORS = [
    ('getnnz_axis0', lambda mx: mx.nd.contrib.getnnz(k5(mx), axis=0)),
    ('getnnz_axis_neg', lambda mx: mx.nd.contrib.getnnz(k5(mx), axis=-1)),
    ('getnnz_dense', lambda mx: mx.nd.contrib.getnnz(mx.nd.ones((2, 2)))),
    ('edge_id_dense', lambda mx: mx.nd.contrib.edge_id(mx.nd.ones((2, 2)), ids(mx, [0]),
                                                       ids(mx, [0]))),
    ('adjacency_dense', lambda mx: mx.nd.contrib.dgl_adjacency(mx.nd.ones((2, 2)))),
]
# (case, call, message): MXNet 1.9.1 aborts the process on these (a failed CHECK in an
# OpenMP kernel); regluon raises MXNetError with MXNet's check message
GRAPH_CRASHES = [
    ('subgraph_unsorted', lambda mx: mx.nd.contrib.dgl_subgraph(
        k5(mx), ids(mx, [2, 0]), return_mapping=False), 'has to be sorted'),
    ('subgraph_vertex_range', lambda mx: mx.nd.contrib.dgl_subgraph(
        k5(mx), ids(mx, [1, 7]), return_mapping=False), "Vertex Id 7 isn't in a graph"),
    ('sample_too_many_seeds', lambda mx: mx.nd.contrib.dgl_csr_neighbor_uniform_sample(
        k5(mx), ids(mx, [0, 1, 2]), max_num_vertices=2), 'less than the 3 seeds'),
    ('compact_wrong_size', lambda mx: mx.nd.contrib.dgl_graph_compact(
        mx.nd.contrib.dgl_csr_neighbor_uniform_sample(k5(mx), ids(mx, [0]),
                                                      max_num_vertices=3)[1],
        ids(mx, [0, 1, 2, 3]), graph_sizes=(2,), return_mapping=False), 'graph_sizes gives 2'),
]


# ---- SparseEmbedding, CachedOp, cast_storage ------------------------------------------------
def sparse_embedding(mx):
    w = mx.nd.arange(12).reshape((4, 3))
    w.attach_grad(stype='row_sparse')
    x = mx.nd.array([[0, 2], [2, 3]])
    with mx.autograd.record():
        y = mx.nd.contrib.SparseEmbedding(x, w, input_dim=4, output_dim=3)
    y.backward(mx.nd.arange(1, 13).reshape((2, 2, 3)))
    return {'y': y.asnumpy(), 'grad_stype': np.array(w.grad.stype), 'grad_rows':
            w.grad.indices.asnumpy(), 'grad_data': w.grad.data.asnumpy()}


def cached_graph(mx):
    data, w = mx.sym.var('data'), mx.sym.var('w')
    fc = mx.sym.FullyConnected(data, w, num_hidden=3, no_bias=True, name='fc')
    return mx.sym.Group([mx.sym.relu(fc), mx.sym.sum(fc * fc, axis=1)])


def cached_op(mx):
    rng = np.random.RandomState(3)
    sym = cached_graph(mx)
    op = mx.nd.CachedOp(sym, flags=[('static_alloc', True)])
    single = mx.nd.CachedOp(mx.sym.tanh(mx.sym.var('x')))
    x = mx.nd.array(rng.uniform(-1, 1, (2, 4)))
    w = mx.nd.array(rng.uniform(-1, 1, (3, 4)))
    x.attach_grad()
    w.attach_grad()
    with mx.autograd.record():
        a, b = op(x, w)
        loss = a.sum() + b.sum()
    loss.backward()
    t = single(x)
    buf = mx.nd.zeros((2, 4))
    res = single(x, out=buf)
    return {'inputs': np.array(sym.list_inputs()), 'a': a.asnumpy(), 'b': b.asnumpy(),
            'dx': x.grad.asnumpy(), 'dw': w.grad.asnumpy(), 'tanh': t.asnumpy(),
            'single_is_array': np.array(not isinstance(t, list)),
            'out_is_buf': np.array(res is buf), 'buf': buf.asnumpy()}


def cast_storage_sym(mx):
    import json
    s = mx.sym.cast_storage(mx.sym.var('x'), stype='csr')
    node = json.loads(s.tojson())['nodes'][1]
    e = s.bind(mx.cpu(), {'x': mx.nd.array([[0, 1], [2, 0]])})
    return {'op': np.array(node['op']), 'name': np.array(node['name']),
            'stype': np.array(node['attrs']['stype']), 'value': e.forward()[0].asnumpy()}


# ---- ImageRecord iterator variants ------------------------------------------------------------
RECORD_ITERS = ['ImageRecordIter', 'ImageRecordIter_v1', 'ImageRecordUInt8Iter',
                'ImageRecordUInt8Iter_v1', 'ImageRecordInt8Iter']


def record_iters(mx):
    out = {}
    for name in RECORD_ITERS:
        it = getattr(mx.io, name)(path_imgrec=REC, data_shape=(3, 6, 6), batch_size=2,
                                  mean_r=10, mean_g=3, scale=0.5)
        batch = next(it)
        out[f'{name}/data'] = batch.data[0].asnumpy()
        out[f'{name}/label'] = batch.label[0].asnumpy()
        out[f'{name}/desc'] = np.array(str(np.dtype(it.provide_data[0].dtype)))
    return out


def png_bytes(mx):
    """An encoded PNG (8x7 RGB) from the iterator's record file."""
    rec = mx.recordio.MXIndexedRecordIO(IDX, REC, 'r')
    _, img = mx.recordio.unpack(rec.read_idx(rec.keys[0]))
    rec.close()
    return img


def decoded(mx):
    """The PNG as MXNet's OpenCV decodes it: BGR (what nd.imdecode's C kernel reads) and
    grayscale, HWC uint8."""
    png = png_bytes(mx)
    return {'bgr': mx.image.imdecode(png, to_rgb=False).asnumpy(),
            'gray': mx.image.imdecode(png, flag=0).asnumpy()}


# ---- shape_is_known -------------------------------------------------------------------------
SHAPES = [None, (), (0,), (2, 3), (2, 0, 4), (5,)]
NP_SHAPES = [(), (-1,), (2, -1), (0, 3), (4,)]


def shapes_known(mx):
    known = mx.gluon.utils.shape_is_known
    classic = [known(s) for s in SHAPES]
    with mx.util.np_shape(True):
        np_mode = [known(s) for s in NP_SHAPES]
    return {'classic': np.array(classic), 'np': np.array(np_mode)}


CASES = {'sparse_embedding': sparse_embedding, 'cached_op': cached_op,
         'cast_storage': cast_storage_sym, 'record_iters': record_iters, 'decoded': decoded,
         'shapes_known': shapes_known}
