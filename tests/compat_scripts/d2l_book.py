"""Chapters 3, 5 and 6 of the MXNet edition of Dive into Deep Learning (d2lzh), unchanged
book code on a small data set: `python d2l_book.py DATA.npz` where DATA.npz holds uint8
images X_train/X_test (N, 28, 28, 1) and int labels y_train/y_test.

Prints one line per result, `key value`, for the test to read.
"""
import random
import sys

import matplotlib
matplotlib.use('Agg')
import d2lzh as d2l  # noqa: E402
import mxnet as mx  # noqa: E402
from mxnet import autograd, gluon, init, nd  # noqa: E402
from mxnet.gluon import data as gdata, loss as gloss, nn  # noqa: E402

batch_size = 100
data = mx.nd.load(sys.argv[1])   # a dict: the script reads its data the MXNet way


def loaders(n_train):
    to_tensor = gdata.vision.transforms.ToTensor()
    train = gdata.ArrayDataset(data['X_train'][:n_train],
                               data['y_train'][:n_train]).transform_first(to_tensor)
    test = gdata.ArrayDataset(data['X_test'], data['y_test']).transform_first(to_tensor)
    return (gdata.DataLoader(train, batch_size, shuffle=True),
            gdata.DataLoader(test, batch_size, shuffle=False))


train_iter, test_iter = loaders(len(data['X_train']))

# 3.2 linear regression from scratch: data_iter, linreg, squared_loss, sgd
random.seed(0)
mx.random.seed(0)
true_w, true_b = [2, -3.4], 4.2
features = nd.random.normal(scale=1, shape=(1000, 2))
labels = true_w[0] * features[:, 0] + true_w[1] * features[:, 1] + true_b
labels += nd.random.normal(scale=0.01, shape=labels.shape)
w = nd.random.normal(scale=0.01, shape=(2, 1))
b = nd.zeros(shape=(1,))
w.attach_grad()
b.attach_grad()
net, loss = d2l.linreg, d2l.squared_loss
for epoch in range(3):
    for X, y in d2l.data_iter(10, features, labels):
        with autograd.record():
            l = loss(net(X, w, b), y)
        l.backward()
        d2l.sgd([w, b], 0.03, 10)
    train_l = loss(net(features, w, b), labels)
print('linreg_w', *w.reshape((-1,)).asnumpy().round(3))
print('linreg_b', b.asscalar().round(3))
print('linreg_loss', train_l.mean().asnumpy()[0])

# 3.6 softmax regression from scratch with d2l.train_ch3
num_inputs, num_outputs = 784, 10
W = nd.random.normal(scale=0.01, shape=(num_inputs, num_outputs))
b = nd.zeros(num_outputs)
W.attach_grad()
b.attach_grad()


def softmax(X):
    X_exp = X.exp()
    partition = X_exp.sum(axis=1, keepdims=True)
    return X_exp / partition


def net(X):
    return softmax(nd.dot(X.reshape((-1, num_inputs)), W) + b)


def cross_entropy(y_hat, y):
    return -nd.pick(y_hat, y).log()


print('ch3_before', d2l.evaluate_accuracy(test_iter, net))
d2l.train_ch3(net, train_iter, test_iter, cross_entropy, 1, batch_size, [W, b], 0.1)
print('ch3_after', d2l.evaluate_accuracy(test_iter, net))

# 3.7 concise softmax regression with a Trainer
net = nn.Sequential()
net.add(nn.Dense(10))
net.initialize(init.Normal(sigma=0.01))
trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})
d2l.train_ch3(net, train_iter, test_iter, gloss.SoftmaxCrossEntropyLoss(), 1, batch_size,
              None, None, trainer)
print('ch3_gluon', d2l.evaluate_accuracy(test_iter, net))

