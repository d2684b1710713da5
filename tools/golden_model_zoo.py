"""Golden data for gluon.model_zoo and the seed's networks from the real MXNet 1.9.1.

Run with the MXNet interpreter:  $(../shared/tools/mxnet-ref.sh) tools/golden_model_zoo.py
Writes
- tests/golden/model_zoo.npz: for every name of `vision.get_model`, the input shape used,
  and after one forward the structural names (`features.0.weight`), the prefixed names
  (`resnetv10_conv0_weight`) and the shapes of all parameters, and each operator with its
  attributes when the model is traced on a Symbol, and for one model of each family the
  inference output with parameters set by a formula (`formula`). No weights.
- tests/golden/model_zoo_seed.npz: the same for the seed's networks: regluon/models/cnn.py,
  the book's chapter 5 code, run by MXNet itself (see seed_module).
- tests/golden/model_zoo_mobilenet0_25.params (MXNet's save_parameters: structural names)
  and model_zoo_mobilenetv2_0_25-legacy.params (save_params: prefixed names, prefix
  stripped), both classes=10 with seeded random values, and the input and output of a
  forward in inference mode in model_zoo_fwd.npz (with gluon.contrib.nn's
  PixelShuffle* and SyncBatchNorm).
The parameter table, the traced operators and the formula are tests/golden/model_zoo_cases.py,
shared with tests/test_model_zoo.py.
"""
import os
import pathlib
import sys

os.environ.setdefault('MXNET_SUBGRAPH_BACKEND', 'NONE')
import mxnet as mx  # noqa: E402
import numpy as np  # noqa: E402
from mxnet import autograd, nd  # noqa: E402
from mxnet.gluon.model_zoo import vision  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
OUT = ROOT / 'tests' / 'golden'
sys.path.insert(0, str(OUT))
import model_zoo_cases as cases  # noqa: E402  (shared with tests/test_model_zoo.py)

cases.use(mx)

# The smallest square input each model accepts (DenseNet, SqueezeNet and Inception end in
# fixed-size average pools; AlexNet's first convolution needs ~64 pixels).
INPUT = {'alexnet': 64, 'inceptionv3': 299, 'squeezenet1.0': 224, 'squeezenet1.1': 224,
         **{f'densenet{n}': 224 for n in (121, 161, 169, 201)}}
# The seed's networks: the smallest inputs each accepts, one channel as the book's MNIST.
SEED_INPUT = {'lenet': 28, 'lenet_bn': 28, 'alexnet': 67, 'vgg11': 32, 'nin': 67,
              'googlenet': 32, 'resnet18': 28, 'densenet': 32}
SEED_KWARGS = {'vgg11': {'ratio': 4}}  # the book trains VGG-11 with a quarter of the channels
FORWARD = {'mobilenet0.25': 32, 'mobilenetv2_0.25': 32}


def table(net, x):
    """Names and shapes of `net`'s parameters after one forward of `x`."""
    with autograd.pause():
        net(x)
    return tuple(np.array(column, dtype=str) for column in cases.table(net))


def record(out, key, net, size, channels=3):
    x = nd.zeros((1, channels, size, size))
    net.initialize()
    out[f'{key}/input'] = np.array(x.shape)
    out[f'{key}/struct'], out[f'{key}/names'], out[f'{key}/shapes'] = table(net, x)


def zoo():
    out = {}
    for name in MODEL_NAMES:
        with mx.name.NameManager():
            net = vision.get_model(name)
        out[f'{name}/ops'] = np.array(cases.ops(net), dtype=str)
        record(out, name, net, INPUT.get(name, 32))
        if name in cases.FORMULA:
            x = cases.formula(net, tuple(out[f'{name}/input']))
            out[f'{name}/y'] = net(x).asnumpy()
        print(name, len(out[f'{name}/names']), file=sys.stderr)
    np.savez_compressed(OUT / 'model_zoo.npz', **out)


