"""Custom-operator scenarios (mx.operator), shared by the golden writer
(tools/golden_custom_op.py, run under the real MXNet 1.9.1) and the tests
(tests/test_custom_op.py, run under regluon). `use(mx)` binds the library and registers the
operators; each scenario `s_<name>` returns a dict of arrays.
"""
import numpy as np

mx = nd = None
KW_TYPES = []          # the types of the keyword arguments the 'scaled' Prop received
REQ = []               # the req the softmax's backward was given

X = np.array([[0.5, -1.0, 2.0, 0.1, 0.3], [1.5, 0.2, -0.7, 0.9, -2.0],
              [0.0, 0.4, 0.8, -1.2, 1.1], [-0.3, 2.2, 0.6, 0.5, -0.4]], dtype=np.float32)
LABEL = np.array([2, 0, 4, 1], dtype=np.float32)
W1 = np.array([[1., 2., -1., 0.5, 3.]] * 4, dtype=np.float32)
W2 = np.array([[0.5, -1., 2., 1., 0.25]] * 4, dtype=np.float32)


def use(lib):
    """Run the scenarios on `lib` (regluon, or the real mxnet); registers the operators."""
    global mx, nd  # pylint: disable=global-statement
    mx, nd = lib, lib.nd

    class Softmax(mx.operator.CustomOp):
        """MXNet's example (example/numpy-ops/custom_softmax.py)."""
        def forward(self, is_train, req, in_data, out_data, aux):
            x = in_data[0].asnumpy()
            y = np.exp(x - x.max(axis=1).reshape((x.shape[0], 1)))
            y /= y.sum(axis=1).reshape((x.shape[0], 1))
            self.assign(out_data[0], req[0], mx.nd.array(y))

        def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
            REQ[:] = list(req)
            lab = in_data[1].asnumpy().ravel().astype(np.int64)
            y = out_data[0].asnumpy()
            y[np.arange(lab.shape[0]), lab] -= 1.0
            self.assign(in_grad[0], req[0], mx.nd.array(y))

    @mx.operator.register("cases_softmax")
    class SoftmaxProp(mx.operator.CustomOpProp):  # pylint: disable=unused-variable
        def __init__(self):
            super().__init__(need_top_grad=False)

        def list_arguments(self):
            return ['data', 'label']

        def list_outputs(self):
            return ['output']

        def infer_shape(self, in_shape):
            return [in_shape[0], (in_shape[0][0],)], [in_shape[0]], []

        def infer_type(self, in_type):
            return in_type, [in_type[0]], []

        def create_operator(self, ctx, shapes, dtypes):
            return Softmax()

    class Scaled(mx.operator.CustomOp):
        """Two outputs (x * scale + bias, x * x)."""
        def __init__(self, scale, bias):
            super().__init__()
            self.scale, self.bias = scale, bias

        def forward(self, is_train, req, in_data, out_data, aux):
            x = in_data[0]
            self.assign(out_data[0], req[0], x * self.scale + self.bias)
            self.assign(out_data[1], req[1], x * x)

        def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
            x = in_data[0]
            self.assign(in_grad[0], req[0], out_grad[0] * self.scale + out_grad[1] * 2 * x)

    @mx.operator.register("cases_scaled")
    class ScaledProp(mx.operator.CustomOpProp):  # pylint: disable=unused-variable
        def __init__(self, scale, bias='0'):
            super().__init__(need_top_grad=True)
            KW_TYPES[:] = [type(scale).__name__, type(bias).__name__]
            self.scale, self.bias = float(scale), float(bias)

        def list_arguments(self):
            return ['data']

        def list_outputs(self):
            return ['out', 'sq']

        def infer_shape(self, in_shape):
            return in_shape, [in_shape[0], in_shape[0]], []

        def create_operator(self, ctx, shapes, dtypes):
            return Scaled(self.scale, self.bias)


    class Counter(mx.operator.CustomOp):
        """An aux state: out = x + count; count grows by 1 in training, 10 otherwise."""
        def forward(self, is_train, req, in_data, out_data, aux):
            self.assign(out_data[0], req[0], in_data[0] + aux[0])
            aux[0][:] += 1 if is_train else 10

        def backward(self, req, out_grad, in_data, out_data, in_grad, aux):
            self.assign(in_grad[0], req[0], out_grad[0] * 3)

    @mx.operator.register("cases_counter")
    class CounterProp(mx.operator.CustomOpProp):  # pylint: disable=unused-variable
        def list_auxiliary_states(self):
            return ['count']

        def infer_shape(self, in_shape):
            return in_shape, [in_shape[0]], [(1,)]

        def create_operator(self, ctx, shapes, dtypes):
            return Counter()


