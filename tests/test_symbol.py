"""mx.sym against MXNet 1.9.1: graphs MXNet wrote load and run here with the same outputs,
names and inferred shapes; our JSON round-trips; misuse gives MXNet's kinds of errors."""
import json
import sys

import numpy as np
import pytest

import regluon as mx
from regluon import nd
from regluon.symbol import NotImplementedForSymbol
from conftest import GOLDEN, golden

G = dict(np.load(GOLDEN / 'symbol' / 'outputs.npz'))
sys.path.insert(0, str(GOLDEN))
import symbol_cases  # noqa: E402
SYM = GOLDEN / 'symbol'


def _load(stem):
    s = mx.sym.load(str(SYM / f'{stem}-symbol.json'))
    params = nd.load(str(SYM / f'{stem}-0000.params'))
    return s, {k.split(':', 1)[1]: v for k, v in params.items()}


@pytest.mark.parametrize('stem, key', [('mxnet_mlp', 'mlp'), ('mxnet_convnet', 'convnet')])
def test_mxnet_graph_runs_with_mxnet_outputs(stem, key):
    s, params = _load(stem)
    y = s.eval(data=nd.array(G[f'{key}_x']), **params)[0]
    np.testing.assert_allclose(y.asnumpy(), G[f'{key}_y'], rtol=1e-5, atol=1e-6)


def test_names_and_shapes_match_mxnet():
    s, _ = _load('mxnet_convnet')
    assert s.list_arguments() == list(G['convnet_args'])
    assert s.list_auxiliary_states() == list(G['convnet_aux'])
    assert s.list_outputs() == list(G['convnet_outputs'])
    args, outs, aux = s.infer_shape(data=(2, 3, 10, 10))
    assert [str(a) for a in args] == list(G['convnet_arg_shapes'])
    assert [str(o) for o in outs] == list(G['convnet_out_shapes'])
    assert [str(a) for a in aux] == list(G['convnet_aux_shapes'])
    m, _ = _load('mxnet_mlp')
    assert m.list_arguments() == list(G['mlp_args'])
    assert m.get_internals().list_outputs() == list(G['mlp_outputs'])
    assert [str(a) for a in m.infer_shape(data=(4, 6))[0]] == list(G['mlp_arg_shapes'])


def test_symbols_built_here_name_and_infer_like_mxnet():
    data = mx.sym.var('data')
    fc1 = mx.sym.FullyConnected(data, num_hidden=8, name='fc1')
    a = mx.sym.Activation(fc1, act_type='relu', name='relu1')
    b = mx.sym.LeakyReLU(fc1, act_type='leaky', slope=0.1, name='leaky1')
    c = mx.sym.concat(a, b * 2 + 1, dim=1, name='cat')
    out = mx.sym.softmax(mx.sym.FullyConnected(c, num_hidden=3, name='fc2'), axis=-1,
                         name='sm')
    assert out.list_arguments() == list(G['mlp_args'])
    assert [str(a) for a in out.infer_shape(data=(4, 6))[0]] == list(G['mlp_arg_shapes'])
    _, params = _load('mxnet_mlp')
    y = out.eval(data=nd.array(G['mlp_x']), **params)[0]
    np.testing.assert_allclose(y.asnumpy(), G['mlp_y'], rtol=1e-5, atol=1e-6)


def test_json_round_trip_keeps_graph_and_outputs():
    s, params = _load('mxnet_convnet')
    again = mx.sym.fromjson(s.tojson())
    assert again.tojson() == s.tojson()
    doc = json.loads(s.tojson())
    assert doc['attrs']['mxnet_version'] == ['int', 10901]
    assert len(doc['node_row_ptr']) == len(doc['nodes']) + 1
    x = nd.array(G['convnet_x'])
    np.testing.assert_allclose(again.eval(data=x, **params)[0].asnumpy(),
                               s.eval(data=x, **params)[0].asnumpy())


def test_unknown_operator_is_named():
    doc = json.loads(mx.sym.var('data').tojson())
    doc['nodes'].append({'op': 'MyCustomOp', 'name': 'c0', 'inputs': [[0, 0, 0]]})
    doc['heads'] = [[1, 0, 0]]
    with pytest.raises(mx.MXNetError, match='MyCustomOp'):
        mx.sym.fromjson(json.dumps(doc))


def test_values_are_not_available_on_symbols():
    x = mx.sym.var('x')
    with pytest.raises(NotImplementedForSymbol):
        bool(x > 1)
    with pytest.raises(NotImplementedForSymbol):
        x.shape  # pylint: disable=pointless-statement


def test_executor_forward_backward_match_autograd():
    s, params = _load('mxnet_mlp')
    x = nd.array(G['mlp_x'])
    ex = s.simple_bind(mx.cpu(), data=x.shape)
    for k, v in params.items():
        ex.arg_dict[k][:] = v
    out = ex.forward(is_train=True, data=x)[0]
    head = nd.array(np.random.RandomState(1).uniform(size=out.shape))
    ex.backward(head)
    w = params['fc1_weight'].copy()
    w.attach_grad()
    with mx.autograd.record():
        y = s.eval(data=x, **{**params, 'fc1_weight': w})[0]
    y.backward(head)
    np.testing.assert_allclose(ex.grad_dict['fc1_weight'].asnumpy(), w.grad.asnumpy(),
                               rtol=1e-5, atol=1e-7)


