"""`nd.save` / `nd.load` in MXNet 1.x's own binary format (and MXNet 2.x's .npz/.npy).

The list file (dmlc::Stream, little-endian), as `NDArray::Save` in MXNet 1.9.1 writes it:

    uint64 0x112, uint64 0                    list magic, reserved
    uint64 n, then n records:
      uint32 magic    0xF993fac9 (V2), 0xF993faca (V3: np-shape semantics)
      int32  stype    0 dense, 1 row_sparse, 2 csr
      [sparse: int32 ndim, int64 dims[ndim]    the storage shape: that of the data part]
      int32  ndim, int64 dims[ndim]
      int32  dev_type, int32 dev_id           the context it was saved from
      int32  type flag                         DTYPE_CODES
      [sparse: per aux array (row_sparse: indices; csr: indptr, indices):
               int32 type flag, int32 ndim, int64 dims[ndim]]
      raw data, C order                        [sparse: then each aux array's raw data]
    uint64 m, then m names: uint64 length, utf-8 bytes     (m is 0 for a list)

Older records are read too: V1 (0xF993fac8: no stype) and V0 (no magic: the first uint32 is
ndim, then uint32 dims). The reader never unpickles, and checks every magic, count, ndim,
dim, dtype code and byte count against the bytes left BEFORE it allocates, so a truncated or
hostile file is an MXNetError naming the file and the problem.
"""
import io
import math
import os
import struct
import zipfile

import numpy as np
import torch

from ..base import MXNetError
from ..util import atomic_open
from .ndarray import NDArray, _box, _STORAGE_TYPE_STR_TO_ID

__all__ = ['save', 'load', 'load_frombuffer']

LIST_MAGIC = 0x112
V1_MAGIC, V2_MAGIC, V3_MAGIC = 0xF993fac8, 0xF993fac9, 0xF993faca
MAX_NDIM = 32   # MXNet's own limit is far below this; it stops hostile headers early
# .npz members may be compressed (and Gluon densifies sparse parameters), so their size is
# not bounded by the file's; this caps what such a file may make us allocate.
MAX_DENSE_BYTES = 1 << 31
# mshadow's type flags (mshadow/base.h), verified against files MXNet 1.9.1 wrote
DTYPE_CODES = {torch.float32: 0, torch.float64: 1, torch.float16: 2, torch.uint8: 3,
               torch.int32: 4, torch.int8: 5, torch.int64: 6, torch.bool: 7,
               torch.int16: 8, torch.bfloat16: 12}
CODE_DTYPES = {v: k for k, v in DTYPE_CODES.items()}
_DEV_TYPES = {1: 'cpu', 2: 'gpu', 3: 'cpu_pinned', 5: 'cpu_shared'}
_U32, _I32, _U64 = struct.Struct('<I'), struct.Struct('<i'), struct.Struct('<Q')


# ---- writing ---------------------------------------------------------------------------
def _check_data(data):
    """(arrays, names) for what nd.save accepts; MXNet's exception types and messages."""
    if isinstance(data, NDArray):
        data = [data]
    if isinstance(data, dict):
        if any(not isinstance(k, str) for k in data) or \
                any(not isinstance(v, NDArray) for v in data.values()):
            raise TypeError('save only accept dict str->NDArray or list of NDArray')
        return list(data.values()), list(data)
    if isinstance(data, list):
        if any(not isinstance(v, NDArray) for v in data):
            raise TypeError('save only accept dict str->NDArray or list of NDArray')
        return data, []
    raise ValueError("data needs to either be a NDArray, dict of str, NDArray pairs "
                     "or a list of NDarrays.")


def _tensor_ctx(a):
    """(tensor or sparse NDArray, (dev_type, dev_id)) for an NDArray or a torch.Tensor;
    MXNet records both."""
    if isinstance(a, NDArray):
        c = a.context
        return (a if a.stype != 'default' else a._t), (c.device_typeid, c.device_id)
    return a, ((2, a.device.index or 0) if a.device.type == 'cuda' else (1, 0))


_STYPE_CODES = {k: _STORAGE_TYPE_STR_TO_ID[k] for k in ('row_sparse', 'csr')}


