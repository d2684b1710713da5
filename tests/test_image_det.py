"""mx.image's detection iterator and augmenters against MXNet 1.9.1 (tools/golden_image_det.py).

MXNet draws from Python's `random`; regluon from torch's generator. The golden writer logs
MXNet's draws (random.random, uniform, randint and the permutations random.shuffle gave
DetRandomSelectAug's lists) and these tests hand the same values to regluon by patching
regluon/image/detection.py's draw functions, then compare whole batches: labels exactly
(the same float32 numpy arithmetic), pixels exactly (regluon/image/resize.py is
OpenCV's cv::resize arithmetic).
"""
import sys

import numpy as np
import pytest

import regluon as mx
from regluon.base import MXNetError
from regluon.image import detection
from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
import image_det_cases as cases  # noqa: E402

G = golden('image_det')
REC, IDX = str(GOLDEN / 'image_det.rec'), str(GOLDEN / 'image_det.idx')


@pytest.fixture
def replay(monkeypatch):
    """replay(key): regluon's detection draws return MXNet's draws of case `key`; the
    returned queues must be empty at the end."""
    def start(key):
        q = {k: [v.item() for v in G[f'{key}:{k}']]
             for k in ('random', 'uniform', 'randint', 'shuffle')}

        def uniform(lo, hi):
            v = q['uniform'].pop(0)
            assert lo <= v <= hi
            return v

        def randint(lo, hi):
            v = q['randint'].pop(0)
            assert lo <= v <= hi
            return v

        def shuffle(items):
            perm = [q['shuffle'].pop(0) for _ in items]
            items[:] = [items[i] for i in perm]
        monkeypatch.setattr(detection, '_coin', lambda: q['random'].pop(0))
        monkeypatch.setattr(detection, 'uniform', uniform)
        monkeypatch.setattr(detection, 'randint', randint)
        monkeypatch.setattr(detection, '_shuffle', shuffle)
        return q
    return start


def check(got, key):
    """A run's batches against MXNet's under `key`: exact, pixels included."""
    for field in ('pad', 'provide_label', 'label_shape', 'label'):
        np.testing.assert_array_equal(got[field], G[f'{key}:{field}'], err_msg=f'{key} {field}')
    want = G[f'{key}:data']
    assert got['data'].shape == want.shape and got['data'].dtype == want.dtype
    np.testing.assert_array_equal(got['data'], want, err_msg=key)


@pytest.mark.parametrize('name, kw, epochs', cases.ITER_CASES,
                         ids=[c[0] for c in cases.ITER_CASES])
def test_iterator_batches(replay, name, kw, epochs):
    """ImageDetIter over a .rec: MXNet's batches, given MXNet's draws."""
    q = replay(name)
    it = mx.image.ImageDetIter(path_imgrec=REC, **kw)
    check(cases.run(it, epochs), name)
    assert not any(q.values()), f'{name}: draws left {q}'


def test_d2lzh_pikachu_call(replay):
    """d2lzh's load_data_pikachu call (indexed .rec, shuffle, rand_crop=1,
    min_object_covered=0.95, max_attempts=200), with MXNet's record order and draws."""
    it = mx.image.ImageDetIter(path_imgrec=REC, path_imgidx=IDX, **cases.PIKACHU)
    assert sorted(it.seq) == sorted(G['pikachu:seq'].tolist())
    it.seq = G['pikachu:seq'].tolist()
    q = replay('pikachu')
    check(cases.run(it, 1), 'pikachu')
    assert not any(q.values())
    assert it.provide_data == [('data', (2,) + cases.PIKACHU_SHAPE)]


def test_unreplayed_random_iterator_is_sane():
    """With regluon's own draws: data_shape batches, boxes inside [0, 1] or -1 rows;
    mx.random.seed repeats the epoch."""
    runs = []
    for _ in range(2):
        mx.random.seed(5)
        it = mx.image.ImageDetIter(path_imgrec=REC, path_imgidx=IDX, **cases.PIKACHU)
        runs.append(cases.run(it, 2))
    np.testing.assert_array_equal(runs[0]['label'], runs[1]['label'])
    lab = runs[0]['label']
    assert runs[0]['data'].shape == (6, 2) + cases.PIKACHU_SHAPE
    boxes = lab[lab[..., 0] >= 0]
    assert boxes.size and boxes[:, 1:].min() >= 0 and boxes[:, 1:].max() <= 1
    assert np.all(lab[lab[..., 0] < 0] == -1)


