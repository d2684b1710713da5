"""`mx.random`: the seed, and the samplers of `nd.random` (as in MXNet)."""
import numpy as np
import torch

from .context import Context
from .ndarray import random as _nd_random
from .ndarray.random import *  # noqa: F401,F403

__all__ = ['seed'] + _nd_random.__all__


def seed(seed_state, ctx='all'):
    """Seeds the random number generators regluon draws from.

    The same seed makes every later draw (nd.random, Dropout, initializers, shuffling
    DataLoaders) repeat exactly on the same device. The sequences differ from MXNet's,
    whose generators are its own.

    Parameters
    ----------
    seed_state : int
        The random number seed.
    ctx : Context or 'all'
        The device whose generator to seed; 'all' (default) seeds every device's.
    """
    if not isinstance(seed_state, (int, np.integer)):
        raise ValueError('seed_state must be int')
    s = int(seed_state)
    if ctx == 'all':
        torch.manual_seed(s)
        return
    ctx = Context(ctx)
    device = ctx.torch_device                     # a missing GPU is an MXNetError here
    if device.type == 'cuda':
        torch.cuda.default_generators[device.index].manual_seed(s)
    else:
        torch.default_generator.manual_seed(s)
