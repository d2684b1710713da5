"""The np-mode network of tools/golden_np_symbol.py, written once for MXNet and regluon
(`mx` is whichever library runs it): a user HybridBlock (F.np / F.npx code) around Gluon
layers, with fixed parameters."""
import numpy as onp


def mlp():
    import sys
    mx = sys.modules.get('mxnet') or sys.modules['regluon']
    from importlib import import_module
    nn = import_module(mx.__name__ + '.gluon.nn')
    gluon = import_module(mx.__name__ + '.gluon')

    class Net(gluon.HybridBlock):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            with self.name_scope():
                self.hidden = nn.Dense(8, flatten=False)
                self.norm = nn.LayerNorm()
                self.out = nn.Dense(3, flatten=False)
                self.scale = self.params.get('scale', shape=(8,))

        def hybrid_forward(self, F, x, scale):
            h = F.npx.relu(self.hidden(x)) * scale
            h = self.norm(h)
            a = F.npx.softmax(F.npx.batch_dot(h, h, transpose_b=True) / F.np.sqrt(8.0))
            h = F.npx.batch_dot(a, h) + h
            return F.np.tanh(self.out(h)).mean(axis=1)

    mx.name.NameManager._current.value = mx.name.NameManager()
    net = Net(prefix='net_')
    net.initialize()
    rng = onp.random.RandomState(3)
    x = mlp_input()
    net(mx.np.array(x))
    for p in net.collect_params().values():
        p.set_data(mx.np.array(rng.uniform(-0.5, 0.5, p.shape).astype('float32')))
    return net


def mlp_input():
    return onp.random.RandomState(4).uniform(-1, 1, (2, 5, 4)).astype('float32')
