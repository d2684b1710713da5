"""Golden data for the object-detection and resizing contrib operators from MXNet 1.9.1.

Run with the MXNet interpreter:  $(../shared/tools/mxnet-ref.sh) tools/golden_detection.py
Writes tests/golden/detection.npz: for each case of tests/golden/detection_cases.py
(MultiBoxPrior/Target/Detection incl. d2l chapter 9's examples, box_nms, box_iou,
bipartite_matching, box_encode/decode, ROIAlign, BilinearResize2D, AdaptiveAvgPooling2D) its
outputs and input gradients; MXNet's error message (last line) for each bad-argument case;
the output shapes sym.contrib's shape inference gives; and MXNet's JSON and outputs of
graphs using the operators (detection_cases.pipeline: all eight in one graph).
"""
import os
import sys

os.environ.setdefault('MXNET_SUBGRAPH_BACKEND', 'NONE')
import mxnet as mx  # noqa: E402
import numpy as np  # noqa: E402
from mxnet import autograd, nd  # noqa: E402
from golden_util import case_module, error, save  # noqa: E402

cases = case_module('detection_cases')


def main():
    out = {}
    for name in cases.CASES:
        for key, value in cases.run(nd, autograd, name).items():
            out[f'{name}/{key}'] = value
        print(name, {k: v.shape for k, v in cases.run(nd, autograd, name).items()},
              file=sys.stderr)
    for name, _, _, _, phrase, *_ in cases.ERRORS:
        e = error(lambda: cases.call_error(nd, name))
        assert e['type'] == 'MXNetError' and phrase in e['msg'], (name, e)
        out[f'error/{name}'] = np.array(e['msg'])
        print(name, e['msg'], file=sys.stderr)
    for name, *_ in cases.SYMBOLS:
        shapes, names = cases.infer(mx.sym, name)
        out[f'symbol/{name}'] = np.array(shapes)
        out[f'symbol/{name}/num_outputs'] = np.array(len(names))
    for name in ('prior', 'target'):         # graphs as MXNet saves them (attributes as text)
        out[f'json/{name}'] = np.array(cases.graph(mx.sym, name).tojson())
    graph = cases.pipeline(mx.sym)
    out['json/pipeline'] = np.array(graph.tojson())
    for i, y in enumerate(graph.eval(**cases.pipeline_feed(nd))):
        out[f'pipeline/{i}'] = y.asnumpy()
    save('detection', out)


if __name__ == '__main__':
    main()
