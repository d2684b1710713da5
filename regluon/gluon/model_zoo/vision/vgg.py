"""VGG 11/13/16/19 (Simonyan & Zisserman 2014), with and without BatchNorm."""
from ... import nn
from ...block import HybridBlock
from ....initializer import Xavier
from ._common import load_pretrained

__all__ = ['VGG', 'get_vgg'] + [f'vgg{n}{bn}' for n in (11, 13, 16, 19) for bn in ('', '_bn')]


class VGG(HybridBlock):
    """`features` (conv blocks and two dense layers) then the `output` Dense."""

    def __init__(self, layers, filters, classes=1000, batch_norm=False, **kwargs):
        super().__init__(**kwargs)
        assert len(layers) == len(filters)
        with self.name_scope():
            self.features = nn.HybridSequential(prefix='')
            for i, num in enumerate(layers):
                for _ in range(num):
                    # MXNet's zoo initialises these convs with Xavier(gaussian, out, 2).
                    self.features.add(nn.Conv2D(
                        filters[i], kernel_size=3, padding=1, bias_initializer='zeros',
                        weight_initializer=Xavier(rnd_type='gaussian', factor_type='out',
                                                  magnitude=2)))
                    if batch_norm:
                        self.features.add(nn.BatchNorm())
                    self.features.add(nn.Activation('relu'))
                self.features.add(nn.MaxPool2D(strides=2))
            for _ in range(2):
                self.features.add(nn.Dense(4096, activation='relu', weight_initializer='normal',
                                           bias_initializer='zeros'))
                self.features.add(nn.Dropout(rate=0.5))
            self.output = nn.Dense(classes, weight_initializer='normal',
                                   bias_initializer='zeros')

    def hybrid_forward(self, F, x):
        return self.output(self.features(x))


vgg_spec = {11: ([1, 1, 2, 2, 2], [64, 128, 256, 512, 512]),
            13: ([2, 2, 2, 2, 2], [64, 128, 256, 512, 512]),
            16: ([2, 2, 3, 3, 3], [64, 128, 256, 512, 512]),
            19: ([2, 2, 4, 4, 4], [64, 128, 256, 512, 512])}


def get_vgg(num_layers, pretrained=False, ctx=None, root=None, **kwargs):
    """VGG with `num_layers` (11, 13, 16, 19); `batch_norm=True` for the _bn variants."""
    layers, filters = vgg_spec[num_layers]
    net = VGG(layers, filters, **kwargs)
    name = f"vgg{num_layers}{'_bn' if kwargs.get('batch_norm') else ''}"
    return load_pretrained(net, name, pretrained, ctx, root)


def _factory(num_layers, bn):
    def make(**kwargs):
        if bn:
            kwargs['batch_norm'] = True
        return get_vgg(num_layers, **kwargs)
    make.__name__ = f"vgg{num_layers}{'_bn' if bn else ''}"
    return make


for _n in (11, 13, 16, 19):
    globals()[f'vgg{_n}'] = _factory(_n, False)
    globals()[f'vgg{_n}_bn'] = _factory(_n, True)
