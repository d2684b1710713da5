"""Parameter / Constant / ParameterDict and save/load, against MXNet 1.9.1 goldens (the
networks are built by tests/golden/gluon_cases.py, as tools/golden_gluon.py built them)."""
import sys
import warnings

import numpy as np
import pytest

import regluon as mx
from regluon import autograd, gluon, init, nd
from regluon.gluon import nn
from regluon.gluon.parameter import DeferredInitializationError

from conftest import golden, GOLDEN

IO = golden('gluon_io')
NAMES = golden('gluon_names')
sys.path.insert(0, str(GOLDEN))
import gluon_cases as cases  # noqa: E402  (the networks the golden writer built in MXNet)

cases.use(mx)
fresh = cases.fresh


def msg(key):
    """MXNet's message for case `key` (without the exception type it was stored with)."""
    return str(IO[f'msg/{key}']).split(': ', 1)[1]


# ---- Parameter ----------------------------------------------------------------------------
def test_repr_matches_mxnet():
    assert repr(gluon.Parameter('w', shape=(2, 3))) == str(NAMES['repr_param'])
    assert repr(gluon.Constant('c', [[1, 2], [3, 4]])) == str(NAMES['repr_const'])


def test_data_grad_and_lists():
    p = gluon.Parameter('fc_weight', shape=(2, 3), init=init.One())
    p.initialize()
    assert p.data().asnumpy().tolist() == [[1, 1, 1]] * 2
    assert p.grad().asnumpy().tolist() == [[0, 0, 0]] * 2
    assert p.list_data()[0] is p.data() and p.list_grad()[0] is p.grad()
    assert p.list_ctx() == [mx.cpu(0)]
    with autograd.record():
        y = (p.data() * 3).sum()
    y.backward()
    assert p.grad().asnumpy().tolist() == [[3, 3, 3]] * 2
    p.zero_grad()
    assert p.grad().asnumpy().sum() == 0


def test_multiple_contexts_have_own_copies_and_grads():
    p = gluon.Parameter('w', shape=(2,), init=init.Constant(2.0))
    p.initialize(ctx=[mx.cpu(0), mx.cpu(1)])
    d0, d1 = p.data(mx.cpu(0)), p.data(mx.cpu(1))
    assert d0 is not d1 and d1.context == mx.cpu(1)
    assert p.list_ctx() == [mx.cpu(0), mx.cpu(1)]
    with autograd.record():
        y = (d1 * d1).sum()
    y.backward()
    assert p.grad(mx.cpu(1)).asnumpy().tolist() == [4, 4]
    assert p.grad(mx.cpu(0)).asnumpy().tolist() == [0, 0]
    with pytest.raises(RuntimeError, match=r"was not initialized on context cpu\(2\)"):
        p.data(mx.cpu(2))
    p.set_data(nd.array([1.0, 3.0]))
    assert p.data(mx.cpu(1)).asnumpy().tolist() == [1, 3]
    nd.array([3.0, 5.0]).copyto(p.data(mx.cpu(1)))
    assert p._reduce().asnumpy().tolist() == [2, 4]          # mean over the copies
    p.reset_ctx(mx.cpu(0))
    assert p.list_ctx() == [mx.cpu(0)] and p.data().asnumpy().tolist() == [2, 4]


@pytest.mark.parametrize('key, call', [
    ('deferred', lambda: _deferred_param().data()),
    ('uninit', lambda: gluon.Parameter('v', shape=(2,)).data()),
    ('bad_grad_req', lambda: setattr(_deferred_param(), 'grad_req', 'foo')),
])
def test_errors_match_mxnet(key, call):
    etype = {'deferred': DeferredInitializationError, 'uninit': RuntimeError,
             'bad_grad_req': AssertionError}[key]
    with pytest.raises(etype) as e:
        call()
    assert str(e.value) == msg(key)


def _deferred_param():
    p = gluon.Parameter('w', shape=(2, 0), allow_deferred_init=True)
    p.initialize()
    return p


