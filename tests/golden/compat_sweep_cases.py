"""Regressions found by running MXNet 1.9.1's own unit tests, examples and tutorials on
regluon (docs/migration.md, "MXNet's own code"). Each case runs under either library
(`mx` is bound at call time) and returns a dict of values; tools/golden_cases.py compat_sweep
stores MXNet's, tests/test_compat_sweep.py compares regluon's with them."""
import numpy as np


def _val(v):
    """A value as an array plus the name of its Python type (NDArray results as numpy)."""
    kind = 'ndarray' if isinstance(v, np.ndarray) else type(v).__name__  # asnumpy()'s subclass
    if hasattr(v, 'asnumpy'):
        v = v.asnumpy()
    return np.asarray(v), kind


def ufunc_scalars(mx):
    """nd.add/maximum/power/equal/... with two Python numbers give a Python number."""
    out = {}
    names = ['add', 'subtract', 'multiply', 'divide', 'true_divide', 'modulo', 'power',
             'maximum', 'minimum', 'equal', 'not_equal', 'greater', 'greater_equal',
             'lesser', 'lesser_equal', 'logical_and', 'logical_or', 'logical_xor']
    for n in names:
        for i, (a, b) in enumerate([(5, 3), (2.0, 3), (0, 3), (True, 1), (0.9, 2)]):
            out[f'{n}_{i}'] = _val(getattr(mx.nd, n)(a, b))
        out[f'{n}_nd'] = _val(getattr(mx.nd, n)(2.0, mx.nd.array([1, 2, 3])))
    return out


def metric_values(mx):
    """metric.get() gives numpy float64 values (test_metric.test_acc compares with ==), and
    reductions of asnumpy() give numpy scalars, not 0-d arrays."""
    pred = mx.nd.array([[0.3, 0.7], [0, 1.], [0.4, 0.6]])
    label = mx.nd.array([0, 1, 1])
    out = {'asnumpy_sum': _val(pred.asnumpy().sum()),
           'asnumpy_eq_sum': _val((pred.asnumpy().argmax(axis=1) == label.asnumpy()).sum()),
           'asnumpy_mean_axis': _val(pred.asnumpy().mean(axis=0))}
    for name in ['acc', 'top_k_accuracy', 'f1', 'mae', 'mse', 'rmse', 'ce', 'nll_loss',
                 'pearsonr', 'loss']:
        m = mx.metric.create(name, **({'top_k': 2} if name == 'top_k_accuracy' else {}))
        if name in ('mae', 'mse', 'rmse', 'pearsonr'):
            m.update([label], [pred[:, 1]])
        else:
            m.update(None if name == 'loss' else [label], [pred])
        out[name] = _val(m.get()[1])
        out[name + '_global'] = _val(m.get_global()[1])
    comp = mx.metric.CompositeEvalMetric(['acc', 'ce'])
    comp.update([label], [pred])
    out['composite'] = _val(comp.get()[1][1])
    return out


def prelu_gamma_init(mx):
    """sym.LeakyReLU(act_type='prelu') creates its gamma with Constant(0.25) (test_init)."""
    sym = mx.sym.LeakyReLU(data=mx.sym.Variable('data'), act_type='prelu')
    mod = mx.mod.Module(sym, label_names=None)
    mod.bind(data_shapes=[('data', (4, 3))])
    mod.init_params()
    return {'gamma': _val(mod.get_params()[0]['leakyrelu0_gamma']),
            'init_attr': _val(sym.attr_dict()['leakyrelu0_gamma']['__init__'])}


def metric_config_roundtrip(mx):
    """metric.create(json.dumps(m.get_config())) rebuilds the metric (test_metric)."""
    import json
    out = {}
    for i, (args, kw) in enumerate([(('acc',), {'axis': 0}), (('f1',), {}),
                                    (('perplexity', -1), {}), (('loss',), {}),
                                    ((['acc', 'f1'],), {})]):
        m = mx.metric.create(*args, **kw)
        cfg = json.dumps(m.get_config(), sort_keys=True)
        again = mx.metric.create(cfg)
        out[f'{i}_config'] = _val(cfg)
        out[f'{i}_same'] = _val(again.get_config() == m.get_config())
        out[f'{i}_dict'] = _val(mx.metric.create(m.get_config()).get_config() == m.get_config())
    return out


