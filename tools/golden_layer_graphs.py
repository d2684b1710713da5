"""Write tests/golden/layer_graphs.json with MXNet 1.9.1: the symbol JSON that `export`
writes for each layer of tests/golden/layer_graph_cases.py, in legacy ('nd') and np mode
(None where MXNet itself cannot hybridize the layer in np mode: its legacy-only layers).

    MXNET_SUBGRAPH_BACKEND=NONE ~/.cache/mxnet-ref/bin/python tools/golden_layer_graphs.py
"""
import json
import os
import sys
import tempfile
import warnings

import mxnet as mx
from mxnet import npx

HERE = os.path.dirname(os.path.abspath(__file__))
GOLDEN = os.path.join(HERE, '..', 'tests', 'golden')
sys.path.insert(0, GOLDEN)
from layer_graph_cases import layers, export_graph  # noqa: E402


def main():
    warnings.simplefilter('ignore')
    out = {}
    with tempfile.TemporaryDirectory() as tmp:
        for mode in ('nd', 'np'):
            if mode == 'np':
                npx.set_np()
            for name in layers(mx):
                try:
                    out[f'{mode}/{name}'] = export_graph(mx, mode, name, tmp)
                except (TypeError, ValueError) as e:     # legacy operator on np arrays
                    print(mode, name, 'FAILS in MXNet:', str(e).splitlines()[0][:90])
                    out[f'{mode}/{name}'] = None
    with open(os.path.join(GOLDEN, 'layer_graphs.json'), 'w') as f:
        json.dump(out, f, indent=1, sort_keys=True)
    print(sum(v is not None for v in out.values()), 'graphs')


if __name__ == '__main__':
    main()
