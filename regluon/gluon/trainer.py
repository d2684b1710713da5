"""Placeholder; being written."""
class Trainer: pass
