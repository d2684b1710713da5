"""amp.convert_symbol / convert_model / convert_hybrid_block / convert_bucketing_module
against MXNet 1.9.1 (tools/golden_amp_convert.py): converted graphs node for node, the
converted parameters' types, outputs, errors; the operator lists."""
import json
import pathlib

import numpy as np
import pytest

import regluon as mx
from regluon import gluon, nd
from regluon.base import MXNetError
from regluon.contrib import amp
from regluon.contrib import amp_lists
from regluon.contrib.amp_lists import symbol_bf16, symbol_fp16
from regluon.gluon import nn
from golden import amp_convert_cases as cases
from conftest import golden

GOLDEN = json.loads((pathlib.Path(__file__).parent / 'golden' / 'amp_convert.json').read_text())
TOL = {'float16': 2e-2, 'bfloat16': 6e-2}


@pytest.mark.parametrize('name, build, kwargs', cases.CONVERT, ids=[c[0] for c in cases.CONVERT])
def test_converted_graph_equals_mxnet(name, build, kwargs):
    got = json.loads(cases.graph_json(amp.convert_symbol(cases.fresh(mx, build), **kwargs)))
    want = json.loads(GOLDEN['graphs'][name])
    assert [(n['op'], n['name']) for n in got['nodes']] == \
        [(n['op'], n['name']) for n in want['nodes']]
    assert got == want


@pytest.mark.parametrize('k', range(len(cases.MODELS)))
def test_convert_model(k):
    name, kwargs = cases.MODELS[k]
    want = GOLDEN['models'][k]
    csym, cargs, cauxs, dtypes, inputs = cases.convert_model(mx, name, kwargs)
    assert json.loads(cases.graph_json(csym)) == json.loads(want['json'])
    assert dtypes == want['dtypes']
    outs = cases.run_model(mx, name, csym, cargs, cauxs, inputs)
    g = golden('amp_convert')
    tol = TOL[kwargs['target_dtype']]
    for i, out in enumerate(outs):
        assert out.dtype == np.float32                        # heads are cast back
        if want['run']['type'] is None:                       # MXNet ran it (bfloat16)
            np.testing.assert_allclose(out, g[f'model{k}_out{i}'], rtol=tol, atol=tol)
        else:                                                 # float16 gemm: not on MXNet's CPU
            assert 'FP16 gemm on cpu' in want['run']['msg']
        np.testing.assert_allclose(out, g[f'model{k}_fp32_{i}'], rtol=tol, atol=tol)


def test_converted_graph_runs_in_low_precision():
    sym = amp.convert_symbol(cases.mlp(mx), target_dtype='bfloat16')
    internals = sym.get_internals()
    outs = dict(zip(internals.list_outputs(), internals.infer_type(data='float32')[1]))
    assert outs['fc0_output'] == 'bfloat16' and outs['act0_output'] == 'bfloat16'
    assert outs['act2_output_amp_cast_float32_output'] == np.float32
    # without the amp nodes the graph is MXNet's float32 graph again
    assert json.loads(sym.tojson())['nodes'] == json.loads(cases.mlp(mx).tojson())['nodes']


ERRORS = [
    ('not_symbol', lambda d: amp.convert_symbol(d.list_arguments())),
    ('dtype', lambda d: amp.convert_symbol(d, target_dtype='float64')),
    ('both_lists', lambda d: amp.convert_symbol(d, target_dtype_ops=['FullyConnected'],
                                                fp32_ops=['FullyConnected'])),
    ('unknown_op', lambda d: amp.convert_symbol(d, fp32_ops=['NoSuchOp'])),
    ('fp32_not_list', lambda d: amp.convert_symbol(d, fp32_ops='exp')),
    ('shared_input', lambda d: amp.convert_symbol(cases.shared_input(mx))),
    ('model_args', lambda d: amp.convert_model(d, [], {})),
]


