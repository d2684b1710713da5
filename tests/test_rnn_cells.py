"""The symbolic cells of mx.rnn (LSTMCell, FusedRNNCell, SequentialRNNCell, ...) against
MXNet 1.9.1 (tools/golden_rnn_cells.py runs the scenarios of tests/golden/rnn_cells_cases.py
there; here they run on regluon and must agree): argument and output names, shapes,
outputs and executor gradients, weight packing, begin states, and a BucketingModule
language model trained for one epoch."""
import sys
import warnings

import numpy as np
import pytest

import regluon as mx
from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
import rnn_cells_cases as cases  # noqa: E402

G = golden('rnn_cells')


def compare(case, got):
    """Every golden array of `case` against regluon's."""
    want = {k.split(':', 1)[1]: v for k, v in G.items() if k.startswith(case + ':')}
    assert sorted(got) == sorted(want)
    for k, v in want.items():
        if v.dtype.kind in 'US':
            assert np.array_equal(got[k], v), (k, got[k], v)
        else:
            np.testing.assert_allclose(got[k], v, rtol=1e-5, atol=1e-5, err_msg=k)


@pytest.mark.parametrize('case', sorted(cases.CASES))
def test_case_matches_mxnet(case):
    with warnings.catch_warnings():
        warnings.simplefilter('ignore')
        compare(case, cases.CASES[case](mx))


def test_rnn_checkpoint_matches_mxnet(tmp_path):
    """save_rnn_checkpoint writes the unpacked arrays MXNet writes; load packs them again."""
    compare('rnn_checkpoint', cases.rnn_checkpoint(mx, str(tmp_path / 'ck')))


def test_load_mxnet_rnn_checkpoint():
    """MXNet's own save_rnn_checkpoint files: load_rnn_checkpoint packs the vector back,
    and the loaded graph (a _zeros begin state and an RNN node) runs."""
    cell = cases.ckpt_cell(mx)
    sym, arg, aux = mx.rnn.load_rnn_checkpoint(cell, str(GOLDEN / 'rnn_cells_ckpt'), 1)
    np.testing.assert_array_equal(arg['ck_parameters'].asnumpy(), G['rnn_checkpoint:loaded'])
    assert sym.list_arguments() == list(G['rnn_checkpoint:arguments']) and aux == {}
    data = mx.nd.array(np.linspace(-1, 1, 12).reshape(2, 3, 2))     # batch 3 from the data
    ex = sym.bind(mx.cpu(), {'data': data, 'ck_parameters': arg['ck_parameters']})
    # the same graph rebuilt by the cell gives the same outputs
    with mx.name.NameManager():
        outputs, _ = cases.ckpt_cell(mx).unroll(2, mx.sym.Variable('data'), layout='TNC',
                                                merge_outputs=True)
    want = outputs.eval(data=data, ck_parameters=arg['ck_parameters'])[0]
    assert ex.forward()[0].shape == (2, 3, 3)
    np.testing.assert_allclose(ex.outputs[0].asnumpy(), want.asnumpy(), rtol=1e-6)


def test_do_rnn_checkpoint_callback(tmp_path):
    """do_rnn_checkpoint saves every `period` epochs, unpacked, as MXNet names the files."""
    cell = cases.ckpt_cell(mx)
    with mx.name.NameManager():
        outputs, _ = cell.unroll(2, mx.sym.Variable('data'), layout='TNC', merge_outputs=True)
    arg = {'ck_parameters': mx.nd.array(G['rnn_checkpoint:loaded'])}
    callback = mx.rnn.do_rnn_checkpoint(cell, str(tmp_path / 'cb'), period=2)
    for epoch in range(4):
        callback(epoch, outputs, arg, {})
    assert sorted(p.name for p in tmp_path.iterdir()) == \
        ['cb-0002.params', 'cb-0004.params', 'cb-symbol.json']
    saved = mx.nd.load(str(tmp_path / 'cb-0004.params'))
    assert sorted(saved) == list(G['rnn_checkpoint:saved_names'])
    for k, v in saved.items():
        np.testing.assert_array_equal(v.asnumpy(), G[f'rnn_checkpoint:saved:{k}'])


def test_unfused_stack_equals_fused_cell():
    """FusedRNNCell and its unfuse() with the unpacked weights give the same outputs, here
    (regluon against itself) as in MXNet."""
    for name in ('fused_lstm_bi_tnc', 'fused_gru', 'fused_rnn_relu_bi'):
        fused, unfused = G[f'{name}:out0'], G[f'unfuse_{name}:out0']
        np.testing.assert_allclose(fused, unfused, rtol=1e-5, atol=1e-6)
        got = cases.unfused(mx, name)
        np.testing.assert_allclose(got['out0'], fused, rtol=1e-5, atol=1e-5)
        # pack(unpack) gives back the fused vector: MXNet's, drawn from the same seed
        np.testing.assert_array_equal(got['repacked'], G[f'unfuse_{name}:repacked'])


def test_pack_unpack_round_trip():
    """unpack_weights then pack_weights gives back the same arrays, for every cell type."""
    rs = np.random.RandomState(0)
    for cell in (mx.rnn.LSTMCell(3), mx.rnn.GRUCell(3), mx.rnn.RNNCell(3),
                 cases._stack(mx), cases._fused(mx), cases._fused(mx, 'gru', 1, False)):
        layout = 'TNC' if isinstance(cell, mx.rnn.FusedRNNCell) else 'NTC'
        outputs, _ = cell.unroll(2, mx.sym.Variable('data'), layout=layout)
        outputs = mx.sym.Group(cases._flat(outputs))
        shapes = outputs.infer_shape(data=(2, 2, 5))[0]
        args = {n: mx.nd.array(rs.randn(*s)) for n, s in zip(outputs.list_arguments(), shapes)
                if n != 'data'}
        unpacked = cell.unpack_weights(args)
        back = cell.pack_weights(unpacked)
        assert sorted(back) == sorted(args)
        for k, v in args.items():
            np.testing.assert_array_equal(back[k].asnumpy(), v.asnumpy(), err_msg=k)


def test_bidirectional_cell_output_names_as_mxnet():
    # MXNet 1.9.1's test_gluon_rnn.test_bidirectional: the concat nodes are named after
    # output_prefix, per step (t0, t1, ...) or merged ('out')
    cell = mx.gluon.rnn.BidirectionalCell(mx.gluon.rnn.LSTMCell(100, prefix='rnn_l0_'),
                                          mx.gluon.rnn.LSTMCell(100, prefix='rnn_r0_'),
                                          output_prefix='rnn_bi_')
    inputs = [mx.sym.Variable('rnn_t%d_data' % i) for i in range(3)]
    outputs, _ = cell.unroll(3, inputs)
    outputs = mx.sym.Group(outputs)
    assert outputs.list_outputs() == ['rnn_bi_t0_output', 'rnn_bi_t1_output',
                                      'rnn_bi_t2_output']
    _, outs, _ = outputs.infer_shape(rnn_t0_data=(10, 50), rnn_t1_data=(10, 50),
                                     rnn_t2_data=(10, 50))
    assert outs == [(10, 200)] * 3
    merged, _ = cell.unroll(3, mx.sym.Variable('seq'), layout='NTC', merge_outputs=True)
    assert merged.list_outputs() == ['rnn_bi_out_output']
