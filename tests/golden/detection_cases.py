"""Cases of the object-detection and resizing contrib operators, run by MXNet 1.9.1
(tools/golden_detection.py) and regluon (tests/test_contrib_detection.py): each case builds
seeded inputs, calls the operators through `nd.contrib`, and returns named numpy results
(outputs and, inside autograd.record(), input gradients for a seeded head gradient).
Random inputs are continuous, so scores and overlaps have no ties."""
import numpy as np

# d2l chapter 9 (anchor boxes): ground truth, anchors and predictions of its examples
D2L_GT = [[0, 0.1, 0.08, 0.52, 0.92], [1, 0.55, 0.2, 0.9, 0.88]]
D2L_TARGET_ANCHORS = [[0, 0.1, 0.2, 0.3], [0.15, 0.2, 0.4, 0.4], [0.63, 0.05, 0.88, 0.98],
                      [0.66, 0.45, 0.8, 0.8], [0.57, 0.3, 0.92, 0.9]]
D2L_DET_ANCHORS = [[0.1, 0.08, 0.52, 0.92], [0.08, 0.2, 0.56, 0.95],
                   [0.15, 0.3, 0.62, 0.91], [0.55, 0.2, 0.9, 0.88]]
D2L_CLS_PROBS = [[0] * 4, [0.9, 0.8, 0.7, 0.1], [0.1, 0.2, 0.3, 0.9]]


def _boxes(rng, shape, lo=0.0, hi=1.0, min_size=0.05):
    """Random corner boxes (..., 4) inside [lo, hi]."""
    a = rng.uniform(lo, hi, shape + (2,))
    b = rng.uniform(lo, hi, shape + (2,))
    lt, rb = np.minimum(a, b), np.maximum(a, b) + min_size
    return np.concatenate([lt, rb], -1).astype('float32')


def _prior(nd, shape=(2, 3, 4, 4), **kw):
    kw = kw or dict(sizes=[0.5, 0.25], ratios=[1, 2])
    return nd.contrib.MultiBoxPrior(nd.zeros(shape), **kw)


def _labels(rng, batch, num, valid):
    """(batch, num, 5) labels with `valid[b]` real boxes, then -1 padding."""
    lab = -np.ones((batch, num, 5), 'float32')
    for b, v in enumerate(valid):
        lab[b, :v, 0] = rng.randint(0, 3, v)
        lab[b, :v, 1:] = _boxes(rng, (v,), 0.0, 0.8, 0.15)
    return lab


def prior(nd, autograd, shape, kwargs):
    y = nd.contrib.MultiBoxPrior(nd.zeros(shape), **kwargs)
    return {'y': y.asnumpy()}


def d2l_prior(nd, autograd):
    """d2l 9.4: 5 anchors per pixel of a 40x50 map; the anchors of one pixel and a sample."""
    y = nd.contrib.MultiBoxPrior(nd.zeros((1, 3, 40, 50)), sizes=[0.75, 0.5, 0.25],
                                 ratios=[1, 2, 0.5])
    boxes = y.reshape((40, 50, 5, 4))
    return {'shape': np.array(y.shape), 'pixel': boxes[20, 25, :, :].asnumpy(),
            'sample': y.asnumpy()[0, ::97]}


def d2l_target(nd, autograd):
    anchors, gt = nd.array(D2L_TARGET_ANCHORS), nd.array(D2L_GT)
    out = nd.contrib.MultiBoxTarget(anchors.expand_dims(axis=0), gt.expand_dims(axis=0),
                                    nd.zeros((1, 3, 5)))
    return {k: v.asnumpy() for k, v in zip(('loc', 'mask', 'cls'), out)}


def d2l_detection(nd, autograd):
    anchors = nd.array(D2L_DET_ANCHORS)
    out = nd.contrib.MultiBoxDetection(
        nd.array(D2L_CLS_PROBS).expand_dims(axis=0), nd.zeros((1, 16)),
        anchors.expand_dims(axis=0), nms_threshold=0.5)
    return {'y': out.asnumpy()}


def target(nd, autograd, seed, kwargs):
    """Anchors of a 4x4 map against 3 images: 4 boxes, 2 boxes and none (all padding)."""
    rng = np.random.RandomState(seed)
    anchors = _prior(nd)
    lab = _labels(rng, 3, 4, [4, 2, 0])
    cls = rng.uniform(-2, 2, (3, 4, anchors.shape[1])).astype('float32')
    out = nd.contrib.MultiBoxTarget(anchors, nd.array(lab), nd.array(cls), **kwargs)
    return {k: v.asnumpy() for k, v in zip(('loc', 'mask', 'cls'), out)}


