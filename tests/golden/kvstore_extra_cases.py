"""kvstore extras shared by tools/golden_kvstore_extra.py (run under MXNet 1.9.1) and
tests/test_kvstore.py (run under regluon): 2-bit gradient compression on a 'device' store
(pushes with residuals), Trainer and Module with compression_params, and a KVStoreBase
subclass registered and chosen by name. Each function takes the library (`mx`)."""
import numpy as np

THRESHOLD = 0.5
SHAPES = {3: (37,), 4: (5, 7)}     # key -> shape (37: not a multiple of 16 values)
STEPS = 4


def grads(key, step, dev):
    """The gradient device `dev` pushes for `key` at `step`."""
    rs = np.random.RandomState(100 * step + 10 * dev + key)
    return (rs.uniform(-1, 1, SHAPES[key]) * 0.8).astype(np.float32)


def compressed_pushes(mx, params=None):
    """Pulled values after each push (key 3) and pushpull (key 4) on a 'device' store with
    two cpu contexts: {'<key>:<step>': array}."""
    kv = mx.kv.create('device')
    kv.set_gradient_compression(params or {'type': '2bit', 'threshold': THRESHOLD})
    devs = [mx.cpu(0), mx.cpu(1)]
    out = {}
    for key, shape in SHAPES.items():
        kv.init(key, mx.nd.zeros(shape))
    for step in range(STEPS):
        vals = [mx.nd.array(grads(3, step, d), ctx=c) for d, c in enumerate(devs)]
        kv.push(3, vals)
        res = mx.nd.zeros(SHAPES[3])
        kv.pull(3, out=res)
        out[f'3:{step}'] = res.asnumpy()
        vals = [mx.nd.array(grads(4, step, d), ctx=c) for d, c in enumerate(devs)]
        outs = [mx.nd.zeros(SHAPES[4], ctx=c) for c in devs]
        kv.pushpull(4, vals, out=outs)
        out[f'4:{step}'] = outs[1].asnumpy()
    return out


def _net(mx):
    net = mx.gluon.nn.Dense(3, in_units=4, prefix='dense_')
    net.initialize(ctx=[mx.cpu(0), mx.cpu(1)])
    rs = np.random.RandomState(5)
    net.weight.set_data(mx.nd.array(rs.uniform(-1, 1, (3, 4))))
    net.bias.set_data(mx.nd.array(rs.uniform(-1, 1, (3,))))
    return net


def _batch(step):
    rs = np.random.RandomState(50 + step)
    return rs.uniform(-2, 2, (6, 4)).astype(np.float32), rs.randint(0, 3, 6).astype(np.float32)


def train(mx, kvstore, compression_params=None, steps=3, **trainer_kw):
    """Weight and bias of the Dense net after `steps` Trainer steps on two contexts."""
    net = _net(mx)
    trainer = mx.gluon.Trainer(net.collect_params(), 'sgd',
                               {'learning_rate': 0.2, 'momentum': 0.5}, kvstore=kvstore,
                               compression_params=compression_params, **trainer_kw)
    loss = mx.gluon.loss.SoftmaxCrossEntropyLoss()
    devs = [mx.cpu(0), mx.cpu(1)]
    for step in range(steps):
        x, y = _batch(step)
        with mx.autograd.record():
            ls = [loss(net(mx.nd.array(x[k::2], ctx=c)), mx.nd.array(y[k::2], ctx=c))
                  for k, c in enumerate(devs)]
        for l in ls:
            l.backward()
        trainer.step(6)
    return {'weight': net.weight.data(devs[1]).asnumpy(),
            'bias': net.bias.data(devs[1]).asnumpy()}


def module_train(mx, compression_params):
    """Module's FC weight after 3 batches on two contexts with a 'device' store."""
    data = mx.sym.Variable('data')
    fc = mx.sym.FullyConnected(data, num_hidden=3, name='fc')
    out = mx.sym.SoftmaxOutput(fc, name='softmax')
    mod = mx.mod.Module(out, context=[mx.cpu(0), mx.cpu(1)],
                        compression_params=compression_params)
    mod.bind(data_shapes=[('data', (6, 4))], label_shapes=[('softmax_label', (6,))])
    rs = np.random.RandomState(5)
    mod.init_params(arg_params={'fc_weight': mx.nd.array(rs.uniform(-1, 1, (3, 4))),
                                'fc_bias': mx.nd.array(rs.uniform(-1, 1, (3,)))})
    mod.init_optimizer(kvstore='device', optimizer='sgd',
                       optimizer_params=(('learning_rate', 0.5),))
    for step in range(3):
        x, y = _batch(step)
        mod.forward_backward(mx.io.DataBatch([mx.nd.array(x)], [mx.nd.array(y)]))
        mod.update()
    args, _ = mod.get_params()
    return {'weight': args['fc_weight'].asnumpy(), 'bias': args['fc_bias'].asnumpy()}


def register_average_store(mx):
    """Register 'averagestore': a KVStoreBase whose pushpull averages over the devices and
    which has no optimizer (Trainer then updates itself)."""
    @mx.kv.KVStoreBase.register
    class AverageStore(mx.kv.KVStoreBase):   # pylint: disable=unused-variable
        def broadcast(self, key, value, out, priority=0):
            for o in (out if isinstance(out, list) else [out]):
                o[:] = value

        def pushpull(self, key, value, out=None, priority=0):
            ctx = value[0].context
            mean = sum(v.as_in_context(ctx) for v in value) / len(value)
            for o in (value if out is None else out):
                o[:] = mean

        @staticmethod
        def is_capable(capability):
            return False

        @property
        def type(self):
            return 'averagestore'

        @property
        def rank(self):
            return 0

        @property
        def num_workers(self):
            return 1
    return AverageStore


# set_gradient_compression arguments MXNet refuses: name, store type, params
ERRORS = [
    ('local', 'local', {'type': '2bit', 'threshold': 0.5}),
    ('threshold', 'device', {'type': '2bit', 'threshold': 0}),
    ('type', 'device', {'type': '1bit'}),
]
