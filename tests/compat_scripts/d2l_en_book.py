"""Dive into Deep Learning (d2l.ai, English edition, MXNet tab), chapters 4-13, through the
book's own helper package `d2l==0.17.6` (`from d2l import mxnet as d2l`): our code calling
the book's functions and classes on tiny synthetic data (no downloads).

Runs unchanged under the real MXNet 1.9.1 (tools/golden_d2l_en.py records its figures in
tests/golden/d2l_en_book.json) and under `regluon run` (tests/test_d2l_en.py). The last
line of output is one JSON object {key: flat list of numbers}.

Weights are made deterministic on both sides by `Det`, an Initializer seeded from each
array's shape, which also stands in for the Xavier/Normal initializers the book's training
loops create (d2l.init is pointed at a namespace that returns it), so the figures of a
training run are comparable across the two frameworks. Random draws (dropout, shuffles,
augmentation) are only checked for shape and range.
"""
import json
import math
import random
import sys
import types

import numpy as onp


def _placeholder(name):
    """An importable stand-in for a plotting/download package d2l imports but this script
    never uses (pandas, requests; plotting where matplotlib is absent)."""
    mod = types.ModuleType(name)
    mod.__path__ = []
    mod.__getattr__ = lambda attr: _placeholder(f'{name}.{attr}') if not attr.startswith('__') \
        else (_ for _ in ()).throw(AttributeError(attr))
    sys.modules[name] = mod
    return mod


MISSING = set()
for _name in ('pandas', 'requests', 'IPython', 'matplotlib', 'matplotlib_inline'):
    try:
        __import__(_name)
    except ImportError:
        MISSING.add(_name)
        for _sub in ('', '.display', '.pyplot', '.backend_inline'):
            _placeholder(_name + _sub)
# the book's Animator draws only where all of its plotting packages are there
PLOTTING = not MISSING & {'IPython', 'matplotlib', 'matplotlib_inline'}

import mxnet as mx  # noqa: E402
from mxnet import autograd, gluon, init, np, npx  # noqa: E402
from mxnet.gluon import nn, rnn  # noqa: E402
from d2l import mxnet as d2l  # noqa: E402
npx.set_np()

OUT = {}


def put(key, value):
    """Record `value` (an array, number or nested list) as a flat list of floats."""
    OUT[key] = list(_flat(value))


def _flat(value):
    if hasattr(value, 'asnumpy'):
        value = value.asnumpy()
    if isinstance(value, (list, tuple)):
        for v in value:
            yield from _flat(v)
    else:
        yield from (float(v) for v in onp.asarray(value, dtype='float64').ravel())


class Det(init.Initializer):
    """Weights drawn from a NumPy RandomState seeded by the array's shape."""
    def __init__(self, scale=0.1):
        super().__init__()
        self._scale = scale

    def _init_weight(self, name, arr):
        seed = sum((i + 7) * s for i, s in enumerate(arr.shape)) % (2 ** 31)
        vals = onp.random.RandomState(seed).uniform(-self._scale, self._scale, arr.shape)
        arr[:] = np.array(vals.astype('float32'), ctx=arr.ctx)


# The book's training loops initialize with init.Xavier()/init.Normal(0.01): both become Det
d2l.init = types.SimpleNamespace(Xavier=lambda *a, **k: Det(),
                                 Normal=lambda *a, **k: Det(0.05))


class Recorder(d2l.Animator if PLOTTING else object):
    """d2l.Animator that also keeps every point it is given (its X/Y lists)."""
    last = None

    def __init__(self, *args, **kwargs):
        if PLOTTING:
            super().__init__(*args, **kwargs)
        self.X, self.Y = None, None
        Recorder.last = self

    def add(self, x, y):
        if PLOTTING:
            return super().add(x, y)
        y = list(y) if hasattr(y, '__len__') else [y]
        self.X = self.X or [[] for _ in y]
        self.Y = self.Y or [[] for _ in y]
        for i, b in enumerate(y):
            if b is not None:
                self.X[i].append(x)
                self.Y[i].append(b)


d2l.Animator = Recorder


def curves():
    return [v for ys in Recorder.last.Y for v in ys]


def classes(n, dim, num_classes=10, seed=0, shape=None):
    """Well-separated synthetic classes: centre + noise, as float32 features, int labels."""
    rs = onp.random.RandomState(seed)
    centres = rs.uniform(-1, 1, (num_classes, dim))
    y = onp.arange(n) % num_classes
    X = centres[y] + 0.1 * rs.normal(size=(n, dim))
    X = X.reshape((n,) + shape) if shape else X
    return np.array(X.astype('float32')), np.array(y.astype('int32'))


def loader(X, y, batch_size):
    return d2l.load_array((X, y), batch_size, is_train=False)


# ---- ch4: MLP, dropout, weight decay ---------------------------------------------------
X, y = classes(200, 20)
train_iter = loader(X, y, 10)
net = nn.Sequential()
net.add(nn.Dense(64, activation='relu'), nn.Dense(10))
net.initialize(Det())
trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.5})
d2l.train_ch3(net, train_iter, train_iter, gluon.loss.SoftmaxCrossEntropyLoss(), 3, trainer)
put('ch4_mlp_curves', curves())


def dropout_layer(X, dropout):          # the book's from-scratch dropout
    mask = np.random.uniform(0, 1, X.shape) > dropout
    return mask.astype(np.float32) * X / (1.0 - dropout)


Xd = np.ones((50, 40))
put('ch4_dropout', [dropout_layer(Xd, 0).sum(), dropout_layer(Xd, 1).sum(),
                    abs(float(dropout_layer(Xd, 0.5).mean()) - 1) < 0.2])
net = nn.Sequential()
net.add(nn.Dense(64, activation='relu'), nn.Dropout(0.5), nn.Dense(10))
net.initialize(Det())
with autograd.record():
    kept = float((net[1](np.ones((100, 100))) == 0).mean())
put('ch4_dropout_layer', [0.35 < kept < 0.65, (net[1](np.ones((4, 4))) == 1).all()])

Xr, yr = X[:, :5], (X[:, :5].sum(axis=1, keepdims=True) * 0.5 + 0.1)
net = nn.Sequential()
net.add(nn.Dense(1))
net.initialize(Det())
loss = gluon.loss.L2Loss()
net.collect_params('.*bias').setattr('wd_mult', 0)
trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.05, 'wd': 3})
for _ in range(3):
    for Xb, yb in loader(Xr, yr, 50):
        with autograd.record():
            l = loss(net(Xb), yb)
        l.backward()
        trainer.step(50)
put('ch4_weight_decay', [d2l.evaluate_loss(net, loader(Xr, yr, 50), loss),
                         np.linalg.norm(net[0].weight.data())])


# ---- ch5: blocks, parameters, deferred init, custom layers, file I/O, GPUs --------------
class MLP(nn.Block):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = nn.Dense(256, activation='relu')
        self.output = nn.Dense(10)

    def forward(self, X):
        return self.output(self.hidden(X))


