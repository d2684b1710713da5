"""`mx.test_utils` checks of symbols, executors, hybridized blocks and optimizers, as MXNet
1.9.1's (same arguments, random draws from numpy's generator in MXNet's order, messages
and return values). Re-exported by `regluon.test_utils`.
"""
import json
import time
import traceback
from collections import OrderedDict

import numpy as np

from . import autograd
from . import ndarray as nd
from .ndarray.ndarray import NDArray
from .symbol import Symbol
from .test_utils import _expect, assert_almost_equal, default_context, default_dtype, get_tols

__all__ = ['simple_forward', 'check_symbolic_forward', 'check_symbolic_backward',
           'check_speed', 'check_consistency', 'check_gluon_hybridize_consistency',
           'compare_ndarray_tuple', 'compare_optimizer', 'same_symbol_structure']

_FLOATS = (np.float16, np.float32, np.float64)


def _sorted_items(d):
    return sorted(d.items(), key=lambda t: t[0])


def _nd_of(v, ctx, dtype):
    """An NDArray of numpy `v` in `dtype` ("asnumpy": v's own dtype)."""
    return nd.array(v, ctx=ctx, dtype=v.dtype if dtype == 'asnumpy' else dtype)


def simple_forward(sym, ctx=None, is_train=False, **inputs):
    """Run `sym` on numpy inputs given by name; the output as numpy (a list if several).

    Parameters
    ----------
    ctx : Context
        If ``None``, the default context.
    is_train : bool
        Run the forward pass in training mode.
    inputs : keyword arguments
        Each input name mapped to a NumPy array.
    """
    ctx = ctx or default_context()
    exe = sym.bind(ctx, args={k: nd.array(v) for k, v in inputs.items()})
    exe.forward(is_train=is_train)
    outputs = [x.asnumpy() for x in exe.outputs]
    return outputs[0] if len(outputs) == 1 else outputs


def _parse_location(sym, location, ctx, dtype=default_dtype()):
    """{argument name: NDArray}, sorted by name, from a list (in list_arguments order) or dict."""
    assert isinstance(location, (dict, list, tuple))
    assert dtype == 'asnumpy' or dtype in _FLOATS
    if isinstance(location, dict):
        if set(location.keys()) != set(sym.list_arguments()):
            raise ValueError("Symbol arguments and keys of the given location do not match."
                             "symbol args:%s, location.keys():%s"
                             % (str(set(sym.list_arguments())), str(set(location.keys()))))
    else:
        location = dict(zip(sym.list_arguments(), location))
    return OrderedDict(_sorted_items({k: _nd_of(v, ctx, dtype) if isinstance(v, np.ndarray)
                                      else v for k, v in location.items()}))


def _parse_aux_states(sym, aux_states, ctx, dtype=default_dtype()):
    """{aux state name: NDArray} from a list (list_auxiliary_states order) or dict, or None."""
    assert dtype == 'asnumpy' or dtype in _FLOATS
    if aux_states is None:
        return None
    if isinstance(aux_states, dict):
        if set(aux_states.keys()) != set(sym.list_auxiliary_states()):
            raise ValueError("Symbol aux_states names and given aux_states do not match."
                             "symbol aux_names:%s, aux_states.keys:%s"
                             % (str(set(sym.list_auxiliary_states())),
                                str(set(aux_states.keys()))))
    elif isinstance(aux_states, (list, tuple)):
        aux_states = dict(zip(sym.list_auxiliary_states(), aux_states))
    return {k: _nd_of(v, ctx, dtype) for k, v in aux_states.items()}


