"""Cases of MXNet's INT8 quantization operators run by MXNet 1.9.1
(tools/golden_quantization.py) and by regluon (tests/test_quantization.py): the same seeded
inputs through each quantized operator; each case returns a dict of numpy arrays that the
test compares exactly (dtypes, integer values and float32 ranges)."""
import numpy as np


def _put(out, prefix, results):
    if not isinstance(results, (list, tuple)):
        results = [results]
    for i, v in enumerate(results):
        out[f'{prefix}{i}'] = v.asnumpy()


def ops(mx):
    """Every quantized operator on seeded inputs (int8 and uint8 paths)."""
    nd, c = mx.nd, mx.nd.contrib
    r = np.random.RandomState(0)
    x = nd.array(r.uniform(-1, 1, (2, 3, 5, 5)).astype('float32'))
    w = nd.array(r.uniform(-0.5, 0.5, (4, 3, 3, 3)).astype('float32'))
    b = nd.array(r.uniform(-0.5, 0.5, (4,)).astype('float32'))
    out = {}
    for ot in ('int8', 'uint8', 'auto'):
        _put(out, f'qv2_{ot}_', c.quantize_v2(x, out_type=ot))
        _put(out, f'qv2c_{ot}_', c.quantize_v2(x, out_type=ot, min_calib_range=-0.5,
                                               max_calib_range=0.7))
        _put(out, f'qv2p_{ot}_', c.quantize_v2(x, out_type=ot, min_calib_range=0.0,
                                               max_calib_range=0.7))
    for ot in ('int8', 'uint8'):
        _put(out, f'q1_{ot}_', c.quantize(x, nd.array([-0.6]), nd.array([0.9]), out_type=ot))
    q = c.quantize_v2(x)
    _put(out, 'deq_int8', c.dequantize(*q))
    qx = c.quantize_v2(x, out_type='uint8', min_calib_range=0.0, max_calib_range=0.9)
    _put(out, 'deq_uint8', c.dequantize(*qx))
    _put(out, 'qv2_pass_', c.quantize_v2(q[0]))
    qw, qb = c.quantize_v2(w), c.quantize_v2(b)
    conv = c.quantized_conv(qx[0], qw[0], qb[0], qx[1], qx[2], qw[1], qw[2], qb[1], qb[2],
                            kernel=(3, 3), num_filter=4, pad=(1, 1))
    _put(out, 'conv', conv)
    _put(out, 'conv_nobias', c.quantized_conv(qx[0], qw[0], qx[1], qx[2], qw[1], qw[2],
                                              kernel=(3, 3), num_filter=4, stride=(2, 2),
                                              no_bias=True))
    _put(out, 'rq', c.requantize(*conv))
    _put(out, 'rq_calib', c.requantize(*conv, min_calib_range=-3.0, max_calib_range=3.0))
    rqu = c.requantize(*conv, out_type='auto', min_calib_range=0.0, max_calib_range=3.0)
    _put(out, 'rq_auto', rqu)
    _put(out, 'deq_rq', c.dequantize(*rqu))
    xs = nd.array(r.uniform(-1, 1, (3, 2, 4)).astype('float32'))
    ws = nd.array(r.uniform(-1, 1, (4, 8)).astype('float32'))
    bs = nd.array(r.uniform(-1, 1, (4,)).astype('float32'))
    for ot in ('int8', 'uint8'):
        qd = c.quantize_v2(xs, out_type=ot)
        qw, qb = c.quantize_v2(ws), c.quantize_v2(bs)
        _put(out, f'fc_{ot}_', c.quantized_fully_connected(
            qd[0], qw[0], qb[0], qd[1], qd[2], qw[1], qw[2], qb[1], qb[2], num_hidden=4))
        _put(out, f'fc_nobias_{ot}_', c.quantized_fully_connected(
            qd[0], qw[0], qd[1], qd[2], qw[1], qw[2], num_hidden=4, no_bias=True))
    for pt in ('max', 'avg'):
        _put(out, f'pool_{pt}_', c.quantized_pooling(*q, kernel=(2, 2), stride=(2, 2),
                                                     pool_type=pt))
    _put(out, 'pool_global', c.quantized_pooling(*qx, kernel=(1, 1), global_pool=True,
                                                 pool_type='avg'))
    _put(out, 'act', c.quantized_act(*q, act_type='relu'))
    _put(out, 'flatten', c.quantized_flatten(*q))
    q2 = c.quantize_v2(x * 0.5)
    q3 = c.quantize_v2(x, out_type='uint8', min_calib_range=0.0, max_calib_range=0.7)
    _put(out, 'concat', c.quantized_concat(q[0], q2[0], q[1], q[2], q2[1], q2[2],
                                           num_args=2, dim=1))
    _put(out, 'concat_mixed', c.quantized_concat(q[0], q3[0], q[1], q[2], q3[1], q3[2],
                                                 num_args=2, dim=1))
    _put(out, 'concat_u8', c.quantized_concat(qx[0], q3[0], qx[1], qx[2], q3[1], q3[2],
                                              num_args=2, dim=3))
    ea = c.quantize_v2(x[0, 0])
    eb = c.quantize_v2(x[1, 0] * 2 - 0.5)
    eu = c.quantize_v2(mx.nd.abs(x[1, 1]), out_type='uint8', min_calib_range=0.0,
                       max_calib_range=0.8)
    ev = c.quantize_v2(mx.nd.abs(x[0, 1]), out_type='uint8')
    for nm, (a, b) in dict(ss=(ea, eb), su=(ea, eu), us=(eu, eb), uu=(eu, ev)).items():
        _put(out, f'add_{nm}_', c.quantized_elemwise_add(a[0], b[0], a[1], a[2], b[1], b[2]))
        _put(out, f'add_calib_{nm}_', c.quantized_elemwise_add(
            a[0], b[0], a[1], a[2], b[1], b[2], min_calib_range=-2.5, max_calib_range=2.0))
    we = c.quantize_v2(w.reshape((12, 9)))
    _put(out, 'embedding', c.quantized_embedding(nd.array([[0, 11], [3, 14]]), we[0], we[1],
                                                 we[2], input_dim=12, output_dim=9))
    bn = [nd.array(r.uniform(lo, hi, 3).astype('float32'))
          for lo, hi in ((0.5, 1.5), (-0.5, 0.5), (-0.2, 0.2), (0.5, 1.5))]
    for nm, qd in dict(int8=q, uint8=qx).items():
        _put(out, f'bn_{nm}_', c.quantized_batch_norm(qd[0], *bn, qd[1], qd[2], eps=1e-4,
                                                      min_calib_range=-2.0,
                                                      max_calib_range=2.5))
    # MXNet 1.9.1 runs quantized_elemwise_mul only in a bound graph (imperatively its shape
    # inference fails)
    v = [mx.sym.var('a'), mx.sym.var('b')] + [mx.sym.var(n, shape=(1,))
                                              for n in ('a0', 'a1', 'b0', 'b1')]
    feed = dict(zip(('a', 'b', 'a0', 'a1', 'b0', 'b1'),
                    (ea[0], eb[0], ea[1], ea[2], eb[1], eb[2])))
    for nm, kw in dict(mul={}, mul_calib=dict(min_calib_range=-1.0, max_calib_range=1.5),
                       mul_float=dict(enable_float_output=True)).items():
        s = mx.sym.contrib.quantized_elemwise_mul(*v, **kw)
        _put(out, nm, s.bind(mx.cpu(), feed).forward())
    return out


