"""Shape operators against MXNet 1.9.1: values, dtypes, shapes, errors and gradients.

The case tables are in tests/golden/ops_shape_cases.py; tools/golden_ops_shape.py ran them
under the real MXNet and stored what it returned (or raised) in tests/golden/ops_shape.npz.
"""
import re
import sys
import pathlib

import numpy as np
import pytest

import regluon as mx
from regluon.base import MXNetError
from regluon.ndarray import shape as shp
from regluon.ndarray.register import OPS

sys.path.insert(0, str(pathlib.Path(__file__).parent / 'golden'))
import ops_shape_cases as cases  # noqa: E402
from conftest import golden  # noqa: E402

G = golden('ops_shape')
nd = mx.nd
_ERRORS = {'MXNetError': MXNetError, 'IndexError': IndexError, 'ValueError': ValueError,
           'TypeError': TypeError}


def _env():
    env = {'nd': nd, 'np': np, 'mx': mx}
    env.update({name: eval(src, env) for name, src in cases.INPUTS.items()})
    return env


def check_case(table, src):
    """Run `src` under regluon and compare with what MXNet did (tests/golden)."""
    rows = list(G[f'{table}_src'])
    assert src in rows, f"no golden for {src!r}: rerun tools/golden_ops_shape.py"
    key = f'{table}_{rows.index(src)}_'
    env = _env()
    if key + 'err' in G:
        err = _ERRORS[str(G[key + 'err'])]
        with pytest.raises(err) as info:
            exec(src, env)
        return info
    exec(src, env)
    r = env.get('r')
    if key + 'list' in G:
        assert isinstance(r, list) and len(r) == int(G[key + 'list'])
    rs = [] if r is None else (r if isinstance(r, list) else [r])
    assert len(rs) == sum(1 for k in G if k.startswith(key + 'r'))
    for j, a in enumerate(rs):
        assert isinstance(a, nd.NDArray)
        want = G[f'{key}r{j}']
        assert a.shape == want.shape and a.dtype == want.dtype, (a.shape, a.dtype, want.dtype)
        np.testing.assert_array_equal(a.asnumpy(), want)
    np.testing.assert_array_equal(env['x'].asnumpy(), G[key + 'x'])
    return None


@pytest.mark.parametrize('src', cases.OPS)
def test_op(src):
    info = check_case('OPS', src)
    if info is not None and info.type is MXNetError:
        # the message names the operator (the first nd.<op> or .<method> in the case)
        name = re.search(r'(?:nd\.|\.)(\w+)\(', src.split('=', 1)[1]).group(1)
        name = OPS[name].name if name in OPS else name      # aliases: the canonical name
        assert name.lower() in str(info.value).lower(), str(info.value)


@pytest.mark.parametrize('i', range(len(cases.GRADS)), ids=[s for s, _ in cases.GRADS])
def test_grad(i):
    src, names = cases.GRADS[i]
    assert G['GRADS_src'][i] == src, "GRADS changed: rerun tools/golden_ops_shape.py"
    env = _env()
    variables = [env[n] for n in names.split()]
    for v in variables:
        v.attach_grad()
    with mx.autograd.record():
        exec(src, env)
    heads = env['r'] if isinstance(env['r'], list) else [env['r']]
    mx.autograd.backward(heads, [nd.arange(1, h.size + 1).reshape(h.shape) for h in heads])
    for j, v in enumerate(variables):
        np.testing.assert_array_equal(v.grad.asnumpy(), G[f'GRADS_{i}_g{j}'])


