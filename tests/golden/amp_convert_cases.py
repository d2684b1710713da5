"""Graphs and options for `amp.convert_symbol` / `convert_model`, built the same way under
MXNet 1.9.1 (tools/golden_amp_convert.py) and regluon (tests/test_amp_convert.py)."""
import json

import numpy as np


def cnn(mx):
    """Conv/BN/ReLU, a conditional fp32 op (softrelu), pooling, two FC branches joined by
    widest-type adds, an fp32 op (exp) and a float32 head (softmax)."""
    d = mx.sym.var('data')
    c = mx.sym.Convolution(d, num_filter=4, kernel=(3, 3), name='conv0')
    b = mx.sym.BatchNorm(c, name='bn0')
    a = mx.sym.Activation(b, act_type='relu', name='relu0')
    a2 = mx.sym.Activation(a, act_type='softrelu', name='srelu0')
    p = mx.sym.Pooling(a2, kernel=(2, 2), pool_type='max', name='pool0')
    f = mx.sym.FullyConnected(p, num_hidden=6, name='fc0')
    f2 = mx.sym.FullyConnected(a2, num_hidden=6, name='fc1')
    s = f + f2
    e = mx.sym.exp(f2, name='exp0')
    return mx.sym.softmax(mx.sym.elemwise_add(s, e, name='add1'), name='sm')


def mlp(mx):
    """Three FC layers; a head that is a target-type output (cast back to float32)."""
    h = mx.sym.var('data')
    for i in range(3):
        h = mx.sym.FullyConnected(h, num_hidden=5, name=f'fc{i}')
        h = mx.sym.Activation(h, act_type='tanh', name=f'act{i}')
    return h


def widest(mx):
    """Widest-type ops: a float16 and a float32 branch added (casts to float32), two float16
    branches (no cast), an add with a variable (amp_multicast), a broadcast op with two
    variables; a multi-output op (SliceChannel) and a LeakyReLU elu (conditional)."""
    d = mx.sym.var('data')
    w = mx.sym.var('w')
    fc = mx.sym.FullyConnected(d, num_hidden=4, name='fc')
    sq = mx.sym.FullyConnected(mx.sym.exp(d, name='e0'), num_hidden=4, name='fcs')
    mixed = mx.sym.elemwise_add(fc, mx.sym.exp(fc, name='e'), name='mixed')
    both = mx.sym.elemwise_add(fc, sq, name='both')
    withvar = mx.sym.broadcast_add(both, w, name='withvar')
    twovars = mx.sym.broadcast_mul(mx.sym.var('u'), mx.sym.var('v'), name='twovars')
    parts = mx.sym.SliceChannel(withvar, num_outputs=2, axis=1, name='split')
    elu = mx.sym.LeakyReLU(parts[1], act_type='elu', name='elu')
    return mx.sym.Group([mixed, parts[0], elu, twovars])


def zoo(mx):
    """Many kinds of operators after float16/bfloat16 ones: shape ops (float32 ops in the
    bfloat16 lists), multi-output ones (named and numbered outputs), casts, comparisons,
    reductions and heads of every kind."""
    d = mx.sym.var('data')
    c = mx.sym.Convolution(d, num_filter=4, kernel=(3, 3), pad=(1, 1), name='conv')
    f = mx.sym.Flatten(mx.sym.relu(c, name='r'), name='flat')
    fc = mx.sym.FullyConnected(f, num_hidden=8, name='fc')
    parts = mx.sym.SliceChannel(mx.sym.Reshape(fc, shape=(0, 2, 4), name='resh'),
                                num_outputs=2, axis=1, squeeze_axis=True, name='sl')
    cat = mx.sym.Concat(parts[0], mx.sym.tanh(parts[1], name='t'), dim=1, name='cat')
    drop = mx.sym.Dropout(cat, p=0.5, name='drop')
    gt = mx.sym.broadcast_greater(drop, mx.sym.zeros_like(drop, name='z'), name='gt')
    w = mx.sym.where(gt, drop, mx.sym.sigmoid(drop, name='sig'), name='w')
    cast = mx.sym.Cast(mx.sym.transpose(w, name='tr'), dtype='float32', name='cast')
    fc2 = mx.sym.FullyConnected(mx.sym.transpose(cast, name='tr2'), num_hidden=3, name='fc2')
    m = mx.sym.mean(fc2, axis=1, keepdims=True, name='mean')
    lsm = mx.sym.log_softmax(fc2, name='lsm')
    return mx.sym.Group([mx.sym.broadcast_sub(fc2, m, name='centred'), lsm,
                         mx.sym.argmax(fc2, axis=1, name='am'), parts[1]])


def shared_input(mx):
    """MXNet 1.9.1's pass takes relu0 (on the data a FullyConnected cast) for float16 but
    wires it to the float32 data; its type inference then fails on fcs."""
    d = mx.sym.var('data')
    fc = mx.sym.FullyConnected(d, num_hidden=4, name='fc')
    fcs = mx.sym.FullyConnected(mx.sym.relu(d, name='relu0'), num_hidden=4, name='fcs')
    return mx.sym.elemwise_add(fc, fcs, name='both')


