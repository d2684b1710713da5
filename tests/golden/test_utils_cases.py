"""Case tables for mx.test_utils, shared by tools/golden_test_utils.py (run under MXNet
1.9.1) and tests/test_test_utils.py. An array is (values, dtype, as_ndarray)."""
import contextlib
import io

F32, F64, F16 = 'float32', 'float64', 'float16'
nan, inf = float('nan'), float('inf')

# assert_almost_equal(a, b, **kwargs): MXNet passes, or its AssertionError message
ASSERT_ALMOST_EQUAL = [
    (([1, 2, 3], F32, True), ([1, 2, 3], F32, True), {}),
    (([1, 2, 3], F32, True), ([1, 2, 3.0005], F32, False), {}),
    (([1, 2, 3], F32, True), ([1, 2, 3.01], F32, True), {}),
    (([1, 2, 3], F64, False), ([1, 2, 3.0001], F64, False), {}),
    (([1, 2, 3], F64, False), ([1, 2, 3.00000001], F64, False), {}),
    (([1, 2, 3], F16, True), ([1, 2, 3.05], F16, True), {}),
    (([1, 2, 3], F16, True), ([1, 2, 3.5], F16, True), {}),
    (([1, 2, 3], 'int32', True), ([1, 2, 4], 'int32', True), {}),
    (([1, 2, 3], F32, True), ([1.1, 2, 3], F32, True), {'rtol': 0.2}),
    (([1, 2, 3], F32, True), ([1.1, 2, 3], F32, True), {'rtol': 0.01, 'atol': 0.01}),
    (([1, 2, 3], F32, True), ([1.1, 2, 3], F32, True), {'names': ('ours', 'theirs')}),
    (([1, nan, 3], F32, False), ([1, nan, 3], F32, False), {}),
    (([1, nan, 3], F32, False), ([1, nan, 3], F32, False), {'equal_nan': True}),
    (([1, inf, 3], F32, False), ([1, inf, 3], F32, False), {}),
    (([1, 1, 1], F32, False), ([1], F32, False), {}),
    (([[0, 1, 2, 3], [4, 5, 6, 7]], F32, True), ([[0, 2, 2, 5], [4, 9, 6, 7]], F32, True), {}),
    (([[0, 1, 2, 3], [4, 5, 6, 7]], F32, True), ([[0, 2, 2, 5], [4, 9, 6, 7]], F32, True),
     {'mismatches': (1, 2)}),
    (([5.0], F32, False), ([6.0], F64, False), {}),
    ((3.0, None, False), ([3.0005], F32, False), {}),
]

# almost_equal(a, b, **kwargs) and same(a, b): MXNet's booleans
ALMOST_EQUAL = [
    (([1, 2], F32, False), ([1, 2.00001], F32, False), {}),
    (([1, 2], F32, False), ([1, 2.001], F32, False), {}),
    (([1, 2], F32, False), ([1, 2.001], F32, False), {'rtol': 1e-3}),
    (([0, 0], F32, False), ([0, 1e-21], F32, False), {}),
    (([1, nan], F64, False), ([1, nan], F64, False), {'equal_nan': True}),
]

TOL_DTYPES = [F16, F32, F64, 'int32', 'uint8', 'bool']
SHAPE_SEED = 7

# ---- check_symbolic_forward / check_symbolic_backward / check_consistency ---------------
# A symbol builder takes the library (mxnet or regluon); names are explicit so the messages
# (EXPECTED_<output>, ...) do not depend on how many symbols were made before.


def sym_fc(mx):
    return mx.sym.FullyConnected(mx.sym.Variable('data'), num_hidden=3, name='fc')


def sym_conv(mx):
    return mx.sym.Convolution(mx.sym.Variable('data'), kernel=(3, 3), pad=(1, 1),
                              num_filter=2, name='conv')


def sym_elem(mx):
    a, b = mx.sym.Variable('a'), mx.sym.Variable('b')
    return mx.sym.elemwise_add(mx.sym.tanh(a) * b, mx.sym.square(a - b) / 2, name='out')


