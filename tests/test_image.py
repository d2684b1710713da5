"""mx.image against MXNet 1.9.1 goldens; resizes are exact (tests/test_image_resize.py)."""
import sys

import numpy as np
import pytest

import regluon as mx
from regluon import nd
from regluon.base import MXNetError
from regluon.gluon.data.vision import transforms as T

from conftest import GOLDEN, golden

G = golden('data')
SRC = G['im_src']


def x():
    return nd.array(SRC, dtype='uint8')


CASES = [  # golden name, call: exactly MXNet's (resizes: regluon/image/resize.py)
    ('imresize', lambda: mx.image.imresize(x(), 5, 4)),
    ('imresize_up', lambda: mx.image.imresize(x(), 12, 11, interp=1)),
    ('imresize_nearest', lambda: mx.image.imresize(x(), 5, 4, interp=0)),
    ('imresize_cubic', lambda: mx.image.imresize(x(), 12, 11, interp=2)),
    ('imresize_area', lambda: mx.image.imresize(x(), 3, 7, interp=3)),
    ('resize_short', lambda: mx.image.resize_short(x(), 4)),
    ('resize_short_9', lambda: mx.image.resize_short(x(), 4, interp=9)),
    ('center_crop', lambda: mx.image.center_crop(x(), (5, 4))[0]),
    ('center_crop_up', lambda: mx.image.center_crop(x(), (12, 12), interp=1)[0]),
    ('fixed_crop', lambda: mx.image.fixed_crop(x(), 1, 2, 5, 4)),
    ('fixed_crop_resize', lambda: mx.image.fixed_crop(x(), 1, 2, 5, 4, size=(3, 3), interp=1)),
    ('color_normalize', lambda: mx.image.color_normalize(
        x().astype('float32'), nd.array([10, 20, 30]), nd.array([2, 4, 8]))),
    ('border_const', lambda: mx.image.copyMakeBorder(x(), 1, 2, 3, 0, type=0, value=7)),
    ('border_replicate', lambda: mx.image.copyMakeBorder(x(), 1, 2, 3, 0, type=1)),
]


@pytest.mark.parametrize('name, fn', CASES, ids=[c[0] for c in CASES])
def test_image_functions(name, fn):
    got, want = fn(), G['im_' + name]
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_array_equal(got.asnumpy(), want)


def test_crop_box_and_scale_down():
    assert mx.image.center_crop(x(), (5, 4))[1] == tuple(G['im_center_crop:box'])
    got = [mx.image.scale_down(s, c) for s, c in [((640, 480), (720, 120)),
                                                  ((360, 1000), (480, 500)),
                                                  ((300, 400), (100, 100))]]
    np.testing.assert_array_equal(np.array(got), G['im_scale_down'])


@pytest.mark.parametrize('name, args', [('im_rotate', (30,)),
                                        ('im_rotate_zoom_in', (-20, True)),
                                        ('im_rotate_zoom_out', (45, False, True))])
def test_imrotate(name, args):
    got = mx.image.imrotate(T.ToTensor()(x()), *args)
    np.testing.assert_allclose(got.asnumpy(), G[name], atol=1e-5)


@pytest.mark.parametrize('kind', ['rgb', 'gray', 'rgba'])
@pytest.mark.parametrize('flag, to_rgb', [(0, 0), (0, 1), (1, 0), (1, 1)])
def test_imdecode_png(kind, flag, to_rgb):
    buf = G[f'png_{kind}:bytes'].tobytes()
    want = G[f'png_{kind}:{flag}{to_rgb}']
    got = mx.image.imdecode(buf, flag=flag, to_rgb=to_rgb)
    assert got.shape == want.shape and got.dtype == np.uint8
    # color -> gray: OpenCV and Pillow round the luma differently by at most 1 level
    tol = 1 if (flag == 0 and kind != 'gray') else 0
    assert np.abs(got.asnumpy().astype(int) - want).max() <= tol


