"""`mx.optimizer`. Placeholder; being written."""
