"""Regressions found by running MXNet 1.9.1's test_numpy_op.py (random and linalg tests) on
regluon. Each case runs under either library (`mx` is bound at call time) in np mode and
returns a dict of deterministic values (shapes, dtypes, error types, gradient identities,
linalg results); tools/golden_cases.py numpy_compat_random stores MXNet's,
tests/test_numpy_compat_random.py compares regluon's with them."""
import numpy as onp

from case_tools import value as _val  # (shared with the other case lists)


def _np_mode(fn):
    def case(mx):
        mx.npx.set_np()
        try:
            return fn(mx)
        finally:
            mx.npx.reset_np()
    case.__name__ = fn.__name__
    case.__doc__ = fn.__doc__
    return case


def _desc(f):
    """(shape, dtype) of f()'s result, or the name of the error it raises."""
    try:
        r = f()
        for x in (r if isinstance(r, (list, tuple)) else [r]):
            x.asnumpy()                   # MXNet raises its kernels' errors here
    except Exception as e:  # pylint: disable=broad-except
        return _val('error ' + type(e).__name__)
    if isinstance(r, (list, tuple)):
        return _val(' '.join(f'{tuple(x.shape)} {x.dtype}' for x in r))
    return _val(f'{tuple(r.shape)} {r.dtype}')


_ONE = {'uniform': (0., 1.), 'normal': (0., 1.), 'lognormal': (0., 1.), 'logistic': (0., 1.),
        'gumbel': (0., 1.), 'rayleigh': (1.,), 'exponential': (1.,), 'weibull': (1.,),
        'pareto': (1.,), 'power': (1.,), 'gamma': (1., 1.), 'beta': (1., 1.),
        'chisquare': (1.,)}
_SIZES = [None, (), (3, 0, 6), (0,), 6, (2, 3)]


@_np_mode
def sampler_shapes(mx):
    """Result shapes and dtypes: size None/() give the parameters' broadcast shape (0-d for
    numbers), zero sizes give empty arrays, array parameters broadcast against `size`
    (MXNet reads only the axes they share: a (2, 1) parameter with size (3,) gives (3,))."""
    np, out = mx.np, {}
    for n, ps in _ONE.items():
        f = getattr(np.random, n)
        for s in _SIZES:
            out[f'{n}/size={s}'] = _desc(lambda: f(*ps, size=s))
        # (float32 parameters: MXNet's kernels fail on a float64 one beside a float32 one)
        arrs = [np.ones((2, 1))] + [np.ones((3,)) for _ in ps[1:]]
        out[f'{n}/arr'] = _desc(lambda: f(*arrs))
        for s in [(4, 2, 3), (2, 3), (3,), (2, 3, 1), ()]:
            out[f'{n}/arr size={s}'] = _desc(lambda: f(*arrs, size=s))
        out[f'{n}/empty arr'] = _desc(lambda: f(*[np.ones((0,)) for _ in ps]))
        out[f'{n}/positional size'] = _desc(lambda: f(*ps, (2, 2)))
        if len(ps) == 2:
            out[f'{n}/scalar,f16 arr'] = _desc(lambda: f(ps[0], np.ones((2,), dtype='float16')))
    for n in ['uniform', 'normal', 'gamma', 'beta', 'chisquare', 'lognormal']:
        for dt in ['float16', 'float64', 'float32', None]:
            ps = _ONE[n]
            out[f'{n}/dtype={dt}'] = _desc(lambda: getattr(np.random, n)(*ps, size=(2,),
                                                                          dtype=dt))
            out[f'{n}/arr dtype={dt}'] = _desc(lambda: getattr(np.random, n)(
                *[np.ones((2,), dtype='float64') for _ in ps], dtype=dt))
    out['chisquare/f16 df'] = _desc(lambda: np.random.chisquare(np.array([1], dtype='float16'),
                                                                 size=(2, 3)))
    out['exponential/f64 arr'] = _desc(lambda: np.random.exponential(np.ones(2, dtype='float64')))
    out['gamma/out'] = _desc(lambda: np.random.gamma(1., out=np.zeros((2, 3))))
    out['normal/out'] = _desc(lambda: np.random.normal(0., 1., out=np.zeros((2, 3))))
    out['uniform/out size'] = _desc(lambda: np.random.uniform(0., 1., size=(2, 3),
                                                               out=np.zeros((2, 3))))
    return out


