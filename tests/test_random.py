"""nd.random / mx.random against MXNet 1.9.1 (tools/golden_random.py, tests/golden/random_cases.py):
shapes, dtypes and errors per case; sample moments; exact repeats under mx.random.seed."""
import os
import sys

import numpy as np
import pytest
import torch

import regluon as mx
from regluon.base import MXNetError
from conftest import golden

sys.path.insert(0, os.path.join(os.path.dirname(__file__), 'golden'))
import random_cases as cases  # noqa: E402

G = golden('random')
nd = mx.nd


def resolve(v):
    if isinstance(v, str) and v.startswith('@'):
        vals, dtype = cases.ARRAYS[v[1:]]
        return nd.array(vals, dtype=dtype)
    return v


def call(fn, args, kwargs):
    r = getattr(nd.random, fn)(*[resolve(a) for a in args],
                               **{k: resolve(v) for k, v in kwargs.items()})
    return r if isinstance(r, list) else [r]


def message_core(msg):
    """The part of MXNet's message that names the problem (no C++ check expression)."""
    if 'Check failed' in msg:
        return msg.split(' : ', 1)[1]
    if msg.startswith('MXNetError: Invalid'):
        return msg[len('MXNetError: '):msg.index(', in operator ')]
    return None


@pytest.mark.parametrize('i, case', list(enumerate(cases.SHAPES)),
                         ids=[f'{c[0]}{i}' for i, c in enumerate(cases.SHAPES)])
def test_shapes_dtypes_errors_as_mxnet(i, case):
    fn, args, kwargs = case
    if f'shape{i}/error' in G:
        etype, msg = G[f'shape{i}/error']
        with pytest.raises(Exception) as info:
            call(fn, args, kwargs)
        assert type(info.value).__name__ == etype, info.value
        core = message_core(str(msg))
        if etype in ('AssertionError', 'ValueError', 'ZeroDivisionError'):
            assert str(info.value) == msg.replace('mxnet.ndarray', 'regluon.ndarray')
        elif core is not None:
            assert core in str(info.value)
        return
    rs = call(fn, args, kwargs)
    assert len(rs) == int(G[f'shape{i}/n'])
    for j, a in enumerate(rs):
        assert a.shape == tuple(G[f'shape{i}/{j}/shape'])
        assert np.dtype(a.dtype).name == str(G[f'shape{i}/{j}/dtype'])
        assert a.context == mx.cpu(0)


@pytest.mark.parametrize('i, case', list(enumerate(cases.STATS)),
                         ids=[f'{c[0]}{i}' for i, c in enumerate(cases.STATS)])
def test_sample_moments(i, case):
    fn, args, kwargs, mean, var = case
    mx.random.seed(1234 + i)
    a = call(fn, args, kwargs)[0].asnumpy().astype(np.float64)
    m, v = a.mean(-1), a.var(-1)
    # analytic moments, within ~5 standard errors; and MXNet's own sample moments
    se = np.sqrt(np.asarray(var) / a.shape[-1])
    np.testing.assert_allclose(m, mean, atol=5 * se.max() + 1e-3)
    np.testing.assert_allclose(v, var, rtol=0.06)
    np.testing.assert_allclose(m, G[f'stats{i}/mean'], atol=8 * se.max() + 1e-3)
    np.testing.assert_allclose(v, G[f'stats{i}/var'], rtol=0.08)


def test_samples_stay_in_support():
    mx.random.seed(7)
    u = nd.random.uniform(-2, 5, shape=10000).asnumpy()
    assert u.min() >= -2 and u.max() < 5
    r = nd.random.randint(-3, 4, shape=10000).asnumpy()
    assert set(np.unique(r)) == set(range(-3, 4))
    pe = nd.random.uniform(nd.array([0, 10]), nd.array([1, 11]), shape=1000).asnumpy()
    assert (pe[0] < 1).all() and (pe[1] >= 10).all()
    for f, args in [('poisson', (3,)), ('negative_binomial', (2, 0.5)),
                    ('generalized_negative_binomial', (2, 0.5))]:
        s = getattr(nd.random, f)(*args, shape=1000).asnumpy()
        assert (s >= 0).all() and (s == np.round(s)).all()
    assert nd.random.multinomial(nd.array([0, 0, 1.0]), shape=100).asnumpy().tolist() == [2] * 100


