"""Mixed precision on a GPU: `mx.contrib.amp.init('bfloat16')` training against float32, and
with the step captured as CUDA graphs (run on a CUDA machine; `--dry-run` on the CPU).

    PYTHONPATH=. python -m benchmarks.gpu_amp_check [--out DIR] [--dry-run]

amp.init is process-wide and cannot be undone (as in MXNet), so this is its own script:
the float32 figures are taken first, then AMP is switched on. Prints one line per check and
a JSON summary (also DIR/gpu_amp_check.json); exits non-zero if a check fails.
"""
import argparse
import json
import os
import sys
import time

import numpy as np
import torch

import regluon as mx
from regluon import autograd, gluon, init, models, nd
from benchmarks.gpu_check import _hybrid_lenet, mnist_batches

RESULTS, FAILED = {}, []


def check(name, ok, **figures):
    RESULTS[name] = dict(ok=bool(ok), **figures)
    print(f"{'ok  ' if ok else 'FAIL'} {name} {json.dumps(figures)}", flush=True)
    if not ok:
        FAILED.append(name)


def sync():
    if torch.cuda.is_available():
        torch.cuda.synchronize()


def train(make, ctx, batches, params, static=False, amp_on=False, steps_timed=0):
    """Losses of a few SGD steps from the saved parameters; then ms per step if asked."""
    from regluon.contrib import amp
    net = make()
    net.initialize(init.Xavier(), ctx=ctx)
    net(nd.array(batches[0][0], ctx=ctx))
    if params is not None:
        net.load_parameters(params, ctx=ctx)
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    if static:
        net.hybridize(static_alloc=True, static_shape=True)
        loss.hybridize(static_alloc=True, static_shape=True)
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})
    if amp_on:
        amp.init_trainer(trainer)
    data = [(nd.array(x, ctx=ctx), nd.array(y, ctx=ctx)) for x, y in batches]

    def step(x, y):
        with autograd.record():
            l = loss(net(x), y)
            if amp_on:
                with amp.scale_loss(l, trainer) as scaled:
                    autograd.backward(scaled)
        if not amp_on:
            l.backward()
        trainer.step(x.shape[0])
        return l
    losses = [float(step(x, y).mean().asscalar()) for x, y in data]
    ms = None
    if steps_timed:
        x, y = data[0]
        for _ in range(5):
            step(x, y)
        sync()
        t = time.perf_counter()
        for _ in range(steps_timed):
            step(x, y)
        sync()
        ms = (time.perf_counter() - t) / steps_timed * 1e3
    return losses, ms


def section(name, fn):
    try:
        fn()
    except Exception as e:  # pylint: disable=broad-except
        import traceback  # pylint: disable=import-outside-toplevel
        traceback.print_exc()
        check(f'{name} ran', False, error=f'{type(e).__name__}: {e}'[:500])


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--out', default=os.environ.get('OUT'))
    p.add_argument('--dry-run', action='store_true', help='cpu(0) stands for the device')
    args = p.parse_args()
    if not args.dry_run and not torch.cuda.is_available():
        print('no CUDA device: nothing to check (--dry-run runs it on the CPU)')
        return 0
    ctx = mx.cpu() if args.dry_run else mx.gpu()
    big = (3, 64, 64) if not args.dry_run else (3, 32, 32)
    n_timed = 0 if args.dry_run else 30
    batches = mnist_batches(4, 128)
    mx.random.seed(0)
    ref = _hybrid_lenet()
    ref.initialize(init.Xavier(), ctx=ctx)
    ref(nd.array(batches[0][0], ctx=ctx))
    params = os.path.join(args.out or '/tmp', 'amp_lenet_init.params')
    ref.save_parameters(params)
    rng = np.random.RandomState(0)
    res_batches = [(rng.uniform(size=(64,) + big).astype('float32'),
                    rng.randint(0, 10, 64).astype('float32')) for _ in range(2)]
    fig = {}

    def fp32():
        fig['lenet_fp32'], _ = train(_hybrid_lenet, ctx, batches, params)
        _, fig['resnet18_fp32_ms'] = train(models.resnet18, ctx, res_batches, None,
                                           steps_timed=n_timed)
    section('float32 reference', fp32)
    from regluon.contrib import amp
    amp.init('bfloat16')

    def bf16():
        losses, _ = train(_hybrid_lenet, ctx, batches, params, amp_on=True)
        ref_l = fig.get('lenet_fp32')
        diff = max(abs(a - b) for a, b in zip(losses, ref_l)) if ref_l else None
        check('bf16 AMP LeNet trains as float32 does (4 steps)',
              diff is not None and diff < 0.05,
              bf16=[round(v, 4) for v in losses], fp32=[round(v, 4) for v in ref_l or []],
              max_abs_loss_diff=diff)
        g_losses, _ = train(_hybrid_lenet, ctx, batches, params, static=True, amp_on=True)
        gdiff = max(abs(a - b) for a, b in zip(g_losses, losses))
        check('bf16 AMP LeNet captured (static hybridize) trains as bf16 eager',
              gdiff < 0.02, graphed=[round(v, 4) for v in g_losses], max_abs_loss_diff=gdiff)
        _, ms = train(models.resnet18, ctx, res_batches, None, steps_timed=n_timed)
        fig['resnet18_bf16_ms'] = ms
        f32 = fig.get('resnet18_fp32_ms')
        check(f'ResNet-18 step, batch 64 on {big}', True, fp32_ms=f32, bf16_amp_ms=ms,
              speedup=(f32 / ms) if f32 and ms else None)
    section('bf16 AMP', bf16)
    if args.out:
        with open(os.path.join(args.out, 'gpu_amp_check.json'), 'w') as f:
            json.dump(RESULTS, f, indent=1)
    print(json.dumps(RESULTS))
    return 1 if FAILED else 0


if __name__ == '__main__':
    sys.exit(main())
