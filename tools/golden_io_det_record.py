"""Golden data for ImageDetRecordIter, from MXNet 1.9.1.

    MXNET_SUBGRAPH_BACKEND=NONE $(../shared/tools/mxnet-ref.sh) tools/golden_io_det_record.py

Writes tests/golden/io_det_record.rec (PNG records of io_det_record_cases.images() with the
detection labels of io_det_record_cases.labels()), tests/golden/io_det_record.lst
(io_det_record_cases.imglist()) and tests/golden/io_det_record.npz: per case of
io_det_record_cases.CASES, two epochs of MXNet's batches ('<case>:data' and '<case>:label'
stacked over the batches, '<case>:pad', '<case>:index'), provide_data/provide_label shapes
('<case>:dshape', '<case>:lshape'); 'imglist:*' the same for path_imglist; 'mean:*'
and 'mean_rgb:*' for a mean_img MXNet created (io_det_record_cases.MEAN, MEAN_RGB),
'<name>:mean' that image; and the errors
MXNet raises ('err:<name>' a fragment of the message, as bytes).
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
from io_det_record_cases import (CASES, COMMON, ERRORS, MEAN, MEAN_RGB, epochs, imglist, images,  # noqa
                                 labels)

REC = os.path.join(OUT, 'io_det_record.rec')


def main():
    w = recordio.MXIndexedRecordIO(os.path.join(OUT, 'io_det_record.idx'), REC, 'w')
    for i, (img, lab) in enumerate(zip(images(), labels())):
        w.write_idx(i, recordio.pack(recordio.IRHeader(0, lab, i, 0), png(img)))
    w.close()
    lst = os.path.join(OUT, 'io_det_record.lst')
    with open(lst, 'w') as f:
        f.write(imglist())
    g = {}
    runs = [(name, kw) for name, kw, _ in CASES]
    runs.append(('imglist', dict(path_imglist=lst, rand_mirror_prob=0.5)))
    for name, kw in runs:
        it = mx.io.ImageDetRecordIter(path_imgrec=REC, **dict(COMMON, **kw))
        for k, v in epochs(it).items():
            g[f'{name}:{k}'] = v
    path = os.path.join(OUT, 'io_det_record_mean.tmp.nd')
    for name, kw in (('mean', MEAN), ('mean_rgb', MEAN_RGB)):
        it = mx.io.ImageDetRecordIter(path_imgrec=REC, mean_img=path, **dict(COMMON, **kw))
        g[f'{name}:mean'] = mx.nd.load(path)['mean_img'].asnumpy()
        os.remove(path)
        for k, v in epochs(it).items():
            g[f'{name}:{k}'] = v
    for name, kw in ERRORS:
        try:
            mx.io.ImageDetRecordIter(path_imgrec=REC, **dict(COMMON, **kw))
        except mx.MXNetError as e:
            msg = [ln for ln in str(e).split('\n') if ln.strip()][-1]
            print(name, msg)
            g[f'err:{name}'] = np.frombuffer(msg.encode(), np.uint8)
        else:
            raise AssertionError(f'{name}: MXNet raised nothing')
    np.savez_compressed(os.path.join(OUT, 'io_det_record.npz'), **g)


if __name__ == '__main__':
    main()
