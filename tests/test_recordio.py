"""mx.recordio: byte compatibility with files MXNet 1.9.1 wrote (tests/golden/data_*.rec)."""
import pickle
import shutil
import struct

import numpy as np
import pytest

from regluon import recordio
from regluon.base import MXNetError
from regluon.gluon.data import RecordFileDataset, DataLoader
from regluon.gluon.data.vision import ImageRecordDataset

from conftest import golden, GOLDEN

G = golden('data')
N = int(G['rec:n'])
PAYLOADS = [G[f'rec:{i}'].tobytes() for i in range(N)]
REC, IDX = str(GOLDEN / 'data_records.rec'), str(GOLDEN / 'data_records.idx')


def test_read_mxnet_file_sequentially():
    r = recordio.MXRecordIO(REC, 'r')
    assert [r.read() for _ in range(N)] == PAYLOADS
    assert r.read() is None
    r.reset()
    assert r.read() == PAYLOADS[0]
    r.close()


def test_read_mxnet_file_by_key():
    r = recordio.MXIndexedRecordIO(IDX, REC, 'r')
    assert r.keys == [i * 10 for i in range(N)]
    for i in reversed(range(N)):
        assert r.read_idx(i * 10) == PAYLOADS[i]
    with pytest.raises(KeyError, match='no record with key 3'):
        r.read_idx(3)


def test_write_is_byte_identical(tmp_path):
    rec, idx = str(tmp_path / 'a.rec'), str(tmp_path / 'a.idx')
    w = recordio.MXIndexedRecordIO(idx, rec, 'w')
    for i, p in enumerate(PAYLOADS):
        w.write_idx(i * 10, p)
    w.close()
    assert open(rec, 'rb').read() == open(REC, 'rb').read()
    assert open(idx).read() == open(IDX).read()


@pytest.mark.parametrize('i, header, payload', [
    (0, (0, 3.5, 7, 0), b'payload'),
    (1, (0, [1.0, 2.5, -3.0], 8, 1), b'xyz'),
    (2, (5, 2.0, 2 ** 40, 3), b''),
])
def test_pack_unpack(i, header, payload):
    packed = recordio.pack(recordio.IRHeader(*header), payload)
    assert packed == G[f'pack:{i}'].tobytes()
    h, s = recordio.unpack(packed)
    assert s == payload and h.id == header[2] and h.id2 == header[3]
    np.testing.assert_array_equal(np.atleast_1d(h.label), np.atleast_1d(header[1]))
    assert h.flag == (0 if np.isscalar(header[1]) else len(header[1]))


def test_image_record_dataset_matches_mxnet():
    ds = ImageRecordDataset(str(GOLDEN / 'data_images.rec'))
    assert len(ds) == G['imgrec:len']
    for i in range(len(ds)):
        img, label = ds[i]
        assert img.dtype == np.uint8
        np.testing.assert_array_equal(img.asnumpy(), G[f'imgrec:{i}:img'])
        np.testing.assert_array_equal(np.asarray(label), G[f'imgrec:{i}:label'])
    gray = ImageRecordDataset(str(GOLDEN / 'data_images.rec'), flag=0)[0][0]
    assert gray.shape == G['imgrec:gray0'].shape
    # OpenCV and Pillow round the luma differently by at most one level
    assert np.abs(gray.asnumpy().astype(int) - G['imgrec:gray0']).max() <= 1


def test_record_file_dataset_with_workers():
    ds = RecordFileDataset(REC)
    assert len(ds) == N and ds[3] == PAYLOADS[3]
    got = list(DataLoader(ds, 4, num_workers=2, batchify_fn=list))
    assert [p for b in got for p in b] == PAYLOADS
    r = pickle.loads(pickle.dumps(ds._record))    # reopens the file in the copy
    assert r.read_idx(10) == PAYLOADS[1]


def test_pack_img_roundtrip():
    img = np.random.RandomState(0).randint(0, 256, (6, 5, 3)).astype(np.uint8)
    h, back = recordio.unpack_img(recordio.pack_img((0, 1.0, 0, 0), img, img_fmt='.png'))
    np.testing.assert_array_equal(back, img)       # BGR in, BGR out, as OpenCV
    smooth = np.broadcast_to(np.arange(0, 240, 10, dtype=np.uint8)[:, None, None], (24, 16, 3))
    _, jpg = recordio.unpack_img(recordio.pack_img((0, 1.0, 0, 0), smooth, quality=95))
    assert jpg.shape == smooth.shape and np.abs(jpg.astype(int) - smooth).max() <= 4


@pytest.mark.parametrize('mutate, match', [
    (lambda b: b'\x00' * 4 + b[4:], 'bad magic number 0x00000000'),
    (lambda b: b[:6], 'truncated record header'),
    (lambda b: b[:-6], 'truncated record'),
])
def test_corrupt_files(tmp_path, mutate, match):
    path = tmp_path / 'bad.rec'
    w = recordio.MXRecordIO(str(path), 'w')
    w.write(b'0123456789ab')
    w.close()
    path.write_bytes(mutate(path.read_bytes()))
    r = recordio.MXRecordIO(str(path), 'r')
    with pytest.raises(MXNetError, match=match + '.*') as info:
        r.read()
    assert 'bad.rec' in str(info.value)


def test_open_and_index_errors(tmp_path):
    with pytest.raises(MXNetError, match='cannot open'):
        recordio.MXRecordIO(str(tmp_path / 'missing.rec'), 'r')
    with pytest.raises(ValueError, match='Invalid flag'):
        recordio.MXRecordIO(str(tmp_path / 'x.rec'), 'a')
    shutil.copy(REC, tmp_path / 'c.rec')
    (tmp_path / 'c.idx').write_text('0\t0\nnot-a-line\n')
    with pytest.raises(MXNetError, match="line 2 of index"):
        recordio.MXIndexedRecordIO(str(tmp_path / 'c.idx'), str(tmp_path / 'c.rec'), 'r')
    with pytest.raises(MXNetError, match='24-byte header'):
        recordio.unpack(b'short')
    with pytest.raises(MXNetError, match='3 label floats'):
        recordio.unpack(struct.pack('IfQQ', 3, 0, 0, 0) + b'\0' * 4)