class MySequential(nn.Block):
    def add(self, block):
        self._children[block.name] = block

    def forward(self, X):
        for block in self._children.values():
            X = block(X)
        return X


class FixedHiddenMLP(nn.Block):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.rand_weight = self.params.get_constant(
            'rand_weight', onp.random.RandomState(1).uniform(size=(20, 20)).astype('float32'))
        self.dense = nn.Dense(20, activation='relu')

    def forward(self, X):
        X = self.dense(X)
        X = npx.relu(np.dot(X, self.rand_weight.data()) + 1)
        X = self.dense(X)
        while np.abs(X).sum() > 1:
            X /= 2
        return X.sum()


Xs = np.array(onp.random.RandomState(2).uniform(size=(2, 20)).astype('float32'))
for name, block in [('mlp', MLP()), ('fixed', FixedHiddenMLP())]:
    block.initialize(Det())
    put('ch5_' + name, block(Xs))
seq = MySequential()
seq.add(nn.Dense(256, activation='relu'))
seq.add(nn.Dense(10))
seq.initialize(Det())
put('ch5_mysequential', seq(Xs))

net = nn.Sequential()
net.add(nn.Dense(8, activation='relu'))
net.add(nn.Dense(1))
net.initialize()                       # deferred: shapes unknown until the first forward
put('ch5_deferred_before', [len(p.shape) and p.shape[-1] for p in
                            net.collect_params().values()])
net(np.ones((2, 4)))
put('ch5_deferred_after', [s for p in net.collect_params().values() for s in p.shape])
put('ch5_param_access', [net[1].bias.data(), net[1].weight.grad().shape[1],
                         len(net.collect_params('.*weight').keys()),
                         type(net[1].bias).__name__ == 'Parameter'])


def block1():
    b = nn.Sequential()
    b.add(nn.Dense(32, activation='relu'))
    b.add(nn.Dense(16, activation='relu'))
    return b


rgnet = nn.Sequential()
for _ in range(2):
    rgnet.add(block1())
rgnet.add(nn.Dense(10))
rgnet.initialize(Det())
put('ch5_nested', rgnet(Xs))
put('ch5_nested_names', [rgnet[0][1].weight.shape, len(rgnet.collect_params().keys())])
net.initialize(init=init.Constant(1), force_reinit=True)
put('ch5_constant', net[0].weight.data()[0])
net[0].weight.initialize(init=init.Xavier(), force_reinit=True)


class MyInit(init.Initializer):          # the book's custom initializer (5.3)
    def _init_weight(self, name, data):
        data[:] = np.array(onp.random.RandomState(3).uniform(-10, 10, data.shape)
                           .astype('float32'))
        data *= np.abs(data) >= 5


net.initialize(MyInit(), force_reinit=True)
put('ch5_myinit', net[0].weight.data()[:2])
net[0].weight.data()[:] += 1
net[0].weight.data()[0, 0] = 42
put('ch5_set_data', net[0].weight.data()[0])

shared = nn.Dense(8, activation='relu')
net = nn.Sequential()
net.add(nn.Dense(8, activation='relu'), shared,
        nn.Dense(8, activation='relu', params=shared.params), nn.Dense(10))
net.initialize(Det())
net(Xs)
net[1].weight.data()[0, 0] = 100
put('ch5_shared', [(net[1].weight.data()[0] == net[2].weight.data()[0]).all()])


class CenteredLayer(nn.Block):
    def forward(self, X):
        return X - X.mean()


class MyDense(nn.Block):
    def __init__(self, units, in_units, **kwargs):
        super().__init__(**kwargs)
        self.weight = self.params.get('weight', shape=(in_units, units))
        self.bias = self.params.get('bias', shape=(units,))

    def forward(self, x):
        linear = np.dot(x, self.weight.data(ctx=x.ctx)) + self.bias.data(ctx=x.ctx)
        return npx.relu(linear)


put('ch5_centered', CenteredLayer()(np.array([1, 2, 3, 4, 5])))
net = nn.Sequential()
net.add(nn.Dense(128), CenteredLayer())
net.initialize(Det())
put('ch5_centered_mean', [abs(float(net(np.random.uniform(size=(4, 8))).mean())) < 1e-6])
dense = MyDense(units=3, in_units=5)
dense.initialize(Det())
put('ch5_mydense', dense(Xs[:, :5]))
put('ch5_mydense_params', [dense.weight.shape, dense.bias.data()])

x = np.arange(4)
npx.save('x-file', x)
put('ch5_save', npx.load('x-file')[0])
npx.save('xy-files', [x, np.zeros(4)])
put('ch5_save_list', np.concatenate(npx.load('xy-files')))
npx.save('mydict', {'x': x, 'y': np.zeros(4)})
put('ch5_save_dict', npx.load('mydict')['x'])
mlp = MLP()
mlp.initialize(Det())
Y = mlp(Xs)
mlp.save_parameters('mlp.params')
clone = MLP()
clone.load_parameters('mlp.params')
put('ch5_load_parameters', [(clone(Xs) == Y).all()])

put('ch5_gpus', [npx.num_gpus(), str(d2l.try_gpu()) == str(mx.gpu() if npx.num_gpus()
                                                             else mx.cpu()),
                 len(d2l.try_all_gpus()), str(d2l.try_gpu(10)) == 'cpu(0)'])
x = np.array([1, 2, 3])
put('ch5_ctx', [str(x.ctx) == 'cpu(0)', (x.copyto(mx.cpu()) == x).all(),
                x.as_in_ctx(mx.cpu()) is x])


# ---- ch6: convolutions, LeNet with train_ch6 --------------------------------------------
Xc = np.ones((6, 8))
Xc[:, 2:6] = 0
K = np.array([[1.0, -1.0]])
Yc = d2l.corr2d(Xc, K)
put('ch6_corr2d', Yc)
conv2d = nn.Conv2D(1, kernel_size=(1, 2), use_bias=False)
conv2d.initialize(Det())
Xc4, Yc4 = Xc.reshape(1, 1, 6, 8), Yc.reshape(1, 1, 6, 7)
for i in range(10):
    with autograd.record():
        l = (conv2d(Xc4) - Yc4) ** 2
    l.backward()
    conv2d.weight.data()[:] -= 3e-2 * conv2d.weight.grad()
put('ch6_learned_kernel', conv2d.weight.data())
Xp = np.arange(16, dtype=np.float32).reshape((1, 1, 4, 4))
put('ch6_pool', [nn.MaxPool2D(3)(Xp), nn.MaxPool2D(3, padding=1, strides=2)(Xp),
                 nn.AvgPool2D((2, 3), padding=(0, 1), strides=(2, 3))(Xp)])
put('ch6_multi_in', nn.Conv2D(2, kernel_size=3, padding=1, strides=2,
                              in_channels=1).collect_params().values().__len__())

