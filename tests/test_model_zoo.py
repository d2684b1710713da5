"""gluon.model_zoo.vision against MXNet 1.9.1 (goldens by tools/golden_model_zoo.py):
every model's parameter names and shapes, forward equality with MXNet-saved weights in both
file formats, and pretrained files offline."""
import hashlib
import shutil
import sys

import numpy as np
import pytest

import regluon as mx
from regluon import autograd, nd
from regluon.base import MXNetError
from regluon.gluon.contrib import nn as contrib_nn
from regluon.gluon.model_zoo import model_store, vision

from conftest import GOLDEN, golden

ZOO = golden('model_zoo')
MODELS = sorted({k.split('/')[0] for k in ZOO})
sys.path.insert(0, str(GOLDEN))
import model_zoo_cases as cases  # noqa: E402  (what the golden writer computed in MXNet)

cases.use(mx)
table = cases.table


def test_every_mxnet_model_is_listed():
    assert len(MODELS) == 34
    with pytest.raises(ValueError, match='resnet18_v1'):
        vision.get_model('resnet17')


# Spellings that differ from MXNet's JSON without changing the graph: regluon's graph
# nodes keep the lower-case alias of Flatten/Concat (the JSON writes MXNet's names).
SPELLING = {'flatten': 'Flatten', 'concat': 'Concat'}


def mxnet_ops(name):
    return list(ZOO[f'{name}/ops'])


def expected(name):
    return [list(ZOO[f'{name}/{k}']) for k in ('struct', 'names', 'shapes')]


@pytest.mark.parametrize('name', MODELS)
def test_names_and_shapes_symbolic(name):
    """Every model traced on a Symbol: the same operators with the same attributes as in
    MXNet, and the parameters' shapes by infer_shape (no memory for weights)."""
    with mx.name.NameManager():          # counters as in a fresh process (resnetv10_...)
        net = vision.get_model(name)
    assert cases.ops(net, SPELLING) == mxnet_ops(name)
    y = net(mx.sym.var('data'))
    args, _, aux = y.infer_shape(data=tuple(ZOO[f'{name}/input']))
    shape = dict(zip(y.list_arguments(), args), **dict(zip(y.list_auxiliary_states(), aux)))
    struct, names, _ = table(net)
    assert [struct, names, [','.join(map(str, shape[n])) for n in names]] == expected(name)


@pytest.mark.parametrize('name', cases.FORMULA)
def test_forward_equals_mxnet(name):
    """Names and shapes after an eager forward, then the inference output with the same
    formula-set parameters as MXNet's."""
    with mx.name.NameManager():
        net = vision.get_model(name)
    net.collect_params().setattr('grad_req', 'null')
    net.initialize(mx.init.Zero())
    shape = tuple(ZOO[f'{name}/input'])
    with autograd.pause():
        assert net(nd.zeros(shape)).shape == (1, 1000)
    assert list(table(net)) == expected(name)
    y = net(cases.formula(net, shape))
    np.testing.assert_allclose(y.asnumpy(), ZOO[f'{name}/y'], rtol=1e-3, atol=1e-3)


FWD = golden('model_zoo_fwd')


def _check_forward(net, name):
    y = net(nd.array(FWD[f'{name}/x']))
    np.testing.assert_allclose(y.asnumpy(), FWD[f'{name}/y'], rtol=1e-4, atol=1e-4)


def test_forward_mxnet_params_structural():
    net = vision.get_model('mobilenet0.25', classes=10)
    net.load_parameters(str(GOLDEN / 'model_zoo_mobilenet0_25.params'))
    _check_forward(net, 'mobilenet0.25')
    net.hybridize()
    _check_forward(net, 'mobilenet0.25')


def test_forward_mxnet_params_legacy_prefixed():
    path = str(GOLDEN / 'model_zoo_mobilenetv2_0_25-legacy.params')
    net = vision.get_model('mobilenetv2_0.25', classes=10)
    net.load_parameters(path)            # names without '.': MXNet's legacy branch
    _check_forward(net, 'mobilenetv2_0.25')
    net2 = vision.get_model('mobilenetv2_0.25', classes=10)
    net2.collect_params().load(path, restore_prefix=net2.prefix)
    _check_forward(net2, 'mobilenetv2_0.25')


def test_load_wrong_model_names_the_parameter():
    net = vision.get_model('mobilenetv2_0.25', classes=10)
    with pytest.raises(AssertionError, match='features'):
        net.load_parameters(str(GOLDEN / 'model_zoo_mobilenet0_25.params'))