def errors(mx):
    """Calls MXNet refuses: {case: callable}."""
    nd, c = mx.nd, mx.nd.contrib
    x = nd.ones((1, 1, 3, 3))
    q, qw = c.quantize_v2(x), c.quantize_v2(nd.ones((1, 1, 1, 1)))
    return {
        'conv_int8_data': lambda: c.quantized_conv(
            q[0], qw[0], q[1], q[2], qw[1], qw[2], kernel=(1, 1), num_filter=1,
            no_bias=True)[0].asnumpy(),
        'dequantize_float': lambda: c.dequantize(x, q[1], q[2]).asnumpy(),
        'act_tanh': lambda: c.quantized_act(*q, act_type='tanh')[0].asnumpy(),
        'batch_norm_uncalibrated': lambda: c.quantized_batch_norm(
            q[0], *[nd.ones((1,))] * 4, q[1], q[2])[0].asnumpy(),
    }


# ---- graph quantization: quantize_model / quantize_net ----------------------------------------
def _mlp(mx, r):
    d = mx.sym.var('data')
    h = mx.sym.Activation(mx.sym.FullyConnected(d, num_hidden=8, name='fc1'),
                          act_type='relu', name='relu1')
    out = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(h, num_hidden=4, name='fc2'),
                               name='softmax')
    args = {'fc1_weight': (8, 6), 'fc1_bias': (8,), 'fc2_weight': (4, 8), 'fc2_bias': (4,)}
    args = {k: mx.nd.array(r.uniform(-1, 1, s).astype('float32')) for k, s in args.items()}
    return out, args, {}, r.uniform(-1, 1, (12, 6)).astype('float32')


