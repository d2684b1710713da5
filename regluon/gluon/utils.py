"""`gluon.utils`: splitting batches over contexts, global-norm clipping, downloads."""
import hashlib
import os
import ssl
import urllib.request
import warnings

import numpy as np

from .. import ndarray
from ..base import MXNetError
from ..util import atomic_open

__all__ = ['split_data', 'split_and_load', 'clip_global_norm', 'check_sha1', 'download',
           'replace_file', 'HookHandle', 'shape_is_known']


def split_data(data, num_slice, batch_axis=0, even_split=True):
    """Split an NDArray into `num_slice` slices along `batch_axis`.

    Parameters
    ----------
    data : NDArray
        A batch of data.
    num_slice : int
        Number of slices.
    batch_axis : int, default 0
        The axis to split along.
    even_split : bool, default True
        Refuse sizes not divisible by num_slice; otherwise the first slices get one more.

    Returns
    -------
    list of NDArray
    """
    size = data.shape[batch_axis]
    if even_split and size % num_slice != 0:
        raise ValueError(
            f"data with shape {data.shape} cannot be evenly split into {num_slice} slices "
            f"along axis {batch_axis}. Use a batch size that's multiple of {num_slice} or "
            "set even_split=False to allow uneven partitioning of data.")
    n_each, extras = divmod(size, num_slice)
    sizes = [0] + extras * [n_each + 1] + (num_slice - extras) * [n_each]
    points = np.cumsum(sizes).tolist()
    if batch_axis == 0:
        return [data[points[i]:points[i + 1]] for i in range(num_slice)]
    return [ndarray.slice_axis(data, axis=batch_axis, begin=points[i], end=points[i + 1])
            for i in range(num_slice)]


def split_and_load(data, ctx_list, batch_axis=0, even_split=True):
    """Split a batch along `batch_axis` and load each slice onto one context.

    Parameters
    ----------
    data : NDArray or array-like
        A batch of data.
    ctx_list : list of Context
    batch_axis : int, default 0
    even_split : bool, default True

    Returns
    -------
    list of NDArray, one per context
    """
    if not isinstance(data, ndarray.NDArray):
        data = ndarray.array(data, ctx=ctx_list[0])
    if len(ctx_list) == 1:
        return [data.as_in_context(ctx_list[0])]
    slices = split_data(data, len(ctx_list), batch_axis, even_split)
    return [s.as_in_context(ctx) for s, ctx in zip(slices, ctx_list)]


def clip_global_norm(arrays, max_norm, check_isfinite=True):
    """Rescale arrays in place so that their joint 2-norm is at most `max_norm`.

    Parameters
    ----------
    arrays : list of NDArray
    max_norm : float
    check_isfinite : bool, default True
        Warn if the norm is nan or inf, and return it as a Python scalar (a host sync);
        otherwise return it as an NDArray of shape (1,).

    Returns
    -------
    The total norm before clipping.
    """
    if not arrays:
        raise MXNetError("clip_global_norm: expected a non-empty list of NDArrays")
    def _norm(a):          # a sparse array's own norm: no dense copy (MXNet's choice)
        if a.stype == 'default':
            x = a.reshape((-1,))
            return ndarray.dot(x, x)
        return a.norm().square()
    ctx = arrays[0].context
    total = ndarray.add_n(*[_norm(a).as_in_context(ctx) for a in arrays])
    total = ndarray.sqrt(total)
    if check_isfinite and not np.isfinite(total.asscalar()):
        warnings.warn(UserWarning('nan or inf is detected. Clipping results will be '
                                  'undefined.'), stacklevel=2)
    scale = ndarray.clip(max_norm / (total + 1e-8), 0.0, 1.0)   # min(scale, 1)
    for a in arrays:
        a *= scale.as_in_context(a.context)
    return total.asscalar() if check_isfinite else total


def check_sha1(filename, sha1_hash):
    """Whether the file's SHA-1 hex digest equals `sha1_hash`.

    Parameters
    ----------
    filename : str
    sha1_hash : str
    """
    sha1 = hashlib.sha1()
    with open(filename, 'rb') as f:
        for chunk in iter(lambda: f.read(1 << 20), b''):
            sha1.update(chunk)
    return sha1.hexdigest() == sha1_hash


def replace_file(src, dst):
    """Move `src` over `dst` atomically (os.replace; MXNet's helper for downloads)."""
    os.replace(src, dst)


def _fetch(url, fname, verify_ssl, timeout=60):
    """Stream `url` into `fname`, replacing it atomically only when complete."""
    context = None if verify_ssl else ssl._create_unverified_context()  # pylint: disable=protected-access
    with urllib.request.urlopen(url, timeout=timeout, context=context) as r:
        if getattr(r, 'status', 200) != 200:
            raise RuntimeError(f'Failed downloading url {url}')
        with atomic_open(fname) as f:
            for chunk in iter(lambda: r.read(1 << 16), b''):
                f.write(chunk)