def test_deferred_error_is_mxnet_error():
    with pytest.raises(mx.MXNetError):
        _deferred_param().data()


def test_reinitialize_warns_as_mxnet_unless_forced():
    q = gluon.Parameter('q', shape=(2,), init=init.Zero())
    q.initialize()
    with pytest.warns(UserWarning) as w:
        q.initialize()
    assert str(w[0].message) == str(IO['msg/reinit_warning'])
    with warnings.catch_warnings():
        warnings.simplefilter('error')
        q.initialize(init=init.One(), force_reinit=True)
    assert q.data().asnumpy().tolist() == [1, 1]


def test_invalid_shape_without_deferral():
    with pytest.raises(ValueError, match="Cannot initialize Parameter 'x' because it has "
                                         r"invalid shape: \(0, 2\)"):
        gluon.Parameter('x', shape=(0, 2)).initialize()


def test_shape_setter_fills_unknown_dims_only():
    p = gluon.Parameter('w', shape=(3, 0), allow_deferred_init=True)
    p.shape = (3, 5)
    assert p.shape == (3, 5)
    with pytest.raises(AssertionError, match='incompatible'):
        p.shape = (4, 5)


def test_set_data_before_deferred_init_finishes():
    fresh()
    net = nn.Dense(2)
    net.initialize()
    net.weight.set_data(nd.ones((2, 3)))          # stored, used when the shape is known
    out = net(nd.ones((1, 3)))
    assert out.asnumpy().tolist() == [[3, 3]]


def test_grad_req_setter_reattaches():
    p = gluon.Parameter('w', shape=(2,), init=init.One())
    p.initialize()
    p.grad_req = 'null'
    with pytest.raises(RuntimeError, match="because grad_req='null'"):
        p.grad()
    p.grad_req = 'add'
    for _ in range(2):
        with autograd.record():
            y = (p.data() * 2).sum()
        y.backward()
    assert p.grad().asnumpy().tolist() == [4, 4]


def test_cast_and_dtype():
    p = gluon.Parameter('w', shape=(2,), init=init.One())
    p.initialize()
    p.cast('float64')
    assert p.data().dtype == np.float64 and p.grad().dtype == np.float64
    p.dtype = 'float16'
    assert p.data().dtype == np.float16 and p.dtype == 'float16'


def test_constant_is_not_trained():
    c = gluon.Constant('c', [[1, 2], [3, 4]])
    c.initialize()
    assert c.grad_req == 'null'
    assert c.data().asnumpy().tolist() == [[1, 2], [3, 4]]
    with pytest.warns(UserWarning, match='does not support grad_req other than "null"'):
        c.grad_req = 'write'


# ---- ParameterDict ------------------------------------------------------------------------
def test_parameterdict_get_shares_and_checks():
    pd = gluon.ParameterDict('net_')
    w = pd.get('weight', shape=(2, 0))
    assert w.name == 'net_weight' and pd.get('weight', shape=(2, 5)) is w
    assert w.shape == (2, 5)                        # the unknown dim is filled in
    with pytest.raises(AssertionError, match="desired attribute does not match with stored "
                                             "for attribute 'shape'"):
        pd.get('weight', shape=(3, 5))
    shared = gluon.ParameterDict('net_', shared=pd)
    assert shared.get('weight') is w
    assert list(shared.keys()) == ['net_weight']
    c = pd.get_constant('const', [1, 2])
    assert pd.get_constant('const') is c
    with pytest.raises(KeyError, match="No constant named 'net_missing'"):
        pd.get_constant('missing')


def test_parameterdict_update_setattr_zero_grad_initialize():
    a = gluon.ParameterDict('a_')
    a.get('w', shape=(2,))
    b = gluon.ParameterDict('b_')
    b.get('w', shape=(3,))
    a.update(b)
    assert list(a.keys()) == ['a_w', 'b_w']
    with pytest.raises(AssertionError, match="different Parameters with the same name 'b_w'"):
        a.update({'b_w': gluon.Parameter('b_w')})
    a.initialize(init.One())
    a.setattr('grad_req', 'add')
    assert all(p.grad_req == 'add' for p in a.values())
    a.setattr('lr_mult', 0.5)
    assert a['b_w'].lr_mult == 0.5
    with autograd.record():
        y = a['a_w'].data().sum() + a['b_w'].data().sum()
    y.backward()
    a.zero_grad()
    assert all(p.grad().asnumpy().sum() == 0 for p in a.values())
    assert a.list_ctx() == [mx.cpu(0)]


