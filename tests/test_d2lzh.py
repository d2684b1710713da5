"""The MXNet edition of Dive into Deep Learning's package, d2lzh 1.0.0, unmodified, under
`regluon run`: chapter 3 (linear and softmax regression: data_iter, linreg, squared_loss,
sgd, train_ch3, evaluate_accuracy) and chapter 5 (LeNet with train_ch5 on try_gpu()), one
short epoch each on 1,000 bundled MNIST digits; chapter 6 (an RNN from scratch with
train_and_predict_rnn, random sampling) on a short text; contrib.text's Vocabulary over
d2l.count_tokens; and the plotting helpers (Agg backend).

d2lzh is pure Python and is installed without its dependencies (it would pull mxnet);
it imports IPython at import time, and its use_svg_display needs IPython < 9.
"""
import os
import subprocess
import sys

import numpy as np
import pytest

import regluon as mx

SCRIPT = os.path.join(os.path.dirname(__file__), 'compat_scripts', 'd2l_book.py')
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


@pytest.fixture(scope='module')
def book_run(d2lzh, tmp_path_factory):
    from regluon.gluon.data.vision.datasets import MNISTSubset
    tmp = tmp_path_factory.mktemp('d2l')
    train, test = MNISTSubset(train=True), MNISTSubset(train=False)
    data = tmp / 'mnist.params'
    mx.nd.save(str(data), {'X_train': train._data[:1000],
                           'y_train': mx.nd.array(train._label[:1000], dtype='int32'),
                           'X_test': test._data[:300],
                           'y_test': mx.nd.array(test._label[:300], dtype='int32')})
    env = dict(os.environ, PYTHONPATH=ROOT, OMP_NUM_THREADS='1', MPLBACKEND='Agg')
    r = subprocess.run([sys.executable, '-m', 'regluon', 'run', SCRIPT, str(data)],
                       cwd=str(tmp), capture_output=True, text=True, env=env, timeout=600)
    assert r.returncode == 0, r.stderr[-3000:]
    lines = r.stdout.splitlines()
    return {l.split()[0]: l.split()[1:] for l in lines
            if l and not l.startswith(('epoch', ' - '))}, \
        [l for l in lines if l.startswith('epoch')]


def test_linear_regression_from_scratch(book_run):
    res, _ = book_run
    np.testing.assert_allclose([float(v) for v in res['linreg_w']], [2, -3.4], atol=0.02)
    assert float(res['linreg_b'][0]) == pytest.approx(4.2, abs=0.02)
    assert float(res['linreg_loss'][0]) < 1e-3


def test_softmax_regression_train_ch3(book_run):
    res, epochs = book_run
    before, after = float(res['ch3_before'][0]), float(res['ch3_after'][0])
    assert before < 0.3 and after > 0.6          # one epoch of 10 batches, chance is 0.1
    assert float(res['ch3_gluon'][0]) > 0.6
    # train_ch3's own report: 'epoch 1, loss L, train acc A, test acc T'
    loss, train_acc = float(epochs[0].split('loss ')[1].split(',')[0]), \
        float(epochs[0].split('train acc ')[1].split(',')[0])
    assert 0 < loss < 2.3 and 0.2 < train_acc <= 1


def test_rnn_from_scratch_and_vocabulary(book_run):
    res, epochs = book_run
    # 'epoch 20, perplexity P, time T sec'; chance is 19 (the characters). From scratch
    # with random and consecutive sampling, then the Gluon RNN (consecutive): each carries
    # its state over batches whose graphs backward() freed
    ppl = [float(l.split('perplexity ')[1].split(',')[0]) for l in epochs if 'perplexity' in l]
    assert len(ppl) == 3 and all(1 <= p < 3 for p in ppl), ppl
    assert res['vocab'] == ['20', '<unk>', '<pad>', 'the', 'time']   # 18 words, each 10+ times


def test_lenet_train_ch5_and_helpers(book_run):
    res, all_epochs = book_run
    epochs = [l for l in all_epochs if 'perplexity' not in l]
    assert len(epochs) == 3 and 'time' in epochs[2]
    loss = float(epochs[2].split('loss ')[1].split(',')[0])
    assert np.isfinite(loss) and loss < 10       # sigmoid LeNet barely moves in 3 batches
    assert 0 <= float(res['ch5_after'][0]) <= 1
    gpus = mx.context.num_gpus()
    assert res['ctx'][0] == ('gpu(0)' if gpus else 'cpu(0)')
    assert res['figsize'] == ['3.5', '2.5']