def _x():
    x = nd.array(X)
    x.attach_grad()
    return x


def s_softmax():
    """need_top_grad=False: backward ignores the head gradient (a loss)."""
    x = _x()
    with mx.autograd.record():
        y = nd.Custom(x, nd.array(LABEL), op_type='cases_softmax')
    y.backward()
    return {'out': y.asnumpy(), 'grad': x.grad.asnumpy(), 'req': np.array(','.join(REQ))}


def s_softmax_chain():
    """The custom op between recorded ops: gradients flow on through the input's producer."""
    x = _x()
    with mx.autograd.record():
        y = nd.Custom(x * 2 + 1, nd.array(LABEL), op_type='cases_softmax')
    y.backward()
    return {'out': y.asnumpy(), 'grad': x.grad.asnumpy()}


def s_scaled():
    """Two outputs, keyword arguments (strings in the Prop), need_top_grad=True."""
    x = _x()
    with mx.autograd.record():
        out, sq = nd.Custom(x, op_type='cases_scaled', scale=2.5, bias=1)
        loss = (out * nd.array(W1)).sum() + (sq * nd.array(W2)).sum()
    loss.backward()
    return {'out': out.asnumpy(), 'sq': sq.asnumpy(), 'grad': x.grad.asnumpy(),
            'kw_types': np.array(','.join(KW_TYPES))}


def s_scaled_unrecorded():
    """Outside record(): forward only; the default bias."""
    out, sq = nd.Custom(nd.array(X), op_type='cases_scaled', scale='0.5')
    return {'out': out.asnumpy(), 'sq': sq.asnumpy()}


def s_counter():
    """An aux state, updated in place by forward: is_train from record()'s train_mode."""
    x = _x()
    count = nd.zeros((1,))
    with mx.autograd.record():
        y = nd.Custom(x, count, op_type='cases_counter')
    first = count.asnumpy().copy()
    y.backward(nd.array(W1))
    with mx.autograd.record(train_mode=False):
        y2 = nd.Custom(x, count, op_type='cases_counter')
    z = nd.Custom(x, count, op_type='cases_counter')
    return {'y': y.asnumpy(), 'first': first, 'grad': x.grad.asnumpy(), 'y2': y2.asnumpy(),
            'z': z.asnumpy(), 'count': count.asnumpy()}


def s_sym_softmax():
    """Symbolic: bind, forward, backward (label's shape from the Prop's infer_shape)."""
    data, label = mx.sym.var('data'), mx.sym.var('label')
    net = mx.sym.Custom(data, label, op_type='cases_softmax', name='sm')
    arg_shapes, out_shapes, _ = net.infer_shape(data=X.shape)
    grad = nd.zeros(X.shape)
    exe = net.bind(mx.cpu(), {'data': nd.array(X), 'label': nd.array(LABEL)},
                   args_grad={'data': grad}, grad_req={'data': 'write', 'label': 'null'})
    out = exe.forward(is_train=True)[0].asnumpy()
    exe.backward()
    return {'out': out, 'grad': grad.asnumpy(), 'arg_shapes': np.array(arg_shapes[1]),
            'out_shape': np.array(out_shapes[0])}


def s_sym_scaled():
    """Symbolic, two outputs."""
    data = mx.sym.var('data')
    net = mx.sym.Custom(data, op_type='cases_scaled', scale=2, name='sc')
    grad = nd.zeros(X.shape)
    exe = net.bind(mx.cpu(), {'data': nd.array(X)}, args_grad={'data': grad})
    outs = [o.asnumpy() for o in exe.forward(is_train=True)]
    exe.backward([nd.array(W1), nd.array(W2)])
    return {'out': outs[0], 'sq': outs[1], 'grad': grad.asnumpy(),
            'outputs': np.array(','.join(net.list_outputs()))}


