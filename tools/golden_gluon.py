"""Golden data for Gluon core (Block, Parameter, mx.init, nn layers) from the real MXNet 1.9.1.

Run with the MXNet interpreter:  $(../shared/tools/mxnet-ref.sh) tools/golden_gluon.py
Writes tests/golden/gluon_*.npz and the small .params files MXNet itself saved. The networks
are built by tests/golden/gluon_cases.py, shared with the tests.
"""
import contextlib
import io
import os
import pathlib
import sys
import warnings

import mxnet as mx
import numpy as np
from mxnet import autograd, gluon, init, nd
from mxnet.gluon import nn

OUT = pathlib.Path(__file__).resolve().parent.parent / 'tests' / 'golden'
OUT.mkdir(parents=True, exist_ok=True)
RNG = np.random.RandomState(0)
sys.path.insert(0, str(OUT))
import gluon_cases as cases  # noqa: E402  (shared with tests/test_gluon_block.py, _parameter.py)

cases.use(mx)
fresh = cases.fresh


def strs(xs):
    return np.array(list(xs), dtype=str)


# ---- names and reprs ---------------------------------------------------------------------
def names():
    out = {}
    blocks = cases.named_blocks()
    mlp, seq, hs = blocks[2], blocks[3], blocks[4]
    out['block_names'] = strs(x.name for x in blocks)
    out['block_prefixes'] = strs(x.prefix for x in blocks)
    out['param_names'] = strs('|'.join(x.collect_params().keys()) for x in blocks)
    out['structural'] = strs('|'.join(sorted(x._collect_params_with_prefix().keys()))
                             for x in blocks)
    out['child_names'] = strs('|'.join(c.name for c in x._children.values()) for x in blocks)
    out['select_weight'] = strs(hs.collect_params('.*weight').keys())
    out['select_alt'] = strs(hs.collect_params('model_dense0_weight|model_dense1_bias').keys())
    out['repr_seq'] = np.array(repr(seq))
    out['repr_hs'] = np.array(repr(hs))
    out['repr_mlp'] = np.array(repr(mlp))
    out['repr_params'] = np.array(repr(mlp.hidden.params))
    out['repr_collect'] = np.array(repr(seq.collect_params()))
    out['repr_param'] = np.array(repr(gluon.Parameter('w', shape=(2, 3))))
    out['repr_const'] = np.array(repr(gluon.Constant('c', [[1, 2], [3, 4]])))
    layers = cases.named_layers()
    out['layer_reprs'] = strs(repr(layer) for layer in layers)
    out['layer_names'] = strs(layer.name for layer in layers)
    sl = cases.slice_net()[1:]
    out['slice'] = strs([type(sl).__name__, sl.prefix, str(len(sl))] + [c.name for c in sl])
    # a HybridBlock called on a Symbol builds the graph over its Parameters' variables
    out_sym = cases.symbol_net()(mx.sym.var('data'))
    out['sym_arguments'] = strs(out_sym.list_arguments())
    out['sym_aux'] = strs(out_sym.list_auxiliary_states())
    out['sym_var_attrs'] = np.array(repr(sorted(
        gluon.Parameter('v', shape=(2, 3), lr_mult=2.0, init='zeros').var().list_attr().items())))
    # d2l's custom layers: a Block holding its own Parameters; a bare ParameterDict
    dense, pd = cases.custom_blocks()
    out['custom'] = strs([dense.name, repr(dense.params), repr(pd)])
    dense.initialize(init.Constant(0.5))
    out['custom_y'] = dense(nd.ones((2, 5)) * 0.1).asnumpy()
    return out


# ---- layers: outputs and gradients for fixed weights ---------------------------------------
def run_layer(layer, x, params, train=True):
    """Forward + backward with given weights; returns (out, dx, {name: grad})."""
    layer.initialize()
    x = nd.array(x)
    x.attach_grad()
    if params:
        layer(x)  # finish deferred init
    for k, v in params.items():
        getattr(layer, k).set_data(nd.array(v))
    with autograd.record(train_mode=train):
        y = layer(x)
    head = nd.array(RNG.uniform(-1, 1, y.shape))
    y.backward(head)
    grads = {k: getattr(layer, k).grad().asnumpy() for k in params
             if getattr(layer, k).grad_req != 'null'}
    return y.asnumpy(), head.asnumpy(), x.grad.asnumpy(), grads


def u(*shape):
    return RNG.uniform(-1, 1, shape).astype('float32')


