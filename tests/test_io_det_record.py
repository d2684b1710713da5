"""ImageDetRecordIter against MXNet 1.9.1 (tools/golden_io_det_record.py): two epochs of
batches per case of io_det_record_cases.CASES, MXNet's random augmentations included.

MXNet draws from std::mt19937 streams seeded 233 (augmenter, one decoding thread) and
233 + seed (shuffle); regluon reproduces them, so random cases compare batch for batch.
Pixels are exact, resizes included (regluon/image/resize.py is OpenCV's cv::resize
arithmetic), except the PNG-to-gray decode (within 1 level); labels are exact."""
import sys

import numpy as np
import pytest

import regluon as mx
from regluon.base import MXNetError
from regluon.io import det_record
from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
from io_det_record_cases import (CASES, COMMON, ERRORS, MEAN, MEAN_RGB, N, epochs,  # noqa: E402
                                 labels)

G = golden('io_det_record')
CASES_BY_NAME = {name: kw for name, kw, _ in CASES}
REC = str(GOLDEN / 'io_det_record.rec')


def run(**kw):
    return epochs(mx.io.ImageDetRecordIter(path_imgrec=REC, **dict(COMMON, **kw)))


def check(name, got, exact):
    for k in ('pad', 'index', 'dshape', 'lshape'):
        np.testing.assert_array_equal(got[k], G[f'{name}:{k}'], err_msg=f'{name} {k}')
    want = G[f'{name}:label']
    assert got['label'].dtype == want.dtype == np.float32
    np.testing.assert_allclose(got['label'], want, rtol=0, atol=1e-7, err_msg=name)
    want = G[f'{name}:data']
    assert got['data'].dtype == want.dtype == np.float32 and got['data'].shape == want.shape
    if exact:
        np.testing.assert_array_equal(got['data'], want, err_msg=name)
    else:   # the gray decode: within one uint8 level after the normalization's std
        np.testing.assert_allclose(got['data'], want, rtol=0, atol=1.0001, err_msg=name)


@pytest.mark.parametrize('name, kw, exact', CASES, ids=[c[0] for c in CASES])
def test_batches_equal_mxnet(name, kw, exact):
    check(name, run(**kw), exact)


def test_path_imglist_labels_equal_mxnet():
    check('imglist', run(path_imglist=str(GOLDEN / 'io_det_record.lst'), rand_mirror_prob=0.5),
          True)


def test_mean_img_created_then_loaded_as_mxnet(tmp_path):
    """A missing mean_img is the mean of one augmented pass (its draws come off the stream
    before the first batch), saved as {'mean_img': ...}; a present one is loaded."""
    path = str(tmp_path / 'mean.nd')
    got = run(mean_img=path, **MEAN)
    mean = mx.nd.load(path)['mean_img'].asnumpy()
    np.testing.assert_allclose(mean, G['mean:mean'], rtol=1e-6, atol=1e-5)
    check('mean', got, True)
    again = run(mean_img=path, rand_mirror_prob=0.5)     # loaded: pixels - mean image
    plain = run(rand_mirror_prob=0.5)
    np.testing.assert_allclose(again['data'], plain['data'] - mean, rtol=1e-6, atol=1e-4)


def test_mean_img_made_even_where_mean_rgb_is_subtracted(tmp_path):
    """With mean_g > 0 MXNet still makes the mean image (one pass: its draws are taken),
    but subtracts mean_r/g/b."""
    path = str(tmp_path / 'mean.nd')
    got = run(mean_img=path, **MEAN_RGB)
    np.testing.assert_allclose(mx.nd.load(path)['mean_img'].asnumpy(), G['mean_rgb:mean'],
                               rtol=1e-6, atol=1e-5)
    check('mean_rgb', got, True)


