"""Operator kernels that MXNet 1.9.1's test_operator.py (part a) found apart from MXNet:
prelu's gamma broadcasting, mod by zero, slice_like's empty axes, InstanceNorm over one
element, LayerNorm's gamma/beta gradient precision, Correlation's |a - b| gradient at ties,
check_numeric_gradient where no checked input reaches the output. Each case runs under
either library; tools/golden_cases.py operator_a stores MXNet's values,
tests/test_operator_kernels_a.py compares regluon's with them."""
import numpy as np


def _val(v):
    if hasattr(v, 'asnumpy'):
        v = v.asnumpy()
    return np.asarray(v), 'ndarray' if isinstance(v, np.ndarray) else type(v).__name__


def _grads(mx, fn, *arrays):
    """fn's output and the gradients of `arrays` (numpy) for a ones head gradient."""
    xs = [mx.nd.array(a, dtype=a.dtype) for a in arrays]
    for x in xs:
        x.attach_grad()
    with mx.autograd.record():
        y = fn(*xs)
    y.backward()
    return [y.asnumpy()] + [x.grad.asnumpy() for x in xs]


def _error(fn):
    """The exception type's name fn raises (MXNet may raise it only when reading)."""
    try:
        out = fn()
        out.wait_to_read()
    except Exception as e:  # pylint: disable=broad-except
        return _val(type(e).__name__)
    return _val('no error')


def prelu_gamma_shapes(mx):
    """LeakyReLU(act_type='prelu'): gamma's axes meet data's axes 1 and 0 from its last
    (MXNet's expand_shape), e.g. a (3, 4) gamma per (sample, channel)."""
    rng = np.random.RandomState(0)
    out = {}
    for i, (ds, gs) in enumerate([((3, 4), (4,)), ((3, 4), (3, 4)), ((3, 4, 2, 2), (3, 4)),
                                  ((3, 4, 2, 2), (4,)), ((3, 4, 2, 2), (1,)), ((3, 4), (3,)),
                                  ((3, 4), (1, 4)), ((3, 4), (3, 1)), ((5,), (5,)),
                                  ((5,), (1,)), ((3, 4), (1, 1))]):
        x = rng.uniform(-1, 1, ds).astype('float32')
        g = rng.uniform(0, 1, gs).astype('float32')
        y, gx, gg = _grads(mx, lambda a, b: mx.nd.LeakyReLU(a, gamma=b, act_type='prelu'), x, g)
        out[f'{i}_out'], out[f'{i}_dx'], out[f'{i}_dgamma'] = _val(y), _val(gx), _val(gg)
    for i, (ds, gs) in enumerate([((3, 4, 2), (2,)), ((3, 4), (2,)), ((3, 4), (4, 4)),
                                  ((3, 4, 2), (3, 4, 2)), ((2, 3, 4), (3, 4))]):
        out[f'err{i}'] = _error(lambda: mx.nd.LeakyReLU(
            mx.nd.ones(ds), gamma=mx.nd.ones(gs), act_type='prelu'))
    # a symbol graph, as test_operator.test_prelu binds it
    sym = mx.sym.LeakyReLU(mx.sym.Variable('x'), gamma=mx.sym.Variable('g'), act_type='prelu')
    x = rng.uniform(-1, 1, (3, 4, 2, 2)).astype('float32')
    g = rng.uniform(0, 1, (3, 4)).astype('float32')
    exe = sym.bind(mx.cpu(), {'x': mx.nd.array(x), 'g': mx.nd.array(g)},
                   args_grad={'x': mx.nd.zeros(x.shape), 'g': mx.nd.zeros(g.shape)})
    exe.forward(is_train=True)
    exe.backward(mx.nd.ones(x.shape))
    out['sym_out'] = _val(exe.outputs[0])
    out['sym_dgamma'] = _val(exe.grad_dict['g'])
    return out


