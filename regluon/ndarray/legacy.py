"""MXNet 1.x's legacy `nd.imdecode` (the OpenCV decode into a CHW buffer) and
`nd.CachedOp` (a Symbol made callable on NDArrays, as Gluon's SymbolBlock used it)."""
import numpy as np
import torch

from ..base import MXNetError
from .ndarray import NDArray, _box

__all__ = ['imdecode', 'CachedOp']


def _opencv_layout(img, channels):
    """The decoded image (H, W[, C]) in OpenCV's channel order (BGR[A]), first `channels`."""
    if img.ndim == 2:
        img = img[:, :, None]
    elif img.shape[2] >= 3:     # Pillow gives RGB[A]; OpenCV's buffer is BGR[A]
        img = np.concatenate([img[:, :, 2::-1], img[:, :, 3:]], axis=2)
    if channels > img.shape[2]:
        raise MXNetError(f"imdecode: channels={channels} but the image has "
                         f"{img.shape[2]} channel(s)")
    return img[:, :, :channels]


def imdecode(str_img, clip_rect=(0, 0, 0, 0), out=None, index=0, channels=3, mean=None):
    """Decode an image into a (channels, height, width) array (DEPRECATED in MXNet; use
    mx.image.imdecode). Channels are in OpenCV's order (BGR), values float32 (or `mean`'s
    dtype) minus `mean`.

    Parameters
    ----------
    str_img : bytes
        The encoded image (JPEG, PNG, ...).
    clip_rect : 4 ints, default (0, 0, 0, 0)
        Keep the rectangle x0, y0, x1, y1 (y0 == y1: the whole image).
    out : NDArray, optional
        (c, h, w), or (n, c, h, w) whose slice `index` receives the image.
    index : int, default 0
    channels : int, default 3
        1 decodes to grey scale.
    mean : NDArray, optional
        (c, h, w), subtracted.
    """
    from ..image.codec import decode_np  # pylint: disable=import-outside-toplevel
    if not isinstance(str_img, (bytes, bytearray)):
        raise MXNetError(f"imdecode: str_img must be the encoded image's bytes, got "
                         f"{type(str_img).__name__}")
    img = _opencv_layout(decode_np(str_img, 0 if channels == 1 else -1, 'imdecode'), channels)
    x0, y0, x1, y1 = (int(v) for v in clip_rect)
    if y1 - y0 == 0:
        x0, y0, y1, x1 = 0, 0, img.shape[0], img.shape[1]
    if not (0 <= x0 < x1 <= img.shape[1] and 0 <= y0 < y1 <= img.shape[0]):
        raise MXNetError(f"imdecode: clip_rect {tuple(clip_rect)} is not inside the "
                         f"{img.shape[1]}x{img.shape[0]} image")
    t = torch.tensor(img[y0:y1, x0:x1].transpose(2, 0, 1))
    dtype = torch.float32 if mean is None else mean.to_torch().dtype
    t = t.to(dtype)
    if mean is not None:
        if tuple(mean.shape) != tuple(t.shape):
            raise MXNetError(f"imdecode: mean must have the output's shape {tuple(t.shape)}, "
                             f"got {tuple(mean.shape)}")
        t = t - mean.to_torch()
    if out is None:
        return _box(t)
    if out.ndim == 3:
        target = out
    elif out.ndim == 4:
        target = out[index]
    else:
        raise MXNetError(f"imdecode: out must be 3-D (c, h, w) or 4-D (n, c, h, w), got "
                         f"shape {out.shape}")
    if tuple(target.shape) != tuple(t.shape) or target.dtype != np.dtype(
            str(dtype).replace('torch.', '')):
        raise MXNetError(f"imdecode: out{'[%d]' % index if out.ndim == 4 else ''} must be "
                         f"{tuple(t.shape)} of the image's dtype, got {tuple(target.shape)} "
                         f"{target.dtype}")
    target[:] = _box(t)
    return out


class CachedOp:
    """A Symbol callable on NDArrays: `CachedOp(sym, flags)(*inputs)` computes the graph
    with the inputs given in `sym.list_inputs()` order; one NDArray for a single output,
    else a list. Recorded under autograd like any operator. `flags` (MXNet's static_alloc,
    static_shape, ...) are accepted; the graph runs eagerly."""
    __slots__ = ('_sym', '_names', '_flags')

    def __init__(self, sym, flags=()):
        self._sym, self._names = sym, sym.list_inputs()
        self._flags = tuple((str(k), str(v)) for k, v in dict(flags).items())

    def __call__(self, *args, **kwargs):
        out = kwargs.pop('out', None)
        if kwargs:
            raise TypeError("CachedOp.__call__ got unexpected keyword argument(s): " +
                            ', '.join(kwargs.keys()))
        if len(args) != len(self._names):
            raise MXNetError(f"CachedOp: expected {len(self._names)} inputs "
                             f"({', '.join(self._names)}), got {len(args)}")
        for name, a in zip(self._names, args):
            if not isinstance(a, NDArray):
                raise MXNetError(f"CachedOp: input '{name}' must be an NDArray, got "
                                 f"{type(a).__name__}")
        ctx = args[0]._ctx if args else None
        outs = self._sym.eval(**dict(zip(self._names, args)))
        for o in outs:
            o._ctx = ctx
        if out is not None:
            targets = [out] if isinstance(out, NDArray) else list(out)
            if len(targets) != len(outs):
                raise MXNetError(f"CachedOp: out has {len(targets)} arrays for "
                                 f"{len(outs)} outputs")
            for t, o in zip(targets, outs):
                t[:] = o
            return out
        return outs[0] if len(outs) == 1 else outs
