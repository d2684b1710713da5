"""`mx.contrib.text`: token counting, vocabularies and token embeddings, as MXNet 1.9.1."""
from . import utils
from . import vocab
from . import embedding
