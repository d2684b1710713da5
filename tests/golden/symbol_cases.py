"""Symbol cases run by tools/golden_symbol.py (MXNet 1.9.1) and tests/test_symbol.py
(regluon); each builder takes the library's `mx` module."""


def _mlp(mx):
    fc1 = mx.sym.FullyConnected(mx.sym.var('data'), num_hidden=8, name='fc1')
    return mx.sym.FullyConnected(mx.sym.Activation(fc1, act_type='relu'), num_hidden=3,
                                 name='fc2')


# infer_shape_partial: (builder, given shapes with 0 for an unknown size)
PARTIAL = {
    'conv_unknown_batch': (lambda mx: mx.sym.Convolution(mx.sym.var('d'), kernel=(3, 3),
                                                         num_filter=4, name='c'),
                           {'d': (0, 2, 8, 8)}),
    'mlp_unknown_batch': (_mlp, {'data': (0, 5)}),
    'pool_flatten_unknown_batch': (
        lambda mx: mx.sym.flatten(mx.sym.Pooling(mx.sym.var('d'), kernel=(2, 2), stride=(2, 2),
                                                 pool_type='max')), {'d': (0, 3, 6, 6)}),
    'broadcast_one_side': (lambda mx: mx.sym.broadcast_add(mx.sym.var('a'), mx.sym.var('b')),
                           {'a': (2, 3)}),
    'nothing_given': (_mlp, {}),
}