def test_imread_and_ndarray_buffer(tmp_path):
    buf = G['png_rgb:bytes'].tobytes()
    (tmp_path / 'a.png').write_bytes(buf)
    a = mx.image.imread(str(tmp_path / 'a.png'))
    np.testing.assert_array_equal(a.asnumpy(), G['png_rgb:11'])
    b = mx.image.imdecode(nd.array(np.frombuffer(buf, np.uint8), dtype='uint8'))
    np.testing.assert_array_equal(b.asnumpy(), G['png_rgb:11'])


@pytest.mark.parametrize('fn, exc, match', [
    (lambda: mx.image.imdecode(b'not an image at all'), MXNetError, 'cannot decode image'),
    (lambda: mx.image.imdecode('a string'), ValueError, 'buf must be of type bytes'),
    (lambda: mx.image.imread('/nonexistent/x.png'), MXNetError, 'cannot read image file'),
    (lambda: mx.image.fixed_crop(x(), 6, 0, 5, 4), MXNetError, 'not inside the 9x7'),
    (lambda: mx.image.imresize(x(), 0, 4), MXNetError, 'must be positive'),
    (lambda: mx.image.imrotate(x(), 10), TypeError, 'float32'),
    (lambda: mx.image.resize_short(x(), 4, interp=7), ValueError, 'Unknown interp'),
])
def test_errors(fn, exc, match):
    with pytest.raises(exc, match=match):
        fn()


def test_corrupt_png_names_the_file(tmp_path):
    buf = bytearray(G['png_rgb:bytes'].tobytes())
    buf[40:60] = b'\xff' * 20                      # damage the compressed pixels
    (tmp_path / 'bad.png').write_bytes(bytes(buf))
    with pytest.raises(MXNetError, match=r"imread\('.*bad.png'\): cannot decode image"):
        mx.image.imread(str(tmp_path / 'bad.png'))


def test_random_crops_seeded():
    mx.random.seed(4)
    a, box_a = mx.image.random_crop(x(), (4, 3))
    mx.random.seed(4)
    b, box_b = mx.image.random_crop(x(), (4, 3))
    assert box_a == box_b and a.shape == (3, 4, 3)
    x0, y0, w, h = box_a
    np.testing.assert_array_equal(a.asnumpy(), SRC[y0:y0 + h, x0:x0 + w])
    out, (x0, y0, w, h) = mx.image.random_size_crop(x(), (5, 5), 0.3, (0.75, 1.33))
    assert out.shape == (5, 5, 3) and 0 <= x0 <= 9 - w and 0 <= y0 <= 7 - h


@pytest.mark.parametrize('lb', ['pad', 'discard', 'roll_over'])
def test_image_iter_matches_mxnet(lb):
    from conftest import GOLDEN
    rec = str(GOLDEN / 'data_iter.rec')
    it = mx.image.ImageIter(2, (3, 6, 5), path_imgrec=rec, path_imgidx=rec[:-4] + '.idx',
                            last_batch_handle=lb, mean=True, std=True)
    out = []
    for _ in range(2):
        for b in it:
            out.append((b.data[0].asnumpy(), b.label[0].asnumpy(), b.pad))
        it.reset()
    assert [o[2] for o in out] == list(G[f'iter_{lb}:pad'])
    np.testing.assert_array_equal(np.stack([o[1] for o in out]), G[f'iter_{lb}:label'])
    assert str(out[0][1].dtype) == str(G[f'iter_{lb}:label_dtype'])
    # center crop of 7x8 -> 5x6 is exact; normalization in float32
    np.testing.assert_allclose(np.stack([o[0] for o in out]), G[f'iter_{lb}:data'], rtol=1e-5,
                               atol=1e-5)


