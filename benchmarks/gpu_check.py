"""GPU check (run on a CUDA machine): correctness of training on `mx.gpu()` against the
CPU, the kvstore 'device' path on CUDA, and throughput against raw torch.

    PYTHONPATH=. python -m benchmarks.gpu_check [--out DIR]
    PYTHONPATH=. python -m benchmarks.gpu_check --dry-run   # cpu(1) as the device

Prints one line per check and a JSON summary (also written to DIR/gpu_check.json after
each section, so a run cut short still reports); exits non-zero if a check fails. Each
section runs on its own: one that raises is a failed check, and the rest still run. The
step timings come first, since they are what a short device lease is for. Keep it under
three minutes.
"""
import argparse
import json
import os
import sys
import tempfile
import time

import numpy as np
import torch

import regluon as mx
from regluon import autograd, gluon, init, models, nd

RESULTS = {}
FAILED = []
DEV = None          # mx.gpu(), or cpu(1) standing in for it (--dry-run)
OUT = None


def sync():
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def check(name, ok, **figures):
    RESULTS[name] = dict(ok=bool(ok), **figures)
    print(f"{'ok  ' if ok else 'FAIL'} {name} {json.dumps(figures)}", flush=True)
    if not ok:
        FAILED.append(name)


def mnist_batches(n, batch):
    ds = gluon.data.vision.datasets.MNISTSubset(train=True)
    x = np.stack([ds[i][0].asnumpy() for i in range(n * batch)]).astype('float32') / 255
    y = np.array([ds[i][1] for i in range(n * batch)], dtype='float32')
    x = x.transpose(0, 3, 1, 2)
    return [(x[i * batch:(i + 1) * batch], y[i * batch:(i + 1) * batch]) for i in range(n)]


def train(make, ctx, batches, params_file, lr):
    net = make()
    net.initialize(init.Xavier(), ctx=ctx)
    net(nd.array(batches[0][0], ctx=ctx))            # finish deferred init
    net.load_parameters(params_file, ctx=ctx)
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': lr})
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    losses = []
    for x, y in batches:
        x, y = nd.array(x, ctx=ctx), nd.array(y, ctx=ctx)
        with autograd.record():
            l = loss(net(x), y)
        l.backward()
        trainer.step(x.shape[0])
        losses.append(float(l.mean().asscalar()))
    return net, losses


def compare_training(name, make, batches, rtol, lr):
    # Compare in full fp32 (as MXNet computes): torch's default TF32 cuDNN convolutions
    # differ from the CPU by ~5e-4 per forward, which a few SGD steps amplify.
    tf32 = torch.backends.cudnn.allow_tf32
    torch.backends.cudnn.allow_tf32 = False
    try:
        _compare_training(name, make, batches, rtol, lr)
    finally:
        torch.backends.cudnn.allow_tf32 = tf32


def _compare_training(name, make, batches, rtol, lr):
    mx.random.seed(0)
    ref = make()
    ref.initialize(init.Xavier())
    ref(nd.array(batches[0][0]))
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, 'init.params')
        ref.save_parameters(f)
        cpu_net, cpu_losses = train(make, mx.cpu(), batches, f, lr)
        gpu_net, gpu_losses = train(make, DEV, batches, f, lr)
    diff = max(abs(a - b) / max(abs(a), 1e-6) for a, b in zip(cpu_losses, gpu_losses))
    wdiff = max(float(np.abs(p.data().asnumpy() - q.data().asnumpy()).max())
                for p, q in zip(cpu_net.collect_params().values(),
                                gpu_net.collect_params().values()))
    check(f'{name}: gpu training matches cpu', diff < rtol,
          cpu_losses=[round(v, 5) for v in cpu_losses],
          gpu_losses=[round(v, 5) for v in gpu_losses], max_rel_loss_diff=diff,
          max_abs_weight_diff=wdiff)


