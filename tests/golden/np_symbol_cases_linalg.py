"""np-mode hybridize cases for `mx.sym.np.linalg` (decompositions, solvers, norms) and the
deterministic `mx.sym.npx` functions (arange_like, cast, multibox_*, image.*, the legacy
network operators): same format as np_symbol_cases.py, goldens in
np_symbol_linalg.{npz,json}. Decompositions whose signs or order are the library's choice
(svd, eig, eigh) are checked through sign-free results (singular values, reconstructions).
The random functions are in tests/test_np_symbol_random.py (np_symbol_random_cases.py).
"""
from np_symbol_cases import A, V, C

S = ((3, 3), 'f')
SB = ((2, 3, 3), 'f')
I = ((2, 3), 'i')
IS = ((3, 3), 'i')


def _spd(F, x):
    return F.np.matmul(x, x.T) + F.np.eye(3)


def _well(F, x, n=3):
    """A well-conditioned n x n matrix from one with entries in [-1, 1)."""
    return x + F.np.eye(n) * n


def _f(i):
    return i.astype('float32')


def _isym(F, i):
    """A symmetric matrix with distinct eigenvalues from 0/1 integers."""
    return _f(i) + _f(i).T + F.np.eye(3) * (F.np.arange(3) * 3)


def _eig_recon(F, x):
    w, v = F.np.linalg.eig(_isym(F, x))
    return F.np.matmul(v * w, F.np.linalg.inv(v))


def _eigh_recon(F, x):
    w, v = F.np.linalg.eigh(_isym(F, x))
    return F.np.matmul(v * w, v.T)


def _svd_recon(F, x):
    ut, s, v = F.np.linalg.svd(x)
    return F.np.matmul(ut * s, v)


def _detection(F, f, c, loc):
    anchors = F.npx.multibox_prior(_f(f), sizes=(0.5,), ratios=(1,))
    return F.npx.multibox_detection(F.npx.softmax(_f(c) * 2, axis=1),
                                    _f(loc) * 0.1, anchors)


def _target(F, f, c):
    anchors = F.npx.multibox_prior(_f(f), sizes=(0.5,), ratios=(1,))
    label = F.np.concatenate([F.np.zeros((1, 1, 1)), F.np.full((1, 1, 2), 0.1),
                              F.np.full((1, 1, 2), 0.6)], axis=2)
    return F.npx.multibox_target(anchors, label, _f(c))[1]