@_np_mode
def discrete_shapes(mx):
    """randint, choice, multinomial, multivariate_normal, rand/randn, bernoulli and the
    batch samplers: shapes, dtypes (randint takes int32/int64 only, bernoulli bool, float16,
    float32, float64, int32, uint8) and zero sizes."""
    np, npx, out = mx.np, mx.npx, {}
    for s in _SIZES:
        out[f'randint/size={s}'] = _desc(lambda: np.random.randint(0, 5, size=s))
        out[f'choice/size={s}'] = _desc(lambda: np.random.choice(5, size=s))
        out[f'choice arr/size={s}'] = _desc(lambda: np.random.choice(np.arange(5.), size=s))
        out[f'choice p/size={s}'] = _desc(lambda: np.random.choice(5, size=s,
                                                                   p=np.array([.2] * 5)))
        out[f'multinomial/size={s}'] = _desc(lambda: np.random.multinomial(5, [.2] * 5, size=s))
        out[f'mvn/size={s}'] = _desc(lambda: np.random.multivariate_normal(
            np.zeros(2), np.eye(2), size=s))
        out[f'bernoulli/size={s}'] = _desc(lambda: npx.random.bernoulli(0.5, size=s))
        out[f'bernoulli arr/size={s}'] = _desc(lambda: npx.random.bernoulli(
            np.full((2, 1), 0.5), size=s))
        out[f'uniform_n/batch={s}'] = _desc(lambda: npx.random.uniform_n(
            np.zeros((2,)), 1, batch_shape=s))
        out[f'normal_n/batch={s}'] = _desc(lambda: npx.random.normal_n(0, 1, batch_shape=s))
    for dt in ['int32', 'int64', 'float32', None, 'int8', 'uint8']:
        out[f'randint/dtype={dt}'] = _desc(lambda: np.random.randint(0, 5, size=(2,), dtype=dt))
    for dt in ['float16', 'float64', 'int32', 'bool', 'int8', 'uint8', None]:
        out[f'bernoulli/dtype={dt}'] = _desc(lambda: npx.random.bernoulli(0.5, size=(2,),
                                                                          dtype=dt))
        out[f'bernoulli logit/dtype={dt}'] = _desc(lambda: npx.random.bernoulli(
            logit=np.zeros(2), dtype=dt))
    out['rand'] = _desc(lambda: np.random.rand(2, 3))
    out['rand()'] = _desc(np.random.rand)
    out['rand 0'] = _desc(lambda: np.random.rand(2, 0))
    out['randn'] = _desc(lambda: np.random.randn(2, 3))
    out['randn()'] = _desc(np.random.randn)
    out['choice no replace'] = _desc(lambda: np.random.choice(5, 5, replace=False))
    b = npx.random.bernoulli(np.array([0., 1., 1., 0.]), size=(3, 4)).asnumpy()
    out['bernoulli 0/1 probs'] = _val(b)
    return out


