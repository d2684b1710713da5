"""`mx.rnn`: MXNet 1.x's legacy symbolic RNN package: the cells (`LSTMCell`, `FusedRNNCell`,
`SequentialRNNCell`, `ConvLSTMCell`, ... whose `unroll` builds an mx.sym graph), checkpoint
helpers, and the bucketing data helpers (`encode_sentences`, `BucketSentenceIter`) for
BucketingModule language models."""
from . import rnn_cell, io   # mx.rnn.rnn_cell, mx.rnn.io as in MXNet
from .rnn_cell import RNNParams, BaseRNNCell, RNNCell, LSTMCell, GRUCell, FusedRNNCell
from .rnn_cell_stack import (SequentialRNNCell, BidirectionalCell, DropoutCell, ModifierCell,
                             ZoneoutCell, ResidualCell)
from .rnn_cell_conv import BaseConvRNNCell, ConvRNNCell, ConvLSTMCell, ConvGRUCell
from .rnn import rnn_unroll, save_rnn_checkpoint, load_rnn_checkpoint, do_rnn_checkpoint
from .io import BucketSentenceIter, encode_sentences
from ..model import save_checkpoint, load_checkpoint  # noqa: F401  (re-exported, as MXNet's mx.rnn)

__all__ = ['rnn_cell', 'io', 'RNNParams', 'BaseRNNCell', 'RNNCell', 'LSTMCell', 'GRUCell',
           'FusedRNNCell', 'SequentialRNNCell', 'BidirectionalCell', 'DropoutCell',
           'ModifierCell', 'ZoneoutCell', 'ResidualCell', 'BaseConvRNNCell', 'ConvRNNCell',
           'ConvLSTMCell', 'ConvGRUCell', 'rnn_unroll', 'save_rnn_checkpoint',
           'load_rnn_checkpoint', 'do_rnn_checkpoint', 'BucketSentenceIter', 'encode_sentences']
