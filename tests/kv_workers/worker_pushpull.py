"""Worker for test_kvstore: init broadcasts rank 0's value; pushpull sums over workers;
a second 'dist_sync' store with 2-bit compression does three pushpulls."""
import json
import sys

import numpy as np

import regluon as mx

kv = mx.kv.create('dist_sync')
w = mx.nd.ones((2, 3)) * (kv.rank + 5)
kv.init('w', w)
out_w = mx.nd.zeros((2, 3))
kv.pull('w', out=out_w)
g = mx.nd.arange(6).reshape((2, 3)) * (kv.rank + 1)
out_g = mx.nd.zeros((2, 3))
kv.pushpull('g', g, out=out_g)
kv.barrier()
ckv = mx.kv.create('dist_sync')
ckv.set_gradient_compression({'type': '2bit', 'threshold': 0.5})
ckv.init('c', mx.nd.zeros((5,)))
base = np.array([1, -1, 2, -2, 0.5], np.float32)
compressed = []
for step in range(3):
    c = mx.nd.array(np.float32(0.3) * (kv.rank + 1) * (step + 1) * base, ctx=mx.cpu(0))
    out = mx.nd.zeros((5,))
    # two devices: the worker's own sum (c + 0) is not compressed, only what it sends
    ckv.pushpull('c', [c, mx.nd.zeros((5,), ctx=mx.cpu(1))], out=out)
    compressed.append(out.asnumpy().tolist())
ckv.barrier()
print(json.dumps({'rank': kv.rank, 'num_workers': kv.num_workers,
                  'w': out_w.asnumpy().ravel().tolist(),
                  'g': out_g.asnumpy().ravel().tolist(), 'compressed': compressed}))
sys.stdout.flush()
