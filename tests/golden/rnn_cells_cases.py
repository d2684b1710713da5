"""The mx.rnn cell scenarios, shared by the golden writer (tools/golden_rnn_cells.py, run
under the real MXNet 1.9.1) and the tests (tests/test_rnn_cells.py, run under regluon).
Each function takes the library as `mx` and returns a dict of numpy arrays: graph names
(list_arguments, list_outputs, shapes as strings), outputs and gradients of an executor
bound with fixed weights; the names of all graph nodes (from tojson)."""
import json
import random

import numpy as np

from module_extra_cases import sentences


def _flat(x):
    return sum((_flat(i) for i in x), []) if isinstance(x, (list, tuple)) else [x]


def run(mx, heads, shapes, train=True, seed=0, args=None):
    """Bind Group(heads) with uniform weights (or `args`), run forward (and backward with
    fixed head gradients); names, shapes, outputs and gradients as arrays."""
    # a state that is also an output (RNN/GRU: output == state) appears once: MXNet's
    # executor gives a repeated head only its last head gradient
    uniq = {}
    for h in _flat(heads):
        uniq.setdefault(h.list_outputs()[0], h)
    g = mx.sym.Group(list(uniq.values()))
    arg_shapes, out_shapes, _ = g.infer_shape(**shapes)
    names = g.list_arguments()
    rs = np.random.RandomState(seed)
    vals = {n: rs.uniform(-0.5, 0.5, s).astype(np.float32) for n, s in zip(names, arg_shapes)}
    vals.update(args or {})
    grads = {n: mx.nd.zeros(s) for n, s in zip(names, arg_shapes)}
    ex = g.bind(mx.cpu(), {n: mx.nd.array(v) for n, v in vals.items()}, args_grad=grads)
    outs = ex.forward(is_train=train)
    res = {'arguments': np.array(names), 'outputs': np.array(g.list_outputs()),
           'nodes': np.array([n['name'] for n in json.loads(g.tojson())['nodes']]),
           'arg_shapes': np.array(str([tuple(s) for s in arg_shapes])),
           'out_shapes': np.array(str([tuple(s) for s in out_shapes]))}
    res.update({f'out{i}': o.asnumpy() for i, o in enumerate(outs)})
    if train:
        ex.backward([mx.nd.array(rs.uniform(-1, 1, o.shape).astype(np.float32))
                     for o in outs])
        res.update({f'grad:{n}': grads[n].asnumpy() for n in names})
    return res


def _unroll(mx, make, length=3, layout='NTC', merge=True, batch=2, width=5, **kw):
    """Unroll the cell `make(mx)` over `length` steps of a 'data' variable; run it."""
    with mx.name.NameManager():
        cell = make(mx)
        step = (width,) if width else (3, 4, 4)     # no width: images (3, 4, 4) per step
        shape = (batch, length) + step if layout == 'NTC' else (length, batch) + step
        outputs, states = cell.unroll(length, mx.sym.Variable('data'), layout=layout,
                                      merge_outputs=merge)
    res = run(mx, [outputs, states], {'data': shape}, **kw)
    res['merged'] = np.array(isinstance(outputs, mx.sym.Symbol))
    return res


def _stack(mx):
    stack = mx.rnn.SequentialRNNCell()
    stack.add(mx.rnn.LSTMCell(4, prefix='l0_'))
    stack.add(mx.rnn.GRUCell(4, prefix='l1_'))
    stack.add(mx.rnn.RNNCell(3, activation='relu', prefix='l2_'))
    return stack


def _bi(mx):
    return mx.rnn.BidirectionalCell(mx.rnn.LSTMCell(4, prefix='fw_'),
                                    mx.rnn.GRUCell(3, prefix='bw_'), output_prefix='bi_')


def _fused(mx, mode='lstm', layers=2, bidirectional=True, next_state=True):
    return mx.rnn.FusedRNNCell(4, num_layers=layers, mode=mode, bidirectional=bidirectional,
                               get_next_state=next_state, prefix=f'{mode}_')


