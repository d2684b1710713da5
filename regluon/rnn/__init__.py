"""`mx.rnn`: MXNet 1.x's legacy symbolic RNN package: the cells (`LSTMCell`, `FusedRNNCell`,
`SequentialRNNCell`, ... whose `unroll` builds an mx.sym graph), checkpoint helpers, and the
bucketing data helpers (`encode_sentences`, `BucketSentenceIter`) for BucketingModule
language models."""
from . import rnn_cell, rnn_cell_stack, rnn, io
from .rnn_cell import *          # noqa: F401,F403
from .rnn_cell_stack import *    # noqa: F401,F403
from .rnn import *               # noqa: F401,F403
from .io import BucketSentenceIter, encode_sentences

__all__ = (rnn_cell.__all__ + rnn_cell_stack.__all__ + rnn.__all__
           + ['BucketSentenceIter', 'encode_sentences'])
