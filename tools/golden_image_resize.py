"""Write tests/golden/image_resize.npz with MXNet 1.9.1: uint8 resizes by OpenCV (see
tests/golden/image_resize_cases.py). Run: MXNET_SUBGRAPH_BACKEND=NONE
~/.cache/mxnet-ref/bin/python tools/golden_image_resize.py"""
import mxnet as mx

from golden_util import case_module, save

if __name__ == '__main__':
    save('image_resize', case_module('image_resize_cases').run(mx))
