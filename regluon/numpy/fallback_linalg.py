"""MXNet's `mx.np.fallback_linalg`: the `mx.np.linalg` functions MXNet 1.9.1 computes with
official NumPy. Here they are torch's (regluon/numpy/linalg.py); this module keeps MXNet's
name and list, and hands out `mx.np.linalg`'s functions."""
__all__ = ['cond', 'lstsq', 'matrix_power', 'matrix_rank', 'multi_dot', 'qr']


def __getattr__(name):
    if name in __all__:
        from . import linalg
        return getattr(linalg, name)
    raise AttributeError(f"module 'regluon.numpy.fallback_linalg' has no attribute {name!r}")
