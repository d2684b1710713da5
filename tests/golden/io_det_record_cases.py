"""ImageDetRecordIter cases shared by tools/golden_io_det_record.py (run under MXNet 1.9.1)
and tests/test_io_det_record.py (run under regluon). Pure data and numpy.

MXNet's detection augmenter draws from one std::mt19937 per decoding thread, seeded
(thread + 1) * 233 and never re-seeded; with one thread (preprocess_threads=1) the draws
run in file order across epochs, which regluon reproduces. Each case reads two epochs."""
import numpy as np

N, H, W = 5, 8, 10            # images in io_det_record.rec, their height and width
COMMON = dict(batch_size=2, preprocess_threads=1, data_shape=(3, H, W))
EPOCHS = 2

# name, ImageDetRecordIter arguments, whether the pixels are exact (resizes included:
# regluon/image/resize.py is OpenCV's arithmetic; False: within 1 level, the PNG-to-gray
# decode)
CASES = [
    ('plain', {}, True),
    ('pad_label', dict(label_pad_width=30, label_pad_value=-2.5), True),
    ('no_round', dict(round_batch=False), True),
    ('norm', dict(mean_r=100, mean_g=110.5, mean_b=120, std_r=50, std_b=70, scale=0.5), True),
    ('neg_mean', dict(mean_r=-5, std_g=2), True),             # MXNet: a mean only if one > 0
    ('shuffle', dict(shuffle=True, seed=3), True),
    ('mirror', dict(rand_mirror_prob=0.5), True),
    ('color', dict(random_hue_prob=0.7, max_random_hue=30, random_saturation_prob=0.6,
                   max_random_saturation=60, random_illumination_prob=0.8,
                   max_random_illumination=50, random_contrast_prob=0.5,
                   max_random_contrast=0.4), True),
    ('contrast', dict(random_contrast_prob=1, max_random_contrast=0.5), True),
    ('crop', dict(rand_crop_prob=1, min_crop_scales=0.3, max_crop_scales=0.9,
                  min_crop_aspect_ratios=0.5, max_crop_aspect_ratios=2.0), True),
    ('crop_samplers', dict(rand_crop_prob=0.8, num_crop_sampler=3,
                           min_crop_scales=(0.1, 0.3, 0.5), max_crop_scales=(0.5, 1.0, 1.0),
                           min_crop_aspect_ratios=0.5, max_crop_aspect_ratios=(2.0, 1.0, 1.5),
                           min_crop_overlaps=(0.1, 0.3, 0.0), max_crop_overlaps=(1.0, 1.0, 0.9),
                           min_crop_sample_coverages=(0.0, 0.1, 0.0),
                           min_crop_object_coverages=(0.0, 0.0, 0.3),
                           max_crop_trials=(5, 25, 50), shuffle=True), True),
    ('crop_overlap', dict(rand_crop_prob=1, min_crop_scales=0.2, crop_emit_mode='overlap',
                          emit_overlap_thresh=0.5, rand_mirror_prob=0.5), True),
    ('pad', dict(rand_pad_prob=0.9, max_pad_scale=2.5, fill_value=50), True),
    ('ssd', dict(rand_crop_prob=0.8, min_crop_scales=0.3, min_crop_overlaps=0.1,
                 rand_pad_prob=0.5, max_pad_scale=3, rand_mirror_prob=0.5,
                 mean_r=123, mean_g=117, mean_b=104, data_shape=(3, 12, 12)), True),
    ('shrink', dict(resize_mode='shrink', data_shape=(3, 6, 12)), True),
    ('shrink_none', dict(resize_mode='shrink', data_shape=(3, 9, 11)), True),
    ('fit', dict(resize_mode='fit', data_shape=(3, 12, 12)), True),
    ('resize', dict(resize=6, resize_mode='shrink', data_shape=(3, 8, 10)), True),
    ('inter_nn', dict(inter_method=0, data_shape=(3, 16, 20)), True),    # 2x nearest
    # 10 draws a method for every resize, even to the same size (a copy): the labels show
    # that the draws stay in step
    ('inter_rand', dict(inter_method=10, rand_mirror_prob=0.5, rand_pad_prob=0.3,
                        max_pad_scale=1.5, data_shape=(3, 12, 14)), True),
    ('inter_rand_same', dict(inter_method=10, rand_mirror_prob=0.5), True),
    ('inter_auto', dict(inter_method=9, rand_crop_prob=1, min_crop_scales=0.5), True),
    # PNG to gray: libpng's weights (MXNet) and Pillow's differ by a level at times
    ('gray', dict(data_shape=(1, H, W), rand_mirror_prob=0.5, mean_r=10, std_r=2), False),
    ('label_width', dict(label_width=-1, label_pad_width=-1), True),
    ('part', dict(num_parts=2, part_index=1, batch_size=1), True),
]