lenet = nn.Sequential()
lenet.add(nn.Conv2D(channels=6, kernel_size=5, padding=2, activation='sigmoid'),
          nn.AvgPool2D(pool_size=2, strides=2),
          nn.Conv2D(channels=16, kernel_size=5, activation='sigmoid'),
          nn.AvgPool2D(pool_size=2, strides=2),
          nn.Dense(120, activation='sigmoid'), nn.Dense(84, activation='sigmoid'),
          nn.Dense(10))
Xi, yi = classes(64, 28 * 28, shape=(1, 28, 28))
d2l.train_ch6(lenet, loader(Xi, yi, 8), loader(Xi, yi, 32), 1, 0.9, d2l.try_gpu())
put('ch6_lenet_curves', curves())


# ---- ch7: modern CNNs, constructors and one forward -------------------------------------
def vgg_block(num_convs, num_channels):
    blk = nn.Sequential()
    for _ in range(num_convs):
        blk.add(nn.Conv2D(num_channels, kernel_size=3, padding=1, activation='relu'))
    blk.add(nn.MaxPool2D(pool_size=2, strides=2))
    return blk


def nin_block(num_channels, kernel_size, strides, padding):
    blk = nn.Sequential()
    blk.add(nn.Conv2D(num_channels, kernel_size, strides, padding, activation='relu'),
            nn.Conv2D(num_channels, kernel_size=1, activation='relu'),
            nn.Conv2D(num_channels, kernel_size=1, activation='relu'))
    return blk


class Inception(nn.Block):
    def __init__(self, c1, c2, c3, c4, **kwargs):
        super().__init__(**kwargs)
        self.p1_1 = nn.Conv2D(c1, kernel_size=1, activation='relu')
        self.p2_1 = nn.Conv2D(c2[0], kernel_size=1, activation='relu')
        self.p2_2 = nn.Conv2D(c2[1], kernel_size=3, padding=1, activation='relu')
        self.p3_1 = nn.Conv2D(c3[0], kernel_size=1, activation='relu')
        self.p3_2 = nn.Conv2D(c3[1], kernel_size=5, padding=2, activation='relu')
        self.p4_1 = nn.MaxPool2D(pool_size=3, strides=1, padding=1)
        self.p4_2 = nn.Conv2D(c4, kernel_size=1, activation='relu')

    def forward(self, x):
        p1 = self.p1_1(x)
        p2 = self.p2_2(self.p2_1(x))
        p3 = self.p3_2(self.p3_1(x))
        p4 = self.p4_2(self.p4_1(x))
        return np.concatenate((p1, p2, p3, p4), axis=1)


def conv_block(num_channels):
    blk = nn.Sequential()
    blk.add(nn.BatchNorm(), nn.Activation('relu'),
            nn.Conv2D(num_channels, kernel_size=3, padding=1))
    return blk


class DenseBlock(nn.Block):
    def __init__(self, num_convs, num_channels, **kwargs):
        super().__init__(**kwargs)
        self.net = nn.Sequential()
        for _ in range(num_convs):
            self.net.add(conv_block(num_channels))

    def forward(self, X):
        for blk in self.net:
            X = np.concatenate((X, blk(X)), axis=1)
        return X


def batch_norm(X, gamma, beta, moving_mean, moving_var, eps, momentum):  # 7.5 scratch
    if not autograd.is_training():
        X_hat = (X - moving_mean) / np.sqrt(moving_var + eps)
    else:
        mean = X.mean(axis=(0, 2, 3), keepdims=True)
        var = ((X - mean) ** 2).mean(axis=(0, 2, 3), keepdims=True)
        X_hat = (X - mean) / np.sqrt(var + eps)
        moving_mean = momentum * moving_mean + (1.0 - momentum) * mean
        moving_var = momentum * moving_var + (1.0 - momentum) * var
    return gamma * X_hat + beta, moving_mean, moving_var


alexnet = nn.Sequential()
alexnet.add(nn.Conv2D(16, kernel_size=11, strides=4, activation='relu'),
            nn.MaxPool2D(pool_size=3, strides=2),
            nn.Conv2D(32, kernel_size=5, padding=2, activation='relu'),
            nn.MaxPool2D(pool_size=3, strides=2),
            nn.Dense(64, activation='relu'), nn.Dropout(0.5), nn.Dense(10))
vgg = nn.Sequential()
for (n, c) in ((1, 8), (1, 16), (2, 16)):
    vgg.add(vgg_block(n, c))
vgg.add(nn.Dense(32, activation='relu'), nn.Dropout(0.5), nn.Dense(10))
nin = nn.Sequential()
nin.add(nin_block(16, kernel_size=11, strides=4, padding=0),
        nn.MaxPool2D(pool_size=3, strides=2), nn.Dropout(0.5),
        nin_block(10, kernel_size=3, strides=1, padding=1),
        nn.GlobalAvgPool2D(), nn.Flatten())
googlenet = nn.Sequential()
googlenet.add(nn.Conv2D(16, kernel_size=7, strides=2, padding=3, activation='relu'),
              nn.MaxPool2D(pool_size=3, strides=2, padding=1),
              Inception(8, (8, 16), (4, 8), 8), nn.GlobalAvgPool2D(), nn.Dense(10))
bnnet = nn.Sequential()
bnnet.add(nn.Conv2D(6, kernel_size=5), nn.BatchNorm(), nn.Activation('sigmoid'),
          nn.AvgPool2D(pool_size=2, strides=2), nn.Dense(10))
resnet = nn.Sequential()
resnet.add(nn.Conv2D(16, kernel_size=7, strides=2, padding=3), nn.BatchNorm(),
           nn.Activation('relu'), nn.MaxPool2D(pool_size=3, strides=2, padding=1),
           d2l.Residual(16), d2l.Residual(32, use_1x1conv=True, strides=2),
           nn.GlobalAvgPool2D(), nn.Dense(10))
densenet = nn.Sequential()
densenet.add(nn.Conv2D(16, kernel_size=7, strides=2, padding=3), DenseBlock(2, 8),
             nn.BatchNorm(), nn.Activation('relu'), nn.GlobalAvgPool2D(), nn.Dense(10))
Xm = np.array(onp.random.RandomState(4).uniform(size=(2, 1, 64, 64)).astype('float32'))
for name, model in [('alexnet', alexnet), ('vgg', vgg), ('nin', nin),
                    ('googlenet', googlenet), ('batchnorm', bnnet), ('resnet', resnet),
                    ('densenet', densenet)]:
    model.initialize(Det())
    put('ch7_' + name, model(Xm))
    with autograd.record():                # training mode: BatchNorm uses batch statistics
        out = model(Xm)
    put('ch7_' + name + '_train_shape', out.shape)
    if name in ('batchnorm', 'resnet', 'densenet'):
        put('ch7_' + name + '_train', out)
