"""`gluon.contrib`: the contrib layers MXNet's model zoo and users rely on."""
from . import nn
from . import cnn  # noqa: F401
from . import data  # noqa: F401
from . import rnn  # noqa: F401
from . import estimator  # noqa: F401
