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