def compare_graphed(batches):
    """Hybridized with static_alloc/static_shape (CUDA graphs) trains as eager does."""
    mx.random.seed(0)
    ref = _hybrid_lenet_bn()
    ref.initialize(init.Xavier(), ctx=DEV)
    ref(nd.array(batches[0][0], ctx=DEV))
    with tempfile.TemporaryDirectory() as d:
        f = os.path.join(d, 'init.params')
        ref.save_parameters(f)
        runs = []
        for graphed in (False, True):
            net = _hybrid_lenet_bn()
            net.initialize(ctx=DEV)
            net(nd.array(batches[0][0], ctx=DEV))
            net.load_parameters(f, ctx=DEV)
            if graphed:
                net.hybridize(static_alloc=True, static_shape=True)
            trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})
            loss = gluon.loss.SoftmaxCrossEntropyLoss()
            losses = []
            for x, y in batches:
                x, y = nd.array(x, ctx=DEV), nd.array(y, ctx=DEV)
                with autograd.record():
                    l = loss(net(x), y)
                l.backward()
                trainer.step(x.shape[0])
                losses.append(float(l.mean().asscalar()))
            runs.append((losses, net))
    (l_e, n_e), (l_g, n_g) = runs
    wdiff = max(float(np.abs(p.data().asnumpy() - q.data().asnumpy()).max())
                for p, q in zip(n_e.collect_params().values(), n_g.collect_params().values()))
    check('hybridized CUDA-graph training equals eager (LeNet+BN)',
          max(abs(a - b) for a, b in zip(l_e, l_g)) < 1e-4 and wdiff < 1e-4,
          eager=[round(v, 5) for v in l_e], graphed=[round(v, 5) for v in l_g],
          max_abs_param_diff=wdiff,
          graph_cache=type(n_g._graph_cache).__name__ if n_g._graph_cache else None)


def time_steps(step, n=100, warmup=10):
    """Seconds per call of `step`, back to back (100 after 10 unmeasured: a short window
    catches the GPU's clocks still rising)."""
    for _ in range(warmup):
        step()
    sync()
    t = time.perf_counter()
    for _ in range(n):
        step()
    sync()
    return (time.perf_counter() - t) / n


def regluon_step(make, batch, shape, hybridize=False, **hyb):
    ctx = DEV
    net = make()
    net.initialize(init.Xavier(), ctx=ctx)
    x = nd.random.uniform(shape=(batch,) + shape, ctx=ctx)
    y = nd.array(np.random.randint(0, 10, batch), ctx=ctx)
    net(x)
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    if hybridize:
        net.hybridize(**hyb)
        loss.hybridize(**hyb)
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.05})

    def step():
        with autograd.record():
            l = loss(net(x), y)
        l.backward()
        trainer.step(batch)
    def forward_backward():
        with autograd.record():
            l = loss(net(x), y)
        l.backward()
    t = time_steps(step)
    mode = 'graphed' if hyb.get('static_alloc') else 'hybridized' if hybridize else 'eager'
    # the step without Trainer.step, back to back (what the graphs and their host work cost)
    PHASES[f'{getattr(make, "__name__", "net")} {mode} forward+backward only'] = round(
        time_steps(forward_backward) * 1e3, 3)
    PHASES[f'{getattr(make, "__name__", "net")} {mode}'] = phase_ms(net, loss, trainer, x, y,
                                                                     batch)
    return t


PHASES = {}


def phase_ms(net, loss, trainer, x, y, batch, n=20):
    """Where a step's time goes: each phase timed alone (synchronized before and after, so
    without overlap), and the CPU time of a whole step (what a launch-bound step costs)."""
    acc = dict(forward=0.0, backward=0.0, trainer_step=0.0, cpu_per_step=0.0)
    for i in range(n + 3):
        sync()
        c0, t0 = time.process_time(), time.perf_counter()
        with autograd.record():
            l = loss(net(x), y)
        sync()
        t1 = time.perf_counter()
        l.backward()
        sync()
        t2 = time.perf_counter()
        trainer.step(batch)
        sync()
        t3, c3 = time.perf_counter(), time.process_time()
        if i >= 3:
            for k, v in zip(acc, (t1 - t0, t2 - t1, t3 - t2, c3 - c0)):
                acc[k] += v
    return {k: round(v / n * 1e3, 3) for k, v in acc.items()}


