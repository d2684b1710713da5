"""`mx.test_utils` data helpers, as MXNet 1.9.1's: downloads (skipped when the file is there)
and the MNIST, CIFAR-10 and model files its tests and tutorials use. Without a network,
put the files where MXNet would download them. Re-exported by `regluon.test_utils`.
"""
import bz2
import gzip
import os
import shutil
import zipfile

import numpy as np

from .base import MXNetError

__all__ = ['download', 'get_mnist', 'get_mnist_ubyte', 'get_mnist_iterator', 'get_mnist_pkl',
           'get_cifar10', 'get_zip_data', 'get_bz2_data', 'download_model',
           'get_im2rec_path']


def download(url, fname=None, dirname=None, overwrite=False, retries=5):
    """Download `url` to a file, unless the file exists (MXNet's test_utils.download).

    Parameters
    ----------
    url : str
    fname : str, optional
        The file name; default: the URL's last part.
    dirname : str, optional
        The folder (created if needed); default: `fname`'s folder.
    overwrite : bool, default False
        Download even if the file exists.
    retries : int, default 5

    Returns
    -------
    str
        The file name.
    """
    if retries < 0:
        raise AssertionError("Number of retries should be at least 0")   # MXNet's assert
    fname = fname or url.split('/')[-1]
    if dirname is None:
        dirname = os.path.dirname(fname)
    else:
        fname = os.path.join(dirname, fname)
    if dirname:
        os.makedirs(dirname, exist_ok=True)
    if not overwrite and os.path.exists(fname):
        return fname
    from .gluon.utils import download as fetch
    return fetch(url, path=fname, overwrite=True, retries=retries)


_MNIST_URL = 'http://data.mxnet.io/data/mnist/'
_MNIST = ('train-images-idx3-ubyte', 'train-labels-idx1-ubyte', 't10k-images-idx3-ubyte',
          't10k-labels-idx1-ubyte')


def _mnist_gz(name):
    """The gzip'd MNIST file `name`: in the current folder (where MXNet downloads it), in
    $MXNET_HOME/datasets/mnist (where gluon's MNIST keeps the same files), else downloaded
    into the current folder."""
    from .gluon.data.vision.datasets import _data_dir
    gz = name + '.gz'
    for folder in ('', os.path.join(os.path.expanduser(_data_dir()), 'datasets', 'mnist')):
        if os.path.exists(os.path.join(folder, gz)):
            return os.path.join(folder, gz)
    try:
        return download(_MNIST_URL + gz)
    except MXNetError as e:
        raise MXNetError(
            f"MNIST: {gz} is neither in the current folder ({os.getcwd()}) nor in "
            f"$MXNET_HOME/datasets/mnist, and downloading it failed: {e}. Offline, put the "
            f"four MNIST files {', '.join(n + '.gz' for n in _MNIST)} in the current folder. "
            "(regluon bundles a 10,000-digit subset: gluon.data.vision.MNISTSubset.)") from None


def get_mnist():
    """Load the MNIST dataset, downloading the files the first time.

    The gzip'd IDX files are read from the current folder (where MXNet downloads them) or
    from $MXNET_HOME/datasets/mnist; missing ones are downloaded into the current folder.

    Returns
    -------
    dict
        'train_data', 'test_data': float32 (N, 1, 28, 28) in [0, 1] (pixel / 255);
        'train_label', 'test_label': int8 (N,).
    """
    from .gluon.data.vision.datasets import read_idx
    out = {}
    for part, prefix in (('train', 'train'), ('test', 't10k')):
        label = read_idx(_mnist_gz(f'{prefix}-labels-idx1-ubyte'), 2049).astype(np.int8)
        image = read_idx(_mnist_gz(f'{prefix}-images-idx3-ubyte'), 2051)
        if len(image) != len(label):
            raise MXNetError(f"get_mnist: {len(image)} {part} images but {len(label)} labels")
        out[f'{part}_data'] = image.reshape(len(label), 1, 28, 28).astype(np.float32) / 255
        out[f'{part}_label'] = label
    return out


