"""`mx.recordio`: read and write MXNet's RecordIO (.rec) files, byte-compatible with 1.9.1.

The format is dmlc-core's: each record is a 4-byte magic 0xced7230a, a 4-byte word
`cflag << 29 | length`, the data and zero padding to a multiple of 4 bytes. A record whose
data holds the magic word at a 4-byte-aligned offset is split there into parts (cflag 1:
first, 2: middle, 3: last), the magic itself dropped; the reader puts it back.
"""
import numbers
import struct
from collections import namedtuple
from multiprocessing import current_process

import numpy as np

from .base import MXNetError

__all__ = ['MXRecordIO', 'MXIndexedRecordIO', 'IRHeader', 'pack', 'unpack', 'pack_img',
           'unpack_img']

_MAGIC = 0xced7230a
_MAGIC_BYTES = struct.pack('<I', _MAGIC)
_HEAD = struct.Struct('<II')


class MXRecordIO:
    """Reads/writes RecordIO data format, supporting sequential read and write.

    Parameters
    ----------
    uri : string
        Path to the record file.
    flag : string
        'w' for write or 'r' for read.
    """

    def __init__(self, uri, flag):
        self.uri = str(uri)
        self.flag = flag
        self.pid = None
        self.is_open = False
        self._f = None
        self.open()

    def open(self):
        """Opens the record file."""
        if self.flag == 'w':
            self._f = open(self.uri, 'wb')
            self.writable = True
        elif self.flag == 'r':
            try:
                self._f = open(self.uri, 'rb')
            except OSError as e:
                raise MXNetError(f"MXRecordIO: cannot open {self.uri!r} for reading: "
                                 f"{e.strerror}") from None
            self.writable = False
        else:
            raise ValueError('Invalid flag %s' % self.flag)
        self.pid = current_process().pid
        self.is_open = True

    def __del__(self):
        self.close()

    def __getstate__(self):
        """Pickles as the file name and mode; the copy reopens the file (for workers)."""
        d = dict(self.__dict__)
        d['_f'] = None
        return d

    def __setstate__(self, d):
        self.__dict__ = d
        is_open, self.is_open = d['is_open'], False
        if is_open:
            self.open()

    def _check_pid(self, allow_reset=False):
        # A forked process must not share the parent's file position.
        if self.pid != current_process().pid:
            if allow_reset:
                self.reset()
            else:
                raise RuntimeError('Forbidden operation in multiple processes')

    def close(self):
        """Closes the record file."""
        if not getattr(self, 'is_open', False):
            return
        self._f.close()
        self.is_open = False
        self.pid = None

    def reset(self):
        """Resets the pointer to first item (reopens the file)."""
        self.close()
        self.open()

    def write(self, buf):
        """Inserts a string buffer as a record.

        Parameters
        ----------
        buf : bytes
            Buffer to write.
        """
        assert self.writable
        self._check_pid(allow_reset=False)
        buf = bytes(buf)
        if len(buf) >= 1 << 29:
            raise MXNetError(f"MXRecordIO.write: a record must be under 2^29 bytes, "
                             f"got {len(buf)}")
        out, start = [], 0
        i = buf.find(_MAGIC_BYTES)
        while i != -1:
            if i % 4:                       # only 4-byte-aligned occurrences split
                i = buf.find(_MAGIC_BYTES, i + 1)
                continue
            out.append(_HEAD.pack(_MAGIC, ((1 if start == 0 else 2) << 29) | (i - start)))
            out.append(buf[start:i])
            start = i + 4
            i = buf.find(_MAGIC_BYTES, start)
        out.append(_HEAD.pack(_MAGIC, ((3 if start else 0) << 29) | (len(buf) - start)))
        out.append(buf[start:])
        out.append(b'\0' * (-len(buf) % 4))
        self._f.write(b''.join(out))

    def read(self):
        """Returns the next record as bytes, or None at the end of the file."""
        assert not self.writable
        self._check_pid(allow_reset=False)
        parts = []
        while True:
            pos = self._f.tell()
            head = self._f.read(8)
            if not head and not parts:
                return None
            if len(head) < 8:
                raise self._corrupt(pos, f"truncated record header ({len(head)} of 8 bytes)")
            magic, lrec = _HEAD.unpack(head)
            if magic != _MAGIC:
                raise self._corrupt(pos, f"bad magic number 0x{magic:08x} (expected "
                                         f"0x{_MAGIC:08x})")
            cflag, length = lrec >> 29, lrec & ((1 << 29) - 1)
            data = self._f.read((length + 3) & ~3)
            if len(data) < length:
                raise self._corrupt(pos, f"truncated record: {length} bytes announced, "
                                         f"{len(data)} present")
            parts.append(data[:length])
            if cflag in (0, 3):
                return _MAGIC_BYTES.join(parts)

    def _corrupt(self, pos, what):
        return MXNetError(f"Invalid RecordIO File {self.uri!r} at byte {pos}: {what}")

    def tell(self):
        """Returns the current position of the write head (bytes written so far)."""
        return self._f.tell()


