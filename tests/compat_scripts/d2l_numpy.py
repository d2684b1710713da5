"""Dive into Deep Learning (d2l.ai, English edition, MXNet tab), chapters 2 and 3, as the
book writes them with `from mxnet import np, npx`: 2.1 ndarray, 2.3 linear algebra, 2.5
autograd, 2.6 probability, 3.2/3.3 linear regression (scratch and concise), 3.5 the image
data pipeline, 3.6/3.7 softmax regression (scratch and concise). Plotting is left out, and
Fashion-MNIST (a download) is replaced by regluon's bundled MNIST subset read with gzip.

Runs unchanged under the real MXNet 1.9.1 (tools/golden_numpy.py records its output) and
under `regluon run` (tests/test_numpy.py). Prints `key value` lines.
"""
import gzip
import os
import random

import numpy as onp
from mxnet import autograd, gluon, init, np, npx
from mxnet.gluon import nn
npx.set_np()


def show(key, value):
    print(key, value)


# ---- the import forms MXNet code uses for the NumPy interface ---------------------------
import mxnet as mx  # noqa: E402
import mxnet.numpy as mnp  # noqa: E402
import mxnet.numpy_extension as mnpx  # noqa: E402
from mxnet.numpy import ndarray, linalg  # noqa: E402,F401
from mxnet.util import use_np, is_np_array  # noqa: E402
from mxnet.ndarray import numpy as ndnp  # noqa: E402,F401


@use_np
class Net(mx.gluon.nn.HybridBlock):
    def hybrid_forward(self, F, x):
        return F.np.ones_like(x) + F.npx.relu(x)


show('imports', (mnp is np, mnpx is npx, isinstance(np.ones(2), ndarray),
                 isinstance(np.ones(2), mx.nd.NDArray), is_np_array()))
show('use_np_block', Net()(np.array([-1., 2.])))


