"""Shape and type inference (and debug_str) cases from MXNet 1.9.1's own tests/python/unittest/test_symbol.py,
written for either library (`mx`): each returns a JSON-able result, recorded from MXNet by
tools/golden_symbol_inference.py and compared by tests/test_symbol_inference.py."""
import warnings


def _types(res):
    return [[None if t is None else t.__name__ for t in part] for part in res]


def _shapes(res):
    return None if res[0] is None else [[list(s) for s in part] for part in res]


def infer_type_cast(mx):
    data = mx.sym.Variable('data')
    fc1 = mx.sym.FullyConnected(data=mx.sym.Cast(data=data, dtype='float32'), name='fc1',
                                num_hidden=128)
    mlp = mx.sym.SoftmaxOutput(data=fc1, name='softmax')
    import numpy as np
    return [_types(mlp.infer_type(data=np.float16)), _types(mlp.infer_type_partial())]


def same_shape_var(mx):
    a = mx.sym.Variable('a', shape=(2, 3))
    c = mx.sym.elemwise_add(a, mx.sym.Variable('b'))
    return [_shapes(c.infer_shape()), _shapes(c.infer_shape(a=(5, 6)))]


def incomplete_rnn_step(mx):
    data, prev = mx.sym.Variable('data'), mx.sym.Variable('prevstate')
    x2h = mx.sym.FullyConnected(data=data, name='x2h', num_hidden=128)
    h2h = mx.sym.FullyConnected(data=prev, name='h2h', num_hidden=128)
    out = mx.sym.Activation(data=mx.sym.elemwise_add(x2h, h2h), name='out', act_type='relu')
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        full = out.infer_shape(data=(10, 64))
    partial = out.infer_shape_partial(data=(10, 64))
    state = partial[1][0]
    return [full[0] is None and full[1] is None and full[2] is None,
            [str(x.message).split(':\n')[0] for x in w], _shapes(partial),
            _shapes(out.infer_shape(data=(10, 64), prevstate=state))]


def cast_weight_partial(mx):
    data = mx.sym.Variable('data', shape=(1, 0, 0, 0))
    cdata = mx.sym.cast(data, dtype='float16')
    cweight = mx.sym.cast(mx.sym.Variable('weight'), dtype='float16')
    conv = mx.sym.Convolution(data=cdata, weight=cweight, pad=(3, 3), num_filter=64,
                              stride=(2, 2), no_bias=True, kernel=(7, 7))
    return _shapes(conv.infer_shape_partial())


def weight_used_before_its_layer(mx):
    data = mx.sym.Variable('data')
    fc = mx.sym.FullyConnected(data=data, num_hidden=1, no_bias=True, name='fc')
    net = mx.sym.sum(mx.sym.abs(fc.get_internals()['fc_weight'])) + mx.sym.sum(fc)
    return _shapes(net.infer_shape(data=(5, 13)))


def placeholders_meet(mx):
    # test_infer_shape.test_incomplete_infer_mlp: (0, 10) and (5, 0) fill each other
    a = mx.sym.Variable('a', shape=(0, 10))
    b = mx.sym.FullyConnected(data=a, num_hidden=21)
    c = mx.sym.Variable('c', shape=(5, 0))
    return _shapes((b + c).infer_shape())


def debug_str(mx):
    with mx.name.NameManager():          # node names counted from zero
        a, b = mx.sym.var('a'), mx.sym.var('b')
        c = mx.sym.split(a + b, num_outputs=2, axis=0)
        g = mx.sym.Group([c[1], mx.sym.BatchNorm(c[0], name='bn')])
        fc1 = mx.sym.FullyConnected(data=mx.sym.var('data'), name='fc1', num_hidden=3)
        act = mx.sym.Activation(fc1, act_type='relu', name='act')
    return [g.debug_str(), act.debug_str()]


CASES = {f.__name__: f for f in (infer_type_cast, same_shape_var, incomplete_rnn_step,
                                 cast_weight_partial, weight_used_before_its_layer,
                                 placeholders_meet, debug_str)}
