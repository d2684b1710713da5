"""Golden data for gluon.Trainer's kvstore rules, from MXNet 1.9.1.

    MXNET_SUBGRAPH_BACKEND=NONE MXNET_STORAGE_FALLBACK_LOG_VERBOSE=0 \
        $(../shared/tools/mxnet-ref.sh) tools/golden_trainer_kv.py

Writes tests/golden/trainer_kv.npz (cases in tests/golden/trainer_kv_cases.py):
'config:<name>' the store and update_on_kvstore chosen (or the error), 'train:<grad
stype>:<update_on_kvstore>:<optimizer>' the weights after three steps on two contexts,
'reset:*' a store reset by loading parameters, 'states:<update_on_kvstore>:*' optimizer
states saved and loaded, 'refuse:<name>' the exception of each refused use.
"""
import tempfile

import mxnet as mx
from golden_util import case_module, save

C = case_module('trainer_kv_cases')


def main():
    g = {}
    for name in C.CONFIGS:
        g[f'config:{name}'] = C.config(mx, name)
    for gstype in ('default', 'row_sparse'):
        for upd in (None, True, False):
            for optimizer in ('sgd', 'adam'):
                g[f'train:{gstype}:{upd}:{optimizer}'] = C.train(mx, gstype, upd,
                                                                 optimizer=optimizer)
    with tempfile.TemporaryDirectory() as d:
        for k, v in C.reset_on_load(mx, d).items():
            g[f'reset:{k}'] = v
        for upd in (None, False):
            for k, v in C.states(mx, d, upd).items():
                g[f'states:{upd}:{k}'] = v
    for k, v in C.refusals(mx).items():
        g[f'refuse:{k}'] = v
    save('trainer_kv', g)
    for k in sorted(g):
        print(k, g[k] if g[k].size < 4 else g[k].ravel()[:4])


if __name__ == '__main__':
    main()
