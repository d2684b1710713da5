"""Cases for tests/test_image_resize.py and tools/golden_image_resize.py: uint8 images
resized by mx.image.imresize (OpenCV's cv::resize) and nd.image.resize, each interp.

Run by both MXNet 1.9.1 (the golden writer) and regluon (the test): `mx` is bound at run
time."""
import numpy as np

# (name, src (h, w), dst (w, h)): up, down, integer factors (area's fast path, linear's
# 2x case), mixed, a 1-pixel source, and wide rows (OpenCV's SIMD and scalar loops)
SIZES = [
    ('up', (13, 17), (29, 23)),
    ('down', (31, 37), (11, 7)),
    ('down2x', (24, 32), (16, 12)),
    ('down3x4', (20, 27), (9, 5)),
    ('down_odd', (40, 45), (13, 17)),
    ('mixed', (16, 20), (40, 8)),
    ('mixed2', (9, 40), (23, 13)),
    ('up2x', (6, 11), (22, 12)),
    ('pixel', (1, 1), (5, 4)),
    ('row', (1, 9), (4, 3)),
    ('wide', (5, 70), (61, 6)),
    ('same', (7, 9), (9, 7)),
]
INTERPS = (0, 1, 2, 3, 4)
CHANNELS = (1, 3)


def image(i, h, w, c):
    """A random uint8 (h, w, c) image, the same on both sides."""
    return np.random.RandomState(100 + i).randint(0, 256, (h, w, c)).astype(np.uint8)


def imresize_cases():
    """[(key, src, w, h, interp)] for mx.image.imresize."""
    out = []
    for i, (name, (h, w), (dw, dh)) in enumerate(SIZES):
        for c in CHANNELS:
            src = image(i * 2 + c, h, w, c)
            for interp in INTERPS:
                out.append((f'imresize_{name}_c{c}_i{interp}', src, dw, dh, interp))
    return out


# nd.image.resize: (name, src (h, w, c), size, keep_ratio, interp), uint8 and float32
OP_CASES = [
    ('op_wh', (13, 17, 3), (29, 23), False, 1),
    ('op_int', (31, 37, 3), 11, False, 2),
    ('op_keep', (20, 27, 1), 9, True, 3),
    ('op_keep_up', (9, 13, 3), 21, True, 4),
    ('op_nearest', (10, 7, 3), (5, 15), False, 0),
    ('op_half', (2, 2, 1), (4, 4), False, 1),
    ('op_area2x', (12, 16, 3), (8, 6), False, 3),
    ('op_area3x', (12, 18, 1), (6, 4), False, 3),
    ('op_linear2x', (12, 16, 1), (8, 6), False, 1),
    ('op_area_up', (7, 9, 3), (20, 11), False, 3),
    ('op_lanczos_down', (30, 26, 1), (11, 13), False, 4),
    # 2x shrinks: OpenCV's SSE loop (1 channel: 4 pixels a step, then a tail; 4 channels)
    ('op_area2x_c1', (10, 14, 1), (7, 5), False, 3),
    ('op_area2x_c4', (8, 10, 4), (5, 4), False, 3),
    ('op_linear2x_c3', (8, 12, 3), (6, 4), False, 1),
    ('op_cubic_c4', (9, 11, 4), (17, 6), False, 2),
]


def op_cases():
    """[(key, src, size, keep_ratio, interp)] for nd.image.resize, each dtype."""
    out = []
    for i, (name, shape, size, keep, interp) in enumerate(OP_CASES):
        src = image(500 + i, *shape)
        out.append((name + '_u8', src, size, keep, interp))
        # thirds: float32 sums depend on OpenCV's order of additions
        out.append((name + '_f32', src.astype(np.float32) / np.float32(3), size, keep,
                    interp))
    return out


def run(mx):
    """{key: result} for every case."""
    res = {}
    for key, src, w, h, interp in imresize_cases():
        res[key] = mx.image.imresize(mx.nd.array(src, dtype='uint8'), w, h,
                                     interp=interp).asnumpy()
    for key, src, size, keep, interp in op_cases():
        res[key] = mx.nd.image.resize(mx.nd.array(src, dtype=src.dtype), size, keep,
                                      interp).asnumpy()
    # an exact .5: OpenCV's 2x bilinear shrink (the area average) gives 9, not 8
    half = np.array([[8, 9], [8, 9]], np.uint8).reshape(2, 2, 1)
    res['half_u8'] = mx.nd.image.resize(mx.nd.array(half, dtype='uint8'), (1, 1)).asnumpy()
    src = image(900, 23, 31, 3)
    for interp in (1, 2, 3, 4, 9):
        res[f'resize_short_i{interp}'] = mx.image.resize_short(
            mx.nd.array(src, dtype='uint8'), 10, interp=interp).asnumpy()
    src = image(901, 19, 26, 3)
    tf = mx.gluon.data.vision.transforms
    for name, block in [('tf_resize', tf.Resize((11, 8))), ('tf_resize_keep', tf.Resize(7, True)),
                        ('tf_resize_cubic', tf.Resize((30, 25), interpolation=2)),
                        ('tf_center_crop', tf.CenterCrop((30, 24), interpolation=4))]:
        res[name] = block(mx.nd.array(src, dtype='uint8')).asnumpy()
    return res
