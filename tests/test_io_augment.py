"""ImageRecordIter's augmentations against MXNet 1.9.1 (tools/golden_io_augment.py): the
colour steps, the normalizer's random contrast/illumination, the resizing crops, mean_img,
path_imglist, path_imgidx, and an MXNetError for each argument regluon does not implement.

MXNet's draws come from its C++ std::mt19937 streams, which regluon does not reproduce. The
golden writer replays them from MXNet's code and stores them; these tests hand the same
values to regluon by patching its random source (regluon/io/color_aug.py: `uniform`,
`normal`, `orders`) and compare whole batches with MXNet's. Other tests check the formulas
against numpy written here from MXNet's C++ (src/io/image_aug_default.cc at 1.9.1,
DefaultImageAugmenter::Process lines 346-418 and 454-534; src/io/iter_image_recordio_2.cc
lines 374-456 and 612-626), cases whose output does not depend on the draws, and errors."""
import sys

import numpy as np
import pytest
import torch

import regluon as mx
from regluon.base import MXNetError
from regluon.io import color_aug
from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
from io_augment_cases import CASES, COMMON, CROP_CASES, MEAN_CASES, N, SHAPE, images  # noqa

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
    """MXNet's batch, given MXNet's draws: the same uint8 levels (normalized: float32
    rounding)."""
    replay(monkeypatch, G[f'{name}:uniform'], G[f'{name}:order'], G[f'{name}:normal'])
    b = batch(**kw)
    got, want = b.data[0].asnumpy(), G[f'{name}:data']
    assert got.dtype == want.dtype and got.shape == want.shape
    np.testing.assert_array_equal(b.label[0].asnumpy(), G[f'{name}:label'])
    np.testing.assert_allclose(got.astype(np.float64), want, rtol=1e-6, atol=1e-4,
                               err_msg=name)


@pytest.mark.parametrize('name', ['plain', 'hls_zero', 'tiny'])
def test_draw_free_cases_with_regluons_own_draws(name):
    """Cases whose output does not depend on the draws (HLS offsets trunc(<1) = 0: only
    OpenCV's 8-bit HLS round trip; factors within 1e-7 of 1) match MXNet unpatched."""
    b = batch(**dict(CASES)[name])
    np.testing.assert_array_equal(b.data[0].asnumpy(), G[f'{name}:data'])


def test_zero_amplitude_is_unaugmented():
    """Amplitude 0 for every colour step (the defaults) gives the plain pixels, and
    ImageRecordUInt8Iter gives them as uint8."""
    kw = dict(brightness=0, contrast=0, saturation=0, pca_noise=0, random_h=0, random_s=0,
              random_l=0, max_random_contrast=0, max_random_illumination=0)
    np.testing.assert_array_equal(batch(**kw).data[0].asnumpy(), G['plain:data'])
    it = mx.io.ImageRecordUInt8Iter(path_imgrec=REC, **COMMON, **kw)
    got = next(it).data[0].asnumpy()
    assert got.dtype == np.uint8
    np.testing.assert_array_equal(got, G['plain:data'])


def crop():
    """The pixels MXNet's center crop takes from the images, float64 NCHW RGB."""
    h, w = SHAPE[1:]
    imgs = images().astype(np.float64)
    y, x = (imgs.shape[1] - h) // 2, (imgs.shape[2] - w) // 2
    return imgs[:, y:y + h, x:x + w].transpose(0, 3, 1, 2)


def np_gray(x):
    """cvtColor(CV_RGB2GRAY) on MXNet's BGR pixels: OpenCV's R weight lands on blue."""
    x = x.astype(np.int64)
    return ((4899 * x[:, 2] + 9617 * x[:, 1] + 1868 * x[:, 0] + 8192) >> 14)[:, None]


JITTER = [  # brightness, contrast, saturation alphas - 1 (same for each image), order
    ((0.3, -0.4, 0.5), (0, 1, 2)),
    ((0.3, -0.4, 0.5), (2, 1, 0)),
    ((-0.7, 0.8, -1.0), (1, 2, 0)),
    ((0.0, 0.0, 0.0), (2, 0, 1)),
]


