"""Cases for np-mode hybridize: each is `fn(F, *inputs)` written as MXNet 1.9.1 users write
a HybridBlock's hybrid_forward under `npx.set_np()` (F.np, F.npx, np operators on symbols),
and the inputs it gets. tools/golden_np_symbol.py runs each in MXNet as a hybridized block
(outputs, input gradients, exported JSON); tests/test_np_symbol.py runs them here.

An input spec is (shape, kind): 'f' uniform floats in [-1, 1), 'p' positive floats in
[0.5, 1.5), 'i' int32 indices in [0, 2), 'l' float lengths in [1, 3).
"""
import numpy as onp


def make_inputs(specs, seed):
    rng = onp.random.RandomState(seed)
    out = []
    for shape, kind in specs:
        if kind == 'f':
            out.append(rng.uniform(-1, 1, shape).astype('float32'))
        elif kind == 'p':
            out.append(rng.uniform(0.5, 1.5, shape).astype('float32'))
        elif kind == 'i':
            out.append(rng.randint(0, 2, shape).astype('int32'))
        elif kind == 'l':
            out.append(rng.randint(1, 3, shape).astype('float32'))
        else:
            raise ValueError(kind)
    return out


A, B = ((2, 3), 'f'), ((2, 3), 'f')
P = ((2, 3), 'p')
M = ((3, 2), 'f')
V = ((3,), 'f')
C = ((2, 3, 4), 'f')

