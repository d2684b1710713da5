"""MXNet 1.x's classic MNIST MLP example (symbol + Module + callbacks), unchanged API:
`python mlp_module.py PREFIX [MNIST_DIR]`. Reads the gzip'd IDX files of MNIST_DIR (default:
regluon's bundled subset) and writes the checkpoint PREFIX-symbol.json / PREFIX-0002.params."""
import gzip
import logging
import os
import struct
import sys

import numpy as np
import mxnet as mx

logging.basicConfig(level=logging.INFO)


def read_data(label_path, image_path, count):
    with gzip.open(label_path) as flbl:
        struct.unpack('>II', flbl.read(8))
        label = np.frombuffer(flbl.read(), dtype=np.int8)[:count]
    with gzip.open(image_path, 'rb') as fimg:
        _, _, rows, cols = struct.unpack('>IIII', fimg.read(16))
        image = np.frombuffer(fimg.read(), dtype=np.uint8).reshape(-1, rows, cols)[:count]
    return label, image


prefix = sys.argv[1]
data_dir = sys.argv[2] if len(sys.argv) > 2 else os.path.join(
    os.path.dirname(mx.__file__), 'data', 'mnist')
train_lbl, train_img = read_data(os.path.join(data_dir, 'train-labels-idx1-ubyte.gz'),
                                 os.path.join(data_dir, 'train-images-idx3-ubyte.gz'), 2000)
val_lbl, val_img = read_data(os.path.join(data_dir, 'test-labels-idx1-ubyte.gz'),
                             os.path.join(data_dir, 'test-images-idx3-ubyte.gz'), 500)

batch_size = 100
np.random.seed(0)
mx.random.seed(0)
train_iter = mx.io.NDArrayIter(train_img.reshape(-1, 784) / 255.0, train_lbl, batch_size,
                               shuffle=True)
val_iter = mx.io.NDArrayIter(val_img.reshape(-1, 784) / 255.0, val_lbl, batch_size)

data = mx.sym.var('data')
fc1 = mx.sym.FullyConnected(data=data, name='fc1', num_hidden=128)
act1 = mx.sym.Activation(data=fc1, name='relu1', act_type='relu')
fc2 = mx.sym.FullyConnected(data=act1, name='fc2', num_hidden=64)
act2 = mx.sym.Activation(data=fc2, name='relu2', act_type='relu')
fc3 = mx.sym.FullyConnected(data=act2, name='fc3', num_hidden=10)
mlp = mx.sym.SoftmaxOutput(data=fc3, name='softmax')

mlp_model = mx.mod.Module(symbol=mlp, context=mx.cpu())
mlp_model.fit(train_iter, eval_data=val_iter, optimizer='sgd',
              optimizer_params={'learning_rate': 0.1, 'momentum': 0.9},
              initializer=mx.init.Xavier(), eval_metric='acc',
              batch_end_callback=mx.callback.Speedometer(batch_size, 10),
              epoch_end_callback=mx.callback.do_checkpoint(prefix), num_epoch=2)

prob = mlp_model.predict(val_iter)
acc = mx.metric.Accuracy()
mlp_model.score(val_iter, acc)
print('predictions', prob.shape)
print('validation accuracy', acc.get()[1])

sym, arg_params, aux_params = mx.model.load_checkpoint(prefix, 2)
loaded = mx.mod.Module(symbol=sym, context=mx.cpu())
loaded.bind(data_shapes=val_iter.provide_data, label_shapes=val_iter.provide_label,
            for_training=False)
loaded.set_params(arg_params, aux_params)
print('reloaded accuracy', loaded.score(val_iter, 'acc')[0][1])
