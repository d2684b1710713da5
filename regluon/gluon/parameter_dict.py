"""`ParameterDict`: a dictionary of Gluon Parameters, with sharing, init and save/load."""
from collections import OrderedDict

import numpy as np

from .. import initializer
from .. import ndarray as nd
from .parameter import Parameter, Constant, _indent, _brief_print_list

__all__ = ['ParameterDict']


class ParameterDict:
    """A dictionary of Parameters, named `prefix + name`.

    Parameters
    ----------
    prefix : str, default ''
        Prepended to the names of Parameters created by `get`.
    shared : ParameterDict or None
        Looked up by `get` before a new Parameter is made (parameter sharing).
    """

    def __init__(self, prefix='', shared=None):
        self._prefix = prefix
        self._params = OrderedDict()
        self._shared = shared

    def __repr__(self):
        name = self._prefix + ' ' if self._prefix else ''
        content = '\n'.join([_indent('  {0}'.format(v), 2) for v in self.values()])
        return '{name}(\n{content}\n)'.format(name=name, content=content)

    def __getitem__(self, key):
        return self._params[key]

    def __iter__(self):
        return iter(self._params)

    def __len__(self):
        return len(self._params)

    def __contains__(self, key):
        return key in self._params

    def items(self):
        """(name, Parameter) pairs, in insertion order."""
        return self._params.items()

    def keys(self):
        """The full Parameter names, in insertion order."""
        return self._params.keys()

    def values(self):
        """The Parameters, in insertion order."""
        return self._params.values()

    @property
    def prefix(self):
        """Prefix of this dict, prepended to the names of Parameters made by `get`."""
        return self._prefix

    def _get_impl(self, name):
        if name in self._params:
            return self._params[name]
        if self._shared is not None and name in self._shared._params:
            self._params[name] = self._shared._params[name]
            return self._shared._params[name]
        return None

    def get(self, name, **kwargs):
        """The Parameter `prefix + name`: found here, in the shared dict, or made anew.

        Parameters
        ----------
        name : str
            Name of the desired Parameter, without this dict's prefix.
        **kwargs : dict
            Arguments of Parameter; checked against (or merged into) an existing one.
        """
        name = self.prefix + name
        param = self._get_impl(name)
        if param is None:
            param = Parameter(name, **kwargs)
            self._params[name] = param
            return param
        for k, v in kwargs.items():
            existing = getattr(param, k, None)
            if existing is None:
                setattr(param, k, v)
                continue
            if k == 'shape' and len(v) == len(existing):
                if all(a == b or a <= 0 or b <= 0 for a, b in zip(v, existing)):
                    # unknown (0) dims on either side are filled from the other
                    param._shape = tuple(b if a <= 0 else a for a, b in zip(v, existing))
                    continue
            elif k == 'dtype' and np.dtype(v) == np.dtype(existing):
                continue
            if v is not None and v != existing:
                raise AssertionError(
                    "Cannot retrieve Parameter '%s' because desired attribute does not match "
                    "with stored for attribute '%s': desired '%s' vs stored '%s'." % (
                        name, k, str(v), str(existing)))
        return param

    def get_constant(self, name, value=None):
        """The Constant `prefix + name`: found here, in the shared dict, or made from `value`.

        Parameters
        ----------
        name : str
            Name of the desired Constant, without this dict's prefix.
        value : array-like
            Initial value of a new constant.
        """
        name = self.prefix + name
        param = self._get_impl(name)
        if param is None:
            if value is None:
                raise KeyError("No constant named '{}'. Please specify value "
                               "if you want to create a new constant.".format(name))
            param = Constant(name, value)
            self._params[name] = param
        elif value is not None:
            if not isinstance(param, Constant):
                raise AssertionError(
                    "Parameter '{}' already exists but it is not a constant.".format(name))
            value = value.asnumpy() if isinstance(value, nd.NDArray) else np.asarray(value)
            if param.shape != value.shape or not (param.value.asnumpy() == value).all():
                raise AssertionError("Constant '{}' already exists but it's value doesn't "
                                     "match new value".format(name))
        return param

    def update(self, other):
        """Copy all Parameters of `other` (a dict-like of name -> Parameter) into self."""
        for k, v in other.items():
            if k in self._params and self._params[k] is not v:
                raise AssertionError("Cannot update self with other because they have "
                                     "different Parameters with the same name '%s'" % k)
        for k, v in other.items():
            self._params[k] = v

    def initialize(self, init=initializer.Uniform(), ctx=None, verbose=False,
                   force_reinit=False):
        """Initialize all Parameters (those with their own `init` keep it).

        Parameters
        ----------
        init : Initializer, default Uniform(0.07)
            Global default Initializer.
        ctx : Context or list of Context
            Keep a copy of the Parameters on each of these contexts.
        verbose : bool, default False
            Log each initialization.
        force_reinit : bool, default False
            Re-initialize Parameters that already are.
        """
        if verbose:
            init.set_verbosity(verbose=verbose)
        for v in self.values():
            v.initialize(None, ctx, init, force_reinit=force_reinit)

    def zero_grad(self):
        """Set all Parameters' gradient buffers to 0."""
        for p in self.values():
            p.zero_grad()

    def reset_ctx(self, ctx):
        """Move all Parameters to other contexts.

        Parameters
        ----------
        ctx : Context or list of Context, default current_context()
            The new contexts.
        """
        for p in self.values():
            p.reset_ctx(ctx)

    def list_ctx(self):
        """All contexts the Parameters are initialized on."""
        s = set()
        for p in self.values():
            s.update(p.list_ctx())
        return list(s)

    def setattr(self, name, value):
        """Set attribute `name` of every Parameter, e.g. setattr('grad_req', 'null').

        Parameters
        ----------
        name : str
            Name of the attribute.
        value : valid type for attribute name
            The new value.
        """
        for p in self.values():
            setattr(p, name, value)

    def save(self, filename, strip_prefix=''):
        """Save the Parameters to `filename` in MXNet's format, under their full names.

        Parameters
        ----------
        filename : str
            Path to the parameter file.
        strip_prefix : str, default ''
            Removed from the front of every name before saving.
        """
        arg_dict = {}
        for param in self.values():
            weight = param._reduce()
            if not param.name.startswith(strip_prefix):
                raise ValueError(
                    "Prefix '%s' is to be striped before saving, but Parameter's "
                    "name '%s' does not start with '%s'. "
                    "this may be due to your Block shares parameters from other "
                    "Blocks or you forgot to use 'with name_scope()' when creating "
                    "child blocks." % (strip_prefix, param.name, strip_prefix))
            arg_dict[param.name[len(strip_prefix):]] = weight
        nd.save(filename, arg_dict)

    def load(self, filename, ctx=None, allow_missing=False, ignore_extra=False,
             restore_prefix='', cast_dtype=False, dtype_source='current'):
        """Load Parameters saved by `save` from `filename`.

        Parameters
        ----------
        filename : str
            Path to the parameter file.
        ctx : Context or list of Context
            Contexts to initialize loaded Parameters on.
        allow_missing : bool, default False
            Skip Parameters absent from the file instead of failing.
        ignore_extra : bool, default False
            Skip names in the file that are not in this dict instead of failing.
        restore_prefix : str, default ''
            Prepended to the stored names before matching.
        cast_dtype : bool, default False
            Cast loaded arrays to the Parameters' dtype (or the reverse, see dtype_source).
        dtype_source : {'current', 'saved'}, default 'current'
            Which dtype wins when cast_dtype is True.
        """
        if restore_prefix:
            for name in self.keys():
                if not name.startswith(restore_prefix):
                    raise AssertionError(
                        "restore_prefix is '%s' but Parameters name '%s' does not start "
                        "with '%s'." % (restore_prefix, name, restore_prefix))
        self.load_dict(nd.load(filename), ctx, allow_missing, ignore_extra, restore_prefix,
                       filename, cast_dtype, dtype_source)

    def load_dict(self, param_dict, ctx=None, allow_missing=False, ignore_extra=False,
                  restore_prefix='', filename=None, cast_dtype=False, dtype_source='current'):
        """Load Parameters from a dict of name -> NDArray (`arg:`/`aux:` prefixes dropped).

        Parameters
        ----------
        param_dict : dict
            Names to arrays.
        ctx, allow_missing, ignore_extra, restore_prefix, cast_dtype, dtype_source
            As in `load`.
        filename : str, default None
            Named in error messages.
        """
        lprefix = len(restore_prefix)
        loaded = [(k[4:] if k.startswith(('arg:', 'aux:')) else k, v)
                  for k, v in param_dict.items()] if isinstance(param_dict, dict) else param_dict
        arg_dict = {restore_prefix + k: v for k, v in loaded}
        error_str = "file: %s" % (filename) if filename else "param_dict"
        if not allow_missing:
            for name in self.keys():
                if name not in arg_dict:
                    raise AssertionError(
                        "Parameter '%s' is missing in %s, which contains parameters: %s. "
                        "Please make sure source and target networks have the same prefix." % (
                            name[lprefix:], error_str, _brief_print_list(arg_dict.keys())))
        for name in arg_dict:
            if name not in self._params:
                if not ignore_extra:
                    raise AssertionError(
                        "Parameter '%s' loaded from %s is not present in ParameterDict, "
                        "choices are: %s. Set ignore_extra to True to ignore. "
                        "Please make sure source and target networks have the same prefix." % (
                            name[lprefix:], error_str, _brief_print_list(self._params.keys())))
                continue
            self[name]._load_init(arg_dict[name], ctx, cast_dtype=cast_dtype,
                                  dtype_source=dtype_source, filename=filename)
