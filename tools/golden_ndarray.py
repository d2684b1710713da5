"""Golden data for the NDArray core: creation, dtype rules, repr, scalar ops, contexts, errors.

Run with the real MXNet 1.9.1:  $(../shared/tools/mxnet-ref.sh) tools/golden_ndarray.py
Writes tests/golden/ndarray.npz. Each case is stored as JSON (what was called, with which
arguments) next to what MXNet returned, so tests/test_ndarray_core.py replays the same call
through tests/golden/ndarray_cases.py, which runs it here too.
"""
import json
import os
import pickle
import shutil
import sys
import tempfile

import numpy as np
import mxnet as mx
from mxnet import nd

OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden', 'ndarray.npz')
PICKLE = os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden', 'ndarray_pickle.pkl')
sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden'))
import ndarray_cases  # noqa: E402  (shared with tests/test_ndarray_core.py)
from golden_util import error  # noqa: E402  (tools/golden_util.py)

ndarray_cases.use(mx)
source, build, pickled, ERRORS = (ndarray_cases.source, ndarray_cases.build,
                                  ndarray_cases.pickled, ndarray_cases.ERRORS)


# ---- creation and dtype rules: value, dtype, shape, repr -------------------------------
CREATE = [
    dict(fn='array', args=[[1, 2, 3]]),
    dict(fn='array', args=[[[1.5, 2.25], [3, 4]]]),
    dict(fn='array', args=[{'np': [[1.5, 2.5], 'float64']}]),
    dict(fn='array', args=[{'np': [[1, 2], 'int64']}]),
    dict(fn='array', args=[{'np': [[1, 2], 'uint8']}]),
    dict(fn='array', args=[{'np': [[True, False], 'bool']}]),
    dict(fn='array', args=[{'np': [[1, 2.5], 'object']}]),     # pandas .values
    dict(fn='array', args=[{'nd': [[1, 2], 'int32']}]),
    dict(fn='array', args=[{'nd': [[1, 2], 'int32']}], kw={'dtype': 'float64'}),
    dict(fn='array', args=[[1, 2]], kw={'dtype': 'int32'}),
    dict(fn='array', args=[[1.7, -1.7]], kw={'dtype': 'int64'}),
    dict(fn='array', args=[3]),
    dict(fn='array', args=[[]]),
    dict(fn='array', args=[[[], []]]),
    dict(fn='array', args=[[1, 2]], kw={'ctx': {'ctx': ['cpu', 1]}}),
    dict(fn='zeros', args=[[2, 3]]),
    dict(fn='zeros', args=[3], kw={'dtype': 'int32'}),
    dict(fn='ones', args=[[2, 2]], kw={'dtype': 'uint8'}),
    dict(fn='ones', args=[[3]], kw={'dtype': 'float16'}),
    dict(fn='ones', args=[[2]], kw={'dtype': 'bool'}),
    dict(fn='ones', args=[[2]], kw={'dtype': 'float64', 'ctx': {'ctx': ['cpu', 2]}}),
    dict(fn='full', args=[[2], 3.7], kw={'dtype': 'int32'}),
    dict(fn='full', args=[[2, 2], 2.5]),
    dict(fn='arange', args=[5]),
    dict(fn='arange', args=[2, 6], kw={'step': 1.5, 'repeat': 2}),
    dict(fn='arange', args=[2, 6], kw={'step': 2, 'repeat': 3, 'dtype': 'int32'}),
    dict(fn='arange', args=[0.1, 1.0, 0.1]),
    dict(fn='arange', args=[5], kw={'dtype': 'int64'}),
    dict(fn='arange', args=[24], reshape=[2, 3, 4]),
    dict(fn='arange', args=[2000]),
    dict(fn='arange', args=[3000], reshape=[1000, 3]),
    dict(fn='arange', args=[5], kw={'dtype': 'int32'}),
    dict(fn='linspace', args=[0, 1, 5]),
    dict(fn='linspace', args=[0, 1, 5], kw={'endpoint': False}),
    dict(fn='linspace', args=[0, 10, 4], kw={'dtype': 'int32'}),
    dict(fn='eye', args=[3]),
    dict(fn='eye', args=[2, 3, 1]),
    dict(fn='eye', args=[3], kw={'k': -1, 'dtype': 'int32'}),
    dict(fn='zeros_like', args=[{'nd': [[1, 2], 'int32']}]),
    dict(fn='ones_like', args=[{'nd': [[[1, 2]], 'float64']}]),
    dict(fn='array', args=[[1.5e10, 1]]),
    dict(fn='array', args=[[1e-5, 1, 0.1]]),
    dict(fn='array', args=[[0.1, 0.25, 0.3333333333]]),
    dict(fn='array', args=[[float('nan'), float('inf'), -float('inf'), 0]]),
    dict(fn='array', args=[[-128, 5]], kw={'dtype': 'int8'}),
    dict(fn='array', args=[[2 ** 40, -1]], kw={'dtype': 'int64'}),
]