@_np_mode
def parameter_errors(mx):
    """Bad parameters are ValueErrors, for numbers and for arrays (MXNet checks both); a
    zero scale is allowed where MXNet allows it."""
    np, npx, out = mx.np, mx.npx, {}
    R = np.random
    calls = {
        'weibull a=-1': lambda: R.weibull(a=-1), 'weibull a=0': lambda: R.weibull(a=0),
        'weibull arr0': lambda: R.weibull(np.array([0., 1.])),
        'pareto a=-1': lambda: R.pareto(a=-1), 'pareto a=0': lambda: R.pareto(a=0),
        'pareto arr-1': lambda: R.pareto(np.array([-1., 1.])),
        'power a=-1': lambda: R.power(a=-1), 'power a=0': lambda: R.power(a=0),
        'power arr0': lambda: R.power(np.array([0., 1.])),
        'exponential -1': lambda: R.exponential(scale=-1),
        'exponential 0': lambda: R.exponential(scale=0),
        'exponential arr-1': lambda: R.exponential(np.array([-1.])),
        'lognormal -1': lambda: R.lognormal(sigma=-1), 'lognormal 0': lambda: R.lognormal(sigma=0),
        'normal -1': lambda: R.normal(scale=-1),
        'normal arr-1': lambda: R.normal(scale=np.array([-1.])),
        'uniform high<low': lambda: R.uniform(2, 1, size=5),
        'rayleigh -1': lambda: R.rayleigh(-1), 'rayleigh 0': lambda: R.rayleigh(0),
        'rayleigh arr-1': lambda: R.rayleigh(np.array([-1.])),
        'gumbel -1': lambda: R.gumbel(0, -1), 'gumbel 0': lambda: R.gumbel(0, 0),
        'gumbel arr-1': lambda: R.gumbel(np.array([0.]), np.array([-1.])),
        'logistic -1': lambda: R.logistic(0, -1), 'logistic 0': lambda: R.logistic(0, 0),
        'chisquare -1': lambda: R.chisquare(-1), 'chisquare 0': lambda: R.chisquare(0),
        'beta -1': lambda: R.beta(-1, 1), 'beta 0': lambda: R.beta(0, 1),
        'beta arr0': lambda: R.beta(np.array([1.]), np.array([0.])),
        'bernoulli -1': lambda: npx.random.bernoulli(prob=-1),
        'bernoulli 2': lambda: npx.random.bernoulli(prob=2),
        'bernoulli arr2': lambda: npx.random.bernoulli(prob=np.array([0.5, 2.])),
        'bernoulli logit 5': lambda: npx.random.bernoulli(logit=5.),
        'bernoulli none': lambda: npx.random.bernoulli(),
        'bernoulli both': lambda: npx.random.bernoulli(0.5, 0.5),
        'size not broadcastable': lambda: R.normal(np.ones((2, 1)), 1, size=(2, 3, 1)),
    }
    for i, (shape, scale) in enumerate([(1, 0), (np.array(1), 0), (np.array(1), np.array(-1.0)),
                                        (0, 1), (0, np.array(1)), (np.array(0), np.array(1)),
                                        (-1, 1), (1, -1)]):
        calls[f'gamma {i}'] = lambda shape=shape, scale=scale: R.gamma(shape, scale)
    for k, f in calls.items():
        out[k] = _desc(lambda f=f: f().asnumpy())
    return out