gamma, beta = np.ones((1, 3, 1, 1)), np.zeros((1, 3, 1, 1))
with autograd.record():
    Yb, mm, mv = batch_norm(Xm[:, :1].repeat(3, axis=1) * np.arange(1, 4).reshape(1, 3, 1, 1),
                            gamma, beta, np.zeros((1, 3, 1, 1)), np.ones((1, 3, 1, 1)),
                            1e-5, 0.9)
put('ch7_batch_norm_scratch', [Yb.mean(), Yb.std(), mm, mv])


# ---- ch8-9: RNNs --------------------------------------------------------------------------
text = ('the time traveller for so it will be convenient to speak of him was expounding '
        'a recondite matter to us his grey eyes shone and twinkled ') * 3
tokens = d2l.tokenize([text], 'char')
vocab = d2l.Vocab(tokens)
corpus = [vocab[tok] for line in tokens for tok in line]
put('ch8_vocab', [len(vocab), vocab['t'], vocab.to_tokens(3) == vocab.idx_to_token[3]])
random.seed(0)
put('ch8_seq_random', [v for X, Y in d2l.seq_data_iter_random(list(range(35)), 2, 5)
                       for v in (X, Y) for v in v.reshape(-1).tolist()])
put('ch8_seq_sequential', [v for X, Y in d2l.seq_data_iter_sequential(list(range(35)), 2, 5)
                           for v in (X, Y) for v in v.reshape(-1).tolist()])
num_hiddens = 32


def get_params(vocab_size, num_hiddens, device):
    det = Det(0.1)
    shapes = [(vocab_size, num_hiddens), (num_hiddens, num_hiddens), (num_hiddens,),
              (num_hiddens, vocab_size), (vocab_size,)]
    params = []
    for s in shapes:
        p = np.zeros(s, ctx=device)
        if len(s) == 2:
            det._init_weight('w', p)
        p.attach_grad()
        params.append(p)
    return params


def init_rnn_state(batch_size, num_hiddens, device):
    return (np.zeros((batch_size, num_hiddens), ctx=device), )


def rnn_scratch(inputs, state, params):
    W_xh, W_hh, b_h, W_hq, b_q = params
    H, = state
    outputs = []
    for X in inputs:
        H = np.tanh(np.dot(X, W_xh) + np.dot(H, W_hh) + b_h)
        outputs.append(np.dot(H, W_hq) + b_q)
    return np.concatenate(outputs, axis=0), (H, )


device = d2l.try_gpu()


class Corpus:
    def __iter__(self):
        random.seed(1)
        return d2l.seq_data_iter_sequential(corpus, 4, 10)


scratch = d2l.RNNModelScratch(len(vocab), num_hiddens, device, get_params,
                              init_rnn_state, rnn_scratch)
state = scratch.begin_state(2, device)
Yo, new_state = scratch(np.array([[1, 2, 3], [4, 5, 6]]), state)
put('ch8_scratch_forward', [Yo.shape, len(new_state), new_state[0].shape, Yo[:2, :4]])
put('ch8_grad_clipping', [len(vocab)])
d2l.train_ch8(scratch, Corpus(), vocab, 1, 10, device)
put('ch8_scratch_curves', curves())
put('ch8_predict', [len(d2l.predict_ch8('time ', 10, scratch, vocab, device))])
for name, layer in [('rnn', rnn.RNN(num_hiddens)), ('gru', rnn.GRU(num_hiddens)),
                    ('lstm', rnn.LSTM(num_hiddens))]:
    model = d2l.RNNModel(layer, len(vocab))
    d2l.train_ch8(model, Corpus(), vocab, 1, 10, device)
    put('ch9_' + name + '_curves', curves())
    put('ch9_' + name + '_state', [len(model.begin_state(batch_size=2, ctx=device))])
deep = rnn.LSTM(num_hiddens, 2, bidirectional=True)
deep.initialize(Det())
Xseq = np.array(onp.random.RandomState(5).uniform(size=(5, 2, 4)).astype('float32'))
out, st = deep(Xseq, deep.begin_state(batch_size=2))
put('ch9_bilstm', [out.shape, st[0].shape, out[-1, :, :3]])
encoder = d2l.Seq2SeqEncoder(vocab_size=10, embed_size=8, num_hiddens=16, num_layers=2)
encoder.initialize(Det())
Xe = np.array([[1, 2, 3, 4, 0, 0, 0], [5, 6, 7, 0, 0, 0, 0]])
output, enc_state = encoder(Xe)
put('ch9_seq2seq_encoder', [output.shape, len(enc_state), enc_state[0].shape,
                            output[-1, :, :4]])


class Seq2SeqDecoder(d2l.Decoder):       # 9.7
    def __init__(self, vocab_size, embed_size, num_hiddens, num_layers, dropout=0, **kw):
        super().__init__(**kw)
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.rnn = rnn.GRU(num_hiddens, num_layers, dropout=dropout)
        self.dense = nn.Dense(vocab_size, flatten=False)

    def init_state(self, enc_outputs, *args):
        return enc_outputs[1]

    def forward(self, X, state):
        X = self.embedding(X).swapaxes(0, 1)
        context = state[0][-1]
        context = np.broadcast_to(context, (X.shape[0], context.shape[0], context.shape[1]))
        X_and_context = np.concatenate((X, context), 2)
        output, state = self.rnn(X_and_context, state)
        output = self.dense(output).swapaxes(0, 1)
        return output, state


decoder = Seq2SeqDecoder(vocab_size=10, embed_size=8, num_hiddens=16, num_layers=2)
decoder.initialize(Det())
dec_out, dec_state = decoder(Xe, decoder.init_state(encoder(Xe)))
put('ch9_seq2seq_decoder', [dec_out.shape, dec_state[0].shape, dec_out[:, -1, :4]])
seq2seq = d2l.EncoderDecoder(encoder, decoder)
put('ch9_encoder_decoder', seq2seq(Xe, Xe)[0][0, 0, :4])
put('ch9_sequence_mask', npx.sequence_mask(np.ones((2, 3, 4)), np.array([1, 2]), True,
                                           value=-1, axis=1))
celoss = d2l.MaskedSoftmaxCELoss()
put('ch9_masked_ce', celoss(np.ones((3, 4, 10)), np.ones((3, 4)), np.array([4, 2, 0])))
put('ch9_truncate_pad', d2l.truncate_pad([1, 2, 3], 6, 0) + d2l.truncate_pad(list(range(9)),
                                                                               6, 0))
put('ch9_bleu', [d2l.bleu('a b c d', 'a b c e', 2)])


# ---- ch10: attention -----------------------------------------------------------------------
Xa = np.array(onp.random.RandomState(6).uniform(size=(2, 2, 4)).astype('float32'))
put('ch10_masked_softmax', [d2l.masked_softmax(Xa, np.array([2, 3])),
                            d2l.masked_softmax(Xa, np.array([[1, 3], [2, 4]]))])
