"""Operator kernels that MXNet 1.9.1's tests/python/unittest/test_operator.py exercises
(part 2: sampling keywords, legacy creation shapes, depth/space, split_v2, Pooling pads,
unravel_index, Dropout p=1, potrf/potri lower, SoftmaxOutput labels and normalization,
BilinearResize2D like, CTCLoss lengths, PSROIPooling symbols, Custom op errors). Each case
runs under either library (`mx` is bound at call time); tools/golden_cases.py operator_b
stores MXNet's values, tests/test_operator_kernels_b.py compares regluon's with them."""
import numpy as np


def _val(v):
    """A value as an array plus the name of its Python type (NDArray results as numpy)."""
    kind = 'ndarray' if isinstance(v, np.ndarray) else type(v).__name__
    if hasattr(v, 'asnumpy'):
        v = v.asnumpy()
    return np.asarray(v), kind


def _outcome(fn):
    """What calling fn gives: its result's shape and dtype, or the error's type name."""
    try:
        r = fn()
        if hasattr(r, 'wait_to_read'):
            r.wait_to_read()
    except Exception as e:  # pylint: disable=broad-except
        return _val(type(e).__name__)
    return _val(f'{tuple(r.shape)} {np.dtype(r.dtype).name}')


def sample_keywords(mx):
    """sample_normal(mu=, sigma=) and the other _sample_* keywords; shape=() / int / tuple.
    (MXNet's and torch's generators differ: shapes and dtypes only.)"""
    a, b = mx.nd.array([10.0, 2.0]), mx.nd.array([0.5, 1.5])
    calls = {
        'normal_kw': lambda: mx.nd.sample_normal(mu=a, sigma=b),
        'normal_shape0': lambda: mx.nd.sample_normal(mu=a, sigma=b, shape=()),
        'normal_shape_int': lambda: mx.nd.sample_normal(mu=a, sigma=b, shape=3),
        'normal_shape_tuple': lambda: mx.nd.sample_normal(a, b, shape=(2, 2), dtype='float64'),
        'normal_mixed': lambda: mx.nd.sample_normal(a, sigma=b),
        'normal_loc': lambda: mx.nd.sample_normal(loc=a, sigma=b),
        'uniform_kw': lambda: mx.nd.sample_uniform(low=a, high=a + 1, shape=2),
        'gamma_kw': lambda: mx.nd.sample_gamma(alpha=b, beta=b),
        'exponential_kw': lambda: mx.nd.sample_exponential(lam=b, shape=(3,)),
        'poisson_kw': lambda: mx.nd.sample_poisson(lam=b),
        'negbin_kw': lambda: mx.nd.sample_negative_binomial(k=mx.nd.array([3, 4]), p=b / 2),
        'gnb_kw': lambda: mx.nd.sample_generalized_negative_binomial(mu=a, alpha=b),
    }
    out = {k: _outcome(f) for k, f in calls.items()}
    s = mx.sym.sample_normal(mu=mx.sym.var('m'), sigma=mx.sym.var('s'), shape=2)
    out['sym_args'] = _val(' '.join(s.list_arguments()))
    out['sym_shape'] = _val(np.array(s.infer_shape(m=(3,), s=(3,))[1][0]))
    return out


def legacy_creation_shapes(mx):
    """Outside np shape semantics zeros/ones refuse 0-d and zero-size shapes, full only 0-d,
    empty none; inside mx.np_shape() they all make them."""
    out = {}
    for name in ('zeros', 'ones', 'empty'):
        for i, sh in enumerate([(), (0, 1, 3, 0), (2, 0), 0, (3,)]):
            out[f'{name}_{i}'] = _outcome(lambda: getattr(mx.nd, name)(sh))
    for i, sh in enumerate([(), 0, (2, 0), (2,)]):
        out[f'full_{i}'] = _outcome(lambda: mx.nd.full(sh, 3))
    out['zeros_out'] = _outcome(lambda: mx.nd.zeros((2, 0), out=mx.nd.empty((2, 0))))
    with mx.np_shape():
        out['np_ones0'] = _val(mx.nd.ones(shape=()))
        out['np_zeros_empty'] = _outcome(lambda: mx.nd.zeros((0, 1, 0, 4)))
        a = mx.nd.ones(())
        a[:] = 5            # x[:] = v on a 0-d array
        out['np_setitem0'] = _val(a)
    out['set_np_shape'] = _val(np.array([mx.set_np_shape(True), mx.is_np_shape(),
                                         mx.set_np_shape(False), mx.is_np_shape()]))
    return out


