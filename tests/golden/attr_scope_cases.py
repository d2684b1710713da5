"""mx.AttrScope cases run identically by tools/golden_attr_scope.py (MXNet 1.9.1) and
tests/test_misc_modules.py (regluon); `mx` is bound by the caller."""


def build(mx):
    """A small graph built under nested scopes; what MXNet reports about it (JSON-able)."""
    with mx.AttrScope(ctx_group='dev1', lr_mult='0.1'):
        data = mx.sym.var('data')
        fc = mx.sym.FullyConnected(data, num_hidden=3, name='fc')
        with mx.AttrScope(ctx_group='dev2', __custom__='yes'):
            act = mx.sym.Activation(fc, act_type='relu', name='act', attr={'__mine__': '1'})
            with mx.AttrScope(plain='p'):   # MXNet takes a plain key on an op as a setting
                w = mx.sym.var('w', attr={'wd_mult': '0.5'})
    out = mx.sym.broadcast_mul(act, w, name='mul')
    return {
        'json': out.tojson(),
        'list_attr': {s.name: s.list_attr() for s in (data, fc, act, w, out)},
        'attr': {s.name: [s.attr(k) for k in ('ctx_group', '__ctx_group__', 'lr_mult',
                                                 '__custom__', '__mine__', 'plain', 'wd_mult')]
                 for s in (data, fc, act, w, out)},
        'attr_dict': out.attr_dict(),
    }
