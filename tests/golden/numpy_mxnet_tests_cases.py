"""Regressions from running MXNet 1.9.1's own tests/python/unittest/test_numpy_ndarray.py on
regluon (`mx.np` arrays: creation order, copy, format, multinomial, the gradients of bool
results, assignment under record). Each case runs under either library (`mx` is bound at
call time), in np mode, and returns a dict of values; tools/golden_cases.py
numpy_mxnet_tests stores MXNet's, tests/test_numpy_mxnet_tests.py compares regluon's."""
import numpy as onp

from case_tools import value as _val  # (shared with the other case lists)


def _try(fn):
    """fn()'s value, or the name of the exception it raises."""
    try:
        return _val(fn())
    except Exception as e:  # noqa: BLE001  (the type is the value under test)
        return onp.array(type(e).__name__), 'error'


def creation_order(mx):
    """Creation functions make C-ordered arrays only: order 'F'/'A'/'K'/other is a
    NotImplementedError (np.empty positionally too, as test_np_empty calls it)."""
    np = mx.np
    a = np.ones((2, 3), dtype='int32')
    out = {}
    for order in ['C', 'F', 'A', 'K', 'X']:
        calls = {'zeros': lambda: np.zeros((2, 3), order=order),
                 'ones': lambda: np.ones(4, 'int32', order),
                 'empty_pos': lambda: np.empty((0, 2), 'float16', order, None).shape,
                 'empty_ctx': lambda: np.empty(3, None, order, mx.cpu()).shape,
                 'empty_dtype': lambda: onp.dtype(np.empty((), 'int32', order=order).dtype).name,
                 'full': lambda: np.full((2,), 7, order=order),
                 'zeros_like': lambda: np.zeros_like(a, order=order),
                 'ones_like': lambda: np.ones_like(a, order=order),
                 'full_like': lambda: np.full_like(a, 5, order=order)}
        for name, fn in calls.items():
            out[f'{name}_{order}'] = _try(fn)
    return out


def ndarray_copy(mx):
    """ndarray.copy(order='C') only (others: NotImplementedError), a fresh array."""
    np = mx.np
    a = np.array([2, 3, 4, 5], dtype='int32')
    out = {f'copy_{o}': _try(lambda: a.copy(order=o)) for o in ['C', 'F', 'A', 'K']}
    out['copy_pos_F'] = _try(lambda: a.copy('F'))
    b = a.copy()
    b[0] = 9
    out['copy_fresh'] = _val(a)
    out['copy_value'] = _val(b)
    return out


def formatting(mx):
    """format(): a 0-d array formats its item; other arrays only with an empty spec
    (a spec: TypeError)."""
    np = mx.np
    out = {}
    arrays = {'f1': np.array([onp.pi]), 'f0': np.array(onp.pi), 'i3d': np.arange(8).reshape(2, 2, 2),
              'empty': np.array([]), 'i0': np.array(3, dtype='int32'), 'b0': np.array(True),
              'i1': np.array([2], dtype='int64')}
    specs = {'w30': '{:30}', 'g3': '{:0.3g}', 'plain': '{}', 'colon': '{:}', 'r': '{!r}',
             's': '{:s}', 'd': '{:d}', 'sr': '{!s:>12}', 'right': '{:>12}'}
    for an, arr in arrays.items():
        for sn, spec in specs.items():
            out[f'{an}_{sn}'] = _try(lambda: spec.format(arr))
    return out


def multinomial_rules(mx):
    """np.random.multinomial as MXNet's kernel: a draw goes to the first outcome whose
    running sum of pvals exceeds it, else to the last (so the last gets
    1 - sum(pvals[:-1])); a running sum (in pvals' dtype) over 1 + 1e-12 is an MXNetError,
    checked whenever the output is not empty; int64 counts of shape size + (len(pvals),)."""
    np = mx.np
    mn = np.random.multinomial
    out = {}
    sure = {'one_zero': [1.0, 0.0], 'zeros': [0.0, 0.0], 'zero_one': [0.0, 1.0],
            'single': [1.0], 'half_single': [0.5], 'negative_first': [-0.1, 0.5],
            'tuple': (0.0, 0.0, 1.0), 'int_array': np.array([1, 0], dtype='int32'),
            'empty_list': [],
            'empty_tuple': (), 'empty_array': np.array([])}
    for name, pv in sure.items():
        for sn, size in [('none', None), ('unit', ()), ('int', 3), ('tuple', (2, 1)),
                         ('zero', (0, 2))]:
            out[f'{name}_{sn}'] = _try(lambda: mn(40, pv, size=size))
    # (MXNet raises its errors at the next read: each value is read at once)
    bad = {'f32_sums_to_1': np.array([0.5, 0.50000006]), 'sum_1_1': [0.5, 0.6], 'last_counts': [0.3, 0.8], 'over_2': [2.0],
           'prefix': [0.2, 0.9, -0.3], 'prefix_array': np.array([0.2, 0.9, -0.3]),
           'f64_over': np.array([0.5, 0.50000006], dtype='float64'),
           'list_over': [0.5, 0.5000000001], 'list_within': [0.5, 0.5000000000001],
           'f16': np.array([0.25, 0.25, 0.5], dtype='float16'),
           'numpy_pvals': onp.array([0.5, 0.5]), 'nested': [[0.5, 0.5]],
           'two_d': np.array([[0.5, 0.5], [0.2, 0.8]]), 'zero_d': np.array(0.5),
           'float_pvals': 0.5}
    for name, pv in bad.items():
        out[f'{name}_sum'] = _try(lambda: mn(10, pv).sum())
        out[f'{name}_shape'] = _try(lambda: onp.array(mn(10, pv, size=(2,)).asnumpy().shape))
        out[f'{name}_empty'] = _try(lambda: mn(10, pv, size=(0,)))
    out['n0_over'] = _try(lambda: mn(0, [0.5, 0.6]))
    out['n0'] = _try(lambda: mn(0, [0.5, 0.5]))
    for name, n in [('float', 3.0), ('bool', True), ('np_int', onp.int64(3))]:
        out[f'n_{name}'] = _try(lambda: mn(n, [1.0, 0.0]))
    for name, size in [('neg', -1), ('neg_tuple', (2, -1)), ('np_int', onp.int64(2))]:
        out[f'size_{name}'] = _try(lambda: mn(3, [0.0, 1.0], size=size))
    # the last outcome takes the remainder: frequencies ~ [0.2, 0.8], rounded
    freq = mn(100000, [0.2, 0.2]).asnumpy() / 100000.
    out['remainder_freq'] = onp.round(freq, 1), 'ndarray'
    freq = mn(100000, np.array([0.1, 0.0, 0.3])).asnumpy() / 100000.
    out['remainder_freq_array'] = onp.round(freq, 1), 'ndarray'
    return out


