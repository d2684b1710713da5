"""mx.metric. Placeholder; being written."""
