"""`gluon.contrib.nn`: Concurrent/HybridConcurrent (parallel branches, concatenated),
Identity, PixelShuffle1D/2D/3D and SyncBatchNorm (one device)."""
from .basic_layers import (Concurrent, HybridConcurrent, Identity, PixelShuffle1D,
                           PixelShuffle2D, PixelShuffle3D, SyncBatchNorm)
from .sparse_layers import SparseEmbedding  # noqa: E402,F401