def detection(nd, autograd, seed, kwargs):
    rng = np.random.RandomState(seed)
    anchors = _prior(nd)
    n = anchors.shape[1]
    prob = nd.softmax(nd.array(rng.uniform(-2, 2, (2, 4, n))), axis=1)
    loc = nd.array(rng.uniform(-1, 1, (2, n * 4)))
    return {'y': nd.contrib.MultiBoxDetection(prob, loc, anchors, **kwargs).asnumpy()}


def nms_data(rng, shape, layout=(0, 1, 2)):
    """Rows of (id, score, x1, y1, x2, y2) with clustered boxes, columns permuted by layout
    (the positions of id, score and the first coordinate)."""
    ids = rng.randint(0, 3, shape).astype('float32')
    score = rng.uniform(0, 1, shape).astype('float32')
    centre = rng.choice([0.3, 0.5, 0.7], shape + (2,)) + rng.uniform(-0.05, 0.05, shape + (2,))
    half = rng.uniform(0.1, 0.25, shape + (2,))
    box = np.concatenate([centre - half, centre + half], -1).astype('float32')
    out = np.zeros(shape + (6,), 'float32')
    i, s, c = layout
    out[..., i], out[..., s], out[..., c:c + 4] = ids, score, box
    return out


def nms(nd, autograd, seed, shape, kwargs, layout=(0, 1, 2), center=False):
    """box_nms output and the data gradient for a seeded head gradient."""
    rng = np.random.RandomState(seed)
    data = nms_data(rng, shape, layout)
    if center:
        c = layout[2]
        b = data[..., c:c + 4].copy()
        data[..., c:c + 2], data[..., c + 2:c + 4] = (b[..., :2] + b[..., 2:]) / 2, \
            b[..., 2:] - b[..., :2]
    x = nd.array(data)
    x.attach_grad()
    with autograd.record():
        y = nd.contrib.box_nms(x, **kwargs)
    y.backward(nd.array(rng.uniform(-1, 1, y.shape)))
    return {'y': y.asnumpy(), 'grad': x.grad.asnumpy()}


def iou(nd, autograd, seed, lshape, rshape, fmt):
    rng = np.random.RandomState(seed)
    lhs, rhs = _boxes(rng, lshape), _boxes(rng, rshape)
    if fmt == 'center':
        lhs[..., 2:] -= lhs[..., :2]
        rhs[..., 2:] -= rhs[..., :2]
    y = nd.contrib.box_iou(nd.array(lhs), nd.array(rhs), format=fmt)
    return {'y': y.asnumpy()}


def matching(nd, autograd, seed, shape, kwargs):
    rng = np.random.RandomState(seed)
    rows, cols = nd.contrib.bipartite_matching(nd.array(rng.uniform(0, 1, shape)), **kwargs)
    return {'rows': rows.asnumpy(), 'cols': cols.asnumpy()}


def encode(nd, autograd, seed):
    rng = np.random.RandomState(seed)
    b, n, m = 2, 6, 3
    samples = rng.choice([-1.0, 0.0, 1.0], (b, n))
    matches = rng.randint(0, m, (b, n)).astype('float32')
    anchors, refs = _boxes(rng, (b, n)), _boxes(rng, (b, m))
    means, stds = np.array([0.1, -0.1, 0.0, 0.2]), np.array([0.1, 0.1, 0.2, 0.2])
    t, mask = nd.contrib.box_encode(*[nd.array(v) for v in (samples, matches, anchors, refs,
                                                           means, stds)])
    return {'targets': t.asnumpy(), 'masks': mask.asnumpy()}


def decode(nd, autograd, seed, kwargs):
    rng = np.random.RandomState(seed)
    data = rng.uniform(-1, 1, (2, 5, 4)) * 2
    anchors = _boxes(rng, (1, 5))
    if kwargs.get('format', 'center') == 'center':
        anchors[..., 2:] -= anchors[..., :2]
        anchors[..., :2] += anchors[..., 2:] / 2
    y = nd.contrib.box_decode(nd.array(data), nd.array(anchors), **kwargs)
    return {'y': y.asnumpy()}


