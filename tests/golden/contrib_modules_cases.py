"""mx.contrib.io / autograd / svrg_optimization cases run identically by
tools/golden_contrib_modules.py (MXNet 1.9.1) and tests/test_contrib_modules.py (regluon);
`mx` is bound by the caller. Each case returns a flat dict of numpy arrays."""
import importlib

import numpy as np


def _svrg(mx):
    """SVRGModule: MXNet does not import svrg_optimization with mx.contrib."""
    name = mx.__name__ + '.contrib.svrg_optimization.svrg_module'
    return importlib.import_module(name).SVRGModule


def _weight_grad(mod):
    """fc1_weight's gradient array (Module has no public getter; MXNet keeps it in an
    executor group, regluon in its executors)."""
    if hasattr(mod, '_exec_group'):
        return mod._exec_group.grad_arrays[0][0]
    return mod._execs[0].grad_dict['fc1_weight']


def _loader(mx, n=7, batch_size=3, last_batch='keep'):
    x = np.arange(n * 2 * 3, dtype='float32').reshape(n, 2, 3) / 10
    y = (np.arange(n) % 3).astype('int32')
    ds = mx.gluon.data.ArrayDataset(mx.nd.array(x), mx.nd.array(y, dtype='int32'))
    return mx.gluon.data.DataLoader(ds, batch_size=batch_size, last_batch=last_batch)


def io_iter(mx, dtype, last_batch):
    """DataLoaderIter over 7 samples in batches of 3: what each batch holds."""
    it = mx.contrib.io.DataLoaderIter(_loader(mx, last_batch=last_batch), data_name='x',
                                      label_name='y', dtype=dtype)
    out = {'provide': np.array([str((d.name, tuple(d.shape), np.dtype(d.dtype).name))
                                for d in it.provide_data + it.provide_label]),
           'batch_size': np.array(it.batch_size)}
    for epoch in range(2):          # the second pass after reset() is the same
        it.reset()
        for i, b in enumerate(it):
            valid = b.data[0].shape[0] - b.pad
            out[f'{epoch}_{i}_data'] = b.data[0].asnumpy()[:valid]
            out[f'{epoch}_{i}_label'] = b.label[0].asnumpy()[:valid]
            out[f'{epoch}_{i}_meta'] = np.array([b.pad, b.data[0].shape[0], b.label[0].shape[0],
                                                 b.index is None])
            out[f'{epoch}_{i}_dtypes'] = np.array([np.dtype(b.data[0].dtype).name,
                                                   np.dtype(b.label[0].dtype).name])
    return out


def io_module(mx):
    """Module.predict (the padded last batch is cut) and score over a DataLoaderIter."""
    it = mx.contrib.io.DataLoaderIter(_loader(mx), label_name='softmax_label')
    fc = mx.sym.FullyConnected(mx.sym.flatten(mx.sym.var('data')), num_hidden=3, name='fc')
    net = mx.sym.SoftmaxOutput(fc, name='softmax')
    mod = mx.mod.Module(net, context=mx.cpu())
    mod.bind(it.provide_data, it.provide_label, for_training=False)
    w = (np.arange(18, dtype='float32').reshape(3, 6) % 5 - 2) / 4
    mod.init_params(arg_params={'fc_weight': mx.nd.array(w), 'fc_bias': mx.nd.array([.1, 0, -.1])})
    pred = mod.predict(it).asnumpy()
    # (score counts the padding rows, whose contents MXNet leaves unspecified: no padding)
    acc = mod.score(mx.contrib.io.DataLoaderIter(_loader(mx, n=6)), 'acc')
    # training through it: Module.fit, two epochs of SGD with momentum (6 rows: no padding)
    train = mx.contrib.io.DataLoaderIter(_loader(mx, n=6))
    mod.bind(train.provide_data, train.provide_label, force_rebind=True)
    mod.fit(train, num_epoch=2, optimizer_params=(('learning_rate', 0.5), ('momentum', 0.9)))
    arg, _ = mod.get_params()
    return {'pred': pred, 'acc': np.array(acc[0][1]), 'fit_w': arg['fc_weight'].asnumpy(),
            'fit_b': arg['fc_bias'].asnumpy()}


