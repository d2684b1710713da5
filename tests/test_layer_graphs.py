"""Gluon layers export MXNet 1.9.1's graphs node for node, in legacy and np mode
(tools/golden_layer_graphs.py): a checkpoint exported here reads in MXNet as one it
exported itself, names included."""
import json
import sys
import warnings

import pytest

import regluon as mx
from regluon import npx
from conftest import GOLDEN

sys.path.insert(0, str(GOLDEN))
from layer_graph_cases import layers, graph_view, export_graph  # noqa: E402

GRAPHS = json.loads((GOLDEN / 'layer_graphs.json').read_text())
CASES = sorted(k for k, v in GRAPHS.items() if v is not None)


@pytest.mark.parametrize('case', CASES)
def test_layer_graph_is_mxnets(case, tmp_path):
    mode, name = case.split('/')
    if mode == 'np':
        npx.set_np()
    try:
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            text = export_graph(mx, mode, name, str(tmp_path))
    finally:
        npx.reset_np()
    assert graph_view(text) == graph_view(GRAPHS[case])


def test_every_layer_case_has_a_golden():
    assert sorted(GRAPHS) == sorted(f'{m}/{n}' for m in ('nd', 'np') for n in layers(mx))
