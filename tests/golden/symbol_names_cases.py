"""Symbol expressions whose graphs (operators, node names, attributes) regluon writes as
MXNet 1.9.1 does; written once for tools/golden_symbol_names.py (MXNet) and
tests/test_symbol.py (regluon). Each case takes the library's `mx` module."""


def _ab(mx):
    return mx.sym.var('a'), mx.sym.var('b')


def _unrolled(mx, cell, n_states):
    """Two steps of a Gluon cell on symbols, begin states given (MXNet makes them zeros of
    an inferred batch size)."""
    states = [mx.sym.var(f'h{i}') for i in range(n_states)]
    outs, _ = cell.unroll(2, mx.sym.var('data'), begin_state=states, layout='NTC',
                          merge_outputs=False)
    return mx.sym.Group(outs)


CASES = {
    'a + b, a - b, a * b, a / b': lambda mx: [f(*_ab(mx)) for f in (
        lambda a, b: a + b, lambda a, b: a - b, lambda a, b: a * b, lambda a, b: a / b)],
    'scalars on either side': lambda mx: [f(_ab(mx)[0]) for f in (
        lambda a: a + 1, lambda a: 1.5 + a, lambda a: a - 2.5, lambda a: 1 - a,
        lambda a: a * 2, lambda a: 2.5 * a, lambda a: a / 2, lambda a: 2 / a,
        lambda a: a ** 2, lambda a: 2 ** a, lambda a: a % 2, lambda a: -a)],
    'a % b, a ** b': lambda mx: [(lambda a, b: a % b)(*_ab(mx)),
                                 (lambda a, b: a ** b)(*_ab(mx))],
    'comparisons': lambda mx: [f(*_ab(mx)) for f in (
        lambda a, b: a > b, lambda a, b: a >= b, lambda a, b: a < b,
        lambda a, b: a <= b, lambda a, b: a != b, lambda a, b: a == b,
        lambda a, b: a == 1, lambda a, b: a >= 1, lambda a, b: a <= 2.5)],
    'auto-created parameter variables': lambda mx: [
        mx.sym.Convolution(mx.sym.var('x'), kernel=(3, 3), num_filter=2),
        mx.sym.FullyConnected(mx.sym.var('x'), num_hidden=3, no_bias=True),
        mx.sym.BatchNorm(mx.sym.var('x')),
        mx.sym.BatchNorm(mx.sym.var('x'), fix_gamma=False),
        mx.sym.Embedding(mx.sym.var('x'), input_dim=3, output_dim=2)],
    'aliases written under their canonical names': lambda mx: [f(mx.sym.var('x')) for f in (
        lambda x: mx.sym.reshape(x, shape=(2, -1)), lambda x: mx.sym.flatten(x),
        lambda x: mx.sym.concat(x, x, dim=1), lambda x: mx.sym.split(x, num_outputs=2),
        lambda x: mx.sym.swapaxes(x, dim1=0, dim2=1), lambda x: mx.sym.cast(x, dtype='int32'),
        lambda x: mx.sym.stop_gradient(x), lambda x: mx.sym.identity(x),
        lambda x: mx.sym.broadcast_plus(x, x), lambda x: mx.sym.sum_axis(x, axis=1),
        lambda x: mx.sym.max_axis(x, axis=1), lambda x: mx.sym.ElementWiseSum(x, x),
        lambda x: mx.sym.linalg_gemm2(x, x), lambda x: mx.sym.linalg_potrf(x),
        lambda x: mx.sym.crop(x, begin=(0,), end=(1,)),
        lambda x: mx.sym.pad(x, mode='constant', pad_width=(0, 0, 0, 0, 1, 1, 1, 1)))],
    'maximum, minimum, power, hypot with symbols and scalars': lambda mx: [
        f(*_ab(mx)) for f in (
            lambda a, b: mx.sym.maximum(a, b), lambda a, b: mx.sym.maximum(a, 2),
            lambda a, b: mx.sym.maximum(2.5, a), lambda a, b: mx.sym.minimum(a, b),
            lambda a, b: mx.sym.minimum(3, a), lambda a, b: mx.sym.power(a, b),
            lambda a, b: mx.sym.power(a, 2), lambda a, b: mx.sym.pow(2, a),
            lambda a, b: mx.sym.hypot(a, b), lambda a, b: mx.sym.hypot(a, 3))],
    'creation nodes': lambda mx: [
        mx.sym.arange(5), mx.sym.arange(2, 8, 1.5, repeat=2),
        mx.sym.arange(1, 10, 3, dtype='int32'), mx.sym.linspace(0, 1, 5),
        mx.sym.linspace(0, 1, 4, endpoint=False), mx.sym.eye(3), mx.sym.eye(3, 4, 1)],
    'namespaced operators named by their short names': lambda mx: [f(mx.sym.var('x')) for f in (
        lambda x: mx.sym.contrib.arange_like(x), lambda x: mx.sym.contrib.box_nms(x),
        lambda x: mx.sym.linalg.gemm2(x, x), lambda x: mx.sym.linalg_gemm2(x, x),
        lambda x: mx.sym.image.to_tensor(x), lambda x: mx.sym.contrib.MultiBoxPrior(x))],
    'None settings written, None array inputs left out': lambda mx: [f(mx.sym.var('x')) for f in (
        lambda x: mx.sym.slice_axis(x, axis=1, begin=0, end=None),
        lambda x: mx.sym.FullyConnected(x, weight=mx.sym.var('w'), bias=None, no_bias=True,
                                        num_hidden=2),
        lambda x: mx.sym.softmax(x, length=None, axis=1),
        lambda x: mx.sym.slice(x, begin=(0, None), end=(None, 2)))],
    'Gluon RNN cells unrolled (t0_i2h, t0_plus0, t0_out, ...)': lambda mx: [
        _unrolled(mx, mx.gluon.rnn.RNNCell(4, prefix='rnn_'), 1),
        _unrolled(mx, mx.gluon.rnn.LSTMCell(4, prefix='lstm_'), 2),
        _unrolled(mx, mx.gluon.rnn.GRUCell(4, prefix='gru_'), 1)],
    'random nodes': lambda mx: [
        mx.sym.random.uniform(0, 1, shape=(2, 3)), mx.sym.random.normal(shape=(4,)),
        mx.sym.random.normal(mx.sym.var('m'), mx.sym.var('s'), shape=(2,)),
        mx.sym.random.randint(0, 5, shape=(3,)), mx.sym.random.poisson(2.0, shape=(2,)),
        mx.sym.random.exponential(shape=(2,)), mx.sym.random.gamma(2.0, 1.5, shape=(2,))],
}


def graphs(mx):
    """{case: [each symbol's nodes as (op, name, attrs)]}, in a fresh name scope."""
    import json
    out = {}
    for case, build in CASES.items():
        with mx.name.NameManager():
            syms = build(mx)
        out[case] = [[(n['op'], n['name'], n.get('attrs') or {})
                      for n in json.loads(s.tojson())['nodes']] for s in syms]
    return out
