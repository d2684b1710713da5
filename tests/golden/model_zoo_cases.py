"""What tools/golden_model_zoo.py (under the real MXNet 1.9.1) and tests/test_model_zoo.py
(under regluon) compute the same way from a model: its parameter table, its operators traced
on a Symbol, and parameters set by a formula. `use(mx)` binds the library.
"""
import json

import numpy as np

mx = nd = None

# Models whose inference output is compared, one per family at its smallest depth (eager
# forwards cost memory and time; Inception v3 needs 299x299 inputs, too slow for a test, and
# its layers are all in the others).
FORMULA = ['alexnet', 'densenet121', 'mobilenet0.25', 'mobilenetv2_0.25', 'resnet18_v1',
           'resnet50_v2', 'squeezenet1.0', 'squeezenet1.1', 'vgg11_bn']


def use(lib):
    """Compute with `lib` (regluon, or the real mxnet)."""
    global mx, nd  # pylint: disable=global-statement
    mx, nd = lib, lib.nd


def table(net):
    """(structural names, prefixed names, shapes) of `net`'s parameters, in its order."""
    byid = {id(p): k for k, p in net._collect_params_with_prefix().items()}
    params = list(net.collect_params().values())
    return ([byid[id(p)] for p in params], [p.name for p in params],
            [','.join(map(str, p.shape)) for p in params])


def ops(net, spelling=None):
    """The operators of `net` traced on a Symbol with all their attributes (not the node
    names), one string per operator node: the structure beyond the parameter names.
    `spelling` renames operators first ({name: MXNet's name})."""
    spelling = spelling or {}
    graph = json.loads(net(mx.sym.var('data')).tojson())
    return [f"{spelling.get(n['op'], n['op'])} {json.dumps(n.get('attrs', {}), sort_keys=True)}"
            for n in graph['nodes'] if n['op'] != 'null']


def formula(net, shape):
    """Every parameter set by a fixed formula (no file needed: both sides set the same
    values), and an input of `shape`; weights scaled by fan-in so deep nets stay finite."""
    for i, p in enumerate(net.collect_params().values()):
        n = int(np.prod(p.shape))
        wave = np.sin(0.7 * np.arange(n) + i).reshape(p.shape)
        if p.name.endswith(('running_var', 'gamma')):
            v = (1 if p.name.endswith('var') else 0.5) + 0.1 * wave
        elif len(p.shape) > 1:
            v = wave * np.sqrt(2.0 / (n // p.shape[0]))
        else:
            v = 0.1 * wave
        p.set_data(nd.array(v.astype('float32')))
    return nd.array(np.cos(0.3 * np.arange(int(np.prod(shape)))).reshape(shape))
