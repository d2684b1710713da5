"""Golden data for mx.image's detection iterator and augmenters, from MXNet 1.9.1.

    MXNET_SUBGRAPH_BACKEND=NONE $(../shared/tools/mxnet-ref.sh) tools/golden_image_det.py

Writes tests/golden/image_det.rec/.idx (PNG records of image_det_cases.images() with the
detection labels image_det_cases.LABELS, packed by MXNet's recordio.pack; pack_img needs
OpenCV's Python module, which the reference venv lacks) and tests/golden/image_det.npz:
- '<case>:<field>' for each iterator case of image_det_cases.ITER_CASES and 'pikachu',
  'imglist', 'lst', 'reshaped', 'synced': the batches (data, label, pad), provide_label and
  label_shape; for 'pikachu' also ':seq', the record order after MXNet's shuffles;
- the Python `random` draws MXNet made in each case ('<case>:random', ':uniform',
  ':randint', and ':shuffle', the permutations random.shuffle gave the augmenter lists of
  DetRandomSelectAug), which the test replays;
- 'aug:<name>:data'/':label<i>' for the single augmenters of image_det_cases.augmenters,
  with their draws and dumps; 'create:<name>' CreateDetAugmenter's list;
- 'error:<name>' the type and message of MXNet's errors;
- 'affine:...': ImageRecordIter's affine warp over tests/golden/image_det_affine.rec (see
  affine()).
"""
import os
import random
import sys
import tempfile

import numpy as np
import mxnet as mx
from mxnet import nd, recordio

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'tests', 'golden')
sys.path.insert(0, os.path.join(ROOT, 'tools'))
from golden_data import png  # noqa: E402
from golden_util import error  # noqa: E402
sys.path.insert(0, OUT)
import image_det_cases as cases  # noqa: E402

LOG = {'random': [], 'uniform': [], 'randint': [], 'shuffle': []}
_random, _uniform, _randint, _shuffle = (random.random, random.uniform, random.randint,
                                         random.shuffle)


def rec_random():
    LOG['random'].append(_random())
    return LOG['random'][-1]


def rec_uniform(a, b):
    LOG['uniform'].append(_uniform(a, b))
    return LOG['uniform'][-1]


def rec_randint(a, b):
    LOG['randint'].append(_randint(a, b))
    return LOG['randint'][-1]


def rec_shuffle(x):
    """random.shuffle; the permutation of an augmenter list is logged (that of the
    iterator's records is not: the test takes the final order, ':seq')."""
    before = list(x)
    _shuffle(x)
    if x and isinstance(x[0], mx.image.DetAugmenter):
        LOG['shuffle'].extend(next(i for i, b in enumerate(before) if b is a) for a in x)


def take_log(g, key):
    """Store the draws made since the last call under `key`, and forget them."""
    g[f'{key}:random'] = np.array(LOG['random'], np.float64)
    g[f'{key}:uniform'] = np.array(LOG['uniform'], np.float64)
    g[f'{key}:randint'] = np.array(LOG['randint'], np.int64)
    g[f'{key}:shuffle'] = np.array(LOG['shuffle'], np.int64)
    for v in LOG.values():
        v.clear()


def store(g, key, result):
    for k, v in result.items():
        g[f'{key}:{k}'] = v
    take_log(g, key)


def write_rec():
    rec, idx = os.path.join(OUT, 'image_det.rec'), os.path.join(OUT, 'image_det.idx')
    w = recordio.MXIndexedRecordIO(idx, rec, 'w')
    for i, (img, lab) in enumerate(zip(cases.images(), cases.labels())):
        w.write_idx(i, recordio.pack(recordio.IRHeader(0, lab, i, 0), png(img)))
    w.close()
    return rec, idx


def write_files(folder):
    """The images as PNG files img<i>.png, an imglist and a .lst file of them."""
    for i, img in enumerate(cases.images()):
        with open(os.path.join(folder, f'img{i}.png'), 'wb') as f:
            f.write(png(img))
    lst = os.path.join(folder, 'det.lst')
    with open(lst, 'w') as f:
        for i, lab in enumerate(cases.LABELS):
            f.write('\t'.join([str(i)] + [str(v) for v in lab] + [f'img{i}.png']) + '\n')
    return [[list(lab), f'img{i}.png'] for i, lab in enumerate(cases.LABELS)], lst


