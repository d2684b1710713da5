"""np-mode hybridize (`npx.set_np()`, F.np / F.npx in hybrid_forward) against MXNet 1.9.1:
each case of tests/golden/np_symbol_cases.py as a hybridized block (outputs, gradients, the
exported graph node by node) and MXNet's own export of it read back here
(tools/golden_np_symbol.py)."""
import importlib
import json
import sys

import numpy as onp
import pytest

import regluon as mx
from regluon import autograd, gluon, np, npx
from regluon.gluon import nn
from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
from layer_graph_cases import graph_view  # noqa: E402
from np_symbol_cases import make_inputs  # noqa: E402
from np_symbol_blocks import mlp, mlp_input  # noqa: E402

# the case families: np_symbol_cases.py, np_symbol_cases_<family>.py, each with its goldens
FAMILIES = [''] + sorted(p.stem[len('np_symbol_cases_'):]
                         for p in GOLDEN.glob('np_symbol_cases_*.py'))
CASES, G, GRAPHS = {}, {}, {}
for _fam in FAMILIES:
    _suffix = f'_{_fam}' if _fam else ''
    CASES.update(importlib.import_module('np_symbol_cases' + _suffix).CASES)
    G.update(golden('np_symbol' + _suffix))
    GRAPHS.update(json.loads((GOLDEN / f'np_symbol{_suffix}.json').read_text()))
# MXNet 1.9.1's np.std and np.var give zero gradients (eager too); regluon gives the real
# ones (docs/numpy.md), checked against finite differences in test_std_var_gradients
NO_GRADIENT_IN_MXNET = ('std', 'var')


@pytest.fixture(autouse=True)
def np_mode():
    npx.set_np()
    yield
    npx.reset_np()


def case_block(name, fn):
    class Case(gluon.HybridBlock):
        def hybrid_forward(self, F, *xs):
            return fn(F, *xs)
    return Case(prefix=name + '_')


def run(name, tmp_path):
    fn, specs = CASES[name]
    xs = [np.array(a, dtype=a.dtype) for a in make_inputs(specs, len(name))]
    blk = case_block(name, fn)
    blk.initialize()
    blk.hybridize()
    for x in xs:
        if x.dtype.kind == 'f':
            x.attach_grad()
    with autograd.record():
        out = blk(*xs)
    assert isinstance(out, np.ndarray)
    if out.dtype.kind == 'f' and (f'{name}/grad0' in G or f'{name}/grad1' in G):
        out.backward()
    blk.export(str(tmp_path / name))
    return xs, out, (tmp_path / f'{name}-symbol.json').read_text()


@pytest.mark.parametrize('name', sorted(CASES))
def test_hybridized_np_block_matches_mxnet(name, tmp_path):
    xs, out, text = run(name, tmp_path)
    want = G[f'{name}/out']
    got = out.asnumpy()
    assert got.shape == want.shape and got.dtype == want.dtype, (got, want)
    onp.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)
    for i, x in enumerate(xs):
        key = f'{name}/grad{i}'
        if key in G and name not in NO_GRADIENT_IN_MXNET:
            onp.testing.assert_allclose(x.grad.asnumpy(), G[key], rtol=1e-5, atol=1e-5,
                                        err_msg=key)
    assert graph_view(text) == graph_view(GRAPHS[name])


@pytest.mark.parametrize('name', sorted(CASES))
def test_mxnet_np_export_runs_here(name, tmp_path):
    path = tmp_path / f'{name}-symbol.json'
    path.write_text(GRAPHS[name])
    fn, specs = CASES[name]
    xs = [np.array(a, dtype=a.dtype) for a in make_inputs(specs, len(name))]
    names = ['data'] if len(xs) == 1 else [f'data{i}' for i in range(len(xs))]
    net = gluon.SymbolBlock.imports(str(path), names)
    out = net(*xs)
    assert isinstance(out, np.ndarray)
    onp.testing.assert_allclose(out.asnumpy(), G[f'{name}/out'], rtol=1e-5, atol=1e-6)