@pytest.mark.parametrize('key, fn', ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_as_mxnet(key, fn):
    want = GOLDEN['errors'][key]
    etype = MXNetError if want['type'] == 'MXNetError' else AssertionError
    with pytest.raises(etype) as info:
        fn(mx.sym.var('data'))
    msg = want['msg'].strip()
    if key == 'shared_input':            # MXNet's message carries its time and source line
        msg = msg[msg.index('Incompatible'):]
    assert msg in str(info.value).replace('\n', ' ')


@pytest.mark.parametrize('target', ['float16', 'bfloat16'])
def test_operator_lists(target):
    mod = symbol_fp16 if target == 'float16' else symbol_bf16
    want = GOLDEN['lists'][target]
    ops = set(mx.ndarray.register.OPS) | set(mx.symbol.json_io.CANONICAL.values())  # graph ops
    prefix = 'FP16' if target == 'float16' else 'BF16'
    tables = {'list_lp16_ops': f'{prefix}_FUNCS', 'list_lp16_fp32_ops': f'{prefix}_FP32_FUNCS',
              'list_fp32_ops': 'FP32_FUNCS', 'list_widest_type_cast': 'WIDEST_TYPE_CASTS',
              'list_loss_output_functions': 'LOSS_OUTPUT_FUNCTIONS',
              'list_conditional_fp32_ops': 'CONDITIONAL_FP32_FUNCS'}
    lacking = set()
    for fn, names in want.items():
        table = getattr(mod, tables[fn])
        got = getattr(amp, fn)(target)
        if fn == 'list_conditional_fp32_ops':
            assert [list(c[:2]) + [list(c[2])] for c in table] == names   # MXNet's data
            assert got == [c for c in table if c[0] in ops]
            lacking |= {c[0] for c in table if c[0] not in ops}
            continue
        assert table == names                           # the data is MXNet's list
        assert got == [n for n in names if n in ops]    # less what regluon's graphs lack
        lacking |= {n for n in names if n not in ops}
    assert amp_lists.lacking(target) == sorted(lacking)
    assert {'Convolution', 'FullyConnected', 'exp', 'softmax', 'elemwise_add'} <= \
        {n for fn in want for n in getattr(amp, fn)(target) if isinstance(n, str)}
    assert amp.list_lp16_use_fp32_params('float16') is None
    assert amp.list_lp16_use_fp32_params('bfloat16')['BatchNorm'][1:] == \
        ['gamma', 'beta', 'moving_mean', 'moving_var']
    with pytest.raises(AssertionError, match='not supported type'):
        amp.list_fp32_ops('float64')


def _dense_net():
    net = nn.HybridSequential(prefix='net_')
    with net.name_scope():
        net.add(nn.Dense(6, in_units=5, activation='relu'), nn.Dense(3, in_units=6))
    net.initialize(mx.init.Xavier())
    return net


def test_convert_hybrid_block():
    net = _dense_net()
    x = nd.random.uniform(shape=(4, 5))
    with pytest.raises(RuntimeError, match='hybridize'):
        amp.convert_hybrid_block(net, 'bfloat16', ctx=mx.cpu())
    net.hybridize()
    expect = net(x)
    mixed = amp.convert_hybrid_block(net, 'bfloat16', ctx=mx.cpu(), cast_optional_params=True)
    assert isinstance(mixed, gluon.SymbolBlock)
    out = mixed(x)
    assert out.dtype == np.float32                        # the head is cast back
    np.testing.assert_allclose(out.asnumpy(), expect.asnumpy(), rtol=0.05, atol=0.05)
    params = mixed.collect_params()
    assert {k: str(p.data().dtype) for k, p in params.items()} == \
        {k: 'bfloat16' for k in net.collect_params()}     # stored in bfloat16
    assert all(p.data().dtype == np.float32 for p in net.collect_params().values())
    graph = json.loads(mixed._cached_graph[1].tojson(remove_amp_cast=False))
    assert [n['name'] for n in graph['nodes'] if n['op'] == 'amp_cast'] == \
        ['data_amp_cast_bfloat16', 'net_dense1_fwd_output_amp_cast_float32']
    with pytest.raises(AssertionError, match='HybridBlock'):
        amp.convert_hybrid_block(nn.Sequential(), 'bfloat16')


@pytest.mark.parametrize('k', range(len(cases.BLOCKS)))
def test_convert_hybrid_block_as_mxnet(k):
    kwargs, want, g = cases.BLOCKS[k], GOLDEN['blocks'][k], golden('amp_convert')
    block, dtypes, graph, x, expect = cases.hybrid_block(mx, kwargs)
    assert isinstance(block, gluon.SymbolBlock)
    assert json.loads(graph) == json.loads(want['json'])
    assert dtypes == want['dtypes']
    np.testing.assert_allclose(expect, g[f'block{k}_fp32'], rtol=1e-5, atol=1e-5)
    out = block(x)
    assert out.dtype == np.float32
    tol = TOL[kwargs['target_dtype']]
    if want['run']['type'] is None:
        np.testing.assert_allclose(out.asnumpy(), g[f'block{k}_out'], rtol=tol, atol=tol)
    else:                                  # MXNet's CPU build has no float16 FullyConnected
        assert 'float16 fully connected' in want['run']['msg']
    np.testing.assert_allclose(out.asnumpy(), expect, rtol=tol, atol=tol)


def test_convert_bucketing_module():
    want, g = GOLDEN['bucketing'], golden('amp_convert')
    graphs, dtypes, outs = cases.bucketing(mx, {'target_dtype': 'bfloat16',
                                                'cast_optional_params': True})
    assert {k: json.loads(v) for k, v in graphs.items()} == \
        {k: json.loads(v) for k, v in want['json'].items()}
    assert dtypes == want['dtypes']
    np.testing.assert_allclose(outs[0], g['bucketing_out'], rtol=0.05, atol=0.05)
    with pytest.raises(AssertionError, match='bucketing module'):
        amp.convert_bucketing_module(mx.mod.Module(mx.sym.var('data')))


def test_original_graph_untouched_and_reloaded_graph_converts_alike():
    sym = cases.fresh(mx, cases.cnn)
    before = sym.tojson()
    conv = amp.convert_symbol(sym, 'bfloat16', cast_optional_params=True, data_names=['data'])
    assert sym.tojson() == before
    again = amp.convert_symbol(mx.sym.fromjson(before), 'bfloat16', cast_optional_params=True,
                               data_names=['data'])
    assert again.tojson(remove_amp_cast=False) == conv.tojson(remove_amp_cast=False)