# ---- save / load ----------------------------------------------------------------------------
@pytest.mark.parametrize('fname', ['gluon_mxnet_new.params', 'gluon_mxnet_legacy.params'])
def test_load_files_written_by_mxnet(fname):
    net = cases.serial_net()
    net.load_parameters(str(GOLDEN / fname))
    for k, p in net._collect_params_with_prefix().items():
        np.testing.assert_array_equal(p.data().asnumpy(), IO[f'values/{k}'])


def test_save_parameters_uses_mxnet_structural_names(tmp_path):
    net = cases.serial_net()
    net.load_parameters(str(GOLDEN / 'gluon_mxnet_new.params'))
    f = str(tmp_path / 'net.params')
    net.save_parameters(f)
    assert list(nd.load(f).keys()) == list(IO['new_names'])
    with open(f, 'rb') as a, open(GOLDEN / 'gluon_mxnet_new.params', 'rb') as b:
        assert a.read() == b.read()                 # byte for byte what MXNet wrote
    g = str(tmp_path / 'legacy.params')
    net.collect_params().save(g, strip_prefix=net.prefix)   # what save_params wrote
    assert list(nd.load(g).keys()) == list(IO['legacy_names'])
    other = cases.serial_net()
    other.load_parameters(g)
    np.testing.assert_array_equal(other[2][0].weight.data().asnumpy(), IO['values/2.0.weight'])
    h = str(tmp_path / 'full.params')
    net.collect_params().save(h)                            # full prefixed names
    assert list(nd.load(h).keys())[0] == net.prefix + list(IO['legacy_names'])[0]
    third = cases.serial_net()
    third.collect_params().load(h)
    np.testing.assert_array_equal(third[0].bias.data().asnumpy(), IO['values/0.bias'])
    with pytest.raises(ValueError, match="Prefix 'zz_' is to be striped before saving"):
        net.collect_params().save(h, strip_prefix='zz_')


def test_round_trip_with_ctx_and_cast(tmp_path):
    net = cases.serial_net()
    net.initialize()
    f = str(tmp_path / 'p.params')
    net.save_parameters(f)
    again = cases.serial_net()
    again.load_parameters(f, ctx=[mx.cpu(0), mx.cpu(1)])
    assert again[0].weight.list_ctx() == [mx.cpu(0), mx.cpu(1)]
    np.testing.assert_array_equal(again[0].weight.data(mx.cpu(1)).asnumpy(),
                                  net[0].weight.data().asnumpy())
    half = cases.serial_net()
    half.cast('float16')
    with pytest.raises(AssertionError, match='dtype incompatible expected float16 vs saved'):
        half.load_parameters(f)
    half.load_parameters(f, cast_dtype=True)
    assert half[0].weight.data().dtype == np.float16
    saved = cases.serial_net()
    saved.cast('float16')
    saved.load_parameters(f, cast_dtype=True, dtype_source='saved')
    assert saved[0].weight.data().dtype == np.float32


def test_load_errors_name_parameter_file_and_shapes():
    f = str(GOLDEN / 'gluon_mxnet_new.params')
    fresh()
    with pytest.raises(AssertionError) as e:
        nn.Dense(3, in_units=4).load_parameters(f)
    assert str(e.value) == msg('missing').replace(
        '/work/main/tests/golden/gluon_mxnet_new.params', f)
    fresh()
    other = nn.HybridSequential()
    other.add(nn.Dense(3, in_units=5))
    with pytest.raises(AssertionError) as e:
        other.load_parameters(f, ignore_extra=True)
    assert str(e.value).startswith(msg('shape'))    # MXNet's text, then the file
    assert f in str(e.value)
    small = nn.HybridSequential()
    small.add(nn.Dense(3, in_units=4))
    with pytest.raises(ValueError, match=r"Parameter '1.gamma' loaded from file '.*' is not "
                                         "present in ParameterDict"):
        small.load_parameters(f)
    small.load_parameters(f, ignore_extra=True)
    np.testing.assert_array_equal(small[0].bias.data().asnumpy(), IO['values/0.bias'])


