"""Writes tests/golden/attr_scope.json: what MXNet 1.9.1 reports about a graph built under
mx.AttrScope (tests/golden/attr_scope_cases.py). Run with the MXNet interpreter:
    MXNET_SUBGRAPH_BACKEND=NONE ~/.cache/mxnet-ref/bin/python tools/golden_attr_scope.py"""
import json
import pathlib
import sys

import mxnet as mx

GOLDEN = pathlib.Path(__file__).resolve().parent.parent / 'tests' / 'golden'
sys.path.insert(0, str(GOLDEN))
import attr_scope_cases  # noqa: E402

if __name__ == '__main__':
    result = attr_scope_cases.build(mx)
    result['json'] = json.loads(result['json'])
    (GOLDEN / 'attr_scope.json').write_text(json.dumps(result, indent=1, sort_keys=True) + '\n')
