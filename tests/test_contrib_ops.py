"""MXNet's general contrib operators and control flow (nd.contrib / sym.contrib / F.contrib)
against MXNet 1.9.1 (goldens by tools/golden_contrib_ops.py): values and gradients of each
operator; foreach / while_loop / cond imperatively with autograd, symbolically (bind, forward,
backward, shapes) and inside hybridized blocks; errors. fft, ifft and count_sketch run only
on a GPU in MXNet: they are checked against the formulas of MXNet's own GPU tests."""
import sys
import warnings

import numpy as np
import pytest

import regluon as mx
from regluon import autograd, gluon, nd
from regluon.base import MXNetError

from conftest import GOLDEN, golden

sys.path.insert(0, str(GOLDEN))
import contrib_ops_cases as cases  # noqa: E402

G = golden('contrib_ops')


def assert_matches(prefix, res, rtol=1e-5, atol=1e-6):
    keys = {k[len(prefix) + 1:] for k in G if k.startswith(prefix + '/')}
    assert keys == set(res), (prefix, keys ^ set(res))
    for k, v in res.items():
        want = G[f'{prefix}/{k}']
        v = np.asarray(v)
        assert v.shape == want.shape and v.dtype == want.dtype, (k, v.shape, want.shape,
                                                                  v.dtype, want.dtype)
        np.testing.assert_allclose(v, want, rtol=rtol, atol=atol, equal_nan=True, err_msg=k)


# ---- operators ------------------------------------------------------------------------------
@pytest.mark.parametrize('seed, case', list(enumerate(cases.OPS)), ids=[c[0] for c in cases.OPS])
def test_operator_equals_mxnet(seed, case):
    name, opname, inputs, kwargs, grads = case
    assert_matches(f'op/{name}', cases.run_op(nd, autograd, opname, inputs, kwargs, grads, seed))


def test_group_adagrad_update_equals_mxnet():
    assert_matches('adagrad', cases.group_adagrad(nd, row_sparse=False))


def test_adamw_updates_equal_mxnet():
    assert_matches('adamw', cases.adamw(nd), rtol=1e-5, atol=1e-6)


def test_multi_adamw_moments_round_as_mxnet():
    # the multi_ kernels' b*(state - g) + g form: float32-exact moments (the other form is
    # 4e-6 off); mp_w32 is within an ulp (MXNet's mixed-precision instance rounds once less)
    assert_matches('adamw_moments', cases.adamw_moments(nd), rtol=1.3e-7, atol=0)


def test_bertadam_imports_from_mxnet_ndarray_contrib():
    # GluonNLP's BERTAdam: from mxnet.ndarray.contrib import adamw_update, multi_adamw_update
    from regluon.ndarray.contrib import adamw_update, multi_mp_adamw_update  # noqa: F401
    assert adamw_update is nd.contrib.adamw_update is mx.contrib.nd.adamw_update


def test_group_adagrad_optimizer_follows_the_operator():
    rng = np.random.RandomState(0)
    w0, g = rng.uniform(-1, 1, (4, 3)), rng.uniform(-2, 2, (4, 3))
    opt = mx.optimizer.create('groupadagrad', learning_rate=0.1, rescale_grad=0.5,
                              clip_gradient=0.4)
    w = nd.array(w0)
    state = opt.create_state(0, w)
    assert state.shape == (4, 1)
    opt.update(0, w, nd.array(g), state)
    ref_w, ref_h = nd.array(w0), nd.zeros((4, 1))
    nd.contrib.group_adagrad_update(ref_w, nd.array(g), ref_h, lr=0.1, rescale_grad=0.5,
                                    clip_gradient=0.4, out=ref_w)
    np.testing.assert_allclose(w.asnumpy(), ref_w.asnumpy(), rtol=1e-6)
    np.testing.assert_allclose(state.asnumpy(), ref_h.asnumpy(), rtol=1e-6)
    with pytest.raises(AssertionError, match='Weight decay'):
        mx.optimizer.contrib.GroupAdaGrad(wd=0.1).update(0, w, nd.array(g), state)


