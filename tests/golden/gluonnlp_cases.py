"""GluonNLP 0.10.0 on tiny configs, written once for MXNet 1.9.1 (tools/golden_gluonnlp.py)
and regluon (tests/test_gluonnlp.py). Each case takes (mx, nlp, params) where `params`
maps a model name to a .params file (MXNet writes it after a seeded fill, regluon loads
it) and 'tmp' to a scratch folder. A case returns a dict of numpy arrays to compare."""
import numpy as np

TOKENS = ['the', 'cat', 'sat', 'on', 'mat', 'dog', 'ran', 'a', 'big', 'red', 'hat', 'un',
          '##believ', '##able', 'run', '##ning', 'fast', 'slow', 'blue', 'green']
B, T = 2, 7


def fill(net, mx, scale=0.2):
    """Deterministic values for every parameter (numpy's seeded normals: the same on both
    sides), with the spread of a trained model's rather than the near-uniform outputs of
    small initial weights, so that beam search and argmax meet no near-ties."""
    for i, (_, p) in enumerate(sorted(net.collect_params().items())):
        v = np.random.RandomState(i).normal(0, scale, p.shape)
        p.set_data(mx.nd.array(v.astype('float32')))


def _persist(net, params, key, mx, scale=0.2):
    """MXNet: fill and save; regluon: load MXNet's file."""
    if params.get('write'):
        fill(net, mx, scale)
        net.save_parameters(params[key])
    else:
        net.load_parameters(params[key], ctx=mx.cpu())


def vocab(nlp):
    counter = nlp.data.count_tokens(TOKENS + TOKENS[:5])
    return nlp.vocab.BERTVocab(counter)


def _bert_inputs(mx, vsize):
    rs = np.random.RandomState(0)
    ids = rs.randint(0, vsize, (B, T))
    types = rs.randint(0, 2, (B, T))
    valid = np.array([T, 4])
    masked = np.array([[1, 3], [0, 2]])
    return (mx.nd.array(ids), mx.nd.array(types), mx.nd.array(valid, dtype='float32'),
            mx.nd.array(masked))


def tiny_bert(mx, nlp, v, use_decoder=True):
    net, _ = nlp.model.get_model('bert_12_768_12', dataset_name=None, vocab=v, pretrained=False,
                                 use_pooler=True, use_decoder=use_decoder,
                                 use_classifier=use_decoder,
                                 hparam_allow_override=True, num_layers=2, units=16,
                                 hidden_size=32, num_heads=2, max_length=16, embed_size=16,
                                 dropout=0.0)
    net.initialize()
    return net


def case_bert(mx, nlp, params):
    v = vocab(nlp)
    net = tiny_bert(mx, nlp, v)
    x = _bert_inputs(mx, len(v))
    net(*x)  # deferred init
    _persist(net, params, 'bert', mx)
    seq, pooled, nsp, mlm = net(*x)
    out = {'seq': seq, 'pooled': pooled, 'nsp': nsp, 'mlm': mlm}
    net.hybridize()
    for k, o in zip(['h_seq', 'h_pooled', 'h_nsp', 'h_mlm'], net(*x)):
        out[k] = o
    return {k: o.asnumpy() for k, o in out.items()}


def case_bert_train(mx, nlp, params):
    v = vocab(nlp)
    bert = tiny_bert(mx, nlp, v, use_decoder=False)
    clf = nlp.model.BERTClassifier(bert, num_classes=3, dropout=0.0)
    clf.classifier.initialize()
    ids, types, valid, _ = _bert_inputs(mx, len(v))
    clf(ids, types, valid)
    _persist(clf, params, 'bert_clf', mx)
    out = {'logits_before': clf(ids, types, valid).asnumpy()}
    clf.hybridize()
    trainer = mx.gluon.Trainer(clf.collect_params(), 'bertadam',
                               {'learning_rate': 0.01, 'wd': 0.01})
    loss_fn = mx.gluon.loss.SoftmaxCELoss()
    label = mx.nd.array([0, 2])
    for step in range(2):
        with mx.autograd.record():
            loss = loss_fn(clf(ids, types, valid), label).mean()
        loss.backward()
        trainer.step(1)
        out[f'loss{step}'] = loss.asnumpy()
    params_after = clf.collect_params()
    for name in sorted(params_after.keys()):
        if name.endswith(('word_embed_embedding0_weight', 'dense0_weight', 'layernorm0_gamma')):
            out['p_' + name.split('_', 1)[1]] = params_after[name].data().asnumpy()
    out['logits'] = clf(ids, types, valid).asnumpy()
    return out