@pytest.mark.parametrize('alphas, order', JITTER)
def test_jitter_formula(monkeypatch, alphas, order):
    """image_aug_default.cc 454-483: each alpha = 1 + draw; in the drawn order,
    brightness convertTo(alpha_b, 0), contrast convertTo(alpha_c, (1 - alpha_c) *
    mean(gray)), saturation addWeighted(res, alpha_s, gray, 1 - alpha_s); each rounds to
    uint8 (cvRound, saturating). OpenCV computes in float32 (115 * 1.3f is 149.5f: 150)."""
    replay(monkeypatch, np.tile(list(alphas) + [0.5, 0.5], (N, 1)), np.tile(order, (N, 1)))
    x = crop().astype(np.float32)
    a = [np.float32(1 + v) for v in alphas]
    for op in order:
        if op == 0:
            x = x * a[0]
        elif op == 1:
            m = np_gray(x).mean(axis=(1, 2, 3), keepdims=True).astype(np.float32)
            x = x * a[1] + (1 - a[1]) * m
        else:
            x = x * a[2] + np_gray(x).astype(np.float32) * (1 - a[2])
        x = np.clip(np.rint(x), 0, 255)
    got = batch(brightness=0.9, contrast=0.9, saturation=0.9).data[0].asnumpy()
    np.testing.assert_array_equal(got, x)
    if alphas == (0.0, 0.0, 0.0):
        np.testing.assert_array_equal(got, G['plain:data'])


@pytest.mark.parametrize('alpha', [(0.0, 0.0, 0.0), (1.0, -2.0, 0.5), (-3.0, 0.25, 4.0)])
def test_pca_formula(monkeypatch, alpha):
    """image_aug_default.cc 511-534 and 544-546: offset_c = sum_k eigval_k eigvec[c][k]
    alpha_k with the alphas drawn r, g, b; each pixel int(v + offset) clamped to [0, 255]."""
    replay(monkeypatch, np.full((N, 2), 0.5), normal=np.tile(alpha, (N, 1)))
    eigval = np.array([55.46, 4.794, 1.148])
    eigvec = np.array([[-0.5675, 0.7192, 0.4009], [-0.5808, -0.0045, -0.8140],
                       [-0.5836, -0.6948, 0.4203]])
    offset = (eigvec * eigval) @ np.array(alpha)
    want = np.clip(np.trunc(crop() + offset[None, :, None, None]), 0, 255)
    np.testing.assert_allclose(batch(pca_noise=1.0).data[0].asnumpy(), want, atol=0)


@pytest.mark.parametrize('u', [0.0, 0.25, 0.999])
def test_normalize_formula(monkeypatch, u):
    """iter_image_recordio_2.cc 383-390, 441-443, 618-625: (v - mean) * c / std + i / std
    with c = (u * 2 mc - mc + 1) * scale and i = (u * 2 mi - mi) * scale."""
    replay(monkeypatch, np.full((N, 2), u))
    mc, mi, scale = 0.4, 12.0, 0.5
    mean, std = np.array([100, 110, 120.0]), np.array([50, 60, 70.0])
    c, i = (u * 2 * mc - mc + 1) * scale, (u * 2 * mi - mi) * scale
    want = (crop() - mean[:, None, None]) * c / std[:, None, None] + i / std[:, None, None]
    got = batch(max_random_contrast=mc, max_random_illumination=mi, mean_r=100, mean_g=110,
                mean_b=120, std_r=50, std_g=60, std_b=70, scale=scale).data[0].asnumpy()
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-4)


HLS = [  # draw u (every uniform), arguments, what MXNet's clamped offsets give
    (0.999999, dict(random_l=255), lambda x: np.full_like(x, 255)),    # L + 254 -> white
    (0.0, dict(random_l=255), lambda x: np.zeros_like(x)),             # L - 255 -> black
    (0.0, dict(random_s=255), lambda x: np.repeat(np.rint((x.max(1, keepdims=True)
                                                           + x.min(1, keepdims=True)) / 2),
                                                  3, 1)),             # S -> 0: gray = L
]