def torch_lenet(dev, batch):
    """Raw torch's LeNet on `dev`, its SGD, and a batch: (net, optimizer, x, y)."""
    net = torch.nn.Sequential(
        torch.nn.Conv2d(1, 6, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2, 2),
        torch.nn.Conv2d(6, 16, 5), torch.nn.ReLU(), torch.nn.MaxPool2d(2, 2),
        torch.nn.Flatten(), torch.nn.Linear(256, 120), torch.nn.ReLU(),
        torch.nn.Linear(120, 84), torch.nn.ReLU(), torch.nn.Linear(84, 10)).to(dev)
    return (net, torch.optim.SGD(net.parameters(), lr=0.05),
            torch.rand(batch, 1, 28, 28, device=dev), torch.randint(0, 10, (batch,), device=dev))


def torch_lenet_step(batch, graphed=False):
    """Raw torch's LeNet step: eager, or the whole step (forward, backward, SGD) captured
    as one CUDA graph, as torch's docs do it (the floor for a captured step)."""
    net, opt, x, y = torch_lenet(torch.device('cuda' if DEV.device_type == 'gpu' else 'cpu'),
                                 batch)

    def step():
        opt.zero_grad(set_to_none=True)
        with torch.enable_grad():            # regluon leaves torch's grad mode off
            torch.nn.functional.cross_entropy(net(x), y).backward()
        opt.step()
    if not graphed:
        return time_steps(step)
    s = torch.cuda.Stream()
    s.wait_stream(torch.cuda.current_stream())
    with torch.cuda.stream(s):
        for _ in range(3):
            step()
    torch.cuda.current_stream().wait_stream(s)
    g = torch.cuda.CUDAGraph()
    opt.zero_grad(set_to_none=True)
    with torch.cuda.graph(g):
        with torch.enable_grad():
            torch.nn.functional.cross_entropy(net(x), y).backward()
        opt.step()
    return time_steps(g.replay)


def section(name, fn):
    """Run one part of the check; an exception is a failed check, not the end of the run."""
    t = time.time()
    try:
        fn()
    except Exception as e:  # pylint: disable=broad-except
        import traceback  # pylint: disable=import-outside-toplevel
        traceback.print_exc()
        check(f'{name} ran', False, error=f'{type(e).__name__}: {e}'[:500])
    print(f'-- {name}: {time.time() - t:.1f} s', flush=True)
    if OUT:
        with open(os.path.join(OUT, 'gpu_check.json'), 'w') as f:
            json.dump(RESULTS, f, indent=1)


def lenet_timing():
    figures = {}
    RESULTS['lenet step timing (batch 256)'] = figures    # filled in as the figures come
    figures['torch_ms'] = torch_lenet_step(256) * 1e3
    if DEV.device_type == 'gpu':
        figures['torch_cudagraph_ms'] = torch_lenet_step(256, graphed=True) * 1e3
    figures['regluon_eager_ms'] = regluon_step(lambda: models.lenet(act='relu'), 256,
                                               (1, 28, 28)) * 1e3
    figures['ratio'] = figures['regluon_eager_ms'] / figures['torch_ms']
    figures['regluon_cudagraph_ms'] = regluon_step(
        _hybrid_lenet, 256, (1, 28, 28), hybridize=True, static_alloc=True,
        static_shape=True) * 1e3
    figures['speedup_vs_eager'] = figures['regluon_eager_ms'] / figures['regluon_cudagraph_ms']
    if 'torch_cudagraph_ms' in figures:     # what the same capture gives raw torch here
        figures['torch_speedup_vs_eager'] = figures['torch_ms'] / figures['torch_cudagraph_ms']
    figures['cudagraph_vs_torch_eager'] = figures['regluon_cudagraph_ms'] / figures['torch_ms']
    figures['phases_ms'] = PHASES
    check('lenet step timing (batch 256)', True, **figures)


def correctness(batches):
    compare_training('lenet', lambda: models.lenet(act='relu'), batches, rtol=1e-3, lr=0.1)
    compare_training('resnet18', models.resnet18, [(x[:32], y[:32]) for x, y in batches[:3]],
                     rtol=1e-2, lr=0.01)