UNROLL = {   # name: (cell maker, unroll keywords)
    'rnn_tanh_list': (lambda mx: mx.rnn.RNNCell(4), dict(merge=False)),
    'rnn_relu_tnc': (lambda mx: mx.rnn.RNNCell(4, activation='relu', prefix='r_'),
                     dict(layout='TNC')),
    'lstm_merged': (lambda mx: mx.rnn.LSTMCell(4, forget_bias=2.0), dict()),
    'lstm_list_tnc': (lambda mx: mx.rnn.LSTMCell(4), dict(merge=False, layout='TNC')),
    'lstm_default_merge': (lambda mx: mx.rnn.LSTMCell(4), dict(merge=None)),
    'gru_list': (lambda mx: mx.rnn.GRUCell(4), dict(merge=False)),
    'gru_merged': (lambda mx: mx.rnn.GRUCell(4), dict(length=2)),
    'sequential': (_stack, dict()),
    'sequential_list': (_stack, dict(merge=False, length=2)),
    'bidirectional': (_bi, dict()),
    'bidirectional_list': (_bi, dict(merge=False)),
    'residual': (lambda mx: mx.rnn.ResidualCell(mx.rnn.GRUCell(5, prefix='res_')), dict()),
    'residual_list': (lambda mx: mx.rnn.ResidualCell(mx.rnn.LSTMCell(5, prefix='res_')),
                      dict(merge=False)),
    'dropout_stack_predict': (lambda mx: _dropout_stack(mx), dict(train=False)),
    'zoneout_predict': (lambda mx: mx.rnn.ZoneoutCell(mx.rnn.LSTMCell(4), 0.5, 0.3),
                        dict(train=False)),
    'zoneout_stack_predict': (lambda mx: _zoneout_stack(mx), dict(train=False, merge=False)),
    'conv_rnn': (lambda mx: mx.rnn.ConvRNNCell((2, 3, 4, 4), 2, i2h_pad=(0, 0),
                                               prefix='crnn_'), dict(width=None)),
    'conv_lstm': (lambda mx: mx.rnn.ConvLSTMCell((2, 3, 4, 4), 2, activation='tanh'),
                  dict(width=None, length=2)),
    'conv_gru_list': (lambda mx: mx.rnn.ConvGRUCell((2, 3, 4, 4), 2, h2h_kernel=(1, 3)),
                      dict(width=None, length=2, merge=False)),
    'fused_lstm_bi_tnc': (_fused, dict(layout='TNC')),
    'fused_lstm_ntc': (lambda mx: _fused(mx, bidirectional=False), dict()),
    'fused_gru': (lambda mx: _fused(mx, 'gru', 1, False, True), dict(layout='TNC')),
    'fused_rnn_relu_bi': (lambda mx: _fused(mx, 'rnn_relu', 2, True, False),
                          dict(layout='TNC')),
    'fused_rnn_tanh_list': (lambda mx: _fused(mx, 'rnn_tanh', 1, False, True),
                            dict(layout='TNC', merge=False)),
}


def _dropout_stack(mx):
    stack = mx.rnn.SequentialRNNCell()
    stack.add(mx.rnn.LSTMCell(4, prefix='l0_'))
    stack.add(mx.rnn.DropoutCell(0.5, prefix='drop_'))
    stack.add(mx.rnn.LSTMCell(4, prefix='l1_'))
    return stack


def _zoneout_stack(mx):
    stack = mx.rnn.SequentialRNNCell()
    stack.add(mx.rnn.ZoneoutCell(mx.rnn.GRUCell(4, prefix='z0_'), 0.2, 0.2))
    stack.add(mx.rnn.ResidualCell(mx.rnn.RNNCell(4, prefix='z1_')))
    return stack