def ndarray_api_details(mx):
    """test_ndarray: nd.ones/zeros(out=) fill `out`; keepdims given as 0/1; rounding an
    integer array is exact (it went through float32: 50000001 became 50000000)."""
    out = {}
    buf = mx.nd.zeros((2, 3))
    out['ones_out'] = _val(mx.nd.ones((2, 3), out=buf))
    out['ones_out_buf'] = _val(buf)
    out['zeros_out'] = _val(mx.nd.zeros((2, 3), out=buf))
    x = mx.nd.array(np.arange(24).reshape(2, 3, 4))
    for name in ['sum', 'mean', 'max', 'min', 'prod', 'nansum', 'norm']:
        for k in (0, 1):
            out[f'{name}_keep{k}'] = _val(getattr(mx.nd, name)(x, axis=1, keepdims=k))
    big = mx.nd.array([50000001, -7], dtype='int32')
    for name in ['round', 'rint', 'ceil', 'floor', 'trunc', 'fix']:
        out[name] = _val(getattr(mx.nd, name)(big))
        out[name + '_dtype'] = _val(str(getattr(mx.nd, name)(big).dtype))
    out['exp_int'] = _val(mx.nd.exp(mx.nd.array([3, 1], dtype='int32')))
    return out


def symbol_magic_abs(mx):
    """abs(sym) is the abs operator (test_symbol.test_symbol_magic_abs)."""
    data = mx.sym.Variable('data')
    s = abs(data)
    ex = s.bind(mx.cpu(), {'data': mx.nd.array([[-1.5, 2], [0, -3]])})
    return {'out': _val(ex.forward()[0]), 'name': _val(s.name)}


def custom_layer_deferred_shape(mx):
    """A custom HybridBlock with a (units, 0) weight fed to F.FullyConnected gets its shape
    from the graph, as in MXNet's custom-layer tutorial (it had to define infer_shape)."""
    class Scaled(mx.gluon.HybridBlock):
        def __init__(self, units, **kw):
            super().__init__(**kw)
            with self.name_scope():
                self.weights = self.params.get('weights', shape=(units, 0),
                                               allow_deferred_init=True)
                self.scales = self.params.get('scales', shape=(units,),
                                              init=mx.init.Constant(2.0))

        def hybrid_forward(self, F, x, weights, scales):
            x = F.broadcast_div(F.broadcast_sub(x, F.min(x)), F.max(x) - F.min(x))
            y = F.FullyConnected(x, weights, num_hidden=3, no_bias=True)
            return F.broadcast_mul(scales, y)

    out = {}
    x = mx.nd.array(np.arange(10).reshape(2, 5))
    for hybrid in (False, True):
        net = mx.gluon.nn.HybridSequential()
        net.add(mx.gluon.nn.Dense(4, use_bias=False), Scaled(3))
        net.initialize(mx.init.One())
        if hybrid:
            net.hybridize()
        out[f'y{int(hybrid)}'] = _val(net(x))
        out[f'shape{int(hybrid)}'] = _val(net[1].weights.shape)
    return out


def hybrid_none_args(mx):
    """A hybridized block called with None for an optional input (test_gluon's
    test_hybrid_block_none_args) runs instead of failing in the cached graph."""
    class Foo(mx.gluon.HybridBlock):
        def hybrid_forward(self, F, a, b=None):
            if a is None:
                return b * 2
            return a + 1 if b is None else a + b

    out = {}
    x, y = mx.nd.array([1., 2.]), mx.nd.array([10., 20.])
    for i, args in enumerate([(None, y), (x, None), (x, y)]):
        foo = Foo()
        foo.hybridize()
        for k in range(2):      # the second call replays the cached graph where there is one
            out[f'{i}_{k}'] = _val(foo(*args))
    return out


def save_zero_size(mx):
    """nd.save of arrays with a zero-size dimension (test_ndarray): MXNet's bytes, and
    they load back with their shapes (regluon's writer failed on their empty data)."""
    import os
    import tempfile
    arrs = [mx.nd.array(np.arange(int(np.prod(s))).reshape(s))
            for s in [(2, 0, 1), (0,), (0, 4), (2, 1), (0, 5, 0)]]
    with tempfile.TemporaryDirectory() as d:
        fname = os.path.join(d, 'zero.nd')
        mx.nd.save(fname, arrs)
        with open(fname, 'rb') as f:
            raw = np.frombuffer(f.read(), np.uint8)
        back = mx.nd.load(fname)
    return {'bytes': _val(raw), 'shapes': _val(str([a.shape for a in back]))}