# ---- scalar and same-dtype binary ops: MXNet keeps the array's dtype -------------------
SCALAR = [  # source, python operator name, scalar (reflected ops have 'r' in front)
    ({'nd': [[3, 4, -7], 'int32']}, '__truediv__', 2),
    ({'nd': [[3, 4, -7], 'int32']}, '__mul__', 1.5),
    ({'nd': [[3, 4, -7], 'int32']}, '__add__', 2.7),
    ({'nd': [[3, 4, -7], 'int32']}, '__sub__', 1),
    ({'nd': [[3, 4, -7], 'int32']}, '__mod__', 3),
    ({'nd': [[3, 4, -7], 'int32']}, '__pow__', 2),
    ({'nd': [[3, 4, -7], 'int32']}, '__rtruediv__', 12),
    ({'nd': [[3, 4, -7], 'int32']}, '__rsub__', 1),
    ({'nd': [[250, 3], 'uint8']}, '__add__', 10),
    ({'nd': [[1.5, 2.5], 'float16']}, '__mul__', 3),
    ({'nd': [[1.5, 2.5], 'float64']}, '__truediv__', 3),
    ({'nd': [[1.5, 2.5], 'float32']}, '__rpow__', 2),
    ({'nd': [[3, 4, -7], 'int32']}, '__gt__', 3),
    ({'nd': [[1.5, 2.5], 'float32']}, '__eq__', 2.5),
    # integer arrays: the scalar is cast to the array's dtype before the op
    ({'nd': [[3, 4, -7], 'int32']}, '__truediv__', 2.5),
    ({'nd': [[3, 4, -7], 'int32']}, '__add__', -2.7),
    ({'nd': [[3, 4, -7], 'int32']}, '__gt__', 3.5),
    ({'nd': [[3, 4, -7], 'int32']}, '__eq__', 3.2),
    ({'nd': [[3, 4, -7], 'int32']}, '__rtruediv__', 12.9),
    ({'nd': [[3, 4, -7], 'int32']}, '__rsub__', 1.5),
    ({'nd': [[3, 4, -7], 'int32']}, '__rpow__', 2.5),
    ({'nd': [[1], 'int64']}, '__add__', 2.9),
]

# ---- name= and attr=: every operator takes them; imperatively they are ignored ---------
NAMED = [  # operator, positional arguments (specs), keyword arguments
    ('relu', [{'nd': [[-1, 2], 'float32']}], {'name': 'r'}),
    ('relu', [{'nd': [[-1, 2], 'float32']}], {'attr': {'lr_mult': '2'}}),
    ('exp', [{'nd': [[0, 1], 'float32']}], {'name': None}),
    ('elemwise_add', [{'nd': [[1, 2], 'float32']}, {'nd': [[3, 4], 'float32']}],
     {'name': 'e', 'attr': {'a': 'b'}}),
    ('dot', [{'nd': [[1, 2], 'float32']}, {'nd': [[3, 4], 'float32']}], {'name': 'd'}),
    ('sum', [{'nd': [[[1, 2], [3, 4]], 'float32']}], {'axis': 0, 'name': 's'}),
    ('split', [{'nd': [[[1, 2, 3, 4]], 'float32']}], {'num_outputs': 2, 'name': 's'}),
    ('FullyConnected', [{'nd': [[[1, 2]], 'float32']}, {'nd': [[[1, 1], [2, 0]], 'float32']},
                        {'nd': [[0.5, 0], 'float32']}], {'num_hidden': 2, 'name': 'fc1'}),
]


# ---- pickle: MXNet's state is {'handle': the array as one NDArray::Save record} ----------
def NDArrayNone():  # pylint: disable=invalid-name
    return nd.NDArray(None)


# ---- test_utils.get_mnist on local files (the bundled subset, named as MXNet's) --------
BUNDLED = os.path.join(os.path.dirname(__file__), '..', 'regluon', 'data', 'mnist')
MNIST_COPIES = {'train': 'train', 't10k': 'test'}   # MXNet's file prefix -> bundled prefix


def mnist_folder(dst):
    """Fill `dst` with the bundled subset under MXNet's MNIST file names."""
    for theirs, ours in MNIST_COPIES.items():
        for kind in ('images-idx3', 'labels-idx1'):
            shutil.copy(os.path.join(BUNDLED, f'{ours}-{kind}-ubyte.gz'),
                        os.path.join(dst, f'{theirs}-{kind}-ubyte.gz'))


