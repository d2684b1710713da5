"""mx.nd.sparse cases shared by tools/golden_sparse.py (run under MXNet 1.9.1) and
tests/test_sparse.py (run under regluon): the same calls on the same inputs, the library
bound at run time (`mx` is mxnet or regluon)."""
import numpy as np

# a (5, 4) matrix with an empty row and an empty column, and friends
A = np.array([[0, 1.5, 0, 0], [2, 0, -3, 0], [0, 0, 0, 0], [4, 0, 0.5, 0], [0, -1, 0, 0]],
             np.float32)
B = np.array([[1, 2, 0], [0, -1, 3], [2, 0, 1], [1, 1, 1]], np.float32)       # (4, 3)
C = np.array([[1, 0, 2, 0, -1], [0, 3, 0, 1, 0]], np.float32)                 # (2, 5)
D = (np.arange(20, dtype=np.float32).reshape(5, 4) - 7) / 4                    # dense (5, 4)
A2 = np.array([[0, 0, 1, 0], [0, 0, 0, 0], [0, 2, 2, 0], [0, 0, 0, 0], [5, 0, 0, 0]],
              np.float32)


def inputs(mx):
    nd = mx.nd
    a, a2, d = nd.array(A), nd.array(A2), nd.array(D)
    return dict(a=a, d=d, c=a.tostype('csr'), r=a.tostype('row_sparse'),
                c2=a2.tostype('csr'), r2=a2.tostype('row_sparse'), b=nd.array(B),
                cc=nd.array(C), bt=nd.array(B.T.copy()), w=nd.array(np.ones((5, 3), np.float32)))


UNARY = ['abs', 'arcsin', 'arcsinh', 'arctan', 'cbrt', 'ceil', 'degrees', 'expm1', 'fix',
         'floor', 'log1p', 'negative', 'radians', 'relu', 'rint', 'round', 'sign', 'sin',
         'sinh', 'sqrt', 'square', 'tan', 'tanh', 'trunc', 'exp', 'cos', 'sigmoid', 'log',
         'rsqrt', 'cosh']


