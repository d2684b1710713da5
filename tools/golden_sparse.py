"""Golden data for mx.nd.sparse (CSRNDArray, RowSparseNDArray), from MXNet 1.9.1.

    MXNET_STORAGE_FALLBACK_LOG_VERBOSE=0 $(../shared/tools/mxnet-ref.sh) tools/golden_sparse.py

Writes tests/golden/sparse.npz ('<case>:<field>': value, stype, dtype, shape and the sparse
parts of each result of sparse_cases.results; 'err:<case>' the exception of each error
case; 'grad:<case>:...' dot gradients; 'train:...' sparse training runs) and
tests/golden/sparse_saved.nd, a file nd.save wrote with csr and row_sparse arrays.

MXNet 1.9.1 sometimes segfaults in this script (its csr - csr and csr * csr return
uninitialized indices, see VALUES_ONLY in tests/test_sparse.py): run it again; the data it
writes is the same on every complete run.
"""
import os
import sys

import numpy as np
import mxnet as mx

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'tests', 'golden')
sys.path.insert(0, os.path.join(ROOT, 'tools'))
sys.path.insert(0, OUT)
from golden_util import error  # noqa: E402
import sparse_cases as S  # noqa: E402

G = {}


def put(prefix, arr):
    for k, v in S.parts(arr).items():
        G[f'{prefix}:{k}'] = v


# training first and the error cases last: some of those (c[5] past the end) read out of
# bounds in MXNet 1.9.1 and can crash a later case
for name, fn in S.training(mx).items():
    for i, a in enumerate(fn()):
        G[f'train:{name}:{i}'] = a
for name, fn in S.results(mx).items():
    put(name, fn())
for name, (y, g) in S.grads(mx).items():
    put(f'grad:{name}:y', y)
    put(f'grad:{name}:g', g)
for name, fn in S.errors(mx).items():
    e = error(fn)
    assert e['type'] is not None, name
    G[f'err:{name}'] = np.array(e['type'])

mx.nd.save(os.path.join(OUT, 'sparse_saved.nd'), S.saved(mx))
np.savez_compressed(os.path.join(OUT, 'sparse.npz'), **G)
print(len(G), 'arrays')
