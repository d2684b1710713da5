"""`gluon.contrib.data`: IntervalSampler and the WikiText language-model datasets."""
from . import text  # noqa: F401
from .sampler import *  # noqa: F401,F403
from .sampler import __all__  # noqa: F401
