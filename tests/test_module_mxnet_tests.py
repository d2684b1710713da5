"""Module's executor group as MXNet 1.9.1's (DataParallelExecutorGroup, group2ctxs,
Module._exec_group, bucketing grad_req, row_sparse parameters) and mx.mon.Monitor over a
Module's executors (node outputs, backward outputs, arguments): the scenarios of
tests/golden/module_group_cases.py run here on regluon and must agree with
tools/golden_module_group.py's run under MXNet."""
import sys

import numpy as np
import pytest

import regluon as mx
from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
import module_group_cases as cases  # noqa: E402

G = golden('module_group')


@pytest.mark.parametrize('case', sorted(cases.CASES))
def test_against_mxnet(case):
    got = cases.CASES[case](mx)
    want = {k.split(':', 1)[1]: v for k, v in G.items() if k.startswith(case + ':')}
    assert sorted(got) == sorted(want)
    for k, v in want.items():
        if v.dtype.kind in 'USb':
            assert np.array_equal(np.asarray(got[k]), v), (k, got[k], v)
        else:
            # (the monitor's statistics after two BatchNorm training steps: float32 noise)
            tol = 1e-4 if case == 'monitor' else 1e-5
            np.testing.assert_allclose(got[k], v, rtol=tol, atol=tol / 10, err_msg=k)


def test_shared_parameter_shape_mismatch():
    """A group sharing another's parameters refuses a parameter of another shape."""
    DPEG = mx.module.executor_group.DataParallelExecutorGroup
    fc = mx.sym.FullyConnected(mx.sym.var('data'), num_hidden=3, name='fc')
    g = DPEG(fc, [mx.cpu()], [1], [('data', (2, 4))], None, ['fc_weight', 'fc_bias'],
             True, False)
    with pytest.raises(mx.MXNetError, match=r"'fc_weight' has shape \(3, 6\) here but "
                                            r"\(3, 4\) in the shared module"):
        DPEG(fc, [mx.cpu()], [1], [('data', (2, 6))], None, ['fc_weight', 'fc_bias'],
             True, False, shared_group=g)
    with pytest.raises(ValueError, match='grad_req must be one of'):
        DPEG(fc, [mx.cpu()], [1], [('data', (2, 4))], None, ['fc_weight'], True, False,
             grad_req=3)
