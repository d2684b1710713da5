"""Goldens for amp.convert_symbol / convert_model from MXNet 1.9.1: the converted graphs'
JSON (with amp nodes), the converted parameters' dtypes and the converted models' outputs
(bfloat16 runs on MXNet's CPU build), plus MXNet's errors.

    MXNET_SUBGRAPH_BACKEND=NONE ~/.cache/mxnet-ref/bin/python tools/golden_amp_convert.py
"""
import json
import re

import mxnet as mx

from golden_util import GOLDEN, case_module, error, save
from mxnet.contrib import amp

cases = case_module('amp_convert_cases')


def main():
    graphs = {name: cases.graph_json(amp.convert_symbol(cases.fresh(mx, build), **kw))
              for name, build, kw in cases.CONVERT}
    models, arrays = [], {}
    for k, (name, kw) in enumerate(cases.MODELS):
        csym, cargs, cauxs, dtypes, inputs = cases.convert_model(mx, name, kw)
        run = error(lambda: cases.run_model(mx, name, csym, cargs, cauxs, inputs))
        models.append({'json': cases.graph_json(csym), 'dtypes': dtypes, 'run': run})
        if run['type'] is None:      # MXNet's CPU build runs bfloat16, not float16 gemm
            outs = cases.run_model(mx, name, csym, cargs, cauxs, inputs)
            for i, o in enumerate(outs):
                arrays[f'model{k}_out{i}'] = o
        # the float32 model, for the regluon side's float32 path
        sym, args, auxs, inputs = cases.params(mx, name)
        exe = sym.bind(mx.cpu(), {**args, **{n: mx.nd.array(v) for n, v in inputs.items()}},
                       aux_states=auxs)
        for i, o in enumerate(exe.forward()):
            arrays[f'model{k}_fp32_{i}'] = o.asnumpy()
    blocks = []
    for k, kw in enumerate(cases.BLOCKS):
        block, dtypes, graph, x, arrays[f'block{k}_fp32'] = cases.hybrid_block(mx, kw)
        run = error(lambda: block(x).asnumpy())
        blocks.append({'json': graph, 'dtypes': dtypes, 'run': run})
        if run['type'] is None:
            arrays[f'block{k}_out'] = block(x).astype('float32').asnumpy()
    graphs_b, dtypes_b, outs_b = cases.bucketing(mx, {'target_dtype': 'bfloat16',
                                                      'cast_optional_params': True})
    arrays['bucketing_out'] = outs_b[0]
    bucketing = {'json': graphs_b, 'dtypes': dtypes_b}
    d = mx.sym.var('data')
    errors = {
        'not_symbol': error(lambda: amp.convert_symbol(d.list_arguments())),
        'dtype': error(lambda: amp.convert_symbol(d, target_dtype='float64')),
        'both_lists': error(lambda: amp.convert_symbol(
            d, target_dtype_ops=['FullyConnected'], fp32_ops=['FullyConnected'])),
        'unknown_op': error(lambda: amp.convert_symbol(d, fp32_ops=['NoSuchOp'])),
        'fp32_not_list': error(lambda: amp.convert_symbol(d, fp32_ops='exp')),
        'shared_input': error(lambda: amp.convert_symbol(cases.shared_input(mx))),
        'model_args': error(lambda: amp.convert_model(d, [], {})),
    }
    for e in errors.values():         # MXNet's log time, so that a re-run writes the same file
        e['msg'] = re.sub(r'\[\d\d:\d\d:\d\d\] ', '', e['msg'])
    lists = {t: {f.__name__: getattr(amp, f.__name__)(t if t == 'float16' else amp.amp.bfloat16)
                 for f in (amp.list_lp16_ops, amp.list_fp32_ops, amp.list_lp16_fp32_ops,
                           amp.list_widest_type_cast, amp.list_loss_output_functions,
                           amp.list_conditional_fp32_ops)}
             for t in ('float16', 'bfloat16')}
    with open(GOLDEN / 'amp_convert.json', 'w') as f:
        json.dump({'graphs': graphs, 'models': models, 'errors': errors, 'lists': lists,
                   'blocks': blocks, 'bucketing': bucketing}, f, sort_keys=True)
    save('amp_convert', arrays)


if __name__ == '__main__':
    main()