LAYERS = [
    # case, constructor, input, fixed params, train mode
    ('dense', lambda: nn.Dense(3), u(2, 4), {'weight': u(3, 4), 'bias': u(3)}, True),
    ('dense_relu_flat', lambda: nn.Dense(3, activation='relu'), u(2, 2, 3),
     {'weight': u(3, 6), 'bias': u(3)}, True),
    ('dense_noflat', lambda: nn.Dense(3, flatten=False, use_bias=False, activation='tanh'),
     u(2, 2, 4), {'weight': u(3, 4)}, True),
    ('act_relu', lambda: nn.Activation('relu'), u(3, 4), {}, True),
    ('act_sigmoid', lambda: nn.Activation('sigmoid'), u(3, 4), {}, True),
    ('act_tanh', lambda: nn.Activation('tanh'), u(3, 4), {}, True),
    ('act_softrelu', lambda: nn.Activation('softrelu'), u(3, 4), {}, True),
    ('act_softsign', lambda: nn.Activation('softsign'), u(3, 4), {}, True),
    ('leaky', lambda: nn.LeakyReLU(0.1), u(3, 4), {}, True),
    ('prelu', lambda: nn.PReLU(), u(3, 4), {'alpha': np.array([0.3], 'float32')}, True),
    ('prelu_ch', lambda: nn.PReLU(in_channels=3), u(2, 3, 4),
     {'alpha': np.array([0.1, 0.2, 0.3], 'float32')}, True),
    ('elu', lambda: nn.ELU(0.7), u(3, 4), {}, True),
    ('selu', lambda: nn.SELU(), u(3, 4), {}, True),
    ('gelu', lambda: nn.GELU(), u(3, 4), {}, True),
    ('swish', lambda: nn.Swish(1.5), u(3, 4), {}, True),
    ('flatten', lambda: nn.Flatten(), u(2, 3, 2), {}, True),
    ('dropout0', lambda: nn.Dropout(0.0), u(3, 4), {}, True),
    ('dropout_eval', lambda: nn.Dropout(0.5), u(3, 4), {}, False),
    ('bn_train', lambda: nn.BatchNorm(), u(4, 3, 2),
     {'gamma': u(3), 'beta': u(3), 'running_mean': u(3), 'running_var': 1 + u(3) ** 2}, True),
    ('bn_eval', lambda: nn.BatchNorm(momentum=0.5), u(4, 3, 2),
     {'gamma': u(3), 'beta': u(3), 'running_mean': u(3), 'running_var': 1 + u(3) ** 2}, False),
    ('bn_axis_noscale', lambda: nn.BatchNorm(axis=-1, scale=False, center=False), u(4, 3),
     {'gamma': u(3), 'beta': u(3), 'running_mean': u(3), 'running_var': 1 + u(3) ** 2}, True),
    ('bn_global', lambda: nn.BatchNorm(use_global_stats=True), u(4, 3),
     {'gamma': u(3), 'beta': u(3), 'running_mean': u(3), 'running_var': 1 + u(3) ** 2}, True),
    ('layernorm', lambda: nn.LayerNorm(), u(2, 3, 4), {'gamma': u(4), 'beta': u(4)}, True),
    ('layernorm_ax1', lambda: nn.LayerNorm(axis=1, epsilon=1e-3), u(2, 3, 4),
     {'gamma': u(3), 'beta': u(3)}, True),
    ('instancenorm', lambda: nn.InstanceNorm(scale=True), u(2, 3, 4),
     {'gamma': u(3), 'beta': u(3)}, True),
    ('groupnorm', lambda: nn.GroupNorm(2), u(2, 4, 3), {'gamma': u(2), 'beta': u(2)}, True),
    ('conv1d', lambda: nn.Conv1D(4, 3, padding=1), u(2, 2, 6),
     {'weight': u(4, 2, 3), 'bias': u(4)}, True),
    ('conv2d', lambda: nn.Conv2D(3, (3, 2), strides=(2, 1), padding=(1, 0), dilation=(1, 2),
                                 activation='relu'), u(2, 2, 5, 6),
     {'weight': u(3, 2, 3, 2), 'bias': u(3)}, True),
    ('conv2d_groups', lambda: nn.Conv2D(4, 3, groups=2, use_bias=False), u(1, 4, 5, 5),
     {'weight': u(4, 2, 3, 3)}, True),
    ('conv3d', lambda: nn.Conv3D(2, 2), u(1, 2, 3, 3, 3), {'weight': u(2, 2, 2, 2, 2),
                                                       'bias': u(2)}, True),
    ('conv2dT', lambda: nn.Conv2DTranspose(3, 3, strides=2, padding=1, output_padding=1),
     u(1, 2, 3, 3), {'weight': u(2, 3, 3, 3), 'bias': u(3)}, True),
    ('conv1dT', lambda: nn.Conv1DTranspose(2, 2, strides=2), u(1, 3, 4),
     {'weight': u(3, 2, 2), 'bias': u(2)}, True),
    ('maxpool2d', lambda: nn.MaxPool2D(), u(1, 2, 5, 5), {}, True),
    ('maxpool2d_pad', lambda: nn.MaxPool2D((2, 3), padding=(1, 1), strides=(2, 3)),
     u(1, 2, 5, 7), {}, True),
    ('maxpool1d_ceil', lambda: nn.MaxPool1D(2, ceil_mode=True), u(1, 2, 5), {}, True),
    ('avgpool2d', lambda: nn.AvgPool2D(3, 2, 1), u(1, 2, 5, 5), {}, True),
    ('avgpool2d_nopad', lambda: nn.AvgPool2D(3, 2, 1, count_include_pad=False),
     u(1, 2, 5, 5), {}, True),
    ('avgpool3d', lambda: nn.AvgPool3D(2), u(1, 1, 4, 4, 4), {}, True),
    ('gap2d', lambda: nn.GlobalAvgPool2D(), u(2, 3, 4, 4), {}, True),
    ('gmp1d', lambda: nn.GlobalMaxPool1D(), u(2, 3, 5), {}, True),
    ('reflpad', lambda: nn.ReflectionPad2D(1), u(1, 2, 3, 3), {}, True),
    ('bn_relu', lambda: nn.BatchNormReLU(), u(2, 3, 2, 2),
     {'gamma': u(3), 'beta': u(3), 'running_mean': u(3), 'running_var': 1 + u(3) ** 2}, True),
]