def _with_grad(nd, autograd, rng, fn, *arrays):
    """fn(*arrays) recorded; the output and each array's gradient for a seeded head."""
    xs = [nd.array(a, dtype=a.dtype) for a in arrays]
    for x in xs:
        x.attach_grad()
    with autograd.record():
        y = fn(*xs)
    y.backward(nd.array(rng.uniform(-1, 1, y.shape), dtype=arrays[0].dtype))
    res = {'y': y.asnumpy(), 'grad': xs[0].grad.asnumpy()}
    if len(xs) > 1:     # MXNet's zero gradient of rois / like
        res['grad1'] = xs[1].grad.asnumpy()
    return res


ROIS = [[0, 1.2, 0.5, 9.3, 7.1], [1, 0, 0, 3, 3], [1, -3, 2, 14, 20], [0, 4, 4, 4.2, 4.1],
        [1, 6.5, 1.5, 11.5, 12.0]]


def roi_align(nd, autograd, seed, channels, kwargs, dtype='float32'):
    rng = np.random.RandomState(seed)
    data = rng.uniform(-1, 1, (2, channels, 6, 7)).astype(dtype)
    return _with_grad(nd, autograd, rng, lambda x, r: nd.contrib.ROIAlign(x, r, **kwargs),
                      data, np.array(ROIS, dtype))


def resize(nd, autograd, seed, shape, kwargs, like=None, dtype='float32'):
    rng = np.random.RandomState(seed)
    data = rng.uniform(-1, 1, shape).astype(dtype)
    arrays = (data,) if like is None else (data, np.zeros(like, dtype))
    return _with_grad(nd, autograd, rng,
                      lambda *xs: nd.contrib.BilinearResize2D(*xs, **kwargs), *arrays)


def adaptive(nd, autograd, seed, shape, kwargs, dtype='float32'):
    rng = np.random.RandomState(seed)
    data = rng.uniform(-1, 1, shape).astype(dtype)
    return _with_grad(nd, autograd, rng,
                      lambda x: nd.contrib.AdaptiveAvgPooling2D(x, **kwargs), data)