def unfused(mx, fused_name):
    """A FusedRNNCell's unfuse(), unrolled with the fused cell's weights unpacked."""
    make, kw = UNROLL[fused_name]
    with mx.name.NameManager():
        cell = make(mx)
        layout = kw.get('layout', 'NTC')
        shape = (2, 3, 5) if layout == 'NTC' else (3, 2, 5)
        outputs, states = cell.unroll(3, mx.sym.Variable('data'), layout=layout,
                                      merge_outputs=True)
        args = dict(zip(outputs.list_arguments(), outputs.infer_shape(data=shape)[0]))
        rs = np.random.RandomState(0)
        packed = {n: mx.nd.array(rs.uniform(-0.5, 0.5, s).astype(np.float32))
                  for n, s in args.items()}
        weights = cell.unpack_weights(packed)
        stack = cell.unfuse()
        outputs, states = stack.unroll(3, mx.sym.Variable('data'), layout=layout,
                                       merge_outputs=True)
    stacked = stack.pack_weights(weights)       # per-gate names -> the unfused cells' own
    res = run(mx, [outputs, states], {'data': shape}, train=False,
              args={k: v.asnumpy() for k, v in stacked.items()})
    res['unpacked_names'] = np.array(sorted(weights))
    res['stacked_names'] = np.array(sorted(stacked))
    res['repacked'] = cell.pack_weights(stack.unpack_weights(stacked))[
        cell._parameter.name].asnumpy()
    return res


def weights(mx):
    """unpack_weights/pack_weights of cells: the names (and LSTM/GRU values) they give."""
    rs = np.random.RandomState(1)
    res = {}
    with mx.name.NameManager():
        cells = {'lstm': mx.rnn.LSTMCell(3, prefix='lstm_'), 'gru': mx.rnn.GRUCell(3),
                 'rnn': mx.rnn.RNNCell(3), 'stack': _stack(mx), 'bi': _bi(mx)}
    for name, cell in cells.items():
        outputs, _ = cell.unroll(2, mx.sym.Variable('data'), merge_outputs=True)
        shapes = outputs.infer_shape(data=(2, 2, 5))[0]
        args = {n: mx.nd.array(rs.uniform(-1, 1, s).astype(np.float32))
                for n, s in zip(outputs.list_arguments(), shapes) if n != 'data'}
        unpacked = cell.unpack_weights(args)
        res[f'{name}:names'] = np.array(sorted(unpacked))
        if name in ('lstm', 'gru'):   # the values too (the round trip is tested in regluon)
            res.update({f'{name}:{k}': v.asnumpy() for k, v in unpacked.items()})
        res[f'{name}:packed_names'] = np.array(sorted(cell.pack_weights(unpacked)))
    return res


def begin_states(mx):
    """begin_state as variables (func=sym.Variable): names, attributes and the shapes
    infer_shape gives them from the data; the init counter across calls."""
    res = {}
    with mx.name.NameManager():
        for name, cell in (('lstm', mx.rnn.LSTMCell(4)), ('stack', _stack(mx)),
                           ('fused', _fused(mx)), ('bi', _bi(mx))):
            states = cell.begin_state(func=mx.sym.Variable)
            flat = _flat(states)
            res[f'{name}:names'] = np.array([s.name for s in flat])
            res[f'{name}:layouts'] = np.array([s.attr('__layout__') for s in flat])
            res[f'{name}:state_shape'] = np.array(str(cell.state_shape))
            layout = 'TNC' if name == 'fused' else 'NTC'
            outputs, last = cell.unroll(3, mx.sym.Variable('data'), begin_state=states,
                                        layout=layout, merge_outputs=True)
            g = mx.sym.Group([outputs] + _flat(last))
            shp = g.infer_shape(data=(3, 2, 5) if name == 'fused' else (2, 3, 5))
            res[f'{name}:arguments'] = np.array(g.list_arguments())
            res[f'{name}:arg_shapes'] = np.array(str([tuple(s) for s in shp[0]]))
            res[f'{name}:out_shapes'] = np.array(str([tuple(s) for s in shp[1]]))
            again = cell.begin_state()     # the counter goes on after unroll's own states
            res[f'{name}:again'] = np.array([s.name for s in _flat(again)])
    return res


def init_forget_bias(mx):
    """Module.init_params: LSTMCell's i2h_bias comes from its LSTMBias initializer."""
    with mx.name.NameManager():
        cell = mx.rnn.LSTMCell(3, prefix='lstm_', forget_bias=2.5)
        outputs, _ = cell.unroll(2, mx.sym.Variable('data'), merge_outputs=True)
    mod = mx.mod.Module(mx.sym.MakeLoss(mx.sym.sum(outputs)), label_names=None)
    mod.bind([('data', (2, 2, 4))])
    mod.init_params(mx.init.Uniform(0.1))
    return {'i2h_bias': mod.get_params()[0]['lstm_i2h_bias'].asnumpy()}


