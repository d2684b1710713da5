"""`mx.test_utils`: the helpers users' test suites call, with MXNet 1.9.1's defaults,
tolerances, messages and exception types (numpy does the comparing, as in MXNet).

This module has the comparisons, tolerances, random inputs and `check_numeric_gradient`
(which also takes a Python function of NDArrays instead of a Symbol); the rest of MXNet's
module lives in test_utils_check (symbol/executor/optimizer checks), test_utils_misc
(environment, devices, array/matrix/sparse makers), test_utils_stats (random-generator
tests) and test_utils_data (downloads), all re-exported here.
"""
import inspect
import numbers
import os

import numpy as np
import numpy.random as rnd
import numpy.testing as npt

from .context import Context, current_context
from .ndarray.ndarray import NDArray
from . import autograd
from . import ndarray as nd

__all__ = ['default_context', 'set_default_context', 'default_dtype', 'default_rtols',
           'effective_dtype', 'get_cuda_compute_capability',
           'default_atols', 'default_numeric_eps', 'get_tolerance', 'get_tols', 'get_atol',
           'get_rtol', 'get_etol', 'random_arrays', 'random_uniform_arrays', 'random_sample',
           'rand_ndarray', 'rand_shape_2d', 'rand_shape_3d', 'rand_shape_nd', 'same',
           'almost_equal', 'assert_almost_equal', 'assert_allclose',
           'assert_almost_equal_ignore_nan', 'assert_almost_equal_with_err',
           'assert_exception', 'retry', 'check_numeric_gradient', 'numeric_grad',
           'same_array', 'checkShapes', 'locationError']


def _expect(cond, msg):
    """MXNet's `assert cond, msg`, kept when asserts are stripped or rewritten (pytest
    rewrites modules named test_*.py, which would add its own text to the message)."""
    if not cond:
        raise AssertionError(msg)


def default_context():
    """Get default context for regression test."""
    return current_context()


def set_default_context(ctx):
    """Set default context (MXNet: this sets the thread's current context)."""
    Context._default.value = ctx  # pylint: disable=protected-access


def default_dtype():
    """Get default data type for regression test."""
    return np.float32


_INTS = ('bool', 'int8', 'uint8', 'int32', 'uint32', 'int64', 'uint64')


def default_rtols():
    """Get default relative tolerances for data comparisons involving each data type."""
    return {np.dtype(np.float16): 1e-2, np.dtype(np.float32): 1e-4,
            np.dtype(np.float64): 1e-5, **{np.dtype(t): 0 for t in _INTS}}


def default_atols():
    """Get default absolute tolerances for data comparisons involving each data type."""
    return {np.dtype(np.float16): 1e-1, np.dtype(np.float32): 1e-3,
            np.dtype(np.float64): 1e-20, **{np.dtype(t): 0 for t in _INTS}}


def default_numeric_eps():
    """Get default epsilon for finite difference gradient calculations with data type."""
    # MXNet: powers of two, so no bits are dropped when added to an input
    return {np.dtype(np.float16): 1.0 / 2**6, np.dtype(np.float32): 1.0 / 2**9,
            np.dtype(np.float64): 1.0 / 2**14}


def get_cuda_compute_capability(ctx):
    """The CUDA compute capability of a GPU context as an int (70 for sm_70).

    Raises ValueError for a context that is not a GPU.
    """
    if ctx.device_type != 'gpu':
        raise ValueError('Expecting a gpu context to get cuda compute capability, '
                         'while received ctx {}'.format(str(ctx)))
    import torch
    major, minor = torch.cuda.get_device_capability(ctx.device_id)
    return major * 10 + minor


def _tf32_enabled(ctx):
    try:
        return (ctx.device_type == 'gpu' and get_cuda_compute_capability(ctx) >= 80 and
                os.environ.get('NVIDIA_TF32_OVERRIDE') != '0')
    except Exception:  # pylint: disable=broad-except
        return False     # MXNet: no context, or no CUDA to ask


