"""`gluon.contrib.estimator`: MXNet 1.6+'s high-level training loop (Estimator, its
BatchProcessor and event handlers), with MXNet 1.9.1's defaults, log lines and files."""
from . import estimator, event_handler, batch_processor
from .estimator import *          # noqa: F401,F403
from .event_handler import *      # noqa: F401,F403
from .batch_processor import *    # noqa: F401,F403