CASES = {
    # ---- linalg
    'linalg_cholesky': (lambda F, x: F.np.linalg.cholesky(_spd(F, x)), [S]),
    'linalg_det': (lambda F, x: F.np.linalg.det(x), [S]),
    'linalg_det_batch': (lambda F, x: F.np.linalg.det(x), [SB]),
    'linalg_slogdet': (lambda F, x: F.np.linalg.slogdet(x)[0] * F.np.linalg.slogdet(x)[1],
                       [SB]),
    'linalg_inv': (lambda F, x: F.np.linalg.inv(_well(F, x)), [S]),
    'linalg_solve': (lambda F, x, b: F.np.linalg.solve(_well(F, x), b), [S, ((3, 2), 'f')]),
    # MXNet 1.9.1 gives zero gradients for pinv, eig, eigvals, eigh and eigvalsh (regluon
    # the real ones): these cases take integer inputs, so only values are compared
    'linalg_pinv': (lambda F, i: F.np.linalg.pinv(_f(i) * 0.5 + F.np.eye(2, 3)), [I]),
    'linalg_pinv_rcond': (lambda F, i, r: F.np.linalg.pinv(
        _f(i) * 0.5 + F.np.eye(2, 3), _f(r) * 0.01), [((2, 2, 3), 'i'), ((2,), 'i')]),
    'linalg_eigvalsh': (lambda F, i: F.np.linalg.eigvalsh(_isym(F, i)), [IS]),
    'linalg_eigvalsh_upper': (lambda F, i: F.np.linalg.eigvalsh(_f(i) * 0.3 + F.np.eye(3),
                                                                UPLO='U'), [IS]),
    'linalg_eigh_values': (lambda F, i: F.np.linalg.eigh(_isym(F, i))[0], [IS]),
    'linalg_eigh_recon': (_eigh_recon, [IS]),
    'linalg_eig_recon': (_eig_recon, [IS]),
    'linalg_eigvals_sum': (lambda F, i: F.np.sum(F.np.linalg.eigvals(_isym(F, i)) ** 2),
                           [IS]),
    'linalg_svd_values': (lambda F, x: F.np.linalg.svd(x)[1], [A]),
    'linalg_svd_recon': (_svd_recon, [A]),
    'linalg_tensorinv': (lambda F, x: F.np.linalg.tensorinv(
        F.np.reshape(_well(F, x, 4), (4, 2, 2)), ind=1), [((4, 4), 'f')]),
    'linalg_tensorsolve': (lambda F, x, b: F.np.linalg.tensorsolve(
        F.np.reshape(_well(F, x, 6), (2, 3, 6)), b), [((6, 6), 'f'), A]),
    'linalg_tensorsolve_axes': (lambda F, x, b: F.np.linalg.tensorsolve(
        F.np.reshape(_well(F, x, 6), (6, 2, 3)), b, axes=(0,)), [((6, 6), 'f'), A]),
    # ---- norms
    'norm_inf_matrix': (lambda F, x: F.np.linalg.norm(x, 'inf', (0, 1)), [A]),
    'norm_neg_inf_matrix': (lambda F, x: F.np.linalg.norm(x, '-inf', (1, 0)), [A]),
    'norm_1_matrix': (lambda F, x: F.np.linalg.norm(x, 1, (0, 1)), [A]),
    'norm_neg1_keepdims': (lambda F, x: F.np.linalg.norm(x, -1, (1, 0), keepdims=True), [A]),
    'norm_2_matrix': (lambda F, x: F.np.linalg.norm(x, 2, (0, 1)), [A]),
    'norm_fro': (lambda F, x: F.np.linalg.norm(x, 'fro'), [A]),
    'norm_fro_axes': (lambda F, x: F.np.linalg.norm(x, axis=(1, 2)), [C]),
    'norm_ord3_axis': (lambda F, x: F.np.linalg.norm(x, 3, 1), [A]),
    'norm_ord1_axis': (lambda F, x: F.np.linalg.norm(x, 1, axis=0, keepdims=True), [A]),
    'norm_none_axis': (lambda F, x: F.np.linalg.norm(x, None, 1), [A]),
    'norm_inf_vector': (lambda F, x: F.np.linalg.norm(x, 'inf', 1), [A]),
    'norm_neg_inf_all': (lambda F, x: F.np.linalg.norm(x, '-inf'), [A]),
    'norm_2_vector': (lambda F, x: F.np.linalg.norm(x, 2), [V]),
    'norm_2_matrix_noaxis': (lambda F, x: F.np.linalg.norm(x, 2), [A]),
    'norm_nuc': (lambda F, x: F.np.linalg.norm(x, 'nuc', (0, 1)), [A]),
    'norm_neg2_matrix': (lambda F, x: F.np.linalg.norm(x, -2, (1, 2)), [C]),
    # ---- npx
    'npx_arange_like': (lambda F, x: x + F.npx.arange_like(x, start=1.0, axis=1), [A]),
    'npx_arange_like_all': (lambda F, x: x * F.npx.arange_like(x), [A]),
    'npx_cast': (lambda F, x: F.npx.cast(x * 100, dtype='int32'), [A]),
    'npx_constraint_check': (lambda F, x: x * F.npx.constraint_check(x > -2, msg='small'),
                             [A]),
    'npx_nonzero': (lambda F, x: F.npx.nonzero(x > 0), [A]),
    # (integer inputs: regluon's multibox outputs carry no gradient, MXNet's zeros)
    'npx_multibox_prior': (lambda F, f: F.npx.multibox_prior(_f(f), sizes=(0.5, 0.25),
                                                             ratios=(1, 2)),
                           [((1, 3, 2, 3), 'i')]),
    'npx_multibox_detection': (_detection, [((1, 1, 2, 2), 'i'), ((1, 2, 4), 'i'),
                                            ((1, 16), 'i')]),
    'npx_multibox_target': (_target, [((1, 1, 2, 2), 'i'), ((1, 2, 4), 'i')]),
    'npx_convolution': (lambda F, x, w, b: F.npx.convolution(x, w, b, kernel=(2, 2),
                                                             num_filter=4, pad=(1, 1)),
                        [((1, 2, 3, 3), 'f'), ((4, 2, 2, 2), 'f'), ((4,), 'f')]),
    'npx_convolution_nobias': (lambda F, x, w: F.npx.convolution(
        x, w, kernel=(3,), num_filter=2, no_bias=True, stride=(2,)),
        [((2, 3, 7), 'f'), ((2, 3, 3), 'f')]),
    'npx_deconvolution': (lambda F, x, w, b: F.npx.deconvolution(
        x, w, b, kernel=(2, 2), num_filter=3, no_bias=False, stride=(2, 2)),
        [((1, 2, 2, 2), 'f'), ((2, 3, 2, 2), 'f'), ((3,), 'f')]),
    'npx_pooling_max': (lambda F, x: F.npx.pooling(x, kernel=(2, 2), pool_type='max',
                                                   stride=(1, 1)), [((1, 2, 3, 3), 'f')]),
    'npx_pooling_avg_global': (lambda F, x: F.npx.pooling(x, kernel=(1,), pool_type='avg',
                                                          global_pool=True), [C]),
    'npx_rnn': (lambda F, x, p, h: F.npx.rnn(x, p, h, state_size=4, num_layers=1,
                                             mode='rnn_tanh'),
                [C, ((40,), 'f'), ((1, 3, 4), 'f')]),
    'npx_rnn_lstm': (lambda F, x, p, h, c: F.npx.rnn(x, p, h, c, state_size=2, num_layers=1,
                                                     mode='lstm'),
                     [C, ((64,), 'f'), ((1, 3, 2), 'f'), ((1, 3, 2), 'f')]),
    'npx_embedding': (lambda F, i, w: F.npx.embedding(i, w, input_dim=2, output_dim=3),
                      [((2, 3), 'i'), ((2, 3), 'f')]),
    'npx_dropout_eval': (lambda F, x: F.npx.dropout(x, p=0.0), [A]),
    # ---- npx.image
    'image_to_tensor': (lambda F, i: F.npx.image.to_tensor((i * 200 + 30).astype('uint8')),
                        [((2, 3, 3), 'i')]),
    'image_normalize': (lambda F, x: F.npx.image.normalize(x, mean=(0.5, 0.4, 0.3),
                                                           std=(0.2, 0.25, 0.3)), [((3, 2, 4), 'f')]),
    'image_crop': (lambda F, x: F.npx.image.crop(x, 1, 0, 2, 2), [((4, 5, 3), 'f')]),
    'image_resize': (lambda F, x: F.npx.image.resize(x, (4, 2)), [((4, 5, 3), 'f')]),
    'image_flip_left_right': (lambda F, x: F.npx.image.flip_left_right(x), [((2, 4, 3), 'f')]),
    'image_flip_top_bottom': (lambda F, x: F.npx.image.flip_top_bottom(x), [((2, 4, 3), 'f')]),
    'image_adjust_lighting': (lambda F, x: F.npx.image.adjust_lighting(
        x, alpha=(0.1, 0.2, 0.3)), [((2, 4, 3), 'f')]),
}