def effective_dtype(dat):
    """The dtype whose tolerances suit results like `dat`: float16 for float32 on a GPU
    that computes float32 convolutions/GEMMs in TF32 (compute capability >= 80, unless
    NVIDIA_TF32_OVERRIDE=0), else dat's dtype (float32 for bfloat16)."""
    dtype = np.dtype(np.float32) if dat.dtype == 'bfloat16' else np.dtype(dat.dtype)
    if dtype == np.dtype(np.float32) and _tf32_enabled(getattr(dat, 'ctx', None)):
        return np.dtype(np.float16)
    return dtype


def get_tolerance(dat, tol, default_tol):
    """The tolerance for comparing `dat`: `tol` if a number, else looked up by (effective)
    dtype."""
    if isinstance(tol, numbers.Number):
        return tol
    tol = {} if tol is None else tol
    dtype = effective_dtype(dat)
    return tol.get(dtype, default_tol[dtype])


def get_tols(x, y, rtol, atol):
    """The (rtol, atol) for comparing x and y: the larger default of the two dtypes."""
    x = np.array(x) if isinstance(x, numbers.Number) else x
    y = np.array(y) if isinstance(y, numbers.Number) else y
    rtol = max(get_tolerance(x, rtol, default_rtols()), get_tolerance(y, rtol, default_rtols()))
    atol = max(get_tolerance(x, atol, default_atols()), get_tolerance(y, atol, default_atols()))
    return rtol, atol


def get_atol(atol=None, dtype=np.dtype(np.float64)):
    """Get default numerical threshold for regression test."""
    return default_atols()[dtype] if atol is None else atol


def get_rtol(rtol=None, dtype=np.dtype(np.float64)):
    """Get default numerical threshold for regression test."""
    return default_rtols()[dtype] if rtol is None else rtol


def get_etol(etol=None):
    """Get default error-rate threshold for regression test."""
    return 0 if etol is None else etol


def random_arrays(*shapes):
    """Generate some random numpy arrays (standard normal, float32)."""
    arrays = [np.array(np.random.randn(), dtype=default_dtype())
              if len(s) == 0 else np.random.randn(*s).astype(default_dtype())
              for s in shapes]
    return arrays[0] if len(arrays) == 1 else arrays


def random_uniform_arrays(*shapes, **kwargs):
    """Generate some random numpy arrays, uniform in [low, high)."""
    low, high = kwargs.pop('low', 0.0), kwargs.pop('high', 1.0)
    dtype = kwargs.pop('dtype', default_dtype())
    if kwargs:
        raise TypeError('Got unexpected argument/s : ' + str(kwargs.keys()))
    return [np.random.uniform(low, high, size=s).astype(dtype) for s in shapes]


def random_sample(population, k):
    """Return a k length list of the elements chosen from the population sequence."""
    assert 0 <= k <= len(population)
    population_copy = population[:]
    np.random.shuffle(population_copy)
    return population_copy[0:k]


def rand_ndarray(shape, stype='default', density=None, dtype=None, modifier_func=None,
                 shuffle_csr_indices=False, distribution=None, ctx=None):
    """A random NDArray: standard normal values for stype 'default' (drawn from numpy's
    generator, as MXNet), else `rand_sparse_ndarray`'s csr or row_sparse array."""
    ctx = ctx if ctx else default_context()
    if stype == 'default':
        return nd.array(random_arrays(shape), dtype=dtype, ctx=ctx)
    from .test_utils_misc import rand_sparse_ndarray
    return rand_sparse_ndarray(shape, stype, density=density, modifier_func=modifier_func,
                               dtype=dtype, shuffle_csr_indices=shuffle_csr_indices,
                               distribution=distribution, ctx=ctx)[0]


def rand_shape_2d(dim0=10, dim1=10, allow_zero_size=False):
    """A random 2-d shape with sizes in [1, dim] (or [0, dim] if allow_zero_size)."""
    low = 0 if allow_zero_size else 1
    return rnd.randint(low, dim0 + 1), rnd.randint(low, dim1 + 1)


def rand_shape_3d(dim0=10, dim1=10, dim2=10, allow_zero_size=False):
    """A random 3-d shape with sizes in [1, dim] (or [0, dim] if allow_zero_size)."""
    low = 0 if allow_zero_size else 1
    return rnd.randint(low, dim0 + 1), rnd.randint(low, dim1 + 1), rnd.randint(low, dim2 + 1)


