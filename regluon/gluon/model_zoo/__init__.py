"""`gluon.model_zoo`. Placeholder; being written."""