def test_pretrained_offline_names_file_and_folder(tmp_path, monkeypatch):
    monkeypatch.setenv('MXNET_GLUON_REPO', 'http://127.0.0.1:9/')
    root = tmp_path / 'models'
    with pytest.raises(MXNetError) as e:
        vision.get_model('squeezenet1.1', pretrained=True, root=str(root))
    msg = str(e.value)
    assert 'squeezenet1.1-33ba0f93.params' in msg and str(root) in msg
    assert '33ba0f93753c83d86e1eb397f38a667eaf2e9376' in msg
    assert not list(root.iterdir())      # no partial download left behind


def test_pretrained_present_file_loads_and_is_checked(tmp_path, monkeypatch):
    src = GOLDEN / 'model_zoo_mobilenet0_25.params'
    sha1 = hashlib.sha1(src.read_bytes()).hexdigest()
    monkeypatch.setitem(model_store._model_sha1, 'mobilenet0.25', sha1)
    monkeypatch.setenv('MXNET_GLUON_REPO', 'http://127.0.0.1:9/')
    assert model_store.short_hash('mobilenet0.25') == sha1[:8]
    dst = tmp_path / f'mobilenet0.25-{sha1[:8]}.params'
    shutil.copy(src, dst)
    net = vision.get_model('mobilenet0.25', pretrained=True, classes=10, root=str(tmp_path))
    _check_forward(net, 'mobilenet0.25')
    dst.write_bytes(src.read_bytes()[:-4] + b'\0\0\0\0')   # corrupt: fetched again, offline
    with pytest.raises(MXNetError, match=f'mobilenet0.25-{sha1[:8]}.params'):
        vision.get_model('mobilenet0.25', pretrained=True, classes=10, root=str(tmp_path))


def test_short_hash_of_unknown_model():
    with pytest.raises(ValueError, match='Pretrained model for lenet is not available'):
        model_store.short_hash('lenet')


@pytest.mark.parametrize('layer', [contrib_nn.PixelShuffle1D(3),
                                   contrib_nn.PixelShuffle2D((2, 3)),
                                   contrib_nn.PixelShuffle3D((2, 1, 3))])
@pytest.mark.parametrize('hybridize', [False, True])
def test_pixel_shuffle(layer, hybridize):
    key = type(layer).__name__
    if hybridize:
        layer.hybridize()
    y = layer(nd.array(FWD[f'{key}/x']))
    np.testing.assert_array_equal(y.asnumpy(), FWD[f'{key}/y'])


def test_pixel_shuffle_bad_factor():
    assert repr(contrib_nn.PixelShuffle2D(2)) == 'PixelShuffle2D((2, 2))'
    with pytest.raises(ValueError, match=r'PixelShuffle3D: factor must be an int or 3 ints'):
        contrib_nn.PixelShuffle3D((2, 2))


def test_sync_batch_norm_one_device():
    with mx.name.NameManager():
        layer = contrib_nn.SyncBatchNorm(num_devices=1)
    layer.initialize()
    x = nd.array(FWD['SyncBatchNorm/x'])
    with autograd.record():
        y = layer(x)
    assert list(layer.collect_params().keys()) == list(FWD['SyncBatchNorm/names'])
    np.testing.assert_allclose(y.asnumpy(), FWD['SyncBatchNorm/y_train'], rtol=1e-5, atol=1e-6)
    for stat in ('running_mean', 'running_var'):
        np.testing.assert_allclose(getattr(layer, stat).data().asnumpy(),
                                   FWD[f'SyncBatchNorm/{stat}'], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(layer(x).asnumpy(), FWD['SyncBatchNorm/y_predict'],
                               rtol=1e-5, atol=1e-6)


def test_sync_batch_norm_several_devices_is_refused():
    with pytest.raises(MXNetError, match='num_devices=2.*pass num_devices=1'):
        contrib_nn.SyncBatchNorm(num_devices=2)
    with pytest.warns(UserWarning, match='manually|mannually'):
        contrib_nn.SyncBatchNorm()               # MXNet warns (and misspells) the same


@pytest.mark.parametrize('name', MODELS)
def test_pretrained_asks_for_its_own_file(name, monkeypatch):
    """pretrained=True looks up the published file of the same name (MXNet's table)."""
    asked = []

    def get_model_file(model, root=None):
        asked.append((model, root))
        raise LookupError('stop')
    monkeypatch.setattr(model_store, 'get_model_file', get_model_file)
    with pytest.raises(LookupError):
        vision.get_model(name, pretrained=True, root='/nowhere')
    assert asked == [(name, '/nowhere')]
    assert len(model_store.short_hash(name)) == 8