def results(mx):
    """{name: zero-argument callable returning an NDArray} for the value/stype cases."""
    nd, sp = mx.nd, mx.nd.sparse
    x = inputs(mx)
    a, d, c, r, c2, r2, b = x['a'], x['d'], x['c'], x['r'], x['c2'], x['r2'], x['b']
    cases = {
        # creation
        'csr_tuple': lambda: sp.csr_matrix(([1., 2., 3.], [0, 2, 1], [0, 1, 1, 3]),
                                           shape=(3, 4)),
        'csr_tuple_noshape': lambda: sp.csr_matrix(([1., 2.], [0, 2], [0, 1, 1, 2])),
        'csr_tuple_f64': lambda: sp.csr_matrix((np.array([1., 2.]), [0, 2], [0, 1, 1, 2]),
                                               shape=(3, 3)),
        'csr_shape': lambda: sp.csr_matrix((2, 3)),
        'csr_dense_np': lambda: sp.csr_matrix(np.eye(3)),
        'csr_dense_nd': lambda: sp.csr_matrix(a),
        'csr_of_csr': lambda: sp.csr_matrix(c, dtype='float64'),
        'rsp_tuple': lambda: sp.row_sparse_array(([[1, 2], [3, 4]], [0, 2]), shape=(4, 2)),
        'rsp_tuple_noshape': lambda: sp.row_sparse_array(([[1, 2], [3, 4]], [1, 2])),
        'rsp_shape': lambda: sp.row_sparse_array((3, 2)),
        'rsp_dense': lambda: sp.row_sparse_array(a),
        'rsp_3d': lambda: nd.array(np.arange(12).reshape(3, 2, 2) * (np.arange(3) != 1)
                                   .reshape(3, 1, 1)).tostype('row_sparse'),
        'zeros_csr': lambda: sp.zeros('csr', (3, 4)),
        'zeros_rsp': lambda: sp.zeros('row_sparse', (3, 4), dtype='float64'),
        'zeros_default': lambda: sp.zeros('default', (2, 2)),
        'nd_zeros_rsp': lambda: nd.zeros((3, 2), stype='row_sparse', dtype='float64'),
        'nd_empty_csr': lambda: nd.empty((2, 3), stype='csr'),
        'nd_array_csr': lambda: nd.array(c, dtype='float64'),
        'empty_csr': lambda: sp.empty('csr', (2, 2)),
        'array_csr': lambda: sp.array(c),
        'array_rsp': lambda: sp.array(r, dtype='float64'),
        'cast_csr': lambda: nd.cast_storage(a, 'csr'),
        'cast_rsp': lambda: nd.cast_storage(a, 'row_sparse'),
        'cast_default': lambda: nd.cast_storage(c, 'default'),
        'tostype_default': lambda: r.tostype('default'),
        'astype': lambda: c.astype('float64'),
        'astype_int': lambda: r.astype('int32'),
        'copy': lambda: c.copy(),
        'copyto_dense': lambda: c.copyto(nd.zeros((5, 4))),
        'dense_copyto_csr': lambda: a.copyto(sp.zeros('csr', (5, 4))),
        'copyto_rsp': lambda: r2.copyto(sp.zeros('row_sparse', (5, 4))),
        # slicing
        'csr_rows': lambda: c[1:4],
        'csr_row': lambda: c[3],
        'csr_row_neg': lambda: c[-1],
        'csr_all': lambda: c[:],
        'rsp_all': lambda: r[:],
        'csr_slice_op': lambda: sp.slice(c, begin=(1, 1), end=(4, 3)),
        # dot
        'dot_csr_dns': lambda: sp.dot(c, b),
        'dot_csrT_dns': lambda: sp.dot(c, x['w'], transpose_a=True),
        'dot_dns_csr': lambda: sp.dot(x['cc'], c),
        'dot_csr_rsp': lambda: sp.dot(c, b.tostype('row_sparse')),
        'dot_dns_rsp': lambda: sp.dot(x['cc'], r),
        'dot_rsp_dns': lambda: sp.dot(r, b),
        'dot_csr_dnsT': lambda: sp.dot(c, x['bt'], transpose_b=True),
        'nd_dot_csr_dns': lambda: nd.dot(c, b),
        # elementwise
        'c+c2': lambda: c + c2, 'c-c2': lambda: c - c2, 'c-c': lambda: c - c,
        'r+r2': lambda: r + r2, 'r-r2': lambda: r - r2,
        'c*c2': lambda: c * c2, 'r*r2': lambda: r * r2,
        'c+d': lambda: c + d, 'r+d': lambda: r + d, 'd+c': lambda: d + c, 'd-r': lambda: d - r,
        'c*d': lambda: c * d, 'r*d': lambda: r * d, 'd*r': lambda: d * r,
        'c*2': lambda: c * 2, 'r/2': lambda: r / 2, 'c/2': lambda: c / 2, '2*r': lambda: 2 * r,
        'c+1': lambda: c + 1, 'r-1': lambda: r - 1, '-c': lambda: -c, '-r': lambda: -r,
        'c/c2': lambda: c / c2,
        'elemwise_add_cc': lambda: sp.elemwise_add(c, c2),
        'elemwise_add_rd': lambda: sp.elemwise_add(r, d),
        'elemwise_sub_rr': lambda: sp.elemwise_sub(r, r2),
        'elemwise_mul_dr': lambda: sp.elemwise_mul(d, r),
        'elemwise_mul_dc': lambda: sp.elemwise_mul(d, c),
        'elemwise_mul_cd': lambda: sp.elemwise_mul(c, d),
        'elemwise_div_rd': lambda: sp.elemwise_div(r, d),
        'elemwise_sub_rc': lambda: sp.elemwise_sub(r, c),
        'add_n_rrr': lambda: sp.add_n(r, r2, r),
        'add_n_rd': lambda: sp.add_n(r, d),
        'add_n_cc': lambda: sp.add_n(c, c2),
        'broadcast_mul_row': lambda: sp.broadcast_mul(c, nd.array([[1, 2, 3, 4]])),
        'broadcast_div_col': lambda: sp.broadcast_div(c, nd.array([[1], [2], [3], [4], [5]])),
        'clip_c': lambda: sp.clip(c, -1, 2),
        'clip_r': lambda: sp.clip(r, -2.5, 1),
        'zeros_like_c': lambda: sp.zeros_like(c),
        'zeros_like_r': lambda: sp.zeros_like(r),
        'stop_gradient_r': lambda: sp.stop_gradient(r),
        'where': lambda: sp.where(c, d, a),
        'concat_c': lambda: sp.concat(c, c2, dim=0),
        'concat_r': lambda: sp.concat(r, r2, dim=0),
        'retain': lambda: sp.retain(r, nd.array([0, 2, 3])),
        # reductions
        'sum_c': lambda: sp.sum(c), 'sum_c0': lambda: sp.sum(c, axis=0),
        'sum_c1': lambda: sp.sum(c, axis=1), 'sum_c1k': lambda: sp.sum(c, axis=1, keepdims=True),
        'sum_r0': lambda: sp.sum(r, axis=0), 'sum_r': lambda: sp.sum(r),
        'mean_c0': lambda: sp.mean(c, axis=0), 'mean_r1': lambda: sp.mean(r, axis=1),
        'norm_c': lambda: sp.norm(c), 'norm_r': lambda: sp.norm(r),
        'norm_r1': lambda: sp.norm(r, axis=1), 'nd_norm_c': lambda: nd.norm(c),
        'c.sum': lambda: c.sum(), 'nd_sum_c0': lambda: nd.sum(c, axis=0),
        'nd_exp_c': lambda: nd.exp(c),
        # nd.<op> (not nd.sparse) dispatches on storage types as MXNet does
        'nd_dot_csrT': lambda: nd.dot(c, x['w'], transpose_a=True),
        'nd_dot_dns_csr': lambda: nd.dot(x['cc'], c),
        'nd_sqrt_c': lambda: nd.sqrt(c), 'nd_relu_r': lambda: nd.relu(r),
        'nd_add_n_r': lambda: nd.add_n(r, r2), 'nd_elemwise_add_r': lambda: nd.elemwise_add(r, r2),
        'nd_elemwise_mul_cd': lambda: nd.elemwise_mul(c, d),
        'nd_sum_c1': lambda: nd.sum(c, axis=1), 'nd_zeros_like_r': lambda: nd.zeros_like(r),
        'nd_slice_c': lambda: nd.slice(c, begin=(1, 0), end=(3, 4)),
        'nd_clip_r': lambda: nd.clip(r, -1, 1),
        'nd_square_out': lambda: _out(nd.square, r, sp.zeros('row_sparse', (5, 4))),
        # updates with a row_sparse gradient (lazy: only its rows; else all)
        'sgd_update_lazy': lambda: _update(mx, 'sgd_update', 0, dict(lr=0.1, wd=0.1)),
        'sgd_update_std': lambda: _update(mx, 'sgd_update', 0, dict(lr=0.1, wd=0.1,
                                                                    lazy_update=False)),
        'sgd_mom_update_lazy': lambda: _update(mx, 'sgd_mom_update', 1,
                                               dict(lr=0.1, wd=0.1, momentum=0.9)),
        'sgd_mom_update_std': lambda: _update(mx, 'sgd_mom_update', 1, dict(
            lr=0.1, wd=0.1, momentum=0.9, lazy_update=False)),
        'adam_update_lazy': lambda: _update(mx, 'adam_update', 2, dict(lr=0.1, wd=0.1)),
        'adam_update_std': lambda: _update(mx, 'adam_update', 2, dict(lr=0.1, wd=0.1,
                                                                      lazy_update=False)),
        'sparse_sgd_update': lambda: _update(mx, 'sgd_update', 0, dict(lr=0.1, wd=0.1),
                                             mx.nd.sparse),
        'ftrl_update': lambda: _update(mx, 'ftrl_update', 2, dict(lr=0.1, wd=0.1)),
        'adagrad_update': lambda: _update(mx, 'adagrad_update', 1, dict(lr=0.1, epsilon=0.5),
                                          mx.nd.sparse),
        # a row_sparse weight (and states): lazy when all are row_sparse, else all rows
        'ftrl_update_rsp_all': lambda: _update(mx, 'ftrl_update', 2, dict(lr=0.1, wd=0.1),
                                               stypes=('row_sparse', 'row_sparse')),
        'ftrl_update_rsp_w': lambda: _update(mx, 'ftrl_update', 2, dict(lr=0.1, wd=0.1),
                                             stypes=('row_sparse', 'default')),
        'adam_update_rsp_w_std': lambda: _update(mx, 'adam_update', 2, dict(
            lr=0.1, wd=0.1, lazy_update=False), stypes=('row_sparse', 'default')),
        'adam_update_rsp_w_lazy': lambda: _update(mx, 'adam_update', 2, dict(lr=0.1, wd=0.1),
                                                  stypes=('row_sparse', 'default')),
        'sgd_mom_update_rsp_all_std': lambda: _update(mx, 'sgd_mom_update', 1, dict(
            lr=0.1, wd=0.1, momentum=0.9, lazy_update=False),
            stypes=('row_sparse', 'row_sparse')),
        # optimizers on a row_sparse weight: states of its storage type where MXNet makes
        # them so (SGD/Adam when lazy, AdaGrad, RMSProp, Ftrl, Signum), so updates stay lazy
        **{f'opt_{o}_{part}': (lambda o, kw, part: lambda: _opt(mx, o, kw, part))(o, kw, part)
           for o, kw in OPT_CASES.items() for part in ('values', 'state')},
        'fc_csr': lambda: nd.FullyConnected(c, x['bt'], nd.array([1, 2, 3]), num_hidden=3),
        'sparse_fc_csr': lambda: sp.FullyConnected(c, x['bt'], no_bias=True, num_hidden=3),
        # arithmetic with an array of another shape is the broadcast operator (dense);
        # in place, the sparse array keeps its storage type (clip_global_norm)
        'mul_rsp_one_value': lambda: r * nd.array([0.5]),
        'add_rsp_row': lambda: r + nd.ones((1, 4)),
        'imul_rsp_one_value': lambda: _inplace(r.copy(), '__imul__', nd.array([0.5])),
        'idiv_rsp_scalar': lambda: _inplace(r.copy(), '__itruediv__', 2),
        'iadd_csr_csr': lambda: _inplace(c.copy(), '__iadd__', c),
        'clip_global_norm_rsp': lambda: _clip_global_norm(mx, r.copy(), r2.copy()),
        # comparisons: with a scalar s the storage type stays when 0 op s is false
        **{f'cmp_{st}_{name}_{k}': (lambda a, f, v: lambda: f(a, v))(arr, fn, val)
           for st, arr in (('r', r), ('c', c))
           for name, fn in (('eq', lambda a, v: a == v), ('ne', lambda a, v: a != v),
                            ('gt', lambda a, v: a > v), ('ge', lambda a, v: a >= v),
                            ('lt', lambda a, v: a < v), ('le', lambda a, v: a <= v))
           for k, val in (('one', 1), ('zero', 0), ('neg', -1))},
        'cmp_rr_eq': lambda: r == r2,
        'cmp_scalar_first': lambda: 1 > c,
        'sparse_broadcast_add': lambda: sp.broadcast_add(c, nd.array([[1, 2, 3, 4]])),
    }
    for name in UNARY:
        cases[f'{name}_c'] = (lambda n: lambda: getattr(sp, n)(c))(name)
        cases[f'{name}_r'] = (lambda n: lambda: getattr(sp, n)(r))(name)
    cases['sqrt_method'] = lambda: c2.sqrt()
    cases['square_method'] = lambda: r.square()
    return cases