def test_std_var_gradients():
    x = np.array(onp.random.RandomState(0).uniform(-1, 1, (2, 3)).astype('float32'))
    blk = case_block('stdvar', lambda F, a: F.np.std(a) + F.np.var(a, axis=0).sum())
    blk.initialize()
    blk.hybridize()
    x.attach_grad()
    with autograd.record():
        y = blk(x)
    y.backward()
    a = x.asnumpy().astype('float64')
    n, m = a.size, a.shape[0]
    want = (a - a.mean()) / (n * a.std()) + 2 * (a - a.mean(axis=0)) / m
    onp.testing.assert_allclose(x.grad.asnumpy(), want, rtol=1e-4, atol=1e-6)


def test_np_network_exports_what_mxnet_exports(tmp_path):
    net = mlp()
    x = np.array(mlp_input())
    net.hybridize()
    out = net(x)
    onp.testing.assert_allclose(out.asnumpy(), G['mlp/out'], rtol=1e-5, atol=1e-6)
    net.export(str(tmp_path / 'net'))
    mine = graph_view((tmp_path / 'net-symbol.json').read_text())
    assert mine == graph_view((GOLDEN / 'np_symbol_mlp-symbol.json').read_text())
    # the parameters as MXNet writes them in np mode (V3 records), byte for byte
    assert (tmp_path / 'net-0000.params').read_bytes() == \
        (GOLDEN / 'np_symbol_mlp-0000.params').read_bytes()


def test_mxnet_np_network_export_imports_and_runs(tmp_path):
    net = gluon.SymbolBlock.imports(str(GOLDEN / 'np_symbol_mlp-symbol.json'), ['data'],
                                    str(GOLDEN / 'np_symbol_mlp-0000.params'))
    x = np.array(mlp_input())
    out = net(x)
    assert isinstance(out, np.ndarray)
    onp.testing.assert_allclose(out.asnumpy(), G['mlp/out'], rtol=1e-5, atol=1e-6)
    net.hybridize()
    with autograd.record():
        y = net(x).sum()
    y.backward()
    grads = [p.grad() for p in net.collect_params().values()]
    assert all(isinstance(g, np.ndarray) for g in grads)
    assert all(onp.isfinite(g.asnumpy()).all() for g in grads)


def test_np_block_sees_symbols_as_mxnet_prints_them(capsys):
    # d2l.ai's 12.1: hybrid_forward prints F and x; after hybridize() it runs once, on a
    # _Symbol, and later calls replay the graph without calling it
    class HybridNet(nn.HybridBlock):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.hidden = nn.Dense(4)
            self.output = nn.Dense(2)

        def hybrid_forward(self, F, x):
            print('module F: ', F.__name__)
            print('value  x: ', x)
            x = F.npx.relu(self.hidden(x))
            print('result  : ', x)
            return self.output(x)

    mx.name.NameManager._current.value = mx.name.NameManager()
    net = HybridNet()
    net.initialize()
    x = np.ones((1, 3))
    net(x)
    capsys.readouterr()
    net.hybridize()
    net(x)
    lines = capsys.readouterr().out.splitlines()
    assert lines == ['module F:  regluon.symbol', 'value  x:  <_Symbol data>',
                     'result  :  <_Symbol hybridnet0_relu0>']
    net(x)
    assert capsys.readouterr().out == ''


def test_np_symbol_copies_stay_np_symbols():
    import copy
    x = mx.sym.var('x').as_np_ndarray()
    y = mx.sym.np.tanh(x) + 1
    for z in (copy.copy(y), copy.deepcopy(y)):
        assert type(z) is type(y) and z.list_arguments() == ['x']
    assert repr(y.as_nd_ndarray()) == '<Symbol add_scalar0>'.replace('add_scalar0', y.name)
    with pytest.raises(AttributeError):
        y.no_such_method
    assert not hasattr(mx.sym.np, 'no_such_function')
