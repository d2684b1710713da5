"""np-mode hybridize of the random functions (mx.sym.np.random, mx.sym.npx.random, dropout,
npx.image's random transforms) against MXNet 1.9.1: the exported graph node by node and the
output's shape and dtype (tests/golden/np_symbol_random_cases.py,
tools/golden_np_symbol_random.py), MXNet's export run here, and the samples' statistics."""
import json
import math
import sys

import numpy as onp
import pytest

import regluon as mx
from regluon import autograd, gluon, np, npx
from conftest import GOLDEN

sys.path.insert(0, str(GOLDEN))
from np_symbol_cases import make_inputs  # noqa: E402
from np_symbol_random_cases import CASES  # noqa: E402
from test_np_symbol import case_block, graph_view  # noqa: E402

GOLD = json.loads((GOLDEN / 'np_symbol_random_graphs.json').read_text())
N = 20000


@pytest.fixture(autouse=True)
def np_mode():
    npx.set_np()
    mx.random.seed(7)
    yield
    npx.reset_np()


def run(name, fn, xs, tmp_path=None):
    blk = case_block(name, fn)
    blk.initialize()
    blk.hybridize()
    with autograd.record():
        out = blk(*xs)
    if tmp_path is not None:
        blk.export(str(tmp_path / name))
    return out


def test_every_case_has_mxnet_golden():
    assert sorted(GOLD) == sorted(CASES)


@pytest.mark.parametrize('name', sorted(CASES))
def test_random_block_exports_what_mxnet_exports(name, tmp_path):
    fn, specs = CASES[name]
    xs = [np.array(a, dtype=a.dtype) for a in make_inputs(specs, len(name))]
    out = run(name, fn, xs, tmp_path)
    assert isinstance(out, np.ndarray)
    assert list(out.shape) == GOLD[name]['shape'] and str(out.dtype) == GOLD[name]['dtype']
    assert onp.isfinite(out.asnumpy()).all()
    text = (tmp_path / f'{name}-symbol.json').read_text()
    assert graph_view(text) == graph_view(GOLD[name]['graph'])


@pytest.mark.parametrize('name', sorted(CASES))
def test_mxnet_random_export_runs_here(name, tmp_path):
    path = tmp_path / f'{name}-symbol.json'
    path.write_text(GOLD[name]['graph'])
    fn, specs = CASES[name]
    xs = [np.array(a, dtype=a.dtype) for a in make_inputs(specs, len(name))]
    names = ['data'] if len(xs) == 1 else [f'data{i}' for i in range(len(xs))]
    net = gluon.SymbolBlock.imports(str(path), names)
    with autograd.record():
        out = net(*xs)
    assert list(out.shape) == GOLD[name]['shape'] and str(out.dtype) == GOLD[name]['dtype']


# ---- statistics of N samples drawn by hybridized blocks -----------------------------------
def draw(fn, *inputs):
    """The output of a hybridized block computing fn(F, x, *inputs), x a 0-d zero (so a
    block of number-parameter samplers has an input)."""
    xs = [np.zeros(())] + [np.array(onp.asarray(a, dtype='float32')) for a in inputs]
    return run('stats', fn, xs).asnumpy().astype('float64')


def close(samples, mean, std, what):
    """The sample mean within 5 standard errors of `mean` (std the distribution's)."""
    m = samples.mean()
    assert abs(m - mean) < 5 * std / math.sqrt(samples.size), (what, m, mean)


SCALAR_SAMPLERS = [
    # (name, fn(F, zero), mean, std, lower bound, upper bound)
    ('uniform', lambda F, z: z + F.np.random.uniform(-1, 3, size=N), 1.0, 4 / math.sqrt(12),
     -1, 3),
    ('normal', lambda F, z: z + F.np.random.normal(2, 3, size=N), 2.0, 3.0, None, None),
    ('rand', lambda F, z: z + F.np.random.rand(N), 0.5, 1 / math.sqrt(12), 0, 1),
    ('exponential', lambda F, z: z + F.np.random.exponential(2.0, size=N), 2.0, 2.0, 0, None),
    ('gamma', lambda F, z: z + F.np.random.gamma(2.0, 1.5, size=N), 3.0, math.sqrt(2) * 1.5,
     0, None),
    ('beta', lambda F, z: z + F.np.random.beta(2, 3, size=N), 0.4, math.sqrt(0.04), 0, 1),
    # MXNet 1.9.1's chisquare is gamma(df / 2, 1 / 2): mean df / 4
    ('chisquare', lambda F, z: z + F.np.random.chisquare(3, size=N), 0.75,
     math.sqrt(1.5 * 0.25), 0, None),
    ('gumbel', lambda F, z: z + F.np.random.gumbel(1, 2, size=N), 1 + 2 * 0.5772156649,
     2 * math.pi / math.sqrt(6), None, None),
    ('logistic', lambda F, z: z + F.np.random.logistic(1, 2, size=N), 1.0,
     2 * math.pi / math.sqrt(3), None, None),
    ('lognormal', lambda F, z: z + F.np.random.lognormal(0, 0.5, size=N), math.exp(0.125),
     math.sqrt((math.exp(0.25) - 1) * math.exp(0.25)), 0, None),
    ('pareto', lambda F, z: z + F.np.random.pareto(5.0, size=N), 0.25, math.sqrt(5 / 48) / 1,
     0, None),
    ('power', lambda F, z: z + F.np.random.power(2.0, size=N), 2 / 3, math.sqrt(2 / 36), 0, 1),
    ('rayleigh', lambda F, z: z + F.np.random.rayleigh(2.0, size=N),
     2 * math.sqrt(math.pi / 2), 2 * math.sqrt((4 - math.pi) / 2), 0, None),
    ('weibull', lambda F, z: z + F.np.random.weibull(2.0, size=N), math.gamma(1.5),
     math.sqrt(math.gamma(2) - math.gamma(1.5) ** 2), 0, None),
    ('bernoulli', lambda F, z: z + F.npx.random.bernoulli(0.3, size=N), 0.3,
     math.sqrt(0.21), 0, 1),
    ('bernoulli_logit', lambda F, z: z + F.npx.random.bernoulli(logit=-1.0, size=N),
     1 / (1 + math.e), math.sqrt(math.e) / (1 + math.e), 0, 1),
    ('uniform_n', lambda F, z: z + F.npx.random.uniform_n(2, 4, batch_shape=N), 3.0,
     2 / math.sqrt(12), 2, 4),
    ('normal_n', lambda F, z: z + F.npx.random.normal_n(-1, 0.5, batch_shape=(N,)), -1.0, 0.5,
     None, None),
]


