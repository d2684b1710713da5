"""The gluon.contrib.estimator scenarios tools/golden_estimator.py ran in MXNet 1.9.1 and
tests/test_estimator.py runs here, written once. `run(mx, name, tmpdir)` runs scenario
`name` with the library `mx` and returns {key: value} (arrays, floats, strings, lists of
strings). Log lines have their times and the temporary directory blanked (`_text`)."""
import logging
import os
import re
import warnings

import numpy as np


def _loader(mx, n=24, seed=0, batch_size=6):
    """Fixed 3-class data, 4 features, in order (no shuffle)."""
    rng = np.random.RandomState(seed)
    x = rng.randn(n, 4).astype('float32')
    y = ((x[:, 0] + 0.5 * x[:, 1] > 0).astype('float32') + (x[:, 2] > 0.8)).astype('float32')
    ds = mx.gluon.data.ArrayDataset(mx.nd.array(x), mx.nd.array(y))
    return mx.gluon.data.DataLoader(ds, batch_size=batch_size, shuffle=False)


def _net(mx, init=True, hybrid=False, units=3, ctx=None, seed=1):
    """Dense(8, relu) -> Dense(units), parameters from a fixed seed (init=True)."""
    nn = mx.gluon.nn
    net = nn.HybridSequential(prefix='net_')
    with net.name_scope():
        net.add(nn.Dense(8, activation='relu', in_units=4), nn.Dense(units, in_units=8))
    if init:
        net.initialize(mx.init.Zero(), ctx=ctx)
        rng = np.random.RandomState(seed)
        for name in sorted(net.collect_params()):
            p = net.collect_params()[name]
            p.set_data(mx.nd.array(rng.uniform(-0.6, 0.6, p.shape)))
    if hybrid:
        net.hybridize()
    return net


def _weights(net, prefix='w/', ctx=None):
    params = net.collect_params()
    return {prefix + name: params[name].data(ctx).asnumpy() for name in sorted(params)}


def _sgd(mx, net, lr=0.1, momentum=0.9):
    return mx.gluon.Trainer(net.collect_params(), 'sgd',
                            {'learning_rate': lr, 'momentum': momentum})


class _Lines(logging.Handler):
    def __init__(self):
        super().__init__()
        self.lines = []

    def emit(self, record):
        self.lines.append(record.getMessage())


def _text(line, tmpdir):
    line = line.replace(str(tmpdir), '<dir>')
    return re.sub(r'\d+(\.\d+)?s\b', '<t>s', line)


class _Run:
    """Runs estimator calls, keeping their log lines and the warnings estimator code
    gives (not other modules')."""

    def __init__(self, tmpdir):
        self.tmpdir, self.lines, self.warnings = tmpdir, [], []

    def estimator(self, mx, *args, **kwargs):
        with warnings.catch_warnings(record=True) as ws:
            warnings.simplefilter('always')
            est = mx.gluon.contrib.estimator.Estimator(*args, **kwargs)
        self._keep(ws)
        capture = _Lines()
        est.logger.handlers = [capture]       # instead of stdout
        capture.lines = self.lines
        return est

    def __call__(self, fn, *args, **kwargs):
        with warnings.catch_warnings(record=True) as ws:
            warnings.simplefilter('always')
            out = fn(*args, **kwargs)
        self._keep(ws)
        return out

    def _keep(self, ws):
        self.warnings += ['%s: %s' % (w.category.__name__, w.message) for w in ws
                          if 'estimator' in w.filename]

    def result(self):
        return {'lines': [_text(l, self.tmpdir) for l in self.lines],
                'warnings': [_text(w, self.tmpdir) for w in self.warnings]}


def _metrics(est):
    out = {}
    for kind, metrics in (('train', est.train_metrics), ('val', est.val_metrics)):
        out[kind + '_names'] = [m.name for m in metrics]
        out[kind + '_values'] = np.array([m.get()[1] for m in metrics], dtype='float64')
    return out