@pytest.mark.parametrize('u, kw, want', HLS)
def test_hls_extremes(monkeypatch, u, kw, want):
    """image_aug_default.cc 485-509: offsets trunc(r * 2a - a), r = (u1 + 4 u2) / 5, added
    to H, L, S and clamped to [0, 180], [0, 255], [0, 255] (no hue wrap-around)."""
    replay(monkeypatch, np.full((N, 8), u))
    got = batch(**kw).data[0].asnumpy()
    np.testing.assert_allclose(got, want(crop()), atol=1)


def test_hue_offset_keeps_grays_and_lightness():
    """A hue offset leaves gray pixels (S = 0) as they are; L = (max + min) / 2 stays within
    OpenCV's 8-bit rounding, with regluon's own draws."""
    x = crop()
    got = batch(random_h=90, seed_aug=3).data[0].asnumpy()
    grays = np.all(x == x[:, :1], axis=1)
    assert grays.sum() >= 10
    np.testing.assert_allclose(np.moveaxis(got, 1, -1)[grays], np.moveaxis(x, 1, -1)[grays],
                               atol=1)
    lum = lambda a: (a.max(1) + a.min(1)) / 2  # noqa: E731
    np.testing.assert_allclose(lum(got), lum(x), atol=2)
    assert np.abs(got - x).max() > 50


def test_seed_aug_repeats_each_epoch():
    """With seed_aug the draws repeat each epoch (MXNet re-seeds each example); without it
    the next epoch draws anew."""
    kw = dict(COMMON, brightness=0.5, random_h=30, pca_noise=1.0, max_random_illumination=5)
    for seed_aug, same in ((7, True), (None, False)):
        it = mx.io.ImageRecordIter(path_imgrec=REC, **dict(kw, seed_aug=seed_aug))
        first = next(it).data[0].asnumpy()
        it.reset()
        again = next(it).data[0].asnumpy()
        assert np.array_equal(first, again) == same
        assert first.dtype == np.float32 and first.shape == (N,) + SHAPE


def test_ranges_and_types():
    """Strong colour steps keep uint8 levels: integers in [0, 255] before normalization."""
    kw = dict(brightness=2, contrast=2, saturation=2, random_h=180, random_s=255,
              random_l=255, pca_noise=10)
    got = batch(**kw).data[0].asnumpy()
    assert got.dtype == np.float32 and got.min() >= 0 and got.max() <= 255
    np.testing.assert_array_equal(got, np.round(got))
    got = next(mx.io.ImageRecordUInt8Iter(path_imgrec=REC, **COMMON, **kw)).data[0]
    assert got.dtype == np.uint8 and got.shape == (N,) + SHAPE


UNSUPPORTED = [  # MXNet's ImageRecordIter arguments regluon does not implement
    ('aug_seq', 'det_aug_default'),
    # (shuffle_chunk_size: taken where it leaves the file whole, see test_io_det_record.py)
]


@pytest.mark.parametrize('arg, value', UNSUPPORTED)
def test_unsupported_arguments_raise(arg, value):
    with pytest.raises(MXNetError, match=f'{arg}={value!r} is not supported'):
        batch(**{arg: value})


def test_colour_steps_need_rgb():
    """MXNet fails in OpenCV's cvtColor for gray data; regluon says so up front."""
    for kw in (dict(random_h=10), dict(brightness=0.5, pca_noise=1.0)):
        with pytest.raises(MXNetError, match=f"{next(iter(kw))}.* need 3-channel images"):
            mx.io.ImageRecordIter(path_imgrec=REC, **dict(COMMON, data_shape=(1, 5, 6)), **kw)


