"""MXNet's csr graph operators (`nd.contrib.<name>`, registered as `_contrib_<name>`):
getnnz, edge_id, and the DGL ops dgl_adjacency, dgl_subgraph, dgl_graph_compact,
dgl_csr_neighbor_uniform_sample and dgl_csr_neighbor_non_uniform_sample.

A graph is a square csr array whose values are edge ids (row = destination, columns = its
neighbours). MXNet has only csr kernels for these ops; so here each registered kernel
refuses a dense input (MXNet: "Operator not implemented ... storage types = [default]"), and
a csr argument goes to the op's sparse dispatch (register.Op.sparse), where the functions
below work on the csr's parts (`_data`, `_aux = (indptr, indices)`) with torch ops. The
neighbour sampling walks the graph breadth first as MXNet's kernel does, one vertex at a
time (the walk is sequential); its draws come from torch's generator (`mx.random.seed`),
where MXNet seeds C's rand_r with the time.
"""
import warnings

import numpy as np
import torch

from ...base import MXNetError
from ..ndarray import _box
from ..register import op

_I64 = torch.int64


def _csr(name, x, what='data'):
    if getattr(x, 'stype', None) != 'csr':
        raise MXNetError(f"{name}: {what} must be a csr array (MXNet has only a csr kernel), "
                         f"got storage type {getattr(x, 'stype', type(x).__name__)}")
    return x._data, x._aux[0], x._aux[1]


def _dense(name, x, what):
    if getattr(x, 'stype', 'default') != 'default':
        raise MXNetError(f"{name}: {what} must be a dense array, got storage type {x.stype}")
    return x.to_torch()


def _refuse(name):
    """The dense kernel: MXNet has no dense kernel for the graph operators."""
    def kernel(*args, **kwargs):
        raise MXNetError(f"{name}: expects a csr array as its first input (MXNet implements "
                         "it only for csr storage), got a dense (default storage) array")
    kernel.__name__ = name
    return kernel


def _graph_op(name, fn):
    """Register `fn` (taking NDArrays, csr first) as `nd.contrib.<name>`."""
    kernel = _refuse(name)
    kernel.__doc__ = fn.__doc__
    registered = op(kernel, name='_contrib_' + name)

    def call(*args, out=None, **kwargs):
        kwargs.pop('name', None)
        kwargs.pop('attr', None)
        try:
            res = fn(*args, **kwargs)
        except (RuntimeError, IndexError) as e:
            raise MXNetError(f"Operator _contrib_{name} failed: {e}") from None
        if out is None:
            return res
        res.copyto(out)
        return out
    registered.sparse[0] = call
    return registered


def _new_csr(data, indptr, indices, shape, ctx):
    from ..sparse import CSRNDArray  # pylint: disable=import-outside-toplevel  (imports all ops)
    return CSRNDArray._new(data, (indptr, indices), shape, ctx)


# ---- getnnz, edge_id, dgl_adjacency ------------------------------------------------------
def _getnnz(data, axis=None):
    """The number of stored values of a csr array (explicit zeros included): all of them
    (axis=None, shape (1,)) or per row (axis=1); int64."""
    vals, indptr, _ = _csr('getnnz', data)
    if axis is None:
        res = torch.tensor([vals.numel()], dtype=_I64, device=vals.device)
    elif axis == 1:
        res = indptr.diff().to(_I64)
    elif axis == 0:     # MXNet 1.9.1 refuses it too
        raise MXNetError("getnnz with axis = 0 is not supported yet")
    else:
        raise MXNetError(f"Unexpected value for axis({axis}). Candidates are None, 0, and 1")
    return _box(res, data._ctx)


