"""`mx.np` / `mx.npx` cases, shared by the golden writer (tools/golden_numpy.py, run under the
real MXNet 1.9.1) and the tests (tests/test_numpy.py, run under regluon).

- VALUES: name -> function giving an np array, a Python value, or a tuple/list of them;
  each is recorded by `describe` (kind, dtype, shape, value).
- ERRORS: name -> function that must raise (the type is compared).
- SCENARIOS: name -> function giving a dict of numpy arrays: the d2l.ai (MXNet edition)
  chapter 2 and 3 code on fixed data (its random data replaced by numpy's RandomState(0)
  draws, so both libraries see the same numbers), autograd and Gluon in np mode.
`use(mx)` binds the library and turns NumPy mode on.
"""
import numpy as onp

mx = np = npx = autograd = gluon = nn = rnn = init = None


def use(lib):
    """Run the cases on `lib` (regluon, or the real mxnet) in NumPy mode."""
    global mx, np, npx, autograd, gluon, nn, rnn, init  # pylint: disable=global-statement
    mx, np, npx, autograd, gluon, init = lib, lib.np, lib.npx, lib.autograd, lib.gluon, lib.init
    nn, rnn = lib.gluon.nn, lib.gluon.rnn
    npx.set_np()


def kind(v):
    """A library-independent name for the type of a result."""
    if type(v).__name__ == 'ndarray' and type(v).__module__.split('.')[1] == 'numpy':
        return 'np.ndarray'
    if type(v).__name__ == 'NDArray':
        return 'nd.NDArray'
    return type(v).__name__


def describe(v):
    """{'kind', 'dtype', 'shape'} and the value (a numpy array) of one result."""
    k = kind(v)
    if k == 'np.ndarray':
        return {'kind': k, 'dtype': str(v.dtype), 'shape': list(v.shape)}, v.asnumpy()
    if k in ('float', 'int', 'bool'):
        return {'kind': k}, onp.asarray(v)
    if k == 'tuple' and all(isinstance(x, int) for x in v):
        return {'kind': k}, onp.asarray(v, dtype=onp.int64)
    if k == 'str':
        return {'kind': k, 'str': v}, onp.zeros(0)
    return {'kind': k}, onp.zeros(0)


def flatten(name, v):
    """(name, value) pairs: a tuple/list of arrays is recorded element by element."""
    if isinstance(v, (tuple, list)) and v and not all(isinstance(x, int) for x in v):
        out = [(f'{name}#len', len(v))]
        for i, x in enumerate(v):
            out += flatten(f'{name}#{i}', x)
        return out
    return [(name, v)]


def _x():
    return np.arange(12).reshape(3, 4)


def _i():
    return np.array([1, 2, 3], dtype='int32')


def _b():
    return np.array([True, False, True], dtype='bool')


def _f(shape, seed=0):
    return np.array(onp.random.RandomState(seed).normal(size=shape).astype('float32'))