def rand_shape_nd(num_dim, dim=10, allow_zero_size=False):
    """A random num_dim-d shape with sizes in [1, dim] (or [0, dim] if allow_zero_size)."""
    low = 0 if allow_zero_size else 1
    return tuple(rnd.randint(low, dim + 1, size=num_dim))


def _np(a):
    return a.asnumpy() if isinstance(a, NDArray) else a


def same(a, b):
    """Test if two arrays are the same (shape and values)."""
    return np.array_equal(_np(a), _np(b))


def checkShapes(a, b):  # pylint: disable=invalid-name
    """Raise AssertionError if the shapes of a and b differ."""
    if a.shape != b.shape:
        msg = npt.build_err_msg([a, b], err_msg="a.shape = {} and b.shape = {} are not equal"
                                .format(str(a.shape), str(b.shape)))
        raise AssertionError(msg)


def almost_equal(a, b, rtol=None, atol=None, equal_nan=False, use_broadcast=True):
    """Test if two numpy arrays are almost equal (float64 default tolerances)."""
    a, b = _np(a), _np(b)
    if not use_broadcast:
        checkShapes(a, b)
    return np.allclose(a, b, rtol=get_rtol(rtol), atol=get_atol(atol), equal_nan=equal_nan)


def locationError(a, b, index, names, maxError=False):  # pylint: disable=invalid-name
    """Create element mismatch comment."""
    maximum = "maximum " if maxError else ""
    return "Location of %serror: %s, %s=%.8f, %s=%.8f" \
        % (maximum, str(index), names[0], a[index], names[1], b[index])


def _find_max_violation(a, b, rtol, atol):
    """Finds and returns the location of maximum violation."""
    absdiff = np.where(np.equal(a, b), 0, np.abs(a - b))   # inf == inf, as np.allclose
    tol = atol + rtol * np.abs(b)
    violation = absdiff / (tol + 1e-20)
    loc = np.argmax(violation)
    # plain ints, so the message reads "(2,)" under numpy 2 as under MXNet's numpy 1
    idx = tuple(int(i) for i in np.unravel_index(loc, violation.shape))
    return idx, np.max(violation)


def assert_almost_equal(a, b, rtol=None, atol=None, names=('a', 'b'), equal_nan=False,
                        use_broadcast=True, mismatches=(10, 10)):
    """Test that two arrays are almost equal; raise AssertionError with MXNet's message if not.

    Parameters
    ----------
    a, b : np.ndarray or NDArray
    rtol, atol : None or float or dict of dtype -> float
        Thresholds; None takes the larger default of the two dtypes (float32: 1e-4, 1e-3).
    names : tuple of names, optional
        The names used in the error message.
    equal_nan : bool, optional
        Whether NaNs compare equal.
    mismatches : tuple of int
        How many mismatches to print and to determine.
    """
    if not use_broadcast:
        checkShapes(a, b)
    rtol, atol = get_tols(a, b, rtol, atol)
    a, b = _np(a), _np(b)
    if getattr(a, 'dtype', None) == np.bool_ and getattr(b, 'dtype', None) == np.bool_:
        np.testing.assert_equal(a, b)
        return
    if almost_equal(a, b, rtol, atol, equal_nan=equal_nan):
        return
    raise AssertionError(_mismatch_message(np.asarray(a), np.asarray(b), rtol, atol, names,
                                           equal_nan, mismatches))


