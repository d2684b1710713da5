"""Cases shared by tools/golden_gluon_contrib.py (MXNet 1.9.1) and tests/test_gluon_contrib.py
(regluon): the deformable / position-sensitive / proposal contrib operators, the gluon.contrib
conv RNN cells and deformable convolution layers, each run on fixed inputs and parameters.

Every function binds the library at run time (`mx` is mxnet or regluon) and returns a dict
of numpy arrays: outputs and the gradients of every differentiable input.
"""
import numpy as np


def _rand(seed, *shape, low=-1.0, high=1.0):
    return np.random.RandomState(seed).uniform(low, high, shape).astype(np.float32)


def _run_op(mx, fn, inputs, grad_names):
    """fn(**NDArrays) under record(); outputs, and gradients of `grad_names` for a fixed
    head gradient on the first output."""
    nd, autograd = mx.nd, mx.autograd
    arrs = {k: nd.array(v) for k, v in inputs.items()}
    for k in grad_names:
        arrs[k].attach_grad()
    with autograd.record():
        out = fn(**arrs)
    outs = out if isinstance(out, (list, tuple)) else [out]
    res = {f'out{i}': o.asnumpy() for i, o in enumerate(outs)}
    if grad_names:
        head = nd.array(_rand(99, *outs[0].shape))
        outs[0].backward(head)
        for k in grad_names:
            res[f'grad_{k}'] = arrs[k].grad.asnumpy()
    return res


