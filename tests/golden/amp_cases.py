"""mx.contrib.amp's dynamic loss scaling, run the same way under the real MXNet 1.9.1
(tools/golden_amp.py, which writes the goldens) and under regluon (tests/test_amp.py, which
compares with them). `use(mx)` binds the library.
"""
import importlib

import numpy as np

nd = autograd = gluon = amp = Linear = None


def use(mx):
    """Run on `mx` (regluon, or the real mxnet)."""
    global nd, autograd, gluon, amp, Linear  # pylint: disable=global-statement
    nd, autograd, gluon = mx.nd, mx.autograd, mx.gluon
    amp = importlib.import_module(mx.__name__ + '.contrib.amp')
    Linear = _linear()


def _linear():
    class Linear(gluon.HybridBlock):
        """A linear model of elementwise ops (MXNet's float16 FullyConnected needs cuDNN)."""

        def __init__(self):
            super().__init__()
            with self.name_scope():
                self.weight = self.params.get('weight', shape=(3,))

        def hybrid_forward(self, F, x, weight):
            return F.broadcast_mul(x, weight.reshape((1, 3))).sum(axis=1)
    return Linear


def loss_scaling(x, y, w0, inf_steps, steps):
    """amp.init() + init_trainer + scale_loss for `steps` SGD steps of Linear from `w0`, the
    loss made infinite at `inf_steps`, `_scale_seq_len` 3; then one more scaled backward and
    unscale. Returns the loss scales, trainer scales, weights and gradients seen."""
    amp.init()
    x, y = nd.array(x), nd.array(y)
    net = Linear()
    net.initialize()
    net.weight.set_data(nd.array(w0))
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})
    amp.init_trainer(trainer)
    scaler = trainer._amp_loss_scaler
    scaler._scale_seq_len = 3
    res = {'initial_scale': np.array(scaler.loss_scale)}
    scales, trainer_scales, weights = [], [], []
    for step in range(steps):
        with autograd.record():
            loss = ((net(x) - y) ** 2).sum()
            if step in inf_steps:
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
    return res
