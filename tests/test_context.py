"""Contexts against MXNet 1.9.1 (goldens in tests/golden/ndarray.npz, 'misc')."""
import json
import threading

import pytest

import regluon as mx
from regluon import nd
from conftest import golden

MISC = json.loads(str(golden('ndarray')['misc']))


def test_repr_typeid_and_equality_match_mxnet():
    ctxs = (mx.cpu(), mx.gpu(1), mx.cpu_pinned(), mx.Context('cpu'), mx.Context(mx.gpu(3)),
            mx.cpu(5))
    assert [repr(c) for c in ctxs] == MISC['contexts']
    assert [str(c) for c in ctxs] == MISC['contexts']
    assert [mx.cpu().device_typeid, mx.gpu().device_typeid,
            mx.cpu_pinned().device_typeid] == MISC['context_typeid']
    assert [mx.cpu(0) == mx.cpu(0), mx.cpu(0) == mx.cpu(1), mx.cpu(0) == mx.gpu(0),
            mx.cpu(0) == 'cpu(0)',
            hash(mx.cpu(1)) == hash(mx.Context('cpu', 1))] == MISC['context_eq']


def test_with_context_sets_and_restores_the_default():
    assert repr(mx.current_context()) == MISC['current_context']
    with mx.Context('cpu', 2):
        got = [repr(mx.current_context()), repr(nd.ones((1,)).context)]
    assert got == MISC['with_context']
    assert repr(mx.current_context()) == MISC['after_with']


def test_nested_with_and_dict_keys():
    with mx.cpu(1):
        with mx.cpu(2):
            assert mx.current_context() == mx.cpu(2)
        assert mx.current_context() == mx.cpu(1)
    assert {mx.cpu(1): 'a'}[mx.Context('cpu', 1)] == 'a'
    assert mx.cpu(1) != mx.cpu(2) and mx.gpu(0).device_type == 'gpu'


def test_default_context_is_per_thread():
    seen = []
    with mx.cpu(3):
        t = threading.Thread(target=lambda: seen.append(mx.current_context()))
        t.start()
        t.join()
    assert seen == [mx.cpu(0)]


def test_gpu_is_an_error_only_when_used():
    ctx = mx.gpu(mx.num_gpus())                 # one past the last GPU: never present
    assert repr(ctx) == f'gpu({mx.num_gpus()})'
    with pytest.raises(mx.MXNetError, match='not available'):
        nd.zeros((2,), ctx=ctx)
    with pytest.raises(mx.MXNetError, match='not available'):
        nd.array([1.0]).as_in_context(ctx)


@pytest.mark.parametrize('make, exc, words', [
    (lambda: mx.Context('tpu', 0), KeyError, "'tpu'"),
    (lambda: mx.Context('cpu(0)'), KeyError, "'cpu(0)'"),
    (lambda: mx.Context.from_str('cpu'), mx.MXNetError, "Invalid context string 'cpu'"),
    (lambda: mx.Context.from_str('cpu(x)'), mx.MXNetError, 'Invalid context string'),
])
def test_bad_contexts(make, exc, words):
    with pytest.raises(exc) as info:
        make()
    assert words in str(info.value)


def test_from_str_parses_mxnet_strings():
    assert mx.Context.from_str('gpu(2)') == mx.gpu(2)
    assert mx.Context.from_str(mx.cpu(1)) == mx.cpu(1)


def test_mxnet_default_ctx_slot_and_gpu_memory_info():
    mx.Context._default_ctx.value = mx.cpu(4)    # how MXNet-era scripts set the default
    try:
        assert nd.zeros((1,)).context == mx.cpu(4)
    finally:
        mx.Context._default_ctx.value = mx.cpu(0)
    if not mx.num_gpus():
        with pytest.raises(mx.MXNetError, match='not available'):
            mx.context.gpu_memory_info(0)
