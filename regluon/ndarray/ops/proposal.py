"""Faster R-CNN's region proposal operators of `mx.nd.contrib`: `Proposal` (one image) and
`MultiProposal` (a batch), as MXNet 1.9.1's CPU kernels compute them.

Anchors from (ratios x scales) around a feature_stride square are placed at every feature
map position; the bbox deltas move them, they are clipped to the image, boxes smaller than
rpn_min_size * scale are marked (score -1) and grown, the rpn_pre_nms_top_n best scores go
through greedy NMS (IoU with MXNet's +1 pixel convention), and rpn_post_nms_top_n rows come
out (cycling through the kept boxes when fewer survive). MXNet's gradient is zero for every
input; here the outputs carry none.
"""
import torch

from ...base import MXNetError, dtype_name
from ..register import op
from .detection import _greedy_nms


def _anchors(feature_stride, ratios, scales):
    """MXNet's GenerateAnchors: (len(ratios) * len(scales), 4) float32 corners, ratio-major."""
    f32 = torch.float32
    base = float(feature_stride) - 1.0
    w = h = torch.tensor(base + 1.0, dtype=f32)
    ctr = torch.tensor(0.5 * (base + 1.0 - 1.0), dtype=f32)
    out = []
    for ratio in ratios:
        r = torch.tensor(ratio, dtype=f32)
        size_ratios = torch.floor(w * h / r)
        for scale in scales:
            s = torch.tensor(scale, dtype=f32)
            new_w = torch.floor(torch.sqrt(size_ratios) + 0.5) * s
            new_h = torch.floor(new_w / s * r + 0.5) * s
            out.append(torch.stack([ctr - 0.5 * (new_w - 1), ctr - 0.5 * (new_h - 1),
                                    ctr + 0.5 * (new_w - 1), ctr + 0.5 * (new_h - 1)]))
    return torch.stack(out)


def _decode(anchors, deltas, im_h, im_w, iou_loss):
    """Boxes (N, K, 4) from anchors (K, 4) and deltas (N, K, 4), clipped to the image."""
    if iou_loss:
        box = anchors + deltas
    else:
        width = anchors[:, 2] - anchors[:, 0] + 1.0
        height = anchors[:, 3] - anchors[:, 1] + 1.0
        ctr_x = anchors[:, 0] + 0.5 * (width - 1.0)
        ctr_y = anchors[:, 1] + 0.5 * (height - 1.0)
        px = deltas[..., 0] * width + ctr_x
        py = deltas[..., 1] * height + ctr_y
        pw = torch.exp(deltas[..., 2]) * width
        ph = torch.exp(deltas[..., 3]) * height
        box = torch.stack([px - 0.5 * (pw - 1.0), py - 0.5 * (ph - 1.0),
                           px + 0.5 * (pw - 1.0), py + 0.5 * (ph - 1.0)], -1)
    hi = torch.stack([im_w, im_h, im_w, im_h], -1)[:, None] - 1.0
    return torch.minimum(box, hi).clamp(min=0.0)


def _proposal(name, cls_prob, bbox_pred, im_info, rpn_pre_nms_top_n, rpn_post_nms_top_n,
              threshold, rpn_min_size, scales, ratios, feature_stride, output_score,
              iou_loss):
    for what, a, nd in (('cls_prob', cls_prob, 4), ('bbox_pred', bbox_pred, 4),
                        ('im_info', im_info, 2)):
        if a.dim() != nd:
            raise MXNetError(f"{name}: {what} must be {nd}D, got shape {tuple(a.shape)}")
        if a.dtype != torch.float32:
            raise MXNetError(f"{name}: {what} must be float32 (MXNet's operator takes float32"
                             f" only), got {dtype_name(a.dtype)}")
    n, a2, h, w = cls_prob.shape
    na = a2 // 2
    scales = tuple(scales) if isinstance(scales, (tuple, list)) else (scales,)
    ratios = tuple(ratios) if isinstance(ratios, (tuple, list)) else (ratios,)
    if a2 % 2 or na != len(scales) * len(ratios):
        raise MXNetError(f"{name}: cls_prob must have 2 * len(ratios) * len(scales) = "
                         f"{2 * len(ratios) * len(scales)} channels, got {a2}")
    if tuple(bbox_pred.shape) != (n, 4 * na, h, w):
        raise MXNetError(f"{name}: bbox_pred must have shape {(n, 4 * na, h, w)}, got "
                         f"{tuple(bbox_pred.shape)}")
    if tuple(im_info.shape) != (n, 3):
        raise MXNetError(f"{name}: im_info must have shape {(n, 3)} (height, width, scale "
                         f"per image), got {tuple(im_info.shape)}")
    count = na * h * w
    pre = min(rpn_pre_nms_top_n if rpn_pre_nms_top_n > 0 else count, count)
    post_n = int(rpn_post_nms_top_n)
    dev = cls_prob.device
    cls_prob, bbox_pred, im_info = cls_prob.detach(), bbox_pred.detach(), im_info.detach()
    info = im_info.float()
    real = (info[:, :2] / feature_stride).long()        # feature rows/cols inside the image
    if (real[:, 0] > h).any() or (real[:, 1] > w).any():
        raise MXNetError(f"{name}: im_info's image size {info[:, :2].tolist()} / "
                         f"feature_stride {feature_stride} exceeds the feature map ({h}, {w})")
    # index = (y * W + x) * A + a, as MXNet orders the proposals
    shift = torch.arange(w, device=dev, dtype=torch.float32) * feature_stride
    shift_y = torch.arange(h, device=dev, dtype=torch.float32) * feature_stride
    base = _anchors(feature_stride, ratios, scales).to(dev)
    anchors = (base + torch.stack([shift[None, :, None].expand(h, w, 1),
                                   shift_y[:, None, None].expand(h, w, 1)] * 2, -1)
               .reshape(h, w, 1, 4)).reshape(count, 4)
    scores = cls_prob[:, na:].permute(0, 2, 3, 1).reshape(n, count).clone()
    deltas = bbox_pred.reshape(n, na, 4, h, w).permute(0, 3, 4, 1, 2).reshape(n, count, 4)
    boxes = _decode(anchors, deltas, info[:, 0], info[:, 1], iou_loss)
    ys = torch.arange(h, device=dev)[:, None, None].expand(h, w, na).reshape(count)
    xs = torch.arange(w, device=dev)[None, :, None].expand(h, w, na).reshape(count)
    outside = (ys[None] >= real[:, :1]) | (xs[None] >= real[:, 1:])
    scores[outside] = -1.0
    min_size = (rpn_min_size * info[:, 2])[:, None]
    small = ((boxes[..., 2] - boxes[..., 0] + 1.0 < min_size) |
             (boxes[..., 3] - boxes[..., 1] + 1.0 < min_size))
    grow = torch.where(small, min_size / 2, torch.zeros((), device=dev))[..., None]
    boxes = boxes + torch.cat([-grow, -grow, grow, grow], -1)
    scores[small] = -1.0
    order = torch.sort(scores, dim=1, descending=True, stable=True).indices[:, :pre]
    boxes = boxes.gather(1, order[..., None].expand(n, pre, 4))
    scores = scores.gather(1, order)
    # MXNet's IoU counts pixels (x2 - x1 + 1); the shared NMS takes corner boxes
    plus = boxes + torch.tensor([0.0, 0.0, 1.0, 1.0], device=dev)
    alive = _greedy_nms(plus, torch.ones(n, pre, dtype=torch.bool, device=dev), None,
                        lambda inter, union: inter / union > threshold)
    rank = torch.sort((~alive).to(torch.uint8), dim=1, stable=True).indices
    kept = alive.sum(1, keepdim=True)
    pick = rank.gather(1, torch.arange(post_n, device=dev)[None] % kept.clamp(min=1))
    batch = torch.arange(n, device=dev, dtype=torch.float32)[:, None, None].expand(n, post_n, 1)
    rois = torch.cat([batch, boxes.gather(1, pick[..., None].expand(n, post_n, 4))], -1)
    out = rois.reshape(n * post_n, 5)
    if output_score:
        return [out, scores.gather(1, pick).reshape(n * post_n, 1)]
    return out


