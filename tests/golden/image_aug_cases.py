"""mx.image's HueJitterAug, LightingAug, ColorNormalizeAug and CreateAugmenter, run by MXNet
1.9.1 (tools/golden_image_aug.py) and regluon (tests/test_image.py) on the same image.

The random draws differ by library (MXNet: Python's random and numpy's global state;
regluon: torch's generator), so the golden writer records MXNet's draws and the test
replays them through regluon's draw functions: outputs are then comparable exactly."""
import json

import numpy as np

SHAPE = (10, 12, 3)             # an HWC image
DATA_SHAPE = (3, 6, 8)          # CreateAugmenter's output (C, H, W)


def image():
    return np.random.RandomState(0).randint(0, 256, SHAPE).astype('float32')


def augmenters(image_mod, nd):
    """name -> (augmenter, number of calls): the classes used directly."""
    eigval = np.array([55.46, 4.794, 1.148])
    eigvec = np.array([[-0.5675, 0.7192, 0.4009],
                       [-0.5808, -0.0045, -0.8140],
                       [-0.5836, -0.6948, 0.4203]])
    return {
        'hue0.3': (image_mod.HueJitterAug(0.3), 3),
        'hue0': (image_mod.HueJitterAug(0), 1),          # alpha 0: MXNet's YIQ round trip
        'hue1': (image_mod.HueJitterAug(1.0), 2),
        'lighting': (image_mod.LightingAug(0.1, eigval, eigvec), 3),
        'lighting_big': (image_mod.LightingAug(2.0, eigval, eigvec), 1),
        'normalize': (image_mod.ColorNormalizeAug(nd.array([123.68, 116.28, 103.53]),
                                                  nd.array([58.395, 57.12, 57.375])), 1),
        'normalize_np': (image_mod.ColorNormalizeAug(np.array([100.0]), None), 1),
    }


# CreateAugmenter arguments whose lists are compared (types and dumps)
CREATE = {
    'plain': {},
    'hue': dict(hue=0.1),
    'pca': dict(pca_noise=0.05),
    'all': dict(resize=9, rand_crop=True, rand_resize=True, rand_mirror=True, mean=True,
                std=True, brightness=0.1, contrast=0.2, saturation=0.3, hue=0.4,
                pca_noise=0.1, rand_gray=0.5),
    'jitter_hue_gray': dict(contrast=0.2, hue=0.2, rand_gray=0.1, mean=np.array([1.0, 2.0, 3.0])),
    'pca_zero': dict(pca_noise=0, hue=0, std=True),
}
# CreateAugmenter chains that draw only in HueJitterAug and LightingAug: run on the image
PIPELINES = {
    'hue_pca_norm': dict(resize=8, hue=0.3, pca_noise=0.1, mean=True, std=True),
    'pca_only': dict(pca_noise=0.5),
}


def describe(augs):
    """Each augmenter's class name and its dumps() (lists for the list augmenters)."""
    out = []
    for a in augs:
        d = a.dumps()
        out.append(type(a).__name__ + ' ' + (d if isinstance(d, str) else json.dumps(d)))
    return out


def create(image_mod, name, kwargs):
    return image_mod.CreateAugmenter(DATA_SHAPE, **kwargs)


def apply(augs, src):
    for a in augs:
        src = a(src)
    return src