CASES = {
    # ---- operators on symbols
    'add': (lambda F, x, y: x + y, [A, B]),
    'add_scalar': (lambda F, x: x + 2, [A]),
    'radd_scalar': (lambda F, x: 2 + x, [A]),
    'sub': (lambda F, x, y: x - y, [A, B]),
    'sub_scalar': (lambda F, x: x - 1.5, [A]),
    'rsub_scalar': (lambda F, x: 2 - x, [A]),
    'mul': (lambda F, x, y: x * y, [A, B]),
    'mul_scalar': (lambda F, x: x * 2.5, [A]),
    'div': (lambda F, x, y: x / y, [A, P]),
    'div_scalar': (lambda F, x: x / 4, [A]),
    'rdiv_scalar': (lambda F, x: 1 / x, [P]),
    'pow_scalar': (lambda F, x: x ** 2, [A]),
    'rpow_scalar': (lambda F, x: 2 ** x, [A]),
    'pow': (lambda F, x, y: x ** y, [P, B]),
    'neg': (lambda F, x: -x, [A]),
    'mod_scalar': (lambda F, x: x % 0.3, [P]),
    'broadcast_add': (lambda F, x, v: x + v, [A, V]),
    'gt': (lambda F, x, y: x > y, [A, B]),
    'gt_scalar': (lambda F, x: x > 0, [A]),
    'lt_scalar': (lambda F, x: x < 0.5, [A]),
    'eq': (lambda F, x, y: x == y, [A, A]),
    'mask_mul': (lambda F, x: x * (x > 0), [A]),
    # ---- element-wise functions
    'exp': (lambda F, x: F.np.exp(x), [A]),
    'log': (lambda F, x: F.np.log(x), [P]),
    'tanh': (lambda F, x: F.np.tanh(x), [A]),
    'sqrt': (lambda F, x: F.np.sqrt(x), [P]),
    'abs': (lambda F, x: F.np.abs(x), [A]),
    'square': (lambda F, x: F.np.square(x), [A]),
    'sin': (lambda F, x: F.np.sin(x), [A]),
    'cos': (lambda F, x: F.np.cos(x), [A]),
    'sigmoid_np': (lambda F, x: 1 / (1 + F.np.exp(-x)), [A]),
    'log1p': (lambda F, x: F.np.log1p(x), [P]),
    'isnan': (lambda F, x: F.np.isnan(x), [A]),
    'logical_not': (lambda F, x: F.np.logical_not(x > 0), [A]),
    'maximum_scalar': (lambda F, x: F.np.maximum(x, 0), [A]),
    'maximum': (lambda F, x, y: F.np.maximum(x, y), [A, B]),
    'minimum_scalar': (lambda F, x: F.np.minimum(x, 0.2), [A]),
    'multiply_fn': (lambda F, x, y: F.np.multiply(x, y), [A, B]),
    'add_fn': (lambda F, x, y: F.np.add(x, y), [A, B]),
    'subtract_fn': (lambda F, x, y: F.np.subtract(x, y), [A, B]),
    'divide_fn': (lambda F, x, y: F.np.divide(x, y), [A, P]),
    'power_fn': (lambda F, x: F.np.power(x, 3), [A]),
    'arctan2': (lambda F, x, y: F.np.arctan2(x, y), [A, P]),
    'clip': (lambda F, x: F.np.clip(x, -0.5, 0.5), [A]),
    'clip_min_only': (lambda F, x: x.clip(min=0), [A]),
    'clip_max_none': (lambda F, x: F.np.clip(x, None, 0.25), [A]),
    'full_symbol_value': (lambda F, x, v: x + F.np.full((2, 3), v), [A, ((3,), 'f')]),
    'full_symbol_dtype': (lambda F, x, v: F.np.full((2, 3), v, dtype='float16'),
                          [A, ((3,), 'f')]),
    'full_bool': (lambda F, x: x * F.np.full((2, 3), True), [A]),
    'tile_zero': (lambda F, x: F.np.tile(F.np.ones((2, 3)), (0, 2)).sum() + x, [A]),
    'where': (lambda F, x, y: F.np.where(x > 0, x, y), [A, B]),
    'round': (lambda F, x: F.np.round(x * 4), [A]),
    'copy': (lambda F, x: F.np.copy(x), [A]),
    'diag': (lambda F, x: F.np.diag(x), [A]),
    'diag_k': (lambda F, v: F.np.diag(v, k=1), [V]),
    # ---- reductions
    'sum': (lambda F, x: F.np.sum(x, axis=1, keepdims=True), [A]),
    'sum_all': (lambda F, x: x.sum(), [A]),
    'mean': (lambda F, x: F.np.mean(x, axis=0), [A]),
    'mean_method': (lambda F, x: x.mean(axis=1), [A]),
    'max': (lambda F, x: F.np.max(x, axis=1), [A]),
    'min': (lambda F, x: F.np.min(x), [A]),
    'prod': (lambda F, x: F.np.prod(x, axis=0), [P]),
    'argmax': (lambda F, x: F.np.argmax(x, axis=1), [A]),
    'std': (lambda F, x: F.np.std(x), [A]),
    'var': (lambda F, x: F.np.var(x, axis=0), [A]),
    'cumsum': (lambda F, x: F.np.cumsum(x, axis=0), [A]),
    'norm': (lambda F, x: F.np.linalg.norm(x), [A]),
    # ---- shapes
    'reshape': (lambda F, x: x.reshape((3, -1)), [A]),
    'reshape_fn': (lambda F, x: F.np.reshape(x, (6,)), [A]),
    'reshape_args': (lambda F, x: x.reshape(3, 2), [A]),
    'transpose_T': (lambda F, x: x.T, [A]),
    'transpose': (lambda F, x: F.np.transpose(x, (1, 0, 2)), [C]),
    'transpose_method': (lambda F, x: x.transpose(2, 0, 1), [C]),
    'expand_dims': (lambda F, x: F.np.expand_dims(x, 1), [A]),
    'squeeze': (lambda F, x: F.np.squeeze(F.np.expand_dims(x, 0)), [A]),
    'concatenate': (lambda F, x, y: F.np.concatenate([x, y], axis=1), [A, B]),
    'stack': (lambda F, x, y: F.np.stack([x, y]), [A, B]),
    'split': (lambda F, x: F.np.split(x, 3, axis=1)[1], [A]),
    'swapaxes': (lambda F, x: F.np.swapaxes(x, 0, 2), [C]),
    'broadcast_to': (lambda F, x: F.np.broadcast_to(x, (4, 3)), [((1, 3), 'f')]),
    'tile': (lambda F, x: F.np.tile(x, (2, 1)), [A]),
    'repeat': (lambda F, x: F.np.repeat(x, 2, axis=0), [A]),
    'flip': (lambda F, x: F.np.flip(x, 0), [A]),
    'flatten_method': (lambda F, x: x.flatten(), [A]),
    'ravel': (lambda F, x: F.np.ravel(x), [A]),
    'hstack': (lambda F, x, y: F.np.hstack([x, y]), [A, B]),
    'vstack': (lambda F, x, y: F.np.vstack([x, y]), [A, B]),
    'astype': (lambda F, x: x.astype('float16').astype('float32'), [A]),
    'getitem_int': (lambda F, x: x[1], [A]),
    'getitem_slice': (lambda F, x: x[:, 1:3], [A]),
    'getitem_2d': (lambda F, x: x[1:, ::2], [C]),
    'getitem_slice1': (lambda F, x: x[1:3], [((4, 3), 'f')]),
    'getitem_slice_step': (lambda F, x: x[::2], [((4, 3), 'f')]),
    'getitem_slice_open': (lambda F, x: x[:-1], [((4, 3), 'f')]),
    'getitem_tuple_int': (lambda F, x: x[1, 2], [A]),
    'getitem_tuple_neg': (lambda F, x: x[:, -1], [A]),
    # ---- products
    'dot': (lambda F, x, m: F.np.dot(x, m), [A, M]),
    'matmul': (lambda F, x, m: F.np.matmul(x, m), [A, M]),
    'tensordot': (lambda F, x, m: F.np.tensordot(x, m, axes=1), [A, M]),
    'outer': (lambda F, v, w: F.np.outer(v, w), [V, V]),
    'einsum': (lambda F, x, m: F.np.einsum('ij,jk->ik', x, m), [A, M]),
    # ---- creation (added to an input so the block has one)
    'zeros': (lambda F, x: x + F.np.zeros((2, 3)), [A]),
    'ones': (lambda F, x: x + F.np.ones((3,)), [A]),
    'ones_like': (lambda F, x: F.np.ones_like(x) * x, [A]),
    'zeros_like': (lambda F, x: F.np.zeros_like(x) + x, [A]),
    'full': (lambda F, x: x * F.np.full((3,), 3.0), [A]),
    'arange': (lambda F, x: x + F.np.arange(3), [A]),
    'linspace': (lambda F, x: x * F.np.linspace(0, 1, 3), [A]),
    'eye': (lambda F, x, m: F.np.dot(F.np.eye(3), m) + x.T, [A, M]),
    # ---- npx
    'relu': (lambda F, x: F.npx.relu(x), [A]),
    'sigmoid': (lambda F, x: F.npx.sigmoid(x), [A]),
    'softmax': (lambda F, x: F.npx.softmax(x, axis=-1), [A]),
    'log_softmax': (lambda F, x: F.npx.log_softmax(x), [A]),
    'activation': (lambda F, x: F.npx.activation(x, act_type='tanh'), [A]),
    'npx_reshape': (lambda F, x: F.npx.reshape(x, (-2, -1)), [C]),
    'batch_dot': (lambda F, x, y: F.npx.batch_dot(x, y, transpose_b=True), [C, C]),
    'batch_flatten': (lambda F, x: F.npx.batch_flatten(x), [C]),
    'sequence_mask': (lambda F, x, n: F.npx.sequence_mask(x, n, use_sequence_length=True,
                                                          value=-1e6, axis=1),
                      [C, ((2,), 'l')]),
    'fully_connected': (lambda F, x, w: F.npx.fully_connected(x, w, num_hidden=3,
                                                              no_bias=True), [A, ((3, 3), 'f')]),
    'pick': (lambda F, x, i: F.npx.pick(x, i), [A, ((2,), 'i')]),
    'one_hot': (lambda F, x, i: x + F.npx.one_hot(i, 3), [A, ((2,), 'i')]),
    'topk': (lambda F, x: F.npx.topk(x, k=2, ret_typ='value'), [A]),
    'layer_norm': (lambda F, x, g, b: F.npx.layer_norm(x, g, b), [A, V, V]),
    'leaky_relu': (lambda F, x: F.npx.leaky_relu(x, slope=0.1), [A]),
    'shape_array': (lambda F, x: F.npx.shape_array(x), [A]),
    # ---- a small network body: the d2l attention-scoring pattern
    'masked_softmax': (lambda F, x, n: F.npx.softmax(
        F.npx.sequence_mask(x.reshape(-1, 4), F.np.repeat(n, 3), True, value=-1e6,
                            axis=1).reshape(2, 3, 4), axis=-1), [C, ((2,), 'l')]),
}
