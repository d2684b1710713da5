"""Golden data for gluon.contrib (conv RNN cells, deformable convolution layers, WikiText)
and the deformable / position-sensitive / proposal contrib operators, from MXNet 1.9.1.

Run with the MXNet interpreter:  $(../shared/tools/mxnet-ref.sh) tools/golden_gluon_contrib.py
Writes tests/golden/gluon_contrib.npz: for each case of tests/golden/gluon_contrib_cases.py
its outputs and input/Parameter gradients (op/<case>/..., cell/<case>/..., layer/<case>/...),
the WikiText datasets read from a local archive (wiki/<class>/...), and MXNet's error message
(last line) for each bad-argument case (error/<case>), and the argument/output names of
symbols using the operators (symbol/<case>/...); and the exported graphs of two hybridized
layers (tests/golden/gluon_contrib_<layer>-symbol.json, -0000.params; export/<layer>/x, y);
IntervalSampler's sequences and lengths (sampler/<length>_<interval>_<rollover>).

MXNet's CPU build has no backward for ModulatedDeformableConvolution ("only implemented in
GPU"): its cases and the modulated layer record outputs only; the test checks those
gradients numerically. RROIAlign has no backward in MXNet at all.
"""
import os
import sys
import tempfile

os.environ.setdefault('MXNET_SUBGRAPH_BACKEND', 'NONE')
import mxnet as mx  # noqa: E402
import numpy as np  # noqa: E402
from golden_util import GOLDEN, case_module, error, save  # noqa: E402

cases = case_module('gluon_contrib_cases')


def main():
    out = {}
    for table in (cases.op_cases, cases.proposal_cases):
        for name in table(mx):
            for key, value in cases.run_case(mx, table, name).items():
                out[f'op/{name}/{key}'] = value
    for name, *_ in cases.CELLS:
        for key, value in cases.run_cell(mx, name).items():
            out[f'cell/{name}/{key}'] = value
    for name, cls, *_ in cases.LAYERS:
        grads = cls == 'DeformableConvolution'      # see the module docstring
        for key, value in cases.run_layer(mx, name, grads).items():
            out[f'layer/{name}/{key}'] = value
    for cls in ('WikiText2', 'WikiText103'):
        with tempfile.TemporaryDirectory() as root:
            for key, value in cases.wikitext(mx, root, cls).items():
                out[f'wiki/{cls}/{key}'] = value
    for name in ('dcn_groups', 'mdcn'):       # MXNet's JSON and .params of the layers
        res = cases.exported_layer(mx, name, str(GOLDEN / f'gluon_contrib_{name}'))
        for key, value in res.items():
            out[f'export/{name}/{key}'] = value
    for key, value in cases.samplers(mx).items():
        out[f'sampler/{key}'] = value
    for key, value in cases.symbols(mx).items():
        out[f'symbol/{key}'] = value
    for name, *_ in cases.ERRORS:
        e = error(lambda: cases.call_error(mx, name))
        assert e['type'] == 'MXNetError', (name, e)
        out[f'error/{name}'] = np.array(e['msg'])
    for key in sorted(out):
        print(key, out[key].shape, file=sys.stderr)
    save('gluon_contrib', out)


if __name__ == '__main__':
    main()
