"""The seed's convolutional networks, written as users of MXNet's Gluon write them.

These follow chapter 5 of the MXNet edition of Dive into Deep Learning (LeNet, AlexNet,
VGG-11, NiN, GoogLeNet, LeNet with BatchNorm, ResNet-18, DenseNet), so their structure and
parameter names are what a user of the book gets. `get(name)` builds one by name.
"""
from .cnn import (lenet, lenet_bn, alexnet, vgg11, nin, googlenet, resnet18, densenet,
                  Inception, Residual, DenseBlock)

NETWORKS = {
    'lenet': lenet, 'lenet_bn': lenet_bn, 'alexnet': alexnet, 'vgg11': vgg11, 'nin': nin,
    'googlenet': googlenet, 'resnet18': resnet18, 'densenet': densenet,
}


def get(name, **kwargs):
    """Build a seed network by name (see NETWORKS)."""
    if name not in NETWORKS:
        raise ValueError(f"unknown network {name!r}; choose one of {sorted(NETWORKS)}")
    return NETWORKS[name](**kwargs)