# name, graph, convert_symbol keyword arguments
CONVERT = [
    ('cnn_fp16', cnn, {}),
    ('cnn_bf16', cnn, {'target_dtype': 'bfloat16'}),
    ('cnn_fp16_optional', cnn, {'cast_optional_params': True, 'data_names': ['data']}),
    ('cnn_bf16_optional', cnn, {'target_dtype': 'bfloat16', 'cast_optional_params': True,
                                'data_names': ['data']}),
    ('cnn_params', cnn, {'data_names': ['data']}),
    ('mlp_excluded', mlp, {'excluded_sym_names': ['fc1', 'act2']}),
    ('mlp_fp32_ops', mlp, {'fp32_ops': ['FullyConnected'], 'target_dtype_ops': []}),
    ('mlp_conditional', mlp, {'conditional_fp32_ops': [('Activation', 'act_type', ['tanh'])]}),
    ('widest_fp16', widest, {}),
    ('zoo_fp16', zoo, {}),
    ('zoo_bf16', zoo, {'target_dtype': 'bfloat16'}),
    ('zoo_bf16_optional', zoo, {'target_dtype': 'bfloat16', 'cast_optional_params': True}),
    ('widest_bf16_optional', widest, {'target_dtype': 'bfloat16', 'data_names': ['data'],
                                      'cast_optional_params': True}),
]

# shapes of the inputs, for convert_model and running the converted graphs
SHAPES = {'cnn': {'data': (2, 3, 8, 8)}, 'mlp': {'data': (3, 7)},
          'widest': {'data': (2, 4), 'w': (1, 4), 'u': (2, 3), 'v': (2, 3)}}
GRAPHS = {'cnn': cnn, 'mlp': mlp, 'widest': widest}
DATA = {'cnn': ['data'], 'mlp': ['data'], 'widest': ['data', 'w', 'u', 'v']}

# name, graph, convert_model keyword arguments
MODELS = [
    ('cnn', {'target_dtype': 'bfloat16'}),
    ('cnn', {'target_dtype': 'bfloat16', 'cast_optional_params': True}),
    ('cnn', {'target_dtype': 'float16', 'cast_optional_params': True}),
    ('mlp', {'target_dtype': 'bfloat16', 'excluded_sym_names': ['fc1']}),
    ('mlp', {'target_dtype': 'bfloat16', 'cast_optional_params': True}),
]


def fresh(mx, build):
    """The graph `build` makes, automatic names counted from 0 (_plus0)."""
    with mx.name.NameManager():
        return build(mx)


def graph_json(sym):
    """The converted graph's JSON (with its amp nodes): nodes (op, name, attributes, inputs
    as [node, output]), arg_nodes and heads. Left out: the version attribute, node_row_ptr
    and the inputs' version numbers, where regluon's writer differs from MXNet's for any
    BatchNorm graph (MXNet counts its hidden mean/var outputs and versions its aux inputs),
    and the `__storage_type__` attribute MXNet's Gluon Parameters give their variables."""
    js = json.loads(sym.tojson(remove_amp_cast=False))
    for n in js['nodes']:
        n['inputs'] = [e[:2] for e in n['inputs']]
        n.get('attrs', {}).pop('__storage_type__', None)
    return json.dumps({'nodes': js['nodes'], 'arg_nodes': js['arg_nodes'],
                       'heads': [e[:2] for e in js['heads']]}, sort_keys=True)


def params(mx, name, seed=0):
    """float32 arg/aux params for graph `name` (from shapes inferred with MXNet's rules)."""
    sym = fresh(mx, GRAPHS[name])
    arg_shapes, _, aux_shapes = sym.infer_shape(**SHAPES[name])
    rng = np.random.RandomState(seed)
    args = {n: mx.nd.array(rng.uniform(-0.5, 0.5, s).astype('float32'))
            for n, s in zip(sym.list_arguments(), arg_shapes) if n not in DATA[name]}
    auxs = {n: mx.nd.array(rng.uniform(0.5, 1.0, s).astype('float32'))
            for n, s in zip(sym.list_auxiliary_states(), aux_shapes)}
    inputs = {n: rng.uniform(-1, 1, SHAPES[name][n]).astype('float32') for n in DATA[name]}
    return sym, args, auxs, inputs


def convert_model(mx, name, kwargs):
    """convert_model on graph `name`: (converted sym, args, auxs, {param: dtype name},
    inputs)."""
    amp = __import__(mx.__name__ + '.contrib.amp', fromlist=['amp'])
    sym, args, auxs, inputs = params(mx, name)
    csym, cargs, cauxs = amp.convert_model(sym, args, auxs, **kwargs)
    bf16 = np.dtype([('bfloat16', np.uint16)])      # MXNet's bfloat16 numpy type
    dtypes = {k: 'bfloat16' if v.dtype in (bf16, 'bfloat16') else np.dtype(v.dtype).name
              for k, v in list(cargs.items()) + list(cauxs.items())}
    return csym, cargs, cauxs, dtypes, inputs