def _sce(mx):
    return mx.gluon.loss.SoftmaxCrossEntropyLoss()


def _Recorder(mx, tag, log, priority=None, stop_every=None):
    """A handler of every event; records (tag, event, training accuracy at the time).
    batch_end returns True every `stop_every` batches."""
    E = mx.gluon.contrib.estimator

    class Recorder(E.TrainBegin, E.EpochBegin, E.BatchBegin, E.BatchEnd, E.EpochEnd,
                   E.TrainEnd):
        batches = 0

        def _note(self, est, event):
            value = est.train_metrics[0].get()[1]
            log.append('%s %s %s' % (tag, event, 'nan' if np.isnan(value) else '%.4f' % value))

        def train_begin(self, est, *args, **kwargs):
            self._note(est, 'train_begin')

        def epoch_begin(self, est, *args, **kwargs):
            self._note(est, 'epoch_begin')

        def batch_begin(self, est, *args, **kwargs):
            self._note(est, 'batch_begin %d' % kwargs['batch'][0].shape[0])

        def batch_end(self, est, *args, **kwargs):
            self._note(est, 'batch_end %d' % len(kwargs['loss']))
            self.batches += 1
            return bool(stop_every and self.batches % stop_every == 0)

        def epoch_end(self, est, *args, **kwargs):
            self._note(est, 'epoch_end')

        def train_end(self, est, *args, **kwargs):
            self._note(est, 'train_end')

    handler = Recorder()
    if priority is not None:
        handler.priority = priority
    return handler


# ---------------------------------------------------------------- scenarios

def fit_val(mx, tmpdir):
    """fit 3 epochs with validation data: weights, metrics, logs."""
    run = _Run(tmpdir)
    net = _net(mx)
    est = run.estimator(mx, net, _sce(mx), trainer=_sgd(mx, net), context=mx.cpu())
    run(est.fit, _loader(mx), val_data=_loader(mx, 12, seed=5), epochs=3)
    return {**_weights(net), **_metrics(est), **run.result()}


def log_interval(mx, tmpdir):
    """LoggingHandler(log_interval=3) over 2 epochs, then evaluate's own lines."""
    run = _Run(tmpdir)
    net = _net(mx)
    est = run.estimator(mx, net, _sce(mx), trainer=_sgd(mx, net, 0.05, 0.0))
    E = mx.gluon.contrib.estimator
    run(est.fit, _loader(mx), epochs=2,
        event_handlers=[E.LoggingHandler(log_interval=3, metrics=est.train_metrics)])
    run(est.evaluate, _loader(mx, 12, seed=5))
    return {**_metrics(est), **run.result()}


def evaluate(mx, tmpdir):
    """evaluate on the fixed net, twice (metrics reset in between), with val_loss."""
    run = _Run(tmpdir)
    net = _net(mx)
    est = run.estimator(mx, net, _sce(mx), trainer=_sgd(mx, net),
                        val_loss=mx.gluon.loss.SoftmaxCrossEntropyLoss(weight=2.0))
    val = _loader(mx, 10, seed=7, batch_size=4)
    run(est.evaluate, val)
    run(est.evaluate, val)
    return {**_metrics(est), **run.result()}


def regression_defaults(mx, tmpdir):
    """L2Loss with the default trainer (SGD 0.001, warned), context and initializer given."""
    run = _Run(tmpdir)
    net = _net(mx, init=False, units=1)
    est = run.estimator(mx, net, mx.gluon.loss.L2Loss(), initializer=mx.init.Constant(0.25))
    run(est.fit, _loader(mx), batches=7)
    out = {**_weights(net), **_metrics(est), **run.result()}
    out['trainer'] = [type(est.trainer.optimizer).__name__, '%g' % est.trainer.learning_rate,
                      str(est.context)]
    return out


