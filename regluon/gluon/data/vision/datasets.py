"""Vision datasets: MNIST, FashionMNIST, CIFAR10/100, the bundled MNISTSubset, and
datasets over RecordIO files, image folders and image lists.

Samples are as MXNet 1.9.1 returns them: an HWC uint8 NDArray image and a numpy int32
label (MNIST: 28x28x1, CIFAR: 32x32x3).
"""
import gzip
import hashlib
import os
import struct
import tarfile
import warnings

import numpy as np
import torch

from ....base import MXNetError
from ....ndarray.ndarray import _box
from .... import recordio
from ..dataset import Dataset, RecordFileDataset, _DownloadedDataset

__all__ = ['MNIST', 'FashionMNIST', 'CIFAR10', 'CIFAR100', 'MNISTSubset',
           'ImageRecordDataset', 'ImageFolderDataset', 'ImageListDataset']

_REPO = 'https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/'


def _data_dir():
    # MXNet's base.data_dir(): $MXNET_HOME, else ~/.mxnet
    return os.environ.get('MXNET_HOME', os.path.join('~', '.mxnet'))


def _sha1(path):
    h = hashlib.sha1()
    with open(path, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            h.update(chunk)
    return h.hexdigest()


def _fetch(root, namespace, files, what):
    """Paths of `files` [(name, sha1)] in `root`, downloading the missing or bad ones."""
    paths = []
    for name, sha1 in files:
        path = os.path.join(root, name)
        if not (os.path.exists(path) and _sha1(path) == sha1):
            bad = os.path.exists(path)
            try:
                from ...utils import download
                path = download(f'{_REPO}gluon/dataset/{namespace}/{name}', path=root,
                                sha1_hash=sha1)
            except Exception as e:  # offline, blocked, or a checksum mismatch
                names = ', '.join(n for n, _ in files)
                state = (f"{name} is there but its SHA-1 is not {sha1}" if bad
                         else f"{name} is missing")
                raise MXNetError(
                    f"{what}: {state}, and downloading it failed ({type(e).__name__}: {e}). "
                    f"Put the files {names} in the folder {root} (or pass root=).") from None
        paths.append(path)
    return paths


def read_idx(path, magic):
    """The array in an IDX file (gzip'd or not): 2049 labels (N,), 2051 images (N, H, W)."""
    opener = gzip.open if path.endswith('.gz') else open
    try:
        with opener(path, 'rb') as f:
            raw = f.read()
    except (OSError, EOFError) as e:
        raise MXNetError(f"cannot read IDX file {path}: {e}") from None
    ndim = magic - 2048
    if len(raw) < 4 + 4 * ndim or struct.unpack('>I', raw[:4])[0] != magic:
        raise MXNetError(f"{path} is not an IDX file with magic number {magic} "
                         f"({'labels' if magic == 2049 else 'images'})")
    dims = struct.unpack('>' + 'I' * ndim, raw[4:4 + 4 * ndim])
    data = np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim)
    if data.size != int(np.prod(dims)):
        raise MXNetError(f"{path} is truncated or corrupt: header says {dims}, "
                         f"{data.size} bytes of data follow")
    return data.reshape(dims)