def run_model(mx, name, csym, cargs, cauxs, inputs):
    """Outputs (float32 numpy) of a converted model run by a Module."""
    mod = mx.mod.Module(csym, data_names=DATA[name], label_names=None, context=mx.cpu())
    mod.bind(data_shapes=[(k, v.shape) for k, v in inputs.items()], for_training=False)
    mod.set_params(cargs, cauxs)
    mod.forward(mx.io.DataBatch([mx.nd.array(inputs[k]) for k in DATA[name]]), is_train=False)
    return [o.astype('float32').asnumpy() for o in mod.get_outputs()]


# convert_hybrid_block keyword arguments (besides ctx=cpu())
BLOCKS = [{'target_dtype': 'bfloat16'},
          {'target_dtype': 'bfloat16', 'cast_optional_params': True},
          {'target_dtype': 'float16', 'excluded_sym_names': ['net_dense0_fwd']}]


def hybrid_block(mx, kwargs):
    """convert_hybrid_block on a hybridized Dense-BatchNorm-Dense net with set weights:
    (converted block, {param: dtype name}, graph JSON, input, the float32 net's output)."""
    amp = __import__(mx.__name__ + '.contrib.amp', fromlist=['amp'])
    nn = mx.gluon.nn
    net = nn.HybridSequential(prefix='net_')
    with net.name_scope():
        net.add(nn.Dense(6, in_units=5, activation='relu'), nn.BatchNorm(in_channels=6),
                nn.Dense(3, in_units=6))
    net.initialize()
    rng = np.random.RandomState(1)
    for _, p in sorted(net.collect_params().items()):
        p.set_data(mx.nd.array(rng.uniform(0.2, 0.8, p.shape)))
    x = mx.nd.array(rng.uniform(-1, 1, (4, 5)))
    net.hybridize()
    expect = net(x).asnumpy()
    block = amp.convert_hybrid_block(net, ctx=mx.cpu(), **kwargs)
    bf16 = np.dtype([('bfloat16', np.uint16)])
    dtypes = {k: 'bfloat16' if p.dtype in (bf16, 'bfloat16') else np.dtype(p.dtype).name
              for k, p in block.collect_params().items()}
    return block, dtypes, graph_json(block._cached_graph[1]), x, expect


def bucketing(mx, kwargs):
    """convert_bucketing_module on a BucketingModule that ran buckets 3 and 5 (default 5):
    ({bucket: graph JSON}, {param: dtype name}, outputs of the converted module for a
    bucket-3 batch)."""
    amp = __import__(mx.__name__ + '.contrib.amp', fromlist=['amp'])

    def sym_gen(n):
        with mx.name.NameManager():
            h = mx.sym.FullyConnected(mx.sym.var('data'), num_hidden=4, name='fc')
            h = mx.sym.Activation(h, act_type='softrelu', name='act')
            out = mx.sym.sum(h, axis=1, name='out') * float(n)
        return out, ('data',), None
    mod = mx.mod.BucketingModule(sym_gen, default_bucket_key=5, context=mx.cpu())
    mod.bind(data_shapes=[('data', (2, 3))], for_training=False)
    rng = np.random.RandomState(2)
    mod.init_params(arg_params={'fc_weight': mx.nd.array(rng.uniform(-1, 1, (4, 3))),
                                'fc_bias': mx.nd.array(rng.uniform(-1, 1, (4,)))})
    x = mx.nd.array(rng.uniform(-1, 1, (2, 3)))
    for key in (3, 5):
        mod.forward(mx.io.DataBatch([x], bucket_key=key,
                                    provide_data=[mx.io.DataDesc('data', (2, 3))]),
                    is_train=False)
    # (MXNet leaves it out of contrib.amp's __all__: it is contrib.amp.amp's)
    conv = getattr(amp, 'amp', amp).convert_bucketing_module(mod, **kwargs)
    graphs = {str(k): graph_json(m._symbol) for k, m in sorted(conv._buckets.items())}
    args, _ = conv.get_params()
    bf16 = np.dtype([('bfloat16', np.uint16)])
    dtypes = {k: 'bfloat16' if v.dtype in (bf16, 'bfloat16') else np.dtype(v.dtype).name
              for k, v in args.items()}
    conv.bind(data_shapes=[('data', (2, 3))], for_training=False)
    conv.forward(mx.io.DataBatch([x], bucket_key=3, provide_data=[mx.io.DataDesc('data', (2, 3))]),
                 is_train=False)
    return graphs, dtypes, [o.astype('float32').asnumpy() for o in conv.get_outputs()]