# 5.5 LeNet with d2l.train_ch5 on try_gpu()
net = nn.Sequential()
net.add(nn.Conv2D(channels=6, kernel_size=5, activation='sigmoid'),
        nn.MaxPool2D(pool_size=2, strides=2),
        nn.Conv2D(channels=16, kernel_size=5, activation='sigmoid'),
        nn.MaxPool2D(pool_size=2, strides=2),
        nn.Dense(120, activation='sigmoid'),
        nn.Dense(84, activation='sigmoid'),
        nn.Dense(10))
ctx = d2l.try_gpu()
print('ctx', ctx, d2l.try_all_gpus())
net.initialize(force_reinit=True, ctx=ctx, init=init.Xavier())
trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.9})
train_iter, test_iter = loaders(300)          # LeNet is the slow part on a CPU
d2l.train_ch5(net, train_iter, test_iter, batch_size, trainer, ctx, 1)
print('ch5_after', d2l.evaluate_accuracy(test_iter, net, ctx))

# 6.4 RNN from scratch with d2l.train_and_predict_rnn, random then consecutive sampling
# (which carries the last batch's hidden state over after backward() freed its graph: MXNet
# treats it as a constant), and 6.5 the concise Gluon RNN (train_and_predict_rnn_gluon)
corpus = ('the time machine by h g wells the time traveller for so it will be convenient '
          'to speak of him ') * 10
idx_to_char = sorted(set(corpus))
char_to_idx = {c: i for i, c in enumerate(idx_to_char)}
corpus_indices = [char_to_idx[c] for c in corpus]
vocab_size, num_hiddens = len(char_to_idx), 32


def get_params():
    def _one(shape):
        return nd.random.normal(scale=0.01, shape=shape, ctx=ctx)
    params = [_one((vocab_size, num_hiddens)), _one((num_hiddens, num_hiddens)),
              nd.zeros(num_hiddens, ctx=ctx), _one((num_hiddens, vocab_size)),
              nd.zeros(vocab_size, ctx=ctx)]
    for param in params:
        param.attach_grad()
    return params


def init_rnn_state(batch_size, num_hiddens, ctx):
    return (nd.zeros(shape=(batch_size, num_hiddens), ctx=ctx), )


def rnn(inputs, state, params):
    W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        H = nd.tanh(nd.dot(X, W_xh) + nd.dot(H, W_hh) + b_h)
        outputs.append(nd.dot(H, W_hq) + b_q)
    return outputs, (H,)


d2l.train_and_predict_rnn(rnn, get_params, init_rnn_state, num_hiddens, vocab_size, ctx,
                          corpus_indices, idx_to_char, char_to_idx, True, 20, 8, 100, 1e-2, 8,
                          20, 50, ['the '])
d2l.train_and_predict_rnn(rnn, get_params, init_rnn_state, num_hiddens, vocab_size, ctx,
                          corpus_indices, idx_to_char, char_to_idx, False, 20, 8, 100, 1e-2, 8,
                          20, 50, ['the '])
from mxnet.gluon import rnn as grnn  # noqa: E402
model = d2l.RNNModel(grnn.RNN(num_hiddens), vocab_size)
d2l.train_and_predict_rnn_gluon(model, num_hiddens, vocab_size, ctx, corpus_indices,
                                idx_to_char, char_to_idx, 20, 8, 100, 1e-2, 8, 20, 50,
                                ['the '])

# 10.x vocabulary from a token counter, as the book's text chapters build it
from mxnet.contrib import text  # noqa: E402
vocab = text.vocab.Vocabulary(d2l.count_tokens([corpus.split()]), min_freq=5,
                              reserved_tokens=['<pad>'])
print('vocab', len(vocab), *vocab.idx_to_token[:4])

# plotting helpers (Agg backend)
d2l.set_figsize((3.5, 2.5))
d2l.semilogy(range(1, 4), [1, 0.1, 0.01], 'epochs', 'loss', range(1, 4), [2, 0.2, 0.02],
             ['train', 'test'])
print('figsize', *d2l.plt.rcParams['figure.figsize'])
