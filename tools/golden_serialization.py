"""Golden files for nd.save/nd.load, written and read back by the real MXNet 1.9.1.

Run with MXNet's interpreter:  $(../shared/tools/mxnet-ref.sh) tools/golden_serialization.py
It writes tests/golden/serialization/<case>.params (bytes MXNet wrote, or hand-made legacy
V0/V1 and gpu-context records that MXNet itself loads) and
tests/golden/serialization/expected.npz: for every case, what MXNet's nd.load returns
('<case>/__meta__' = ['list' or 'dict', keys...]; '<case>/<key>' = the values, bfloat16 as
float32; '<case>/<key>/dtype' = the dtype name).

The other direction (files regluon writes load in MXNet with the same content):
    .venv/bin/python tools/golden_serialization.py --write DIR     # regluon writes DIR/*
    $(../shared/tools/mxnet-ref.sh) tools/golden_serialization.py --check DIR
"""
import os
import struct
import sys

import numpy as np

if '--write' in sys.argv:
    import regluon as mx
else:
    import mxnet as mx

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden', 'serialization')
BF16 = np.dtype([('bfloat16', np.uint16)])
DTYPES = ['float32', 'float64', 'float16', 'uint8', 'int32', 'int8', 'int64', 'bool']


def vals(shape, dtype='float32'):
    n = int(np.prod(shape))
    a = (np.arange(n) % 7 - 2.5 * (dtype[0] == 'f')).reshape(shape)
    return mx.nd.array(a.astype(dtype) if dtype != 'bool' else a % 2 == 0, dtype=dtype)


def cases():
    """name -> (data to save with mx.nd.save, np_shape semantics?)."""
    c = {
        'single': (vals((2, 3)), False),
        'list': ([vals((4,)), vals((2, 1, 3), 'int64'), vals((1,), 'uint8')], False),
        'dict': ({'arg:weight': vals((3, 2)), 'aux:mean': vals((2,), 'float64'),
                  'üñï': vals((1, 1), 'int8')}, False),
        'dtypes': ({d: vals((5,), d) for d in DTYPES}, False),
        'empty_list': ([], False),
        'empty_dict': ({}, False),
        'zero_size': ([mx.nd.array(np.zeros((0, 3), np.float32))], False),
        'big4d': ([vals((2, 3, 4, 5))], False),
        'cpu3': ([mx.nd.array([1, 2], ctx=mx.cpu(3))], False),
        'bfloat16': ([mx.nd.amp_cast(mx.nd.array([1, 2, -3.5, 0.1]), dtype=BF16)], False),
        'row_sparse': ([mx.nd.sparse.row_sparse_array(
            (np.arange(6, dtype=np.float32).reshape(2, 3), [1, 3]), shape=(5, 3))], False),
        'csr': ({'m': mx.nd.sparse.csr_matrix(
            (np.array([1., 2., 3.], np.float32), [0, 2, 1], [0, 2, 2, 3]),
            shape=(3, 4))}, False),
    }
    with mx.util.np_shape(True):
        c['np_shape'] = ([mx.nd.array(np.array(3.5, np.float32)), mx.nd.zeros((0, 3)),
                          vals((2,))], True)
    return c


def legacy_records():
    """Hand-made bytes in the formats MXNet still reads: V1, V0 (no magic), gpu context."""
    head = struct.pack('<QQQ', 0x112, 0, 1)
    data = np.array([[1.5, -2], [3, 4.25]], np.float32).tobytes()
    v1 = struct.pack('<I', 0xF993fac8) + struct.pack('<iqq', 2, 2, 2) + \
        struct.pack('<iii', 1, 0, 0)
    v0 = struct.pack('<III', 2, 2, 2) + struct.pack('<iii', 1, 0, 0)
    gpu = struct.pack('<Iiiqq', 0xF993fac9, 0, 2, 2, 2) + struct.pack('<iii', 2, 1, 0)
    names = struct.pack('<Q', 0)
    return {'v1': head + v1 + data + names, 'v0': head + v0 + data + names,
            'gpu1': head + gpu + data + names}


