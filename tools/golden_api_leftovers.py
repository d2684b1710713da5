"""Golden data for the last API names, from MXNet 1.9.1.

Run with the MXNet interpreter:  $(../shared/tools/mxnet-ref.sh) tools/golden_api_leftovers.py
Writes tests/golden/api_leftovers.npz from the cases of tests/golden/api_leftovers_cases.py:
  graph/<case>/<key>   getnnz, edge_id, dgl_adjacency, dgl_subgraph, the samplers (with
                       neighbour counts that make them deterministic) and dgl_graph_compact
  error/<case>         the exception type and message MXNet raises
  <case>/<key>         SparseEmbedding, CachedOp, sym.cast_storage, the ImageRecord iterator
                       variants, OpenCV's decode of a PNG, shape_is_known
  imdecode_error       MXNet 1.9.1's own nd.imdecode fails under Python 3 (its bytes reach
                       the C kernel as a str parameter); recorded so the test says so
"""
import os
import sys

os.environ.setdefault('MXNET_SUBGRAPH_BACKEND', 'NONE')
import mxnet as mx  # noqa: E402
import numpy as np  # noqa: E402
from golden_util import case_module, error, save  # noqa: E402

cases = case_module('api_leftovers_cases')


def main():
    out = {}
    for name, fn in cases.GRAPH.items():
        for k, v in fn(mx).items():
            out[f'graph/{name}/{k}'] = v
        print(name, 'ok', file=sys.stderr)
    for name, fn in cases.GRAPH_ERRORS:
        def call(fn=fn):
            res = fn(mx)
            for r in res if isinstance(res, (list, tuple)) else [res]:
                r.wait_to_read()
        e = error(call)
        assert e['type'] is not None, name
        out[f'error/{name}'] = np.array([e['type'], e['msg']])
        print(name, e, file=sys.stderr)
    for name, fn in cases.CASES.items():
        for k, v in fn(mx).items():
            out[f'{name}/{k}'] = v
        print(name, 'ok', file=sys.stderr)
    e = error(lambda: mx.nd.imdecode(cases.png_bytes(mx)).wait_to_read())
    out['imdecode_error'] = np.array([e['type'], e['msg']])
    save('api_leftovers', out)


if __name__ == '__main__':
    main()