def check_symbolic_forward(sym, location, expected, rtol=None, atol=None, aux_states=None,
                           ctx=None, equal_nan=False, dtype=default_dtype()):
    """Compare a symbol's forward outputs (inference mode) with the expected ones.

    Parameters
    ----------
    sym : Symbol
    location : list of np.ndarray or dict of str to np.ndarray
        Values of all arguments, in `sym.list_arguments()` order or by name.
    expected : list of np.ndarray or dict of str to np.ndarray
        The outputs, in order or by `sym.list_outputs()` name.
    rtol, atol : None or float
        Thresholds; None takes the defaults for the dtypes.
    aux_states : list of np.ndarray or dict of str to np.ndarray, optional
    ctx : Context, optional
    equal_nan : bool
        Whether NaNs compare equal.
    dtype : "asnumpy" or np.float16 or np.float32 or np.float64
        Dtype of the arrays made from numpy inputs ("asnumpy": keep each input's dtype).

    Returns
    -------
    list of NDArray
        The executor's outputs. An AssertionError names EXPECTED_<out> and FORWARD_<out>.
    """
    assert dtype == 'asnumpy' or dtype in _FLOATS
    ctx = ctx or default_context()
    location = _parse_location(sym=sym, location=location, ctx=ctx, dtype=dtype)
    aux_states = _parse_aux_states(sym=sym, aux_states=aux_states, ctx=ctx, dtype=dtype)
    if isinstance(expected, dict):
        expected = [expected[k] for k in sym.list_outputs()]
    executor = sym.bind(ctx=ctx, args=location, aux_states=aux_states)
    executor.forward(is_train=False)
    for name, expect, output in zip(sym.list_outputs(), expected, executor.outputs):
        assert_almost_equal(expect, output, rtol, atol, ("EXPECTED_%s" % name,
                                                         "FORWARD_%s" % name),
                            equal_nan=equal_nan)
    return executor.outputs


def _head_grads(out_grads, ctx, dtype):
    """out_grads as NDArrays (numpy ones converted), keeping list or dict form."""
    if isinstance(out_grads, (tuple, list)):
        return [_nd_of(g, ctx, dtype) if isinstance(g, np.ndarray) else g for g in out_grads]
    if isinstance(out_grads, dict):
        return {k: _nd_of(g, ctx, dtype) if isinstance(g, np.ndarray) else g
                for k, g in out_grads.items()}
    assert out_grads is None
    return None


def check_symbolic_backward(sym, location, out_grads, expected, rtol=None, atol=None,
                            aux_states=None, grad_req='write', ctx=None, grad_stypes=None,
                            equal_nan=False, dtype=default_dtype()):
    """Compare a symbol's gradients (training-mode forward, then backward) with expected ones.

    The gradient buffers start as random normal values (drawn from numpy's generator in
    sorted name order, as MXNet), so 'add' is checked as (buffer after - before) and 'null'
    as an untouched buffer.

    Parameters
    ----------
    sym : Symbol
    location : list of np.ndarray or dict of str to np.ndarray
        Values of all arguments.
    out_grads : None or list of np.ndarray or dict of str to np.ndarray
        Head gradients of the outputs.
    expected : list of np.ndarray or dict of str to np.ndarray
        Expected gradients, in `sym.list_arguments()` order (a prefix) or by name; only
        these arguments get gradient buffers.
    rtol, atol : None or float
    aux_states : list of np.ndarray or dict of str to np.ndarray, optional
    grad_req : str or list of str or dict of str to str
        'write', 'add' or 'null'.
    ctx : Context, optional
    grad_stypes : dict of str to str, optional
        Storage type of gradient buffers ('row_sparse', 'csr' or 'default').
    equal_nan : bool
    dtype : "asnumpy" or np.float16 or np.float32 or np.float64

    Returns
    -------
    dict of str to NDArray
        The gradient buffers. An AssertionError names EXPECTED_<arg> and BACKWARD_<arg>.
    """
    from .ndarray.sparse import attach_sparse_grad
    from .test_utils_misc import create_sparse_array
    assert dtype == 'asnumpy' or dtype in _FLOATS
    ctx = ctx or default_context()
    location = _parse_location(sym=sym, location=location, ctx=ctx, dtype=dtype)
    aux_states = _parse_aux_states(sym=sym, aux_states=aux_states, ctx=ctx, dtype=dtype)
    if isinstance(expected, (list, tuple)):
        expected = dict(zip(sym.list_arguments(), expected))
    # MXNet dirties the buffers deterministically, for reproducibility
    args_grad_npy = {k: np.random.normal(size=v.shape) for k, v in _sorted_items(expected)}
    args_grad_data, sparse = {}, {}
    for k, v in args_grad_npy.items():
        stype = (grad_stypes or {}).get(k)
        if stype not in (None, 'default'):
            args_grad_data[k] = sparse[k] = create_sparse_array(v.shape, stype, density=0.0)
        else:
            args_grad_data[k] = nd.array(v, ctx=ctx, dtype=expected[k].dtype
                                         if dtype == 'asnumpy' else dtype)
    if isinstance(grad_req, str):
        grad_req = {k: grad_req for k in sym.list_arguments()}
    elif isinstance(grad_req, (list, tuple)):
        grad_req = dict(zip(sym.list_arguments(), grad_req))
    executor = sym.bind(ctx=ctx, args=location, aux_states=aux_states, grad_req=grad_req,
                        args_grad={k: g for k, g in args_grad_data.items() if k not in sparse})
    for k, g in sparse.items():       # a sparse gradient buffer: attached as attach_grad does
        attach_sparse_grad(executor.arg_dict[k], grad_req[k], g.stype, g)
    executor.forward(is_train=True)
    executor.backward(_head_grads(out_grads, ctx, dtype))
    grads = args_grad_data
    for name in expected:
        names = ("EXPECTED_%s" % name, "BACKWARD_%s" % name)
        if grad_req[name] == 'write':
            assert_almost_equal(expected[name], grads[name], rtol, atol, names,
                                equal_nan=equal_nan)
        elif grad_req[name] == 'add':
            grad = grads[name].asnumpy() if isinstance(grads[name], NDArray) else grads[name]
            assert_almost_equal(expected[name], grad - args_grad_npy[name], rtol, atol, names,
                                equal_nan=equal_nan)
        elif grad_req[name] == 'null':
            assert_almost_equal(args_grad_npy[name], grads[name], rtol, atol, names,
                                equal_nan=equal_nan)
        else:
            raise ValueError("Invalid grad_req %s for argument %s" % (grad_req[name], name))
    return args_grad_data


