"""`gluon.contrib.rnn`: MXNet's contrib recurrent cells (LSTMPCell, VariationalDropoutCell,
the convolutional RNN/LSTM/GRU cells)."""
from ...rnn.rnn_cell import LSTMPCell  # noqa: F401
from .rnn_cell import VariationalDropoutCell  # noqa: F401
from .conv_rnn_cell import *  # noqa: F401,F403
from .conv_rnn_cell import __all__ as _conv_all

__all__ = ['LSTMPCell', 'VariationalDropoutCell'] + _conv_all
