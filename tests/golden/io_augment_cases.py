"""ImageRecordIter colour-augmentation cases shared by tools/golden_io_augment.py (run under
MXNet 1.9.1) and tests/test_io_augment.py (run under regluon). Pure data and numpy."""
import numpy as np

N, SHAPE = 4, (3, 5, 6)   # images in io_augment.rec (one batch), data_shape
# MXNet re-seeds each example's engine with idx + seed_aug + 111 (iter_image_recordio_2.cc),
# which the golden writer replays to record MXNet's draws; one decoding thread keeps idx
# in file order.
COMMON = dict(batch_size=N, data_shape=SHAPE, preprocess_threads=1, seed_aug=7)

# name, ImageRecordIter arguments
CASES = [
    ('plain', {}),
    ('hls_zero', dict(random_h=1, random_s=1, random_l=1)),   # offsets trunc(<1) = 0
    ('hls', dict(random_h=40, random_s=60, random_l=50)),
    ('hue', dict(random_h=90)),
    ('sat_light', dict(random_s=200, random_l=120)),
    ('jitter', dict(brightness=0.4, contrast=0.5, saturation=0.6)),
    ('brightness', dict(brightness=0.9)),
    ('pca', dict(pca_noise=2.0)),
    ('pca_small', dict(pca_noise=0.05)),
    ('normalize', dict(max_random_contrast=0.3, max_random_illumination=10, mean_r=100,
                       mean_g=110, mean_b=120, std_r=50, std_g=60, std_b=70, scale=0.5)),
    ('all', dict(brightness=0.3, contrast=0.3, saturation=0.3, random_h=20, random_s=30,
                 random_l=25, pca_noise=0.5, max_random_contrast=0.2,
                 max_random_illumination=5, mirror=True, mean_g=50, std_b=2)),
    ('all_uint8', dict(brightness=0.3, contrast=0.3, saturation=0.3, random_h=20, random_s=30,
                       random_l=25, pca_noise=0.5, dtype='uint8')),
    ('int8', dict(dtype='int8', mean_r=10.5, mean_g=-0.5, mean_b=200, random_l=30)),
    ('pad_mirror', dict(pad=1, fill_value=7, mirror=True, random_h=30, random_s=20,
                        contrast=0.4)),
    ('tiny', dict(brightness=1e-7, contrast=1e-7, saturation=1e-7, pca_noise=1e-9)),
]

# mean_img cases: name, arguments, whether the mean file exists (io_augment_mean.nd, which
# MXNet wrote in case 'mean_plain') or is created by the iterator
MEAN_CASES = [
    ('mean_plain', {}, False),
    ('mean_norm', dict(mean_r=100, std_g=60, scale=0.5, mirror=True), False),
    ('mean_load', dict(std_r=3, scale=2, max_random_illumination=1e-6), True),
]

# the crops that resize to data_shape, where their draws cannot change the box (OpenCV's
# resize: regluon is within 1 level): name, arguments
CROP_CASES = [
    ('crop4', dict(min_crop_size=4, max_crop_size=4)),              # center 4x4
    ('crop7_pad', dict(pad=1, fill_value=7, min_crop_size=7, max_crop_size=7, inter_method=2)),
    # area 1, ratio 0.75: 8x6 never fits the 6x8 image, 6x8 (swapped) is all of it
    ('rrc_whole', dict(random_resized_crop=True, min_aspect_ratio=0.75, max_aspect_ratio=0.75)),
    ('rrc_off', dict(random_resized_crop=True)),                    # area and ratio 1: center
]

# path_imglist: io_augment.lst, per line an image index, two labels, a path (unread)
IMGLIST = ''.join(f'{i}\t{10 + i}.5\t{-i}\timg{i}.png\n' for i in (3, 0, 2, 1))


def images():
    """N uint8 RGB images (6, 8, 3): random colours, grays (R = G = B), and the extremes."""
    rs = np.random.RandomState(42)
    imgs = rs.randint(0, 256, (N, 6, 8, 3)).astype(np.uint8)
    imgs[1, :2] = rs.randint(0, 256, (2, 8, 1))                       # gray rows
    imgs[2, 0] = [[0, 0, 0], [255, 255, 255], [255, 0, 0], [0, 255, 0],
                  [0, 0, 255], [255, 255, 0], [0, 255, 255], [255, 0, 255]]
    imgs[3] = np.clip(imgs[3] // 4 + np.array([150, 60, 20]), 0, 255)   # one dominant hue
    return imgs