def check_speed(sym, location=None, ctx=None, N=20, grad_req=None, typ="whole", **kwargs):
    """Seconds per forward+backward (typ="whole") or per forward (typ="forward") of `sym`.

    Parameters
    ----------
    sym : Symbol
    location : None or dict of str to np.ndarray
        Argument values; None draws standard normal values for shapes given in kwargs.
    ctx : Context, optional
    N : int
        Repeats (after one warm-up run).
    grad_req : None or str or list of str or dict of str to str
    typ : "whole" or "forward"
    """
    ctx = ctx or default_context()
    grad_req = 'write' if grad_req is None else grad_req
    if location is None:
        exe = sym.simple_bind(grad_req=grad_req, ctx=ctx, **kwargs)
        location = {k: np.random.normal(size=arr.shape, scale=1.0)
                    for k, arr in exe.arg_dict.items()}
    else:
        _expect(isinstance(location, dict), 'Expect dict, get "location"=%s' % str(location))
        exe = sym.simple_bind(grad_req=grad_req, ctx=ctx,
                              **{k: v.shape for k, v in location.items()})
    for name, iarr in location.items():
        exe.arg_dict[name][:] = iarr.astype(exe.arg_dict[name].dtype)
    if typ == "whole":
        def step():
            exe.forward(is_train=True)
            exe.backward(out_grads=[o.detach() for o in exe.outputs])
    elif typ == "forward":
        def step():
            exe.forward(is_train=False)
    else:
        raise ValueError('typ can only be "whole" or "forward".')
    step()                                   # warm up
    nd.waitall()
    tic = time.time()
    for _ in range(N):
        step()
    nd.waitall()
    return (time.time() - tic) * 1.0 / N


def _smaller_dtype(dt1, dt2):
    """The less precise of two dtypes (dt1 if dt2 is None)."""
    return dt1 if dt2 is None or np.dtype(dt1).itemsize < np.dtype(dt2).itemsize else dt2


def _report(msg, err, raise_on_err):
    print(msg)
    traceback.print_exc()
    if raise_on_err:
        raise err
    print(str(err))


