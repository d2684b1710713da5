"""gluon.loss values and input gradients against MXNet 1.9.1 goldens (tools/golden_training.py)."""
import json

import numpy as np
import pytest

import regluon as mx
from regluon import nd, autograd
from regluon.gluon import loss as gloss
from regluon.base import MXNetError
from conftest import golden

G = golden('training_loss')
CASES = sorted(int(k.split('_')[0]) for k in G if k.endswith('_case'))
OPTIONAL = ('sample_weight', 'pos_weight', 'pred_lengths', 'label_lengths')


def _run(i, hybridize):
    case = json.loads(str(G[f'{i}_case']))
    loss = getattr(gloss, case['cls'])(**case['kwargs'])
    if hybridize and case['cls'] != 'SDMLLoss':     # it reads shapes: eager-only in MXNet too
        loss.hybridize()
    xs = [nd.array(G['in_' + a]) for a in case['args']]
    if case['cls'] == 'CTCLoss' and case['kwargs'].get('layout') == 'TNC':
        xs[0] = nd.array(G['in_' + case['args'][0]].transpose(1, 0, 2))
    # Block.__call__ is positional, as in MXNet: fill the optional inputs in order
    names = loss.hybrid_forward.__code__.co_varnames[2 + len(xs):]
    extra = [nd.array(G['in_' + case['call'][n]]) if n in case['call'] else None
             for n in names if n in OPTIONAL]
    while extra and extra[-1] is None:
        extra.pop()
    xs[0].attach_grad()
    with autograd.record():
        y = loss(*xs, *extra)
    if f'{i}_grad' in G:
        y.backward()
    return case, y, xs[0].grad


@pytest.mark.parametrize('hybridize', [False, True])
@pytest.mark.parametrize('i', CASES)
def test_loss_value_and_grad(i, hybridize):
    case, y, grad = _run(i, hybridize)
    np.testing.assert_allclose(y.asnumpy(), G[f'{i}_loss'], rtol=1e-5, atol=1e-6,
                               err_msg=str(case))
    assert y.shape == G[f'{i}_loss'].shape
    if f'{i}_grad' in G:
        np.testing.assert_allclose(grad.asnumpy(), G[f'{i}_grad'], rtol=1e-4, atol=1e-6,
                                   err_msg=str(case))


@pytest.mark.parametrize('make, exc, msg', [
    (lambda: gloss.LogisticLoss(label_format='int'), ValueError,
     'label_format can only be signed or binary'),
    (lambda: gloss.CTCLoss(layout='NCT'), ValueError, "'NTC' and 'TNC' layouts"),
    (lambda: gloss.CTCLoss(label_layout='TT'), ValueError, "'NT' and 'TN' layouts"),
    (lambda: gloss.L1Loss(weight='big')(nd.ones((2, 3)), nd.ones((2, 3))), TypeError,
     'weight must be a number'),
    (lambda: gloss.L2Loss()(nd.ones((2, 3)), nd.ones((2, 4))), MXNetError,
     r'reshape_like.*\(2, 4\).*\(2, 3\)'),
])
def test_loss_errors(make, exc, msg):
    with pytest.raises(exc, match=msg):
        make()


def test_loss_repr_and_aliases():
    assert gloss.SoftmaxCELoss is gloss.SoftmaxCrossEntropyLoss
    assert gloss.SigmoidBCELoss is gloss.SigmoidBinaryCrossEntropyLoss
    assert repr(gloss.L2Loss()) == 'L2Loss(batch_axis=0, w=1.0)'
    assert isinstance(gloss.L1Loss(), mx.gluon.HybridBlock)
