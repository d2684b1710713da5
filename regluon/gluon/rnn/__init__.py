"""`gluon.rnn`: fused recurrent layers (RNN, LSTM, GRU) and recurrent cells."""
from .rnn_layer import RNN, LSTM, GRU  # noqa: F401
