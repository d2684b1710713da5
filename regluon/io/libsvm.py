"""`mx.io.LibSVMIter`: batches of LibSVM-format files as CSRNDArrays (mx.nd.sparse).

Each line is `label index:value index:value ...` with zero-based, ascending indices (MXNet's
variant of the format). The data of a batch is a CSRNDArray of shape
(batch_size,) + data_shape; the label is dense (batch_size,), or, read from `label_libsvm`,
a CSRNDArray of shape (batch_size,) + label_shape. As in MXNet, only round_batch=True is
supported: the last batch is completed from the start, and the next epoch goes on after the
examples borrowed (native._BatchLoader's rules).
"""
import os

import numpy as np
import torch

from ..base import MXNetError
from ..ndarray.ndarray import _box
from ..ndarray.sparse import CSRNDArray
from .native import _BatchLoader, _kwargs_only

__all__ = ['LibSVMIter']


class LibSVMIter(_BatchLoader):
    """Batches of a LibSVM file as csr data and dense (or csr) labels.

    Parameters
    ----------
    data_libsvm : str
        The file, or a folder whose files are read in name order.
    data_shape : tuple
        (num_features,).
    label_libsvm : str, optional
        A LibSVM file of labels (its own first column ignored); labels are then csr.
    label_shape : tuple, default (1,)
    batch_size : int
    round_batch : bool, default True
        Must be True, as in MXNet.
    num_parts, part_index : int, default 1, 0
        Read only part `part_index` of `num_parts` (split by lines here).
    """

    def __init__(self, *args, data_libsvm, data_shape, batch_size, label_libsvm=None,
                 label_shape=(1,), round_batch=True, num_parts=1, part_index=0,
                 data_name='data', label_name='softmax_label', **_ignored):
        _kwargs_only('LibSVMIter', args)
        if not round_batch:
            raise MXNetError("LibSVMIter: sparse batch loader doesn't support "
                             "round_batch == false yet")
        self._shape, self._lshape = tuple(data_shape), tuple(label_shape)
        if len(self._shape) != 1 or len(self._lshape) != 1:
            raise MXNetError(f"LibSVMIter: data_shape and label_shape must be 1-D, got "
                             f"{self._shape} and {self._lshape}")
        labels, self._rows = _read(data_libsvm, self._shape[0], 'data_libsvm')
        if label_libsvm in (None, 'NULL'):
            self._labels = np.asarray(labels, np.float32)
        else:
            _, self._labels = _read(label_libsvm, self._lshape[0], 'label_libsvm')
            if len(self._labels) != len(self._rows):
                raise MXNetError(f"LibSVMIter: data_libsvm has {len(self._rows)} rows but "
                                 f"label_libsvm has {len(self._labels)}")
        n = len(self._rows)
        keep = slice(part_index * n // num_parts, (part_index + 1) * n // num_parts)
        self._rows, self._labels = self._rows[keep], self._labels[keep]
        super().__init__(batch_size, True, data_name, label_name)

    def _count(self):
        return len(self._rows)

    def _take(self, slot):
        if self._buf is None:
            self._buf = ([None] * self._bs, [None] * self._bs)
        self._buf[0][slot], self._buf[1][slot] = self._pos, self._pos
        self._pos += 1

    def _boxed(self):
        data = _csr([self._rows[i] for i in self._buf[0]], self._shape[0])
        if isinstance(self._labels, np.ndarray):
            return data, _box(torch.from_numpy(self._labels[self._buf[1]]))
        return data, _csr([self._labels[i] for i in self._buf[1]], self._lshape[0])


def _csr(rows, width):
    """A CSRNDArray of the (indices, values) rows."""
    counts = [len(c) for c, _ in rows]
    indptr = torch.from_numpy(np.concatenate([[0], np.cumsum(counts)]).astype(np.int64))
    cols = torch.from_numpy(np.concatenate([c for c, _ in rows]).astype(np.int64))
    vals = torch.from_numpy(np.concatenate([v for _, v in rows]).astype(np.float32))
    return CSRNDArray._new(vals, [indptr, cols], (len(rows), width))


def _read(path, width, what):
    """(labels, rows) of a LibSVM file or folder; rows are (indices, values) arrays."""
    files = [os.path.join(path, f) for f in sorted(os.listdir(path))] \
        if os.path.isdir(path) else [path]
    labels, rows = [], []
    for name in files:
        try:
            with open(name, encoding='utf-8') as f:
                lines = f.read().splitlines()
        except OSError as e:
            raise MXNetError(f"LibSVMIter: cannot read {what} {name!r}: {e.strerror}") from None
        for ln, line in enumerate(lines, 1):
            parts = line.split()
            if not parts:
                continue
            try:
                labels.append(float(parts[0]))
                pairs = [p.split(':') for p in parts[1:]]
                cols = np.array([int(i) for i, _ in pairs], np.int64)
                vals = np.array([float(v) for _, v in pairs], np.float32)
            except ValueError:
                raise MXNetError(f"LibSVMIter: {what} {name!r} line {ln} is not "
                                 f"'label index:value ...': {line!r}") from None
            if cols.size and (cols.min() < 0 or cols.max() >= width):
                raise MXNetError(f"LibSVMIter: {what} {name!r} line {ln} has feature index "
                                 f"{int(cols.max())}, outside the shape ({width},)")
            rows.append((cols, vals))
    return labels, rows
