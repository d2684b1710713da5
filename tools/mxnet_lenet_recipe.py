"""`regluon train lenet`'s recipe run by the real MXNet 1.9.1, for comparison.

    $(../shared/tools/mxnet-ref.sh) tools/mxnet_lenet_recipe.py [--seeds 0 1 2 3] [--act relu]

Same data (the bundled MNIST subset, regluon/data/mnist: 8,000 training and 2,000 test
digits), the same network code (regluon/models/cnn.py, imported into the mxnet package),
the same initialisation (mx.init.Xavier()), batch size, optimizer and epochs as
regluon/cli_train.py's DEFAULTS. Writes the final test accuracy of each seed and their mean
to tests/golden/model_zoo_lenet_recipe.json.
"""
import argparse
import gzip
import json
import os
import pathlib
import struct
import sys
import time

os.environ.setdefault('MXNET_SUBGRAPH_BACKEND', 'NONE')
import mxnet as mx  # noqa: E402
import numpy as np  # noqa: E402
from mxnet import autograd, gluon, init  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tools'))
from golden_model_zoo import seed_module  # noqa: E402

# regluon/cli_train.py's DEFAULTS (kept equal by tests/test_training.py)
RECIPE = dict(epochs=10, batch_size=256, lr=0.05, momentum=0.9, optimizer='sgd', act='relu')


def idx(path):
    with gzip.open(path, 'rb') as f:
        raw = f.read()
    ndim = struct.unpack('>I', raw[:4])[0] - 2048
    dims = struct.unpack('>' + 'I' * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(dims)


def dataset(kind):
    folder = ROOT / 'regluon' / 'data' / 'mnist'
    x = idx(folder / f'{kind}-images-idx3-ubyte.gz')[..., None]   # (N, 28, 28, 1) as MNIST
    y = idx(folder / f'{kind}-labels-idx1-ubyte.gz').astype('int32')
    tf = gluon.data.vision.transforms.ToTensor()
    return gluon.data.ArrayDataset(mx.nd.array(x, dtype='uint8'), y).transform_first(tf)


def accuracy(net, data):
    right, n = 0.0, 0
    for X, y in data:
        right += (net(X).argmax(axis=1) == y.astype('float32')).sum().asscalar()
        n += y.size
    return right / n


def run(seed, act, recipe):
    mx.random.seed(seed)
    np.random.seed(seed)
    net = seed_module().lenet(act=act)
    net.initialize(init.Xavier())
    train = gluon.data.DataLoader(dataset('train'), recipe['batch_size'], shuffle=True)
    test = gluon.data.DataLoader(dataset('test'), recipe['batch_size'])
    opt = {'learning_rate': recipe['lr']}
    if recipe['momentum']:
        opt['momentum'] = recipe['momentum']
    trainer = gluon.Trainer(net.collect_params(), recipe['optimizer'], opt)
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    for epoch in range(recipe['epochs']):
        start, l_sum, n = time.time(), 0.0, 0
        for X, y in train:
            with autograd.record():
                l = loss(net(X), y).sum()
            l.backward()
            trainer.step(recipe['batch_size'])
            l_sum += l.asscalar()
            n += y.size
        acc = accuracy(net, test)
        print(f'seed {seed} epoch {epoch + 1}, loss {l_sum / n:.4f}, test acc {acc:.4f}, '
              f'time {time.time() - start:.1f} sec', file=sys.stderr)
    return acc


def main():
    p = argparse.ArgumentParser()
    p.add_argument('--seeds', type=int, nargs='+', default=[0, 1, 2, 3])
    p.add_argument('--act', default=RECIPE['act'])
    p.add_argument('--lr', type=float, default=RECIPE['lr'])
    p.add_argument('--momentum', type=float, default=RECIPE['momentum'])
    p.add_argument('--out', default=str(ROOT / 'tests' / 'golden'
                                        / 'model_zoo_lenet_recipe.json'))
    args = p.parse_args()
    recipe = dict(RECIPE, act=args.act, lr=args.lr, momentum=args.momentum)
    accs = [run(s, args.act, recipe) for s in args.seeds]
    result = {'mxnet': mx.__version__, 'recipe': recipe, 'seeds': args.seeds,
              'test_acc': accs, 'mean_test_acc': float(np.mean(accs))}
    print(json.dumps(result, indent=1))
    if args.out != '-':
        with open(args.out, 'w') as f:
            json.dump(result, f, indent=1)
            f.write('\n')


if __name__ == '__main__':
    main()
