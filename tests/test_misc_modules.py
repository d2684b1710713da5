"""The small top-level modules old MXNet scripts import: mx.AttrScope, mx.runtime,
mx.profiler, mx.engine, mx.rnd, mx.img, mx.monitor."""
import json
import sys

import pytest

import regluon as mx
from conftest import GOLDEN

sys.path.insert(0, str(GOLDEN))
import attr_scope_cases  # noqa: E402


# ---- AttrScope ----------------------------------------------------------------------------
# MXNet also lists an operator node's settings (num_hidden, act_type) among its attributes;
# regluon's Symbol.list_attr lists only the node's attributes, so those are left out here.
_OP_SETTINGS = {'fc': ('num_hidden',), 'act': ('act_type',)}


def _without_settings(by_name):
    return {n: {k: v for k, v in a.items() if k not in _OP_SETTINGS.get(n, ())}
            for n, a in by_name.items()}


def test_attr_scope_matches_mxnet():
    want = json.loads((GOLDEN / 'attr_scope.json').read_text())
    got = attr_scope_cases.build(mx)
    assert json.loads(got['json']) == want['json']
    assert got['attr'] == want['attr']
    assert got['list_attr'] == _without_settings(want['list_attr'])
    assert got['attr_dict'] == _without_settings(want['attr_dict'])


def test_attr_scope_restores_and_validates():
    with mx.AttrScope(ctx_group='a'):
        with mx.attribute.AttrScope(ctx_group='b'):
            assert mx.sym.var('x').attr('ctx_group') == 'b'
        assert mx.sym.var('y').attr('__ctx_group__') == 'a'
    assert mx.sym.var('z').attr('ctx_group') is None
    assert mx.sym.var('z').list_attr() == {}
    with pytest.raises(ValueError, match='Attributes need to be string'):
        mx.AttrScope(lr_mult=0.1)
    with pytest.warns(DeprecationWarning):
        assert isinstance(mx.AttrScope.current, mx.AttrScope)


# ---- runtime ------------------------------------------------------------------------------
# MXNet 1.9.1's feature names, in its order (mx.runtime.Features().keys())
_MXNET_FEATURES = ['CUDA', 'CUDNN', 'NCCL', 'CUDA_RTC', 'TENSORRT', 'CPU_SSE', 'CPU_SSE2',
                   'CPU_SSE3', 'CPU_SSE4_1', 'CPU_SSE4_2', 'CPU_SSE4A', 'CPU_AVX', 'CPU_AVX2',
                   'OPENMP', 'SSE', 'F16C', 'JEMALLOC', 'BLAS_OPEN', 'BLAS_ATLAS', 'BLAS_MKL',
                   'BLAS_APPLE', 'LAPACK', 'MKLDNN', 'OPENCV', 'CAFFE', 'PROFILER',
                   'DIST_KVSTORE', 'CXX14', 'INT64_TENSOR_SIZE', 'SIGNAL_HANDLER', 'DEBUG',
                   'TVM_OP']


def test_runtime_features_follow_torch():
    import torch
    feats = mx.runtime.Features()
    assert feats is mx.runtime.Features()
    assert list(feats) == _MXNET_FEATURES
    assert [f.name for f in mx.runtime.feature_list()] == _MXNET_FEATURES
    assert feats.is_enabled('CUDA') == feats.is_enabled('cuda') == torch.cuda.is_available()
    assert feats['MKLDNN'].enabled == torch.backends.mkldnn.is_available()
    assert feats['OPENMP'].enabled == torch.backends.openmp.is_available()
    assert feats['BLAS_MKL'].enabled == torch.backends.mkl.is_available()
    assert feats.is_enabled('PROFILER')
    assert repr(feats['CUDA']) == ('✔ CUDA' if torch.cuda.is_available() else '✖ CUDA')
    with pytest.raises(RuntimeError, match="Feature 'NOPE' is unknown"):
        feats.is_enabled('nope')
