"""gluon.contrib.estimator against MXNet 1.9.1 (tools/golden_estimator.py): the scenarios of
tests/golden/estimator_cases.py (fit/evaluate weights and metrics, log lines, warnings,
default handlers, checkpoint files and resume, early stopping, handler order, custom
BatchProcessor, two contexts) and the errors."""
import json
import os
import re
import sys

import numpy as np
import pytest

import regluon as mx
from conftest import golden

sys.path.insert(0, os.path.join(os.path.dirname(__file__), 'golden'))
import estimator_cases as cases  # noqa: E402

GOLDEN = golden('estimator')
ERRORS = json.loads(str(GOLDEN['errors']))
_NUMBER = re.compile(r'-?\d+\.\d+')


def same_text(got, want):
    """Log lines and messages: the text exactly, numbers with 4 decimals within 2e-4
    (one unit of the last printed digit, for float rounding at a digit boundary)."""
    assert _NUMBER.sub('#', got) == _NUMBER.sub('#', want), (got, want)
    np.testing.assert_allclose([float(x) for x in _NUMBER.findall(got)],
                               [float(x) for x in _NUMBER.findall(want)], rtol=0, atol=2e-4)


def compare(name, got):
    want = {k[len(name) + 1:]: v for k, v in GOLDEN.items() if k.startswith(name + '/')}
    assert sorted(got) == sorted(want)
    for key, expected in want.items():
        value = got[key]
        if expected.dtype.kind == 'U':
            value = np.asarray(value, dtype=str)
            assert value.shape == expected.shape, (key, value, expected)
            for g, w in zip(value.ravel(), expected.ravel()):
                same_text(str(g), str(w))
        else:
            np.testing.assert_allclose(np.asarray(value, dtype=expected.dtype), expected,
                                       rtol=1e-4, atol=1e-5, err_msg=key)


@pytest.mark.parametrize('name', list(cases.SCENARIOS))
def test_scenario(name, tmp_path):
    compare(name, cases.run(mx, name, tmp_path))


@pytest.mark.parametrize('name', sorted(ERRORS))
def test_error(name, tmp_path):
    got = cases.error(cases.errors(mx, tmp_path)[name])
    want = ERRORS[name]
    assert got['type'] == want['type'], (got, want)
    same_text(got['msg'], want['msg'])


def _fit_hybrid(tmp_path):
    net = cases._net(mx, hybrid=True)
    est = mx.gluon.contrib.estimator.Estimator(net, mx.gluon.loss.SoftmaxCrossEntropyLoss(),
                                               trainer=cases._sgd(mx, net))
    est.logger.handlers = []
    handler = mx.gluon.contrib.estimator.CheckpointHandler(str(tmp_path), epoch_period=2)
    est.fit(cases._loader(mx), epochs=2, event_handlers=[handler])
    return net, est


def test_checkpoint_files_load(tmp_path):
    """The checkpoint's parameters, trainer states and graph load back into a new net."""
    net, est = _fit_hybrid(tmp_path)
    assert sorted(os.listdir(tmp_path)) == ['model-epoch1batch8.params',
                                            'model-epoch1batch8.states', 'model-symbol.json']
    fresh = cases._net(mx, init=False)
    fresh.load_parameters(str(tmp_path / 'model-epoch1batch8.params'))
    for (k, a), b in zip(sorted(net.collect_params().items()),
                         [fresh.collect_params()[k] for k in sorted(fresh.collect_params())]):
        np.testing.assert_array_equal(a.data().asnumpy(), b.data().asnumpy(), err_msg=k)
    trainer = cases._sgd(mx, fresh)
    trainer.load_states(str(tmp_path / 'model-epoch1batch8.states'))
    assert trainer.learning_rate == est.trainer.learning_rate
    # the graph, with the net's parameters by name, computes what the net does
    block = mx.gluon.SymbolBlock.imports(str(tmp_path / 'model-symbol.json'), ['data'])
    for name, p in block.collect_params().items():
        p.initialize()
        p.set_data(net.collect_params()[name].data())
    x = mx.nd.array(np.random.RandomState(3).randn(5, 4))
    np.testing.assert_allclose(block(x).asnumpy(), net(x).asnumpy(), rtol=1e-5, atol=1e-6)


def test_logger_and_defaults():
    """The estimator logs INFO to stdout; default context, initializer and trainer."""
    net = cases._net(mx, init=False)
    with pytest.warns(UserWarning, match='No trainer specified'):
        est = mx.gluon.contrib.estimator.Estimator(net, mx.gluon.loss.L2Loss())
    assert est.logger.level == 20 and len(est.logger.handlers) == 1
    assert est.logger.handlers[0].stream is sys.stdout
    assert est.context == [mx.cpu()]
    assert all(p.list_ctx() == [mx.cpu()] for p in net.collect_params().values())
    assert isinstance(est.batch_processor, mx.gluon.contrib.estimator.BatchProcessor)
    assert est.val_net is net and est.val_loss is est.loss


def test_public_names():
    """The package exports MXNet's names (and its module names)."""
    names = {n for n in dir(mx.gluon.contrib.estimator) if not n.startswith('_')}
    assert set(GOLDEN['public_names'].tolist()) <= names
