"""MXNet's `mxnet.numpy_op_signature`: `_get_builtin_op(name)` finds the `mx.np` / `mx.npx`
function of a registered `_np_*` / `_npx_*` operator name (MXNet's own tests import it)."""
from . import numpy as mx_np
from . import numpy_extension as mx_npx

_NP_OP_SUBMODULE_LIST = ['_random_', '_linalg_']
_NP_EXT_OP_SUBMODULE_LIST = ['_image_', '_random_']


def _get_op_submodule_name(op_name, op_name_prefix, submodule_name_list):
    """The submodule part of `op_name` after its prefix ('' if none), as MXNet matches it."""
    rest = op_name[len(op_name_prefix):]
    return next((s for s in submodule_name_list if rest.startswith(s)), '')


def _get_builtin_op(op_name):
    """The function for operator `op_name` ('_np_sum' -> mx.np.sum), None for another
    prefix, ValueError when the module has no such function."""
    if op_name.startswith('_np_'):
        root, prefix, subs = mx_np, '_np_', _NP_OP_SUBMODULE_LIST
    elif op_name.startswith('_npx_'):
        root, prefix, subs = mx_npx, '_npx_', _NP_EXT_OP_SUBMODULE_LIST
    else:
        return None
    sub = _get_op_submodule_name(op_name, prefix, subs)
    module = root
    if sub:
        module = getattr(root, sub[1:-1], None)
        if module is None:
            raise ValueError(f'Cannot find submodule {sub[1:-1]} in module {root.__name__}')
    name = op_name[len(prefix) + len(sub):]
    op = getattr(module, name, None)
    if op is None:
        raise ValueError(f'Cannot find operator {op_name[len(prefix):]} in module '
                         f'{root.__name__}')
    return op