@_np_mode
def sampler_gradients(mx):
    """Reparameterized gradients (normal, lognormal, logistic, gumbel, exponential, rayleigh,
    weibull, pareto: the identities below hold for the drawn values) and zero gradients
    (uniform, power, gamma, beta, chisquare), summed over size (2, 3) into (3,) params."""
    np, out = mx.np, {}

    def run(n, *ps):
        arrs = [np.array(onp.full((3,), p), dtype='float32') for p in ps]
        for a in arrs:
            a.attach_grad()
        with mx.autograd.record():
            y = getattr(np.random, n)(*arrs, size=(2, 3))
        y.backward()
        return y.asnumpy().astype('float64'), [a.grad.asnumpy().astype('float64') for a in arrs]

    def close(a, b):
        return _val(bool(onp.allclose(a, b, rtol=1e-3, atol=1e-4)))

    o, g = run('normal', 1.0, 2.0)
    out['normal dloc'], out['normal dscale'] = close(g[0], 2.), close(g[1], ((o - 1) / 2).sum(0))
    o, g = run('lognormal', 0.5, 2.0)
    out['lognormal dmean'] = close(g[0], o.sum(0))
    out['lognormal dsigma'] = close(g[1], (o * (onp.log(o) - .5) / 2).sum(0))
    for n in ['logistic', 'gumbel']:
        o, g = run(n, 1.0, 2.0)
        out[n + ' dloc'], out[n + ' dscale'] = close(g[0], 2.), close(g[1], ((o - 1) / 2).sum(0))
    for n in ['exponential', 'rayleigh']:
        o, g = run(n, 2.0)
        out[n + ' dscale'] = close(g[0], (o / 2).sum(0))
    o, g = run('weibull', 2.0)
    out['weibull da'] = close(g[0], (-o * onp.log(o) / 2).sum(0))
    o, g = run('pareto', 2.0)
    out['pareto da'] = close(g[0], (-(o + 1) * onp.log(o + 1) / 2).sum(0))
    for n, ps in [('uniform', (1., 3.)), ('power', (2.,)), ('gamma', (2., 3.)),
                  ('beta', (2., 3.)), ('chisquare', (2.,))]:
        o, g = run(n, *ps)
        for i, gi in enumerate(g):
            out[f'{n} grad{i}'] = _val(gi)
    # a parameter of another shape gets its gradient summed to its shape
    m, s = np.zeros((3, 4, 5)), np.ones((4, 1))
    m.attach_grad()
    s.attach_grad()
    with mx.autograd.record():
        y = np.random.lognormal(m, s, (3, 4, 5))
    y.backward()
    out['lognormal broadcast'] = _val(f'{m.grad.shape} {s.grad.shape}')
    out['lognormal broadcast dmean'] = close(m.grad.asnumpy(), y.asnumpy())
    return out


@_np_mode
def seeding(mx):
    """npx.random.seed(seed=...) (MXNet's keyword) repeats the draws."""
    np, npx, out = mx.np, mx.npx, {}
    draws = []
    for _ in range(2):
        npx.random.seed(seed=594)
        draws.append(np.random.uniform(size=(2, 3)).asnumpy())
    out['same'] = _val(bool((draws[0] == draws[1]).all()))
    mx.random.seed(seed_state=3)
    a = np.random.normal(size=4).asnumpy()
    npx.random.seed(3)
    out['positional'] = _val(bool((np.random.normal(size=4).asnumpy() == a).all()))
    return out


_A3 = onp.array([[2., 1., 0.], [5., 3., 1.], [7., 8., 4.]])


def _signed(v):
    """Eigenvectors with the first large entry of each column positive (LAPACK builds differ
    in the sign)."""
    v = onp.asarray(v, dtype='float64')
    if v.size == 0:
        return v
    big = onp.abs(v) >= 0.5 * onp.abs(v).max(axis=-2, keepdims=True)
    idx = big.argmax(axis=-2)[..., None, :]       # the first large entry of each column
    return v * onp.sign(onp.take_along_axis(v, idx, axis=-2))


def _try(f):
    try:
        return f()
    except Exception as e:  # pylint: disable=broad-except
        return _val('error ' + type(e).__name__)


@_np_mode
def linalg_eigh(mx):
    """eigh/eigvalsh take UPLO ('U' reads the upper triangle, anything else the lower);
    integer arrays give float64, float16 and non-square inputs are MXNetErrors, zero-size
    stacks give empty results."""
    np, L, out = mx.np, mx.np.linalg, {}
    rs = onp.random.RandomState(0)
    batch = rs.uniform(-3, 3, (2, 4, 4))
    for dt in ['float32', 'float64', 'int32', 'uint8', 'int64']:
        for uplo in ['L', 'U', 'X']:
            a = np.array(_A3 if dt != 'float64' else batch, dtype=dt)

            def eigh(a=a, uplo=uplo):
                w, v = L.eigh(a, UPLO=uplo)
                return _val(f'{w.dtype} {v.dtype}'), _val(w.asnumpy()), \
                    _val(_signed(v.asnumpy()))
            r = _try(eigh)
            if isinstance(r, tuple) and len(r) == 3:
                out[f'eigh {dt} {uplo} dtypes'], out[f'eigh {dt} {uplo} w'], \
                    out[f'eigh {dt} {uplo} v'] = r
            else:
                out[f'eigh {dt} {uplo}'] = r
            out[f'eigvalsh {dt} {uplo}'] = _try(lambda a=a, uplo=uplo: _val(L.eigvalsh(a, uplo)))
    for sh in [(0, 0), (1, 0, 0), (0, 4, 4)]:
        out[f'eigh {sh}'] = _desc(lambda sh=sh: L.eigh(np.ones(sh)))
        out[f'eigvalsh {sh}'] = _desc(lambda sh=sh: L.eigvalsh(np.ones(sh), UPLO='U'))
    out['eigh float16'] = _desc(lambda: L.eigh(np.array(_A3, dtype='float16')))
    out['eigh nonsquare'] = _desc(lambda: L.eigh(np.ones((2, 3))))
    out['eigvalsh 1d'] = _desc(lambda: L.eigvalsh(np.ones((3,))))
    return out