def autograd_funcs(mx):
    """grad_and_loss / grad with and without argnum, out_grads and grad_reqs='add'."""
    ag = mx.contrib.autograd
    x = mx.nd.array([[1., 2., 3.], [4., 5., 6.]]) / 4
    y = mx.nd.array([[.5, -1., 2.], [0., 3., -2.]])
    out = {}
    grads, loss = ag.grad_and_loss(lambda a, b: a * b + mx.nd.exp(a))(x, y)
    out['gl_grads'] = np.stack([g.asnumpy() for g in grads])
    out['gl_loss'] = loss.asnumpy()
    out['g_arg1'] = ag.grad(lambda a, b: mx.nd.sin(a) * b * b, argnum=1)(x, y)[0].asnumpy()
    out['g_list'] = np.stack([g.asnumpy() for g in
                              ag.grad(lambda a, b: [a * b, a * a], argnum=[0, 1])(x, y)])
    # mark_variables + train_section + backward with out_grads, 'add' twice
    gx = mx.nd.ones_like(x)
    ag.mark_variables([x], [gx], grad_reqs='add')
    for _ in range(2):
        with ag.train_section():
            z = mx.nd.tanh(x) * 3
        ag.backward([z], out_grads=[y])
    out['mark_add'] = gx.asnumpy()
    gx2 = mx.nd.zeros_like(x)
    ag.mark_variables([x], [gx2])
    with ag.train_section():
        z = (x * x).sum()
    ag.compute_gradient([z])
    out['mark_write'] = gx2.asnumpy()
    return out


def autograd_states(mx):
    """Recording/training flags set by set_is_training and the sections, and what
    set_is_training returns."""
    ag = mx.contrib.autograd
    flags = lambda: [mx.autograd.is_recording(), mx.autograd.is_training()]
    seen = [flags()]
    seen.append([ag.set_is_training(True), 0])
    seen.append(flags())
    seen.append([ag.set_is_training(False), 0])
    seen.append(flags())
    with ag.train_section():
        seen.append(flags())
        with ag.test_section():
            seen.append(flags())
        seen.append(flags())
    seen.append(flags())
    with mx.autograd.record(train_mode=False):     # recording but not training
        seen.append([ag.set_is_training(True), 0])
        seen.append(flags())
        # (back to not training before record() exits: MXNet's scope restores only the
        # flags its own train_mode changed)
        seen.append([ag.set_is_training(False), 0])
    seen.append(flags())
    x = mx.nd.ones((50,))
    with ag.train_section():
        d_train = mx.nd.Dropout(x, p=0.5)
        with ag.test_section():
            d_test = mx.nd.Dropout(x, p=0.5)
    seen.append([bool((d_train.asnumpy() == 0).any()), bool((d_test.asnumpy() == 1).all())])
    return {'flags': np.array(seen, dtype='int32')}


def _linreg(mx, n=45, batch_size=10):
    rng = np.random.RandomState(3)
    x = rng.uniform(-1, 1, (n, 4)).astype('float32')
    y = (x @ np.array([1.5, -2., .5, 3.], dtype='float32') + .7 +
         rng.normal(0, .1, n).astype('float32'))
    it = mx.io.NDArrayIter(x, y, batch_size=batch_size, shuffle=False,
                           label_name='lin_reg_label')
    data = mx.sym.var('data')
    fc = mx.sym.FullyConnected(data, num_hidden=1, name='fc1')
    return it, mx.sym.LinearRegressionOutput(fc, mx.sym.var('lin_reg_label'), name='lro')


def svrg_fit(mx, update_freq, optimizer_params, num_epoch=5, contexts=1):
    """SVRGModule.fit on a small linear regression from a fixed init: the weights and the
    train mse after each epoch, and the full gradients at the end."""
    it, net = _linreg(mx)
    ctx = [mx.cpu(i) for i in range(contexts)] if contexts > 1 else mx.cpu()
    mod = _svrg(mx)(
        net, data_names=['data'], label_names=['lin_reg_label'], context=ctx,
        update_freq=update_freq)
    init = {'fc1_weight': mx.nd.array([[.1, -.2, .3, .05]]), 'fc1_bias': mx.nd.array([.2])}
    out = {}

    def epoch_end(epoch, sym, arg, aux):
        out[f'w{epoch}'] = arg['fc1_weight'].asnumpy()
        out[f'b{epoch}'] = arg['fc1_bias'].asnumpy()

    def batch_end(param):
        out[f'mse{param.epoch}_{param.nbatch}'] = np.array(param.eval_metric.get()[1])

    def eval_end(param):
        out[f'val_mse{param.epoch}'] = np.array(param.eval_metric.get()[1])

    val, _ = _linreg(mx, n=20)
    mod.fit(it, eval_data=val, eval_metric='mse', optimizer='sgd',
            optimizer_params=optimizer_params, num_epoch=num_epoch, arg_params=init,
            kvstore='local', epoch_end_callback=epoch_end, batch_end_callback=batch_end,
            eval_end_callback=eval_end)
    for name in ('fc1_weight', 'fc1_bias'):
        out[f'full_{name}'] = mod._param_dict[0][name].asnumpy()
    return out