def case_transformer(mx, nlp, params):
    enc, dec, one_step = nlp.model.transformer.get_transformer_encoder_decoder(
        num_layers=2, num_heads=2, units=16, hidden_size=32, max_src_length=10,
        max_tgt_length=10, dropout=0.0)
    sv = nlp.Vocab(nlp.data.count_tokens(TOKENS))
    model = nlp.model.translation.NMTModel(sv, sv, enc, dec, one_step, embed_size=16,
                                           prefix='nmt_')
    model.initialize()
    rs = np.random.RandomState(1)
    src = mx.nd.array(rs.randint(0, len(sv), (B, 6)))
    tgt = mx.nd.array(rs.randint(0, len(sv), (B, 5)))
    sl, tl = mx.nd.array([6, 3]), mx.nd.array([5, 2])
    model(src, tgt, sl, tl)
    _persist(model, params, 'transformer', mx, scale=0.6)
    out, _ = model(src, tgt, sl, tl)
    res = {'out': out.asnumpy()}
    # beam search over the one-step decoder
    enc_out, _ = model.encode(src, valid_length=sl)
    states = model.decoder.init_state_from_encoder(enc_out, sl)

    def decoder(step_input, step_states):
        step_out, step_states, _ = model.decode_step(step_input, step_states)
        return mx.nd.log_softmax(step_out), step_states

    sampler = nlp.model.BeamSearchSampler(beam_size=3, decoder=decoder,
                                          eos_id=sv[sv.eos_token], max_length=6,
                                          scorer=nlp.model.BeamSearchScorer(alpha=1.0, K=5))
    samples, scores, lengths = sampler(mx.nd.array([sv[sv.bos_token]] * B), states)
    res.update(samples=samples.asnumpy(), scores=scores.asnumpy(), lengths=lengths.asnumpy())
    return res


def case_lm(mx, nlp, params):
    res = {}
    rs = np.random.RandomState(2)
    x = mx.nd.array(rs.randint(0, 20, (5, B)))
    for cls, mode in [('AWDRNN', 'lstm'), ('StandardRNN', 'gru')]:
        kw = dict(dropout=0.0) if cls == 'StandardRNN' else dict(
            dropout=0.0, weight_drop=0.0, drop_h=0.0, drop_i=0.0, drop_e=0.0)
        net = getattr(nlp.model, cls)(mode, 20, 8, 12, 2, tie_weights=False, **kw)
        net.initialize()
        state = net.begin_state(batch_size=B, func=mx.nd.zeros)
        net(x, state)
        fill(net, mx)
        out, st = net(x, state)
        res[cls] = out.asnumpy()
        res[cls + '_state'] = (st[0][0] if isinstance(st[0], (list, tuple)) else st[0]).asnumpy()
    return res


def case_data(mx, nlp, params):
    v = nlp.Vocab(nlp.data.count_tokens(TOKENS + ['cat', 'cat', 'dog']), max_size=10)
    res = {'ids': np.array(v[['cat', 'dog', 'zzz', 'the']]), 'len': np.array(len(v))}
    pad = nlp.data.batchify.Tuple(nlp.data.batchify.Pad(pad_val=-1, ret_length=True),
                                  nlp.data.batchify.Stack())
    (padded, lengths), stacked = pad([([1, 2, 3], 0.5), ([4], 1.5), ([5, 6], 2.5)])
    res.update(padded=padded.asnumpy(), lengths=lengths.asnumpy(), stacked=stacked.asnumpy())
    tok = nlp.data.BERTTokenizer(vocab(nlp), lower=True)
    toks = tok('The unbelievable cat running, FAST!')
    res['tokens'] = np.array(toks)
    trans = nlp.data.BERTSentenceTransform(tok, max_seq_length=12, pair=True)
    ids, valid, types = trans(('the cat sat', 'a dog ran fast'))
    res.update(t_ids=np.asarray(ids), t_valid=np.asarray(valid), t_types=np.asarray(types))
    return res


def case_loss(mx, nlp, params):
    rs = np.random.RandomState(3)
    pred = mx.nd.array(rs.randn(B, 4, 6))
    label = mx.nd.array(rs.randint(0, 6, (B, 4)))
    vl = mx.nd.array([4, 2])
    res = {'masked_ce': nlp.loss.MaskedSoftmaxCELoss()(pred, label, vl).asnumpy()}
    res['smooth'] = nlp.loss.LabelSmoothing(axis=-1, epsilon=0.1, units=6)(label).asnumpy()
    # (LabelSmoothing without units runs a CustomOp whose __init__ MXNet 1.9.1 rejects)
    states = [mx.nd.array(rs.randn(4, B, 5)) for _ in range(2)]
    res['ar'] = nlp.loss.ActivationRegularizationLoss(alpha=2)(*states).asnumpy()
    res['tar'] = nlp.loss.TemporalActivationRegularizationLoss(beta=1)(*states).asnumpy()
    return res