VALUES = {
    # creation: MXNet's default float32, also from Python ints, bools and arange
    'array_int_list': lambda: np.array([1, 2, 3]),
    'array_float_list': lambda: np.array([[1., 2.], [3., 4.]]),
    'array_bool_list': lambda: np.array([True, False]),
    'array_scalar': lambda: np.array(5),
    'array_numpy_int64': lambda: np.array(onp.array([1, 2])),
    'array_numpy_float64': lambda: np.array(onp.array([1.5, 2.])),
    'array_numpy_bool': lambda: np.array(onp.array([True, False])),
    'array_of_arrays': lambda: np.array([np.ones(2), np.zeros(2)]),
    'array_dtype': lambda: np.array([1, 2], dtype='int32'),
    'arange': lambda: np.arange(5),
    'arange_step': lambda: np.arange(0, 1, 0.25),
    'arange_neg': lambda: np.arange(5, 0, -1),
    'arange_int32': lambda: np.arange(3, dtype='int32'),
    'zeros': lambda: np.zeros((2, 3)),
    'zeros_int': lambda: np.zeros(2, dtype=int),
    'ones_int': lambda: np.ones(3, dtype=int),
    'ones_float64': lambda: np.ones(2, dtype=onp.float64),
    'full_int_value': lambda: np.full((2,), 7),
    'full_int32': lambda: np.full((2,), 7, dtype='int32'),
    'linspace': lambda: np.linspace(0, 1, 5),
    'linspace_noend': lambda: np.linspace(0, 1, 4, endpoint=False),
    'eye': lambda: np.eye(3),
    'eye_k': lambda: np.eye(3, 4, k=1),
    'zeros_like_int': lambda: np.zeros_like(_i()),
    'ones_like': lambda: np.ones_like(_x()),
    'empty_shape': lambda: np.empty((2, 2)).shape,
    # 0-d arrays and Python scalars
    'sum_0d': lambda: _x().sum(),
    'float_of_sum': lambda: float(_x().sum()),
    'int_of_sum': lambda: int(_x().sum()),
    'item': lambda: _x().sum().item(),
    'item_int': lambda: _i().sum().item(),
    'float_1elem': lambda: float(np.array([3.5])),
    'index_0d': lambda: _x()[1, 2],
    'index_1d_elem': lambda: np.arange(3)[1],
    'len': lambda: len(_x()),
    'shape': lambda: _x().shape,
    'size': lambda: _x().size,
    'ndim': lambda: _x().ndim,
    'T': lambda: _x().T,
    'T_1d': lambda: np.arange(3).T,
    'iter': lambda: list(_x()),
    'bool_1elem': lambda: bool(np.array([1.])),
    'astype': lambda: _x().astype('int32'),
    'tolist': lambda: len(np.ones(2).tolist()),
    'repr_float': lambda: repr(_x()),
    'repr_int': lambda: repr(_i()),
    'repr_bool': lambda: repr(_b()),
    'repr_float64': lambda: repr(np.ones(2, dtype='float64')),
    'repr_0d': lambda: repr(_x().sum()),
    'repr_0d_int': lambda: repr(_i().sum()),
    'str_0d': lambda: str(_x().sum()),
    'format_0d': lambda: f'{_x().sum():f}',
    'format_asnumpy': lambda: f'{_x().sum().asnumpy():f}',
    # dtype promotion, array with array (MXNet 1.9.1's rules)
    'i32_plus_f32': lambda: _i() + np.array([1., 2., 3.]),
    'i32_plus_i64': lambda: _i() + np.array([1, 2, 3], dtype='int64'),
    'u8_plus_i32': lambda: np.array([1], dtype='uint8') + _i(),
    'f16_plus_f32': lambda: np.array([1], dtype='float16') + np.array([1], dtype='float32'),
    'f64_plus_f32': lambda: np.array([1], dtype='float64') + np.array([1], dtype='float32'),
    'i64_plus_f32': lambda: np.array([1], dtype='int64') + np.array([1.], dtype='float32'),
    'i32_minus_f16': lambda: _i() - np.array([1, 2, 3], dtype='float16'),
    'bool_plus_bool': lambda: _b() + _b(),
    'bool_plus_i32': lambda: _b() + _i(),
    'bool_plus_f64': lambda: np.array([True], dtype=bool) + np.array([1.], dtype='float64'),
    'i32_div_i32': lambda: _i() / _i(),
    'int_true_div_zero': lambda: np.array([1], dtype='int32') / np.array([0], dtype='int32'),
    '0d_plus_array': lambda: np.array(3.) + np.ones(2),
    # array with Python scalar: the scalar cast to the array's dtype first
    'i32_plus_1.5': lambda: _i() + 1.5,
    'i32_times_2': lambda: _i() * 2,
    'i32_div_2': lambda: _i() / 2,
    '2_div_i32': lambda: 2 / _i(),
    '2.5_minus_i32': lambda: 2.5 - _i(),
    'i32_pow_2': lambda: _i() ** 2,
    'i32_pow_0.5': lambda: _i() ** 0.5,
    '2_pow_i32': lambda: 2 ** _i(),
    'scalar_left_ops': lambda: [np.equal(2, _i()), np.greater(2.5, _i()), np.add(1.5, _i()),
                                np.maximum(2, _i()), np.multiply(2, _x()), np.less(1, _x())],
    'i32_mod_2': lambda: np.array([-3, 3], dtype='int32') % 2,
    'f_mod_2': lambda: np.array([-3., 3.]) % 2,
    'neg_i32': lambda: -_i(),
    'bool_times_2': lambda: _b() * 2,
    'bool_times_2.5': lambda: _b() * 2.5,
    'f16_times_2.5': lambda: np.array([1.], dtype='float16') * 2.5,
    'f64_times_2.5': lambda: np.array([1.], dtype='float64') * 2.5,
    'f_div_0': lambda: np.array([1., 0.]) / 0,
    'i32_eq_2.5': lambda: _i() == 2.5,
    'i32_lt_2.5': lambda: _i() < 2.5,
    'i32_gt_1.5': lambda: _i() > 1.5,
    'eq_int': lambda: _i() == 2,
    'x_eq_1': lambda: _x() == 1,
    'x_lt_y': lambda: _x() < _x().T.T,
    'astype_eq': lambda: _x().astype('int32').astype(_x().dtype) == _x(),
    'matmul_op': lambda: np.ones((2, 2)) @ np.ones((2, 2)),
    'pow_arrays': lambda: np.array([2., 3.]) ** np.array([2., 2.]),
    # broadcasting
    'broadcast_col_row': lambda: np.ones((3, 1)) + np.arange(2).reshape(1, 2),
    'broadcast_d2l': lambda: np.arange(3).reshape((3, 1)) + np.arange(2).reshape((1, 2)),
    'broadcast_3d': lambda: np.arange(24).reshape(2, 3, 4) * np.arange(4),
    'broadcast_0d': lambda: np.arange(6).reshape(2, 3) - np.array(1.),
    'broadcast_to': lambda: np.broadcast_to(np.arange(3), (2, 3)),
    # unary math (integer inputs keep their dtype, truncated)
    'exp': lambda: np.exp(_x()),
    'exp_int': lambda: np.exp(_i()),
    'sqrt_int': lambda: np.sqrt(_i()),
    'log_int': lambda: np.log(_i()),
    'log_zero': lambda: np.log(np.array([0.])),
    'abs_int': lambda: np.abs(-_i()),
    'sign': lambda: np.sign(np.array([-2., 0, 3])),
    'floor': lambda: np.floor(np.array([-2.5, 2.5])),
    'round_half_even': lambda: np.round(np.array([1.5, 2.5])),
    'sin_cos_tanh': lambda: np.sin(_x()) + np.cos(_x()) * np.tanh(_x()),
    'power_int': lambda: np.power(_i(), 2),
    'power_float': lambda: np.power(_x(), 0.5),
    'maximum': lambda: np.maximum(_x(), 2),
    'minimum_int_float': lambda: np.minimum(_i(), 2.5),
    'maximum_arrays': lambda: np.maximum(_x(), _x().T.T[::-1]),
    'isnan': lambda: np.isnan(np.array([1., onp.nan])),
    'clip': lambda: np.clip(_x(), 1, 3),
    'clip_none': lambda: np.clip(np.arange(5), None, 3),
    'where': lambda: np.where(_x() > 2, _x(), 0),
    'where_one_arg': lambda: np.where(_x() > 5),
    'nonzero': lambda: np.nonzero(_x() > 9),
    # reductions: 0-d results, integer dtypes kept, mean of ints float32
    'sum_axis': lambda: _x().sum(axis=0),
    'sum_axis_list': lambda: _x().sum(axis=[0, 1]),
    'sum_keepdims': lambda: _x().sum(axis=1, keepdims=True),
    'sum_int': lambda: _i().sum(),
    'sum_bool': lambda: _b().sum(),
    'sum_cmp': lambda: np.sum(_x() > 3),
    'sum_dtype': lambda: _x().sum(dtype='int32'),
    'sum_empty_axis': lambda: np.zeros((0, 3)).sum(axis=0),
    'mean': lambda: _x().mean(),
    'mean_int': lambda: _i().mean(),
    'mean_int64_axis': lambda: np.array([[1, 2], [3, 4]], dtype='int64').mean(axis=0),
    'mean_bool': lambda: _b().mean(),
    'mean_axis_tuple': lambda: _x().mean(axis=(0, 1)),
    'max': lambda: _x().max(axis=0),
    'max_int': lambda: _i().max(),
    'max_keepdims': lambda: _x().max(keepdims=True),
    'min': lambda: np.min(_x(), axis=1),
    'argmax': lambda: _x().argmax(),
    'argmax_axis': lambda: np.argmax(_x(), axis=1),
    'argmin': lambda: np.argmin(np.array([3., 1., 2.])),
    'std': lambda: _x().std(),
    'std_axis': lambda: _x().std(axis=0),
    'std_int': lambda: _i().std(),
    'std_ddof': lambda: np.std(np.arange(4.0), ddof=1),
    'var': lambda: np.var(_x(), axis=1),
    'prod_int': lambda: np.prod(_i()),
    'prod_axis': lambda: np.prod(_x() + 1, axis=1),
    'cumsum': lambda: np.cumsum(_x()),
    'cumsum_axis': lambda: _x().cumsum(axis=0),
    'cumsum_int': lambda: np.cumsum(_i()),
    'any': lambda: np.any(_x() > 4),
    'all': lambda: (_x() > -1).all(),
    'any_bool': lambda: _b().any(),
    'sort': lambda: np.sort(np.array([3., 1, 2])),
    'argsort': lambda: np.argsort(np.array([3., 1, 2])),
    'unique': lambda: np.unique(np.array([3., 1, 3])),
    'unique_counts': lambda: np.unique(np.array([3., 1, 3]), return_counts=True),
    'norm': lambda: np.linalg.norm(_x()),
    'norm_axis': lambda: np.linalg.norm(np.ones((2, 3)), axis=1),
    'norm_ord1': lambda: np.linalg.norm(np.ones((3,)), ord=1),
    'norm_ones_4x9': lambda: np.linalg.norm(np.ones((4, 9))),
    'abs_sum': lambda: np.abs(np.array([3., -4.])).sum(),
    # products
    'dot_2d': lambda: np.dot(_x(), _x().T),
    'dot_vec': lambda: np.dot(np.arange(4.), np.ones(4)),
    'dot_mat_vec': lambda: np.dot(np.arange(20).reshape(5, 4), np.arange(4)),
    'dot_3d_2d': lambda: np.dot(np.arange(24).reshape(2, 3, 4), np.ones((4, 2))),
    'dot_scalar': lambda: np.dot(np.array(2.), _x()),
    'matmul': lambda: np.matmul(_x(), _x().T),
    'tensordot': lambda: np.tensordot(_x(), _x(), axes=([0], [0])),
    'einsum': lambda: np.einsum('ij,jk->ik', _x(), _x().T),
    'outer': lambda: np.outer(np.arange(2), np.arange(3)),
    # shape functions
    'reshape_minus1': lambda: _x().reshape(-1),
    'reshape_args': lambda: _x().reshape(4, 3),
    'reshape_tuple': lambda: _x().reshape((3, -1)),
    'np_reshape': lambda: np.reshape(_x(), (2, 6)),
    'transpose_axes': lambda: np.transpose(np.arange(6).reshape(1, 2, 3), (2, 0, 1)),
    'transpose_args': lambda: np.arange(6).reshape(1, 2, 3).transpose(2, 0, 1),
    'transpose_none': lambda: _x().transpose(),
    'swapaxes': lambda: np.swapaxes(np.arange(3).reshape(1, 3), 0, 1),
    'expand_dims': lambda: np.expand_dims(np.ones(3), 0),
    'squeeze': lambda: np.squeeze(np.ones((1, 3, 1))),
    'flatten': lambda: _x().flatten(),
    'ravel': lambda: np.ravel(_x()),
    'concatenate': lambda: np.concatenate([_x(), _x() + 1], axis=0),
    'concatenate_axis1': lambda: np.concatenate([_x(), _x()], axis=1),
    'concatenate_none': lambda: np.concatenate([_x(), _x()], axis=None),
    'stack': lambda: np.stack([_x(), _x()]),
    'split': lambda: np.split(_x(), 2, axis=1),
    'split_indices': lambda: np.split(np.arange(6), [2, 3]),
    'vstack': lambda: np.vstack([np.ones(2), np.zeros(2)]),
    'tile': lambda: np.tile(np.arange(2), 2),
    'repeat': lambda: np.repeat(np.arange(2), 2),
    # indexing
    'idx_row': lambda: _x()[-1],
    'idx_slice': lambda: _x()[1:3],
    'idx_step': lambda: _x()[::2, ::-1],
    'idx_int_array': lambda: _x()[np.array([2, 0])],
    'idx_float_array': lambda: _x()[np.array([0., 2.])],
    'idx_list': lambda: _x()[[1, 0]],
    'idx_bool': lambda: _x()[_x() > 8],
    'idx_bool_rows': lambda: _x()[np.array([True, False, True])],
    'idx_none_ellipsis': lambda: _x()[None, ..., 1],
    'idx_arrays_pair': lambda: _x()[np.array([0, 1]), np.array([2, 0])],
    'idx_range_array': lambda: _x()[range(2), np.array([1, 3])],
    'idx_list_float_array': lambda: _x()[[0, 1], np.array([0., 2.])],
    'idx_column': lambda: _x()[:, 1],
    'idx_0d_tuple': lambda: np.array(3.)[()],
    # npx operators
    'npx_relu': lambda: npx.relu(np.array([-1., 2.])),
    'npx_sigmoid': lambda: npx.sigmoid(np.array([-1., 2.])),
    'npx_softmax': lambda: npx.softmax(_x()),
    'npx_log_softmax': lambda: npx.log_softmax(_x()),
    'npx_log_softmax_axis0': lambda: npx.log_softmax(_x(), axis=0),
    'npx_one_hot': lambda: npx.one_hot(np.array([0, 2]), 3),
    'npx_pick': lambda: npx.pick(_x(), np.array([0, 2, 3])),
    'npx_batch_dot': lambda: npx.batch_dot(np.ones((2, 3, 4)), np.ones((2, 4, 5))),
    'npx_sequence_mask': lambda: npx.sequence_mask(np.ones((2, 3)), np.array([1., 2]),
                                                   use_sequence_length=True, axis=1),
    'npx_batch_flatten': lambda: npx.batch_flatten(np.ones((2, 3, 4))),
    'npx_topk': lambda: npx.topk(np.array([1., 3, 2]), k=2),
    'npx_reshape_copy': lambda: npx.reshape(np.ones((2, 3, 4)), (-2, -1)),
    'npx_reshape_skip': lambda: npx.reshape(np.ones((2, 1, 4)), (-2, -3, -1)),
    'npx_reshape_rest': lambda: npx.reshape(np.ones((2, 3, 4)), (-2, -4)),
    'npx_reshape_merge': lambda: npx.reshape(np.ones((2, 3, 4)), (-5, -2)),
    'npx_reshape_split': lambda: npx.reshape(np.ones((6, 4)), (-6, 2, -1, -2)),
    'npx_reshape_reverse': lambda: npx.reshape(np.ones((2, 3, 4)), (-1, -2), reverse=True),
    'npx_reshape_reverse_split': lambda: npx.reshape(np.ones((2, 6)), (-1, 2, -6, -2),
                                                     reverse=True),
    'npx_reshape_literal': lambda: npx.reshape(np.ones((2, 3, 4)), (4, -1, 2)),
    'npx_embedding': lambda: npx.embedding(np.array([0, 2]), np.arange(6).reshape(3, 2),
                                           input_dim=3, output_dim=2),
    'npx_fully_connected': lambda: npx.fully_connected(
        np.ones((2, 3)), np.arange(6).reshape(2, 3), np.ones(2), num_hidden=2),
    'npx_activation': lambda: npx.activation(np.array([-1., 1.]), act_type='tanh'),
    'npx_is_np_array': lambda: npx.is_np_array(),
    'npx_random_samplers': lambda: [
        f'{v.dtype} {v.shape}' for v in (
            npx.random.bernoulli(0.5, size=(3,)), npx.random.bernoulli(logit=np.zeros(2)),
            npx.random.uniform_n(np.zeros(2), np.ones(2), batch_shape=(3,)),
            npx.random.normal_n(0, 1, batch_shape=(3,)))],
    'npx_bernoulli_certain': lambda: npx.random.bernoulli(np.array([0., 1., 1.])),
    'npx_num_gpus': lambda: npx.num_gpus(),
    'npx_nonzero': lambda: npx.nonzero(np.array([[0, 1], [1, 0]])),
    'npx_slice': lambda: npx.slice(np.arange(6), begin=(1,), end=(3,)),
    'npx_image_to_tensor': lambda: npx.image.to_tensor(np.ones((2, 2, 3), dtype='uint8')),
    'npx_image_resize': lambda: npx.image.resize(np.arange(48).reshape(4, 4, 3) * 1.5,
                                                 (3, 2)),
    'linalg_svd_rebuilt': lambda: (lambda r: np.dot(r[0] * r[1], r[2]))(
        np.linalg.svd(np.array([[1., 2, 3], [4, 5, 7.]]))),
    'linalg_svd_values': lambda: np.linalg.svd(np.array([[1., 2, 3], [4, 5, 7.]]))[1],
    'linalg_matrix_power': lambda: np.linalg.matrix_power(np.array([[1., 1], [0, 1]]), 3),
    'linalg_multi_dot': lambda: np.linalg.multi_dot([np.ones((2, 3)), np.ones((3, 4)),
                                                     np.ones((4, 1))]),
    'linalg_cond': lambda: np.linalg.cond(np.array([[1., 2], [3, 4]])),
    'linalg_lstsq': lambda: np.linalg.lstsq(np.array([[1., 0], [1, 1], [1, 2]]),
                                            np.array([1., 2, 2]), rcond=None),
    'linalg_eigvals': lambda: np.linalg.eigvals(np.array([[2., 0], [0, 3]])),
    'linalg_inv': lambda: np.linalg.inv(np.array([[2., 1], [1, 3]])),
    'linalg_det': lambda: np.linalg.det(np.array([[2., 1], [1, 3]])),
    'linalg_solve': lambda: np.linalg.solve(np.array([[2., 1], [1, 3]]), np.array([1., 2.])),
    'linalg_tensorinv': lambda: np.linalg.tensorinv(np.eye(4).reshape(4, 2, 2), ind=1),
    'constants': lambda: (np.pi, np.e),
    'newaxis': lambda: np.newaxis is None,
    'asnumpy_type': lambda: type(_x().asnumpy()).__module__.split('.')[0],
    'as_nd_ndarray': lambda: kind(_x().as_nd_ndarray()),
    'as_np_ndarray': lambda: kind(mx.nd.ones(2).as_np_ndarray()),
    'nd_in_np_mode': lambda: kind(mx.nd.ones(2)),
    # less common functions and the methods inherited from NDArray
    'method_refused': lambda: [hasattr(_x(), n) for n in ('exp', 'relu', 'softmax', 'abs',
                                                          'tile', 'asscalar', 'expand_dims')],
    'method_kept': lambda: [hasattr(_x(), n) for n in ('take', 'round', 'nonzero', 'dot',
                                                       'broadcast_to', 'as_nd_ndarray')],
    'method_take': lambda: _x().take(np.array([0, 5])),
    'diag': lambda: np.diag(np.arange(3)),
    'diag_of_matrix': lambda: np.diag(_x(), k=1),
    'trace': lambda: np.trace(_x()),
    'meshgrid': lambda: np.meshgrid(np.arange(2), np.arange(3)),
    'take_axis': lambda: np.take(_x(), np.array([[0, 2]]), axis=1),
    'tril': lambda: np.tril(np.ones((3, 3))),
    'copy': lambda: np.copy(_x()),
    'isclose': lambda: np.isclose(np.array([1., 2.]), np.array([1., 2.1])),
    'allclose': lambda: np.allclose(_x(), _x() + 1e-9),
    'array_equal': lambda: np.array_equal(_x(), _x()),
    'argwhere': lambda: np.argwhere(_x() > 8),
    'roll': lambda: np.roll(np.arange(4), 1),
    'flipud': lambda: np.flipud(_x()),
    'diff': lambda: np.diff(np.array([1., 4., 9., 16.])),
    'pad_constant': lambda: np.pad(_x(), ((1, 1), (1, 1))),
    'pad_edge': lambda: np.pad(_x(), ((0, 0), (1, 2)), mode='edge'),
    'percentile': lambda: np.percentile(np.arange(5.), 50),
    'average_weights': lambda: np.average(_x(), axis=0, weights=np.array([1., 2., 3.])),
    'logspace': lambda: np.logspace(0, 2, 3),
    'atleast_2d': lambda: np.atleast_2d(np.arange(3)),
    'nan_to_num': lambda: np.nan_to_num(np.array([onp.nan, 1., onp.inf])),
    'diagonal': lambda: np.diagonal(_x()),
    'diagflat': lambda: np.diagflat(np.arange(2)),
    'broadcast_arrays': lambda: np.broadcast_arrays(np.arange(3), np.ones((2, 1))),
    'rot90': lambda: np.rot90(np.arange(4).reshape(2, 2)),
    'unravel_index': lambda: np.unravel_index(np.array([5, 1], dtype='int64'), (2, 3)),
    'delete': lambda: np.delete(np.arange(5), 1),
    'insert': lambda: np.insert(np.arange(3), 1, 9),
    'bitwise_and': lambda: np.bitwise_and(np.array([6, 3], dtype='int32'),
                                          np.array([3, 1], dtype='int32')),
    'ediff1d': lambda: np.ediff1d(np.array([1., 4., 9.])),
    'polyval': lambda: np.polyval(np.array([1., 2., 3.]), np.array([0., 1., 2.])),
    'resize': lambda: np.resize(np.arange(3), (2, 4)),
    'histogram': lambda: np.histogram(np.arange(5.), bins=2, range=(0, 4)),
    'hamming': lambda: np.hamming(4),
    'fallback_ptp': lambda: np.ptp(np.arange(5.)),
    'fallback_cov': lambda: np.cov(np.arange(4.).reshape(2, 2)),
    'fallback_interp': lambda: np.interp(np.array([0.5]), np.array([0., 1.]),
                                         np.array([0., 10.])),
    'fallback_isin': lambda: np.isin(np.arange(4), np.array([1, 3])),
    'fallback_nanmax': lambda: np.nanmax(np.array([1., onp.nan, 3.])),
    'fallback_take_along_axis': lambda: np.take_along_axis(
        _x(), np.array([[0], [1], [2]], dtype='int64'), axis=1),
    'random_normal_0d': lambda: np.random.normal().shape,
    'random_normal_dtype': lambda: str(np.random.normal(0, 1, (2, 3)).dtype),
    'random_uniform_dtype': lambda: str(np.random.uniform(size=(2,)).dtype),
    'random_randint_dtype': lambda: str(np.random.randint(0, 10, (3,)).dtype),
    'random_choice_dtype': lambda: str(np.random.choice(5, 3).dtype),
    'random_multinomial': lambda: (str(np.random.multinomial(10, [0.5, 0.5], size=3).dtype),
                                   int(np.random.multinomial(10, [0.5, 0.5]).sum())),
    'random_normal_array_loc': lambda: np.random.normal(np.zeros(2), 1).shape,
    'random_dtypes_shapes': lambda: [
        f'{v.dtype} {v.shape}' for v in (
            np.random.gumbel(size=(2,)), np.random.logistic(size=(2,)),
            np.random.pareto(2.0, size=(2,)), np.random.power(2.0, size=(2,)),
            np.random.weibull(2.0, size=(2,)), np.random.rayleigh(size=(2,)),
            np.random.lognormal(size=(2,)), np.random.chisquare(3, size=(2,)),
            np.random.exponential(size=(2,)), np.random.gamma(2.0, size=(2,)),
            np.random.beta(2.0, 3.0, size=(2,)), np.random.rand(2, 3), np.random.randn(2),
            np.random.multivariate_normal(np.zeros(2), np.eye(2), size=3),
            np.random.uniform(np.zeros(3), 1))],
}


