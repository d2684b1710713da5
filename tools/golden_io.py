"""Golden data for mx.io (NDArrayIter, MNISTIter, CSVIter, ImageRecordIter), from MXNet 1.9.1.

    $(../shared/tools/mxnet-ref.sh) tools/golden_io.py

Writes the inputs tests/golden/io_mnist-{images,labels} (10 bundled MNIST digits as
uncompressed IDX), io_data.csv, io_label.csv, io_images.rec (PNG records), and
tests/golden/io.npz with the batches MXNet's iterators give over three epochs (names
'<case>:<epoch>:<batch>:<field>').
"""
import gzip
import os
import struct
import sys

import numpy as np
import mxnet as mx
from mxnet import nd, recordio

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, 'tests', 'golden')
sys.path.insert(0, os.path.join(ROOT, 'tools'))
from golden_data import png, image  # noqa: E402
sys.path.insert(0, OUT)
from io_cases import ND_CASES, TEXT, TEXT_CASES, nd_input  # noqa: E402
G = {}

def record(name, it, epochs=3):
    for e in range(epochs):
        for b, batch in enumerate(it):
            for i, a in enumerate(batch.data):
                G[f'{name}:{e}:{b}:data{i}'] = a.asnumpy()
            for i, a in enumerate(batch.label or []):
                G[f'{name}:{e}:{b}:label{i}'] = a.asnumpy()
            G[f'{name}:{e}:{b}:pad'] = np.array(batch.pad)
        G[f'{name}:{e}:count'] = np.array(b + 1)
        it.reset()
    G[f'{name}:provide_data'] = np.array([f'{d.name}{d.shape}' for d in it.provide_data])
    G[f'{name}:provide_label'] = np.array([f'{d.name}{d.shape}' for d in it.provide_label])


def ndarray_iters():
    for name, n, bs, handle, shuffle, kind in ND_CASES:
        np.random.seed(0)
        x, y = nd_input(n, kind)
        record(name, mx.io.NDArrayIter(x, y, bs, shuffle, last_batch_handle=handle))
    it = mx.io.NDArrayIter(np.zeros((10, 3)), batch_size=4)
    G['resize:count'] = np.array(len(list(mx.io.ResizeIter(it, 5))))


def mnist():
    src = os.path.join(ROOT, 'regluon', 'data', 'mnist')
    img = gzip.open(os.path.join(src, 'test-images-idx3-ubyte.gz')).read()
    lab = gzip.open(os.path.join(src, 'test-labels-idx1-ubyte.gz')).read()
    n = 10
    images, labels = os.path.join(OUT, 'io_mnist-images'), os.path.join(OUT, 'io_mnist-labels')
    with open(images, 'wb') as f:
        f.write(struct.pack('>IIII', 2051, n, 28, 28) + img[16:16 + n * 784])
    with open(labels, 'wb') as f:
        f.write(struct.pack('>II', 2049, n) + lab[8:8 + n])
    for flat in (False, True):
        record(f'mnist_flat{int(flat)}', mx.io.MNISTIter(
            image=images, label=labels, batch_size=4, shuffle=False, flat=flat, silent=True), 2)
    record('mnist_part', mx.io.MNISTIter(image=images, label=labels, batch_size=2, shuffle=False,
                                         num_parts=2, part_index=1, silent=True), 1)
    record('mnist_shuffle', mx.io.MNISTIter(image=images, label=labels, batch_size=3, seed=3,
                                            flat=True, silent=True), 2)
    record('mnist_shuffle_part', mx.io.MNISTIter(image=images, label=labels, batch_size=2, seed=5,
                                                 num_parts=2, part_index=1, flat=True,
                                                 silent=True), 1)
    # the permutation alone, on 256 distinct labels
    n = 256
    with open(images + '-256', 'wb') as f:
        f.write(struct.pack('>IIII', 2051, n, 28, 28) + bytes(n * 784))
    with open(labels + '-256', 'wb') as f:
        f.write(struct.pack('>II', 2049, n) + bytes(range(n)))
    it = mx.io.MNISTIter(image=images + '-256', label=labels + '-256', batch_size=n, seed=11,
                         flat=True, silent=True)
    G['mnist_perm256'] = next(it).label[0].asnumpy().astype(np.int32)
    os.remove(images + '-256')
    os.remove(labels + '-256')


