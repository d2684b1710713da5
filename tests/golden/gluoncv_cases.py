"""GluonCV 0.10.5.post0 model-zoo cases run the same way under MXNet 1.9.1 (the golden writer
tools/golden_gluoncv.py) and regluon (tests/test_gluoncv.py), binding `mxnet` at run time.

Weights come from each parameter's shape and position (`fill_params`), so both sides hold the
same numbers without shipping .params files.
"""
import importlib.util
import random
import sys
import types

import numpy as np


def import_gluoncv():
    """`import gluoncv` as in an environment with mxnet and no torch. gluoncv's __init__ also
    probes torch and raises RuntimeError for torch >= 2.0 (regluon's engine is torch 2.x, which
    gluoncv's torch models are not meant for), so its check module is loaded first with the
    torch probe answering 'no torch'. scipy is needed at import time only by the VOC-aug
    segmentation dataset (scipy.io.loadmat); without scipy that name raises when called.
    Faster R-CNN's anchors use `np.float`, removed in numpy 1.24 (regluon's venv has numpy 2):
    the alias numpy < 1.24 had is restored."""
    if 'gluoncv' in sys.modules:
        return sys.modules['gluoncv']
    spec = importlib.util.find_spec('gluoncv')
    check_path = spec.submodule_search_locations[0] + '/check.py'
    cspec = importlib.util.spec_from_file_location('gluoncv.check', check_path)
    check = importlib.util.module_from_spec(cspec)
    cspec.loader.exec_module(check)

    def no_torch(*args, **kwargs):
        raise ImportError('gluoncv torch models are not used here')
    check._require_pytorch_version = no_torch
    sys.modules['gluoncv.check'] = check
    if importlib.util.find_spec('scipy') is None:
        scipy, io = types.ModuleType('scipy'), types.ModuleType('scipy.io')

        def loadmat(*args, **kwargs):
            raise ImportError('scipy is not installed')
        io.loadmat, scipy.io = loadmat, io
        sys.modules.update({'scipy': scipy, 'scipy.io': io})
    if 'float' not in np.__dict__:
        np.float = float
    import gluoncv
    return gluoncv


def fill_params(net, scale=0.05):
    """Give every parameter values drawn from its position and shape (sorted by name order
    of collect_params, which is creation order on both sides); Constants (anchors, offsets)
    keep the values the model computed."""
    for i, (name, p) in enumerate(net.collect_params().items()):
        if type(p).__name__ == 'Constant':
            continue
        rng = np.random.RandomState(1000 + i)
        shape = p.shape
        if name.endswith(('running_var', 'gamma')):
            v = rng.uniform(0.5, 1.5, shape)
        elif name.endswith(('running_mean', 'beta', 'bias')):
            v = rng.uniform(-0.1, 0.1, shape)
        else:
            fan_in = int(np.prod(shape[1:])) if len(shape) > 1 else 1
            v = rng.normal(0, 1.0 / np.sqrt(max(fan_in, 1)), shape)
        p.set_data(v.astype(p.dtype if p.dtype is not None else 'float32'))


NO_BASE = {'pretrained_base': False}
SEG = dict(NO_BASE, crop_size=64, base_size=72)
# name, input shape, kwargs for get_model
MODELS = [
    ('resnet50_v1b', (1, 3, 64, 64), {}),
    ('mobilenetv3_small', (1, 3, 64, 64), {}),
    ('resnest14', (1, 3, 64, 64), {}),
    ('ssd_300_vgg16_atrous_voc', (1, 3, 300, 300), NO_BASE),
    ('ssd_512_mobilenet1.0_voc', (1, 3, 256, 256), NO_BASE),
    ('yolo3_mobilenet1.0_voc', (1, 3, 128, 128), NO_BASE),
    ('faster_rcnn_resnet50_v1b_voc', (1, 3, 128, 128), NO_BASE),
    ('center_net_resnet18_v1b_voc', (1, 3, 128, 128), NO_BASE),
    ('fcn_resnet50_voc', (1, 3, 64, 64), SEG),
    ('deeplab_resnet50_ade', (1, 3, 64, 64), SEG),
    ('psp_resnet50_ade', (1, 3, 64, 64), SEG),
    ('simple_pose_resnet18_v1b', (1, 3, 64, 48), NO_BASE),
]