@_np_mode
def linalg_pinv(mx):
    """pinv(a, rcond, hermitian): rcond a number or an array broadcast against the stack
    shape (a relative cutoff); hermitian=True is NotImplementedError; integers and 1-D
    arrays are MXNetErrors."""
    np, L, out = mx.np, mx.np.linalg, {}
    rs = onp.random.RandomState(1)
    for a_shape, r_shape in [((1, 1), ()), ((5, 6), ()), ((6, 5), ()), ((2, 3, 3), (1,)),
                             ((2, 3, 4), (2,)), ((4, 6, 5), (4,)), ((2, 2, 4, 3), (1, 2)),
                             ((2, 2, 3, 4), (2, 1)), ((2, 2, 3, 4), (2, 2))]:
        for dt in ['float32', 'float64']:
            a = np.array(rs.uniform(-10, 10, a_shape), dtype=dt)
            rc = np.array(rs.uniform(0, 0.1, r_shape), dtype=dt)
            out[f'{a_shape} {r_shape} {dt}'] = _val(L.pinv(a, rc))
            out[f'{a_shape} default {dt}'] = _val(L.pinv(a))
    low_rank = onp.outer([1., 2., 3.], [1., 1., 2.]) + onp.diag([1e-3, 0, 0])
    out['cutoff scalar'] = _val(L.pinv(np.array(low_rank), 1e-2))
    out['cutoff keyword'] = _val(L.pinv(np.array(low_rank), rcond=1e-2, hermitian=False))
    # (the same dtype for a and rcond: MXNet's kernel fails on mixed ones)
    out['cutoff array'] = _val(L.pinv(np.array(onp.stack([low_rank] * 2), dtype='float64'),
                                      np.array([1e-2, 1e-6], dtype='float64')))
    out['hermitian'] = _desc(lambda: L.pinv(np.array(_A3), hermitian=True))
    out['hermitian positional'] = _desc(lambda: L.pinv(np.array(_A3), 1e-3, True))
    out['rcond broadcast'] = _desc(lambda: L.pinv(np.ones((2, 3, 3)), np.array([.1, .2, .3])))
    out['int'] = _desc(lambda: L.pinv(np.array(_A3, dtype='int32')))
    out['1d'] = _desc(lambda: L.pinv(np.ones((3,))))
    out['empty'] = _desc(lambda: L.pinv(np.ones((0, 3))))
    return out