# ---- the pure resolver in regluon/ndarray/shape.py -------------------------------------
RESHAPE = [  # input shape, codes, reverse, expected (MXNet's documented examples)
    ((2, 3, 4), (4, 0, 2), False, (4, 3, 2)),
    ((2, 3, 4), (2, 0, 0), False, (2, 3, 4)),
    ((2, 3, 4), (6, 1, -1), False, (6, 1, 4)),
    ((2, 3, 4), (3, -1, 8), False, (3, 1, 8)),
    ((2, 3, 4), (-1,), False, (24,)),
    ((2, 3, 4), (-2,), False, (2, 3, 4)),
    ((2, 3, 4), (2, -2), False, (2, 3, 4)),
    ((2, 3, 4), (-2, 1, 1), False, (2, 3, 4, 1, 1)),
    ((2, 3, 4), (-3, 4), False, (6, 4)),
    ((2, 3, 4, 5), (-3, -3), False, (6, 20)),
    ((2, 3, 4), (0, -3), False, (2, 12)),
    ((2, 3, 4), (-3, -2), False, (6, 4)),
    ((2, 3, 4), (-4, 1, 2, -2), False, (1, 2, 3, 4)),
    ((2, 3, 4), (2, -4, -1, 3, -2), False, (2, 1, 3, 4)),
    ((10, 5, 4), (-1, 0), False, (40, 5)),
    ((10, 5, 4), (-1, 0), True, (50, 4)),
    ((0, 3), (-1, 3), False, (0, 3)),
]


@pytest.mark.parametrize('src, codes, reverse, want', RESHAPE)
def test_reshape_resolver(src, codes, reverse, want):
    assert shp.reshape(src, codes, reverse) == want


@pytest.mark.parametrize('src, codes, words', [
    ((2, 3, 4), (5, 5), ['(5, 5)', 'size 25', '(2, 3, 4)', 'size 24']),
    ((2, 3, 4), (-1, -1), ['one and only one']),
    ((2, 3, 4), (0, 0, 0, 0), ['code 0']),
    ((2, 3, 4), (-3, -3), ['-3']),
    ((2, 3, 4), (-4, 5, -1, -2), ['do not divide']),
    ((2, 3, 4), (-5,), ['unknown code -5']),
])
def test_reshape_resolver_errors(src, codes, words):
    with pytest.raises(MXNetError) as info:
        shp.reshape(src, codes)
    for w in words:
        assert w in str(info.value)


def test_reshape_size_mismatch_is_an_error():
    # MXNet 1.9.1 returns garbage for nd.reshape(x, shape=(5, 5)) on 24 elements (no size
    # check in the imperative path); we refuse, naming both shapes.
    with pytest.raises(MXNetError, match=r"reshape.*\(5, 5\).*\(2, 3, 4\)"):
        nd.reshape(nd.zeros((2, 3, 4)), shape=(5, 5))


def test_concat_error_names_both_shapes():
    with pytest.raises(MXNetError, match=r"concat.*\(2, 3, 5\).*\(2, 3, 4\)"):
        nd.concat(nd.zeros((2, 3, 4)), nd.zeros((2, 3, 5)))


def test_out_argument_and_concatenate():
    x = nd.arange(6).reshape((2, 3))
    out = nd.zeros((3, 2))
    res = nd.transpose(x, out=out)
    assert res is out
    np.testing.assert_array_equal(out.asnumpy(), np.arange(6).reshape(2, 3).T)
    np.testing.assert_array_equal(nd.concatenate([x, x]).asnumpy(),
                                  np.concatenate([x.asnumpy()] * 2))


def test_reshape_method_keywords():
    x = nd.arange(6)
    with pytest.raises(TypeError, match='unknown keywords'):
        x.reshape((2, 3), order='C')
    with pytest.raises(TypeError, match='shape'):
        x.reshape()


def test_broadcast_like_with_empty_axes_is_mxnets_error():
    # MXNet 1.9.1: "Check failed: lhs_axes.ndim() > 0: Empty axes tuple is not allowed"
    with pytest.raises(MXNetError, match='Empty axes tuple is not allowed'):
        nd.broadcast_like(nd.ones((1,)), nd.ones((5,)), lhs_axes=(), rhs_axes=())
