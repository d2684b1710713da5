"""The English Dive into Deep Learning's helper package for MXNet, d2l 0.17.6
(`from d2l import mxnet as d2l`), unmodified, under `regluon run`: chapters 4-13 through
tests/compat_scripts/d2l_en_book.py on tiny synthetic data, every figure compared with what
the same script printed under MXNet 1.9.1 (tests/golden/d2l_en_book.json, written by
tools/golden_d2l_en.py).

Chapters: 4 (MLP with train_ch3, dropout, weight decay, evaluate_loss), 5 (custom blocks,
parameter access and sharing, deferred init, custom initializers and layers, npx.save/load,
save/load_parameters, try_gpu), 6 (corr2d, learning a kernel, pooling, LeNet with
train_ch6), 7 (AlexNet, VGG, NiN, GoogLeNet, BatchNorm, d2l.Residual ResNet, DenseNet:
a forward in predict and training mode), 8-9 (Vocab, sequence iterators, RNNModelScratch
and RNNModel on rnn.RNN/GRU/LSTM through train_ch8, a bidirectional LSTM, Seq2SeqEncoder,
a GRU decoder, EncoderDecoder, MaskedSoftmaxCELoss, truncate_pad, bleu; train_seq2seq and
predict_seq2seq on a made-up corpus, plain and with Bahdanau attention), 10 (masked_softmax,
Additive/DotProduct/MultiHeadAttention, PositionalEncoding, PositionWiseFFN, AddNorm,
TransformerEncoder), 11 (train_ch11 with five scratch optimizers, train_concise_ch11 with six Gluon
optimizers, lr schedulers), 12 (hybridize and export/imports in np mode, a user
HybridBlock, split_and_load/split_batch/allreduce on cpu(0)/cpu(1), d2l.resnet18 on two
contexts with train_batch_ch13 and evaluate_accuracy_gpus, 12.5's data parallelism from
scratch with npx.convolution/pooling, split_batch, allreduce and d2l.sgd), 13 (augmentation on a
synthetic image, npx/d2l multibox_prior, box conversions, box_iou, multibox_target,
multibox_detection, nms, train_ch13 on cpu(0)/cpu(1), SSD's predictors/targets/losses/
detection, FCN's bilinear Conv2DTranspose, VOC label helpers), 14's skip-gram and BERTModel
(forward, _get_batch_loss_bert, two Adam steps) and 15's TextCNN pieces.

d2l is installed without its dependencies (it would pull mxnet); the script stands in an
empty module for pandas and requests, which d2l imports but these chapters never use.
"""
import importlib.metadata
import json
import math
import os
import subprocess
import sys

import pytest

from conftest import GOLDEN, pip_install

SCRIPT = os.path.join(os.path.dirname(__file__), 'compat_scripts', 'd2l_en_book.py')
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
with open(GOLDEN / 'd2l_en_book.json') as _f:
    WANT = json.load(_f)
CHAPTERS = sorted({k.split('_')[0] for k in WANT})



@pytest.fixture(scope='module')
def figures(tmp_path_factory):
    try:
        importlib.metadata.version('d2l')
    except importlib.metadata.PackageNotFoundError:
        pip_install('--no-deps', 'd2l==0.17.6')
    tmp = tmp_path_factory.mktemp('d2l_en')
    env = dict(os.environ, PYTHONPATH=ROOT, OMP_NUM_THREADS='1', MPLBACKEND='Agg')
    r = subprocess.run([sys.executable, '-m', 'regluon', 'run', SCRIPT], cwd=str(tmp),
                       capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    return json.loads(r.stdout.strip().splitlines()[-1]), r.stdout


def test_same_figures_as_mxnet(figures):
    got, _ = figures
    assert sorted(got) == sorted(WANT)


@pytest.mark.parametrize('chapter', CHAPTERS)
def test_chapter_matches_mxnet(figures, chapter):
    got, _ = figures
    for key in sorted(k for k in WANT if k.split('_')[0] == chapter):
        want, have = WANT[key], got[key]
        assert len(have) == len(want), key
        for i, (w, h) in enumerate(zip(want, have)):
            if math.isnan(w):
                assert math.isnan(h), (key, i)
            else:
                assert h == pytest.approx(w, rel=1e-3, abs=1e-4), (key, i, have[:8], want[:8])


def test_book_training_loops_report(figures):
    _, out = figures
    # train_ch6 and train_ch8 print their own summaries: on cpu(0) here (no GPU)
    assert 'examples/sec on cpu(0)' in out or 'examples/sec on gpu(0)' in out
    assert out.count('perplexity ') == 4            # scratch, RNN, GRU, LSTM
    assert out.count('sec/epoch') == 11             # train_ch11 x5, train_concise_ch11 x6
