"""`mx.registry`: per-base-class registries of named classes, with MXNet's register, alias
and create factories (GluonNLP builds its dataset, model and sampler registries on them)."""
import json
import warnings

_REGISTRY = {}


def _table(base_class):
    return _REGISTRY.setdefault(base_class, {})


def get_registry(base_class):
    """A copy of the name -> class table registered for `base_class`."""
    return _table(base_class).copy()


def get_register_func(base_class, nickname):
    """A function `register(klass, name=None)` that records a subclass of `base_class` under
    its lower-cased name (default: the class name), warning when it replaces another."""
    registry = _table(base_class)

    def register(klass, name=None):
        assert issubclass(klass, base_class), \
            f"Can only register subclass of {base_class.__name__}"
        name = (klass.__name__ if name is None else name).lower()
        if name in registry:
            old = registry[name]
            warnings.warn(
                f"\033[91mNew {nickname} {klass.__module__}.{klass.__name__} registered with "
                f"name {name} isoverriding existing {nickname} {old.__module__}."
                f"{old.__name__}\033[0m", UserWarning, stacklevel=2)
        registry[name] = klass
        return klass

    register.__doc__ = f"Register {nickname} to the {nickname} factory"
    return register


def get_alias_func(base_class, nickname):
    """A decorator factory `alias(*names)` registering a class under each of `names`."""
    register = get_register_func(base_class, nickname)

    def alias(*aliases):
        def reg(klass):
            for name in aliases:
                register(klass, name)
            return klass
        return reg
    return alias


def get_create_func(base_class, nickname):
    """A function `create(name_or_instance, *args, **kwargs)` building a registered class
    from its name (case-insensitive), a dict config, or a JSON string `'["name", {kwargs}]'`
    / `'{"nickname": name, ...}'`; an instance is returned as is."""
    registry = _table(base_class)

    def create(*args, **kwargs):
        if args:
            name, args = args[0], args[1:]
        else:
            name = kwargs.pop(nickname)
        if isinstance(name, base_class):
            assert not args and not kwargs, \
                f"{nickname} is already an instance. Additional arguments are invalid"
            return name
        if isinstance(name, dict):
            return create(**name)
        assert isinstance(name, str), f"{nickname} must be of string type"
        if name.startswith('['):
            assert not args and not kwargs
            name, kwargs = json.loads(name)
            return create(name, **kwargs)
        if name.startswith('{'):
            assert not args and not kwargs
            return create(**json.loads(name))
        name = name.lower()
        assert name in registry, \
            f"{name} is not registered. Please register with {nickname}.register first"
        return registry[name](*args, **kwargs)

    create.__doc__ = (f"Create a {nickname} instance from config: a registered name, a dict, "
                      f"a JSON string or a {base_class.__name__} instance (returned as is).")
    return create
