"""mx.operator custom operators (nd.Custom / sym.Custom) against MXNet 1.9.1's golden data
(tools/golden_custom_op.py; scenarios in tests/golden/custom_op_cases.py)."""
import json
import os
import sys

import numpy as np
import pytest

import regluon as mx
from conftest import golden

sys.path.insert(0, os.path.join(os.path.dirname(__file__), 'golden'))
import custom_op_cases as cases  # noqa: E402

cases.use(mx)
G = golden('custom_op')


@pytest.mark.parametrize('name', sorted(cases.SCENARIOS))
def test_scenario(name):
    got = cases.SCENARIOS[name]()
    keys = sorted(k.split('/', 1)[1] for k in G if k.startswith(name + '/'))
    assert sorted(got) == keys
    for k in keys:
        want, have = G[f'{name}/{k}'], np.asarray(got[k])
        if want.dtype.kind in 'US':
            assert str(have) == str(want), k
        else:
            assert have.shape == want.shape, k
            np.testing.assert_allclose(have, want, rtol=1e-5, atol=1e-6, err_msg=k)


@pytest.mark.parametrize('name', sorted(cases.ERRORS))
def test_error(name):
    want = json.loads(str(G['errors']))[name]
    with pytest.raises(mx.MXNetError) as e:
        cases.ERRORS[name]()
    assert want['type'] == 'MXNetError'
    core = want['msg'].split(': ')[-1]          # "Cannot find custom operator <name>"
    assert core in str(e.value)


def test_registry_and_defaults():
    # MXNet 1.9.1 lists its built-in operators ('Custom' among them), not the op_types
    # registered with mx.operator.register
    ops = mx.operator.get_all_registered_operators()
    assert 'Custom' in ops and 'cases_softmax' not in ops
    prop = mx.operator.CustomOpProp()
    assert prop.list_arguments() == ['data'] and prop.list_outputs() == ['output']
    assert prop.infer_shape([[2, 3]]) == ([[2, 3]], ([2, 3],), ())


def test_wrong_input_count():
    with pytest.raises(mx.MXNetError, match=r"cases_softmax.*\['data', 'label'\]"):
        mx.nd.Custom(mx.nd.array(cases.X), op_type='cases_softmax')


def test_hybridized_block():
    class Net(mx.gluon.HybridBlock):
        def hybrid_forward(self, F, x):
            out, sq = F.Custom(x, op_type='cases_scaled', scale=2.5, bias=1)
            return out * 2 + sq

    x = mx.nd.array(cases.X)
    x.attach_grad()
    net = Net()
    want = cases.X * 2.5 * 2 + 2 + cases.X ** 2
    for hybrid in (False, True):
        if hybrid:
            net.hybridize()
        with mx.autograd.record():
            y = net(x)
        y.backward()
        np.testing.assert_allclose(y.asnumpy(), want, rtol=1e-5)
        np.testing.assert_allclose(x.grad.asnumpy(), 5 + 2 * cases.X, rtol=1e-5)


def test_symbol_json_round_trip():
    """A Custom node survives tojson/load_json (its settings become strings, as the Prop
    receives them anyway) and still computes MXNet's result."""
    net = mx.sym.Custom(mx.sym.var('data'), op_type='cases_scaled', scale=2, name='sc')
    net2 = mx.sym.load_json(net.tojson())
    assert net2.list_outputs() == ['sc_out', 'sc_sq']
    outs = net2.bind(mx.cpu(), {'data': mx.nd.array(cases.X)}).forward()
    np.testing.assert_allclose(outs[0].asnumpy(), G['sym_scaled/out'], rtol=1e-6)
    np.testing.assert_allclose(outs[1].asnumpy(), G['sym_scaled/sq'], rtol=1e-6)


def test_symbol_unknown_op_type():
    with pytest.raises(mx.MXNetError, match='Cannot find custom operator cases_nope'):
        mx.sym.Custom(mx.sym.var('data'), op_type='cases_nope')


def test_symbol_json_round_trip_shapes():
    """A loaded graph still infers the Prop's input and aux shapes (MXNet's values)."""
    sm = mx.sym.load_json(mx.sym.Custom(data=mx.sym.var('data'), op_type='cases_softmax',
                                        name='softmax').tojson())
    arg_shapes, out_shapes, _ = sm.infer_shape(data=cases.X.shape)
    assert sm.list_arguments() == ['data', 'softmax_label']
    assert arg_shapes[1] == tuple(G['sym_auto_inputs/label_shape'])
    assert out_shapes[0] == tuple(G['sym_auto_inputs/out_shape'])
    ct = mx.sym.load_json(mx.sym.Custom(mx.sym.var('data'), op_type='cases_counter',
                                        name='ct').tojson())
    assert ct.list_auxiliary_states() == [str(G['sym_auto_inputs/aux'])]
    assert ct.infer_shape(data=cases.X.shape)[2][0] == tuple(G['sym_auto_inputs/aux_shape'])


def test_hybridized_static_graph():
    """hybridize(static_alloc, static_shape) compiles the graph around the Python op (no
    fallback warning) and gives MXNet's values."""
    import warnings

    class Net(mx.gluon.HybridBlock):
        def hybrid_forward(self, F, x, y):
            return F.Custom(x * 2 + 1, y, op_type='cases_softmax')

    net = Net()
    net.hybridize(static_alloc=True, static_shape=True)
    x = mx.nd.array(cases.X)
    x.attach_grad()
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter('always')
        for _ in range(2):
            with mx.autograd.record():
                out = net(x, mx.nd.array(cases.LABEL))
            out.backward()
    assert not [w for w in caught if 'could not be compiled' in str(w.message)]
    np.testing.assert_allclose(out.asnumpy(), G['softmax_chain/out'], rtol=1e-5)
    np.testing.assert_allclose(x.grad.asnumpy(), G['softmax_chain/grad'], rtol=1e-5, atol=1e-7)


class _CtxOp(mx.operator.CustomOp):
    def forward(self, is_train, req, in_data, out_data, aux):
        self.assign(out_data[0], req[0], in_data[0] * 2)


@mx.operator.register('test_ctx_seen')
class _CtxProp(mx.operator.CustomOpProp):
    seen = []

    def create_operator(self, ctx, in_shapes, in_dtypes):
        _CtxProp.seen.append(ctx)
        return _CtxOp()


@pytest.mark.parametrize('ctx', [mx.cpu()] + ([mx.gpu(0)] if mx.context.num_gpus() else []))
def test_create_operator_gets_the_inputs_context(ctx):
    """MXNet hands create_operator the context the operator runs on."""
    _CtxProp.seen.clear()
    y = mx.nd.Custom(mx.nd.ones((2,), ctx=ctx), op_type='test_ctx_seen')
    assert _CtxProp.seen == [ctx] and y.context == ctx
    np.testing.assert_array_equal(y.asnumpy(), [2, 2])