def _inplace(x, method, other):
    getattr(x, method)(other)
    return x


def _clip_global_norm(mx, a, b):
    """Both row_sparse arrays scaled to a joint norm of 1, in place; and the norm."""
    norm = mx.gluon.utils.clip_global_norm([a, b], 1.0)
    return mx.nd.concat(a.tostype('default'), b.tostype('default'),
                        mx.nd.full(a.shape, norm), dim=0)


def _out(fn, x, out):
    fn(x, out=out)
    return out


def _update(mx, name, n_states, kwargs, ns=None, stypes=('default', 'default')):
    """Two steps of nd.<name> with row_sparse gradients; the weight and the states (of
    storage types `stypes`: weight, states), dense, and the weight's storage type."""
    nd = mx.nd
    w = nd.array(D).tostype(stypes[0])
    states = [nd.array(D / 3 + 1).tostype(stypes[1]) for _ in range(n_states)]
    for g in (A, A2):
        getattr(ns or nd, name)(w, nd.array(g).tostype('row_sparse'), *states, out=w, **kwargs)
    if stypes == ('default', 'default'):
        return nd.concat(w, *states, dim=0)
    assert w.stype == stypes[0] and all(s.stype == stypes[1] for s in states)
    return nd.concat(*(a.tostype('default') for a in (w, *states)), dim=0)