# labels of each image: header [header_width, object_width, extra header...], objects
# [id, xmin, ymin, xmax, ymax, extra...]; one has an invalid object (dropped by MXNet)
def labels():
    rs = np.random.RandomState(7)
    out = []
    for i in range(N):
        hw, ow = (2, 5) if i % 2 == 0 else (3, 6)
        head = [hw, ow] + [9.0] * (hw - 2)
        objs = []
        for j in range(1 + i % 3):
            x0, y0 = rs.uniform(0, 0.6, 2)
            x1, y1 = x0 + rs.uniform(0.15, 0.4), y0 + rs.uniform(0.15, 0.4)
            objs += [float(j + i)] + [x0, y0, min(x1, 1.0), min(y1, 1.0)] + [0.5] * (ow - 5)
        if i == 3:
            objs += [-1.0] + [0.5, 0.5, 0.4, 0.6] + [0.5] * (ow - 5)    # xmax < xmin
        out.append(np.array(head + objs, np.float32))
    return out


def images():
    """N uint8 RGB images (H, W, 3): smooth colour ramps with some noise."""
    rs = np.random.RandomState(3)
    y, x = np.mgrid[0:H, 0:W]
    imgs = []
    for i in range(N):
        base = np.stack([x * 20 + 10 * i, y * 25 + 5 * i, (x + y) * 11 + 30], -1)
        imgs.append(np.clip(base + rs.randint(-12, 13, base.shape), 0, 255).astype(np.uint8))
    return np.stack(imgs)


# path_imglist with arbitrary label widths: per line an image index, labels, a path
def imglist():
    lines = []
    for i in range(N):
        lab = [2, 5, i + 10, 0.1, 0.2, 0.5 + 0.05 * i, 0.6] + [1, 0.3, 0.3, 0.9, 0.9] * (i % 2)
        lines.append(f'{i}\t' + '\t'.join(f'{v:g}' for v in lab) + f'\timg{i}.png\n')
    return ''.join(lines)


# mean_img created by the iterator (the mean of one augmented pass, which takes its draws)
MEAN = dict(rand_mirror_prob=0.5, std_g=4, scale=2)
# ... and with mean_g > 0, which MXNet subtracts instead (making the mean image all the same)
MEAN_RGB = dict(rand_mirror_prob=0.5, mean_g=20, scale=2)

# arguments MXNet refuses: name, arguments
ERRORS = [
    ('pad_width', dict(label_pad_width=10)),              # narrower than the widest label
    ('label_width', dict(label_width=7)),                 # records hold other widths
    ('crop_scales', dict(rand_crop_prob=1, min_crop_scales=0.9, max_crop_scales=0.5)),
    ('samplers', dict(num_crop_sampler=2, min_crop_scales=(0.1, 0.2, 0.3))),
    ('inter', dict(inter_method=7)),
    ('channels', dict(data_shape=(4, H, W))),              # the PNGs are RGB
    ('dtype', dict(dtype='float16')),                   # MXNet's kernels are float32 only
]


def epochs(it):
    """EPOCHS epochs of iterator `it`: its batches stacked, pads, indices, shapes."""
    data, label, pad, index = [], [], [], []
    for _ in range(EPOCHS):
        for b in it:
            data.append(b.data[0].asnumpy())
            label.append(b.label[0].asnumpy())
            pad.append(b.pad)
            index.append(b.index)
        it.reset()
    return dict(data=np.stack(data), label=np.stack(label), pad=np.array(pad),
                index=np.stack(index).astype(np.int64),
                dshape=np.array(it.provide_data[0].shape),
                lshape=np.array(it.provide_label[0].shape))