def mnist_summary(d):
    """What a test compares: per key dtype, shape, sum, and a few values."""
    out = {}
    for k in sorted(d):
        a = d[k]
        out[f'mnist/{k}/sum'] = np.array(a.astype(np.float64).sum())
        out[f'mnist/{k}/head'] = a.reshape(len(a), -1)[:3, 150:160] if a.ndim > 1 else a[:20]
        out[f'mnist/{k}/shape'] = np.array(a.shape)
        out[f'mnist/{k}/dtype'] = np.array(a.dtype.name)
    return out


def record(x):
    return {'dtype': np.dtype(x.dtype).name, 'shape': list(x.shape), 'repr': repr(x)}


def main():
    cases = []
    data = {}
    for i, case in enumerate(CREATE):
        x = build(case)
        cases.append(dict(case, **record(x), context=str(x.context)))
        data[f'create_{i}'] = x.asnumpy()
    for i, (src, meth, scalar) in enumerate(SCALAR):
        x = getattr(source(src), meth)(scalar)
        cases.append(dict(fn='scalar', src=src, op=meth, scalar=scalar, **record(x)))
        data[f'scalar_{i}'] = x.asnumpy()
    for i, (fn, args, kw) in enumerate(NAMED):
        for j, x in enumerate(ndarray_cases.named(fn, args, kw)):
            data[f'named_{i}_{j}'] = x.asnumpy()
    data['named'] = np.array(json.dumps(NAMED))
    data['named_method'] = source(NAMED[0][1][0]).relu(name='q', attr={'a': 'b'}).asnumpy()
    arrays = pickled()
    with open(PICKLE, 'wb') as f:            # as an MXNet user would pickle them
        pickle.dump(arrays, f, protocol=2)
    for k, x in arrays.items():
        data[f'pickle_value/{k}'] = x.asnumpy()
        data[f'pickle_state/{k}'] = np.frombuffer(bytes(x.__getstate__()['handle']), np.uint8)
    back = pickle.loads(pickle.dumps(arrays['u8_cpu2']))
    data['pickle_misc'] = np.array(json.dumps({
        'context_after': str(back.context), 'dtype_after': np.dtype(back.dtype).name,
        'none_state': NDArrayNone().__getstate__()}))
    here = os.getcwd()
    with tempfile.TemporaryDirectory() as tmp:
        mnist_folder(tmp)
        os.chdir(tmp)
        try:
            data.update(mnist_summary(mx.test_utils.get_mnist()))
        finally:
            os.chdir(here)
    errors = {name: error(fn) for name, fn in ERRORS.items()}
    one = nd.array([[2.5]])
    misc = {
        'asscalar_1d': repr(nd.array([2.5]).asscalar()),
        'asscalar_2d': repr(one.asscalar()),
        'bool': [bool(nd.array([])), bool(nd.array([0])), bool(nd.array([3]))],
        'len': len(nd.ones((4, 2))),
        'iter_1d': [x.shape for x in nd.array([1, 2])],
        'iter_2d': [x.shape for x in nd.ones((3, 2))],
        'astype_nocopy_same': nd.ones((1,)).astype('float32', copy=False).dtype.__name__,
        'copyto_self': repr(one.copyto(one)),
        'str_equals_repr': str(one) == repr(one),
        'contexts': [repr(c) for c in (mx.cpu(), mx.gpu(1), mx.cpu_pinned(), mx.Context('cpu'),
                                       mx.Context(mx.gpu(3)), mx.cpu(5))],
        'context_typeid': [mx.cpu().device_typeid, mx.gpu().device_typeid,
                           mx.cpu_pinned().device_typeid],
        'context_eq': [mx.cpu(0) == mx.cpu(0), mx.cpu(0) == mx.cpu(1),
                       mx.cpu(0) == mx.gpu(0), mx.cpu(0) == 'cpu(0)',
                       hash(mx.cpu(1)) == hash(mx.Context('cpu', 1))],
        'current_context': repr(mx.current_context()),
    }
    with mx.Context('cpu', 2):
        misc['with_context'] = [repr(mx.current_context()), repr(nd.ones((1,)).context)]
    misc['after_with'] = repr(mx.current_context())
    data['cases'] = np.array(json.dumps(cases))
    data['errors'] = np.array(json.dumps(errors))
    data['misc'] = np.array(json.dumps(misc))
    np.savez_compressed(OUT, **data)
    print('wrote', OUT, len(cases), 'cases,', len(errors), 'errors')


if __name__ == '__main__':
    main()