def check_consistency(sym, ctx_list, scale=1.0, grad_req='write', arg_params=None,
                      aux_params=None, rtol=None, atol=None, raise_on_err=True,
                      ground_truth=None, equal_nan=False, use_uniform=False,
                      rand_type=np.float64):
    """Check that a symbol gives the same outputs and gradients in several contexts/dtypes.

    Each entry of `ctx_list` is `simple_bind`'s arguments: {'ctx': mx.cpu(0), '<input>':
    shape, ..., 'type_dict': {'<input>': np.float64}}. Inputs are drawn once (normal with
    std `scale`, or uniform in +-0.92*scale) and given to every executor; the one whose first
    output has the most precise dtype is the ground truth. Tolerances default per dtype
    (the less precise side's), as in `assert_almost_equal`.

    Parameters
    ----------
    sym : Symbol or list of Symbol
    ctx_list : list of dict
    scale : float
    grad_req : str or list of str or dict of str to str
    arg_params, aux_params : dict of str to np.ndarray, optional
        Input values to use (arg_params is filled in with the drawn ones, as MXNet).
    rtol, atol : None or float or dict of dtype to float
    raise_on_err : bool
        Raise on a mismatch (else print it and go on).
    ground_truth : dict of str to array, optional
        Outputs (and gradients) to compare against instead of the most precise executor's.
    equal_nan : bool
    use_uniform : bool
    rand_type : np.dtype
        Dtype the drawn inputs are cast to.

    Returns
    -------
    dict
        The ground truth: output name / argument name -> NDArray.
    """
    assert len(ctx_list) > 1
    if isinstance(sym, Symbol):
        sym = [sym] * len(ctx_list)
    else:
        assert len(sym) == len(ctx_list)
    output_names = sym[0].list_outputs()
    arg_names = sym[0].list_arguments()
    exe_list = []
    for s, ctx in zip(sym, ctx_list):
        assert s.list_arguments() == arg_names
        assert s.list_outputs() == output_names
        exe_list.append(s.simple_bind(grad_req=grad_req, **ctx))
    arg_params = {} if arg_params is None else arg_params
    aux_params = {} if aux_params is None else aux_params
    # random inputs in a deterministic (sorted) order, for reproducibility
    for n, arr in _sorted_items(exe_list[0].arg_dict):
        if n not in arg_params:
            if use_uniform:
                arg_params[n] = np.random.uniform(low=-0.92 * scale, high=0.92 * scale,
                                                  size=arr.shape).astype(rand_type)
            else:
                arg_params[n] = np.random.normal(size=arr.shape, scale=scale).astype(rand_type)
    for n in exe_list[0].aux_dict:
        aux_params.setdefault(n, 0)
    for exe in exe_list:
        for name, arr in exe.arg_dict.items():
            arr[:] = arg_params[name]
        for name, arr in exe.aux_dict.items():
            arr[:] = aux_params[name]
        if grad_req == 'add':
            for arr in exe.grad_arrays:
                if arr is not None:
                    arr[:] = 0
    # MXNet reads the outputs' dtypes from the bound (not yet computed) outputs; ours exist
    # after a forward, which the test below runs first anyway.
    for exe in exe_list:
        exe.forward(is_train=False)
    dtypes = [np.dtype(exe.outputs[0].dtype) for exe in exe_list]
    gt_idx = np.argmax(dtypes)          # the first executor with the most precise output
    gt = ground_truth
    if gt is None:
        gt = exe_list[gt_idx].output_dict.copy()
        if grad_req != 'null':
            gt.update(exe_list[gt_idx].grad_dict)
    for i, exe in enumerate(exe_list):
        if i == gt_idx:
            continue
        for name, arr in zip(output_names, exe.outputs):
            try:
                assert_almost_equal(arr, gt[name], rtol=rtol, atol=atol, equal_nan=equal_nan)
            except AssertionError as e:
                _report('Predict Err: ctx %d vs ctx %d at %s' % (i, gt_idx, name),
                        e, raise_on_err)
    if grad_req == 'null':
        return gt
    for exe in exe_list:
        exe.forward(is_train=True)
    if ground_truth is None:     # MXNet's outputs are overwritten in place by this forward
        gt.update(exe_list[gt_idx].output_dict)
    # the first executor's outputs, cast to the least precise dtype, are every head gradient
    least = [out.dtype for out in exe_list[0].outputs]
    for exe in exe_list:
        least = [_smaller_dtype(out.dtype, dt) for out, dt in zip(exe.outputs, least)]
    golden = [out.astype(dt).asnumpy() for out, dt in zip(exe_list[0].outputs, least)]
    for exe in exe_list:
        exe.backward([nd.array(g, ctx=out.context, dtype=out.dtype).tostype(out.stype)
                      for g, out in zip(golden, exe.outputs)])
    for i, exe in enumerate(exe_list):
        if i == gt_idx:
            continue
        for name, arr in zip(output_names + arg_names, exe.outputs + exe.grad_arrays):
            if gt[name] is None:
                assert arr is None
                continue
            gtarr = gt[name]
            try:
                rt, at = rtol, atol
                # float16 data: a float32 gradient (e.g. BatchNorm's gamma) gets float16's
                small_arr = _smaller_dtype(arr.dtype, dtypes[i])
                small_gt = _smaller_dtype(gtarr.dtype, dtypes[gt_idx])
                if small_arr != arr.dtype or small_gt != gtarr.dtype:
                    rt, at = get_tols(arr.astype(small_arr), gtarr.astype(small_gt), rtol, atol)
                assert_almost_equal(arr, gtarr, rtol=rt, atol=at, equal_nan=equal_nan)
            except AssertionError as e:
                _report('Train Err: {} {} ctx {} vs {} {} ctx {} at {}'.format(
                    np.dtype(arr.dtype).name, arr.context, i, np.dtype(gtarr.dtype).name,
                    gtarr.context, gt_idx, name), e, raise_on_err)
    return gt


