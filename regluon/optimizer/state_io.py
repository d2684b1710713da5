"""Optimizer states as bytes without pickle: an .npz archive plus a JSON header.

MXNet pickles (states, optimizer); unpickling runs arbitrary code, so regluon writes the
arrays with numpy (`allow_pickle=False` on load) and the structure and the optimizer's
plain settings (numbers, strings, dicts of them, the lr scheduler's fields) as JSON.
"""
import io
import json

import numpy as np

from ..base import MXNetError
from .. import ndarray as nd

FORMAT = 'regluon-optimizer-states'


def _enc_tree(x, arrays):
    """States (NDArray / None / nested tuples) to JSON, collecting arrays by key."""
    if x is None:
        return None
    if isinstance(x, nd.NDArray):
        key = f'a{len(arrays)}'
        arrays[key] = x.astype('float32').asnumpy() if x.dtype == 'bfloat16' else x.asnumpy()
        return {'array': key, 'dtype': str(np.dtype(x.dtype)) if x.dtype != 'bfloat16'
                else 'bfloat16'}
    if isinstance(x, (list, tuple)):
        return {'tuple' if isinstance(x, tuple) else 'list': [_enc_tree(v, arrays) for v in x]}
    raise MXNetError(f"save_states: cannot store a state of type {type(x).__name__}; "
                     "expected NDArray, None or tuples of them")


def _dec_tree(x, arrays):
    if x is None:
        return None
    if 'array' in x:
        return nd.array(arrays[x['array']], dtype=x['dtype'])
    if 'tuple' in x:
        return tuple(_dec_tree(v, arrays) for v in x['tuple'])
    return [_dec_tree(v, arrays) for v in x['list']]


def _enc_value(v):
    """Plain settings to JSON; None for what cannot be stored safely (skipped)."""
    from ..lr_scheduler import LRScheduler
    if v is None or isinstance(v, (bool, int, float, str)):
        return {'v': v}
    if isinstance(v, np.generic):                      # e.g. a learning rate of np.float32
        return {'v': v.item()}
    if isinstance(v, dict):
        items = [[_enc_value(k), _enc_value(x)] for k, x in v.items()]
        if all(k is not None and x is not None for k, x in items):
            return {'dict': items}
        return None
    if isinstance(v, (list, tuple)):
        items = [_enc_value(x) for x in v]
        return None if None in items else {'tuple' if isinstance(v, tuple) else 'list': items}
    if isinstance(v, LRScheduler):
        attrs = {k: _enc_value(x) for k, x in vars(v).items()}
        return {'scheduler': type(v).__name__,
                'attrs': {k: x for k, x in attrs.items() if x is not None}}
    return None


def _dec_value(e, current=None):
    """Decode `_enc_value`; a scheduler of `current`'s class is restored into `current`
    (so user-defined LRScheduler subclasses round-trip too)."""
    from .. import lr_scheduler
    if 'v' in e:
        return e['v']
    if 'dict' in e:
        return {_dec_value(k): _dec_value(x) for k, x in e['dict']}
    if 'tuple' in e:
        return tuple(_dec_value(x) for x in e['tuple'])
    if 'list' in e:
        return [_dec_value(x) for x in e['list']]
    attrs = {k: _dec_value(x) for k, x in e['attrs'].items()}
    if current is not None and type(current).__name__ == e['scheduler']:
        current.__dict__.update(attrs)
        return current
    cls = getattr(lr_scheduler, e['scheduler'], None)
    if not (isinstance(cls, type) and issubclass(cls, lr_scheduler.LRScheduler)):
        raise MXNetError(f"load_states: unknown lr scheduler {e['scheduler']!r}; give the "
                         "optimizer a scheduler of that class before loading")
    sched = cls.__new__(cls)
    sched.__dict__.update(attrs)
    return sched


_SKIP = ('param_dict', '_index_update_count', 'sym_info')


def dumps(states, optimizer=None):
    """Serialize an Updater's states (and optionally its optimizer's settings) to bytes."""
    arrays = {}
    header = {'format': FORMAT, 'version': 1,
              'states': [[_enc_value(k), _enc_tree(s, arrays)] for k, s in states.items()]}
    if optimizer is not None:
        attrs = {k: _enc_value(v) for k, v in vars(optimizer).items() if k not in _SKIP}
        header['optimizer'] = {'class': type(optimizer).__name__.lower(),
                               'attrs': {k: v for k, v in attrs.items() if v is not None}}
    arrays['__header__'] = np.frombuffer(json.dumps(header).encode(), dtype=np.uint8)
    buf = io.BytesIO()
    np.savez(buf, **arrays)
    return buf.getvalue()


def loads(data, optimizer):
    """(states, optimizer or None) from `dumps` bytes. `optimizer` is updated in place
    when the saved one has the same class; otherwise a new one is created by name."""
    from .optimizer import Optimizer
    try:
        with np.load(io.BytesIO(data), allow_pickle=False) as f:
            arrays = {k: f[k] for k in f.files}
        header = json.loads(arrays.pop('__header__').tobytes().decode())
    except (ValueError, OSError, KeyError, UnicodeDecodeError) as e:
        raise MXNetError(f"load_states: not a regluon optimizer-states file ({e}); regluon "
                         "does not read pickled MXNet .states files") from None
    if header.get('format') != FORMAT:
        raise MXNetError(f"load_states: unknown format {header.get('format')!r}")
    states = {_dec_value(k): _dec_tree(s, arrays) for k, s in header['states']}
    saved = header.get('optimizer')
    if saved is None:
        return states, None
    if optimizer is None or type(optimizer).__name__.lower() != saved['class']:
        optimizer = Optimizer.create_optimizer(saved['class'])
    for k, v in saved['attrs'].items():
        setattr(optimizer, k, _dec_value(v, getattr(optimizer, k, None)))
    # the per-device count that update() reads aliases one entry of the table (MXNet's
    # pickle keeps that aliasing; we re-link it to the first device's counts)
    counts = optimizer._all_index_update_counts
    optimizer._index_update_count = counts[next(iter(counts))] if counts else {}
    return states, optimizer