def init_rules(mx, tmpdir):
    """An initialized net and an initializer: warning, weights kept; default context."""
    run = _Run(tmpdir)
    net = _net(mx)
    est = run.estimator(mx, net, _sce(mx), initializer=mx.init.Constant(3.0),
                        trainer=_sgd(mx, net))
    # partly initialized (fine-tuning a new output layer): only the new layer is set
    part = _net(mx, init=False)
    part[0].initialize(mx.init.Constant(0.5))
    run.estimator(mx, part, _sce(mx), initializer=mx.init.Constant(-1.0))
    return {**_weights(net), **_weights(part, 'part/'), 'context': [str(c) for c in est.context],
            **run.result()}


def _handler_names(handlers):
    return ['%s:%s' % (type(h).__name__, getattr(h, 'priority', 0)) for h in handlers]


def default_handlers(mx, tmpdir):
    """Which handlers fit and evaluate add, and their order."""
    run = _Run(tmpdir)
    E = mx.gluon.contrib.estimator
    net = _net(mx)
    est = run.estimator(mx, net, _sce(mx), trainer=_sgd(mx, net))
    est.max_epoch, est.max_batch = 2, None
    val = _loader(mx, 12, seed=5)
    out = {'fit': _handler_names(est._prepare_default_handlers(None, None)),
           'fit_val': _handler_names(est._prepare_default_handlers(val, None)),
           'evaluate': _handler_names(est._prepare_default_validation_handlers(None))}
    user = [E.LoggingHandler(log_interval=3, metrics=est.train_metrics),
            E.StoppingHandler(max_epoch=1), E.GradientUpdateHandler(priority=5)]
    out['fit_user'] = _handler_names(est._prepare_default_handlers(val, user))
    # 'monitor' attributes are not checked against the known metrics (MXNet's quirk)
    stray = E.EarlyStoppingHandler(monitor=mx.metric.Accuracy(), mode='max')
    out['fit_monitor'] = _handler_names(est._prepare_default_handlers(val, stray))
    out['evaluate_user'] = _handler_names(est._prepare_default_validation_handlers(
        [E.MetricHandler(metrics=est.val_metrics)]))
    out['metric_refs'] = [m.name for h in est._prepare_default_handlers(val, None)
                          for m in getattr(h, 'metrics', [])]
    return {**out, **run.result()}


def metric_names(mx, tmpdir):
    """The names given to default and user metrics."""
    run = _Run(tmpdir)
    M = mx.metric
    net = _net(mx)
    out = {}
    variants = {
        'sce': dict(loss=_sce(mx)),
        'l1': dict(loss=mx.gluon.loss.L1Loss()),
        'one': dict(loss=_sce(mx), train_metrics=M.Accuracy()),
        'composite': dict(loss=_sce(mx), train_metrics=M.CompositeEvalMetric(
            [M.Accuracy(), M.TopKAccuracy(2)])),
        'val_given': dict(loss=_sce(mx), train_metrics=[M.MAE()],
                          val_metrics=[M.Accuracy(name='mytraining acc'), M.RMSE()]),
    }
    for name, kwargs in variants.items():
        est = run.estimator(mx, net, trainer=_sgd(mx, net), **kwargs)
        out[name + '_train'] = [m.name for m in est.train_metrics]
        out[name + '_val'] = [m.name for m in est.val_metrics]
        out[name + '_types'] = [type(m).__name__ for m in est.train_metrics + est.val_metrics]
    return {**out, **run.result()}


