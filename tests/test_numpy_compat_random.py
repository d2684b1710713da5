"""Regressions from running MXNet 1.9.1's test_numpy_op.py (random and linalg) on regluon:
each case of tests/golden/numpy_compat_random_cases.py against MXNet's values
(tools/golden_cases.py numpy_compat_random), and seeded statistics of the draws."""

import numpy as onp
import pytest

import regluon as mx
from conftest import case_tests

cases, G, test_case_matches_mxnet = case_tests('numpy_compat_random')


@pytest.fixture
def np_mode():
    mx.npx.set_np()
    mx.random.seed(11)
    yield mx.np
    mx.npx.reset_np()


def test_array_parameters_broadcast_per_element(np_mode):
    np = np_mode
    n = 20000
    x = np.random.normal(np.array([0., 10.]), np.array([1., 2.]), size=(n, 2)).asnumpy()
    onp.testing.assert_allclose(x.mean(0), [0, 10], atol=0.06)
    onp.testing.assert_allclose(x.std(0), [1, 2], rtol=0.03)
    b = mx.npx.random.bernoulli(np.array([0.1, 0.9]), size=(n, 2)).asnumpy()
    onp.testing.assert_allclose(b.mean(0), [0.1, 0.9], atol=0.015)
    g = np.random.gamma(np.array([[1.], [4.]]), 2.0, size=(2, n)).asnumpy()
    onp.testing.assert_allclose(g.mean(1), [2, 8], rtol=0.04)
    w = np.random.weibull(np.array([1., 2.]), size=(n, 2)).asnumpy()
    onp.testing.assert_allclose(w.mean(0), [1.0, 0.8862269], rtol=0.03)


def test_zero_size_draws_are_empty(np_mode):
    np = np_mode
    for f in [lambda: np.random.uniform(size=(3, 0, 6)), lambda: np.random.normal(size=(0,)),
              lambda: np.random.choice(4, size=(2, 0)), lambda: np.random.beta(1, 1, size=0)]:
        r = f()
        assert r.size == 0 and r.asnumpy().size == 0


def test_choice_without_replacement_larger_than_population(np_mode):
    # MXNet 1.9.1 raises MXNetError here (from a failed allocation that also corrupts its
    # memory, so this case has no golden)
    with pytest.raises(mx.base.MXNetError, match='larger sample'):
        np_mode.random.choice(3, 5, replace=False)
    assert sorted(np_mode.random.choice(5, 5, replace=False).asnumpy()) == [0, 1, 2, 3, 4]
