"""Data-parallel scaling: an MLP (784-256-10) epoch over the bundled 8k MNIST images, global
batch 256, with 1 process and with 2 processes (`kvstore='dist_sync'` over gloo on
127.0.0.1, each process on half of every batch).

    OMP_NUM_THREADS=1 python -m benchmarks.dist_scaling

Each worker uses one thread (the machine has 2 cores), so 2 processes use the same cores
that one process with OMP_NUM_THREADS=2 would.
"""
import json
import os
import socket
import subprocess
import sys
import time

WORKER = r'''
import json, os, sys, time
import numpy as np
import regluon as mx
from regluon import autograd, gluon, nd
from regluon.gluon import nn
rank, world = int(os.environ.get('RANK', 0)), int(os.environ.get('WORLD_SIZE', 1))
ds = gluon.data.vision.datasets.MNISTSubset(train=True)
x = np.stack([ds[i][0].asnumpy() for i in range(len(ds))]).reshape(len(ds), -1) / 255.
y = np.array([ds[i][1] for i in range(len(ds))])
mx.random.seed(0)
net = nn.Sequential()
net.add(nn.Dense(256, activation='relu', in_units=784), nn.Dense(10, in_units=256))
net.initialize(mx.init.Xavier())
kv = 'dist_sync' if world > 1 else None
trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1}, kvstore=kv)
loss = gluon.loss.SoftmaxCrossEntropyLoss()
batch, part = 256, 256 // world
xs = [nd.array(x[i + rank * part:i + (rank + 1) * part].astype('float32'))
      for i in range(0, len(x) - batch + 1, batch)]
ys = [nd.array(y[i + rank * part:i + (rank + 1) * part]) for i in range(0, len(x) - batch + 1, batch)]
times = []
for epoch in range(4):
    t = time.perf_counter()
    for xb, yb in zip(xs, ys):
        with autograd.record():
            l = loss(net(xb), yb)
        l.backward()
        trainer.step(batch)
    times.append(time.perf_counter() - t)
if rank == 0:
    print(json.dumps({'world': world, 'epoch_s': sorted(times[1:])[1]}))
'''


def _port():
    with socket.socket() as s:
        s.bind(('127.0.0.1', 0))
        return s.getsockname()[1]


def run(world):
    port = _port()
    env = dict(os.environ, OMP_NUM_THREADS=str(2 // world), OMP_WAIT_POLICY='PASSIVE',
               MASTER_ADDR='127.0.0.1', MASTER_PORT=str(port), WORLD_SIZE=str(world))
    procs = [subprocess.Popen([sys.executable, '-c', WORKER], stdout=subprocess.PIPE,
                              text=True, env=dict(env, RANK=str(r), LOCAL_RANK=str(r)))
             for r in range(world)]
    outs = [p.communicate(timeout=600)[0] for p in procs]
    return json.loads(outs[0].strip().splitlines()[-1])['epoch_s']


def main():
    one, two = run(1), run(2)
    print(f'MLP epoch, 1 process (2 threads): {one:.3f} s')
    print(f'MLP epoch, 2 processes (1 thread each, dist_sync/gloo): {two:.3f} s')
    print(f'speed-up: {one / two:.2f}x')


if __name__ == '__main__':
    main()