def executor_backward_after_predict_forward(mx):
    """test_executor: bind with gradient arrays, forward() (is_train=False), backward():
    MXNet computes the gradients (in predict mode: Dropout passes everything through)."""
    lhs, rhs = mx.sym.Variable('lhs'), mx.sym.Variable('rhs')
    out = mx.sym.broadcast_add(mx.sym.Dropout(lhs * rhs, p=0.5), mx.sym.sum(lhs))
    a, b = mx.nd.array([1., 2., -3.]), mx.nd.array([3., 4., 5.])
    ga, gb = mx.nd.zeros((3,)), mx.nd.zeros((3,))
    ex = out.bind(mx.cpu(), args=[a, b], args_grad=[ga, gb])
    y = ex.forward()[0]
    ex.backward([mx.nd.array([1., 2., 3.])])
    res = {'y': _val(y), 'ga': _val(ga), 'gb': _val(gb)}
    ex.backward([mx.nd.ones((3,))])             # again, the same forward
    res.update(ga2=_val(ga), gb2=_val(gb))
    return res


def op_lr_mult(mx):
    """sym.FullyConnected(..., lr_mult=0) (test_viz's network): an attribute of the node and
    of its auto-created weight/bias, so Module leaves them unchanged."""
    data = mx.sym.Variable('data')
    fc1 = mx.sym.FullyConnected(data=data, name='fc1', num_hidden=3, lr_mult=0)
    fc2 = mx.sym.FullyConnected(data=fc1, name='fc2', num_hidden=2, wd_mult=0.5)
    net = mx.sym.LinearRegressionOutput(fc2, name='lro')
    attrs = net.attr_dict()
    out = {f'{n}_{k}': _val(attrs[n][k]) for n in ['fc1_weight', 'fc1_bias', 'fc2_weight']
           for k in sorted(attrs[n])}
    conv = mx.sym.Convolution(data=mx.sym.Variable('d', attr={'mood': 'angry'}), name='conv',
                              kernel=(1, 1), num_filter=1, attr={'__mood__': 'so'}, lr_mult=1)
    for n in ['d', 'conv_weight', 'conv_bias']:   # test_attr.test_attr_dict
        out[f'attr_{n}'] = _val(str(sorted(conv.attr_dict()[n].items())))
    mod = mx.mod.Module(net, label_names=['lro_label'])
    mod.bind(data_shapes=[('data', (4, 5))], label_shapes=[('lro_label', (4, 2))])
    mod.init_params(mx.init.One())
    mod.init_optimizer(optimizer='sgd', optimizer_params={'learning_rate': 0.1, 'wd': 0.1})
    batch = mx.io.DataBatch([mx.nd.array(np.arange(20).reshape(4, 5) / 20.)],
                            [mx.nd.zeros((4, 2))])
    mod.forward_backward(batch)
    mod.update()
    for k, v in sorted(mod.get_params()[0].items()):
        out['param_' + k] = _val(v)
    return out


def symbol_compose(mx):
    """net2(fc3_data=net1, name='composed') splices net1 into net2 (test_symbol_compose)."""
    net1 = mx.sym.FullyConnected(data=mx.sym.Variable('data'), name='fc1', num_hidden=3)
    net2 = mx.sym.FullyConnected(name='fc3', num_hidden=2)
    net2 = mx.sym.Activation(data=net2, act_type='relu')
    composed = net2(fc3_data=net1, name='composed')
    shapes = composed.infer_shape(data=(2, 4))[0]
    args = {n: mx.nd.array(np.linspace(-1, 1, int(np.prod(s))).reshape(s))
            for n, s in zip(composed.list_arguments(), shapes)}
    try:
        net2(net1)
        positional = 'ok'
    except mx.base.MXNetError:
        positional = 'MXNetError'
    return {'args': _val(str(composed.list_arguments())),
            'outs': _val(str(composed.list_outputs())),
            'net2_args': _val(str(net2.list_arguments())),
            'y': _val(composed.bind(mx.cpu(), args).forward()[0]),
            'group': _val(len(mx.sym.Group([composed, net1]).list_outputs())),
            'positional': _val(positional)}


