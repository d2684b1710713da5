"""Regressions from running MXNet 1.9.1's own tests/python/unittest/test_numpy_op.py on
regluon (the math and shape functions of `mx.np`). Each case runs under either library
(`mx` is bound at call time), in np mode, and returns a dict of values;
tools/golden_cases.py numpy_compat_math stores MXNet's, tests/test_numpy_compat_math.py compares
regluon's with them."""
import numpy as onp

from case_tools import value as _val  # (shared with the other case lists)


def _err(fn):
    """The name of the exception `fn()` raises ('none' if it returns)."""
    try:
        fn()
    except Exception as e:  # noqa: BLE001  (the type is the value under test)
        return onp.array(type(e).__name__), 'error'
    return onp.array('none'), 'error'


def ufunc_keywords(mx):
    """NumPy's ufunc keywords: only their defaults (else NotImplementedError/TypeError);
    two Python numbers give NumPy's scalar; out= is written and returned, never cast."""
    np = mx.np
    x = np.array([1., float('nan'), -2.])
    i = np.array([3, 5], dtype='int32')
    out = {}
    calls = {'exp': (x,), 'absolute': (x,), 'isnan': (x,), 'add': (x, x),
             'arctan2': (x, x), 'bitwise_and': (i, i), 'invert': (i,), 'ldexp': (x, x)}
    for name, args in calls.items():
        f = getattr(np, name)
        for k, v in [('where', False), ('subok', False), ('dtype', onp.int8),
                     ('dtype', 'abcdefg'), ('casting', 'safe'), ('casting', 'mxnet'),
                     ('order', 'C'), ('where', True), ('casting', 'same_kind'), ('bogus', 1)]:
            out[f'{name}_{k}_{v}'] = _err(lambda: f(*args, **{k: v}))
    out['equal_where'] = _err(lambda: np.equal(x, x, where=True))
    for name, args in {'add': (1, 2), 'true_divide': (1, 2), 'power': (2., 3),
                       'maximum': (1, 2.5), 'arctan2': (1., 2.), 'bitwise_and': (6, 3),
                       'ldexp': (1.5, 2), 'exp': (1,), 'isnan': (float('nan'),),
                       'sqrt': (4,), 'invert': (5,)}.items():
        out[f'{name}_scalars'] = _val(getattr(np, name)(*args))
    for name, args in {'exp': (x,), 'add': (x, x), 'multiply': (x, 2.),
                       'hypot': (x, x)}.items():
        o = np.zeros(3)
        r = getattr(np, name)(*args, out=o)
        out[f'{name}_out'] = _val(o)
        out[f'{name}_out_is'] = _val(r is o)
    o = np.zeros(3, dtype='bool')
    out['isnan_out'] = _val(np.isnan(x, o))
    out['isnan_out_float'] = _err(lambda: np.isnan(x, out=np.zeros(3)))
    out['add_out_bool'] = _err(lambda: np.add(x, x, out=np.zeros(3, dtype='bool')))
    return out


def _try(fn):
    """fn()'s value, or the name of the exception it raises."""
    try:
        return _val(fn())
    except Exception as e:  # noqa: BLE001
        return onp.array(type(e).__name__), 'error'


def _many(out, label, fn):
    """A tuple/list result as out[label_i]."""
    try:
        res = [_val(r) for r in fn()]         # MXNet raises some errors at asnumpy()
    except Exception as e:  # noqa: BLE001
        out[label] = onp.array(type(e).__name__), 'error'
        return
    out[label + '_n'] = _val(len(res))
    for i, r in enumerate(res):
        out[f'{label}_{i}'] = r


