"""Golden data for mx.contrib.amp's dynamic loss scaling (tests/test_amp.py), from MXNet 1.9.1.

A linear model (elementwise ops: MXNet's float16 FullyConnected needs cuDNN) trains with amp.init() + init_trainer + scale_loss; some steps get an
infinite loss (so non-finite gradients): MXNet skips those updates and halves the scale,
and doubles it after `_scale_seq_len` clean steps (set to 3 here). Records the loss scale,
the trainer's _scale and the weights after each step, and unscale's effect on gradients.
The scenario is tests/golden/amp_cases.py, shared with tests/test_amp.py.
On CPU MXNet's amp casts nothing for float16, so the numbers are plain float32.

    $(../shared/tools/mxnet-ref.sh) tools/golden_amp.py
"""
import os
import sys

os.environ['MXNET_SUBGRAPH_BACKEND'] = 'NONE'
import numpy as np  # noqa: E402
import mxnet as mx  # noqa: E402

GOLDEN = os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden')
OUT = os.path.join(GOLDEN, 'amp.npz')
sys.path.insert(0, GOLDEN)
import amp_cases as cases  # noqa: E402  (shared with tests/test_amp.py)

INF_STEPS = (1, 2, 7)          # steps whose loss is multiplied by inf
STEPS = 10


def main():
    cases.use(mx)
    rng = np.random.RandomState(0)
    x = rng.uniform(-1, 1, (4, 3)).astype(np.float32)
    y = rng.uniform(-1, 1, (4,)).astype(np.float32)
    w0 = rng.uniform(-0.5, 0.5, (3,)).astype(np.float32)
    res = {'x': x, 'y': y, 'w0': w0, 'inf_steps': np.array(INF_STEPS)}
    res.update(cases.loss_scaling(x, y, w0, INF_STEPS, STEPS))
    np.savez_compressed(OUT, **res)
    print({k: v.shape for k, v in res.items()})
    print(res['scales'], res['trainer_scales'])


if __name__ == '__main__':
    main()
