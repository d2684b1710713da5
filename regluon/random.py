"""`mx.random`: the seed and the samplers of `nd.random`."""
import torch

from .ndarray.random import *  # noqa: F401,F403


def seed(seed_state, ctx='all'):
    """Seed every generator regluon draws from; seeded runs repeat exactly."""
    if not isinstance(seed_state, int):
        raise ValueError(f"seed: expected an int, got {type(seed_state).__name__}")
    torch.manual_seed(seed_state)
