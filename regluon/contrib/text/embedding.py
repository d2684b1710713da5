"""Token embeddings: vectors for the tokens of a vocabulary, loaded from a text file of
`token v1 v2 ...` lines (CustomEmbedding) or a pre-trained GloVe/fastText file, which is
downloaded only when such an embedding is created."""
import logging
import os
import tarfile
import warnings
import zipfile

from ... import ndarray as nd
from . import _constants as C
from . import vocab

__all__ = ['register', 'create', 'get_pretrained_file_names', 'GloVe', 'FastText',
           'CustomEmbedding', 'CompositeEmbedding']

_REGISTRY = {}


def register(embedding_cls):
    """Register a token embedding class (by its lower-case name) for `create`."""
    name = embedding_cls.__name__.lower()
    if name in _REGISTRY:
        warnings.warn(f"New token embedding {embedding_cls.__module__}.{embedding_cls.__name__} "
                      f"is overriding existing token embedding {name}")
    _REGISTRY[name] = embedding_cls
    return embedding_cls


def create(embedding_name, **kwargs):
    """An instance of the registered embedding `embedding_name` (case-insensitive).

    Parameters
    ----------
    embedding_name : str
        The token embedding name, e.g. 'glove' or 'fasttext'.
    **kwargs
        Passed on, e.g. `pretrained_file_name`, `embedding_root`, `vocabulary`.
    """
    if isinstance(embedding_name, _TokenEmbedding):
        assert not kwargs, "token embedding is already an instance. Additional arguments are invalid"
        return embedding_name
    name = embedding_name.lower()
    assert name in _REGISTRY, (f"{name} is not registered. Please register with token "
                               "embedding.register first")
    return _REGISTRY[name](**kwargs)


def get_pretrained_file_names(embedding_name=None):
    """The pre-trained file names of `embedding_name`, or a dict of them for every embedding."""
    if embedding_name is not None:
        if embedding_name not in _REGISTRY:
            raise KeyError(f'Cannot find `embedding_name` {embedding_name}. Use '
                           '`get_pretrained_file_names(embedding_name=None).keys()` to get all '
                           'the valid embedding names.')
        return list(_REGISTRY[embedding_name].pretrained_file_name_sha1.keys())
    return {name: list(cls.pretrained_file_name_sha1.keys()) for name, cls in _REGISTRY.items()}


def _data_dir():
    # MXNet's base.data_dir(): $MXNET_HOME, else ~/.mxnet
    return os.environ.get('MXNET_HOME', os.path.join('~', '.mxnet'))


