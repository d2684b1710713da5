"""nd.Correlation (FlowNet's correlation layer) against MXNet 1.9.1 (goldens by
tools/golden_correlation.py): outputs and both inputs' gradients for kernel sizes 1/3/5,
strides, padding, products and absolute differences; hybridized and symbolic use; errors."""
import json
import sys

import numpy as np
import pytest

import regluon as mx
from regluon import autograd, nd
from regluon.base import MXNetError
from regluon.gluon import nn

from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
import correlation_cases as cases  # noqa: E402

G = golden('correlation')
SEEDED = [(seed,) + case for seed, case in enumerate(cases.CASES)]


def tol(dtype):
    return dict(rtol=1e-5, atol=1e-6) if dtype == 'float32' else dict(rtol=1e-12, atol=1e-14)


@pytest.mark.parametrize('seed, name, shape, kwargs, dtype', SEEDED,
                         ids=[c[0] for c in cases.CASES])
def test_output_and_gradients_equal_mxnet(seed, name, shape, kwargs, dtype):
    y, g1, g2 = cases.run(nd, autograd, shape, kwargs, dtype, seed)
    assert y.dtype == G[f'{name}/y'].dtype
    np.testing.assert_allclose(y, G[f'{name}/y'], **tol(dtype))
    np.testing.assert_allclose(g1, G[f'{name}/grad1'], **tol(dtype))
    np.testing.assert_allclose(g2, G[f'{name}/grad2'], **tol(dtype))


class Corr(nn.HybridBlock):
    def __init__(self, **kwargs):
        super().__init__()
        self._kwargs = kwargs

    def hybrid_forward(self, F, a, b):
        return F.Correlation(a, b, **self._kwargs)


@pytest.mark.parametrize('seed, name, shape, kwargs, dtype', SEEDED[1:6:2],
                         ids=[c[0] for c in cases.CASES[1:6:2]])
def test_hybridized_equals_mxnet(seed, name, shape, kwargs, dtype):
    (x1, x2), _ = cases.inputs(shape, dtype, seed)
    block = Corr(**kwargs)
    block.hybridize()
    for _ in range(2):                  # the trace, then the cached graph
        y = block(nd.array(x1), nd.array(x2))
        np.testing.assert_allclose(y.asnumpy(), G[f'{name}/y'], **tol(dtype))


def test_symbol_shapes_and_forward():
    name, shape, kwargs, _ = cases.CASES[2]
    s = mx.sym.Correlation(mx.sym.var('a'), mx.sym.var('b'), **kwargs)
    assert s.list_arguments() == ['a', 'b'] and len(s.list_outputs()) == 1
    args, outs, aux = s.infer_shape(a=shape, b=shape)
    assert (args, outs, aux) == ([shape, shape], [G[f'{cases.CASES[2][0]}/y'].shape], [])
    (x1, x2), _ = cases.inputs(shape, 'float32', 2)
    y = s.eval(a=nd.array(x1), b=nd.array(x2))[0]
    np.testing.assert_allclose(y.asnumpy(), G[f'{name}/y'], rtol=1e-5, atol=1e-6)
    with pytest.raises(MXNetError, match='b'):      # MXNet needs data2's shape too
        s.infer_shape(a=shape)


def nodes(text):
    """Each node's operator, attributes and inputs (names hold a process-wide counter)."""
    return [(n['op'], n.get('attrs'), n['inputs']) for n in json.loads(text)['nodes']]


@pytest.mark.parametrize('seed, name, shape, kwargs, dtype', SEEDED[3:7],
                         ids=[c[0] for c in cases.CASES[3:7]])
def test_mxnet_json_loads_and_runs(seed, name, shape, kwargs, dtype):
    """MXNet's saved graph (attributes as strings, is_multiply='False') gives its output,
    and regluon writes the same JSON."""
    s = mx.sym.load_json(str(G[f'{name}/json']))
    (x1, x2), _ = cases.inputs(shape, dtype, seed)
    y = s.eval(a=nd.array(x1), b=nd.array(x2))[0]
    np.testing.assert_allclose(y.asnumpy(), G[f'{name}/y'], **tol(dtype))
    mine = mx.sym.Correlation(mx.sym.var('a'), mx.sym.var('b'), **kwargs)
    assert nodes(mine.tojson()) == nodes(str(G[f'{name}/json']))


@pytest.mark.parametrize('name, shape, dtype, kwargs, phrase', cases.ERRORS,
                         ids=[c[0] for c in cases.ERRORS])
def test_errors_as_mxnet(name, shape, dtype, kwargs, phrase):
    assert phrase in str(G[f'error/{name}'])
    x = nd.ones(shape, dtype=dtype)
    with pytest.raises(MXNetError) as e:
        nd.Correlation(x, x, **kwargs)
    assert 'Correlation' in str(e.value) and phrase in str(e.value)


# MXNet 1.9.1 crashes the process on these (double free) or reads out of bounds
@pytest.mark.parametrize('kwargs, shape2, phrase', [
    (dict(stride2=0), None, 'stride2 should be >= 1, got stride2=0'),
    (dict(stride1=0), None, 'stride1 should be >= 1, got stride1=0'),
    (dict(pad_size=-1), None, 'pad_size should be >= 0, got pad_size=-1'),
    ({}, (2, 3, 7, 9), "data2 should have data1's shape (2, 3, 7, 8), got (2, 3, 7, 9)"),
])
def test_errors_where_mxnet_crashes(kwargs, shape2, phrase):
    a = nd.ones((2, 3, 7, 8))
    with pytest.raises(MXNetError) as e:
        nd.Correlation(a, nd.ones(shape2 or a.shape), **kwargs)
    assert phrase in str(e.value)