def get_mnist_ubyte():
    """Put the four uncompressed MNIST IDX files in the folder `data` of the current folder
    (for `mx.io.MNISTIter`), from the gzip'd files if they are at hand (see `get_mnist`),
    else from MXNet's mnist.zip."""
    os.makedirs('data', exist_ok=True)
    missing = [n for n in _MNIST if not os.path.exists(os.path.join('data', n))]
    if not missing:
        return
    try:
        for name in missing:
            src = _mnist_gz(name)
            with gzip.open(src, 'rb') as f, open(os.path.join('data', name), 'wb') as g:
                shutil.copyfileobj(f, g)
    except MXNetError:
        try:
            path = download('http://data.mxnet.io/mxnet/data/mnist.zip', dirname='data')
        except MXNetError as e:
            raise MXNetError(
                f"get_mnist_ubyte: data/{missing[0]} is missing and downloading MNIST failed: "
                f"{e}. Offline, put the files {', '.join(_MNIST)} (or their .gz) in "
                f"{os.path.join(os.getcwd(), 'data')}.") from None
        with zipfile.ZipFile(path) as zf:
            zf.extractall('data')


def get_mnist_iterator(batch_size, input_shape, num_parts=1, part_index=0):
    """Training and validation `mx.io.MNISTIter`s over `get_mnist_ubyte()`'s files.

    Parameters
    ----------
    batch_size : int
    input_shape : tuple
        (1, 28, 28) for images, (784,) for flat vectors.
    num_parts, part_index : int
        Read only part `part_index` of `num_parts` equal parts.
    """
    from .io import MNISTIter
    get_mnist_ubyte()
    flat = len(input_shape) != 3
    train = MNISTIter(image='data/train-images-idx3-ubyte', label='data/train-labels-idx1-ubyte',
                      input_shape=input_shape, batch_size=batch_size, shuffle=True, flat=flat,
                      num_parts=num_parts, part_index=part_index)
    val = MNISTIter(image='data/t10k-images-idx3-ubyte', label='data/t10k-labels-idx1-ubyte',
                    input_shape=input_shape, batch_size=batch_size, flat=flat,
                    num_parts=num_parts, part_index=part_index)
    return train, val


def get_mnist_pkl():
    """Download MNIST as data/mnist.pkl.gz in the current folder, unless it is there.
    (The file is a pickle; regluon never unpickles it.)"""
    os.makedirs('data', exist_ok=True)
    if not os.path.exists('data/mnist.pkl.gz'):
        download('http://deeplearning.net/data/mnist/mnist.pkl.gz', dirname='data')


def get_cifar10():
    """Put CIFAR-10's train/test .rec and .lst files in data/cifar of the current folder,
    downloading and unzipping MXNet's cifar10.zip unless all four are there."""
    os.makedirs('data', exist_ok=True)
    if not all(os.path.exists(f'data/cifar/{n}') for n in
               ('train.rec', 'test.rec', 'train.lst', 'test.lst')):
        path = download('http://data.mxnet.io/mxnet/data/cifar10.zip', dirname='data')
        with zipfile.ZipFile(path) as zf:
            zf.extractall('data')


def get_zip_data(data_dir, url, data_origin_name):
    """Download the zip file `url` into `data_dir` and extract it there, unless
    data_dir/data_origin_name (the zip's name, the URL's last part) exists.

    Parameters
    ----------
    data_dir : str
    url : str
    data_origin_name : str
    """
    data_origin_name = os.path.join(data_dir, data_origin_name)
    if not os.path.exists(data_origin_name):
        download(url, dirname=data_dir, overwrite=False)
        with zipfile.ZipFile(data_origin_name) as zip_file:
            zip_file.extractall(path=data_dir)


def get_bz2_data(data_dir, data_name, url, data_origin_name):
    """Download the bz2 file `url` as data_dir/data_origin_name, decompress it into
    data_dir/data_name and delete the bz2 file, unless data_dir/data_name exists.

    Parameters
    ----------
    data_dir : str
    data_name : str
    url : str
    data_origin_name : str
    """
    data_name = os.path.join(data_dir, data_name)
    data_origin_name = os.path.join(data_dir, data_origin_name)
    if not os.path.exists(data_name):
        # MXNet passes dirname too, which doubles a relative data_dir; the file it then
        # opens is data_dir/data_origin_name, where this downloads it
        download(url, fname=data_origin_name, overwrite=False)
        with bz2.BZ2File(data_origin_name, 'rb') as bz_file, open(data_name, 'wb') as fout:
            shutil.copyfileobj(bz_file, fout)
        os.remove(data_origin_name)