def _write_sparse(f, a, magic, dev_type, dev_id):
    """One row_sparse/csr record: storage shape, shape, context, dtype, aux types and
    shapes, then the data and aux arrays (MXNet's NDArray::Save)."""
    data, aux = a._data, a._aux
    for t in (data,) + aux:
        if t.dtype not in DTYPE_CODES:
            raise MXNetError(f"nd.save: dtype {t.dtype} has no MXNet type code")
    head = struct.pack(f'<Iii{data.dim()}q', magic, _STYPE_CODES[a.stype], data.dim(),
                       *data.shape)
    head += struct.pack(f'<i{a.ndim}qiii', a.ndim, *a.shape, dev_type, dev_id,
                        DTYPE_CODES[data.dtype])
    for t in aux:
        head += struct.pack(f'<ii{t.dim()}q', DTYPE_CODES[t.dtype], t.dim(), *t.shape)
    f.write(head)
    for t in (data,) + aux:
        if t.numel():       # an empty part (no stored rows) has no bytes, torch cannot view it
            f.write(t.detach().reshape(-1).contiguous().cpu().view(torch.uint8).numpy())


def _write(f, arrays, names):
    """Write the list file (arrays: NDArrays or torch.Tensors) to the binary stream `f`."""
    pairs = [_tensor_ctx(a) for a in arrays]
    # MXNet 1.9.1 writes a 0-d array as a V2 record it then cannot read back (its V2 reader
    # takes ndim 0 for "no array" and loses its place). A file holding one is written as
    # MXNet writes it inside `mx.util.np_shape(True)`: all V3, which MXNet loads there.
    # In np mode (npx.set_np()) MXNet writes V3 records, as here.
    from ..numpy import _mode
    magic = V3_MAGIC if _mode.active or any(t.ndim == 0 for t, _ in pairs) else V2_MAGIC
    f.write(_U64.pack(LIST_MAGIC) + _U64.pack(0) + _U64.pack(len(pairs)))
    for t, (dev_type, dev_id) in pairs:
        if isinstance(t, NDArray):
            _write_sparse(f, t, magic, dev_type, dev_id)
            continue
        if t.dtype not in DTYPE_CODES:
            raise MXNetError(f"nd.save: dtype {t.dtype} has no MXNet type code; "
                             f"expected one of {sorted(str(d)[6:] for d in DTYPE_CODES)}")
        head = struct.pack(f'<Iii{t.dim()}qiii', magic, 0, t.dim(), *t.shape,
                           dev_type, dev_id, DTYPE_CODES[t.dtype])
        f.write(head)
        flat = t.detach().reshape(-1).contiguous().cpu()
        if flat.numel():      # a zero-size array has no data (and torch cannot view it)
            f.write(flat.view(torch.uint8).numpy())      # no extra copy of the data
    f.write(_U64.pack(len(names)))
    for n in names:
        b = n.encode('utf-8')
        f.write(_U64.pack(len(b)) + b)


def save(fname, data):
    """Saves a list of arrays or a dict of str->array to file, in MXNet's binary format.

    The file is written next to `fname` and renamed over it only when complete, so an
    error mid-save leaves an existing file intact.

    Parameters
    ----------
    fname : str
        The filename.
    data : NDArray, or list of NDArray, or dict of str to NDArray
        The data to save.
    """
    arrays, names = _check_data(data)
    _save(_fname(fname), arrays, names)


def _save(fname, arrays, names):
    try:
        with atomic_open(fname) as f:
            _write(f, arrays, names)
    except OSError as e:     # MXNet: an MXNetError from its file system layer
        raise MXNetError(f"nd.save: cannot write {fname}: {e.strerror or e}") from None


def save_tobuffer(data):
    """The bytes `nd.save` would write for `data` (internal; MXNet has no public twin)."""
    arrays, names = _check_data(data)
    f = io.BytesIO()
    _write(f, arrays, names)
    return f.getvalue()


def save_tensors(fname, tensors):
    """Save a dict name->torch.Tensor (or a list) in MXNet's format, atomically (for Gluon)."""
    names = list(tensors) if isinstance(tensors, dict) else []
    values = list(tensors.values()) if isinstance(tensors, dict) else list(tensors)
    _save(_fname(fname), values, names)