def _setitem_mixed():
    x = np.arange(6).reshape(2, 3)
    x[0] = 9
    x[:, 1] = np.array([7., 8.])
    x[x > 8] = -1
    x[np.array([1]), np.array([2])] = 100
    return x


def _setitem_d2l():
    x = np.arange(12).reshape(3, 4)
    x[1, 2] = 9
    x[0:2, :] = 12
    return x


def _setitem_int():
    x = np.zeros(3, dtype='int32')
    x[0] = 2.7
    return x


def _setitem_float_index():
    x = np.arange(3)
    x[np.array([0.])] = 5
    return x


def _dense_after_forward():
    net = nn.Dense(8)
    net.initialize()
    net(np.ones((2, 3)))
    return net.weight.shape


def _inplace():
    x, y = np.arange(4.), np.ones(4)
    before = id(x)
    x += y
    x *= 2
    return x, id(x) == before


VALUES.update({
    'setitem_mixed': _setitem_mixed,
    'setitem_d2l': _setitem_d2l,
    'setitem_int_array': _setitem_int,
    'setitem_float_index': _setitem_float_index,
    'inplace': _inplace,
    # MXNet's ndarray.clip(min=None, max=None): d2l's box_iou calls `.clip(min=0)`
    'method_clip_min': lambda: _f((6,)).clip(min=0),
    'method_clip_max': lambda: _f((6,)).clip(max=0.25),
    'method_clip_positional': lambda: _f((6,)).clip(-0.5, 0.5),
    # np shape semantics: a Parameter's unknown dimensions read -1 (0 outside np mode)
    'param_unknown_dims': lambda: (nn.Dense(8).weight.shape, nn.Conv2D(4, 3).weight.shape,
                                   nn.BatchNorm().gamma.shape, _dense_after_forward()),
    # results of npx operators keep the context of their np inputs (d2l's multi-device
    # ResNet, whose Residual block ends in npx.relu, on cpu(1))
    'npx_keeps_context': lambda: [str(f(np.ones((2, 3), ctx=mx.cpu(1))).ctx) for f in (
        npx.relu, npx.sigmoid, lambda x: npx.softmax(x, axis=-1), lambda x: np.maximum(x, 0),
        lambda x: npx.relu(x + x))],
    # a Constant made in np mode from a NumPy array keeps its dtype (np.array's rule)
    'constant_keeps_dtype': lambda: gluon.Constant('k', onp.ones((2, 2))).value,
    'nd_keyword_keeps_context': lambda: [str(a.ctx) for a in (
        mx.nd.relu(data=np.ones(2, ctx=mx.cpu(1)).as_nd_ndarray()),
        mx.nd.maximum(2, np.ones(2, ctx=mx.cpu(1)).as_nd_ndarray()))],
})

