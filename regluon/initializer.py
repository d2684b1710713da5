"""`mx.init`: weight initializers, dispatched by parameter-name suffix as in MXNet 1.x.

An initializer is called as `init(InitDesc(name), arr)` and fills `arr` in place. Random
initializers draw from `mx.random` (torch's generator), so `mx.random.seed` repeats them.
"""
import json
import logging
import re
import warnings
from math import sqrt

import numpy as np

from . import ndarray as nd
from .ndarray.utils import load  # noqa: F401  (mx.init.load: MXNet's module imports nd.load)

__all__ = ['InitDesc', 'Initializer', 'register', 'alias', 'create', 'Load', 'Mixed',
           'Zero', 'One', 'Constant', 'Uniform', 'Normal', 'Orthogonal', 'Xavier',
           'MSRAPrelu', 'Bilinear', 'LSTMBias', 'FusedRNN']


class InitDesc(str):
    """A parameter name with the attributes that steer its initialization.

    Parameters
    ----------
    name : str
        Name of the variable.
    attrs : dict of str to str
        Attributes; `'__init__'` names an initializer that overrides the suffix rules.
    global_init : Initializer
        Global initializer to fall back to.
    """

    def __new__(cls, name, attrs=None, global_init=None):
        ret = super().__new__(cls, name)
        ret.attrs = attrs or {}
        ret.global_init = global_init
        return ret


def _fill(arr, value):
    """Write a scalar, numpy array or NDArray into `arr` (in place)."""
    if isinstance(value, nd.NDArray):
        value.copyto(arr)
    elif np.isscalar(value):
        nd.full(arr.shape, value, out=arr)
    else:
        nd.array(value, ctx=arr.context, dtype=arr.dtype).copyto(arr)


class Initializer:
    """The base class of an initializer: override `_init_weight` (and maybe `_init_bias`)."""

    def __init__(self, **kwargs):
        self._kwargs = kwargs
        self._verbose = False
        self._print_func = None

    def set_verbosity(self, verbose=False, print_func=None):
        """Switch logging of each initialized array on or off.

        Parameters
        ----------
        verbose : bool
            Switch on/off verbose mode.
        print_func : function
            Takes an NDArray and returns a str; defaults to its norm / sqrt(size).
        """
        self._verbose = verbose
        if print_func is None:
            def print_func(x):
                return str(float(np.linalg.norm(x.asnumpy())) / sqrt(x.size))
        self._print_func = print_func
        return self

    def _verbose_print(self, desc, init, arr):
        if self._verbose and self._print_func:
            logging.info('Initialized %s as %s: %s', desc, init, self._print_func(arr))

    def dumps(self):
        """The initializer as a JSON string, e.g. '["normal", {"sigma": 0.5}]'."""
        return json.dumps([self.__class__.__name__.lower(), self._kwargs])

    def __call__(self, desc, arr):
        """Initialize `arr` (an NDArray, in place) as `desc` (an InitDesc) asks.

        Parameters
        ----------
        desc : InitDesc
            Initialization pattern descriptor.
        arr : NDArray
            The array to be initialized.
        """
        if not isinstance(desc, InitDesc):
            self._legacy_init(desc, arr)
            return
        if desc.global_init is None:
            desc.global_init = self
        init = desc.attrs.get('__init__', '')
        if init:
            # MXNet: an explicit initializer (Gluon's Parameter.init, or the global one)
            # fills the array through its _init_weight whatever the name's suffix.
            create(init)._init_weight(desc, arr)
            self._verbose_print(desc, init, arr)
            return
        for suffix, method in _SUFFIXES:
            if desc.endswith(suffix):
                getattr(self, method)(desc, arr)
                self._verbose_print(desc, suffix, arr)
                return
        self._init_default(desc, arr)

    def _legacy_init(self, name, arr):
        """Initialize by name alone (MXNet's deprecated `init(str, NDArray)` form)."""
        warnings.warn("Calling initializer with init(str, NDArray) has been deprecated."
                      "please use init(mx.init.InitDesc(...), NDArray) instead.",
                      DeprecationWarning, stacklevel=3)
        if not isinstance(name, str):
            raise TypeError('name must be string')
        if not isinstance(arr, nd.NDArray):
            raise TypeError('arr must be NDArray')
        if name.startswith('upsampling'):
            self._init_bilinear(name, arr)
        elif name.startswith('stn_loc') and name.endswith('weight'):
            self._init_zero(name, arr)
        elif name.startswith('stn_loc') and name.endswith('bias'):
            _fill(arr, np.array([1.0, 0, 0, 0, 1.0, 0]))
        else:
            for suffix, method in _LEGACY_SUFFIXES:
                if name.endswith(suffix):
                    getattr(self, method)(name, arr)
                    return
            self._init_default(name, arr)

    def _init_bilinear(self, _, arr):
        _fill(arr, _bilinear(arr.shape))

    def _init_zero(self, _, arr):
        _fill(arr, 0.0)

    def _init_one(self, _, arr):
        _fill(arr, 1.0)

    def _init_bias(self, _, arr):
        _fill(arr, 0.0)

    def _init_gamma(self, _, arr):
        _fill(arr, 1.0)

    def _init_beta(self, _, arr):
        _fill(arr, 0.0)

    def _init_weight(self, name, arr):
        """Abstract method to initialize a weight."""
        raise NotImplementedError("Must override it")

    def _init_default(self, name, _):
        raise ValueError(
            'Unknown initialization pattern for %s. '
            'Default initialization is now limited to '
            '"weight", "bias", "gamma" (1.0), and "beta" (0.0).'
            'Please use mx.sym.Variable(init=mx.init.*) to set initialization pattern' % name)

    def __eq__(self, other):
        if not isinstance(other, Initializer):
            return NotImplemented
        return type(self) is type(other) and self._kwargs == other._kwargs

    __hash__ = object.__hash__