def init_fused(mx):
    """Module.init_params of a FusedRNNCell graph: its FusedRNN initializer fills each
    unpacked array by the global initializer (LSTM forget biases to forget_bias)."""
    res = {}
    for mode in ('lstm', 'gru'):
        with mx.name.NameManager():
            cell = mx.rnn.FusedRNNCell(3, num_layers=2, mode=mode, bidirectional=True,
                                       forget_bias=1.5, prefix=mode + '_')
            outputs, _ = cell.unroll(2, mx.sym.Variable('data'), layout='TNC',
                                     merge_outputs=True)
        mod = mx.mod.Module(mx.sym.MakeLoss(mx.sym.sum(outputs)), label_names=None)
        mod.bind([('data', (2, 2, 4))])
        mod.init_params(mx.init.Constant(0.25))
        res[mode] = mod.get_params()[0][mode + '_parameters'].asnumpy()
        res[mode + ':attr'] = np.array(outputs.attr_dict()[mode + '_parameters']['__init__'])
    return res


def ckpt_cell(mx):
    return mx.rnn.FusedRNNCell(3, num_layers=1, mode='lstm', prefix='ck_')


def rnn_checkpoint(mx, prefix):
    """save_rnn_checkpoint of a FusedRNNCell model at `prefix` (epoch 1): the parameters
    are written unpacked; load_rnn_checkpoint packs them again."""
    with mx.name.NameManager():
        cell = ckpt_cell(mx)
        outputs, _ = cell.unroll(2, mx.sym.Variable('data'), layout='TNC',
                                 merge_outputs=True)
    size = outputs.infer_shape(data=(2, 1, 2))[0][1][0]
    packed = mx.nd.array(np.linspace(-1, 1, size).astype(np.float32))
    mx.rnn.save_rnn_checkpoint(cell, prefix, 1, outputs, {'ck_parameters': packed}, {})
    saved = mx.nd.load(prefix + '-0001.params')
    res = {'saved_names': np.array(sorted(saved))}
    res.update({f'saved:{k}': v.asnumpy() for k, v in saved.items()})
    sym, arg, _ = mx.rnn.load_rnn_checkpoint(cell, prefix, 1)
    res['loaded_names'] = np.array(sorted(arg))
    res['loaded'] = arg['ck_parameters'].asnumpy()
    res['arguments'] = np.array(sym.list_arguments())
    return res


def _modified_base(mx):
    base = mx.rnn.LSTMCell(3)
    mx.rnn.ZoneoutCell(base, 0.5)
    base.begin_state()


def _shared_twice(mx):
    stack = mx.rnn.SequentialRNNCell(params=mx.rnn.RNNParams('s_'))
    stack.add(mx.rnn.LSTMCell(3, params=mx.rnn.RNNParams('x_')))


ERRORS = {   # misuse -> MXNet's exception type (recorded by the golden writer)
    'fused_step': lambda mx: mx.rnn.FusedRNNCell(3)(mx.sym.Variable('x'), []),
    'bidirectional_step': lambda mx: _bi(mx)(mx.sym.Variable('x'), []),
    'modified_base_begin_state': _modified_base,
    'unroll_no_inputs': lambda mx: mx.rnn.LSTMCell(3).unroll(2, None),
    'unroll_wrong_length': lambda mx: mx.rnn.GRUCell(3).unroll(
        2, [mx.sym.Variable('a'), mx.sym.Variable('b'), mx.sym.Variable('c')]),
    'zoneout_fused': lambda mx: mx.rnn.ZoneoutCell(mx.rnn.FusedRNNCell(3), 0.5),
    'zoneout_bidirectional': lambda mx: mx.rnn.ZoneoutCell(_bi(mx), 0.5),
    'dropout_not_number': lambda mx: mx.rnn.DropoutCell('0.5'),
    'params_given_twice': _shared_twice,
    'base_cell_step': lambda mx: mx.rnn.BaseRNNCell()(mx.sym.Variable('x'), []),
}