def kvstore_save_bf16():
    kv = mx.kv.create('device')
    kv.init('w', nd.zeros((3,), ctx=DEV))
    kv.push('w', [nd.ones((3,), ctx=DEV), nd.ones((3,), ctx=mx.cpu()) * 2])
    out = nd.zeros((3,), ctx=DEV)
    kv.pull('w', out=out)
    check(f"kvstore 'device' on {DEV} sums pushes", out.asnumpy().tolist() == [3.0] * 3,
          value=out.asnumpy().tolist(), context=str(out.context))
    a = nd.random.uniform(shape=(64, 64), ctx=DEV)
    with tempfile.TemporaryDirectory() as d:
        nd.save(os.path.join(d, 'a'), {'a': a})
        b = nd.load(os.path.join(d, 'a'))['a']
    check(f'nd.save/load of an array on {DEV}', np.array_equal(a.asnumpy(), b.asnumpy()),
          loaded_context=str(b.context))
    bf = nd.dot(a.astype('bfloat16'), a.astype('bfloat16')).astype('float32')
    ref = nd.dot(a, a)
    err = float(nd.abs(bf - ref).max().asscalar())
    check(f'bf16 dot on {DEV}', err < 0.5, max_abs_diff=err)


def ops():
    from benchmarks import gpu_ops_check  # pylint: disable=import-outside-toplevel
    gpu_ops_check.run(DEV, check)


def resnet_timing():
    t_res = regluon_step(models.resnet18, 64, (1, 28, 28))
    figures = dict(regluon_eager_ms=t_res * 1e3)
    RESULTS['resnet18 step timing (batch 64, 1x28x28)'] = figures
    t0 = time.time()
    t_g = regluon_step(models.resnet18, 64, (1, 28, 28), hybridize=True, static_alloc=True,
                       static_shape=True)
    figures.update(regluon_cudagraph_ms=t_g * 1e3, speedup_vs_eager=t_res / t_g,
                   graphed_seconds_incl_capture=time.time() - t0)
    check('resnet18 step timing (batch 64, 1x28x28)', True, **figures)


def main():
    global DEV, OUT  # pylint: disable=global-statement
    p = argparse.ArgumentParser()
    p.add_argument('--out', default=os.environ.get('OUT'))
    p.add_argument('--dry-run', action='store_true',
                   help='cpu(1) stands for the device (checks the script, not a GPU)')
    args = p.parse_args()
    OUT = args.out
    if args.dry_run:
        DEV = mx.cpu(1)
    elif not torch.cuda.is_available():
        print('no CUDA device: nothing to check (--dry-run runs it on cpu(1))')
        return 0
    else:
        DEV = mx.gpu()
        print('device:', torch.cuda.get_device_name(0), 'torch', torch.__version__,
              flush=True)
    RESULTS['fast_path_extension'] = __import__('regluon.ndarray._fast', fromlist=['_']
                                                )._fastop is not None
    t0 = time.time()
    batches = mnist_batches(4, 128)
    section('lenet timing', lenet_timing)
    section('graphed training equals eager', lambda: compare_graphed(batches))
    section('gpu training equals cpu', lambda: correctness(batches))
    section('kvstore, save/load, bf16', kvstore_save_bf16)
    section('operators', ops)
    section('resnet18 timing', resnet_timing)
    RESULTS['seconds'] = time.time() - t0
    section('summary', lambda: None)
    print(json.dumps(RESULTS))
    return 1 if FAILED else 0


def _hybrid_lenet_bn():
    from regluon.gluon import nn
    net = nn.HybridSequential()
    net.add(nn.Conv2D(6, kernel_size=5), nn.BatchNorm(), nn.Activation('relu'),
            nn.MaxPool2D(2, 2), nn.Conv2D(16, kernel_size=5, activation='relu'),
            nn.MaxPool2D(2, 2), nn.Dense(120, activation='relu'), nn.Dense(10))
    return net


def _hybrid_lenet():
    from regluon.gluon import nn
    net = nn.HybridSequential()
    net.add(nn.Conv2D(6, kernel_size=5, activation='relu'), nn.MaxPool2D(2, 2),
            nn.Conv2D(16, kernel_size=5, activation='relu'), nn.MaxPool2D(2, 2),
            nn.Dense(120, activation='relu'), nn.Dense(84, activation='relu'), nn.Dense(10))
    return net


if __name__ == '__main__':
    sys.exit(main())