def mod_by_zero(mx):
    """x % 0 is 0 in MXNet (int: no ZeroDivisionError, float: no NaN), gradients 1 and
    -floor(x / y); Python's sign rule otherwise."""
    a = np.array([5, -5, 5, -5, 0, 3, 7.5, -7.5])
    b = np.array([0, 0, -3, 3, 0, -3, 2, 2])
    out = {}
    for dt in ['float32', 'float64', 'int32', 'int64', 'float16']:
        x, y = mx.nd.array(a, dtype=dt), mx.nd.array(b, dtype=dt)
        out[f'{dt}_mod'] = _val(x % y)
        out[f'{dt}_bmod'] = _val(mx.nd.broadcast_mod(x, y))
        out[f'{dt}_scalar0'] = _val(x % 0)
        out[f'{dt}_rmod'] = _val(5 % y)
        out[f'{dt}_modulo'] = _val(mx.nd.modulo(x, y))
    xs = np.array([[5, -5, 7.5, 0]], dtype='float32')
    ys = np.array([[0], [2]], dtype='float32')
    y, gx, gy = _grads(mx, mx.nd.broadcast_mod, xs, ys)
    out['bc_out'], out['bc_dx'], out['bc_dy'] = _val(y), _val(gx), _val(gy)
    y, gx = _grads(mx, lambda t: t % 0, np.array([5, -5, 7.5, np.inf], dtype='float32'))
    out['s0_out'], out['s0_dx'] = _val(y), _val(gx)
    y, gx = _grads(mx, lambda t: 3 % t, np.array([5, -5, 7.5, 0], dtype='float32'))
    out['r0_out'], out['r0_dx'] = _val(y), _val(gx)
    # the graph test_operator.test_bmod_int binds: int32 operands, some zero
    sa, sb = mx.sym.Variable('a'), mx.sym.Variable('b')
    c = mx.sym.cast(sa, dtype='int32') % mx.sym.cast(sb, dtype='int32')
    exe = c.bind(mx.cpu(), args={'a': mx.nd.array([[7, 0, 3], [9, 4, 0]]),
                                 'b': mx.nd.array([[0, 0, 2], [4, 0, 5]])})
    exe.forward(is_train=True)
    out['sym_int'] = _val(exe.outputs[0])
    return out


def slice_like_empty_axes(mx):
    """slice_like(axes=[]) slices every axis, as axes=() and no axes do."""
    rng = np.random.RandomState(1)
    x = rng.normal(size=(5, 7, 4)).astype('float32')
    like = np.zeros((3, 5, 2), dtype='float32')
    out = {}
    for name, kw in [('list', {'axes': []}), ('tuple', {'axes': ()}), ('none', {}),
                     ('neg', {'axes': [-1, 0]})]:
        y, gx, gl = _grads(mx, lambda a, b: mx.nd.slice_like(a, b, **kw), x, like)
        out[name], out[name + '_dx'], out[name + '_dlike'] = _val(y), _val(gx), _val(gl)
    return out


def instance_norm_single_element(mx):
    """InstanceNorm over a single spatial element gives beta (no error), gradients too."""
    rng = np.random.RandomState(2)
    out = {}
    for i, shape in enumerate([(1, 1, 1), (2, 1, 2), (2, 3, 1, 1), (2, 3, 4)]):
        _norm_grads(mx, out, str(i), rng, shape, shape[1],
                    lambda *xs: mx.nd.InstanceNorm(*xs, eps=1e-3))
    return out


def _norm_grads(mx, out, key, rng, shape, channels, norm):
    """A normalization `norm(data, gamma, beta)` on random data of `shape`: its output and
    the three gradients for a random head, into `out` under `key`."""
    arrays = [rng.normal(size=s).astype('float32') for s in (shape, channels, channels)]
    head = rng.normal(size=shape).astype('float32')
    xs = [mx.nd.array(t) for t in arrays]
    for t in xs:
        t.attach_grad()
    with mx.autograd.record():
        y = norm(*xs)
    y.backward(mx.nd.array(head))
    out[f'{key}_out'] = _val(y)
    for n, t in zip(('dx', 'dgamma', 'dbeta'), xs):
        out[f'{key}_{n}'] = _val(t.grad)


