"""Write tests/golden/ops_shape.npz from the real MXNet 1.9.1 (run with its interpreter).

    PY=$(../shared/tools/mxnet-ref.sh); $PY tools/golden_ops_shape.py

Runs every case of tests/golden/ops_shape_cases.py (OPS, INDEXING, GRADS) and stores, per
case: the result `r` (each output of a list), the input `x` afterwards (to see writes and
views), or the exception type; for GRADS the gradient of each variable.
"""
import pathlib
import sys

import numpy as np
import mxnet as mx

ROOT = pathlib.Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / 'tests' / 'golden'))
import ops_shape_cases as cases  # noqa: E402


def inputs():
    return {name: eval(src, {'nd': mx.nd}) for name, src in cases.INPUTS.items()}


def run(src):
    """Run one case; returns {'r0': ..., 'x': ...} or {'err': type name}."""
    env = {'nd': mx.nd, 'np': np, 'mx': mx, **inputs()}
    out = {}
    try:
        exec(src, env)
        r = env.get('r')
        rs = [] if r is None else (r if isinstance(r, list) else [r])
        for j, a in enumerate(rs):
            out[f'r{j}'] = a.asnumpy()         # async MXNet errors surface here
        out['x'] = env['x'].asnumpy()
        if isinstance(r, list):
            out['list'] = np.array(len(r))
    except Exception as e:  # pylint: disable=broad-except
        return {'err': np.array(type(e).__name__)}
    return out


def run_grad(src, names):
    env = {'nd': mx.nd, 'np': np, 'mx': mx, **inputs()}
    variables = [env[n] for n in names.split()]
    for v in variables:
        v.attach_grad()
    with mx.autograd.record():
        exec(src, env)
    heads = env['r'] if isinstance(env['r'], list) else [env['r']]
    mx.autograd.backward(heads, [mx.nd.arange(1, h.size + 1).reshape(h.shape) for h in heads])
    return {f'g{i}': v.grad.asnumpy() for i, v in enumerate(variables)}


def main():
    data = {}
    for table in ('OPS', 'INDEXING'):
        rows = getattr(cases, table)
        data[f'{table}_src'] = np.array(rows)
        for i, src in enumerate(rows):
            for k, a in run(src).items():
                data[f'{table}_{i}_{k}'] = a
    data['GRADS_src'] = np.array([src for src, _ in cases.GRADS])
    for i, (src, names) in enumerate(cases.GRADS):
        for k, a in run_grad(src, names).items():
            data[f'GRADS_{i}_{k}'] = a
    path = ROOT / 'tests' / 'golden' / 'ops_shape.npz'
    np.savez_compressed(path, **data)
    print(f'wrote {path} ({len(data)} arrays)')


if __name__ == '__main__':
    main()
