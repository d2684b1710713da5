"""Running MXNet code unchanged: the `mxnet` alias (regluon.compat.install, `regluon run`),
and mx.contrib.text against MXNet 1.9.1 (tools/golden_io.py, text())."""
import importlib
import os
import subprocess
import sys
import types

import numpy as np
import pytest

import regluon
import regluon.compat as compat
from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
from io_cases import TEXT, TEXT_CASES  # noqa: E402

SCRIPTS = os.path.join(os.path.dirname(__file__), 'compat_scripts')
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
G = golden('io')


@pytest.fixture
def alias():
    compat.install()
    yield
    compat.uninstall()


# every `mxnet.X` a script may import, and the regluon module it must be
SUBMODULES = [
    ('nd', 'regluon.ndarray'), ('ndarray', 'regluon.ndarray'), ('gluon', 'regluon.gluon'),
    ('gluon.nn', 'regluon.gluon.nn'), ('gluon.data.vision', 'regluon.gluon.data.vision'),
    ('gluon.loss', 'regluon.gluon.loss'), ('gluon.utils', 'regluon.gluon.utils'),
    ('gluon.model_zoo.vision', 'regluon.gluon.model_zoo.vision'),
    ('init', 'regluon.initializer'), ('initializer', 'regluon.initializer'),
    ('autograd', 'regluon.autograd'), ('optimizer', 'regluon.optimizer'),
    ('lr_scheduler', 'regluon.lr_scheduler'), ('metric', 'regluon.metric'),
    ('image', 'regluon.image'), ('io', 'regluon.io'), ('recordio', 'regluon.recordio'),
    ('kvstore', 'regluon.kvstore'), ('kv', 'regluon.kvstore'), ('contrib', 'regluon.contrib'),
    ('contrib.text', 'regluon.contrib.text'), ('contrib.nd', 'regluon.contrib.ndarray'),
    ('test_utils', 'regluon.test_utils'), ('base', 'regluon.base'),
    ('context', 'regluon.context'), ('symbol', 'regluon.symbol'), ('sym', 'regluon.symbol'),
    ('visualization', 'regluon.visualization'), ('viz', 'regluon.visualization'),
    ('random', 'regluon.random'), ('module', 'regluon.module'), ('mod', 'regluon.module'),
    ('name', 'regluon.name'), ('model', 'regluon.model'), ('callback', 'regluon.callback'),
    ('contrib.amp', 'regluon.contrib.amp'), ('onnx', 'regluon.onnx'),
    ('executor', 'regluon.symbol.executor'), ('nd.contrib', 'regluon.ndarray.contrib'),
    ('ndarray.contrib', 'regluon.ndarray.contrib'), ('sym.contrib', 'regluon.symbol.contrib'),
    ('nd.random', 'regluon.ndarray.random'), ('nd.linalg', 'regluon.ndarray.linalg'),
    ('contrib.io', 'regluon.contrib.io'), ('contrib.autograd', 'regluon.contrib.autograd'),
    ('contrib.tensorboard', 'regluon.contrib.tensorboard'),
    ('contrib.quantization', 'regluon.contrib.quantization'),
    ('contrib.svrg_optimization', 'regluon.contrib.svrg_optimization'),
    ('contrib.svrg_optimization.svrg_module',
     'regluon.contrib.svrg_optimization.svrg_module'),
    ('contrib.svrg_optimization.svrg_optimizer',
     'regluon.contrib.svrg_optimization.svrg_optimizer'),
]


@pytest.mark.parametrize('name, real', SUBMODULES)
def test_submodules_resolve(alias, name, real):
    assert importlib.import_module('mxnet.' + name) is importlib.import_module(real)