# ---- reading ---------------------------------------------------------------------------
class _Reader:
    """Bounds-checked little-endian reads from a binary stream of known length."""

    def __init__(self, f, size, source):
        self.f, self.left, self.source = f, size, source
        self.pos = self.start = 0       # start: where the value being checked begins

    def fail(self, what):
        raise MXNetError(f"nd.load: {self.source} is not a valid NDArray file: {what} "
                         f"(at byte {self.start})")

    def need(self, n, what):
        self.start = self.pos
        if n > self.left:
            self.fail(f"truncated: {what} needs {n} bytes, {self.left} left")

    def read(self, n, what):
        self.need(n, what)
        b = self.f.read(n)
        if len(b) != n:
            self.fail(f"truncated: {what} needs {n} bytes, got {len(b)}")
        self.left -= n
        self.pos += n
        return b

    def u32(self, what):
        return _U32.unpack(self.read(4, what))[0]

    def i32(self, what):
        return _I32.unpack(self.read(4, what))[0]

    def u64(self, what):
        return _U64.unpack(self.read(8, what))[0]

    def dims(self, ndim, fmt, what):
        size = struct.calcsize(f'<{ndim}{fmt}')
        return struct.unpack(f'<{ndim}{fmt}', self.read(size, what))

    def into(self, t, what):
        """Fill tensor `t` (already checked to fit in the bytes left) from the stream."""
        n = t.numel() * t.element_size()
        self.need(n, what)
        view = t.reshape(-1).view(torch.uint8).numpy()
        got = self.f.readinto(view) if n else 0
        if got != n:
            self.fail(f"truncated: {what} needs {n} bytes, got {got}")
        self.left -= n
        self.pos += n
        return t


def _shape(r, i, magic):
    """Read the shape of record i; None for MXNet's "no array" records."""
    if magic in (V1_MAGIC, V2_MAGIC, V3_MAGIC):
        ndim = r.i32(f"ndim of array {i}")
        if ndim == -1 and magic != V1_MAGIC:
            return None          # an unknown shape: MXNet's empty NDArray() handle
        if not 0 <= ndim <= MAX_NDIM:
            r.fail(f"array {i} has ndim {ndim}, expected 0..{MAX_NDIM}")
        dims = r.dims(ndim, 'q', f"shape of array {i}")
        if magic == V3_MAGIC and -1 in dims:
            return None
        if magic == V1_MAGIC and ndim == 0:
            return None
    else:                        # V0: no magic, the first uint32 is ndim, dims are uint32
        ndim = magic
        if ndim > MAX_NDIM:
            r.fail(f"array {i} starts with 0x{magic:08x}, which is neither an NDArray "
                   f"magic (0xf993fac8..0xf993faca) nor a legacy ndim <= {MAX_NDIM}")
        dims = r.dims(ndim, 'I', f"shape of array {i}")
        if ndim == 0:
            return None
    if any(d < 0 for d in dims):
        r.fail(f"array {i} has negative dimension in shape {dims}")
    return tuple(dims)


def _dtype(r, i):
    code = r.i32(f"type flag of array {i}")
    if code not in CODE_DTYPES:
        r.fail(f"array {i} has type flag {code}, expected one of {sorted(CODE_DTYPES)}")
    return CODE_DTYPES[code]


def _empty(r, shape, dtype, what):
    """A tensor for `shape` after checking its bytes are in the file (no huge allocations)."""
    n = math.prod(shape) * torch.empty((), dtype=dtype).element_size()
    r.need(n, f"data of {what} {shape}")
    return torch.empty(shape, dtype=dtype)


def _context(r, i):
    dev_type, dev_id = r.i32(f"context of array {i}"), r.i32(f"context of array {i}")
    if dev_type not in _DEV_TYPES or dev_id < 0:
        r.fail(f"array {i} has context ({dev_type}, {dev_id}), expected a device type in "
               f"{sorted(_DEV_TYPES)} and an id >= 0")
    # MXNet reads onto cpu(0); a CUDA build then copies gpu arrays back to their GPU
    # when one is present. We do the same, so cpu(i) and cpu_pinned come back as cpu(0).
    if dev_type == 2 and dev_id < torch.cuda.device_count():
        return torch.device('cuda', dev_id)
    return None


def _record(r, i):
    """Read record i: a torch.Tensor on the device it should load onto."""
    magic = r.u32(f"magic of array {i}")
    stype = 0
    if magic in (V2_MAGIC, V3_MAGIC):
        stype = r.i32(f"storage type of array {i}")
        if stype == -1:          # kUndefinedStorage: MXNet's empty NDArray() handle
            r.fail(f"array {i} is an uninitialized NDArray (no shape, no data), which "
                   "regluon cannot represent")
        if stype not in (0, 1, 2):
            r.fail(f"array {i} has storage type {stype}, expected 0 (default), "
                   "1 (row_sparse) or 2 (csr)")
    if stype:
        return _sparse(r, i, stype, magic)
    shape = _shape(r, i, magic)
    if shape is None:
        r.fail(f"array {i} is an uninitialized NDArray (no shape, no data), which regluon "
               "cannot represent")
    device = _context(r, i)
    dtype = _dtype(r, i)
    t = r.into(_empty(r, shape, dtype, f"array {i}"), f"data of array {i}")
    if dtype == torch.bool:      # a byte other than 0/1 is not a valid torch bool
        t = t.view(torch.uint8) != 0
    return t if device is None else t.to(device)


