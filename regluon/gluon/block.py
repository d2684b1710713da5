"""Placeholder; being written."""
class Block: pass
class HybridBlock: pass
class SymbolBlock: pass
