"""Golden data for mx.optimizer.LARS and LBSGD (and nd.multi_sum_sq / multi_lars /
preloaded_multi_sgd_*, the operators LARS runs).

Run with the real MXNet 1.9.1:
    MXNET_SUBGRAPH_BACKEND=NONE $(../shared/tools/mxnet-ref.sh) tools/golden_lars.py
Writes tests/golden/lars.npz; the cases are in tests/golden/lars_cases.py.
"""
import os
import sys

import numpy as np
import mxnet as mx
from mxnet import nd

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden'))
import lars_cases as cases  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden')


def gen_ops(out):
    rng = np.random.RandomState(2)
    arrays = [rng.uniform(-1, 1, s).astype('float32') for s in [(3, 4), (5,), (2, 2, 2)]]
    out['ops_arrays_0'], out['ops_arrays_1'], out['ops_arrays_2'] = arrays
    out['ops_sum_sq'] = nd.multi_sum_sq(*[nd.array(a) for a in arrays], num_arrays=3).asnumpy()
    lrs = np.array([0.1, 0.2, 0.3, 0.4, 0.5], 'float32')
    w = np.array([4., 0., 9., 1., 2.], 'float32')
    g = np.array([1., 1., 0., 4., 0.5], 'float32')
    wds = np.array([0.01, 0., 0.1, 0.5, 0.], 'float32')
    out['ops_lars_in'] = np.stack([lrs, w, g, wds])
    out['ops_lars'] = nd.multi_lars(*[nd.array(a) for a in (lrs, w, g, wds)], eta=0.5,
                                    eps=0.1, rescale_grad=2.0).asnumpy()
    ws = [nd.array(a) for a in arrays]
    gs = [nd.array(a[::-1].copy()) for a in arrays]
    ms = [nd.array(a * 0.5) for a in arrays]
    data = [x for t in zip(ws, gs, ms) for x in t]
    nd.preloaded_multi_sgd_mom_update(*data, nd.array([0.1, 0.2, 0.3]), nd.array([0., .1, .2]),
                                      momentum=0.9, rescale_grad=0.5, clip_gradient=0.2,
                                      num_weights=3, out=ws)
    for i in range(3):
        out[f'ops_mom_w{i}'], out[f'ops_mom_m{i}'] = ws[i].asnumpy(), ms[i].asnumpy()
    ws = [nd.array(a) for a in arrays]
    data = [x for t in zip(ws, gs) for x in t]
    nd.preloaded_multi_sgd_update(*data, nd.array([0.1, 0.2, 0.3]), nd.array([0., .1, .2]),
                                  rescale_grad=2.0, num_weights=3, out=ws)
    for i in range(3):
        out[f'ops_sgd_w{i}'] = ws[i].asnumpy()


def main():
    out = {}
    gen_ops(out)
    for i, case in enumerate(cases.CASES):
        traj, opt = cases.run(mx, case)
        for j, t in enumerate(traj):
            out[f'traj{i}_w{j}'] = t
        out[f'traj{i}_num_update'] = np.array(opt.num_update)
    for i, (name, kw) in enumerate(cases.TRAINER):
        for k, v in cases.train(mx, name, kw).items():
            out[f'trainer{i}_{k}'] = v
    np.savez_compressed(os.path.join(OUT, 'lars.npz'), **out)
    print('wrote lars.npz', len(out), 'arrays')


if __name__ == '__main__':
    main()
