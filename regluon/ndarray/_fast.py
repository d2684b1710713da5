"""The optional C hot paths (`_fastop`, built from _fastop.c by setup.py): the module, or
None where it was not built (no C compiler) or REGLUON_PURE_PYTHON=1 is set (tests and
debugging). The Python code each one speeds up is its specification and its fallback."""
import os

if os.environ.get('REGLUON_PURE_PYTHON') == '1':
    _fastop = None
else:
    try:
        from . import _fastop
    except ImportError:
        _fastop = None