def _sparse(r, i, stype, magic):
    """A row_sparse (1) or csr (2) record: a RowSparseNDArray or CSRNDArray."""
    from .sparse import CSRNDArray, RowSparseNDArray
    sshape = _shape(r, i, magic)
    shape = _shape(r, i, magic)
    if sshape is None or shape is None:
        r.fail(f"sparse array {i} has an unknown shape")
    device = _context(r, i)
    dtype = _dtype(r, i)
    aux = [(_dtype(r, i), _shape(r, i, magic)) for _ in range(stype)]
    if any(s is None for _, s in aux):
        r.fail(f"sparse array {i} has an unknown index shape")
    data = r.into(_empty(r, sshape, dtype, f"array {i}"), f"data of array {i}")
    idx = [r.into(_empty(r, s, dt, f"index of array {i}"), f"index of array {i}").long()
           for dt, s in aux]
    try:
        if stype == 1:   # row_sparse: aux 0 holds the row numbers of the stored rows
            rows, = idx
            if sshape[1:] != shape[1:] or rows.shape != sshape[:1]:
                raise ValueError(f"rows {sshape} and indices {tuple(rows.shape)} "
                                 f"do not fit shape {shape}")
            if rows.numel() and (rows.min() < 0 or rows.max() >= shape[0]):
                raise ValueError(f"row index out of [0, {shape[0]})")
            out = RowSparseNDArray._new(data, [rows], shape)
        else:            # csr: aux 0 indptr, aux 1 column indices, data the values
            indptr, cols = idx
            if len(shape) != 2 or indptr.shape != (shape[0] + 1,) or indptr[0] != 0 \
                    or (indptr.diff() < 0).any() or cols.shape != sshape \
                    or indptr[-1] != len(cols):
                raise ValueError(f"indptr {tuple(indptr.shape)} and indices "
                                 f"{tuple(cols.shape)} do not describe shape {shape}")
            if cols.numel() and (cols.min() < 0 or cols.max() >= shape[1]):
                raise ValueError(f"column index out of [0, {shape[1]})")
            out = CSRNDArray._new(data, [indptr, cols], shape)
    except (RuntimeError, IndexError, ValueError) as e:
        r.fail(f"sparse array {i} is inconsistent: {e}")
    return out if device is None else out.copyto(_ctx_of(device))


def _ctx_of(device):
    from ..context import gpu
    return gpu(device.index or 0)


def _densified(x):
    """A record as a tensor: sparse ones densified (Gluon's parameters are dense)."""
    if isinstance(x, torch.Tensor):
        return x
    dense = math.prod(x.shape) * x._data.element_size()
    if dense > MAX_DENSE_BYTES:
        raise MXNetError(f"nd.load: sparse array of shape {x.shape} would take {dense} bytes "
                         f"densified; the limit is nd.utils.MAX_DENSE_BYTES = "
                         f"{MAX_DENSE_BYTES}")
    return x._dense()


def _read(f, size, source):
    """(tensors, names) from an MXNet list file in stream `f` of `size` bytes."""
    r = _Reader(f, size, source)
    if r.u64("list magic") != LIST_MAGIC:
        r.fail("bad list magic, expected 0x112")
    r.u64("reserved header word")
    n = r.u64("array count")
    tensors = [_record(r, i) for i in range(n)]   # each read checks the bytes left
    # (a sparse record is a CSRNDArray/RowSparseNDArray, a dense one a torch.Tensor)
    m = r.u64("name count")
    if m not in (0, n):
        r.fail(f"{m} names for {n} arrays")
    names = []
    for i in range(m):
        ln = r.u64(f"length of name {i}")
        try:
            names.append(r.read(ln, f"name {i}").decode('utf-8'))
        except UnicodeDecodeError:
            r.fail(f"name {i} is not utf-8")
    return tensors, names