# ---- 2.1 Data manipulation ------------------------------------------------------------
x = np.arange(12)
show('shape_x', x.shape)
show('size_x', x.size)
X = x.reshape(3, 4)
show('zeros', np.zeros((2, 3, 4)).shape)
show('normal', np.random.normal(0, 1, size=(3, 4)).shape)
Y = np.array([[2, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
x, y = np.array([1, 2, 4, 8]), np.array([2, 2, 2, 2])
show('ops', [(x + y).tolist(), (x ** y).tolist()])
show('cat', np.concatenate([X, Y], axis=0).shape)
show('eq_sum', int((X == Y).sum()))
a = np.arange(3).reshape(3, 1)
b = np.arange(2).reshape(1, 2)
show('broadcast', (a + b).tolist())
X[1, 2] = 9
X[0:2, :] = 12
show('setitem', X.tolist())
Z = np.zeros_like(Y)
before = id(Z)
Z[:] = X + Y
show('inplace_z', id(Z) == before)
before = id(X)
X += Y
show('inplace_x', id(X) == before)
A = X.asnumpy()
B = np.array(A)
show('convert', (type(A).__name__, type(B).__name__))
a = np.array([3.5])
show('scalars', (a, a.item(), float(a), int(a)))

# ---- 2.3 Linear algebra --------------------------------------------------------------
x = np.array(3.0)
y = np.array(2.0)
show('scalar_ops', (x + y, x * y, x / y, x ** y))
x = np.arange(4)
show('vec', (x[3], len(x), x.shape))
A = np.arange(20).reshape(5, 4)
show('AT', A.T.shape)
B = np.array([[1, 2, 3], [2, 0, 4], [3, 4, 5]])
show('sym', bool((B == B.T).all()))
X = np.arange(24).reshape(2, 3, 4)
B = A.copy()
show('hadamard', float((A * B).sum()))
show('sums', (A.shape, A.sum(), A.sum(axis=0).shape, A.sum(axis=[0, 1]), A.mean(),
              A.sum() / A.size))
sum_A = A.sum(axis=1, keepdims=True)
show('keepdims', (A / sum_A).shape)
show('cumsum', A.cumsum(axis=0)[-1].tolist())
y = np.ones(4)
show('dot', (np.dot(x, y), np.sum(x * y)))
show('mv', np.dot(A, x).tolist())
show('mm', np.dot(A, np.ones(shape=(4, 3))).shape)
u = np.array([3, -4])
show('norms', (np.linalg.norm(u), np.abs(u).sum(), np.linalg.norm(np.ones((4, 9)))))

# ---- 2.5 Automatic differentiation ----------------------------------------------------
x = np.arange(4.0)
x.attach_grad()
with autograd.record():
    y = 2 * np.dot(x, x)
y.backward()
show('grad_dot', (x.grad == 4 * x).tolist())
with autograd.record():
    y = x.sum()
y.backward()
show('grad_sum', x.grad.tolist())
with autograd.record():
    y = x * x
    u = y.detach()
    z = u * x
z.backward()
show('grad_detach', bool((x.grad == u).all()))


def f(a):
    b = a * 2
    while np.linalg.norm(b) < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c


a = np.random.normal()
a.attach_grad()
with autograd.record():
    d = f(a)
d.backward()
a.grad == d / a                # the book's check; float32 rounding of d / a may differ by
show('grad_control', bool(np.abs(a.grad - d / a) <= 1e-6 * np.abs(a.grad)))  # an ulp

# ---- 2.6 Probability ----------------------------------------------------------------
fair_probs = [1.0 / 6] * 6
show('multinomial_1', int(np.random.multinomial(1, fair_probs).sum()))
counts = np.random.multinomial(1000, fair_probs).astype(np.float32)
show('err_prob', float(np.abs(counts / 1000 - 1 / 6).max()))
counts = np.random.multinomial(10, fair_probs, size=500)
cum_counts = counts.astype(np.float32).cumsum(axis=0)
estimates = cum_counts / cum_counts.sum(axis=1, keepdims=True)
show('err_estimates', float(np.abs(estimates[-1] - 1 / 6).max()))


# ---- 3.2 Linear regression from scratch ------------------------------------------------
def synthetic_data(w, b, num_examples):
    """Generate y = Xw + b + noise."""
    X = np.random.normal(0, 1, (num_examples, len(w)))
    y = np.dot(X, w) + b
    y += np.random.normal(0, 0.01, y.shape)
    return X, y.reshape((-1, 1))


true_w = np.array([2, -3.4])
true_b = 4.2
features, labels = synthetic_data(true_w, true_b, 1000)


def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = list(range(num_examples))
    random.shuffle(indices)
    for i in range(0, num_examples, batch_size):
        batch_indices = np.array(indices[i: min(i + batch_size, num_examples)])
        yield features[batch_indices], labels[batch_indices]


batch_size = 10
w = np.random.normal(0, 0.01, (2, 1))
b = np.zeros(1)
w.attach_grad()
b.attach_grad()


def linreg(X, w, b):
    return np.dot(X, w) + b


def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2


def sgd(params, lr, batch_size):
    for param in params:
        param[:] = param - lr * param.grad / batch_size


lr, num_epochs, net, loss = 0.03, 3, linreg, squared_loss
for epoch in range(num_epochs):
    for X, y in data_iter(batch_size, features, labels):
        with autograd.record():
            l = loss(net(X, w, b), y)
        l.backward()
        sgd([w, b], lr, batch_size)
    train_l = loss(net(features, w, b), labels)
show('loss_scratch', f'{float(train_l.mean()):f}')
err = true_w - w.reshape(true_w.shape)
show('err_scratch_w0', float(err[0]))
show('err_scratch_w1', float(err[1]))
show('err_scratch_b', float(true_b - b))


# ---- 3.3 Concise linear regression ------------------------------------------------------
def load_array(data_arrays, batch_size, is_train=True):
    dataset = gluon.data.ArrayDataset(*data_arrays)
    return gluon.data.DataLoader(dataset, batch_size, shuffle=is_train)


data_iter = load_array((features, labels), batch_size)
show('first_batch', [v.shape for v in next(iter(data_iter))])
net = nn.Sequential()
net.add(nn.Dense(1))
net.initialize(init.Normal(sigma=0.01))
loss = gluon.loss.L2Loss()
trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.03})
for epoch in range(3):
    for X, y in data_iter:
        with autograd.record():
            l = loss(net(X), y)
        l.backward()
        trainer.step(batch_size)
    l = loss(net(features), labels)
show('loss_concise', f'{l.mean().asnumpy():f}')
w = net[0].weight.data()
err = true_w - w.reshape(true_w.shape)
show('err_concise_w0', float(err[0]))
show('err_concise_b', float(true_b - net[0].bias.data()))
show('param_type', type(w).__name__)


# ---- 3.5 The image data set (bundled MNIST digits in place of Fashion-MNIST) -------------
def read_idx(name):
    here = os.path.dirname(os.path.abspath(__file__))
    path = os.path.join(here, '..', '..', 'regluon', 'data', 'mnist', name)
    with gzip.open(path) as fh:
        raw = fh.read()
    if raw[2:4] == b'\x08\x03':
        return onp.frombuffer(raw, onp.uint8, offset=16).reshape(-1, 28, 28, 1)
    return onp.frombuffer(raw, onp.uint8, offset=8).astype(onp.int32)


mnist_train = gluon.data.ArrayDataset(np.array(read_idx('train-images-idx3-ubyte.gz')[:3000]),
                                      np.array(read_idx('train-labels-idx1-ubyte.gz')[:3000]))
mnist_test = gluon.data.ArrayDataset(np.array(read_idx('test-images-idx3-ubyte.gz')[:1000]),
                                     np.array(read_idx('test-labels-idx1-ubyte.gz')[:1000]))
show('len_train', (len(mnist_train), len(mnist_test)))
show('sample_shape', mnist_train[0][0].shape)


def get_dataloader_workers():
    return 2


def load_data_mnist(batch_size):
    trans = gluon.data.vision.transforms.ToTensor()
    return (gluon.data.DataLoader(mnist_train.transform_first(trans), batch_size, shuffle=True,
                                  num_workers=get_dataloader_workers()),
            gluon.data.DataLoader(mnist_test.transform_first(trans), batch_size, shuffle=False,
                                  num_workers=get_dataloader_workers()))


train_iter, test_iter = load_data_mnist(256)
for X, y in train_iter:
    show('batch', (X.shape, X.dtype, y.shape, y.dtype))
    break

# ---- 3.6 Softmax regression from scratch -------------------------------------------------
num_inputs, num_outputs = 784, 10
W = np.random.normal(0, 0.01, (num_inputs, num_outputs))
b = np.zeros(num_outputs)
W.attach_grad()
b.attach_grad()


def softmax(X):
    X_exp = np.exp(X)
    partition = X_exp.sum(1, keepdims=True)
    return X_exp / partition


def net(X):
    return softmax(np.dot(X.reshape((-1, W.shape[0])), W) + b)


def cross_entropy(y_hat, y):
    return - np.log(y_hat[range(len(y_hat)), y])


def accuracy(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.astype(y.dtype) == y
    return float(cmp.astype(y.dtype).sum())


class Accumulator:
    def __init__(self, n):
        self.data = [0.0] * n

    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]

    def __getitem__(self, idx):
        return self.data[idx]


def evaluate_accuracy(net, data_iter):
    metric = Accumulator(2)
    for X, y in data_iter:
        metric.add(accuracy(net(X), y), y.size)
    return metric[0] / metric[1]


def train_epoch_ch3(net, train_iter, loss, updater):
    metric = Accumulator(3)
    if isinstance(updater, gluon.Trainer):
        updater = updater.step
    for X, y in train_iter:
        with autograd.record():
            y_hat = net(X)
            l = loss(y_hat, y)
        l.backward()
        updater(X.shape[0])
        metric.add(float(l.sum()), accuracy(y_hat, y), y.size)
    return metric[0] / metric[2], metric[1] / metric[2]


def train_ch3(net, train_iter, test_iter, loss, num_epochs, updater):
    for epoch in range(num_epochs):
        train_metrics = train_epoch_ch3(net, train_iter, loss, updater)
        test_acc = evaluate_accuracy(net, test_iter)
    return train_metrics, test_acc


def updater(batch_size):
    return sgd([W, b], 0.1, batch_size)


show('untrained_below_half', evaluate_accuracy(net, test_iter) < 0.5)
(train_loss, train_acc), test_acc = train_ch3(net, train_iter, test_iter, cross_entropy, 2,
                                              updater)
show('loss_softmax_scratch', f'{train_loss:f}')
show('acc_softmax_scratch', f'{test_acc:f}')

# ---- 3.7 Concise softmax regression ------------------------------------------------------
net = nn.Sequential()
net.add(nn.Dense(10))
net.initialize(init.Normal(sigma=0.01))
loss = gluon.loss.SoftmaxCrossEntropyLoss()
trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})
(train_loss, train_acc), test_acc = train_ch3(net, train_iter, test_iter, loss, 2, trainer)
show('loss_softmax_concise', f'{train_loss:f}')
show('acc_softmax_concise', f'{test_acc:f}')
