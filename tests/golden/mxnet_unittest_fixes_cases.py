"""Regressions from MXNet 1.9.1's own unit tests (test_gluon_contrib, test_kvstore,
test_executor, test_viz, test_higher_order_grad, test_module, test_sparse_ndarray) run
on regluon. Each case runs under either
library (`mx` is bound at call time) and returns {key: (array, kind)};
tools/golden_cases.py mxnet_unittest_fixes stores MXNet's,
tests/test_mxnet_unittest_fixes.py compares regluon's with them."""
import warnings

import numpy as np


def _val(v):
    """A value as an array plus the name of its Python type (NDArray results as numpy)."""
    kind = 'ndarray' if isinstance(v, np.ndarray) else type(v).__name__
    if hasattr(v, 'asnumpy'):
        v = v.asnumpy()
    return np.asarray(v), kind


def _err(fn, *words):
    """What calling fn raises: its type's name, and whether each of `words` is in it."""
    try:
        fn()
    except Exception as e:  # pylint: disable=broad-except
        return np.array([all(w in str(e) for w in words)]), type(e).__name__
    return np.array([False]), 'no error'


def _names(names):
    return np.array(list(names)), 'list'


# ---- gluon.contrib.rnn ----------------------------------------------------------------------
def _unrolled(mx, cell, steps=3):
    """A symbolic unroll from given begin states (MXNet's and regluon's zero states are
    built differently): collected parameter names, output and internal names."""
    inputs = [mx.sym.Variable('rnn_t%d_data' % i) for i in range(steps)]
    begin = [mx.sym.Variable('rnn_s%d' % i) for i in range(len(cell.state_info()))]
    outputs, states = cell.unroll(steps, inputs, begin_state=begin)
    group = mx.sym.Group(outputs)
    return {'params': _names(sorted(cell.collect_params().keys())),
            'outputs': _names(group.list_outputs()),
            'internals': _names(mx.sym.Group(outputs + states).get_internals().list_outputs())}


def conv_rnn_names(mx):
    """The conv RNN/LSTM/GRU cells name each step's nodes <prefix>t<i>_i2h, ..., _out."""
    rnn = mx.gluon.contrib.rnn
    out = {}
    for kind in ['RNN', 'LSTM', 'GRU']:
        for dims, shape in [(1, (10, 50)), (2, (10, 20, 50)), (3, (10, 6, 8, 9))]:
            cell = getattr(rnn, 'Conv%dD%sCell' % (dims, kind))(shape, 4, 3, 3, prefix='rnn_')
            for k, v in _unrolled(mx, cell).items():
                out['%s%d_%s' % (kind, dims, k)] = v
    return out


def lstmp_names(mx):
    """LSTMPCell's step nodes: t<i>_i2h, _h2h, _slice, _i/_f/_c/_o, _state, _hidden, _out."""
    return _unrolled(mx, mx.gluon.contrib.rnn.LSTMPCell(8, 4, prefix='rnn_'))


def conv_fill_shape(mx):
    """A 0 in a conv cell's input_shape is the input channels of the first batch (deferred
    initialization, hybridized)."""
    cell = mx.gluon.contrib.rnn.Conv1DLSTMCell((0, 7), 10, (3,), (3,))
    cell.hybridize()
    cell.collect_params().initialize()
    out, _ = cell.unroll(3, mx.nd.ones((8, 3, 5, 7)), merge_outputs=True)
    return {'i2h_weight': _val(np.array(cell.i2h_weight.shape)), 'out_shape': _val(
        np.array(out.shape))}


def _set_params(mx, cell, x):
    """The cell's parameters from numpy's generator (the same under both libraries)."""
    cell.initialize()
    cell(x[0], cell.begin_state(batch_size=x.shape[1]))
    for name in sorted(cell.collect_params().keys()):
        p = cell.collect_params()[name]
        p.set_data(mx.nd.array(np.random.uniform(-0.5, 0.5, p.shape)))