def _read_numpy(f, size, source):
    """MXNet 2.x files: .npz (dict name->array) or .npy (list of one), never unpickled."""
    try:
        if f.read(6) == b'\x93NUMPY':
            f.seek(0)
            return [_np_array(f, size)], []
        f.seek(0)
        out = {}
        with zipfile.ZipFile(f) as z:
            for info in z.infolist():
                if info.compress_type != zipfile.ZIP_STORED and \
                        info.file_size > MAX_DENSE_BYTES:
                    # a compressed member's size is not bounded by the file's (zip bombs)
                    raise ValueError(f"member {info.filename} would take {info.file_size} "
                                     f"bytes; the limit is nd.utils.MAX_DENSE_BYTES = "
                                     f"{MAX_DENSE_BYTES}")
                with z.open(info) as m:
                    out[info.filename[:-4] if info.filename.endswith('.npy')
                        else info.filename] = _np_array(m, info.file_size)
        return list(out.values()), list(out)
    except (ValueError, OSError, zipfile.BadZipFile, EOFError, KeyError,
            NotImplementedError, TypeError) as e:
        raise MXNetError(f"nd.load: {source} is not a valid .npz/.npy file: {e}") from None


_NPY_HEADERS = {(1, 0): np.lib.format.read_array_header_1_0,
                (2, 0): np.lib.format.read_array_header_2_0}


def _np_array(f, limit):
    """One .npy array; its header is checked against the `limit` bytes available first."""
    version = np.lib.format.read_magic(f)
    if version not in _NPY_HEADERS:
        raise ValueError(f".npy version {version} is not supported")
    shape, fortran, dtype = _NPY_HEADERS[version](f)
    if dtype.hasobject:
        raise ValueError("object arrays need pickle, which nd.load never uses")
    n = math.prod(shape)
    if n * dtype.itemsize > limit:
        raise ValueError(f"array {shape} {dtype} does not fit in the {limit} bytes")
    a = np.empty(n, dtype)
    if n and f.readinto(a.view(np.uint8)) != a.nbytes:
        raise ValueError(f"truncated data for array {shape} {dtype}")
    a = a.reshape(shape[::-1]).T if fortran else a.reshape(shape)
    t = torch.from_numpy(np.ascontiguousarray(a, dtype.newbyteorder('=')))
    if t.dtype not in DTYPE_CODES:
        raise ValueError(f"dtype {dtype} is not an MXNet dtype")
    return t


def _load_stream(f, size, source):
    head = f.read(6)
    f.seek(0)
    if head[:4] == b'PK\x03\x04' or head == b'\x93NUMPY':
        return _read_numpy(f, size, source)
    return _read(f, size, source)


def _result(tensors, names):
    # MXNet's rule: no names means a list (so a saved empty dict loads as []).
    arrays = [_box(t) if isinstance(t, torch.Tensor) else t for t in tensors]
    return dict(zip(names, arrays)) if names else arrays


def _fname(fname):
    if isinstance(fname, os.PathLike):
        return os.fspath(fname)
    if not isinstance(fname, str):
        raise TypeError('fname required to be a string')
    return fname


def load_tensors(fname):
    """(list of torch.Tensor, list of names) from a file (internal, for Gluon)."""
    tensors, names = _load_file(fname)
    return [_densified(t) for t in tensors], names


def _load_file(fname):
    """(records, names): dense records as tensors, sparse ones as sparse NDArrays."""
    fname = _fname(fname)
    try:
        f = open(fname, 'rb')  # pylint: disable=consider-using-with
    except OSError as e:
        raise MXNetError(f"nd.load: cannot open {fname}: {e.strerror}") from None
    with f:
        return _load_stream(f, os.fstat(f.fileno()).st_size, fname)


def load(fname):
    """Loads an array list or dict from a file written by `nd.save` or by MXNet.

    Also reads MXNet 2.x's `.npz` (a dict) and `.npy` (a list of one). Arrays load onto
    cpu(0), or onto the GPU they were saved from when that GPU is present (as MXNet's
    CUDA build does). Sparse arrays load as CSRNDArray / RowSparseNDArray.

    Parameters
    ----------
    fname : str
        The filename.

    Returns
    -------
    list of NDArray or dict of str to NDArray
        Loaded data.
    """
    return _result(*_load_file(fname))


def load_frombuffer(buf):
    """Loads an array dictionary or list from a buffer (the bytes of a saved file).

    Parameters
    ----------
    buf : bytes or str
        Contents of a file as bytes.

    Returns
    -------
    list of NDArray or dict of str to NDArray
        Loaded data.
    """
    if isinstance(buf, str):
        buf = buf.encode('latin-1')
    if not isinstance(buf, (bytes, bytearray, memoryview)):
        raise TypeError('buf required to be a string or bytes')
    buf = bytes(buf)
    return _result(*_load_stream(io.BytesIO(buf), len(buf), '<buffer>'))
