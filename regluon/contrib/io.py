"""`mx.contrib.io`: `DataLoaderIter`, a gluon DataLoader seen as an mx.io.DataIter, so that
Module code (`fit`, `score`, `predict`) can read from a DataLoader."""
from .. import ndarray as nd
from ..io import DataDesc, DataIter

__all__ = ['DataLoaderIter']


class DataLoaderIter(DataIter):
    """An `mx.io.DataIter` over a `gluon.data.DataLoader` of (data, label) batches.

    Parameters
    ----------
    loader : mxnet.gluon.data.DataLoader
        Gluon dataloader instance; each batch is a (data, label) pair.
    data_name : str, optional
        The data name.
    label_name : str, optional
        The label name.
    dtype : str, optional
        The dtype specifier, can be float32 or float16
    """

    def __init__(self, loader, data_name='data', label_name='softmax_label', dtype='float32'):
        super().__init__()
        self._loader = loader
        # as MXNet: the first batch fixes batch_size and the shapes provided
        data, label = next(iter(loader))
        self.batch_size = data.shape[0]
        self.dtype = dtype
        self.provide_data = [DataDesc(data_name, data.shape, dtype)]
        self.provide_label = [DataDesc(label_name, label.shape, dtype)]
        self._current_batch = None
        self.reset()

    def reset(self):
        self._iter = iter(self._loader)

    def iter_next(self):
        self._current_batch = next(self._iter, None)
        return self._current_batch is not None

    def _padded(self, arr):
        """`arr` cast to dtype; a short last batch is padded to batch_size rows."""
        arr = arr.astype(self.dtype)
        if not self.getpad():
            return [arr]
        # MXNet fills an nd.empty of the default dtype (float32), whatever `dtype` is; the
        # padding rows are unspecified there, zeros here.
        ret = nd.zeros((self.batch_size,) + tuple(arr.shape[1:]), ctx=arr.context)
        ret[:arr.shape[0]] = arr
        return [ret]

    def getdata(self):
        return self._padded(self._current_batch[0])

    def getlabel(self):
        return self._padded(self._current_batch[1])

    def getpad(self):
        return self.batch_size - self._current_batch[0].shape[0]

    def getindex(self):
        return None