def dynamic_unroll(mx):
    """gluon.contrib.rnn.rnn_cell.dynamic_unroll: outputs and states of RNN/LSTM/GRU cells,
    'TNC' and 'NTC', with and without valid_length, and the gradient of the inputs."""
    out = {}
    data = np.random.normal(size=(5, 3, 4))                   # (T, N, C)
    valid = mx.nd.array([2, 5, 3])
    for cls in ['RNNCell', 'LSTMCell', 'GRUCell']:
        cell = getattr(mx.gluon.rnn, cls)(6, prefix='rnn_')
        _set_params(mx, cell, mx.nd.array(data))
        begin = [mx.nd.array(np.random.normal(size=(3, 6)))
                 for _ in cell.state_info()]
        for layout in ['TNC', 'NTC']:
            for vl in [None, valid]:
                x = mx.nd.array(data if layout == 'TNC' else data.transpose(1, 0, 2))
                x.attach_grad()
                with mx.autograd.record():
                    res, states = mx.gluon.contrib.rnn.rnn_cell.dynamic_unroll(
                        cell, x, begin, layout=layout, valid_length=vl)
                res.backward()
                key = '%s_%s_%s' % (cls, layout, 'vl' if vl is not None else 'full')
                out[key + '_out'] = _val(res)
                out[key + '_grad'] = _val(x.grad)
                for i, s in enumerate(states):
                    out['%s_state%d' % (key, i)] = _val(s)
    return out


# ---- kvstore --------------------------------------------------------------------------------
def kvstore_types_and_keys(mx):
    """Any store name without 'dist' is a local store of that type; a store takes int or
    str keys, not both; sparse outputs of pull are skipped unless ignore_sparse=False;
    row_sparse_pull's row_ids follow the structure of out."""
    out = {}
    for name in ['local_allreduce_cpu', 'local_update_cpu', 'Local', 'device']:
        out['type_' + name] = _val(mx.kv.create(name).type)
    shape = (4, 4)
    d = mx.nd.ones(shape) * 2
    kv = mx.kv.create()
    kv.init(3, mx.nd.zeros(shape))
    for what, fn in [('init', lambda: kv.init('a', d)), ('push', lambda: kv.push('a', d)),
                     ('pull', lambda: kv.pull('a', out=d)),
                     ('rsp_pull', lambda: kv.row_sparse_pull(
                         'a', out=d.tostype('row_sparse'), row_ids=mx.nd.array([1]))),
                     ('mixed_list', lambda: kv.init([5, 'b'], [d, d])),
                     ('float_key', lambda: kv.init(1.5, d))]:
        out['err_' + what] = _err(fn, 'Mixed key types are not allowed') \
            if what not in ('mixed_list', 'float_key') else _err(fn)
    rsp = d.tostype('row_sparse')
    kv.pull(3, out=rsp)
    out['pull_rsp_ignored'] = _val(rsp)
    kv.pull(3, out=rsp, ignore_sparse=False)
    out['pull_rsp'] = _val(rsp)
    out['err_rsp_pull_dense_out'] = _err(
        lambda: kv.row_sparse_pull(3, out=mx.nd.ones(shape), row_ids=mx.nd.array([1])),
        'row_sparse')
    skv = mx.kv.create()
    value = mx.nd.array(np.arange(16).reshape(shape)).tostype('row_sparse')
    skv.init(['x', 'y'], [value, value])
    outs = [[mx.nd.zeros(shape, stype='row_sparse') for _ in range(2)] for _ in range(2)]
    skv.row_sparse_pull(['x', 'y'], out=outs, row_ids=[[mx.nd.array([1])] * 2,
                                                      [mx.nd.array([0]), mx.nd.array([3, 1])]])
    for i, row in enumerate(outs):
        for j, o in enumerate(row):
            out['nested_%d%d' % (i, j)] = _val(o)
            out['nested_%d%d_rows' % (i, j)] = _val(o.indices)
    single = [mx.nd.zeros(shape, stype='row_sparse') for _ in range(3)]
    skv.row_sparse_pull('x', out=single, row_ids=mx.nd.array([2, 0]))
    out['single_ids'] = _val(mx.nd.stack(*[o.tostype('default') for o in single]))
    out['err_count'] = _err(lambda: skv.row_sparse_pull(
        'x', out=single, row_ids=[mx.nd.array([1])] * 2), "doesn't match")
    bouts = [(mx.nd.ones(shape) * -1).tostype('row_sparse'), mx.nd.zeros(shape)]
    skv.broadcast('z', value, bouts)
    out['broadcast'] = _val(mx.nd.stack(*[o.tostype('default') for o in bouts]))
    return out


