"""Object-detection and resizing contrib operators against MXNet 1.9.1 (goldens by
tools/golden_detection.py, cases in tests/golden/detection_cases.py): MultiBoxPrior/Target/
Detection (incl. d2l chapter 9's examples), box_nms, box_iou, bipartite_matching,
box_encode/decode, ROIAlign, BilinearResize2D and AdaptiveAvgPooling2D; outputs and
gradients, errors, symbol shape inference and MXNet's JSON, hybridized blocks, and d2lzh's
show_bboxes on MultiBoxPrior's anchors."""
import ast
import json
import os
import re
import subprocess
import sys
import textwrap

import numpy as np
import pytest

import regluon as mx
from regluon import autograd, nd
from regluon.base import MXNetError
from regluon.gluon import nn

from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
import detection_cases as cases  # noqa: E402

G = golden('detection')
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def close(got, want):
    assert got.shape == want.shape and got.dtype == want.dtype, (got.shape, want.shape,
                                                                 got.dtype, want.dtype)
    tol = dict(rtol=1e-10, atol=1e-12) if want.dtype == np.float64 else \
        dict(rtol=1e-5, atol=2e-6)
    np.testing.assert_allclose(got, want, **tol)


@pytest.mark.parametrize('name', list(cases.CASES))
def test_outputs_and_gradients_equal_mxnet(name):
    res = cases.run(nd, autograd, name)
    assert sorted(res) == sorted(k.split('/', 1)[1] for k in G if k.startswith(name + '/'))
    for key, value in res.items():
        close(value, G[f'{name}/{key}'])


def test_d2l_examples_print_as_in_the_book():
    """d2l 9.4's printed results: 40 * 50 * 5 anchors, the labels of its five anchors, and its
    detections (the dog and cat boxes kept, the two other dog boxes suppressed)."""
    assert cases.run(nd, autograd, 'd2l_prior')['shape'].tolist() == [1, 10000, 4]
    np.testing.assert_array_equal(cases.run(nd, autograd, 'd2l_target')['cls'],
                                  [[0, 1, 2, 0, 2]])
    det = cases.run(nd, autograd, 'd2l_detection')['y'][0]
    np.testing.assert_allclose(det, [[0, 0.9, 0.1, 0.08, 0.52, 0.92],
                                     [1, 0.9, 0.55, 0.2, 0.9, 0.88],
                                     [-1, 0.8, 0.08, 0.2, 0.56, 0.95],
                                     [-1, 0.7, 0.15, 0.3, 0.62, 0.91]], atol=1e-6)


def test_alias_and_namespaces_are_one_operator():
    x = nd.array(cases.nms_data(np.random.RandomState(0), (2, 8)))
    y = nd.contrib.box_nms(x, overlap_thresh=0.3)
    np.testing.assert_array_equal(nd.contrib.box_non_maximum_suppression(
        x, overlap_thresh=0.3).asnumpy(), y.asnumpy())
    assert mx.contrib.nd.box_nms is nd.contrib.box_nms is nd._contrib_box_nms
    assert mx.contrib.nd.MultiBoxPrior is nd.contrib.MultiBoxPrior
    assert 'ROIAlign' in dir(mx.contrib.nd) and 'AdaptiveAvgPooling2D' in dir(mx.contrib.sym)


def test_npx_multibox_ops_give_np_arrays_with_mxnet_values():
    """MXNet's npx.multibox_prior/target/detection (d2l's MXNet 2 edition uses them)."""
    from regluon import np as mnp, npx
    prior = npx.multibox_prior(mnp.zeros((1, 3, 40, 50)), sizes=[0.75, 0.5, 0.25],
                               ratios=[1, 2, 0.5])
    assert isinstance(prior, mnp.ndarray)
    np.testing.assert_array_equal(prior.asnumpy()[0, ::97], G['d2l_prior/sample'])
    anchors = mnp.array(cases.D2L_TARGET_ANCHORS).reshape(1, 5, 4)
    out = npx.multibox_target(anchors, mnp.array(cases.D2L_GT).reshape(1, 2, 5),
                              mnp.zeros((1, 3, 5)))
    for y, key in zip(out, ('loc', 'mask', 'cls')):
        assert isinstance(y, mnp.ndarray)
        close(y.asnumpy(), G[f'd2l_target/{key}'])
    det = npx.multibox_detection(mnp.array(cases.D2L_CLS_PROBS).reshape(1, 3, 4),
                                 mnp.zeros((1, 16)),
                                 mnp.array(cases.D2L_DET_ANCHORS).reshape(1, 4, 4),
                                 nms_threshold=0.5)
    close(det.asnumpy(), G['d2l_detection/y'])


@pytest.mark.parametrize('name', [e[0] for e in cases.ERRORS])
def test_errors_as_mxnet(name):
    _, opname, _, _, phrase, *_ = next(e for e in cases.ERRORS if e[0] == name)
    assert phrase in str(G[f'error/{name}'])
    with pytest.raises(MXNetError, match=re.escape(phrase)) as e:
        cases.call_error(nd, name)
    assert opname in str(e.value)


