"""Write tests/golden/gluoncv.npz from MXNet 1.9.1 running GluonCV 0.10.5.post0 (installed
--no-deps into MXNet's environment, with pillow, tqdm, portalocker, pyyaml, requests).

    PY=$(../shared/tools/mxnet-ref.sh); $PY tools/golden_gluoncv.py

Runs tests/golden/gluoncv_cases.py's run_all (model-zoo forwards, hybridized forwards, the
SSD/YOLO presets, SSD and YOLOv3 training losses and gradients) and stores each digest.
MKL-DNN is off: its blocked layouts refuse Parameter.set_data after the first forward.
"""
import os
import sys

os.environ.setdefault('MXNET_MKLDNN_ENABLED', '0')
os.environ.setdefault('MXNET_SUBGRAPH_BACKEND', 'NONE')

import numpy as np  # noqa: E402
import mxnet as mx  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from golden_util import case_module, save  # noqa: E402

cases = case_module('gluoncv_cases')
gcv = cases.import_gluoncv()
out = cases.run_all(mx, gcv)
out['versions'] = np.array([mx.__version__, gcv.__version__])
save('gluoncv', out)
print('wrote tests/golden/gluoncv.npz:', len(out), 'arrays')