# Name suffix -> method, in MXNet's order (InitDesc path, then the legacy str path).
_SUFFIXES = [('weight', '_init_weight'), ('bias', '_init_bias'), ('gamma', '_init_gamma'),
             ('beta', '_init_beta'), ('min', '_init_zero'), ('max', '_init_one')]
_LEGACY_SUFFIXES = [('bias', '_init_bias'), ('gamma', '_init_gamma'), ('beta', '_init_beta'),
                    ('weight', '_init_weight'), ('moving_mean', '_init_zero'),
                    ('moving_var', '_init_one'), ('moving_inv_var', '_init_zero'),
                    ('moving_avg', '_init_zero'), ('min', '_init_zero'), ('max', '_init_one')]


def _bilinear(shape):
    """The bilinear-upsampling kernel MXNet's Bilinear initializer writes."""
    f = np.ceil(shape[3] / 2.)
    c = (2 * f - 1 - f % 2) / (2. * f)
    i = np.arange(int(np.prod(shape)))
    x, y = i % shape[3], (i // shape[3]) % shape[2]
    w = (1 - np.abs(x / f - c)) * (1 - np.abs(y / f - c))
    return w.astype('float32').reshape(shape)


# ---- registry: names -> classes, as mx.registry does for Initializer ----------------------
_REGISTRY = {}


def register(klass, name=None):
    """Register an Initializer subclass under its lower-cased class name (or `name`)."""
    if not (isinstance(klass, type) and issubclass(klass, Initializer)):
        raise AssertionError("Can only register subclass of Initializer")
    name = (name or klass.__name__).lower()
    if name in _REGISTRY:
        warnings.warn(f"New initializer {klass.__module__}.{klass.__name__} registered with "
                      f"name {name} is overriding existing initializer "
                      f"{_REGISTRY[name].__module__}.{_REGISTRY[name].__name__}",
                      UserWarning, stacklevel=2)
    _REGISTRY[name] = klass
    return klass


def alias(*aliases):
    """Class decorator registering an Initializer under further names."""
    def reg(klass):
        for name in aliases:
            register(klass, name)
        return klass
    return reg


def create(*args, **kwargs):
    """An Initializer from an instance, a registered name, or a JSON string from dumps()."""
    if args:
        name, args = args[0], args[1:]
    else:
        name = kwargs.pop('initializer')
    if isinstance(name, Initializer):
        if args or kwargs:
            raise AssertionError("initializer is already an instance. Additional arguments "
                                 "are invalid")
        return name
    if isinstance(name, dict):
        return create(**name)
    if not isinstance(name, str):
        raise AssertionError("initializer must be of string type")
    if name.startswith('['):
        name, kwargs = json.loads(name)
        return create(name, **kwargs)
    if name.startswith('{'):
        return create(**json.loads(name))
    name = name.lower()
    if name not in _REGISTRY:
        raise AssertionError(f"{name} is not registered. Please register with "
                             "initializer.register first")
    return _REGISTRY[name](*args, **kwargs)


class Load:
    """Initialize variables by loading them from a file or dict (`arg:`/`aux:` dropped).

    Parameters
    ----------
    param : str or dict of str to NDArray
        Parameter file or dict mapping name to NDArray.
    default_init : Initializer
        Used for names not found in `param`.
    verbose : bool
        Log where each variable came from.
    """

    def __init__(self, param, default_init=None, verbose=False):
        if isinstance(param, str):
            param = nd.load(param)
        assert isinstance(param, dict)
        self.param = {(k[4:] if k.startswith(('arg:', 'aux:')) else k): v
                      for k, v in param.items()}
        self.default_init = default_init
        self.verbose = verbose

    def __call__(self, name, arr):
        if name in self.param:
            assert arr.shape == self.param[name].shape, \
                'Parameter %s cannot be initialized from loading. ' % name + \
                'Shape mismatch, target %s vs loaded %s' % (str(arr.shape),
                                                            self.param[name].shape)
            _fill(arr, self.param[name])
            if self.verbose:
                logging.info('Initialized %s by loading', name)
        else:
            assert self.default_init is not None, \
                "Cannot Initialize %s. Not found in loaded param " % name + \
                "and no default Initializer is provided."
            self.default_init(name, arr)
            if self.verbose:
                logging.info('Initialized %s by default', name)


class Mixed:
    """Initialize each parameter with the first initializer whose regex matches its name.

    Parameters
    ----------
    patterns : list of str
        Regular expressions matching parameter names.
    initializers : list of Initializer
        The initializers for `patterns`, in the same order.
    """

    def __init__(self, patterns, initializers):
        assert len(patterns) == len(initializers)
        self.map = list(zip([re.compile(p) for p in patterns], initializers))

    def __call__(self, name, arr):
        for prog, init in self.map:
            if prog.match(name):
                init(name, arr)
                return
        raise ValueError(f'Parameter name {name} did not match any pattern. Consider '
                         'add a ".*" pattern at the and with default Initializer.')


@register
@alias('zeros')
class Zero(Initializer):
    """Initialize weights to zero."""

    def _init_weight(self, _, arr):
        _fill(arr, 0)


@register
@alias('ones')
class One(Initializer):
    """Initialize weights to one."""

    def _init_weight(self, _, arr):
        _fill(arr, 1)


@register
class Constant(Initializer):
    """Initialize weights to a value (a scalar, or an array of the parameter's shape).

    Parameters
    ----------
    value : float or NDArray
        Value to set.
    """

    def __init__(self, value):
        super().__init__(value=value)
        self.value = value

    def _init_weight(self, _, arr):
        _fill(arr, self.value)

    def dumps(self):
        val = self._kwargs['value']
        if not np.isscalar(val):
            self._kwargs['value'] = (val.tolist() if isinstance(val, np.ndarray)
                                     else val.asnumpy().tolist())
        return json.dumps([self.__class__.__name__.lower(), self._kwargs])


def _draw_dtype(arr):
    """The samplers' dtype for filling `arr`: its own, or float32 for others (bfloat16)."""
    return arr.dtype if arr.dtype in (np.float16, np.float32, np.float64) else 'float32'


def _uniform(arr, scale):
    nd.random.uniform(-scale, scale, arr.shape, dtype=_draw_dtype(arr), ctx=arr.context,
                      out=arr)


def _normal(arr, sigma):
    nd.random.normal(0, sigma, arr.shape, dtype=_draw_dtype(arr), ctx=arr.context, out=arr)


@register
class Uniform(Initializer):
    """Initialize weights uniformly from [-scale, scale].

    Parameters
    ----------
    scale : float, default 0.07
        The bound of the range.
    """

    def __init__(self, scale=0.07):
        super().__init__(scale=scale)
        self.scale = scale

    def _init_weight(self, _, arr):
        _uniform(arr, self.scale)


@register
class Normal(Initializer):
    """Initialize weights from a normal distribution with mean 0 and std `sigma`.

    Parameters
    ----------
    sigma : float, default 0.01
        Standard deviation.
    """

    def __init__(self, sigma=0.01):
        super().__init__(sigma=sigma)
        self.sigma = sigma

    def _init_weight(self, _, arr):
        _normal(arr, self.sigma)


@register
class Orthogonal(Initializer):
    """Initialize weights as an orthogonal matrix (Saxe et al., arXiv:1312.6120).

    Parameters
    ----------
    scale : float, default 1.414
        Scaling factor of the weight.
    rand_type : {'uniform', 'normal'}
        The random matrix that is orthogonalized.
    """

    def __init__(self, scale=1.414, rand_type='uniform'):
        super().__init__(scale=scale, rand_type=rand_type)
        self.scale = scale
        self.rand_type = rand_type

    def _init_weight(self, _, arr):
        nout, nin = arr.shape[0], int(np.prod(arr.shape[1:]))
        if self.rand_type == 'uniform':
            tmp = nd.random.uniform(-1.0, 1.0, shape=(nout, nin)).asnumpy()
        elif self.rand_type == 'normal':
            tmp = nd.random.normal(0.0, 1.0, shape=(nout, nin)).asnumpy()
        else:
            raise ValueError(f"Orthogonal: rand_type must be 'uniform' or 'normal', "
                             f"got {self.rand_type!r}")
        u, _, v = np.linalg.svd(tmp, full_matrices=False)   # one-off, not a hot path
        res = u if u.shape == tmp.shape else v
        _fill(arr, self.scale * res.reshape(arr.shape))


@register
class Xavier(Initializer):
    """"Xavier" initialization: keeps the scale of gradients about the same in all layers.

    The range is c = sqrt(magnitude / factor), factor from fan_in/fan_out per `factor_type`.

    Parameters
    ----------
    rnd_type : {'uniform', 'gaussian'}, default 'uniform'
        Random generator type.
    factor_type : {'avg', 'in', 'out'}, default 'avg'
        How the fans make the factor.
    magnitude : float, default 3
        Scale of the random numbers.
    """

    def __init__(self, rnd_type='uniform', factor_type='avg', magnitude=3):
        super().__init__(rnd_type=rnd_type, factor_type=factor_type, magnitude=magnitude)
        self.rnd_type = rnd_type
        self.factor_type = factor_type
        self.magnitude = float(magnitude)

    def _init_weight(self, name, arr):
        shape = arr.shape
        if len(shape) < 2:
            raise ValueError('Xavier initializer cannot be applied to vector {0}. It requires at'
                             ' least 2D.'.format(name))
        # MXNet's Xavier multiplies both fans by the kernel's spatial size.
        hw_scale = float(np.prod(shape[2:])) if len(shape) > 2 else 1.
        fan_in, fan_out = shape[1] * hw_scale, shape[0] * hw_scale
        factors = {'avg': (fan_in + fan_out) / 2.0, 'in': fan_in, 'out': fan_out}
        if self.factor_type not in factors:
            raise ValueError("Incorrect factor type")
        scale = np.sqrt(self.magnitude / factors[self.factor_type])
        if self.rnd_type == 'uniform':
            _uniform(arr, scale)
        elif self.rnd_type == 'gaussian':
            _normal(arr, scale)
        else:
            raise ValueError("Unknown random type")


@register
class MSRAPrelu(Xavier):
    """Gaussian Xavier for PReLU/ReLU nets (He et al., arXiv:1502.01852).

    Parameters
    ----------
    factor_type : {'avg', 'in', 'out'}, default 'avg'
        How the fans make the factor.
    slope : float, default 0.25
        Initial slope of any PReLU (or similar) nonlinearities.
    """

    def __init__(self, factor_type='avg', slope=0.25):
        super().__init__('gaussian', factor_type, 2. / (1 + slope ** 2))
        self._kwargs = {'factor_type': factor_type, 'slope': slope}


@register
class Bilinear(Initializer):
    """Initialize weights for upsampling layers with a bilinear kernel."""

    def _init_weight(self, _, arr):
        _fill(arr, _bilinear(arr.shape))


@register
class LSTMBias(Initializer):
    """Initialize LSTM biases to 0 except the forget gate's, set to `forget_bias`.

    Parameters
    ----------
    forget_bias : float, default 1.0
        Bias for the forget gate.
    """

    def __init__(self, forget_bias=1.0):
        super().__init__(forget_bias=forget_bias)
        self.forget_bias = forget_bias

    def _init_weight(self, name, arr):
        n = int(arr.shape[0] / 4)
        value = np.zeros(arr.shape, dtype='float32')
        value[n:2 * n] = self.forget_bias
        _fill(arr, value)


@register
class FusedRNN(Initializer):
    """Initialize the flat parameter vector of an `mx.rnn.FusedRNNCell`: each unpacked
    weight and bias by `init` (or the global initializer), LSTM forget biases to
    `forget_bias`.

    Parameters
    ----------
    init : Initializer or str or None
        Initializer of the unpacked arrays; None falls back to the global one.
    num_hidden, num_layers, mode, bidirectional, forget_bias :
        The FusedRNNCell's arguments.
    """

    def __init__(self, init, num_hidden, num_layers, mode, bidirectional=False,
                 forget_bias=1.0):
        if isinstance(init, str):
            klass, kwargs = json.loads(init)
            init = _REGISTRY[klass.lower()](**kwargs)
        super().__init__(init=init.dumps() if init is not None else None,
                         num_hidden=num_hidden, num_layers=num_layers, mode=mode,
                         bidirectional=bidirectional, forget_bias=forget_bias)
        self._init, self._cell_args = init, (num_hidden, num_layers, mode, bidirectional)
        self._forget_bias = forget_bias

    def _init_weight(self, desc, arr):
        from .rnn.rnn_cell import FusedRNNCell
        cell = FusedRNNCell(*self._cell_args, forget_bias=self._forget_bias, prefix='')
        args = cell.unpack_weights({'parameters': arr})
        for name in args:
            arg_desc = InitDesc(name, global_init=desc.global_init)
            if self._cell_args[2] == 'lstm' and name.endswith('_f_bias'):
                args[name][:] = self._forget_bias
            elif self._init is None:
                desc.global_init(arg_desc, args[name])
            else:
                self._init(arg_desc, args[name])
        arr[:] = cell.pack_weights(args)['parameters']