ERRORS = {
    'broadcast_mismatch': lambda: np.ones((3, 2)) + np.ones((4,)),
    'index_out_of_bounds': lambda: _x()[5],
    'too_many_indices': lambda: _x()[0, 0, 0],
    'float_of_array': lambda: float(np.ones(2)),
    'int_of_array': lambda: int(np.ones(2)),
    'len_0d': lambda: len(np.array(1.)),
    'sum_axis_out_of_range': lambda: _x().sum(axis=5),
    'dot_mismatch': lambda: np.dot(np.ones((2, 3)), np.ones((2, 3))),
    'reshape_bad': lambda: _x().reshape(5, 5),
    'split_uneven': lambda: np.split(np.arange(5), 2),
    'floor_divide': lambda: _i() // 2,
    'pad_int_width': lambda: np.pad(_x(), 1),
    'setitem_shape': lambda: _x().__setitem__(0, np.ones(3)),
    'concatenate_shape': lambda: np.concatenate([np.ones((2, 3)), np.ones((2, 4))]),
    'matmul_shape': lambda: np.matmul(np.ones((2, 3)), np.ones((2, 3))),
    'argmax_axis': lambda: np.argmax(_x(), axis=2),
    'transpose_axes': lambda: np.transpose(_x(), (0, 2)),
    'swapaxes_axis': lambda: np.swapaxes(_x(), 0, 3),
    'expand_dims_axis': lambda: np.expand_dims(_x(), 4),
    'squeeze_not_1': lambda: np.squeeze(_x(), axis=0),
    'zeros_negative': lambda: np.zeros((-1, 2)),
    'method_exp': lambda: _x().exp(),
    'method_softmax': lambda: _x().softmax(),
    'npx_reshape_skip_not_1': lambda: npx.reshape(np.ones((2, 3, 4)), (-3, -2)),
    # products refuse mixed dtypes (d2l 5.1's FixedHiddenMLP with a float64 constant)
    'dot_mixed_dtypes': lambda: np.dot(np.ones((2, 2)), np.array(onp.ones((2, 2)))),
    'matmul_mixed_dtypes': lambda: np.ones((2, 2)) @ np.ones((2, 2), dtype='int32'),
    'einsum_mixed_dtypes': lambda: np.einsum('ij,jk->ik', np.ones((2, 2)),
                                             np.array(onp.ones((2, 2)))),
}


