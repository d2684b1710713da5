"""mx.AttrScope: attributes given to every symbol created inside a `with` block (MXNet 1.x's
mxnet/attribute.py). Symbol creation (regluon/symbol/symbol.py) calls `current_attrs`."""
import threading
import warnings

# MXNet (c_api_symbolic.cc) stores these keys as `__key__` and reads them back by either name
HIDDEN_KEYS = ('ctx_group', 'lr_mult', 'wd_mult', 'force_mirroring', 'mirror_stage',
               'profiler_scope')


def hidden_name(key):
    """The key MXNet stores: `ctx_group` -> `__ctx_group__`; other keys as given."""
    return f'__{key}__' if key in HIDDEN_KEYS else key


def with_plain_names(attrs):
    """`attrs` as MXNet lists them: each hidden `__key__` also under its plain name."""
    out = dict(attrs)
    for key in HIDDEN_KEYS:
        if f'__{key}__' in attrs:
            out[key] = attrs[f'__{key}__']
    return out


class _ClassProperty:
    def __init__(self, fget, fset):
        self.fget, self.fset = fget, fset

    def __get__(self, obj, cls):
        return self.fget(cls)


class _Meta(type):
    def __setattr__(cls, key, value):
        prop = cls.__dict__.get(key)
        if isinstance(prop, _ClassProperty):
            return prop.fset(cls, value)
        return super().__setattr__(key, value)


class AttrScope(metaclass=_Meta):
    """Attribute manager for scoping: `with AttrScope(ctx_group='dev1'):` gives every symbol
    created inside those attributes (values must be strings)."""
    _current = threading.local()

    def __init__(self, **kwargs):
        self._old_scope = None
        for value in kwargs.values():
            if not isinstance(value, str):
                raise ValueError("Attributes need to be string")
        self._attr = kwargs

    def get(self, attr):
        """The scope's attributes updated with `attr` (those given at symbol creation)."""
        if self._attr:
            ret = self._attr.copy()
            if attr:
                ret.update(attr)
            return ret
        return attr if attr else {}

    def __enter__(self):
        if not hasattr(AttrScope._current, 'value'):
            AttrScope._current.value = AttrScope()
        self._old_scope = AttrScope._current.value
        attr = AttrScope._current.value._attr.copy()
        attr.update(self._attr)
        self._attr = attr
        AttrScope._current.value = self
        return self

    def __exit__(self, ptype, value, trace):
        assert self._old_scope
        AttrScope._current.value = self._old_scope

    def _get_current(cls):
        warnings.warn("AttrScope.current has been deprecated. "
                      "It is advised to use the `with` statement with AttrScope.",
                      DeprecationWarning)
        if not hasattr(AttrScope._current, 'value'):
            cls._current.value = AttrScope()
        return cls._current.value

    def _set_current(cls, val):
        warnings.warn("AttrScope.current has been deprecated. "
                      "It is advised to use the `with` statement with AttrScope.",
                      DeprecationWarning)
        cls._current.value = val

    current = _ClassProperty(_get_current, _set_current)


AttrScope._current.value = AttrScope()


def current_attrs(attr):
    """`attr` (given at symbol creation) merged over the current scope's attributes, with
    MXNet's hidden keys stored as `__key__`; `attr` itself when there are none."""
    scope = getattr(AttrScope._current, 'value', None)
    merged = scope.get(attr) if scope is not None else (attr or {})
    if not merged:
        return attr
    return {hidden_name(k): v for k, v in merged.items()}
