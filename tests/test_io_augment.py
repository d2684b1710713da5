"""ImageRecordIter's colour augmentations against MXNet 1.9.1 (tools/golden_io_augment.py).

MXNet's draws come from its C++ std::mt19937 streams, which regluon does not reproduce. The
golden writer replays them from MXNet's code and stores them; these tests hand the same
values to regluon by patching its random source (regluon/io/color_aug.py: `uniform`,
`normal`, `orders`) and compare whole batches with MXNet's. Other tests check the formulas
against numpy written here from MXNet's C++ (src/io/image_aug_default.cc at 1.9.1,
DefaultImageAugmenter::Process lines 454-534; src/io/iter_image_recordio_2.cc lines 374-456
and 612-626), and the errors."""
import sys

import numpy as np
import pytest
import torch

import regluon as mx
from regluon.base import MXNetError
from regluon.io import color_aug
from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
from io_augment_cases import CASES, COMMON, N, SHAPE, images  # noqa: E402

G = golden('io_augment')
REC = str(GOLDEN / 'io_augment.rec')


def replay(monkeypatch, uniforms, order=None, normal=None):
    """Make regluon's colour draws return the given per-example values: each call of
    `uniform` takes the next column of `uniforms` (N, k)."""
    cols = iter(np.asarray(uniforms, np.float32).T)
    monkeypatch.setattr(color_aug, 'uniform', lambda rng, lo, hi, n: torch.from_numpy(next(cols)))
    if order is not None:
        monkeypatch.setattr(color_aug, 'orders', lambda rng, n: torch.as_tensor(order))
    if normal is not None:
        cols_n = iter(np.asarray(normal, np.float32).T)
        monkeypatch.setattr(color_aug, 'normal',
                            lambda rng, std, n: torch.from_numpy(next(cols_n)))


def batch(**kw):
    args = dict(COMMON, **kw)
    return next(iter(mx.io.ImageRecordIter(path_imgrec=REC, **args)))


@pytest.mark.parametrize('name, kw', CASES, ids=[c[0] for c in CASES])
def test_mxnet_batches_with_mxnet_draws(monkeypatch, name, kw):
    replay(monkeypatch, G[f'{name}:uniform'], G[f'{name}:order'], G[f'{name}:normal'])
    b = batch(**kw)
    got, want = b.data[0].asnumpy(), G[f'{name}:data']
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(b.label[0].asnumpy(), G[f'{name}:label'])
    np.testing.assert_allclose(got.astype(np.float64), want, rtol=1e-6, atol=1e-4,
                               err_msg=name)
