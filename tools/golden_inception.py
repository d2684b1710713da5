"""Golden data for gluon.model_zoo.vision.inception_v3 from the real MXNet 1.9.1.

Run with the MXNet interpreter:  $(../shared/tools/mxnet-ref.sh) tools/golden_inception.py
Writes tests/golden/inception.npz: the logits of one 299x299 image (batch 1) with every
parameter set by tests/golden/inception_cases.py (seeded numpy), in predict mode and in training
mode (BatchNorm on batch statistics; Dropout set to rate 0 so the output is deterministic)
with the gradient of the classifier's weight (first rows), and the running
mean and variance of the first and last BatchNorm after that step (MXNet updates them in
the backward pass). No weights are stored: the test draws the same values.
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
sys.path.insert(0, str(ROOT / 'tests' / 'golden'))
import inception_cases as cases  # noqa: E402


def main():
    out = {}
    with mx.name.NameManager():
        net = cases.build(vision, nd)
    x = cases.make_input(nd)
    out['predict'] = net(x).asnumpy()
    out['train'] = cases.train_step(net, x, autograd).asnumpy()
    for k, g in cases.grads(net).items():
        out[f'grad/{k}'] = g.asnumpy()
    params = net.collect_params()
    for key, prefix in cases.batchnorms(net).items():
        for stat in ('running_mean', 'running_var'):
            out[f'{key}/{stat}'] = params[prefix + stat].data().asnumpy()
    out['names'] = np.array(list(cases.batchnorms(net).values()))
    for k, v in out.items():
        print(k, v.shape, file=sys.stderr)
    np.savez_compressed(ROOT / 'tests' / 'golden' / 'inception.npz', **out)


if __name__ == '__main__':
    main()
