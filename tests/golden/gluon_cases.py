"""The Gluon networks built the same way under the real MXNet 1.9.1 (tools/golden_gluon.py,
which writes the goldens) and under regluon (tests/test_gluon_block.py and
tests/test_gluon_parameter.py, which compare with them). Names depend on the global name
counter, so each builder is one construction sequence; `use(mx)` binds the library.
"""
nd = nn = gluon = name = None
MLP = ScopedMLP = MyDense = None


def use(mx):
    """Build with `mx` (regluon, or the real mxnet)."""
    global nd, nn, gluon, name, MLP, ScopedMLP, MyDense  # pylint: disable=global-statement
    nd, nn, gluon, name = mx.nd, mx.gluon.nn, mx.gluon, mx.name
    MLP, ScopedMLP, MyDense = _blocks()


def _blocks():
    """The user-defined Blocks of the cases, subclassing the bound library's."""
    class MLP(nn.Block):  # the seed's MLP
        def __init__(self, **kwargs):
            super(MLP, self).__init__(**kwargs)
            self.hidden = nn.Dense(256, activation='relu')
            self.output = nn.Dense(10)

        def forward(self, x):
            return self.output(self.hidden(x))

    class ScopedMLP(nn.HybridBlock):
        def __init__(self, **kwargs):
            super().__init__(**kwargs)
            with self.name_scope():
                self.hidden = nn.Dense(4, activation='tanh')
                self.output = nn.Dense(2)

        def hybrid_forward(self, F, x):
            return self.output(self.hidden(x))

    class MyDense(nn.Block):  # d2l's custom layer: a Block holding its own Parameters
        def __init__(self, units, in_units, **kwargs):
            super().__init__(**kwargs)
            self.weight = self.params.get('weight', shape=(in_units, units))
            self.bias = self.params.get('bias', shape=(units,))

        def forward(self, x):
            return nd.relu(nd.dot(x, self.weight.data()) + self.bias.data())
    return MLP, ScopedMLP, MyDense


def fresh():
    """A fresh global name counter, as at the start of a process."""
    name.NameManager._current.value = name.NameManager()


def named_blocks():
    """From a fresh counter: the blocks whose names, prefixes and reprs are compared."""
    fresh()
    a, b = nn.Dense(3), nn.Dense(3)
    mlp = MLP()
    seq = nn.Sequential()
    seq.add(nn.Dense(8, activation='relu'), nn.Dropout(0.5), nn.BatchNorm())
    hs = nn.HybridSequential(prefix='model_')
    with hs.name_scope():
        hs.add(nn.Dense(8), ScopedMLP(), nn.Activation('tanh'), nn.Dense(2))
    nested = nn.Sequential()
    with nested.name_scope():
        nested.add(MLP())
    shared = nn.Dense(8, activation='relu')
    sharer = nn.Dense(8, activation='relu', params=shared.params)
    return [a, b, mlp, seq, hs, nested, shared, sharer]


def named_layers():
    """Right after named_blocks(): one of each layer, for reprs and names."""
    return [nn.Dense(3, in_units=4), nn.Dense(3, use_bias=False, activation='sigmoid'),
            nn.Dropout(0.3), nn.Dropout(0.3, axes=(1,)), nn.Embedding(10, 4), nn.Flatten(),
            nn.BatchNorm(), nn.BatchNorm(in_channels=3, scale=False),
            nn.LayerNorm(), nn.InstanceNorm(in_channels=2), nn.GroupNorm(2),
            nn.Activation('relu'), nn.LeakyReLU(0.1), nn.PReLU(), nn.ELU(), nn.SELU(),
            nn.GELU(), nn.Swish(), nn.Lambda('relu'), nn.HybridLambda('tanh'),
            nn.Conv2D(8, 3), nn.Conv2D(8, (3, 5), strides=2, padding=1, in_channels=4,
                                       activation='relu', use_bias=False),
            nn.Conv1D(4, 3, dilation=2, groups=2, in_channels=2), nn.Conv3D(2, 1),
            nn.Conv2DTranspose(4, 3, strides=2, output_padding=1),
            nn.MaxPool2D(), nn.MaxPool2D((2, 3), padding=(1, 2), strides=(2, 3)),
            nn.AvgPool1D(3, ceil_mode=True), nn.AvgPool2D(count_include_pad=False),
            nn.GlobalAvgPool2D(), nn.GlobalMaxPool1D(), nn.ReflectionPad2D(2)]


def slice_net():
    """Right after named_layers(): the HybridSequential that is sliced."""
    seq2 = nn.HybridSequential()
    seq2.add(nn.Dense(2), nn.Dense(3), nn.Dense(4))
    return seq2


def symbol_net():
    """From a fresh counter: the net called on a Symbol."""
    fresh()
    snet = nn.HybridSequential()
    with snet.name_scope():
        snet.add(nn.Dense(4, activation='relu'), nn.BatchNorm(), nn.Dense(2))
    return snet


def custom_blocks():
    """From a fresh counter: (MyDense, a bare ParameterDict with one Parameter)."""
    fresh()
    dense = MyDense(units=3, in_units=5)
    pd = gluon.ParameterDict()
    pd.get('param2', shape=(2, 3))
    return dense, pd


def serial_net():
    """From a fresh counter: the uninitialized net whose parameters MXNet saved."""
    fresh()
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Dense(3, in_units=4), nn.BatchNorm(in_channels=3))
        inner = nn.HybridSequential()
        with inner.name_scope():
            inner.add(nn.Dense(2, in_units=3, use_bias=False))
        net.add(inner)
    return net


def model_net():
    """The net of Block.save / Block.load (the counter is left as it is)."""
    net = nn.HybridSequential()
    with net.name_scope():
        inner = nn.HybridSequential()
        with inner.name_scope():
            inner.add(nn.Dense(2, in_units=3, activation='tanh'))
        net.add(nn.Dense(3, in_units=2), inner)
    return net


def summary_net():
    """From a fresh counter: the uninitialized net whose summary is compared."""
    fresh()
    snet = nn.HybridSequential()
    # in_units/in_channels given: MXNet's summary of deferred layers prints Symbols (a bug)
    shared = nn.Dense(3, in_units=3, activation='relu')
    snet.add(nn.Dense(3, in_units=3, activation='relu'), nn.BatchNorm(in_channels=3),
             shared, nn.Dense(3, in_units=3, params=shared.params), nn.Dense(2, in_units=3))
    return snet


def shared_net():
    """From a fresh counter: a Dense whose parameters serve two layers, uninitialized."""
    fresh()
    net = nn.Sequential()
    shared = nn.Dense(3, in_units=3, activation='relu')
    net.add(shared, nn.Dense(3, in_units=3, activation='relu', params=shared.params),
            nn.Dense(2, in_units=3))
    return net


def export_net():
    """From a fresh counter: the uninitialized net that MXNet exported."""
    fresh()
    net = nn.HybridSequential()
    with net.name_scope():
        net.add(nn.Dense(4, in_units=3, activation='relu'), nn.BatchNorm(in_channels=4),
                nn.Dense(2, in_units=4))
    return net