def svrg_steps(mx):
    """The manual loop of MXNet's SVRG example: update_full_grads, then forward/backward/
    update batch by batch; the gradients SVRG's rule wrote and the weights."""
    it, net = _linreg(mx, n=30)
    mod = _svrg(mx)(
        net, data_names=['data'], label_names=['lin_reg_label'], update_freq=2)
    mod.bind(data_shapes=it.provide_data, label_shapes=it.provide_label)
    mod.init_params(initializer=mx.init.Zero())
    mod.init_optimizer(kvstore='local', optimizer='sgd',
                       optimizer_params=(('learning_rate', 0.1), ('wd', 0.01)))
    out = {}
    for epoch in range(3):
        if epoch % mod.update_freq == 0:
            mod.update_full_grads(it)
        it.reset()
        for i, batch in enumerate(it):
            mod.forward_backward(batch)
            mod.update()
            out[f'g{epoch}_{i}'] = _weight_grad(mod).asnumpy()
    arg, _ = mod.get_params()
    out['w'] = arg['fc1_weight'].asnumpy()
    out['b'] = arg['fc1_bias'].asnumpy()
    return out


def svrg_errors(mx):
    """What SVRGModule raises for a bad update_freq: (type, message) pairs."""
    _, net = _linreg(mx, n=10)
    make = _svrg(mx)
    out = []
    for freq in (None, 0, -1, 1.5):
        try:
            make(net, data_names=['data'], label_names=['lin_reg_label'], update_freq=freq)
            out.append(['', ''])
        except Exception as e:  # pylint: disable=broad-except
            out.append([type(e).__name__, str(e)])
    # a training forward before update_full_grads: the snapshot module has no parameters
    it, _ = _linreg(mx, n=10)
    mod = make(net, data_names=['data'], label_names=['lin_reg_label'], update_freq=1)
    mod.bind(it.provide_data, it.provide_label)
    mod.init_params()
    try:
        mod.forward(next(iter(it)), is_train=True)
        out.append(['', ''])
    except Exception as e:  # pylint: disable=broad-except
        out.append([type(e).__name__, ''])
    return {'errors': np.array(out)}


SVRG_FITS = {   # name: (update_freq, optimizer_params, contexts)
    'sgd_freq2': (2, (('learning_rate', 0.025),), 1),
    'mom_freq1': (1, (('learning_rate', 0.02), ('momentum', 0.9)), 1),
    'sgd_freq3_wd': (3, (('learning_rate', 0.03), ('wd', 0.05)), 1),
    'two_ctx': (2, (('learning_rate', 0.025),), 2),
}


def all_cases(mx):
    """Every case, its arrays under '<case>/<key>'."""
    cases = {'io_f32_keep': lambda: io_iter(mx, 'float32', 'keep'),
             'io_f16_keep': lambda: io_iter(mx, 'float16', 'keep'),
             'io_f32_discard': lambda: io_iter(mx, 'float32', 'discard'),
             'io_f32_rollover': lambda: io_iter(mx, 'float32', 'rollover'),
             'io_module': lambda: io_module(mx),
             'ag_funcs': lambda: autograd_funcs(mx),
             'ag_states': lambda: autograd_states(mx),
             'svrg_steps': lambda: svrg_steps(mx),
             'svrg_errors': lambda: svrg_errors(mx)}
    for name, (freq, params, ctxs) in SVRG_FITS.items():
        cases['svrg_' + name] = lambda f=freq, p=params, c=ctxs: svrg_fit(mx, f, p, contexts=c)
    return cases
