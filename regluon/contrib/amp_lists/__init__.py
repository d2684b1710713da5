"""MXNet 1.9.1's AMP operator lists (contrib/amp/lists), as data."""
from . import symbol_fp16, symbol_bf16  # noqa: F401