def test_import_forms(alias):
    import mxnet as mx
    from mxnet import nd
    from mxnet.gluon import nn
    from mxnet.io import NDArrayIter
    from mxnet.contrib import text
    assert mx is regluon and nd is regluon.nd and nn is regluon.gluon.nn
    assert NDArrayIter is regluon.io.NDArrayIter and text is regluon.contrib.text
    assert isinstance(mx.nd.ones((2,)), regluon.nd.NDArray)
    for missing in ('mxnet.no_such_module', 'mxnet.nd.no_such_module'):
        with pytest.raises(ImportError, match=missing.replace('.', r'\.')):
            importlib.import_module(missing)


def test_install_refuses_real_mxnet():
    fake = types.ModuleType('mxnet')
    fake.__file__ = '/site-packages/mxnet/__init__.py'
    saved = sys.modules.get('mxnet')
    sys.modules['mxnet'] = fake
    try:
        with pytest.raises(ImportError, match='the real mxnet is already imported'):
            compat.install()
        assert sys.modules['mxnet'] is fake
    finally:
        if saved is None:
            del sys.modules['mxnet']
        else:
            sys.modules['mxnet'] = saved


def run_cli(*args, cwd=SCRIPTS, module=True):
    """`python -m regluon run ARGS` (or the `regluon` console script) in a subprocess."""
    exe = os.path.join(os.path.dirname(sys.executable), 'regluon')
    cmd = [sys.executable, '-m', 'regluon'] if module or not os.path.exists(exe) else [exe]
    env = dict(os.environ, PYTHONPATH=ROOT, OMP_NUM_THREADS='1')
    return subprocess.run(cmd + ['run', *args], cwd=cwd, capture_output=True, text=True,
                          env=env, timeout=120)


@pytest.fixture
def inproc():
    """compat.run in this process, with sys.argv, sys.path[0] and the alias restored after."""
    argv, path0 = sys.argv[:], sys.path[0]
    yield compat.run
    sys.argv[:], sys.path[0] = argv, path0
    compat.uninstall()


def test_run_gives_argv_main_and_path():
    r = run_cli('argv_main.py', 'a', '--b=1')
    assert r.returncode == 0, r.stderr
    assert r.stdout.splitlines() == [
        'name __main__', "argv ['a', '--b=1']",
        'mx regluon regluon.ndarray regluon.gluon.nn.basic_layers', f'path0 {SCRIPTS}']


def test_run_traceback_is_pythons():
    r = run_cli('argv_main.py', 'raise', module=False)     # the console script
    assert r.returncode == 1
    # the script's frames only, with absolute paths, as `python argv_main.py raise` prints
    assert r.stderr.splitlines() == [
        'Traceback (most recent call last):',
        f'  File "{SCRIPTS}/argv_main.py", line 18, in <module>',
        '    fail()',
        f'  File "{SCRIPTS}/argv_main.py", line 10, in fail',
        "    raise ValueError('boom from the script')",
        'ValueError: boom from the script']


@pytest.mark.parametrize('args, code, err', [
    (['exit', '3'], 3, ''),
    (['exit', 'bye'], 1, 'bye'),
    ([], 0, ''),
])
def test_run_exit_status(inproc, capsys, args, code, err):
    script = os.path.join(SCRIPTS, 'argv_main.py')
    main = sys.modules['__main__']
    assert inproc([script, *args]) == code
    out, errs = capsys.readouterr()
    assert errs.strip() == err and f'argv {args}' in out and 'name __main__' in out
    assert sys.modules['__main__'] is main        # the script's __main__ was temporary


def test_run_errors(inproc, capsys, tmp_path):
    assert inproc([str(tmp_path / 'missing.py')]) == 2
    assert "can't open file" in capsys.readouterr().err
    assert inproc([]) == 2 and 'usage: regluon run' in capsys.readouterr().err
    bad = tmp_path / 'bad.py'
    bad.write_text('x = (\n')
    assert inproc([str(bad)]) == 1
    err = capsys.readouterr().err
    assert 'SyntaxError' in err and str(bad) in err and 'compat.py' not in err


