"""Small helpers shared across regluon (MXNet keeps its own in `mxnet.util`).

`atomic_open` / `atomic_write` are what every saver uses (nd.save, Gluon's
save_parameters, Trainer.save_states): a crash or an exception mid-save leaves the old
file as it was, never a half-written one.
"""
import contextlib
import os
import secrets

__all__ = ['atomic_open', 'atomic_write']


@contextlib.contextmanager
def atomic_open(fname, mode='wb'):
    """Open a temporary file next to `fname`; on a clean exit it replaces `fname`.

    The data goes to `fname + '.tmp-<random>'` in the same folder (so `os.replace` is
    atomic), is flushed and fsynced, then renamed over `fname`. If the block raises, the
    temporary file is removed and `fname` is untouched.

    Parameters
    ----------
    fname : str or os.PathLike
        The file to write.
    mode : str
        'wb' (bytes) or 'w' (text).
    """
    if mode not in ('wb', 'w'):
        raise ValueError(f"atomic_open: mode must be 'wb' or 'w', got {mode!r}")
    fname = os.fspath(fname)
    tmp = f"{fname}.tmp-{secrets.token_hex(6)}"
    f = open(tmp, 'xb' if mode == 'wb' else 'x')  # pylint: disable=consider-using-with
    try:
        with f:
            yield f
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, fname)
    except BaseException:
        with contextlib.suppress(OSError):
            os.remove(tmp)
        raise
    _fsync_dir(os.path.dirname(os.path.abspath(fname)))


def atomic_write(fname, data):
    """Write `data` (bytes or str) to `fname` atomically; see `atomic_open`."""
    with atomic_open(fname, 'w' if isinstance(data, str) else 'wb') as f:
        f.write(data)


def _fsync_dir(path):
    """Make the rename itself durable where the OS allows opening a folder."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(fd)
    except OSError:
        pass
    finally:
        os.close(fd)


# mxnet.util's NumPy-mode switches and environment helpers: the same functions as
# mx.npx's and mx.test_utils' (imported on first use: those packages import this module)
_ELSEWHERE = {**{n: 'numpy_extension' for n in (
    'set_np', 'reset_np', 'is_np_array', 'is_np_shape', 'use_np', 'use_np_array',
    'use_np_shape', 'np_array', 'np_shape')}, 'getenv': 'test_utils_misc',
    'setenv': 'test_utils_misc'}


def __getattr__(name):
    if name in _ELSEWHERE:
        import importlib
        return getattr(importlib.import_module(f'regluon.{_ELSEWHERE[name]}'), name)
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
