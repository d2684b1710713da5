"""Containers and basic layers: Sequential, Dense, Dropout, Embedding, Flatten, Lambda."""
import warnings

from ... import ndarray as nd
from ..block import Block, HybridBlock
from ...numpy import _mode as _npmode
from ..parameter import _indent
from .activations import Activation

__all__ = ['Sequential', 'HybridSequential', 'Dense', 'Dropout', 'Embedding', 'Flatten',
           'Lambda', 'HybridLambda', 'Identity']


class _SequentialMixin:
    """What Sequential and HybridSequential share: add, indexing, len and repr."""

    def add(self, *blocks):
        """Add blocks on top of the stack, in order."""
        for block in blocks:
            self.register_child(block)

    def __repr__(self):
        modstr = '\n'.join(['  ({key}): {block}'.format(key=key, block=_indent(repr(b), 2))
                            for key, b in self._children.items()])
        return '{name}(\n{modstr}\n)'.format(name=self.__class__.__name__, modstr=modstr)

    def __getitem__(self, key):
        layers = list(self._children.values())[key]
        if not isinstance(layers, list):
            return layers
        # MXNet: a slice is a new container of the same type and prefix over the same layers
        net = type(self)(prefix=self._prefix)
        with net.name_scope():
            net.add(*layers)
        return net

    def __len__(self):
        return len(self._children)


class Sequential(_SequentialMixin, Block):
    """Stack Blocks sequentially.

    Parameters
    ----------
    prefix : str
        Prefix of names in this block.
    params : ParameterDict
        Parameters to share.
    """

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)

    def forward(self, x):
        for block in self._children.values():
            x = block(x)
        return x

    def hybridize(self, active=True, **kwargs):
        """Hybridize the children; warns that HybridSequential would suit HybridBlocks."""
        if self._children and all(isinstance(c, HybridBlock) for c in self._children.values()):
            warnings.warn(
                "All children of this Sequential layer '%s' are HybridBlocks. Consider "
                "using HybridSequential for the best performance." % self.prefix, stacklevel=2)
        super().hybridize(active, **kwargs)


class HybridSequential(_SequentialMixin, HybridBlock):
    """Stack HybridBlocks sequentially.

    Parameters
    ----------
    prefix : str
        Prefix of names in this block.
    params : ParameterDict
        Parameters to share.
    """

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)

    def hybrid_forward(self, F, x):
        for block in self._children.values():
            x = block(x)
        return x


class Dense(HybridBlock):
    """A fully connected layer: `activation(dot(x, weight.T) + bias)`.

    Parameters
    ----------
    units : int
        Dimensionality of the output.
    activation : str
        Activation to use (see `Activation`); None for linear.
    use_bias : bool, default True
        Whether the layer has a bias.
    flatten : bool, default True
        Whether all input axes but the first are flattened into one.
    dtype : str or np.dtype, default 'float32'
        Data type of the parameters.
    weight_initializer : str or Initializer
        Initializer for the weight matrix.
    bias_initializer : str or Initializer, default 'zeros'
        Initializer for the bias.
    in_units : int, default 0
        Size of the input; 0 infers it on the first forward.
    """

    def __init__(self, units, activation=None, use_bias=True, flatten=True, dtype='float32',
                 weight_initializer=None, bias_initializer='zeros', in_units=0, **kwargs):
        super().__init__(**kwargs)
        self._flatten = flatten
        with self.name_scope():
            self._units = units
            self._in_units = in_units
            self.weight = self.params.get('weight', shape=(units, in_units),
                                          init=weight_initializer, dtype=dtype,
                                          allow_deferred_init=True)
            if use_bias:
                self.bias = self.params.get('bias', shape=(units,), init=bias_initializer,
                                            dtype=dtype, allow_deferred_init=True)
            else:
                self.bias = None
            self.act = Activation(activation, prefix=activation + '_') \
                if activation is not None else None

    def infer_shape(self, x, *args):
        in_units = x.size // x.shape[0] if self._flatten else x.shape[-1]
        self.weight.shape = (self._units, in_units)

    def hybrid_forward(self, F, x, weight, bias=None):
        out = F.FullyConnected(x, weight, bias, no_bias=bias is None, num_hidden=self._units,
                               flatten=self._flatten, name='fwd')
        return self.act(out) if self.act is not None else out

    def __repr__(self):
        shape = self.weight.shape
        return '{name}({layout}, {act})'.format(
            name=self.__class__.__name__, act=self.act if self.act else 'linear',
            layout='{0} -> {1}'.format(shape[1] if shape[1] else None, shape[0]))


