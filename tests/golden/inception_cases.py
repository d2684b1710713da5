"""Inception v3's parameters and input, set the same way under MXNet 1.9.1
(tools/golden_inception.py) and regluon (tests/test_model_zoo_inception.py).

`nd` is the library's ndarray module, bound by the caller; no weights are stored."""
import numpy as np

SIZE = 299      # the smallest input MXNet's inception_v3 accepts (298: its last 8x8 pool fails)


def set_params(net, nd):
    """Every parameter drawn from numpy's RandomState(index) (the same values in both
    libraries): weights normal with He's fan-in scale, running statistics and gammas
    near 1, betas near 1, other vectors small."""
    for i, p in enumerate(net.collect_params().values()):
        rng = np.random.RandomState(i)
        if p.name.endswith(('running_var', 'gamma')):
            v = rng.uniform(0.8, 1.2, p.shape)
        elif p.name.endswith('beta'):
            # Betas near 1 keep most ReLUs on. With betas near 0, training mode (BatchNorm
            # on one image's statistics) is chaotic: each block matches MXNet's to 5e-7
            # given MXNet's input, but differences double block by block, reaching 3e-3
            # at the end; with these they stay under 1e-4 (tests at 1e-4 relative).
            v = rng.uniform(0.5, 1.5, p.shape)
        elif len(p.shape) > 1:
            v = rng.normal(0, np.sqrt(2.0 / (int(np.prod(p.shape)) // p.shape[0])), p.shape)
        else:
            v = rng.normal(0, 0.1, p.shape)
        p.set_data(nd.array(v.astype('float32')))


def make_input(nd):
    shape = (1, 3, SIZE, SIZE)
    return nd.array(np.cos(0.3 * np.arange(int(np.prod(shape)))).reshape(shape).astype('float32'))


def build(vision, nd):
    """inception_v3 with seeded parameters and its Dropout off (rate 0: MXNet's Dropout
    is then the identity, so training mode is deterministic)."""
    net = vision.inception_v3()
    net.initialize()
    net(nd.zeros((1, 3, SIZE, SIZE)))       # MXNet's BasicConv/BatchNorm shapes are deferred
    net.features[-1]._rate = 0
    set_params(net, nd)
    return net


def train_step(net, x, autograd):
    """A training-mode forward and backward (head gradient ones): MXNet updates BatchNorm's
    running statistics in the backward pass, so both are needed to compare them."""
    with autograd.record():
        y = net(x)
    y.backward()
    return y


# Gradients compared after train_step: the classifier's weight only. Deeper gradients are
# discontinuous in the forward's rounding: a ReLU input within ~1e-6 of 0 passes its
# gradient in one library and not in the other, so single filters of the first convolution
# differ by up to 5% (each block's forward matches MXNet's to 5e-7).
GRADS = ('output.weight',)


def grads(net):
    params = net._collect_params_with_prefix()
    return {k: params[k].grad()[:8] for k in GRADS}     # the first 8 rows


# Running statistics compared after train_step: the stem's first BatchNorm and the last one
# (inside the second E block).


def batchnorms(net):
    bns = [p for name, p in net.collect_params().items() if name.endswith('running_mean')]
    return {'first': bns[0].name[:-len('running_mean')], 'last': bns[-1].name[:-len('running_mean')]}