def creation(mx):
    """full with an array or bool value, empty_like's NumPy signature, arange(step=None),
    eye's negative sizes."""
    np = mx.np
    out = {}
    out['full_arr'] = _try(lambda: np.full((2, 3), np.array([1., 2., 3.])))
    out['full_arr_int'] = _try(lambda: np.full((2, 3), np.array([1, 2, 3], dtype='int32')))
    out['full_0d_int'] = _try(lambda: np.full((2,), np.array(5, dtype='int32')))
    out['full_arr_dtype'] = _try(lambda: np.full((2, 3), np.array([1.5, 2., 3.]),
                                                 dtype='int32'))
    out['full_bool'] = _try(lambda: np.full((2,), True))
    out['full_int'] = _try(lambda: np.full((2,), 5))
    out['full_dtype'] = _try(lambda: np.full((2,), 2.7, dtype='int32'))
    a = np.array([1., 2., 3.])
    out['empty_like_shape'] = _try(lambda: np.empty_like(a, 'int32', 'C', False).shape)
    out['empty_like_dtype'] = _try(lambda: str(np.empty_like(a, dtype='int32').dtype))
    out['empty_like_subok'] = _try(lambda: np.empty_like(a, subok=True))
    out['empty_like_order'] = _try(lambda: np.empty_like(a, order='F'))
    out['empty_like_newshape'] = _try(lambda: np.empty_like(a, shape=(2,)))
    out['empty_like_ctx'] = _try(lambda: np.empty_like(a, ctx=mx.cpu()))
    out['arange_step_none'] = _try(lambda: np.arange(1, 5, None))
    out['arange_stop_none'] = _try(lambda: np.arange(10, None, 2))
    out['eye_neg_m'] = _try(lambda: np.eye(3, -1))
    out['eye_neg_n'] = _try(lambda: np.eye(-1))
    out['eye_k_out'] = _try(lambda: np.eye(3, 4, -5))
    out['eye_0'] = _try(lambda: np.eye(3, 0))
    return out


def shapes(mx):
    """broadcast_to's -2 (that axis of the array), squeeze/transpose of 0-d arrays,
    transpose's axis errors, tile with zero reps, tril of 1-D, split of an empty axis."""
    np = mx.np
    out = {}
    a = np.array(onp.arange(5, dtype='float32'))
    s = np.array(3.0)
    out['bt_m2'] = _try(lambda: np.broadcast_to(a, (3, 4, -2)))
    out['bt_0_m2'] = _try(lambda: np.broadcast_to(a, (0, -2)))
    out['bt_10'] = _try(lambda: np.broadcast_to(np.zeros((1, 0)), (2, -2, -2)))
    out['bt_34'] = _try(lambda: np.broadcast_to(np.ones((3, 4)), (1, 0, -2, 4)))
    out['bt_m1'] = _try(lambda: np.broadcast_to(a, (3, -1)))
    for ax in [None, -1, 0, 1]:
        out[f'squeeze_0d_{ax}'] = _try(lambda: np.squeeze(s, ax))
    out['squeeze_axes'] = _try(lambda: np.squeeze(np.zeros((1, 0, 1, 1)), (-1, -4)))
    out['squeeze_not1'] = _try(lambda: np.squeeze(np.zeros((1, 2)), 1))
    m = np.array(onp.arange(6, dtype='float32').reshape(2, 3))
    out['tr_0d'] = _try(lambda: np.transpose(s))
    out['tr_0d_empty'] = _try(lambda: np.transpose(s, ()))
    out['tr_meth_none'] = _try(lambda: m.transpose(None))
    out['tr_neg'] = _try(lambda: np.transpose(m, (-1, 0)))
    out['tr_list'] = _try(lambda: np.transpose(m, [1, 0]))
    out['tr_empty_axes'] = _try(lambda: np.transpose(m, []))
    out['tr_repeat'] = _try(lambda: np.zeros((3, 4, 5)).transpose((0, 0, 1)))
    out['tr_range'] = _try(lambda: np.zeros((3, 4, 5)).transpose((0, 1, 3)))
    out['tile_0d_0'] = _try(lambda: np.tile(s, 0))
    out['tile_0d_empty'] = _try(lambda: np.tile(s, ()))
    out['tile_02'] = _try(lambda: np.tile(m, (0, 2)))
    out['tile_201'] = _try(lambda: np.tile(m, (2, 0, 1)))
    out['tile_neg'] = _try(lambda: np.tile(m, -1))
    for k in [0, 1, -1]:
        out[f'tril_1d_{k}'] = _try(lambda: np.tril(a, k))
    out['tril_0d'] = _try(lambda: np.tril(s))
    _many(out, 'vsplit_empty', lambda: np.vsplit(np.zeros((0, 3)), 7))
    _many(out, 'split_empty', lambda: np.split(np.zeros((0, 3)), 7))
    _many(out, 'hsplit_empty', lambda: np.hsplit(np.zeros((2, 0)), 3))
    _many(out, 'vsplit_idx', lambda: np.vsplit(np.ones((4, 3)), [1, 3]))
    return out


