"""Box utilities of `mx.nd.contrib` (GluonCV's building blocks): `box_iou`,
`bipartite_matching`, `box_encode`, `box_decode`. MXNet defines no gradient for them (a zero
one); their outputs are constants here."""
import torch

from ...base import MXNetError
from ..register import op
from .detection import _CENTER, _CORNER, _format, _overlap, _to_corner


@op(name='_contrib_box_iou')
def box_iou(lhs, rhs, format='corner'):  # noqa: A002 (MXNet's parameter name)
    """Intersection over union of every box of lhs with every box of rhs.

    Parameters
    ----------
    lhs : NDArray
        (..., 4) boxes.
    rhs : NDArray
        (..., 4) boxes.
    format : {'corner', 'center'}, default='corner'

    Returns
    -------
    NDArray
        lhs.shape[:-1] + rhs.shape[:-1].
    """
    _format('box_iou', format)
    for side, t in (('lhs', lhs), ('rhs', rhs)):
        if t.dim() < 2 or t.shape[-1] != 4:
            raise MXNetError(f"box_iou: {side} must have dim >= 2 and last dimension 4, got "
                             f"shape {tuple(t.shape)}")
    a, b = lhs.detach().reshape(-1, 4), rhs.detach().reshape(-1, 4)
    if format == _CENTER:
        a, b = _to_corner(a), _to_corner(b)
    inter, union = _overlap(a, b)
    iou = torch.where(inter > 0, inter / union, torch.zeros_like(inter))
    return iou.reshape(lhs.shape[:-1] + rhs.shape[:-1])


@op(name='_contrib_bipartite_matching')
def bipartite_matching(data, is_ascend=False, threshold=None, topk=-1):
    """Greedy bipartite matching of rows to columns by score, best pair first.

    Parameters
    ----------
    data : NDArray
        (..., rows, cols) scores.
    is_ascend : bool, default=False
        Lower scores are better.
    threshold : float, required
        Stop at the first score <= threshold (>= with is_ascend).
    topk : int, default=-1
        Stop after topk + 1 matches (MXNet's count), -1 for no limit.

    Returns
    -------
    list of NDArray
        The column matched to each row and the row matched to each column, -1 for none.
    """
    if threshold is None:
        raise MXNetError("bipartite_matching: Required parameter threshold of float is not "
                         "presented")
    if data.dim() < 2:
        raise MXNetError(f"bipartite_matching: score matrix must have dim >= 2, got shape "
                         f"{tuple(data.shape)}")
    r, c = data.shape[-2:]
    s = data.detach().reshape(-1, r * c)
    s = -s if is_ascend else s
    limit = -threshold if is_ascend else threshold
    b = s.shape[0]
    rows = torch.full((b, r), -1, dtype=torch.long, device=s.device)
    cols = torch.full((b, c), -1, dtype=torch.long, device=s.device)
    done = torch.zeros(b, dtype=torch.bool, device=s.device)
    free = torch.ones(b, r, c, dtype=torch.bool, device=s.device)
    steps = min(r, c) if topk <= 0 else min(r, c, topk + 1)
    for _ in range(steps):      # the best free pair (first of equals, as MXNet's stable sort)
        masked = s.masked_fill(~free.reshape(b, -1), -float('inf'))
        flat = masked.argmax(1)
        best = masked.gather(1, flat[:, None])[:, 0]
        done |= ~(best > limit)
        take = (~done).nonzero()[:, 0]
        if not take.numel():
            break
        i, j = flat[take] // c, flat[take] % c
        rows[take, i], cols[take, j] = j, i
        free[take, i, :] = False
        free[take, :, j] = False
    return (rows.to(data.dtype).reshape(data.shape[:-1]),
            cols.to(data.dtype).reshape(data.shape[:-2] + (c,)))


