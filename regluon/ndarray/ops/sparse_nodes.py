"""Two operators whose point is storage: `nd.contrib.SparseEmbedding` (MXNet's
`_contrib_SparseEmbedding`: an Embedding whose weight gradient is always row_sparse) and
`cast_storage` as a graph node (`mx.sym.cast_storage`; `nd.cast_storage` is
ndarray/sparse_create.py's, which makes the sparse arrays). Symbolic graphs do not track
storage types (docs/sparse.md), so the node passes its dense input through."""
from ...base import MXNetError
from ..register import op
from .nn import Embedding

_STYPES = ('default', 'csr', 'row_sparse')


@op(name='_contrib_SparseEmbedding')
def SparseEmbedding(data, weight=None, input_dim=None, output_dim=None, dtype='float32',
                    sparse_grad=False, deterministic=False):
    """Map integer indices to rows of `weight`; the weight's gradient is row_sparse (the
    rows looked up) whatever `sparse_grad` says, as in MXNet.

    Parameters
    ----------
    data : NDArray
        Indices (floats are truncated; out-of-range ones clipped), any shape.
    weight : NDArray
        The embedding matrix, (input_dim, output_dim).
    input_dim : int, required
    output_dim : int, required
    dtype : str, default 'float32'
    sparse_grad : bool, ignored (always sparse)
    deterministic : bool, ignored (torch's CPU gradient is deterministic)
    """
    return Embedding.__wrapped__(data, weight, input_dim, output_dim, dtype, sparse_grad=True)


@op(name='cast_storage')
def _cast_storage_node(data, stype=None):
    """The graph node of cast_storage: the dense value (graphs keep arrays dense)."""
    if stype not in _STYPES:
        raise MXNetError(f"cast_storage: stype must be one of {_STYPES}, got {stype!r}")
    return data