def checkpoint(mx, tmpdir):
    """CheckpointHandler on a hybridized net: files, best model, resume."""
    run = _Run(tmpdir)
    E = mx.gluon.contrib.estimator
    model_dir = os.path.join(str(tmpdir), 'ckpt')
    net = _net(mx, hybrid=True)
    est = run.estimator(mx, net, _sce(mx), trainer=_sgd(mx, net))
    handler = run(E.CheckpointHandler, model_dir, model_prefix='m',
                  monitor=est.train_metrics[0], verbose=1, save_best=True, max_checkpoints=2)
    run(est.fit, _loader(mx), epochs=3, event_handlers=[handler])
    out = {'files': sorted(os.listdir(model_dir)), **_weights(net, 'final/')}
    sym = mx.sym.load(os.path.join(model_dir, 'm-symbol.json'))
    out['symbol_args'] = sym.list_arguments()
    best = _net(mx, init=False)
    best.load_parameters(os.path.join(model_dir, 'm-best.params'))
    out.update(_weights(best, 'best/'))
    # resume: 3 more epochs from m-epoch2batch11
    net2 = _net(mx, hybrid=True)
    est2 = run.estimator(mx, net2, _sce(mx), trainer=_sgd(mx, net2))
    handler2 = E.CheckpointHandler(model_dir, model_prefix='m', max_checkpoints=2,
                                   resume_from_checkpoint=True)
    run(est2.fit, _loader(mx), epochs=6, event_handlers=[handler2])
    out['files_resumed'] = sorted(os.listdir(model_dir))
    out['max_epoch_resumed'] = est2.max_epoch
    out.update(_weights(net2, 'resumed/'))
    return {**out, **run.result()}


def checkpoint_batches(mx, tmpdir):
    """batch_period checkpoints with fit(batches=), then resuming them."""
    run = _Run(tmpdir)
    E = mx.gluon.contrib.estimator
    model_dir = os.path.join(str(tmpdir), 'ckpt_b')

    def train(batches, resume):
        net = _net(mx)
        est = run.estimator(mx, net, _sce(mx), trainer=_sgd(mx, net))
        handler = E.CheckpointHandler(model_dir, batch_period=3, epoch_period=None,
                                      max_checkpoints=10, resume_from_checkpoint=resume)
        run(est.fit, _loader(mx), batches=batches, event_handlers=[handler])
        return net, est

    train(7, False)
    out = {'files': sorted(os.listdir(model_dir))}
    net, est = train(8, True)
    out.update({'files_resumed': sorted(os.listdir(model_dir)),
                'max_batch_resumed': est.max_batch, **_weights(net)})
    return {**out, **run.result()}


def early_stopping(mx, tmpdir):
    """EarlyStoppingHandler: on accuracy ('auto' = greater), with a baseline, on a metric
    that is never updated, and a handler whose batch_end stops each epoch early."""
    E = mx.gluon.contrib.estimator
    out, run = {}, _Run(tmpdir)
    variants = {
        'acc': lambda est: dict(monitor=est.train_metrics[0], patience=2),
        'loss_min': lambda est: dict(monitor=est.train_metrics[1], mode='min',
                                     min_delta=0.05, patience=1),
        'baseline': lambda est: dict(monitor=est.train_metrics[0], baseline=1.5, patience=2,
                                     mode='max'),
        'nan': lambda est: dict(monitor=est.val_metrics[0], mode='bogus'),
    }
    for name, kwargs in variants.items():
        net = _net(mx)
        est = run.estimator(mx, net, _sce(mx), trainer=_sgd(mx, net, 0.02, 0.0))
        log = []
        stopper = run(E.EarlyStoppingHandler, **kwargs(est))
        run(est.fit, _loader(mx), epochs=12, event_handlers=[stopper, _Recorder(mx, 'r', log)])
        out[name + '_epochs'] = sum(1 for l in log if 'epoch_end' in l)
        out[name + '_stopped'] = stopper.stopped_epoch
        out[name + '_best'] = float(stopper.best)
    log = []
    net = _net(mx)
    est = run.estimator(mx, net, _sce(mx), trainer=_sgd(mx, net))
    run(est.fit, _loader(mx), epochs=2, event_handlers=[_Recorder(mx, 'r', log, stop_every=3)])
    out['batch_stop_events'] = log
    out.update(_weights(net))
    return {**out, **run.result()}


