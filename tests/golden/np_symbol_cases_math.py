"""np-mode hybridize cases for the math and shape functions of MXNet 1.9.1's `mx.sym.np`
beyond np_symbol_cases.py (take, sort, moveaxis, roll, splits, pad, percentile, bitwise
operators, windows, ...): same format, goldens in np_symbol_math.{npz,json}."""
from np_symbol_cases import A, B, P, V, C

M3 = ((3, 3), 'f')
I = ((2, 3), 'i')
J = ((2, 3), 'i')


def _i(x):
    return x.astype('float32')


CASES = {
    # ---- indexing and sorting
    'take_axis': (lambda F, x, i: F.np.take(x, i, axis=1), [A, ((4,), 'i')]),
    'take_flat': (lambda F, x, i: F.np.take(x, i + 3), [A, ((2, 2), 'i')]),
    'take_clip': (lambda F, x, i: F.np.take(x, i + 2, axis=0, mode='clip'), [A, ((3,), 'i')]),
    'take_wrap': (lambda F, x, i: F.np.take(x, i + 3, axis=1, mode='wrap'), [A, ((3,), 'i')]),
    'take_method': (lambda F, x, i: x.take(i, axis=1), [A, ((2,), 'i')]),
    'sort': (lambda F, x: F.np.sort(x), [A]),
    'sort_axis0': (lambda F, x: F.np.sort(x, axis=0), [C]),
    'argsort': (lambda F, x: F.np.argsort(x), [A]),
    'argsort_method': (lambda F, x: x.argsort(axis=0), [C]),
    # ---- shapes
    'moveaxis': (lambda F, x: F.np.moveaxis(x, 0, 2), [C]),
    'moveaxis_multi': (lambda F, x: F.np.moveaxis(x, (0, 1), (2, 0)), [C]),
    'roll': (lambda F, x: F.np.roll(x, 1, axis=1), [A]),
    'roll_flat': (lambda F, x: F.np.roll(x, 2), [A]),
    'roll_multi': (lambda F, x: F.np.roll(x, (1, -1), axis=(0, 2)), [C]),
    'rot90': (lambda F, x: F.np.rot90(x), [A]),
    'rot90_k': (lambda F, x: F.np.rot90(x, k=3, axes=(1, 2)), [C]),
    'tril': (lambda F, x: F.np.tril(x), [M3]),
    'tril_k': (lambda F, x: F.np.tril(x, k=-1), [A]),
    'diagonal': (lambda F, x: F.np.diagonal(x), [A]),
    'diagonal_3d': (lambda F, x: F.np.diagonal(x, offset=1, axis1=1, axis2=2), [C]),
    'diagflat': (lambda F, v: F.np.diagflat(v), [V]),
    'diagflat_k': (lambda F, x: F.np.diagflat(x, k=-1), [A]),
    'fliplr': (lambda F, x: F.np.fliplr(x), [A]),
    'flipud': (lambda F, x: F.np.flipud(x), [C]),
    'row_stack': (lambda F, x, y: F.np.row_stack([x, y]), [A, B]),
    'array_split': (lambda F, x: F.np.array_split(x, 2, axis=2)[1], [C]),
    'array_split_uneven': (lambda F, x: F.np.array_split(x, 2, axis=1)[0], [C]),
    'array_split_idx': (lambda F, x: F.np.array_split(x, [1, 3], axis=2)[2], [C]),
    'hsplit': (lambda F, x: F.np.hsplit(x, 3)[2], [A]),
    'hsplit_idx': (lambda F, x: F.np.hsplit(x, [1])[1], [A]),
    'vsplit': (lambda F, x: F.np.vsplit(x, 2)[1], [A]),
    'dsplit': (lambda F, x: F.np.dsplit(x, [1, 3])[1], [C]),
    # (integer inputs: MXNet 1.9.1's atleast_*d give zero gradients, eager too; regluon's
    # are the real ones)
    'atleast_1d': (lambda F, i: F.np.atleast_1d(_i(i) * 0.5), [I]),
    'atleast_2d': (lambda F, i: F.np.atleast_2d(_i(i) - 0.5), [((3,), 'i')]),
    'atleast_3d': (lambda F, i: F.np.atleast_3d(_i(i) * 2), [I]),
    'atleast_2d_multi': (lambda F, i, j: F.np.atleast_2d(i, j * 3)[0], [((3,), 'i'), J]),
    'atleast_1d_multi': (lambda F, i, j: F.np.atleast_1d(i, j * 2)[1], [I, J]),
    'append': (lambda F, x, y: F.np.append(x, y, axis=0), [A, B]),
    'append_flat': (lambda F, x, v: F.np.append(x, v), [A, V]),
    'pad': (lambda F, x: F.np.pad(x, ((1, 1), (2, 0))), [A]),
    'pad_edge': (lambda F, x: F.np.pad(x, ((1, 0), (0, 2)), mode='edge'), [A]),
    'pad_reflect': (lambda F, x: F.np.pad(x, ((1, 1), (1, 1)), mode='reflect'), [A]),
    'resize': (lambda F, x: F.np.resize(x, (3, 4)), [A]),
    'empty_like': (lambda F, x: F.np.ones_like(F.np.empty_like(x)) * x, [A]),
    # ---- differences and products
    'diff': (lambda F, x: F.np.diff(x), [A]),
    'diff_n2': (lambda F, x: F.np.diff(x, n=2, axis=0), [C]),
    'ediff1d': (lambda F, x: F.np.ediff1d(x), [A]),
    'ediff1d_scalars': (lambda F, x: F.np.ediff1d(x, to_end=2.0, to_begin=-1.0), [A]),
    'ediff1d_arrays': (lambda F, x, v: F.np.ediff1d(x, to_end=v, to_begin=v), [A, V]),
    'ediff1d_end': (lambda F, x, v: F.np.ediff1d(x, to_end=v), [A, V]),
    'inner': (lambda F, x, y: F.np.inner(x, y), [A, B]),
    'vdot': (lambda F, x, y: F.np.vdot(x, y), [A, B]),
    'polyval': (lambda F, p, x: F.np.polyval(p, x), [V, A]),
    # ---- element-wise
    'fabs': (lambda F, x: F.np.fabs(x), [A]),
    'rint': (lambda F, x: F.np.rint(x * 3), [A]),
    'fix': (lambda F, x: F.np.fix(x * 3), [A]),
    'trunc': (lambda F, x: F.np.trunc(x * 3), [A]),
    'nan_to_num': (lambda F, i: F.np.nan_to_num(F.np.concatenate(
        [_i(i) / 0.0, (_i(i) * 2 - 1) / 0.0])), [I]),
    'nan_to_num_values': (lambda F, i: F.np.nan_to_num(F.np.concatenate(
        [_i(i) / 0.0, (_i(i) * 2 - 1) / 0.0]), nan=1.5, posinf=9.0, neginf=-9.0), [I]),
    'nan_to_num_grad': (lambda F, x: F.np.nan_to_num(x * 2), [A]),
    'ldexp': (lambda F, x, y: F.np.ldexp(x, y * 3), [A, B]),
    'ldexp_scalar': (lambda F, x: F.np.ldexp(x, 3), [A]),
    'rldexp_scalar': (lambda F, x: F.np.ldexp(1.5, x * 2), [A]),
    'lcm': (lambda F, i, j: F.np.lcm(i + 2, j * 3 + 2), [I, J]),
    'lcm_scalar': (lambda F, i: F.np.lcm(i + 2, 4), [I]),
    'bitwise_and': (lambda F, i, j: F.np.bitwise_and(i + 5, j * 3 + 1), [I, J]),
    'bitwise_or': (lambda F, i, j: F.np.bitwise_or(i + 4, j * 3), [I, J]),
    'bitwise_xor': (lambda F, i, j: F.np.bitwise_xor(i * 7, j + 2), [I, J]),
    'bitwise_and_scalar': (lambda F, i: F.np.bitwise_and(i + 6, 3), [I]),
    'bitwise_or_rscalar': (lambda F, i: F.np.bitwise_or(8, i), [I]),
    'bitwise_xor_scalar': (lambda F, i: F.np.bitwise_xor(i, 5), [I]),
    'bitwise_not': (lambda F, i: F.np.bitwise_not(i + 3), [I]),
    'invert': (lambda F, i: F.np.invert(i), [I]),
    # ---- reductions and statistics
    'average': (lambda F, x: F.np.average(x, axis=1), [A]),
    'average_all': (lambda F, x: F.np.average(x), [A]),
    'average_weighted': (lambda F, x, w: F.np.average(x, axis=0, weights=w), [A, P]),
    # (integer inputs: MXNet 1.9.1's percentile gives zero gradients)
    'percentile': (lambda F, i, j: F.np.percentile(_i(i) * 0.3 - _i(j) * 0.7, 50, axis=1),
                   [I, J]),
    'percentile_lower': (lambda F, i: F.np.percentile(_i(i) * 0.3, 25, interpolation='lower'),
                         [((2, 3, 4), 'i')]),
    'percentile_q': (lambda F, i, q: F.np.percentile(_i(i) * 0.3, _i(q) * 30 + 20, axis=0),
                     [((4, 3), 'i'), ((2,), 'i')]),
    'quantile': (lambda F, i, j: F.np.quantile(_i(i) - _i(j) * 0.4, 0.3, axis=0,
                                               keepdims=True), [I, J]),
    'quantile_nearest': (lambda F, i: F.np.quantile(_i(i), 0.7, axis=2,
                                                    interpolation='nearest'),
                         [((2, 3, 4), 'i')]),
    'quantile_midpoint': (lambda F, i, j: F.np.quantile(_i(i) * 0.5 - _i(j), 0.4,
                                                        interpolation='midpoint'), [I, J]),
    'quantile_higher': (lambda F, i, j: F.np.quantile(_i(i) + _i(j) * 0.25, 0.4, axis=1,
                                                      interpolation='higher'), [I, J]),
    'sometrue': (lambda F, x: F.np.sometrue(x > 0.5, axis=1), [A]),
    'product': (lambda F, x: F.np.product(x, axis=0), [P]),
    # ---- creation
    'logspace': (lambda F, x: x * F.np.logspace(0, 1, 3), [A]),
    'logspace_base': (lambda F, x: x * F.np.logspace(0, 2, 3, endpoint=False, base=2.0), [A]),
    'indices': (lambda F, x: x * F.np.indices((2, 3))[1], [A]),
    'indices_dtype': (lambda F, x: x + F.np.indices((2, 3), dtype='float32')[0], [A]),
    'hamming': (lambda F, x: x * F.np.hamming(3), [A]),
    'hanning': (lambda F, x: x * F.np.hanning(3), [A]),
    'blackman': (lambda F, x: x * F.np.blackman(3), [A]),
    # ---- delete and insert
    'unravel_index': (lambda F, i: F.np.unravel_index(i * 2 + 1, (2, 3)), [((4,), 'i')]),
    'diag_indices_from': (lambda F, x: F.np.diag_indices_from(x), [M3]),
    'bincount': (lambda F, i: F.np.bincount(i, minlength=3), [((5,), 'i')]),
}