def _mismatch_message(a, b, rtol, atol, names, equal_nan, mismatches):
    """MXNet's report: prints the worst mismatches, returns the AssertionError message."""
    index, rel = _find_max_violation(a, b, rtol, atol)
    if index == ():
        err = "Error %f exceeds tolerance rtol=%e, atol=%e.\n" % (rel, rtol, atol)
    else:
        index_err, rel_err = index, rel
        print('\n*** Maximum errors for vector of size {}:  rtol={}, atol={}\n'
              .format(a.size, rtol, atol))
        a_tmp, b_tmp = a.copy(), b.copy()
        i = 1
        while i <= a.size:
            if i <= mismatches[0]:
                print("%3d: Error %f  %s" % (i, rel, locationError(a, b, index, names)))
            a_tmp[index] = b_tmp[index] = 0
            if almost_equal(a_tmp, b_tmp, rtol, atol, equal_nan=equal_nan):
                break
            i += 1
            if i <= mismatches[1] or mismatches[1] <= 0:
                index, rel = _find_max_violation(a_tmp, b_tmp, rtol, atol)
            else:
                break
        degree = "at least " if mismatches[1] > 0 and i > mismatches[1] else ""
        err = "Error %f exceeds tolerance rtol=%e, atol=%e (mismatch %s%f%%).\n%s" % \
            (rel_err, rtol, atol, degree, 100 * i / a.size,
             locationError(a, b, index_err, names, maxError=True))
    with np.printoptions(threshold=4, suppress=True):   # MXNet sets these globally
        return npt.build_err_msg([a, b], err_msg=err)


def assert_allclose(a, b, rtol=1e-07, atol=0, equal_nan=True):
    """assert_almost_equal with numpy's assert_allclose defaults."""
    assert_almost_equal(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)


def assert_almost_equal_with_err(a, b, rtol=None, atol=None, etol=None, names=('a', 'b'),
                                 equal_nan=False, mismatches=(10, 10)):
    """Test that at most a fraction `etol` of the elements differ beyond rtol/atol."""
    etol = get_etol(etol)
    if etol <= 0:
        assert_almost_equal(a, b, rtol=rtol, atol=atol, equal_nan=equal_nan)
        return
    rtol, atol = get_tols(a, b, rtol, atol)
    a, b = np.asarray(_np(a)), np.asarray(_np(b))
    equals = np.isclose(a, b, rtol=rtol, atol=atol)
    if 1 - np.count_nonzero(equals) / equals.size > etol:
        raise AssertionError(_mismatch_message(a, b, rtol, atol, names, equal_nan, mismatches))


def assert_almost_equal_ignore_nan(a, b, rtol=None, atol=None, names=('a', 'b')):
    """Test that two arrays are almost equal where neither is NaN."""
    a, b = np.copy(_np(a)), np.copy(_np(b))
    nan_mask = np.logical_or(np.isnan(a), np.isnan(b))
    a[nan_mask] = 0
    b[nan_mask] = 0
    assert_almost_equal(a, b, rtol, atol, names)


def assert_exception(f, exception_type, *args, **kwargs):
    """Test that function f will throw an exception of type given by `exception_type`."""
    try:
        f(*args, **kwargs)
    except exception_type:
        return
    raise AssertionError(f"{getattr(f, '__name__', f)} did not raise "
                         f"{getattr(exception_type, '__name__', exception_type)}")


def retry(n):
    """Retry a stochastic test n times before failing (on AssertionError only)."""
    assert n > 0

    def decorate(f):
        def wrapper(*args, **kwargs):
            for i in range(n):
                try:
                    f(*args, **kwargs)
                    return
                except AssertionError:
                    if i == n - 1:
                        raise
        return wrapper
    return decorate


def same_array(array1, array2):
    """Whether two NDArrays share the same memory (writes to one show in the other)."""
    array1[:] += 1
    if not same(array1.asnumpy(), array2.asnumpy()):
        array1[:] -= 1
        return False
    array1[:] -= 1
    return same(array1.asnumpy(), array2.asnumpy())


