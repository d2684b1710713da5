"""Regressions from running MXNet 1.9.1's own unit tests on regluon (test_gluon_contrib,
test_kvstore, test_executor, test_viz, test_higher_order_grad): each case of
tests/golden/mxnet_unittest_fixes_cases.py against MXNet's values (written by
tools/golden_cases.py mxnet_unittest_fixes)."""

import pytest

import regluon as mx
from conftest import case_tests

cases, G, test_case_matches_mxnet = case_tests('mxnet_unittest_fixes')


def test_kvstore_mixed_keys_message():
    kv = mx.kv.create()
    kv.init('a', mx.nd.zeros((2,)))
    with pytest.raises(mx.MXNetError, match=r"kvstore\.push: Mixed key types are not allowed "
                                            r"\(this store has str keys, got 3\)"):
        kv.push(3, mx.nd.ones((2,)))


def test_conv_cell_unknown_channels_need_a_forward():
    cell = mx.gluon.contrib.rnn.Conv1DRNNCell((0, 7), 4, 3, 3)
    cell.collect_params().initialize()
    assert cell.i2h_weight.shape == (4, 0, 3)
    cell(mx.nd.ones((2, 6, 7)), cell.begin_state(batch_size=2))
    assert cell.i2h_weight.shape == (4, 6, 3)
