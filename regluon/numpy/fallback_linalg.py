"""MXNet's `mx.np.fallback_linalg`: the `mx.np.linalg` functions MXNet 1.9.1 computes with
official NumPy. Here they are torch's (regluon/numpy/linalg.py); this module keeps MXNet's
name and list."""
from .linalg import cond, lstsq, matrix_power, matrix_rank, multi_dot, qr  # noqa: F401

__all__ = ['cond', 'lstsq', 'matrix_power', 'matrix_rank', 'multi_dot', 'qr']
