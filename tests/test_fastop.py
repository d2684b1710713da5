"""The C operator wrapper (regluon/ndarray/_fastop.c) behaves as the Python one (register.py).

Each row of CASES runs here (the C wrapper when built) and in a child interpreter with
REGLUON_PURE_PYTHON=1 (the Python `run`, the specification); results, errors, gradients
and torch's grad mode afterwards must be the same. Run as a script, this file prints the
outcomes as JSON (what the child does).
"""
import copy
import gc
import inspect
import json
import os
import pathlib
import pydoc
import shutil
import subprocess
import sys
import sysconfig

import numpy as np
import pytest
import torch

import regluon as mx
from regluon import autograd, nd
from regluon.ndarray import register

FAST = register.FastOp is not None
PURE = os.environ.get('REGLUON_PURE_PYTHON') == '1'
needs_fast = pytest.mark.skipif(not FAST, reason='the C wrapper is not in use: '
                                'REGLUON_PURE_PYTHON=1 or built without a C compiler')


def _arrays():
    a = nd.array([[1.0, -2.0, 3.0], [4.0, 5.0, -6.0]])
    b = nd.array([[0.5, 1.0, 2.0], [3.0, -1.0, 4.0]])
    i = nd.array([[1, 2, 3], [4, 5, 6]], dtype='int32')
    m = nd.array(np.arange(16).reshape(4, 4) / 10)
    return a, b, i, m


def _recorded(fn):
    """Gradient of fn(a, b).sum() w.r.t. a and b inside record()."""
    def case(a, b, i, m):
        a.attach_grad()
        b.attach_grad()
        with autograd.record():
            y = fn(a, b)
            z = y.sum()
        z.backward()
        return [y, a.grad, b.grad]
    return case


def _grad_mode_on(fn):
    """fn outside record() after raw torch code turned torch's grad mode on."""
    def case(a, b, i, m):
        a.attach_grad()
        torch.set_grad_enabled(True)
        y = fn(a, b)
        return [y, torch.is_grad_enabled()]
    return case


def _written(x, part):
    """`part` of `x`, then x after writing 7 into part: a view writes through."""
    before = part.asnumpy().tolist()
    part[:] = 7
    return [before, x]


def _inplace(x, method, other):
    """x op= other through the method; whether x kept its identity, and x."""
    res = getattr(x, method)(other)
    return [res is x, x]


def _chain(a, b):
    y = a * 2
    y += b
    y *= a
    return y


def _bound(a, b, i, m):
    f, g = a.exp, a.__add__
    return [f(), g(b), g(2)]