NMS_SHAPE = (2, 3, 12)
# name: (function, arguments after nd and autograd)
CASES = {
    'd2l_prior': (d2l_prior, ()),
    'd2l_target': (d2l_target, ()),
    'd2l_detection': (d2l_detection, ()),
    'prior_default': (prior, ((2, 3, 3, 5), {})),
    'prior_clip_steps_offsets': (prior, ((1, 2, 4, 3), dict(
        sizes=(1.2, 0.3), ratios=(0.5, 1, 3), clip=True, steps=(0.2, 0.3),
        offsets=(0.2, 0.9)))),
    'prior_5d': (prior, ((1, 1, 3, 2, 2), dict(sizes=(0.4,), ratios=(2.0,)))),
    'target_default': (target, (0, {})),
    'target_threshold': (target, (1, dict(overlap_threshold=0.2, ignore_label=-2,
                                          variances=(0.2, 0.3, 0.4, 0.5)))),
    'target_no_threshold': (target, (2, dict(overlap_threshold=0))),
    'target_mining': (target, (3, dict(negative_mining_ratio=3, negative_mining_thresh=0.4,
                                       minimum_negative_samples=5))),
    'target_mining_ratio': (target, (4, dict(negative_mining_ratio=1.5,
                                             overlap_threshold=0.3))),
    'detection_default': (detection, (0, {})),
    'detection_force': (detection, (1, dict(force_suppress=True, nms_threshold=0.3))),
    'detection_topk': (detection, (2, dict(nms_topk=7, threshold=0.3))),
    'detection_no_nms': (detection, (3, dict(nms_threshold=0, clip=False))),
    'detection_variances': (detection, (4, dict(variances=(0.2, 0.2, 0.1, 0.1),
                                                background_id=2, nms_threshold=0.7))),
    'nms_default': (nms, (0, NMS_SHAPE, {})),
    'nms_class': (nms, (1, NMS_SHAPE, dict(id_index=0, overlap_thresh=0.3))),
    'nms_force': (nms, (2, NMS_SHAPE, dict(id_index=0, force_suppress=True))),
    'nms_topk_valid': (nms, (3, NMS_SHAPE, dict(topk=5, valid_thresh=0.3, id_index=0))),
    'nms_background': (nms, (4, NMS_SHAPE, dict(id_index=0, background_id=1,
                                                overlap_thresh=0.2))),
    'nms_layout': (nms, (5, (15,), dict(score_index=5, id_index=4, coord_start=0),
                         (4, 5, 0))),
    'nms_center_in': (nms, (6, NMS_SHAPE, dict(in_format='center'), (0, 1, 2), True)),
    'nms_center_out': (nms, (7, NMS_SHAPE, dict(out_format='center', overlap_thresh=0.4))),
    'nms_topk0': (nms, (8, (2, 5), dict(topk=0))),
    'iou_corner': (iou, (0, (5,), (2, 3), 'corner')),
    'iou_center': (iou, (1, (2, 4), (3,), 'center')),
    'matching': (matching, (0, (2, 5, 4), dict(threshold=0.1))),
    'matching_ascend': (matching, (1, (3, 4, 6), dict(threshold=0.7, is_ascend=True))),
    'matching_topk': (matching, (2, (2, 6, 5), dict(threshold=0.05, topk=2))),
    'encode': (encode, (0,)),
    'decode_center': (decode, (0, {})),
    'decode_corner_clip': (decode, (1, dict(format='corner', clip=0.5, std0=0.1, std1=0.2,
                                            std2=0.3, std3=0.4))),
    'roialign': (roi_align, (0, 4, dict(pooled_size=(2, 2), spatial_scale=0.5))),
    'roialign_sample': (roi_align, (1, 3, dict(pooled_size=(3, 2), spatial_scale=0.7,
                                               sample_ratio=2))),
    'roialign_ps_aligned': (roi_align, (2, 8, dict(pooled_size=(2, 2), spatial_scale=0.5,
                                                   position_sensitive=True, aligned=True))),
    'roialign_aligned': (roi_align, (4, 3, dict(pooled_size=(3, 3), spatial_scale=0.8,
                                                aligned=True))),
    'roialign_float64': (roi_align, (3, 2, dict(pooled_size=(4, 3), spatial_scale=1.0,
                                                sample_ratio=1), 'float64')),
    'resize_up': (resize, (0, (2, 3, 4, 5), dict(height=7, width=9))),
    'resize_down_unaligned': (resize, (1, (1, 2, 7, 9), dict(height=3, width=4,
                                                             align_corners=False))),
    'resize_up_unaligned': (resize, (2, (1, 2, 3, 4), dict(height=8, width=5,
                                                           align_corners=False))),
    'resize_size1': (resize, (3, (1, 2, 4, 5), dict(height=1, width=3, align_corners=False))),
    'resize_scale': (resize, (4, (1, 2, 4, 5), dict(scale_height=1.5, scale_width=0.7))),
    'resize_scale_width_only': (resize, (5, (1, 1, 4, 5), dict(scale_width=2.0, height=2,
                                                               width=3))),
    'resize_odd_scale': (resize, (6, (1, 2, 5, 4), dict(mode='odd_scale', scale_height=2.0,
                                                        scale_width=0.5))),
    'resize_like': (resize, (7, (2, 2, 3, 4), dict(mode='like'), (2, 2, 6, 5))),
    'resize_to_even_down': (resize, (8, (1, 2, 5, 4), dict(mode='to_even_down'))),
    'resize_to_odd_up': (resize, (9, (1, 2, 5, 4), dict(mode='to_odd_up'))),
    'resize_to_even_up': (resize, (12, (1, 2, 5, 4), dict(mode='to_even_up',
                                                          align_corners=False))),
    'resize_to_odd_down': (resize, (13, (1, 2, 5, 4), dict(mode='to_odd_down'))),
    'resize_same': (resize, (10, (1, 2, 4, 4), dict(height=4, width=4))),
    'resize_float64': (resize, (11, (1, 2, 3, 3), dict(height=5, width=2), None, 'float64')),
    'adaptive_default': (adaptive, (0, (2, 3, 5, 7), {})),
    'adaptive_int': (adaptive, (1, (2, 3, 5, 7), dict(output_size=3))),
    'adaptive_hw': (adaptive, (2, (1, 2, 7, 5), dict(output_size=(4, 2)))),
    'adaptive_up': (adaptive, (3, (1, 2, 3, 4), dict(output_size=(5, 6)))),
    'adaptive_float64': (adaptive, (4, (1, 2, 6, 6), dict(output_size=(4, 4)), 'float64')),
}