# ---- executor -------------------------------------------------------------------------------
def executor_outputs(mx):
    """Executor.outputs are arrays of the executor (there before forward, written by each
    forward); reshape shares them: a smaller executor's outputs are the first rows."""
    x = mx.sym.Variable('x')
    y = mx.sym.FullyConnected(x, num_hidden=4)
    exe = y.simple_bind(mx.cpu(), x=(5, 4), grad_req='null')
    out = {'before': _val(np.array(exe.outputs[0].shape))}
    exe.arg_arrays[0][:] = 1
    exe.arg_arrays[1][:] = mx.nd.ones((4, 4))
    exe.arg_arrays[2][:] = 0
    held = exe.outputs[0]
    new = exe.reshape(x=(3, 4))
    new.forward(is_train=False)
    out['new'] = _val(new.outputs[0])
    out['shared'] = _val(held[:3])       # (MXNet leaves the other rows uninitialized)
    exe.forward(is_train=False, x=mx.nd.ones((5, 4)) * 2)
    out['held_after_forward'] = _val(held)
    up = exe.reshape(allow_up_sizing=True, x=(6, 4))
    up.arg_arrays[0][:] = 3
    up.forward()
    out['up'] = _val(up.outputs[0])
    out['after_up'] = _val(exe.outputs[0])
    # gradients still flow from the graph of the last forward
    g = y.simple_bind(mx.cpu(), x=(2, 4))
    g.arg_dict['x'][:] = 1
    g.arg_dict['fullyconnected0_weight'][:] = 0.5
    g.forward(is_train=True)
    g.backward(mx.nd.ones((2, 4)))
    out['grad_w'] = _val(g.grad_dict['fullyconnected0_weight'])
    out['grad_x'] = _val(g.grad_dict['x'])
    return out


# ---- visualization --------------------------------------------------------------------------
def plot_network(mx):
    """mx.viz.plot_network's graphviz source (labels, colours, shapes and types on edges)
    and its warning for repeated names, where each node's shape is inferred by itself."""
    net = mx.sym.Variable('data')
    net = mx.sym.Convolution(net, kernel=(3, 3), num_filter=4, name='conv')
    net = mx.sym.BatchNorm(net, name='bn')
    net = mx.sym.LeakyReLU(net, name='lr')
    net = mx.sym.Pooling(net, kernel=(2, 2), pool_type='avg', stride=(2, 2), name='pool')
    sp = mx.sym.SliceChannel(net, num_outputs=2, name='sl')
    net = mx.sym.Concat(sp[0], sp[1], name='cat')
    net = mx.sym.Flatten(net, name='fl')
    net = mx.sym.FullyConnected(net, num_hidden=3, name='fc')
    net = mx.sym.SoftmaxOutput(net, name='out')
    out = {'convnet': _val(mx.viz.plot_network(net, shape={'data': (2, 3, 8, 8)},
                                               dtype={'data': np.float32}).source.strip()),
           'convnet_plain': _val(mx.viz.plot_network(net, hide_weights=False).source.strip())}
    net = mx.sym.Variable('data')
    net = mx.sym.FullyConnected(data=net, name='fc', num_hidden=128)
    net = mx.sym.Activation(data=net, name='relu1', act_type='relu')
    net = mx.sym.FullyConnected(data=net, name='fc', num_hidden=10)
    net = mx.sym.SoftmaxOutput(data=net, name='out')
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        dot = mx.viz.plot_network(net, shape={'data': (100, 200)}, dtype={'data': np.float32},
                                  node_attrs={'fixedsize': 'false'})
    out['repeated'] = _val(dot.source.strip())
    msgs = [str(m.message) for m in w if 'multiple variables' in str(m.message)]
    out['warnings'] = _val(len(msgs))
    out['repeated_names'] = _names(sorted(msgs[0].split('Repeated names: ')[1].split(',')))
    return out


