"""Operators on a device against the CPU: each case runs on `mx.cpu()` and on the device
(outputs, and the gradients of the inputs that have one), and the results must agree.

    PYTHONPATH=. python -m benchmarks.gpu_ops_check            # on a CUDA machine
    PYTHONPATH=. python -m benchmarks.gpu_ops_check --dry-run  # cpu(1) as the "device"

benchmarks/gpu_check.py calls `run(mx.gpu())`; the dry run (tests/test_benchmark_scripts.py)
keeps the script working between GPU sessions. Full fp32 on the GPU (TF32 off), so the
tolerances are those of float32 summation order.
"""
import argparse
import json
import sys

import numpy as np
import torch

import regluon as mx
from regluon import autograd, nd

CASES = {}


def case(f):
    CASES[f.__name__] = f
    return f


def _arrays(ctx, *specs, seed=0):
    """Arrays drawn from a fixed numpy generator (the same values on every context);
    a spec (shape, low, high) or a ready numpy array."""
    rs = np.random.RandomState(seed)
    return [nd.array(s if isinstance(s, np.ndarray) else rs.uniform(s[1], s[2], s[0]), ctx=ctx)
            for s in specs]


def _with_grads(fn, inputs, seed=1):
    """fn(*inputs) and the gradients of sum(out * fixed head) for each input."""
    for x in inputs:
        x.attach_grad()
    with autograd.record():
        out = fn(*inputs)
        outs = out if isinstance(out, (list, tuple)) else [out]
        rs = np.random.RandomState(seed)
        loss = sum((o * nd.array(rs.uniform(-1, 1, o.shape), ctx=o.context)).sum()
                   for o in outs if o.dtype in (np.float32, np.float64))
    loss.backward()
    return list(outs) + [x.grad for x in inputs]


# ---- detection and resizing (ops/detection.py, boxes.py, resize.py) ----------------------
@case
def multibox(ctx):
    x, = _arrays(ctx, ((2, 3, 8, 10), 0, 1))
    anchors = nd.contrib.MultiBoxPrior(x, sizes=[0.75, 0.5, 0.25], ratios=[1, 2, 0.5])
    gt = nd.array([[[0, 0.1, 0.08, 0.52, 0.92], [1, 0.55, 0.2, 0.9, 0.88]]] * 2, ctx=ctx)
    cls, = _arrays(ctx, ((2, 3, anchors.shape[1]), 0, 1))
    target = nd.contrib.MultiBoxTarget(anchors, gt, cls)
    loc, = _arrays(ctx, ((2, anchors.shape[1] * 4), -0.1, 0.1))
    probs = nd.softmax(cls, axis=1)
    det = nd.contrib.MultiBoxDetection(probs, loc, anchors, nms_threshold=0.5)
    return [anchors] + list(target) + [det]


@case
def box_ops(ctx):
    b, = _arrays(ctx, ((2, 6, 4), 0, 0.5))
    boxes = nd.concat(b[:, :, :2], b[:, :, :2] + b[:, :, 2:] + 0.1, dim=2)
    scores, = _arrays(ctx, ((2, 6, 1), 0, 1))
    ids = nd.array(np.tile(np.arange(6) % 2, (2, 1))[..., None], ctx=ctx)
    det = nd.concat(ids, scores, boxes, dim=2)
    return [nd.contrib.box_nms(det, overlap_thresh=0.3, coord_start=2, score_index=1,
                               id_index=0),
            nd.contrib.box_iou(boxes[0], boxes[1])]


@case
def roi_align_resize_pool(ctx):
    x, = _arrays(ctx, ((2, 3, 9, 11), -1, 1))
    rois = nd.array([[0, 1, 1, 7, 6], [1, 0.5, 2, 9, 8.5]], ctx=ctx)
    return _with_grads(lambda v: [
        nd.contrib.ROIAlign(v, rois, pooled_size=(3, 3), spatial_scale=0.8, sample_ratio=2),
        nd.contrib.BilinearResize2D(v, height=13, width=7),
        nd.contrib.AdaptiveAvgPooling2D(v, output_size=(4, 3))], [x])


# ---- deformable and proposal ops (ops/deformable.py, proposal.py) ------------------------
@case
def deformable_conv(ctx):
    x, off, w, b = _arrays(ctx, ((2, 4, 7, 6), -1, 1), ((2, 18, 7, 6), -1.5, 1.5),
                           ((6, 4, 3, 3), -0.5, 0.5), ((6,), -0.1, 0.1))
    return _with_grads(lambda *a: nd.contrib.DeformableConvolution(
        *a, kernel=(3, 3), pad=(1, 1), num_filter=6), [x, off, w, b])


@case
def proposal(ctx):
    cls, bbox = _arrays(ctx, ((1, 12, 5, 5), 0, 1), ((1, 24, 5, 5), -0.2, 0.2))
    return list(nd.contrib.Proposal(cls, bbox, nd.array([[80, 80, 1]], ctx=ctx),
                                    scales=(2, 4), ratios=(0.5, 1, 2),
                                    feature_stride=16, rpn_pre_nms_top_n=50,
                                    rpn_post_nms_top_n=10, output_score=True))


# ---- control flow and contrib ops (ops/control_flow.py, contrib_misc.py) -----------------
@case
def control_flow(ctx):
    x, h = _arrays(ctx, ((5, 2, 3), -1, 1), ((2, 3), -1, 1))

    def fn(x, h):
        outs, state = nd.contrib.foreach(lambda d, s: (d * s[0], [s[0] + d]), x, [h])
        _, (total,) = nd.contrib.while_loop(lambda v: v.sum() < 30, lambda v: (v, v + 1),
                                            [state[0]], max_iterations=10)
        pick = nd.contrib.cond(total.sum() > 0, lambda: total * 2, lambda: total - 1)
        return [outs, total, pick]
    return _with_grads(fn, [x, h])