def sym_group(mx):
    a, b = mx.sym.Variable('a'), mx.sym.Variable('b')
    return mx.sym.Group([mx.sym.elemwise_mul(mx.sym.sin(a), b, name='p'),
                         mx.sym.elemwise_add(mx.sym.exp(b), a, name='q')])


def sym_bn(mx):
    return mx.sym.BatchNorm(mx.sym.Variable('data'), fix_gamma=False, name='bn')


def sym_mul(mx):
    return mx.sym.elemwise_mul(mx.sym.Variable('a'), mx.sym.Variable('b'), name='prod')


# name -> (builder, argument shapes in list_arguments order, aux shapes, seed)
SYMBOLS = {
    'fc': (sym_fc, [('data', (2, 5)), ('fc_weight', (3, 5)), ('fc_bias', (3,))], [], 1),
    'conv': (sym_conv, [('data', (1, 2, 5, 5)), ('conv_weight', (2, 2, 3, 3)),
                        ('conv_bias', (2,))], [], 2),
    'elem': (sym_elem, [('a', (3, 4)), ('b', (3, 4))], [], 3),
    'group': (sym_group, [('a', (2, 3)), ('b', (2, 3))], [], 4),
    'bn': (sym_bn, [('data', (4, 3)), ('bn_gamma', (3,)), ('bn_beta', (3,))],
           [('bn_moving_mean', (3,)), ('bn_moving_var', (3,))], 5),
}


def failure(fn):
    """What a failing check gives: (its AssertionError/ValueError/KeyError as 'Type: message'
    up to the arrays, or 'ok'; what it printed)."""
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed), contextlib.redirect_stderr(io.StringIO()):
            fn()
        msg = 'ok'
    except (AssertionError, ValueError, KeyError) as e:
        msg = type(e).__name__ + ': ' + str(e).split(' ACTUAL:')[0]
    return msg, printed.getvalue()


def symbol_inputs(np, name, out_shapes):
    """(location dict, aux dict, head gradients list) of SYMBOLS[name], from its seed."""
    _, args, aux, seed = SYMBOLS[name]
    rs = np.random.RandomState(seed)
    loc = {k: rs.normal(size=s) for k, s in args}
    auxv = {k: rs.uniform(0.5, 1.5, size=s) for k, s in aux}
    ograds = [rs.normal(size=s) for s in out_shapes]
    return loc, auxv, ograds


# grad_req variants of check_symbolic_backward: (label, grad_req for args, dtype, tolerances).
# 'add' compares (buffer after - before) in float64, so float64's default tolerances apply
# (in MXNet too): float32 computations need explicit ones.
GRAD_REQS = [('write', 'write', 'float32', {}),
             ('add', 'add', 'float32', {'rtol': 1e-4, 'atol': 1e-4}),
             ('mixed', 'mixed', 'float64', {}),
             ('list', 'list', 'asnumpy', {})]
BACKWARD_SEED = 11


def grad_req_of(label, arg_names):
    if label == 'mixed':      # a dict: the last argument 'null', the first 'add'
        req = {k: 'write' for k in arg_names}
        req[arg_names[-1]] = 'null'
        req[arg_names[0]] = 'add'
        return req
    if label == 'list':
        return ['add' if i % 2 else 'write' for i in range(len(arg_names))]
    return label


# check_consistency rows: (label, symbol, dtypes of the contexts (type_dict of the data
# inputs), kwargs, seed)
CONSISTENCY = [
    ('fc', 'fc', ['float64', 'float32'], {}, 21),
    ('conv', 'conv', ['float32', 'float64'], {'use_uniform': True}, 22),
    ('elem_add', 'elem', ['float32', 'float64', 'float16'], {'grad_req': 'add', 'scale': 0.5},
     23),
    ('elem_null', 'elem', ['float64', 'float32'], {'grad_req': 'null'}, 24),
    ('group', 'group', ['float64', 'float32'], {}, 25),
    ('bn', 'bn', ['float32', 'float64'], {}, 27),
    ('fc_req_dict', 'fc', ['float32', 'float64'],
     {'grad_req': {'data': 'null', 'fc_weight': 'write', 'fc_bias': 'write'}}, 28),
]
CONSISTENCY_DATA = {'fc': {'data': (2, 5)}, 'conv': {'data': (1, 2, 5, 5)},
                    'elem': {'a': (3, 4), 'b': (3, 4)}, 'group': {'a': (2, 3), 'b': (2, 3)},
                    'bn': {'data': (4, 3)}}


