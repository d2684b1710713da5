"""The one place that opens the box: `@op` turns a torch kernel into an MXNet operator.

A kernel takes torch tensors (and plain Python values) and returns a tensor or a
tuple/list of tensors. `@op` gives it `nd.<name>`, optionally the method `x.<name>()`,
and an entry in `OPS` that the symbolic layer (`F.<name>` in hybrid_forward, export)
reads. The wrapper unboxes NDArray arguments, runs the kernel, turns torch errors into
MXNetError naming the operator, and boxes the result (honouring `out=`); a result is
recorded only inside `autograd.record()` (see autograd._unrecorded).

The wrapper is the per-op overhead users pay on every call (benchmarks/op_overhead.py), so
its hot path avoids per-call lists, extra calls and grad-mode toggles. Torch's grad mode
follows MXNet's recording state (record()/pause() set it): on a thread that runs regluon ops
it is off outside `autograd.record()`; raw torch autograd code there needs
`torch.enable_grad()`.

The Python `run` built by `_make` is the specification of an operator call. When the C
extension `_fastop` is built (setup.py; optional), each operator is a `FastOp` that does
run's common case without a Python frame: one or two positional arguments, no keywords,
the first exactly an NDArray, the second exactly an NDArray, float or int; the result boxed
as run boxes it. Every other call, and every call whose kernel raises, goes to `run`
itself (kernels on that path are pure, so run may re-run one for its error message or to
repair torch's grad mode). Without the extension, or with REGLUON_PURE_PYTHON=1 in the
environment (tests and debugging), the operator is `run`.
"""
import functools
import inspect
import sys

import torch

from ..base import MXNetError, MXNetIndexError, dtype_name
from .. import autograd as _ag
from ._fast import _fastop
from .ndarray import NDArray, _box, _box_result

__all__ = ['op', 'OPS', 'Op']

_state, _in_step, _unrecorded = _ag._state, _ag._in_step, _ag._unrecorded
_Tensor = torch.Tensor
_new = object.__new__
_noted, _forget, _ref = _ag._made.add, _ag._forget, _ag._Ref   # autograd.note, inlined

OPS = {}

FastOp = _fastop.FastOp if _fastop is not None else None


class Op:
    """Registry entry: the operator's MXNet name, its kernel and its imperative function;
    `sparse[0]`, set by ndarray/sparse_ops.py, runs a call that has a sparse argument."""
    __slots__ = ('name', 'kernel', 'func', 'method', 'aliases', 'sparse')

    def __init__(self, name, kernel, func, method, aliases, sparse=None):
        self.name, self.kernel, self.func = name, kernel, func
        self.method, self.aliases, self.sparse = method, aliases, sparse


def _unbox(v):
    """The tensor inside an NDArray (also inside lists/tuples); anything else unchanged."""
    t = type(v)
    if t is NDArray:
        return v._t
    if t is tuple or t is list:
        for x in v:                     # settings such as kernel=(5, 5) hold no array
            if isinstance(x, _NESTED):
                break
        else:
            return v if t is tuple else list(v)
        out = [y._t if type(y) is NDArray else _unbox(y) for y in v]
        return out if t is list else tuple(out)
    if isinstance(v, NDArray):
        return v._t
    return v


_NESTED = (NDArray, list, tuple)
_PLAIN = frozenset((int, float, bool, str, type(None)))     # settings _unbox would return as is


def _describe(args, kwargs):
    """The arguments of a failed call for its error message (arrays by shape and dtype)."""
    def has_array(v):
        return isinstance(v, NDArray) or (
            isinstance(v, (list, tuple)) and any(has_array(x) for x in v))

    def d(v):
        if isinstance(v, NDArray):
            return f"NDArray{tuple(v.shape)} {dtype_name(v.dtype)}"
        if isinstance(v, (list, tuple)) and has_array(v):
            return '[' + ', '.join(d(x) for x in v) + ']'
        return repr(v)
    parts = [d(a) for a in args] + [f"{k}={d(v)}" for k, v in kwargs.items()]
    return ', '.join(parts)


def _wrap_result(res, ctx, out):
    """Box a kernel result (tensor, or list/tuple of tensors -> list), honouring `out=`."""
    rec = _state.recording
    if not rec:                     # nothing is recorded outside record() (_unrecorded)
        _in_step()
    if out is not None:
        outs = out if isinstance(out, (list, tuple)) else [out]
        for o, r in zip(outs, res if isinstance(res, (list, tuple)) else [res]):
            if r is not o._t:       # a kernel that wrote into out= itself returns it
                o._assign(r.detach() if not rec and getattr(r, 'requires_grad', False)
                          else r)
        return out
    if not rec:
        if isinstance(res, _Tensor):
            res = res.detach() if res.requires_grad else res
        elif isinstance(res, (tuple, list)):
            res = [r.detach() if isinstance(r, _Tensor) and r.requires_grad else r
                   for r in res]
    if isinstance(res, _Tensor):
        return _box(res, ctx)
    if isinstance(res, (tuple, list)):
        boxed = [_box(r, ctx) if isinstance(r, _Tensor) else r for r in res]
        if rec and len(boxed) > 1:
            _ag.note_group([b for b in boxed if isinstance(b, NDArray)])
        return boxed
    return res