def clip_pad(mx):
    """clip with one bound None; pad's edge/reflect/symmetric/minimum/maximum modes, also
    with widths beyond an axis' length."""
    np = mx.np
    out = {}
    a = np.array([0., 1., 2., 3., 4.])
    out['clip_lo_none'] = _try(lambda: np.clip(a, None, 3))
    out['clip_hi_none'] = _try(lambda: np.clip(a, 1, None))
    out['clip_both_none'] = _try(lambda: np.clip(a, None, None))
    out['clip_int'] = _try(lambda: np.clip(np.array([1, 5, 9], dtype='int32'), 2.5, 7.5))
    x = np.array(onp.random.RandomState(0).uniform(-1, 1, (2, 3)).astype('float32'))
    i = np.array([[1, 5, 2], [7, 0, 3]], dtype='int8')
    for mode in ['constant', 'edge', 'reflect', 'symmetric', 'minimum', 'maximum']:
        for w in [(2, 3), (1, 0), (5, 7)]:
            out[f'pad_{mode}_{w[0]}{w[1]}'] = _try(lambda: np.pad(x, (w, w), mode=mode))
        out[f'pad_{mode}_int8'] = _try(lambda: np.pad(i, ((2, 3), (2, 3)), mode=mode))
        out[f'pad_{mode}_1x5'] = _try(lambda: np.pad(np.ones((1, 5)), ((2, 3), (2, 3)),
                                                     mode=mode))
    return out


def memory_index(mx):
    """may_share_memory/shares_memory check memory bounds; non-contiguous slices are
    copies, as in MXNet; unravel_index keeps the index dtype."""
    np = mx.np
    out = {}
    x = np.zeros((5, 4, 3))
    for name in ['may_share_memory', 'shares_memory']:
        f = getattr(np, name)
        out[f'{name}_rows'] = _val(f(x[0], x[1]))
        out[f'{name}_cols'] = _val(f(x[2:5, 0, 0], x[3:4, 0, 0]))
        out[f'{name}_inner'] = _val(f(x[0, 0, 0:2], x[0, 0, 1:3]))
        out[f'{name}_apart'] = _val(f(x[0, 1, 0:2], x[0, 2, 0:2]))
        out[f'{name}_self'] = _val(f(x, x[1]))
        out[f'{name}_empty'] = _val(f(x, np.ones((5, 0))))
    for key, label in [((slice(None), 1), 'col'), (1, 'row'), (slice(1, 3), 'rows'),
                       ((slice(1, 3), slice(1, 2)), 'block'), (slice(None, None, 2), 'step'),
                       ((0, slice(1, 3)), 'row_part')]:
        y = np.zeros((3, 4))
        v = y[key]
        v[...] = 5
        out[f'write_{label}'] = _val(y)
    idx = np.array([5, 7], dtype='int32')
    _many(out, 'unravel_int32', lambda: np.unravel_index(idx, (2, 4)))
    _many(out, 'unravel_intshape', lambda: np.unravel_index(idx.astype('int64'), 8))
    _many(out, 'unravel_2d', lambda: np.unravel_index(
        np.array([[5, 7], [0, 1]], dtype='int64'), (2, 4)))
    _many(out, 'unravel_F', lambda: np.unravel_index(idx, (2, 4), order='F'))
    _many(out, 'unravel_oob', lambda: np.unravel_index(np.array([9], dtype='int64'), (2, 4)))
    _many(out, 'unravel_float', lambda: np.unravel_index(np.array([5.]), (2, 4)))
    return out