class MNIST(_DownloadedDataset):
    """MNIST handwritten digits dataset from http://yann.lecun.com/exdb/mnist

    Each sample is an image (in 3D NDArray) with shape (28, 28, 1) and an int32 label.

    Parameters
    ----------
    root : str, default $MXNET_HOME/datasets/mnist
        Path to temp folder for storing data.
    train : bool, default True
        Whether to load the training or testing set.
    transform : function, default None
        A user defined callback that transforms each sample. For example::

            transform=lambda data, label: (data.astype(np.float32)/255, label)
    """
    _namespace = 'mnist'
    _files = {True: (('train-images-idx3-ubyte.gz', '6c95f4b05d2bf285e1bfb0e7960c31bd3b3f8a7d'),
                     ('train-labels-idx1-ubyte.gz', '2a80914081dc54586dbdf242f9805a6b8d2a15fc')),
              False: (('t10k-images-idx3-ubyte.gz', 'c3a25af1f52dad7f726cce8cacb138654b760d48'),
                      ('t10k-labels-idx1-ubyte.gz', '763e7fa3757d93b0cdec073cef058b2004252c17'))}

    def __init__(self, root=os.path.join(_data_dir(), 'datasets', 'mnist'),
                 train=True, transform=None):
        self._train = train
        super().__init__(root, transform)

    def _get_data(self):
        data_file, label_file = _fetch(self._root, self._namespace, self._files[self._train],
                                       type(self).__name__)
        self._load(data_file, label_file)

    def _load(self, data_file, label_file):
        label = read_idx(label_file, 2049).astype(np.int32)
        data = read_idx(data_file, 2051)
        if len(data) != len(label):
            raise MXNetError(f"{type(self).__name__}: {data_file} has {len(data)} images but "
                             f"{label_file} has {len(label)} labels")
        self._data = _box(torch.from_numpy(data.reshape(len(label), 28, 28, 1).copy()))
        self._label = label


class FashionMNIST(MNIST):
    """A dataset of Zalando's article images, a drop-in replacement of MNIST.

    Each sample is an image (in 3D NDArray) with shape (28, 28, 1) and an int32 label.

    Parameters
    ----------
    root : str, default $MXNET_HOME/datasets/fashion-mnist
        Path to temp folder for storing data.
    train : bool, default True
        Whether to load the training or testing set.
    transform : function, default None
        A user defined callback that transforms each sample.
    """
    _namespace = 'fashion-mnist'
    _files = {True: (('train-images-idx3-ubyte.gz', '0cf37b0d40ed5169c6b3aba31069a9770ac9043d'),
                     ('train-labels-idx1-ubyte.gz', '236021d52f1e40852b06a4c3008d8de8aef1e40b')),
              False: (('t10k-images-idx3-ubyte.gz', '626ed6a7c06dd17c0eec72fa3be1740f146a2863'),
                      ('t10k-labels-idx1-ubyte.gz', '17f9ab60e7257a1620f4ad76bbbaf857c3920701'))}

    def __init__(self, root=os.path.join(_data_dir(), 'datasets', 'fashion-mnist'),
                 train=True, transform=None):
        super().__init__(root, train, transform)


class MNISTSubset(MNIST):
    """10,000 real MNIST digits bundled with regluon, for training offline.

    The MNIST test set (Yann LeCun and Corinna Cortes, CC BY-SA 3.0) split at random
    (seed 0) into 8,000 training and 2,000 test images; see regluon/data/README.md.
    Samples are as MNIST's: a (28, 28, 1) uint8 NDArray and an int32 label.

    Parameters
    ----------
    train : bool, default True
        Whether to load the 8,000 training or the 2,000 test images.
    transform : function, default None
        A user defined callback that transforms each sample.
    """

    def __init__(self, train=True, transform=None):
        from .... import data as _bundled
        super().__init__(_bundled.path('mnist'), train, transform)

    def _get_data(self):
        from .... import data as _bundled
        kind = 'train' if self._train else 'test'
        self._load(_bundled.path(f'mnist/{kind}-images-idx3-ubyte.gz'),
                   _bundled.path(f'mnist/{kind}-labels-idx1-ubyte.gz'))


