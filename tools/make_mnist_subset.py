"""Write the bundled MNIST subset (regluon/data/mnist/) from the MNIST test set.

    python tools/make_mnist_subset.py [/work/shared/data/mnist]

Reads t10k-images-idx3-ubyte.gz and t10k-labels-idx1-ubyte.gz (10,000 digits), shuffles
them with numpy seed 0 and writes 8,000 as train-*.gz and 2,000 as test-*.gz, IDX format
as the originals, so MNIST's reader loads them. The output is deterministic (gzip mtime 0).
"""
import gzip
import os
import struct
import sys

import numpy as np

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'regluon', 'data', 'mnist')
N_TRAIN = 8000


def read(path, magic):
    with gzip.open(path, 'rb') as f:
        raw = f.read()
    ndim = magic - 2048
    assert struct.unpack('>I', raw[:4])[0] == magic, path
    dims = struct.unpack('>' + 'I' * ndim, raw[4:4 + 4 * ndim])
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(dims)


def write(path, arr, magic):
    head = struct.pack('>' + 'I' * (1 + arr.ndim), magic, *arr.shape)
    with open(path, 'wb') as raw, gzip.GzipFile(fileobj=raw, mode='wb', mtime=0,
                                               compresslevel=9) as f:
        f.write(head + np.ascontiguousarray(arr).tobytes())


def main(src):
    images = read(os.path.join(src, 't10k-images-idx3-ubyte.gz'), 2051)
    labels = read(os.path.join(src, 't10k-labels-idx1-ubyte.gz'), 2049)
    order = np.random.RandomState(0).permutation(len(labels))
    os.makedirs(OUT, exist_ok=True)
    for kind, idx in (('train', order[:N_TRAIN]), ('test', order[N_TRAIN:])):
        write(os.path.join(OUT, f'{kind}-images-idx3-ubyte.gz'), images[idx], 2051)
        write(os.path.join(OUT, f'{kind}-labels-idx1-ubyte.gz'), labels[idx], 2049)
        print(kind, len(idx), 'images; label counts', np.bincount(labels[idx], minlength=10))


if __name__ == '__main__':
    main(sys.argv[1] if len(sys.argv) > 1 else '/work/shared/data/mnist')