def _as_function(sym, location, aux_states):
    """(function of NDArrays by keyword, argument names, numpy values by name)."""
    if hasattr(sym, 'list_arguments'):            # a Symbol: evaluate its graph
        names = sym.list_arguments()
        aux = dict(zip(sym.list_auxiliary_states(), aux_states)) \
            if isinstance(aux_states, (list, tuple)) else dict(aux_states or {})

        def fn(**kw):
            extra = {k: nd.array(v) if not isinstance(v, NDArray) else v
                     for k, v in aux.items()}
            return sym.eval(None, **kw, **extra)[0]
    elif callable(sym):
        if isinstance(location, dict):
            names = list(location)
        else:
            params = [p.name for p in inspect.signature(sym).parameters.values()
                      if p.kind in (p.POSITIONAL_ONLY, p.POSITIONAL_OR_KEYWORD)]
            names = params[:len(location)] if len(params) >= len(location) else \
                [f'arg{i}' for i in range(len(location))]

        def fn(**kw):
            return sym(*[kw[n] for n in names]) if not isinstance(location, dict) \
                else sym(**kw)
    else:
        raise TypeError(f"check_numeric_gradient: expected a Symbol or a function of NDArrays, "
                        f"got {type(sym).__name__}")
    if isinstance(location, dict):
        if set(location) != set(names):
            raise ValueError("Symbol arguments and keys of the given location do not match."
                             "symbol args:%s, location.keys():%s"
                             % (str(set(names)), str(set(location))))
        values = location
    else:
        values = dict(zip(names, location))
    return fn, names, {k: np.asarray(_np(v)) for k, v in values.items()}


def numeric_grad(fn, location, eps=1e-4, use_forward_train=True, dtype=default_dtype(),
                 nodes=None, ctx=None):
    """Central finite differences of sum(fn(**location)) for each array of `location`.

    `fn` takes NDArrays by keyword (MXNet's version takes an Executor).
    """
    assert dtype in (np.float16, np.float32, np.float64)
    location = {k: np.array(v, dtype=dtype, order='C') for k, v in location.items()}
    approx = {}

    def f():
        arrays = {k: nd.array(v, ctx=ctx, dtype=dtype) for k, v in location.items()}
        with autograd.train_mode() if use_forward_train else autograd.predict_mode():
            return fn(**arrays).asnumpy().astype(np.float64)
    for k in nodes or location:
        v = location[k]
        approx[k] = np.zeros(v.shape, dtype=dtype)
        for i in range(v.size):
            old = v.ravel()[i]
            v.ravel()[i] = old + eps / 2.0
            f_peps = f()
            v.ravel()[i] = old - eps / 2.0
            f_neps = f()
            v.ravel()[i] = old
            approx[k].ravel()[i] = (f_peps - f_neps).sum() / eps
    return approx


def check_numeric_gradient(sym, location, aux_states=None, numeric_eps=None, rtol=None,
                           atol=None, grad_nodes=None, use_forward_train=True, ctx=None,
                           grad_stype_dict=None, dtype=default_dtype()):
    """Verify autograd gradients against finite differences (MXNet's method).

    The output is multiplied by a fixed random projection and summed; the gradient of that
    w.r.t. each grad node must match central differences within rtol/atol.

    Parameters
    ----------
    sym : Symbol or callable
        A Symbol, or (regluon) a Python function taking NDArrays and returning one NDArray.
    location : list or tuple or dict
        Argument values (numpy arrays or NDArrays): in `sym.list_arguments()` order (or the
        function's parameter order), or by name.
    aux_states : list or dict, optional
        Auxiliary states of a Symbol.
    numeric_eps : float, optional
        Delta for finite differences (default by dtype: float32 1/2**9).
    rtol, atol : None or float
        Thresholds; defaults by dtype as in `assert_almost_equal`.
    grad_nodes : None or list or dict, optional
        Names (or, for a function with a list location, indices) to check; a dict gives
        name -> grad_req ('write', 'add' or 'null').
    use_forward_train : bool
        Run the forward passes in training mode.
    ctx : Context, optional
        Where to compute (default: the current context).
    dtype : np.float16, np.float32 or np.float64
        Dtype of the arrays.
    """
    assert dtype in (np.float16, np.float32, np.float64)
    ctx = ctx or default_context()
    fn, names, values = _as_function(sym, location, aux_states)
    if grad_nodes is None:
        reqs = {k: 'write' for k in names}
    elif isinstance(grad_nodes, dict):
        reqs = dict(grad_nodes)
    elif isinstance(grad_nodes, (list, tuple)):
        reqs = {names[k] if isinstance(k, int) else k: 'write' for k in grad_nodes}
    else:
        raise ValueError(f"grad_nodes must be None, a list or a dict, got {grad_nodes!r}")
    arrays = {k: nd.array(v, ctx=ctx, dtype=dtype) for k, v in values.items()}
    with autograd.train_mode() if use_forward_train else autograd.predict_mode():
        out_shape = fn(**arrays).shape
    # MXNet: a projection with no tiny elements, so finite differences keep precision
    proj = np.random.rand(*out_shape) + 0.1
    projection = nd.array(proj, ctx=ctx, dtype=dtype)
    old_grads = {k: np.random.normal(0, 0.01, size=values[k].shape) for k in reqs}
    for k, req in reqs.items():
        autograd.mark_variables(arrays[k], nd.array(old_grads[k], ctx=ctx, dtype=dtype), req)
    with autograd.record(train_mode=use_forward_train):
        out = fn(**arrays) * projection
    if out._t.requires_grad:
        out.backward()
    else:
        # MXNet's executor runs backward on any graph: where no checked input reaches the
        # output (a comparison; every req 'null') the 'write' gradients become zeros
        for k, req in reqs.items():
            if req == 'write':
                arrays[k].grad[:] = 0
    eps = get_tolerance(out, numeric_eps, default_numeric_eps())
    if dtype in (np.float32, np.float16):
        assert eps >= 1e-5      # finite differences need high precision below that

    def projected(**kw):
        return fn(**kw) * nd.array(proj, ctx=ctx, dtype=dtype)
    numeric = numeric_grad(projected, values, eps, use_forward_train, dtype,
                           [k for k, r in reqs.items() if r != 'null'], ctx)
    for k, req in reqs.items():
        grad = arrays[k].grad.asnumpy() if arrays[k].grad is not None else old_grads[k]
        names2 = ("NUMERICAL_%s" % k, "BACKWARD_%s" % k)
        if req == 'write':
            assert_almost_equal(numeric[k], grad, rtol, atol, names2)
        elif req == 'add':
            assert_almost_equal(numeric[k], grad - old_grads[k], rtol, atol, names2)
        elif req == 'null':
            assert_almost_equal(old_grads[k], grad, rtol, atol, names2)
        else:
            raise ValueError("Invalid grad_req %s for argument %s" % (req, k))


