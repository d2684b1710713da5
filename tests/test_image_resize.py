"""uint8 resizing against MXNet 1.9.1 (OpenCV 3.4.2's cv::resize), bit for bit: every
interp (nearest, bilinear, bicubic, area with its whole-factor path, Lanczos-4), up, down
and mixed, 1 and 3 channels, through mx.image.imresize, nd.image.resize, resize_short and
the gluon transforms (tools/golden_image_resize.py, tests/golden/image_resize_cases.py)."""
import sys

import numpy as np
import pytest
import torch

import regluon as mx
from regluon.base import MXNetError
from regluon.image import resize as R

from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
import image_resize_cases as C  # noqa: E402

G = golden('image_resize')
RES = C.run(mx)


@pytest.mark.parametrize('key', sorted(k for k in G if not k.endswith('_f32')))
def test_uint8(key):
    got, want = RES[key], G[key]
    assert got.dtype == want.dtype == np.uint8
    assert got.shape == want.shape
    np.testing.assert_array_equal(got, want)


@pytest.mark.parametrize('key', sorted(k for k in G if k.endswith('_f32')))
def test_float32(key):
    """float32 is OpenCV's float32 arithmetic too, bit for bit (same order of sums)."""
    got, want = RES[key], G[key]
    assert got.dtype == want.dtype == np.float32
    np.testing.assert_array_equal(got, want)


def test_batch_is_per_image():
    """nd.image.resize on an NHWC uint8 batch: each image as alone."""
    imgs = np.stack([C.image(7, 13, 17, 3), C.image(8, 13, 17, 3)])
    batch = mx.nd.image.resize(mx.nd.array(imgs, dtype='uint8'), (29, 23), interp=2)
    for i in range(2):
        one = mx.nd.image.resize(mx.nd.array(imgs[i], dtype='uint8'), (29, 23), interp=2)
        np.testing.assert_array_equal(batch[i].asnumpy(), one.asnumpy())


@pytest.mark.parametrize('call, msg', [
    (lambda: R.resize(torch.zeros(3, 4, 1, dtype=torch.uint8), 2, 2, 5), 'interp must be'),
    (lambda: R.resize(torch.zeros(3, 4, 1, dtype=torch.int32), 2, 2, 1), 'uint8 or float32'),
    (lambda: mx.nd.image.resize(mx.nd.zeros((3, 4, 1), dtype='uint8'), (2, 2), interp=7),
     'interp must be'),
    (lambda: mx.image.imresize(mx.nd.zeros((3, 4, 1), dtype='uint8'), 0, 2), 'positive'),
])
def test_errors(call, msg):
    with pytest.raises(MXNetError, match=msg):
        call()