queries, keys = np.array(onp.random.RandomState(7).normal(0, 1, (2, 1, 20))
                         .astype('float32')), np.ones((2, 10, 2))
values = np.arange(40).reshape(1, 10, 4).repeat(2, axis=0)
valid_lens = np.array([2, 6])
attention = d2l.AdditiveAttention(num_hiddens=8, dropout=0.1)
attention.initialize(Det())
put('ch10_additive', [attention(queries, keys, values, valid_lens),
                      attention.attention_weights])
attention = d2l.DotProductAttention(dropout=0.5)
attention.initialize()
put('ch10_dot', attention(np.ones((2, 1, 2)), keys, values, valid_lens))
mha = d2l.MultiHeadAttention(100, 5, 0.5)
mha.initialize(Det())
Xq = np.array(onp.random.RandomState(8).uniform(size=(2, 4, 100)).astype('float32'))
Yk = np.array(onp.random.RandomState(9).uniform(size=(2, 6, 100)).astype('float32'))
put('ch10_multihead', mha(Xq, Yk, Yk, np.array([3, 2]))[:, :, :5])
pos = d2l.PositionalEncoding(32, 0)
pos.initialize()
put('ch10_positional', pos(np.zeros((1, 20, 32)))[0, ::5, ::4])
ffn = d2l.PositionWiseFFN(8, 4)
ffn.initialize(Det())
put('ch10_ffn', ffn(np.ones((2, 3, 4)))[0])
add_norm = d2l.AddNorm(0.5)
add_norm.initialize()
put('ch10_addnorm', add_norm(Xq[:, :, :4], Xq[:, :, 4:8]))
transformer = d2l.TransformerEncoder(200, 24, 48, 8, 2, 0.5)
transformer.initialize(Det())
enc = transformer(np.array([[1, 2, 3, 4, 0, 0], [5, 6, 0, 0, 0, 0]]), np.array([4, 2]))
put('ch10_transformer', [enc.shape, enc[:, :, :3]])
put('ch10_transformer_weights', [transformer.attention_weights[0].shape])


# ---- ch11: optimizers --------------------------------------------------------------------
rs = onp.random.RandomState(10)
feats = rs.normal(size=(100, 5)).astype('float32')
labels = (feats @ onp.array([0.5, -1, 2, 0, 1], 'float32') + 0.3).astype('float32')
data_iter = loader(np.array(feats), np.array(labels), 10)


def sgd(params, states, hyperparams):
    for p in params:
        p[:] -= hyperparams['lr'] * p.grad


def init_momentum_states(feature_dim):
    return (np.zeros((feature_dim, 1)), np.zeros(1))


def sgd_momentum(params, states, hyperparams):
    for p, v in zip(params, states):
        v[:] = hyperparams['momentum'] * v + p.grad
        p[:] -= hyperparams['lr'] * v


def init_adagrad_states(feature_dim):
    return (np.zeros((feature_dim, 1)), np.zeros(1))


def adagrad(params, states, hyperparams):
    eps = 1e-6
    for p, s in zip(params, states):
        s[:] += np.square(p.grad)
        p[:] -= hyperparams['lr'] * p.grad / np.sqrt(s + eps)


def rmsprop(params, states, hyperparams):
    gamma, eps = hyperparams['gamma'], 1e-6
    for p, s in zip(params, states):
        s[:] = gamma * s + (1 - gamma) * np.square(p.grad)
        p[:] -= hyperparams['lr'] * p.grad / np.sqrt(s + eps)


def init_adam_states(feature_dim):
    return ((np.zeros((feature_dim, 1)), np.zeros((feature_dim, 1))),
            (np.zeros(1), np.zeros(1)))


def adam(params, states, hyperparams):
    beta1, beta2, eps = 0.9, 0.999, 1e-6
    for p, (v, s) in zip(params, states):
        v[:] = beta1 * v + (1 - beta1) * p.grad
        s[:] = beta2 * s + (1 - beta2) * np.square(p.grad)
        v_bias_corr = v / (1 - beta1 ** hyperparams['t'])
        s_bias_corr = s / (1 - beta2 ** hyperparams['t'])
        p[:] -= hyperparams['lr'] * v_bias_corr / (np.sqrt(s_bias_corr) + eps)
    hyperparams['t'] += 1


class _DetNumpy:
    """mxnet.np for d2l's functions, except that np.random.normal (train_ch11's initial
    weights) gives Det's values: the scratch optimizers' curves become comparable."""
    def __init__(self, real):
        self._real = real
        self.random = types.SimpleNamespace(normal=self._normal)

    def __getattr__(self, name):
        return getattr(self._real, name)

    def _normal(self, loc=0, scale=1, size=None, **kwargs):
        arr = self._real.zeros(size)
        Det(scale)._init_weight('w', arr)
        return arr + loc


d2l.np = _DetNumpy(np)
for name, fn, states, hp in [('sgd', sgd, None, {'lr': 0.1}),
                             ('momentum', sgd_momentum, init_momentum_states(5),
                              {'lr': 0.05, 'momentum': 0.5}),
                             ('adagrad', adagrad, init_adagrad_states(5), {'lr': 0.1}),
                             ('rmsprop', rmsprop, init_adagrad_states(5),
                              {'lr': 0.01, 'gamma': 0.9}),
                             ('adam', adam, init_adam_states(5), {'lr': 0.01, 't': 1})]:
    d2l.train_ch11(fn, states, hp, data_iter, 5, num_epochs=6)
    put('ch11_scratch_' + name, curves())
d2l.np = np
for tr, hp in [('sgd', {'learning_rate': 0.05}), ('sgd', {'learning_rate': 0.05,
                                                         'momentum': 0.9}),
               ('adagrad', {'learning_rate': 0.1}), ('rmsprop', {'learning_rate': 0.01,
                                                                 'gamma1': 0.9}),
               ('adadelta', {'rho': 0.9}), ('adam', {'learning_rate': 0.01})]:
    d2l.train_concise_ch11(tr, hp, data_iter, num_epochs=2)
    put('ch11_concise_' + tr + ('_momentum' if 'momentum' in hp else ''), curves())
from mxnet import lr_scheduler  # noqa: E402
sched = lr_scheduler.FactorScheduler(step=2, factor=0.9, stop_factor_lr=1e-2, base_lr=2.0)
multi = lr_scheduler.MultiFactorScheduler(step=[15, 30], factor=0.5, base_lr=0.5)
cosine = lr_scheduler.CosineScheduler(max_update=20, base_lr=0.3, final_lr=0.01,
                                      warmup_steps=5)
put('ch11_schedulers', [[s(t) for t in range(0, 40, 3)] for s in (sched, multi, cosine)])


# ---- ch12: computational performance --------------------------------------------------------
def get_net():
    net = nn.HybridSequential()
    net.add(nn.Dense(256, activation='relu'), nn.Dense(128, activation='relu'), nn.Dense(2))
    net.initialize(Det())
    return net