@_np_mode
def linalg_tensorsolve(mx):
    """tensorsolve(a, b, axes): x has a's trailing axes beyond b.ndim after `axes` move to
    the end (as Python slices a.shape[-(a.ndim - b.ndim):], so 0-d and equal-rank size-1
    arrays work); gradients in a and b; integers give float64."""
    np, L, out = mx.np, mx.np.linalg, {}
    rs = onp.random.RandomState(2)
    for a_shape, b_shape, axes in [
            ((), (), None), ((), (1, 1, 1), None), ((1, 1, 1), (), None),
            ((1, 1, 1), (), (0, 1, 2)), ((1, 1, 1), (1, 1, 1), None),
            ((1, 1, 1), (1, 1, 1), (2, 0, 1)), ((1, 1), (1,), None),
            ((1, 1), (1, 1, 1, 1, 1), None), ((4, 4), (4,), None), ((6, 2, 3), (6,), None),
            ((2, 3, 6), (6,), (0, 1)), ((3, 4, 2, 3, 2), (3, 4), None),
            ((2, 1, 4, 2, 4), (2, 4), (0, 1, 2)), ((2, 3, 3, 4, 2), (3, 4), (0, 2, 4)),
            ((1, 12, 4, 1, 3), (1, 2, 1, 2, 1, 3, 1), None)]:
        n = int(onp.prod(b_shape))
        m = onp.eye(n) * 3 + rs.uniform(-1, 1, (n, n))
        for dt in ['float32', 'float64']:
            a = np.array(m.reshape(a_shape) if a_shape else m.reshape(()), dtype=dt)
            b = np.array(rs.uniform(-1, 1, b_shape), dtype=dt)
            a.attach_grad()
            b.attach_grad()
            key = f'{a_shape} {b_shape} {axes} {dt}'
            with mx.autograd.record():
                x = L.tensorsolve(a, b, axes)
            out[key] = _val(x)
            out[key + ' dtype'] = _val(str(x.dtype))
            if a_shape and b_shape:
                x.backward()
                out[key + ' da'], out[key + ' db'] = _val(a.grad), _val(b.grad)
    out['int'] = _desc(lambda: L.tensorsolve(np.array(onp.eye(4) * 2, dtype='int32'),
                                             np.ones(4, dtype='int32')))
    out['f64 f32'] = _desc(lambda: L.tensorsolve(np.array(onp.eye(4) * 2, dtype='float64'),
                                                 np.ones(4)))
    out['not square'] = _desc(lambda: L.tensorsolve(np.ones((2, 3, 6)), np.ones(5)))
    return out


@_np_mode
def linalg_norm(mx):
    """norm's dispatch as MXNet's front end (every config of test_np_linalg_norm, values and
    gradients), string ords 'inf'/'-inf'/'fro'/'nuc', no axis on 3-D arrays (a matrix norm
    over the last two axes), axis lists (TypeError), and the input's dtype kept."""
    np, L, out = mx.np, mx.np.linalg, {}
    rs = onp.random.RandomState(3)
    configs = [
        ((2, 3, 4), 1, (2, 1)), ((2, 3, 4), 2, (1, 2)), ((2, 3, 4), None, None),
        ((3,), None, None), ((2, 3), 2, 1), ((2, 3, 4), 1, 1), ((2, 3, 4), -1, 2),
        ((2, 3, 4), 2, 1), ((2, 3, 4), 4, 1), ((2, 3, 0, 4), -2, 1), ((2, 3, 4, 5), 2, (2, 3)),
        ((2, 3), -1, None), ((2, 3, 4), 'inf', 1), ((2, 3, 4), '-inf', (1, 0)),
        ((2, 3), None, (0, 1)), ((3, 2, 3), None, (1, 2)), ((2, 3), None, None),
        ((2, 3, 4), 'fro', (0, 2)), ((2, 0, 4), 'fro', (0, 2)), ((2, 3, 4), None, (0, 2)),
        ((2, 3, 4), -3.2, 2), ((2, 3, 4), -1, (0, 1)), ((2, 3, 4), 'inf', (0, 2)),
        ((2, 3, 4), '-inf', (0, 2)), ((4, 4, 4, 4), -2, (0, 2)), ((2, 3, 4), 'nuc', (0, 2)),
        ((2, 2), 'nuc', None),
        # MXNet's front end beyond NumPy's: no axis on 3-D arrays, string infs with no axis
        ((2, 3, 4), 'fro', None), ((2, 3, 4), 'nuc', None), ((2, 3, 4), 2, None),
        ((2, 3, 4), 1, None), ((2, 3, 4), 'inf', None), ((2, 3, 4), '-inf', None),
        ((2, 3), 'inf', None), ((2, 3), -2, None), ((2, 3, 4), 0, 2), ((2, 3, 4), None, (1,)),
        ((2, 3, 4), 'fro', 1)]
    for shape, ord_, axis in configs:
        x0 = rs.uniform(-10, 10, shape)
        for dt in ['float32', 'float64']:
            for kd in [False, True]:
                a = np.array(x0, dtype=dt)
                a.attach_grad()
                key = f'{shape} {ord_} {axis} {kd} {dt}'
                with mx.autograd.record():
                    r = L.norm(a, ord_, axis, kd)
                out[key] = _val(r)
                out[key + ' dtype'] = _val(str(r.dtype))
                r.backward()
                # (MXNet's gradient of the (4, 4, 4, 4) -2 norm: zeros)
                if not kd and dt == 'float32' and (shape, ord_) != ((4, 4, 4, 4), -2):
                    out[key + ' grad'] = _val(a.grad)
    out['axis list'] = _desc(lambda: L.norm(np.ones((2, 3)), None, [0, 1]))
    out['nuc one axis'] = _desc(lambda: L.norm(np.ones((2, 3)), 'nuc', 1))
    out['float16'] = _val(L.norm(np.array([3, 4], dtype='float16')))
    out['int dtype'] = _val(str(L.norm(np.array([3, 4], dtype='int32')).dtype))
    out['empty'] = _val(L.norm(np.ones((2, 0)), None, 1))
    return out


