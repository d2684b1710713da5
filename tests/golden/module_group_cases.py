"""Module executor-group scenarios run identically by tools/golden_module_group.py (MXNet
1.9.1) and tests/test_module_mxnet_tests.py (regluon): each function takes the library as
`mx` and returns a dict of numpy arrays (strings for names, contexts and storage types)."""
import ctypes

import numpy as np


def _fc_net(mx):
    data = mx.sym.var('data')
    fc1 = mx.sym.FullyConnected(data, num_hidden=4, name='fc1')
    act = mx.sym.Activation(fc1, act_type='tanh', name='act')
    fc2 = mx.sym.FullyConnected(act, num_hidden=3, name='fc2')
    return mx.sym.SoftmaxOutput(fc2, name='softmax')


def _fc_params(mx):
    rs = np.random.RandomState(1)
    return {'fc1_weight': rs.randn(4, 5), 'fc1_bias': rs.randn(4),
            'fc2_weight': rs.randn(3, 4), 'fc2_bias': rs.randn(3)}


def _batch(mx, n=8):
    rs = np.random.RandomState(2)
    return (mx.nd.array(rs.rand(n, 5).astype(np.float32)),
            mx.nd.array(rs.randint(0, 3, n).astype(np.float32)))


def executor_group(mx):
    """DataParallelExecutorGroup used directly: slices, grad_req, arrays, forward/backward
    over two contexts (work load 1:3), and a second group sharing its parameters."""
    DataParallelExecutorGroup = mx.module.executor_group.DataParallelExecutorGroup
    sym = _fc_net(mx)
    ctxs = [mx.cpu(0), mx.cpu(1)]
    params = ['fc1_weight', 'fc1_bias', 'fc2_weight', 'fc2_bias']
    g = DataParallelExecutorGroup(sym, ctxs, [1, 3], [('data', (8, 5))],
                                  [('softmax_label', (8,))], params, True, True,
                                  fixed_param_names=['fc2_bias'])
    g.set_params({k: mx.nd.array(v) for k, v in _fc_params(mx).items()}, {})
    x, y = _batch(mx)
    g.forward(mx.io.DataBatch([x], [y]), is_train=True)
    g.backward()
    out = {'batch_size': np.array(g.batch_size),
           'slices': np.array([[s.start, s.stop] for s in g.slices]),
           'grad_req': np.array(sorted(f'{k}={v}' for k, v in g.grad_req.items())),
           'param_names': np.array(g.param_names),
           'output': g.get_outputs()[0].asnumpy(),
           'output_per_ctx': np.array([o.shape[0] for o in g.get_outputs(False)[0]]),
           'output_shapes': np.array([str(s) for s in g.get_output_shapes()]),
           'input_grad': g.get_input_grads()[0].asnumpy(),
           'grad_fc2_bias_none': np.array([a is None for a in g.grad_arrays[3]]),
           'shared_data_keys': np.array([sorted(d) for d in g.shared_data_arrays])}
    for name, block in zip(params[:3], g.grad_arrays):
        out[f'grad:{name}'] = sum(b.asnumpy() for b in block)
    arg, aux = ({k: mx.nd.zeros(v.shape) for k, v in _fc_params(mx).items()}, {})
    g.get_params(arg, aux)
    out['get_params:fc1_weight'] = arg['fc1_weight'].asnumpy()
    # a group over a smaller batch sharing g: same parameter and gradient arrays, the data
    # arrays come from (and fill) the same shared_data_arrays
    g2 = DataParallelExecutorGroup(sym, ctxs, [1, 1], [('data', (4, 5))],
                                   [('softmax_label', (4,))], params, True, False,
                                   shared_group=g, fixed_param_names=['fc2_bias'])
    out['shared_params'] = np.array([
        mx.test_utils.same_array(a.arg_dict[n], b.arg_dict[n])
        for a, b in zip(g.execs, g2.execs) for n in params])
    out['shared_grads'] = np.array([
        mx.test_utils.same_array(a.grad_dict[n], b.grad_dict[n])
        for a, b in zip(g.execs, g2.execs) for n in params[:3]])
    out['g2_input_grads_none'] = np.array(g2.input_grad_arrays is None)
    out['g2_shared_data'] = np.array(g2.shared_data_arrays is g.shared_data_arrays)
    return out


