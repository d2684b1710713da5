"""autograd against MXNet 1.9.1 (goldens from tools/golden_autograd.py).

The scenarios are in tests/golden/autograd_cases.py, which the golden script ran in MXNet.
"""
import json
import sys
import threading

import numpy as np
import pytest

import regluon as mx
from regluon import nd, autograd
from regluon.base import MXNetError
from conftest import GOLDEN, golden

G = golden('autograd')
sys.path.insert(0, str(GOLDEN))
import autograd_cases as cases  # noqa: E402  (the scenarios the golden writer ran in MXNet)

cases.use(mx)
X, var, SCENARIOS, modes = cases.X, cases.var, cases.SCENARIOS, cases.modes
Sigmoid, TwoOut = cases.functions()


def test_every_golden_scenario_has_a_twin():
    assert {k.split('/')[0] for k in G if '/' in k} == set(SCENARIOS)


@pytest.mark.parametrize('name', sorted(SCENARIOS))
def test_scenario(name):
    got = SCENARIOS[name]()
    keys = sorted(k for k in G if k.startswith(name + '/'))
    assert sorted(f'{name}/{k}' for k in got) == keys
    for k in keys:
        np.testing.assert_allclose(got[k.split('/')[1]], G[k], rtol=1e-5, atol=1e-6,
                                   err_msg=k)


def test_modes_match_mxnet():
    assert modes() == json.loads(str(G['modes']))


def test_scope_restores_state_after_exception():
    with pytest.raises(ZeroDivisionError):
        with autograd.record():
            raise ZeroDivisionError
    assert not autograd.is_recording() and not autograd.is_training()


# ---- errors (the e_* scenarios of autograd_cases) ------------------------------------
ERRORS = cases.ERRORS
GOLDEN_ERRORS = json.loads(str(G['errors']))
# Where MXNet's message is a sentence of its own (not a C++ check), ours contains it.
KEEP_WORDS = {
    'second_backward': 'retain_graph=True',
    'unrecorded': 'Cannot differentiate node because it is not in a computational graph',
    'recorded_from_unrecorded': 'autograd.record()',
    'grad_not_variable': 'Cannot differentiate with respect to the 2-th variable because it '
                         'does not require gradient',
    'grad_unreachable': 'Cannot differentiate with respect to the 2-th variable because it '
                        'is unreachable from the outputs',
    'bad_grad_req': "'foo'",
    'function_twice': 'Each Function instance can only be called once',
    'freed_head_again': 'Cannot differentiate node because it is not in a computational graph',
}


def test_every_golden_error_has_a_twin():
    assert set(GOLDEN_ERRORS) == set(ERRORS)


@pytest.mark.parametrize('name', sorted(ERRORS))
def test_error(name):
    want = GOLDEN_ERRORS[name]
    with pytest.raises(Exception) as info:
        ERRORS[name]()
    assert type(info.value).__name__ == want['type']
    if name in KEEP_WORDS:
        assert KEEP_WORDS[name] in str(info.value)
        assert KEEP_WORDS[name] in want['msg']


def test_get_symbol_says_what_to_use():
    x = var()
    with autograd.record():
        y = x * 2
    with pytest.raises(mx.MXNetError, match='hybridize'):
        autograd.get_symbol(y)


# ---- regluon specifics (no golden needed) --------------------------------------------------
def test_grad_buffer_is_the_same_object_across_backwards():
    x = var()
    buf = x.grad
    for k in (2.0, 5.0):
        with autograd.record():
            y = x * k
        y.backward()
        assert x.grad is buf
        np.testing.assert_array_equal(buf.asnumpy(), [k] * 3)


def test_nothing_recorded_outside_record_even_for_variables():
    x = var()
    y = x * 2                                   # outside record: a plain value
    assert not y._t.requires_grad and y._t.grad_fn is None
    with autograd.record():
        with autograd.pause():
            z = x * 2
    assert z._t.grad_fn is None


def test_backward_leaves_recording_state_alone():
    x = var()
    with autograd.record():
        y = x * 2
    y.backward(train_mode=True)
    assert not autograd.is_recording() and not autograd.is_training()


def test_function_inside_a_gluon_block():
    class Net(mx.gluon.Block):
        def forward(self, x):
            return Sigmoid()(x) * 2
    x = var()
    with autograd.record():
        y = Net()(x)
    y.backward()
    s = 1 / (1 + np.exp(-np.array(X)))
    np.testing.assert_allclose(x.grad.asnumpy(), 2 * s * (1 - s), rtol=1e-5)


def test_function_backward_must_return_one_grad_per_input():
    class Bad(autograd.Function):
        def forward(self, a, b):
            return a * b

        def backward(self, dy):
            return dy
    a, b = var(), var()
    with autograd.record():
        y = Bad()(a, b)
    with pytest.raises(mx.MXNetError, match='expected 2, got 1'):
        y.backward()


def test_recording_state_is_per_thread():
    """Two threads record at once; each sees only its own state and its own gradients."""
    barrier = threading.Barrier(2)
    seen, grads = {}, {}

    def work(name, k, record):
        x = var()
        scope = autograd.record() if record else autograd.pause()
        with scope:
            barrier.wait()                      # both threads are inside their scope now
            seen[name] = (autograd.is_recording(), autograd.is_training())
            y = x * k
            barrier.wait()
        if record:
            y.backward()
            grads[name] = x.grad.asnumpy()
        else:
            grads[name] = y._t.requires_grad

    threads = [threading.Thread(target=work, args=('a', 3.0, True)),
               threading.Thread(target=work, args=('b', 5.0, False))]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert seen == {'a': (True, True), 'b': (False, False)}
    np.testing.assert_array_equal(grads['a'], [3.0] * 3)
    assert grads['b'] is False
    assert not autograd.is_recording()


