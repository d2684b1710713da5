"""Golden data for ImageRecordIter's colour augmentations, from MXNet 1.9.1.

    MXNET_SUBGRAPH_BACKEND=NONE $(../shared/tools/mxnet-ref.sh) tools/golden_io_augment.py

Writes tests/golden/io_augment.rec (PNG records of io_augment_cases.images()) and
tests/golden/io_augment.npz: per case of io_augment_cases.CASES, MXNet's batch
('<case>:data', '<case>:label') and the random draws MXNet made for it, replayed here from
its C++ code so the test can hand the same values to regluon:
'<case>:uniform' (N, k) the float uniforms in MXNet's order (jitter alphas - 1, HLS,
normalizer), '<case>:order' (N, 3) the jitter order, '<case>:normal' (N, 3) the PCA alphas;
for io_augment_cases.MEAN_CASES the batch and the mean image ('<case>:mean') MXNet made
(mean_img), and tests/golden/io_augment_mean.nd, the mean file MXNet wrote in 'mean_plain';
for io_augment_cases.CROP_CASES the batch; 'imglist:label', the labels MXNet reads from
tests/golden/io_augment.lst (io_augment_cases.IMGLIST); 'part_idx{0,1}:labels', the
labels of part 1 of 3 without and with path_imgidx (tests/golden/io_augment.idx).

The replay (libstdc++'s std::mt19937, generate_canonical, uniform_real/int, std::shuffle
and the polar normal, as MXNet 1.9.1's build uses them) follows
src/io/image_aug_default.cc (DefaultImageAugmenter::Process) and
src/io/iter_image_recordio_2.cc (ParseChunk): per example the engine is re-seeded with
idx + seed_aug + 111, then the jitter draws (3 uniforms, shuffle), HLS (6 uniforms), PCA
(3 normals), and the normalizer's contrast and illumination (2 uniforms, not for uint8).
"""
import os
import sys

import numpy as np
import mxnet as mx
from mxnet import recordio

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'tests', 'golden')
sys.path.insert(0, os.path.join(ROOT, 'tools'))
from golden_data import png  # noqa: E402
sys.path.insert(0, OUT)
from io_augment_cases import (CASES, COMMON, CROP_CASES, IMGLIST, MEAN_CASES, N,  # noqa: E402
                              images)

F = np.float32


class Engine:
    """std::mt19937 seeded with an int, and the libstdc++ distributions MXNet calls."""

    def __init__(self, seed):
        key = np.random.RandomState(seed).get_state()      # init_genrand(seed), as C++
        self.bits = np.random.MT19937()
        self.bits.state = {'bit_generator': 'MT19937', 'state': {'key': key[1], 'pos': key[2]}}

    def raw(self):
        return int(self.bits.random_raw())

    def canonical(self):
        """generate_canonical<float, 24>: float(x) / 2^32, below 1."""
        u = F(self.raw()) / F(2.0 ** 32)
        return u if u < 1 else np.nextafter(F(1), F(0))

    def uniform(self, a, b):
        """uniform_real_distribution<float>(a, b)."""
        return self.canonical() * (F(b) - F(a)) + F(a)

    def randint(self, hi):
        """uniform_int_distribution(0, hi) by downscaling with rejection."""
        scaling = 0xFFFFFFFF // (hi + 1)
        while True:
            x = self.raw()
            if x < (hi + 1) * scaling:
                return x // scaling

    def shuffle3(self):
        order = [0, 1, 2]
        for i in (1, 2):
            j = self.randint(i)
            order[i], order[j] = order[j], order[i]
        return order

    def normals(self, std, n):
        """n draws of a fresh normal_distribution<float>(0, std): Marsaglia's polar method,
        the second value of each pair kept for the next call."""
        out = []
        while len(out) < n:
            while True:
                x = F(F(2) * self.canonical() - 1.0)
                y = F(F(2) * self.canonical() - 1.0)
                r2 = x * x + y * y
                if not (r2 > 1.0 or r2 == 0.0):
                    break
            mult = np.sqrt(F(-2) * np.log(r2) / r2)
            out += [y * mult, x * mult]
        return [v * F(std) + F(0) for v in out[:n]]