def case_bertadam(mx, nlp, params):
    w = mx.nd.array(np.linspace(-1, 1, 12).reshape(3, 4).astype('float32'))
    g = mx.nd.array(np.cos(np.arange(12)).reshape(3, 4).astype('float32'))
    opt = nlp.optimizer.BERTAdam(learning_rate=0.1, wd=0.05)
    st = opt.create_state(0, w)
    res = {}
    for i in range(3):
        opt.update(0, w, g, st)
        res[f'w{i}'] = w.asnumpy().copy()
    return res


def case_bert_all(mx, nlp, params):
    """RoBERTa-style outputs of every layer and the attention maps, hybridized too
    (nested outputs), exported and imported back as a SymbolBlock."""
    v = vocab(nlp)
    net, _ = nlp.model.get_model('bert_12_768_12', dataset_name=None, vocab=v,
                                 pretrained=False, use_decoder=False, use_classifier=False,
                                 hparam_allow_override=True, num_layers=2, units=16,
                                 hidden_size=32, num_heads=2, max_length=16, embed_size=16,
                                 dropout=0.0, output_attention=True, output_all_encodings=True)
    net.initialize()
    x = _bert_inputs(mx, len(v))[:3]
    net(*x)
    fill(net, mx)
    def flat(prefix, out):      # (layers, [per-layer [attention]], pooled) as named arrays
        if isinstance(out, (list, tuple)):
            return {k: v for i, o in enumerate(out) for k, v in flat(f'{prefix}{i}', o).items()}
        return {prefix: out.asnumpy()}
    res = flat('out', net(*x))
    net.hybridize()
    res.update(flat('h_out', net(*x)))
    res.update(flat('h_again', net(*x)))
    pooled = net(*x)[2]
    prefix = params['tmp'] + '/bert_all'
    net.export(prefix)
    sb = mx.gluon.SymbolBlock.imports(prefix + '-symbol.json', ['data0', 'data1', 'data2'],
                                      prefix + '-0000.params')
    res['imported_pooled'] = sb(*x)[-1].asnumpy()
    res['pooled_again'] = pooled.asnumpy()
    ids = mx.nd.array(np.random.RandomState(4).randint(0, len(v), (B, 6)))
    rob, _ = nlp.model.get_model('roberta_12_768_12', dataset_name=None, vocab=v,
                                 pretrained=False, hparam_allow_override=True, num_layers=1,
                                 units=16, hidden_size=32, num_heads=2, max_length=16,
                                 embed_size=16, dropout=0.0)
    rob.initialize()
    pos = mx.nd.array([[1, 2], [0, 1]])
    rob(ids, mx.nd.array([6, 3]), pos)
    fill(rob, mx)
    seq, mlm = rob(ids, mx.nd.array([6, 3]), pos)
    res.update(roberta_seq=seq.asnumpy(), roberta_mlm=mlm.asnumpy())
    return res


def case_encoders(mx, nlp, params):
    """BiLMEncoder (LSTMPCellWithClip with clipping and skip connections), the ELMo
    character encoder, Highway and ConvolutionalEncoder (masked, hybridized), a tied
    StandardRNN hybridized, AWDRNN's training-mode forward and backward (dropouts on)."""
    res = {}
    rs = np.random.RandomState(7)
    bilm = nlp.model.BiLMEncoder(mode='lstmpc', num_layers=2, input_size=6, hidden_size=8,
                                 dropout=0.0, skip_connection=True, proj_size=6, cell_clip=1,
                                 proj_clip=0.5)
    bilm.initialize()
    xs = mx.nd.array(rs.randn(4, B, 6))
    bilm(xs, bilm.begin_state(mx.nd.zeros, batch_size=B))
    fill(bilm, mx, 0.5)
    res['bilm'] = bilm(xs, bilm.begin_state(mx.nd.zeros, batch_size=B))[0].asnumpy()
    elmo = nlp.model.ELMoCharacterEncoder(output_size=8, char_embed_size=4,
                                          filters=[[1, 4], [2, 5]], num_highway=1,
                                          conv_layer_activation='relu', max_chars_per_token=6,
                                          char_vocab_size=30)
    elmo.initialize()
    chars = mx.nd.array(rs.randint(0, 30, (B, 3, 6)))
    elmo(chars)
    fill(elmo, mx)
    res['elmo_chars'] = elmo(chars).asnumpy()
    enc = nlp.model.ConvolutionalEncoder(embed_size=6, num_filters=(4, 5),
                                         ngram_filter_sizes=(2, 3), conv_layer_activation='tanh',
                                         num_highway=1, output_size=7)
    enc.initialize()
    mask = mx.nd.array([[1, 1], [1, 1], [1, 1], [1, 0], [0, 0]])
    xs = mx.nd.array(rs.randn(5, B, 6))
    enc(xs)
    fill(enc, mx)
    res.update(conv=enc(xs).asnumpy(), conv_mask=enc(xs, mask).asnumpy())
    enc.hybridize()
    res['conv_mask_h'] = enc(xs, mask).asnumpy()
    lm = nlp.model.StandardRNN('lstm', 20, 12, 12, 2, dropout=0.0, tie_weights=True)
    lm.initialize()
    x = mx.nd.array(rs.randint(0, 20, (5, B)))
    lm(x, lm.begin_state(batch_size=B, func=mx.nd.zeros))
    fill(lm, mx)
    lm.hybridize()
    res['tied_lm'] = lm(x, lm.begin_state(batch_size=B, func=mx.nd.zeros))[0].asnumpy()
    awd = nlp.model.AWDRNN('lstm', 20, 8, 12, 2, tie_weights=False, dropout=0.4,
                           weight_drop=0.5, drop_h=0.2, drop_i=0.65, drop_e=0.1)
    awd.initialize()
    state = awd.begin_state(batch_size=B, func=mx.nd.zeros)
    with mx.autograd.record():
        out, _ = awd(x, state)
        total = out.sum()
    total.backward()
    res['awd_train_shape'] = np.array(out.shape)
    fill(awd, mx)
    res['awd_eval'] = awd(x, awd.begin_state(batch_size=B, func=mx.nd.zeros))[0].asnumpy()
    return res


