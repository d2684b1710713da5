"""`gluon.contrib.rnn`: MXNet's contrib recurrent cells (LSTMPCell)."""
from ...rnn.rnn_cell import LSTMPCell  # noqa: F401

__all__ = ['LSTMPCell']
