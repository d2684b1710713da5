"""`mx.rnn`: the bucketing data helpers of MXNet's legacy RNN package (`encode_sentences`,
`BucketSentenceIter`), for BucketingModule language models. The symbolic cells of
`mx.rnn` are not provided: build per-bucket graphs with mx.sym (e.g. mx.sym.RNN)."""
from .io import BucketSentenceIter, encode_sentences

__all__ = ['BucketSentenceIter', 'encode_sentences']
