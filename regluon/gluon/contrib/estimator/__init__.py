"""`gluon.contrib.estimator`: MXNet 1.6+'s high-level training loop (Estimator, its
BatchProcessor and event handlers), with MXNet 1.9.1's defaults, log lines and files."""
from . import estimator, event_handler, batch_processor
from .estimator import Estimator
from .batch_processor import BatchProcessor
from .event_handler import (TrainBegin, TrainEnd, EpochBegin, EpochEnd, BatchBegin, BatchEnd,
                            StoppingHandler, MetricHandler, ValidationHandler, LoggingHandler,
                            CheckpointHandler, EarlyStoppingHandler, GradientUpdateHandler)

__all__ = ['Estimator', 'BatchProcessor', 'TrainBegin', 'TrainEnd', 'EpochBegin', 'EpochEnd',
           'BatchBegin', 'BatchEnd', 'StoppingHandler', 'MetricHandler', 'ValidationHandler',
           'LoggingHandler', 'CheckpointHandler', 'EarlyStoppingHandler',
           'GradientUpdateHandler']
