"""Write regluon/symbol/op_inputs.json from MXNet 1.9.1's operator registry:

    MXNET_SUBGRAPH_BACKEND=NONE ~/.cache/mxnet-ref/bin/python tools/gen_op_inputs.py

For every registered operator: its arguments as `mx.operator.get_operator_arguments` gives
them (names, types), and which array inputs MXNet's compose gives it when they are missing
(the `<name>_<input>` variables): the inputs a node made with default settings has, and for
each boolean or enumerated setting whose value changes that, the inputs each value gives.
Operators with a variable number of inputs (`NDArray-or-Symbol[]`) get no input table.
"""
import ctypes
import json
import os
import re

import mxnet as mx
from mxnet.base import _LIB, OpHandle, check_call, c_str
from mxnet._ctypes.symbol import _symbol_creator

OUT = os.path.join(os.path.dirname(os.path.abspath(__file__)), '..', 'regluon', 'symbol',
                   'op_inputs.json')


def dummy(atype):
    """A value for a required setting of type `atype` (to build a node), or None."""
    t = atype.split(',')[0].strip()
    enum = re.match(r"\{(.*)\}", atype)
    if enum:
        return enum.group(1).split(',')[0].strip().strip("'")
    if t.startswith('Shape') or t.startswith('tuple'):
        return '(1,)'
    if t in ('int', 'long', 'int (non-negative)', 'int or None', 'long (non-negative)'):
        return '1'
    if t in ('float', 'double', 'float or None', 'double or None'):
        return '1.0'
    if t == 'boolean':
        return 'False'
    if t == 'string':
        return 'x'
    return None


def settings(args):
    """Settings to build a node with: the required ones (shapes of 1, 2 and 3 dimensions),
    then every shape given (MXNet's Pooling checks its kernel when the node is made)."""
    for dims in (1, 2, 3):
        for every_shape in (False, True):
            out = {}
            for n, t in zip(args.names, args.types):
                if t.startswith('NDArray'):
                    continue
                if t.startswith('Shape') and (every_shape or t.endswith('required')):
                    out[n] = str((1,) * dims)
                elif t.endswith('required'):
                    v = dummy(t)
                    if v is None:
                        return
                    out[n] = v
            yield out


def inputs_of(handle, params):
    """The array inputs (in order) of a node of this operator with settings `params`, or
    None if MXNet refuses the settings."""
    try:
        s = _symbol_creator(handle.value, None, {}, list(params), list(params.values()),
                            'op', False)
    except mx.MXNetError:
        return None
    return [n[len('op_'):] for n in s.list_inputs()]


def choices(atype):
    """The values to try for a setting that can change the inputs (booleans, enums)."""
    enum = re.match(r"\{(.*)\}", atype)
    if enum:
        return [v.strip().strip("'") for v in enum.group(1).split(',')]
    if atype.startswith('boolean'):
        return ['False', 'True']
    return []


def main():
    names = mx.operator.get_all_registered_operators()
    table = {}
    for name in sorted(names):
        args = mx.operator.get_operator_arguments(name)
        entry = {'names': args.names, 'types': args.types}
        table[name] = entry
        arrays = [n for n, t in zip(args.names, args.types) if t.startswith('NDArray')]
        if not arrays or any(t.startswith('NDArray') and t.endswith('[]') for t in args.types):
            continue
        handle = OpHandle()
        check_call(_LIB.NNGetOpHandle(c_str(name), ctypes.byref(handle)))
        base = None
        for required in settings(args):
            base = inputs_of(handle, required)
            if base is not None:
                break
        if base is not None:
            # an op's auxiliary states it does not declare (BatchNorm_v1) come last
            entry['inputs'] = arrays + [b for b in base if b not in arrays]
            entry['default'] = base
            cond = {}
            for n, t in zip(args.names, args.types):
                if t.startswith('NDArray'):
                    continue
                seen = {}
                for v in choices(t):
                    got = inputs_of(handle, {**required, n: v})
                    if got is not None:
                        seen[v] = got
                if len({tuple(g) for g in seen.values()}) > 1:
                    cond[n] = seen
            if cond:
                entry['when'] = cond
    with open(OUT, 'w', encoding='utf-8') as f:
        json.dump(table, f, indent=0, sort_keys=True)
        f.write('\n')
    print(len(table), 'operators,', sum('inputs' in e for e in table.values()), 'with inputs,',
          sum('when' in e for e in table.values()), 'conditional')


if __name__ == '__main__':
    main()
    os._exit(0)  # pylint: disable=protected-access