_NO = object()     # "no such positional argument" (None is a legitimate argument value)
SPARSE = set()     # the sparse NDArray classes (filled by ndarray/sparse.py)


def _sparse_in(args):
    """Whether one of `args` is a sparse NDArray (lists of them are densified instead)."""
    for v in args:
        if v.__class__ in SPARSE:
            return True
    return False


def _first_ctx(args, kwargs):
    """The context of the first NDArray argument, positional or keyword (nd.relu(data=x)
    on cpu(1) gives cpu(1)); None (the default context) when there is none."""
    for a in args:
        if isinstance(a, NDArray):
            return a._ctx
    for a in kwargs.values():
        if isinstance(a, NDArray):
            return a._ctx
    return None


def _known_keywords(name, kwargs, known, settingless):
    """kwargs without the keywords operator `name` does not take: dropped for an operator
    without settings, an MXNetError ("Cannot find argument") for one with settings."""
    unknown = [k for k in kwargs if k not in known]
    if not settingless:
        raise MXNetError(f"{name}: Cannot find argument '{unknown[0]}', possible arguments: "
                         f"{sorted(known - {'out'})}")
    return {k: v for k, v in kwargs.items() if k in known}


def _positional(a0, a1, rest):
    # positional arguments fill a0, then a1, then rest: an absent one has none after it
    if a0 is _NO:
        return ()
    if a1 is _NO:
        return (a0,)
    return (a0, a1) + rest if rest else (a0, a1)


def run_on_arrays(name, arrays, kwargs):
    """Operator `name` on plain NDArrays `arrays`, with settings `kwargs` whose `out` is a
    list of plain NDArrays: its kernel on their tensors, without the wrapper's unboxing of
    each argument (for callers that run one such call per step, as the optimizers' grouped
    updates do: a GPU step is launch-bound). Errors are worded as the wrapper words them;
    anything else (np or sparse arrays, inside record()) runs the operator as usual."""
    entry = OPS[name]
    out = kwargs.get('out')
    if _state.recording or type(out) is not list or \
            not all(type(a) is NDArray for a in arrays) or \
            not all(type(o) is NDArray for o in out):
        return entry.func(*arrays, **kwargs)
    _in_step()              # torch's grad mode off, as run() makes it for out= kernels
    try:
        entry.kernel(*[a._t for a in arrays], **dict(kwargs, out=[o._t for o in out]))
    except (RuntimeError, IndexError) as e:
        if isinstance(e, MXNetError):
            raise
        raise (MXNetIndexError if isinstance(e, IndexError) else MXNetError)(
            f"Operator {name} failed on ({_describe(arrays, kwargs)}): {e}") from None
    return out


