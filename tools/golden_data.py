"""Golden data for gluon.data, vision transforms, mx.image and mx.recordio, from MXNet 1.9.1.

    $(../shared/tools/mxnet-ref.sh) tools/golden_data.py

Writes tests/golden/data.npz (arrays; names are '<case>' or '<case>:<field>'),
tests/golden/data_records.rec / .idx (a RecordIO file written by MXNet itself) and
tests/golden/data_images.rec / .idx (PNG images packed by MXNet, read by
ImageRecordDataset). Images are made with a minimal PNG writer (the reference venv has
neither OpenCV nor Pillow).
"""
import os
import shutil
import struct
import tempfile
import zlib

import numpy as np
import mxnet as mx
from mxnet import gluon, nd, recordio
from mxnet.gluon.data import vision
from mxnet.gluon.data.vision import transforms as T

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'tests', 'golden')
G = {}


def png(img):
    """PNG bytes of a uint8 (H, W) gray, (H, W, 3) RGB or (H, W, 4) RGBA image."""
    img = np.asarray(img, np.uint8)
    h, w = img.shape[:2]
    ch = 1 if img.ndim == 2 else img.shape[2]
    ctype = {1: 0, 3: 2, 4: 6}[ch]
    raw = b''.join(b'\0' + img[y].tobytes() for y in range(h))

    def chunk(tag, data):
        return (struct.pack('>I', len(data)) + tag + data +
                struct.pack('>I', zlib.crc32(tag + data) & 0xffffffff))
    return (b'\x89PNG\r\n\x1a\n' + chunk(b'IHDR', struct.pack('>IIBBBBB', w, h, 8, ctype, 0, 0, 0))
            + chunk(b'IDAT', zlib.compress(raw)) + chunk(b'IEND', b''))


def image(shape, seed=0):
    return np.random.RandomState(seed).randint(0, 256, shape).astype(np.uint8)


def samplers():
    s = gluon.data.SequentialSampler(10)
    for mode in ('keep', 'discard', 'rollover'):
        b = gluon.data.BatchSampler(s, 3, mode)
        epochs = [list(b) for _ in range(3)]
        G[f'batch_sampler_{mode}'] = np.array([i for e in epochs for bb in e for i in bb + [-1]])
        G[f'batch_sampler_{mode}:len'] = np.array(len(b))
    ds = gluon.data.SimpleDataset(list(range(10)))
    G['shard'] = np.array([x for i in range(3) for x in list(ds.shard(3, i)) + [-1]])
    G['take'] = np.array(list(ds.take(4)))
    G['take_none'] = np.array(list(ds.take(None)))
    G['filter'] = np.array(list(ds.filter(lambda x: x % 3 == 0)))
    G['transform'] = np.array(list(ds.transform(lambda x: x * 2)))
    G['transform_first'] = np.array(list(
        gluon.data.ArrayDataset(list(range(4)), list(range(4))).transform_first(
            lambda x: x + 10)))


def batchify():
    from mxnet.gluon.data.dataloader import default_batchify_fn as b
    cases = {
        'int': [1, 2, 3], 'float': [1.5, 2.0], 'np_float64': [np.float64(1), np.float64(2)],
        'np_int32': [np.int32(1), np.int32(2)], 'np_f64_arrays': [np.zeros((2, 2))] * 2,
        'np_u8_arrays': [np.ones(3, np.uint8)] * 2, 'nd_u8': [nd.ones((2, 3), dtype='uint8')] * 2,
        'nd_f16': [nd.ones((2,), dtype='float16')] * 3, 'bool': [True, False],
        'lists': [[1, 2], [3, 4]],
    }
    for name, data in cases.items():
        out = b(data)
        G[f'batchify_{name}'] = out.asnumpy()
    pairs = [(nd.array([i, i + 1]), i) for i in range(3)]
    out = b(pairs)
    G['batchify_tuple:0'], G['batchify_tuple:1'] = out[0].asnumpy(), out[1].asnumpy()