# the rest of MXNet's test_utils (these modules import the helpers above)
from .test_utils_check import *  # noqa: E402,F401,F403 pylint: disable=wrong-import-position
from .test_utils_misc import *  # noqa: E402,F401,F403 pylint: disable=wrong-import-position
from .test_utils_stats import *  # noqa: E402,F401,F403 pylint: disable=wrong-import-position
from .test_utils_data import *  # noqa: E402,F401,F403 pylint: disable=wrong-import-position
from . import test_utils_check, test_utils_misc, test_utils_stats, test_utils_data  # noqa: E402
# private names some ported test suites import too
from .test_utils_check import _parse_location, _parse_aux_states, _sorted_items  # noqa: E402,F401

__all__ += (test_utils_check.__all__ + test_utils_misc.__all__ + test_utils_stats.__all__ +
            test_utils_data.__all__)

# MXNet's test_utils has no __all__, so `from mxnet.test_utils import *` also hands out the
# modules and names it imports; MXNet's own test files rely on `mx`, `np`, `rnd`, `npt`...
import bz2  # noqa: E402
import errno  # noqa: E402
import gzip  # noqa: E402
import json  # noqa: E402
import logging  # noqa: E402
import platform  # noqa: E402
import struct  # noqa: E402
import sys  # noqa: E402
import time  # noqa: E402
import traceback  # noqa: E402
import zipfile  # noqa: E402
from collections import OrderedDict  # noqa: E402
from contextlib import contextmanager  # noqa: E402
import regluon as mx  # noqa: E402  pylint: disable=wrong-import-position
from .ndarray import array  # noqa: E402
from .runtime import Features  # noqa: E402
from .symbol import Symbol  # noqa: E402
from .util import use_np  # noqa: E402

__all__ += ['mx', 'np', 'rnd', 'npt', 'Context', 'current_context', 'Symbol', 'array',
            'Features', 'use_np', 'OrderedDict', 'contextmanager', 'numbers', 'os', 'sys',
            'time', 'json', 'logging', 'gzip', 'bz2', 'struct', 'traceback', 'platform',
            'errno', 'zipfile']