def ctx_group(mx):
    """group2ctxs: arguments of a ctx_group live on its context (their gradients too)."""
    with mx.AttrScope(ctx_group='dev1'):
        a = mx.sym.var('a') * 2
    with mx.AttrScope(ctx_group='dev2'):
        b = mx.sym.var('b')
        c = a + b * 3
    out = {}
    for tag, ctxs, g2c in (('one', [mx.cpu(0)], {'dev1': mx.cpu(1), 'dev2': mx.cpu(2)}),
                           ('list', [mx.cpu(0), mx.cpu(1)],
                            [{'dev1': mx.cpu(2), 'dev2': mx.cpu(3)},
                             {'dev1': mx.cpu(4), 'dev2': mx.cpu(5)}]),
                           ('dict', [mx.cpu(0), mx.cpu(1)],
                            {'dev1': mx.cpu(2), 'dev2': [mx.cpu(3)]})):
        mod = mx.mod.Module(c, context=ctxs, data_names=['a', 'b'], label_names=None,
                            group2ctxs=g2c)
        mod.bind(data_shapes=[('a', (2, 3)), ('b', (2, 3))], inputs_need_grad=True)
        mod.init_params()
        mod.forward(mx.io.DataBatch([mx.nd.ones((2, 3)), mx.nd.ones((2, 3)) * 2]), is_train=True)
        mod.backward([mx.nd.ones((2, 3))])
        grads = mod.get_input_grads(merge_multi_context=False)
        out[f'{tag}:grad_ctx'] = np.array([[str(x.context) for x in g] for g in grads])
        out[f'{tag}:arg_ctx'] = np.array([[str(e.arg_dict[n].context) for n in ('a', 'b')]
                                          for e in mod._exec_group.execs])
        out[f'{tag}:grads'] = np.stack([g.asnumpy() for g in mod.get_input_grads()])
        out[f'{tag}:output'] = mod.get_outputs()[0].asnumpy()
    return out


def module_internals(mx):
    """Module._exec_group, the optimizer's idx2name, _total_exec_bytes kept when another
    bucket is bound, and row_sparse parameters as MXNet's Module keeps them."""
    out = {}
    sym = _fc_net(mx)
    mod = mx.mod.Module(sym, context=[mx.cpu(0), mx.cpu(1)])
    mod.bind([('data', (8, 5))], [('softmax_label', (8,))])
    mod.init_params()
    mod.init_optimizer(optimizer='sgd')
    out['param_names'] = np.array(mod._exec_group.param_names)
    out['idx2name'] = np.array(sorted(f'{k}={v}' for k, v in mod._optimizer.idx2name.items()))
    out['n_execs'] = np.array(len(mod._exec_group.execs))
    out['grad_arrays_len'] = np.array([len(b) for b in mod._exec_group.grad_arrays])
    mod.reshape([('data', (4, 5))], [('softmax_label', (4,))])
    out['reshape_batch'] = np.array(mod._exec_group.batch_size)
    out['reshape_slices'] = np.array([[s.start, s.stop] for s in mod._exec_group.slices])

    def sym_gen(key):
        d = mx.sym.var('data')
        w = mx.sym.var('a', shape=(1,), init=mx.init.One())
        return mx.sym.make_loss(mx.sym.broadcast_mul(d, w) * key), ('data',), None
    for req in ('write', 'add'):
        bm = mx.mod.BucketingModule(sym_gen, default_bucket_key=10)
        bm.bind(data_shapes=[('data', (2,))], grad_req=req)
        bm.init_params()
        before = bm._buckets[10]._total_exec_bytes
        grads = []
        for key in (10, 5, 5):
            bm.forward_backward(mx.io.DataBatch(
                data=[mx.nd.ones((2,))], label=None, bucket_key=key,
                provide_data=[mx.io.DataDesc('data', (2,), layout='N')]))
            grads.append(bm._curr_module._exec_group.execs[0].grad_dict['a'].asnumpy())
        out[f'{req}:grads'] = np.stack(grads)
        out[f'{req}:curr_grad_req'] = np.array(bm._curr_module._grad_req)
        out[f'{req}:bytes_kept'] = np.array(bm._buckets[10]._total_exec_bytes == before)
        out[f'{req}:bytes_positive'] = np.array(before > 0)
        out[f'{req}:shared_weight'] = np.array(mx.test_utils.same_array(
            bm._buckets[10]._exec_group.execs[0].arg_dict['a'],
            bm._buckets[5]._exec_group.execs[0].arg_dict['a']))
    x = mx.sym.var('data', stype='csr')
    v = mx.sym.var('v', shape=(6, 1), init=mx.init.Uniform(scale=.1), stype='row_sparse')
    model = mx.sym.LinearRegressionOutput(mx.sym.dot(x, v), mx.sym.var('label'), name='out')
    mod = mx.mod.Module(model, data_names=['data'], label_names=['label'])
    mod.bind([('data', (4, 6))], [('label', (4, 1))])
    mod.init_params()
    out['sparse:arg_stype'] = np.array(mod._arg_params['v'].stype)
    out['sparse:initialized'] = np.array(np.abs(mod._arg_params['v'].asnumpy()).sum() > 0)
    return out