def loader():
    x = np.arange(21, dtype=np.float32).reshape(7, 3)
    y = np.arange(7, dtype=np.int32)
    for lb in ('keep', 'discard', 'rollover'):
        dl = gluon.data.DataLoader(gluon.data.ArrayDataset(nd.array(x), y), 3, last_batch=lb)
        G[f'loader_{lb}:len'] = np.array(len(dl))
        epochs = [[(d.asnumpy(), l.asnumpy()) for d, l in dl] for _ in range(2)]
        G[f'loader_{lb}:data'] = np.concatenate([d for e in epochs for d, _ in e])
        G[f'loader_{lb}:label'] = np.concatenate([l for e in epochs for _, l in e])
        G[f'loader_{lb}:dtypes'] = np.array([str(epochs[0][0][0].dtype),
                                             str(epochs[0][0][1].dtype)])
    # a 1-D NDArray column becomes numpy inside ArrayDataset
    dl = gluon.data.DataLoader(gluon.data.ArrayDataset(nd.array([1, 2, 3], dtype='int32'),
                                                       [1.5, 2.5, 3.5]), 2)
    first = next(iter(dl))
    G['loader_1d:dtypes'] = np.array([str(first[0].dtype), str(first[1].dtype)])


def mnist():
    """MNIST's sample format, read from the bundled subset under MNIST's file names."""
    tmp = tempfile.mkdtemp()
    src = os.path.join(ROOT, 'regluon', 'data', 'mnist')
    for kind in ('images-idx3', 'labels-idx1'):
        shutil.copy(os.path.join(src, f'test-{kind}-ubyte.gz'),
                    os.path.join(tmp, f't10k-{kind}-ubyte.gz'))
    # the files are a re-split, so their checksums differ: skip MXNet's download check
    vision.datasets.download = lambda url, path, sha1_hash: os.path.join(
        path, url.split('/')[-1])
    ds = vision.MNIST(root=tmp, train=False)
    G['mnist:len'] = np.array(len(ds))
    G['mnist:data'] = np.stack([ds[i][0].asnumpy() for i in range(5)])
    G['mnist:label'] = np.array([ds[i][1] for i in range(5)])
    G['mnist:types'] = np.array([type(ds[0][0]).__name__, str(ds[0][0].dtype),
                                 type(ds[0][1]).__name__, str(ds[0][1].dtype)])
    d, l = next(iter(gluon.data.DataLoader(ds, 4)))
    G['mnist:batch_dtypes'] = np.array([str(d.dtype), str(l.dtype)])
    shutil.rmtree(tmp)


def transforms():
    img = image((7, 9, 3))
    x = nd.array(img, dtype='uint8')
    xf = x.astype('float32')
    G['img'] = img
    cases = {
        'to_tensor': T.ToTensor()(x),
        'to_tensor_batch': T.ToTensor()(nd.stack(x, x)),
        'normalize': T.Normalize((0.1, 0.2, 0.3), (0.5, 0.6, 0.7))(T.ToTensor()(x)),
        'normalize_scalar': T.Normalize(0.5, 0.25)(T.ToTensor()(x)),
        'cast': T.Cast('float16')(x),
        'center_crop': T.CenterCrop(4)(x),
        'center_crop_up': T.CenterCrop((12, 10))(x),
        'crop_resize': T.CropResize(1, 2, 4, 3)(x),
        'crop_resize_size': T.CropResize(1, 2, 4, 3, size=(6, 5), interpolation=1)(x),
        'flip_lr': nd.image.flip_left_right(x),
        'flip_tb': nd.image.flip_top_bottom(x),
        'brightness': nd.image.random_brightness(x, 1.3, 1.3),
        'brightness_f': nd.image.random_brightness(xf, 1.3, 1.3),
        'contrast': nd.image.random_contrast(x, 0.7, 0.7),
        'contrast_f': nd.image.random_contrast(xf, 1.4, 1.4),
        'saturation': nd.image.random_saturation(x, 0.6, 0.6),
        'saturation_f': nd.image.random_saturation(xf, 1.5, 1.5),
        'hue_f': nd.image.random_hue(xf, 0.9, 0.9),
        'hue2_f': nd.image.random_hue(xf, 1.2, 1.2),
        'hue': nd.image.random_hue(x, 0.3, 0.3),
        'lighting_f': nd.image.adjust_lighting(xf, alpha=(0.1, 0.2, 0.3)),
        'lighting': nd.image.adjust_lighting(x, alpha=(-0.1, 0.05, 0.3)),
    }
    for size, keep in ((5, False), ((5, 4), False), (4, True), ((13, 11), False),
                       ((4, 3), False), (3, True)):
        for interp in (0, 1, 2, 3):
            name = f'resize_{size}_{keep}_{interp}'.replace(' ', '')
            cases[name] = T.Resize(size, keep, interp)(x)
            cases[name + '_f'] = T.Resize(size, keep, interp)(xf)
    cases['resize_batch'] = T.Resize((5, 4))(nd.stack(x, x))
    cases['compose'] = T.Compose([T.Resize(5), T.CenterCrop(4), T.ToTensor(),
                                  T.Normalize(0.5, 0.2)])(x)
    for k, v in cases.items():
        G['tf_' + k] = v.asnumpy()