OPT_CASES = {'sgd_mom': ('sgd', dict(momentum=0.9)),
             'sgd_mom_std': ('sgd', dict(momentum=0.9, lazy_update=False)),
             'adam': ('adam', {}), 'adam_std': ('adam', dict(lazy_update=False)),
             'adagrad': ('adagrad', {}), 'rmsprop': ('rmsprop', {}), 'ftrl': ('ftrl', {}),
             'signum': ('signum', {})}
# (not NAG: MXNet 1.9.1's dense fallback of nag_mom_update with a row_sparse weight drops
# the weight decay from the momentum, a quirk of that fallback not kept here)


def _opt(mx, case, kwargs, part):
    """Two Optimizer.update steps on a row_sparse weight with row_sparse gradients: the
    weight and states (dense values), or the first state itself (its storage type)."""
    nd = mx.nd
    name, kw = OPT_CASES[case]
    wd = 0.0 if name == 'adagrad' else 0.1      # MXNet's sparse AdaGrad needs wd 0
    o = mx.optimizer.create(name, learning_rate=0.1, wd=wd, **kw)
    w = nd.array(D).tostype('row_sparse')
    state = o.create_state(0, w)
    for g in (A, A2):
        o.update(0, w, nd.array(g).tostype('row_sparse'), state)
    states = list(state) if isinstance(state, (tuple, list)) else [state]
    if part == 'state':
        return states[0]
    return nd.concat(*(a.tostype('default') for a in [w] + states), dim=0)