def layers():
    out = {}
    for case, make, x, params, train in LAYERS:
        layer = make()
        y, head, dx, grads = run_layer(layer, x, params, train)
        out[f'{case}/x'] = x
        out[f'{case}/y'] = y
        out[f'{case}/head'] = head
        out[f'{case}/dx'] = dx
        for k, v in params.items():
            out[f'{case}/p/{k}'] = np.asarray(v, 'float32')
        for k, g in grads.items():
            out[f'{case}/g/{k}'] = g
        for k in params:   # running stats after the step (BatchNorm updates them in place)
            out[f'{case}/after/{k}'] = getattr(layer, k).data().asnumpy()
    emb = nn.Embedding(5, 3)
    emb.initialize()
    w = u(5, 3)
    emb.weight.set_data(nd.array(w))
    idx = nd.array([[0, 4], [2, 2]])
    with autograd.record():
        y = emb(idx)
    y.backward()
    out['embedding/w'] = w
    out['embedding/y'] = y.asnumpy()
    out['embedding/g'] = emb.weight.grad().asnumpy()
    return out


# ---- initializers --------------------------------------------------------------------------
def initializers():
    out = {}
    for name, ini, shape in [('constant', init.Constant(0.5), (2, 3)),
                             ('zero', init.Zero(), (3,)), ('one', init.One(), (2, 2)),
                             ('bilinear', init.Bilinear(), (1, 1, 4, 4)),
                             ('bilinear3', init.Bilinear(), (2, 1, 3, 5)),
                             ('lstmbias', init.LSTMBias(2.0), (8,))]:
        arr = nd.zeros(shape)
        ini(init.InitDesc('x_weight'), arr)
        out[f'det/{name}'] = arr.asnumpy()
    # default dispatch of the base class by suffix (Uniform: weight random, rest fixed)
    for suffix in ['bias', 'gamma', 'beta', 'min', 'max']:
        arr = nd.ones((3,)) * 7
        init.Uniform()(init.InitDesc('fc_' + suffix), arr)
        out[f'suffix/{suffix}'] = arr.asnumpy()
    for suffix in ['running_mean', 'moving_mean', 'moving_var', 'foo']:
        try:
            init.Uniform()(init.InitDesc('bn_' + suffix), nd.ones((3,)))
            out[f'suffix_err/{suffix}'] = np.array('')
        except Exception as e:  # noqa: BLE001
            out[f'suffix_err/{suffix}'] = np.array(type(e).__name__ + ': ' + str(e))
    out['dumps'] = strs([init.Normal(0.5).dumps(), init.Xavier().dumps(),
                         init.MSRAPrelu().dumps(), init.Uniform().dumps()])
    # the Gluon defaults: what net.initialize() gives each kind of parameter
    net = nn.HybridSequential()
    net.add(nn.Dense(4, in_units=3), nn.BatchNorm(in_channels=4), nn.PReLU())
    net.initialize()
    for k, p in net.collect_params().items():
        out[f'gluon_default/{k}'] = p.data().asnumpy()
    try:
        init.Xavier()(init.InitDesc('v_weight'), nd.zeros((3,)))
    except ValueError as e:
        out['xavier_vector'] = np.array(str(e))
    return out


