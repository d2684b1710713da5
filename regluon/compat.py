"""Run code written for MXNet unchanged: `import mxnet` (and every `mxnet.*` submodule)
resolves to regluon.

    import regluon.compat; regluon.compat.install()   # in a notebook or another program
    regluon run script.py [args...]                     # from the shell

`mxnet.X.Y` is `regluon.X.Y` when that module exists, otherwise the attribute `Y` of
`mxnet.X` when that is a module (e.g. `mxnet.nd` for `regluon.ndarray`).
"""
import importlib
import importlib.abc
import importlib.util
import sys
import types

ALIAS = 'mxnet'


class _Finder(importlib.abc.MetaPathFinder, importlib.abc.Loader):
    """Maps `mxnet[.x]` imports onto the regluon modules of the same path."""

    def find_spec(self, fullname, path=None, target=None):
        if fullname != ALIAS and not fullname.startswith(ALIAS + '.'):
            return None
        if _resolve(fullname) is None:
            return None
        return importlib.util.spec_from_loader(fullname, self)

    def create_module(self, spec):
        return None

    def exec_module(self, module):
        # The import system returns whatever sys.modules holds after exec_module, so the
        # placeholder module is replaced by the real regluon module (whose __spec__ stays).
        sys.modules[module.__name__] = _resolve(module.__name__)


def _resolve(fullname):
    real = 'regluon' + fullname[len(ALIAS):]
    try:
        return importlib.import_module(real)
    except ModuleNotFoundError as e:
        if e.name != real:
            raise
    parent, _, attr = fullname.rpartition('.')
    if not parent:
        return None
    mod = getattr(_resolve(parent), attr, None)
    return mod if isinstance(mod, types.ModuleType) else None


_FINDER = _Finder()


def install():
    """Make `import mxnet` give regluon in this process.

    Raises ImportError if the real MXNet is already imported: the two cannot share names.
    """
    current = sys.modules.get(ALIAS)
    if current is not None and not getattr(current, '__name__', '').startswith('regluon'):
        raise ImportError(
            "the real mxnet is already imported in this process, so regluon cannot take its "
            "name; call regluon.compat.install() before anything imports mxnet, or use "
            "`import regluon as mx` directly")
    if _FINDER not in sys.meta_path:
        sys.meta_path.insert(0, _FINDER)
    import regluon
    sys.modules[ALIAS] = regluon
    return regluon


def uninstall():
    """Undo install(): forget the `mxnet` names (modules already imported keep theirs)."""
    if _FINDER in sys.meta_path:
        sys.meta_path.remove(_FINDER)
    for name in [n for n in sys.modules if n == ALIAS or n.startswith(ALIAS + '.')]:
        if getattr(sys.modules[name], '__name__', '').startswith('regluon'):
            del sys.modules[name]


def run(argv):
    """`regluon run script.py [args...]`: run a script as python would, with the alias."""
    import runpy
    if not argv or argv[0] in ('-h', '--help'):
        print("usage: regluon run SCRIPT.py [ARGS...]\n"
              "Runs a script written for MXNet, with `import mxnet` resolving to regluon.",
              file=sys.stderr)
        return 2
    install()
    script = argv[0]
    sys.argv = list(argv)
    sys.path.insert(0, __import__('os').path.dirname(__import__('os').path.abspath(script)))
    try:
        runpy.run_path(script, run_name='__main__')
    except SystemExit as e:
        return e.code if isinstance(e.code, int) else (0 if e.code is None else 1)
    return 0