def errors(mx):
    """{name: zero-argument callable that MXNet refuses}."""
    nd, sp = mx.nd, mx.nd.sparse
    x = inputs(mx)
    a, c, r = x['a'], x['c'], x['r']

    def set_rows():
        c2 = c.copy()
        c2[1:2] = nd.ones((1, 4))
    return {
        # an empty array's shape given twice must agree (ValueError)
        'rsp_shape_twice': lambda: sp.row_sparse_array((np.int32(3), np.int32(4)), (4, 4)),
        'csr_shape_twice': lambda: sp.csr_matrix((3, 4), shape=(4, 4)),
        'csr_to_rsp': lambda: c.tostype('row_sparse'),
        'rsp_to_csr': lambda: r.tostype('csr'),
        'csr_3d': lambda: nd.ones((2, 2, 2)).tostype('csr'),
        'bad_stype': lambda: a.tostype('foo'),
        'zeros_bad_stype': lambda: sp.zeros('foo', (2, 2)),
        'retain_csr': lambda: sp.retain(c, nd.array([0])),
        'csr_step': lambda: c[::2],
        'csr_2d_index': lambda: c[1:3, 1],
        'csr_row_oob': lambda: c[5].asnumpy(),
        'csr_empty_slice': lambda: c[3:1].asnumpy(),
        'rsp_slice': lambda: r[1:2],
        'csr_set_rows': set_rows,
        'copyto_csr_rsp': lambda: c.copyto(sp.zeros('row_sparse', (5, 4))),
        'copyto_rsp_csr': lambda: r.copyto(sp.zeros('csr', (5, 4))),
        'array_numpy': lambda: sp.array(np.eye(2)),
        'clip_csr_positive': lambda: sp.clip(c, 1, 2),
        'adagrad_wd': lambda: _update(mx, 'adagrad_update', 1, dict(lr=0.1, wd=0.1), sp),
        'kv_pull_dense': lambda: _kv_dense(mx, x['d']),
        'libsvm_no_round': lambda: libsvm(mx, round_batch=False),
    }


