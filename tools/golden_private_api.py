"""Golden data for the MXNet API that GluonNLP 0.10 (and GluonCV) import beyond the public
one, from MXNet 1.9.1.

Run with the MXNet interpreter:  $(../shared/tools/mxnet-ref.sh) tools/golden_private_api.py
Writes tests/golden/private_api.npz from tests/golden/private_api_cases.py:
  <case>/<key>   a text result (str array) of gluon.utils' helpers, mx.registry, the
                 DataLoader's ForkingPickler/_as_in_context, amp's flags, Symbol.astype
"""
import os

os.environ.setdefault('MXNET_SUBGRAPH_BACKEND', 'NONE')
import mxnet as mx  # noqa: E402
import numpy as np  # noqa: E402
from golden_util import case_module, save  # noqa: E402

cases = case_module('private_api_cases')


def main():
    out = {}
    for name, fn in cases.CASES.items():
        for k, v in fn(mx).items():
            out[f'{name}/{k}'] = np.array(v)
    save('private_api', out)


if __name__ == '__main__':
    main()
