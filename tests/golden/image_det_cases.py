"""mx.image detection cases shared by tools/golden_image_det.py (run under MXNet 1.9.1) and
tests/test_image_det.py (run under regluon): the images and labels of image_det.rec, the
iterator arguments, and the code that runs an iterator or an augmenter, binding the library
at run time. Pure numpy otherwise."""
import numpy as np

SHAPE = (3, 12, 12)
SIZES = [(14, 18), (18, 14), (12, 12), (16, 20), (13, 17)]    # (height, width)
# raw labels: header (width, object width, extra...), then rows [id, xmin, ymin, xmax, ymax]
LABELS = [
    [2, 5, 0, .1, .2, .5, .6, 1, .4, .3, .9, .8],
    [4, 5, 7, 8, 2, .2, .1, .7, .9],
    [2, 5, 1, .05, .05, .3, .4, 0, .5, .5, .95, .9, 3, .6, .1, .6, .5, 2, .1, .6, .4, .95],
    [2, 5, 0, .3, .3, .7, .7],
    [3, 5, 9, 2, 0, 0, 1, 1, 1, .25, .5, .5, .75],
]
PIKACHU_SHAPE = (3, 16, 16)


def images():
    """uint8 RGB images of SIZES: smooth gradients plus noise (resizes stay near-exact)."""
    rs = np.random.RandomState(3)
    out = []
    for h, w in SIZES:
        y, x = np.mgrid[0:h, 0:w]
        base = np.stack([x * 200 / w, y * 200 / h, (x + y) * 100 / (h + w)], -1)
        out.append(np.clip(base + rs.randint(0, 50, (h, w, 3)), 0, 255).astype(np.uint8))
    return out


def labels():
    return [np.array(lab, np.float32) for lab in LABELS]


# iterator cases: name, ImageDetIter arguments (beside path_imgrec), epochs, draws replayed
ITER_CASES = [
    ('plain', dict(batch_size=2, data_shape=SHAPE), 2),
    ('discard', dict(batch_size=2, data_shape=SHAPE, last_batch_handle='discard'), 1),
    ('roll_over', dict(batch_size=2, data_shape=SHAPE, last_batch_handle='roll_over'), 3),
    ('batch5', dict(batch_size=5, data_shape=SHAPE, label_name='lab', data_name='img'), 1),
    ('resize_norm', dict(batch_size=3, data_shape=SHAPE, resize=14, mean=True, std=True,
                         inter_method=1), 1),
    ('mirror', dict(batch_size=5, data_shape=SHAPE, rand_mirror=True), 1),
    ('crop', dict(batch_size=5, data_shape=SHAPE, rand_crop=1, min_object_covered=0.5,
                  area_range=(0.3, 1.0)), 2),
    ('multi_crop', dict(batch_size=5, data_shape=SHAPE, rand_crop=0.7,
                        min_object_covered=[0.1, 0.5, 0.9], area_range=(0.2, 1.0),
                        min_eject_coverage=0.5, aspect_ratio_range=[(0.5, 2.0)]), 2),
    ('pad', dict(batch_size=5, data_shape=SHAPE, rand_pad=1, pad_val=(10, 20, 30)), 1),
    ('all', dict(batch_size=5, data_shape=SHAPE, rand_crop=0.5, rand_pad=0.5,
                 rand_mirror=True, area_range=(0.1, 2.5), max_attempts=20), 2),
]
# the d2lzh load_data_pikachu call (with a smaller edge): indexed .rec, shuffled
PIKACHU = dict(batch_size=2, data_shape=PIKACHU_SHAPE, shuffle=True, rand_crop=1,
               min_object_covered=0.95, max_attempts=200)


def run(it, epochs):
    """Every batch of `epochs` epochs: data (n, ...), labels (n, ...), pads (n,)."""
    data, label, pad = [], [], []
    for _ in range(epochs):
        for b in it:
            data.append(b.data[0].asnumpy())
            label.append(b.label[0].asnumpy())
            pad.append(b.pad)
        it.reset()
    return {'data': np.stack(data), 'label': np.stack(label), 'pad': np.array(pad),
            'provide_label': np.array(it.provide_label[0][1]),
            'label_shape': np.array(it.label_shape)}


def augmenters(image):
    """Single detection augmenters of module `image` (mx.image), by name."""
    return {
        'flip': image.DetHorizontalFlipAug(1.0),
        'noflip': image.DetHorizontalFlipAug(0.0),
        'crop': image.DetRandomCropAug(min_object_covered=0.3, area_range=(0.2, 0.9)),
        'crop_fixed': image.DetRandomCropAug(0.0, aspect_ratio_range=1.0, area_range=0.5,
                                             min_eject_coverage=0.1, max_attempts=5),
        'pad': image.DetRandomPadAug(area_range=(1.5, 4.0), pad_val=(1, 2, 3)),
        'pad_scalar': image.DetRandomPadAug(aspect_ratio_range=1.2, area_range=(1.2, 2.0),
                                            pad_val=(9, 9, 9)),
        'select': image.DetRandomSelectAug([image.DetHorizontalFlipAug(1.0),
                                            image.DetRandomPadAug(area_range=(2.0, 3.0))],
                                           skip_prob=0.3),
        'borrow': image.DetBorrowAug(image.ForceResizeAug((9, 7), interp=1)),
    }