def _cnn(mx, r):
    d = mx.sym.var('data')
    c = mx.sym.Convolution(d, kernel=(3, 3), num_filter=4, pad=(1, 1), name='conv1')
    h = mx.sym.Activation(c, act_type='relu', name='relu1')
    p = mx.sym.Pooling(h, kernel=(2, 2), stride=(2, 2), pool_type='max', name='pool1')
    f = mx.sym.Flatten(p, name='flat1')
    fc = mx.sym.FullyConnected(f, num_hidden=5, name='fc1')
    out = mx.sym.SoftmaxOutput(fc, name='softmax')
    args = {'conv1_weight': (4, 2, 3, 3), 'conv1_bias': (4,), 'fc1_weight': (5, 64),
            'fc1_bias': (5,)}
    args = {k: mx.nd.array(r.uniform(-0.5, 0.5, s).astype('float32'))
            for k, s in args.items()}
    return out, args, {}, r.uniform(0, 1, (12, 2, 8, 8)).astype('float32')


def _residual(mx, r):
    d = mx.sym.var('data')
    a = mx.sym.FullyConnected(d, num_hidden=6, name='fc1')
    b = mx.sym.FullyConnected(mx.sym.Activation(a, act_type='relu', name='relu1'),
                              num_hidden=6, name='fc2')
    s = mx.sym.elemwise_add(a, b, name='add1')
    m = mx.sym.elemwise_mul(s, a, name='mul1')
    out = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(m, num_hidden=3, name='fc3'),
                               name='softmax')
    args = {'fc1_weight': (6, 5), 'fc1_bias': (6,), 'fc2_weight': (6, 6), 'fc2_bias': (6,),
            'fc3_weight': (3, 6), 'fc3_bias': (3,)}
    args = {k: mx.nd.array(r.uniform(-1, 1, s).astype('float32')) for k, s in args.items()}
    return out, args, {}, r.uniform(-1, 1, (12, 5)).astype('float32')


def _embedding(mx, r):
    e = mx.sym.Embedding(mx.sym.var('data'), input_dim=10, output_dim=4, name='emb')
    fc = mx.sym.FullyConnected(mx.sym.Flatten(e, name='flat'), num_hidden=3, name='fc1')
    out = mx.sym.SoftmaxOutput(fc, name='softmax')
    args = {'emb_weight': (10, 4), 'fc1_weight': (3, 12), 'fc1_bias': (3,)}
    args = {k: mx.nd.array(r.uniform(-1, 1, s).astype('float32')) for k, s in args.items()}
    return out, args, {}, r.randint(0, 10, (12, 3)).astype('float32')


def _cnn_bn(mx, r):
    d = mx.sym.var('data')
    c1 = mx.sym.Convolution(d, kernel=(3, 3), num_filter=3, pad=(1, 1), name='conv1')
    b = mx.sym.BatchNorm(c1, fix_gamma=False, name='bn1')
    h = mx.sym.Activation(b, act_type='relu', name='relu1')
    p = mx.sym.Pooling(h, kernel=(2, 2), stride=(2, 2), pool_type='avg', name='pool1')
    out = mx.sym.SoftmaxOutput(mx.sym.FullyConnected(p, num_hidden=3, name='fc1'),
                               name='softmax')
    shapes = {'conv1_weight': (3, 2, 3, 3), 'conv1_bias': (3,), 'bn1_gamma': (3,),
              'bn1_beta': (3,), 'fc1_weight': (3, 12), 'fc1_bias': (3,)}
    args = {k: mx.nd.array(r.uniform(-0.5, 0.5, s).astype('float32'))
            for k, s in shapes.items()}
    auxs = {'bn1_moving_mean': mx.nd.array(r.uniform(-0.2, 0.2, 3).astype('float32')),
            'bn1_moving_var': mx.nd.array(r.uniform(0.5, 1.5, 3).astype('float32'))}
    return out, args, auxs, r.uniform(0, 1, (12, 2, 5, 5)).astype('float32')


def _graph(sym):
    """The graph's nodes as 'op name key=value,...' lines (MXNet's JSON, attrs sorted)."""
    import json
    lines = []
    for n in json.loads(sym.tojson())['nodes']:
        attrs = ','.join(f'{k}={v}' for k, v in sorted(n.get('attrs', {}).items()))
        lines.append(f"{n['op']} {n['name']} {attrs} {[i[:2] for i in n['inputs']]}")
    return np.array(lines)


