"""`gluon.data`. Placeholder; being written."""