# ---- scenarios --------------------------------------------------------------------------
def s_d2l_ndarray():
    """d2l 2.1: operations, broadcasting, indexing, saving memory, conversion."""
    x = np.arange(12)
    X = x.reshape(3, 4)
    Y = np.array([[2, 1, 4, 3], [1, 2, 3, 4], [4, 3, 2, 1]])
    out = {'n': onp.array([x.size] + list(X.shape))}
    a, b = np.array([1, 2, 4, 8]), np.array([2, 2, 2, 2])
    for i, v in enumerate([a + b, a - b, a * b, a / b, a ** b, np.exp(a)]):
        out[f'op{i}'] = v.asnumpy()
    out['cat0'] = np.concatenate([X, Y], axis=0).asnumpy()
    out['cat1'] = np.concatenate([X, Y], axis=1).asnumpy()
    out['eq'] = (X == Y).asnumpy()
    out['sum'] = X.sum().asnumpy()
    Z = np.zeros_like(Y)
    before = id(Z)
    Z[:] = X + Y
    before_x = id(X)
    X += Y
    out['same_ids'] = onp.array([id(Z) == before, id(X) == before_x])
    A = X.asnumpy()
    B = np.array(A)
    out['conv'] = onp.array([type(A).__module__.split('.')[0] == 'numpy', kind(B) == 'np.ndarray'])
    a = np.array([3.5])
    out['scalars'] = onp.array([a.item(), float(a), int(a)])
    return out


def s_d2l_linalg():
    """d2l 2.3: scalars, vectors, matrices, tensors, reductions, products, norms."""
    x, y = np.array(3.0), np.array(2.0)
    out = {'scalar_ops': onp.array([float(v) for v in (x + y, x * y, x / y, x ** y)])}
    v = np.arange(4)
    out['vec'] = onp.array([float(v[3]), len(v), v.shape[0]])
    A = np.arange(20).reshape(5, 4)
    B = np.array([[1, 2, 3], [2, 0, 4], [3, 4, 5]])
    out['AT'] = A.T.asnumpy()
    out['sym'] = (B == B.T).asnumpy()
    X = np.arange(24).reshape(2, 3, 4)
    A2 = A.copy()
    out['hadamard'] = (A * A2).asnumpy()
    out['scalar_tensor'] = (2 + X).asnumpy()
    out['sums'] = onp.array([float(A.sum()), float(A.mean()), float(A.sum() / A.size)])
    out['sum0'] = A.sum(axis=0).asnumpy()
    out['sum01'] = A.sum(axis=[0, 1]).asnumpy()
    sum_A = A.sum(axis=1, keepdims=True)
    out['norm_rows'] = (A / sum_A).asnumpy()
    out['cumsum'] = A.cumsum(axis=0).asnumpy()
    x4, y4 = np.arange(4), np.ones(4)
    out['dot'] = onp.array([float(np.dot(x4, y4)), float(np.sum(x4 * y4))])
    out['mv'] = np.dot(A, x4).asnumpy()
    out['mm'] = np.dot(A, np.ones(shape=(4, 3))).asnumpy()
    u = np.array([3, -4])
    out['norms'] = onp.array([float(np.linalg.norm(u)), float(np.abs(u).sum()),
                              float(np.linalg.norm(np.ones((4, 9))))])
    return out


