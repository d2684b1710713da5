"""Gluon's own layers and model-zoo networks hybridized and exported in np mode, against
MXNet 1.9.1 (tools/golden_np_zoo.py): the same outputs, the same exported graph node by
node (np-mode node names: flatten0_batch_flatten0, a residual `x + y` as `_npi_add`), and
MXNet's np-mode export read back here."""
import json
import sys

import numpy as onp
import pytest

import regluon as mx
from regluon import gluon, npx
from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
from layer_graph_cases import graph_view  # noqa: E402
from np_zoo_cases import NETS, build  # noqa: E402

G = golden('np_zoo')
GRAPHS = json.loads((GOLDEN / 'np_zoo.json').read_text())


@pytest.fixture(autouse=True)
def np_mode():
    npx.set_np()
    yield
    npx.reset_np()


@pytest.mark.parametrize('name', NETS)
def test_np_mode_export_is_mxnets(name, tmp_path):
    net, x = build(mx, name)
    net.hybridize()
    out = net(x)
    assert isinstance(out, mx.np.ndarray)
    onp.testing.assert_allclose(out.asnumpy(), G[name], rtol=1e-4, atol=1e-5)
    net.export(str(tmp_path / 'net'))
    assert graph_view((tmp_path / 'net-symbol.json').read_text()) == \
        graph_view(GRAPHS[name])
    # MXNet's np-mode graph with these parameters: the same outputs here
    (tmp_path / 'mx-symbol.json').write_text(GRAPHS[name])
    back = gluon.SymbolBlock.imports(str(tmp_path / 'mx-symbol.json'), ['data'],
                                     str(tmp_path / 'net-0000.params'))
    onp.testing.assert_allclose(back(x).asnumpy(), G[name], rtol=1e-4, atol=1e-5)


def test_legacy_mode_names_match_mxnet_too():
    # outside np mode the same layers keep MXNet's legacy node names
    npx.reset_np()
    net, x = build(mx, 'layers')
    net.hybridize()
    net(x.as_nd_ndarray())
    sym = net(mx.sym.var('data'))
    nodes = json.loads(sym.tojson())['nodes']
    ops = [(n['op'], n['name']) for n in nodes if n['op'] != 'null']
    assert ('_copy', 'dropout0_identity0') in ops
    assert ('LeakyReLU', 'elu0_leakyrelu0') in ops
    assert ('sigmoid', 'swish0_fwd') in ops
    assert ('LayerNorm', 'layernorm0_layernorm0') in ops
    assert ('Flatten', 'flatten0_flatten0') in ops
    assert ('Dropout', 'dropout1_fwd') in ops
    dropout = next(n for n in nodes if n['name'] == 'dropout1_fwd')
    assert dropout['attrs']['cudnn_off'] == 'False'