def test_fft_ifft_follow_mxnet_gpu_tests():
    rng = np.random.RandomState(0)
    for shape in [(3, 4), (2, 3, 2, 5)]:
        x = rng.normal(size=shape).astype('float32')
        a = nd.array(x)
        a.attach_grad()
        with autograd.record():
            y = nd.contrib.fft(a)
        spec = np.fft.fft(x, axis=-1)
        want = np.stack([spec.real, spec.imag], axis=-1).reshape(shape[:-1] + (-1,))
        np.testing.assert_allclose(y.asnumpy(), want, rtol=1e-4, atol=1e-5)
        head = rng.normal(size=y.shape).astype('float32')
        y.backward(nd.array(head))
        hc = head[..., 0::2] + 1j * head[..., 1::2]      # grad = d * Re(ifft(head))
        np.testing.assert_allclose(a.grad.asnumpy() / shape[-1], np.fft.ifft(hc).real,
                                   rtol=1e-4, atol=1e-5)
        z = rng.normal(size=shape[:-1] + (2 * shape[-1],)).astype('float32')
        b = nd.array(z)
        b.attach_grad()
        with autograd.record():
            r = nd.contrib.ifft(b)
        zc = z[..., 0::2] + 1j * z[..., 1::2]
        np.testing.assert_allclose(r.asnumpy() / shape[-1], np.fft.ifft(zc).real, rtol=1e-4,
                                   atol=1e-5)
        head = rng.normal(size=r.shape).astype('float32')
        r.backward(nd.array(head))
        np.testing.assert_allclose(b.grad.asnumpy()[..., 0::2], np.fft.fft(head).real,
                                   rtol=1e-4, atol=1e-4)
    with pytest.raises(MXNetError, match='ifft'):
        nd.contrib.ifft(nd.ones((2, 3)))


def test_count_sketch_docstring_example_and_gradient():
    x = nd.array([[1.2, 2.5, 3.4], [3.2, 5.7, 6.6]])
    h, s = nd.array([[0, 3, 4]]), nd.array([[1, -1, 1]])
    x.attach_grad()
    with autograd.record():
        y = mx.contrib.nd.count_sketch(data=x, h=h, s=s, out_dim=5)
    np.testing.assert_allclose(y.asnumpy(), [[1.2, 0, 0, -2.5, 3.4], [3.2, 0, 0, -5.7, 6.6]],
                               rtol=1e-6)
    head = np.arange(10, dtype='float32').reshape(2, 5)
    y.backward(nd.array(head))
    np.testing.assert_allclose(x.grad.asnumpy(), head[:, [0, 3, 4]] * [1, -1, 1])


# ---- control flow ---------------------------------------------------------------------------
@pytest.mark.parametrize('name', list(cases.CONTROL_FLOW))
def test_control_flow_equals_mxnet(name):
    assert_matches(f'cf/{name}', cases.CONTROL_FLOW[name](mx), rtol=1e-5, atol=1e-5)


@pytest.mark.parametrize('seed, case', list(enumerate(cases.HYBRID)),
                         ids=[c[0] for c in cases.HYBRID])
def test_hybridized_control_flow_equals_mxnet_and_eager(seed, case):
    name, shapes, scale = case
    hybrid = cases.run_hybrid(mx, name, shapes, scale, seed)
    assert_matches(f'hybrid/{name}', hybrid, rtol=1e-5, atol=1e-5)
    eager = cases.run_hybrid(mx, name, shapes, scale, seed, hybridize=False)
    for k, v in eager.items():
        np.testing.assert_allclose(v, hybrid[k], rtol=1e-6, atol=1e-6, err_msg=k)


def test_static_hybridized_foreach_and_while_equal_eager():
    for name, shapes in [('rnn', [(4, 2, 3), (2, 5)]), ('doubling', [(2, 3)])]:
        net = cases.hybrid_blocks(mx)[name]()
        net.initialize()
        xs = [nd.array(np.random.RandomState(0).uniform(-1, 1, s)) for s in shapes]
        eager = net(*xs)
        net.hybridize(static_alloc=True, static_shape=True)
        with warnings.catch_warnings():
            warnings.simplefilter('error', UserWarning)     # no fallback to an uncompiled graph
            warnings.filterwarnings('ignore', category=UserWarning, module='torch')
            static = [net(*xs) for _ in range(2)][-1]
        for e, s in zip(eager, static):
            np.testing.assert_allclose(s.asnumpy(), e.asnumpy(), rtol=1e-6, atol=1e-6)


def test_symbolic_shapes_where_mxnet_infers_none():
    # MXNet's infer_shape gives nothing for while_loop and cond; regluon infers the shapes
    # the bound graphs produce in MXNet (step outputs padded to max_iterations)
    v, i, w = mx.sym.var('v'), mx.sym.var('i'), mx.sym.var('w')
    outs, (fi, fv) = mx.sym.contrib.while_loop(
        lambda i, v: mx.sym.sum(i) < 4, lambda i, v: ([v * w], [i + 1, mx.sym.tanh(v + w)]),
        [i, v], max_iterations=4)
    _, shapes, _ = mx.sym.Group(outs + [fi, fv]).infer_shape(i=(1,), v=(3,), w=(3,))
    assert shapes == [G[f'cf/sym_while/out{k}'].shape for k in range(3)]
    a, b = mx.sym.var('a'), mx.sym.var('b')
    c = mx.sym.contrib.cond(mx.sym.sum(a) < 0, lambda: a * b, lambda: a + b)
    assert c.infer_shape(a=(2,), b=(2,))[1] == [G['cf/sym_cond/then_out0'].shape]
    assert c.infer_type(a='float64', b='float64')[1] == [np.float64]