def s_sym_counter():
    """Symbolic, an aux state: listed as such, updated in place by forward."""
    data = mx.sym.var('data')
    net = mx.sym.Custom(data, mx.sym.var('count'), op_type='cases_counter', name='ct')
    arg_shapes, _, aux_shapes = net.infer_shape(data=X.shape)
    count = nd.zeros((1,))
    grad = nd.zeros(X.shape)
    exe = net.bind(mx.cpu(), {'data': nd.array(X)}, args_grad={'data': grad},
                   aux_states={'count': count})
    exe.forward(is_train=True)
    out = exe.forward(is_train=True)[0].asnumpy()
    exe.backward([nd.array(W1)])
    return {'out': out, 'grad': grad.asnumpy(), 'count': count.asnumpy(),
            'args': np.array(','.join(net.list_arguments())),
            'aux': np.array(','.join(net.list_auxiliary_states())),
            'aux_shape': np.array(aux_shapes[0])}


def s_sym_named_inputs():
    """sym.Custom with its inputs given by the Prop's argument names."""
    net = mx.sym.Custom(data=mx.sym.var('x'), label=mx.sym.var('y'),
                        op_type='cases_softmax', name='sm')
    _, out_shapes, _ = net.infer_shape(x=X.shape)
    exe = net.bind(mx.cpu(), {'x': nd.array(X), 'y': nd.array(LABEL)})
    return {'out': exe.forward()[0].asnumpy(), 'out_shape': np.array(out_shapes[0]),
            'args': np.array(','.join(net.list_arguments())),
            'outputs': np.array(','.join(net.list_outputs()))}


def s_sym_auto_inputs():
    """Inputs not given become variables `<name>_<input>` (MXNet's example:
    `sym.Custom(data=fc, name='softmax', op_type='softmax')` has the argument softmax_label),
    an aux state among them."""
    sm = mx.sym.Custom(data=mx.sym.var('data'), op_type='cases_softmax', name='softmax')
    arg_shapes, out_shapes, _ = sm.infer_shape(data=X.shape)
    grad = nd.zeros(X.shape)
    exe = sm.bind(mx.cpu(), {'data': nd.array(X), 'softmax_label': nd.array(LABEL)},
                  args_grad={'data': grad}, grad_req={'data': 'write', 'softmax_label': 'null'})
    out = exe.forward(is_train=True)[0].asnumpy()
    exe.backward()
    ct = mx.sym.Custom(mx.sym.var('data'), op_type='cases_counter', name='ct')
    _, _, aux_shapes = ct.infer_shape(data=X.shape)
    count = nd.ones((1,))
    exe = ct.bind(mx.cpu(), {'data': nd.array(X)}, aux_states={'ct_count': count})
    out2 = exe.forward(is_train=False)[0].asnumpy()
    return {'out': out, 'grad': grad.asnumpy(), 'out2': out2, 'count': count.asnumpy(),
            'args': np.array(','.join(sm.list_arguments() + ct.list_arguments())),
            'aux': np.array(','.join(ct.list_auxiliary_states())),
            'label_shape': np.array(arg_shapes[1]), 'out_shape': np.array(out_shapes[0]),
            'aux_shape': np.array(aux_shapes[0])}


def s_module_step():
    """MXNet's custom-softmax example as a Module: FullyConnected, then the Custom softmax
    with its auto-created softmax_label; two SGD steps from fixed weights."""
    fc = mx.sym.FullyConnected(mx.sym.var('data'), num_hidden=5, name='fc')
    net = mx.sym.Custom(data=fc, op_type='cases_softmax', name='softmax')
    mod = mx.mod.Module(net, data_names=['data'], label_names=['softmax_label'],
                        context=mx.cpu())
    mod.bind(data_shapes=[('data', X.shape)], label_shapes=[('softmax_label', (4,))])
    weight = np.outer(np.arange(5), np.ones(5)) * 0.05 + np.eye(5) * 0.2
    mod.init_params(arg_params={'fc_weight': nd.array(weight),
                                'fc_bias': nd.array(np.arange(5) * 0.1)},
                    allow_missing=False)
    mod.init_optimizer(optimizer='sgd', optimizer_params={'learning_rate': 0.5})
    batch = mx.io.DataBatch([nd.array(X)], [nd.array(LABEL)])
    for _ in range(2):
        mod.forward(batch, is_train=True)
        mod.backward()
        mod.update()
    mod.forward(batch, is_train=False)
    args, _ = mod.get_params()
    return {'out': mod.get_outputs()[0].asnumpy(), 'weight': args['fc_weight'].asnumpy(),
            'bias': args['fc_bias'].asnumpy()}


def e_unknown():
    nd.Custom(nd.array(X), op_type='cases_no_such_op')


SCENARIOS = {n[2:]: f for n, f in dict(globals()).items() if n.startswith('s_')}
ERRORS = {n[2:]: f for n, f in dict(globals()).items() if n.startswith('e_')}