def _kv_dense(mx, d):
    kv = mx.kv.create('local')
    kv.init('d', d)
    kv.row_sparse_pull('d', out=mx.nd.sparse.zeros('row_sparse', d.shape),
                       row_ids=mx.nd.array([1]))


def grads(mx):
    """{name: (y, w.grad)}: the gradient of sum(dot(csr, w) * head) for w's grad stypes."""
    nd, sp, ag = mx.nd, mx.nd.sparse, mx.autograd
    c = nd.array(A).tostype('csr')
    head = nd.array(np.arange(15, dtype=np.float32).reshape(5, 3) / 7)
    out = {}
    for stype in ('default', 'row_sparse'):
        for sub in ('all', 'rows'):
            w = nd.array(B + 0.5)
            w.attach_grad(stype=stype)
            lhs = c if sub == 'all' else c[0:2]
            with ag.record():
                y = sp.dot(lhs, w)
                z = y * (head if sub == 'all' else head[0:2])
            z.backward()
            out[f'{stype}_{sub}'] = (y, w.grad)
    w = nd.array(B.T + 0.5)
    w.attach_grad()
    with ag.record():
        y = nd.FullyConnected(c, w, no_bias=True, num_hidden=3)
        z = y * head
    z.backward()
    out['fc_default_all'] = (y, w.grad)
    return out


def parts(arr):
    """{field: numpy array} describing a result: values, stype, and the sparse parts."""
    out = {'value': arr.asnumpy(),
           'meta': np.array(f'{arr.stype} {np.dtype(arr.dtype).name} {tuple(arr.shape)}')}
    if arr.stype != 'default':
        out['data'] = arr.data.asnumpy()
        out['indices'] = arr.indices.asnumpy()
    if arr.stype == 'csr':
        out['indptr'] = arr.indptr.asnumpy()
    return out


LIBSVM = 'sparse_train.libsvm'      # in tests/golden: 10 rows, 8 features, 0/1 labels


def saved(mx):
    """The dict of arrays in sparse_saved.nd (csr, row_sparse of two dtypes, empty csr,
    dense, row_sparse with no stored rows)."""
    x = inputs(mx)
    return {'c': x['c'], 'r': x['r'], 'r3': mx.nd.array(np.arange(12).reshape(3, 2, 2) * (
        np.arange(3) != 1).reshape(3, 1, 1), dtype='float64').tostype('row_sparse'),
        'empty': mx.nd.sparse.zeros('csr', (2, 3)), 'd': x['d'],
        'empty_rsp': mx.nd.sparse.zeros('row_sparse', (3, 4))}