xh = np.array(onp.random.RandomState(11).normal(size=(1, 512)).astype('float32'))
hnet = get_net()
eager = hnet(xh)
hnet.hybridize()
put('ch12_hybridize', [eager, hnet(xh), hnet(xh)])
with d2l.Benchmark('hybrid'):
    for _ in range(3):
        hnet(xh)
    npx.waitall()
hnet.export('my_mlp')
sym_net = gluon.SymbolBlock.imports('my_mlp-symbol.json', ['data'], 'my_mlp-0000.params')
put('ch12_export_import', sym_net(xh))


class HybridNet(nn.HybridBlock):
    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.hidden = nn.Dense(4)
        self.output = nn.Dense(2)

    def hybrid_forward(self, F, x):
        x = F.npx.relu(self.hidden(x))
        return self.output(x)


hn = HybridNet()
hn.initialize(Det())
before = hn(np.ones((1, 3)))
hn.hybridize()
put('ch12_hybrid_forward', [before, hn(np.ones((1, 3))), hn(np.ones((1, 3)))])
a = np.ones((1, 2))
b = np.ones((1, 2))
c = a * b + 2
c.wait_to_read()
put('ch12_async', [c.asnumpy(), c.item() if c.size == 1 else 0])
devices = [mx.cpu(0), mx.cpu(1)]
data = np.arange(20).reshape(4, 5)
split = gluon.utils.split_and_load(data, devices)
put('ch12_split', [split[0], split[1], str(split[1].ctx) == 'cpu(1)'])
Xsb, ysb = d2l.split_batch(data, np.arange(4), devices)
put('ch12_split_batch', [len(Xsb), ysb[1]])


def allreduce(data):                     # 12.5 from scratch
    for i in range(1, len(data)):
        data[0][:] += data[i].copyto(data[0].ctx)
    for i in range(1, len(data)):
        data[0].copyto(data[i])


ar = [np.ones((1, 2), ctx=mx.cpu(i)) * (i + 1) for i in range(2)]
allreduce(ar)
put('ch12_allreduce', [ar[0], ar[1]])
r18 = d2l.resnet18(10)
r18.initialize(init=Det(), ctx=devices)
Xr18 = np.array(onp.random.RandomState(12).uniform(size=(4, 1, 28, 28)).astype('float32'))
shards = gluon.utils.split_and_load(Xr18, devices)
outs = [r18(s) for s in shards]
put('ch12_resnet18_multi', [np.concatenate([o.as_in_ctx(mx.cpu()) for o in outs])[:, :4],
                            str(outs[1].ctx) == 'cpu(1)'])
yr18 = np.array([0, 1, 2, 3])
trainer = gluon.Trainer(r18.collect_params(), 'sgd', {'learning_rate': 0.1})
d2l.train_batch_ch13(r18, Xr18, yr18, gluon.loss.SoftmaxCrossEntropyLoss(), trainer,
                     devices)
put('ch12_evaluate_gpus', [d2l.evaluate_accuracy_gpus(r18, loader(Xr18, yr18, 4))])


# ---- ch13: computer vision pieces without downloads -------------------------------------
from mxnet import image  # noqa: E402
from mxnet.gluon.data.vision import transforms  # noqa: E402
img = np.array(onp.random.RandomState(13).randint(0, 256, (40, 60, 3)).astype('uint8'))
flip = transforms.RandomFlipLeftRight()(img)
put('ch13_flip', [(flip == img).all() or (flip == img[:, ::-1]).all(), flip.shape])
put('ch13_flip_tb', [transforms.RandomFlipTopBottom()(img).shape])
crop = transforms.RandomResizedCrop((20, 20), scale=(0.1, 1), ratio=(0.5, 2))(img)
put('ch13_random_resized_crop', crop.shape)
color = transforms.RandomColorJitter(brightness=0.5, contrast=0.5, saturation=0.5,
                                     hue=0.5)(img)
put('ch13_color_jitter', [color.shape, color.dtype == img.dtype])
aug = transforms.Compose([transforms.RandomFlipLeftRight(), transforms.ToTensor()])
put('ch13_compose', [aug(img).shape, float(aug(img).max()) <= 1])
Xanc = np.zeros((1, 3, 4, 6))
Yanc = npx.multibox_prior(Xanc, sizes=[0.75, 0.5, 0.25], ratios=[1, 2, 0.5])
put('ch13_multibox_prior', Yanc)
put('ch13_d2l_multibox_prior', d2l.multibox_prior(Xanc, sizes=[0.75, 0.5, 0.25],
                                                  ratios=[1, 2, 0.5]))
boxes = np.array([[60.0, 45.0, 378.0, 516.0], [400.0, 112.0, 655.0, 493.0]])
put('ch13_box_convert', [d2l.box_corner_to_center(boxes),
                         d2l.box_center_to_corner(d2l.box_corner_to_center(boxes))])
ground_truth = np.array([[0, 0.1, 0.08, 0.52, 0.92], [1, 0.55, 0.2, 0.9, 0.88]])
anchors = np.array([[0, 0.1, 0.2, 0.3], [0.15, 0.2, 0.4, 0.4], [0.63, 0.05, 0.88, 0.98],
                    [0.66, 0.45, 0.8, 0.8], [0.57, 0.3, 0.92, 0.9]])
put('ch13_box_iou', d2l.box_iou(anchors, ground_truth[:, 1:]))
labels = d2l.multibox_target(np.expand_dims(anchors, axis=0),
                             np.expand_dims(ground_truth, axis=0))
put('ch13_multibox_target', [labels[0], labels[1], labels[2]])
npx_labels = npx.multibox_target(np.expand_dims(anchors, axis=0),
                                 np.expand_dims(ground_truth, axis=0),
                                 np.zeros((1, 3, 5)))
put('ch13_npx_multibox_target', [npx_labels[0], npx_labels[1], npx_labels[2]])
anchors4 = np.array([[0.1, 0.08, 0.52, 0.92], [0.08, 0.2, 0.56, 0.95],
                     [0.15, 0.3, 0.62, 0.91], [0.55, 0.2, 0.9, 0.88]])
offset_preds = np.array([0] * d2l.size(anchors4))
cls_probs = np.array([[0] * 4, [0.9, 0.8, 0.7, 0.1], [0.1, 0.2, 0.3, 0.9]])
output = d2l.multibox_detection(np.expand_dims(cls_probs, axis=0),
                                np.expand_dims(offset_preds, axis=0),
                                np.expand_dims(anchors4, axis=0), nms_threshold=0.5)
put('ch13_multibox_detection', output)
put('ch13_nms', d2l.nms(anchors4, np.array([0.9, 0.8, 0.7, 0.9]), 0.5))
npx_out = npx.multibox_detection(np.expand_dims(cls_probs, axis=0),
                                 np.expand_dims(offset_preds, axis=0),
                                 np.expand_dims(anchors4, axis=0), nms_threshold=0.5)