def s_d2l_autograd():
    """d2l 2.5: gradients of 2 x.x, sum, x*x (non-scalar head), detach, control flow."""
    out = {}
    x = np.arange(4.0)
    x.attach_grad()
    out['grad0'] = x.grad.asnumpy()
    with autograd.record():
        y = 2 * np.dot(x, x)
    out['y'] = y.asnumpy()
    y.backward()
    out['grad_dot'] = x.grad.asnumpy()
    out['check'] = (x.grad == 4 * x).asnumpy()
    with autograd.record():
        y = x.sum()
    y.backward()
    out['grad_sum'] = x.grad.asnumpy()
    with autograd.record():
        y = x * x
    y.backward()
    out['grad_square'] = x.grad.asnumpy()
    with autograd.record():
        y = x * x
        u = y.detach()
        z = u * x
    z.backward()
    out['grad_detach'] = x.grad.asnumpy()
    out['detach_eq'] = (x.grad == u).asnumpy()
    with autograd.record():
        y = x * x
    y.backward()
    out['grad_again'] = (x.grad == 2 * x).asnumpy()

    def f(a):
        b = a * 2
        while np.linalg.norm(b) < 1000:
            b = b * 2
        if b.sum() > 0:
            c = b
        else:
            c = 100 * b
        return c
    a = np.array(0.3)
    a.attach_grad()
    with autograd.record():
        d = f(a)
    d.backward()
    out['control_grad'] = a.grad.asnumpy()
    out['control_check'] = (a.grad == d / a).asnumpy()
    out['grad_kind'] = onp.array(kind(x.grad) == 'np.ndarray')
    return out


def s_d2l_probability():
    """d2l 2.6: multinomial counts (only what does not depend on the generator)."""
    fair_probs = [1.0 / 6] * 6
    one = np.random.multinomial(1, fair_probs)
    counts = np.random.multinomial(1000, fair_probs).astype(np.float32)
    many = np.random.multinomial(10, fair_probs, size=500)
    cum_counts = many.astype(np.float32).cumsum(axis=0)
    estimates = cum_counts / cum_counts.sum(axis=1, keepdims=True)
    return {'one_sum': one.sum().asnumpy(), 'counts_sum': (counts / 1000).sum().asnumpy(),
            'shapes': onp.array([one.shape[0], many.shape[0], many.shape[1]]),
            'estimates_rowsum': estimates.sum(axis=1).asnumpy()[:5],
            'dtypes': onp.array([str(one.dtype), str(counts.dtype), str(estimates.dtype)])}


def _linreg_data(n=100):
    rs = onp.random.RandomState(0)
    X = rs.normal(0, 1, (n, 2)).astype('float32')
    y = (X @ onp.array([2, -3.4], dtype='float32') + 4.2 +
         rs.normal(0, 0.01, n).astype('float32'))
    return np.array(X), np.array(y).reshape((-1, 1))


def s_d2l_linreg_scratch():
    """d2l 3.2, the book's code on fixed data: data_iter (fixed order), linreg,
    squared_loss, sgd with `param[:] = ...`, float(loss.mean())."""
    features, labels = _linreg_data()
    w = np.array(onp.random.RandomState(1).normal(0, 0.01, (2, 1)).astype('float32'))
    b = np.zeros(1)
    w.attach_grad()
    b.attach_grad()

    def data_iter(batch_size, features, labels):
        num_examples = len(features)
        indices = list(range(num_examples))
        for i in range(0, num_examples, batch_size):
            batch_indices = np.array(indices[i: min(i + batch_size, num_examples)])
            yield features[batch_indices], labels[batch_indices]

    def linreg(X, w, b):
        return np.dot(X, w) + b

    def squared_loss(y_hat, y):
        return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

    def sgd(params, lr, batch_size):
        for param in params:
            param[:] = param - lr * param.grad / batch_size

    losses = []
    for _ in range(3):
        for X, y in data_iter(10, features, labels):
            with autograd.record():
                l = squared_loss(linreg(X, w, b), y)
            l.backward()
            sgd([w, b], 0.03, 10)
        losses.append(float(squared_loss(linreg(features, w, b), labels).mean()))
    true_w = np.array([2, -3.4])
    return {'losses': onp.array(losses), 'w': w.asnumpy(), 'b': b.asnumpy(),
            'w_err': (true_w - w.reshape(true_w.shape)).asnumpy(), 'b_err': (4.2 - b).asnumpy()}


def s_d2l_linreg_concise():
    """d2l 3.3: ArrayDataset + DataLoader of np arrays, nn.Sequential/Dense, L2Loss,
    Trainer('sgd'), weight.data() as np arrays."""
    features, labels = _linreg_data()
    dataset = gluon.data.ArrayDataset(features, labels)
    data_iter = gluon.data.DataLoader(dataset, 10, shuffle=False)
    first = next(iter(data_iter))
    net = nn.Sequential()
    net.add(nn.Dense(1))
    net.initialize(init.Constant(0.01))
    loss = gluon.loss.L2Loss()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.03})
    losses = []
    for _ in range(3):
        for X, y in data_iter:
            with autograd.record():
                l = loss(net(X), y)
            l.backward()
            trainer.step(10)
        losses.append(float(loss(net(features), labels).mean()))
    w, b = net[0].weight.data(), net[0].bias.data()
    kinds = [kind(first[0]), kind(first[1]), kind(w), kind(net[0].weight.grad()),
             kind(net(features)), kind(loss(net(features), labels)), kind(dataset[0][0])]
    return {'losses': onp.array(losses), 'w': w.asnumpy(), 'b': b.asnumpy(),
            'w_err': (np.array([2, -3.4]) - w.reshape((2,))).asnumpy(),
            'kinds': onp.array(kinds), 'batch_shapes': onp.array(
                list(first[0].shape) + list(first[1].shape))}


def _images(n=64, seed=0):
    rs = onp.random.RandomState(seed)
    X = rs.randint(0, 256, (n, 28, 28, 1)).astype('uint8')
    y = rs.randint(0, 10, n).astype('int32')
    return X, y


def s_d2l_softmax_concise():
    """d2l 3.5/3.7: images through transforms.ToTensor in a DataLoader, Dense(10),
    SoftmaxCrossEntropyLoss, Trainer, accuracy as the book computes it."""
    X, y = _images()
    to_tensor = gluon.data.vision.transforms.ToTensor()
    dataset = gluon.data.ArrayDataset(np.array(X, dtype='uint8'),
                                      np.array(y, dtype='int32')).transform_first(to_tensor)
    loader = gluon.data.DataLoader(dataset, 16, shuffle=False)
    net = nn.Sequential()
    net.add(nn.Dense(10))
    net.initialize(init.Constant(0.001))
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1})

    def accuracy(y_hat, y):
        if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
            y_hat = y_hat.argmax(axis=1)
        cmp = y_hat.astype(y.dtype) == y
        return float(cmp.astype(y.dtype).sum())

    losses, accs = [], []
    for _ in range(2):
        for Xb, yb in loader:
            with autograd.record():
                l = loss(net(Xb), yb)
            l.backward()
            trainer.step(Xb.shape[0])
            losses.append(float(l.sum()))
        accs.append(sum(accuracy(net(Xb), yb) for Xb, yb in loader))
    Xb, yb = next(iter(loader))
    return {'losses': onp.array(losses), 'accs': onp.array(accs),
            'w_sum': net[0].weight.data().sum().asnumpy(),
            'batch': onp.array([str(Xb.dtype), str(yb.dtype), kind(Xb)]),
            'batch_shape': onp.array(Xb.shape)}


