"""`mx.io`: data iterators (NDArrayIter, MNISTIter, CSVIter, ImageRecordIter, ...)."""
from .io import DataDesc, DataBatch, DataIter, ResizeIter, PrefetchingIter, NDArrayIter
from .io import _init_data
from .native import MXDataIter, MNISTIter, CSVIter, ImageRecordIter, ImageRecordUInt8Iter
from .libsvm import LibSVMIter
from .image_record import ImageRecordInt8Iter, ImageRecordIter_v1, ImageRecordUInt8Iter_v1
from .det_record import ImageDetRecordIter
from . import io
from . import native