MODEL_NAMES = ['resnet18_v1', 'resnet34_v1', 'resnet50_v1', 'resnet101_v1', 'resnet152_v1',
               'resnet18_v2', 'resnet34_v2', 'resnet50_v2', 'resnet101_v2', 'resnet152_v2',
               'vgg11', 'vgg13', 'vgg16', 'vgg19', 'vgg11_bn', 'vgg13_bn', 'vgg16_bn',
               'vgg19_bn', 'alexnet', 'densenet121', 'densenet161', 'densenet169',
               'densenet201', 'squeezenet1.0', 'squeezenet1.1', 'inceptionv3',
               'mobilenet1.0', 'mobilenet0.75', 'mobilenet0.5', 'mobilenet0.25',
               'mobilenetv2_1.0', 'mobilenetv2_0.75', 'mobilenetv2_0.5', 'mobilenetv2_0.25']


def randomize(net, rng):
    """Every parameter (running statistics included) set to seeded random values."""
    for name, p in sorted(net.collect_params().items()):
        if name.endswith('running_var') or name.endswith('gamma'):
            v = rng.uniform(0.5, 1.5, p.shape)
        else:
            v = rng.normal(0, 0.3 if p.data().ndim > 1 else 0.1, p.shape)
        p.set_data(nd.array(v))


def forward():
    out, rng = {}, np.random.RandomState(0)
    for name, size in FORWARD.items():
        with mx.name.NameManager():
            net = vision.get_model(name, classes=10)
        net.initialize()
        x = nd.array(rng.uniform(-1, 1, (2, 3, size, size)))
        net(x)
        randomize(net, rng)
        out[f'{name}/x'] = x.asnumpy()
        out[f'{name}/y'] = net(x).asnumpy()
        tag = name.replace('.', '_')
        if name == 'mobilenet0.25':  # one file each, to keep the goldens under 2 MB
            net.save_parameters(str(OUT / f'model_zoo_{tag}.params'))
        else:
            net.save_params(str(OUT / f'model_zoo_{tag}-legacy.params'))  # prefix stripped
    # gluon.contrib.nn's pixel shuffles (hybridized: the same graph)
    from mxnet.gluon.contrib import nn as cnn
    for layer, shape in ((cnn.PixelShuffle1D(3), (2, 6, 5)),
                         (cnn.PixelShuffle2D((2, 3)), (2, 12, 3, 5)),
                         (cnn.PixelShuffle3D((2, 1, 3)), (1, 12, 2, 3, 4))):
        key = type(layer).__name__
        out[f'{key}/x'] = rng.uniform(-1, 1, shape).astype('float32')
        out[f'{key}/y'] = layer(nd.array(out[f'{key}/x'])).asnumpy()
    # SyncBatchNorm on one device: training output, running statistics, inference output
    with mx.name.NameManager():
        sbn = cnn.SyncBatchNorm(num_devices=1)
    sbn.initialize()
    x = nd.array(rng.uniform(-1, 1, (2, 3, 4, 4)))
    with autograd.record():
        out['SyncBatchNorm/y_train'] = sbn(x).asnumpy()
    out['SyncBatchNorm/x'] = x.asnumpy()
    out['SyncBatchNorm/names'] = np.array(list(sbn.collect_params().keys()), dtype=str)
    out['SyncBatchNorm/running_mean'] = sbn.running_mean.data().asnumpy()
    out['SyncBatchNorm/running_var'] = sbn.running_var.data().asnumpy()
    out['SyncBatchNorm/y_predict'] = sbn(x).asnumpy()
    np.savez_compressed(OUT / 'model_zoo_fwd.npz', **out)


def seed_module():
    """regluon/models/cnn.py itself, imported as a module of the mxnet package, so that its
    `from .. import nd` and `from ..gluon import nn` are MXNet's: the same book code."""
    import importlib.util
    import types
    sys.modules['mxnet.seed'] = types.ModuleType('mxnet.seed')
    sys.modules['mxnet.seed'].__path__ = []
    spec = importlib.util.spec_from_file_location(
        'mxnet.seed.cnn', ROOT / 'regluon' / 'models' / 'cnn.py')
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def seed():
    out, cnn = {}, seed_module()
    for name, size in SEED_INPUT.items():
        with mx.name.NameManager():
            net = getattr(cnn, name)(**SEED_KWARGS.get(name, {}))
        record(out, name, net, size, channels=1)
    np.savez_compressed(OUT / 'model_zoo_seed.npz', **out)


if __name__ == '__main__':
    zoo()
    forward()
    seed()