@pytest.mark.parametrize('name, kw, exists', MEAN_CASES, ids=[c[0] for c in MEAN_CASES])
def test_mean_img(tmp_path, name, kw, exists):
    """mean_img as MXNet: an existing file (MXNet's) is read; a missing one is created as
    the mean of the normalized examples (mean_r... subtracted, mirrored) and saved in
    nd.save's format, then used in place of mean_r..."""
    path = GOLDEN / 'io_augment_mean.nd' if exists else tmp_path / 'mean.nd'
    assert path.exists() == exists
    got = batch(mean_img=str(path), **kw).data[0].asnumpy()
    np.testing.assert_allclose(got, G[f'{name}:data'], rtol=1e-5, atol=1e-5)
    np.testing.assert_allclose(mx.nd.load(str(path))['mean_img'].asnumpy(), G[f'{name}:mean'],
                               rtol=1e-6)


def test_mean_img_errors(tmp_path):
    path = str(tmp_path / 'bad.nd')
    mx.nd.save(path, {'mean_img': mx.nd.zeros((3, 4, 4))})
    with pytest.raises(MXNetError, match=r"mean_img .* one array of data_shape \(3, 5, 6\)"):
        batch(mean_img=path)
    # uint8 output is never normalized: MXNet neither reads nor writes the file
    got = batch(mean_img=str(tmp_path / 'none.nd'), dtype='uint8').data[0].asnumpy()
    np.testing.assert_array_equal(got, G['plain:data'])
    it = mx.io.ImageRecordUInt8Iter(path_imgrec=REC, mean_img=str(tmp_path / 'none.nd'),
                                    mean_r=50, scale=3, **COMMON)
    np.testing.assert_array_equal(next(it).data[0].asnumpy(), G['plain:data'])
    assert not (tmp_path / 'none.nd').exists()


@pytest.mark.parametrize('name, kw', CROP_CASES, ids=[c[0] for c in CROP_CASES])
def test_resizing_crops(name, kw):
    """min/max_crop_size and random_resized_crop where the box is fixed: MXNet's batch,
    exactly (regluon/image/resize.py is OpenCV's cv::resize arithmetic)."""
    got = batch(**kw).data[0].asnumpy()
    np.testing.assert_array_equal(got, G[f'{name}:data'])


def test_random_resizing_crops():
    """Random boxes give data_shape and pixels of the image."""
    for kw in (dict(random_resized_crop=True, min_random_area=0.2, max_random_area=0.9,
                    max_aspect_ratio=0.4), dict(min_crop_size=2, max_crop_size=6, rand_crop=True)):
        for seed in range(3):
            got = batch(seed_aug=seed, **kw).data[0].asnumpy()
            assert got.shape == (N,) + SHAPE and got.min() >= 0 and got.max() <= 255


class FixedDraws:
    """A stand-in for the iterator's numpy RandomState that returns given values."""

    def __init__(self, uniforms, ints):
        self.uniforms, self.ints = list(uniforms), list(ints)

    def uniform(self, lo=0.0, hi=1.0):
        return self.uniforms.pop(0)

    def randint(self, lo, hi):
        v = self.ints.pop(0)
        assert lo <= v < hi
        return v


BOXES = [  # image h, w, area, ratio, uniforms (area, ratio, swap coin per try), ints, box
    (6, 8, (1, 1), (0.75, 0.75), [1, .75, .2, 1, .75, .7], [0, 0], (0, 0, 6, 8)),
    (6, 8, (.3, .3), (1.5, 1.5), [.3, 1.5, .2], [1, 3], (1, 3, 3, 5)),   # 14.4: 3x5 (round)
    (6, 8, (.3, .3), (1.5, 1.5), [.3, 1.5, .9], [0, 1], (0, 1, 5, 3)),   # swapped: 5x3
    (4, 4, (1, 1), (4, 4), [1, 4, .1] * 10, [], None),                  # 10 misses: None
]