def check_gluon_hybridize_consistency(net_builder, data_l, numpy_func=None, test_grad=True,
                                      rtol=1E-4, atol=1E-4):
    """Check that a HybridBlock gives the same outputs (and input gradients) hybridized and
    not, in NumPy mode, with the same parameters (the first build's, copied to the others).

    Parameters
    ----------
    net_builder : function
        Builds the block; called as net_builder(prefix='net_').
    data_l : list of mx.np.ndarray
        The inputs.
    numpy_func : function, optional
        A NumPy reference of the block's function, checked against the output.
    test_grad : bool
        Also compare the input gradients (backward of the output with itself as head).
    rtol, atol : float
    """
    from .numpy_extension import use_np
    return use_np(_hybridize_consistency)(net_builder, data_l, numpy_func, test_grad,
                                          rtol, atol)


def _hybridize_consistency(net_builder, data_l, numpy_func, test_grad, rtol, atol):
    from . import initializer

    class _NumpyParamDictInit(initializer.Initializer):
        """Initialize parameters from a dict of numpy arrays by name."""

        def __init__(self, np_params):
            super().__init__()
            self._np_params = np_params

        def _init_weight(self, name, arr):
            arr[()] = self._np_params[name]
    saved_out_np = saved_grad_np_l = params_init = None
    for hybridize in (False, True):
        for use_autograd in ((False, True) if test_grad else (False,)):
            net = net_builder(prefix='net_')
            net.initialize() if params_init is None else net.initialize(params_init)
            if hybridize:
                net.hybridize()
            in_data_l = [ele.copy() for ele in data_l]
            if use_autograd:
                for ele in in_data_l:
                    ele.attach_grad()
                with autograd.record():
                    out = net(*in_data_l)
                out.backward(out)
            else:
                out = net(*in_data_l)
            if params_init is None:
                params_init = _NumpyParamDictInit(
                    {k: v.data().asnumpy() for k, v in net.collect_params().items()})
            if saved_out_np is None:
                saved_out_np = out.asnumpy()
            else:
                assert_almost_equal(out.asnumpy(), saved_out_np, rtol=rtol, atol=atol)
            if use_autograd:
                if saved_grad_np_l is None:
                    saved_grad_np_l = [ele.grad.asnumpy() for ele in in_data_l]
                else:
                    for data, saved in zip(in_data_l, saved_grad_np_l):
                        assert_almost_equal(data.grad.asnumpy(), saved, rtol=rtol, atol=atol)
    if numpy_func is not None:
        numpy_out = numpy_func(*[ele.asnumpy() for ele in data_l])
        assert_almost_equal(saved_out_np, numpy_out, rtol=rtol, atol=atol)


