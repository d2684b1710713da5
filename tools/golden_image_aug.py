"""Golden data for mx.image's HueJitterAug, LightingAug, ColorNormalizeAug and
CreateAugmenter(hue=..., pca_noise=...) from the real MXNet 1.9.1.

Run with the MXNet interpreter:  $(../shared/tools/mxnet-ref.sh) tools/golden_image_aug.py
Writes tests/golden/image_aug.npz: for each case of tests/golden/image_aug_cases.py the
outputs of the augmenters on one image and the random draws MXNet made for them
(random.uniform for the hue, numpy.random.normal for the PCA noise; the test replays them),
and CreateAugmenter's list (class names and dumps()) for several argument sets.
"""
import os
import pathlib
import random
import sys

os.environ.setdefault('MXNET_SUBGRAPH_BACKEND', 'NONE')
import mxnet as mx  # noqa: E402
import numpy as np  # noqa: E402
from mxnet import nd  # noqa: E402

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tests' / 'golden'))
import image_aug_cases as cases  # noqa: E402

DRAWS = {'uniform': [], 'normal': []}
_uniform, _normal = random.uniform, np.random.normal


def uniform(a, b):
    DRAWS['uniform'].append(_uniform(a, b))
    return DRAWS['uniform'][-1]


def normal(loc=0.0, scale=1.0, size=None):
    DRAWS['normal'].append(_normal(loc, scale, size))
    return DRAWS['normal'][-1]


def recorded(out, key):
    """Store the draws made since the last call under `key`, and forget them."""
    out[f'{key}/uniform'] = np.array(DRAWS['uniform'], dtype='float64')
    out[f'{key}/normal'] = np.array(DRAWS['normal'], dtype='float64').reshape(-1, 3)
    DRAWS['uniform'].clear()
    DRAWS['normal'].clear()


def main():
    random.seed(1)
    np.random.seed(1)
    random.uniform, np.random.normal = uniform, normal    # mxnet.image calls these
    out = {}
    img = cases.image()
    for name, (aug, calls) in cases.augmenters(mx.image, nd).items():
        ys = [aug(nd.array(img)).asnumpy() for _ in range(calls)]
        out[f'aug/{name}/y'] = np.stack(ys)
        out[f'aug/{name}/dumps'] = np.array(aug.dumps())
        recorded(out, f'aug/{name}')
    for name, kwargs in cases.CREATE.items():
        out[f'create/{name}'] = np.array(cases.describe(cases.create(mx.image, name, kwargs)))
    for name, kwargs in cases.PIPELINES.items():
        augs = cases.create(mx.image, name, kwargs)
        out[f'pipe/{name}/y'] = cases.apply(augs, nd.array(img)).asnumpy()
        recorded(out, f'pipe/{name}')
    try:
        mx.image.CreateAugmenter(cases.DATA_SHAPE, hue_jitter=0.1)
    except TypeError as e:
        out['error/unknown'] = np.array(str(e))
    for k, v in out.items():
        print(k, v.shape, v.dtype, file=sys.stderr)
    np.savez_compressed(ROOT / 'tests' / 'golden' / 'image_aug.npz', **out)


if __name__ == '__main__':
    main()
