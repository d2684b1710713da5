"""The device check scripts run between GPU sessions: benchmarks/gpu_ops_check.py's cases
on cpu(1) standing in for the device (same values expected, so every case must pass)."""
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.dirname(os.path.abspath(__file__))))

import regluon as mx  # noqa: E402
from benchmarks import gpu_ops_check  # noqa: E402


def test_gpu_ops_check_dry_run():
    results = {}
    gpu_ops_check.run(mx.cpu(1), lambda name, ok, **fig: results.__setitem__(name, (ok, fig)))
    assert len(results) == len(gpu_ops_check.CASES)
    failed = {k: v for k, v in results.items() if not v[0]}
    assert not failed, failed