def index_array_zero_dim(mx):
    """contrib.index_array of a 0-d input in np shape mode, forward and backward."""
    out = {}
    with mx.np_shape():
        s = mx.sym.contrib.index_array(mx.sym.var('data'))
        ex = s.bind(mx.cpu(), {'data': mx.nd.ones(())}, args_grad={'data': mx.nd.ones(())})
        ex.forward(is_train=True)
        ex.backward([mx.nd.ones(ex.outputs[0].shape, dtype=ex.outputs[0].dtype)])
        out['fwd'] = _val(ex.outputs[0])
        out['grad'] = _val(ex.grad_dict['data'])
    return out


def depth_space(mx):
    """depth_to_space / space_to_depth values and their refusals (a 0 dimension, a size
    that does not divide, block 0)."""
    x = mx.nd.array(np.arange(2 * 8 * 2 * 3).reshape(2, 8, 2, 3))
    out = {'d2s': _val(mx.nd.depth_to_space(x, 2)),
           's2d': _val(mx.nd.space_to_depth(mx.nd.depth_to_space(x, 2), 2))}
    bad = {'d2s_space0': ('depth_to_space', (1, 4, 0, 3), 2),
           'd2s_depth0': ('depth_to_space', (1, 0, 2, 2), 2),
           'd2s_depth3': ('depth_to_space', (1, 3, 2, 2), 2),
           'd2s_block0': ('depth_to_space', (1, 4, 2, 2), 0),
           's2d_depth0': ('space_to_depth', (1, 0, 2, 2), 2),
           's2d_space0': ('space_to_depth', (1, 1, 0, 2), 2),
           's2d_batch0': ('space_to_depth', (0, 1, 2, 2), 2),
           's2d_space3': ('space_to_depth', (1, 1, 3, 2), 2),
           's2d_block0': ('space_to_depth', (1, 1, 2, 2), 0)}
    for k, (fn, sh, b) in bad.items():
        out[k] = _outcome(lambda: getattr(mx.nd, fn)(mx.nd.ones(sh) if 0 not in sh
                                                       else mx.nd.empty(sh), b))
    return out


def split_v2_symbol(mx):
    """sym.split_v2 has one output per part; its backward concatenates their gradients."""
    out = {}
    x = mx.nd.array(np.arange(12.0).reshape(2, 6))
    for name, ios in (('indices', (1, 4)), ('sections', 3)):
        s = mx.sym.split_v2(mx.sym.var('data'), indices_or_sections=ios, axis=1)
        out[f'{name}_n'] = _val(len(s.list_outputs()))
        ex = s.bind(mx.cpu(), {'data': x}, args_grad={'data': mx.nd.ones((2, 6))})
        ex.forward(is_train=True)
        heads = [mx.nd.ones(o.shape) * (i + 1) for i, o in enumerate(ex.outputs)]
        ex.backward(heads)
        for i, o in enumerate(ex.outputs):
            out[f'{name}_out{i}'] = _val(o)
        out[f'{name}_grad'] = _val(ex.grad_dict['data'])
    return out


