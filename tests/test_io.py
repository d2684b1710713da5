"""mx.io against MXNet 1.9.1 (tools/golden_io.py): the batches, pads and epoch lengths of
NDArrayIter (every last_batch_handle, shuffling with numpy's seed), MNISTIter, CSVIter and
ImageRecordIter, over several epochs with reset()."""
import sys

import numpy as np
import pytest

import regluon as mx
from regluon.base import MXNetError
from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
from io_cases import ND_CASES, nd_input  # noqa: E402

G = golden('io')
IMAGES, LABELS = str(GOLDEN / 'io_mnist-images'), str(GOLDEN / 'io_mnist-labels')
CSV_DATA, CSV_LABEL = str(GOLDEN / 'io_data.csv'), str(GOLDEN / 'io_label.csv')
REC = str(GOLDEN / 'io_images.rec')


def check_epochs(name, it, epochs=3, atol=0.0):
    """Compare `epochs` epochs of batches (contents, pads, counts) with MXNet's."""
    for e in range(epochs):
        n = 0
        for b, batch in enumerate(it):
            for i, a in enumerate(batch.data):
                want = G[f'{name}:{e}:{b}:data{i}']
                assert a.dtype == want.dtype, (name, e, b, i)
                np.testing.assert_allclose(a.asnumpy(), want, atol=atol,
                                           err_msg=f'{name}:{e}:{b}')
            for i, a in enumerate(batch.label or []):
                np.testing.assert_allclose(a.asnumpy(), G[f'{name}:{e}:{b}:label{i}'], atol=atol)
            assert batch.pad == G[f'{name}:{e}:{b}:pad'], (name, e, b)
            n = b + 1
        assert n == G[f'{name}:{e}:count'], (name, e)
        it.reset()
    assert [f'{d.name}{d.shape}' for d in it.provide_data] == list(G[f'{name}:provide_data'])
    assert [f'{d.name}{d.shape}' for d in it.provide_label] == list(G[f'{name}:provide_label'])


@pytest.mark.parametrize('name, n, bs, handle, shuffle, kind', ND_CASES)
def test_ndarrayiter(name, n, bs, handle, shuffle, kind):
    np.random.seed(0)
    x, y = nd_input(n, kind)
    check_epochs(name, mx.io.NDArrayIter(x, y, bs, shuffle, last_batch_handle=handle))


def test_ndarrayiter_inputs_and_errors():
    it = mx.io.NDArrayIter(mx.nd.ones((5, 3)), batch_size=2, layout='NC')
    assert it.provide_label == [] and next(it).label == []
    assert it.provide_data[0].layout == 'NC' and it.provide_data[0].dtype == np.float32
    with pytest.raises(TypeError, match='Input must be'):
        mx.io.NDArrayIter(5)
    with pytest.raises(ValueError, match="last_batch_handle"):
        mx.io.NDArrayIter(np.ones((4, 2)), last_batch_handle='keep')
    it = mx.io.NDArrayIter(np.ones((4, 2)), batch_size=2, last_batch_handle='discard')
    list(it)
    with pytest.raises(StopIteration):
        next(it)


def test_resize_and_prefetching():
    it = mx.io.NDArrayIter(np.zeros((10, 3)), batch_size=4)
    assert len(list(mx.io.ResizeIter(it, 5))) == G['resize:count']
    a = mx.io.NDArrayIter({'data': np.arange(6.).reshape(6, 1)}, np.arange(6.), batch_size=4)
    b = mx.io.NDArrayIter({'data': -np.arange(6.).reshape(6, 1)}, np.arange(6.), batch_size=4)
    p = mx.io.PrefetchingIter([a, b], rename_data=[{'data': 'd1'}, {'data': 'd2'}])
    assert [d.name for d in p.provide_data] == ['d1', 'd2']
    batches = list(p)
    assert [x.pad for x in batches] == [0, 2]
    np.testing.assert_array_equal(batches[1].data[1].asnumpy().ravel(), [-4, -5, 0, -1])
    p.reset()
    assert len(list(p)) == 2


def test_databatch_and_datadesc():
    d = mx.io.DataDesc('x', (2, 3), layout='NTC')
    assert d == ('x', (2, 3)) and d.dtype == np.float32
    assert repr(d) == "DataDesc[x,(2, 3),<class 'numpy.float32'>,NTC]"
    assert mx.io.DataDesc.get_batch_axis('TNC') == 1 and mx.io.DataDesc.get_batch_axis(None) == 0
    b = mx.io.DataBatch([mx.nd.ones((2, 3))], [mx.nd.ones((2,))], pad=1)
    assert str(b) == 'DataBatch: data shapes: [(2, 3)] label shapes: [(2,)]'
    with pytest.raises(AssertionError):
        mx.io.DataBatch(mx.nd.ones((2,)))


@pytest.mark.parametrize('flat', [False, True])
def test_mnistiter(flat):
    it = mx.io.MNISTIter(image=IMAGES, label=LABELS, batch_size=4, shuffle=False, flat=flat)
    check_epochs(f'mnist_flat{int(flat)}', it, 2)
    assert isinstance(it, mx.io.MXDataIter) and isinstance(it, mx.io.DataIter)


