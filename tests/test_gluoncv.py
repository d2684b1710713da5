"""GluonCV 0.10.5.post0, unmodified, on regluon (`import mxnet` resolving to regluon through
regluon.compat): model-zoo constructors and forwards (classification, SSD, YOLOv3, CenterNet,
FCN, simple pose), hybridized forwards, the SSD/YOLO transform presets, and SSD's and
YOLOv3's training losses and gradients, against MXNet 1.9.1 running the same cases
(tests/golden/gluoncv_cases.py; tools/golden_gluoncv.py writes tests/golden/gluoncv.npz).

gluoncv is pure Python and is installed without its dependencies (it would pull mxnet,
opencv, scipy, pandas); what it imports at import time is small (tqdm, requests,
portalocker, pyyaml). Skips when PyPI is unreachable.
"""
import importlib.metadata
import importlib.util
import sys

import numpy as np
import pytest

from conftest import golden, GOLDEN, pip_install

G = golden('gluoncv')



@pytest.fixture(scope='module')
def gcv():
    try:
        version = importlib.metadata.version('gluoncv')
    except importlib.metadata.PackageNotFoundError:
        version = None
    if version != '0.10.5.post0':
        pip_install('--no-deps', 'gluoncv==0.10.5.post0')
    for module, dist in [('tqdm', 'tqdm'), ('requests', 'requests'),
                         ('portalocker', 'portalocker'), ('yaml', 'pyyaml')]:
        if importlib.util.find_spec(module) is None:
            pip_install(dist)
    import regluon.compat
    regluon.compat.install()
    sys.path.insert(0, str(GOLDEN))
    import gluoncv_cases
    yield gluoncv_cases, gluoncv_cases.import_gluoncv()
    regluon.compat.uninstall()


def _compare(cases, got, prefixes):
    """`got` has exactly MXNet's digests under `prefixes`, and each agrees."""
    assert set(got) == {k for k in G if k.startswith(prefixes)}
    for key in sorted(got):
        cases.check(got[key], G[key], key)


def test_version_is_the_mxnet_release_of_the_goldens():
    """gluoncv (like other MXNet libraries) gates on mxnet.__version__ (>=1.4, <2)."""
    import regluon
    assert regluon.__version__ == G['versions'][0] == '1.9.1'


@pytest.mark.parametrize('name', ['resnet50_v1b', 'mobilenetv3_small', 'resnest14',
                                  'ssd_512_mobilenet1.0_voc', 'yolo3_mobilenet1.0_voc',
                                  'center_net_resnet18_v1b_voc', 'fcn_resnet50_voc',
                                  'simple_pose_resnet18_v1b'])
def test_model_forward(gcv, name):
    cases, gluoncv = gcv
    import mxnet
    _compare(cases, cases.run_model(mxnet, gluoncv, name), f'{name}/out')


@pytest.mark.parametrize('name', ['mobilenetv3_small', 'ssd_512_mobilenet1.0_voc',
                                  'yolo3_mobilenet1.0_voc'])
def test_hybridized_forward(gcv, name):
    cases, gluoncv = gcv
    import mxnet
    _compare(cases, cases.run_model(mxnet, gluoncv, name, hybridize=True), f'{name}/hybrid/')


def test_transform_presets(gcv):
    cases, gluoncv = gcv
    import mxnet
    _compare(cases, cases.run_transforms(mxnet, gluoncv), ('ssd/', 'yolo/'))


def test_ssd_training_loss_and_gradients(gcv):
    cases, gluoncv = gcv
    import mxnet
    got = cases.run_ssd_training(mxnet, gluoncv)
    assert np.isfinite(got['ssd_train/losses']).all()
    _compare(cases, got, 'ssd_train/')


def test_yolo3_training_losses_and_gradients(gcv):
    cases, gluoncv = gcv
    import mxnet
    _compare(cases, cases.run_yolo_training(mxnet, gluoncv), 'yolo_train/')