class _TokenEmbedding(vocab.Vocabulary):
    """Token embedding base class: a Vocabulary with `idx_to_vec` (one row per token;
    row 0, the unknown token, from the file if it has one, else `init_unknown_vec`)."""

    @classmethod
    def _get_download_file_name(cls, pretrained_file_name):
        return pretrained_file_name

    @classmethod
    def _get_pretrained_file_url(cls, pretrained_file_name):
        repo_url = os.environ.get('MXNET_GLUON_REPO', C.APACHE_REPO_URL)
        return (f'{repo_url}gluon/embeddings/{cls.__name__.lower()}/'
                f'{cls._get_download_file_name(pretrained_file_name)}')

    @classmethod
    def _get_pretrained_file(cls, embedding_root, pretrained_file_name):
        from ...gluon.utils import check_sha1, download
        embedding_dir = os.path.join(os.path.expanduser(embedding_root), cls.__name__.lower())
        path = os.path.join(embedding_dir, pretrained_file_name)
        url = cls._get_pretrained_file_url(pretrained_file_name)
        downloaded = os.path.join(embedding_dir, os.path.basename(url))
        file_hash = cls.pretrained_file_name_sha1[pretrained_file_name]
        # a registered subclass may name no archives (MXNet's test embedding): the file's own
        archives = getattr(cls, 'pretrained_archive_name_sha1', None) or {}
        archive_hash = archives.get(os.path.basename(url), file_hash)
        if not os.path.exists(path) or not check_sha1(path, file_hash):
            download(url, downloaded, sha1_hash=archive_hash)
            ext = os.path.splitext(downloaded)[1]
            if ext == '.zip':
                with zipfile.ZipFile(downloaded, 'r') as zf:
                    zf.extractall(embedding_dir)
            elif ext == '.gz':
                with tarfile.open(downloaded, 'r:gz') as tar:
                    tar.extractall(path=embedding_dir)
        return path

    def _load_embedding(self, pretrained_file_path, elem_delim, init_unknown_vec,
                        encoding='utf8'):
        """Read `token v1 ... vk` lines; the first vector of a repeated token wins."""
        pretrained_file_path = os.path.expanduser(pretrained_file_path)
        if not os.path.isfile(pretrained_file_path):
            raise ValueError('`pretrained_file_path` must be a valid path to the pre-trained '
                             f'token embedding file; got {pretrained_file_path!r}')
        logging.info('Loading pre-trained token embedding vectors from %s', pretrained_file_path)
        vec_len, rows, tokens, loaded_unknown_vec = None, [], set(), None
        with open(pretrained_file_path, 'r', encoding=encoding) as f:
            for line_num, line in enumerate(f, 1):
                elems = line.rstrip().split(elem_delim)
                assert len(elems) > 1, (
                    f'At line {line_num} of the pre-trained text embedding file: the data format '
                    f'of the pre-trained token embedding file {pretrained_file_path} is unexpected.')
                token, elems = elems[0], [float(i) for i in elems[1:]]
                if token == self.unknown_token and loaded_unknown_vec is None:
                    loaded_unknown_vec = elems
                    tokens.add(self.unknown_token)
                elif token in tokens:
                    warnings.warn(f'At line {line_num} of the pre-trained token embedding file: '
                                  f'the embedding vector for token {token} has been loaded and a '
                                  'duplicate embedding for the  same token is seen and skipped.')
                elif len(elems) == 1:
                    warnings.warn(f'At line {line_num} of the pre-trained text embedding file: '
                                  f'token {token} with 1-dimensional vector {elems} is likely a '
                                  'header and is skipped.')
                else:
                    if vec_len is None:
                        vec_len = len(elems)
                        rows.append([0.0] * vec_len)     # row 0: the unknown token
                    assert len(elems) == vec_len, (
                        f'At line {line_num} of the pre-trained token embedding file: the '
                        f'dimension of token {token} is {len(elems)} but the dimension of '
                        f'previous tokens is {vec_len}. Dimensions of all the tokens must be '
                        'the same.')
                    rows.append(elems)
                    self._idx_to_token.append(token)
                    self._token_to_idx[token] = len(self._idx_to_token) - 1
                    tokens.add(token)
        self._vec_len = vec_len
        self._idx_to_vec = nd.array(rows).reshape((-1, self.vec_len))
        if loaded_unknown_vec is None:
            self._idx_to_vec[C.UNKNOWN_IDX] = init_unknown_vec(shape=self.vec_len)
        else:
            self._idx_to_vec[C.UNKNOWN_IDX] = nd.array(loaded_unknown_vec)

    def _index_tokens_from_vocabulary(self, vocabulary):
        self._token_to_idx = vocabulary.token_to_idx.copy()
        self._idx_to_token = vocabulary.idx_to_token[:]
        self._unknown_token = vocabulary.unknown_token
        self._reserved_tokens = None if vocabulary.reserved_tokens is None else \
            vocabulary.reserved_tokens[:]

    def _set_idx_to_vec_by_embeddings(self, token_embeddings, vocab_len, vocab_idx_to_token):
        """Rows for the vocabulary's tokens: the embeddings' vectors side by side."""
        new_vec_len = sum(embed.vec_len for embed in token_embeddings)
        new_idx_to_vec = nd.zeros(shape=(vocab_len, new_vec_len))
        col_start = 0
        for embed in token_embeddings:
            col_end = col_start + embed.vec_len
            new_idx_to_vec[0, col_start:col_end] = embed.idx_to_vec[0]
            new_idx_to_vec[1:, col_start:col_end] = embed.get_vecs_by_tokens(vocab_idx_to_token[1:])
            col_start = col_end
        self._vec_len = new_vec_len
        self._idx_to_vec = new_idx_to_vec

    def _build_embedding_for_vocabulary(self, vocabulary):
        if vocabulary is not None:
            assert isinstance(vocabulary, vocab.Vocabulary), \
                'The argument `vocabulary` must be an instance of ' \
                'mxnet.contrib.text.vocab.Vocabulary.'
            self._set_idx_to_vec_by_embeddings([self], len(vocabulary), vocabulary.idx_to_token)
            self._index_tokens_from_vocabulary(vocabulary)

    @property
    def vec_len(self):
        """The length of each token's vector."""
        return self._vec_len

    @property
    def idx_to_vec(self):
        """NDArray (len(self), vec_len): the vector of each indexed token."""
        return self._idx_to_vec

    def get_vecs_by_tokens(self, tokens, lower_case_backup=False):
        """The vector of a token (1-D) or of a list of tokens (2-D); unknown tokens get row 0.
        With `lower_case_backup`, a token not found is looked up in lower case."""
        to_reduce = not isinstance(tokens, list)
        tokens = [tokens] if to_reduce else tokens
        if lower_case_backup:
            indices = [self.token_to_idx[t] if t in self.token_to_idx
                       else self.token_to_idx.get(t.lower(), C.UNKNOWN_IDX) for t in tokens]
        else:
            indices = [self.token_to_idx.get(t, C.UNKNOWN_IDX) for t in tokens]
        vecs = nd.Embedding(nd.array(indices), self.idx_to_vec, self.idx_to_vec.shape[0],
                            self.idx_to_vec.shape[1])
        return vecs[0] if to_reduce else vecs

    def update_token_vectors(self, tokens, new_vectors):
        """Set the vectors of known `tokens` to `new_vectors` (1-D or 2-D NDArray)."""
        assert self.idx_to_vec is not None, 'The property `idx_to_vec` has not been properly set.'
        if not isinstance(tokens, list) or len(tokens) == 1:
            assert isinstance(new_vectors, nd.NDArray) and len(new_vectors.shape) in [1, 2], \
                '`new_vectors` must be a 1-D or 2-D NDArray if `tokens` is a singleton.'
            tokens = tokens if isinstance(tokens, list) else [tokens]
            if len(new_vectors.shape) == 1:
                new_vectors = nd.expand_dims(new_vectors, axis=0)
        else:
            assert isinstance(new_vectors, nd.NDArray) and len(new_vectors.shape) == 2, \
                '`new_vectors` must be a 2-D NDArray if `tokens` is a list of multiple strings.'
        assert new_vectors.shape == (len(tokens), self.vec_len), \
            'The length of new_vectors must be equal to the number of tokens and the width of' \
            'new_vectors must be equal to the dimension of embeddings of the glossary.'
        indices = []
        for token in tokens:
            if token not in self.token_to_idx:
                raise ValueError(f'Token {token} is unknown. To update the embedding vector for '
                                 'an unknown token, please specify it explicitly as the '
                                 f'`unknown_token` {self.idx_to_token[C.UNKNOWN_IDX]} in '
                                 '`tokens`. This is to avoid unintended updates.')
            indices.append(self.token_to_idx[token])
        self._idx_to_vec[nd.array(indices)] = new_vectors

    @classmethod
    def _check_pretrained_file_names(cls, pretrained_file_name):
        name = cls.__name__.lower()
        if pretrained_file_name not in cls.pretrained_file_name_sha1:
            raise KeyError(f'Cannot find pretrained file {pretrained_file_name} for token '
                           f'embedding {name}. Valid pretrained files for embedding {name}: '
                           + ', '.join(cls.pretrained_file_name_sha1.keys()))


