"""Write tests/golden/test_utils.npz from the real MXNet 1.9.1 (run with its interpreter).

    PY=$(../shared/tools/mxnet-ref.sh); $PY tools/golden_test_utils.py

Rows of tests/golden/test_utils_cases.py: what MXNet's assert_almost_equal says (the message
up to the arrays it prints), almost_equal/same, default tolerances per dtype pair, and the
shapes and arrays rand_shape_* / rand_ndarray draw after np.random.seed (they use numpy's
generator, so the draws are the same in regluon); check_symbolic_forward/backward and
check_consistency on the SYMBOLS of the cases module (MXNet's outputs and gradients, what
the checks return, their failure messages) and what the other helpers return.
"""
import contextlib
import io
import pathlib
import sys

import numpy as np
import mxnet as mx
from mxnet import test_utils as tu

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tests' / 'golden'))
import test_utils_cases as cases  # noqa: E402


def make(spec):
    vals, dtype, as_nd = spec
    if dtype is None:
        return vals
    a = np.array(vals, dtype=dtype)
    return mx.nd.array(a, dtype=dtype) if as_nd else a


def main():
    out = {}
    for i, (a, b, kw) in enumerate(cases.ASSERT_ALMOST_EQUAL):
        printed = io.StringIO()
        try:
            with contextlib.redirect_stdout(printed):
                tu.assert_almost_equal(make(a), make(b), **kw)
            out[f'aae{i}'] = np.array('ok')
        except AssertionError as e:
            out[f'aae{i}'] = np.array(str(e).split(' ACTUAL:')[0])
        out[f'aae{i}/stdout'] = np.array(printed.getvalue())
    for i, (a, b, kw) in enumerate(cases.ALMOST_EQUAL):
        out[f'ae{i}'] = np.array(tu.almost_equal(make(a), make(b), **kw))
        out[f'same{i}'] = np.array(tu.same(make(a), make(b)))
    for d1 in cases.TOL_DTYPES:
        for d2 in cases.TOL_DTYPES:
            out[f'tols/{d1}/{d2}'] = np.array(tu.get_tols(np.zeros(1, d1), np.zeros(1, d2),
                                                          None, None), np.float64)
    np.random.seed(cases.SHAPE_SEED)
    out['shape_nd'] = np.array(tu.rand_shape_nd(4))
    out['shape_nd0'] = np.array(tu.rand_shape_nd(6, dim=3, allow_zero_size=True))
    out['shape_2d'] = np.array(tu.rand_shape_2d())
    out['shape_3d'] = np.array(tu.rand_shape_3d(4, 5, 6))
    out['rand_ndarray'] = tu.rand_ndarray((3, 4)).asnumpy()
    out['rand_ndarray64'] = tu.rand_ndarray((2,), dtype='float64').asnumpy()
    out['random_arrays'] = np.stack(tu.random_arrays((2, 2), (2, 2)))
    symbolic(out)
    consistency(out)
    helpers(out)
    np.savez_compressed(ROOT / 'tests' / 'golden' / 'test_utils.npz', **out)
    print(f'wrote {len(out)} arrays', file=sys.stderr)