def _edge_id(data, u, v):
    """out[i] = data[u[i], v[i]] where that entry is stored, else -1 (the first stored entry
    if a column repeats in a row); the dtype of `data`."""
    vals, indptr, indices = _csr('edge_id', data)
    ut, vt = _dense('edge_id', u, 'u'), _dense('edge_id', v, 'v')
    if ut.dim() != 1 or vt.shape != ut.shape:
        raise MXNetError(f"edge_id: u and v must be 1-D of one length, got shapes "
                         f"{tuple(ut.shape)} and {tuple(vt.shape)}")
    n = data.shape[1]
    q = ut.to(_I64) * n + vt.to(_I64)
    if vals.numel() == 0:
        return _box(torch.full(q.shape, -1, dtype=vals.dtype, device=vals.device), data._ctx)
    keys = data._rows() * n + indices
    skeys, perm = torch.sort(keys, stable=True)     # stable: the first stored entry wins
    pos = torch.searchsorted(skeys, q).clamp_(max=skeys.numel() - 1)
    found = skeys[pos] == q
    res = torch.where(found, vals[perm[pos]], torch.tensor(-1, dtype=vals.dtype))
    return _box(res, data._ctx)


def _dgl_adjacency(data):
    """The csr adjacency matrix of a graph of edge ids: the same entries, each 1 (float32)."""
    vals, indptr, indices = _csr('dgl_adjacency', data)
    if vals.dtype != _I64:
        raise MXNetError(f"dgl_adjacency: the graph's edge ids must be int64, got "
                         f"{str(vals.dtype).replace('torch.', '')}")
    return _new_csr(torch.ones(vals.shape, dtype=torch.float32, device=vals.device),
                    indptr.clone(), indices.clone(), data.shape, data._ctx)


getnnz = _graph_op('getnnz', _getnnz)
edge_id = _graph_op('edge_id', _edge_id)
dgl_adjacency = _graph_op('dgl_adjacency', _dgl_adjacency)


# ---- induced subgraphs and compaction -----------------------------------------------------
def _segments(indptr, rows):
    """The positions of the stored values of `rows` (in order) and the row of each."""
    starts, counts = indptr[rows], indptr[rows + 1] - indptr[rows]
    which = torch.repeat_interleave(torch.arange(rows.numel(), device=rows.device), counts)
    offsets = torch.cumsum(counts, 0) - counts
    pos = starts[which] + torch.arange(which.numel(), device=rows.device) - offsets[which]
    return pos, which


def _one_subgraph(graph, vids):
    vals, indptr, indices = graph._data, graph._aux[0], graph._aux[1]
    vt = _dense('dgl_subgraph', vids, 'a vertex array').to(_I64)
    if vt.dim() != 1:
        raise MXNetError(f"dgl_subgraph: a vertex array must be 1-D, got shape "
                         f"{tuple(vt.shape)}")
    if vt.numel() and not bool((vt.diff() >= 0).all()):
        raise MXNetError("dgl_subgraph: The input vertex list has to be sorted")
    nv = graph.shape[0]
    if vt.numel() and (int(vt.max()) >= nv or int(vt.min()) < 0):
        bad = int(vt.max()) if int(vt.max()) >= nv else int(vt.min())
        raise MXNetError(f"dgl_subgraph: Vertex Id {bad} isn't in a graph of {nv} vertices")
    new_id = torch.full((graph.shape[1],), -1, dtype=_I64, device=vt.device)
    new_id[vt] = torch.arange(vt.numel(), device=vt.device)
    pos, which = _segments(indptr, vt)
    cols = new_id[indices[pos]]
    keep = cols >= 0
    pos, which, cols = pos[keep], which[keep], cols[keep]
    sub_indptr = torch.zeros(vt.numel() + 1, dtype=_I64, device=vt.device)
    sub_indptr[1:] = torch.cumsum(torch.bincount(which, minlength=vt.numel()), 0)
    shape = (vt.numel(), vt.numel())
    new = _new_csr(torch.arange(pos.numel(), device=vt.device).to(vals.dtype), sub_indptr,
                   cols, shape, graph._ctx)
    old = _new_csr(vals[pos].clone(), sub_indptr.clone(), cols.clone(), shape, graph._ctx)
    return new, old