def reductions(mx):
    """any/all of 0-d arrays, around of ints with negative decimals (cut toward zero),
    cumsum summed in the output dtype (float16 rounded per step), var/std of ints with an
    integer mean and nan/inf where n <= ddof."""
    np = mx.np
    out = {}
    for dt in ['int8', 'uint8', 'float32', 'bool']:
        for v in [0, 3]:
            x = np.array(v, dtype=dt)
            out[f'any_0d_{dt}_{v}'] = _try(lambda: np.any(x))
            out[f'all_0d_{dt}_{v}'] = _try(lambda: np.all(x, keepdims=True))
            out[f'any_0d_axes_{dt}_{v}'] = _try(lambda: np.any(x, axis=()))
    out['sum_0d_dtype'] = _try(lambda: np.sum(np.array(3, dtype='int8'), dtype='float32'))
    i = np.array([123, 125, 135, -125, -135, 5, 15, 1234567, 0, 199, -199], dtype='int32')
    for d in [-1, -2, -3, 0, 2]:
        out[f'around_int32_{d}'] = _try(lambda: np.around(i, d))
        out[f'round_int64_{d}'] = _try(lambda: np.round(i.astype('int64'), d))
    out['around_scalar'] = _try(lambda: np.around(2.5))
    f = np.array([1.25, 2.5, 0.125, 1234.5678, -3.45, 2.675])
    for d in [-2, -1, 0, 1]:
        out[f'around_float_{d}'] = _try(lambda: np.around(f, d))
    x = np.array(onp.random.RandomState(0).uniform(-1, 1, (2, 3, 4)).astype('float16'))
    for ax in [None, 0, 2]:
        for dt in [None, 'float32', 'float64']:
            out[f'cumsum_f16_{ax}_{dt}'] = _try(lambda: np.cumsum(x, axis=ax, dtype=dt))
    for it in ['bool', 'int8', 'int32']:
        for dt in [None, 'int32', 'int64', 'float32']:
            out[f'cumsum_{it}_{dt}'] = _try(
                lambda: np.cumsum(np.array([1, 0, 1, 1], dtype=it), dtype=dt))
    out['cumsum_int8_wrap'] = _try(lambda: np.cumsum(np.array([100, 100], dtype='int8')))
    m = np.array([[1., 2.], [3., 5.]])
    im = np.array([[1, 2], [3, 5]], dtype='int32')
    for f in ['var', 'std']:
        for ddof in [0, 1, 2]:
            out[f'{f}_noaxes_{ddof}'] = _try(lambda: getattr(np, f)(m, axis=(), ddof=ddof))
            out[f'{f}_0_{ddof}'] = _try(lambda: getattr(np, f)(m, axis=0, ddof=ddof))
            out[f'{f}_all_{ddof}'] = _try(lambda: getattr(np, f)(m, ddof=ddof, keepdims=True))
            out[f'{f}_0d_{ddof}'] = _try(lambda: getattr(np, f)(np.array(2.), ddof=ddof))
            out[f'{f}_int_f32_{ddof}'] = _try(
                lambda: getattr(np, f)(im, axis=0, ddof=ddof, dtype='float32'))
            if ddof < 2:                     # MXNet 1.9.1 dies on an int division by 0
                out[f'{f}_int_{ddof}'] = _try(lambda: getattr(np, f)(im, axis=0, ddof=ddof))
            out[f'{f}_meth_f16_{ddof}'] = _try(
                lambda: getattr(m, f)(axis=1, ddof=ddof, dtype='float16'))
    return out


def linspace_insert(mx):
    """linspace's MXNet-only rules (retstep is (stop-start)/(num-1), axis 0 only, num a
    non-negative int); insert with int, list, array and slice positions."""
    np = mx.np
    out = {}
    for cfg in [(0.0, 1.0, 10), (-2, 4, 30), (2, 10, 12)]:
        for dt in ['int32', 'float16', None]:
            for ep in [False, True]:
                key = f'linspace_{cfg[1]}_{cfg[2]}_{dt}_{ep}'
                out[key] = _try(lambda: np.linspace(*cfg, endpoint=ep, dtype=dt))
                out[key + '_step'] = _try(
                    lambda: np.linspace(*cfg, endpoint=ep, retstep=True, dtype=dt)[1])
    out['linspace_neg_num'] = _try(lambda: np.linspace(0, 10, -1))
    out['linspace_float_num'] = _try(lambda: np.linspace(0, 1, 2.5))
    out['linspace_axis1'] = _try(lambda: np.linspace(0, 1, 3, axis=1))
    out['linspace_num0'] = _try(lambda: np.linspace(0, 1, 0))
    rs = onp.random.RandomState(1)
    a = np.array(rs.uniform(-10, 10, (3, 2)).astype('float32'))
    ai = a.astype('int32')
    h = np.array(rs.uniform(-10, 10, (2, 2, 3, 8)).astype('float32'))
    cases = [(a, -6, (2,), None), (a, 6, (1,), None), (a, -4, 1, None), (a, [-6], (2,), None),
             (a, [3], (2,), None), (a, -3, (2, 2), 0), (a, 2, (3, 1), 0), (a, [1], (2, 2), 0),
             (a, [-1], (3, 1), 0), (a, 0, (1,), 0), (a, -2, (2, 3), 1), (a, [2], (3, 2), 1),
             (a, 1, (3, 1), 1), (a, [0, 2, 1], (3, 1), 1), (a, [-1, 1, 1], (1,), 0),
             (a, slice(0, 3), (3, 1), 1), (a, slice(0, 3), (1,), 0), (a, slice(None, None, -1),
             (3, 1), 1), (a, slice(5, 0), (3, 1), 1), (a, slice(-3, 5, 2), (3, 1), 1),
             (h, 0, (2, 3), 3), (h, [1], (1,), 2), (h, [5, 0, 8, -3, 2], (1,), 3),
             (ai, 1, (2,), None), (ai, [0, 2], (3, 1), 1), (a, 9, (1,), None)]
    for k, (arr, obj, vs, axis) in enumerate(cases):
        v = 3.3 if vs == 1 else np.array(rs.uniform(-10, 10, vs).astype('float32'))
        o = np.array(obj, dtype='int64') if isinstance(obj, list) else obj
        out[f'insert_{k}'] = _try(lambda: np.insert(arr, o, v, axis=axis))
    return out