def test_run_legacy_module_script(tmp_path):
    """An MXNet 1.x symbolic script (mx.io + mx.mod + mx.callback) runs unmodified."""
    r = run_cli(os.path.join(SCRIPTS, 'mlp_module.py'), str(tmp_path / 'mlp'), cwd=str(tmp_path))
    assert r.returncode == 0, r.stderr
    acc = float(r.stdout.split('validation accuracy')[1].split()[0])
    assert acc > 0.6
    assert (tmp_path / 'mlp-symbol.json').exists() and (tmp_path / 'mlp-0002.params').exists()
    assert 'Epoch[1] Validation-accuracy=' in r.stderr


# ---- mx.contrib.text ---------------------------------------------------------------------
from regluon.contrib import text as T  # noqa: E402


@pytest.mark.parametrize('lower', [False, True])
def test_count_tokens(lower):
    c = T.utils.count_tokens_from_str(TEXT, ' ', '\n', lower)
    assert sorted(f'{k}={v}' for k, v in c.items()) == list(G[f'text:count{int(lower)}'])
    again = T.utils.count_tokens_from_str('is is', counter_to_update=c)
    assert again is c


@pytest.mark.parametrize('name, kw', TEXT_CASES)
def test_vocabulary(name, kw):
    v = T.vocab.Vocabulary(T.utils.count_tokens_from_str(TEXT, ' ', '\n', True), **kw)
    assert v.idx_to_token == list(G[f'text:{name}:idx_to_token'])
    assert v.to_indices(['the', 'zebra', 'life', 'is']) == list(G[f'text:{name}:to_indices'])
    assert len(v) == len(v.idx_to_token) and v.token_to_idx[v.idx_to_token[-1]] == len(v) - 1
    assert v.to_tokens(v.to_indices('life')) == v.to_tokens([v.to_indices('life')])[0]


def test_vocabulary_errors():
    v = T.vocab.Vocabulary()
    assert v.idx_to_token == ['<unk>'] and v.reserved_tokens is None
    with pytest.raises(ValueError, match='Token index 5'):
        v.to_tokens(5)
    with pytest.raises(AssertionError, match='unknown_token'):
        T.vocab.Vocabulary(reserved_tokens=['<unk>'])
    with pytest.raises(AssertionError, match='collections.Counter'):
        T.vocab.Vocabulary({'a': 1})


def test_custom_and_composite_embedding():
    path = str(GOLDEN / 'io_embed.txt')
    with pytest.warns(UserWarning, match='duplicate'):
        emb = T.embedding.CustomEmbedding(path)
    assert emb.idx_to_token == list(G['text:emb:idx_to_token']) and emb.vec_len == 3
    np.testing.assert_array_equal(emb.idx_to_vec.asnumpy(), G['text:emb:idx_to_vec'])
    counter = T.utils.count_tokens_from_str(TEXT, ' ', '\n', True)
    vocab = T.vocab.Vocabulary(counter, most_freq_count=5, reserved_tokens=['<pad>'])
    with pytest.warns(UserWarning):
        emb2 = T.embedding.CustomEmbedding(path, vocabulary=vocab, init_unknown_vec=regluon.nd.ones)
    assert emb2.idx_to_token == list(G['text:emb_vocab:idx_to_token'])
    np.testing.assert_array_equal(emb2.idx_to_vec.asnumpy(), G['text:emb_vocab:idx_to_vec'])
    np.testing.assert_array_equal(emb2.get_vecs_by_tokens(['Life', 'the', 'zzz'], True).asnumpy(),
                                  G['text:emb_vocab:vecs'])
    assert emb2.get_vecs_by_tokens('the').shape == (3,)
    emb2.update_token_vectors(['the', '<pad>'], regluon.nd.array([[5, 5, 5], [6, 6, 6]]))
    np.testing.assert_array_equal(emb2.idx_to_vec.asnumpy(), G['text:emb_vocab:updated'])
    with pytest.raises(ValueError, match='Token zebra is unknown'):
        emb2.update_token_vectors('zebra', regluon.nd.ones((3,)))
    comp = T.embedding.CompositeEmbedding(vocab, [emb, emb2])
    np.testing.assert_array_equal(comp.idx_to_vec.asnumpy(), G['text:composite'])
    with pytest.raises(ValueError, match='valid path'):
        T.embedding.CustomEmbedding(str(GOLDEN / 'no_such_embedding.txt'))


