"""Sparse arrays as autograd variables, against MXNet 1.9.1 (goldens written by
`tools/golden_cases.py sparse_autograd` from tests/golden/sparse_autograd_cases.py):
attach_grad/mark_variables on csr and row_sparse arrays, gradient buffers of each storage
type, detach keeping the storage type, dot with a row_sparse weight variable."""
import warnings

import numpy as np
import pytest

import regluon as mx
from conftest import case_tests

cases, G, test_case_matches_mxnet = case_tests('sparse_autograd')


def test_add_req_on_a_row_sparse_variable_sums():
    """grad_req='add' with a row_sparse gradient sums over backward passes (MXNet 1.9.1
    fails a check there: 'temp.IsDefaultData()')."""
    x = mx.nd.array(cases.X).tostype('row_sparse')
    x.attach_grad(grad_req='add')
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        for _ in range(2):
            with mx.autograd.record():
                y = (x * x).sum()
            y.backward()
    assert x.grad.stype == 'row_sparse'
    np.testing.assert_allclose(x.grad.asnumpy(), 4 * cases.X)


def test_unrecorded_ops_keep_the_sparse_kernels():
    """Outside record() a sparse variable is a sparse array as before: x / 2 stays sparse."""
    x = mx.nd.array(cases.X).tostype('csr')
    x.attach_grad()
    assert (x / 2).stype == 'csr'
    with mx.autograd.record():
        assert (x / 2).stype == 'default'        # recorded: the dense operator


def test_bad_gradient_storage_type():
    x = mx.nd.array(cases.X).tostype('csr')
    with pytest.raises(mx.base.MXNetError, match="unknown storage type 'coo'"):
        x.attach_grad(stype='coo')