def test_namespaces_reach_the_same_functions():
    assert mx.contrib.nd.foreach is nd.contrib.foreach is nd._contrib_foreach
    assert mx.contrib.sym.while_loop is mx.sym.contrib.while_loop
    assert 'cond' in dir(mx.contrib.nd) and 'boolean_mask' in dir(mx.contrib.sym)
    assert mx.contrib.nd.boolean_mask is nd.contrib.boolean_mask
    x = mx.sym.var('x')
    y = mx.contrib.sym.div_sqrt_dim(x)
    np.testing.assert_allclose(y.eval(x=nd.ones((2, 4)))[0].asnumpy(), np.full((2, 4), 0.5))


class Attention(gluon.HybridBlock):
    """GluonNLP BERT's use of the interleaved matmuls (self-attention)."""

    def hybrid_forward(self, F, qkv):
        scores = F.contrib.interleaved_matmul_selfatt_qk(qkv, heads=2)
        att = F.softmax(scores, axis=-1)
        return F.contrib.interleaved_matmul_selfatt_valatt(qkv, att, heads=2)


def test_attention_block_hybridized_equals_eager():
    x = nd.array(np.random.RandomState(3).uniform(-1, 1, (5, 2, 12)))
    res = []
    for hybrid in (False, True):
        net = Attention()
        if hybrid:
            net.hybridize()
        xx = x.copy()
        xx.attach_grad()
        with autograd.record():
            y = net(xx)
        y.backward()
        res.append((y.asnumpy(), xx.grad.asnumpy()))
    assert res[0][0].shape == (5, 2, 4)
    for a, b in zip(*res):
        np.testing.assert_allclose(a, b, rtol=1e-6, atol=1e-7)


@pytest.mark.parametrize('name', list(cases.GRAPHS))
def test_control_flow_json_as_mxnet_writes_it(name):
    mine = cases.GRAPHS[name](mx).tojson()
    assert cases.normalized_json(mine) == cases.normalized_json(str(G[f'json/{name}']))


@pytest.mark.parametrize('name', list(cases.GRAPHS))
def test_mxnet_control_flow_json_loads_and_runs_as_in_mxnet(name):
    loaded = mx.sym.load_json(str(G[f'json/{name}']))
    assert_matches(f'cf/{name}', cases.CONTROL_FLOW[name](mx, graph=loaded), rtol=1e-5,
                   atol=1e-5)
    again = mx.sym.load_json(loaded.tojson())          # and round trips
    assert cases.normalized_json(again.tojson()) == cases.normalized_json(loaded.tojson())


def test_hybridized_foreach_block_exports_and_imports(tmp_path):
    net = cases.hybrid_blocks(mx)['rnn']()
    net.initialize()
    xs = [nd.array(np.random.RandomState(5).uniform(-1, 1, s)) for s in [(4, 2, 3), (2, 5)]]
    net.hybridize()
    want = net(*xs)
    net.export(str(tmp_path / 'rnn'))
    back = gluon.SymbolBlock.imports(str(tmp_path / 'rnn-symbol.json'), ['data0', 'data1'],
                                     str(tmp_path / 'rnn-0000.params'))
    got = back(*xs)
    for w, g in zip(want, got):
        np.testing.assert_allclose(g.asnumpy(), w.asnumpy(), rtol=1e-6)


def test_nested_foreach_symbolic_equals_imperative():
    def outer(F):
        def body(row, state):
            inner, total = F.contrib.foreach(lambda e, s: (e * s, s + e), row, state)
            return inner, total
        return body
    x = np.random.RandomState(4).uniform(-1, 1, (3, 4, 2)).astype('float32')
    s0 = np.ones((2,), 'float32')
    eo, es = nd.contrib.foreach(outer(nd), nd.array(x), nd.array(s0))
    so, ss = mx.sym.contrib.foreach(outer(mx.sym), mx.sym.var('x'), mx.sym.var('s'))
    got = mx.sym.Group([so, ss]).eval(x=nd.array(x), s=nd.array(s0))
    np.testing.assert_allclose(got[0].asnumpy(), eo.asnumpy(), rtol=1e-6)
    np.testing.assert_allclose(got[1].asnumpy(), es.asnumpy(), rtol=1e-6)


@pytest.mark.parametrize('name, call', cases.ERRORS, ids=[e[0] for e in cases.ERRORS])
def test_errors_are_mxnet_errors_of_mxnets_type(name, call):
    with pytest.raises(MXNetError) as info:
        call(mx)
    assert G[f'error/{name}'] in [c.__name__ for c in type(info.value).__mro__]