CASES = {
    # unary: nd.<op>, method, bound method object
    'nd.exp(a)': lambda a, b, i, m: nd.exp(a),
    'a.exp()': lambda a, b, i, m: a.exp(),
    'nd.relu(i)': lambda a, b, i, m: nd.relu(i),
    '-a': lambda a, b, i, m: -a,
    'bound methods': _bound,
    'a.sum()': lambda a, b, i, m: a.sum(),
    'i.sum()': lambda a, b, i, m: i.sum(),
    'nd.sum(a, 1)': lambda a, b, i, m: nd.sum(a, 1),
    'nd.sum(a, axis=0)': lambda a, b, i, m: nd.sum(a, axis=0),
    # binary with every kind of second argument
    'a + b': lambda a, b, i, m: a + b,
    'a + 2.5': lambda a, b, i, m: a + 2.5,
    'a * 2': lambda a, b, i, m: a * 2,
    'i * 1.5': lambda a, b, i, m: i * 1.5,
    'i / 2': lambda a, b, i, m: i / 2,
    'a + True': lambda a, b, i, m: a + True,
    'i + True': lambda a, b, i, m: i + True,
    'a + np.float32(2)': lambda a, b, i, m: a + np.float32(2),
    'i + np.int64(2)': lambda a, b, i, m: i + np.int64(2),
    'a + 2**70': lambda a, b, i, m: a + 2 ** 70,
    'a == b': lambda a, b, i, m: a == b,
    'a > 1': lambda a, b, i, m: a > 1,
    '2 - a': lambda a, b, i, m: 2 - a,
    '2.5 / a': lambda a, b, i, m: 2.5 / a,
    'np.float32(2) * a': lambda a, b, i, m: np.float32(2) * a,
    'a ** 2': lambda a, b, i, m: a ** 2,
    'nd.dot(m, m)': lambda a, b, i, m: nd.dot(m, m),
    'nd.dot(a, b.T)': lambda a, b, i, m: nd.dot(a, b.T),
    'nd.dot(a[0], b[0])': lambda a, b, i, m: nd.dot(a[0], b[0]),
    'nd.maximum(a, 0)': lambda a, b, i, m: nd.maximum(a, 0),
    # multi-output
    'nd.split(a, 2)': lambda a, b, i, m: nd.split(a, 2, 0),
    'nd.split(a, 3)': lambda a, b, i, m: nd.split(a, 3),
    'nd.split(a, num_outputs=2, axis=0)':
        lambda a, b, i, m: nd.split(a, num_outputs=2, axis=0),
    # keywords, out=, name=
    'nd.exp(a, out=b)': lambda a, b, i, m: [nd.exp(a, out=b), b],
    'nd.exp(a, name=x)': lambda a, b, i, m: nd.exp(a, name='x'),
    'nd.exp(data=a)': lambda a, b, i, m: nd.exp(data=a),
    # errors
    'a + i (dtypes)': lambda a, b, i, m: a + i,
    'nd.dot(a, b) (shapes)': lambda a, b, i, m: nd.dot(a, b),
    'a + m (shapes)': lambda a, b, i, m: a + m,
    'a + None': lambda a, b, i, m: a + None,
    "a + 'x'": lambda a, b, i, m: a + 'x',
    'nd.exp()': lambda a, b, i, m: nd.exp(),
    'nd.exp(a, a, a)': lambda a, b, i, m: nd.exp(a, a, a),
    'nd.split(a, 4) (uneven)': lambda a, b, i, m: nd.split(a, 4),
    # first argument not an NDArray
    'nd.exp(numpy)': lambda a, b, i, m: nd.exp(np.ones(3)),
    'nd.exp(list)': lambda a, b, i, m: nd.exp([1.0, 2.0]),
    'nd.exp(2.0)': lambda a, b, i, m: nd.exp(2.0),
    'nd.dot(numpy, m)': lambda a, b, i, m: nd.dot(np.ones((4, 4)), m),
    'NDArray.exp(None)': lambda a, b, i, m: nd.NDArray.exp(None),
    # recording
    'record a * b + exp(a)': _recorded(lambda a, b: a * b + nd.exp(a)),
    'record a.sum() * b': _recorded(lambda a, b: a.sum() * b),
    'record 2 - a + b / 3': _recorded(lambda a, b: 2 - a + b / 3),
    'record split': _recorded(lambda a, b: nd.split(a * b, 2, 0)[1]),
    'grad mode on: exp': _grad_mode_on(lambda a, b: nd.exp(a)),
    'grad mode on: a * b': _grad_mode_on(lambda a, b: a * b),
    'grad mode on: a.sum()': _grad_mode_on(lambda a, b: a.sum()),
    'grad mode on: a * 2': _grad_mode_on(lambda a, b: a * 2),
    'grad mode on: split': _grad_mode_on(lambda a, b: nd.split(a, 2, 0)),
    # x[key] (NDArray.__getitem__: int and plain-slice keys in C)
    'a[1]': lambda a, b, i, m: a[1],
    'a[-1]': lambda a, b, i, m: a[-1],
    'a[0][2] (1-d: shape (1,))': lambda a, b, i, m: a[0][2],
    'a[2] (out of range)': lambda a, b, i, m: a[2],
    'a[1:]': lambda a, b, i, m: a[1:],
    'a[:, 1:]': lambda a, b, i, m: a[:, 1:],
    'a[:, 1:] is a copy': lambda a, b, i, m: _written(a, a[:, 1:]),
    'm[1:3] is a view': lambda a, b, i, m: _written(m, m[1:3]),
    'm[1:2, 1:] (one row: a view)': lambda a, b, i, m: _written(m, m[1:2, 1:]),
    'm[1:3, 1:] (two axes)': lambda a, b, i, m: m[1:3, 1:],
    'a[5:]': lambda a, b, i, m: a[5:],
    'a[:, 2:1]': lambda a, b, i, m: a[:, 2:1],
    'a[::2]': lambda a, b, i, m: a[::2],
    'a[:, np.int64(1):]': lambda a, b, i, m: a[:, np.int64(1):],
    'a[1, 1:]': lambda a, b, i, m: a[1, 1:],
    'a[:]': lambda a, b, i, m: [a[:] is a, a[:]],
    'a[True]': lambda a, b, i, m: a[True],
    'a.T[:, 1:] (not contiguous)': lambda a, b, i, m: a.T[:, 1:],
    'a[:, :, 1:] (too many)': lambda a, b, i, m: a[:, :, 1:],
    'record a[1] * b[0]': _recorded(lambda a, b: a[1] * b[0]),
    'record a[:, 1:] + b[:, :2]': _recorded(lambda a, b: a[:, 1:] + b[:, :2]),
    'grad mode on: a[1]': _grad_mode_on(lambda a, b: a[1]),
    'grad mode on: a[:, 1:]': _grad_mode_on(lambda a, b: a[:, 1:]),
    # x op= y (ndarray.py's in-place operators: the common case in C)
    'a += b': lambda a, b, i, m: _inplace(a, '__iadd__', b),
    'a -= 2': lambda a, b, i, m: _inplace(a, '__isub__', 2),
    'a *= 2.5': lambda a, b, i, m: _inplace(a, '__imul__', 2.5),
    'i += 1.7 (cast to int first)': lambda a, b, i, m: _inplace(i, '__iadd__', 1.7),
    'i /= 2 (truncates)': lambda a, b, i, m: _inplace(i, '__itruediv__', 2),
    'a %= 2': lambda a, b, i, m: _inplace(a, '__imod__', 2),
    'a **= 2': lambda a, b, i, m: _inplace(a, '__ipow__', 2),
    'a += True': lambda a, b, i, m: _inplace(a, '__iadd__', True),
    'a += np.float32(2)': lambda a, b, i, m: _inplace(a, '__iadd__', np.float32(2)),
    'a += i (dtypes)': lambda a, b, i, m: _inplace(a, '__iadd__', i),
    'a += m (shapes)': lambda a, b, i, m: _inplace(a, '__iadd__', m),
    'a += b[0] (broadcast)': lambda a, b, i, m: _inplace(a, '__iadd__', b[0]),
    "a += 'x'": lambda a, b, i, m: _inplace(a, '__iadd__', 'x'),
    'a[0] += 1 (a view)': lambda a, b, i, m: [_inplace(a[0], '__iadd__', 1), a],
    'attached a += 1': lambda a, b, i, m: [a.attach_grad(), _inplace(a, '__iadd__', 1)][1],
    'record y = a * 2; y += b; y *= a': _recorded(lambda a, b: _chain(a, b)),
    'grad mode on: b += 1': _grad_mode_on(lambda a, b: _inplace(b, '__iadd__', 1)),
    # what inspect, help() and copy see
    'signature nd.dot': lambda a, b, i, m: str(inspect.signature(nd.dot)),
    'signature a.exp': lambda a, b, i, m: str(inspect.signature(a.exp)),
    'signature nd.sum': lambda a, b, i, m: str(inspect.signature(nd.sum)),
    'names': lambda a, b, i, m: [(f.__name__, f.__qualname__, f.__module__, f.__doc__)
                                 for f in (nd.exp, nd.dot, nd.NDArray.__add__)],
    'deepcopy': lambda a, b, i, m: [copy.deepcopy(nd.exp) is nd.exp,
                                    copy.copy(nd.dot) is nd.dot],
}