def case_utils(mx, nlp, params):
    """Bucket samplers, ShardedDataLoader and DataLoader with a bucket sampler, a
    TokenEmbedding from a file set on a Vocab, MaskedAccuracy, clip_grad_global_norm."""
    lengths = [3, 5, 7, 2, 9, 4, 6, 8, 1, 10] * 3
    fixed = list(nlp.data.FixedBucketSampler(lengths, batch_size=4, num_buckets=3,
                                             shuffle=False))
    srt = list(nlp.data.SortedBucketSampler(lengths, batch_size=5, shuffle=False))
    res = {'fixed': np.array([i for b in fixed for i in b]),
           'fixed_sizes': np.array([len(b) for b in fixed]),
           'sorted': np.array([i for b in srt for i in b])}
    data = mx.gluon.data.SimpleDataset([([1, 2, 3][:i % 3 + 1], i) for i in range(10)])
    bf = nlp.data.batchify.Tuple(nlp.data.batchify.Pad(pad_val=0), nlp.data.batchify.Stack())
    batches = list(nlp.data.ShardedDataLoader(data, batch_size=4, batchify_fn=bf))
    res.update(shard_first=batches[0][0].asnumpy(), shard_last=batches[-1][1].asnumpy())
    sampler = nlp.data.FixedBucketSampler([i % 3 + 1 for i in range(10)], 3, num_buckets=2,
                                          shuffle=False)
    dl = mx.gluon.data.DataLoader(data, batch_sampler=sampler, batchify_fn=bf)
    res['bucketed'] = np.concatenate([b[1].asnumpy() for b in dl])
    path = params['tmp'] + '/emb.txt'
    with open(path, 'w') as f:
        f.write('cat 1 2 3 4\ndog 0.5 0.5 0.5 0.5\nsat -1 0 1 2\n')
    emb = nlp.embedding.TokenEmbedding.from_file(path, elem_delim=' ')
    emb['cat'] = mx.nd.arange(4)
    v = nlp.Vocab(nlp.data.count_tokens(TOKENS))
    v.set_embedding(emb)
    res['emb'] = v.embedding[['cat', 'dog', 'zzz', 'sat']].asnumpy()
    acc = nlp.metric.MaskedAccuracy()
    acc.update([mx.nd.array([1, 2, 3])],
               [mx.nd.array([[.1, .9, 0, 0], [0, 0, 1, 0], [1, 0, 0, 0]])],
               [mx.nd.array([1, 1, 0])])
    res['masked_acc'] = np.array(acc.get()[1])
    net = mx.gluon.nn.Dense(3, in_units=4)
    net.initialize()
    fill(net, mx)
    with mx.autograd.record():
        loss = net(mx.nd.ones((2, 4))).sum() * 10
    loss.backward()
    norm = nlp.utils.clip_grad_global_norm(net.collect_params().values(), 1.0)
    res.update(norm=np.array(float(norm.asscalar() if hasattr(norm, 'asscalar') else norm)),
               clipped=net.weight.grad().asnumpy())
    return res


PARAMS = ['bert', 'bert_clf', 'transformer']
CASES = ['bert', 'bert_train', 'transformer', 'lm', 'data', 'loss', 'bertadam',
         'bert_all', 'encoders', 'utils']
