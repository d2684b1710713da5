"""The seed's examples run as written, through the `mxnet` alias (`regluon run`)."""
import os
import re
import subprocess
import sys

import numpy as np
import pytest

import regluon as mx
from regluon import nd
from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
import seed_cases  # noqa: E402

HERE = os.path.dirname(__file__)


def test_linear_regression_pipeline_runs_and_learns():
    proc = subprocess.run([sys.executable, '-m', 'regluon', 'run',
                           os.path.join(HERE, 'seed_scripts', 'linear_regression.py')],
                          capture_output=True, text=True, timeout=300,
                          env=dict(os.environ, OMP_NUM_THREADS='1'))
    assert proc.returncode == 0, proc.stderr[-3000:]
    losses = [float(v) for v in re.findall(r'epoch \d, loss: ([0-9.e-]+)', proc.stdout)]
    assert len(losses) == 3 and losses[-1] < 1e-3, proc.stdout
    assert 'Parameter dense0_weight (shape=(1, 2), dtype=float32)' in proc.stdout


def test_asnumpy_of_one_element_formats_as_a_number():
    """MXNet code formats `l.mean().asnumpy()` (shape (1,)) with %f, which numpy 2 refuses
    for plain arrays; asnumpy's array converts as numpy < 2 did."""
    a = nd.array([1.0, 2.0]).mean().asnumpy()
    assert a.shape == (1,) and isinstance(a, np.ndarray)
    assert '%f' % a == '1.500000' and float(a) == 1.5 and int(a) == 1
    assert repr(a) == 'array([1.5], dtype=float32)'
    big = nd.array([1.0, 2.0]).asnumpy()
    try:
        float(big)
    except TypeError:
        pass
    else:
        raise AssertionError('float() of a 2-element array must fail')
    np.testing.assert_array_equal(big * 2, [2.0, 4.0])
    assert mx.nd.array(big).shape == (2,)


G = golden('seed')


@pytest.mark.parametrize('i, case', list(enumerate(seed_cases.POOLING)))
def test_pooling_examples_match_mxnet(i, case):
    """Including padding wider than half the window, which torch's pooling refuses."""
    got = seed_cases.run(mx)[case]
    np.testing.assert_array_equal(got, G[str(i)], err_msg=case)
