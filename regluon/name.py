"""`mx.name`: automatic names (`dense0`, `dense1`, ...) as MXNet's NameManager gives them."""
import threading

__all__ = ['NameManager', 'Prefix']


class NameManager:
    """Hands out names `<hint><n>` with one counter per hint; usable as `with NameManager():`."""
    _current = threading.local()

    def __init__(self):
        self._counter = {}
        self._old_manager = None

    def get(self, name, hint):
        """The user's `name` if given, else `hint` followed by the next count for it."""
        if name:
            return name
        count = self._counter.get(hint, 0)
        self._counter[hint] = count + 1
        return f'{hint}{count}'

    def __enter__(self):
        self._old_manager = current()
        NameManager._current.value = self
        return self

    def __exit__(self, *exc):
        NameManager._current.value = self._old_manager


class Prefix(NameManager):
    """A NameManager that puts `prefix` in front of every name it gives."""

    def __init__(self, prefix):
        super().__init__()
        self._prefix = prefix

    def get(self, name, hint):
        return self._prefix + super().get(name, hint)


def current():
    """This thread's NameManager (a fresh one the first time a thread asks)."""
    if not hasattr(NameManager._current, 'value'):
        NameManager._current.value = NameManager()
    return NameManager._current.value