def pooling_pads(mx):
    """Pooling reads the first n entries of pad/stride; 'same' refuses a nonzero pad."""
    x1 = mx.nd.array(np.random.RandomState(0).rand(1, 1, 10))
    x2 = mx.nd.array(np.random.RandomState(1).rand(1, 1, 7, 7))
    out = {'same_pad000': _val(mx.nd.Pooling(x1, kernel=2, stride=2, pad=(0, 0, 0),
                                             pool_type='max', pooling_convention='same'))}
    for i, pad in enumerate([2, (1, 1, 1), (1,)]):
        out[f'same_bad{i}'] = _outcome(lambda: mx.nd.Pooling(
            x1, kernel=2, stride=2, pad=pad, pool_type='max', pooling_convention='same'))
    for i, pad in enumerate([(0, 0, 0), (1, 1, 1), 2, (1,)]):
        out[f'valid1d_{i}'] = _val(mx.nd.Pooling(x1, kernel=3, stride=2, pad=pad,
                                                 pool_type='max'))
    out['valid2d_long'] = _val(mx.nd.Pooling(x2, kernel=(3, 3), stride=(2, 2, 2),
                                             pad=(1, 1, 1), pool_type='avg'))
    out['valid2d_short'] = _outcome(lambda: mx.nd.Pooling(x2, kernel=(3, 3), stride=(2, 2),
                                                          pad=(1,), pool_type='max'))
    return out


def ravel_unravel(mx):
    """unravel_index leaves the rest in the leading axis (shape[0] may be -1)."""
    flat = mx.nd.array([0, 5, 49, 130])
    coords = mx.nd.array([[0, 5, 49, 130], [1, 2, 3, 4]])
    return {'unravel_m1': _val(mx.nd.unravel_index(flat, shape=(-1,))),
            'unravel_1d': _val(mx.nd.unravel_index(flat, shape=(50,))),
            'unravel_m1_7': _val(mx.nd.unravel_index(flat, shape=(-1, 7))),
            'unravel_3_7': _val(mx.nd.unravel_index(flat, shape=(3, 7))),
            'unravel_3d': _val(mx.nd.unravel_index(flat, shape=(2, 3, 7))),
            'ravel_m1_7': _val(mx.nd.ravel_multi_index(coords, shape=(-1, 7))),
            'ravel_3_7': _val(mx.nd.ravel_multi_index(coords, shape=(3, 7)))}


def dropout_p1(mx):
    """Dropout(p=1) in training: NaN values and NaN gradient (MXNet's 0 * 1/(1-p))."""
    out = {}
    for name, kw in (('plain', {}), ('axes', {'axes': (0,)}), ('always', {'mode': 'always'})):
        x = mx.nd.ones((2, 3))
        x.attach_grad()
        with mx.autograd.record():
            y = mx.nd.Dropout(x, p=1.0, **kw)
        y.backward()
        out[name] = _val(y)
        out[name + '_grad'] = _val(x.grad)
    s = mx.sym.Dropout(mx.sym.var('data'), p=1.0)
    ex = s.simple_bind(mx.cpu(), data=(2, 2))
    ex.arg_dict['data'][:] = 1
    ex.forward(is_train=True)
    out['sym'] = _val(ex.outputs[0])
    ex.forward(is_train=False)
    out['sym_infer'] = _val(ex.outputs[0])
    return out


def potrf_potri_lower(mx):
    """linalg.potrf/potri with lower=False: the upper factor, values and gradients."""
    a = np.array([[4.0, 2.0, 0.6], [2.0, 3.0, 0.4], [0.6, 0.4, 2.0]])
    out = {}
    def run(op, batch, lower):
        x = mx.nd.array(batch)
        x.attach_grad()
        with mx.autograd.record():
            y = op(x, lower=lower)
            (y * mx.nd.array(np.arange(9.0).reshape(3, 3))).sum().backward()
        name = op.__name__.split('_')[-1]
        out[f'{name}_{lower}'] = _val(y)
        out[f'{name}_{lower}_grad'] = _val(x.grad)
    for lower in (True, False):
        run(mx.nd.linalg.potrf, np.stack([a, a * 2]), lower)
        run(mx.nd.linalg.potri, np.stack([np.tril(a) if lower else np.triu(a)] * 2), lower)
    s = mx.sym.linalg.potrf(mx.sym.var('a'), lower=False)
    out['sym'] = _val(s.eval(a=mx.nd.array(a))[0])
    return out