def build(mx, gcv, name, shape, kwargs, seed=0):
    """The model with filled weights and its input."""
    net = gcv.model_zoo.get_model(name, pretrained=False, **kwargs)
    net.initialize()
    x = mx.nd.array(np.random.RandomState(seed).uniform(-1, 1, shape).astype('float32'))
    try:
        net(x)            # finish deferred shapes
    except Exception:     # pylint: disable=broad-except
        pass
    fill_params(net)
    return net, x


def outputs(res):
    """A flat list of numpy arrays from a model's output (NDArray or nested tuples)."""
    if isinstance(res, (list, tuple)):
        return [a for r in res for a in outputs(r)]
    return [res.asnumpy()]


def digest(a, n=48):
    """Size, sum, absolute sum and `n` evenly strided values of an array (float64)."""
    a = np.asarray(a, dtype=np.float64).ravel()
    step = max(1, a.size // n)
    return np.concatenate([[a.size, a.sum(), np.abs(a).sum()], a[::step][:n]])


# the models the test runs (a few seconds each under regluon); the golden writer runs all
FORWARD = ['resnet50_v1b', 'mobilenetv3_small', 'resnest14', 'ssd_512_mobilenet1.0_voc',
           'yolo3_mobilenet1.0_voc', 'center_net_resnet18_v1b_voc', 'fcn_resnet50_voc',
           'simple_pose_resnet18_v1b']
HYBRID = ['mobilenetv3_small', 'ssd_512_mobilenet1.0_voc', 'yolo3_mobilenet1.0_voc']


def seed(n):
    """The train presets draw from numpy's and Python's generators (never MXNet's)."""
    np.random.seed(n)
    random.seed(n)


def image(h=180, w=240):
    """A synthetic uint8 HWC image and two labelled boxes (xmin, ymin, xmax, ymax, id)."""
    img = np.random.RandomState(7).randint(0, 256, (h, w, 3)).astype('uint8')
    label = np.array([[20, 30, 120, 150, 3], [100, 60, 220, 170, 7]], dtype='float32')
    return img, label


def run_model(mx, gcv, name, hybridize=False):
    """{'<name>/out<i>': digest} for one model's inference forward."""
    _, shape, kwargs = next(m for m in MODELS if m[0] == name)
    net, x = build(mx, gcv, name, shape, kwargs)
    tag = name
    if hybridize:
        net.hybridize()
        net(x)            # the first call traces
        tag = name + '/hybrid'
    return {f'{tag}/out{i}': digest(o) for i, o in enumerate(outputs(net(x)))}


def run_transforms(mx, gcv):
    """Deterministic presets (val/test) and the random train presets under np.random.seed."""
    presets = gcv.data.transforms.presets
    img, label = image()
    src = mx.nd.array(img, dtype='uint8')
    out = {}
    x, orig = presets.ssd.transform_test(src, short=128)
    out['ssd/transform_test'], out['ssd/transform_test_orig'] = digest(x.asnumpy()), digest(orig)
    for key, t in [('ssd/val', presets.ssd.SSDDefaultValTransform(128, 128)),
                   ('yolo/val', presets.yolo.YOLO3DefaultValTransform(96, 96))]:
        a, b = t(src, label)
        out[key + '_img'], out[key + '_label'] = digest(a.asnumpy()), digest(b)
    seed(3)
    a, b = presets.ssd.SSDDefaultTrainTransform(128, 128)(src, label)
    out['ssd/train_img'], out['ssd/train_label'] = digest(a.asnumpy()), digest(b)
    return out


def grad(net, suffix):
    """The digest of the gradient of the Parameter whose name ends with `suffix`."""
    p, = [p for n, p in net.collect_params().items() if n.endswith(suffix)]
    return digest(p.grad().asnumpy())


def run_ssd_training(mx, gcv):
    """SSD targets from the train preset (with anchors), SSDMultiBoxLoss and its gradients."""
    net, _ = build(mx, gcv, 'ssd_512_mobilenet1.0_voc', (1, 3, 128, 128), NO_BASE)
    with mx.autograd.train_mode():
        _, _, anchors = net(mx.nd.zeros((1, 3, 128, 128)))
    img, label = image()
    seed(5)
    t = gcv.data.transforms.presets.ssd.SSDDefaultTrainTransform(128, 128, anchors)
    x, cls_t, box_t = t(mx.nd.array(img, dtype='uint8'), label)
    loss_fn = gcv.loss.SSDMultiBoxLoss()
    with mx.autograd.record():
        cls_p, box_p, _ = net(x.expand_dims(0))
        total, cls_l, box_l = loss_fn(cls_p, box_p, cls_t.expand_dims(0), box_t.expand_dims(0))
    mx.autograd.backward(total)
    return {'ssd_train/cls_targets': digest(cls_t.asnumpy()),
            'ssd_train/box_targets': digest(box_t.asnumpy()),
            'ssd_train/losses': np.array([total[0].asscalar(), cls_l[0].asscalar(),
                                          box_l[0].asscalar()]),
            'ssd_train/grad_cls_head': grad(net, 'convpredictor0_conv0_weight'),
            'ssd_train/grad_box_head': grad(net, 'convpredictor1_conv0_weight')}


def run_yolo_training(mx, gcv):
    """YOLOv3 targets from the train preset and the training forward's four losses."""
    net, _ = build(mx, gcv, 'yolo3_mobilenet1.0_voc', (1, 3, 96, 96), NO_BASE)
    img, label = image()
    seed(11)
    t = gcv.data.transforms.presets.yolo.YOLO3DefaultTrainTransform(96, 96, net)
    x, *targets, gt = t(mx.nd.array(img, dtype='uint8'), label)
    targets = [gt] + targets      # YOLOV3.forward(x, gt_boxes, obj, centers, scales, weights, cls)
    out = {'yolo_train/img': digest(x.asnumpy())}
    for i, a in enumerate(targets):
        out[f'yolo_train/target{i}'] = digest(a.asnumpy())
    with mx.autograd.record():
        losses = net(x.expand_dims(0), *[a.expand_dims(0) for a in targets])
        total = sum(losses)
    mx.autograd.backward(total)
    out['yolo_train/losses'] = np.array([l.asnumpy().sum() for l in losses])
    out['yolo_train/grad_head'] = grad(net, 'yolooutputv30_conv0_weight')
    return out


def run_all(mx, gcv, models=FORWARD):
    """Every case's digests, keyed '<case>/<what>'."""
    out = {}
    for name in models:
        out.update(run_model(mx, gcv, name))
    for name in HYBRID:
        out.update(run_model(mx, gcv, name, hybridize=True))
    out.update(run_transforms(mx, gcv))
    out.update(run_ssd_training(mx, gcv))
    out.update(run_yolo_training(mx, gcv))
    return out


def check(got, want, key):
    """Compare two digests: size exactly, sums within 1e-4 of the absolute sum, values within
    1e-3 (float32 convolutions summed in another order)."""
    assert got.shape == want.shape, key
    if key.endswith('/losses'):
        np.testing.assert_allclose(got, want, rtol=1e-3, err_msg=key)
        return
    scale = max(abs(want[2]), 1e-6)
    assert got[0] == want[0], f'{key}: {int(got[0])} elements, MXNet has {int(want[0])}'
    np.testing.assert_allclose(got[1:3], want[1:3], rtol=1e-4, atol=1e-4 * scale, err_msg=key)
    vals = want[3:]
    np.testing.assert_allclose(got[3:], vals, rtol=1e-3,
                               atol=1e-4 * max(np.abs(vals).max(), 1e-6), err_msg=key)