def _deform_inputs(n, c, h, w, f, k, g, ho, wo, ng, scale=2.0, seed=0):
    return {'data': _rand(seed, n, c, h, w),
            'offset': _rand(seed + 1, n, 2 * k * k * g, ho, wo) * scale,
            'weight': _rand(seed + 2, f, c // ng, k, k),
            'bias': _rand(seed + 3, f)}


def _rois():
    # batch index, x1, y1, x2, y2 (image coordinates; some past the border, one degenerate)
    return np.array([[0, 1, 2, 9, 11], [1, 0, 0, 15, 15], [0, 6.4, 3.5, 20, 9.6],
                     [1, 4, 4, 4, 4], [0, -3, -2, 5, 6]], np.float32)


def op_cases(mx):
    """name -> (function of the NDArrays, inputs, names of inputs to differentiate)."""
    C = mx.nd.contrib
    cases = {}
    cases['deform_basic'] = (
        lambda data, offset, weight, bias: C.DeformableConvolution(
            data, offset, weight, bias, kernel=(3, 3), pad=(1, 1), num_filter=3),
        _deform_inputs(2, 4, 6, 5, 3, 3, 1, 6, 5, 1), ['data', 'offset', 'weight', 'bias'])
    cases['deform_groups'] = (
        lambda data, offset, weight, bias: C.DeformableConvolution(
            data, offset, weight, bias, kernel=(3, 3), stride=(2, 1), dilate=(1, 2),
            pad=(1, 2), num_filter=4, num_group=2, num_deformable_group=2),
        _deform_inputs(1, 4, 7, 6, 4, 3, 2, 4, 6, 2, seed=10),
        ['data', 'offset', 'weight', 'bias'])
    cases['deform_nobias'] = (
        lambda data, offset, weight: C.DeformableConvolution(
            data, offset, weight, kernel=(2, 2), num_filter=2, no_bias=True),
        {k: v for k, v in _deform_inputs(1, 2, 4, 4, 2, 2, 1, 3, 3, 1, scale=0.8,
                                         seed=20).items() if k != 'bias'},
        ['data', 'offset', 'weight'])
    zero = _deform_inputs(1, 3, 5, 5, 2, 3, 1, 5, 5, 1, scale=0.0, seed=25)
    zero['offset'][0, :, 1, 2] = [1, 0, -1, 2, 0.5, 0, 0, -0.5, 3, 1, 4, 4, -2, 0, 0, 1, 1, 1]
    cases['deform_integer_offsets'] = (     # a fresh layer's zero offsets: integer points
        lambda data, offset, weight, bias: C.DeformableConvolution(
            data, offset, weight, bias, kernel=(3, 3), pad=(1, 1), num_filter=2),
        zero, ['data', 'offset', 'weight', 'bias'])
    mod = _deform_inputs(2, 4, 6, 5, 4, 3, 2, 6, 5, 1, seed=30)
    mod['mask'] = _rand(34, 2, 9 * 2, 6, 5, low=0.0, high=2.0)
    cases['mdeform_basic'] = (
        lambda data, offset, mask, weight, bias: C.ModulatedDeformableConvolution(
            data, offset, mask, weight, bias, kernel=(3, 3), pad=(1, 1), num_filter=4,
            num_deformable_group=2),
        mod, [])     # MXNet's CPU build has no backward for this op
    mod2 = _deform_inputs(1, 4, 7, 7, 4, 3, 1, 3, 3, 2, seed=40)
    mod2['mask'] = _rand(44, 1, 9, 3, 3, low=0.0, high=1.0)
    cases['mdeform_stride'] = (
        lambda data, offset, mask, weight, bias: C.ModulatedDeformableConvolution(
            data, offset, mask, weight, bias, kernel=(3, 3), stride=(2, 2), num_filter=4,
            num_group=2),
        mod2, [])
    ps = {'data': _rand(50, 2, 2 * 9, 8, 8), 'rois': _rois()}
    cases['psroi'] = (
        lambda data, rois: C.PSROIPooling(data, rois, spatial_scale=0.5, output_dim=2,
                                          pooled_size=3),
        ps, ['data'])
    cases['psroi_group'] = (
        lambda data, rois: C.PSROIPooling(data, rois, spatial_scale=0.6, output_dim=2,
                                          pooled_size=4, group_size=3),
        ps, ['data'])
    dps = dict(ps, trans=_rand(51, 5, 4, 3, 3))
    cases['dpsroi'] = (
        lambda data, rois, trans: C.DeformablePSROIPooling(
            data, rois, trans, spatial_scale=0.5, output_dim=2, group_size=3, pooled_size=3,
            sample_per_part=2, trans_std=0.3),
        dps, ['data', 'trans'])
    cases['dpsroi_part'] = (
        lambda data, rois, trans: C.DeformablePSROIPooling(
            data, rois, trans, spatial_scale=0.7, output_dim=2, group_size=3, pooled_size=4,
            part_size=3, sample_per_part=3, trans_std=0.5),
        dps, ['data', 'trans'])
    grid = {'data': _rand(52, 1, 8, 6, 7),           # samples on whole pixels: no slope
            'rois': np.array([[0, 0, 0, 7, 7], [0, -2, 1, 5, 8]], np.float32),
            'trans': np.full((2, 2, 2, 2), 0.25, np.float32)}
    grid['trans'][1, 0, 1, 0] = -0.25
    cases['dpsroi_integer'] = (
        lambda data, rois, trans: C.DeformablePSROIPooling(
            data, rois, trans, spatial_scale=1.0, output_dim=2, group_size=2, pooled_size=2,
            sample_per_part=2, trans_std=0.25),
        grid, ['data', 'trans'])
    cases['dpsroi_notrans'] = (
        lambda data, rois: C.DeformablePSROIPooling(
            data, rois, spatial_scale=0.5, output_dim=2, group_size=3, pooled_size=3,
            sample_per_part=2, no_trans=True),
        ps, ['data'])
    rr = {'data': _rand(60, 2, 3, 8, 9),
          'rois': np.array([[0, 4, 4, 6, 3, 30], [1, 2.5, 5, 8, 4, -45], [0, 8, 7, 4, 6, 90],
                            [1, 4, 4, 0.5, 0.5, 10], [0, 0, 0, 12, 9, 170]], np.float32)}
    cases['rroi'] = (
        lambda data, rois: C.RROIAlign(data, rois, pooled_size=(2, 3), spatial_scale=1.0),
        rr, [])
    cases['rroi_ratio'] = (
        lambda data, rois: C.RROIAlign(data, rois, pooled_size=(3, 2), spatial_scale=0.8,
                                       sampling_ratio=2),
        rr, [])
    return cases


def proposal_inputs(n, a, h, w, seed):
    cls = _rand(seed, n, 2 * a, h, w, low=0.0, high=1.0)
    cls[:, a:, 0, 0] = cls[:, a:, 0, 1]          # tied scores: the sort must be stable
    return {'cls_prob': cls, 'bbox_pred': _rand(seed + 1, n, 4 * a, h, w) * 0.3}


def proposal_cases(mx):
    C = mx.nd.contrib
    cases = {}
    one = dict(proposal_inputs(1, 6, 5, 6, 70), im_info=np.array([[80, 96, 1.0]], np.float32))
    cases['proposal'] = (
        lambda **kw: C.Proposal(**kw, scales=(2, 4), ratios=(0.5, 1, 2), feature_stride=16,
                                rpn_pre_nms_top_n=60, rpn_post_nms_top_n=12, threshold=0.6,
                                rpn_min_size=8),
        one, [])
    cases['proposal_score'] = (
        lambda **kw: C.Proposal(**kw, scales=(2, 4), ratios=(0.5, 1, 2), feature_stride=16,
                                rpn_pre_nms_top_n=-1, rpn_post_nms_top_n=40, threshold=0.3,
                                rpn_min_size=40, output_score=True),
        one, [])
    small = dict(proposal_inputs(1, 3, 4, 4, 72), im_info=np.array([[45, 50, 1.5]], np.float32))
    small['bbox_pred'] *= 20        # iou_loss: deltas are pixels
    cases['proposal_iou'] = (
        lambda **kw: C.Proposal(**kw, scales=(1,), ratios=(0.5, 1, 2), feature_stride=16,
                                rpn_pre_nms_top_n=30, rpn_post_nms_top_n=10, threshold=0.5,
                                rpn_min_size=4, iou_loss=True, output_score=True),
        small, [])
    multi = dict(proposal_inputs(2, 6, 5, 6, 74),
                 im_info=np.array([[80, 96, 1.0], [50, 60, 0.5]], np.float32))
    cases['multiproposal'] = (
        lambda **kw: C.MultiProposal(**kw, scales=(2, 4), ratios=(0.5, 1, 2),
                                     feature_stride=16, rpn_pre_nms_top_n=50,
                                     rpn_post_nms_top_n=15, threshold=0.5, rpn_min_size=10,
                                     output_score=True),
        multi, [])
    cases['multiproposal_default'] = (
        lambda **kw: C.MultiProposal(**kw, ratios=(0.5, 1, 2), scales=(4, 8)),
        multi, [])
    return cases


def run_case(mx, table, name):
    fn, inputs, grads = table(mx)[name]
    return _run_op(mx, fn, inputs, grads)


CELLS = [  # name, class, args, kwargs, input shape per step (without batch)
    ('rnn1d', 'Conv1DRNNCell', ((3, 8), 4, 3, 3), {'i2h_pad': 1}, (3, 8)),
    ('rnn2d', 'Conv2DRNNCell', ((2, 6, 5), 3, (3, 3), (3, 3)),
     {'i2h_pad': (1, 0), 'activation': 'relu'}, (2, 6, 5)),
    ('rnn2d_softrelu', 'Conv2DRNNCell', ((2, 5, 5), 3, 3, 1), {'activation': 'softrelu'},
     (2, 5, 5)),
    ('rnn3d', 'Conv3DRNNCell', ((2, 4, 4, 3), 2, (3, 3, 1), (3, 1, 3)),
     {'i2h_pad': (1, 1, 0), 'h2h_dilate': (2, 1, 1)}, (2, 4, 4, 3)),
    ('lstm1d', 'Conv1DLSTMCell', ((3, 8), 4, 3, 5), {'h2h_dilate': 2, 'i2h_dilate': 2},
     (3, 8)),
    ('lstm2d', 'Conv2DLSTMCell', ((2, 6, 5), 3, (3, 3), (3, 3)), {'i2h_pad': (1, 1)},
     (2, 6, 5)),
    ('lstm2d_sigmoid', 'Conv2DLSTMCell', ((2, 5, 4), 2, 1, 3), {'activation': 'sigmoid'},
     (2, 5, 4)),
    ('lstm3d', 'Conv3DLSTMCell', ((2, 4, 4, 3), 2, 3, 3), {'i2h_pad': 1}, (2, 4, 4, 3)),
    ('gru1d', 'Conv1DGRUCell', ((3, 8), 4, 3, 3), {}, (3, 8)),
    ('gru2d', 'Conv2DGRUCell', ((2, 6, 5), 3, (2, 3), (3, 3)), {'i2h_dilate': (2, 1)},
     (2, 6, 5)),
    ('gru3d', 'Conv3DGRUCell', ((2, 4, 4, 3), 2, (2, 2, 2), 1), {}, (2, 4, 4, 3)),
]


def make_cell(mx, name):
    _, cls, args, kwargs, _ = next(c for c in CELLS if c[0] == name)
    kwargs = dict(kwargs, prefix=name + '_')
    return getattr(mx.gluon.contrib.rnn, cls)(*args, **kwargs)


def run_cell(mx, name, length=3, batch=2):
    """Unroll `length` steps (NTC) with fixed Parameters: outputs, states and the gradients
    of the inputs and every Parameter for fixed head gradients."""
    nd, autograd = mx.nd, mx.autograd
    cell = make_cell(mx, name)
    cell.initialize(mx.init.Zero())
    shape = next(c for c in CELLS if c[0] == name)[4]
    x = nd.array(_rand(7, batch, length, *shape))
    begin = cell.begin_state(batch_size=batch)        # zeros: shapes from state_info
    params = cell.collect_params()
    names = sorted(params.keys())
    for i, k in enumerate(names):
        params[k].set_data(nd.array(_rand(100 + i, *params[k].shape) * 0.5))
    x.attach_grad()
    with autograd.record():
        out, states = cell.unroll(length, x, layout='NTC', merge_outputs=True)
        loss = (out * nd.array(_rand(8, *out.shape))).sum()
        for i, s in enumerate(states):
            loss = loss + (s * nd.array(_rand(9 + i, *s.shape))).sum()
    loss.backward()
    res = {'out': out.asnumpy(), 'grad_x': x.grad.asnumpy(),
           'names': np.array(names), 'repr': np.array(repr(cell)),
           'begin_shapes': np.array([b.shape for b in begin])}
    for i, s in enumerate(states):
        res[f'state{i}'] = s.asnumpy()
    for k in names:
        res[f'shape/{k}'] = np.array(params[k].shape)
        res[f'grad/{k}'] = params[k].grad().asnumpy()
    return res


LAYERS = [  # name, class, kwargs, input shape
    ('dcn', 'DeformableConvolution', {'channels': 4, 'kernel_size': 3, 'padding': 1},
     (2, 3, 6, 5)),
    ('dcn_groups', 'DeformableConvolution',
     {'channels': 4, 'kernel_size': (3, 2), 'strides': 2, 'dilation': (1, 2), 'groups': 2,
      'num_deformable_group': 2, 'activation': 'relu', 'in_channels': 4}, (1, 4, 7, 7)),
    ('dcn_nobias', 'DeformableConvolution',
     {'channels': 2, 'kernel_size': 2, 'use_bias': False, 'offset_use_bias': False},
     (1, 2, 5, 4)),
    ('mdcn', 'ModulatedDeformableConvolution',
     {'channels': 4, 'kernel_size': 3, 'padding': 1, 'num_deformable_group': 2},
     (2, 4, 6, 5)),
    ('mdcn_nobias', 'ModulatedDeformableConvolution',
     {'channels': 2, 'kernel_size': 2, 'strides': 2, 'use_bias': False,
      'activation': 'tanh'}, (1, 3, 6, 6)),
]


def make_layer(mx, name):
    _, cls, kwargs, _ = next(c for c in LAYERS if c[0] == name)
    return getattr(mx.gluon.contrib.cnn, cls)(prefix=name + '_', **kwargs)


def run_layer(mx, name, grads=True):
    """Forward (and, where MXNet's CPU build has the backward, gradients) with fixed
    Parameters; also the Parameters MXNet's initializer gives the offset convolution."""
    nd, autograd = mx.nd, mx.autograd
    net = make_layer(mx, name)
    res = {'shapes_before': np.array(str({k: tuple(v.shape) for k, v in
                                          net.collect_params().items()})),
           'repr_before': np.array(repr(net))}
    net.initialize(mx.init.Uniform(0.3))
    shape = next(c for c in LAYERS if c[0] == name)[3]
    x = nd.array(_rand(11, *shape))
    net(x)              # deferred shapes
    params = net.collect_params()
    names = list(params.keys())             # creation order
    res['names'] = np.array(names)
    res['repr'] = np.array(repr(net))
    for k in names:
        short = k[len(name) + 1:]          # without the prefix
        if 'offset' in short or 'bias' in short:    # random draws differ: compare the zeros
            res[f'init/{k}'] = params[k].data().asnumpy()
        res[f'shape/{k}'] = np.array(params[k].shape)
    for i, k in enumerate(sorted(names)):
        params[k].set_data(nd.array(_rand(200 + i, *params[k].shape) * 0.4))
    x.attach_grad()
    with autograd.record():
        y = net(x)
    res['out'] = y.asnumpy()
    if grads:
        y.backward(nd.array(_rand(12, *y.shape)))
        res['grad_x'] = x.grad.asnumpy()
        for k in names:
            res[f'grad/{k}'] = params[k].grad().asnumpy()
    return res


WIKI_TEXT = (" = Valkyria Chronicles III = \n \n Senjō no Valkyria 3 : Unrecorded Chronicles "
             "is a tactical role @-@ playing video game . \n\n The game began development in "
             "2010 , carrying over a large portion of the work . \n   \n = = Gameplay = = \n"
             " The game 's battle system , the BliTZ system , is carried over . the game . \n")


def wikitext(mx, root, cls_name, segment='train', seq_len=5):
    """A WikiText dataset read from a local archive laid out as MXNet's (a folder holding the
    .tokens files): `download` is replaced by a copy of that archive, recording the URL and
    SHA-1 asked for. Returns the samples, vocabulary and the download request."""
    import os
    import sys
    import zipfile
    folder = {'WikiText2': 'wikitext-2', 'WikiText103': 'wikitext-103'}[cls_name]
    archive = os.path.join(root, 'local.zip')
    with zipfile.ZipFile(archive, 'w') as zf:
        zf.writestr(f'{folder}/', '')
        for i, split in enumerate(('train', 'valid', 'test')):
            zf.writestr(f'{folder}/wiki.{split}.tokens', WIKI_TEXT * (i + 1))
    module = sys.modules[mx.gluon.contrib.data.text.__name__]
    asked = []

    def fake_download(url, path=None, sha1_hash=None, **kwargs):
        import shutil
        asked.append((url, sha1_hash))
        dest = os.path.join(path, url.split('/')[-1])
        shutil.copy(archive, dest)
        return dest
    real = module.download
    module.download = fake_download
    try:
        data_root = os.path.join(root, cls_name)
        ds = getattr(mx.gluon.contrib.data.text, cls_name)(root=data_root, segment=segment,
                                                              seq_len=seq_len)
    finally:
        module.download = real
    d, l = ds[0]
    return {'data': ds._data.asnumpy(), 'label': ds._label.asnumpy(), 'len': np.array(len(ds)),
            'first_data': d.asnumpy(), 'first_label': l.asnumpy(),
            'dtype': np.array(str(ds._data.dtype)),
            'vocab': np.array(ds.vocabulary.idx_to_token),
            'freq': np.array(sorted(ds.frequencies.items())),
            'files': np.array(sorted(os.listdir(data_root))),
            'asked': np.array(asked)}


def _err_inputs(mx):
    nd = mx.nd
    d = _deform_inputs(1, 4, 6, 5, 4, 3, 1, 6, 5, 1)
    return {k: nd.array(v) for k, v in d.items()}


ERRORS = [  # name, phrase regluon's MXNetError contains, call
    ('deform_offset_shape', 'offset must have shape',
     lambda mx, a: mx.nd.contrib.DeformableConvolution(
         a['data'], a['offset'][:, :9], a['weight'], a['bias'], kernel=(3, 3), pad=(1, 1),
         num_filter=4)),
    ('deform_weight_shape', 'weight must have shape',
     lambda mx, a: mx.nd.contrib.DeformableConvolution(
         a['data'], a['offset'], a['weight'][:, :2], a['bias'], kernel=(3, 3), pad=(1, 1),
         num_filter=4)),
    ('deform_3d', 'Only 2D deformable convolution',
     lambda mx, a: mx.nd.contrib.DeformableConvolution(
         a['data'].reshape((1, 4, 6, 5, 1)), a['offset'], a['weight'], a['bias'],
         kernel=(3, 3), pad=(1, 1), num_filter=4)),
    ('mdeform_mask_shape', 'mask must have shape',
     lambda mx, a: mx.nd.contrib.ModulatedDeformableConvolution(
         a['data'], a['offset'], a['offset'][:, :4], a['weight'], a['bias'], kernel=(3, 3),
         pad=(1, 1), num_filter=4)),
    ('mdeform_filter_groups', 'num_filter',
     lambda mx, a: mx.nd.contrib.ModulatedDeformableConvolution(
         a['data'], mx.nd.zeros((1, 36, 6, 5)), mx.nd.ones((1, 18, 6, 5)),
         mx.nd.ones((3, 4, 3, 3)), mx.nd.ones((3,)), kernel=(3, 3), pad=(1, 1), num_filter=3,
         num_deformable_group=2)),
    ('psroi_rois', 'bbox should be a 2D tensor',
     lambda mx, a: mx.nd.contrib.PSROIPooling(mx.nd.ones((1, 8, 4, 4)), mx.nd.ones((2, 4)),
                                              spatial_scale=1.0, output_dim=2,
                                              pooled_size=2)),
    ('dpsroi_trans', 'trans should be a 4D tensor',
     lambda mx, a: mx.nd.contrib.DeformablePSROIPooling(
         mx.nd.ones((1, 8, 4, 4)), mx.nd.array([[0, 0, 0, 3, 3]]), mx.nd.ones((1, 2, 2)),
         spatial_scale=1.0, output_dim=2, group_size=2, pooled_size=2)),
    ('rroi_rois', 'bbox should be a 2D tensor of shape [batch, 6]',
     lambda mx, a: mx.nd.contrib.RROIAlign(mx.nd.ones((1, 2, 4, 4)),
                                           mx.nd.array([[0, 1, 1, 2, 2]]),
                                           pooled_size=(2, 2), spatial_scale=1.0)),
    ('proposal_batch', 'multiple images each device is not implemented',
     lambda mx, a: mx.nd.contrib.Proposal(mx.nd.ones((2, 6, 2, 2)), mx.nd.ones((2, 12, 2, 2)),
                                          mx.nd.ones((2, 3)), scales=(8,))),
    ('proposal_anchors', 'channels',
     lambda mx, a: mx.nd.contrib.MultiProposal(mx.nd.ones((1, 8, 2, 2)),
                                               mx.nd.ones((1, 16, 2, 2)),
                                               mx.nd.array([[32, 32, 1]]), scales=(8,))),
]


def call_error(mx, name):
    fn = next(e[2] for e in ERRORS if e[0] == name)
    return fn(mx, _err_inputs(mx)).asnumpy()


def symbols(mx):
    """Argument and output names of graphs using the operators (auto-created weight/bias
    variables, Proposal's 'score' output)."""
    S, v = mx.sym.contrib, mx.sym.var
    graphs = {
        'deform': S.DeformableConvolution(data=v('x'), offset=v('o'), kernel=(3, 3),
                                          num_filter=2, name='dcn'),
        'mdeform': S.ModulatedDeformableConvolution(data=v('x'), offset=v('o'), mask=v('m'),
                                                    kernel=(3, 3), num_filter=2,
                                                    no_bias=True, name='mdcn'),
        'proposal': S.Proposal(v('c'), v('b'), v('i'), output_score=True, name='prop'),
        'multiproposal': S.MultiProposal(v('c'), v('b'), v('i'), name='mprop'),
        'dpsroi': S.DeformablePSROIPooling(v('d'), v('r'), v('t'), spatial_scale=1.0,
                                           output_dim=2, group_size=2, pooled_size=2, name='dps'),
        'rroi': S.RROIAlign(v('d'), v('r'), pooled_size=(2, 2), spatial_scale=1.0, name='rr'),
    }
    res = {}
    for name, s in graphs.items():
        res[f'{name}/arguments'] = np.array(s.list_arguments())
        res[f'{name}/outputs'] = np.array(s.list_outputs())
    return res


def exported_layer(mx, name, path):
    """A hybridized layer with fixed Parameters exported to `path`-symbol.json/-0000.params;
    returns its input and output."""
    net = make_layer(mx, name)
    net.initialize(mx.init.Uniform(0.3))
    x = mx.nd.array(_rand(13, *next(c for c in LAYERS if c[0] == name)[3]))
    net(x)
    for i, (k, p) in enumerate(sorted(net.collect_params().items())):
        p.set_data(mx.nd.array(_rand(400 + i, *p.shape) * 0.4))
    net.hybridize()
    y = net(x)
    net.export(path)
    return {'x': x.asnumpy(), 'y': y.asnumpy()}


SAMPLERS = [(13, 3, True), (13, 3, False), (5, 5, True), (7, 1, False), (10, 4, True)]


def samplers(mx):
    """list() and len() of IntervalSampler(length, interval, rollover)."""
    res = {}
    for length, interval, rollover in SAMPLERS:
        s = mx.gluon.contrib.data.IntervalSampler(length, interval, rollover=rollover)
        res[f'{length}_{interval}_{rollover}'] = np.array(list(s) + [len(s)])
    return res
