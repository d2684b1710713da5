"""Module scenarios run identically by tools/golden_module_extra.py (MXNet 1.9.1) and
tests/test_module_bucketing.py (regluon): each function takes the library as `mx` and
returns a dict of numpy arrays to compare. Data and initial parameters are fixed numpy
arrays; shuffling uses the global `random`/`numpy` seeds, which both libraries share."""
import random

import numpy as np

LR = {'learning_rate': 0.5, 'momentum': 0.9, 'wd': 0.01}


def mlp_data(n=60):
    rs = np.random.RandomState(0)
    x = rs.rand(n, 20).astype(np.float32)
    y = x[:, :4].argmax(1).astype(np.float32)
    params = {'fc1_weight': rs.randn(16, 20) * 0.3, 'fc1_bias': rs.randn(16) * 0.1,
              'fc2_weight': rs.randn(4, 16) * 0.3, 'fc2_bias': rs.randn(4) * 0.1}
    return x, y, {k: v.astype(np.float32) for k, v in params.items()}


def mlp(mx):
    data = mx.sym.var('data')
    fc1 = mx.sym.FullyConnected(data=data, name='fc1', num_hidden=16)
    act1 = mx.sym.Activation(data=fc1, name='relu1', act_type='relu')
    fc2 = mx.sym.FullyConnected(data=act1, name='fc2', num_hidden=4)
    return mx.sym.SoftmaxOutput(data=fc2, name='softmax')


def _params(mod, out, tag):
    arg, aux = mod.get_params()
    for k, v in {**arg, **aux}.items():
        out[f'{tag}:{k}'] = v.asnumpy()


def multi_context_fit(mx):
    """fit over two contexts with uneven work loads (a padded last batch too)."""
    x, y, init = mlp_data()
    train = mx.io.NDArrayIter(x, y, 16)
    mod = mx.mod.Module(mlp(mx), context=[mx.cpu(0), mx.cpu(1)], work_load_list=[1, 3])
    mod.fit(train, num_epoch=2, optimizer='sgd', optimizer_params=LR,
            arg_params={k: mx.nd.array(v) for k, v in init.items()})
    out = {'predict': mod.predict(train).asnumpy(),
           'acc': np.array(mod.score(train, 'acc')[0][1]),
           'ce': np.array(mod.score(train, 'ce')[0][1])}
    _params(mod, out, 'param')
    return out


def multi_context_steps(mx):
    """forward/backward/update by hand over three contexts: merged and per-context
    outputs, input gradients; then with kvstore=None, where each context updates its own
    copy with its own gradient and get_params averages them."""
    x, y, init = mlp_data()
    out = {}
    for tag, kvstore, ctxs in (('kv', 'local', 3), ('nokv', None, 2)):
        mod = mx.mod.Module(mlp(mx), context=[mx.cpu(i) for i in range(ctxs)])
        mod.bind([('data', (10, 20))], [('softmax_label', (10,))], inputs_need_grad=True)
        mod.init_params(arg_params={k: mx.nd.array(v) for k, v in init.items()})
        mod.init_optimizer(kvstore=kvstore, optimizer='sgd',
                           optimizer_params={'learning_rate': 0.3, 'momentum': 0.9})
        for step in range(3):
            part = slice(10 * step, 10 * step + 10)
            batch = mx.io.DataBatch([mx.nd.array(x[part])], [mx.nd.array(y[part])])
            mod.forward(batch, is_train=True)
            mod.backward()
            mod.update()
        out[f'{tag}:outputs'] = mod.get_outputs()[0].asnumpy()
        out[f'{tag}:split_shapes'] = np.array([o.shape for o in mod.get_outputs(False)[0]])
        out[f'{tag}:input_grad'] = mod.get_input_grads()[0].asnumpy()
        out[f'{tag}:output_shapes'] = np.array(str(mod.output_shapes))
        _params(mod, out, tag)
    return out


def multi_context_out_grads(mx):
    """A graph without a loss over two contexts: head gradients given to backward are
    split like the batch."""
    rs = np.random.RandomState(7)
    x, head = rs.randn(6, 4).astype(np.float32), rs.randn(6, 3).astype(np.float32)
    w, b = rs.randn(3, 4).astype(np.float32), rs.randn(3).astype(np.float32)
    net = mx.sym.FullyConnected(mx.sym.var('data'), num_hidden=3, name='fc')
    mod = mx.mod.Module(net, label_names=None, context=[mx.cpu(0), mx.cpu(1)],
                        work_load_list=[1, 2])
    mod.bind([('data', (6, 4))], inputs_need_grad=True)
    mod.init_params(arg_params={'fc_weight': mx.nd.array(w), 'fc_bias': mx.nd.array(b)})
    mod.init_optimizer(optimizer_params={'learning_rate': 0.1})
    mod.forward(mx.io.DataBatch([mx.nd.array(x)]), is_train=True)
    mod.backward(out_grads=[mx.nd.array(head)])
    out = {'input_grad': mod.get_input_grads()[0].asnumpy(),
           'split_shapes': np.array([g.shape for g in mod.get_input_grads(False)[0]])}
    mod.update()
    _params(mod, out, 'param')
    return out