def image_funcs():
    img = image((7, 9, 3), 1)
    x = nd.array(img, dtype='uint8')
    G['im_src'] = img
    cases = {
        'imresize': mx.image.imresize(x, 5, 4),
        'imresize_up': mx.image.imresize(x, 12, 11, interp=1),
        'imresize_nearest': mx.image.imresize(x, 5, 4, interp=0),
        'imresize_cubic': mx.image.imresize(x, 12, 11, interp=2),
        'imresize_area': mx.image.imresize(x, 3, 7, interp=3),
        'resize_short': mx.image.resize_short(x, 4),
        'resize_short_9': mx.image.resize_short(x, 4, interp=9),
        'center_crop': mx.image.center_crop(x, (5, 4))[0],
        'center_crop_up': mx.image.center_crop(x, (12, 12), interp=1)[0],
        'fixed_crop': mx.image.fixed_crop(x, 1, 2, 5, 4),
        'fixed_crop_resize': mx.image.fixed_crop(x, 1, 2, 5, 4, size=(3, 3), interp=1),
        'color_normalize': mx.image.color_normalize(x.astype('float32'),
                                                    nd.array([10, 20, 30]), nd.array([2, 4, 8])),
        'border_const': mx.image.copyMakeBorder(x, 1, 2, 3, 0, type=0, value=7),
        'border_replicate': mx.image.copyMakeBorder(x, 1, 2, 3, 0, type=1),
    }
    for k, v in cases.items():
        G['im_' + k] = v.asnumpy()
    G['im_center_crop:box'] = np.array(mx.image.center_crop(x, (5, 4))[1])
    G['im_scale_down'] = np.array([mx.image.scale_down(s, c) for s, c in
                                   [((640, 480), (720, 120)), ((360, 1000), (480, 500)),
                                    ((300, 400), (100, 100))]])
    rot = mx.image.imrotate(T.ToTensor()(x), 30)
    G['im_rotate'] = rot.asnumpy()
    G['im_rotate_zoom_in'] = mx.image.imrotate(T.ToTensor()(x), -20, zoom_in=True).asnumpy()
    G['im_rotate_zoom_out'] = mx.image.imrotate(T.ToTensor()(x), 45, zoom_out=True).asnumpy()
    # decoding PNGs (exact: PNG is lossless)
    for name, arr in (('rgb', image((5, 6, 3), 2)), ('gray', image((5, 6), 3)),
                      ('rgba', image((4, 3, 4), 4))):
        buf = png(arr)
        G[f'png_{name}:bytes'] = np.frombuffer(buf, np.uint8)
        for flag in (0, 1):
            for to_rgb in (0, 1):
                G[f'png_{name}:{flag}{to_rgb}'] = mx.image.imdecode(buf, flag=flag,
                                                                    to_rgb=to_rgb).asnumpy()