@pytest.mark.parametrize('name', [e[0] for e in cases.CRASHES])
def test_errors_where_mxnet_aborts(name):
    phrase = next(e[4] for e in cases.CRASHES if e[0] == name)
    with pytest.raises(MXNetError, match=phrase):
        cases.call_error(nd, name)


def test_other_bad_arguments():
    x = nd.ones((1, 3, 4, 4))
    with pytest.raises(MXNetError, match='required'):
        nd.contrib.ROIAlign(x, nd.ones((2, 5)), pooled_size=(2, 2))
    with pytest.raises(MXNetError, match='threshold'):
        nd.contrib.bipartite_matching(nd.ones((2, 3)))
    with pytest.raises(MXNetError, match="'corner' or 'center'"):
        nd.contrib.box_iou(nd.ones((2, 4)), nd.ones((2, 4)), format='xywh')
    with pytest.raises(MXNetError, match='batch index 1'):        # MXNet reads past data
        nd.contrib.ROIAlign(x, nd.array([[1, 0, 0, 2, 2]]), pooled_size=(2, 2),
                            spatial_scale=1.0)
    with pytest.raises(MXNetError, match='Invalid mode'):
        nd.contrib.BilinearResize2D(x, mode='bicubic')
    with pytest.raises(MXNetError, match='fewer negative candidates'):
        # the second anchor is neither positive (IoU 0.81) nor a negative candidate; MXNet:
        # "Check failed: temp.size() >= num_negative (0 vs. 1)"
        nd.contrib.MultiBoxTarget(nd.array([[[0, 0, 1, 1], [0, 0, 0.9, 0.9]]]),
                                  nd.array([[[0, 0, 0, 1, 1]]]), nd.zeros((1, 2, 2)),
                                  negative_mining_ratio=3, negative_mining_thresh=0.5,
                                  overlap_threshold=0.9)


@pytest.mark.parametrize('name', [s[0] for s in cases.SYMBOLS])
def test_symbol_shape_inference(name):
    shapes, names = cases.infer(mx.sym, name)
    assert shapes == [tuple(s) for s in G[f'symbol/{name}'].tolist()]
    assert len(names) == int(G[f'symbol/{name}/num_outputs'])


def test_mxnet_json_loads_and_runs():
    """MXNet's saved graphs (sizes as the text '[0.75, 0.5, 0.25]') give its values."""
    prior = mx.sym.fromjson(str(G['json/prior']))
    (y,) = prior.eval(data=nd.zeros((1, 3, 40, 50)))
    np.testing.assert_array_equal(y.asnumpy()[0, ::97], G['d2l_prior/sample'])
    target = mx.sym.fromjson(str(G['json/target']))
    outs = target.eval(anchor=nd.array(cases.D2L_TARGET_ANCHORS).expand_dims(0),
                       label=nd.array(cases.D2L_GT).expand_dims(0), cls_pred=nd.zeros((1, 3, 5)))
    for out, key in zip(outs, ('loc', 'mask', 'cls')):
        close(out.asnumpy(), G[f'd2l_target/{key}'])


def _nodes(text):
    """Each operator node's op, attributes (parsed; lists as tuples) and inputs."""
    def value(v):
        try:
            v = ast.literal_eval(v)
        except (ValueError, SyntaxError):
            return v
        return tuple(v) if isinstance(v, list) else v
    return [(n['op'], {k: value(v) for k, v in n.get('attrs', {}).items()}, n['inputs'])
            for n in json.loads(text)['nodes'] if n['op'] != 'null']


def test_graph_of_every_op_round_trips_with_mxnet():
    """A graph through all eight operators: MXNet's JSON runs here with MXNet's outputs, the
    same graph built here gives them too, and its JSON has MXNet's nodes (MXNet 1.9.1 loads
    it)."""
    feed = cases.pipeline_feed(nd)
    ours = cases.pipeline(mx.sym)
    for graph in (mx.sym.fromjson(str(G['json/pipeline'])), ours):
        outs = graph.eval(**feed)
        assert len(outs) == 4
        for i, y in enumerate(outs):
            close(y.asnumpy(), G[f'pipeline/{i}'])
    assert _nodes(ours.tojson()) == _nodes(str(G['json/pipeline']))


class SSDHead(nn.HybridBlock):
    """Anchors, training targets and detections of one feature map, as d2l's SSD."""

    def hybrid_forward(self, F, feat, label, cls_pred, loc_pred):
        anchors = F.contrib.MultiBoxPrior(feat, sizes=(0.5, 0.25), ratios=(1, 2))
        loc_t, mask, cls_t = F.contrib.MultiBoxTarget(anchors, label, cls_pred,
                                                      negative_mining_ratio=3)
        det = F.contrib.MultiBoxDetection(F.softmax(cls_pred, axis=1), loc_pred, anchors)
        kept = F.contrib.box_nms(det, overlap_thresh=0.3, id_index=0)
        return anchors, loc_t, mask, cls_t, det, kept