def symbolic(out):
    for name, (build, args, aux, _) in cases.SYMBOLS.items():
        sym = build(mx)
        _, out_shapes, _ = sym.infer_shape(**dict(args))
        loc, auxv, ograds = cases.symbol_inputs(np, name, out_shapes)
        # MXNet's values in float64: the expectations of the float32 and float64 checks
        f64 = {'dtype': np.float64}
        nd = {k: mx.nd.array(v, **f64) for k, v in loc.items()}
        grads = {k: mx.nd.zeros(v.shape, **f64) for k, v in loc.items()}
        exe = sym.bind(mx.cpu(), nd, args_grad=grads,
                       aux_states={k: mx.nd.array(v, **f64) for k, v in auxv.items()})
        fwd = [o.asnumpy() for o in exe.forward(is_train=False)]
        exe = sym.bind(mx.cpu(), nd, args_grad=grads,
                       aux_states={k: mx.nd.array(v, **f64) for k, v in auxv.items()})
        exe.forward(is_train=True)
        exe.backward([mx.nd.array(g, **f64) for g in ograds])
        for i, o in enumerate(fwd):
            out[f'sym/{name}/fwd{i}'] = o
        got = tu.check_symbolic_forward(sym, loc, fwd, aux_states=auxv or None)
        for i, o in enumerate(got):
            out[f'sym/{name}/fwd32_{i}'] = o.asnumpy()
        for k, g in grads.items():
            out[f'sym/{name}/grad/{k}'] = g.asnumpy()
        expected = {k: g.asnumpy() for k, g in grads.items()}
        for label, *_ in cases.GRAD_REQS:
            np.random.seed(cases.BACKWARD_SEED)
            location, aux_states, exp, req, dtype, tols = cases.backward_call(
                np, name, label, loc, auxv, expected)
            ret = tu.check_symbolic_backward(sym, location, ograds, exp, aux_states=aux_states,
                                             grad_req=req, dtype=dtype, **tols)
            for k, v in ret.items():
                out[f'sym/{name}/bwd/{label}/{k}'] = v.asnumpy()
    loc, _, _ = cases.symbol_inputs(np, 'elem', [])
    out['sym/elem/fwd64'] = tu.check_symbolic_forward(
        cases.sym_elem(mx), loc, [out['sym/elem/fwd0']], dtype=np.float64)[0].asnumpy()
    out['sym/simple_forward'] = tu.simple_forward(cases.sym_elem(mx), **loc)
    d, label = np.array(cases.SOFTMAX_DATA), np.array(cases.SOFTMAX_LABEL)
    exe = cases.sym_softmax(mx).bind(
        mx.cpu(), {'data': mx.nd.array(d), 'label': mx.nd.array(label)},
        args_grad={'data': mx.nd.zeros(d.shape)})
    exe.forward(is_train=True)
    exe.backward()
    out['sym/softmax/grad'] = exe.grad_dict['data'].asnumpy()
    np.random.seed(cases.BACKWARD_SEED)
    out['sym/softmax/bwd'] = tu.check_symbolic_backward(
        cases.sym_softmax(mx), [d, label], None, {'data': out['sym/softmax/grad']})[
            'data'].asnumpy()
    nan_args = ([np.array([-1.0, 1.0])], [np.array([np.nan, 0.0])])
    out['sym/nan'] = tu.check_symbolic_forward(cases.sym_log(mx), *nan_args,
                                               equal_nan=True)[0].asnumpy()
    out['fail/nan'], out['fail/nan/stdout'] = cases.failure(
        lambda: tu.check_symbolic_forward(cases.sym_log(mx), *nan_args))
    mul = cases.sym_mul(mx)
    a, b = np.array(cases.MUL_A), np.array(cases.MUL_B)
    ones = [np.ones((2, 2))]
    for key, fn in [
            ('fwd', lambda: tu.check_symbolic_forward(
                mul, [a, b], [np.array(cases.MUL_WRONG_OUT)])),
            ('fwd_dict', lambda: tu.check_symbolic_forward(
                mul, {'a': a, 'b': b}, {'prod_output': np.array(cases.MUL_WRONG_OUT)})),
            ('bwd', lambda: tu.check_symbolic_backward(
                mul, [a, b], ones, [b, np.array(cases.MUL_WRONG_GRAD_B)])),
            ('bwd_add', lambda: tu.check_symbolic_backward(
                mul, [a, b], ones, [b, np.array(cases.MUL_WRONG_GRAD_B)], grad_req='add')),
            ('bwd_null', lambda: tu.check_symbolic_backward(
                mul, [a, b], ones, [b, np.array(cases.MUL_WRONG_GRAD_B)],
                grad_req={'a': 'write', 'b': 'null'})),
            ('bad_keys', lambda: tu.check_symbolic_forward(mul, {'a': a, 'c': b}, [a])),
            ('bad_aux', lambda: tu.check_symbolic_forward(
                cases.sym_bn(mx), [np.ones((2, 3))] * 3, [a], aux_states={'x': a})),
            ('bad_req', lambda: tu.check_symbolic_backward(
                mul, [a, b], ones, [b, a], grad_req={'a': 'write', 'b': 'nope'}))]:
        np.random.seed(cases.BACKWARD_SEED)
        out[f'fail/{key}'], out[f'fail/{key}/stdout'] = cases.failure(fn)


def consistency(out):
    for label, name, _, kw, seed in cases.CONSISTENCY:
        np.random.seed(seed)
        gt = tu.check_consistency(cases.SYMBOLS[name][0](mx), cases.ctx_list(mx, label), **kw)
        for k, v in gt.items():     # a 'null' argument has no gradient array: None
            out[f'cons/{label}/{k}'] = np.array('None') if v is None else v.asnumpy()
    for raise_on_err, (msg, errs) in cases.consistency_failures(mx, np, tu).items():
        out[f'cons/fail/{raise_on_err}'] = msg
        out[f'cons/fail/{raise_on_err}/stdout'] = errs