def softmax_output_labels(mx):
    """SoftmaxOutput: a label of data's shape is a probability label (gradient
    (out - label) * grad_scale); multi_output normalization 'null' divides by the positions
    per sample, 'batch' by all positions, 'valid' by the labels not ignored."""
    rs = np.random.RandomState(0)
    out = {}
    x = mx.nd.array(rs.randn(3, 4))
    p = mx.nd.softmax(mx.nd.array(rs.randn(3, 4)))
    for i, kw in enumerate([{}, {'normalization': 'batch', 'grad_scale': 2.0},
                            {'use_ignore': True, 'ignore_label': 0, 'normalization': 'valid'},
                            {'preserve_shape': True}, {'multi_output': True}]):
        x.attach_grad()
        with mx.autograd.record():
            y = mx.nd.SoftmaxOutput(x, p, **kw)
        y.backward()
        out[f'prob_{i}'] = _val(y)
        out[f'prob_{i}_grad'] = _val(x.grad)
    x3 = mx.nd.array(rs.randn(2, 3, 4, 2))
    p3 = mx.nd.softmax(mx.nd.array(rs.randn(2, 3, 4, 2)))
    x3.attach_grad()
    with mx.autograd.record():
        y = mx.nd.SoftmaxOutput(x3, p3, preserve_shape=True)
    y.backward()
    out['prob3d_grad'] = _val(x3.grad)
    xm = mx.nd.array(rs.randn(2, 3, 2, 2))
    lab = mx.nd.array([[[0, 1], [2, 0]], [[1, 1], [2, 2]]])
    for norm in ('null', 'batch', 'valid'):
        for ign in (False, True):
            xm.attach_grad()
            with mx.autograd.record():
                y = mx.nd.SoftmaxOutput(xm, lab, multi_output=True, normalization=norm,
                                        grad_scale=0.7, use_ignore=ign, ignore_label=1)
            y.backward()
            out[f'multi_{norm}_{ign}_grad'] = _val(xm.grad)
    s = mx.sym.SoftmaxOutput(mx.sym.var('X'), mx.sym.var('L'))
    ex = s.bind(mx.cpu(), {'X': x, 'L': p}, args_grad={'X': mx.nd.zeros((3, 4))})
    ex.forward(is_train=True)
    ex.backward()
    out['sym_grad'] = _val(ex.grad_dict['X'])
    return out


def bilinear_resize_like(mx):
    """BilinearResize2D(mode='like'): like's gradient is written, as zeros."""
    rs = np.random.RandomState(0)
    s = mx.sym.contrib.BilinearResize2D(mx.sym.var('data'), mx.sym.var('like'), mode='like')
    data, like = mx.nd.array(rs.rand(1, 2, 3, 4)), mx.nd.array(rs.rand(1, 2, 5, 6))
    ex = s.bind(mx.cpu(), {'data': data, 'like': like},
                args_grad={'data': mx.nd.ones((1, 2, 3, 4)), 'like': mx.nd.ones((1, 2, 5, 6))})
    ex.forward(is_train=True)
    ex.backward([mx.nd.array(rs.rand(1, 2, 5, 6))])
    out = {'out': _val(ex.outputs[0]), 'grad_data': _val(ex.grad_dict['data']),
           'grad_like': _val(ex.grad_dict['like'])}
    like.attach_grad()
    with mx.autograd.record():
        y = mx.nd.contrib.BilinearResize2D(data, like, mode='like')
    y.backward()
    out['nd_grad_like'] = _val(like.grad)
    return out


