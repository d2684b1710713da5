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
    }
