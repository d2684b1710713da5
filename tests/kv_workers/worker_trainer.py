"""Worker for test_kvstore: data-parallel training with kvstore='dist_sync'. Each rank
takes its half of every batch; rank 0's initial weights win (each rank draws its own);
`trainer.step(full batch size)`. Writes the final parameters to argv[1] (.npz)."""
import sys

import numpy as np

import regluon as mx
from regluon import autograd, gluon, nd
from regluon.gluon import nn

from worker_common import batches, make_net

kv_rank = int(__import__('os').environ['RANK'])
mx.random.seed(1 + kv_rank)                   # different initial weights on each rank
net = make_net()
trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1, 'momentum': 0.9},
                        kvstore='dist_sync')      # broadcasts rank 0's weights now
loss = gluon.loss.SoftmaxCrossEntropyLoss()
for x, y in batches():
    half = x.shape[0] // 2
    xs, ys = nd.array(x[kv_rank * half:(kv_rank + 1) * half]), \
        nd.array(y[kv_rank * half:(kv_rank + 1) * half])
    with autograd.record():
        l = loss(net(xs), ys)
    l.backward()
    trainer.step(x.shape[0])
np.savez(sys.argv[1], *[v.data().asnumpy() for v in net.collect_params().values()])