def csv():
    data, label = os.path.join(OUT, 'io_data.csv'), os.path.join(OUT, 'io_label.csv')
    rows = np.arange(5 * 6).reshape(5, 6) * 0.5
    np.savetxt(data, rows, delimiter=',', fmt='%g')
    np.savetxt(label, np.arange(5) + 1, delimiter=',', fmt='%g')
    for rb in (True, False):
        record(f'csv_round{int(rb)}', mx.io.CSVIter(data_csv=data, data_shape=(2, 3),
                                                   label_csv=label, batch_size=3, round_batch=rb), 4)
    record('csv_int', mx.io.CSVIter(data_csv=data, data_shape=(6,), batch_size=2,
                                    dtype='int32'), 2)


def imagerec():
    rec = os.path.join(OUT, 'io_images.rec')
    w = recordio.MXRecordIO(rec, 'w')
    for i in range(5):
        w.write(recordio.pack(recordio.IRHeader(0, float(i) + 0.5, i, 0),
                              png(image((8, 10, 3), 20 + i))))
    w.close()
    record('imgrec', mx.io.ImageRecordIter(path_imgrec=rec, data_shape=(3, 6, 6), batch_size=2), 2)
    record('imgrec_norm', mx.io.ImageRecordIter(
        path_imgrec=rec, data_shape=(3, 4, 5), batch_size=3, mean_r=100,
        mean_g=110, mean_b=120, std_r=50, std_g=60, std_b=70, scale=0.5), 2)
    record('imgrec_aug', mx.io.ImageRecordIter(
        path_imgrec=rec, data_shape=(3, 5, 5), batch_size=2, resize=6, pad=1, fill_value=7,
        mirror=True, num_parts=2, part_index=1), 1)


def mlp():
    data = mx.sym.var('data')
    fc1 = mx.sym.FullyConnected(data=data, name='fc1', num_hidden=16)
    act1 = mx.sym.Activation(data=fc1, name='relu1', act_type='relu')
    fc2 = mx.sym.FullyConnected(data=act1, name='fc2', num_hidden=4)
    return mx.sym.SoftmaxOutput(data=fc2, name='softmax')


def module_data():
    rs = np.random.RandomState(0)
    x = rs.rand(60, 20).astype(np.float32)
    y = (x[:, :4].argmax(1)).astype(np.float32)
    params = {'fc1_weight': rs.randn(16, 20) * 0.3, 'fc1_bias': rs.randn(16) * 0.1,
              'fc2_weight': rs.randn(4, 16) * 0.3, 'fc2_bias': rs.randn(4) * 0.1}
    return x, y, {k: v.astype(np.float32) for k, v in params.items()}


def module():
    """An MLP Module: MXNet's checkpoint of the start (epoch 0) and after two epochs of
    fit (epoch 2); its scores and predictions."""
    x, y, params = module_data()
    prefix = os.path.join(OUT, 'io_module')
    train = mx.io.NDArrayIter(x, y, 16)     # 60 examples: the last batch has pad 4
    mod = mx.mod.Module(mlp())
    mod.bind(train.provide_data, train.provide_label)
    mod.init_params(arg_params={k: nd.array(v) for k, v in params.items()})
    mod.save_checkpoint(prefix, 0)
    mod.fit(train, num_epoch=2, optimizer='sgd', eval_metric='acc',
            optimizer_params={'learning_rate': 0.5, 'momentum': 0.9, 'wd': 0.01})
    mod.save_checkpoint(prefix, 2)
    G['module:score'] = np.array(mod.score(train, ['acc', 'ce'])[0][1])
    G['module:score_ce'] = np.array(mod.score(train, 'ce')[0][1])
    G['module:predict'] = mod.predict(train).asnumpy()
    G['module:output_shapes'] = np.array([str(mod.output_shapes)])
    arg, aux = mod.get_params()
    G['module:param_names'] = np.array(sorted(arg))
    # the checkpoint as a Gluon block: the graph up to the last layer, the 'arg:' file
    sym = mx.sym.load(prefix + '-symbol.json').get_internals()['fc2_output']
    net = mx.gluon.SymbolBlock(sym, mx.sym.var('data'))
    net.collect_params().load(prefix + '-0002.params', ignore_extra=True)
    G['module:symblock'] = net(nd.array(x[:3])).asnumpy()