def helpers(out):
    np.random.seed(cases.HELPER_SEED)
    x = np.arange(6, dtype=np.float32).reshape(2, 3)
    out['help/assign_each'] = tu.assign_each(x, lambda v: v * v + 1)
    out['help/assign_each_none'] = tu.assign_each(x, None)
    out['help/assign_each2'] = tu.assign_each2(x, x.T.copy().reshape(2, 3), lambda u, v: u - 2 * v)
    out['help/create_2d_tensor'] = tu.create_2d_tensor(3, 4).asnumpy()
    out['help/create_vector'] = tu.create_vector(5, dtype=np.int32).asnumpy()
    out['help/identity'] = tu.get_identity_mat(3).asnumpy()
    out['help/identity_batch'] = tu.get_identity_mat_batch(2).asnumpy()
    out['help/rand_coord_2d'] = np.array(tu.rand_coord_2d(0, 10, 5, 50))
    for i, (shape, axis, keep) in enumerate(cases.NP_REDUCE):
        a = np.random.normal(size=shape)
        out[f'help/np_reduce{i}'] = tu.np_reduce(a, axis, keep, np.sum)
        out[f'help/np_reduce_max{i}'] = tu.np_reduce(a, axis, keep, np.max)
    for i, (shape, like) in enumerate(cases.COLLAPSE):
        out[f'help/collapse{i}'] = tu.collapse_sum_like(np.random.normal(size=shape), like)
    out['help/eig2d'] = tu.new_matrix_with_real_eigvals_2d(3)
    out['help/eignd'] = tu.new_matrix_with_real_eigvals_nd((2, 2, 3, 3))
    out['help/orth'] = tu.new_orthonormal_matrix_2d(4)
    out['help/sym2d'] = tu.new_sym_matrix_with_real_eigvals_2d(3)
    out['help/symnd'] = tu.new_sym_matrix_with_real_eigvals_nd((2, 3, 3))
    out['help/mean_check'] = np.array([tu.mean_check(lambda n: np.random.normal(0.1, 1, n), m,
                                                     1.0, 10000) for m in (0, 0.1, 0.2)])
    out['help/var_check'] = np.array([tu.var_check(lambda n: np.random.normal(0, 1.1, n), s,
                                                   10000) for s in (1.0, 1.1, 1.2)])
    out['help/buckets'] = np.array(tu.gen_buckets_probs_with_ppf(lambda p: 2 * p - 1, 4)[0])
    a, b = mx.sym.Variable('a'), mx.sym.Variable('b')
    out['help/same_structure'] = np.array([
        tu.same_symbol_structure(a * b + 1, b * a + 2), tu.same_symbol_structure(a * b, a + b),
        tu.same_symbol_structure(mx.sym.relu(a), mx.sym.relu(a) * 2)])
    out['help/has_tvm_ops'] = np.array(tu.has_tvm_ops())
    out['help/is_op_runnable'] = np.array(tu.is_op_runnable())
    out['help/cc_error'] = np.array(tu_error(lambda: tu.get_cuda_compute_capability(mx.cpu())))
    np.random.seed(cases.HELPER_SEED)
    rsp, (val, idx) = tu.rand_sparse_ndarray((6, 2), 'row_sparse', density=0.5)
    out['sparse/rsp'], out['sparse/rsp_val'], out['sparse/rsp_idx'] = rsp.asnumpy(), val, idx
    out['sparse/rsp_zd'] = tu.create_sparse_array_zd((5, 3), 'row_sparse', 0.9,
                                                     rsp_indices=[3, 1]).asnumpy()
    out['sparse/rsp_mod'] = tu.rand_sparse_ndarray((4, 2), 'row_sparse', density=1.0,
                                                   modifier_func=lambda v: v * 10)[0].asnumpy()
    out['sparse/powerlaw'] = tu.rand_ndarray((5, 16), 'csr', density=0.5,
                                             distribution='powerlaw').asnumpy()
    out['sparse/errors'] = np.array([
        tu_error(lambda: tu.rand_sparse_ndarray((2, 2), 'csr', density=0.5, data_init=1)),
        tu_error(lambda: tu.rand_sparse_ndarray((2, 2), 'csr', density=2.0)),
        tu_error(lambda: tu.rand_sparse_ndarray((4, 4), 'csr', density=0.1,
                                                distribution='powerlaw')),
        tu_error(lambda: tu.create_sparse_array((2, 2), 'dense'))])


def tu_error(fn):
    try:
        fn()
    except Exception as e:  # pylint: disable=broad-except
        return f'{type(e).__name__}: {e}'
    return 'ok'


if __name__ == '__main__':
    main()
