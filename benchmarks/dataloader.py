"""DataLoader throughput: images/s of RandomFlipLeftRight + ToTensor + Normalize over the
bundled MNIST subset (8,000 training digits), batch 128, shuffled; num_workers 0 and 2.

    OMP_NUM_THREADS=2 OMP_WAIT_POLICY=PASSIVE .venv/bin/python -m benchmarks.dataloader

regluon and MXNet 1.9.1 run the same Gluon code (`ArrayDataset(images, labels)
.transform_first(Compose([...]))`); torch runs the same per-sample work in a
`torch.utils.data.Dataset` with `DataLoader(persistent_workers=True)`. 'regluon per-sample'
passes a batchify_fn, which turns off the whole-batch fast path. Each library runs in its
own interpreter; the figure is the median of 3 epochs after a warm-up epoch.
"""
import gzip
import json
import statistics
import struct
import sys
import time

from benchmarks import _harness as H

BATCH, EPOCHS = 128, 3
MEAN, STD = 0.1307, 0.3081


def _mnist():
    import numpy as np
    base = H.ROOT / 'regluon' / 'data' / 'mnist'

    def read(name, ndim):
        raw = gzip.open(base / name).read()
        dims = struct.unpack('>' + 'I' * ndim, raw[4:4 + 4 * ndim])
        return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(dims)
    images = read('train-images-idx3-ubyte.gz', 3)[:, :, :, None]
    return np.ascontiguousarray(images), read('train-labels-idx1-ubyte.gz', 1).astype('int32')


def _time_epochs(loader):
    for _ in loader:                       # warm-up: workers start, caches fill
        pass
    times = []
    for _ in range(EPOCHS):
        t0, n = time.perf_counter(), 0
        for data, _label in loader:
            n += data.shape[0]
        times.append(time.perf_counter() - t0)
    return n / statistics.median(times)


def _gluon_loaders(mx, per_sample=False):
    from mxnet.gluon.data.vision import transforms as T  # pylint: disable=import-error
    images, labels = _mnist()
    t = T.Compose([T.RandomFlipLeftRight(), T.ToTensor(), T.Normalize(MEAN, STD)])
    ds = mx.gluon.data.ArrayDataset(mx.nd.array(images, dtype='uint8'), labels)
    ds = ds.transform_first(t)
    kw = {'batchify_fn': mx.gluon.data.dataloader.default_batchify_fn} if per_sample else {}
    if per_sample:    # a user batchify_fn (the default one, wrapped) skips the fast path
        fn = kw['batchify_fn']
        kw['batchify_fn'] = lambda samples: fn(samples)
    return {w: mx.gluon.data.DataLoader(ds, BATCH, shuffle=True, num_workers=w, **kw)
            for w in (0, 2)}


def _torch_loaders():
    import torch
    images, labels = _mnist()
    images, labels = torch.from_numpy(images), torch.from_numpy(labels)

    class MNISTTransformed(torch.utils.data.Dataset):
        def __len__(self):
            return len(labels)

        def __getitem__(self, i):
            img = images[i]
            if torch.rand(()) < 0.5:
                img = img.flip(1)
            x = img.permute(2, 0, 1).to(torch.float32).div_(255)
            return (x - MEAN) / STD, labels[i]

    return {w: torch.utils.data.DataLoader(MNISTTransformed(), BATCH, shuffle=True,
                                           num_workers=w, persistent_workers=w > 0)
            for w in (0, 2)}


def child(lib):
    if lib == 'torch':
        loaders = _torch_loaders()
    else:
        if lib == 'mxnet':
            import mxnet as mx  # pylint: disable=import-error
        else:
            import regluon as mx
            sys.modules['mxnet'] = mx          # the Gluon code above imports mxnet.*
            sys.modules['mxnet.gluon.data.vision'] = mx.gluon.data.vision
            sys.modules['mxnet.gluon.data.vision.transforms'] = mx.gluon.data.vision.transforms
        loaders = _gluon_loaders(mx, per_sample=lib == 'regluon-per-sample')
    return {f'num_workers={w}': _time_epochs(dl) for w, dl in loaders.items()}


def main():
    H.header('DataLoader images/s, MNIST subset, flip+ToTensor+Normalize, batch 128')
    libs = ['regluon', 'regluon-per-sample', 'torch', 'mxnet']
    res = {lib: H.run_child('dataloader', lib) for lib in libs}
    print(f"{'library':<22}{'num_workers=0':>16}{'num_workers=2':>16}")
    for lib in libs:
        r = res[lib] or {}
        print(f'{lib:<22}' + ''.join(f"{r.get(k, float('nan')):>16,.0f}"
                                     for k in ('num_workers=0', 'num_workers=2')))
    base = res['torch'] or {}
    for lib in ('regluon', 'mxnet'):
        r = res[lib] or {}
        print(f'{lib}/torch: ' + ', '.join(f'{k} {r[k] / base[k]:.2f}x' for k in r if k in base))


if __name__ == '__main__':
    if '--child' in sys.argv:
        print(json.dumps(child(sys.argv[sys.argv.index('--child') + 1])))
    else:
        main()