def records():
    magic = struct.pack('<I', 0xced7230a)
    payloads = [b'', b'a', b'abc', b'abcd', b'hello world', magic, b'xy' + magic + b'zz',
                b'abcd' + magic + b'efgh' + magic + b'ij', b'ab' + magic + b'cd' + magic,
                bytes(range(256)) * 3]
    rec = os.path.join(OUT, 'data_records.rec')
    w = recordio.MXIndexedRecordIO(rec[:-4] + '.idx', rec, 'w')
    for i, p in enumerate(payloads):
        w.write_idx(i * 10, p)
    w.close()
    r = recordio.MXRecordIO(rec, 'r')
    assert [r.read() for _ in payloads] == payloads and r.read() is None
    G['rec:n'] = np.array(len(payloads))
    for i, p in enumerate(payloads):
        G[f'rec:{i}'] = np.frombuffer(p, np.uint8)
    packed = [recordio.pack(recordio.IRHeader(0, 3.5, 7, 0), b'payload'),
              recordio.pack(recordio.IRHeader(0, [1.0, 2.5, -3.0], 8, 1), b'xyz'),
              recordio.pack((5, 2.0, 2 ** 40, 3), b'')]
    for i, p in enumerate(packed):
        G[f'pack:{i}'] = np.frombuffer(p, np.uint8)
    # images packed by MXNet, read back by its ImageRecordDataset
    rec = os.path.join(OUT, 'data_images.rec')
    w = recordio.MXIndexedRecordIO(rec[:-4] + '.idx', rec, 'w')
    imgs = [image((6, 5, 3), 10 + i) for i in range(3)]
    for i, im in enumerate(imgs):
        label = float(i) if i < 2 else [1.0, 2.0]
        w.write_idx(i, recordio.pack(recordio.IRHeader(0, label, i, 0), png(im)))
    w.close()
    ds = vision.ImageRecordDataset(rec)
    G['imgrec:len'] = np.array(len(ds))
    for i in range(len(ds)):
        G[f'imgrec:{i}:img'] = ds[i][0].asnumpy()
        G[f'imgrec:{i}:label'] = np.asarray(ds[i][1])
    G['imgrec:gray0'] = vision.ImageRecordDataset(rec, flag=0)[0][0].asnumpy()


def image_iter():
    rec = os.path.join(OUT, 'data_iter.rec')
    w = recordio.MXIndexedRecordIO(rec[:-4] + '.idx', rec, 'w')
    for i in range(5):
        w.write_idx(i, recordio.pack(recordio.IRHeader(0, float(i), i, 0),
                                     png(image((8, 7, 3), 20 + i))))
    w.close()
    for lb in ('pad', 'discard', 'roll_over'):
        it = mx.image.ImageIter(2, (3, 6, 5), path_imgrec=rec, path_imgidx=rec[:-4] + '.idx',
                                last_batch_handle=lb, mean=True, std=True)
        out = []
        for epoch in range(2):
            for b in it:
                out.append((b.data[0].asnumpy(), b.label[0].asnumpy(), b.pad))
            it.reset()
        G[f'iter_{lb}:data'] = np.stack([o[0] for o in out])
        G[f'iter_{lb}:label'] = np.stack([o[1] for o in out])
        G[f'iter_{lb}:pad'] = np.array([o[2] for o in out])
        G[f'iter_{lb}:label_dtype'] = np.array(str(out[0][1].dtype))


def main():
    os.makedirs(OUT, exist_ok=True)
    mx.random.seed(0)
    for fn in (samplers, batchify, loader, mnist, transforms, image_funcs, records,
               image_iter):
        fn()
    np.savez_compressed(os.path.join(OUT, 'data.npz'), **G)
    print(len(G), 'arrays ->', os.path.join(OUT, 'data.npz'))


if __name__ == '__main__':
    main()
