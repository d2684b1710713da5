"""GluonNLP 0.10.0 under `regluon run` (import mxnet is regluon): every case of
tests/golden/gluonnlp_cases.py on tiny configs, loading the parameters MXNet 1.9.1 saved.
    regluon run gluonnlp_tiny.py GOLDEN_DIR OUT.npz [case ...]
writes the cases' outputs to OUT.npz (<case>/<key>) for tests/test_gluonnlp.py to compare."""
import os
import sys

import gluonnlp as nlp
import mxnet as mx
import numpy as np

golden_dir, out_path = sys.argv[1], sys.argv[2]
sys.path.insert(0, golden_dir)
import gluonnlp_cases as cases  # noqa: E402

assert mx.__name__ == 'regluon', mx.__name__
params = {k: os.path.join(golden_dir, f'gluonnlp_{k}.params') for k in cases.PARAMS}
params['tmp'] = os.path.dirname(os.path.abspath(out_path))
out = {}
for name in sys.argv[3:] or cases.CASES:
    for k, v in getattr(cases, 'case_' + name)(mx, nlp, params).items():
        out[f'{name}/{k}'] = v
np.savez(out_path, **out)