@register
class GloVe(_TokenEmbedding):
    """The GloVe word embedding (https://nlp.stanford.edu/projects/glove/); the file is
    downloaded to `embedding_root`/glove on first use.

    Parameters
    ----------
    pretrained_file_name : str, default 'glove.840B.300d.txt'
    embedding_root : str, default $MXNET_HOME/embeddings
    init_unknown_vec : callback, default nd.zeros
    vocabulary : Vocabulary, optional
        Index only its tokens (default: every token of the file).
    """
    # MXNet swaps the two tables' names; kept so lookups match its own.
    pretrained_archive_name_sha1 = C.GLOVE_PRETRAINED_FILE_SHA1
    pretrained_file_name_sha1 = C.GLOVE_PRETRAINED_ARCHIVE_SHA1

    @classmethod
    def _get_download_file_name(cls, pretrained_file_name):
        src_archive = {archive.split('.')[1]: archive
                       for archive in GloVe.pretrained_archive_name_sha1.keys()}
        return src_archive[pretrained_file_name.split('.')[1]]

    def __init__(self, pretrained_file_name='glove.840B.300d.txt',
                 embedding_root=os.path.join(_data_dir(), 'embeddings'),
                 init_unknown_vec=nd.zeros, vocabulary=None, **kwargs):
        GloVe._check_pretrained_file_names(pretrained_file_name)
        super().__init__(**kwargs)
        path = GloVe._get_pretrained_file(embedding_root, pretrained_file_name)
        self._load_embedding(path, ' ', init_unknown_vec)
        self._build_embedding_for_vocabulary(vocabulary)