def errors(mx):
    """The exception type each misuse raises."""
    res = {}
    for name, fn in ERRORS.items():
        try:
            fn(mx)
            res[name] = np.array('no error')
        except Exception as e:  # pylint: disable=broad-except
            res[name] = np.array(type(e).__name__)
    return res


VOCAB, EMBED, HIDDEN, LAYERS = 11, 5, 6, 2


def lm_sym_gen(mx, stack):
    """The bucketing LSTM language model of MXNet's example/rnn/bucketing/lstm_bucketing.py."""
    def sym_gen(seq_len):
        data = mx.sym.Variable('data')
        label = mx.sym.Variable('softmax_label')
        embed = mx.sym.Embedding(data=data, input_dim=VOCAB, output_dim=EMBED, name='embed')
        stack.reset()
        outputs, states = stack.unroll(seq_len, inputs=embed, merge_outputs=True)
        pred = mx.sym.Reshape(outputs, shape=(-1, HIDDEN))
        pred = mx.sym.FullyConnected(data=pred, num_hidden=VOCAB, name='pred')
        label = mx.sym.Reshape(label, shape=(-1,))
        pred = mx.sym.SoftmaxOutput(data=pred, label=label, name='softmax')
        return pred, ('data',), ('softmax_label',)
    return sym_gen


def lm_fit(mx):
    """lstm_bucketing.py's model trained one epoch by BucketingModule.fit from fixed
    weights; its parameters, perplexity, the bucket graphs' argument names, and the
    parameters unpacked by save_rnn_checkpoint's cells."""
    random.seed(1)
    np.random.seed(1)
    coded, _ = mx.rnn.encode_sentences(sentences(), invalid_label=0, start_label=1)
    it = mx.rnn.BucketSentenceIter(coded, 4, buckets=[4, 6, 8], invalid_label=0)
    stack = mx.rnn.SequentialRNNCell()
    for i in range(LAYERS):
        stack.add(mx.rnn.LSTMCell(num_hidden=HIDDEN, prefix='lstm_l%d_' % i))
    gen = lm_sym_gen(mx, stack)
    with mx.name.NameManager():
        sym = gen(8)[0]
    shapes = sym.infer_shape(data=(4, 8), softmax_label=(4, 8))[0]
    rs = np.random.RandomState(5)
    params = {n: mx.nd.array((rs.randn(*s) * 0.3).astype(np.float32))
              for n, s in zip(sym.list_arguments(), shapes) if n not in ('data', 'softmax_label')}
    res = {'arguments': np.array(sym.list_arguments()),
           'outputs': np.array(sym.list_outputs()),
           'internals8': np.array([n for n in sym.get_internals().list_outputs()
                                   if n.startswith('lstm_')])}
    mod = mx.mod.BucketingModule(gen, default_bucket_key=it.default_bucket_key)
    mod.fit(it, num_epoch=1, optimizer='sgd', eval_metric=mx.metric.Perplexity(0),
            optimizer_params={'learning_rate': 0.3, 'momentum': 0.5}, arg_params=params)
    arg, _ = mod.get_params()
    res.update({f'param:{k}': v.asnumpy() for k, v in arg.items()})
    res['perplexity'] = np.array(mod.score(it, mx.metric.Perplexity(0))[0][1])
    unpacked = stack.unpack_weights(arg)
    res['unpacked'] = np.array(sorted(unpacked))
    return res


CASES = {**{name: (lambda mx, m=make, k=kw: _unroll(mx, m, **k))
            for name, (make, kw) in UNROLL.items()},
         **{f'unfuse_{n}': (lambda mx, n=n: unfused(mx, n))
            for n in ('fused_lstm_bi_tnc', 'fused_lstm_ntc', 'fused_gru', 'fused_rnn_relu_bi')},
         'weights': weights, 'begin_states': begin_states, 'init_forget_bias': init_forget_bias,
         'init_fused': init_fused, 'errors': errors,
         'lm_fit': lm_fit}