def s_d2l_softmax_scratch():
    """d2l 3.6: softmax, cross_entropy with y_hat[range(len(y_hat)), y], accuracy."""
    def softmax(X):
        X_exp = np.exp(X)
        partition = X_exp.sum(1, keepdims=True)
        return X_exp / partition

    X = _f((2, 5))
    X_prob = softmax(X)
    y = np.array([0, 2])
    y_hat = np.array([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
    W = np.array(onp.random.RandomState(2).normal(0, 0.01, (784, 10)).astype('float32'))
    b = np.zeros(10)
    W.attach_grad()
    b.attach_grad()
    Xi, yi = _images(8)
    Xn, yn = np.array(Xi.astype('float32') / 255), np.array(yi)
    with autograd.record():
        y_hat2 = softmax(np.dot(Xn.reshape((-1, W.shape[0])), W) + b)
        l = -np.log(y_hat2[range(len(y_hat2)), yn])
    l.backward()
    return {'prob': X_prob.asnumpy(), 'prob_sum': X_prob.sum(1).asnumpy(),
            'pick': y_hat[[0, 1], y].asnumpy(),
            'ce': (-np.log(y_hat[range(len(y_hat)), y])).asnumpy(),
            'acc': onp.array(float((y_hat.argmax(axis=1).astype(y.dtype) == y).sum())),
            'loss': l.asnumpy(), 'gW': W.grad.asnumpy()[::97], 'gb': b.grad.asnumpy()}


def s_gluon_user_block():
    """d2l 5.1-style user Blocks: forward with np/npx calls, nested in Sequential, also
    hybridized; outputs and Parameters are np arrays."""
    class MLP(nn.Block):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.hidden = nn.Dense(4, activation='relu')
            self.out = nn.Dense(2)

        def forward(self, X):
            return self.out(npx.relu(self.hidden(X)).reshape(X.shape[0], -1))

    class Scale(nn.HybridBlock):
        def hybrid_forward(self, F, x):
            return F.np.sum(x, axis=1, keepdims=True) * 0.5 + F.npx.relu(x)

    X = np.arange(12).reshape(3, 4) / 10
    net = MLP()
    net.initialize(init.Constant(0.1))
    seq = nn.HybridSequential()
    seq.add(nn.Dense(3), Scale())
    seq.initialize(init.Constant(0.2))
    out1 = seq(X)
    seq.hybridize()
    out2 = seq(X)
    x = np.arange(4.0).reshape(1, 4)
    x.attach_grad()
    with autograd.record():
        y = seq(x).sum()
    y.backward()
    return {'mlp': net(X).asnumpy(), 'seq': out1.asnumpy(), 'seq_hybrid': out2.asnumpy(),
            'grad': x.grad.asnumpy(), 'dense_grad': seq[0].weight.grad().asnumpy(),
            'kinds': onp.array([kind(net(X)), kind(out2), kind(seq[0].weight.data()),
                                kind(x.grad)])}


def s_gluon_rnn_layer():
    """d2l 8.6: an rnn layer's begin_state and (output, state) in np mode, fed one-hot
    inputs made by npx.one_hot(X.T, vocab_size)."""
    layer = rnn.LSTM(3)
    layer.initialize(init.Constant(0.1))
    state = layer.begin_state(batch_size=2)
    X = npx.one_hot(np.array([[0, 1, 2], [3, 1, 0]]).T, 4)
    Y, new_state = layer(X, state)
    return {'Y': Y.asnumpy(), 'h': new_state[0].asnumpy(), 'c': new_state[1].asnumpy(),
            'kinds': onp.array([kind(state[0]), kind(Y), kind(new_state[1])])}


def s_npx_save_load():
    """npx.save / npx.load of a dict of np arrays (a file next to the test's tmp)."""
    import os
    import tempfile
    d = tempfile.mkdtemp()
    fname = os.path.join(d, 'arrays')
    npx.save(fname, {'a': np.arange(3), 'b': np.ones((2, 2), dtype='int32')})
    back = npx.load(fname)
    npx.save(fname, [np.arange(2)])
    lst = npx.load(fname)
    os.remove(fname)
    os.rmdir(d)
    return {'a': back['a'].asnumpy(), 'b': back['b'].asnumpy(),
            'l0': lst[0].asnumpy(), 'kinds': onp.array([kind(back['a']), kind(lst[0])])}


def _fixed(shape, seed, scale=1.0):
    return np.array((onp.random.RandomState(seed).normal(size=shape) * scale).astype('float32'))


def s_d2l_mlp_and_regularization():
    """d2l 4.1-4.6: activation gradients, dropout from scratch (p = 0 and 1), polynomial
    features with in-place column scaling, an MLP trained with weight decay."""
    import math
    out = {}
    x = np.arange(-2.0, 2.0, 0.5)
    x.attach_grad()
    for name, f in (('relu', npx.relu), ('sigmoid', npx.sigmoid), ('tanh', np.tanh)):
        with autograd.record():
            y = f(x)
        y.backward()
        out[f'{name}_grad'] = x.grad.asnumpy()

    def dropout_layer(X, dropout):
        if dropout == 1:
            return np.zeros_like(X)
        if dropout == 0:
            return X
        mask = np.random.uniform(0, 1, X.shape) > dropout
        return mask.astype(np.float32) * X / (1.0 - dropout)
    X = np.arange(16).reshape(2, 8)
    out['dropout'] = onp.array([dropout_layer(X, 0).asnumpy(), dropout_layer(X, 1).asnumpy()])
    features = _fixed((6, 1), 3)
    poly = np.power(features, np.arange(4).reshape(1, -1))
    for i in range(4):
        poly[:, i] /= math.gamma(i + 1)
    out['poly'] = poly.asnumpy()
    net = nn.Sequential()
    net.add(nn.Flatten(), nn.Dense(8, activation='relu'), nn.Dropout(0.0), nn.Dense(3))
    net.initialize(init.Constant(0.05))
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.1, 'wd': 0.01})
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    Xb, yb = _fixed((6, 2, 2), 4), np.array([0, 1, 2, 0, 1, 2])
    for _ in range(3):
        with autograd.record():
            l = loss(net(Xb), yb)
        l.backward()
        trainer.step(6)
    out['mlp_loss'] = l.asnumpy()
    out['mlp_w'] = net[3].weight.data().asnumpy()
    return out


def s_d2l_blocks_and_params():
    """d2l 5.1-5.5: a block with a constant parameter and Python control flow, nested
    blocks, parameter access, a custom initializer, tied parameters, custom layers, and a
    save/load round trip of the parameters."""
    import os
    import tempfile

    class FixedHiddenMLP(nn.Block):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            self.rand_weight = self.params.get_constant('rand_weight', _fixed((20, 20), 5))
            self.dense = nn.Dense(20, activation='relu')

        def forward(self, X):
            X = self.dense(X)
            X = npx.relu(np.dot(X, self.rand_weight.data()) + 1)
            X = self.dense(X)
            while np.abs(X).sum() > 1:
                X /= 2
            return X.sum()

    class MyInit(init.Initializer):
        def _init_weight(self, name, data):
            data[:] = np.arange(data.size).reshape(data.shape) % 7 - 3.0
            data *= np.abs(data) >= 2

    class CenteredLayer(nn.Block):
        def forward(self, X):
            return X - X.mean()

    class MyDense(nn.Block):
        def __init__(self, units, in_units, **kwargs):
            super().__init__(**kwargs)
            self.weight = self.params.get('weight', shape=(in_units, units))
            self.bias = self.params.get('bias', shape=(units,))

        def forward(self, x):
            linear = np.dot(x, self.weight.data(ctx=x.ctx)) + self.bias.data(ctx=x.ctx)
            return npx.relu(linear)

    X = _fixed((2, 20), 6)
    out = {}
    fixed = FixedHiddenMLP()
    fixed.initialize(init.Constant(0.02))
    out['fixed'] = fixed(X).asnumpy()
    net = nn.Sequential()
    net.add(nn.Dense(8, activation='relu'), nn.Dense(1))
    net.initialize(MyInit())
    net(X)
    out['custom_init'] = net[0].weight.data()[:2].asnumpy()
    net[0].weight.data()[:] += 1
    net[0].weight.data()[0, 0] = 42
    out['edited'] = net[0].weight.data()[0].asnumpy()
    out['net_out'] = net(X).asnumpy()
    out['names'] = onp.array(sorted(k.split('_', 1)[1] for k in net.collect_params()))
    shared = nn.Dense(8, activation='relu')
    tied = nn.Sequential()
    tied.add(nn.Dense(8, activation='relu'), shared,
             nn.Dense(8, activation='relu', params=shared.params), nn.Dense(10))
    tied.initialize(init.Constant(0.1))
    tied(X)
    out['tied'] = (tied[1].weight.data()[0] == tied[2].weight.data()[0]).asnumpy()
    out['centered'] = CenteredLayer()(np.array([1, 2, 3, 4, 5])).asnumpy()
    dense = MyDense(units=3, in_units=5)
    dense.initialize(init.Constant(0.3))
    out['mydense'] = dense(_fixed((2, 5), 7)).asnumpy()
    fname = os.path.join(tempfile.mkdtemp(), 'mlp.params')
    net.save_parameters(fname)
    clone = nn.Sequential()
    clone.add(nn.Dense(8, activation='relu'), nn.Dense(1))
    clone.load_parameters(fname)
    out['clone_same'] = (clone(X) == net(X)).asnumpy()
    out['clone_kind'] = onp.array(kind(clone[0].weight.data()))
    os.remove(fname)
    return out