@pytest.fixture
def folder(tmp_path):
    """The images as PNG files and a .lst of them, as the golden writer makes them."""
    from regluon.image.codec import encode_np
    for i, img in enumerate(cases.images()):
        (tmp_path / f'img{i}.png').write_bytes(encode_np(img, img_fmt='.png'))
    lines = ['\t'.join([str(i)] + [str(v) for v in lab] + [f'img{i}.png'])
             for i, lab in enumerate(cases.LABELS)]
    (tmp_path / 'det.lst').write_text('\n'.join(lines) + '\n')
    return tmp_path


def imglist():
    return [[list(lab), f'img{i}.png'] for i, lab in enumerate(cases.LABELS)]


def test_imglist_and_lst(replay, folder):
    q = replay('imglist')
    it = mx.image.ImageDetIter(2, cases.SHAPE, imglist=imglist(), path_root=str(folder),
                               rand_mirror=True)
    check(cases.run(it, 1), 'imglist')
    assert not any(q.values())
    it = mx.image.ImageDetIter(3, cases.SHAPE, path_imglist=str(folder / 'det.lst'),
                               path_root=str(folder))
    check(cases.run(it, 1), 'lst')


def test_reshape_and_sync_label_shape(folder):
    """reshape(label_shape=) pads labels to more objects; sync_label_shape gives both
    iterators the larger count."""
    it = mx.image.ImageDetIter(2, cases.SHAPE, path_imgrec=REC)
    it.reshape(label_shape=(4, 5))
    check(cases.run(it, 1), 'reshaped')
    a = mx.image.ImageDetIter(2, cases.SHAPE, imglist=imglist()[:2], path_root=str(folder))
    b = mx.image.ImageDetIter(2, cases.SHAPE, path_imgrec=REC)
    np.testing.assert_array_equal([a.label_shape, b.label_shape], G['synced:before'])
    assert b.sync_label_shape(a) is a
    check(cases.run(a, 1), 'synced')


@pytest.mark.parametrize('name', list(cases.augmenters(mx.image)))
def test_single_augmenters(replay, name):
    """Each detection augmenter, six times on one image, with MXNet's draws; dumps()."""
    q = replay(f'aug:{name}')
    aug = cases.augmenters(mx.image)[name]
    img, lab = cases.images()[0], cases.labels()[0][2:].reshape(-1, 5)
    imgs, labs = cases.apply(aug, mx.nd, img, lab, 6)
    for i, (x, y) in enumerate(zip(imgs, labs)):
        want = G[f'aug:{name}:data{i}']
        assert x.shape == want.shape and x.dtype == want.dtype, (name, i)
        np.testing.assert_array_equal(x, want, err_msg=f'{name} {i}')
        np.testing.assert_array_equal(y, G[f'aug:{name}:label{i}'], err_msg=f'{name} {i}')
    assert str(aug.dumps()) == str(G[f'aug:{name}:dumps'])
    assert not any(q.values())


@pytest.mark.parametrize('name', list(cases.CREATE))
def test_create_det_augmenter(name):
    augs = mx.image.CreateDetAugmenter(cases.SHAPE, **cases.CREATE[name])
    assert cases.describe(augs) == G[f'create:{name}'].tolist()


def test_errors(folder):
    """MXNet's messages; regluon raises MXNetError subclasses that are also MXNet's types
    (ValueError for shapes, RuntimeError for labels), so either except clause works."""
    it = mx.image.ImageDetIter(2, cases.SHAPE, path_imgrec=REC)

    def bad(label):
        return lambda: mx.image.ImageDetIter(1, cases.SHAPE, imglist=[[label, 'img0.png']],
                                             path_root=str(folder))
    table = {
        'reduce': lambda: it.reshape(label_shape=(1, 5)),
        'width': lambda: it.reshape(label_shape=(4, 6)),
        'label_len': lambda: it.reshape(label_shape=(4,)),
        'channels': lambda: it.reshape(data_shape=(1, 8, 8)),
        'short_label': bad([2, 5, 0, .1, .1]),
        'obj_width': bad([2, 4, 0, .1, .1, .5, .5]),
        'no_valid': bad([2, 5, 0, .5, .1, .5, .6]),
    }
    for name, fn in table.items():
        kind, msg = G[f'error:{name}']
        with pytest.raises(MXNetError) as e:
            fn()
        assert isinstance(e.value, {'ValueError': ValueError, 'RuntimeError': RuntimeError}[kind])
        assert msg in str(e.value), (name, str(e.value))
    with pytest.raises(ValueError, match='data_shape should have length 3'):
        mx.image.ImageDetIter(2, (3, 8), path_imgrec=REC)
    shrunk = mx.image.ImageDetIter(2, cases.SHAPE, path_imgrec=REC)
    shrunk.reshape(data_shape=(3, 10, 8))    # MXNet: a broadcast error in the batch copy
    assert G['error:reshape_data'][0] == 'ValueError'
    with pytest.raises(MXNetError, match=r'augmented image has shape \(12, 12, 3\), expected '
                                         r'\(H, W, C\) = \(10, 8, 3\)'):
        next(shrunk)
    with pytest.raises(MXNetError, match='Synchronize with invalid iterator'):
        it.sync_label_shape(mx.io.NDArrayIter(np.zeros((2, 2))))
    with pytest.raises(TypeError, match=str(G['error:borrow'][1])):
        mx.image.DetBorrowAug(mx.image.DetHorizontalFlipAug(0.5))
    with pytest.raises(ValueError, match=str(G['error:select'][1])):
        mx.image.DetRandomSelectAug([mx.image.CastAug()])