# ---- save/load and messages ---------------------------------------------------------------
def serialization():
    out = {}
    net = cases.serial_net()
    net.initialize(init.Uniform(1.0))
    for k, p in net._collect_params_with_prefix().items():
        out[f'values/{k}'] = p.data().asnumpy()
    net.save_parameters(str(OUT / 'gluon_mxnet_new.params'))
    # the legacy format: prefixed names with the block's own prefix stripped (save_params)
    net.collect_params().save(str(OUT / 'gluon_mxnet_legacy.params'), strip_prefix=net.prefix)
    out['legacy_names'] = strs(nd.load(str(OUT / 'gluon_mxnet_legacy.params')).keys())
    out['new_names'] = strs(nd.load(str(OUT / 'gluon_mxnet_new.params')).keys())
    # Block.save: the structure json and params, then names restored by Block.load
    fresh()
    mnet = cases.model_net()
    mnet.initialize()    # in_units given: a deferred init would cache graphs into the json
    mnet.save(str(OUT / 'gluon_model'))
    fresh()
    nn.HybridSequential()                         # shift the counter: load restores names
    again = cases.model_net()
    again.load(str(OUT / 'gluon_model'))
    out['model_loaded'] = strs([again.name] + list(again._children) +
                               [c.name for c in again._children.values()] +
                               list(again.collect_params().keys()) +
                               list(again[1].params.keys()))
    # error messages
    msgs = {}
    fresh()
    other = nn.HybridSequential()
    other.add(nn.Dense(3, in_units=5))
    for case, call in [
            ('missing', lambda: nn.Dense(3, in_units=4).load_parameters(
                str(OUT / 'gluon_mxnet_new.params'))),
            ('shape', lambda: other.load_parameters(str(OUT / 'gluon_mxnet_new.params'),
                                                    ignore_extra=True)),
    ]:
        try:
            call()
            msgs[case] = ''
        except Exception as e:  # noqa: BLE001
            msgs[case] = type(e).__name__ + ': ' + str(e)
    p = gluon.Parameter('w', shape=(2, 0), allow_deferred_init=True)
    p.initialize()
    for case, call in [('deferred', p.data), ('uninit', gluon.Parameter('v', shape=(2,)).data),
                       ('bad_grad_req', lambda: setattr(p, 'grad_req', 'foo'))]:
        try:
            call()
        except Exception as e:  # noqa: BLE001
            msgs[case] = type(e).__name__ + ': ' + str(e)
    q = gluon.Parameter('q', shape=(2,))
    q.initialize()
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        q.initialize()
    msgs['reinit_warning'] = str(w[0].message)
    for k, v in msgs.items():
        out[f'msg/{k}'] = np.array(v)
    # summary
    snet = cases.summary_net()
    snet.initialize()
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        snet.summary(nd.ones((2, 3)))
    out['summary'] = np.array(buf.getvalue())
    return out


def shared_grads():
    """Gradient of a parameter used by two layers is the sum over its uses."""
    net = cases.shared_net()
    net.initialize(init.Uniform(1.0))
    x = nd.array(u(2, 3))
    with autograd.record():
        y = net(x)
    y.backward()
    out = {'x': x.asnumpy(), 'y': y.asnumpy()}
    for k, p in net.collect_params().items():
        out[f'p/{k}'] = p.data().asnumpy()
        out[f'g/{k}'] = p.grad().asnumpy()
    return out


def exported():
    """HybridBlock.export by MXNet, and the outputs SymbolBlock.imports must reproduce."""
    net = cases.export_net()
    net.initialize(init.Uniform(1.0))
    net.hybridize()
    x = nd.array(u(2, 3))
    net(x)
    net.export(str(OUT / 'gluon_export'), epoch=3)
    blk = gluon.SymbolBlock.imports(str(OUT / 'gluon_export-symbol.json'), ['data'],
                                    str(OUT / 'gluon_export-0003.params'))
    return {'x': x.asnumpy(), 'y': net(x).asnumpy(), 'y_imported': blk(x).asnumpy(),
            'param_names': strs(blk.collect_params().keys()),
            'reg_names': strs(sorted(blk._reg_params.keys())),
            'params_file_keys': strs(nd.load(str(OUT / 'gluon_export-0003.params')).keys())}


def main():
    for name, fn in [('gluon_names', names), ('gluon_layers', layers),
                     ('gluon_init', initializers), ('gluon_io', serialization),
                     ('gluon_shared', shared_grads), ('gluon_export', exported)]:
        np.savez_compressed(OUT / f'{name}.npz', **fn())
        print('wrote', name, os.path.getsize(OUT / f'{name}.npz'), 'bytes')


if __name__ == '__main__':
    main()