def monitor(mx):
    """mx.mon.Monitor on a Module over two contexts: each node's output in forward, the
    gradients of its inputs in backward (<node>_backward_output<i>), arguments at toc; the
    order without sort. Values of the gradients MXNet never computes (the data's and the
    label's: its buffers are left unwritten) are not compared; nor BatchNorm's hidden
    outputs. (A graph where an output feeds two nodes differs: MXNet reports its summing
    node, sum_grad, and no node for elemwise_add's backward.)"""
    x = mx.sym.var('data')
    x = mx.sym.FullyConnected(x, num_hidden=3, name='fc_0')
    x = mx.sym.Activation(x, act_type='sigmoid', name='act_0')
    x = mx.sym.BatchNorm(x, name='bn', fix_gamma=False)
    x = mx.sym.FullyConnected(x, num_hidden=3, name='fc_1')
    x = mx.sym.FullyConnected(x, num_hidden=2, name='fc_2')
    x = mx.sym.LinearRegressionOutput(x, name='lro', grad_scale=2)
    rs = np.random.RandomState(3)
    params = {'fc_0_weight': rs.randn(3, 2), 'fc_0_bias': rs.randn(3),
              'bn_gamma': rs.rand(3) + 0.5, 'bn_beta': rs.randn(3),
              'fc_1_weight': rs.randn(3, 3), 'fc_1_bias': rs.randn(3),
              'fc_2_weight': rs.randn(2, 3), 'fc_2_bias': rs.randn(2)}
    mod = mx.mod.Module(x, context=[mx.cpu(0), mx.cpu(1)], label_names=['lro_label'])
    mod.bind([('data', (4, 2))], [('lro_label', (4, 2))])
    mod.init_params(arg_params={k: mx.nd.array(v) for k, v in params.items()},
                    aux_params={'bn_moving_mean': mx.nd.zeros(3),
                                'bn_moving_var': mx.nd.ones(3)})
    mod.init_optimizer(optimizer='sgd', optimizer_params={'learning_rate': 0.1})
    batch = mx.io.DataBatch([mx.nd.array(rs.randn(4, 2))], [mx.nd.array(rs.randn(4, 2))])
    out = {}
    for tag, mon in (('all', mx.mon.Monitor(1, stat_func=lambda a: mx.nd.sum(mx.nd.abs(a)))),
                     ('sorted', mx.mon.Monitor(2, pattern='.*(output|weight).*', sort=True))):
        mod.install_monitor(mon)
        for step in range(3):
            mon.tic()
            mod.forward_backward(batch)
            mod.update()
            # BatchNorm's batch mean and variance: outputs MXNet's node has and reports,
            # regluon's does not compute as outputs
            res = [r for r in mon.toc() if r[1] not in ('bn_mean', 'bn_var')]
            out[f'{tag}:{step}:names'] = np.array([f'{n}:{k}' for n, k, _ in res])
            out[f'{tag}:{step}:values'] = np.array([
                float(v) if v.count('\t') == 1 and '[' not in v else -1.0
                for _, k, v in res], dtype=np.float64) * np.array([
                    k not in ('fc_0_backward_output0', 'lro_backward_output1')
                    for _, k, _ in res])
    return out


def executor_callback(mx):
    """Executor.set_monitor_callback: names (bytes, as MXNet's C API gives them) and values
    in forward, with and without monitor_all, and in backward; kept by Module.reshape."""
    data = mx.sym.var('data')
    fc = mx.sym.FullyConnected(data, num_hidden=2, name='fc')
    sym = mx.sym.SoftmaxOutput(mx.sym.Activation(fc, act_type='relu', name='relu'),
                               name='sm')
    rs = np.random.RandomState(4)
    args = {'data': rs.randn(3, 4), 'fc_weight': rs.randn(2, 4), 'fc_bias': rs.randn(2),
            'sm_label': np.array([0, 1, 1])}
    out = {}
    for tag, monitor_all, req in (('fwd', False, 'null'), ('all', True, 'null'),
                                  ('bwd', False, 'write')):
        exe = sym.simple_bind(mx.cpu(), data=(3, 4), grad_req=req)
        for k, v in args.items():
            exe.arg_dict[k][:] = v
        seen = []

        def callback(name, arr):
            if not isinstance(arr, mx.nd.NDArray):     # MXNet: an NDArrayHandle
                arr = mx.nd.NDArray(ctypes.cast(arr, mx.base.NDArrayHandle), writable=False)
            seen.append((name.decode(), float(mx.nd.sum(mx.nd.abs(arr)).asscalar())))
        exe.set_monitor_callback(callback, monitor_all)
        exe.forward(is_train=req != 'null')
        if req != 'null':
            exe.backward()
        mx.nd.waitall()
        if tag == 'fwd':    # Executor.reshape keeps the callback
            exe.reshape(data=(2, 4), sm_label=(2,)).forward()
            mx.nd.waitall()
        out[f'{tag}:names'] = np.array([n for n, _ in seen])
        out[f'{tag}:values'] = np.array([v if n != 'sm_backward_output1' else 0.
                                         for n, v in seen])
    mod = mx.mod.Module(sym, label_names=['sm_label'])
    mod.bind([('data', (3, 4))], [('sm_label', (3,))], for_training=False)
    mod.init_params()
    seen = []
    mod._exec_group.execs[0].set_monitor_callback(lambda n, a: seen.append(n.decode()))
    mod.forward(mx.io.DataBatch([mx.nd.ones((2, 4))], [mx.nd.ones((2,))]))
    mx.nd.waitall()
    out['reshape:names'] = np.array(seen)
    return out


CASES = {'executor_group': executor_group, 'ctx_group': ctx_group,
         'module_internals': module_internals, 'monitor': monitor,
         'executor_callback': executor_callback}