def test_executor_group_repeating_an_output():
    """A repeated output's last head gradient is the one MXNet uses (not their sum)."""
    a = mx.sym.var('a')
    b = a * 2
    ex = mx.sym.Group([b, b, a * 1]).bind(mx.cpu(), {'a': nd.ones(2)},
                                          args_grad={'a': nd.zeros(2)})
    ex.forward(is_train=True)
    ex.backward([nd.ones(2), nd.ones(2) * 3, nd.ones(2) * 10])
    np.testing.assert_array_equal(ex.grad_dict['a'].asnumpy(), G['group_repeat_grad'])


@pytest.mark.parametrize('key', sorted(symbol_cases.PARTIAL))
def test_infer_shape_partial_as_mxnet(key):
    """Every shape MXNet 1.9.1 infers partially comes out the same; where MXNet gives up on
    an operator (() for Flatten after an unknown batch size) regluon may know more: it runs
    the graph with two stand-ins for the unknown sizes and keeps what does not depend on
    them ((0, 27) there)."""
    import ast  # pylint: disable=import-outside-toplevel
    build, shapes = symbol_cases.PARTIAL[key]
    got = build(mx).infer_shape_partial(**shapes)
    want = ast.literal_eval(str(G[f'partial_{key}']))
    for g, w in zip(got, want):
        assert len(g) == len(w)
        for gs, ws in zip(g, w):
            assert gs == ws or ws == (), (got, want)
    if key == 'pool_flatten_unknown_batch':
        assert got[1] == [(0, 27)]


def test_slice_axis_end_none_round_trips():
    """end=None is written as MXNet writes it ("None") and read back."""
    x = mx.sym.var('x')
    s = mx.sym.load_json(mx.sym.slice_axis(x, axis=1, begin=1, end=None).tojson())
    out = s.eval(x=nd.arange(6).reshape((2, 3)))[0]
    np.testing.assert_array_equal(out.asnumpy(), [[1, 2], [4, 5]])


def test_batchnorm_parameters_stay_float32_for_half_data():
    bn = mx.sym.BatchNorm(mx.sym.var('d'), name='bn')
    got = [str([np.dtype(t).name for t in ts]) for ts in bn.infer_type(d='float16')]
    assert got == list(G['bn_fp16_types'])
    # given types win, as in MXNet
    assert bn.infer_type(d='float16', bn_gamma='float16')[0][1] == np.float16


def test_zeros_like_dtype_is_ignored_by_type_inference():
    got = str([[np.dtype(t).name for t in
                f(mx.sym.var('x'), dtype='int64').infer_type(x='float32')[1]]
               for f in (mx.sym.zeros_like, mx.sym.ones_like)])
    assert got == str(G['like_dtype_types'])


def test_executor_backward_with_every_grad_req_null():
    """MXNet's backward of an executor without gradients does nothing (no error)."""
    y = mx.sym.FullyConnected(mx.sym.var('x'), num_hidden=2, name='fc')
    ex = y.simple_bind(mx.cpu(), x=(3, 4), grad_req='null')
    ex.forward(is_train=True, x=nd.ones((3, 4)))
    ex.backward(nd.ones((3, 2)))
    assert ex.grad_arrays == [None, None, None]


def test_viz_summary_and_plot(capsys):
    s, _ = _load('mxnet_convnet')
    mx.viz.print_summary(s, shape={'data': (1, 3, 10, 10)})
    text = capsys.readouterr().out
    assert 'conv0_fwd(Convolution)' in text and '4x10x10' in text
    assert 'Total params: ' in text
    dot = mx.viz.plot_network(s, shape={'data': (1, 3, 10, 10)}).source
    assert 'data [label=data' in dot and 'shape=oval' in dot
    assert 'Convolution\n3x3/1x1, 4' in dot
    assert 'conv0_weight' not in dot                      # weights hidden by default
    assert 'conv0_weight' in mx.viz.plot_network(s, hide_weights=False).source


def test_operator_node_names_and_variable_attrs_as_mxnet():
    """`a + b` is elemwise_add named _plus0, `a + 1` _plus_scalar named _plusscalar0 with
    scalar '1', `-a` is a * -1.0, comparisons of two symbols are the same-shape _greater
    etc., and auto-created parameter variables carry the operator's given attributes
    (BatchNorm's moving statistics their initializer): MXNet 1.9.1's graphs
    (tools/golden_symbol_names.py)."""
    sys.path.insert(0, str(GOLDEN))
    from symbol_names_cases import graphs  # pylint: disable=import-outside-toplevel
    want = json.loads((SYM / 'names.json').read_text())
    got = json.loads(json.dumps(graphs(mx)))            # tuples as lists, as in the file
    assert got.keys() == want.keys()
    for case in want:
        assert got[case] == want[case], case