def test_shuffle_is_a_permutation_of_rows():
    mx.random.seed(3)
    x = nd.array(np.arange(40).reshape(20, 2))
    y = nd.random.shuffle(x)
    assert sorted(y.asnumpy()[:, 0].tolist()) == list(range(0, 40, 2))
    assert (y.asnumpy()[:, 1] - y.asnumpy()[:, 0] == 1).all()        # rows kept whole
    assert not np.array_equal(y.asnumpy(), x.asnumpy())
    assert x.asnumpy()[0, 0] == 0                                       # input untouched
    with pytest.raises(MXNetError, match='shuffle: expected an array with at least one axis'):
        nd.random.shuffle(nd.array(np.array(3.0)))


SEEDED = [  # every sampler repeats exactly after the same seed
    lambda: nd.random.uniform(shape=(3, 4)),
    lambda: nd.random.normal(1, 2, shape=7, dtype='float64'),
    lambda: nd.random.randn(5),
    lambda: nd.random.randint(0, 100, shape=9),
    lambda: nd.random.exponential(2, shape=6),
    lambda: nd.random.gamma(nd.array([1, 2]), nd.array([1, 3]), shape=4),
    lambda: nd.random.poisson(3, shape=8),
    lambda: nd.random.negative_binomial(3, 0.4, shape=8),
    lambda: nd.random.generalized_negative_binomial(2, 0.5, shape=8),
    lambda: nd.random.multinomial(nd.array([[0.3, 0.7], [0.9, 0.1]]), shape=5),
    lambda: nd.random.shuffle(nd.arange(10)),
    lambda: nd.random.normal_like(nd.ones((2, 3))),
    lambda: nd.random_uniform(0, 1, shape=(2,)),
    lambda: mx.random.normal(0, 1, shape=(2,)),          # mx.random re-exports nd.random
]


@pytest.mark.parametrize('draw', SEEDED)
def test_seed_repeats_exactly(draw):
    mx.random.seed(42)
    a, b = draw().asnumpy(), draw().asnumpy()
    mx.random.seed(42)
    c, d = draw().asnumpy(), draw().asnumpy()
    np.testing.assert_array_equal(a, c)
    np.testing.assert_array_equal(b, d)
    mx.random.seed(43)
    assert not np.array_equal(draw().asnumpy(), a)


def test_seed_per_context_and_errors():
    mx.random.seed(5, ctx=mx.cpu())
    a = nd.random.uniform(shape=4).asnumpy()
    mx.random.seed(5, ctx=mx.cpu(1))         # CPU contexts share one generator
    np.testing.assert_array_equal(nd.random.uniform(shape=4).asnumpy(), a)
    mx.random.seed(np.int64(5))
    np.testing.assert_array_equal(nd.random.uniform(shape=4).asnumpy(), a)
    with pytest.raises(ValueError, match='seed_state must be int'):
        mx.random.seed(1.5)
    if torch.cuda.device_count() < 8:
        with pytest.raises(MXNetError, match='GPU 7 is not available'):
            mx.random.seed(1, ctx=mx.gpu(7))


def test_context_and_out():
    u = nd.random.uniform(ctx=mx.cpu(2), shape=3)
    assert u.context == mx.cpu(2)
    lo = nd.array([0, 1]).as_in_context(mx.cpu(3))
    assert nd.random.normal(lo, lo + 1, shape=2).context == mx.cpu(3)
    with mx.cpu(4):
        assert nd.random.randint(0, 3).context == mx.cpu(4)
    out = nd.zeros((2, 5))
    r = nd.random.uniform(3, 4, out=out)
    assert r is out and out.asnumpy().min() >= 3
    out = nd.zeros((3,), dtype='int64')
    nd.random.randint(5, 9, shape=3, dtype='int64', out=out)
    assert out.asnumpy().min() >= 5


