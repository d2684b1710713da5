"""MXNet API that libraries built on MXNet (GluonNLP 0.10, GluonCV) import besides the public
one: gluon.utils' private helpers, mx.registry, the DataLoader's ForkingPickler and
_as_in_context, amp's module flags, Symbol.astype. Written once for MXNet 1.9.1
(tools/golden_private_api.py) and regluon (the owning test files); each function returns
{key: str} (results printed with repr) compared as text."""
import os
import warnings


def _gu(mx):
    return mx.gluon.utils


def gluon_utils_helpers(mx):
    gu = _gu(mx)
    res = {'brief10': gu._brief_print_list(range(10)),
           'brief2': gu._brief_print_list(['a', 'b']),
           'brief8_4': gu._brief_print_list(range(8), limit=4),
           'indent3': gu._indent('a\nb\nc', 2), 'indent1': gu._indent('abc', 4)}
    old = os.environ.pop('MXNET_GLUON_REPO', None)
    try:
        res.update(repo=gu._get_repo_url(), file=gu._get_repo_file_url('gluon/dataset', 'x.zip'))
        os.environ['MXNET_GLUON_REPO'] = 'http://localhost:1/repo'
        res.update(repo_env=gu._get_repo_url(), file_env=gu._get_repo_file_url('ns', 'f'))
    finally:
        os.environ.pop('MXNET_GLUON_REPO', None)
        if old is not None:
            os.environ['MXNET_GLUON_REPO'] = old
    return res


def registry(mx):
    import importlib
    reg_mod = importlib.import_module(mx.__name__ + '.registry')

    class Base:
        pass

    class Foo(Base):
        def __init__(self, a=1, b=2):
            self.a, self.b = a, b

    reg = reg_mod.get_register_func(Base, 'thing')
    alias = reg_mod.get_alias_func(Base, 'thing')
    create = reg_mod.get_create_func(Base, 'thing')
    reg(Foo)
    alias('bar', 'Baz')(Foo)
    res = {'names': repr(sorted(reg_mod.get_registry(Base)))}
    for key, made in [('upper', lambda: create('FOO', a=5)),
                      ('json_list', lambda: create('["foo", {"b": 7}]')),
                      ('json_dict', lambda: create('{"thing": "baz", "a": 3}')),
                      ('dict', lambda: create({'thing': 'bar', 'b': 4}))]:
        f = made()
        res[key] = repr((type(f).__name__, f.a, f.b))
    res['instance'] = repr(create(f) is f)
    with warnings.catch_warnings(record=True) as w:
        warnings.simplefilter('always')
        reg(Foo, 'bar')
    res['override'] = repr([(x.category.__name__, str(x.message).replace(
        Foo.__module__, 'M')) for x in w])
    for key, bad in [('unknown', lambda: create('nope')), ('not_sub', lambda: reg(int)),
                     ('inst_args', lambda: create(f, a=1)), ('not_str', lambda: create(3))]:
        try:
            bad()
            res[key] = 'no error'
        except Exception as e:  # noqa: BLE001  (the exception type is what is compared)
            res[key] = repr((type(e).__name__, str(e)))
    return res


def dataloader_helpers(mx):
    import importlib
    import multiprocessing.reduction
    dl = importlib.import_module(mx.__name__ + '.gluon.data.dataloader')
    r = dl._as_in_context((mx.nd.ones(2), [mx.nd.zeros(1), 3], 'x'), mx.cpu(0))
    return {'pickler': repr(dl.ForkingPickler is multiprocessing.reduction.ForkingPickler),
            'as_in_context': repr((type(r).__name__, type(r[1]).__name__, r[1][1], r[2],
                                   str(r[0].context), r[0].asnumpy().tolist()))}


def amp_flags(mx):
    import importlib
    amp = importlib.import_module(mx.__name__ + '.contrib.amp')
    amp = getattr(amp, 'amp', amp)      # MXNet: the package mxnet.contrib.amp holds amp.py
    return {'flags': repr((amp._amp_initialized, amp._amp_loss_scale_initialized))}


def symbol_astype(mx):
    x = mx.sym.var('x')
    y = x.astype('int32')
    out = y.eval(x=mx.nd.array([1.7, -2.2]))[0]
    return {'args': repr(y.list_arguments()),
            'type': repr([t.__name__ for t in y.infer_type(x='float32')[1]]),
            'eval': repr((out.asnumpy().tolist(), out.dtype.__name__)),
            'kw': repr([t.__name__ for t in x.astype(dtype='float16').infer_type(
                x='float32')[1]])}


def internal_namespace(mx):
    a, b = mx.nd.array([1.0, 2.0]), mx.nd.array([3.0, 5.0])
    with mx.name.NameManager():     # node names counted from 0, whatever ran before
        y = mx.sym._internal._plus(mx.sym.var('a'), mx.sym.var('b'))
    return {'plus': repr(mx.nd._internal._plus(a, b).asnumpy().tolist()),
            'mul_scalar': repr(mx.nd._internal._mul_scalar(a, scalar=3).asnumpy().tolist()),
            'sym_name': y.name, 'sym_args': repr(y.list_arguments()),
            'has': repr([hasattr(mx.nd._internal, n) for n in
                         ('_plus', '_minus', '_div_scalar', '_copy', 'contrib_box_nms',
                          '_contrib_box_nms', '_random_uniform', 'elemwise_add')])}


def nested_hybrid_outputs(mx):
    """A hybridized block returning nested lists ([[a, b], c], as GluonNLP's BERT with
    output_all_encodings and output_attention) and one returning F.split's outputs."""
    class Nested(mx.gluon.HybridBlock):
        def hybrid_forward(self, F, x):
            return [[x + 1, x * 2], F.split(x, num_outputs=2, axis=1)], x.sum()

    class Split(mx.gluon.HybridBlock):
        def hybrid_forward(self, F, x):
            return F.split(x, num_outputs=2, axis=1)

    def describe(o):
        if isinstance(o, (list, tuple)):
            return [type(o).__name__] + [describe(i) for i in o]
        return o.asnumpy().round(4).tolist()

    x = mx.nd.array([[1.0, 2.0], [3.0, 4.0]])
    res = {}
    for name, net in [('nested', Nested()), ('split', Split())]:
        net.hybridize()
        res[name + '_first'] = repr(describe(net(x)))
        res[name + '_second'] = repr(describe(net(x)))
    return res


CASES = {'gluon_utils': gluon_utils_helpers, 'registry': registry,
         'dataloader': dataloader_helpers, 'amp': amp_flags, 'symbol_astype': symbol_astype,
         'internal': internal_namespace, 'nested_hybrid': nested_hybrid_outputs}
