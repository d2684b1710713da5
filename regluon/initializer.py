"""`mx.init`. Placeholder; being written."""