def module_forward_namedtuple(mx):
    """Module.forward(Batch([x])) with Batch = namedtuple('Batch', ['data']) (MXNet's
    prediction tutorials and test_module.test_forward_types): no label field, and a batch
    of another shape reshapes the module."""
    from collections import namedtuple
    Batch = namedtuple('Batch', ['data'])
    out = {}
    mod = mx.mod.Module(mx.sym.Variable('data') * 2, label_names=None)
    mod.bind(data_shapes=[('data', (1, 4))])
    mod.init_params()
    mod.forward(Batch([mx.nd.ones((1, 4))]))
    out['a'] = _val(mod.get_outputs()[0])
    mod.forward(Batch([mx.nd.array(np.arange(6).reshape(3, 2))]))
    out['b'] = _val(mod.get_outputs()[0])
    net = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(mx.sym.Variable('data'), num_hidden=3,
                                                     name='fc'), name='softmax')
    mod = mx.mod.Module(net)
    mod.bind(data_shapes=[('data', (2, 4))], for_training=False)
    mod.init_params(mx.init.Constant(0.1))
    mod.forward(Batch([mx.nd.array(np.arange(8).reshape(2, 4))]), is_train=False)
    out['softmax'] = _val(mod.get_outputs()[0])
    return out


def module_set_params_extra(mx):
    """Module.set_params with a name the module lacks (test_module.test_module_set_params):
    ValueError from the executor, in MXNet's words, unless allow_extra=True."""
    net = mx.sym.FullyConnected(mx.sym.Variable('data'), num_hidden=2, name='fc_0')
    mod = mx.mod.Module(net, label_names=None)
    mod.bind(data_shapes=[('data', (1, 2))])
    mod.init_params()
    params = {'fc_0_weight': mx.nd.ones((2, 2)), 'fc_0_bias': mx.nd.ones((2,)),
              'fc_2_weight': mx.nd.ones((2,))}
    out = {}
    for i, kw in enumerate([dict(allow_missing=True, allow_extra=False),
                            dict(allow_missing=False, allow_extra=False)]):
        try:
            mod.set_params(params, {}, force_init=True, **kw)
            out[f'err{i}'] = _val('none')
        except Exception as e:  # pylint: disable=broad-except
            out[f'err{i}'] = _val(f'{type(e).__name__}: {str(e).splitlines()[-1]}')
    mod.set_params(params, {}, force_init=True, allow_missing=True, allow_extra=True)
    out['w'] = _val(mod.get_params()[0]['fc_0_weight'])
    return out


def executor_backward_no_grad_outputs(mx):
    """Executors whose outputs carry no gradient (argmax, topk indices, zeros_like,
    shape_array; test_symbol.test_symbol_fluent) give zero gradients; in a Group, such an
    output adds nothing."""
    out = {}
    x = mx.sym.Variable('data')
    data = mx.nd.array([[1., 5., 2.], [4., 0., 3.]])
    syms = {'argmax': x.argmax(axis=1), 'topk': x.topk(k=2), 'zeros_like': x.zeros_like(),
            'shape_array': x.shape_array(), 'group': mx.sym.Group([x * 2, x.argmax(axis=1)])}
    for name, sym in syms.items():
        grad = mx.nd.ones((2, 3))
        ex = sym.bind(mx.cpu(), {'data': data}, args_grad={'data': grad})
        outs = ex.forward(is_train=True)
        ex.backward([mx.nd.ones(o.shape) for o in outs])
        out[name] = _val(grad)
    return out


def sample_op_int_shape(mx):
    """The sampling operators (nd.uniform, nd.normal, nd.random_uniform) take shape=30 as
    well as a tuple (test_contrib_stes_op)."""
    nd = mx.nd
    shapes = [nd.uniform(-10, 10, shape=3).shape, nd.normal(shape=2).shape,
              nd.random_uniform(shape=4).shape, nd.random.uniform(shape=5).shape]
    return {'shapes': (np.array(shapes, dtype=object).astype(str), 'shapes')}