put('ch13_npx_multibox_detection', npx_out)
put('ch13_offset_inverse', d2l.offset_inverse(anchors4, np.ones((4, 4)) * 0.1))

# ---- ch9-10: seq2seq training and prediction (a tiny made-up corpus) -----------------------
raw = ('go .\tva !\nhi .\tsalut !\nrun !\tcours !\nwho ?\tqui ?\nwow !\tça alors !\n'
       'help !\tà l\'aide !\nstop !\tarrête !\nwait !\tattends !\n') * 2
source, target = d2l.tokenize_nmt(d2l.preprocess_nmt(raw))
src_vocab = d2l.Vocab(source, min_freq=0, reserved_tokens=['<pad>', '<bos>', '<eos>'])
tgt_vocab = d2l.Vocab(target, min_freq=0, reserved_tokens=['<pad>', '<bos>', '<eos>'])
src_array, src_valid = d2l.build_array_nmt(source, src_vocab, 6)
tgt_array, tgt_valid = d2l.build_array_nmt(target, tgt_vocab, 6)
put('ch9_nmt_arrays', [len(src_vocab), len(tgt_vocab), src_array[:2], tgt_valid])
nmt_iter = d2l.load_array((src_array, src_valid, tgt_array, tgt_valid), 4, is_train=False)


class Seq2SeqAttentionDecoder(d2l.AttentionDecoder):    # 10.4
    def __init__(self, vocab_size, embed_size, num_hiddens, num_layers, dropout=0, **kw):
        super().__init__(**kw)
        self.attention = d2l.AdditiveAttention(num_hiddens, dropout)
        self.embedding = nn.Embedding(vocab_size, embed_size)
        self.rnn = rnn.GRU(num_hiddens, num_layers, dropout=dropout)
        self.dense = nn.Dense(vocab_size, flatten=False)

    def init_state(self, enc_outputs, enc_valid_lens, *args):
        outputs, hidden_state = enc_outputs
        return (outputs.swapaxes(0, 1), hidden_state, enc_valid_lens)

    def forward(self, X, state):
        enc_outputs, hidden_state, enc_valid_lens = state
        X = self.embedding(X).swapaxes(0, 1)
        outputs, self._attention_weights = [], []
        for x in X:
            query = np.expand_dims(hidden_state[0][-1], axis=1)
            context = self.attention(query, enc_outputs, enc_outputs, enc_valid_lens)
            x = np.concatenate((context, np.expand_dims(x, axis=1)), axis=-1)
            out, hidden_state = self.rnn(x.swapaxes(0, 1), hidden_state)
            outputs.append(out)
            self._attention_weights.append(self.attention.attention_weights)
        outputs = self.dense(np.concatenate(outputs, axis=0))
        return outputs.swapaxes(0, 1), [enc_outputs, hidden_state, enc_valid_lens]

    @property
    def attention_weights(self):
        return self._attention_weights


for name, dec in [('seq2seq', Seq2SeqDecoder(len(tgt_vocab), 16, 16, 2)),
                  ('bahdanau', Seq2SeqAttentionDecoder(len(tgt_vocab), 16, 16, 2))]:
    model = d2l.EncoderDecoder(d2l.Seq2SeqEncoder(len(src_vocab), 16, 16, 2), dec)
    d2l.train_seq2seq(model, nmt_iter, 0.01, 20, tgt_vocab, device)
    put(f'ch9_{name}_curves', curves())
    pred, attn = d2l.predict_seq2seq(model, 'hi .', src_vocab, tgt_vocab, 6, device,
                                     name == 'bahdanau')
    put(f'ch9_{name}_predict', [len(pred.split()) <= 6, len(attn)])


# ---- ch13: train_ch13 on two contexts ------------------------------------------------------
small = nn.Sequential()
small.add(nn.Conv2D(4, 3, activation='relu'), nn.BatchNorm(), nn.GlobalAvgPool2D(),
          nn.Dense(10))
small.initialize(Det(), ctx=devices)
Xi13, yi13 = classes(40, 8 * 8 * 3, shape=(3, 8, 8))
d2l.train_ch13(small, loader(Xi13, yi13, 8), loader(Xi13, yi13, 8),
               gluon.loss.SoftmaxCrossEntropyLoss(),
               gluon.Trainer(small.collect_params(), 'sgd', {'learning_rate': 0.1}), 2,
               devices)
put('ch13_train_ch13_curves', curves())


# ---- ch12.5: data parallelism from scratch on cpu(0)/cpu(1) --------------------------------
def scratch_lenet(X, params):
    h1 = npx.pooling(data=npx.relu(npx.convolution(data=X, weight=params[0], bias=params[1],
                                                    kernel=(3, 3), num_filter=20)),
                     pool_type='avg', kernel=(2, 2), stride=(2, 2))
    h2 = npx.pooling(data=npx.relu(npx.convolution(data=h1, weight=params[2], bias=params[3],
                                                    kernel=(5, 5), num_filter=50)),
                     pool_type='avg', kernel=(2, 2), stride=(2, 2))
    h2 = h2.reshape(h2.shape[0], -1)
    h3 = npx.relu(np.dot(h2, params[4]) + params[5])
    return np.dot(h3, params[6]) + params[7]


lenet_params = []
for shape in [(20, 1, 3, 3), (20,), (50, 20, 5, 5), (50,), (800, 128), (128,), (128, 10),
              (10,)]:
    p = np.zeros(shape)
    if len(shape) > 1:
        Det(0.05)._init_weight('w', p)
    lenet_params.append(p)


def get_params(params, device):
    new_params = [p.copyto(device) for p in params]
    for p in new_params:
        p.attach_grad()
    return new_params


def train_batch(X, y, device_params, devices, lr):
    ce = gluon.loss.SoftmaxCrossEntropyLoss()
    X_shards, y_shards = d2l.split_batch(X, y, devices)
    with autograd.record():
        ls = [ce(scratch_lenet(X_shard, device_W), y_shard)
              for X_shard, y_shard, device_W in zip(X_shards, y_shards, device_params)]
    for l in ls:
        l.backward()
    for i in range(len(device_params[0])):
        allreduce([device_params[c][i].grad for c in range(len(devices))])
    for param in device_params:
        d2l.sgd(param, lr, X.shape[0])
    return sum(float(l.sum()) for l in ls)


device_params = [get_params(lenet_params, d) for d in devices]
put('ch12_scratch_copy', [str(device_params[1][0].ctx) == 'cpu(1)',
                          device_params[1][1].grad.shape])
Xs12, ys12 = classes(16, 28 * 28, shape=(1, 28, 28))
put('ch12_scratch_train', [train_batch(Xs12, ys12, device_params, devices, 0.2)
                           for _ in range(3)])
put('ch12_scratch_replicas_agree', [float(np.abs(device_params[0][4] - device_params[1][4]
                                                 .copyto(mx.cpu())).max())])