def test_same_shape_comparisons_refuse_to_broadcast():
    assert nd._greater(nd.array([1, 0]), nd.array([0, 0])).asnumpy().tolist() == [1, 0]
    with pytest.raises(mx.MXNetError, match=r'_greater: shapes must be equal, got \(2, 3\) '
                                            r'and \(1, 3\); use broadcast_greater'):
        nd._greater(nd.ones((2, 3)), nd.zeros((1, 3)))


def test_graphs_with_mxnet_canonical_names_load_and_run():
    """MXNet writes linalg_gemm2 as _linalg_gemm2, sample_uniform as _sample_uniform, ...;
    such a file loads here and computes what the alias does."""
    x = mx.sym.var('x')
    text = (mx.sym.linalg_gemm2(x, x, transpose_b=True) + mx.sym.reshape(x, shape=(-1,))
            .reshape(shape=(2, 2))).tojson()
    assert '"_linalg_gemm2"' in text and '"Reshape"' in text
    again = mx.sym.load_json(text)
    a = nd.array([[1.0, 2.0], [3.0, 4.0]])
    np.testing.assert_allclose(again.eval(x=a)[0].asnumpy(),
                               a.asnumpy() @ a.asnumpy().T + a.asnumpy())


def test_variable_attributes_read_back_as_strings():
    """list_attr()/attr() give strings, as MXNet 1.9.1 does (its output for this Variable,
    checked by hand: every value a string, lr_mult/wd_mult also under their plain names)."""
    v = mx.sym.var('w', lr_mult=0.5, wd_mult=2, shape=(2, 3), dtype='float16',
                   init=mx.init.Xavier())
    assert v.list_attr() == {
        '__init__': '["xavier", {"rnd_type": "uniform", "factor_type": "avg", "magnitude": 3}]',
        '__dtype__': '2', '__wd_mult__': '2', 'wd_mult': '2', '__lr_mult__': '0.5',
        'lr_mult': '0.5', '__shape__': '(2, 3)'}
    assert v.attr('lr_mult') == '0.5' and v.attr('__shape__') == '(2, 3)'
    assert v.attr('nothing') is None


def test_symbol_astype_as_mxnet():
    # private API GluonNLP 0.10 imports (golden: tools/golden_private_api.py)
    sys.path.insert(0, str(GOLDEN))
    import private_api_cases  # noqa: E402
    want = golden('private_api')
    got = private_api_cases.CASES['symbol_astype'](mx)
    assert {k[len('symbol_astype/'):] for k in want if k.startswith('symbol_astype/')} == set(got)
    for k, v in got.items():
        assert v == str(want[f'symbol_astype/{k}']), k


def test_operator_settings_are_attributes_as_in_mxnet():
    """attr/list_attr/attr_dict give an operator's settings too (MXNet's node attributes)."""
    c = mx.sym.Convolution(mx.sym.var('x'), kernel=(3, 3), num_filter=4, name='c',
                           attr={'__foo__': 'bar'})
    assert c.list_attr() == {'kernel': '(3, 3)', 'num_filter': '4', '__foo__': 'bar'}
    assert c.attr('kernel') == '(3, 3)' and c.attr('num_filter') == '4'
    assert mx.sym.relu(c, name='r').attr_dict()['c'] == c.list_attr()


def test_executor_reshape_shares_arrays_as_mxnet():
    # MXNet 1.9.1's test_executor.test_reshape (less its check that the outputs share
    # memory, which is MXNet's allocator): a smaller input is a view of the bound array,
    # unchanged arguments are the same arrays, a larger input needs allow_up_sizing
    x = mx.sym.Variable('x')
    y = mx.sym.FullyConnected(x, num_hidden=4)
    exe = y.simple_bind(mx.cpu(), x=(5, 4), grad_req='null')
    exe.arg_arrays[0][:] = 1
    exe.arg_arrays[1][:] = mx.nd.ones((4, 4))
    exe.arg_arrays[2][:] = 0
    new_exe = exe.reshape(x=(3, 4))
    new_exe.forward(is_train=False)
    assert (new_exe.outputs[0].asnumpy() == 4).all() and new_exe.outputs[0].shape == (3, 4)
    new_exe.arg_arrays[0][:] = 2                 # a view: the first rows of exe's x
    assert exe.arg_arrays[0].asnumpy()[:, 0].tolist() == [2, 2, 2, 1, 1]
    with pytest.raises(mx.base.MXNetError, match='larger than original'):
        exe.reshape(x=(6, 4))
    big = exe.reshape(allow_up_sizing=True, x=(6, 4))
    big.arg_arrays[0][:] = 0
    assert exe.arg_arrays[0].asnumpy()[3:, 0].tolist() == [1, 1]
    assert big.arg_arrays[1] is exe.arg_arrays[1]
    # fewer input features change the weight's shape: only with partial_shaping
    with pytest.raises(mx.base.MXNetError, match='unspecified array arg:.*weight changed'):
        exe.reshape(x=(5, 3))
    assert exe.reshape(partial_shaping=True, x=(5, 3)).arg_arrays[1].shape == (4, 3)
