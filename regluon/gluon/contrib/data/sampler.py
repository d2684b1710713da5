"""MXNet's `gluon.contrib.data.sampler`: IntervalSampler."""
from ...data import sampler

__all__ = ['IntervalSampler']


class IntervalSampler(sampler.Sampler):
    """Samples [0, length) at fixed intervals: 0, interval, 2 * interval, ..., then (with
    rollover) 1, 1 + interval, ... until every index was visited.

    Parameters
    ----------
    length : int
        Length of the sequence.
    interval : int
        The step between two samples.
    rollover : bool, default True
        Start again from the first skipped item at the end; False stops there.

    Examples
    --------
    >>> list(contrib.data.IntervalSampler(13, interval=3))
    [0, 3, 6, 9, 12, 1, 4, 7, 10, 2, 5, 8, 11]
    >>> list(contrib.data.IntervalSampler(13, interval=3, rollover=False))
    [0, 3, 6, 9, 12]
    """

    def __init__(self, length, interval, rollover=True):
        assert interval <= length, \
            "Interval {} must be smaller than or equal to length {}".format(interval, length)
        self._length, self._interval, self._rollover = length, interval, rollover

    def __iter__(self):
        for i in range(self._interval if self._rollover else 1):
            yield from range(i, self._length, self._interval)

    def __len__(self):
        # MXNet's: the length, also when rollover=False yields fewer
        return self._length