def run(nd, autograd, name):
    fn, args = CASES[name]
    return fn(nd, autograd, *args)


# Bad arguments: name, operator, input shapes, keyword arguments, a phrase both MXNet's and
# regluon's messages contain[, the inputs' dtype[, the values of the second input]]
ERRORS = [
    ('prior_no_sizes', 'MultiBoxPrior', [(1, 3, 4, 4)], dict(sizes=()), 'sizes'),
    ('prior_no_ratios', 'MultiBoxPrior', [(1, 3, 4, 4)], dict(ratios=[]), 'ratios'),
    ('prior_3d', 'MultiBoxPrior', [(3, 4, 4)], {}, '4D'),
    ('prior_steps', 'MultiBoxPrior', [(1, 3, 4, 4)], dict(steps=(0.1,)), 'step'),
    ('prior_offsets', 'MultiBoxPrior', [(1, 3, 4, 4)], dict(offsets=(1.5, 0.5)), 'offsets'),
    ('target_anchor_batch', 'MultiBoxTarget', [(2, 5, 4), (1, 2, 5), (1, 3, 5)], {},
     'shared across batches'),
    ('target_label_width', 'MultiBoxTarget', [(1, 5, 4), (1, 2, 4), (1, 3, 5)], {}, 'Label'),
    ('target_anchor_count', 'MultiBoxTarget', [(1, 5, 4), (1, 2, 5), (1, 3, 6)], {},
     'Number of anchors mismatch'),
    ('target_padding', 'MultiBoxTarget', [(1, 5, 4), (1, 2, 5), (1, 3, 5)], dict(), '-1',
     'float32', [[0, 0.1, 0.1, 0.5, 0.5], [-1, 0, 0, 0, 0]]),
    ('detection_loc', 'MultiBoxDetection', [(1, 3, 5), (1, 16), (1, 5, 4)], {},
     'anchors mismatch'),
    ('nms_width', 'box_nms', [(2, 4)], {}, 'at least 5'),
    ('nms_rank', 'box_nms', [(5,)], {}, 'dim >= 2'),
    ('nms_score_index', 'box_nms', [(3, 6)], dict(score_index=2), 'score_index'),
    ('iou_last_dim', 'box_iou', [(3, 5), (2, 4)], {}, 'lhs'),
    ('matching_rank', 'bipartite_matching', [(5,)], dict(threshold=0.1), 'dim >= 2'),
    ('decode_rank', 'box_decode', [(5, 4), (1, 5, 4)], {}, 'data'),
    ('roialign_rois', 'ROIAlign', [(1, 2, 4, 4), (3, 4)], dict(pooled_size=(2, 2),
                                                              spatial_scale=1.0), 'bbox'),
    ('roialign_3d', 'ROIAlign', [(2, 4, 4), (3, 5)], dict(pooled_size=(2, 2),
                                                         spatial_scale=1.0), '4D'),
    ('roialign_ps_channels', 'ROIAlign', [(1, 6, 4, 4), (3, 5)], dict(
        pooled_size=(2, 2), spatial_scale=1.0, position_sensitive=True), 'divided'),
    ('resize_scale_height_only', 'BilinearResize2D', [(1, 1, 4, 4)], dict(scale_height=2.0),
     'optional'),
    ('resize_like_missing', 'BilinearResize2D', [(1, 1, 4, 4)], dict(mode='like'), '2 inputs'),
    ('adaptive_5d', 'AdaptiveAvgPooling2D', [(1, 1, 4, 4, 1)], {}, 'dim'),
    ('prior_float64', 'MultiBoxPrior', [(1, 3, 4, 4)], {}, 'Unsupported data type',
     'float64'),
    ('detection_float16', 'MultiBoxDetection', [(1, 3, 5), (1, 20), (1, 5, 4)], {},
     'Unsupported data type', 'float16'),
    ('resize_int', 'BilinearResize2D', [(1, 1, 4, 4)], dict(height=2, width=2),
     'only support floating point', 'int32'),
    ('adaptive_int', 'AdaptiveAvgPooling2D', [(1, 1, 4, 4)], {}, 'only support floating point',
     'int32'),
]


# MXNet 1.9.1 aborts the process on these (the check fails in its engine thread)
CRASHES = [
    ('prior_step_signs', 'MultiBoxPrior', [(1, 3, 4, 4)], dict(steps=(-1, 0.5)),
     'Must specify both step_y and step_x'),
]


