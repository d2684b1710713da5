"""Golden data for GluonNLP 0.10.0 on tiny configs, from MXNet 1.9.1.

Install gluonnlp into the MXNet interpreter without its dependencies first
(`pip install --no-deps gluonnlp==0.10.0 packaging`), then run with it:
    $(../shared/tools/mxnet-ref.sh) tools/golden_gluonnlp.py
Runs every case of tests/golden/gluonnlp_cases.py; writes
  tests/golden/gluonnlp_<model>.params   the shape-seeded parameters MXNet saved for the
                                         BERT, BERT classifier and transformer cases
  tests/golden/gluonnlp.npz              <case>/<key>: each case's outputs
"""
import os
import sys
import tempfile

os.environ.setdefault('MXNET_SUBGRAPH_BACKEND', 'NONE')
import gluonnlp as nlp  # noqa: E402
import mxnet as mx  # noqa: E402
from golden_util import GOLDEN, case_module, save  # noqa: E402

cases = case_module('gluonnlp_cases')


def main():
    params = {k: str(GOLDEN / f'gluonnlp_{k}.params') for k in cases.PARAMS}
    params['write'] = True
    params['tmp'] = tempfile.mkdtemp()
    out = {}
    for name in cases.CASES:
        mx.random.seed(0)
        for k, v in getattr(cases, 'case_' + name)(mx, nlp, params).items():
            out[f'{name}/{k}'] = v
        print(name, 'ok', file=sys.stderr)
    save('gluonnlp', out)


if __name__ == '__main__':
    main()