def ctx_list(mx, label):
    """check_consistency's ctx_list for row `label` of CONSISTENCY."""
    _, name, dtypes, _, _ = next(r for r in CONSISTENCY if r[0] == label)
    shapes = CONSISTENCY_DATA[name]
    return [dict(ctx=mx.cpu(0), type_dict={k: dt for k in shapes}, **shapes)
            for dt in dtypes]


def sym_exp_named(mx):
    return mx.sym.exp(mx.sym.Variable('x'), name='out')


def sym_expm1_named(mx):
    return mx.sym.expm1(mx.sym.Variable('x'), name='out')


def sym_softmax(mx):
    """A loss head: check_symbolic_backward with out_grads=None."""
    return mx.sym.SoftmaxOutput(mx.sym.Variable('data'), mx.sym.Variable('label'), name='sm')


SOFTMAX_DATA = [[1.0, 2.0, 0.5], [0.1, -1.0, 3.0]]
SOFTMAX_LABEL = [1.0, 2.0]


def sym_log(mx):
    return mx.sym.log(mx.sym.Variable('a'), name='lg')


# exact values, so the failure messages print the same digits in both libraries
MUL_A = [[1.0, 2.0], [3.0, 4.0]]
MUL_B = [[0.5, 2.0], [1.0, -1.0]]
MUL_WRONG_OUT = [[0.5, 4.0], [3.0, -3.5]]
MUL_WRONG_GRAD_B = [[1.0, 2.0], [3.0, 4.25]]

# ---- helpers ----------------------------------------------------------------------------
NP_REDUCE = [((2, 3, 4), None, False), ((2, 3, 4), 1, True), ((2, 3, 4), (0, 2), False),
             ((2, 3, 4), [2, 0], True)]
COLLAPSE = [((2, 3, 4), (3, 1)), ((2, 3, 4), (1, 3, 4)), ((2, 3), (2, 3)), ((2, 0), (1,)),
            ((5,), ())]
HELPER_SEED = 31


def backward_call(np, name, label, loc, auxv, expected):
    """check_symbolic_backward's (location, aux_states, expected, grad_req, dtype, tolerance
    kwargs) for SYMBOLS[name] and GRAD_REQS row `label` (the list forms for 'list')."""
    _, args, aux, _ = SYMBOLS[name]
    arg_names = [k for k, _ in args]
    _, _, dtype, tols = next(r for r in GRAD_REQS if r[0] == label)
    if label == 'list':
        location = [loc[k] for k in arg_names]
        aux_states = [auxv[k] for k, _ in aux] or None
        expected = [expected[k].astype(np.float64) for k in arg_names]   # 'asnumpy' dtype
    else:
        location, aux_states = loc, auxv or None
    dtype = {'float64': np.float64, 'float32': np.float32}.get(dtype, dtype)
    return location, aux_states, expected, grad_req_of(label, arg_names), dtype, tols


def consistency_failures(mx, np, tu):
    """{raise_on_err: (check_consistency's failure, the 'Err:' lines it printed)} for two
    symbols that disagree (exp and expm1)."""
    syms = [sym_exp_named(mx), sym_expm1_named(mx)]
    ctxs = [{'ctx': mx.cpu(0), 'x': (2, 3), 'type_dict': {'x': np.float64}}] * 2
    out = {}
    for raise_on_err in (True, False):
        np.random.seed(26)
        msg, printed = failure(lambda: tu.check_consistency(syms, ctxs,
                                                            raise_on_err=raise_on_err))
        out[raise_on_err] = msg, '\n'.join(line for line in printed.splitlines()
                                           if 'Err:' in line)
    return out