class CIFAR10(_DownloadedDataset):
    """CIFAR10 image classification dataset from https://www.cs.toronto.edu/~kriz/cifar.html

    Each sample is an image (in 3D NDArray) with shape (32, 32, 3) and an int32 label.

    Parameters
    ----------
    root : str, default $MXNET_HOME/datasets/cifar10
        Path to temp folder for storing data.
    train : bool, default True
        Whether to load the training or testing set.
    transform : function, default None
        A user defined callback that transforms each sample.
    """
    _namespace = 'cifar10'
    _archive = ('cifar-10-binary.tar.gz', 'fab780a1e191a7eda0f345501ccd62d20f7ed891')
    _train_files = [('data_batch_1.bin', 'aadd24acce27caa71bf4b10992e9e7b2d74c2540'),
                    ('data_batch_2.bin', 'c0ba65cce70568cd57b4e03e9ac8d2a5367c1795'),
                    ('data_batch_3.bin', '1dd00a74ab1d17a6e7d73e185b69dbf31242f295'),
                    ('data_batch_4.bin', 'aab85764eb3584312d3c7f65fd2fd016e36a258e'),
                    ('data_batch_5.bin', '26e2849e66a845b7f1e4614ae70f4889ae604628')]
    _test_files = [('test_batch.bin', '67eb016db431130d61cd03c7ad570b013799c88c')]
    _label_bytes = 1

    def __init__(self, root=os.path.join(_data_dir(), 'datasets', 'cifar10'),
                 train=True, transform=None):
        self._train = train
        super().__init__(root, transform)

    def _label_column(self):
        return 0

    def _read_batch(self, filename):
        n = 3072 + self._label_bytes
        with open(filename, 'rb') as fin:
            raw = np.frombuffer(fin.read(), dtype=np.uint8)
        if raw.size % n:
            raise MXNetError(f"{type(self).__name__}: {filename} is not a CIFAR binary file "
                             f"(size {raw.size} is not a multiple of {n} bytes)")
        raw = raw.reshape(-1, n)
        return (raw[:, self._label_bytes:].reshape(-1, 3, 32, 32).transpose(0, 2, 3, 1),
                raw[:, self._label_column()].astype(np.int32))

    def _get_data(self):
        files = self._train_files + self._test_files
        if any(not os.path.exists(os.path.join(self._root, name)) or
               _sha1(os.path.join(self._root, name)) != sha1 for name, sha1 in files):
            archive, = _fetch(self._root, self._namespace, [self._archive],
                              type(self).__name__)
            with tarfile.open(archive) as tar:
                tar.extractall(self._root, filter='data')
        chosen = self._train_files if self._train else self._test_files
        data, label = zip(*(self._read_batch(self._find(name)) for name, _ in chosen))
        self._data = _box(torch.from_numpy(np.ascontiguousarray(np.concatenate(data))))
        self._label = np.concatenate(label)

    def _find(self, name):
        # The archives unpack into a sub-folder; MXNet's checksum files sit at the root.
        for sub in ('', 'cifar-10-batches-bin', 'cifar-100-binary'):
            path = os.path.join(self._root, sub, name)
            if os.path.exists(path):
                return path
        raise MXNetError(f"{type(self).__name__}: {name} not found under {self._root}")


class CIFAR100(CIFAR10):
    """CIFAR100 image classification dataset from https://www.cs.toronto.edu/~kriz/cifar.html

    Each sample is an image (in 3D NDArray) with shape (32, 32, 3) and an int32 label.

    Parameters
    ----------
    root : str, default $MXNET_HOME/datasets/cifar100
        Path to temp folder for storing data.
    fine_label : bool, default False
        Whether to load the fine-grained (100 classes) or coarse-grained (20 super-classes)
        labels.
    train : bool, default True
        Whether to load the training or testing set.
    transform : function, default None
        A user defined callback that transforms each sample.
    """
    _namespace = 'cifar100'
    _archive = ('cifar-100-binary.tar.gz', 'a0bb982c76b83111308126cc779a992fa506b90b')
    _train_files = [('train.bin', 'e207cd2e05b73b1393c74c7f5e7bea451d63e08e')]
    _test_files = [('test.bin', '8fb6623e830365ff53cf14adec797474f5478006')]
    _label_bytes = 2

    def __init__(self, root=os.path.join(_data_dir(), 'datasets', 'cifar100'),
                 fine_label=False, train=True, transform=None):
        self._fine_label = fine_label
        super().__init__(root, train, transform)

    def _label_column(self):
        return int(self._fine_label)


