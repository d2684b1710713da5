"""Golden files for the symbolic API, hybridize and export, written by the real MXNet 1.9.1.

    $(../shared/tools/mxnet-ref.sh) tools/golden_symbol.py

Writes tests/golden/symbol/: a small hybridized network MXNet exported (-symbol.json and
-0000.params), its outputs for a fixed input, and the same for a symbol built with mx.sym;
also loads tests/golden/symbol/regluon_*-symbol.json (written by regluon's export, if
present) into MXNet and records MXNet's outputs for them.
"""
import glob
import os

import sys

import numpy as np
os.environ["MXNET_SUBGRAPH_BACKEND"] = "NONE"   # its FC+LeakyReLU fusion ignores slope
import mxnet as mx
from mxnet.gluon import nn

sys.path.insert(0, os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden'))
OUT = os.path.join(os.path.dirname(__file__), '..', 'tests', 'golden', 'symbol')
os.makedirs(OUT, exist_ok=True)
rng = np.random.RandomState(0)
results = {}

# 1. A hybridized Gluon network exported by MXNet.
mx.random.seed(0)
net = nn.HybridSequential()
net.add(nn.Conv2D(4, kernel_size=3, padding=1, activation='relu'), nn.BatchNorm(),
        nn.MaxPool2D(2, 2), nn.Conv2D(6, kernel_size=3, use_bias=False),
        nn.AvgPool2D(2, 2, ceil_mode=True), nn.Flatten(), nn.Dense(16, activation='tanh'),
        nn.Dropout(0.3), nn.Dense(5))
net.initialize(mx.init.Xavier())
x = mx.nd.array(rng.uniform(-1, 1, (2, 3, 10, 10)))
with mx.autograd.record():          # one training pass so BN's running stats move
    net(x)
net.hybridize()
y = net(x)
net.export(os.path.join(OUT, 'mxnet_convnet'), 0)
results['convnet_x'] = x.asnumpy()
results['convnet_y'] = y.asnumpy()
sym = net(mx.sym.var('data'))
results['convnet_args'] = np.array(sym.list_arguments())
results['convnet_aux'] = np.array(sym.list_auxiliary_states())
results['convnet_outputs'] = np.array(sym.list_outputs())
arg_shapes, out_shapes, aux_shapes = sym.infer_shape(data=(2, 3, 10, 10))
results['convnet_arg_shapes'] = np.array([str(tuple(s)) for s in arg_shapes])
results['convnet_out_shapes'] = np.array([str(tuple(s)) for s in out_shapes])
results['convnet_aux_shapes'] = np.array([str(tuple(s)) for s in aux_shapes])

# 2. A graph written with mx.sym (auto-created weights, scalar ops, concat, softmax).
data = mx.sym.var('data')
fc1 = mx.sym.FullyConnected(data, num_hidden=8, name='fc1')
a = mx.sym.Activation(fc1, act_type='relu', name='relu1')
b = mx.sym.LeakyReLU(fc1, act_type='leaky', slope=0.1, name='leaky1')
c = mx.sym.concat(a, b * 2 + 1, dim=1, name='cat')
out = mx.sym.softmax(mx.sym.FullyConnected(c, num_hidden=3, name='fc2'), axis=-1, name='sm')
out.save(os.path.join(OUT, 'mxnet_mlp-symbol.json'))
shapes, _, _ = out.infer_shape(data=(4, 6))
args = {n: mx.nd.array(rng.uniform(-1, 1, s)) for n, s in zip(out.list_arguments(), shapes)}
mx.nd.save(os.path.join(OUT, 'mxnet_mlp-0000.params'),
           {f'arg:{k}': v for k, v in args.items() if k != 'data'})
results['mlp_x'] = args['data'].asnumpy()
results['mlp_y'] = out.eval(**args)[0].asnumpy()
results['mlp_args'] = np.array(out.list_arguments())
results['mlp_outputs'] = np.array(out.get_internals().list_outputs())
results['mlp_arg_shapes'] = np.array([str(tuple(s)) for s in shapes])

# 3. Graphs regluon exported, run by MXNet.
for path in sorted(glob.glob(os.path.join(OUT, 'regluon_*-symbol.json'))):
    stem = os.path.basename(path)[:-len('-symbol.json')]
    x = mx.nd.array(np.load(os.path.join(OUT, f'{stem}-input.npy')))
    block = mx.gluon.SymbolBlock.imports(path, ['data'],
                                         os.path.join(OUT, f'{stem}-0000.params'))
    results[f'{stem}_mxnet_y'] = block(x).asnumpy()
    print('MXNet ran', stem)

# 4. An executor's backward through a Group that repeats an output (MXNet takes the last
# head gradient given for it)
a = mx.sym.var('a')
b = a * 2
ex = mx.sym.Group([b, b, a * 1]).bind(mx.cpu(), {'a': mx.nd.ones(2)},
                                      args_grad={'a': mx.nd.zeros(2)})
ex.forward(is_train=True)
ex.backward([mx.nd.ones(2), mx.nd.ones(2) * 3, mx.nd.ones(2) * 10])
results['group_repeat_grad'] = ex.grad_dict['a'].asnumpy()

# 5. BatchNorm's parameters and statistics stay float32 for float16 data
bn = mx.sym.BatchNorm(mx.sym.var('d'), name='bn')
results['bn_fp16_types'] = np.array([str([np.dtype(t).name for t in ts])
                                     for ts in bn.infer_type(d='float16')])

# 6. infer_shape_partial: a 0 is an unknown size; sizes that depend on it come back 0
from symbol_cases import PARTIAL  # noqa: E402  (tests/golden/symbol_cases.py)
for key, (build, shapes) in PARTIAL.items():
    results[f'partial_{key}'] = np.array(str(build(mx).infer_shape_partial(**shapes)))

# 7. zeros_like/ones_like take a dtype and ignore it (types follow the input)
results['like_dtype_types'] = np.array(str([
    [np.dtype(t).name for t in f(mx.sym.var('x'), dtype='int64').infer_type(x='float32')[1]]
    for f in (mx.sym.zeros_like, mx.sym.ones_like)]))

np.savez_compressed(os.path.join(OUT, 'outputs.npz'), **results)
print('wrote', OUT)
