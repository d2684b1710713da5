"""`gluon.rnn`: fused recurrent layers (RNN, LSTM, GRU) and recurrent cells."""
from .rnn_cell import (RecurrentCell, HybridRecurrentCell, RNNCell, LSTMCell,  # noqa: F401
                       GRUCell, SequentialRNNCell, HybridSequentialRNNCell, DropoutCell,
                       ModifierCell, ZoneoutCell, ResidualCell, BidirectionalCell)
from .rnn_layer import RNN, LSTM, GRU  # noqa: F401
