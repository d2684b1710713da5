"""Writes tests/golden/symbol/regluon_lenet-{symbol.json,0000.params,input.npy}: a LeNet
hybridized and exported by regluon. tools/golden_symbol.py (run under MXNet 1.9.1) then
loads these files in MXNet and records MXNet's outputs, and tests/test_hybridize.py checks
that regluon still writes exactly these files and that MXNet's outputs equal ours.

    .venv/bin/python tools/make_regluon_export.py && $(../shared/tools/mxnet-ref.sh) tools/golden_symbol.py
"""
import os
import sys

import numpy as np

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..'))
import regluon as mx  # noqa: E402
from regluon import nd  # noqa: E402
from regluon.gluon import nn  # noqa: E402

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden', 'symbol')


def lenet():
    """The exported network: the book's LeNet as a HybridSequential, plus BatchNorm."""
    net = nn.HybridSequential()
    net.add(nn.Conv2D(6, kernel_size=5, activation='sigmoid'), nn.BatchNorm(),
            nn.MaxPool2D(pool_size=2, strides=2),
            nn.Conv2D(16, kernel_size=5, activation='relu'), nn.AvgPool2D(pool_size=2),
            nn.Dense(32, activation='tanh'), nn.Dense(10))
    return net


def build():
    """A fresh, deterministic, hybridized LeNet and its input (same every run)."""
    mx.name.NameManager._current.value = mx.name.NameManager()    # names from zero
    net = lenet()
    rng = np.random.RandomState(42)
    x = nd.array(rng.uniform(0, 1, (2, 1, 28, 28)))
    net.initialize(mx.init.Xavier())
    net(x)
    for p in net.collect_params().values():
        p.set_data(nd.array(rng.uniform(-0.3, 0.3, p.shape)) if 'var' not in p.name
                   else nd.array(rng.uniform(0.5, 1.5, p.shape)))
    net.hybridize()
    net(x)
    return net, x


if __name__ == '__main__':
    net, x = build()
    net.export(os.path.join(OUT, 'regluon_lenet'), 0)
    np.save(os.path.join(OUT, 'regluon_lenet-input.npy'), x.asnumpy())
    np.save(os.path.join(OUT, 'regluon_lenet-output.npy'), net(x).asnumpy())
    print('wrote', OUT)
