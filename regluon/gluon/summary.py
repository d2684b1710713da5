"""`Block.summary`: each layer's output shape and parameter counts, printed as MXNet does."""
from collections import OrderedDict

from ..ndarray import NDArray

__all__ = ['print_summary']


def _shape_str(args):
    """Shapes of (nested) outputs in MXNet's format: '(2, 3)' or '(2, 3), [(4,), (5,)]'."""
    def shapes(a):
        if isinstance(a, (list, tuple)):
            return [shapes(x) for x in a]
        return a.shape if isinstance(a, NDArray) else a
    s = shapes(args)
    return str(s)[1:-1] if isinstance(s, list) else str(s)


def print_summary(block, inputs):
    """Run `block(*inputs)` with hooks recording each layer, then print the table."""
    from .block import HybridBlock
    from .nn.basic_layers import Sequential, HybridSequential
    summary = OrderedDict()
    seen = set()
    hooks = []

    def hook(blk, _, outputs):
        key = '%s-%i' % (blk.__class__.__name__, len(summary))
        row = summary[key] = {'output_shape': _shape_str(outputs), 'n_params': 0,
                              'trainable': 0, 'shared': 0}
        for p in blk.params.values():
            n = p.data().size
            row['n_params'] += n
            row['trainable'] += 0 if p.grad_req == 'null' else n
            if p in seen:
                row['shared'] += n
            else:
                seen.add(p)

    def register(blk):
        assert not isinstance(blk, HybridBlock) or not blk._active, \
            '"{}" must not be hybridized to print summary.'.format(blk.name)
        if not isinstance(blk, (Sequential, HybridSequential)):
            hooks.append(blk.register_forward_hook(hook))

    summary['Input'] = {'output_shape': _shape_str(inputs), 'n_params': 0,
                        'trainable': 0, 'shared': 0}
    try:
        block.apply(register)
        block(*inputs)
        line_format = '{:>20}  {:>42} {:>15}'
        print('-' * 80)
        print(line_format.format('Layer (type)', 'Output Shape', 'Param #'))
        print('=' * 80)
        total = trainable = shared = 0
        for layer, row in summary.items():
            print(line_format.format(layer, str(row['output_shape']), row['n_params']))
            total += row['n_params']
            trainable += row['trainable']
            shared += row['shared']
        print('=' * 80)
        print('Parameters in forward computation graph, duplicate included')
        print('   Total params: ' + str(total))
        print('   Trainable params: ' + str(trainable))
        print('   Non-trainable params: ' + str(total - trainable))
        print('Shared params in forward computation graph: ' + str(shared))
        print('Unique parameters in model: ' + str(total - shared))
        print('-' * 80)
    finally:
        for h in hooks:
            h.detach()
