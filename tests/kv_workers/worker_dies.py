"""Worker for test_kvstore: rank 1 exits before the second all-reduce; rank 0 must fail
with a clear MXNetError instead of hanging."""
import os
import sys

import regluon as mx

kv = mx.kv.create('dist_sync', timeout=20)
g = mx.nd.ones((4,))
kv.pushpull('g', g, out=g)
if kv.rank == 1:
    os._exit(3)
try:
    for _ in range(3):
        kv.pushpull('g', g, out=g)
except mx.MXNetError as e:
    print('MXNetError:', e, flush=True)
    os._exit(7)         # skip the process group's teardown, which may abort after a peer died
print('no error')