def average_quantile(mx):
    """average: integer results, a 0-d sum of weights for 1-D or no weights, a list with
    `returned`, out=, same-dtype weights; quantile/percentile: interpolation modes, tuple
    axes, float32 results for float16/int input, ValueError for q out of range."""
    np = mx.np
    out = {}
    q = np.array([[1., 7, 3, 4], [2, 5, 9, 6]])
    w2 = np.array([[1., 2, 3, 4], [1, 1, 1, 1]])
    w1 = np.array([1., 2, 3, 4])
    for label, kw in [('w1_ax1', dict(axis=1, weights=w1)), ('w2_ax1', dict(axis=1, weights=w2)),
                      ('w2_ax0', dict(axis=0, weights=w2)), ('w2_none', dict(weights=w2)),
                      ('w2_ax01', dict(axis=(0, 1), weights=w2)), ('ax1', dict(axis=1)),
                      ('none', {}), ('neg', dict(axis=-1, weights=w1))]:
        _many(out, f'average_ret_{label}', lambda: np.average(q, returned=True, **kw))
        out[f'average_ret_{label}_type'] = _try(
            lambda: type(np.average(q, returned=True, **kw)).__name__)
        out[f'average_{label}'] = _try(lambda: np.average(q, **kw))
    out['average_int'] = _try(lambda: np.average(np.array([1, 2, 4], dtype='int32')))
    out['average_int_ax'] = _try(lambda: np.average(np.array([[1, 2], [4, 7]], dtype='int64'),
                                                    axis=0))
    out['average_int_w'] = _try(lambda: np.average(np.array([1, 2, 4], dtype='int32'),
                                                   weights=np.array([1., 1, 2])))
    out['average_f64_w32'] = _try(lambda: np.average(q.astype('float64'), axis=0,
                                                     weights=np.array([2., 3.])))
    out['average_f16'] = _try(lambda: np.average(q.astype('float16'), axis=0))
    out['average_w_shape'] = _try(lambda: np.average(q, weights=np.ones(3)))
    o = np.zeros(4)
    out['average_out'] = _try(lambda: np.average(q, axis=0, out=o))
    out['average_out_buf'] = _val(o)
    out['average_0d'] = _try(lambda: np.average(np.array(3.0)))
    qs = np.array([0.1, 0.5, 0.77])
    for mode in ['linear', 'lower', 'higher', 'midpoint', 'nearest']:
        out[f'quantile_{mode}'] = _try(lambda: np.quantile(q, qs, axis=1, interpolation=mode,
                                                           keepdims=True))
        out[f'percentile_{mode}'] = _try(lambda: np.percentile(q, 40, interpolation=mode))
        out[f'percentile_ax0_{mode}'] = _try(
            lambda: np.percentile(q, np.array([10., 60]), axis=0, interpolation=mode))
    out['quantile_bad_mode'] = _try(lambda: np.quantile(q, 0.5, interpolation='bad'))
    out['quantile_q_gt1'] = _try(lambda: np.quantile(q, 1.5))
    out['quantile_q_neg'] = _try(lambda: np.quantile(q, np.array([-0.5, 0.5])))
    out['percentile_q_gt100'] = _try(lambda: np.percentile(q, 150))
    out['quantile_int'] = _try(lambda: np.quantile(np.array([1, 2, 3, 4], dtype='int32'), 0.4))
    out['quantile_f16'] = _try(lambda: np.quantile(np.array([1., 3, 2], dtype='float16'), 0.5))
    out['quantile_axes'] = _try(lambda: np.quantile(q, 0.4, axis=(0, 1)))
    out['quantile_axes_kd'] = _try(lambda: np.quantile(q, qs, axis=(1,), keepdims=True))
    out['quantile_overwrite'] = _try(lambda: np.quantile(q, 0.5, overwrite_input=True))
    out['percentile_q2d'] = _try(lambda: np.percentile(q, np.array([[10., 50], [20, 30]])))
    o = np.zeros(2)
    out['quantile_out'] = _try(lambda: np.quantile(q, 0.5, axis=1, out=o))
    out['quantile_out_buf'] = _val(o)
    return out