def sentences():
    """Word sentences of lengths 2..8 from a fixed vocabulary."""
    rs = np.random.RandomState(3)
    words = ['w%d' % i for i in range(9)]
    return [[words[i] for i in rs.randint(0, 9, rs.randint(2, 9))] for _ in range(40)]


VOCAB, EMBED, HIDDEN = 11, 5, 6


def rnn_sym_gen(mx, time_major=False):
    """A bucket's graph: embedding, a tanh RNN unrolled over `seq_len` steps (weights
    shared across steps and buckets), a softmax over the vocabulary at every step.
    `time_major`: the inputs come as (length, batch) ('TN' batches)."""
    def sym_gen(seq_len):
        data, label = mx.sym.var('data'), mx.sym.var('softmax_label')
        if time_major:
            data, label = mx.sym.transpose(data), mx.sym.transpose(label)
        w = {n: mx.sym.var(n) for n in ('i2h_weight', 'i2h_bias', 'h2h_weight', 'h2h_bias')}
        embed = mx.sym.Embedding(data=data, input_dim=VOCAB, output_dim=EMBED, name='embed')
        steps = mx.sym.SliceChannel(embed, num_outputs=seq_len, axis=1, squeeze_axis=True)
        h, hs = None, []
        for t in range(seq_len):
            i2h = mx.sym.FullyConnected(steps[t], w['i2h_weight'], w['i2h_bias'],
                                        num_hidden=HIDDEN, name=f't{t}_i2h')
            if h is not None:
                i2h = i2h + mx.sym.FullyConnected(h, w['h2h_weight'], w['h2h_bias'],
                                                  num_hidden=HIDDEN, name=f't{t}_h2h')
            h = mx.sym.Activation(i2h, act_type='tanh')
            hs.append(mx.sym.expand_dims(h, axis=1))
        hidden = mx.sym.Concat(*hs, dim=1)
        pred = mx.sym.FullyConnected(hidden, num_hidden=VOCAB, flatten=False, name='pred')
        pred = mx.sym.Reshape(pred, shape=(-1, VOCAB))
        out = mx.sym.SoftmaxOutput(pred, mx.sym.Reshape(label, shape=(-1,)), name='softmax')
        return out, ('data',), ('softmax_label',)
    return sym_gen


def rnn_params():
    rs = np.random.RandomState(4)
    shapes = {'embed_weight': (VOCAB, EMBED), 'i2h_weight': (HIDDEN, EMBED),
              'i2h_bias': (HIDDEN,), 'h2h_weight': (HIDDEN, HIDDEN), 'h2h_bias': (HIDDEN,),
              'pred_weight': (VOCAB, HIDDEN), 'pred_bias': (VOCAB,)}
    return {k: (rs.randn(*s) * 0.4).astype(np.float32) for k, s in sorted(shapes.items())}


def bucketing_fit(mx, prefix):
    """encode_sentences, BucketSentenceIter and a BucketingModule trained for two epochs;
    the checkpoint is written at `prefix`."""
    random.seed(1)
    np.random.seed(1)
    coded, vocab = mx.rnn.encode_sentences(sentences(), invalid_label=0, start_label=1)
    it = mx.rnn.BucketSentenceIter(coded, 4, buckets=[4, 6, 8], invalid_label=0)
    out = {'vocab': np.array(sorted(f'{k}={v}' for k, v in vocab.items())),
           'coded0': np.array(coded[0]), 'buckets': np.array(it.buckets),
           'default_bucket_key': np.array(it.default_bucket_key)}
    mod = mx.mod.BucketingModule(rnn_sym_gen(mx), default_bucket_key=it.default_bucket_key)
    keys = []
    mod.fit(it, num_epoch=2, optimizer='sgd', eval_metric=mx.metric.Perplexity(None),
            optimizer_params={'learning_rate': 0.2, 'momentum': 0.5},
            arg_params={k: mx.nd.array(v) for k, v in rnn_params().items()},
            batch_end_callback=lambda p: keys.append(p.locals['data_batch'].bucket_key))
    out['fit_keys'] = np.array(keys)
    out['output_shapes'] = np.array(str(mod.output_shapes))     # of the last batch's bucket
    _params(mod, out, 'param')
    out['perplexity'] = np.array(mod.score(it, mx.metric.Perplexity(None))[0][1])
    out['predict'] = mod.predict(it).asnumpy()
    mod.save_checkpoint(prefix, 2)
    out.update(bucket_outputs(mx, mod))
    return out


