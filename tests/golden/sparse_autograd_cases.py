"""Sparse arrays as autograd variables (attach_grad / mark_variables on csr and row_sparse
arrays, gradient buffers of any storage type). Each case runs under either library and
returns {key: (array, kind)}: gradients as dense values plus their storage types.
tools/golden_cases.py sparse_autograd stores MXNet 1.9.1's; tests/test_sparse_autograd.py
compares regluon's (tests/golden/case_tools.py)."""
import warnings

import numpy as onp

from case_tools import value

X = onp.array([[0., 1.5, 0.], [2., 0., -1.], [0., 0., 0.], [0.5, 0., 3.]], dtype='float32')
Y = onp.array([[1., 0., 0.], [0., 2., 0.], [-1., 0., 4.], [0., 0., 0.]], dtype='float32')


def _grad(x):
    return {'grad': value(x.grad), 'grad_stype': (onp.array(x.grad.stype), 'str')}


def _unary(stype, fn):
    def case(mx):
        x = mx.nd.array(X).tostype(stype)
        x.attach_grad()
        with mx.autograd.record():
            y = fn(mx, x)
        y.backward()
        return dict(_grad(x), out=value(y))
    return case


def _binary(sx, sy, fn):
    def case(mx):
        x, y = mx.nd.array(X).tostype(sx), mx.nd.array(Y).tostype(sy)
        gx, gy = mx.nd.zeros_like(x), mx.nd.zeros_like(y)
        mx.autograd.mark_variables([x, y], [gx, gy])
        with mx.autograd.record():
            z = fn(x, y)
        z.backward()
        return {'gx': value(gx), 'gy': value(gy), 'gx_stype': (onp.array(gx.stype), 'str'),
                'out': value(z)}
    return case


def _grad_stype(array_stype, grad_stype):
    def case(mx):
        x = mx.nd.array(X).tostype(array_stype)
        x.attach_grad(stype=grad_stype)
        with mx.autograd.record():
            y = x * 3
        y.backward()
        d = x.detach()
        return dict(_grad(x), detached_stype=(onp.array(d.stype), 'str'),
                    detached=value(d))
    return case


def sparse_dot_weight(mx):
    """csr x (row_sparse variable): the weight's gradient is row_sparse."""
    lhs = mx.nd.array(onp.array([[0, 1, 0, 2], [3, 0, 0, 0]], dtype='float32')).tostype('csr')
    w = mx.nd.array(onp.arange(12, dtype='float32').reshape(4, 3)).tostype('row_sparse')
    w.attach_grad()
    with mx.autograd.record():
        y = mx.nd.dot(lhs, w)
    y.backward()
    return dict(_grad(w), out=value(y))


def written_between(mx):
    """Values written into a sparse variable between recordings are the ones used."""
    x = mx.nd.array(X).tostype('row_sparse')
    x.attach_grad()
    x[:] = mx.nd.array(Y).tostype('row_sparse')
    with mx.autograd.record():
        y = (x * x).sum()
    y.backward()
    return _grad(x)


CASES = {}
for _s in ('csr', 'row_sparse'):
    CASES[f'exp_{_s}'] = _unary(_s, lambda mx, x: mx.nd.exp(x))
    CASES[f'half_{_s}'] = _unary(_s, lambda mx, x: x / 2)
    CASES[f'square_{_s}'] = _unary(_s, lambda mx, x: x ** 2)
    CASES[f'sqrt_abs_{_s}'] = _unary(_s, lambda mx, x: mx.nd.sqrt(mx.nd.abs(x) + 1))
    CASES[f'sum_{_s}'] = _unary(_s, lambda mx, x: x.sum() * 2)
for _a in ('default', 'csr', 'row_sparse'):
    for _b in ('default', 'csr', 'row_sparse'):
        CASES[f'add_mul_{_a}_{_b}'] = _binary(_a, _b, lambda x, y: x + x * y)
        CASES[f'grad_stype_{_a}_{_b}'] = _grad_stype(_a, _b)
CASES['sparse_dot_weight'] = sparse_dot_weight
CASES['written_between'] = written_between


def _quiet(fn):
    def case(mx):
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')         # storage fallback messages
            return fn(mx)
    return case


CASES = {k: _quiet(v) for k, v in CASES.items()}
