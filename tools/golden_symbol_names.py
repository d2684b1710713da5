"""Golden graphs for mx.sym's operators and auto-created variables, written by MXNet 1.9.1.

    MXNET_SUBGRAPH_BACKEND=NONE $(../shared/tools/mxnet-ref.sh) tools/golden_symbol_names.py

Writes tests/golden/symbol/names.json: for each case of tests/golden/symbol_names_cases.py,
every node's operator, name and attributes as MXNet's tojson() writes them.
"""
import json
import os
import sys

import mxnet as mx

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, os.path.join(HERE, '..', 'tests', 'golden'))
from symbol_names_cases import graphs  # noqa: E402

with open(os.path.join(HERE, '..', 'tests', 'golden', 'symbol', 'names.json'), 'w') as f:
    json.dump(graphs(mx), f, indent=1, sort_keys=True)
print('wrote names.json')