def apply(aug, nd, img, label, times):
    """Apply `aug` `times` times to copies of (img, label): lists of outputs."""
    imgs, labs = [], []
    for _ in range(times):
        out, lab = aug(nd.array(img, dtype='uint8'), label.copy())
        imgs.append(out.asnumpy())
        labs.append(np.asarray(lab))
    return imgs, labs


# CreateDetAugmenter arguments whose augmenter lists (dumps) are compared
CREATE = {
    'default': {},
    'full': dict(resize=20, rand_crop=0.5, rand_pad=0.5, rand_gray=0.2, rand_mirror=True,
                 mean=True, std=True, brightness=0.1, contrast=0.1, saturation=0.1,
                 pca_noise=0.05, hue=0.1, inter_method=1, min_object_covered=[0.3, 0.5],
                 area_range=(0.3, 2.0)),
    'crop_only': dict(rand_crop=1, min_object_covered=0.95, max_attempts=200),
}


def describe(augs):
    """Class names and dumps of an augmenter list, as strings."""
    import json
    return [type(a).__name__ + ' ' + json.dumps(a.dumps()) for a in augs]


# ImageRecordIter's affine warp (tests/test_io_augment.py): image_det_affine.rec holds
# images() with labels 0..4; MXNet re-seeds each example's engine with idx + seed_aug + 111
AFFINE_COMMON = dict(batch_size=5, data_shape=(3, 10, 10), preprocess_threads=1, seed_aug=7)
AFFINE_CASES = [
    ('rotate', dict(max_rotate_angle=30)),
    ('rotate90', dict(rotate=90, fill_value=0)),
    ('rotate_list', dict(rotate_list='0,45,180,270')),
    ('shear', dict(max_shear_ratio=0.4, fill_value=7)),
    ('scale', dict(min_random_scale=0.6, max_random_scale=1.4)),   # some come out < 10: upscaled
    ('aspect', dict(max_aspect_ratio=0.3)),
    ('aspect_min', dict(min_aspect_ratio=0.7, max_aspect_ratio=1.4)),
    ('img_size', dict(max_img_size=15, min_img_size=11, max_random_scale=1.3,
                      min_random_scale=0.7)),
    ('cubic', dict(max_rotate_angle=45, max_shear_ratio=0.2, inter_method=2, fill_value=100)),
    ('lanczos', dict(rotate=30, inter_method=4)),
    ('area', dict(rotate=10, inter_method=3)),
    ('auto', dict(min_random_scale=1.5, max_random_scale=1.5, inter_method=9, rotate=5)),
    ('all', dict(resize=13, max_rotate_angle=20, max_shear_ratio=0.1, max_random_scale=1.2,
                 min_random_scale=0.9, max_aspect_ratio=0.1, pad=1, fill_value=128,
                 mirror=True, mean_r=10, std_g=2)),
    ('gray', dict(data_shape=(1, 10, 10), max_rotate_angle=40)),
    ('upscale', dict(data_shape=(3, 22, 21))),       # no warp: MXNet scales short images up
    ('random_interp', dict(max_rotate_angle=25, inter_method=10)),   # draws 0 (nearest) .. 4
]


def affine_draws(kw, engine):
    """The affine draws MXNet makes for each example with arguments kw, (u_shear, angle,
    u_scale, u_ratio, interpolation drawn by inter_method 10 or -1) per row;
    `engine(seed)` is a std::mt19937 replay."""
    rows = []
    for idx in range(AFFINE_COMMON['batch_size']):
        e = engine(idx + AFFINE_COMMON['seed_aug'] + 111)
        u_shear = e.uniform(0, 1)
        m = kw.get('max_rotate_angle', 0)
        angle = e.randint(2 * m) - m
        if kw.get('rotate', -1) > 0:
            angle = kw['rotate']
        if kw.get('rotate_list'):
            options = [int(v) for v in kw['rotate_list'].split(',')]
            angle = options[e.randint(len(options) - 1)]
        u_scale, u_ratio = e.uniform(0, 1), e.uniform(0, 1)
        pick = e.randint(4) if kw.get('inter_method') == 10 else -1
        rows.append([u_shear, angle, u_scale, u_ratio, pick])
    return np.array(rows, np.float64)