def test_our_stricter_checks():
    # MXNet crashes on randint(5, 5) and returns garbage for p outside (0, 1]
    with pytest.raises(MXNetError, match='low must be less than high'):
        nd.random.randint(5, 5)
    with pytest.raises(MXNetError, match=r'p parameter .* has to be in \(0, 1\]'):
        nd.random.negative_binomial(3, 0)


def test_sample_gradients():
    # MXNet: samples carry no gradient; multinomial's log-probabilities do (d/dp log p = 1/p)
    p = nd.array([[0.2, 0.8]])
    p.attach_grad()
    mx.random.seed(0)
    with mx.autograd.record():
        idx, logp = nd.random.multinomial(p, shape=50, get_prob=True)
    logp.backward()
    counts = np.bincount(idx.asnumpy().ravel(), minlength=2)
    np.testing.assert_allclose(p.grad.asnumpy()[0], counts / np.array([0.2, 0.8]), rtol=1e-5)
    np.testing.assert_allclose(logp.asnumpy(), np.log(np.array([0.2, 0.8])[idx.asnumpy()]),
                               rtol=1e-6)
    loc = nd.array([1.0, 2.0])
    loc.attach_grad()
    with mx.autograd.record():
        s = nd.random.normal(loc, nd.ones(2), shape=3)
    assert s._t.grad_fn is None and not s._t.requires_grad


def test_np_shape_scope_allows_0d_and_empty_draws():
    # MXNet 1.9.1: inside mx.np_shape(True), shape=() is a 0-d draw and a 0 an empty axis;
    # outside it both are shape-inference errors
    with mx.np_shape(True):
        assert mx.nd.random.uniform(shape=()).shape == ()
        assert mx.nd.random.normal(shape=(3, 0, 2)).shape == (3, 0, 2)
    with pytest.raises(mx.base.MXNetError, match='shape must have at least one axis'):
        mx.nd.random.uniform(shape=())


# ---- _sample_unique_zipfian (MXNet's src/operator/random/unique_sample_op.h) ---------------
def test_sample_unique_zipfian_rows_are_distinct_log_uniform_draws():
    """Each row holds n distinct classes in [0, range_max); num_trials counts the draws
    (MXNet's own test: 14500..17000 for (4, 8192) of 793472 classes); a single draw is
    round(exp(u * log(range_max))) - 1, so P(k) = log((k + 1.5) / (k + 0.5)) / log(range_max)
    for k >= 1 and log(1.5) / log(range_max) for k = 0."""
    mx.random.seed(3)
    classes, trials = mx.nd._internal._sample_unique_zipfian(793472, shape=(4, 8192))
    assert classes.dtype == np.int64 and trials.dtype == np.int64
    c = classes.asnumpy()
    assert all(np.unique(row).size == 8192 for row in c)
    assert c.min() >= 0 and c.max() < 793472
    assert all(14500 < t < 17000 for t in trials.asnumpy())
    first, _ = mx.nd._internal._sample_unique_zipfian(10, shape=(40000, 1))
    freq = np.bincount(first.asnumpy()[:, 0], minlength=10) / 40000
    k = np.arange(10)
    p = np.where(k == 0, np.log(1.5), np.log((k + 1.5) / (k + 0.5))) / np.log(10)
    p[-1] = 1 - p[:-1].sum()            # round(exp(u log 10)) - 1 = 9 only at u -> 1
    np.testing.assert_allclose(freq, p, atol=0.01)
    with pytest.raises(MXNetError, match='cannot exceed the number of possible classes'):
        mx.nd._internal._sample_unique_zipfian(3, shape=(1, 5))