def download(url, path=None, overwrite=False, sha1_hash=None, retries=5, verify_ssl=True):
    """Download `url` to a file (skipped if it exists with the right hash).

    Parameters
    ----------
    url : str
    path : str, optional
        Destination file or folder; default: the URL's file name in the current folder.
    overwrite : bool, default False
        Download even if the file exists.
    sha1_hash : str, optional
        Expected SHA-1 of the file; an existing file that does not match is fetched again.
    retries : int, default 5
        Number of attempts (MXNet counts at least one).
    verify_ssl : bool, default True

    Returns
    -------
    str
        The file name.
    """
    if path is None:
        fname = url.split('/')[-1]
        if not fname:
            raise MXNetError("download: can't construct file-name from this URL. Please "
                             "set the `path` option manually.")
    else:
        path = os.path.expanduser(path)
        fname = os.path.join(path, url.split('/')[-1]) if os.path.isdir(path) else path
    if retries < 0:
        raise ValueError(f"Number of retries should be at least 0, currently it's {retries}")
    if not verify_ssl:
        warnings.warn('Unverified HTTPS request is being made (verify_ssl=False). '
                      'Adding certificate verification is strongly advised.')
    if not (overwrite or not os.path.exists(fname)
            or (sha1_hash and not check_sha1(fname, sha1_hash))):
        return fname
    os.makedirs(os.path.dirname(os.path.abspath(fname)), exist_ok=True)
    # MXNet's loop: `retries` attempts in all (one if retries is 0), no pause between
    attempts = max(retries, 1)
    for attempt in range(1, attempts + 1):
        try:
            print(f'Downloading {fname} from {url}...')
            _fetch(url, fname, verify_ssl)
            if sha1_hash and not check_sha1(fname, sha1_hash):
                raise UserWarning(
                    f'File {fname} is downloaded but the content hash does not match. The '
                    'repo may be outdated or download may be incomplete. If the "repo_url" '
                    'is overridden, consider switching to the default repo.')
            return fname
        except Exception as e:  # pylint: disable=broad-except
            if attempt == attempts:
                if isinstance(e, UserWarning):
                    raise
                raise MXNetError(f"download: failed to fetch {url} to {fname} after "
                                 f"{attempts} attempt(s): {e!r}. Check the network "
                                 "connection and the URL, or place the file there "
                                 "yourself.") from e
            left = attempts - attempt
            print(f"download failed due to {e!r}, retrying, {left} attempt"
                  f"{'s' if left > 1 else ''} left")
    return fname


def _indent(s_, numSpaces):
    """Indent every line of `s_` but the first by `numSpaces` spaces (MXNet's helper)."""
    lines = s_.split('\n')
    if len(lines) == 1:
        return s_
    return '\n'.join([lines[0]] + [(numSpaces * ' ') + line for line in lines[1:]])


def _get_repo_url():
    """The base URL of the Gluon model and data repository: $MXNET_GLUON_REPO or Apache's
    S3 bucket, always ending in '/' (GluonNLP and GluonCV import this private helper)."""
    repo_url = os.environ.get('MXNET_GLUON_REPO',
                              'https://apache-mxnet.s3-accelerate.dualstack.amazonaws.com/')
    if repo_url[-1] != '/':
        repo_url = repo_url + '/'
    return repo_url


def _get_repo_file_url(namespace, filename):
    """The URL of `filename` under `namespace` in the Gluon repository."""
    return f'{_get_repo_url()}{namespace}/{filename}'


def _brief_print_list(lst, limit=7):
    """At most `limit` elements of `lst`, quoted, with ', ..., ' where some were left out."""
    lst = list(lst)
    if len(lst) > limit:
        return _brief_print_list(lst[:limit // 2], limit) + ', ..., ' + \
            _brief_print_list(lst[-limit // 2:], limit)
    return ', '.join([f"'{i}'" for i in lst])


def shape_is_known(shape):
    """Whether every dimension of `shape` is known: the unknown size is 0 (-1 under
    numpy shape semantics, where () is a known scalar shape; classic () is unknown)."""
    from ..numpy_extension import is_np_shape  # pylint: disable=import-outside-toplevel
    if shape is None:
        return False
    unknown = -1 if is_np_shape() else 0
    if len(shape) == 0:
        return unknown == -1
    for d in shape:
        if d == unknown:
            return False
        assert d > unknown, f"shape dimension size cannot be less than {unknown}, while " \
                            f"received {d}"
    return True


from .block import HookHandle  # noqa: E402  (MXNet's gluon.utils name for Block hooks' handle)
