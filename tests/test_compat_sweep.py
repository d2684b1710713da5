"""Regressions from running MXNet 1.9.1's own unit tests and examples on regluon: each case
of tests/golden/compat_sweep_cases.py against MXNet's values (written by
tools/golden_cases.py compat_sweep)."""
import sys

import numpy as np
import pytest

import regluon as mx
from conftest import case_tests

cases, G, test_case_matches_mxnet = case_tests('compat_sweep')


def test_star_and_module_names_mxnet_code_imports():
    # MXNet's autograd has no __all__: its test_autograd.py uses NDArray after a star import
    ns = {}
    exec('from regluon.autograd import *', ns)  # noqa: S102 (the form under test)
    assert ns['NDArray'] is mx.nd.NDArray and ns['Symbol'] is mx.sym.Symbol
    assert ns['array'] is mx.nd.array and ns['record'] is mx.autograd.record
    # mxnet.util's np-mode switches and env helpers are mx.npx's and test_utils'
    import regluon.util as util
    for name in ['set_np', 'reset_np', 'is_np_array', 'is_np_shape', 'use_np', 'np_shape']:
        assert getattr(util, name) is getattr(mx.npx, name), name
    assert util.getenv('HOME') == mx.test_utils.getenv('HOME')
    with pytest.raises(AttributeError, match='no_such'):
        util.no_such
    from regluon.base import py_str, integer_types, NotImplementedForSymbol
    assert py_str(b'ab') == 'ab' and isinstance(np.int64(3), integer_types)
    assert NotImplementedForSymbol is mx.sym.NotImplementedForSymbol


def test_context_default_ctx_is_the_current_context():
    # MXNet 1.x's deprecated class-level name, used by test_gluon_rnn and older scripts
    with pytest.warns(DeprecationWarning, match='default_ctx has been deprecated'):
        assert mx.Context.default_ctx == mx.cpu(0)
    with mx.cpu(2), pytest.warns(DeprecationWarning):
        assert mx.Context.default_ctx == mx.cpu(2) == mx.cpu(0).default_ctx


def test_top_level_np_mode_names():
    # MXNet 1.9's mxnet/__init__.py exports these from mxnet.util (test_ndarray uses
    # `with mx.np_shape(True):`)
    for name in ['is_np_shape', 'np_shape', 'use_np_shape', 'is_np_array', 'np_array',
                 'use_np_array', 'use_np']:
        assert getattr(mx, name) is getattr(mx.npx, name), name
    with mx.np_shape(True):
        assert mx.is_np_shape()
    assert not mx.is_np_shape()


def test_exit_with_profiler_running_is_clean(tmp_path):
    # MXNet's example/profiler scripts can end (or fail) with the profiler still running;
    # torch's profiler then crashed the interpreter at shutdown (SIGSEGV, rc -11)
    script = tmp_path / 'prof.py'
    script.write_text(
        "import regluon as mx\n"
        f"mx.profiler.set_config(profile_all=True, filename={str(tmp_path / 'p.json')!r})\n"
        "mx.profiler.set_state('run')\n"
        "(mx.nd.ones((3, 3)) * 2).wait_to_read()\n"
        "raise SystemExit(3)\n")
    import subprocess
    res = subprocess.run([sys.executable, str(script)], capture_output=True, timeout=120,
                         env={**__import__('os').environ, 'OMP_NUM_THREADS': '1'})
    assert res.returncode == 3, res.stderr.decode()[-500:]