def handler_order(mx, tmpdir):
    """Custom handlers around the default ones: calls in priority order, fit(batches=)."""
    run = _Run(tmpdir)
    net = _net(mx)
    est = run.estimator(mx, net, _sce(mx), trainer=_sgd(mx, net))
    log = []
    handlers = [_Recorder(mx, 'late', log, priority=10), _Recorder(mx, 'first', log,
                                                                   priority=-1500),
                _Recorder(mx, 'plain', log)]
    run(est.fit, _loader(mx), val_data=_loader(mx, 12, seed=5), batches=6,
        event_handlers=handlers)
    return {'events': log, **_weights(net), **_metrics(est), **run.result()}


def batch_processor(mx, tmpdir):
    """A BatchProcessor subclass: its fit_batch/evaluate_batch are the ones called."""
    run = _Run(tmpdir)
    E = mx.gluon.contrib.estimator
    calls = []

    class Halves(E.BatchProcessor):
        """Trains on the first half of each batch only."""

        def fit_batch(self, estimator, train_batch, batch_axis=0):
            calls.append('fit %d' % train_batch[0].shape[0])
            half = train_batch[0].shape[0] // 2
            return super().fit_batch(estimator, [train_batch[0][:half], train_batch[1][:half]],
                                     batch_axis)

        def evaluate_batch(self, estimator, val_batch, batch_axis=0):
            calls.append('evaluate %d' % val_batch[0].shape[0])
            return super().evaluate_batch(estimator, val_batch, batch_axis)

    net = _net(mx)
    est = run.estimator(mx, net, _sce(mx), trainer=_sgd(mx, net), batch_processor=Halves())
    run(est.fit, _loader(mx), val_data=_loader(mx, 12, seed=5), epochs=2)
    return {'calls': calls, **_weights(net), **_metrics(est), **run.result()}


def two_contexts(mx, tmpdir):
    """context=[cpu(0), cpu(1)]: each batch split in two, the update over the whole batch."""
    run = _Run(tmpdir)
    ctx = [mx.cpu(0), mx.cpu(1)]
    net = _net(mx, ctx=ctx)
    est = run.estimator(mx, net, _sce(mx), trainer=_sgd(mx, net), context=ctx)
    run(est.fit, _loader(mx), val_data=_loader(mx, 12, seed=5), epochs=2)
    return {**_weights(net, ctx=mx.cpu(1)), **_metrics(est), **run.result()}



def handlers_misc(mx, tmpdir):
    """User ValidationHandler (batch_period) and LoggingHandler without metrics, val_net,
    save_best that does not improve (mode='min' on accuracy), an unknown mode and a
    monitor that is never updated."""
    run = _Run(tmpdir)
    E = mx.gluon.contrib.estimator
    net = _net(mx)
    est = run.estimator(mx, net, _sce(mx), trainer=_sgd(mx, net), val_net=_net(mx, seed=4))
    val = _loader(mx, 12, seed=5)
    best_dir = os.path.join(str(tmpdir), 'best')
    handlers = [E.ValidationHandler(val, est.evaluate, epoch_period=2, batch_period=3),
                E.LoggingHandler(log_interval=4),
                run(E.CheckpointHandler, best_dir, monitor=est.train_metrics[0], verbose=1,
                    save_best=True, mode='min')]
    run(est.fit, _loader(mx), epochs=3, event_handlers=handlers)
    out = {'files': sorted(os.listdir(best_dir)), **_weights(net), **_metrics(est)}
    nan_dir = os.path.join(str(tmpdir), 'nan')
    est = run.estimator(mx, net, _sce(mx), trainer=_sgd(mx, net))
    never = run(E.CheckpointHandler, nan_dir, monitor=est.val_metrics[0], save_best=True,
                mode='bogus')
    run(est.fit, _loader(mx), batches=2, event_handlers=[never])
    out['files_nan'] = sorted(os.listdir(nan_dir))
    return {**out, **run.result()}