def take_resize(mx):
    """take with a negative axis (the output shape was built from the wrong axis);
    resize of an empty array gives zeros; roll with one shift for several axes."""
    np = mx.np
    out = {}
    rs = onp.random.RandomState(2)
    x = np.array(rs.normal(size=(2, 3, 4)).astype('float32'))
    idx = np.array(rs.randint(-10, 10, (2, 2)))
    for axis in [-3, -2, -1, 0, 2, None]:
        for mode in ['clip', 'wrap']:
            out[f'take_{axis}_{mode}'] = _try(lambda: np.take(x, idx, axis=axis, mode=mode))
    out['take_bad_axis'] = _try(lambda: np.take(x, idx, axis=3, mode='clip'))
    out['resize_empty'] = _try(lambda: np.resize(np.zeros((2, 0, 1)), (2, 2)))
    out['resize_empty3'] = _try(lambda: np.resize(np.zeros((2, 0, 1), dtype='int32'), (3, 4, 5)))
    out['resize_int'] = _try(lambda: np.resize(np.array([1, 2], dtype='int32'), 5))
    out['resize_0d'] = _try(lambda: np.resize(np.ones(1), ()))
    r = np.array(onp.arange(24, dtype='float32').reshape(2, 3, 4))
    for k, (shift, axis) in enumerate([(1, (0, 1)), ((1, -2), (0, 2)), (3, None), (-5, None),
                                       ((1,), (0, 1)), (0, 1), (2, -1), ((3,), None)]):
        out[f'roll_{k}'] = _try(lambda: np.roll(r, shift, axis))
    return out


