"""`mx.model`: MXNet's checkpoint files (`prefix-symbol.json` + `prefix-%04d.params` with
'arg:'/'aux:' keys) and the BatchEndParam record passed to batch-end callbacks."""
import logging
import math
import os
from collections import namedtuple

from . import kvstore as kvs
from . import ndarray as nd
from . import symbol as sym

__all__ = ['BatchEndParam', 'save_checkpoint', 'load_params', 'load_checkpoint']

BatchEndParam = namedtuple('BatchEndParams', ['epoch', 'nbatch', 'eval_metric', 'locals'])


def save_checkpoint(prefix, epoch, symbol, arg_params, aux_params, remove_amp_cast=True):
    """Write `prefix-symbol.json` (if `symbol` is given) and `prefix-%04d.params`.

    Parameters
    ----------
    prefix : str
        Prefix of model name.
    epoch : int
        The epoch number of the model.
    symbol : Symbol
        The network configuration.
    arg_params : dict of str to NDArray
        Model parameter, dict of name to NDArray of net's weights.
    aux_params : dict of str to NDArray
        Model parameter, dict of name to NDArray of net's auxiliary states.
    """
    if symbol is not None:
        symbol.save(f'{prefix}-symbol.json', remove_amp_cast=remove_amp_cast)
    save_dict = {f'arg:{k}': v for k, v in arg_params.items()}
    save_dict.update({f'aux:{k}': v for k, v in aux_params.items()})
    param_name = f'{prefix}-{epoch:04d}.params'
    nd.save(param_name, save_dict)
    logging.info('Saved checkpoint to "%s"', param_name)


def load_params(prefix, epoch):
    """(arg_params, aux_params) from `prefix-%04d.params`."""
    loaded = nd.load(f'{prefix}-{epoch:04d}.params')
    if not isinstance(loaded, dict):
        raise ValueError(f"{prefix}-{epoch:04d}.params holds unnamed arrays; a checkpoint "
                         "names them 'arg:<name>' and 'aux:<name>'")
    arg_params, aux_params = {}, {}
    for k, v in loaded.items():
        tp, _, name = k.partition(':')
        if tp == 'arg':
            arg_params[name] = v
        elif tp == 'aux':
            aux_params[name] = v
    return arg_params, aux_params


def load_checkpoint(prefix, epoch):
    """(symbol, arg_params, aux_params) from the files save_checkpoint wrote."""
    symbol = sym.load(f'{prefix}-symbol.json')
    arg_params, aux_params = load_params(prefix, epoch)
    return symbol, arg_params, aux_params


def _create_kvstore(kvstore, num_device, arg_params):
    """MXNet's choice of kvstore and of update_on_kvstore for dense weights: (kv, bool).

    No store for one device on one machine; update_on_kvstore follows
    MXNET_UPDATE_ON_KVSTORE (default 1), is off for a 'local' store holding an array of
    more than 16M entries, and needs a store that can run an optimizer."""
    update_on_kvstore = bool(int(os.getenv('MXNET_UPDATE_ON_KVSTORE', '1')))
    if kvstore is None:
        kv = None
    elif isinstance(kvstore, kvs.KVStoreBase):
        kv = kvstore
    elif isinstance(kvstore, str):
        if num_device == 1 and 'dist' not in kvstore:
            kv = None
        else:
            kv = kvs.create(kvstore)
            if kvstore == 'local' and arg_params and max(
                    math.prod(a.shape) for a in arg_params.values()) > 1024 * 1024 * 16:
                update_on_kvstore = False
    else:
        raise TypeError('kvstore must be KVStore, str or None')
    if kv is None:
        update_on_kvstore = False
    else:
        update_on_kvstore &= kv.is_capable(kvs.KVStoreBase.OPTIMIZER)
    return kv, update_on_kvstore


def _create_sparse_kvstore(kvstore):
    """The kvstore for row_sparse weights: always a store, always updating on it."""
    if isinstance(kvstore, kvs.KVStore):
        kv = kvstore
    elif isinstance(kvstore, str):
        kv = kvs.create(kvstore)
    else:
        raise TypeError(f"Cannot create '{kvstore}' KVStore with row_sparse parameters. "
                        "The type must be KVStore or str.")
    if not kv.is_capable(kvs.KVStoreBase.OPTIMIZER):
        raise AssertionError("KVStore with sparse weight requires optimizer support. However, "
                             "type(kv) does not support optimizer. Please consider other "
                             "kvstore backends (e.g. dist_device) instead.")
    return kv, True
