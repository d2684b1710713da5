"""`gluon.model_zoo.vision`: every model MXNet 1.9.1 ships, built by name with get_model."""
from .alexnet import *  # noqa: F401,F403
from .densenet import *  # noqa: F401,F403
from .inception import *  # noqa: F401,F403
from .mobilenet import *  # noqa: F401,F403
from .resnet import *  # noqa: F401,F403
from .squeezenet import *  # noqa: F401,F403
from .vgg import *  # noqa: F401,F403

_MODELS = {
    **{f'resnet{n}_v{v}': globals()[f'resnet{n}_v{v}'] for v in (1, 2)
       for n in (18, 34, 50, 101, 152)},
    **{f'vgg{n}{bn}': globals()[f'vgg{n}{bn}'] for n in (11, 13, 16, 19) for bn in ('', '_bn')},
    'alexnet': alexnet,  # noqa: F405
    'densenet121': densenet121, 'densenet161': densenet161,  # noqa: F405
    'densenet169': densenet169, 'densenet201': densenet201,  # noqa: F405
    'squeezenet1.0': squeezenet1_0, 'squeezenet1.1': squeezenet1_1,  # noqa: F405
    'inceptionv3': inception_v3,  # noqa: F405
    'mobilenet1.0': mobilenet1_0, 'mobilenet0.75': mobilenet0_75,  # noqa: F405
    'mobilenet0.5': mobilenet0_5, 'mobilenet0.25': mobilenet0_25,  # noqa: F405
    'mobilenetv2_1.0': mobilenet_v2_1_0, 'mobilenetv2_0.75': mobilenet_v2_0_75,  # noqa: F405
    'mobilenetv2_0.5': mobilenet_v2_0_5, 'mobilenetv2_0.25': mobilenet_v2_0_25,  # noqa: F405
}


def get_model(name, **kwargs):
    """A model of the zoo by name (`pretrained`, `classes`, `ctx`, `root` as keywords)."""
    name = name.lower()
    if name not in _MODELS:
        raise ValueError(f"Model {name} is not supported. Available options are\n\t"
                         + '\n\t'.join(sorted(_MODELS)))
    return _MODELS[name](**kwargs)
