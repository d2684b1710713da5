"""gluon.Trainer's kvstore rules, shared by tools/golden_trainer_kv.py (run under MXNet
1.9.1) and tests/test_trainer_kv.py (run under regluon): when a store is made, whether it
runs the optimizer (update_on_kvstore), what refuses, training values on two contexts with
dense and row_sparse gradients either way, the store reset by loading parameters, and
optimizer states saved from the store. Each function takes the library (`mx`) and returns
{name: numpy array}."""
import os

import numpy as np

LR, MOM, WD = 0.1, 0.5, 0.1


def _param(mx, stype='default', grad_stype='default', nctx=2, shape=(6, 2)):
    x = mx.gluon.Parameter('x', shape=shape, stype=stype, grad_stype=grad_stype)
    x.initialize(ctx=[mx.cpu(i) for i in range(nctx)], init=mx.init.Constant(1.0))
    return x


# (kvstore, contexts, weight stype, grad stype, update_on_kvstore given, env value or None)
CONFIGS = {
    'device_2': ('device', 2, 'default', 'default', None, None),
    'device_1': ('device', 1, 'default', 'default', None, None),
    'local_2': ('local', 2, 'default', 'default', None, None),
    'device_2_false': ('device', 2, 'default', 'default', False, None),
    'device_2_env0': ('device', 2, 'default', 'default', None, '0'),
    'none_2': (None, 2, 'default', 'default', None, None),
    'device_2_rspgrad': ('device', 2, 'default', 'row_sparse', None, None),
    'device_2_rspgrad_true': ('device', 2, 'default', 'row_sparse', True, None),
    'device_1_rspweight': ('device', 1, 'row_sparse', 'row_sparse', None, None),
    'device_2_rspweight_false': ('device', 2, 'row_sparse', 'row_sparse', False, None),
    'none_1_rspweight': (None, 1, 'row_sparse', 'row_sparse', None, None),
}


def config(mx, name):
    """'<kvstore type or None> <update_on_kvstore>' after the first step, or
    'error <ExceptionType>'."""
    kv, nctx, stype, gstype, upd, env = CONFIGS[name]
    old = os.environ.get('MXNET_UPDATE_ON_KVSTORE')
    if env is not None:
        os.environ['MXNET_UPDATE_ON_KVSTORE'] = env
    try:
        x = _param(mx, stype, gstype, nctx)
        trainer = mx.gluon.Trainer([x], 'sgd', {'learning_rate': LR}, kvstore=kv,
                                   update_on_kvstore=upd)
        try:
            _backward(mx, x, stype)
            trainer.step(1)
        except Exception as e:  # pylint: disable=broad-except
            return np.array(f'error {type(e).__name__}')
        kvs = trainer._kvstore
        return np.array(f'{kvs.type if kvs else None} {trainer._update_on_kvstore}')
    finally:
        if env is not None:
            if old is None:
                del os.environ['MXNET_UPDATE_ON_KVSTORE']
            else:
                os.environ['MXNET_UPDATE_ON_KVSTORE'] = old


def _backward(mx, x, stype, rows=(0, 2, 5), scale=1.0):
    """Each context's gradient: rows `rows` of (w * scale) ** 2 summed (a row_sparse
    gradient where the Parameter's grad_stype says so)."""
    ids = mx.nd.array(rows)
    with mx.autograd.record():
        for w in (x.list_row_sparse_data(ids) if stype != 'default' else x.list_data()):
            y = mx.nd.take(w, ids.as_in_context(w.context)) * scale
            (y * y).sum().backward()


