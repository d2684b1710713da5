"""`gluon.contrib.nn`: Concurrent/HybridConcurrent (parallel branches, concatenated) and
Identity."""
from .basic_layers import Concurrent, HybridConcurrent, Identity
