"""mx.engine (MXNet 1.x's mxnet/engine.py). MXNet's engine can bundle many small operators
into one bulk; torch runs each operator eagerly, so the bulk size is only remembered."""
_bulk_size = [0]   # what MXNet 1.9.1 reports before any set_bulk_size


def set_bulk_size(size):
    """Set the size limit on bulk execution (no effect on torch's eager execution); returns
    the previous size."""
    prev, _bulk_size[0] = _bulk_size[0], int(size)
    return prev


class _BulkScope:
    """Scope object for bulk execution."""
    def __init__(self, size):
        self._size = size
        self._old_size = None

    def __enter__(self):
        self._old_size = set_bulk_size(self._size)
        return self

    def __exit__(self, ptype, value, trace):
        set_bulk_size(self._old_size)


def bulk(size):
    """`with mx.engine.bulk(10):` a scope for bulk execution (operators still run eagerly)."""
    return _BulkScope(size)
