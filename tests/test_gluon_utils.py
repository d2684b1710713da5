"""gluon.utils: split_data/split_and_load, clip_global_norm (MXNet 1.9.1 goldens from
tools/golden_training.py), check_sha1 and download (offline: local files and an
unreachable local port only)."""
import hashlib
import sys
import http.server
import threading
import warnings

import numpy as np
import pytest

import regluon as mx
from regluon import nd
from regluon.base import MXNetError
from regluon.gluon import utils
from conftest import GOLDEN, golden

G = golden('training_utils')


@pytest.mark.parametrize('i, n, axis, transpose', [(0, 3, 0, False), (1, 2, 1, True),
                                                   (2, 7, 0, False)])
def test_split_data_uneven(i, n, axis, transpose):
    x = G['split_x'].T.copy() if transpose else G['split_x']
    parts = utils.split_data(nd.array(x), n, batch_axis=axis, even_split=False)
    assert [p.shape[axis] for p in parts] == G[f'split_{i}_sizes'].tolist()
    np.testing.assert_array_equal(np.concatenate([p.asnumpy() for p in parts], axis=axis),
                                  G[f'split_{i}_cat'])


def test_split_data_even_error():
    with pytest.raises(ValueError, match=r'shape \(7, 3\) cannot be evenly split into 3 '
                                         r'slices along axis 0'):
        utils.split_data(nd.array(G['split_x']), 3)


def test_split_and_load_contexts():
    ctxs = [mx.cpu(0), mx.cpu(1)]
    parts = utils.split_and_load(np.arange(12).reshape(4, 3), ctxs)
    assert [p.context for p in parts] == ctxs
    assert [p.shape for p in parts] == [(2, 3), (2, 3)]
    assert parts[0].dtype == np.float32                   # nd.array's default, as in MXNet
    np.testing.assert_array_equal(parts[1].asnumpy(), [[6, 7, 8], [9, 10, 11]])
    one = utils.split_and_load(nd.ones((3, 2)), [mx.cpu(1)])
    assert len(one) == 1 and one[0].shape == (3, 2) and one[0].context == mx.cpu(1)


@pytest.mark.parametrize('j, max_norm', [(0, 1.0), (1, 100.0)])
def test_clip_global_norm(j, max_norm):
    arrs = [nd.array(G[f'clip_in{i}']) for i in range(3)]
    norm = utils.clip_global_norm(arrs, max_norm)
    assert norm == pytest.approx(float(G[f'clip_{j}_norm']), rel=1e-6)
    for i, a in enumerate(arrs):                          # scaled in place
        np.testing.assert_allclose(a.asnumpy(), G[f'clip_{j}_out{i}'], rtol=1e-6, atol=1e-7)


def test_clip_global_norm_nonfinite_and_ndarray_result():
    a = nd.array([1.0, float('inf')])
    with pytest.warns(UserWarning, match='nan or inf is detected'):
        utils.clip_global_norm([a], 1.0)
    b = nd.array([3.0, 4.0])
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        total = utils.clip_global_norm([b], 1.0, check_isfinite=False)
    assert isinstance(total, nd.NDArray) and total.shape == (1,)
    np.testing.assert_allclose(b.asnumpy(), [0.6, 0.8], rtol=1e-6)


def test_check_sha1(tmp_path):
    f = tmp_path / 'a.bin'
    f.write_bytes(b'regluon' * 1000)
    assert utils.check_sha1(str(f), hashlib.sha1(b'regluon' * 1000).hexdigest())
    assert not utils.check_sha1(str(f), '0' * 40)
    g = tmp_path / 'b.bin'
    utils.replace_file(str(f), str(g))
    assert g.read_bytes() == b'regluon' * 1000 and not f.exists()


def test_download_unreachable_is_clear_error(tmp_path, capsys):
    url = 'http://127.0.0.1:9/model.params'
    with pytest.raises(MXNetError, match=r'failed to fetch http://127.0.0.1:9/model.params '
                                         r'.* after 2 attempt\(s\)'):
        utils.download(url, path=str(tmp_path), retries=2)
    out = capsys.readouterr().out
    assert out.count('Downloading') == 2 and '1 attempt left' in out
    assert list(tmp_path.iterdir()) == []                 # no partial file left behind


def test_download_existing_file_is_kept(tmp_path):
    f = tmp_path / 'x.txt'
    f.write_bytes(b'hello')
    # the URL is never contacted: the file exists and its hash matches
    assert utils.download('http://127.0.0.1:9/x.txt', path=str(f),
                          sha1_hash=hashlib.sha1(b'hello').hexdigest()) == str(f)
    with pytest.raises(ValueError, match='retries should be at least 0'):
        utils.download('http://127.0.0.1:9/x.txt', path=str(f), overwrite=True, retries=-1)


@pytest.fixture
def local_server(tmp_path):
    root = tmp_path / 'srv'
    root.mkdir()
    (root / 'data.bin').write_bytes(b'payload' * 100)

    class Handler(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a, **kw):
            super().__init__(*a, directory=str(root), **kw)

        def log_message(self, *a):
            pass
    srv = http.server.ThreadingHTTPServer(('127.0.0.1', 0), Handler)
    threading.Thread(target=srv.serve_forever, daemon=True).start()
    yield f'http://127.0.0.1:{srv.server_address[1]}'
    srv.shutdown()


def test_download_local_server_and_hash(local_server, tmp_path):
    dst = tmp_path / 'out'
    dst.mkdir()
    good = hashlib.sha1(b'payload' * 100).hexdigest()
    fname = utils.download(local_server + '/data.bin', path=str(dst), sha1_hash=good)
    assert fname == str(dst / 'data.bin') and (dst / 'data.bin').read_bytes() == b'payload' * 100
    with pytest.raises(UserWarning, match='content hash does not match'):
        utils.download(local_server + '/data.bin', path=str(dst), sha1_hash='0' * 40,
                       retries=1)
    with pytest.raises(MXNetError, match='HTTPError 404'):
        utils.download(local_server + '/missing.bin', path=str(dst), retries=1)


def test_gluon_utils_private_helpers_as_mxnet():
    # private API GluonNLP 0.10 imports (golden: tools/golden_private_api.py)
    sys.path.insert(0, str(GOLDEN))
    import private_api_cases  # noqa: E402
    want = golden('private_api')
    got = private_api_cases.CASES['gluon_utils'](mx)
    assert {k[len('gluon_utils/'):] for k in want if k.startswith('gluon_utils/')} == set(got)
    for k, v in got.items():
        assert v == str(want[f'gluon_utils/{k}']), k