def is_bf16(v):
    return str(v.dtype) == 'bfloat16' or v.dtype == BF16


def record(expected, name, loaded):
    if isinstance(loaded, dict):
        keys = list(loaded)
        expected[f'{name}/__meta__'] = np.array(['dict'] + keys)
    else:
        keys = [str(i) for i in range(len(loaded))]
        loaded = dict(zip(keys, loaded))
        expected[f'{name}/__meta__'] = np.array(['list'] + keys)
    for k, v in loaded.items():
        dtype = 'bfloat16' if is_bf16(v) else np.dtype(v.dtype).name
        if dtype == 'bfloat16':
            v = v.astype('float32') if not hasattr(mx.nd, 'amp_cast') else \
                mx.nd.amp_cast(v, dtype='float32')
        if v.stype != 'default':
            v = v.tostype('default')
        expected[f'{name}/{k}'] = v.asnumpy()
        expected[f'{name}/{k}/dtype'] = np.array(dtype)
        expected[f'{name}/{k}/context'] = np.array(str(v.context))


def write_ours(folder):
    """regluon side: save cases of every kind, and what they hold, into `folder`."""
    os.makedirs(folder, exist_ok=True)
    rng = np.random.RandomState(0)
    arrays = {d: mx.nd.array(rng.randn(2, 3) * 3, dtype=d) for d in DTYPES}
    data = {
        'ours_dict': dict(arrays, **{'bf16': mx.nd.array([1, 2, -3.5]).astype('bfloat16'),
                                    'ünï': mx.nd.ones((1, 1, 1, 2)),
                                    'empty': mx.nd.zeros((0, 3))}),
        'ours_list': [mx.nd.arange(24).reshape((2, 3, 4)), mx.nd.array([7], dtype='int64')],
        'ours_single': mx.nd.array([[1.5, 2.5]]),
        'ours_scalar': [mx.nd.array(np.array(2.5, np.float32)), mx.nd.ones((2,))],
        'ours_empty': [],
    }
    expected = {}
    for name, d in data.items():
        fname = os.path.join(folder, f'{name}.params')
        mx.nd.save(fname, d)
        record(expected, name, mx.nd.load(fname))
    np.savez(os.path.join(folder, 'expected.npz'), **expected)


def check_ours(folder):
    """MXNet side: load every file regluon wrote and compare with what regluon says it holds."""
    want = dict(np.load(os.path.join(folder, 'expected.npz'), allow_pickle=False))
    bad = 0
    for name in sorted({k.split('/')[0] for k in want}):
        fname = os.path.join(folder, f'{name}.params')
        with open(fname, 'rb') as f:
            v3 = f.read(28)[24:28] == struct.pack('<I', 0xF993faca)
        with mx.util.np_shape(v3):
            got = {}
            record(got, name, mx.nd.load(fname))
        for k, v in want.items():
            if k.startswith(name + '/') and not (k in got and np.array_equal(got[k], v)):
                print(f'MISMATCH {k}: MXNet {got.get(k)!r} regluon {v!r}')
                bad += 1
        print(f'{name}: {"np_shape " if v3 else ""}checked')
    print('all files regluon wrote load in MXNet with the same content' if not bad
          else f'{bad} mismatches')
    return bad


def main():
    if '--write' in sys.argv:
        return write_ours(sys.argv[-1])
    if '--check' in sys.argv:
        return check_ours(sys.argv[-1])
    os.makedirs(OUT, exist_ok=True)
    expected = {}
    for name, (data, np_shape) in cases().items():
        fname = os.path.join(OUT, f'{name}.params')
        with mx.util.np_shape(np_shape):
            mx.nd.save(fname, data)
            record(expected, name, mx.nd.load(fname))
    for name, blob in legacy_records().items():
        fname = os.path.join(OUT, f'{name}.params')
        with open(fname, 'wb') as f:
            f.write(blob)
        record(expected, name, mx.nd.load(fname))
    np.savez_compressed(os.path.join(OUT, 'expected.npz'), **expected)
    print(f'wrote {len(expected)} arrays and the .params files to {OUT}', file=sys.stderr)


if __name__ == '__main__':
    sys.exit(main())