# ---- higher-order gradients -----------------------------------------------------------------
def second_order(mx):
    """First and second derivatives as MXNet's backward ops give them: zeros (not an
    error) for radians; clip's gradient is inclusive at the bounds, a_min > a_max as MXNet.
    (Not compared: arcsinh's second derivative, whose sign MXNet 1.9.1 gets wrong, and the
    second derivatives through Dropout and clip, and clip's gradient at NaN, where regluon
    keeps torch's single kernels; tests/test_autograd.py.)"""
    nd, ag = mx.nd, mx.autograd
    x = nd.array([-2., -0.5, 0.1, 0.3, 0.9, 1.5, np.nan])
    x.attach_grad()
    head = nd.array([0.5, -1., 2., 1., 1.5, -0.25, 1.])
    out = {}
    cases = [('arcsinh', nd.arcsinh), ('radians', nd.radians),
             ('clip', lambda v: nd.clip(v[:-1], 0.1, 0.9)),      # (no NaN: see docstring)
             ('clip_inverted', lambda v: nd.clip(v, 0.9, 0.1)),
             ('dropout_predict', nd.Dropout), ('dropout_p0', lambda v: nd.Dropout(v, p=0.))]
    for name, fn in cases:
        with ag.record(train_mode=not name.startswith('dropout_predict')):
            y = fn(x)
            h = head if y.shape == head.shape else head[:y.shape[0]]
            g = ag.grad(y, x, head_grads=h, create_graph=True, retain_graph=True)[0]
            g2 = None if name in ('arcsinh', 'clip') or name.startswith('dropout') else \
                ag.grad(g, x, head_grads=head, create_graph=True, retain_graph=True)[0]
        out[name] = _val(y)
        out[name + '_grad'] = _val(g)
        if g2 is not None:
            out[name + '_grad2'] = _val(g2)
    out['clip_inverted_plain'] = _val(nd.clip(x, 0.9, 0.1))
    return out


def int_shape_and_square_sum(mx):
    """test_module's factorization machine: a Variable with an int shape, and the internal
    `_square_sum` (sum of squares), on dense and row_sparse data."""
    v = mx.sym.Variable('v', shape=5)
    out = {'attr': (np.array(v.attr('__shape__')), 'str'),
           'inferred': _val(np.array(v.infer_shape()[0][0]))}
    x = mx.nd.array(np.array([[1., -2., 0.], [0., 0., 0.], [3., 0.5, 4.]]))
    rsp = x.tostype('row_sparse')           # (MXNet 1.9.1 takes row_sparse data only)
    for axis, keep in ((1, True), (0, False), (1, False), (0, True)):
        r = mx.nd._internal._square_sum(rsp, axis=axis, keepdims=keep)
        out[f'rsp_{axis}_{keep}'] = _val(r.tostype('default'))
        out[f'rsp_{axis}_{keep}_stype'] = (np.array(r.stype), 'str')
    s = mx.sym._internal._square_sum(mx.sym.var('d', stype='row_sparse'), axis=1,
                                     keepdims=True)
    out['sym'] = _val(s.eval(d=rsp)[0].tostype('default'))
    return out


def csr_take(mx):
    """test_sparse_ndarray's take on a csr array: rows along axis 0 (clip, wrap) stay csr."""
    rng = np.random.RandomState(3)
    dense = rng.randint(1, 9, (5, 6)) * (rng.uniform(size=(5, 6)) < 0.4)
    x = mx.nd.array(dense).tostype('csr').astype('int32')
    out = {}
    for mode in ('clip', 'wrap'):
        r = mx.nd.take(x, mx.nd.array([4, 0, -2, 9, 2, 2]), mode=mode)
        out[mode] = _val(r.asnumpy())
        out[mode + '_stype'] = (np.array(r.stype), 'str')
        out[mode + '_indptr'] = _val(r.indptr)
    empty = mx.nd.take(mx.nd.sparse.zeros('csr', (3, 4)), mx.nd.array([1, 2]))
    out['empty'] = _val(empty.asnumpy())
    out['empty_stype'] = (np.array(empty.stype), 'str')
    return out


CASES = {f.__name__: f for f in [conv_rnn_names, lstmp_names, conv_fill_shape, dynamic_unroll,
                                 kvstore_types_and_keys, executor_outputs, plot_network,
                                 second_order, int_shape_and_square_sum, csr_take]}