def test_shared_parameter_saved_once_with_deduplicate(tmp_path):
    net = nn.HybridSequential()
    shared = nn.Dense(2, in_units=2)
    net.add(shared, nn.Dense(2, in_units=2, params=shared.params))
    net.initialize()
    f = str(tmp_path / 's.params')
    net.save_parameters(f, deduplicate=True)
    assert len(nd.load(f)) == 2
    again = nn.HybridSequential()
    s2 = nn.Dense(2, in_units=2)
    again.add(s2, nn.Dense(2, in_units=2, params=s2.params))
    again.load_parameters(f)
    np.testing.assert_array_equal(again[1].weight.data().asnumpy(),
                                  net[0].weight.data().asnumpy())


def test_block_save_load_model_as_mxnet(tmp_path):
    import json
    fresh()
    nn.HybridSequential()                         # shift the counter: load restores names
    again = cases.model_net()
    assert again.name == 'hybridsequential1'
    again.load(str(GOLDEN / 'gluon_model'))       # files written by MXNet's Block.save
    got = ([again.name] + list(again._children) + [c.name for c in again._children.values()]
           + list(again.collect_params().keys()))
    assert got == list(IO['model_loaded'])
    saved = nd.load(str(GOLDEN / 'gluon_model-model.params'))
    np.testing.assert_array_equal(again[1][0].weight.data().asnumpy(),
                                  saved['1.0.weight'].asnumpy())
    fresh()
    mine = cases.model_net()
    mine.initialize()
    mine.save(str(tmp_path / 'm'))
    with open(tmp_path / 'm-model.json') as a, open(GOLDEN / 'gluon_model-model.json') as b:
        assert json.load(a) == json.load(b)
    assert list(nd.load(str(tmp_path / 'm-model.params'))) == list(saved)


def test_set_data_inside_record_keeps_the_variable():
    p = gluon.Parameter('w', shape=(2,), init=init.One())
    p.initialize()
    with autograd.record():
        p.set_data(p.data() * 3)                  # a write, not a step in the graph
        y = (p.data() * p.data()).sum()
    y.backward()
    assert p.data().asnumpy().tolist() == [3, 3]
    assert p.grad().asnumpy().tolist() == [6, 6]


def test_deprecated_save_params_load_params(tmp_path):
    net = cases.serial_net()
    net.load_parameters(str(GOLDEN / 'gluon_mxnet_new.params'))
    f = str(tmp_path / 'old.params')
    with pytest.warns(UserWarning, match='save_params is deprecated'):
        net.save_params(f)
    assert list(nd.load(f)) == list(IO['legacy_names'])      # what MXNet's save_params wrote
    again = cases.serial_net()
    with pytest.warns(UserWarning, match='load_params is deprecated'):
        again.load_params(f)
    np.testing.assert_array_equal(again[1].running_var.data().asnumpy(),
                                  IO['values/1.running_var'])


def test_failed_save_leaves_the_old_file(tmp_path):
    f = tmp_path / 'keep.params'
    net = cases.serial_net()
    net.initialize()
    net.save_parameters(str(f))
    before = f.read_bytes()
    broken = nn.HybridSequential()
    broken.add(nn.Dense(2))                       # deferred: nothing to save yet
    broken.initialize()
    with pytest.raises(DeferredInitializationError):
        broken.save_parameters(str(f))
    assert f.read_bytes() == before
    assert [p.name for p in tmp_path.iterdir()] == ['keep.params']   # no temporary left
