"""mx.lr_scheduler. Placeholder; being written."""
