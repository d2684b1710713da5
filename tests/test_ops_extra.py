"""Operators regluon added to match MXNet 1.9.1's `nd`/`sym` (ops/mp_optimizer_ops.py,
ops/extra.py) against MXNet goldens (tools/golden_ops_extra.py, cases in
tests/golden/ops_extra_cases.py): multi-precision and fused updates (float16 weights with
float32 master copies, in place through out= and into other arrays), AMP helpers, values,
gradients and dtypes of the general operators, and errors."""
import sys

import numpy as np
import pytest

import regluon as mx
from regluon import autograd, nd
from regluon.base import MXNetError

from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
import ops_extra_cases as cases  # noqa: E402

G = golden('ops_extra')
CASES = cases.cases()
TOL = {'opt/': (2e-5, 1e-6), 'optimizer/': (2e-5, 1e-6)}


def assert_matches(prefix, res):
    keys = {k[len(prefix) + 1:] for k in G if k.startswith(prefix + '/')}
    assert keys == set(res), (prefix, keys ^ set(res))
    rtol, atol = next((v for k, v in TOL.items() if prefix.startswith(k)), (1e-5, 1e-6))
    for k, v in res.items():
        want, v = G[f'{prefix}/{k}'], np.asarray(v)
        assert v.shape == want.shape and (v.dtype == want.dtype or v.dtype.kind == 'U' ==
                                          want.dtype.kind), (k, v.shape, want.shape, v.dtype,
                                                             want.dtype)
        if v.dtype.kind == 'U':
            assert v.tolist() == want.tolist(), (k, v, want)
        elif v.dtype == np.float16:        # one float16 ulp from float32 rounding order
            np.testing.assert_allclose(v, want, rtol=1e-3, atol=1e-3, err_msg=k)
        else:
            np.testing.assert_allclose(v, want, rtol=rtol, atol=atol, equal_nan=True,
                                       err_msg=k)


@pytest.mark.parametrize('name', sorted(CASES))
def test_case_equals_mxnet(name):
    assert_matches(name, CASES[name](nd, autograd))


@pytest.mark.parametrize('name, fn', cases.ERRORS, ids=[e[0] for e in cases.ERRORS])
def test_error_is_mxnet_error(name, fn):
    assert str(G[f'error/{name}']) == 'MXNetError'
    with pytest.raises(MXNetError):
        fn(mx)


SYMBOLIC = cases.symbolic_cases()


@pytest.mark.parametrize('name', sorted(SYMBOLIC))
def test_symbolic_case_equals_mxnet(name):
    assert_matches(name, SYMBOLIC[name](mx))


OPTIMIZERS = cases.optimizer_cases()


@pytest.mark.parametrize('name', sorted(OPTIMIZERS))
def test_multi_precision_optimizer_equals_mxnet(name):
    """SGD/NAG with multi_precision=True keep MXNet's (momentum, master copy) states and
    take MXNet's steps (the mp_ operators), one weight at a time or as a group."""
    assert_matches(name, OPTIMIZERS[name](mx))