def scalar_rules(mx):
    """MXNet's dtype rules found by a sweep against it: x mod 0 is 0 (floats and ints);
    a bool array compares with a number as a bool; where(c, bool, number) stays bool;
    -bool is int64; copysign/hypot/arctan2 with a number keep the array's dtype (float16
    too); copysign of ints stays int; trace keeps an integer dtype; count_nonzero without
    axis is a Python int."""
    np = mx.np
    out = {}
    f = np.array([1.5, -2., 3., 0.])
    z = np.array([0., 0., 2., 0.])
    i = np.array([3, -4, 5, 0], dtype='int32')
    iz = np.array([0, 3, 0, 2], dtype='int32')
    out['mod_f0'] = _try(lambda: np.mod(f, z))
    out['mod_f0s'] = _try(lambda: np.mod(f, 0.))
    out['rmod_f'] = _try(lambda: np.mod(2., z))
    out['mod_i0'] = _try(lambda: np.mod(i, iz))
    out['mod_i0s'] = _try(lambda: np.mod(i, 0))
    out['rmod_i'] = _try(lambda: np.mod(7, iz))
    out['op_mod_f'] = _try(lambda: f % z)
    out['op_mod_i'] = _try(lambda: i % iz)
    out['remainder_i'] = _try(lambda: np.remainder(i, iz))
    out['mod_signs'] = _try(lambda: np.mod(np.array([-7., 7.]), np.array([3., -3.])))
    out['mod_signs_i'] = _try(lambda: np.mod(np.array([-7, 7], dtype='int32'),
                                             np.array([3, -3], dtype='int32')))
    b = np.array(onp.array([[1.5, 2.], [0., 3.]]).astype('bool'))
    for s in [2, 0, 2.5, 0.5, True, -1]:
        out[f'eq_bool_{s}'] = _try(lambda: b == s)
        out[f'equal_bool_{s}'] = _try(lambda: np.equal(s, b))
        out[f'lt_bool_{s}'] = _try(lambda: b < s)
        out[f'ge_bool_{s}'] = _try(lambda: np.greater_equal(b, s))
        out[f'ne_bool_{s}'] = _try(lambda: np.not_equal(s, b))
        out[f'where_bool_{s}'] = _try(lambda: np.where(b, b, s))
        out[f'where_bool2_{s}'] = _try(lambda: np.where(b, s, b))
    out['neg_bool'] = _try(lambda: -b)
    h = np.array([1., -2.], dtype='float16')
    for name in ['copysign', 'hypot', 'arctan2']:
        for s in [-1, 2.5, -0.5]:
            out[f'{name}_i_{s}'] = _try(lambda: getattr(np, name)(i, s))
            out[f'r{name}_i_{s}'] = _try(lambda: getattr(np, name)(s, i))
            out[f'{name}_f16_{s}'] = _try(lambda: getattr(np, name)(h, s))
    out['copysign_ii'] = _try(lambda: np.copysign(i, iz))
    out['copysign_i8'] = _try(lambda: np.copysign(i.astype('int8'), iz.astype('int8')))
    for dt in ['int8', 'uint8', 'int32', 'int64', 'float16']:
        out[f'trace_{dt}'] = _try(lambda: np.trace(np.ones((2, 2), dtype=dt)))
    out['count_nonzero'] = _try(lambda: np.count_nonzero(i))
    out['count_nonzero_ax'] = _try(lambda: np.count_nonzero(np.array([[1, 0], [2, 3]]),
                                                            axis=0))
    return out