def ctc_data_lengths(mx):
    """CTCLoss reads nothing past a sequence's data length: NaN there leaves the loss and
    the gradient finite, with zero gradient past the length."""
    rs = np.random.RandomState(0)
    out = {}
    for blank in ('first', 'last'):
        data = rs.randn(6, 2, 5).astype(np.float32)
        data[4:, 0] = np.nan
        data[5:, 1] = np.nan
        pad = 0 if blank == 'first' else -1
        off = 1 if blank == 'first' else 0
        label = np.array([[0, 1, 2], [1, 1, pad - off]]) + off
        x = mx.nd.array(data)
        x.attach_grad()
        with mx.autograd.record():
            loss = mx.nd.CTCLoss(x, mx.nd.array(label), mx.nd.array([4, 5]),
                                 mx.nd.array([3, 2]), use_data_lengths=True,
                                 use_label_lengths=True, blank_label=blank)
        loss.backward()
        out[f'{blank}_loss'] = _val(loss)
        out[f'{blank}_grad'] = _val(x.grad)
    return out


def roi_symbol_inputs(mx):
    """PSROIPooling/ROIAlign/ROIPooling symbols without inputs make <name>_data/_rois
    variables; simple_bind ignores keyword values that are not shapes (force_rebind)."""
    out = {}
    syms = {'psroi': mx.sym.contrib.PSROIPooling(spatial_scale=0.5, output_dim=2,
                                                 pooled_size=2, name='psroipool'),
            'roialign': mx.sym.contrib.ROIAlign(pooled_size=(2, 2), spatial_scale=0.5,
                                                name='ra'),
            'roipool': mx.sym.ROIPooling(pooled_size=(2, 2), spatial_scale=0.5, name='rp')}
    rs = np.random.RandomState(0)
    data = mx.nd.array(rs.rand(1, 8, 6, 6))
    rois = mx.nd.array([[0, 0, 0, 8, 8], [0, 2, 2, 10, 11]])
    for k, s in syms.items():
        args = s.list_arguments()
        out[k + '_args'] = _val(' '.join(args))
        ex = s.simple_bind(mx.cpu(), force_rebind=True, grad_req='null',
                           **{args[0]: (1, 8, 6, 6), args[1]: (2, 5)})
        ex.forward(is_train=False, **{args[0]: data, args[1]: rois})
        out[k + '_out'] = _val(ex.outputs[0])
    return out


def custom_op_errors(mx):
    """An exception in a CustomOp's Python forward or backward is an MXNetError."""
    class Bad(mx.operator.CustomOp):
        def __init__(self, where):
            super().__init__()
            self.where = where

        def forward(self, is_train, req, in_data, out_data, aux):
            if self.where == 'forward':
                raise ValueError('bad forward')
            self.assign(out_data[0], req[0], in_data[0] * 2)

        def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
            if self.where == 'backward':
                raise KeyError('bad backward')
            self.assign(in_grad[0], req[0], out_grad[0] * 2)

    @mx.operator.register('operator_b_bad')
    class BadProp(mx.operator.CustomOpProp):
        def __init__(self, where='forward'):
            super().__init__(need_top_grad=True)
            self.where = where

        def list_arguments(self):
            return ['data']

        def list_outputs(self):
            return ['output']

        def infer_shape(self, in_shape):
            return in_shape, [in_shape[0]], []

        def create_operator(self, ctx, shapes, dtypes):
            return Bad(self.where)

    out = {}
    x = mx.nd.ones((2, 2))
    out['forward'] = _outcome(lambda: mx.nd.Custom(x, op_type='operator_b_bad'))

    def backward():
        x.attach_grad()
        with mx.autograd.record():
            y = mx.nd.Custom(x, op_type='operator_b_bad', where='backward')
        y.backward()
        return x.grad
    out['backward'] = _outcome(backward)
    out['ok'] = _val(mx.nd.Custom(x, op_type='operator_b_bad', where='none'))
    return out


CASES = {f.__name__: f for f in [
    sample_keywords, legacy_creation_shapes, index_array_zero_dim, depth_space,
    split_v2_symbol, pooling_pads, ravel_unravel, dropout_p1, potrf_potri_lower,
    softmax_output_labels, bilinear_resize_like, ctc_data_lengths, roi_symbol_inputs,
    custom_op_errors]}