@case
def contrib_misc(ctx):
    qkv, x = _arrays(ctx, ((4, 2, 3 * 2 * 5), -1, 1), ((6, 3), -1, 1))
    mask = nd.array([1, 0, 1, 1, 0, 1], ctx=ctx)
    return _with_grads(lambda q, v: [
        nd.contrib.interleaved_matmul_selfatt_qk(q, heads=2),
        nd.contrib.boolean_mask(v, mask)], [qkv, x])


# ---- extra ops (ops/extra.py, mp_optimizer_ops.py) and losses ----------------------------
@case
def extra_ops(ctx):
    x, = _arrays(ctx, ((50,), 0, 10))
    hist, edges = nd.histogram(x, bin_cnt=5, range=(0, 10))
    half = nd.amp_cast(x, dtype='float16')
    w = [a.astype('float16') for a in _arrays(ctx, ((4, 3), -1, 1), ((5,), -1, 1))]
    g = [a.astype('float16') for a in _arrays(ctx, ((4, 3), -1, 1), ((5,), -1, 1), seed=2)]
    w32 = [a.astype('float32') for a in w]
    nd.multi_mp_sgd_update(*[t for i in range(2) for t in (w[i], g[i], w32[i])],
                           lrs=(0.1, 0.2), wds=(0.0, 0.01), num_weights=2, out=w)
    return [hist, edges, half.astype('float32')] + [a.astype('float32') for a in w] + w32


@case
def ctc_loss(ctx):
    pred, = _arrays(ctx, ((6, 2, 5), -1, 1))
    label = nd.array([[1, 2, 0], [3, 3, 4]], ctx=ctx)
    return _with_grads(lambda p: nd.contrib.ctc_loss(p, label), [pred])


# ---- graphs: creation and random nodes on the device (symbol/graph.py) --------------------
@case
def hybridized_creation_nodes(ctx):
    class Net(mx.gluon.HybridBlock):
        def hybrid_forward(self, F, x):
            y = F.broadcast_add(x, F.arange(4).reshape((1, 4)))
            y = y + F.zeros((3, 4)) + F.dot(x, F.eye(4))
            return y + F.random.uniform(shape=(3, 4)) * 0
    net = Net()
    net.hybridize()
    x, = _arrays(ctx, ((3, 4), -1, 1))
    y = net(x)
    assert y.context == ctx, f"the graph's output is on {y.context}, expected {ctx}"
    return [y]


@case
def hybridized_np_mode(ctx):
    """An np-mode block (F.np / F.npx nodes, creation nodes) traced and replayed on ctx."""
    class Net(mx.gluon.HybridBlock):
        def __init__(self):
            super().__init__()
            self.dense = mx.gluon.nn.Dense(4, flatten=False)

        def hybrid_forward(self, F, x):
            h = F.npx.relu(self.dense(x)) + F.np.arange(4) * F.np.ones((4,))
            a = F.npx.softmax(F.npx.batch_dot(h, h, transpose_b=True) / F.np.sqrt(4.0))
            return F.np.tanh(F.npx.batch_dot(a, h)).mean(axis=1)[0:1]
    mx.npx.set_np()
    try:
        net = Net()
        net.initialize(mx.init.Xavier(), ctx=ctx)
        net.hybridize()
        x = mx.np.array(np.random.RandomState(3).uniform(-1, 1, (2, 3, 5)).astype('float32'),
                        ctx=ctx)
        x.attach_grad()
        with autograd.record():
            y = net(x)
        y.backward()
        assert y.context == ctx, f"the graph's output is on {y.context}, expected {ctx}"
        return [y.as_nd_ndarray(), x.grad.as_nd_ndarray()]
    finally:
        mx.npx.reset_np()


def run(device, check):
    """Run every case on cpu() and on `device`; `check(name, ok, **figures)` records each."""
    tf32 = torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32
    torch.backends.cuda.matmul.allow_tf32 = torch.backends.cudnn.allow_tf32 = False
    try:
        for name, fn in CASES.items():
            try:
                mx.random.seed(0)
                ref = [o.asnumpy() for o in fn(mx.cpu())]
                mx.random.seed(0)
                got = [o.asnumpy() for o in fn(device)]
                err = max((float(np.abs(a.astype('float64') - b).max()) if a.size else 0.0)
                          for a, b in zip(ref, got))
                ok = len(ref) == len(got) and all(a.shape == b.shape for a, b in zip(ref, got)) \
                    and all(np.allclose(a, b, rtol=1e-4, atol=1e-4) for a, b in zip(ref, got))
                check(f'op on {device} equals cpu: {name}', ok, max_abs_diff=err,
                      outputs=len(ref))
            except Exception as e:  # pylint: disable=broad-except
                check(f'op on {device} equals cpu: {name}', False,
                      error=f'{type(e).__name__}: {e}'[:300])
    finally:
        torch.backends.cuda.matmul.allow_tf32, torch.backends.cudnn.allow_tf32 = tf32


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--dry-run', action='store_true', help='cpu(1) stands for the device')
    args = p.parse_args()
    if not args.dry_run and not torch.cuda.is_available():
        print('no CUDA device: nothing to check (--dry-run runs the cases on cpu(1))')
        return 0
    failed = []

    def check(name, ok, **figures):
        print(f"{'ok  ' if ok else 'FAIL'} {name} {json.dumps(figures)}", flush=True)
        if not ok:
            failed.append(name)
    run(mx.cpu(1) if args.dry_run else mx.gpu(), check)
    return 1 if failed else 0


if __name__ == '__main__':
    sys.exit(main())