def signatures(mx):
    """Parameter names and orders of MXNet 1.9.1's mx.np: max/min/any/all take
    (a, axis, keepdims, out) (their methods (axis, out, keepdims)), mean (a, axis, dtype,
    out, keepdims); out= for copy/take/trace/flip/squeeze/reshape/vstack/hstack; the
    stacks' `arrays`; count_nonzero's keepdims, array_equal's equal_nan; indices is
    int32 and honours dtype; astype's order/casting/subok."""
    np = mx.np
    out = {}
    x = np.array([[3., 1.], [2., 5.]])
    out['max_pos'] = _try(lambda: np.max(x, 0, True))
    out['min_pos'] = _try(lambda: np.min(x, 1, True))
    out['amax_pos'] = _try(lambda: np.amax(x, 1, False))
    out['any_pos'] = _try(lambda: np.any(x, 1, True))
    out['all_pos'] = _try(lambda: np.all(x, 0, True))
    out['mean_pos'] = _try(lambda: np.mean(x, 0, None, None, True))
    o = np.zeros(2)
    out['mean_pos_out'] = _try(lambda: np.mean(x, 0, None, o))
    out['mean_pos_out_buf'] = _val(o)
    out['meth_max_pos'] = _try(lambda: x.max(0, None, True))
    out['meth_all_pos'] = _try(lambda: x.all(1, None, True))
    out['meth_mean_pos'] = _try(lambda: x.mean(0, None, None, True))
    for name, call in [('take', lambda o: np.take(x, np.array([0, 1]), 0, 'clip', o)),
                       ('copy', lambda o: np.copy(x, o)),
                       ('flip', lambda o: np.flip(x, 0, o)),
                       ('squeeze', lambda o: np.squeeze(x, None, o)),
                       ('reshape', lambda o: np.reshape(x, (2, 2), 'C', o)),
                       ('trace', lambda o: np.trace(x, out=o))]:
        o = np.zeros(()) if name == 'trace' else np.zeros((2, 2))
        out[f'{name}_out_is'] = _try(lambda: call(o) is o)
        out[f'{name}_out'] = _val(o)
    o = np.zeros((4, 2))
    out['vstack_out'] = _try(lambda: np.vstack([x, x], out=o))
    out['vstack_kw'] = _try(lambda: np.vstack(arrays=[x, x]))
    out['dstack_kw'] = _try(lambda: np.dstack(arrays=[x, x]))
    c = np.array([[1, 0], [2, 3]])
    out['cnz_kd'] = _try(lambda: np.count_nonzero(c, axis=0, keepdims=True))
    out['cnz_kd_none'] = _try(lambda: np.count_nonzero(c, keepdims=True))
    n = np.array([1., float('nan')])
    out['array_equal_nan'] = _try(lambda: np.array_equal(n, n))
    out['array_equal_nan_t'] = _try(lambda: np.array_equal(n, n, equal_nan=True))
    out['indices'] = _try(lambda: np.indices((2, 3)))
    out['indices_f32'] = _try(lambda: np.indices((2, 3), dtype='float32'))
    out['indices_empty'] = _try(lambda: np.indices(()))
    out['astype_kw'] = _try(lambda: x.astype('int32', order='C', casting='unsafe', subok=True))
    out['astype_casting'] = _try(lambda: x.astype('int32', casting='safe'))
    out['astype_order'] = _try(lambda: x.astype('int32', order='F'))
    out['astype_nocopy'] = _try(lambda: x.astype('float32', copy=False) is x)
    out['matmul_where'] = _try(lambda: np.matmul(x, x, where=False))
    out['matmul_bogus'] = _try(lambda: np.matmul(x, x, bogus=1))
    for dt in ['int32', 'int64', 'int8', 'uint8']:
        out[f'bincount_{dt}'] = _try(lambda: np.bincount(np.array([1, 2, 2], dtype=dt),
                                                         minlength=5))
    out['bincount_w'] = _try(lambda: np.bincount(np.array([1, 2, 2], dtype='int64'),
                                                 weights=np.array([1., 2, 3])))
    out['searchsorted_scalar'] = _try(lambda: np.searchsorted(np.array([1., 2, 3]), 2.,
                                                              side='right'))
    out['histogram_type'] = _try(lambda: type(np.histogram(
        np.array([1., 2, 3]), bins=2, range=(0., 4.))).__name__)
    _many(out, 'histogram', lambda: np.histogram(np.array([1., 2, 3]), bins=2, range=(0., 4.)))
    iv = np.array([3, 1, 2, 3, 0], dtype='int32')
    out['lcm_scalar'] = _try(lambda: np.lcm(iv, 4))
    out['rlcm_scalar'] = _try(lambda: np.lcm(6, iv.astype('int64')))
    out['bitwise_and_scalar'] = _try(lambda: np.bitwise_and(iv, 6))
    g = np.array(onp.arange(24, dtype='float32').reshape(2, 3, 4))
    for k, args in enumerate([(5,), (-1,), ((1, 2, 3),), (1, 2, 3), (24,)]):
        out[f'item_{k}'] = _try(lambda: g.item(*args))
    a = np.array(onp.arange(6, dtype='float32'))
    for k, obj in enumerate([np.array([-1, 0, 9], dtype='int64'), np.array([-2], dtype='int32'),
                             -2, 6, onp.int64(1), slice(None, None, -2), slice(-5, 5, 2),
                             slice(5, 0, -5)]):
        out[f'delete_{k}'] = _try(lambda: np.delete(a, obj))
    out['delete_0d'] = _try(lambda: np.delete(np.array(3.), slice(None)))
    out['delete_empty'] = _try(lambda: np.delete(np.zeros((0,)), np.array([1, -1],
                                                                          dtype='int64')))
    out['delete_ax'] = _try(lambda: np.delete(np.ones((2, 3)), 1, axis=-1))
    return out


def arange_integer(mx):
    """np.arange with an integer dtype and float start/step truncates them (MXNet's
    kernel; the count still comes from the float range)."""
    np = mx.np
    out = {}
    for i, (start, stop, step) in enumerate([(0, 10, 1.5), (0.5, 5, 1), (0, 3, 0.5),
                                             (5, 0, -1.5)]):
        out[str(i)] = _val(np.arange(start, stop, step, dtype='int32'))
    return out


CASES = {f.__name__: f for f in [arange_integer, ufunc_keywords, creation, shapes, clip_pad, memory_index,
                                  reductions, linspace_insert, average_quantile, take_resize,
                                  scalar_rules, signatures]}

NP_MODE = True      # the cases run in np mode (case_tools.run)
