"""`mx.nd.sparse` layers and optimizer updates (FullyConnected on csr data, sgd/adam updates
with a row_sparse gradient), MXNet's other nd.sparse names, and the storage-type dispatch of
`nd.<op>` (register.Op.sparse) for every operator with a sparse kernel."""
import torch

from ..base import MXNetError
from .ndarray import NDArray, _box_result
from .register import OPS
from .sparse import BaseSparseNDArray
from .sparse_ops import (_as_dense, _csr_mm, _dense_call, _dense_of, _recorded_variable, _st,
                         KEEP_SPARSE)
from . import sparse_ops

__all__ = ['sgd_update', 'sgd_mom_update', 'adam_update', 'adagrad_update', 'ftrl_update', 'FullyConnected',
           'Embedding', 'broadcast_add', 'broadcast_sub', 'broadcast_plus', 'broadcast_minus',
           'LinearRegressionOutput', 'LogisticRegressionOutput', 'MAERegressionOutput']


def FullyConnected(data, weight=None, bias=None, num_hidden=None, no_bias=False,
                   flatten=True):
    """nd.FullyConnected; a csr `data` is multiplied from its stored values (dense result)."""
    if _st(data) == 'csr' and _st(weight) == 'default':
        if weight.shape != (num_hidden, data.shape[1]):
            raise MXNetError(f"FullyConnected: weight shape {weight.shape} does not match "
                             f"({num_hidden}, {data.shape[1]}) for csr data {data.shape}")
        y = _csr_mm(data, weight._t.t().contiguous(), False)
        if not no_bias:
            y = y + _dense_of(bias)
        return _box_result(y, data._ctx)
    return _dense_call('FullyConnected', data, weight, bias, num_hidden=num_hidden,
                       no_bias=no_bias, flatten=flatten)


def _dense_op(name):
    def fn(*args, **kwargs):
        return _dense_call(name, *args, **kwargs)
    fn.__name__ = fn.__qualname__ = name
    fn.__doc__ = f"nd.{name}; sparse inputs are densified (MXNet's storage fallback)."
    return fn


# MXNet's nd.sparse names that have no sparse kernel here: the dense operator
for _n in ('Embedding', 'broadcast_add', 'broadcast_sub', 'broadcast_plus', 'broadcast_minus',
           'LinearRegressionOutput', 'LogisticRegressionOutput', 'MAERegressionOutput'):
    globals()[_n] = _dense_op(_n)


# ---- optimizer updates with a row_sparse gradient ----------------------------------------
def _update(name, weight, grad, states, lazy_update, out, kwargs, extra=()):
    """MXNet's update with a row_sparse `grad`: lazy, only the rows in grad.indices (their
    weight, and state rows) take the dense kernel's step, when the weight and the states
    are all dense or all row_sparse; else the standard dense update.
    A dense grad is the dense operator. A sparse weight (or state) is updated as its dense
    values and keeps its storage type."""
    target = weight if out is None else out
    if len({_st(a) for a in (weight, *states)}) > 1:
        lazy_update = False     # MXNet 1.9.1: mixed storage types take the dense fallback
    if any(isinstance(a, BaseSparseNDArray) for a in (weight, target, *states)):
        def dense(a):
            return _box_result(a._dense(), a._ctx) if isinstance(a, BaseSparseNDArray) else a
        dw, dstates = dense(weight), [dense(s) for s in states]
        if dw is weight:
            dw = weight.copy()
        _update(name, dw, grad, dstates, lazy_update, dw, kwargs, extra)
        for st, ds in zip(states, dstates):
            if st is not ds:
                st._assign(ds.to_torch())
        if out is None:
            out = weight.copy()
        out._assign(dw.to_torch())
        return out
    if _st(grad) != 'row_sparse' or not lazy_update:
        grad = grad.todense() if isinstance(grad, BaseSparseNDArray) else grad
        return OPS[name].func(weight, grad, *states, *extra, out=out, **kwargs)
    if out is None:
        out = weight.copy()
    elif out is not weight:
        out[:] = weight
    rows = grad._aux[0]
    w, st = out.to_torch(), [s.to_torch() for s in states]
    with torch.no_grad():
        srows = [s[rows] for s in st]       # copies: the kernel updates them in place
        w[rows] = OPS[name].kernel(w[rows], grad._data.to(w.dtype), *srows, **kwargs)
        for s, r in zip(st, srows):
            s[rows] = r
    return out


def sgd_update(weight, grad, lr, wd=0.0, rescale_grad=1.0, clip_gradient=-1.0,
               lazy_update=True, out=None):
    """nd.sgd_update; with a row_sparse grad and lazy_update only its rows are updated
    (weight decay included)."""
    return _update('sgd_update', weight, grad, (), lazy_update, out,
                   dict(lr=lr, wd=wd, rescale_grad=rescale_grad, clip_gradient=clip_gradient))


