"""Networks of Gluon's own layers and model zoo, hybridized and exported in np mode, built
the same way by MXNet (tools/golden_np_zoo.py) and regluon (tests/test_np_zoo.py): `lib`
is the library module. Parameters come from a seeded RandomState in sorted name order, so
both sides hold the same values without a stored .params file."""
from importlib import import_module

import numpy as onp

NETS = ('layers', 'resnet18_v1', 'resnet18_v2', 'mobilenet0.25', 'vgg11')


def build(lib, name):
    nn = import_module(lib.__name__ + '.gluon.nn')
    vision = import_module(lib.__name__ + '.gluon.model_zoo.vision')
    lib.name.NameManager._current.value = lib.name.NameManager()
    if name == 'layers':
        net = nn.HybridSequential()
        net.add(nn.Dropout(0.0), nn.Dense(6), nn.Dropout(0.5), nn.BatchNorm(), nn.Dense(5),
                nn.PReLU(), nn.ELU(), nn.SELU(), nn.GELU(), nn.Swish(), nn.LayerNorm(),
                nn.Flatten(), nn.LeakyReLU(0.1), nn.Activation('tanh'), nn.Dense(3))
        shape = (2, 4)
    else:
        net = vision.get_model(name, classes=10)
        shape = (1, 3, 32, 32)
    net.initialize()
    np = lib.numpy
    x = np.array(onp.random.RandomState(5).uniform(-1, 1, shape).astype('float32'))
    net(x)
    rng = onp.random.RandomState(6)
    for pname, p in sorted(net.collect_params().items()):
        lo, hi = (0.5, 1.5) if pname.endswith(('running_var', 'moving_var')) else (-0.2, 0.2)
        p.set_data(np.array(rng.uniform(lo, hi, p.shape).astype('float32')))
    return net, x
