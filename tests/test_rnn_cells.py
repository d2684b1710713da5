"""The symbolic cells of mx.rnn (LSTMCell, FusedRNNCell, SequentialRNNCell, ...) against
MXNet 1.9.1 (tools/golden_rnn_cells.py runs the scenarios of tests/golden/rnn_cells_cases.py
there; here they run on regluon and must agree): argument and output names, shapes,
outputs and executor gradients, weight packing, begin states, and a BucketingModule
language model trained for one epoch."""
import sys
import warnings

import numpy as np
import pytest

import regluon as mx
from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
import rnn_cells_cases as cases  # noqa: E402

G = golden('rnn_cells')


def compare(case, got):
    """Every golden array of `case` against regluon's."""
    want = {k.split(':', 1)[1]: v for k, v in G.items() if k.startswith(case + ':')}
    assert sorted(got) == sorted(want)
    for k, v in want.items():
        if v.dtype.kind in 'US':
            assert np.array_equal(got[k], v), (k, got[k], v)
        else:
            np.testing.assert_allclose(got[k], v, rtol=1e-5, atol=1e-5, err_msg=k)


@pytest.mark.parametrize('case', sorted(cases.CASES))
def test_case_matches_mxnet(case):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        compare(case, cases.CASES[case](mx))