def layer_norm_param_grads(mx):
    """LayerNorm's gamma/beta gradients summed over 4096 rows stay within 1e-3 of the
    float64 sums (sums of ~64 in float32: MXNet's compensated reductions are within 1e-4,
    torch's layer_norm backward, which regluon keeps, within ~3e-4); small shapes: values
    and all gradients."""
    rng = np.random.RandomState(3)
    out = {}
    shape = (4096, 512)
    data = rng.normal(size=shape).astype('float32')
    gamma = rng.normal(size=shape[1]).astype('float32')
    beta = rng.normal(size=shape[1]).astype('float32')
    head = rng.normal(size=shape).astype('float32')
    xs = [mx.nd.array(t) for t in (data, gamma, beta)]
    for t in xs:
        t.attach_grad()
    with mx.autograd.record():
        y = mx.nd.LayerNorm(*xs, axis=-1, eps=1e-3)
    y.backward(mx.nd.array(head))
    d = data.astype('float64')
    xhat = (d - d.mean(-1, keepdims=True)) / np.sqrt(d.var(-1, keepdims=True) + 1e-3)
    want_g, want_b = (head * xhat).sum(0), head.astype('float64').sum(0)
    out['dgamma_close'] = _val(bool(np.abs(xs[1].grad.asnumpy() - want_g).max() < 1e-3))
    out['dbeta_close'] = _val(bool(np.abs(xs[2].grad.asnumpy() - want_b).max() < 1e-3))
    for i, (shape, axis) in enumerate([((10, 6, 5), 1), ((10, 6, 5), 0), ((4, 7), -1)]):
        _norm_grads(mx, out, str(i), rng, shape, shape[axis],
                    lambda *xs, a=axis: mx.nd.LayerNorm(*xs, axis=a, eps=1e-2))
    return out


def correlation_abs_ties(mx):
    """Correlation(is_multiply=False): where data1 == data2 the gradient is +1 for data1
    and -1 for data2 (MXNet's sign(a >= b)), not abs's 0."""
    rng = np.random.RandomState(4)
    out = {}
    for i, (shape, k, md, s1, s2, pad) in enumerate([((1, 2, 5, 5), 1, 1, 1, 1, 1),
                                                     ((2, 3, 6, 6), 3, 1, 1, 1, 2),
                                                     ((1, 1, 7, 7), 1, 2, 1, 2, 2)]):
        a = rng.randint(0, 3, shape).astype('float32')
        b = rng.randint(0, 3, shape).astype('float32')
        y, ga, gb = _grads(mx, lambda p, q: mx.nd.Correlation(
            p, q, kernel_size=k, max_displacement=md, stride1=s1, stride2=s2, pad_size=pad,
            is_multiply=False), a, b)
        out[f'{i}_out'], out[f'{i}_d1'], out[f'{i}_d2'] = _val(y), _val(ga), _val(gb)
    return out


def numeric_gradient_no_path(mx):
    """check_numeric_gradient on an output no checked input reaches (a comparison, or
    every grad_req 'null') passes: MXNet's executor writes zero gradients."""
    a, b = mx.sym.Variable('a'), mx.sym.Variable('b')
    rng = np.random.RandomState(5)
    loc = [rng.uniform(-1, 1, (3, 4)), rng.uniform(-1, 1, (3, 4))]
    out = {}
    mx.test_utils.check_numeric_gradient(mx.sym.broadcast_logical_and(a, b), loc)
    out['logical_and'] = _val(True)
    mx.test_utils.check_numeric_gradient(mx.sym.broadcast_greater(a, b), loc,
                                         grad_nodes={'a': 'write', 'b': 'add'})
    out['greater'] = _val(True)
    x, lens = mx.sym.Variable('X'), mx.sym.Variable('L')
    rev = mx.sym.SequenceReverse(x, sequence_length=lens, use_sequence_length=True)
    mx.test_utils.check_numeric_gradient(rev, [rng.normal(size=(4, 2, 3)), np.array([2, 4])],
                                         grad_nodes={'X': 'null'})
    out['null_only'] = _val(True)
    return out


CASES = {f.__name__: f for f in [prelu_gamma_shapes, mod_by_zero, slice_like_empty_axes,
                                 instance_norm_single_element, layer_norm_param_grads,
                                 correlation_abs_ties, numeric_gradient_no_path]}