def _make(kernel, name, one=None):
    # A kernel with an `out` parameter writes into out= itself (optimizer updates: in place,
    # no temporary weight and no copy back); others get their result copied into out=.
    try:
        params = inspect.signature(kernel).parameters
    except (TypeError, ValueError):
        params = {}
    takes_out = 'out' in params
    # MXNet ignores keywords an operator without settings does not know (nd.relu(x, foo=1),
    # broadcast_maximum(a, b, axis=1)) and refuses them on one with settings ("Cannot find
    # argument"); None: the kernel takes **kwargs, so it decides
    kinds = {p.kind for p in params.values()}
    known = None if inspect.Parameter.VAR_KEYWORD in kinds else set(params)
    # (no defaults and at most two parameters: the array inputs of relu, exp, broadcast_add;
    # slice_axis(data, axis, begin, end) has required settings)
    settingless = known is not None and inspect.Parameter.VAR_POSITIONAL not in kinds and \
        len(params) <= 2 and all(p.default is inspect.Parameter.empty
                                 for p in params.values())

    kernel1 = one or kernel   # what a call with one positional argument and nothing else runs
    sparse = [None]           # Op.sparse: MXNet's storage-type dispatch, for the few ops with one
    sparse_types = SPARSE

    # The hot path is one or two positional arguments and no keywords: nearly every call on
    # tiny arrays. Named parameters (not *args) and no per-call list keep it short. Torch's
    # grad mode is not set per call (autograd._unrecorded says why); a kernel that writes
    # into its inputs (out=) puts it in step first, since it cannot be re-run after a failure.
    def run(_0=_NO, _1=_NO, *rest, out=None, **kwargs):
        # Sparse positional arguments (the C path sends them here) go to the op's sparse
        # dispatch; a dense call pays one test, or two set lookups for the ops that have one.
        if sparse[0] is not None and (_0.__class__ in sparse_types or
                                      _1.__class__ in sparse_types or
                                      rest and _sparse_in(rest)):
            return sparse[0](*_positional(_0, _1, rest), out=out, **kwargs)
        try:
            if kwargs or rest or _0 is _NO or (takes_out and out is not None):
                if kwargs:
                    # MXNet: every operator takes name= and attr= (the symbol's name and
                    # attributes); imperatively they are ignored. Only keyword calls pay.
                    kwargs.pop('name', None)
                    kwargs.pop('attr', None)
                    if known is not None and not known.issuperset(kwargs):
                        kwargs = _known_keywords(name, kwargs, known, settingless)
                if takes_out and (type(out) is NDArray or (
                        type(out) in (list, tuple) and all(type(o) is NDArray for o in out))):
                    kwargs['out'] = out             # a kernel that writes into out= itself
                if takes_out:
                    _in_step()
                args = _positional(_0, _1, rest)
                ctx = _first_ctx(args, kwargs)
                # (arrays and plain settings inline: a layer's call passes several of each)
                res = kernel(*[a._t if type(a) is NDArray else _unbox(a) for a in args],
                             **{k: v if type(v) in _PLAIN else
                                v._t if type(v) is NDArray else _unbox(v)
                                for k, v in kwargs.items()})
            elif _1 is _NO:
                if isinstance(_0, NDArray):       # np arrays too: they keep their context
                    ctx, res = _0._ctx, kernel1(_0._t)
                else:
                    ctx, res = None, kernel1(_unbox(_0))
            else:
                if isinstance(_0, NDArray):
                    ctx, a = _0._ctx, _0._t
                elif isinstance(_1, NDArray):     # nd.maximum(2, x): x's context
                    ctx, a = _1._ctx, _unbox(_0)
                else:
                    ctx, a = None, _unbox(_0)
                res = kernel(a, _1._t if type(_1) is NDArray else _unbox(_1))
        except (RuntimeError, IndexError, AttributeError) as e:
            # (AttributeError: a kernel given something that is not an array, e.g. a nested
            # list where MXNet takes a list of arrays)
            if isinstance(e, MXNetError):       # a kernel's own MXNetIndexError
                raise
            if not isinstance(e, AttributeError) and _in_step():
                # torch refused in the wrong grad mode: the kernel is pure, run it again
                return run(_0, _1, *rest, out=out, **kwargs)
            raise (MXNetIndexError if isinstance(e, IndexError) else MXNetError)(
                f"Operator {name} failed on "
                f"({_describe(_positional(_0, _1, rest), kwargs)}): {e}") from None
        if out is None and type(res) is _Tensor:
            r = _new(NDArray)
            r._ctx, r._grad = ctx, None
            if res.requires_grad:
                if _state.recording:            # recorded: see autograd._free
                    _noted(_ref(r, _forget))
                else:
                    res = _unrecorded(res)
            r._t = res
            return r
        return _wrap_result(res, ctx, out)
    run.__name__ = name
    run.__qualname__ = name
    run.__doc__ = kernel.__doc__
    run.__wrapped__ = kernel
    run.sparse = sparse
    if FastOp is None:
        return run
    fast = FastOp(kernel, kernel1, run, _box_result, _wrap_result, NDArray, _Tensor)
    for attr in ('__module__', '__name__', '__qualname__', '__doc__', '__wrapped__', 'sparse'):
        setattr(fast, attr, getattr(run, attr))
    return fast


def outside_compiled_graphs(fn):
    """`fn` as torch.compiler.disable makes it (a torch.compile'd graph, i.e. a static
    hybridized graph on a CPU, runs it eagerly: data-dependent loops, Python operators),
    without importing torch._dynamo (seconds) at `import regluon`: until something has
    imported it, nothing can be compiling and `fn` runs as it is."""
    disabled = []

    @functools.wraps(fn)
    def call(*args, **kwargs):
        if 'torch._dynamo' not in sys.modules:
            return fn(*args, **kwargs)
        if not disabled:
            disabled.append(torch.compiler.disable(fn))
        return disabled[0](*args, **kwargs)
    return call


def op(fn=None, *, name=None, method=False, aliases=(), one=None):
    """Register a kernel as an MXNet operator (see the module docstring).

    `method=True` also installs it as `NDArray.<name>`; a string installs it under that
    method name. `aliases` are further `nd.` names for the same operator. `one(tensor)`,
    optional, is the kernel specialised for a call with one positional argument and no
    keywords (`x.sum()`): the same result as `kernel(tensor)`, without its argument checks.
    """
    def deco(kernel):
        opname = name or kernel.__name__
        func = _make(kernel, opname, one)
        entry = Op(opname, kernel, func, method, tuple(aliases), func.sparse)
        for n in (opname,) + tuple(aliases):
            if n in OPS:
                raise AssertionError(f"operator {n} defined twice")
            OPS[n] = entry
        if method:
            mname = method if isinstance(method, str) else opname
            if not hasattr(NDArray, mname):
                setattr(NDArray, mname, func)
        return func
    return deco(fn) if fn is not None else deco
