"""Golden data for MXNet's INT8 quantization, from MXNet 1.9.1 (built with MKLDNN).

Run with the MXNet interpreter:  $(../shared/tools/mxnet-ref.sh) tools/golden_quantization.py
Writes tests/golden/quantization.npz from the cases of tests/golden/quantization_cases.py:
  op/<key>        each quantized operator's outputs (data, min, max) on seeded inputs
  error/<case>    the type name of the exception MXNet raises
  model_error/<case>  the exception type of quantize_model's argument checks
  model/<case>/<key>  quantize_model runs (quantization_cases.MODELS: the graph's nodes, the
                  quantized parameters, the outputs on the calibration data) and quantize_net
                  runs (NETS: outputs of MXNet's oneDNN-fused SymbolBlock and of the fp32 net)
"""
import os
import sys

os.environ.setdefault('MXNET_SUBGRAPH_BACKEND', 'NONE')
import mxnet as mx  # noqa: E402
import numpy as np  # noqa: E402
from golden_util import case_module, error, save  # noqa: E402

cases = case_module('quantization_cases')
# MXNet's entropy calibration only checks that scipy.stats imports (the thresholds come from
# its own nd.contrib.calibrate_entropy); this interpreter has no scipy.
mx.contrib.quantization.stats = mx.contrib.quantization.stats or True


def main():
    out = {f'op/{k}': v for k, v in cases.ops(mx).items()}
    for name, fn in cases.errors(mx).items():
        e = error(fn)
        out[f'error/{name}'] = np.array(e['type'])
        print(name, e, file=sys.stderr)
    for name, fn in cases.model_errors(mx).items():
        e = error(fn)
        out[f'model_error/{name}'] = np.array(e['type'])
        print(name, e, file=sys.stderr)
    for name, fn in {**cases.MODELS, **cases.NETS}.items():
        for k, v in fn(mx).items():
            out[f'model/{name}/{k}'] = v
        print(name, 'ok', file=sys.stderr)
    save('quantization', out)


if __name__ == '__main__':
    main()