@_np_mode
def sampler_arguments(mx):
    """Argument checks as MXNet's: continuous samplers take float dtypes only (beta any),
    randint integer bounds, size ints; multinomial rejects NumPy arrays and nested lists;
    multivariate_normal keeps the mean's float dtype; shuffle of a 0-d array is an
    MXNetError."""
    np, out = mx.np, {}
    R = np.random
    for n, ps in [('gamma', (1.,)), ('beta', (1., 1.)), ('chisquare', (1.,)),
                  ('lognormal', (0., 1.)), ('normal', (0., 1.)), ('uniform', (0., 1.))]:
        for dt in ['int32', 'bool', 'float16', 'uint8']:
            out[f'{n} dtype={dt}'] = _desc(lambda n=n, ps=ps, dt=dt: getattr(R, n)(
                *ps, size=2, dtype=dt))
    out['randint float'] = _desc(lambda: R.randint(0.5, 5.5, size=3))
    out['size float'] = _desc(lambda: R.normal(0, 1, size=2.0))
    out['size list'] = _desc(lambda: R.exponential(1., size=[2, 3]))
    out['multinomial array'] = _desc(lambda: R.multinomial(5, np.array([.2, .8]), size=(2, 3)))
    out['multinomial numpy'] = _desc(lambda: R.multinomial(5, onp.array([.2, .8])))
    out['multinomial nested'] = _desc(lambda: R.multinomial(5, [[.2, .8]]))
    out['multinomial n=0'] = _val(R.multinomial(0, [.2, .8], size=2))
    out['mvn f64'] = _desc(lambda: R.multivariate_normal(np.zeros(2, dtype='float64'),
                                                         np.eye(2, dtype='float64')))
    out['mvn f16'] = _desc(lambda: R.multivariate_normal(np.zeros(2, dtype='float16'),
                                                         np.eye(2, dtype='float16')))

    def shuffle0(x=np.array(1.)):
        R.shuffle(x)
        return x
    out['shuffle 0-d'] = _desc(shuffle0)
    y = np.arange(10.).reshape(5, 2)
    R.shuffle(y)
    out['shuffle rows'] = _val(onp.sort(y.asnumpy()[:, 0]))
    return out


CASES = {f.__name__: f for f in [sampler_shapes, discrete_shapes, parameter_errors,
                                 sampler_gradients, seeding, linalg_eigh, linalg_pinv,
                                 linalg_tensorsolve, linalg_norm, sampler_arguments]}