def s_d2l_convolutions():
    """d2l 6.2-6.6: corr2d with element setitem, learning an edge kernel with Conv2D,
    multi-channel correlation, 1x1 convolution as dot, pooling, LeNet's shapes."""
    def corr2d(X, K):
        h, w = K.shape
        Y = np.zeros((X.shape[0] - h + 1, X.shape[1] - w + 1))
        for i in range(Y.shape[0]):
            for j in range(Y.shape[1]):
                Y[i, j] = (X[i: i + h, j: j + w] * K).sum()
        return Y
    out = {}
    X = np.array([[0.0, 1.0, 2.0], [3.0, 4.0, 5.0], [6.0, 7.0, 8.0]])
    K = np.array([[0.0, 1.0], [2.0, 3.0]])
    out['corr2d'] = corr2d(X, K).asnumpy()
    X = np.ones((6, 8))
    X[:, 2:6] = 0
    Y = corr2d(X, np.array([[1.0, -1.0]]))
    conv2d = nn.Conv2D(1, kernel_size=(1, 2), use_bias=False)
    conv2d.initialize(init.Constant(0.3))
    X, Y = X.reshape(1, 1, 6, 8), Y.reshape(1, 1, 6, 7)
    for _ in range(10):
        with autograd.record():
            Y_hat = conv2d(X)
            l = (Y_hat - Y) ** 2
        l.backward()
        conv2d.weight.data()[:] -= 3e-2 * conv2d.weight.grad()
    out['learned'] = conv2d.weight.data().reshape(1, 2).asnumpy()
    out['learn_loss'] = onp.array(float(l.sum()))
    Xc = np.stack([np.arange(9.).reshape(3, 3), np.arange(1., 10.).reshape(3, 3)])
    Kc = np.stack([K, K + 1])
    out['multi_in'] = sum(corr2d(x, k) for x, k in zip(Xc, Kc)).asnumpy()
    K3 = np.stack((Kc, Kc + 1, Kc + 2), 0)
    out['multi_out'] = np.stack([sum(corr2d(x, k) for x, k in zip(Xc, k3))
                                 for k3 in K3], 0).asnumpy()
    X1, K1 = _fixed((3, 3, 3), 8), _fixed((2, 3, 1, 1), 9)
    out['conv1x1'] = np.dot(K1.reshape((2, 3)), X1.reshape((3, 9))).reshape((2, 3, 3)).asnumpy()
    X = np.arange(16, dtype=np.float32).reshape((1, 1, 4, 4))
    out['pool'] = nn.MaxPool2D(3, padding=1, strides=2)(X).asnumpy()
    out['pool_2ch'] = nn.MaxPool2D(3, padding=1, strides=2)(
        np.concatenate((X, X + 1), 1)).asnumpy()
    net = nn.Sequential()
    net.add(nn.Conv2D(channels=6, kernel_size=5, padding=2, activation='sigmoid'),
            nn.AvgPool2D(pool_size=2, strides=2),
            nn.Conv2D(channels=16, kernel_size=5, activation='sigmoid'),
            nn.AvgPool2D(pool_size=2, strides=2),
            nn.Dense(120, activation='sigmoid'), nn.Dense(84, activation='sigmoid'),
            nn.Dense(10))
    net.initialize(init.Constant(0.01))
    X = _fixed((1, 1, 28, 28), 10)
    shapes = []
    for layer in net:
        X = layer(X)
        shapes.append(list(X.shape) + [0] * (4 - X.ndim))
    out['lenet_shapes'] = onp.array(shapes)
    out['lenet_out'] = X.asnumpy()
    return out


def s_d2l_rnn_scratch():
    """d2l 8.5: an RNN from scratch (one-hot inputs, tanh recurrence, concatenated
    outputs), gradient clipping over the parameters' grads, two SGD steps, prediction."""
    import math
    vocab_size, num_hiddens = 6, 8
    params = [_fixed((vocab_size, num_hiddens), 11, 0.1), _fixed((num_hiddens, num_hiddens), 12, 0.1),
              np.zeros(num_hiddens), _fixed((num_hiddens, vocab_size), 13, 0.1),
              np.zeros(vocab_size)]
    for p in params:
        p.attach_grad()

    def rnn(inputs, state, params):
        W_xh, W_hh, b_h, W_hq, b_q = params
        H, = state
        outputs = []
        for X in inputs:
            H = np.tanh(np.dot(X, W_xh) + np.dot(H, W_hh) + b_h)
            outputs.append(np.dot(H, W_hq) + b_q)
        return np.concatenate(outputs, axis=0), (H,)

    def net(X, state):
        return rnn(npx.one_hot(X.T, vocab_size), state, params)

    def grad_clipping(theta):
        norm = math.sqrt(sum((p.grad ** 2).sum() for p in params))
        if norm > theta:
            for param in params:
                param.grad[:] *= theta / norm
        return norm

    X = np.array([[0, 1, 2, 3], [5, 4, 3, 2]])
    Y = np.array([[1, 2, 3, 4], [4, 3, 2, 1]])
    loss = gluon.loss.SoftmaxCrossEntropyLoss()
    state = (np.zeros((2, num_hiddens)),)
    out = {}
    for step in range(2):
        state = [s.detach() for s in state]
        with autograd.record():
            y_hat, state = net(X, state)
            l = loss(y_hat, Y.T.reshape(-1)).mean()
        l.backward()
        out[f'norm{step}'] = onp.array(grad_clipping(0.05))
        for p in params:
            p[:] = p - 1.0 * p.grad
        out[f'loss{step}'] = l.asnumpy()
    outputs = [0]
    state = (np.zeros((1, num_hiddens)),)
    for _ in range(5):
        y, state = net(np.array([outputs[-1]]).reshape((1, 1)), state)
        outputs.append(int(y.argmax(axis=1).reshape(1)))
    out['predicted'] = onp.array(outputs)
    out['W_hq'] = params[3].asnumpy()
    return out


SCENARIOS = {n[2:]: f for n, f in dict(globals()).items() if n.startswith('s_')}