def _grads(mx, fn, *inputs, req='write', hybrid=None):
    """fn(*inputs) recorded then .backward(): the result's dtype and the inputs' grads
    (which start at 7)."""
    np = mx.np
    xs = []
    for v in inputs:
        x = np.array(v)
        x.attach_grad(req)
        x.grad[:] = 7
        xs.append(x)
    if hybrid is not None:
        block = hybrid()
        block.hybridize()
        fn = block
    with mx.autograd.record():
        r = fn(*xs)
    r.backward()
    return [onp.dtype(r.dtype).name] + [x.grad.asnumpy() for x in xs]


def bool_result_grads(mx):
    """A recorded comparison (logical_not, isnan, ...: any bool result) backpropagates zero
    gradients into its array operands (a 'write' gradient becomes 0, an 'add' one stays),
    hybridized too; a second backward without retain_graph is an error."""
    np = mx.np
    x, y = [[1., 2.], [3., 4.]], [[2., 2.], [1., 5.]]
    out = {}
    binary = {'eq': lambda a, b: a == b, 'ne': lambda a, b: a != b,
              'gt': lambda a, b: a > b, 'ge': lambda a, b: a >= b,
              'lt': lambda a, b: a < b, 'le': lambda a, b: a <= b,
              'np_greater': np.greater, 'np_less_equal': np.less_equal}
    for name, f in binary.items():
        for req in ['write', 'add']:
            for i, v in enumerate(_grads(mx, f, x, y, req=req)):
                out[f'{name}_{req}_{i}'] = _val(v)
    scalar = {'gt_s': lambda a: a > 2, 'rge_s': lambda a: 2 >= a, 'eq_s': lambda a: a == 3,
              'logical_not': np.logical_not, 'isnan': np.isnan, 'isinf': np.isinf,
              'isfinite': np.isfinite}
    for name, f in scalar.items():
        for i, v in enumerate(_grads(mx, f, x)):
            out[f'{name}_{i}'] = _val(v)

    @mx.util.use_np
    class Cmp(mx.gluon.HybridBlock):
        def hybrid_forward(self, F, a, b):  # pylint: disable=arguments-differ
            return a > b

    @mx.util.use_np
    class CmpScalar(mx.gluon.HybridBlock):
        def hybrid_forward(self, F, a):  # pylint: disable=arguments-differ
            return a <= 2

    for i, v in enumerate(_grads(mx, None, x, y, hybrid=Cmp)):
        out[f'hybrid_{i}'] = _val(v)
    for i, v in enumerate(_grads(mx, None, x, hybrid=CmpScalar)):
        out[f'hybrid_scalar_{i}'] = _val(v)

    a = np.array(x)
    a.attach_grad()
    with mx.autograd.record():
        r = a > 2
    r.backward(retain_graph=True)
    out['retained_again'] = _try(lambda: r.backward() or a.grad)
    out['freed_again'] = _try(lambda: r.backward() or a.grad)
    b = np.array(x)                     # no array needs a gradient: nothing recorded
    with mx.autograd.record():
        r = b > 2
    out['no_variable'] = _try(r.backward)
    a.grad[:] = 7
    with mx.autograd.record():          # the bool result only feeds a float one
        s = (a > 2) * a
    s.backward()
    out['through_mask'] = _val(a.grad)
    return out


def setitem_recorded_into_int(mx):
    """Writing a recorded value into part of an integer array inside record(): an
    MXNetError (MXNet's in-place refusal); outside record() the value is cast."""
    np = mx.np
    out = {}
    for name, key in [('row', 1), ('element', (1, 2)), ('column', (slice(None), 1)),
                      ('rows', np.array([1], dtype='int64')), ('list', [0, 1]),
                      ('mask', np.array([True, False]))]:
        x = np.array(onp.arange(6).reshape(2, 3), dtype='int32')
        y = np.array(onp.full(x[key].shape, 2.5))
        y.attach_grad()

        def assign():
            with mx.autograd.record():
                x[key] = y
        out[f'{name}_recorded'] = _try(assign)
        x[key] = y
        out[f'{name}_plain'] = _val(x)
    return out


CASES = {f.__name__: f for f in [creation_order, ndarray_copy, formatting, multinomial_rules,
                                  bool_result_grads, setitem_recorded_into_int]}

NP_MODE = True      # the cases run in np mode (case_tools.run)
