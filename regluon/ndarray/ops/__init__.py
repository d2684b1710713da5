"""Operator families. Each module registers its kernels with `@op` when imported."""