class Pooling(nn.HybridBlock):
    """ROIAlign, resizing and adaptive pooling in one differentiable block."""

    def hybrid_forward(self, F, x, rois):
        a = F.contrib.ROIAlign(x, rois, pooled_size=(2, 3), spatial_scale=0.5)
        b = F.contrib.BilinearResize2D(x, height=5, width=4)
        c = F.contrib.AdaptiveAvgPooling2D(x, output_size=(2, 3))
        return a.sum() + (b * b).sum() + F.contrib.BilinearResize2D(c, x, mode='like').sum()


def _ssd_inputs():
    rng = np.random.RandomState(7)
    lab = cases._labels(rng, 2, 3, [3, 1])
    cls = rng.uniform(-2, 2, (2, 3, 48)).astype('float32')
    loc = rng.uniform(-1, 1, (2, 192)).astype('float32')
    return [nd.zeros((2, 3, 4, 4)), nd.array(lab), nd.array(cls), nd.array(loc)]


def test_hybridized_ssd_head_equals_eager():
    inputs = _ssd_inputs()
    eager = [o.asnumpy() for o in SSDHead()(*inputs)]
    block = SSDHead()
    block.hybridize()
    for _ in range(2):                  # the trace, then the cached graph
        for got, want in zip(block(*inputs), eager):
            np.testing.assert_array_equal(got.asnumpy(), want)
    assert (eager[3] == 0).any() and (eager[3] > 0).any() and (eager[3] == -1).any()


def test_hybridized_pooling_gradients_equal_eager():
    rng = np.random.RandomState(3)
    x = nd.array(rng.uniform(-1, 1, (2, 3, 6, 7)))
    rois = nd.array(cases.ROIS)
    grads = []
    for hybrid in (False, True):
        block = Pooling()
        if hybrid:
            block.hybridize()
        for _ in range(2):
            x.attach_grad()
            with autograd.record():
                y = block(x, rois)
            y.backward()
            grads.append((y.asnumpy(), x.grad.asnumpy()))
    for y, g in grads[1:]:
        np.testing.assert_allclose(y, grads[0][0], rtol=1e-5)
        np.testing.assert_allclose(g, grads[0][1], rtol=1e-5, atol=1e-6)
    assert np.abs(grads[0][1]).sum() > 0


def test_no_gradient_outputs_are_constants():
    """MXNet gives MultiBox* inputs no gradient: a loss on their outputs and the network's
    predictions differentiates the predictions only (d2l's SSD training step)."""
    feat, label, cls, loc = _ssd_inputs()
    cls.attach_grad()
    with autograd.record():
        anchors = nd.contrib.MultiBoxPrior(feat, sizes=(0.5, 0.25), ratios=(1, 2))
        _, _, cls_t = nd.contrib.MultiBoxTarget(anchors, label, cls)
        loss = nd.pick(nd.log_softmax(cls, axis=1), cls_t.clip(0, 2), axis=1).sum()
    loss.backward()
    assert np.isfinite(cls.grad.asnumpy()).all() and np.abs(cls.grad.asnumpy()).sum() > 0


D2L_SCRIPT = textwrap.dedent('''
    import regluon.compat
    regluon.compat.install()
    import d2lzh as d2l
    from matplotlib import pyplot as plt
    from mxnet import contrib, nd
    h, w = 40, 50
    Y = contrib.nd.MultiBoxPrior(nd.zeros((1, 3, h, w)), sizes=[0.75, 0.5, 0.25],
                                 ratios=[1, 2, 0.5])
    boxes = Y.reshape((h, w, 5, 4))
    fig = plt.imshow(nd.zeros((h, w, 3)).asnumpy())
    bbox_scale = nd.array((w, h, w, h))
    d2l.show_bboxes(fig.axes, boxes[20, 25, :, :] * bbox_scale,
                    ['s=0.75, r=1', 's=0.5, r=1', 's=0.25, r=1', 's=0.75, r=2',
                     's=0.75, r=0.5'])
    for p in fig.axes.patches:
        print(*(round(float(v), 4) for v in (p.get_x(), p.get_y(), p.get_width(),
                                            p.get_height())))
    print(len(fig.axes.texts))
''')


def test_d2lzh_show_bboxes_on_anchors(tmp_path, d2lzh):  # noqa: ARG001 (installs d2lzh)
    env = dict(os.environ, PYTHONPATH=ROOT, OMP_NUM_THREADS='1', MPLBACKEND='Agg')
    r = subprocess.run([sys.executable, '-c', D2L_SCRIPT], cwd=str(tmp_path), env=env,
                       capture_output=True, text=True, timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    lines = r.stdout.split('\n')
    rects = np.array([[float(v) for v in l.split()] for l in lines[:5]])
    want = G['d2l_prior/pixel'] * np.array([50, 40, 50, 40])
    np.testing.assert_allclose(rects, np.stack([want[:, 0], want[:, 1], want[:, 2] - want[:, 0],
                                                want[:, 3] - want[:, 1]], 1), atol=1e-3)
    assert lines[5] == '5'