class MXIndexedRecordIO(MXRecordIO):
    """Reads/writes RecordIO data format, supporting random access.

    Parameters
    ----------
    idx_path : str
        Path to the index file (lines of `key<TAB>byte offset`).
    uri : str
        Path to the record file.
    flag : str
        'w' for write or 'r' for read.
    key_type : type
        Data type for keys.
    """

    def __init__(self, idx_path, uri, flag, key_type=int):
        self.idx_path = idx_path
        self.idx = {}
        self.keys = []
        self.key_type = key_type
        self.fidx = None
        super().__init__(uri, flag)

    def open(self):
        super().open()
        self.idx = {}
        self.keys = []
        try:
            self.fidx = open(self.idx_path, self.flag)
        except OSError as e:
            raise MXNetError(f"MXIndexedRecordIO: cannot open index {self.idx_path!r}: "
                             f"{e.strerror}") from None
        if not self.writable:
            for n, line in enumerate(iter(self.fidx.readline, '')):
                fields = line.strip().split('\t')
                try:
                    key, pos = self.key_type(fields[0]), int(fields[1])
                except (ValueError, IndexError):
                    raise MXNetError(f"MXIndexedRecordIO: line {n + 1} of index "
                                     f"{self.idx_path!r} is not 'key<TAB>offset': "
                                     f"{line.strip()!r}") from None
                self.idx[key] = pos
                self.keys.append(key)

    def close(self):
        if not getattr(self, 'is_open', False):
            return
        super().close()
        self.fidx.close()

    def __getstate__(self):
        d = super().__getstate__()
        d['fidx'] = None
        return d

    def seek(self, idx):
        """Sets the current read pointer position to the record with key `idx`."""
        assert not self.writable
        self._check_pid(allow_reset=True)
        try:
            pos = self.idx[idx]
        except KeyError:
            raise KeyError(f"MXIndexedRecordIO: no record with key {idx!r} in "
                           f"{self.idx_path!r}") from None
        self._f.seek(pos)

    def tell(self):
        """Returns the current position of the write head."""
        assert self.writable
        return self._f.tell()

    def read_idx(self, idx):
        """Returns the record with key `idx`."""
        self.seek(idx)
        return self.read()

    def write_idx(self, idx, buf):
        """Inserts `buf` as the record with key `idx`."""
        key = self.key_type(idx)
        pos = self.tell()
        self.write(buf)
        self.fidx.write('%s\t%d\n' % (str(key), pos))
        self.idx[key] = pos
        self.keys.append(key)


IRHeader = namedtuple('HEADER', ['flag', 'label', 'id', 'id2'])
IRHeader.__doc__ = """A record's header: flag, label (a float or an array of floats), id, id2.

flag is set by `pack`: 0 for a scalar label, else the number of label floats."""
_IR_FORMAT = 'IfQQ'
_IR_SIZE = struct.calcsize(_IR_FORMAT)


def pack(header, s):
    """Pack a string into MXImageRecord.

    Parameters
    ----------
    header : IRHeader
        Header of the image record. `header.label` can be a number or an array.
    s : bytes
        Raw image string to be packed.
    """
    header = IRHeader(*header)
    if isinstance(header.label, numbers.Number):
        header = header._replace(flag=0)
    else:
        label = np.asarray(header.label, dtype=np.float32)
        header = header._replace(flag=label.size, label=0)
        s = label.tobytes() + s
    return struct.pack(_IR_FORMAT, *header) + s


def unpack(s):
    """Unpack a MXImageRecord to (IRHeader, payload bytes).

    Parameters
    ----------
    s : bytes
        String buffer from `MXRecordIO.read`.
    """
    if len(s) < _IR_SIZE:
        raise MXNetError(f"recordio.unpack: a record needs a {_IR_SIZE}-byte header, got "
                         f"{len(s)} bytes")
    header = IRHeader(*struct.unpack(_IR_FORMAT, s[:_IR_SIZE]))
    s = s[_IR_SIZE:]
    if header.flag > 0:
        if len(s) < 4 * header.flag:
            raise MXNetError(f"recordio.unpack: header announces {header.flag} label "
                             f"floats but only {len(s)} bytes follow")
        header = header._replace(label=np.frombuffer(s, np.float32, header.flag))
        s = s[header.flag * 4:]
    return header, s


def unpack_img(s, iscolor=-1):
    """Unpack a MXImageRecord to (IRHeader, numpy image) — BGR order, as OpenCV gives.

    Parameters
    ----------
    s : bytes
        String buffer from `MXRecordIO.read`.
    iscolor : int
        -1: keep the stored channels; 0: grayscale (H, W); 1: 3-channel color.
    """
    from .image.codec import decode_np
    header, s = unpack(s)
    img = decode_np(s, iscolor, where='recordio.unpack_img')
    if img.ndim == 3 and img.shape[2] >= 3:
        img = np.ascontiguousarray(img[:, :, [2, 1, 0] + list(range(3, img.shape[2]))])
    return header, img


def pack_img(header, img, quality=95, img_fmt='.jpg'):
    """Pack an image into MXImageRecord (encoded with Pillow, as OpenCV would).

    Parameters
    ----------
    header : IRHeader
        Header of the image record.
    img : numpy.ndarray
        Image to be packed, (H, W) or (H, W, C) in BGR order as OpenCV uses.
    quality : int
        Quality for JPEG encoding in range 1-100, or compression for PNG encoding (0-9).
    img_fmt : str
        Encoding of the image (.jpg for JPEG, .png for PNG).
    """
    from .image.codec import encode_np
    img = np.asarray(img)
    if img.ndim == 3 and img.shape[2] >= 3:
        img = img[:, :, [2, 1, 0] + list(range(3, img.shape[2]))]
    return pack(header, encode_np(img, quality, img_fmt))