def train(mx, gstype='default', upd=None, steps=3, optimizer='sgd'):
    """The weight after `steps` steps of momentum SGD with weight decay on two contexts, a
    different row set each step."""
    x = _param(mx, 'default', gstype)
    params = {'learning_rate': LR, 'wd': WD}
    if optimizer == 'sgd':
        params['momentum'] = MOM
    trainer = mx.gluon.Trainer([x], optimizer, params, kvstore='device',
                               update_on_kvstore=upd)
    for step in range(steps):
        _backward(mx, x, 'default', rows=((0, 2), (1, 2), (5,))[step], scale=1.0 + step)
        trainer.step(2)
    return np.concatenate([w.asnumpy() for w in x.list_data()])


def reset_on_load(mx, tmpdir):
    """MXNet's test_trainer_reset_kv: loading saved values resets the store, and the next
    step starts from them. (kvstore None after the load, the weight after the step)"""
    params = mx.gluon.ParameterDict()
    x = params.get('x', shape=(4,))
    params.initialize(ctx=[mx.cpu(0), mx.cpu(1)], init='zeros')
    trainer = mx.gluon.Trainer(params, 'sgd', {'learning_rate': LR}, kvstore='device')
    fname = os.path.join(tmpdir, 'reset_kv.params')
    params.save(fname)
    for _ in range(2):
        with mx.autograd.record():
            for w in x.list_data():
                (w + 1).backward()
        trainer.step(1)
    params.load(fname)
    gone = trainer._kvstore is None and trainer._kv_initialized is False
    with mx.autograd.record():
        for w in x.list_data():
            (w + 1).backward()
    trainer.step(1)
    return {'gone': np.array(gone), 'w': x.data(mx.cpu(1)).asnumpy()}


def states(mx, tmpdir, upd):
    """Optimizer states saved by a Trainer (on the store or not) and loaded into a new
    one, which goes on training; the learning rate seen after lr_mult changes."""
    x = _param(mx)
    trainer = mx.gluon.Trainer([x], 'sgd', {'learning_rate': LR, 'momentum': MOM},
                               update_on_kvstore=upd)
    for step in range(2):
        _backward(mx, x, 'default', scale=1.0 + step)
        trainer.step(1)
    fname = os.path.join(tmpdir, f'trainer_{upd}.states')
    trainer.save_states(fname)
    upd_obj = trainer._kvstore._updater if trainer._update_on_kvstore else trainer._updaters[0]
    mom = upd_obj.states[0].asnumpy()
    trainer2 = mx.gluon.Trainer([x], 'sgd', {'learning_rate': 1.0}, update_on_kvstore=upd)
    trainer2.load_states(fname)
    x.lr_mult = 2.0
    opt = trainer2._kvstore._updater.optimizer if trainer2._update_on_kvstore \
        else trainer2._updaters[0].optimizer
    lr = opt._get_lr(0)
    _backward(mx, x, 'default')
    trainer2.step(1)
    x.lr_mult = 1.0
    return {'mom': mom, 'lr': np.array(lr), 'w': x.data(mx.cpu(1)).asnumpy(),
            'same_opt': np.array(trainer2._optimizer is opt)}


def refusals(mx):
    """The exception type of each refused use: {name: array(type name)}."""
    out = {}

    def err(fn):
        try:
            fn()
        except Exception as e:  # pylint: disable=broad-except
            return np.array(type(e).__name__)
        return np.array('none')

    def allreduce_on_kv():
        x = _param(mx)
        t = mx.gluon.Trainer([x], 'sgd', {'learning_rate': LR})
        _backward(mx, x, 'default')
        t.allreduce_grads()
    out['allreduce_on_kv'] = err(allreduce_on_kv)

    def two_trainers_sparse():
        x = _param(mx, 'row_sparse', 'row_sparse', 1)
        mx.gluon.Trainer([x], 'sgd')
        mx.gluon.Trainer([x], 'sgd')
    out['two_trainers_sparse'] = err(two_trainers_sparse)

    def two_trainers_dense():
        x = _param(mx, nctx=1)
        mx.gluon.Trainer([x], 'sgd')
        mx.gluon.Trainer([x], 'sgd')
    out['two_trainers_dense'] = err(two_trainers_dense)
    return out