@pytest.mark.parametrize('ih, iw, area, ratio, uniforms, ints, want', BOXES)
def test_random_resized_box(ih, iw, area, ratio, uniforms, ints, want):
    """image_aug_default.cc 358-394: up to 10 tries of target = h * w * U(area),
    ratio = U(ratio), box height round(sqrt(target / ratio)), width round(sqrt(target *
    ratio)), swapped when U(0, 1) > 0.5; the first that fits is placed at random."""
    from regluon.io import crop_aug
    draws = FixedDraws(uniforms, ints)
    assert crop_aug.resized_box(draws, ih, iw, area, ratio) == want
    assert draws.uniforms == [] and draws.ints == []


def test_square_box():
    """image_aug_default.cc 396-418: side U{min, max}; at U{0, h - side} x U{0, w - side}
    with rand_crop, else ((h - side) / 2, (w - side) / 2)."""
    from regluon.io import crop_aug
    assert crop_aug.square_box(FixedDraws([], [3]), 6, 8, (2, 5), False, '') == (1, 2, 3, 3)
    assert crop_aug.square_box(FixedDraws([], [5, 1, 2]), 6, 8, (2, 5), True, '') == (1, 2, 5, 5)


CROP_ERRORS = [  # arguments, message
    (dict(random_resized_crop=True, rand_crop=True), 'conflicts with'),
    (dict(random_resized_crop=True, max_crop_size=4, min_crop_size=4), 'conflicts with'),
    (dict(random_resized_crop=True, min_random_area=0.9, max_random_area=0.5), 'random_area'),
    (dict(random_resized_crop=True, min_aspect_ratio=2.0, max_aspect_ratio=1.0), 'aspect_ratio'),
    (dict(max_crop_size=4), 'min_crop_size and max_crop_size'),
    (dict(min_crop_size=5, max_crop_size=4), 'min_crop_size and max_crop_size'),
    (dict(min_crop_size=7, max_crop_size=7), 'smaller than max_crop_size 7'),
]


@pytest.mark.parametrize('kw, match', CROP_ERRORS)
def test_crop_errors(kw, match):
    with pytest.raises(MXNetError, match=match):
        batch(**kw)


def test_path_imglist(tmp_path):
    """Labels by image index from a list file, as MXNet's ImageLabelMap; errors."""
    lst = GOLDEN / 'io_augment.lst'
    got = batch(path_imglist=str(lst), label_width=2).label[0].asnumpy()
    np.testing.assert_array_equal(got, G['imglist:label'])
    short = tmp_path / 'short.lst'
    short.write_text('0\t1.5\ta.png\n')
    with pytest.raises(MXNetError, match='Bad ImageList format'):
        batch(path_imglist=str(short), label_width=3)
    short.write_text('0\t1.5\ta.png\n')
    with pytest.raises(MXNetError, match='fail to find imagelabel for id 1'):
        batch(path_imglist=str(short))


@pytest.mark.parametrize('indexed', [False, True])
def test_parts_with_path_imgidx(indexed):
    """num_parts splits the bytes of the file, or with path_imgidx the records (MXNet's
    indexed_recordio): part 1 of 3 of the 4 records is [2] or [2, 3]."""
    kw = dict(path_imgidx=str(GOLDEN / 'io_augment.idx')) if indexed else {}
    it = mx.io.ImageRecordIter(path_imgrec=REC, **dict(COMMON, batch_size=1), num_parts=3,
                               part_index=1, **kw)
    labels = [b.label[0].asnumpy()[0] for b in it]
    np.testing.assert_array_equal(labels, G[f'part_idx{int(indexed)}:labels'])


# ---------------------------------------------------------------------------------------
# The affine warp (regluon/io/affine_aug.py) against MXNet 1.9.1, goldens from
# tools/golden_image_det.py over tests/golden/image_det_affine.rec: MXNet's per-example
# draws (u_shear, angle, u_scale, u_ratio), replayed from its std::mt19937 stream by the
# golden writer, are handed to regluon by patching affine_aug.draw.
from image_det_cases import AFFINE_CASES, AFFINE_COMMON  # noqa: E402
from regluon.io import affine_aug  # noqa: E402

GA = golden('image_det')
AFFINE_REC = str(GOLDEN / 'image_det_affine.rec')


