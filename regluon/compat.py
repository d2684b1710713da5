"""Run code written for MXNet unchanged: `import mxnet` (and every `mxnet.*` submodule)
resolves to regluon.

    import regluon.compat; regluon.compat.install()   # in a notebook or another program
    regluon run script.py [args...]                     # from the shell

`mxnet.X.Y` is `regluon.X.Y` when that module exists, otherwise the attribute `Y` of
`mxnet.X` when that is a module (e.g. `mxnet.nd` for `regluon.ndarray`); RENAMED lists the
few that live elsewhere (`mxnet.executor`).
"""
import builtins
import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import os
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


# MXNet modules that live elsewhere in regluon
RENAMED = {
    'executor': 'regluon.symbol.executor',
}


def _resolve(fullname):
    rest = fullname[len(ALIAS) + 1:]
    real = RENAMED.get(rest.replace('nd.', 'ndarray.', 1).replace('sym.', 'symbol.', 1),
                       'regluon' + fullname[len(ALIAS):])
    try:
        return importlib.import_module(real)
    except ModuleNotFoundError as e:
        # a missing regluon module (or parent package) is not an error yet: try an attribute
        if e.name != real and not real.startswith(f'{e.name}.'):
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
    """`regluon run script.py [args...]`: run a script as `python script.py [args...]` would
    (sys.argv, sys.path[0], `__name__ == '__main__'`, exit status, tracebacks), with
    `import mxnet` resolving to regluon."""
    if not argv or argv[0] in ('-h', '--help'):
        print("usage: regluon run SCRIPT.py [ARGS...]\n"
              "Runs a script written for MXNet, with `import mxnet` resolving to regluon.",
              file=sys.stderr)
        return 2
    script = argv[0]
    if not os.path.exists(script):
        print(f"regluon run: can't open file {os.path.abspath(script)!r}: "
              "[Errno 2] No such file or directory", file=sys.stderr)
        return 2
    install()
    path = os.path.abspath(script)
    sys.argv = list(argv)
    sys.path[0] = os.path.dirname(path)
    main = types.ModuleType('__main__')
    main.__file__, main.__spec__, main.__cached__ = path, None, None
    main.__loader__ = importlib.machinery.SourceFileLoader('__main__', path)
    main.__builtins__ = builtins
    previous = sys.modules['__main__']
    sys.modules['__main__'] = main
    try:
        with open(path, 'rb') as f:
            code = compile(f.read(), path, 'exec')
        # Running a script means executing its code, as python itself does; runpy would
        # instead make argv[0] and __file__ the same string and leave its frames in tracebacks.
        exec(code, main.__dict__)  # noqa: S102
    except SystemExit as e:
        return _exit_status(e.code)
    except BaseException as e:  # noqa: B902 -- python reports every uncaught exception
        tb = _script_frames(e.__traceback__)
        sys.excepthook(type(e), e.with_traceback(tb), tb)
        return 1
    finally:
        sys.modules['__main__'] = previous
    return 0


def _exit_status(code):
    """The process status for `sys.exit(code)`, printing a message code as python does."""
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    print(code, file=sys.stderr)
    return 1


def _script_frames(tb):
    """The traceback without this runner's frame (as `python script.py` prints it)."""
    while tb is not None and tb.tb_frame.f_code.co_filename == __file__:
        tb = tb.tb_next
    return tb
