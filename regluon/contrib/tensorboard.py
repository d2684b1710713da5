"""`mx.contrib.tensorboard`: `LogMetricsCallback`, a batch/epoch callback that writes the
metrics as TensorBoard scalars. MXNet's writes through mxboard's SummaryWriter; here it is
torch's (`torch.utils.tensorboard`), which needs the `tensorboard` package."""
import importlib
import logging

__all__ = ['LogMetricsCallback']

_MISSING = ('You can install mxboard via `pip install mxboard`. (regluon writes TensorBoard '
            'event files with torch.utils.tensorboard: `pip install tensorboard`.)')


def _summary_writer(logging_dir):
    """torch's SummaryWriter on `logging_dir`, or MXNet's ImportError text."""
    try:
        module = importlib.import_module('torch.utils.tensorboard')
    except ImportError as e:
        # MXNet only logs this and fails later, on the first call; we also raise it here
        logging.error(_MISSING)
        raise ImportError(_MISSING) from e
    return module.SummaryWriter(logging_dir)


class LogMetricsCallback:
    """Log metrics periodically in TensorBoard.

    This callback works almost same as `callback.Speedometer`, but write TensorBoard event
    file for visualization.

    Parameters
    ----------
    logging_dir : str
        TensorBoard event file directory.
        After that, use `tensorboard --logdir=path/to/logs` to launch TensorBoard visualization.
    prefix : str
        Prefix for a metric name of `scalar` value (written as '<prefix>-<name>').
    """

    def __init__(self, logging_dir, prefix=None):
        self.prefix = prefix
        self.summary_writer = _summary_writer(logging_dir)

    def __call__(self, param):
        """Callback to log training speed and metrics in TensorBoard."""
        if param.eval_metric is None:
            return
        name_value = param.eval_metric.get_name_value()
        for name, value in name_value:
            if self.prefix is not None:
                name = '%s-%s' % (self.prefix, name)
            self.summary_writer.add_scalar(name, value, global_step=param.epoch)