def _doc(summary):
    """Give a kernel its docstring: `summary` and the parameters both operators share."""
    def deco(kernel):
        kernel.__doc__ = summary + _DOC_PARAMS
        return kernel
    return deco


_DOC_PARAMS = """
    Parameters
    ----------
    cls_prob : NDArray
        (batch, 2 * A, H, W) background then foreground scores of the A anchors.
    bbox_pred : NDArray
        (batch, 4 * A, H, W) box deltas (dx, dy, dw, dh per anchor; with iou_loss, deltas
        of the corners).
    im_info : NDArray
        (batch, 3): image height, width and scale.
    rpn_pre_nms_top_n : int, default 6000
        Boxes kept (best scores) before NMS; <= 0 keeps all.
    rpn_post_nms_top_n : int, default 300
        Rows of output per image.
    threshold : float, default 0.7
        NMS suppresses a box whose IoU with a kept one exceeds this.
    rpn_min_size : int, default 16
        Minimum box side (times the image scale).
    scales : tuple of float, default (4, 8, 16, 32)
    ratios : tuple of float, default (0.5, 1, 2)
    feature_stride : int, default 16
        Image pixels per feature map cell.
    output_score : bool, default False
        Also return the (rows, 1) scores.
    iou_loss : bool, default False
        Deltas move the corners directly.

    Returns
    -------
    NDArray, or [NDArray, NDArray] with output_score
        (batch * rpn_post_nms_top_n, 5) rois (batch index, x1, y1, x2, y2) and the scores.
    """


@op(name='_contrib_Proposal')
@_doc("Generate region proposals for one image (Faster R-CNN's RPN).\n")
def Proposal(cls_prob, bbox_pred, im_info, rpn_pre_nms_top_n=6000, rpn_post_nms_top_n=300,
             threshold=0.7, rpn_min_size=16, scales=(4.0, 8.0, 16.0, 32.0),
             ratios=(0.5, 1.0, 2.0), feature_stride=16, output_score=False, iou_loss=False):
    if cls_prob.dim() == 4 and cls_prob.shape[0] != 1:
        raise MXNetError(f"Proposal: Sorry, multiple images each device is not implemented "
                         f"(batch of {cls_prob.shape[0]}); use MultiProposal")
    return _proposal('Proposal', cls_prob, bbox_pred, im_info, rpn_pre_nms_top_n,
                     rpn_post_nms_top_n, threshold, rpn_min_size, scales, ratios,
                     feature_stride, output_score, iou_loss)


@op(name='_contrib_MultiProposal')
@_doc("Generate region proposals for a batch of images (Faster R-CNN's RPN).\n")
def MultiProposal(cls_prob, bbox_pred, im_info, rpn_pre_nms_top_n=6000,
                  rpn_post_nms_top_n=300, threshold=0.7, rpn_min_size=16,
                  scales=(4.0, 8.0, 16.0, 32.0), ratios=(0.5, 1.0, 2.0), feature_stride=16,
                  output_score=False, iou_loss=False):
    return _proposal('MultiProposal', cls_prob, bbox_pred, im_info, rpn_pre_nms_top_n,
                     rpn_post_nms_top_n, threshold, rpn_min_size, scales, ratios,
                     feature_stride, output_score, iou_loss)

