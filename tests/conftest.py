"""Shared test helpers: golden data written by the real MXNet 1.9.1 (see tools/golden_*.py)."""
import os
import pathlib

import numpy as np
import pytest

GOLDEN = pathlib.Path(__file__).parent / 'golden'


def golden(name):
    """The arrays of `tests/golden/<name>.npz` as a dict (never unpickled)."""
    with np.load(GOLDEN / f'{name}.npz', allow_pickle=False) as f:
        return {k: f[k] for k in f.files}


def case_tests(name):
    """(cases module, golden dict, test) for the case-list golden `name`: the cases of
    tests/golden/<name>_cases.py, MXNet's values from tests/golden/<name>.npz (written by
    tools/golden_cases.py <name>), and a pytest test that checks each case against them
    (tests/golden/case_tools.py). A test module binds the test as test_case_matches_mxnet."""
    import importlib  # pylint: disable=import-outside-toplevel
    import sys  # pylint: disable=import-outside-toplevel
    if str(GOLDEN) not in sys.path:
        sys.path.insert(0, str(GOLDEN))
    import regluon as mx  # pylint: disable=import-outside-toplevel
    from case_tools import check  # pylint: disable=import-outside-toplevel
    cases, values = importlib.import_module(f'{name}_cases'), golden(name)

    @pytest.mark.parametrize('name', sorted(cases.CASES))
    def test_case_matches_mxnet(name):
        check(cases, values, mx, name)
    return cases, values, test_case_matches_mxnet


@pytest.fixture
def tmp(tmp_path):
    return tmp_path


os.environ.setdefault('OMP_NUM_THREADS', '2')


def pip_install(*args, why='PyPI unreachable?'):
    """pip-install into this interpreter (the packages some compat tests run: d2lzh, d2l,
    gluoncv, gluonnlp, all --no-deps); skip the test when that cannot be done here."""
    import subprocess  # pylint: disable=import-outside-toplevel
    import sys  # pylint: disable=import-outside-toplevel
    try:
        r = subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', '--retries', '1',
                            '--timeout', '30', '--disable-pip-version-check', *args],
                           capture_output=True, text=True, timeout=600)
    except subprocess.TimeoutExpired:
        pytest.skip(f"installing {' '.join(args)} took over 10 minutes ({why})")
    if r.returncode:
        pytest.skip(f"cannot install {' '.join(args)} ({why}): "
                    f"{r.stderr.strip().splitlines()[-1:]}")


@pytest.fixture(scope='session')
def d2lzh():
    """The MXNet edition's d2lzh 1.0.0, installed --no-deps (it would pull mxnet), with
    IPython < 9 (its use_svg_display needs it); skips when it cannot be installed."""
    import importlib.metadata  # pylint: disable=import-outside-toplevel

    def version(dist):
        try:
            return importlib.metadata.version(dist)
        except importlib.metadata.PackageNotFoundError:
            return None
    if version('d2lzh') is None:
        pip_install('--no-deps', 'd2lzh==1.0.0')
    ipython = version('ipython')
    if ipython is None or int(ipython.split('.')[0]) >= 9:
        pip_install('ipython<9')