def _run_model(mx, build, seed, **kw):
    r = np.random.RandomState(seed)
    sym, args, auxs, x = build(mx, r)
    it = mx.io.NDArrayIter(x, np.zeros(len(x), 'float32'), batch_size=4)
    qsym, qargs, qaux = mx.contrib.quantization.quantize_model(
        sym, args, auxs, ctx=mx.cpu(), calib_data=it, **kw)
    out = {'graph': _graph(qsym)}
    for k, v in qargs.items():
        out[f'arg/{k}'] = v.asnumpy()
    feed = dict(qargs, data=mx.nd.array(x), softmax_label=mx.nd.zeros(len(x)))
    exe = qsym.bind(mx.cpu(), {k: feed[k] for k in qsym.list_arguments()},
                    aux_states={k: qaux[k] for k in qsym.list_auxiliary_states()})
    out['y'] = exe.forward()[0].asnumpy()
    return out


MODELS = {
    'mlp_none': lambda mx: _run_model(mx, _mlp, 1, calib_mode='none', quantized_dtype='auto'),
    'mlp_naive': lambda mx: _run_model(mx, _mlp, 2, calib_mode='naive', quantized_dtype='auto',
                                       num_calib_examples=8),
    'mlp_naive_int8_excluded': lambda mx: _run_model(
        mx, _mlp, 3, calib_mode='naive', quantized_dtype='int8', excluded_sym_names=['fc1']),
    'mlp_entropy_full': lambda mx: _run_model(mx, _mlp, 4, calib_mode='entropy',
                                              quantize_mode='full'),
    'cnn_naive': lambda mx: _run_model(mx, _cnn, 5, calib_mode='naive', quantized_dtype='auto'),
    'cnn_entropy': lambda mx: _run_model(mx, _cnn, 6, calib_mode='entropy',
                                         quantized_dtype='auto'),
    'residual_naive_full': lambda mx: _run_model(mx, _residual, 11, calib_mode='naive',
                                                 quantize_mode='full', quantized_dtype='auto'),
    'residual_none_smart': lambda mx: _run_model(mx, _residual, 12, calib_mode='none'),
    'embedding_naive_full': lambda mx: _run_model(mx, _embedding, 13, calib_mode='naive',
                                                  quantize_mode='full'),
    'cnn_bn_naive': lambda mx: _run_model(mx, _cnn_bn, 14, calib_mode='naive',
                                          quantized_dtype='auto'),
    'cnn_naive_no_pooling': lambda mx: _run_model(
        mx, _cnn, 7, calib_mode='naive', quantized_dtype='auto', excluded_op_names=['Pooling']),
}


def _net(mx, seed, conv, **kw):
    """quantize_net on a seeded Gluon net (Dense layers, after a bias-free Conv2D+pool when
    `conv`); the quantized SymbolBlock's outputs and the fp32 ones."""
    r = np.random.RandomState(seed)
    nn = mx.gluon.nn
    net = nn.HybridSequential()
    with net.name_scope():
        if conv:
            net.add(nn.Conv2D(4, 3, padding=1, in_channels=2, activation='relu',
                              use_bias=False), nn.MaxPool2D(2), nn.Flatten())
        net.add(nn.Dense(8, activation='relu', in_units=64 if conv else 6),
                nn.Dense(3, in_units=8))
    net.initialize()
    for p in net.collect_params().values():
        p.set_data(mx.nd.array(r.uniform(-0.5, 0.5, p.shape).astype('float32')))
    x = r.uniform(0, 1, (8, 2, 8, 8) if conv else (8, 6)).astype('float32')
    it = mx.io.NDArrayIter(x, batch_size=4)
    qnet = mx.contrib.quantization.quantize_net(net, ctx=mx.cpu(), calib_data=it, **kw)
    return {'y': qnet(mx.nd.array(x)).asnumpy(), 'fp32': net(mx.nd.array(x)).asnumpy()}


NETS = {
    'net_mlp_naive': lambda mx: _net(mx, 8, False, calib_mode='naive'),
    'net_cnn_naive': lambda mx: _net(mx, 9, True, calib_mode='naive'),
    'net_cnn_entropy': lambda mx: _net(mx, 10, True, calib_mode='entropy'),
}


def model_errors(mx):
    """quantize_model's argument checks: {case: callable}."""
    r = np.random.RandomState(0)
    sym, args, auxs, x = _mlp(mx, r)
    q = mx.contrib.quantization.quantize_model
    return {
        'bad_dtype': lambda: q(sym, args, auxs, calib_mode='none', quantized_dtype='int4'),
        'no_calib_data': lambda: q(sym, args, auxs, calib_mode='naive'),
        'excluded_not_list': lambda: q(sym, args, auxs, calib_mode='none',
                                       excluded_sym_names='fc1'),
        'calib_not_iter': lambda: q(sym, args, auxs, calib_mode='naive', calib_data=x),
        'bad_calib_mode': lambda: q(sym, args, auxs, calib_mode='minmax',
                                    calib_data=mx.io.NDArrayIter(x, batch_size=4)),
    }