def linear(mx, path, optimizer, opt_args, steps=5):
    """A linear model on LibSVMIter batches (sparse.dot with a row_sparse-gradient weight),
    trained by gluon.Trainer; the weight after each step."""
    nd, gluon, ag = mx.nd, mx.gluon, mx.autograd
    it = mx.io.LibSVMIter(data_libsvm=path, data_shape=(8,), batch_size=4)
    w = gluon.Parameter('w', shape=(8, 1), grad_stype='row_sparse')
    w.initialize(ctx=mx.cpu())
    w.set_data(nd.array(np.linspace(-0.5, 0.5, 8, dtype=np.float32).reshape(8, 1)))
    trainer = gluon.Trainer([w], optimizer, opt_args, kvstore=None)
    out = []
    for _ in range(steps):
        try:
            batch = next(it)
        except StopIteration:
            it.reset()
            batch = next(it)
        with ag.record():
            z = nd.sparse.dot(batch.data[0], w.data())
            loss = ((z.reshape((-1,)) - batch.label[0]) ** 2).sum()
        loss.backward()
        g = w.grad()
        out += [g.indices.asnumpy(), g.data.asnumpy()]
        trainer.step(4)
        out.append(w.data().asnumpy())
    return out


def embedding(mx, sparse_grad, optimizer, opt_args, steps=3):
    """nn.Embedding trained by gluon.Trainer: the weight after each step, and the gradient's
    stype and rows."""
    nd, gluon, ag = mx.nd, mx.gluon, mx.autograd
    emb = gluon.nn.Embedding(10, 3, sparse_grad=sparse_grad)
    emb.initialize(ctx=mx.cpu())
    emb.weight.set_data(nd.array(np.arange(30, dtype=np.float32).reshape(10, 3) / 10 - 1))
    trainer = gluon.Trainer(emb.collect_params(), optimizer, opt_args, kvstore=None)
    batches = [[[1, 3], [3, 7]], [[0, 0], [9, 1]], [[4, 2], [2, 8]]]
    out = []
    for b in batches[:steps]:
        with ag.record():
            y = emb(nd.array(b))
            loss = (y * y).sum() + y.sum()
        loss.backward()
        g = emb.weight.grad()
        out.append(np.array(g.stype))
        out.append(g.indices.asnumpy() if g.stype == 'row_sparse' else np.nonzero(
            g.asnumpy().any(axis=1))[0])
        trainer.step(2)
        out.append(emb.weight.data().asnumpy())
    return out


def sparse_embedding(mx, steps=3):
    """gluon.contrib.nn.SparseEmbedding trained by SGD with weight decay (lazy: only the rows
    looked up decay); all rows after each step."""
    nd, gluon, ag = mx.nd, mx.gluon, mx.autograd
    emb = gluon.contrib.nn.SparseEmbedding(10, 3)
    emb.initialize(mx.init.Constant(0.5), ctx=mx.cpu())
    trainer = gluon.Trainer(emb.collect_params(), 'sgd', {'learning_rate': 0.1, 'wd': 0.5})
    out = []
    for b in [[[1, 3], [3, 7]], [[0, 0], [9, 1]], [[4, 2], [2, 8]]][:steps]:
        x = nd.array(b)
        with ag.record():
            y = emb(x)
            loss = (y * y).sum() + y.sum()
        loss.backward()
        trainer.step(2)
        out.append(emb.weight.row_sparse_data(nd.arange(10)).asnumpy())
    return out


def kvstore(mx):
    """kvstore init/push/row_sparse_pull of a row_sparse value."""
    nd, sp = mx.nd, mx.nd.sparse
    kv = mx.kv.create('local')
    x = inputs(mx)
    kv.init('w', x['r'])
    kv.init('d', x['d'])
    out = []
    for key, ids in (('w', [0, 3]), ('w', [4, 2, 2])):
        o = sp.zeros('row_sparse', (5, 4))
        kv.row_sparse_pull(key, out=o, row_ids=nd.array(ids))
        out += [np.array(o.stype), o.indices.asnumpy(), o.data.asnumpy()]
    kv.push('w', x['r2'])
    o = sp.zeros('row_sparse', (5, 4))
    kv.row_sparse_pull('w', out=[o], row_ids=[nd.array([0, 1, 2, 3, 4])])
    out += [o.indices.asnumpy(), o.data.asnumpy()]
    return out


