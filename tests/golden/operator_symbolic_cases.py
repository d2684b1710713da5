"""Symbolic cases from MXNet 1.9.1's test_operator.py (auto-created inputs, operator
metadata, creation nodes of unknown sizes, partial shape inference). Each case runs under
either library (`mx` is bound at call time); tools/golden_cases.py operator_symbolic stores
MXNet's values, tests/test_operator_symbolic.py compares regluon's with them."""
import json

import numpy as np

# MXNet 1.9.1's JSON of sym.RNN(mode='gru', state_size=2, num_layers=1,
# use_sequence_length=True, name='rnn'): its 4th input is sequence_length (no state_cell)
GRU_SEQ_JSON = (
    '{"nodes":[{"op":"null","name":"rnn_data","inputs":[]},'
    '{"op":"null","name":"rnn_parameters","inputs":[]},'
    '{"op":"null","name":"rnn_state","inputs":[]},'
    '{"op":"null","name":"rnn_sequence_length","inputs":[]},'
    '{"op":"RNN","name":"rnn","attrs":{"mode":"gru","num_layers":"1","state_size":"2",'
    '"use_sequence_length":"True"},"inputs":[[0,0,0],[1,0,0],[2,0,0],[3,0,0]]}],'
    '"arg_nodes":[0,1,2,3],"node_row_ptr":[0,1,2,3,4,5],"heads":[[4,0,0]],'
    '"attrs":{"mxnet_version":["int",10901]}}')


def _names(v):
    return np.array(json.dumps(v)), 'names'


def _val(v):
    if hasattr(v, 'asnumpy'):
        v = v.asnumpy()
    return np.asarray(v), 'ndarray'


def auto_inputs(mx):
    """Inputs an op is made without become variables `<name>_<input>`, as many as its
    settings give it (MXNet's compose, for every operator)."""
    x = mx.sym.var('x')
    s = mx.sym
    made = {
        'softmax': s.softmax(name='s'),
        'softmax_axis': s.softmax(axis=1),
        'softmax_length': s.softmax(name='s', use_length=True),
        'softmax_x_length': s.softmax(x, name='s', use_length=True),
        'log_softmax': s.log_softmax(name='ls'),
        'softmin': s.softmin(name='sm'),
        'rnn_lstm': s.RNN(mode='lstm', state_size=3, num_layers=1, name='rnn'),
        'rnn_gru': s.RNN(mode='gru', state_size=3, num_layers=1, name='rnn'),
        'rnn_gru_seq': s.RNN(mode='gru', state_size=3, num_layers=1, name='rnn',
                             use_sequence_length=True),
        'rnn_lstm_seq': s.RNN(x, mode='lstm', state_size=3, num_layers=1, name='rnn',
                              use_sequence_length=True),
        'elemwise_add': s.elemwise_add(name='e'),
        'elemwise_add_lhs': s.elemwise_add(x, name='e'),
        'elemwise_add_rhs': s.elemwise_add(rhs=x, name='e'),
        'take': s.take(name='tk'),
        'where': s.where(name='w'),
        'sum': s.sum(name='t'),
        'SoftmaxOutput': s.SoftmaxOutput(name='so'),
        'Deconvolution': s.Deconvolution(x, kernel=(2, 2), num_filter=1, name='deconv'),
        'Deconvolution_bias': s.Deconvolution(x, kernel=(2, 2), num_filter=1, name='deconv',
                                              no_bias=False),
        'Convolution_no_bias': s.Convolution(x, kernel=(2, 2), num_filter=1, no_bias=True,
                                             name='conv'),
        'LeakyReLU_prelu': s.LeakyReLU(x, act_type='prelu', name='lr'),
        'LeakyReLU': s.LeakyReLU(x, name='lr'),
        'CTCLoss_lengths': s.CTCLoss(x, use_data_lengths=True, name='ctc'),
        'SequenceMask_len': s.SequenceMask(x, use_sequence_length=True, name='sm'),
        'SequenceMask': s.SequenceMask(x, name='sm'),
        'Pooling': s.Pooling(kernel=(2, 2), name='pool'),
        'ones': s.ones((2,)),
    }
    return {k: _names([v.list_arguments(), v.list_auxiliary_states()])
            for k, v in made.items()}