def _encode(v):
    """A JSON-able description of a result: arrays by shape, dtype, values, graph state."""
    if isinstance(v, nd.NDArray):
        return ['NDArray', type(v).__name__, list(v.shape), v.dtype.__name__,
                v.asnumpy().tolist(), v._t.requires_grad, v._t.grad_fn is not None,
                str(v.context), v._ctx is None, v.grad is not None]
    if isinstance(v, (list, tuple)):
        return [type(v).__name__, [_encode(x) for x in v]]
    if isinstance(v, (bool, int, float, str)) or v is None:
        return v
    return repr(v)


def outcome(case):
    """The encoded result of CASES[case] on fresh arrays, or ['raised', type, message]."""
    try:
        return _encode(CASES[case](*_arrays()))
    except Exception as e:                     # pylint: disable=broad-except
        return ['raised', type(e).__name__, str(e)]
    finally:
        torch.set_grad_enabled(False)          # in step again (MXNet: not recording)


@pytest.fixture(scope='module')
def pure():
    env = dict(os.environ, REGLUON_PURE_PYTHON='1')
    out = subprocess.run([sys.executable, __file__], env=env, capture_output=True,
                         text=True, check=True, cwd=pathlib.Path(__file__).parent.parent)
    return json.loads(out.stdout)