def affine_batch(monkeypatch, name, **kw):
    rows = iter(GA[f'affine:{name}:draws'].tolist())
    monkeypatch.setattr(affine_aug, 'draw', lambda rng, p: (lambda r: (
        r[0], int(r[1]), r[2], r[3], None if r[4] < 0 else int(r[4])))(next(rows)))
    args = dict(AFFINE_COMMON, **dict(AFFINE_CASES)[name], **kw)
    return next(iter(mx.io.ImageRecordIter(path_imgrec=AFFINE_REC, **args)))


@pytest.mark.parametrize('name', [c[0] for c in AFFINE_CASES])
def test_affine_warp_with_mxnet_draws(monkeypatch, name):
    """MXNet's batch given MXNet's draws: OpenCV's warpAffine exactly (its fixed-point
    nearest, bilinear, bicubic and Lanczos-4 with a constant border), resized cases too."""
    b = affine_batch(monkeypatch, name)
    want = GA[f'affine:{name}:data']
    got = b.data[0].asnumpy()
    assert got.shape == want.shape and got.dtype == want.dtype
    np.testing.assert_array_equal(b.label[0].asnumpy(), GA[f'affine:{name}:label'])
    # gray: Pillow's luma rounding differs from OpenCV's by 1 level before any warp
    atol = 1 if name == 'gray' else 0
    np.testing.assert_allclose(got, want, rtol=1e-6, atol=atol, err_msg=name)


def test_affine_weight_tables():
    """OpenCV's 15-bit weight tables: every one sums to 2^15; at a whole-pixel position
    bilinear is (32767, 0, 0, 1) (1.0 saturates to 32767 and initInterTab2D moves the
    missing 1 onto the (1, 1) weight), bicubic and Lanczos-4 put 32767 + 1 on the pixel."""
    for code, k in ((1, 2), (2, 4), (4, 8)):
        tab = affine_aug._table(code)
        assert tab.shape == (32, 32, k, k)
        assert bool((tab.sum((2, 3)) == 32768).all())
    assert affine_aug._table(1)[0, 0].flatten().tolist() == [32767, 0, 0, 1]
    assert affine_aug._table(1)[16, 16].flatten().tolist() == [8192] * 4
    assert affine_aug._table(2)[0, 0, 1, 1] == 32767 and affine_aug._table(2)[0, 0, 2, 2] == 1


def test_affine_own_draws():
    """regluon's own draws: angles from rotate_list or within +-max_rotate_angle, batches
    of data_shape, the same with the same seed_aug."""
    p = affine_aug.Params(dict(rotate_list='15,30,90'), (1, 1), False, 1, 255)
    rng = np.random.RandomState(0)
    assert {affine_aug.draw(rng, p)[1] for _ in range(50)} == {15, 30, 90}
    p = affine_aug.Params(dict(max_rotate_angle=5), (1, 1), False, 1, 255)
    assert {affine_aug.draw(rng, p)[1] for _ in range(200)} == set(range(-5, 6))
    kw = dict(AFFINE_COMMON, max_rotate_angle=30, max_shear_ratio=0.2, min_random_scale=0.8,
              max_aspect_ratio=0.2)
    a, b = (next(iter(mx.io.ImageRecordIter(path_imgrec=AFFINE_REC, **kw))).data[0].asnumpy()
            for _ in range(2))
    np.testing.assert_array_equal(a, b)
    assert a.shape == (5, 3, 10, 10)


AFFINE_ERRORS = [  # arguments, message
    (dict(rotate=30, inter_method=0), 'invalid inter_method 0'),
    (dict(random_resized_crop=True, min_random_scale=0.5), 'conflicts with'),
    (dict(max_img_size=0.5, min_img_size=0), 'raise min_img_size'),
]


@pytest.mark.parametrize('kw, match', AFFINE_ERRORS)
def test_affine_errors(kw, match):
    with pytest.raises(MXNetError, match=match):
        next(iter(mx.io.ImageRecordIter(path_imgrec=AFFINE_REC, **dict(AFFINE_COMMON, **kw))))
