"""Golden data for mx.contrib.amp's dynamic loss scaling (tests/test_amp.py), from MXNet 1.9.1.

A linear model (elementwise ops: MXNet's float16 FullyConnected needs cuDNN) trains with amp.init() + init_trainer + scale_loss; some steps get an
infinite loss (so non-finite gradients): MXNet skips those updates and halves the scale,
and doubles it after `_scale_seq_len` clean steps (set to 3 here). Records the loss scale,
the trainer's _scale and the weights after each step, and unscale's effect on gradients.
On CPU MXNet's amp casts nothing for float16, so the numbers are plain float32.

    $(../shared/tools/mxnet-ref.sh) tools/golden_amp.py
"""
import os

os.environ['MXNET_SUBGRAPH_BACKEND'] = 'NONE'
import numpy as np  # noqa: E402
import mxnet as mx  # noqa: E402
from mxnet import autograd, gluon, nd  # noqa: E402
from mxnet.contrib import amp  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden', 'amp.npz')
INF_STEPS = (1, 2, 7)          # steps whose loss is multiplied by inf
STEPS = 10


class Linear(gluon.HybridBlock):
    def __init__(self):
        super().__init__()
        with self.name_scope():
            self.weight = self.params.get('weight', shape=(3,))

    def hybrid_forward(self, F, x, weight):
        return F.broadcast_mul(x, weight.reshape((1, 3))).sum(axis=1)


def main():
    amp.init()
    rng = np.random.RandomState(0)
    x = nd.array(rng.uniform(-1, 1, (4, 3)))
    y = nd.array(rng.uniform(-1, 1, (4,)))
    w0 = rng.uniform(-0.5, 0.5, (3,)).astype(np.float32)
    net = Linear()
    net.initialize()
    net.weight.set_data(nd.array(w0))
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})
    amp.init_trainer(trainer)
    scaler = trainer._amp_loss_scaler
    scaler._scale_seq_len = 3
    res = {'x': x.asnumpy(), 'y': y.asnumpy(), 'w0': w0, 'inf_steps': np.array(INF_STEPS),
           'initial_scale': np.array(scaler.loss_scale)}
    scales, trainer_scales, weights = [], [], []
    for step in range(STEPS):
        with autograd.record():
            loss = ((net(x) - y) ** 2).sum()
            if step in INF_STEPS:
                loss = loss * float('inf')
            with amp.scale_loss(loss, trainer) as scaled:
                autograd.backward(scaled)
        trainer_scales.append(trainer._scale)
        trainer.step(4)
        scales.append(scaler.loss_scale)
        weights.append(net.weight.data().asnumpy())
    res.update(scales=np.array(scales), trainer_scales=np.array(trainer_scales),
               weights=np.stack(weights))
    # unscale: gradients back to the loss's scale, trainer._scale reset to 1
    with autograd.record():
        loss = ((net(x) - y) ** 2).sum()
        with amp.scale_loss(loss, trainer) as scaled:
            autograd.backward(scaled)
    res['scaled_grad'] = net.weight.grad().asnumpy()
    amp.unscale(trainer)
    res['unscaled_grad'] = net.weight.grad().asnumpy()
    res['scale_after_unscale'] = np.array(trainer._scale)
    np.savez_compressed(OUT, **res)
    print({k: v.shape for k, v in res.items()})
    print(res['scales'], res['trainer_scales'])


if __name__ == '__main__':
    main()
