"""regluon.training (the book's train_ch5 with a progress bar and a plot) and the
`regluon train` command: one short epoch each, figures checked against recomputation, the
plot and the parameters written and loaded back."""
import json
import struct

import numpy as np
import pytest

import regluon as mx
from regluon import cli_train, gluon, init, models, training
from regluon.gluon.data import vision

from conftest import GOLDEN


def loaders(n_train, n_test, batch_size=64):
    tf = vision.transforms.ToTensor()
    train = vision.datasets.MNISTSubset(train=True).take(n_train)
    test = vision.datasets.MNISTSubset(train=False).take(n_test)
    return (gluon.data.DataLoader(train.transform_first(tf), batch_size, shuffle=True),
            gluon.data.DataLoader(test.transform_first(tf), batch_size))


def test_train_one_epoch_history_and_plot(tmp_path):
    mx.random.seed(0)
    train_iter, test_iter = loaders(512, 256)
    net = models.lenet(act='relu')
    net.initialize(init.Xavier())
    trainer = gluon.Trainer(net.collect_params(), 'sgd', {'learning_rate': 0.05,
                                                          'momentum': 0.9})
    lines = []
    plot = tmp_path / 'curves.png'
    h = training.train(net, train_iter, test_iter, 64, trainer, num_epochs=2,
                       progress=False, plot=str(plot), log=lines.append)
    assert h.epochs == [1, 2] and len(h.loss) == len(h.train_acc) == len(h.test_acc) == 2
    assert h.loss[1] < h.loss[0] < 2.5 and 0 <= h.train_acc[0] <= 1
    assert h.train_acc[1] > h.train_acc[0] and all(type(v) is float for v in h.loss + h.test_acc)
    # the recorded test accuracy is that of the final parameters
    assert h.test_acc[-1] == pytest.approx(training.evaluate_accuracy(test_iter, net))
    assert lines[0] == 'training on cpu(0)' and lines[2].startswith('epoch 2, loss ')
    assert f'test acc {h.test_acc[1]:.3f}' in lines[2]
    png = plot.read_bytes()
    assert png[:8] == b'\x89PNG\r\n\x1a\n'
    width, height = struct.unpack('>II', png[16:24])
    assert (width, height) == (600, 350)


def test_evaluate_accuracy_counts_matches():
    x = mx.nd.array([[0, 1], [2, 0], [0, 3], [4, 5]])
    y = mx.nd.array([1, 0, 0, 1])

    def net(z):
        return z
    assert training.evaluate_accuracy([(x, y)], net) == 0.75


def test_cli_defaults_are_the_recipe_mxnet_ran():
    mxnet = json.loads((GOLDEN / 'model_zoo_lenet_recipe.json').read_text())
    assert cli_train.DEFAULTS == mxnet['recipe']
    assert mxnet['mxnet'] == '1.9.1' and 0.9 < mxnet['mean_test_acc'] < 1


def test_cli_train_lenet_writes_plot_and_params(tmp_path, capsys):
    out = tmp_path / 'out'
    rc = cli_train.main(['lenet', '--epochs', '1', '--out', str(out), '--no-progress'])
    assert rc == 0
    text = capsys.readouterr().out
    acc = float(text.split('final test accuracy ')[1].split()[0])
    assert 'epoch 1, loss' in text and acc > 0.5
    assert (out / 'lenet-curves.png').read_bytes()[:4] == b'\x89PNG'
    net = models.lenet(act='relu')
    net.load_parameters(str(out / 'lenet.params'))
    test = vision.datasets.MNISTSubset(train=False).transform_first(
        vision.transforms.ToTensor())
    again = training.evaluate_accuracy(gluon.data.DataLoader(test, 500), net)
    assert again == pytest.approx(acc, abs=1e-4)


def test_cli_rejects_unknown_network(capsys):
    with pytest.raises(SystemExit):
        cli_train.main(['lenet7'])
    assert "invalid choice: 'lenet7'" in capsys.readouterr().err


def test_history_plot_without_path_needs_nothing_written(tmp_path):
    h = training.History()
    h.add(1.0, 0.5, 0.4, 2.0)
    h.add(0.5, 0.7, 0.6, 2.0)
    assert h.plot(str(tmp_path / 'h.svg')) == str(tmp_path / 'h.svg')
    assert (tmp_path / 'h.svg').read_text().lstrip().startswith('<?xml')
    assert np.allclose(h.loss, [1.0, 0.5]) and h.epochs == [1, 2]


@pytest.mark.parametrize('argv, kwargs, expect', [
    (['lenet'], {'act': 'relu'}, (10, 256, 0.05, 0.9, 0)),
    (['lenet', '--act', 'sigmoid', '--lr', '0.9', '--momentum', '0'], {'act': 'sigmoid'},
     (10, 256, 0.9, 0.0, 0)),                                # the book's LeNet recipe
    (['resnet18'], {}, (5, 256, 0.05, 0.0, 96)),             # the book's recipes
    (['vgg11', '--epochs', '1'], {'ratio': 4}, (1, 128, 0.05, 0.0, 224)),
    (['lenet_bn', '--resize', '32'], {}, (5, 256, 1.0, 0.0, 32)),
])
def test_cli_recipes(argv, kwargs, expect):
    args = cli_train.parser().parse_args(argv)
    assert cli_train._recipe(args) == kwargs
    assert (args.epochs, args.batch_size, args.lr, args.momentum, args.resize) == expect