def text():
    """mx.contrib.text: counting, vocabularies, a custom embedding file and lookups."""
    from mxnet.contrib import text as T
    for lower in (False, True):
        c = T.utils.count_tokens_from_str(TEXT, ' ', '\n', lower)
        G[f'text:count{int(lower)}'] = np.array(sorted(f'{k}={v}' for k, v in c.items()))
    counter = T.utils.count_tokens_from_str(TEXT, ' ', '\n', True)
    for name, kw in TEXT_CASES:
        v = T.vocab.Vocabulary(counter, **kw)
        G[f'text:{name}:idx_to_token'] = np.array(v.idx_to_token)
        G[f'text:{name}:to_indices'] = np.array(v.to_indices(['the', 'zebra', 'life', 'is']))
    path = os.path.join(OUT, 'io_embed.txt')
    with open(path, 'w') as f:
        f.write('the 0.1 0.2 0.3\nlife 1 2 3\n<unk> 9 9 9\nthe 7 7 7\ncat -1 -2 -3.5\n')
    emb = T.embedding.CustomEmbedding(path)
    G['text:emb:idx_to_token'] = np.array(emb.idx_to_token)
    G['text:emb:idx_to_vec'] = emb.idx_to_vec.asnumpy()
    vocab = T.vocab.Vocabulary(counter, most_freq_count=5, reserved_tokens=['<pad>'])
    emb2 = T.embedding.CustomEmbedding(path, vocabulary=vocab, init_unknown_vec=nd.ones)
    G['text:emb_vocab:idx_to_token'] = np.array(emb2.idx_to_token)
    G['text:emb_vocab:idx_to_vec'] = emb2.idx_to_vec.asnumpy()
    G['text:emb_vocab:vecs'] = emb2.get_vecs_by_tokens(['Life', 'the', 'zzz'], True).asnumpy()
    emb2.update_token_vectors(['the', '<pad>'], nd.array([[5, 5, 5], [6, 6, 6]]))
    G['text:emb_vocab:updated'] = emb2.idx_to_vec.asnumpy()
    comp = T.embedding.CompositeEmbedding(vocab, [emb, emb2])
    G['text:composite'] = comp.idx_to_vec.asnumpy()
    G['text:glove_files'] = np.array(T.embedding.get_pretrained_file_names('glove'))
    G['text:names'] = np.array(sorted(T.embedding.get_pretrained_file_names()))


def module_bn():
    """A Module with BatchNorm (aux states): MXNet's checkpoints before and after one epoch."""
    x, y, params = module_data()
    data = mx.sym.var('data')
    # no bias before BatchNorm: its gradient is zero up to rounding, which Adam would amplify
    fc1 = mx.sym.FullyConnected(data=data, name='fc1', num_hidden=16, no_bias=True)
    bn = mx.sym.BatchNorm(data=fc1, name='bn1', fix_gamma=False, momentum=0.8)
    act1 = mx.sym.Activation(data=bn, name='relu1', act_type='relu')
    fc2 = mx.sym.FullyConnected(data=act1, name='fc2', num_hidden=4)
    net = mx.sym.SoftmaxOutput(data=fc2, name='softmax')
    rs = np.random.RandomState(5)
    params = dict(params, bn1_gamma=1 + 0.1 * rs.randn(16), bn1_beta=0.1 * rs.randn(16))
    del params['fc1_bias']
    aux = {'bn1_moving_mean': 0.1 * rs.randn(16), 'bn1_moving_var': 1 + 0.1 * rs.rand(16)}
    prefix = os.path.join(OUT, 'io_module_bn')
    train = mx.io.NDArrayIter(x, y, 20)
    mod = mx.mod.Module(net)
    mod.bind(train.provide_data, train.provide_label)
    mod.init_params(arg_params={k: nd.array(v) for k, v in params.items()},
                    aux_params={k: nd.array(v) for k, v in aux.items()})
    mod.save_checkpoint(prefix, 0)
    mod.init_optimizer(optimizer='adam', optimizer_params={'learning_rate': 0.05})
    for batch in train:
        mod.forward_backward(batch)
        mod.update()
    mod.save_checkpoint(prefix, 1)
    mod.forward(mx.io.DataBatch([nd.array(x[:20])], [nd.array(y[:20])]), is_train=False)
    G['module_bn:eval_out'] = mod.get_outputs()[0].asnumpy()


def main():
    os.makedirs(OUT, exist_ok=True)
    ndarray_iters()
    mnist()
    csv()
    imagerec()
    module()
    module_bn()
    text()
    np.savez_compressed(os.path.join(OUT, 'io.npz'), **G)
    print(f'wrote {len(G)} arrays to tests/golden/io.npz')


if __name__ == '__main__':
    main()
