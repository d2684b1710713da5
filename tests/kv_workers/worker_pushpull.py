"""Worker for test_kvstore: init broadcasts rank 0's value; pushpull sums over workers."""
import json
import sys

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
print(json.dumps({'rank': kv.rank, 'num_workers': kv.num_workers,
                  'w': out_w.asnumpy().ravel().tolist(),
                  'g': out_g.asnumpy().ravel().tolist()}))
sys.stdout.flush()
