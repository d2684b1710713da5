"""The network and data shared by the distributed workers and the single-process check."""
import numpy as np

import regluon as mx
from regluon.gluon import nn


def make_net():
    net = nn.Sequential()
    net.add(nn.Dense(16, activation='relu', in_units=784), nn.Dense(10, in_units=16))
    net.initialize(mx.init.Xavier())
    return net


def batches(n=3, size=64):
    ds = mx.gluon.data.vision.datasets.MNISTSubset(train=True)
    x = np.stack([ds[i][0].asnumpy() for i in range(n * size)]).reshape(n * size, -1) / 255.
    y = np.array([ds[i][1] for i in range(n * size)])
    return [(x[i * size:(i + 1) * size].astype('float32'), y[i * size:(i + 1) * size])
            for i in range(n)]