def compare_ndarray_tuple(t1, t2, rtol=None, atol=None):
    """assert_almost_equal on two NDArrays or (nested) tuples of them; None skips."""
    if t1 is None or t2 is None:
        return
    if isinstance(t1, tuple):
        for s1, s2 in zip(t1, t2):
            compare_ndarray_tuple(s1, s2, rtol, atol)
    else:
        assert_almost_equal(t1, t2, rtol=rtol, atol=atol)


def _weight_and_grad(shape, dtype, stype, sparse_density):
    """(dense copy for opt1, array in `stype` for opt2), uniform random values."""
    from . import random
    from .test_utils import rand_ndarray
    ctx = default_context()
    if stype == 'default':
        b = random.uniform(shape=shape, ctx=ctx, dtype=dtype)
        return b.copyto(ctx), b
    if stype in ('row_sparse', 'csr'):
        b = rand_ndarray(shape, stype, density=sparse_density, dtype=dtype)
        return b.copyto(ctx).tostype('default'), b
    raise Exception("type not supported yet")  # pylint: disable=broad-exception-raised


def compare_optimizer(opt1, opt2, shape, dtype, w_stype='default', g_stype='default',
                      rtol=1e-4, atol=1e-5, compare_states=True, ntensors=1):
    """Run one update of opt1 and opt2 on the same random weight and gradient and compare
    states and weights (opt2 gets the `w_stype`/`g_stype` arrays, opt1 dense copies).

    Parameters
    ----------
    opt1, opt2 : Optimizer
    shape : tuple, or list of tuples for a multi-tensor update of opt2 (`ntensors` of them)
    dtype : numpy dtype
    w_stype, g_stype : 'default', 'row_sparse' or 'csr'
    rtol, atol : float
    compare_states : bool
    ntensors : int
    """
    from copy import deepcopy
    from . import random
    if not isinstance(shape, list):
        assert ntensors == 1
        w1, w2 = _weight_and_grad(shape, dtype, w_stype, 1)
        g1, g2 = _weight_and_grad(shape, dtype, g_stype, None)
        state1 = opt1.create_state_multi_precision(0, w1)
        state2 = opt2.create_state_multi_precision(0, w2)
        if compare_states:
            compare_ndarray_tuple(state1, state2)
        opt1.update_multi_precision(0, w1, g1, state1)
        opt2.update_multi_precision(0, w2, g2, state2)
        if compare_states:
            compare_ndarray_tuple(state1, state2, rtol=rtol, atol=atol)
        assert_almost_equal(w1, w2, rtol=rtol, atol=atol)
        return
    # multi-tensor: opt1 a tensor at a time (the reference), opt2 all at once
    ctx = default_context()
    w1, g1 = [], []
    for s in shape:
        w1.append(random.uniform(shape=s, ctx=ctx, dtype=dtype))
        g1.append(random.uniform(shape=s, ctx=ctx, dtype=dtype))
    w1, g1 = tuple(w1), tuple(g1)
    w2, g2 = deepcopy(w1), deepcopy(g1)
    state2 = [opt2.create_state_multi_precision(0, w2[i]) for i in range(ntensors)]
    opt2.update_multi_precision(list(range(ntensors)), w2, g2, state2)
    for i in range(ntensors):
        state1 = opt1.create_state_multi_precision(i, w1[i])
        opt1.update_multi_precision(i, w1[i], g1[i], state1)
        if compare_states:
            compare_ndarray_tuple(state1, state2[i], rtol, atol)
        compare_ndarray_tuple(w1[i], w2[i], rtol, atol)


def same_symbol_structure(sym1, sym2):
    """Whether the nodes of two symbols' graphs run the same operators, node by node (by
    position in the JSON; a longer graph's extra nodes are not looked at, as MXNet)."""
    nodes1 = json.loads(sym1.tojson())["nodes"]
    nodes2 = json.loads(sym2.tojson())["nodes"]
    return all(n1["op"] == n2["op"] for n1, n2 in zip(nodes1, nodes2))
