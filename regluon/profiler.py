"""mx.profiler (MXNet 1.x's mxnet/profiler.py) on torch.profiler: set_state('run') starts a
torch profiler session, pause() ends one and resume() starts the next; dump() writes every
session's events as one Chrome trace to the configured `filename`; dumps() returns torch's
table of aggregate operator statistics. Domain/Task/Frame/Event/Marker ranges are
torch.profiler record_function ranges, so they appear in the trace."""
import atexit
import contextlib
import json
import os
import tempfile
import warnings

import torch

from .base import MXNetError

_CONFIG_KEYS = ('filename', 'profile_all', 'profile_symbolic', 'profile_imperative',
                'profile_memory', 'profile_api', 'continuous_dump', 'dump_period',
                'aggregate_stats', 'profile_process')
_config = {'filename': 'profile.json'}
_state = {'running': None, 'paused': False, 'sessions': [], 'ever_run': False}
_PROCESSES = ('worker', 'server')


def _check_process(profile_process):
    if profile_process not in _PROCESSES:
        raise KeyError(profile_process)
    if profile_process == 'server':
        raise MXNetError('Check failed: kvStoreHandle: Kvstore Handle passed to profiler '
                         'is null')


def set_config(**kwargs):
    """Set up the profiler (keyword arguments only): filename, profile_all,
    profile_symbolic, profile_imperative, profile_memory, profile_api, continuous_dump,
    dump_period, aggregate_stats, profile_process."""
    for key in kwargs:
        if key not in _CONFIG_KEYS:
            raise MXNetError(f"Cannot find argument '{key}', Possible Arguments: "
                             f"{', '.join(_CONFIG_KEYS)}")
    _config.update(kwargs)


def profiler_set_config(mode='symbolic', filename='profile.json'):
    """Set up the profiler (deprecated)."""
    warnings.warn('profiler.profiler_set_config() is deprecated. '
                  'Please use profiler.set_config() instead')
    set_config(**{'profile_' + mode: True, 'filename': filename})


def _start():
    activities = [torch.profiler.ProfilerActivity.CPU]
    if torch.cuda.is_available():
        activities.append(torch.profiler.ProfilerActivity.CUDA)
    memory = str(_config.get('profile_memory', False)) in ('True', 'true', '1') or \
        str(_config.get('profile_all', False)) in ('True', 'true', '1')
    prof = torch.profiler.profile(activities=activities, profile_memory=memory)
    prof.start()
    if not _state['ever_run']:
        # a process that exits while torch's profiler runs crashes (SIGSEGV) at shutdown;
        # MXNet scripts often end, or fail, with the profiler still running
        atexit.register(_stop)
    _state['running'] = prof
    _state['ever_run'] = True


def _stop():
    prof = _state['running']
    if prof is not None:
        prof.stop()
        _state['sessions'].append(prof)
        _state['running'] = None


def set_state(state='stop', profile_process='worker'):
    """Set the profiler state to 'run' or 'stop'."""
    {'stop': 0, 'run': 1}[state]   # KeyError for any other state, as MXNet
    _check_process(profile_process)
    if state == 'run':
        _state['paused'] = False
        if _state['running'] is None:
            _start()
    else:
        _state['paused'] = False
        _stop()


def profiler_set_state(state='stop'):
    """Set the profiler state (deprecated)."""
    warnings.warn('profiler.profiler_set_state() is deprecated. '
                  'Please use profiler.set_state() instead')
    set_state(state)


def pause(profile_process='worker'):
    """Pause profiling (ends the current torch profiler session)."""
    _check_process(profile_process)
    if _state['running'] is not None:
        _stop()
        _state['paused'] = True


def resume(profile_process='worker'):
    """Resume paused profiling (starts a new torch profiler session)."""
    _check_process(profile_process)
    if _state['paused']:
        _state['paused'] = False
        _start()


def _trace_events():
    events, meta = [], {}
    for prof in _state['sessions']:
        trace = getattr(prof, '_regluon_trace', None)
        if trace is None:   # torch exports a session's trace once: keep it
            fd, path = tempfile.mkstemp(suffix='.json')
            os.close(fd)
            try:
                prof.export_chrome_trace(path)
                with open(path) as f:
                    trace = prof._regluon_trace = json.load(f)
            finally:
                os.remove(path)
        events.extend(trace.get('traceEvents', []))
        meta.update({k: v for k, v in trace.items() if k != 'traceEvents'})
    return events, meta


def dump(finished=True, profile_process='worker'):
    """Write the profile (a Chrome trace, chrome://tracing or Perfetto) to the configured
    `filename`; `finished` also stops the profiler."""
    _check_process(profile_process)
    if not _state['ever_run']:
        raise MXNetError("Check failed: profiler->IsEnableOutput(): Profiler hasn't been "
                         "run. Config and start profiler first")
    running = _state['running'] is not None
    _stop()
    events, meta = _trace_events()
    with open(_config.get('filename', 'profile.json'), 'w') as f:
        json.dump({'traceEvents': events, 'displayTimeUnit': 'ms',
                   **{k: v for k, v in meta.items() if k != 'displayTimeUnit'}}, f)
    if running and not finished:
        _start()