class Dropout(HybridBlock):
    """Set a fraction `rate` of the input to 0 in training (scaling the rest by 1/(1-rate)).

    Parameters
    ----------
    rate : float
        Fraction of the input units to drop, in [0, 1].
    axes : tuple of int, default ()
        Axes on which the dropout mask is shared.
    """

    def __init__(self, rate, axes=(), **kwargs):
        super().__init__(**kwargs)
        self._rate = rate
        self._axes = axes

    def hybrid_forward(self, F, x):
        if self._rate > 0:
            return F.Dropout(x, p=self._rate, axes=self._axes, name='fwd', cudnn_off=False)
        if _npmode.np_tracing(F):     # MXNet's np-mode code copies with np.copy
            return F.np.copy(x.as_np_ndarray()).as_nd_ndarray()
        return F.identity(x)

    def __repr__(self):
        return '{name}(p = {rate}, axes={axes})'.format(
            name=self.__class__.__name__, rate=self._rate, axes=self._axes)


class Embedding(HybridBlock):
    """Map non-negative integers (indices) to dense vectors of a fixed size.

    Parameters
    ----------
    input_dim : int
        Size of the vocabulary (largest index + 1).
    output_dim : int
        Dimension of the dense embedding.
    dtype : str or np.dtype, default 'float32'
        Data type of the output embeddings.
    weight_initializer : Initializer
        Initializer for the embedding matrix.
    sparse_grad : bool
        The weight's gradient is a RowSparseNDArray of the rows looked up.
    """

    def __init__(self, input_dim, output_dim, dtype='float32', weight_initializer=None,
                 sparse_grad=False, **kwargs):
        super().__init__(**kwargs)
        self._kwargs = {'input_dim': input_dim, 'output_dim': output_dim,
                        'dtype': dtype, 'sparse_grad': sparse_grad}
        self.weight = self.params.get('weight', shape=(input_dim, output_dim),
                                      init=weight_initializer, dtype=dtype,
                                      allow_deferred_init=True,
                                      grad_stype='row_sparse' if sparse_grad else 'default')

    def hybrid_forward(self, F, x, weight):
        return F.Embedding(x, weight, name='fwd', **self._kwargs)

    def __repr__(self):
        return '{block_name}({input_dim} -> {output_dim}, {dtype})'.format(
            block_name=self.__class__.__name__, **self._kwargs)


class Flatten(HybridBlock):
    """Flatten the input to two dimensions (batch, everything else)."""

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def hybrid_forward(self, F, x):
        return F.flatten(x, **_npmode.node_hint(F, 'batch_flatten'))

    def __repr__(self):
        return self.__class__.__name__


class Lambda(Block):
    """Wrap a function (or the name of an `nd` operator) as a Block.

    Parameters
    ----------
    function : str or callable
        An `mx.nd` function name, or a function taking and returning NDArrays.
    """

    def __init__(self, function, prefix=None):
        super().__init__(prefix=prefix)
        if isinstance(function, str):
            assert hasattr(nd, function), \
                "Function name %s is not found in ndarray." % function
            self._func_impl = getattr(nd, function)
        elif callable(function):
            self._func_impl = function
        else:
            raise ValueError("Unrecognized function in lambda: {} of type {}"
                             .format(function, type(function)))

    def forward(self, *args):
        return self._func_impl(*args)

    def __repr__(self):
        return '{name}({function})'.format(name=self.__class__.__name__,
                                           function=self._func_impl.__name__)


class HybridLambda(HybridBlock):
    """Wrap a function `f(F, x, *args)` (or the name of an `nd` operator) as a HybridBlock.

    Parameters
    ----------
    function : str or callable
        An operator name, or a function of (F, x, *args).
    """

    def __init__(self, function, prefix=None):
        super().__init__(prefix=prefix)
        if isinstance(function, str):
            assert hasattr(nd, function), \
                "Function name %s is not found in symbol/ndarray." % function
            self._func = lambda F, *args: getattr(F, function)(*args)
            self._func_name = function
        elif callable(function):
            self._func = function
            self._func_name = function.__name__
        else:
            raise ValueError("Unrecognized function in lambda: {} of type {}"
                             .format(function, type(function)))

    def hybrid_forward(self, F, x, *args):
        return self._func(F, x, *args)

    def __repr__(self):
        return '{name}({function})'.format(name=self.__class__.__name__,
                                           function=self._func_name)


class Identity(HybridBlock):
    """Pass the input through unchanged (MXNet's gluon.contrib.nn.Identity)."""

    def __init__(self, prefix=None, params=None):
        super().__init__(prefix=prefix, params=params)

    def hybrid_forward(self, F, x):
        return x