def draws(kw):
    """The draws MXNet makes for each of the N examples with arguments kw."""
    uni, order, normal = [], [], []
    for idx in range(N):
        e = Engine(idx + COMMON['seed_aug'] + 111)
        u, o, g = [], [0, 1, 2], [0.0, 0.0, 0.0]
        if any(kw.get(k, 0) > 0 for k in ('brightness', 'contrast', 'saturation')):
            u += [e.uniform(-kw.get(k, 0), kw.get(k, 0))
                  for k in ('brightness', 'contrast', 'saturation')]
            o = e.shuffle3()
        if any(kw.get(k, 0) != 0 for k in ('random_h', 'random_s', 'random_l')):
            u += [e.uniform(0, 1) for _ in range(6)]
        if kw.get('pca_noise', 0) > 0:
            g = e.normals(kw['pca_noise'], 3)
        if kw.get('dtype') != 'uint8':
            u += [e.uniform(0, 1), e.uniform(0, 1)]
        uni.append(u)
        order.append(o)
        normal.append(g)
    return (np.array(uni, F).reshape(N, -1), np.array(order, np.int64),
            np.array(normal, F))


def main():
    rec = os.path.join(OUT, 'io_augment.rec')
    w = recordio.MXIndexedRecordIO(os.path.join(OUT, 'io_augment.idx'), rec, 'w')
    for i, img in enumerate(images()):
        w.write_idx(i, recordio.pack(recordio.IRHeader(0, float(i), i, 0), png(img)))
    w.close()
    g = {}
    for name, kw in CASES:
        batch = next(iter(mx.io.ImageRecordIter(path_imgrec=rec, **COMMON, **kw)))
        g[f'{name}:data'] = batch.data[0].asnumpy()
        g[f'{name}:label'] = batch.label[0].asnumpy()
        g[f'{name}:uniform'], g[f'{name}:order'], g[f'{name}:normal'] = draws(kw)
    for name, kw in CROP_CASES:
        batch = next(iter(mx.io.ImageRecordIter(path_imgrec=rec, **COMMON, **kw)))
        g[f'{name}:data'] = batch.data[0].asnumpy()
    lst = os.path.join(OUT, 'io_augment.lst')
    with open(lst, 'w') as f:
        f.write(IMGLIST)
    batch = next(iter(mx.io.ImageRecordIter(path_imgrec=rec, path_imglist=lst, label_width=2,
                                            **COMMON)))
    g['imglist:label'] = batch.label[0].asnumpy()
    for idx in (False, True):   # parts of equal bytes (recordio) or records (indexed_recordio)
        kw = dict(path_imgidx=os.path.join(OUT, 'io_augment.idx')) if idx else {}
        it = mx.io.ImageRecordIter(path_imgrec=rec, **dict(COMMON, batch_size=1), num_parts=3,
                                   part_index=1, **kw)
        g[f'part_idx{int(idx)}:labels'] = np.array([b.label[0].asnumpy()[0] for b in it])
    mean_file = os.path.join(OUT, 'io_augment_mean.nd')
    for name, kw, exists in MEAN_CASES:
        path = mean_file if exists else os.path.join(OUT, f'{name}.tmp.nd')
        assert os.path.exists(path) == exists, path
        batch = next(iter(mx.io.ImageRecordIter(path_imgrec=rec, mean_img=path, **COMMON, **kw)))
        g[f'{name}:data'] = batch.data[0].asnumpy()
        g[f'{name}:mean'] = mx.nd.load(path)['mean_img'].asnumpy()
        if not exists:
            os.replace(path, mean_file) if name == 'mean_plain' else os.remove(path)
    np.savez_compressed(os.path.join(OUT, 'io_augment.npz'), **g)


if __name__ == '__main__':
    main()