def test_pretrained_names_and_offline_download(tmp_path, monkeypatch):
    assert T.embedding.get_pretrained_file_names('glove') == list(G['text:glove_files'])
    assert sorted(T.embedding.get_pretrained_file_names()) == list(G['text:names'])
    with pytest.raises(KeyError, match='Cannot find pretrained file nope.txt'):
        T.embedding.create('GloVe', pretrained_file_name='nope.txt')
    with pytest.raises(KeyError, match='Cannot find `embedding_name` word2vec'):
        T.embedding.get_pretrained_file_names('word2vec')
    # an unreachable repository: a clear error naming the URL, nothing left half-written
    monkeypatch.setenv('MXNET_GLUON_REPO', 'http://127.0.0.1:9/')
    with pytest.raises(regluon.base.MXNetError, match='glove.6B.zip'):
        T.embedding.create('glove', pretrained_file_name='glove.6B.50d.txt',
                           embedding_root=str(tmp_path))


def test_import_leaves_torch_dynamo_unloaded():
    """`import regluon` must stay cheap: torch._dynamo (seconds to import) is loaded only
    by what compiles (hybridize with static_alloc on a CPU), not by the operator modules."""
    r = subprocess.run([sys.executable, '-c', "import sys, regluon, regluon.compat; "
                        "print('torch._dynamo' in sys.modules)"],
                       capture_output=True, text=True, cwd=ROOT, timeout=300)
    assert r.returncode == 0, r.stderr[-2000:]
    assert r.stdout.strip() == 'False'


def test_importing_mxnet_contrib_paths_keeps_symbol_contrib(alias):
    """`import mxnet.symbol.contrib` (and mx.contrib.sym) give the functions of
    mx.sym.contrib, which name nodes as MXNet does (arange_like0, not _contrib_...)."""
    import mxnet.symbol.contrib  # noqa: F401  pylint: disable=import-outside-toplevel
    import mxnet.contrib.symbol as csym  # pylint: disable=import-outside-toplevel
    assert regluon.symbol.contrib is sys.modules['mxnet.symbol.contrib']
    x = regluon.sym.var('x')
    with regluon.name.NameManager():
        assert regluon.sym.contrib.arange_like(x).name == 'arange_like0'
        assert csym.arange_like(x).name == 'arange_like1'


def test_registered_embedding_without_archive_hashes(tmp_path, monkeypatch):
    """A token embedding registered by a user names its files' SHA-1s only (MXNet's
    test_download_embed): the file in place is loaded, nothing downloaded."""
    import hashlib
    content = b'hello 0.1 0.2\nworld 0.3 0.4\n'
    folder = tmp_path / 'userembed'
    folder.mkdir()
    # registered only for this test (other tests list the registered embeddings)
    monkeypatch.setattr(T.embedding, '_REGISTRY', dict(T.embedding._REGISTRY))
    (folder / 'user.vec').write_bytes(content)

    @T.embedding.register
    class UserEmbed(T.embedding._TokenEmbedding):  # pylint: disable=unused-variable
        pretrained_file_name_sha1 = {'user.vec': hashlib.sha1(content).hexdigest()}
        namespace = 'userembed'

        def __init__(self, embedding_root=str(tmp_path), **kwargs):
            UserEmbed._check_pretrained_file_names('user.vec')
            super().__init__(**kwargs)
            path = UserEmbed._get_pretrained_file(embedding_root, 'user.vec')
            self._load_embedding(path, ' ', regluon.nd.zeros)

    emb = T.embedding.create('userembed')
    assert emb.vec_len == 2
    np.testing.assert_allclose(emb.get_vecs_by_tokens('world').asnumpy(), [0.3, 0.4],
                               rtol=1e-6)