def sgd_mom_update(weight, grad, mom, lr, momentum=0.0, wd=0.0, rescale_grad=1.0,
                   clip_gradient=-1.0, lazy_update=True, out=None):
    """nd.sgd_mom_update; with a row_sparse grad and lazy_update only its rows (of the
    weight and the momentum) are updated."""
    return _update('sgd_mom_update', weight, grad, (mom,), lazy_update, out,
                   dict(lr=lr, momentum=momentum, wd=wd, rescale_grad=rescale_grad,
                        clip_gradient=clip_gradient))


def adagrad_update(weight, grad, history, lr, epsilon=1e-7, wd=0.0, rescale_grad=1.0,
                   clip_gradient=-1.0, out=None):
    """MXNet's sparse AdaGrad: only the rows of the row_sparse grad (weight and history)
    change; as MXNet's kernel, it needs wd=0."""
    if wd:
        raise MXNetError(f"adagrad_update: the sparse AdaGrad kernel needs wd=0, got wd={wd}")
    return _update('_adagrad_update', weight, grad, (history,), True, out,
                   dict(lr=lr, epsilon=epsilon, wd=wd, rescale_grad=rescale_grad,
                        clip_gradient=clip_gradient))


def adam_update(weight, grad, mean, var, lr, beta1=0.9, beta2=0.999, epsilon=1e-8, wd=0.0,
                rescale_grad=1.0, clip_gradient=-1.0, lazy_update=True, out=None):
    """nd.adam_update; with a row_sparse grad and lazy_update only its rows (of the weight,
    mean and var) are updated."""
    return _update('adam_update', weight, grad, (mean, var), lazy_update, out,
                   dict(lr=lr, beta1=beta1, beta2=beta2, epsilon=epsilon, wd=wd,
                        rescale_grad=rescale_grad, clip_gradient=clip_gradient))


def ftrl_update(weight, grad, z, n, lr, lamda1=0.01, beta=1.0, wd=0.0, rescale_grad=1.0,
                clip_gradient=-1.0, out=None):
    """nd.ftrl_update; lazy (only the rows of grad change) when the weight, grad and both
    states are row_sparse, as MXNet 1.9.1's kernel; any other mix is its dense fallback,
    which updates every row (a row_sparse state keeps its storage type)."""
    lazy = all(_st(a) == 'row_sparse' for a in (weight, grad, z, n))
    return _update('ftrl_update', weight, grad, (z, n), lazy, out,
                   dict(lr=lr, lamda1=lamda1, beta=beta, wd=wd, rescale_grad=rescale_grad,
                        clip_gradient=clip_gradient))


def _dense_update(name):
    """nd.<name>, an update with no sparse kernel in MXNet: its dense fallback over every
    row, whose writes into row_sparse states (and `out`) are kept, in their storage type."""
    def fn(weight, grad, *args, out=None, **kwargs):
        n = next((i for i, a in enumerate(args) if not isinstance(a, NDArray)), len(args))
        return _update(name, weight, grad, args[:n], False, out, kwargs, args[n:])
    fn.__name__ = fn.__qualname__ = name
    return fn


_DENSE_UPDATES = ('rmsprop_update', 'rmspropalex_update', 'signum_update', 'signsgd_update',
                  'nag_mom_update', 'ftml_update', 'mp_sgd_update', 'mp_sgd_mom_update',
                  'mp_nag_mom_update', '_adadelta_update', '_adamax_update', '_nadam_update',
                  '_dcasgd_update')
for _n in _DENSE_UPDATES:
    OPS[_n].sparse[0] = _dense_update(_n)


# ---- nd.<op> on sparse arguments: MXNet's storage-type dispatch ---------------------------
def _dispatcher(fn, takes_out, name):
    def call(*args, out=None, **kwargs):
        kwargs.pop('name', None)
        kwargs.pop('attr', None)
        if takes_out:
            return fn(*args, out=out, **kwargs)
        if _recorded_variable(*args, *kwargs.values()):     # (sparse_ops: no gradients)
            return OPS[name].func(*[_as_dense(a) for a in args], out=out,
                                  **{k: _as_dense(v) for k, v in kwargs.items()})
        res = fn(*args, **kwargs)
        if out is None:
            return res
        res.copyto(out)
        return out
    return call


for _name in ('dot', 'elemwise_add', 'elemwise_sub', 'elemwise_mul', 'elemwise_div', 'add_n',
              'sum', 'mean', 'norm', 'clip', 'slice', 'concat', 'zeros_like', 'stop_gradient',
              'make_loss', 'broadcast_mul', 'broadcast_div', '_square_sum', 'take') + KEEP_SPARSE + \
        ('sgd_update', 'sgd_mom_update', 'adam_update', 'ftrl_update', 'FullyConnected'):
    fn = globals().get(_name) or getattr(sparse_ops, _name)
    OPS[_name].sparse[0] = _dispatcher(fn, _name.endswith('_update'), _name)
