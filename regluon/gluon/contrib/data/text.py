"""MXNet's `gluon.contrib.data.text`: the WikiText-2 and WikiText-103 word-level language
modelling datasets (Salesforce research), downloaded as MXNet downloads them: the archive
from MXNet's dataset repository, checked by SHA-1, unpacked flat into `root`."""
import os
import shutil
import zipfile

import numpy as np
import torch

from . import _constants as C
from ...data import dataset
from ...utils import check_sha1, download
from ....base import MXNetError
from ....contrib import text
from ....ndarray.ndarray import _box
from .... import ndarray as nd

__all__ = ['WikiText2', 'WikiText103']

_REPO = 'https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/'


def _data_dir():
    # MXNet's base.data_dir(): $MXNET_HOME, else ~/.mxnet
    return os.environ.get('MXNET_HOME', os.path.join('~', '.mxnet'))


class _LanguageModelDataset(dataset._DownloadedDataset):  # pylint: disable=abstract-method
    def __init__(self, root, namespace, vocabulary):
        self._vocab = vocabulary
        self._counter = None
        self._namespace = namespace
        super().__init__(root, None)

    @property
    def vocabulary(self):
        return self._vocab

    @property
    def frequencies(self):
        return self._counter

    def _build_vocab(self, content):
        if not self._counter:
            self._counter = text.utils.count_tokens_from_str(content)
        if not self._vocab:
            self._vocab = text.vocab.Vocabulary(counter=self.frequencies,
                                                reserved_tokens=[C.EOS_TOKEN])


class _WikiText(_LanguageModelDataset):

    def _read_batch(self, filename):
        with open(filename, 'r', encoding='utf8') as fin:
            content = fin.read()
        self._build_vocab(content)
        lines = [line.split() + [C.EOS_TOKEN] for line in content.splitlines()
                 if line.strip()]
        ids = self.vocabulary.to_indices([x for line in lines for x in line])
        return np.array(ids[:-1], dtype=np.int32), np.array(ids[1:], dtype=np.int32)

    def _get_data(self):
        archive_name, archive_hash = self._archive_file
        data_name, data_hash = self._data_file[self._segment]
        path = os.path.join(self._root, data_name)
        if not os.path.exists(path) or not check_sha1(path, data_hash):
            url = f'{_REPO}gluon/dataset/{self._namespace}/{archive_name}'
            try:
                archive = download(url, path=self._root, sha1_hash=archive_hash)
            except Exception as e:  # offline, blocked, or a checksum mismatch
                raise MXNetError(
                    f"{type(self).__name__}: {data_name} is missing from {self._root} (or its "
                    f"SHA-1 is not {data_hash}), and downloading {url} failed "
                    f"({type(e).__name__}: {e}). Put {archive_name}'s files in {self._root} "
                    "(or pass root=).") from None
            with zipfile.ZipFile(archive, 'r') as zf:      # flattened, as MXNet unpacks
                for member in zf.namelist():
                    filename = os.path.basename(member)
                    if filename:
                        with zf.open(member) as source, \
                                open(os.path.join(self._root, filename), 'wb') as target:
                            shutil.copyfileobj(source, target)
        data, label = self._read_batch(path)
        # MXNet truncates to a multiple of seq_len (apache/incubator-mxnet#18886)
        n = len(data) // self._seq_len * self._seq_len
        self._data = nd.array(data[:n], dtype=data.dtype).reshape((-1, self._seq_len))
        self._label = nd.array(label[:n], dtype=label.dtype).reshape((-1, self._seq_len))

    def __getitem__(self, idx):
        return self._data[idx], self._label[idx]

    def __len__(self):
        return len(self._label)

    def _batch(self, indices):
        idx = torch.as_tensor(indices, dtype=torch.long)
        return [_box(self._data._t.index_select(0, idx)),
                _box(self._label._t.index_select(0, idx))]


class WikiText2(_WikiText):
    """WikiText-2 word-level dataset for language modelling, from Salesforce research
    (Creative Commons Attribution-ShareAlike).

    Each sample is `seq_len` token ids and the same shifted by one (the labels), regardless
    of sentence boundaries; '<eos>' ends every line.

    Parameters
    ----------
    root : str, default $MXNET_HOME/datasets/wikitext-2
        Folder of the data files (downloaded there when missing).
    segment : str, default 'train'
        'train', 'validation' or 'test'.
    vocab : contrib.text.vocab.Vocabulary, optional
        Vocabulary to index the text; None builds one from the segment.
    seq_len : int, default 35
        Length of each sample.
    """

    def __init__(self, root=os.path.join(_data_dir(), 'datasets', 'wikitext-2'),
                 segment='train', vocab=None, seq_len=35):
        self._archive_file = ('wikitext-2-v1.zip', '3c914d17d80b1459be871a5039ac23e752a53cbe')
        self._data_file = {'train': ('wiki.train.tokens',
                                     '863f29c46ef9d167fff4940ec821195882fe29d1'),
                           'validation': ('wiki.valid.tokens',
                                          '0418625c8b4da6e4b5c7a0b9e78d4ae8f7ee5422'),
                           'test': ('wiki.test.tokens',
                                    'c7b8ce0aa086fb34dab808c5c49224211eb2b172')}
        self._segment = segment
        self._seq_len = seq_len
        super().__init__(root, 'wikitext-2', vocab)


class WikiText103(_WikiText):
    """WikiText-103 word-level dataset for language modelling, from Salesforce research
    (Creative Commons Attribution-ShareAlike).

    Parameters are those of `WikiText2`; root defaults to
    $MXNET_HOME/datasets/wikitext-103.
    """

    def __init__(self, root=os.path.join(_data_dir(), 'datasets', 'wikitext-103'),
                 segment='train', vocab=None, seq_len=35):
        self._archive_file = ('wikitext-103-v1.zip', '0aec09a7537b58d4bb65362fee27650eeaba625a')
        self._data_file = {'train': ('wiki.train.tokens',
                                     'b7497e2dfe77e72cfef5e3dbc61b7b53712ac211'),
                           'validation': ('wiki.valid.tokens',
                                          'c326ac59dc587676d58c422eb8a03e119582f92b'),
                           'test': ('wiki.test.tokens',
                                    '8a5befc548865cec54ed4273cf87dbbad60d1e47')}
        self._segment = segment
        self._seq_len = seq_len
        super().__init__(root, 'wikitext-103', vocab)