@register
class FastText(_TokenEmbedding):
    """The fastText word embedding (https://fasttext.cc/); the file is downloaded to
    `embedding_root`/fasttext on first use.

    Parameters
    ----------
    pretrained_file_name : str, default 'wiki.simple.vec'
    embedding_root : str, default $MXNET_HOME/embeddings
    init_unknown_vec : callback, default nd.zeros
    vocabulary : Vocabulary, optional
    """
    pretrained_archive_name_sha1 = C.FAST_TEXT_ARCHIVE_SHA1
    pretrained_file_name_sha1 = C.FAST_TEXT_FILE_SHA1

    @classmethod
    def _get_download_file_name(cls, pretrained_file_name):
        return '.'.join(pretrained_file_name.split('.')[:-1]) + '.zip'

    def __init__(self, pretrained_file_name='wiki.simple.vec',
                 embedding_root=os.path.join(_data_dir(), 'embeddings'),
                 init_unknown_vec=nd.zeros, vocabulary=None, **kwargs):
        FastText._check_pretrained_file_names(pretrained_file_name)
        super().__init__(**kwargs)
        path = FastText._get_pretrained_file(embedding_root, pretrained_file_name)
        self._load_embedding(path, ' ', init_unknown_vec)
        self._build_embedding_for_vocabulary(vocabulary)


class CustomEmbedding(_TokenEmbedding):
    """Token embedding from a local file of `token[elem_delim]v1[elem_delim]...vk` lines.

    Parameters
    ----------
    pretrained_file_path : str
    elem_delim : str, default ' '
    encoding : str, default 'utf8'
    init_unknown_vec : callback, default nd.zeros
    vocabulary : Vocabulary, optional
    """

    def __init__(self, pretrained_file_path, elem_delim=' ', encoding='utf8',
                 init_unknown_vec=nd.zeros, vocabulary=None, **kwargs):
        super().__init__(**kwargs)
        self._load_embedding(pretrained_file_path, elem_delim, init_unknown_vec, encoding)
        self._build_embedding_for_vocabulary(vocabulary)


class CompositeEmbedding(_TokenEmbedding):
    """The vectors of several embeddings, concatenated, for the tokens of `vocabulary`."""

    def __init__(self, vocabulary, token_embeddings):
        assert isinstance(vocabulary, vocab.Vocabulary), \
            'The argument `vocabulary` must be an instance of mxnet.contrib.text.indexer.Vocabulary.'
        token_embeddings = token_embeddings if isinstance(token_embeddings, list) \
            else [token_embeddings]
        for embed in token_embeddings:
            assert isinstance(embed, _TokenEmbedding), \
                'The argument `token_embeddings` must be an instance or a list of instances ' \
                'of `mxnet.contrib.text.embedding.TextEmbedding` whose embedding vectors will be' \
                'loaded or concatenated-then-loaded to map to the indexed tokens.'
        self._index_tokens_from_vocabulary(vocabulary)
        self._set_idx_to_vec_by_embeddings(token_embeddings, len(self), self.idx_to_token)