def test_image_iter_imglist_and_errors(tmp_path):
    (tmp_path / 'a.png').write_bytes(G['png_rgb:bytes'].tobytes())
    it = mx.image.ImageIter(1, (3, 4, 4), imglist=[[2.0, 'a.png']], path_root=str(tmp_path))
    b = next(it)
    assert b.data[0].shape == (1, 3, 4, 4) and b.label[0].asnumpy().tolist() == [2.0]
    bad = mx.image.ImageIter(1, (3, 4, 4), imglist=[[1.0, 'missing.png']],
                             path_root=str(tmp_path))
    with pytest.raises(MXNetError, match='cannot read image'):
        next(bad)
    with pytest.raises(ValueError, match='3 channels'):
        mx.image.ImageIter(1, (1, 4, 4), imglist=[[1.0, 'a.png']])
    small = mx.image.ImageIter(1, (3, 9, 9), imglist=[[1.0, 'a.png']], path_root=str(tmp_path),
                               aug_list=[])
    with pytest.raises(MXNetError, match='augmented image has shape'):
        next(small)


# HueJitterAug, LightingAug, ColorNormalizeAug and CreateAugmenter(hue=, pca_noise=) against
# MXNet 1.9.1 (tools/golden_image_aug.py): MXNet's random draws replayed through regluon's
sys.path.insert(0, str(GOLDEN))
import image_aug_cases as aug_cases  # noqa: E402

AUG = golden('image_aug')


@pytest.fixture
def replay(monkeypatch):
    """Make regluon's augmenters draw the values MXNet drew for golden `key`; returns a
    check that every draw was used."""
    def start(key):
        draws = {k: list(AUG[f'{key}/{k}']) for k in ('uniform', 'normal')}
        monkeypatch.setattr(mx.image.iter, 'uniform', lambda a, b: draws['uniform'].pop(0))
        monkeypatch.setattr(mx.image.iter, 'normal',
                            lambda loc, scale, size: draws['normal'].pop(0))
        return lambda: draws == {'uniform': [], 'normal': []}
    return start


@pytest.mark.parametrize('name', list(aug_cases.augmenters(mx.image, nd)))
def test_color_augmenters_equal_mxnet(name, replay):
    aug, calls = aug_cases.augmenters(mx.image, nd)[name]
    used_all = replay(f'aug/{name}')
    img = aug_cases.image()
    ys = np.stack([aug(nd.array(img)).asnumpy() for _ in range(calls)])
    assert used_all()
    np.testing.assert_allclose(ys, AUG[f'aug/{name}/y'], rtol=1e-6, atol=1e-4)
    assert aug.dumps() == str(AUG[f'aug/{name}/dumps'])


def test_color_augmenters_draw_from_torch():
    img = nd.array(aug_cases.image())
    augs = aug_cases.augmenters(mx.image, nd)
    outs = []
    for _ in range(2):
        mx.random.seed(3)
        outs.append([augs[k][0](img.copy()).asnumpy() for k in ('hue0.3', 'lighting')])
    np.testing.assert_array_equal(outs[0][0], outs[1][0])
    np.testing.assert_array_equal(outs[0][1], outs[1][1])
    assert not np.allclose(outs[0][0], img.asnumpy(), atol=1)         # hue turned


@pytest.mark.parametrize('name', list(aug_cases.CREATE))
def test_create_augmenter_list_equals_mxnet(name):
    augs = aug_cases.create(mx.image, name, aug_cases.CREATE[name])
    assert aug_cases.describe(augs) == list(AUG[f'create/{name}'])


@pytest.mark.parametrize('name', list(aug_cases.PIPELINES))
def test_create_augmenter_chain_equals_mxnet(name, replay):
    augs = aug_cases.create(mx.image, name, aug_cases.PIPELINES[name])
    used_all = replay(f'pipe/{name}')
    y = aug_cases.apply(augs, nd.array(aug_cases.image()))
    assert used_all()
    np.testing.assert_allclose(y.asnumpy(), AUG[f'pipe/{name}/y'], rtol=1e-5, atol=1e-4)


def test_create_augmenter_unknown_argument():
    assert 'hue_jitter' in str(AUG['error/unknown'])
    with pytest.raises(TypeError, match='hue_jitter'):
        mx.image.CreateAugmenter(aug_cases.DATA_SHAPE, hue_jitter=0.1)
