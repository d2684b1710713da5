"""`mx.image`: image decoding, resizing, cropping and augmentation on HWC NDArrays."""
from .image import *  # noqa: F401,F403
from .iter import *  # noqa: F401,F403
from .imageiter import *  # noqa: F401,F403
from .detection import *  # noqa: F401,F403
from . import detection  # noqa: F401
from . import detection as det  # noqa: F401