def auto_inputs_values(mx):
    """Graphs of ops made without their inputs run on arrays given for the new variables."""
    data = np.random.uniform(-2, 2, (2, 3)).astype('float32')
    out = {}
    for name, make in [('softmax', lambda: mx.sym.softmax(name='s', axis=1)),
                       ('log_softmax', lambda: mx.sym.log_softmax(name='s')),
                       ('softmin', lambda: mx.sym.softmin(name='s', temperature=2.0))]:
        exe = make().bind(mx.cpu(), args={'s_data': mx.nd.array(data)})
        out[name] = _val(exe.forward()[0])
    s = mx.sym.softmax(name='s', axis=1, use_length=True)
    exe = s.bind(mx.cpu(), args={'s_data': mx.nd.array(data),
                                 's_length': mx.nd.array([2, 1], dtype='int32')})
    out['softmax_length'] = _val(exe.forward()[0])
    return out


def rnn_json_inputs(mx):
    """A graph MXNet wrote whose RNN has sequence_length without state_cell: loaded, its
    inputs keep their names and shapes infer by them."""
    s = mx.sym.load_json(GRU_SEQ_JSON)
    args, outs, _ = s.infer_shape(rnn_data=(4, 2, 3), rnn_state=(1, 2, 2),
                                  rnn_sequence_length=(2,))
    return {'args': _names(s.list_arguments()), 'arg_shapes': _names(args),
            'out_shapes': _names(outs)}


def operator_metadata(mx):
    """mx.operator.get_all_registered_operators / get_operator_arguments."""
    out = {'has_activation': _val('Activation' in mx.operator.get_all_registered_operators()),
           'has_custom_type': _val('Custom' in mx.operator.get_all_registered_operators())}
    for op in ['Activation', 'softmax', 'RNN', 'FullyConnected', 'Concat', 'take']:
        a = mx.operator.get_operator_arguments(op)
        out[op] = _names([a.narg, a.names, a.types])
    return out


def unknown_size_creation(mx):
    """sym.ones with -1 sizes takes them from what it meets, through a transpose; an int
    shape is one size (test_transpose_infer_shape_back/_mixed, test_init)."""
    out = {}
    o1, o2 = mx.sym.ones(shape=[2, 3]), mx.sym.ones(shape=[-1, -1])
    b = o1 + mx.sym.transpose(o2)
    out['back_infer'] = _names(b.infer_shape_partial())
    out['back'] = _val(b.bind(mx.cpu(), args={}).forward()[0])
    o1, o2 = mx.sym.ones(shape=[2, -1]), mx.sym.ones(shape=[3, -1])
    b = o1 + mx.sym.transpose(o2)
    out['mixed'] = _val(b.bind(mx.cpu(), args={}).forward()[0])
    o = mx.sym.ones(shape=3, dtype='int32')
    out['int_shape'] = _val(o.bind(mx.cpu(), args=[], args_grad=[]).forward()[0])
    out['int_shape_infer'] = _names(o.infer_shape())
    return out


def slice_partial(mx):
    """infer_shape_partial: a slice of an unknown size stays unknown, whatever its end."""
    out = {}
    var = mx.sym.var(name='data', shape=(0, 20))
    for i, (begin, end, step) in enumerate([((None, None), (None, 10), ()),
                                            ((None, 3), (None, 10), ()),
                                            ((None, 3), (5, 10), ()),
                                            ((2, 3), (None, 10), (3, 3))]):
        s = mx.sym.slice(var, begin=begin, end=end, step=step)
        out[f'slice{i}'] = _names(s.infer_shape_partial()[1])
    return out


def shapes_apart_from_types(mx):
    """Shapes infer whatever the types: softmax's length declared float32 (MXNet refuses
    it only when the node runs; test_op_all_names_monitor binds it)."""
    data = mx.sym.Variable('data', shape=(10, 3, 10, 10))
    length = mx.sym.Variable('length', shape=(10, 10, 10))
    s = mx.sym.softmax(data, length, axis=1, use_length=True, name='softmax')
    exe = s.simple_bind(mx.cpu(), grad_req='null')
    return {'infer': _names(s.infer_shape()),
            'bound': _names({k: [v.shape, np.dtype(v.dtype).name]
                             for k, v in sorted(exe.arg_dict.items())})}


CASES = {f.__name__: f for f in [auto_inputs, auto_inputs_values, rnn_json_inputs,
                                 operator_metadata, unknown_size_creation, slice_partial,
                                 shapes_apart_from_types]}