def test_integer_arrays_get_a_zero_grad_buffer():
    x = nd.array([1, 2], dtype='int32')
    x.attach_grad()
    assert x.grad.dtype == np.int32 and x.grad.asnumpy().tolist() == [0, 0]


def test_inplace_ops_inside_and_outside_record():
    x = var()
    with autograd.record():
        y = x * 2
        y += x                                  # recorded: d/dx (2x + x) = 3
        y *= 2
    y.backward()
    np.testing.assert_array_equal(x.grad.asnumpy(), [6.0] * 3)
    x += 1                                      # a variable updated outside record()
    np.testing.assert_allclose(x.asnumpy(), np.array(X) + 1)
    assert x._t.requires_grad and x._t.grad_fn is None


def test_function_refuses_non_ndarrays():
    with pytest.raises(TypeError, match='takes NDArrays'):
        Sigmoid()(np.ones(3))


def test_control_flow_with_array_comparisons():
    """The same book example written with NDArray comparisons (`b.norm() < 1000`)."""
    def f(a):
        b = a * 2
        while b.norm() < 1000:
            b = b * 2
        return b if b.sum() > 0 else 100 * b
    for i, values in enumerate([[0.3], [-0.2], [0.1, -0.5, 0.2]]):
        a = var(values)
        with autograd.record():
            c = f(a)
        c.backward()
        np.testing.assert_allclose(a.grad.asnumpy(), G[f'control_flow/grad{i}'])
        np.testing.assert_allclose(c.asnumpy(), G[f'control_flow/c{i}'])


def test_freed_graph_bookkeeping_holds_no_dead_arrays():
    """Arrays boxed while recording are noted weakly: dropped ones leave nothing behind."""
    x = var()
    before = len(autograd._made)
    with autograd.record():
        for _ in range(100):
            y = x * 2                           # each iteration drops the previous y
    assert len(autograd._made) <= before + 1
    y.backward()
    assert not y._t.requires_grad and len(autograd._made) <= before


def test_freed_graph_outputs_of_function_and_hybridized_block_are_constants():
    net = mx.gluon.nn.Dense(2, in_units=3)
    net.initialize()
    net.hybridize()
    x = var()
    with autograd.record():
        h = net(x.reshape((1, 3)))
        s = Sigmoid()(x)
        y = h.sum() + s.sum()
    y.backward()
    with autograd.record():
        z = (h.sum() * x).sum() + (s * x).sum()
    z.backward()
    np.testing.assert_allclose(x.grad.asnumpy(), h.sum().asnumpy() + s.asnumpy(), rtol=1e-6)


def test_second_derivative_that_is_zero_by_construction_is_an_array():
    # MXNet 1.9.1 (test_higher_order_grad.test_abs): abs's second derivative is zeros; torch
    # answers it with a ZeroTensor, which must still behave as an array
    x = nd.array([[-1.5, 2.0], [0.5, -0.25]])
    x.attach_grad()
    with autograd.record():
        y = nd.abs(x)
        g1 = autograd.grad(y, x, head_grads=nd.ones_like(x) * 2, create_graph=True,
                           retain_graph=True)[0]
        g2 = autograd.grad(g1, x, head_grads=nd.ones_like(x), create_graph=True,
                           retain_graph=True)[0]
    assert g1.asnumpy().tolist() == [[-2.0, 2.0], [2.0, -2.0]]
    assert g2.asnumpy().tolist() == [[0.0, 0.0], [0.0, 0.0]]
    g2 += 1
    assert g2.asnumpy().tolist() == [[1.0, 1.0], [1.0, 1.0]]


def test_second_derivative_of_arcsinh_is_the_true_one():
    """d2/dx2 arcsinh(x) = -x / (x^2 + 1)^1.5. MXNet 1.9.1's _backward_arcsinh gives it with
    the opposite sign (its test_higher_order_grad asserts that); regluon keeps the math."""
    x = nd.array([-2., -0.5, 0.1, 1.5])
    x.attach_grad()
    with autograd.record():
        y = nd.arcsinh(x)
        g = autograd.grad(y, x, create_graph=True, retain_graph=True)[0]
        g2 = autograd.grad(g, x)[0]
    v = x.asnumpy().astype(np.float64)
    np.testing.assert_allclose(g.asnumpy(), 1 / np.sqrt(v ** 2 + 1), rtol=1e-6)
    np.testing.assert_allclose(g2.asnumpy(), -v / (v ** 2 + 1) ** 1.5, rtol=1e-5)


def test_second_derivative_through_dropout_is_refused():
    """MXNet 1.9.1 gives zeros; here Dropout's gradient does not depend on its input and is
    not linked to it (linking would cost a pass over every activation of every training
    step), so a second grad through it is MXNet's 'not in a computational graph' error."""
    x = nd.array([1., 2., 3.])
    x.attach_grad()
    with autograd.record():
        y = nd.Dropout(x, p=0.5)
        g = autograd.grad(y, x, create_graph=True, retain_graph=True)[0]
        with pytest.raises(MXNetError, match='not in a computational graph'):
            autograd.grad(g, x)


def test_default_head_gradient_written_in_place_is_not_reused():
    """backward() without head gradients reuses one tensor of ones while it is unchanged;
    a custom Function that writes into its output gradient must not change the next pass."""
    class Scale(autograd.Function):
        def forward(self, x):
            return x * 3

        def backward(self, dy):
            dy *= 3                     # in place, into the head gradient it was given
            return dy

    x = nd.array([1.0, 2.0])
    x.attach_grad()
    for _ in range(3):
        with autograd.record():
            y = Scale()(x)
        y.backward()
        assert x.grad.asnumpy().tolist() == [3.0, 3.0]
