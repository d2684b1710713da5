"""The installed package carries its data files: every non-Python file under regluon/ is
named by pyproject.toml's package-data (a wheel without regluon/symbol/op_inputs.json
could not build symbols)."""
import fnmatch
import pathlib
import tomllib

ROOT = pathlib.Path(__file__).resolve().parent.parent
BUILT = ('.py', '.pyc', '.so', '.pyd', '.c')     # code, byte code and the C extension


def test_every_data_file_is_package_data():
    config = tomllib.loads((ROOT / 'pyproject.toml').read_text())
    package_data = config['tool']['setuptools']['package-data']
    missing = []
    for path in (ROOT / 'regluon').rglob('*'):
        if not path.is_file() or path.suffix in BUILT or '__pycache__' in path.parts:
            continue
        rel = path.relative_to(ROOT)
        covered = False
        for package, patterns in package_data.items():
            pkg_dir = ROOT / package.replace('.', '/')
            if pkg_dir in path.parents:
                inner = path.relative_to(pkg_dir).as_posix()
                covered |= any(fnmatch.fnmatch(inner, p) for p in patterns)
        if not covered:
            missing.append(str(rel))
    assert not missing, f"not in [tool.setuptools.package-data]: {missing}"
