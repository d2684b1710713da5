"""Saving and loading Blocks: parameters by structural name, and MXNet's model-structure json."""
import json
from collections import defaultdict

from .. import ndarray as nd
from .parameter import _brief_print_list

__all__ = ['load_parameters', 'save_model', 'load_model']


def load_parameters(block, filename, ctx=None, allow_missing=False, ignore_extra=False,
                    cast_dtype=False, dtype_source='current'):
    """Block.load_parameters: structural names ('0.weight'), or legacy prefixed names."""
    loaded = nd.load(filename)
    params = block._collect_params_with_prefix()
    if not loaded and not params:
        return
    if not any('.' in i for i in loaded.keys()):
        # legacy file: names with the block prefix stripped, as save_params wrote them
        del loaded
        block.collect_params().load(filename, ctx, allow_missing, ignore_extra, block.prefix,
                                    cast_dtype=cast_dtype, dtype_source=dtype_source)
        return
    if not allow_missing:
        # a shared Parameter is stored once, under any one of its structural names
        params_inv = defaultdict(list)
        for k, v in params.items():
            params_inv[v].append(k)
        for name, param in params.items():
            if not any(p in loaded for p in params_inv[param]):
                raise AssertionError(
                    "Parameter '%s' is missing in file '%s', which contains parameters: "
                    "%s. Set allow_missing=True to ignore missing parameters." % (
                        name, filename, _brief_print_list(loaded.keys())))
    for name in loaded:
        if not ignore_extra and name not in params:
            raise ValueError(
                "Parameter '%s' loaded from file '%s' is not present in ParameterDict, "
                "which contains parameters %s. Set ignore_extra=True to ignore. " % (
                    name, filename, _brief_print_list(params.keys())))
        if name in params:
            params[name]._load_init(loaded[name], ctx, cast_dtype=cast_dtype,
                                    dtype_source=dtype_source, filename=filename)


def save_model(block, prefix):
    """Block.save: `<prefix>-model.json` (structure, as MXNet nests it) and -model.params."""
    model = {}

    def visit(blk, index, structure):
        mdl = {'orig_name': blk.name}
        structure[type(blk).__name__.lower() + str(index[0])] = mdl
        if hasattr(blk, '_active'):
            mdl['hybridized'] = False       # no cached graph to store until tracing lands
        children = mdl['children'] = {}
        for ch_name, child in blk._children.items():
            index[0] += 1
            children[child.name] = ch_name
            visit(child, index, mdl)        # MXNet nests a child's entry in its parent's

    visit(block, [0], model)
    with open(prefix + '-model.json', 'w') as fp:
        json.dump(model, fp)
    block.save_parameters(prefix + '-model.params')


def load_model(block, prefix):
    """Block.load: restore the saved block and child names, then the parameters."""
    with open(prefix + '-model.json') as fp:
        model = json.load(fp)

    def visit(blk, index, structure):
        mdl = structure[type(blk).__name__.lower() + str(index[0])]
        blk._name = mdl['orig_name']
        # MXNet renames the dict keys (not the Parameters) after the restored block name
        for p in list(blk.params.keys()):
            param = blk.params._params.pop(p)
            blk.params._params[blk.name + '_' + p[len(blk.params._prefix):]] = param
        for child in blk._children.values():
            index[0] += 1
            visit(child, index, mdl)
        children = mdl['children']
        for ch_name in list(blk._children.keys()):
            child = blk._children.pop(ch_name)
            blk._children[children[child.name]] = child

    visit(block, [0], model)
    block.load_parameters(prefix + '-model.params')
