"""Shared timing helpers: per-call microseconds, the MXNet child process, import times.

This module imports neither torch nor regluon at the top, so the MXNet 1.9.1 interpreter
can run the benchmark modules as children (`python -m benchmarks.X --child mxnet`).
"""
import json
import os
import pathlib
import resource
import subprocess
import sys
import tempfile
import time

MXNET_PY = pathlib.Path.home() / '.cache' / 'mxnet-ref' / 'bin' / 'python'
ROOT = pathlib.Path(__file__).resolve().parent.parent
ENV = dict(os.environ, OMP_NUM_THREADS='2', OMP_WAIT_POLICY='PASSIVE',
           MXNET_ENGINE_TYPE=os.environ.get('MXNET_ENGINE_TYPE', 'ThreadedEnginePerDevice'))


def per_call_us(fn, sync=None, budget=0.2, repeats=5):
    """Best-of-`repeats` mean CPU time of one `fn()` call in microseconds."""
    fn()
    n, t = 1, 0.0
    while t < budget / repeats and n < 1 << 22:   # pick a loop count worth ~budget/repeats
        n *= 4
        t = _loop(fn, n, sync)
    return min(_loop(fn, n, sync) for _ in range(repeats)) / n * 1e6


def _loop(fn, n, sync):
    # CPU time of the whole process (all its threads, so MXNet's engine threads count):
    # other processes on a shared machine don't inflate it the way they do wall time.
    t0 = time.process_time()
    for _ in range(n):
        fn()
    if sync is not None:
        sync()
    return time.process_time() - t0


def run_child(module, lib):
    """Run `python -m benchmarks.<module> --child <lib>` (MXNet with its own interpreter)."""
    py = str(MXNET_PY) if lib == 'mxnet' else sys.executable
    if lib == 'mxnet' and not MXNET_PY.exists():
        return None
    res = subprocess.run([py, '-m', f'benchmarks.{module}', '--child', lib], cwd=ROOT,
                         env=ENV, capture_output=True, text=True, check=False)
    if res.returncode != 0:
        print(f'  ({lib} child failed: {res.stderr.strip().splitlines()[-1:]})')
        return None
    return json.loads(res.stdout.strip().splitlines()[-1])


def best_of(run, libs, rounds=3):
    """Run each library's child `rounds` times, interleaved, keeping each case's best time.

    The machine may be shared: interleaving spreads background load over all libraries,
    and the minimum is the least disturbed measurement.
    """
    best = {lib: None for lib in libs}
    for _ in range(rounds):
        for lib in libs:
            res = run(lib)
            if res is None:
                continue
            prev = best[lib] or {}
            best[lib] = {k: min(v, prev.get(k, v)) for k, v in res.items()}
    return best


def child_main(cases_for):
    """Entry point of a child: time every case for the library named after --child."""
    lib = sys.argv[sys.argv.index('--child') + 1]
    cases, sync = cases_for(lib)
    print(json.dumps({name: per_call_us(fn, sync) for name, fn in cases.items()}))


def import_time(module, py=None, runs=7):
    """Best CPU time (ms) of `python -c 'import <module>'` in a fresh interpreter.

    Bytecode caching is on (in a private cache folder, after one warm-up run), as for an
    installed package: a checkout run with PYTHONDONTWRITEBYTECODE would time compiling.
    """
    env = dict(ENV, PYTHONPYCACHEPREFIX=os.path.join(tempfile.gettempdir(), 'regluon-bench-pyc'))
    env.pop('PYTHONDONTWRITEBYTECODE', None)
    best = float('inf')
    for _ in range(runs + 1):
        t0 = _children_cpu()
        subprocess.run([py or sys.executable, '-c', f'import {module}'], cwd=ROOT, env=env,
                       check=True, capture_output=True)
        best = min(best, _children_cpu() - t0)
    return best * 1e3


def _children_cpu():
    """User + system CPU seconds of all finished child processes (robust to other load)."""
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def table(results, libs, base='torch'):
    """Print one row per case: microseconds per library and the ratios to `base`."""
    head = f"{'case':<24}" + ''.join(f'{lib + " us":>12}' for lib in libs)
    head += ''.join(f'{lib + "/" + base:>16}' for lib in libs if lib != base)
    print(head)
    for name in results[base]:
        row = f'{name:<24}'
        for lib in libs:
            v = results.get(lib, {}) or {}
            row += f'{v[name]:>12.2f}' if name in v else f"{'-':>12}"
        for lib in libs:
            v = results.get(lib, {}) or {}
            if lib != base:
                row += (f'{v[name] / results[base][name]:>15.2f}x' if name in v
                        else f"{'-':>16}")
        print(row)


def header(title):
    import platform
    print(f'# {title}  ({time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime())}, '
          f'{platform.processor() or platform.machine()}, {os.cpu_count()} cpus, '
          f'OMP_NUM_THREADS={ENV["OMP_NUM_THREADS"]})')
