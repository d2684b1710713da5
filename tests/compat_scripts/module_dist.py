"""Data-parallel Module training with kvstore='dist_sync':
`regluon launch -n 2 module_dist.py OUT_DIR`. Worker r trains on rows 16r..16r+15 of a
fixed data set and writes its final parameters to OUT_DIR/rank<r>.json."""
import json
import os
import sys

import numpy as np
import mxnet as mx


def mlp():
    data = mx.sym.var('data')
    fc1 = mx.sym.FullyConnected(data=data, name='fc1', num_hidden=16)
    act1 = mx.sym.Activation(data=fc1, name='relu1', act_type='relu')
    fc2 = mx.sym.FullyConnected(data=act1, name='fc2', num_hidden=4)
    return mx.sym.SoftmaxOutput(data=fc2, name='softmax')


def dataset():
    rs = np.random.RandomState(0)
    x = rs.rand(32, 20).astype(np.float32)
    y = x[:, :4].argmax(1).astype(np.float32)
    init = {'fc1_weight': rs.randn(16, 20) * 0.3, 'fc1_bias': rs.randn(16) * 0.1,
            'fc2_weight': rs.randn(4, 16) * 0.3, 'fc2_bias': rs.randn(4) * 0.1}
    return x, y, {k: mx.nd.array(v) for k, v in init.items()}


FIT = dict(num_epoch=2, optimizer='sgd',
           optimizer_params={'learning_rate': 0.5, 'momentum': 0.9, 'wd': 0.01})

if __name__ == '__main__':
    rank = int(os.environ['RANK'])
    x, y, init = dataset()
    part = slice(16 * rank, 16 * rank + 16)
    mod = mx.mod.Module(mlp())
    mod.fit(mx.io.NDArrayIter(x[part], y[part], 8), arg_params=init, kvstore='dist_sync', **FIT)
    arg, _ = mod.get_params()
    with open(os.path.join(sys.argv[1], f'rank{rank}.json'), 'w') as f:
        json.dump({k: v.asnumpy().ravel().tolist() for k, v in arg.items()}, f)
