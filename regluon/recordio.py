"""mx.recordio. Placeholder; being written."""