@pytest.mark.parametrize('name,fn,mean,std,lo,hi', SCALAR_SAMPLERS,
                         ids=[s[0] for s in SCALAR_SAMPLERS])
def test_number_parameter_samples(name, fn, mean, std, lo, hi):
    s = draw(fn)
    assert s.shape == (N,)
    close(s, mean, std, name)
    assert abs(s.std() - std) < 0.1 * std, (name, s.std(), std)
    if lo is not None:
        assert s.min() >= lo, name
    if hi is not None:
        assert s.max() <= hi, name


def test_array_parameter_samples_follow_each_element():
    loc = onp.array([-5.0, 0.0, 5.0])
    scale = onp.array([0.5, 1.0, 2.0])
    lo = onp.broadcast_to(loc, (N, 3))
    # normal(loc, scale) with both arrays, and size giving N draws of each
    s = draw(lambda F, z, m, d: z + F.np.random.normal(m, d, size=(N, 3)), loc, scale)
    for j in range(3):
        close(s[:, j], loc[j], scale[j], f'normal[{j}]')
    # uniform(low array, high number): within [low, 6)
    s = draw(lambda F, z, m: z + F.np.random.uniform(m, 6.0, size=(N, 3)), loc)
    assert (s >= lo).all() and (s < 6).all()
    for j in range(3):
        close(s[:, j], (loc[j] + 6) / 2, (6 - loc[j]) / math.sqrt(12), f'uniform[{j}]')
    # gamma(shape number, scale array), exponential(scale array), weibull(a array)
    s = draw(lambda F, z, d: z + F.np.random.gamma(2.0, d, size=(N, 3)), scale)
    for j in range(3):
        close(s[:, j], 2 * scale[j], math.sqrt(2) * scale[j], f'gamma[{j}]')
    s = draw(lambda F, z, d: z + F.np.random.exponential(d, size=(N, 3)), scale)
    for j in range(3):
        close(s[:, j], scale[j], scale[j], f'exponential[{j}]')
    # bernoulli with an array of probabilities; uniform_n's batch axes come first
    p = onp.array([0.1, 0.5, 0.9])
    s = draw(lambda F, z, q: z + F.npx.random.bernoulli(q, size=(N, 3)), p)
    assert set(onp.unique(s)) <= {0.0, 1.0}
    for j in range(3):
        close(s[:, j], p[j], math.sqrt(p[j] * (1 - p[j])), f'bernoulli[{j}]')
    s = draw(lambda F, z, m: z + F.npx.random.uniform_n(m, m + 1, batch_shape=(N,)), loc)
    assert s.shape == (N, 3) and (s >= lo).all() and (s < lo + 1).all()


def test_randint_and_choice():
    s = draw(lambda F, z: z + F.np.random.randint(2, 7, size=N).astype('float32'))
    assert set(onp.unique(s)) == {2.0, 3.0, 4.0, 5.0, 6.0}
    close(s, 4.0, math.sqrt(2.0), 'randint')
    # choice from an array, weighted: each element about p of the time
    v = onp.array([10.0, 20.0, 30.0])
    p = onp.array([0.2, 0.5, 0.3])
    s = draw(lambda F, z, a, q: z + F.np.random.choice(a, N, p=q), v, p)
    for x, q in zip(v, p):
        close((s == x).astype('float64'), q, math.sqrt(q * (1 - q)), f'choice {x}')
    # without replacement: distinct indices
    s = draw(lambda F, z: z + F.np.random.choice(20, 20, replace=False).astype('float32'))
    assert sorted(s) == list(range(20))


def test_dropout_in_training_keeps_about_1_minus_p_scaled():
    x = onp.ones(N, dtype='float32')
    s = draw(lambda F, z, a: z + F.npx.dropout(a, p=0.25), x)
    assert onp.isin(s, [0.0, onp.float32(1 / 0.75)]).all()
    close((s == 0).astype('float64'), 0.25, math.sqrt(0.25 * 0.75), 'dropout')


def test_random_flip_flips_or_not():
    img = onp.arange(2 * 3 * 3, dtype='float32').reshape(2, 3, 3)
    seen = set()
    for _ in range(20):
        s = draw(lambda F, z, a: z + F.npx.image.random_flip_left_right(a), img)
        assert (s == img).all() or (s == img[:, ::-1]).all()
        seen.add(bool((s == img).all()))
    assert seen == {True, False}


def test_seed_repeats_a_hybridized_draw():
    fn = lambda F, z: z + F.np.random.normal(0, 1, size=5)  # noqa: E731
    mx.random.seed(3)
    a = draw(fn)
    mx.random.seed(3)
    b = draw(fn)
    c = draw(fn)
    assert (a == b).all() and not (a == c).all()