@op(name='_contrib_box_encode')
def box_encode(samples, matches, anchors, refs, means, stds):
    """Encode the matched reference boxes as regression targets of anchors.

    Parameters
    ----------
    samples : NDArray
        (B, N): > 0.5 for positive anchors.
    matches : NDArray
        (B, N): the index into refs of each anchor's box.
    anchors : NDArray
        (B, N, 4) corner boxes.
    refs : NDArray
        (B, M, 4) corner boxes.
    means, stds : NDArray
        (4,) subtracted from and dividing the encoded values.

    Returns
    -------
    list of NDArray
        targets (B, N, 4) and masks (B, N, 4).
    """
    if samples.dim() != 2 or matches.dim() < 2 or anchors.dim() < 3 or \
            anchors.shape[-1] != 4 or refs.dim() < 3 or refs.shape[-1] != 4:
        raise MXNetError("box_encode: expected samples (B, N), matches (B, N), anchors "
                         "(B, N, 4) and refs (B, M, 4), got "
                         f"{[tuple(t.shape) for t in (samples, matches, anchors, refs)]}")
    samples, matches, anchors, refs = (t.detach() for t in (samples, matches, anchors, refs))
    b, n = anchors.shape[:2]
    idx = matches.reshape(b, n).long()[..., None].expand(b, n, 4)
    ref = refs.reshape(b, -1, 4).gather(1, idx)
    anc = anchors.reshape(b, n, 4)
    rw, rh = ref[..., 2] - ref[..., 0], ref[..., 3] - ref[..., 1]
    aw, ah = anc[..., 2] - anc[..., 0], anc[..., 3] - anc[..., 1]
    t = torch.stack([(ref[..., 0] + rw * 0.5 - (anc[..., 0] + aw * 0.5)) / aw,
                     (ref[..., 1] + rh * 0.5 - (anc[..., 1] + ah * 0.5)) / ah,
                     torch.log(rw / aw), torch.log(rh / ah)], -1)
    t = (t - means.detach().reshape(4)) / stds.detach().reshape(4)
    valid = (samples.reshape(b, n) > 0.5)[..., None].expand(b, n, 4)
    return torch.where(valid, t, torch.zeros_like(t)), valid.to(anc.dtype)


@op(name='_contrib_box_decode')
def box_decode(data, anchors, std0=1.0, std1=1.0, std2=1.0, std3=1.0, clip=-1.0,
               format='center'):  # noqa: A002 (MXNet's parameter name)
    """Decode regression offsets against anchors into corner boxes.

    Parameters
    ----------
    data : NDArray
        (B, N, 4) offsets.
    anchors : NDArray
        (1, N, 4) boxes in `format`.
    std0, std1, std2, std3 : float, default=1
        Multipliers of the four offsets.
    clip : float, default=-1
        If > 0, the largest width and height offset (before exp).
    format : {'center', 'corner'}, default='center'
        The anchors' encoding.

    Returns
    -------
    NDArray
        (B, N, 4) corner boxes.
    """
    _format('box_decode', format)
    if data.dim() != 3 or data.shape[-1] != 4 or anchors.dim() < 3 or anchors.shape[-1] != 4:
        raise MXNetError(f"box_decode: expected data (B, N, 4) and anchors (1, N, 4), got "
                         f"{tuple(data.shape)} and {tuple(anchors.shape)}")
    x, a = data.detach(), anchors.detach().reshape(1, -1, 4)[:, :data.shape[1]]
    if format == _CORNER:
        w, h = a[..., 2] - a[..., 0], a[..., 3] - a[..., 1]
        a = torch.stack([a[..., 0] + w * 0.5, a[..., 1] + h * 0.5, w, h], -1)
    ox = x[..., 0] * std0 * a[..., 2] + a[..., 0]
    oy = x[..., 1] * std1 * a[..., 3] + a[..., 1]
    dw, dh = x[..., 2] * std2, x[..., 3] * std3
    if clip > 0:
        dw, dh = dw.clamp(max=clip), dh.clamp(max=clip)
    ow, oh = torch.exp(dw) * a[..., 2] * 0.5, torch.exp(dh) * a[..., 3] * 0.5
    return torch.stack([ox - ow, oy - oh, ox + ow, oy + oh], -1)