def _dgl_subgraph(graph, *data, return_mapping=None, num_args=None):
    """The subgraph induced by each sorted vertex array in `data`: a csr of new edge ids
    0..nnz-1 (rows and columns renumbered by position), and with return_mapping=True a csr
    of the same pattern holding the parent graph's edge ids. Outputs: every subgraph, then
    every mapping."""
    _csr('dgl_subgraph', graph, 'graph')
    if return_mapping is None:
        raise MXNetError("dgl_subgraph: Required parameter return_mapping of boolean is not "
                         "presented")
    _check_num_args('dgl_subgraph', num_args, 1 + len(data))
    pairs = [_one_subgraph(graph, v) for v in data]
    outs = [p[0] for p in pairs] + ([p[1] for p in pairs] if return_mapping else [])
    return outs[0] if len(outs) == 1 else outs


def _check_num_args(name, num_args, got):
    if num_args is not None and int(num_args) != got:
        raise MXNetError(f"{name}: num_args={num_args} but {got} inputs were given")


def _one_compact(graph, vids, size):
    vals, indptr, indices = _csr('dgl_graph_compact', graph, 'a graph')
    vt = _dense('dgl_graph_compact', vids, 'a vertex array').to(_I64)
    if vt.shape != indptr.shape:
        raise MXNetError(f"dgl_graph_compact: a vertex array must have the sampled graph's "
                         f"rows + 1 = {indptr.numel()} entries, got shape {tuple(vt.shape)}")
    if int(vt[-1]) != size:
        raise MXNetError(f"dgl_graph_compact: graph_sizes gives {size} vertices but the "
                         f"vertex array's last entry (the vertex count) is {int(vt[-1])}")
    new_id = torch.full((graph.shape[1],), -1, dtype=_I64, device=vt.device)
    new_id[vt[:size]] = torch.arange(size, device=vt.device)
    cols = new_id[indices]
    if bool((cols < 0).any()):
        raise MXNetError("dgl_graph_compact: an edge leads to a vertex that is not in the "
                         "vertex array")
    shape, sub_indptr = (size, size), indptr[:size + 1].clone()
    new = _new_csr(torch.arange(vals.numel(), device=vt.device).to(_I64), sub_indptr, cols,
                   shape, graph._ctx)
    old = _new_csr(vals.to(_I64), sub_indptr.clone(), cols.clone(), shape, graph._ctx)
    return new, old


def _dgl_graph_compact(*graph_data, return_mapping=None, graph_sizes=None, num_args=None):
    """Remove the empty rows and columns of the graphs a neighbour sampler made: inputs are
    the sampled csr graphs, then their vertex arrays (sampler output 0); `graph_sizes` the
    vertex count of each. Columns become positions in the vertex array, values new edge ids
    0..nnz-1. With return_mapping=True each is followed (after all graphs) by the same
    pattern holding the sampled graph's edge ids."""
    if return_mapping is None or graph_sizes is None:
        raise MXNetError("dgl_graph_compact: Required parameters return_mapping and "
                         "graph_sizes must be given")
    _check_num_args('dgl_graph_compact', num_args, len(graph_data))
    # an int, a tuple, or (as MXNet's own tests pass it) a numpy array
    sizes = [int(s) for s in np.asarray(graph_sizes).reshape(-1)]
    n = len(graph_data) // 2
    if len(graph_data) != 2 * n or n == 0 or len(sizes) != n:
        raise MXNetError(f"dgl_graph_compact: expected graphs then as many vertex arrays and "
                         f"one graph size each, got {len(graph_data)} inputs and graph_sizes "
                         f"{tuple(sizes)}")
    pairs = [_one_compact(graph_data[i], graph_data[n + i], sizes[i]) for i in range(n)]
    outs = [p[0] for p in pairs] + ([p[1] for p in pairs] if return_mapping else [])
    return outs[0] if len(outs) == 1 else outs


