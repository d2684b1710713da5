"""Placeholder; being written."""
class Parameter: pass
class Constant: pass
class ParameterDict: pass
class DeferredInitializationError: pass
