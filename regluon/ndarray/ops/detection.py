"""Object-detection operators of `mx.nd.contrib`: SSD's `MultiBoxPrior`, `MultiBoxTarget` and
`MultiBoxDetection`, and `box_nms` (boxes.py has the other box utilities).

Boxes are corner-encoded (xmin, ymin, xmax, ymax) unless a format says 'center' (x, y, w, h).
Everything is vectorised over the batch; the loops left are the sequential parts of greedy
matching (one step per match) and NMS (a block of boxes at a time). MXNet defines no
gradient (or a zero one) for these outputs except box_nms, whose gradient copies each output
row's gradient to the input row it came from.
"""
import torch

from ...base import MXNetError, dtype_name
from ..register import op

_CORNER, _CENTER = 'corner', 'center'


def _floats(name, what, v, n=None):
    """A parameter given as a number or a sequence, as a tuple of floats (checked length)."""
    t = tuple(float(x) for x in v) if isinstance(v, (tuple, list)) else (float(v),)
    if n is not None and len(t) != n:
        raise MXNetError(f"{name}: {what} must have {n} values, got {v!r}")
    return t


def _float32(name, *arrays):
    # MXNet's MultiBox* are legacy operators whose type inference accepts float32 only.
    for a in arrays:
        if a.dtype != torch.float32:
            raise MXNetError(f"{name}: Unsupported data type {dtype_name(a.dtype)}; this "
                             "operator takes float32 inputs only (cast them with astype)")


def _format(name, fmt):
    if fmt not in (_CORNER, _CENTER):
        raise MXNetError(f"{name}: format must be 'corner' or 'center', got {fmt!r}")
    return fmt


def _to_corner(b):
    xy, half = b[..., :2], b[..., 2:] / 2
    return torch.cat([xy - half, xy + half], -1)


def _overlap(a, b, clamp_area=True):
    """(intersection, union) of every box of a (..., N, 4) with every box of b (..., M, 4),
    both (..., N, M); `clamp_area`: a box of negative width or height has area 0."""
    lt = torch.maximum(a[..., :, None, :2], b[..., None, :, :2])
    rb = torch.minimum(a[..., :, None, 2:], b[..., None, :, 2:])
    wh = (rb - lt).clamp(min=0)
    inter = wh[..., 0] * wh[..., 1]
    size_a, size_b = a[..., 2:] - a[..., :2], b[..., 2:] - b[..., :2]
    if clamp_area:
        size_a, size_b = size_a.clamp(min=0), size_b.clamp(min=0)
    area_a, area_b = size_a[..., 0] * size_a[..., 1], size_b[..., 0] * size_b[..., 1]
    return inter, area_a[..., :, None] + area_b[..., None, :] - inter


