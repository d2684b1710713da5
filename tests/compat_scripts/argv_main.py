"""Prints how it was started; with `raise` it fails inside a function, with `exit N` it exits."""
import sys

import mxnet as mx
import mxnet.ndarray as nd
from mxnet import gluon


def fail():
    raise ValueError('boom from the script')


print('name', __name__)
print('argv', sys.argv[1:])
print('mx', mx.__name__, nd.__name__, gluon.nn.Dense.__module__)
print('path0', sys.path[0])
if sys.argv[1:2] == ['raise']:
    fail()
if sys.argv[1:2] == ['exit']:
    sys.exit(int(sys.argv[2]) if sys.argv[2].isdigit() else sys.argv[2])