def image_resize_bad_size(mx):
    """transforms.Resize refuses a negative size and a size of 3 entries (MXNetError;
    test_gluon_data_vision.test_resize)."""
    from_t = mx.gluon.data.vision.transforms
    data = mx.nd.ones((30, 20, 3))
    out = {}
    for name, t in {'negative': from_t.Resize(-15, keep_ratio=True),
                    'three': from_t.Resize((10, 10, 10), keep_ratio=True)}.items():
        try:
            t(data).wait_to_read()
            out[name] = (np.array('none'), 'error')
        except Exception as e:  # noqa: BLE001  (the type is the value under test)
            out[name] = (np.array(type(e).__name__), 'error')
    return out


def gather_nd_out_of_bounds(mx):
    """gather_nd with an index out of bounds is an IndexError (MXNet's typed error; here an
    MXNetError too), negative indices wrap (test_operator.test_gather_nd_check_bound)."""
    data = mx.nd.array([[0, 1, 2], [3, 4, 5]])
    out = {}
    for name, idx in {'past_end': [[0, 1, 0], [0, 1, 3]],
                      'before_start': [[0, 1, 0], [0, 1, -5]]}.items():
        try:
            mx.nd.gather_nd(data, mx.nd.array(idx)).asnumpy()
            out[name] = (np.array(False), 'index_error')
        except IndexError:
            out[name] = (np.array(True), 'index_error')
    out['wrapped'] = _val(mx.nd.gather_nd(data, mx.nd.array([[0, 1, -1], [0, 1, -2]])))
    return out


def arange_integer_dtype(mx):
    """nd.arange with an integer dtype and float start/step: the count from the float
    range, the values from the truncated start and step (test_operator.test_init)."""
    out = {}
    for i, (start, stop, step) in enumerate([(0, 10, 1.5), (0.5, 5, 1), (0, 3, 0.5),
                                             (1, 10, 2.7), (5, 0, -1.5), (-0.5, 3, 1)]):
        out[str(i)] = _val(mx.nd.arange(start, stop, step, dtype='int32'))
    out['repeat'] = _val(mx.nd.arange(0, 5, 1.5, repeat=2, dtype='int64'))
    return out


def context_labels(mx):
    """Arrays made on cpu_pinned(0)/cpu_shared(0) report that context; as_in_context to
    another context is a copy reporting the new one (writes to it leave the source alone;
    test_ndarray.test_ndarray_cpu_shared_ctx)."""
    nd = mx.nd
    pinned = nd.ones((2,), ctx=mx.cpu_pinned(0))
    shared = nd.zeros((2,), ctx=mx.Context('cpu_shared', 0))
    one = nd.ones((2,), ctx=mx.cpu(1))
    moved = one.as_in_context(mx.cpu(0))
    moved[:] = 5
    ctxs = [pinned.context, shared.context, pinned.as_in_context(mx.cpu()).context,
            pinned.copyto(mx.cpu(1)).context, moved.context]
    return {'contexts': (np.array([str(c) for c in ctxs]), 'contexts'),
            'source_after_write': _val(one)}


def ndarray_iter_csr(mx):
    """NDArrayIter over a CSRNDArray: only with last_batch_handle='discard'
    (NotImplementedError otherwise; test_io.test_NDArrayIter_csr); the batches' values."""
    csr = mx.nd.array(np.eye(6)).tostype('csr')
    out = {}
    for lbh in ('pad', 'roll_over'):
        try:
            mx.io.NDArrayIter({'data': csr}, np.ones(6), 4, last_batch_handle=lbh)
            out[lbh] = (np.array('none'), 'error')
        except Exception as e:  # noqa: BLE001  (the type is the value under test)
            out[lbh] = (np.array(type(e).__name__), 'error')
    batches = list(mx.io.NDArrayIter({'data': csr}, np.ones(6), 4, last_batch_handle='discard'))
    out['batches'] = (np.array(len(batches)), 'count')
    out['first'] = _val(batches[0].data[0].tostype('default'))
    return out


CASES = {f.__name__: f for f in [ndarray_iter_csr, context_labels, arange_integer_dtype, gather_nd_out_of_bounds, image_resize_bad_size, sample_op_int_shape, executor_backward_no_grad_outputs, module_set_params_extra, module_forward_namedtuple, symbol_compose, op_lr_mult, ufunc_scalars, metric_values, prelu_gamma_init,
                                 metric_config_roundtrip, ndarray_api_details,
                                 symbol_magic_abs, custom_layer_deferred_shape,
                                 hybrid_none_args, save_zero_size,
                                 executor_backward_after_predict_forward]}
