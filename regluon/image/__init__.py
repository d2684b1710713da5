"""`mx.image`. Placeholder; being written."""