_MODEL_URL = 'http://data.mxnet.io/models/'
_MODELS = {   # model name -> (folder under _MODEL_URL, file prefix, params epoch)
    'imagenet1k-inception-bn': ('imagenet/inception-bn/', 'Inception-BN', '0126'),
    'imagenet1k-resnet-18': ('imagenet/resnet/18-layers/', 'resnet-18', '0000'),
    'imagenet1k-resnet-34': ('imagenet/resnet/34-layers/', 'resnet-34', '0000'),
    'imagenet1k-resnet-50': ('imagenet/resnet/50-layers/', 'resnet-50', '0000'),
    'imagenet1k-resnet-101': ('imagenet/resnet/101-layers/', 'resnet-101', '0000'),
    'imagenet1k-resnet-152': ('imagenet/resnet/152-layers/', 'resnet-152', '0000'),
    'imagenet1k-resnext-50': ('imagenet/resnext/50-layers/', 'resnext-50', '0000'),
    'imagenet1k-resnext-101': ('imagenet/resnext/101-layers/', 'resnext-101', '0000'),
    'imagenet1k-resnext-101-64x4d': ('imagenet/resnext/101-layers/', 'resnext-101-64x4d',
                                     '0000'),
    'imagenet11k-resnet-152': ('imagenet-11k/resnet-152/', 'resnet-152', '0000'),
    'imagenet11k-place365ch-resnet-152': ('imagenet-11k-place365-ch/', 'resnet-152', '0000'),
    'imagenet11k-place365ch-resnet-50': ('imagenet-11k-place365-ch/', 'resnet-50', '0000'),
}


def _default_model_info():
    return {name: {'symbol': f'{_MODEL_URL}{folder}{prefix}-symbol.json',
                   'params': f'{_MODEL_URL}{folder}{prefix}-{epoch}.params'}
            for name, (folder, prefix, epoch) in _MODELS.items()}


def download_model(model_name, dst_dir='./', meta_info=None):
    """Download a model's symbol and parameters from data.mxnet.io (or the URLs of
    `meta_info`) as dst_dir/<model_name>-symbol.json and -0000.params.

    Parameters
    ----------
    model_name : str
    dst_dir : str
    meta_info : dict of dict, optional
        model name -> {'symbol': url, 'params': url}.

    Returns
    -------
    (str, int)
        (dst_dir/model_name, 0) for `mx.model.load_checkpoint`; (None, 0) for an unknown name.
    """
    meta_info = dict(_default_model_info() if meta_info is None else meta_info)
    if model_name not in meta_info:
        return (None, 0)
    if not os.path.isdir(dst_dir):
        os.mkdir(dst_dir)
    meta = dict(meta_info[model_name])
    if 'symbol' not in meta:
        raise AssertionError("missing symbol url")
    model_name = os.path.join(dst_dir, model_name)
    download(meta['symbol'], model_name + '-symbol.json')
    if 'params' not in meta:
        raise AssertionError("mssing parameter file url")   # sic, MXNet's message
    download(meta['params'], model_name + '-0000.params')
    return (model_name, 0)


def get_im2rec_path(home_env="MXNET_HOME"):
    """The path of tools/im2rec.py under $home_env (if set) or the installed package.

    Raises IOError if it is in neither <root>/tools nor <root>/../../tools. (regluon
    ships no im2rec.py: point `home_env` at an MXNet source tree that has one.)
    """
    from . import __file__ as package_file
    root = os.environ[home_env] if home_env in os.environ else os.path.dirname(package_file)
    for path in (os.path.join(root, 'tools', 'im2rec.py'),
                 os.path.join(root, '..', '..', 'tools', 'im2rec.py')):
        if os.path.isfile(path):
            return path
    raise IOError('Could not find path to tools/im2rec.py')