def dump_profile():
    """Dump the profile and stop the profiler (deprecated)."""
    warnings.warn('profiler.dump_profile() is deprecated. '
                  'Please use profiler.dump() instead')
    dump(True)


_SORT = {'total': 'cpu_time_total', 'avg': 'cpu_time', 'min': 'cpu_time_total',
         'max': 'cpu_time_total', 'count': 'count'}


def dumps(reset=False, format='table', sort_by='total', ascending=False):
    """A printable string of aggregate operator statistics ('table', or 'json': a list of
    {name, count, total_us, avg_us}); `reset` clears what was collected so far."""
    assert format in ('table', 'json'), \
        "Invalid value provided for format: {0}. Support: 'table', 'json'".format(format)
    assert sort_by in _SORT, \
        "Invalid value provided for sort_by: {0}. Support: 'total', 'avg', 'min', 'max', " \
        "'count'".format(sort_by)
    assert ascending in (False, True), \
        "Invalid value provided for ascending: {0}. Support: False, True".format(ascending)
    assert reset in (False, True), \
        "Invalid value provided for reset: {0}. Support: False, True".format(reset)
    running = _state['running'] is not None
    _stop()
    stats = {}
    for prof in _state['sessions']:
        for ev in prof.key_averages():
            s = stats.setdefault(ev.key, [0, 0.0])
            s[0] += ev.count
            s[1] += ev.cpu_time_total
    rows = [{'name': k, 'count': c, 'total_us': t, 'avg_us': t / c if c else 0.0}
            for k, (c, t) in stats.items()]
    key = {'count': 'count', 'avg': 'avg_us'}.get(sort_by, 'total_us')
    rows.sort(key=lambda r: r[key], reverse=not ascending)
    if reset:
        _state['sessions'].clear()
    if running:
        _start()
    if format == 'json':
        return json.dumps(rows)
    width = max([len(r['name']) for r in rows] + [4])
    lines = ['Profile Statistics:',
             f"{'Name':<{width}}  {'Total Count':>11}  {'Time (ms)':>12}  {'Avg (ms)':>12}",
             f"{'-' * width}  {'-' * 11}  {'-' * 12}  {'-' * 12}"]
    lines += [f"{r['name']:<{width}}  {r['count']:>11}  {r['total_us'] / 1e3:>12.4f}  "
              f"{r['avg_us'] / 1e3:>12.4f}" for r in rows]
    return '\n'.join(lines) + '\n'


class Domain:
    """A profiling domain: a name grouping tasks, frames, counters and markers."""
    def __init__(self, name):
        self.name = name

    def __str__(self):
        return self.name

    def new_task(self, name):
        return Task(self, name)

    def new_frame(self, name):
        return Frame(self, name)

    def new_counter(self, name, value=None):
        return Counter(self, name, value)

    def new_marker(self, name):
        return Marker(self, name)


class _Range:
    """A named range, start()..stop(), recorded as a torch.profiler record_function."""
    def __init__(self, label, name):
        self.name = name
        self._label = label
        self._rf = None

    def start(self):
        self._rf = torch.autograd.profiler.record_function(self._label)
        self._rf.__enter__()

    def stop(self):
        if self._rf is not None:
            self._rf.__exit__(None, None, None)
            self._rf = None

    def __str__(self):
        return self.name


class Task(_Range):
    """A named task in a domain (start()/stop())."""
    def __init__(self, domain, name):
        super().__init__(f'{domain}::{name}', name)
        self.domain = domain


class Frame(_Range):
    """A named frame in a domain (start()/stop())."""
    def __init__(self, domain, name):
        super().__init__(f'{domain}::{name}', name)
        self.domain = domain


class Event(_Range):
    """A named event (start()/stop())."""
    def __init__(self, name):
        super().__init__(name, name)


class Counter:
    """A named counter in a domain: set_value, increment, decrement, +=, -=."""
    def __init__(self, domain, name, value=None):
        self.name = name
        self.domain = domain
        self.value = 0 if value is None else value

    def set_value(self, value):
        self.value = value

    def increment(self, delta=1):
        self.value += delta

    def decrement(self, delta=1):
        self.value -= delta

    def __iadd__(self, delta):
        self.increment(delta)
        return self

    def __isub__(self, delta):
        self.decrement(delta)
        return self

    def __str__(self):
        return self.name


class Marker:
    """An instant marker in a domain: mark(scope) records a zero-length range."""
    def __init__(self, domain, name):
        self.name = name
        self.domain = domain

    def mark(self, scope='process'):
        with torch.autograd.profiler.record_function(f'{self.domain}::{self.name}'):
            pass


@contextlib.contextmanager
def scope(name='<unk>:', append_mode=False):
    """Profile the code inside as one named range (MXNet 2.x's profiler.scope; 1.9.1 has
    none)."""
    with torch.autograd.profiler.record_function(name):
        yield
