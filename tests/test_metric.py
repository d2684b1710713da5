"""mx.metric against MXNet 1.9.1 goldens (tools/golden_training.py): get(), get_global()
and get_name_value() after each of three updates (reset_local before the third)."""
import json
import math

import numpy as np
import pytest

import regluon as mx
from regluon import nd
from conftest import golden

G = golden('training_metric')
CASES = sorted(int(k.split('_')[0]) for k in G if k.endswith('_case'))


def custom_feval(label, pred):          # tools/golden_training.py: custom_feval
    return float(np.abs(label - pred).sum()), label.size


def _close(a, b):
    if isinstance(a, (list, tuple)):
        assert len(a) == len(b)
        return all(_close(x, y) for x, y in zip(a, b))
    if isinstance(a, str) or isinstance(b, str):
        return a == b
    if math.isnan(b):
        return math.isnan(a)
    return a == pytest.approx(b, rel=1e-5, abs=1e-7)


def _arrays(i, j, what):
    out, k = [], 0
    while f'{i}_u{j}_{what}{k}' in G:
        out.append(nd.array(G[f'{i}_u{j}_{what}{k}']))
        k += 1
    return out


@pytest.mark.parametrize('i', CASES)
def test_metric_matches_mxnet(i):
    case = json.loads(str(G[f'{i}_case']))
    if case['name'] == 'custom':
        m = mx.metric.np(custom_feval)
    else:
        m = mx.metric.create(case['name'], **case['kwargs'])
    assert m.name == case['metric_name']
    for j, (get, get_global, name_value) in enumerate(case['results']):
        if j == 2:
            m.reset_local()
        m.update(_arrays(i, j, 'label'), _arrays(i, j, 'pred'))
        assert _close(list(m.get()), get), (case['name'], j, m.get(), get)
        assert _close(list(m.get_global()), get_global), (case['name'], j)
        assert _close([list(p) for p in m.get_name_value()], name_value)


def test_fresh_metric_is_nan_and_reset():
    m = mx.metric.Accuracy()
    assert m.get()[0] == 'accuracy' and math.isnan(m.get()[1])
    m.update([nd.array([0, 1])], [nd.array([[1, 0], [0, 1]])])
    assert m.get() == ('accuracy', 1.0) and m.num_inst == 2 and m.sum_metric == 2
    m.reset()
    assert m.num_inst == 0 and math.isnan(m.get_global()[1])
    assert str(mx.metric.MSE()) == "EvalMetric: {'mse': nan}"


@pytest.mark.parametrize('make, exc, msg', [
    (lambda: mx.metric.create('nosuch'), AssertionError, 'nosuch is not registered'),
    (lambda: mx.metric.TopKAccuracy(top_k=1), AssertionError, 'Please use Accuracy'),
    (lambda: mx.metric.Accuracy().update([nd.array([0, 1])], []), ValueError,
     'Shape of labels 1 does not match shape of predictions 0'),
    (lambda: mx.metric.F1().update([nd.array([0, 1, 2])], [nd.ones((3, 2))]), ValueError,
     'F1 currently only supports binary classification'),
    (lambda: mx.metric.CustomMetric(lambda l, p: 0).get_config(), NotImplementedError,
     'cannot be serialized'),
])
def test_metric_errors(make, exc, msg):
    with pytest.raises(exc, match=msg):
        make()


def test_create_forms_and_config():
    acc = mx.metric.Accuracy()
    assert mx.metric.create(acc) is acc
    comp = mx.metric.create(['acc', mx.metric.MAE(), lambda l, p: 1.0])
    assert isinstance(comp, mx.metric.CompositeEvalMetric)
    assert [type(m).__name__ for m in comp.metrics] == ['Accuracy', 'MAE', 'CustomMetric']
    assert comp.metrics[2].name == 'custom(<lambda>)'
    cfg = mx.metric.TopKAccuracy(top_k=3).get_config()
    assert cfg == {'top_k': 3, 'metric': 'TopKAccuracy', 'name': 'top_k_accuracy_3',
                   'output_names': None, 'label_names': None}
    assert isinstance(mx.metric.create(json.dumps(['top_k_acc', {'top_k': 2}])),
                      mx.metric.TopKAccuracy)


def test_update_dict_selects_names():
    m = mx.metric.Accuracy(output_names=['out'], label_names=['lab'])
    m.update_dict({'lab': nd.array([1, 1]), 'other': nd.array([0])},
                  {'out': nd.array([[0, 1], [1, 0]]), 'x': nd.array([0])})
    assert m.get() == ('accuracy', 0.5)