class ImageRecordDataset(RecordFileDataset):
    """A dataset wrapping over a RecordIO file containing images.

    Each sample is an image and its corresponding label.

    Parameters
    ----------
    filename : str
        Path to rec file.
    flag : {0, 1}, default 1
        If 0, always convert images to greyscale. If 1, always convert images to colored.
    transform : function, default None
        A user defined callback that transforms each sample.
    """

    def __init__(self, filename, flag=1, transform=None):
        super().__init__(filename)
        self._flag, self._transform = flag, transform

    def __getitem__(self, idx):
        from .... import image
        record = super().__getitem__(idx)
        header, img = recordio.unpack(record)
        img = image.imdecode(img, self._flag)
        if self._transform is not None:
            return self._transform(img, header.label)
        return img, header.label


_EXTS = ('.jpg', '.jpeg', '.png')


class ImageFolderDataset(Dataset):
    """A dataset for loading image files stored in a folder structure: root/<class>/<image>.

    Parameters
    ----------
    root : str
        Path to root directory.
    flag : {0, 1}, default 1
        If 0, always convert loaded images to greyscale (1 channel); if 1, to colored (3).
    transform : callable, default None
        A function that takes data and label and transforms them.

    Attributes
    ----------
    synsets : list
        List of class names. `synsets[i]` is the name for the integer label `i`.
    items : list of tuples
        List of all images in (filename, label) pairs.
    """

    def __init__(self, root, flag=1, transform=None):
        self._root = os.path.expanduser(root)
        self._flag, self._transform = flag, transform
        self._exts = list(_EXTS)
        if not os.path.isdir(self._root):
            raise MXNetError(f"ImageFolderDataset: {self._root} is not a directory")
        self._list_images(self._root)

    def _list_images(self, root):
        self.synsets, self.items = [], []
        for folder in sorted(os.listdir(root)):
            path = os.path.join(root, folder)
            if not os.path.isdir(path):
                warnings.warn('Ignoring %s, which is not a directory.' % path, stacklevel=3)
                continue
            label = len(self.synsets)
            self.synsets.append(folder)
            for filename in sorted(os.listdir(path)):
                filename = os.path.join(path, filename)
                ext = os.path.splitext(filename)[1]
                if ext.lower() not in self._exts:
                    warnings.warn('Ignoring %s of type %s. Only support %s' % (
                        filename, ext, ', '.join(self._exts)))
                    continue
                self.items.append((filename, label))

    def __getitem__(self, idx):
        from .... import image
        img = image.imread(self.items[idx][0], self._flag)
        label = self.items[idx][1]
        if self._transform is not None:
            return self._transform(img, label)
        return img, label

    def __len__(self):
        return len(self.items)


class ImageListDataset(Dataset):
    """A dataset of images listed in a .lst file or a Python list (MXNet 2's API).

    Parameters
    ----------
    root : str, default '.'
        Folder the image paths are relative to.
    imglist : str or list
        A .lst file (`index<TAB>label(s)<TAB>path` lines) relative to root, or a list of
        [label(s)..., path] entries.
    flag : {0, 1}, default 1
        If 0, always convert images to greyscale; if 1, to colored.
    """

    def __init__(self, root='.', imglist=None, flag=1):
        self._root, self._flag = os.path.expanduser(root), flag
        self._items = []
        if isinstance(imglist, str):
            fname = os.path.join(self._root, imglist)
            with open(fname, 'rt') as fin:
                for n, line in enumerate(fin):
                    parts = line.strip().split('\t')
                    if len(parts) < 3:
                        raise MXNetError(f"ImageListDataset: line {n + 1} of {fname} is not "
                                         f"'index<TAB>label<TAB>path': {line.strip()!r}")
                    self._items.append((np.array(parts[1:-1], dtype='float32'), parts[-1]))
        elif isinstance(imglist, (list, tuple)):
            for entry in imglist:
                label = entry[:-1] if len(entry) > 2 else entry[0]
                self._items.append((np.array(label, dtype='float32').reshape(-1), entry[-1]))
        else:
            raise ValueError(f"ImageListDataset: imglist must be a .lst file name or a list, "
                             f"got {type(imglist).__name__}")

    def __getitem__(self, idx):
        from .... import image
        label, path = self._items[idx]
        return image.imread(os.path.join(self._root, path), self._flag), label

    def __len__(self):
        return len(self._items)
