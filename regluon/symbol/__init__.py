"""`mx.sym` / `mx.symbol`: symbolic graphs over the same operators as `mx.nd`.

Every registered operator is available as `sym.<name>`, building a graph node instead of
computing; `hybrid_forward(F, ...)` receives this module as F when a block is hybridized.
"""
import builtins as _builtins

from ..ndarray.register import OPS as _OPS
from .symbol import (Symbol, Variable, var, Group, load, load_json, fromjson,  # noqa: F401
                     NotImplementedForSymbol, make_op as _make_op)

for _n in list(_OPS):
    globals().setdefault(_n, _make_op(_n))


def _as_shape(shape):
    """A shape given as one int is that one size (sym.ones(shape=3), as MXNet reads it)."""
    return (shape,) if isinstance(shape, int) else shape


def zeros(shape, dtype=None, **kwargs):
    """A `_zeros` node of `shape` (a 0 is a size inferred from the node's consumers)."""
    return _internal_zeros(shape=_as_shape(shape), dtype=dtype or 'float32', **kwargs)


def ones(shape, dtype=None, **kwargs):
    """A `_ones` node of `shape` (a 0 is a size inferred from the node's consumers)."""
    return _internal_ones(shape=_as_shape(shape), dtype=dtype or 'float32', **kwargs)


def full(shape, val, dtype=None, **kwargs):
    """A `_full` node of `shape` filled with `val`."""
    return _internal_full(shape=_as_shape(shape), dtype=dtype or 'float32', value=val,
                          **kwargs)


_internal_zeros, _internal_ones, _internal_full = (_make_op(n) for n in ('_zeros', '_ones',
                                                                          '_full'))


def arange(start, stop=None, step=1.0, repeat=1, infer_range=False, name=None, dtype=None):
    """An `_arange` node: values in [start, stop) ([0, start) without stop) by `step`."""
    return _make_op('_arange')(start=start, stop=stop, step=step, repeat=repeat,
                               infer_range=infer_range, name=name, dtype=dtype or 'float32')


def linspace(start, stop, num, endpoint=True, name=None, dtype=None):
    """A `_linspace` node: `num` evenly spaced values from `start` to `stop`."""
    return _make_op('_linspace')(start=start, stop=stop, num=num, endpoint=endpoint,
                                 name=name, dtype=dtype or 'float32')


def eye(N, M=0, k=0, dtype=None, **kwargs):
    """An `_eye` node: N x M (M=0: N) with ones on the k-th diagonal."""
    return _make_op('_eye')(N=N, M=M, k=k, dtype=dtype or 'float32', **kwargs)


def _binary(array_op, scalar_op, rscalar_op, fold):
    """MXNet's sym.maximum/minimum/power/hypot: a Symbol and a Symbol or a number (either
    side), or two numbers (computed in Python). Nodes are named as MXNet names them, after
    its operator aliases (`_MaximumScalar` -> `_maximumscalar0`)."""
    import numbers

    def hint(opname):
        return opname.replace('_scalar', 'scalar')

    def helper(left, right):
        if isinstance(left, Symbol) and isinstance(right, Symbol):
            return _make_op(array_op)(left, right, _hint=hint(array_op))
        if isinstance(left, Symbol) and isinstance(right, numbers.Number):
            return _make_op(scalar_op)(left, scalar=right, _hint=hint(scalar_op))
        if isinstance(left, numbers.Number) and isinstance(right, Symbol):
            return _make_op(rscalar_op)(right, scalar=left, _hint=hint(rscalar_op))
        if isinstance(left, numbers.Number) and isinstance(right, numbers.Number):
            return fold(left, right)
        raise TypeError(f"types ({type(left).__name__}, {type(right).__name__}) not "
                        "supported")
    helper.__name__ = array_op.strip('_')
    return helper


maximum = _binary('_maximum', '_maximum_scalar', '_maximum_scalar', _builtins.max)
minimum = _binary('_minimum', '_minimum_scalar', '_minimum_scalar', _builtins.min)
power = pow = _binary('_power', '_power_scalar', '_rpower_scalar', lambda a, b: a ** b)
hypot = _binary('_hypot', '_hypot_scalar', '_hypot_scalar', lambda a, b: (a * a + b * b) ** 0.5)

from . import random  # noqa: E402,F401
from ..ndarray import namespace as _namespace  # noqa: E402
import sys as _sys  # noqa: E402


def _short_named(prefixes):
    """The maker of a namespace's functions: MXNet names their nodes after the short name
    (sym.contrib.MultiBoxPrior -> multiboxprior0, sym.linalg.gemm2 -> gemm20)."""
    def make(opname):
        create = _make_op(opname)
        short = next(opname[len(p):] for p in prefixes if opname.startswith(p)).lower()

        def named(*args, _hint=short, **kwargs):
            return create(*args, _hint=_hint, **kwargs)
        named.__name__, named.__doc__ = create.__name__, create.__doc__
        return named
    return make


from ..ndarray import internal as _internal_of  # noqa: E402
_internal = _internal_of(_sys.modules[__name__], lambda n: globals()[n])
image = _namespace(_sys.modules[__name__], ('_image_',), _short_named(('_image_',)))
linalg = _namespace(_sys.modules[__name__], ('linalg_', '_linalg_'),
                    _short_named(('linalg_', '_linalg_')))
contrib = _namespace(_sys.modules[__name__], ('_contrib_',), _short_named(('_contrib_',)))
# contrib.foreach/while_loop/cond trace Python functions into subgraphs (control_flow.py)
from ..ndarray.ops.control_flow import SYMBOL_API as _CONTROL_FLOW  # noqa: E402
for _n, _f in _CONTROL_FLOW.items():
    setattr(contrib, _n, _f)
    contrib.__all__.append(_n)
    globals()['_contrib_' + _n] = _f

# mx.sym.sparse: MXNet's sparse operator names. Graphs here do not track storage types (a
# sparse array bound to a variable is densified, docs/sparse.md), so they are the same ops.
from ..ndarray.sparse import __all__ as _SPARSE_NAMES  # noqa: E402
import types as _types  # noqa: E402
sparse = _types.ModuleType(__name__ + '.sparse')
sparse.__all__ = [_n for _n in _SPARSE_NAMES if callable(globals().get(_n)) and _n != 'zeros']
for _n in sparse.__all__:
    setattr(sparse, _n, globals()[_n])
_sys.modules[sparse.__name__] = sparse
from . import op  # noqa: E402,F401  (mx.sym.op, after every name above)