dgl_subgraph = _graph_op('dgl_subgraph', _dgl_subgraph)
dgl_graph_compact = _graph_op('dgl_graph_compact', _dgl_graph_compact)


# ---- neighbour sampling ---------------------------------------------------------------------
def _pick_uniform(cols, eids, k):
    """k of a vertex's neighbours, uniformly without replacement, kept in stored order."""
    if cols.numel() <= k:
        return cols, eids
    idx = torch.randperm(cols.numel())[:k].sort().values
    return cols[idx], eids[idx]


def _pick_weighted(prob):
    def pick(cols, eids, k):
        """k neighbours drawn without replacement with probability ~ prob[neighbour]."""
        if cols.numel() <= k:
            return cols, eids
        weights = prob[cols].double()
        positive = int((weights > 0).sum())
        idx = torch.multinomial(weights, min(k, positive), replacement=False) if positive \
            else weights.new_zeros(0, dtype=_I64)
        if positive < k:    # zero-probability neighbours only when nothing else is left
            idx = torch.cat([idx, torch.nonzero(weights <= 0).reshape(-1)[:k - positive]])
        # MXNet sorts the picked vertices and the picked edge ids each on its own
        return cols[idx].sort().values, eids[idx].sort().values
    return pick


def _walk(graph, seeds, pick, num_hops, num_neighbor, max_num_vertices):
    """MXNet's breadth-first walk: {vertex: hop} of the vertices reached (seeds first, in
    order, then each picked neighbour once) and {vertex: (columns, edge ids)} picked."""
    vals, indices, ptr = graph._data, graph._aux[1], graph._aux[0].tolist()
    layer, queue = {}, []
    for s in seeds:
        if s not in layer:
            layer[s] = 0
            queue.append(s)
    picked, head = {}, 0
    while head < len(queue) and len(layer) < max_num_vertices:
        v = queue[head]
        head += 1
        if layer[v] >= num_hops:
            continue
        cols, eids = pick(indices[ptr[v]:ptr[v + 1]], vals[ptr[v]:ptr[v + 1]], num_neighbor)
        picked[v] = (cols, eids)
        for c in cols.tolist():
            if len(layer) >= max_num_vertices:
                break
            if c not in layer:
                layer[c] = layer[v] + 1
                queue.append(c)
    if any(layer[v] < num_hops for v in queue[head:]):
        warnings.warn("The sampling is truncated because we have reached the max number of "
                      "vertices. Please use a smaller number of seeds or a small neighborhood")
    return layer, picked


def _sample(name, graph, seeds, pick, num_hops, num_neighbor, max_num_vertices):
    """One sampled subgraph (MXNet's SampleSubgraph): vertices (max+1, last = count), the
    csr of sampled edges (max rows, one per sampled vertex in ascending id order), layers."""
    vals, indices = graph._data, graph._aux[1]
    st = _dense(name, seeds, 'a seed array')
    if st.dim() != 1:
        raise MXNetError(f"{name}: a seed array must be 1-D, got shape {tuple(st.shape)}")
    if max_num_vertices < st.numel():
        raise MXNetError(f"{name}: max_num_vertices={max_num_vertices} is less than the "
                         f"{st.numel()} seeds")
    nv = graph.shape[0]
    if st.numel() and (int(st.min()) < 0 or int(st.max()) >= nv):
        raise MXNetError(f"{name}: seed vertex ids must be in [0, {nv}), got "
                         f"{st.tolist()}")
    layer, picked = _walk(graph, st.to(_I64).tolist(), pick, num_hops, num_neighbor,
                          max_num_vertices)
    verts = sorted(layer)
    n, dev = len(verts), st.device
    # MXNet leaves the tails unwritten; its own tests count the vertices as the entries
    # that are not -1, and dgl_graph_compact refuses -1 ids: so the tails are -1 here
    ids = torch.full((max_num_vertices + 1,), -1, dtype=st.dtype, device=dev)
    ids[:n] = torch.tensor(verts, dtype=st.dtype)
    ids[max_num_vertices] = n
    layers = torch.full((max_num_vertices,), -1, dtype=st.dtype, device=dev)
    layers[:n] = torch.tensor([layer[v] for v in verts], dtype=st.dtype)
    rows = [picked.get(v, (indices[:0], vals[:0])) for v in verts]
    counts = torch.tensor([0] + [r[0].numel() for r in rows] + [0] * (max_num_vertices - n))
    sub = _new_csr(torch.cat([r[1] for r in rows]) if rows else vals[:0],
                   torch.cumsum(counts, 0).to(_I64),
                   torch.cat([r[0] for r in rows]) if rows else indices[:0],
                   (max_num_vertices, graph.shape[1]), graph._ctx)
    return _box(ids, seeds._ctx), sub, _box(layers, seeds._ctx), ids[:n]


