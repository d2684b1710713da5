"""Where a captured (CUDA-graph) LeNet training step spends its host time, on a GPU.

    PYTHONPATH=. python -m benchmarks.gpu_profile [--out DIR]

A LeNet step at batch 256 is launch-bound: the GPU runs its graphs in ~0.3 ms, so the
step's time is the host's. This prints (1) a host-speed calibration (a pure-Python loop and
a tiny torch op, to translate the CPU-only figures of benchmarks/graph_host.py to this
machine), (2) pipelined step times (full step, forward+backward, forward only), (3) torch
profiler's CPU-side table for 20 steps (launches, copies, syncs) and (4) cProfile's top
Python functions. It checks nothing; benchmarks/gpu_check.py does.
"""
import argparse
import cProfile
import io
import json
import os
import pstats
import time

import torch

import regluon as mx
from benchmarks import graph_host
from benchmarks.gpu_check import _hybrid_lenet, sync, time_steps


def calibrate():
    def f(a):
        return a + 1
    t = time.perf_counter()
    a = 0
    for _ in range(1_000_000):
        a = f(a)
    py_ns = (time.perf_counter() - t) * 1e3
    x = torch.ones(4)
    t = time.perf_counter()
    for _ in range(20000):
        x.add_(1)
    cpu_op_us = (time.perf_counter() - t) / 20000 * 1e6
    out = dict(python_call_ns=round(py_ns, 1), torch_cpu_add_us=round(cpu_op_us, 2))
    if torch.cuda.is_available():
        y = torch.ones(4, device='cuda')
        torch.cuda.synchronize()
        t = time.perf_counter()
        for _ in range(20000):
            y.add_(1)
        out['torch_cuda_add_launch_us'] = round((time.perf_counter() - t) / 20000 * 1e6, 2)
        torch.cuda.synchronize()
        src = torch.rand(256, 1, 28, 28, device='cuda')
        dst = torch.empty_like(src)
        t = time.perf_counter()
        for _ in range(5000):
            dst.copy_(src)
        out['torch_cuda_copy_us'] = round((time.perf_counter() - t) / 5000 * 1e6, 2)
        torch.cuda.synchronize()
        g = torch.cuda.CUDAGraph()
        s = torch.cuda.Stream()
        s.wait_stream(torch.cuda.current_stream())
        with torch.cuda.stream(s):
            y.add_(1)
        torch.cuda.current_stream().wait_stream(s)
        with torch.cuda.graph(g):
            y.add_(1)
        torch.cuda.synchronize()
        t = time.perf_counter()
        for _ in range(5000):
            g.replay()
        out['torch_cuda_graph_replay_us'] = round((time.perf_counter() - t) / 5000 * 1e6, 2)
        torch.cuda.synchronize()
    return out


def setup(ctx, batch=256, graphed=True):
    """(forward, forward+backward, whole step) of the LeNet step graph_host measures."""
    forward, backward, update = graph_host.lenet_step(batch, graphed, ctx=ctx,
                                                      make=_hybrid_lenet)

    def fwd_bwd():
        backward(forward())

    def step():
        fwd_bwd()
        update()
    return forward, fwd_bwd, step


def torch_phases(ctx, batch=256):
    """Raw torch's LeNet, timed as setup()'s phases are."""
    from benchmarks.gpu_check import torch_lenet  # pylint: disable=import-outside-toplevel
    net, opt, x, y = torch_lenet(torch.device('cuda' if ctx.device_type == 'gpu' else 'cpu'),
                                 batch)

    def fwd():
        with torch.enable_grad():
            return torch.nn.functional.cross_entropy(net(x), y)

    def fwd_bwd():
        opt.zero_grad(set_to_none=True)
        with torch.enable_grad():
            fwd().backward()

    def step():
        fwd_bwd()
        opt.step()
    return dict(step=timed(step), forward_backward=timed(fwd_bwd), forward=timed(fwd))


def timed(fn, n=200):
    """Milliseconds per call, back to back (gpu_check.time_steps)."""
    return round(time_steps(fn, n) * 1e3, 4)


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--out', default=os.environ.get('OUT'))
    p.add_argument('--eager', action='store_true', help='profile the eager step instead')
    args = p.parse_args()
    ctx = mx.gpu() if torch.cuda.is_available() else mx.cpu()
    res = dict(calibration=calibrate(), mode='eager' if args.eager else 'graphed')
    fwd, fwd_bwd, step = setup(ctx, graphed=not args.eager)
    res['ms'] = dict(step=timed(step), forward_backward=timed(fwd_bwd), forward=timed(fwd))
    if args.eager:
        res['torch_ms'] = torch_phases(ctx)
    print(json.dumps(res), flush=True)
    acts = [torch.profiler.ProfilerActivity.CPU]
    with torch.profiler.profile(activities=acts) as prof:
        for _ in range(20):
            step()
        sync()
    table = prof.key_averages().table(sort_by='self_cpu_time_total', row_limit=45)
    print(table)
    pr = cProfile.Profile()
    pr.enable()
    for _ in range(200):
        step()
    sync()
    pr.disable()
    s = io.StringIO()
    pstats.Stats(pr, stream=s).sort_stats('tottime').print_stats(45)
    print(s.getvalue())
    if args.out:
        name = 'gpu_profile_eager.txt' if args.eager else 'gpu_profile.txt'
        with open(os.path.join(args.out, name), 'w') as f:
            f.write(json.dumps(res) + '\n' + table + '\n' + s.getvalue())


if __name__ == '__main__':
    main()