def _greedy_nms(boxes, alive, same, suppress):
    """Greedy NMS over boxes (B, K, 4) in priority order: each box still alive removes the
    later alive boxes that `suppress(inter, union)` flags and `same` (B, K) allows (None:
    all); returns the updated alive mask (B, K).

    Works a block of rows at a time: which rows of the block survive is the fixed point of
    "alive and not suppressed by an earlier survivor" (reached in at most one pass per row,
    usually a few), then the survivors suppress all later rows at once."""
    alive = alive.clone()
    b, k = alive.shape
    block = max(16, min(512, 2 ** 22 // max(b * k, 1)))      # ~4M overlaps at a time
    for i0 in range(0, k, block):
        i1 = min(i0 + block, k)
        if not alive[:, i0:i1].any():
            continue
        hit = suppress(*_overlap(boxes[:, i0:i1], boxes[:, i0:]))      # (B, rows, K - i0)
        if same is not None:
            hit &= same[:, i0:i1, None] == same[:, None, i0:]
        inner = hit[:, :, :i1 - i0].triu(1)
        keep = alive[:, i0:i1]
        while True:     # row j depends on rows < j only, so this settles on greedy's answer
            new = alive[:, i0:i1] & ~(keep[:, :, None] & inner).any(1)
            if torch.equal(new, keep):
                break
            keep = new
        alive[:, i0:i1] = keep
        alive[:, i1:] &= ~(keep[:, :, None] & hit[:, :, i1 - i0:]).any(1)
    return alive


def _order(key, first, descending):
    """Stable order putting `first` rows before the others, each group sorted by key."""
    idx = torch.sort(key, dim=-1, descending=descending, stable=True).indices
    grp = torch.sort((~first.gather(-1, idx)).to(torch.uint8), dim=-1, stable=True).indices
    return idx.gather(-1, grp)


@op(name='_contrib_MultiBoxPrior')
def MultiBoxPrior(data, sizes=(1.0,), ratios=(1.0,), clip=False, steps=(-1.0, -1.0),
                  offsets=(0.5, 0.5)):
    """Generate SSD prior (anchor) boxes for every position of a feature map.

    Each position gets len(sizes) + len(ratios) - 1 boxes: every size with ratios[0], then
    sizes[0] with each further ratio. The output does not depend on data's values.

    Parameters
    ----------
    data : NDArray
        Feature map (batch, channel, height, width); only its height and width are used.
    sizes : tuple of float, default=(1,)
        Box sizes, relative to the image.
    ratios : tuple of float, default=(1,)
        Aspect ratios (width / height).
    clip : bool, default=False
        Clip the boxes to [0, 1].
    steps : tuple of float, default=(-1, -1)
        Step between centres (y, x); -1 for 1 / height and 1 / width.
    offsets : tuple of float, default=(0.5, 0.5)
        Centre offsets (y, x) within a step, in [0, 1].

    Returns
    -------
    NDArray
        (1, height * width * num_anchors, 4) corner boxes.
    """
    sizes, ratios = _floats('MultiBoxPrior', 'sizes', sizes), \
        _floats('MultiBoxPrior', 'ratios', ratios)
    steps = _floats('MultiBoxPrior', 'steps (step_y, step_x)', steps, 2)
    offsets = _floats('MultiBoxPrior', 'offsets (y, x)', offsets, 2)
    if not sizes or not ratios:
        raise MXNetError(f"MultiBoxPrior: sizes and ratios need at least one value each, got "
                         f"sizes={sizes}, ratios={ratios}")
    if not all(0 <= o <= 1 for o in offsets):
        raise MXNetError(f"MultiBoxPrior: offsets must be in [0, 1], got {offsets}")
    if steps[0] * steps[1] < 0:
        raise MXNetError(f"MultiBoxPrior: Must specify both step_y and step_x, got {steps}")
    if data.dim() < 4:
        raise MXNetError(f"MultiBoxPrior: Input data should be 4D: batch-channel-y-x, got "
                         f"shape {tuple(data.shape)}")
    _float32('MultiBoxPrior', data)
    h, w = data.shape[2], data.shape[3]
    f32 = dict(dtype=torch.float32, device=data.device)
    # float32 throughout, in MXNet's order of operations, so the anchors agree bit for bit
    if steps[0] <= 0 or steps[1] <= 0:
        step_y, step_x = 1 / torch.tensor(h, **f32), 1 / torch.tensor(w, **f32)
    else:
        step_y, step_x = torch.tensor(steps[0], **f32), torch.tensor(steps[1], **f32)
    cy = (torch.arange(h, **f32) + offsets[0]) * step_y
    cx = (torch.arange(w, **f32) + offsets[1]) * step_x
    size = torch.tensor(sizes + (sizes[0],) * (len(ratios) - 1), **f32)
    ratio = torch.tensor((ratios[0],) * len(sizes) + ratios[1:], **f32).sqrt()
    half_w, half_h = size * h / w * ratio / 2, size / ratio / 2
    cy, cx = cy[:, None, None], cx[None, :, None]
    out = torch.stack(torch.broadcast_tensors(cx - half_w, cy - half_h, cx + half_w,
                                              cy + half_h), -1)
    out = out.reshape(1, -1, 4)
    return out.clamp(0, 1) if clip else out


def _encode(anchors, gt, variances):
    """SSD regression targets of ground-truth boxes gt for anchors (both corner, (..., 4))."""
    aw, ah = anchors[..., 2] - anchors[..., 0], anchors[..., 3] - anchors[..., 1]
    ax, ay = (anchors[..., 0] + anchors[..., 2]) * 0.5, (anchors[..., 1] + anchors[..., 3]) * 0.5
    gw, gh = gt[..., 2] - gt[..., 0], gt[..., 3] - gt[..., 1]
    gx, gy = (gt[..., 0] + gt[..., 2]) * 0.5, (gt[..., 1] + gt[..., 3]) * 0.5
    vx, vy, vw, vh = variances
    return torch.stack([(gx - ax) / aw / vx, (gy - ay) / ah / vy,
                        torch.log(gw / aw) / vw, torch.log(gh / ah) / vh], -1)


def _target_checks(anchor, label, cls_pred):
    if anchor.dim() != 3 or anchor.shape[0] != 1 or anchor.shape[2] != 4 or \
            anchor.shape[1] < 1:
        raise MXNetError("MultiBoxTarget: anchors are shared across batches: expected anchor "
                         f"(1, num_anchors, 4), got {tuple(anchor.shape)}")
    if label.dim() != 3 or label.shape[1] < 1 or label.shape[2] < 5:
        raise MXNetError("MultiBoxTarget: Label should be [batch, num_labels, label_width] "
                         f"with label_width >= 5, got {tuple(label.shape)}")
    if cls_pred.dim() != 3 or cls_pred.shape[2] != anchor.shape[1]:
        raise MXNetError("MultiBoxTarget: Prediction should be [batch, num_classes, "
                         f"num_anchors={anchor.shape[1]}], got {tuple(cls_pred.shape)} "
                         "(Number of anchors mismatch)")
    _float32('MultiBoxTarget', anchor, label, cls_pred)


@op(name='_contrib_MultiBoxTarget')
def MultiBoxTarget(anchor, label, cls_pred, overlap_threshold=0.5, ignore_label=-1.0,
                   negative_mining_ratio=-1.0, negative_mining_thresh=0.5,
                   minimum_negative_samples=0, variances=(0.1, 0.1, 0.2, 0.2)):
    """Compute SSD training targets: match anchors to ground truth, mine negatives.

    Each ground-truth box first takes its best anchor (greedily, best overlap first); every
    other anchor whose best overlap exceeds overlap_threshold is positive too. Negatives are
    all other anchors, or with negative_mining_ratio > 0 the ratio * positives anchors of
    overlap below negative_mining_thresh with the lowest background probability. (MXNet's CPU
    operator ignores minimum_negative_samples.)

    Parameters
    ----------
    anchor : NDArray
        (1, num_anchors, 4) corner boxes.
    label : NDArray
        (batch, num_labels, width >= 5): class, xmin, ymin, xmax, ymax; rows from the first
        with class -1 on are padding.
    cls_pred : NDArray
        (batch, num_classes, num_anchors) class scores (for negative mining).
    overlap_threshold, ignore_label, negative_mining_ratio, negative_mining_thresh : float
    minimum_negative_samples : int
    variances : tuple of 4 float, default=(0.1, 0.1, 0.2, 0.2)

    Returns
    -------
    list of NDArray
        loc_target (batch, num_anchors * 4), loc_mask (same), cls_target (batch,
        num_anchors): class + 1 for positives, 0 for negatives, ignore_label otherwise.
    """
    variances = _floats('MultiBoxTarget', 'variances', variances, 4)
    _target_checks(anchor, label, cls_pred)
    anchors, label, cls_pred = anchor.detach()[0], label.detach(), cls_pred.detach()
    b, g, a = label.shape[0], label.shape[1], anchors.shape[0]
    gt = label[:, :, 1:5]
    inter, union = _overlap(anchors.expand(b, a, 4), gt, clamp_area=False)
    iou = torch.where(union == 0, torch.zeros_like(inter), inter / union)     # (b, a, g)
    pad = label[:, :, 0] == -1
    valid_gt = pad.cumsum(1) == 0                          # padding from the first -1 on
    first = label.gather(1, pad.to(torch.uint8).argmax(1)[:, None, None].expand(
        b, 1, label.shape[2]))[:, 0, 1:5]
    if (pad.any(1) & (first != -1).any(1)).any():          # MXNet checks that row
        raise MXNetError("MultiBoxTarget: the first padding row of a label (class -1) must "
                         "be -1 in all of xmin, ymin, xmax, ymax")
    has_gt = valid_gt.any(1, keepdim=True)
    iou = iou.masked_fill(~valid_gt[:, None, :], -1)
    dev = label.device
    rows = torch.arange(b, device=dev)
    match = torch.full((b, a), -1, dtype=torch.long, device=dev)
    pos = torch.zeros(b, a, dtype=torch.bool, device=dev)
    # 1. bipartite: the best remaining (anchor, ground truth) pair, one pair per step
    work = iou.clone()
    for _ in range(g):
        flat = work.reshape(b, -1).argmax(1)       # the first of equal overlaps, as MXNet
        ok = work.reshape(b, -1).gather(1, flat[:, None])[:, 0] > 1e-6
        if not ok.any():
            break
        j, k = flat // g, flat % g
        r, j, k = rows[ok], j[ok], k[ok]
        pos[r, j], match[r, j] = True, k
        work[r, j, :] = -1
        work[r, :, k] = -1
    # 2. every other anchor takes its best ground truth; positive above the threshold
    best_iou, best_gt = iou.max(2)
    match = torch.where(pos, match, best_gt)
    if overlap_threshold > 0:
        pos |= best_iou > overlap_threshold
    pos &= has_gt
    if negative_mining_ratio > 0:
        if negative_mining_thresh <= 0:
            raise MXNetError("MultiBoxTarget: negative_mining_thresh must be > 0 with "
                             f"negative mining, got {negative_mining_thresh}")
        num_pos = pos.sum(1)
        ratio = torch.tensor(negative_mining_ratio, dtype=torch.float32, device=dev)
        num_neg = torch.minimum((num_pos * ratio).long(), a - num_pos)
        cand = ~pos & (best_iou < negative_mining_thresh)
        if (cand.sum(1) < num_neg).any():
            raise MXNetError("MultiBoxTarget: fewer negative candidates than "
                             "negative_mining_ratio asks for; raise negative_mining_thresh")
        # hardest negatives first: the lowest background probability (stable order)
        bg = torch.softmax(cls_pred, 1)[:, 0].masked_fill(~cand, float('inf'))
        rank = torch.empty_like(match)
        rank.scatter_(1, torch.sort(bg, dim=1, stable=True).indices,
                      torch.arange(a, device=dev).expand(b, a).contiguous())
        neg = cand & (rank < num_neg[:, None])
    else:
        neg = ~pos & has_gt
    matched = label.gather(1, match.clamp(min=0)[..., None].expand(b, a, label.shape[2]))
    cls = torch.where(pos, matched[..., 0] + 1,
                      torch.where(neg, torch.zeros_like(best_iou),
                                  torch.full_like(best_iou, ignore_label)))
    loc = _encode(anchors.expand(b, a, 4), matched[..., 1:5], variances)
    loc = torch.where(pos[..., None], loc, torch.zeros_like(loc))
    mask = pos[..., None].expand(b, a, 4).to(label.dtype)
    return loc.reshape(b, -1), mask.reshape(b, -1), cls


def _decode_ssd(anchors, loc, variances, clip):
    aw, ah = anchors[..., 2] - anchors[..., 0], anchors[..., 3] - anchors[..., 1]
    ax, ay = (anchors[..., 0] + anchors[..., 2]) / 2, (anchors[..., 1] + anchors[..., 3]) / 2
    vx, vy, vw, vh = variances
    ox, oy = loc[..., 0] * vx * aw + ax, loc[..., 1] * vy * ah + ay
    ow, oh = torch.exp(loc[..., 2] * vw) * aw / 2, torch.exp(loc[..., 3] * vh) * ah / 2
    out = torch.stack([ox - ow, oy - oh, ox + ow, oy + oh], -1)
    return out.clamp(0, 1) if clip else out


@op(name='_contrib_MultiBoxDetection')
def MultiBoxDetection(cls_prob, loc_pred, anchor, clip=True, threshold=0.01, background_id=0,
                      nms_threshold=0.5, force_suppress=False,
                      variances=(0.1, 0.1, 0.2, 0.2), nms_topk=-1):
    """Turn SSD class probabilities and box offsets into detections, with per-class NMS.

    Each anchor's class is its most probable non-background class (class 0 is background;
    MXNet's CPU operator ignores background_id), invalid when that probability is below
    threshold. Valid rows come first, sorted by probability; rows NMS suppresses keep their
    values with class id -1; the rest are all -1.

    Parameters
    ----------
    cls_prob : NDArray
        (batch, num_classes, num_anchors) probabilities.
    loc_pred : NDArray
        (batch, num_anchors * 4) box offsets.
    anchor : NDArray
        (1, num_anchors, 4) corner boxes.
    clip : bool, default=True
    threshold : float, default=0.01
    background_id : int, default=0
    nms_threshold : float, default=0.5
        Suppress boxes of IoU >= nms_threshold; outside (0, 1] no NMS (and no sorting).
    force_suppress : bool, default=False
        Suppress across classes.
    variances : tuple of 4 float, default=(0.1, 0.1, 0.2, 0.2)
    nms_topk : int, default=-1
        Keep only the nms_topk most probable detections before NMS.

    Returns
    -------
    NDArray
        (batch, num_anchors, 6): class id, probability, xmin, ymin, xmax, ymax.
    """
    variances = _floats('MultiBoxDetection', 'variances', variances, 4)
    if cls_prob.dim() != 3 or loc_pred.dim() != 2 or anchor.dim() != 3 or \
            anchor.shape[2] != 4 or cls_prob.shape[2] != anchor.shape[1] or \
            loc_pred.shape[1] != 4 * anchor.shape[1] or anchor.shape[1] < 1:
        raise MXNetError("MultiBoxDetection: # anchors mismatch: expected cls_prob (batch, "
                         "classes, anchors), loc_pred (batch, anchors * 4) and anchor (1, "
                         "anchors, 4), got "
                         f"{tuple(cls_prob.shape)}, {tuple(loc_pred.shape)}, "
                         f"{tuple(anchor.shape)}")
    _float32('MultiBoxDetection', cls_prob, loc_pred, anchor)
    cls_prob, loc_pred = cls_prob.detach(), loc_pred.detach()
    b, _, a = cls_prob.shape
    anchors = anchor.detach().reshape(-1, 4)[:a]
    fg = cls_prob[:, 1:]
    if fg.shape[1]:
        score, cid = fg.max(1)
    else:
        score = cls_prob.new_full((b, a), -1.0)
        cid = torch.zeros((b, a), dtype=torch.long, device=score.device)
    seen = score > -1               # MXNet's running maximum starts at -1
    score = torch.where(seen, score, torch.full_like(score, -1))
    cid = torch.where(seen & (score >= threshold), cid, -1)
    boxes = _decode_ssd(anchors, loc_pred.reshape(b, a, 4), variances, clip)
    rows = torch.cat([cid.to(score.dtype)[..., None], score[..., None], boxes], -1)
    valid = cid >= 0
    count = valid.sum(1, keepdim=True)
    pos = torch.arange(a, device=rows.device).expand(b, a)
    compact = rows.gather(1, _order(pos, valid, False)[..., None].expand(b, a, 6))
    compact = torch.where((pos < count)[..., None], compact, torch.full_like(compact, -1))
    if not 0 < nms_threshold <= 1:
        return compact
    keep = count.clamp(max=nms_topk) if nms_topk > 0 else count
    ranked = rows.gather(1, _order(score, valid, True)[..., None].expand(b, a, 6))
    k = int(keep.max())
    alive = _greedy_nms(ranked[:, :k, 2:], (pos < keep)[:, :k],
                        None if force_suppress else ranked[:, :k, 0],
                        lambda inter, union: (union > 0) & (inter / union >= nms_threshold))
    # MXNet quirk: rows past nms_topk keep their unsorted values with class id -1
    dropped = torch.cat([torch.full_like(compact[..., :1], -1), compact[..., 1:]], -1)
    out = torch.where((pos < keep)[..., None], ranked, dropped)
    out = torch.where((pos < count)[..., None], out, torch.full_like(out, -1))
    killed = torch.zeros_like(pos, dtype=torch.bool)
    killed[:, :k] = ~alive & (pos[:, :k] < keep)
    out[..., 0] = torch.where(killed, torch.full_like(score, -1), out[..., 0])
    return out


def _nms_checks(data, overlap_thresh, topk, coord_start, score_index, id_index, in_format,
                out_format):
    _format('box_nms', in_format)
    _format('box_nms', out_format)
    if data.dim() < 2:
        raise MXNetError(f"box_nms: input must have dim >= 2, the last two dimensions are "
                         f"num_box and box_width; got shape {tuple(data.shape)}")
    width = data.shape[-1]
    expected = 6 if id_index >= 0 else 5
    if width < expected:
        raise MXNetError(f"box_nms: the last dimension must have at least {expected} elements"
                         f" (score, coordinates x 4{', id' if id_index >= 0 else ''}), got "
                         f"{width}")
    coords = range(coord_start, coord_start + 4)
    if coord_start < 0 or coord_start + 3 >= width:
        raise MXNetError(f"box_nms: coordinates ({coord_start}, {coord_start + 3}) out of "
                         f"range (0, {width})")
    for what, i in (('score_index', score_index), ('id_index', id_index)):
        if what == 'id_index' and i < 0:
            continue
        if not 0 <= i < width or i in coords:
            raise MXNetError(f"box_nms: {what} {i} is out of range (0, {width}) or conflicts "
                             f"with the coordinates ({coord_start}, {coord_start + 3})")
    if id_index >= 0 and id_index == score_index:
        raise MXNetError(f"box_nms: id_index {id_index} conflicts with score_index")


@op(name='_contrib_box_nms', aliases=('_contrib_box_non_maximum_suppression',))
def box_nms(data, overlap_thresh=0.5, valid_thresh=0.0, topk=-1, coord_start=2, score_index=1,
            id_index=-1, background_id=-1, force_suppress=False, in_format='corner',
            out_format='corner'):
    """Non-maximum suppression: keep the best-scoring boxes, drop those overlapping them.

    Boxes with score > valid_thresh (and class != background_id) are sorted by score; the
    first topk go through greedy NMS (IoU > overlap_thresh suppresses, per class unless
    force_suppress). Each batch's kept rows come first, in score order; the others are -1.

    Parameters
    ----------
    data : NDArray
        (..., num_boxes, width) rows holding a score, 4 coordinates and optionally a class.
    overlap_thresh : float, default=0.5
    valid_thresh : float, default=0
    topk : int, default=-1
        Apply NMS to the topk best boxes only, -1 for all.
    coord_start, score_index, id_index : int, default 2, 1, -1
        Columns of the first coordinate, the score and the class id (-1: no class).
    background_id : int, default=-1
        Class ignored (with id_index >= 0).
    force_suppress : bool, default=False
    in_format, out_format : {'corner', 'center'}, default='corner'

    Returns
    -------
    NDArray
        Same shape as data.
    """
    _nms_checks(data, overlap_thresh, topk, coord_start, score_index, id_index, in_format,
                out_format)
    shape, (n, width) = data.shape, data.shape[-2:]
    x = data.reshape(-1, n, width)
    k = n if topk < 0 else min(n, topk)
    if k < 1:
        return data.clone()
    score = x[..., score_index].detach()
    valid = score > valid_thresh
    cls = x[..., id_index].detach() if id_index >= 0 else None
    if cls is not None:
        valid &= cls != background_id
    order = _order(score, valid, True)
    pos = torch.arange(n, device=x.device).expand_as(score)
    boxes = x.detach()[..., coord_start:coord_start + 4].gather(
        1, order[:, :k, None].expand(-1, k, 4))
    if in_format == _CENTER:
        boxes = _to_corner(boxes)
    same = None if force_suppress or cls is None else cls.gather(1, order[:, :k]).long()
    alive = _greedy_nms(boxes, (valid.gather(1, order) & (pos < k))[:, :k], same,
                        lambda inter, union: inter / union > overlap_thresh)
    keep = torch.zeros_like(valid)
    keep[:, :k] = alive
    kept = order.gather(1, _order(pos, keep, False))          # kept rows first, in order
    out = x.gather(1, kept[..., None].expand_as(x))
    out = torch.where((pos < keep.sum(1, keepdim=True))[..., None], out,
                      torch.full_like(out, -1))
    if in_format != out_format:
        # MXNet converts rows whose first coordinate is >= 0 (not the -1 padding) and its
        # gradient passes each output row's straight back, ignoring the conversion
        c = out[..., coord_start:coord_start + 4].detach()
        conv = _to_corner(c) if out_format == _CORNER else \
            torch.cat([(c[..., :2] + c[..., 2:]) / 2, c[..., 2:] - c[..., :2]], -1)
        conv = torch.where(c[..., :1] >= 0, conv, c)
        out = out + torch.nn.functional.pad(conv - c, (coord_start, width - coord_start - 4))
    return out.reshape(shape)