def test_the_c_wrapper_is_built_and_used():
    if PURE:
        pytest.skip('REGLUON_PURE_PYTHON=1: the Python wrapper is forced')
    cc = (sysconfig.get_config_var('CC') or 'cc').split()[0]
    if not FAST and shutil.which(cc) is None:
        pytest.skip(f'no C compiler ({cc}): regluon/ndarray/_fastop.c was not built')
    assert FAST, ("regluon/ndarray/_fastop.c is not built although a C compiler is here: "
                  "run `pip install -e .` (or `make venv`) to build it")
    for f in (nd.exp, nd.dot, nd.NDArray.__add__, nd.NDArray.sum):
        assert type(f) is register.FastOp and f._slow.__wrapped__ is f.__wrapped__
    assert repr(nd.exp) == '<regluon operator exp>'
    for name in ('__getitem__', '__iadd__', '__itruediv__', '__idiv__'):   # in C as well
        f = getattr(nd.NDArray, name)
        assert type(f) is register.FastOp and f.__name__ == name.replace('idiv', 'itruediv')


@needs_fast
@pytest.mark.parametrize('case', list(CASES))
def test_c_and_python_wrappers_agree(case, pure):
    assert outcome(case) == pure[case]


def test_help_shows_signature_and_doc():
    text = pydoc.render_doc(nd.dot, renderer=pydoc.plaintext)
    assert 'dot(lhs, rhs' in text and nd.dot.__doc__.strip().splitlines()[0] in text


@needs_fast
def test_descriptor_protocol():
    a = nd.ones((2,))
    assert nd.NDArray.exp is nd.exp                     # through the class: itself
    f = a.exp
    assert f.__self__ is a and f.__func__ is nd.exp     # through an instance: bound
    assert nd.exp.__get__(None, nd.NDArray) is nd.exp
    held = gc.get_referents(nd.exp)                     # tp_traverse sees what it holds
    assert gc.is_tracked(nd.exp) and nd.exp.__wrapped__ in held and nd.exp._slow in held


def _rss_mb():
    with open('/proc/self/statm') as f:
        return int(f.read().split()[1]) * os.sysconf('SC_PAGE_SIZE') / 2 ** 20


@needs_fast
def test_no_reference_leaks():
    a = nd.array([[1.0, 2.0], [3.0, 4.0]], ctx=mx.cpu(1))
    b = nd.array([[3.0, 4.0], [5.0, 6.0]])
    i = nd.array([[1, 2], [3, 4]], dtype='int32')
    s = 2.5
    assert a._ctx is not None                          # a label object to count
    t, ctx = a._t, a._ctx
    calls = [lambda: nd.exp(a), lambda: a + b, lambda: a * s, lambda: a.sum(),
             lambda: nd.split(a, 2), lambda: nd.exp(a, name='x')]
    errors = [lambda: a + i, lambda: a + None]
    before = [sys.getrefcount(x) for x in (t, ctx, s, b._t, a, nd.exp)]
    for _ in range(2000):
        for c in calls:
            c()
        for c in errors:
            with pytest.raises(Exception):
                c()
    after = [sys.getrefcount(x) for x in (t, ctx, s, b._t, a, nd.exp)]
    assert after == before
    r = a + b
    counts = sys.getrefcount(r), sys.getrefcount(r._t)   # not in the assert: pytest keeps
    assert counts == (2, 2)                              # its operands alive
    assert r._ctx is ctx and r._grad is None
    add = nd.NDArray.__add__
    rss = _rss_mb()
    for _ in range(300_000):                          # a leaked tensor: > 100 MB here
        add(a, b)
    assert _rss_mb() - rss < 20


if __name__ == '__main__':
    json.dump({case: outcome(case) for case in CASES}, sys.stdout)