def _check_graph(name, graph):
    _csr(name, graph, 'csr_matrix')
    if graph.shape[0] != graph.shape[1]:
        raise MXNetError(f"{name}: the graph must be a square csr matrix, got shape "
                         f"{graph.shape}")


def _uniform_sample(csr_matrix, *seed_arrays, num_hops=1, num_neighbor=2,
                    max_num_vertices=100, num_args=None):
    """Sample a subgraph around each seed array, taking at most `num_neighbor` neighbours of
    each vertex uniformly, for `num_hops` hops and up to `max_num_vertices` vertices.
    Outputs: every vertex array (length max+1, the last entry the vertex count), every csr
    subgraph (max rows x the graph's columns, edge ids as values), every layer array."""
    name = 'dgl_csr_neighbor_uniform_sample'
    _check_graph(name, csr_matrix)
    _check_num_args(name, num_args, 1 + len(seed_arrays))
    res = [_sample(name, csr_matrix, s, _pick_uniform, int(num_hops), int(num_neighbor),
                   int(max_num_vertices)) for s in seed_arrays]
    return [r[0] for r in res] + [r[1] for r in res] + [r[2] for r in res]


def _non_uniform_sample(csr_matrix, probability, *seed_arrays, num_hops=1, num_neighbor=2,
                        max_num_vertices=100, num_args=None):
    """As dgl_csr_neighbor_uniform_sample, neighbours drawn with probability proportional to
    `probability[vertex]` (float32). Outputs: vertex arrays, csr subgraphs, the probability
    of each sampled vertex, layer arrays."""
    name = 'dgl_csr_neighbor_non_uniform_sample'
    _check_graph(name, csr_matrix)
    _check_num_args(name, num_args, 2 + len(seed_arrays))
    prob = _dense(name, probability, 'probability')
    if prob.dim() != 1 or prob.numel() != csr_matrix.shape[1]:
        raise MXNetError(f"{name}: probability must be 1-D with one entry per vertex "
                         f"({csr_matrix.shape[1]}), got shape {tuple(prob.shape)}")
    res = [_sample(name, csr_matrix, s, _pick_weighted(prob), int(num_hops),
                   int(num_neighbor), int(max_num_vertices)) for s in seed_arrays]
    probs = []
    for _, _, _, verts in res:
        p = torch.zeros(int(max_num_vertices), dtype=prob.dtype, device=prob.device)
        p[:verts.numel()] = prob[verts.to(_I64)]
        probs.append(_box(p, probability._ctx))
    return [r[0] for r in res] + [r[1] for r in res] + probs + [r[2] for r in res]


dgl_csr_neighbor_uniform_sample = _graph_op('dgl_csr_neighbor_uniform_sample',
                                            _uniform_sample)
dgl_csr_neighbor_non_uniform_sample = _graph_op('dgl_csr_neighbor_non_uniform_sample',
                                                _non_uniform_sample)