def call_error(nd, name):
    """Call the error case `name`; returns the result (after the operator ran)."""
    _, opname, shapes, kwargs, _, *extra = next(e for e in ERRORS + CRASHES if e[0] == name)
    dtype = extra[0] if extra else 'float32'
    label = extra[1] if len(extra) > 1 else None
    args = [nd.ones(s, dtype=dtype) for s in shapes]
    if label is not None:       # a label of the op's second input
        args[1] = nd.array(label).reshape(shapes[1])
    res = getattr(nd.contrib, opname)(*args, **kwargs)
    for r in res if isinstance(res, list) else [res]:
        r.wait_to_read()
    return res


# Shape inference of sym.contrib ops: name, operator, {input name: shape}, kwargs
SYMBOLS = [
    ('prior', 'MultiBoxPrior', {'data': (2, 3, 40, 50)}, dict(sizes=[0.75, 0.5, 0.25],
                                                              ratios=[1, 2, 0.5])),
    ('target', 'MultiBoxTarget', {'anchor': (1, 20, 4), 'label': (3, 4, 5),
                                  'cls_pred': (3, 2, 20)}, {}),
    ('detection', 'MultiBoxDetection', {'cls_prob': (2, 3, 20), 'loc_pred': (2, 80),
                                        'anchor': (1, 20, 4)}, {}),
    ('nms', 'box_nms', {'data': (2, 7, 6)}, {}),
    ('iou', 'box_iou', {'lhs': (5, 4), 'rhs': (2, 3, 4)}, {}),
    ('matching', 'bipartite_matching', {'data': (2, 5, 4)}, dict(threshold=0.1)),
    ('roialign', 'ROIAlign', {'data': (2, 8, 6, 7), 'rois': (3, 5)},
     dict(pooled_size=(2, 2), spatial_scale=0.5, position_sensitive=True)),
    ('resize', 'BilinearResize2D', {'data': (2, 3, 5, 4)}, dict(mode='odd_scale',
                                                                scale_height=2.0,
                                                                scale_width=0.5)),
    ('adaptive', 'AdaptiveAvgPooling2D', {'data': (2, 3, 5, 4)}, dict(output_size=(2, 3))),
]


def graph(sym, name):
    """The symbol of SYMBOLS case `name`."""
    _, opname, shapes, kwargs = next(s for s in SYMBOLS if s[0] == name)
    return getattr(sym.contrib, opname)(*[sym.var(k) for k in shapes], **kwargs)


def infer(sym, name):
    """Output shapes and output names of SYMBOLS case `name`."""
    s = graph(sym, name)
    _, outs, _ = s.infer_shape(**next(c[2] for c in SYMBOLS if c[0] == name))
    return [tuple(o) for o in outs], s.list_outputs()


def pipeline(sym):
    """One graph through every operator (d2l's SSD head, NMS, ROIAlign, resizing)."""
    x, lab, cls, rois = sym.var('x'), sym.var('l'), sym.var('c'), sym.var('r')
    anchors = sym.contrib.MultiBoxPrior(x, sizes=(0.5, 0.25), ratios=[1, 2], clip=True)
    loc, _, cls_t = sym.contrib.MultiBoxTarget(anchors, lab, cls, negative_mining_ratio=3)
    det = sym.contrib.MultiBoxDetection(sym.softmax(cls, axis=1), loc, anchors,
                                        force_suppress=True, nms_topk=20)
    kept = sym.contrib.box_nms(det, id_index=0, out_format='center', overlap_thresh=0.4)
    pooled = sym.contrib.ROIAlign(x, rois, pooled_size=(2, 2), spatial_scale=0.5,
                                  aligned=True)
    like = sym.contrib.BilinearResize2D(x, pooled, mode='like', align_corners=False)
    avg = sym.contrib.AdaptiveAvgPooling2D(x, output_size=(2, 3))
    return sym.Group([cls_t, kept, like, avg])


def pipeline_feed(nd):
    rng = np.random.RandomState(11)
    return dict(x=nd.array(rng.uniform(0, 1, (2, 3, 4, 4))), l=nd.array(_labels(rng, 2, 3, [3, 2])),
                c=nd.array(rng.uniform(-2, 2, (2, 3, 48))), r=nd.array(ROIS[:2]))