SCENARIOS = {f.__name__: f for f in (
    fit_val, log_interval, evaluate, regression_defaults, init_rules, default_handlers,
    metric_names, checkpoint, checkpoint_batches, early_stopping, handler_order,
    batch_processor, two_contexts, handlers_misc)}


def run(mx, name, tmpdir):
    return SCENARIOS[name](mx, tmpdir)


# ---------------------------------------------------------------- errors

def errors(mx, tmpdir):
    """{case: callable} whose exception type and message MXNet fixes."""
    E = mx.gluon.contrib.estimator
    net = _net(mx)

    def est(**kwargs):
        with warnings.catch_warnings():
            warnings.simplefilter('ignore')
            kwargs.setdefault('trainer', _sgd(mx, net))
            return E.Estimator(net, kwargs.pop('loss', _sce(mx)), **kwargs)

    def ckpt(batches, **kwargs):
        d = os.path.join(str(tmpdir), 'err_ckpt')
        h = E.CheckpointHandler(d, batch_period=2, epoch_period=None, **kwargs)
        e = est()
        e.logger.handlers = []
        return lambda: e.fit(_loader(mx), batches=batches, event_handlers=[h])

    def resume_done():
        ckpt(5)()
        ckpt(4, resume_from_checkpoint=True)()

    def bad_checkpoint_name():
        d = os.path.join(str(tmpdir), 'err_names')
        os.makedirs(d)
        open(os.path.join(d, 'model-epochXbatch1.params'), 'w').close()
        h = E.CheckpointHandler(d, resume_from_checkpoint=True)
        e = est()
        e.fit(_loader(mx), epochs=1, event_handlers=[h])

    def mixed_unknown_metric():
        e = est()
        e.fit(_loader(mx), epochs=1,
              event_handlers=[E.MetricHandler(metrics=[mx.metric.Accuracy()])])

    return {
        'loss': lambda: est(loss='l2'),
        'metrics': lambda: est(train_metrics='acc'),
        'metrics_list': lambda: est(val_metrics=['acc', 'mae']),
        'trainer': lambda: est(trainer='sgd'),
        'context': lambda: est(context='cpu'),
        'context_gpu': lambda: est(context=[mx.cpu(), mx.gpu(0)]),
        'batch_processor': lambda: est(batch_processor=object()),
        'fit_data': lambda: est().fit(mx.nd.ones((4, 4)), epochs=1),
        'evaluate_data': lambda: est().evaluate([(mx.nd.ones((4, 4)), mx.nd.ones(4))]),
        'fit_neither': lambda: est().fit(_loader(mx)),
        'fit_both': lambda: est().fit(_loader(mx), epochs=1, batches=2),
        'handlers': lambda: est().fit(_loader(mx), epochs=1, event_handlers=['log']),
        'log_interval': lambda: E.LoggingHandler(log_interval='batch'),
        'save_best': lambda: E.CheckpointHandler(str(tmpdir), save_best=True),
        'early_monitor': lambda: E.EarlyStoppingHandler(monitor='accuracy'),
        'early_composite': lambda: E.EarlyStoppingHandler(
            monitor=mx.metric.CompositeEvalMetric([mx.metric.Accuracy()])),
        'mixed_unknown_metric': mixed_unknown_metric,
        'resume_period': lambda: E.CheckpointHandler(
            os.path.join(str(tmpdir), 'err_period'), resume_from_checkpoint=True)
        .train_begin(_Stub(max_epoch=None, max_batch=3)),
        'resume_done': resume_done,
        'bad_checkpoint_name': bad_checkpoint_name,
    }


class _Stub:
    def __init__(self, **kwargs):
        self.__dict__.update(kwargs)


def error(fn):
    """{'type': exception class name or None, 'msg': its message}."""
    try:
        fn()
    except Exception as e:  # pylint: disable=broad-except
        return {'type': type(e).__name__, 'msg': str(e)}
    return {'type': None, 'msg': ''}
