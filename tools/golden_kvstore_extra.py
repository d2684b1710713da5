"""Golden data for the kvstore extras, from MXNet 1.9.1.

    MXNET_SUBGRAPH_BACKEND=NONE $(../shared/tools/mxnet-ref.sh) tools/golden_kvstore_extra.py

Writes tests/golden/kvstore_extra.npz (cases in tests/golden/kvstore_extra_cases.py):
'push:<key>:<step>' the values pulled after each 2-bit compressed push/pushpull of a 'device'
store on two cpu contexts, 'push_default:*' the same with only {'type': '2bit'} (MXNet's
default threshold); 'trainer:*', 'trainer_nc:*' the Dense parameters after Trainer steps on
two contexts with and without compression; 'module:*' the FC parameters of a Module with
compression_params; 'custom:*' the parameters after Trainer steps with a KVStoreBase
subclass chosen by name ('averagestore'), 'teststore:x' MXNet's TestStore Trainer test;
'err:<name>' the message of each refused set_gradient_compression (bytes).
"""
import numpy as np
import mxnet as mx
from golden_util import case_module, save

C = case_module('kvstore_extra_cases')


def main():
    g = {}
    for k, v in C.compressed_pushes(mx).items():
        g[f'push:{k}'] = v
    for k, v in C.compressed_pushes(mx, {'type': '2bit'}).items():
        g[f'push_default:{k}'] = v
    comp = {'type': '2bit', 'threshold': 0.1}
    for prefix, kw in (('trainer', dict(compression_params=comp)), ('trainer_nc', {})):
        for k, v in C.train(mx, 'device', **kw).items():
            g[f'{prefix}:{k}'] = v
    for k, v in C.module_train(mx, comp).items():
        g[f'module:{k}'] = v
    C.register_average_store(mx)
    for k, v in C.train(mx, 'averagestore', steps=2).items():
        g[f'custom:{k}'] = v
    x = mx.gluon.Parameter('x', shape=(10,))
    x.initialize(ctx=[mx.cpu(0), mx.cpu(1)], init='zeros')
    trainer = mx.gluon.Trainer([x], 'sgd', {'learning_rate': 1.0, 'momentum': 0.5},
                               kvstore=mx.kv.create('teststore'))
    with mx.autograd.record():
        for w in x.list_data():
            (w + 1).backward()
    trainer.step(1)
    g['teststore:x'] = x.data(mx.cpu(1)).asnumpy()
    for name, kind, params in C.ERRORS:
        try:
            mx.kv.create(kind).set_gradient_compression(params)
        except Exception as e:  # pylint: disable=broad-except
            msg = [ln for ln in str(e).split('\n') if ln.strip()][-1]
            print(name, msg)
            g[f'err:{name}'] = np.frombuffer(msg.encode(), np.uint8)
        else:
            raise AssertionError(name)
    save('kvstore_extra', g)


if __name__ == '__main__':
    main()
