"""`gluon.nn`: layers. Placeholder; being written."""