def test_bad_samples_are_skipped(tmp_path, folder):
    """A sample whose boxes all go invalid after augmentation is skipped, as MXNet's
    _batchify does; an augmenter list that leaves no valid sample ends the epoch."""
    class Eject(mx.image.DetAugmenter):
        def __call__(self, src, label):
            label = label.copy()
            if label.shape[0] == 1:
                label[:, 0] = -1         # class -1: not a valid object
            return src, label
    augs = [Eject()] + mx.image.CreateDetAugmenter(cases.SHAPE)
    it = mx.image.ImageDetIter(5, cases.SHAPE, path_imgrec=REC, aug_list=augs)
    b = next(it)
    # records 1 and 3 have one object each: skipped, the batch padded from the start
    assert b.pad == 2
    want = G['batch5:label'][0][[0, 2, 4, 0, 2]]
    np.testing.assert_array_equal(b.label[0].asnumpy(), want)


def test_draw_next():
    """draw_next yields the augmented images (BGR uint8) with the boxes outlined."""
    it = mx.image.ImageDetIter(1, cases.SHAPE, path_imgrec=REC)
    images = list(it.draw_next(color=(255, 0, 0), thickness=1, id2labels={0: 'a'}))
    assert len(images) == len(cases.SIZES)
    first = images[0]
    assert first.shape == (12, 12, 3) and first.dtype == np.uint8
    lab = cases.labels()[0][2:].reshape(-1, 5)
    x1, y1 = int(lab[1, 1] * 12), int(lab[1, 2] * 12)
    np.testing.assert_array_equal(first[y1, x1], [0, 0, 255])      # red, in BGR
    plain = G['plain:data'][0, 0].transpose(1, 2, 0)[:, :, ::-1]
    np.testing.assert_array_equal(first[11, 11], plain[11, 11])   # untouched corner


PIKACHU_SCRIPT = '''
import json, sys
import d2lzh as d2l
d2l.utils._download_pikachu = lambda data_dir: None     # the files are in ../data/pikachu
train_iter, val_iter = d2l.load_data_pikachu(int(sys.argv[1]), edge_size=int(sys.argv[2]))
batch = train_iter.next()
val = [b.label[0].shape for b in val_iter]
print(json.dumps({'data': batch.data[0].shape, 'label': batch.label[0].shape,
                  'val': val, 'names': [train_iter.provide_data[0][0],
                                        train_iter.provide_label[0][0]]}))
'''


def test_d2lzh_load_data_pikachu(tmp_path):
    """d2lzh 1.0.0's own load_data_pikachu (under `regluon run`, the download stubbed out)
    over image_det.rec as the pikachu train.rec/train.idx/val.rec."""
    import importlib.util
    import json
    import os
    import shutil
    import subprocess
    if importlib.util.find_spec('d2lzh') is None:
        pytest.skip('d2lzh is not installed (tests/test_d2lzh.py installs it)')
    data = tmp_path / 'data' / 'pikachu'
    data.mkdir(parents=True)
    for src, dst in ((REC, 'train.rec'), (IDX, 'train.idx'), (REC, 'val.rec')):
        shutil.copy(src, data / dst)
    (tmp_path / 'work').mkdir()
    script = tmp_path / 'pikachu.py'
    script.write_text(PIKACHU_SCRIPT)
    root = str(GOLDEN.parent.parent)
    env = dict(os.environ, PYTHONPATH=root, OMP_NUM_THREADS='1', MPLBACKEND='Agg')
    r = subprocess.run([sys.executable, '-m', 'regluon', 'run', str(script), '2', '16'],
                       cwd=str(tmp_path / 'work'), capture_output=True, text=True, env=env,
                       timeout=300)
    assert r.returncode == 0, r.stderr[-3000:]
    got = json.loads(r.stdout.splitlines()[-1])
    assert got['data'] == [2, 3, 16, 16] and got['label'] == [2, 3, 5]
    assert got['val'] == [[2, 3, 5]] * 3           # 5 images: the last batch padded
    assert got['names'] == ['data', 'label']