put('ch12_scratch_eval', [d2l.accuracy(scratch_lenet(Xs12, device_params[0]), ys12)])


# ---- ch14 pieces: skip-gram and BERT forward/loss on made-up tokens ------------------------
embed = nn.Embedding(input_dim=20, output_dim=4)
embed.initialize(Det())
center, ctx_neg = np.array([[1], [2]]), np.array([[3, 4, 5, 6], [7, 8, 9, 10]])
pred = npx.batch_dot(embed(center), embed(ctx_neg).swapaxes(1, 2))
bce = gluon.loss.SigmoidBCELoss()
mask = np.array([[1, 1, 1, 0], [1, 1, 0, 0]])
label = np.array([[1, 0, 0, 0], [1, 1, 0, 0]])
put('ch14_skip_gram', [pred, bce(pred.reshape(label.shape), label, mask) * mask.shape[1] /
                       mask.sum(axis=1)])
bert = d2l.BERTModel(vocab_size=30, num_hiddens=16, ffn_num_hiddens=32, num_heads=2,
                     num_layers=2, dropout=0.0, max_len=20)
bert.initialize(Det())
tok = np.array(onp.random.RandomState(14).randint(0, 30, (2, 8)))
seg = np.array([[0] * 4 + [1] * 4] * 2)
encoded, mlm_hat, nsp_hat = bert(tok, seg, np.array([8, 6]), np.array([[1, 2, 3], [4, 5, 6]]))
put('ch14_bert_forward', [encoded.shape, encoded[:, 0, :4], mlm_hat[:, :, :4], nsp_hat])
put('ch14_tokens_segments', d2l.get_tokens_and_segments(['a', 'b'], ['c'])[1])
ce = gluon.loss.SoftmaxCELoss()
bert_trainer = gluon.Trainer(bert.collect_params(), 'adam', {'learning_rate': 0.01})
for _ in range(2):
    with autograd.record():
        mlm_l, nsp_l, l = d2l._get_batch_loss_bert(
            bert, ce, 30, [tok], [seg], [np.array([8., 6.])],
            [np.array([[1, 2, 3], [4, 5, 6]])], [np.array([[1., 1., 0.], [1., 1., 1.]])],
            [np.array([[3, 4, 5], [6, 7, 8]])], [np.array([0, 1])])
    l[0].backward()
    bert_trainer.step(1)
    put('ch14_bert_loss', OUT.get('ch14_bert_loss', []) + [mlm_l[0], nsp_l[0], l[0]])


# ---- ch13: SSD pieces, FCN's transposed convolution with a bilinear kernel ----------------
def cls_predictor(num_anchors, num_classes):
    return nn.Conv2D(num_anchors * (num_classes + 1), kernel_size=3, padding=1)


def bbox_predictor(num_anchors):
    return nn.Conv2D(num_anchors * 4, kernel_size=3, padding=1)


def flatten_pred(pred):
    return npx.batch_flatten(pred.transpose(0, 2, 3, 1))


def concat_preds(preds):
    return np.concatenate([flatten_pred(p) for p in preds], axis=1)


Xssd = np.array(onp.random.RandomState(15).uniform(size=(2, 8, 10, 10)).astype('float32'))
cp, bp = cls_predictor(4, 10), bbox_predictor(4)
cp.initialize(Det())
bp.initialize(Det())
anchors = npx.multibox_prior(Xssd, sizes=[0.2, 0.272], ratios=[1, 2, 0.5])
cls_preds = concat_preds([cp(Xssd), cp(Xssd[:, :, ::2, ::2])])
bbox_preds = concat_preds([bp(Xssd)])
put('ch13_ssd_preds', [anchors.shape, cls_preds.shape, cls_preds[:, :5], bbox_preds[:, :5]])
gt = np.array([[[0, 0.1, 0.1, 0.5, 0.5], [1, 0.4, 0.3, 0.9, 0.8]]] * 2)
bbox_offset, bbox_mask, cls_label = npx.multibox_target(
    anchors, gt, cls_preds.reshape(2, -1, 11)[:, :anchors.shape[1]].transpose(0, 2, 1))
cls_loss = gluon.loss.SoftmaxCrossEntropyLoss()
bbox_loss = gluon.loss.L1Loss()
put('ch13_ssd_loss', [bbox_mask.sum(), cls_label.sum(),
                      cls_loss(cls_preds.reshape(2, -1, 11)[:, :anchors.shape[1]], cls_label),
                      bbox_loss(bbox_preds * bbox_mask, bbox_offset * bbox_mask)])
cls_probs = npx.softmax(cls_preds.reshape(2, -1, 11)[:, :anchors.shape[1]]).transpose(0, 2, 1)
put('ch13_ssd_detect', npx.multibox_detection(cls_probs, bbox_preds, anchors)[:, :6])


def bilinear_kernel(in_channels, out_channels, kernel_size):
    factor = (kernel_size + 1) // 2
    center = factor - 1 if kernel_size % 2 == 1 else factor - 0.5
    og = (np.arange(kernel_size).reshape(-1, 1), np.arange(kernel_size).reshape(1, -1))
    filt = (1 - np.abs(og[0] - center) / factor) * (1 - np.abs(og[1] - center) / factor)
    weight = np.zeros((in_channels, out_channels, kernel_size, kernel_size))
    weight[range(in_channels), range(out_channels), :, :] = filt
    return np.array(weight)


conv_trans = nn.Conv2DTranspose(3, kernel_size=4, padding=1, strides=2)
conv_trans.initialize(init.Constant(bilinear_kernel(3, 3, 4)))
Xup = np.array(onp.random.RandomState(16).uniform(size=(1, 3, 4, 5)).astype('float32'))
put('ch13_fcn_upsample', [conv_trans(Xup).shape, conv_trans(Xup)[0, 0]])
put('ch13_voc_colormap', [d2l.voc_colormap2label()[:5], d2l.voc_label_indices(
    np.array([[[0, 0, 0], [128, 0, 0]], [[0, 128, 0], [128, 128, 0]]]),
    d2l.voc_colormap2label())])


# ---- ch15: TextCNN pieces ------------------------------------------------------------------
emb = nn.Embedding(20, 6)
convs = nn.Sequential()
convs.add(nn.Conv1D(4, 3, activation='relu'), nn.GlobalMaxPool1D())
for blk in (emb, convs):
    blk.initialize(Det())
tokens15 = np.array([[1, 2, 3, 4, 5, 6, 7], [7, 6, 5, 4, 3, 2, 1]])
encoding = convs(emb(tokens15).transpose(0, 2, 1))
put('ch15_textcnn', [encoding.shape, np.squeeze(encoding, axis=-1)])
put('ch15_corr1d', npx.convolution(np.arange(7.).reshape(1, 1, 7),
                                    np.array([1., 2.]).reshape(1, 1, 2), no_bias=True,
                                    kernel=(2,), num_filter=1))

print(json.dumps(OUT))
