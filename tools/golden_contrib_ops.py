"""Golden data for MXNet's general contrib operators and control flow, from MXNet 1.9.1.

Run with the MXNet interpreter:  $(../shared/tools/mxnet-ref.sh) tools/golden_contrib_ops.py
Writes tests/golden/contrib_ops.npz from the cases of tests/golden/contrib_ops_cases.py:
  op/<case>/<y|grad<i>>     each operator case's output and input gradients
  adagrad/<key>             two group_adagrad_update steps
  adamw/<key>               adamw_update, mp_adamw_update and their multi_ variants
  adamw_moments/<key>       one multi_(mp_)adamw_update step from zero moments, exact
  cf/<case>/<key>           foreach / while_loop / cond, imperative with autograd and symbolic
                            (bound, forward and backward, inferred output shapes)
  json/<graph>              the symbolic control-flow graphs as MXNet saves them
  hybrid/<case>/<key>       hybridized blocks using F.contrib.foreach / while_loop / cond
  error/<case>              the type name of the exception MXNet raises
fft, ifft and count_sketch run only on a GPU in MXNet, so they have no golden data here.
"""
import os
import sys

os.environ.setdefault('MXNET_SUBGRAPH_BACKEND', 'NONE')
import mxnet as mx  # noqa: E402
import numpy as np  # noqa: E402
from mxnet import autograd, nd  # noqa: E402
from golden_util import case_module, error_type, save  # noqa: E402

cases = case_module('contrib_ops_cases')


def main():
    out = {}
    for seed, (name, opname, inputs, kwargs, grads) in enumerate(cases.OPS):
        for k, v in cases.run_op(nd, autograd, opname, inputs, kwargs, grads, seed).items():
            out[f'op/{name}/{k}'] = v
        print(name, out[f'op/{name}/y'].shape, out[f'op/{name}/y'].dtype, file=sys.stderr)
    for k, v in cases.group_adagrad(nd, row_sparse=True).items():
        out[f'adagrad/{k}'] = v
    for k, v in cases.adamw(nd).items():
        out[f'adamw/{k}'] = v
    for k, v in cases.adamw_moments(nd).items():
        out[f'adamw_moments/{k}'] = v
    for name, fn in cases.CONTROL_FLOW.items():
        for k, v in fn(mx).items():
            out[f'cf/{name}/{k}'] = v
        print(name, 'ok', file=sys.stderr)
    for name, build in cases.GRAPHS.items():       # the graphs as MXNet saves them
        out[f'json/{name}'] = np.array(build(mx).tojson())
    for seed, (name, shapes, scale) in enumerate(cases.HYBRID):
        for k, v in cases.run_hybrid(mx, name, shapes, scale, seed).items():
            out[f'hybrid/{name}/{k}'] = v
        print(name, 'ok', file=sys.stderr)
    for name, fn in cases.ERRORS:
        out[f'error/{name}'] = np.array(error_type(mx, fn))
        print(name, out[f'error/{name}'], file=sys.stderr)
    save('contrib_ops', out)


if __name__ == '__main__':
    main()
