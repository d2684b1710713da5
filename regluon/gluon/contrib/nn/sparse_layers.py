"""`gluon.contrib.nn.SparseEmbedding`: an Embedding whose weight gradient is row_sparse."""
from .... import ndarray as nd
from ...block import Block

__all__ = ['SparseEmbedding']


class SparseEmbedding(Block):
    """Turns non-negative integers into dense vectors; the gradient w.r.t. the weight is a
    RowSparseNDArray of the rows looked up (SGD, Adam and AdaGrad update only those rows).

    Parameters
    ----------
    input_dim : int
        Size of the vocabulary.
    output_dim : int
        Dimension of the dense embedding.
    dtype : str or np.dtype, default 'float32'
    weight_initializer : Initializer
    """

    def __init__(self, input_dim, output_dim, dtype='float32', weight_initializer=None,
                 **kwargs):
        super().__init__(**kwargs)
        self._kwargs = {'input_dim': input_dim, 'output_dim': output_dim,
                        'dtype': dtype, 'sparse_grad': True}
        # MXNet stores the weight row_sparse and pulls the rows a batch uses from the
        # kvstore; here it is dense (row_sparse_data gives the variable itself)
        self.weight = self.params.get('weight', shape=(input_dim, output_dim),
                                      init=weight_initializer, dtype=dtype,
                                      grad_stype='row_sparse', stype='row_sparse')

    def forward(self, x):  # pylint: disable=arguments-differ
        weight = self.weight.row_sparse_data(x)
        return nd.Embedding(x, weight, name='fwd', **self._kwargs)

    def __repr__(self):
        return '{block_name}({input_dim} -> {output_dim}, {dtype})'.format(
            block_name=self.__class__.__name__, **self._kwargs)