def bucket_outputs(mx, mod):
    """The outputs of `mod` (bound) on a fixed batch of each bucket."""
    out = {}
    for key in (4, 6, 8):
        data = (np.arange(4 * key).reshape(4, key) % VOCAB).astype(np.float32)
        batch = mx.io.DataBatch([mx.nd.array(data)], [mx.nd.array(data)], bucket_key=key,
                                provide_data=[mx.io.DataDesc('data', data.shape)],
                                provide_label=[mx.io.DataDesc('softmax_label', data.shape)])
        mod.forward(batch, is_train=False)
        out[f'bucket{key}'] = mod.get_outputs()[0].asnumpy()
    return out


def seq_syms(mx):
    data = mx.sym.var('data')
    fc1 = mx.sym.FullyConnected(data=data, name='fc1', num_hidden=16)
    net1 = mx.sym.Activation(data=fc1, name='relu1', act_type='relu')
    net2 = mx.sym.FullyConnected(data=mx.sym.var('hidden'), name='fc2', num_hidden=4)
    net2 = mx.sym.SoftmaxOutput(data=net2, name='softmax')
    return net1, net2


def sequential_fit(mx):
    """Two Modules chained (auto_wiring, take_labels): fit, then one step by hand with the
    input gradients of the chain."""
    x, y, init = mlp_data()
    net1, net2 = seq_syms(mx)
    seq = mx.mod.SequentialModule()
    seq.add(mx.mod.Module(net1, label_names=None))
    seq.add(mx.mod.Module(net2, data_names=['hidden']), take_labels=True, auto_wiring=True)
    train = mx.io.NDArrayIter(x, y, 20)
    seq.fit(train, num_epoch=2, optimizer='sgd', optimizer_params=LR,
            arg_params={k: mx.nd.array(v) for k, v in init.items()})
    out = {'predict': seq.predict(train).asnumpy(),
           'acc': np.array(seq.score(train, 'acc')[0][1]),
           'output_shapes': np.array(str(seq.output_shapes))}
    _params(seq, out, 'param')
    seq.bind(train.provide_data, train.provide_label, inputs_need_grad=True, force_rebind=True)
    train.reset()
    seq.forward(next(train), is_train=True)
    seq.backward()
    # MXNet 1.9.1's SequentialModule.bind never sets its own inputs_need_grad, so its
    # get_input_grads() always fails an assertion: read the first module's
    out['input_grad'] = seq._modules[0].get_input_grads()[0].asnumpy()
    return out


def softmax_ce_grad(mx):
    """grad_func of a softmax cross-entropy PythonLossModule: softmax(scores) - onehot."""
    def grad(scores, labels):
        return mx.nd.softmax(scores) - mx.nd.one_hot(labels, scores.shape[1])
    return grad


def python_loss_fit(mx):
    """A Module without a loss followed by a PythonLossModule (grad_func): fit, score."""
    x, y, init = mlp_data()
    data = mx.sym.var('data')
    fc1 = mx.sym.FullyConnected(data=data, name='fc1', num_hidden=16)
    act1 = mx.sym.Activation(data=fc1, name='relu1', act_type='relu')
    fc2 = mx.sym.FullyConnected(data=act1, name='fc2', num_hidden=4)
    seq = mx.mod.SequentialModule()
    seq.add(mx.mod.Module(fc2, label_names=None))
    seq.add(mx.mod.PythonLossModule(grad_func=softmax_ce_grad(mx)), take_labels=True,
            auto_wiring=True)
    train = mx.io.NDArrayIter(x, y, 20)
    seq.fit(train, num_epoch=2, optimizer='sgd', optimizer_params=LR,
            arg_params={k: mx.nd.array(v) for k, v in init.items()})
    out = {'predict': seq.predict(train).asnumpy(),
           'acc': np.array(seq.score(train, 'acc')[0][1]),
           'output_shapes': np.array(str(seq.output_shapes)),
           'output_names': np.array(seq.output_names)}
    _params(seq, out, 'param')
    return out


CASES = {'python_loss_fit': python_loss_fit, 'multi_context_fit': multi_context_fit, 'multi_context_steps': multi_context_steps,
         'multi_context_out_grads': multi_context_out_grads, 'sequential_fit': sequential_fit}
