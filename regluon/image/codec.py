"""Image file decoding and encoding with Pillow (MXNet uses OpenCV; results are RGB here).

Pillow is an optional dependency (`pip install regluon[image]`); it is imported on first use
so that `import regluon` works without it.
"""
import io

import numpy as np

from ..base import MXNetError

__all__ = ['decode_np', 'encode_np']


def _pil():
    try:
        from PIL import Image
    except ImportError:
        raise ImportError("mx.image needs Pillow to decode and encode images: "
                          "pip install pillow") from None
    return Image


def decode_np(buf, flag=1, where='imdecode'):
    """Decode image bytes to a uint8 numpy array in RGB order.

    flag 1: (H, W, 3) color; 0: (H, W) grayscale; -1: as stored ((H, W) or (H, W, C)).
    A buffer Pillow cannot read raises MXNetError naming `where`.
    """
    Image = _pil()
    try:
        im = Image.open(io.BytesIO(bytes(buf)))
        im.load()
    except Exception as e:  # Pillow raises several types for bad data
        raise MXNetError(f"{where}: cannot decode image ({len(buf)} bytes): "
                         f"{type(e).__name__}: {e}") from None
    if flag == 1:
        im = im.convert('RGB')
    elif flag == 0:
        # ITU-R 601 luma, as OpenCV's grayscale conversion
        im = im.convert('L')
    elif im.mode not in ('L', 'RGB', 'RGBA'):
        im = im.convert('RGBA' if 'A' in im.getbands() else 'RGB')
    return np.asarray(im)


def encode_np(img, quality=95, img_fmt='.jpg'):
    """Encode a uint8 (H, W) or (H, W, C) RGB(A) array as JPEG or PNG bytes."""
    Image = _pil()
    fmt = img_fmt.lower().lstrip('.')
    img = np.asarray(img)
    if img.ndim == 3 and img.shape[2] == 1:
        img = img[:, :, 0]
    if img.dtype != np.uint8:
        raise MXNetError(f"image encoding: expected a uint8 image, got dtype {img.dtype}")
    out = io.BytesIO()
    pil = Image.fromarray(img)
    if fmt in ('jpg', 'jpeg'):
        pil.save(out, format='JPEG', quality=int(quality))
    elif fmt == 'png':
        # OpenCV's PNG "quality" is the zlib compression level, clipped to 0..9
        pil.save(out, format='PNG', compress_level=min(max(int(quality), 0), 9))
    else:
        raise ValueError(f"image encoding: img_fmt must be '.jpg' or '.png', got {img_fmt!r}")
    return out.getvalue()