@pytest.mark.parametrize('name, kw', ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_as_mxnet(name, kw):
    """MXNet refuses these (its message in the golden); regluon raises MXNetError with the
    same key words."""
    key = {'pad_width': 'smaller than estimated width: 17',
           'label_width': '15-dimensional label but label_width is set to 7',
           'crop_scales': 'max_crop_scales', 'samplers': 'crop_samplers mismatch',
           'inter': 'invalid inter_method', 'dtype': 'data type do not match',
           'channels': 'Invalid image with index 0. Expected 4 channels, got 3'}[name]
    assert key in G[f'err:{name}'].tobytes().decode()
    with pytest.raises(MXNetError, match=key):
        mx.io.ImageDetRecordIter(path_imgrec=REC, **dict(COMMON, **kw))


def test_bad_labels_and_arguments(tmp_path):
    from regluon import recordio
    from regluon.image.codec import encode_np
    PNG = encode_np(np.zeros((4, 4, 3), np.uint8), img_fmt='.png')
    rec = str(tmp_path / 'bad.rec')
    w = recordio.MXRecordIO(rec, 'w')
    w.write(recordio.pack(recordio.IRHeader(0, [2, 5, 1, 0.1, 0.1], 0, 0), PNG))
    w.close()
    with pytest.raises(MXNetError, match='at least 7'):
        mx.io.ImageDetRecordIter(path_imgrec=rec, **COMMON)
    with pytest.raises(MXNetError, match="det_aug_default"):
        mx.io.ImageDetRecordIter(path_imgrec=REC, aug_seq='aug_default', **COMMON)
    with pytest.raises(MXNetError, match='crop_emit_mode'):
        mx.io.ImageDetRecordIter(path_imgrec=REC, crop_emit_mode='edge', **COMMON)
    with pytest.raises(TypeError, match='keyword'):
        mx.io.ImageDetRecordIter(REC, (3, 8, 10), 2)
    # arguments MXNet does not know are ignored, as its InitAllowUnknown
    got = run(path_imgidx=str(GOLDEN / 'io_det_record.idx'), rand_crop=True, verbose=False)
    np.testing.assert_array_equal(got['data'], G['plain:data'])


def test_engine_is_libstdcxx_mt19937():
    """std::mt19937(5489)'s 10000th output is 4123659995 (the C++ standard's check)."""
    e = det_record._Engine(5489)
    for _ in range(9999):
        e._raw()
    assert e._raw() == 4123659995


def test_reset_mid_epoch_rereads_with_new_draws():
    """reset() before the end re-reads the chunk: the next epoch starts from the first
    record again and takes fresh draws (MXNet never re-seeds)."""
    it = mx.io.ImageDetRecordIter(path_imgrec=REC, rand_mirror_prob=0.5, **COMMON)
    first = next(it).label[0].asnumpy()
    it.reset()
    again = next(it)
    assert list(again.index) == [0, 1]
    boxes = [labels()[0][2:7], labels()[1][3:9]]
    for row, box in zip(again.label[0].asnumpy(), boxes):     # mirrored or not
        obj = row[4 + int(row[4]):][:5]
        assert np.allclose(obj, box[:5]) or np.allclose(obj[[0, 2, 4]], box[[0, 2, 4]])
    assert first.shape == again.label[0].shape


def test_shuffle_chunk_size_one_part_reads_as_without_it(tmp_path):
    """MXNet's InputSplitShuffle cuts the file into ceil(size * 1.1 / (num_parts * chunk
    MB)) parts; with one (a file smaller than the chunk) nothing changes. More parts
    (MXNet's global shuffle of file parts) raise MXNetError in both record iterators."""
    got = run(shuffle_chunk_size=4)
    np.testing.assert_array_equal(got['data'], G['plain:data'])
    kw = dict(path_imgrec=str(GOLDEN / 'io_augment.rec'), data_shape=(3, 5, 6), batch_size=4)
    np.testing.assert_array_equal(
        next(mx.io.ImageRecordIter(shuffle_chunk_size=4, **kw)).data[0].asnumpy(),
        next(mx.io.ImageRecordIter(**kw)).data[0].asnumpy())
    from regluon import recordio
    big = str(tmp_path / 'big.rec')
    w = recordio.MXRecordIO(big, 'w')
    w.write(recordio.pack(recordio.IRHeader(0, 0.0, 0, 0), bytes(1 << 20)))
    w.close()
    with pytest.raises(MXNetError, match='shuffle_chunk_size=1 shuffles 2 parts'):
        mx.io.ImageDetRecordIter(path_imgrec=big, shuffle_chunk_size=1, **COMMON)
    with pytest.raises(MXNetError, match='shuffle_chunk_size=1'):
        mx.io.ImageRecordIter(path_imgrec=big, shuffle_chunk_size=1, data_shape=(3, 8, 10),
                              batch_size=1)


def test_sampler_tuples_in_mxnet_string_syntax():
    """Tuples may come as MXNet's strings ('(0.1, 0.3, 0.5)', '5,25,50'), as the values
    MXNet's C++ parameters parse."""
    kw = dict(dict(CASES_BY_NAME['crop_samplers']), min_crop_scales='(0.1, 0.3, 0.5)',
              max_crop_trials='5,25,50', max_crop_aspect_ratios='[2.0, 1.0, 1.5]')
    got = run(**kw)
    np.testing.assert_allclose(got['label'], G['crop_samplers:label'], rtol=0, atol=1e-7)


def test_chunks_of_8mb_shuffle_and_augment_one_at_a_time(monkeypatch):
    """MXNet parses (augments, then shuffles) one InputSplit chunk at a time; with chunks of
    two records the shuffle stays inside each chunk and every record still comes once per
    epoch."""
    monkeypatch.setattr(det_record, '_CHUNK', 1000)     # the records are ~300-400 bytes
    it = mx.io.ImageDetRecordIter(path_imgrec=REC, shuffle=True, seed=3,
                                  **dict(COMMON, batch_size=1))
    assert it._chunks == [(0, 2), (2, 4), (4, 5)]
    ids = [int(b.index[0]) for b in it]
    assert sorted(ids[:2]) == [0, 1] and sorted(ids[2:4]) == [2, 3] and ids[4:] == [4]
