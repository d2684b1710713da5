"""Golden figures for the English d2l.ai book's helper package (d2l==0.17.6, MXNet tab).

Run with the real MXNet 1.9.1:
    MXNET_SUBGRAPH_BACKEND=NONE $(../shared/tools/mxnet-ref.sh) tools/golden_d2l_en.py
Installs d2l==0.17.6 into that interpreter without its dependencies (if missing), runs
tests/compat_scripts/d2l_en_book.py in a scratch folder (it writes small files there) and
writes the script's JSON line to tests/golden/d2l_en_book.json, which tests/test_d2l_en.py
compares with what the same script prints under `regluon run`.
"""
import importlib.util
import json
import os
import subprocess
import sys
import tempfile

from golden_util import GOLDEN

SCRIPT = GOLDEN.parent / 'compat_scripts' / 'd2l_en_book.py'


def main():
    if importlib.util.find_spec('d2l') is None:
        subprocess.run([sys.executable, '-m', 'pip', 'install', '-q', '--no-deps',
                        'd2l==0.17.6'], check=True)
    with tempfile.TemporaryDirectory() as tmp:
        out = subprocess.run([sys.executable, str(SCRIPT)], cwd=tmp, capture_output=True,
                             text=True, check=True,
                             env=dict(os.environ, MXNET_SUBGRAPH_BACKEND='NONE',
                                      OMP_NUM_THREADS='1')).stdout
    figures = json.loads(out.strip().splitlines()[-1])
    with open(GOLDEN / 'd2l_en_book.json', 'w') as f:
        f.write('{\n' + ',\n'.join(f'{json.dumps(k)}: {json.dumps(figures[k])}'
                                   for k in sorted(figures)) + '\n}\n')   # a line a key
    print(f'wrote {GOLDEN / "d2l_en_book.json"}: {len(figures)} figures')


if __name__ == '__main__':
    main()