def errors(g, rec, folder):
    it = mx.image.ImageDetIter(2, cases.SHAPE, path_imgrec=rec)

    def bad(label):
        return lambda: mx.image.ImageDetIter(1, cases.SHAPE, imglist=[[label, 'img0.png']],
                                             path_root=folder)
    shrunk = mx.image.ImageDetIter(2, cases.SHAPE, path_imgrec=rec)
    shrunk.reshape(data_shape=(3, 10, 8))    # the augmenters still resize to SHAPE
    table = {
        'reshape_data': lambda: next(shrunk),
        'reduce': lambda: it.reshape(label_shape=(1, 5)),
        'width': lambda: it.reshape(label_shape=(4, 6)),
        'label_len': lambda: it.reshape(label_shape=(4,)),
        'channels': lambda: it.reshape(data_shape=(1, 8, 8)),
        'data_len': lambda: mx.image.ImageDetIter(2, (3, 8), path_imgrec=rec),
        'short_label': bad([2, 5, 0, .1, .1]),
        'obj_width': bad([2, 4, 0, .1, .1, .5, .5]),
        'no_valid': bad([2, 5, 0, .5, .1, .5, .6]),
        'sync': lambda: it.sync_label_shape(mx.io.NDArrayIter(np.zeros((2, 2)))),
        'borrow': lambda: mx.image.DetBorrowAug(mx.image.DetHorizontalFlipAug(0.5)),
        'select': lambda: mx.image.DetRandomSelectAug([mx.image.CastAug()]),
    }
    for name, fn in table.items():
        e = error(fn)
        g[f'error:{name}'] = np.array([e['type'] or '', e['msg']])


def affine(g):
    """ImageRecordIter's affine warp: tests/golden/image_det_affine.rec, and per case of
    image_det_cases.AFFINE_CASES MXNet's batch ('affine:<case>:data') and the draws MXNet
    made ('affine:<case>:draws', replayed from its C++ code)."""
    from golden_io_augment import Engine
    rec = os.path.join(OUT, 'image_det_affine.rec')
    w = recordio.MXRecordIO(rec, 'w')
    for i, img in enumerate(cases.images()):
        w.write(recordio.pack(recordio.IRHeader(0, float(i), i, 0), png(img)))
    w.close()
    for name, kw in cases.AFFINE_CASES:
        args = dict(cases.AFFINE_COMMON, **kw)
        batch = next(iter(mx.io.ImageRecordIter(path_imgrec=rec, **args)))
        g[f'affine:{name}:data'] = batch.data[0].asnumpy()
        g[f'affine:{name}:label'] = batch.label[0].asnumpy()
        g[f'affine:{name}:draws'] = cases.affine_draws(kw, Engine)


def main():
    random.random, random.uniform, random.randint, random.shuffle = (
        rec_random, rec_uniform, rec_randint, rec_shuffle)
    rec, idx = write_rec()
    g = {}
    for seed, (name, kw, epochs) in enumerate(cases.ITER_CASES):
        random.seed(seed)
        it = mx.image.ImageDetIter(path_imgrec=rec, **kw)
        store(g, name, cases.run(it, epochs))
    random.seed(100)
    it = mx.image.ImageDetIter(path_imgrec=rec, path_imgidx=idx, **cases.PIKACHU)
    g['pikachu:seq'] = np.array(it.seq)
    store(g, 'pikachu', cases.run(it, 1))
    folder = tempfile.mkdtemp()
    imglist, lst = write_files(folder)
    store(g, 'imglist', cases.run(mx.image.ImageDetIter(
        2, cases.SHAPE, imglist=imglist, path_root=folder, rand_mirror=True), 1))
    store(g, 'lst', cases.run(mx.image.ImageDetIter(
        3, cases.SHAPE, path_imglist=lst, path_root=folder), 1))
    it = mx.image.ImageDetIter(2, cases.SHAPE, path_imgrec=rec)
    it.reshape(label_shape=(4, 5))
    store(g, 'reshaped', cases.run(it, 1))
    a = mx.image.ImageDetIter(2, cases.SHAPE, imglist=imglist[:2], path_root=folder)
    b = mx.image.ImageDetIter(2, cases.SHAPE, path_imgrec=rec)
    g['synced:before'] = np.array([a.label_shape, b.label_shape])
    assert b.sync_label_shape(a) is a
    store(g, 'synced', cases.run(a, 1))
    img, lab = cases.images()[0], cases.labels()[0][2:].reshape(-1, 5)
    for seed, (name, aug) in enumerate(cases.augmenters(mx.image).items()):
        random.seed(seed)
        imgs, labs = cases.apply(aug, nd, img, lab, 6)
        g[f'aug:{name}:dumps'] = np.array(str(aug.dumps()))
        for i, (x, y) in enumerate(zip(imgs, labs)):
            g[f'aug:{name}:data{i}'], g[f'aug:{name}:label{i}'] = x, y
        take_log(g, f'aug:{name}')
    for name, kw in cases.CREATE.items():
        g[f'create:{name}'] = np.array(cases.describe(
            mx.image.CreateDetAugmenter(cases.SHAPE, **kw)))
    errors(g, rec, folder)
    affine(g)
    np.savez_compressed(os.path.join(OUT, 'image_det.npz'), **g)
    print(len(g), 'arrays', os.path.getsize(os.path.join(OUT, 'image_det.npz')), 'bytes')


if __name__ == '__main__':
    main()
