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


def test_gpu_check_sections_dry_run(monkeypatch):
    """benchmarks/gpu_check.py's LeNet timing and captured-training sections on cpu(1)
    standing in for the GPU (few steps, static graphs uncompiled), so the script a GPU
    session runs in one call keeps working between sessions."""
    from benchmarks import gpu_check
    monkeypatch.setenv('REGLUON_COMPILE', '0')
    monkeypatch.setattr(gpu_check, 'DEV', mx.cpu(1))
    monkeypatch.setattr(gpu_check, 'RESULTS', {})
    monkeypatch.setattr(gpu_check, 'FAILED', [])
    monkeypatch.setattr(gpu_check, 'PHASES', {})
    real_time_steps, real_phase_ms = gpu_check.time_steps, gpu_check.phase_ms
    monkeypatch.setattr(gpu_check, 'time_steps',
                        lambda step, n=2, warmup=1: real_time_steps(step, 2, 1))
    monkeypatch.setattr(gpu_check, 'phase_ms', lambda *a, **k: real_phase_ms(*a, n=1))
    gpu_check.section('lenet timing', gpu_check.lenet_timing)
    batches = [(x[:16], y[:16]) for x, y in gpu_check.mnist_batches(2, 16)]
    gpu_check.section('graphed training equals eager',
                      lambda: gpu_check.compare_graphed(batches))
    gpu_check.section('kvstore, save/load, bf16', gpu_check.kvstore_save_bf16)
    assert not gpu_check.FAILED, gpu_check.RESULTS
    timing = gpu_check.RESULTS['lenet step timing (batch 256)']
    assert timing['regluon_eager_ms'] > 0 and timing['regluon_cudagraph_ms'] > 0
    assert 'hybridized CUDA-graph training equals eager (LeNet+BN)' in gpu_check.RESULTS