def libsvm(mx, **kwargs):
    """The batches LibSVMIter gives over three epochs: data parts, label, pad; and the
    provided shapes."""
    import os
    here = os.path.dirname(os.path.abspath(__file__))
    args = dict(data_libsvm=os.path.join(here, LIBSVM), data_shape=(8,), batch_size=4)
    if kwargs.pop('labels', False):
        args.update(label_libsvm=os.path.join(here, 'sparse_label.libsvm'), label_shape=(4,))
    args.update(kwargs)
    it = mx.io.LibSVMIter(**args)
    out = [np.array([f'{d.name}{d.shape}' for d in it.provide_data + it.provide_label])]
    for _ in range(3):
        for b in it:
            d, lab = b.data[0], b.label[0]
            out += [d.data.asnumpy(), d.indices.asnumpy(), d.indptr.asnumpy(),
                    lab.asnumpy(), np.array(lab.stype), np.array(b.pad)]
        it.reset()
    return out


def module_fit(mx, optimizer_params):
    """MXNet's sparse linear classification recipe: Module over LibSVMIter batches with a csr
    data variable, a row_sparse weight and sym.sparse.dot; the weight after two epochs."""
    import os
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), LIBSVM)
    it = mx.io.LibSVMIter(data_libsvm=path, data_shape=(8,), batch_size=4)
    x = mx.sym.var('data', stype='csr')
    w = mx.sym.var('weight', shape=(8, 1), init=mx.init.Constant(0.05), stype='row_sparse')
    out = mx.sym.LogisticRegressionOutput(mx.sym.sparse.dot(x, w), mx.sym.var('softmax_label'))
    mod = mx.mod.Module(out, data_names=['data'], label_names=['softmax_label'])
    mod.fit(it, num_epoch=2, optimizer='sgd', optimizer_params=optimizer_params,
            eval_metric='mse')
    return [mod.get_params()[0]['weight'].asnumpy()]


def training(mx):
    """{name: zero-argument callable giving a list of numpy arrays}: training and kvstore."""
    import os
    path = os.path.join(os.path.dirname(os.path.abspath(__file__)), LIBSVM)
    return {
        'sgd_lazy': lambda: linear(mx, path, 'sgd', {'learning_rate': 0.2, 'wd': 0.1}),
        'sgd_mom_lazy': lambda: linear(mx, path, 'sgd', {'learning_rate': 0.2, 'wd': 0.1,
                                                         'momentum': 0.9}),
        'sgd_dense_update': lambda: linear(mx, path, 'sgd', {'learning_rate': 0.2, 'wd': 0.1,
                                                             'lazy_update': False}),
        'adam_lazy': lambda: linear(mx, path, 'adam', {'learning_rate': 0.05, 'wd': 0.01}),
        'emb_sparse': lambda: embedding(mx, True, 'sgd', {'learning_rate': 0.1}),
        'emb_dense': lambda: embedding(mx, False, 'sgd', {'learning_rate': 0.1}),
        'emb_sparse_adam': lambda: embedding(mx, True, 'adam', {'learning_rate': 0.1,
                                                                'wd': 0.1}),
        'emb_sparse_adagrad': lambda: embedding(mx, True, 'adagrad', {'learning_rate': 0.1}),
        'kvstore': lambda: kvstore(mx),
        'module_fit': lambda: module_fit(mx, {'learning_rate': 0.1}),
        'sparse_embedding': lambda: sparse_embedding(mx),
        'libsvm': lambda: libsvm(mx),
        'libsvm_b3': lambda: libsvm(mx, batch_size=3),
        'libsvm_labels': lambda: libsvm(mx, labels=True),
        'libsvm_part': lambda: libsvm(mx, batch_size=2, num_parts=2, part_index=1),
    }