def test_mnistiter_parts_shuffle_and_errors():
    it = mx.io.MNISTIter(image=IMAGES, label=LABELS, batch_size=2, shuffle=False,
                         num_parts=2, part_index=1)
    check_epochs('mnist_part', it, 1)
    # shuffled as MXNet shuffles (its C++ std::shuffle with mt19937(seed))
    check_epochs('mnist_shuffle', mx.io.MNISTIter(image=IMAGES, label=LABELS, batch_size=3,
                                                  seed=3, flat=True), 2)
    check_epochs('mnist_shuffle_part', mx.io.MNISTIter(
        image=IMAGES, label=LABELS, batch_size=2, seed=5, num_parts=2, part_index=1,
        flat=True), 1)
    from regluon.io.native import _cpp_shuffle
    np.testing.assert_array_equal(_cpp_shuffle(256, 11), G['mnist_perm256'])
    with pytest.raises(TypeError, match='keyword'):
        mx.io.MNISTIter(IMAGES)
    with pytest.raises(MXNetError, match='magic number 2051'):
        mx.io.MNISTIter(image=LABELS, label=LABELS)


@pytest.mark.parametrize('rb', [True, False])
def test_csviter(rb):
    it = mx.io.CSVIter(data_csv=CSV_DATA, data_shape=(2, 3), label_csv=CSV_LABEL,
                       batch_size=3, round_batch=rb)
    check_epochs(f'csv_round{int(rb)}', it, 4)


def test_csviter_int_and_errors(tmp_path):
    check_epochs('csv_int', mx.io.CSVIter(data_csv=CSV_DATA, data_shape=(6,), batch_size=2,
                                          dtype='int32'), 2)
    with pytest.raises(MXNetError, match=r'6 values per line, but the shape \(4,\) needs 4'):
        mx.io.CSVIter(data_csv=CSV_DATA, data_shape=(4,), batch_size=2)
    short = tmp_path / 'short.csv'
    short.write_text('1\n2\n')
    with pytest.raises(MXNetError, match='has 5 rows but label_csv .* has 2'):
        mx.io.CSVIter(data_csv=CSV_DATA, data_shape=(6,), batch_size=2, label_csv=str(short))
    with pytest.raises(MXNetError, match='cannot read data_csv'):
        mx.io.CSVIter(data_csv=str(tmp_path / 'missing.csv'), data_shape=(4,), batch_size=2)


def test_imagerecorditer():
    check_epochs('imgrec', mx.io.ImageRecordIter(path_imgrec=REC, data_shape=(3, 6, 6),
                                                 batch_size=2), 2)
    check_epochs('imgrec_norm', mx.io.ImageRecordIter(
        path_imgrec=REC, data_shape=(3, 4, 5), batch_size=3, mean_r=100, mean_g=110,
        mean_b=120, std_r=50, std_g=60, std_b=70, scale=0.5), 2, atol=1e-6)
    check_epochs('imgrec_aug', mx.io.ImageRecordIter(
        path_imgrec=REC, data_shape=(3, 5, 5), batch_size=2, resize=6, pad=1, fill_value=7,
        mirror=True, num_parts=2, part_index=1), 1)   # resize: exact (image/resize.py)
    # a file smaller than the shuffle chunk is one part: MXNet reads it as without it
    kw = dict(path_imgrec=REC, data_shape=(3, 4, 4), batch_size=2)
    np.testing.assert_array_equal(
        next(mx.io.ImageRecordIter(shuffle_chunk_size=4, **kw)).data[0].asnumpy(),
        next(mx.io.ImageRecordIter(**kw)).data[0].asnumpy())
    # round_batch=False: MXNet 1.9.1's ImageRecordIter reports pad=0 and leaves unnormalized
    # pixels in the filler row; here pad counts the filler rows, as DataBatch documents.
    it = mx.io.ImageRecordIter(path_imgrec=REC, data_shape=(3, 4, 5), batch_size=3,
                               round_batch=False)
    assert [b.pad for b in it] == [0, 1]
    # as MXNet, an image smaller than data_shape is scaled up (test_io_augment: 'upscale')
    assert next(mx.io.ImageRecordIter(path_imgrec=REC, data_shape=(3, 9, 9),
                                      batch_size=2)).data[0].shape == (2, 3, 9, 9)
    with pytest.raises(MXNetError, match='label_width is set to 2'):
        mx.io.ImageRecordIter(path_imgrec=REC, data_shape=(3, 4, 4), batch_size=2, label_width=2)
    it = mx.io.ImageRecordIter(path_imgrec=REC, data_shape=(3, 4, 4), batch_size=5,
                               rand_crop=True, rand_mirror=True, shuffle=True)
    labels = next(it).label[0].asnumpy()
    np.testing.assert_array_equal(np.sort(labels), np.arange(5) + 0.5)
