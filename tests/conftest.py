"""Shared test helpers: golden data written by the real MXNet 1.9.1 (see tools/golden_*.py)."""
import os
import pathlib

import numpy as np
import pytest

GOLDEN = pathlib.Path(__file__).parent / 'golden'


def golden(name):
    """The arrays of `tests/golden/<name>.npz` as a dict (never unpickled)."""
    with np.load(GOLDEN / f'{name}.npz', allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


@pytest.fixture
def tmp(tmp_path):
    return tmp_path


os.environ.setdefault('OMP_NUM_THREADS', '2')
